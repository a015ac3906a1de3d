// The vault connection as a state machine, without vscode: who we are (whoami), the metadata, the
// live event stream (or the polling fallback), and recovery with backoff. The extension renders
// its state (status item, welcome views, notifications) and pushes its metadata to the language
// server; tests drive it against a real vault.

import type { AccessRequest, Agent, Role, SecretMetadata, VaultEventEnvelope, WhoAmI } from '../../../protocol/api';
import { VaultApi, VaultApiError, type HttpTransport } from '../../../protocol/client';
import type { NamingStyle } from '../../../protocol/names';
import type { PendingAccess } from '../../../protocol/lsp';
import { insecureUrlProblem } from '../core/connectionConfig';
import { classifyNetworkError, healthVerdict, unreachableText, type UnreachableReason } from '../core/reachability';
import { Emitter, type Disposable } from '../core/emitter';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { VaultEventStream, type StreamStatus } from './eventStream';
import { MetadataStore } from './metadata';
import { ConditionalFetcher, type PollResult } from './poller';
import { undiciTransport } from './transport';

export type ConnectionState =
  /** No key, and a Secrets Vault answers at the URL (its public health endpoint). */
  | { state: 'signed-out' }
  | { state: 'connecting' }
  /** `live`: changes arrive as events; otherwise the metadata is polled. */
  | { state: 'connected'; whoami: WhoAmI; live: boolean }
  /** No vault answers at the URL (or something else does): `reason` says which, `message` says it in full. */
  | { state: 'unreachable'; message: string; retryInMs: number; reason: UnreachableReason }
  | { state: 'unauthorized'; message: string }
  | { state: 'forbidden'; message: string }
  | { state: 'disposed' };

export type ChangeReason = 'connected' | 'refresh' | 'event' | 'local' | 'cache';

/** Metadata known from before this connection (the offline cache), used until a listing arrives. */
export interface SeedMetadata {
  savedAt: string;
  whoami: WhoAmI;
  secrets: readonly SecretMetadata[];
  agents: readonly Agent[];
  /** The pending access requests' (secret, agent) pairs, when the cache has them. */
  pendingAccess?: readonly PendingAccess[];
}

export interface ConnectionOptions {
  url: string;
  /** No token: signed out. */
  token: string | undefined;
  backoff?: BackoffOptions;
  /** How often to refetch when the vault has no event stream. */
  pollIntervalMs?: number;
  /** For tests: the event stream's idle timeout. */
  idleTimeoutMs?: number;
  transport?: HttpTransport;
  log?: (message: string) => void;
  /** Allow plain http:// to a host that is not loopback (the secretsVault.allowInsecureHttp setting). */
  allowInsecureHttp?: boolean;
}

export class VaultConnection implements Disposable {
  readonly metadata = new MetadataStore();
  readonly api: VaultApi;
  private current: ConnectionState;
  private readonly backoff: Backoff;
  private readonly transport: HttpTransport;
  private stream: VaultEventStream | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private fetcher: ConditionalFetcher | undefined;
  /** Events that arrive while a full refetch is in flight, applied again on top of its result. */
  private heldDuringRefresh: VaultEventEnvelope[] | undefined;
  private refreshing: Promise<void> | undefined;
  private work: Promise<void> = Promise.resolve();
  private generation = 0;
  private streamFailures = 0;
  /** The last whoami answer, kept while unreachable (or from the offline cache). */
  private known: WhoAmI | undefined;
  /** When the metadata was last known to be current; undefined before any listing (or cache). */
  private currentAt: string | undefined;
  /** True while the metadata comes from the offline cache rather than this vault's listing. */
  private seeded = false;

  private readonly stateEmitter = new Emitter<ConnectionState>();
  private readonly changeEmitter = new Emitter<ChangeReason>();
  /** The state changed (connected, lost, rejected). */
  readonly onDidChangeState = this.stateEmitter.event;
  /** The metadata changed. */
  readonly onDidChangeMetadata = this.changeEmitter.event;

  constructor(private readonly options: ConnectionOptions) {
    this.transport = options.transport ?? undiciTransport(options.url, { allowInsecureHttp: options.allowInsecureHttp ?? false });
    this.api = new VaultApi(this.transport, options.token);
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
    // Without a key too: the URL is probed before the connection says "sign in" (core/reachability.ts).
    this.current = { state: 'connecting' };
  }

  get state(): ConnectionState {
    return this.current;
  }

  get url(): string {
    return this.options.url;
  }

  get whoami(): WhoAmI | undefined {
    return this.current.state === 'connected' ? this.current.whoami : undefined;
  }

  get role(): Role | null {
    const p = this.whoami?.principal;
    return p?.type === 'user' ? p.role : null;
  }

  get namingStyle(): NamingStyle {
    return (this.whoami ?? this.known)?.account.namingStyle ?? 'snake_case';
  }

  /** The last whoami answer, also while unreachable; for the offline cache. */
  get lastWhoami(): WhoAmI | undefined {
    return this.whoami ?? this.known;
  }

  /** Whether there is metadata to show: a listing arrived, or the offline cache seeded it. */
  get hasMetadata(): boolean {
    return this.currentAt !== undefined;
  }

  /** Whether the metadata came from the offline cache and no listing has replaced it yet. */
  get fromCache(): boolean {
    return this.seeded;
  }

  /** When the metadata is not live (not connected, but known): since when it is known. */
  get stale(): { since: string } | null {
    return this.current.state !== 'connected' && this.currentAt !== undefined ? { since: this.currentAt } : null;
  }

  /** When the metadata was last known to be current, for the offline cache. */
  get knownCurrentAt(): string | undefined {
    return this.currentAt;
  }

  /**
   * Uses metadata from before (the offline cache) until the first listing replaces it, so that the
   * editor keeps working, marked stale, when the vault cannot be reached at start-up.
   */
  seed(data: SeedMetadata): void {
    if (this.currentAt !== undefined || this.current.state === 'disposed') return;
    this.metadata.replace(data.secrets, data.agents);
    if (data.pendingAccess) this.metadata.seedPending(data.pendingAccess);
    this.known = data.whoami;
    this.currentAt = data.savedAt;
    this.seeded = true;
    this.changeEmitter.fire('cache');
  }

  private dropSeed(): void {
    this.metadata.replace([], []);
    this.known = undefined;
    this.currentAt = undefined;
    this.seeded = false;
    this.changeEmitter.fire('cache');
  }

  private markCurrent(): void {
    this.currentAt = new Date().toISOString();
  }

  /** The id the event stream would resume from (for tests and the log). */
  get lastEventId(): number | undefined {
    return this.stream?.lastEventId;
  }

  /** Connects; resolves once connected or failed (a failure keeps retrying in the background). */
  start(): Promise<void> {
    const generation = ++this.generation;
    this.work = this.options.token ? this.connect(generation) : this.probe(generation);
    return this.work;
  }

  /** Retry now (the user pressed Retry): skips any pending wait. */
  retry(): Promise<void> {
    if (this.current.state === 'disposed') return Promise.resolve();
    if (this.stream) {
      // Signed in already: only the stream is down (or fine); hurry its reconnect, keep its position.
      // Its resume delivers whatever changed meanwhile.
      this.stream.retryNow();
      return Promise.resolve();
    }
    this.clearTimers();
    this.backoff.reset();
    return this.start();
  }

  /** Refetches every listing (Refresh, or the stream said `reset`). */
  refresh(): Promise<void> {
    this.refreshing ??= this.fetchAll('refresh').finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  async dispose(): Promise<void> {
    this.generation++;
    this.clearTimers();
    const stream = this.stream;
    this.stream = undefined;
    this.setState({ state: 'disposed' });
    await stream?.stop();
    this.stateEmitter.dispose();
    this.changeEmitter.dispose();
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.retryTimer = this.pollTimer = undefined;
  }

  private setState(state: ConnectionState): void {
    if (this.current.state === 'disposed') return;
    const before = this.current;
    // Live until now: the metadata was current up to the moment the connection was lost.
    if (before.state === 'connected' && before.live && !(state.state === 'connected' && state.live)) this.markCurrent();
    if (state.state === 'connected') this.known = state.whoami;
    // A vault answers and there is no key: metadata kept from elsewhere (another URL's) says nothing here.
    if (state.state === 'signed-out' && this.seeded) this.dropSeed();
    this.current = state;
    if (JSON.stringify(before) !== JSON.stringify(state)) this.stateEmitter.fire(state);
  }

  private log(message: string): void {
    this.options.log?.(message);
  }

  /**
   * No key: asks the vault's public health endpoint whether a Secrets Vault answers at the URL, so
   * that "sign in" is said only when signing in can work. Nothing answering (or something else
   * answering) is `unreachable`, retried with backoff like a connection.
   */
  private async probe(generation: number, retrying = false): Promise<void> {
    const insecure = insecureUrlProblem(this.options.url, this.options.allowInsecureHttp ?? false);
    if (insecure) {
      this.setState({ state: 'forbidden', message: insecure });
      return;
    }
    if (!retrying) this.setState({ state: 'connecting' });
    const verdict = await this.health();
    if (generation !== this.generation) return;
    if (verdict === 'vault') {
      this.backoff.reset();
      this.setState({ state: 'signed-out' });
      return;
    }
    this.unreachableFor(verdict, generation, this.backoff.next(), () => this.probe(generation, true));
  }

  /** GET /v1/health (no token): a Secrets Vault, or why not. */
  private async health(): Promise<'vault' | UnreachableReason> {
    try {
      const res = await this.transport({ method: 'GET', path: '/v1/health', headers: { accept: 'application/json' } });
      return healthVerdict(res.status, res.text);
    } catch (e) {
      return classifyNetworkError(e instanceof VaultApiError && e.status === 0 ? (e.cause ?? e) : e);
    }
  }

  private unreachableFor(reason: UnreachableReason, generation: number, retryInMs: number, again: () => Promise<void>): void {
    const message = unreachableText(this.options.url, reason);
    this.log(`${message} (${reason.detail}) Retrying in ${Math.round(retryInMs / 1000)} s.`);
    this.setState({ state: 'unreachable', message, retryInMs, reason });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (generation === this.generation) this.work = again();
    }, retryInMs);
  }

  /**
   * `retrying`: a retry of the background's, after a failure. It says nothing until it ends: the
   * failure stays the state (the views keep its message and its Retry and Change URL buttons in
   * place instead of flashing "Connecting…" at every attempt, under the user's pointer).
   */
  private async connect(generation: number, retrying = false): Promise<void> {
    const previous = this.stream;
    this.stream = undefined;
    await previous?.stop();
    // Refused before any request (the event stream included) and not retried: only the user's
    // setting or another URL changes the answer. The message says why and how.
    const insecure = insecureUrlProblem(this.options.url, this.options.allowInsecureHttp ?? false);
    if (insecure) {
      this.setState({ state: 'forbidden', message: insecure });
      return;
    }
    if (!retrying) this.setState({ state: 'connecting' });
    // The listings go out with whoami, not after its answer: at 10,000 secrets they are most of a
    // start's wait, and whoami only decides whether to keep them (the vault refuses an agent
    // token's listing anyway). Nothing is applied before whoami has answered. The attempt has a
    // fetcher of its own, kept once its listings are in the store: the fetcher's ETags must name
    // what the store holds, and a failed attempt's listings never reach it.
    const fetcher = new ConditionalFetcher(this.transport, this.options.token!);
    const t0 = performance.now();
    // whoami first: the vault answers requests in the order they come, and whoami is the small one.
    const asked = this.api.whoami();
    asked.catch(() => undefined); // met when awaited below
    let listingsMs = 0;
    const listings = fetcher
      .poll()
      .finally(() => {
        listingsMs = Math.round(performance.now() - t0);
      });
    // Its failure is whoami's too, or is met when it is awaited below.
    listings.catch(() => undefined);
    try {
      const whoami = await asked;
      const t1 = performance.now();
      if (whoami.principal.type !== 'user') {
        throw new VaultApiError(403, {
          type: 'about:blank',
          title: 'Agent token',
          status: 403,
          code: 'forbidden',
          detail: 'This is an agent token; the editor needs a user API key (svu_…).',
        });
      }
      if (generation !== this.generation) return;
      await this.fetchAll('connected', whoami, { fetcher, listings });
      if (generation !== this.generation) return;
      this.backoff.reset();
      // The two requests' times, each from when both went out: where a slow start goes (the real-editor bench reads them).
      const whoamiMs = Math.round(t1 - t0);
      this.log(`Connected to ${this.options.url} as ${whoami.principal.name} (${whoami.principal.role}): whoami ${whoamiMs} ms, listings ${listingsMs} ms (${this.metadata.secrets.length} secrets).`);
      this.startStream(whoami);
    } catch (e) {
      if (generation !== this.generation) return;
      await this.fail(e, generation);
    }
  }

  /** Maps a failure to a state; unreachable (and server errors) retry with backoff, 401/403 wait for the user. */
  private async fail(e: unknown, generation: number): Promise<void> {
    const error = e instanceof VaultApiError ? e : undefined;
    const message = error ? error.message : e instanceof Error ? e.message : String(e);
    if (error?.status === 401) {
      this.setState({ state: 'unauthorized', message });
      return;
    }
    if (error?.status === 403) {
      this.setState({ state: 'forbidden', message });
      return;
    }
    const retryInMs = error?.retryAfter !== undefined ? error.retryAfter * 1000 : this.backoff.next();
    let reason: UnreachableReason;
    if (error?.status === 0) reason = classifyNetworkError(error.cause ?? error);
    else {
      // An answer that is not the vault's (a web page where JSON was due, an error status): the
      // health endpoint tells a vault in trouble from something else at the URL.
      const verdict = await this.health();
      if (generation !== this.generation) return;
      reason = verdict === 'vault' ? { kind: 'http', detail: message } : verdict;
    }
    this.unreachableFor(reason, generation, retryInMs, () => this.connect(generation, true));
  }

  /**
   * Both listings, with conditional requests: the first fetch of a connection gets the bodies and
   * their ETags, and the refetch the event stream asks for when it opens (`ready`) is answered 304
   * with no body when nothing changed in between, so a start-up transfers the listing once.
   */
  private async fetchAll(reason: ChangeReason, whoami?: WhoAmI, started?: { fetcher: ConditionalFetcher; listings: Promise<PollResult | undefined> }): Promise<void> {
    this.heldDuringRefresh = [];
    let changed = false;
    try {
      // The fetcher holds ETags only for listings it delivered into this store, so a 304 means the
      // store is current (events and local changes since then also moved the vault's ETag).
      const result = await (started ? started.listings : this.fetcherFor().poll());
      if (started) this.fetcher = started.fetcher;
      if (result) {
        this.metadata.replace(result.secrets ?? this.metadata.secrets, result.agents ?? this.metadata.agents, result.requests);
        changed = true;
      }
      for (const e of this.heldDuringRefresh) changed = this.metadata.apply(e.event) || changed;
      this.seeded = false;
      this.markCurrent();
    } finally {
      this.heldDuringRefresh = undefined;
    }
    if (whoami) this.setState({ state: 'connected', whoami, live: false });
    if (changed || reason === 'connected') this.changeEmitter.fire(reason);
  }

  private startStream(whoami: WhoAmI): void {
    const token = this.options.token!;
    const generation = this.generation;
    this.stream = new VaultEventStream(
      {
        url: this.options.url,
        token,
        ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
        ...(this.options.idleTimeoutMs ? { idleTimeoutMs: this.options.idleTimeoutMs } : {}),
      },
      {
        onSync: (kind, id) => {
          this.log(`Event stream ${kind === 'ready' ? 'ready' : 'reset by the vault'} at event ${id}; refetching.`);
          this.background(this.refresh());
        },
        onEvent: (envelope) => {
          this.heldDuringRefresh?.push(envelope);
          this.markCurrent();
          if (this.metadata.apply(envelope.event)) this.changeEmitter.fire('event');
        },
        onStatus: (status) => {
          if (generation === this.generation) this.streamStatus(status, whoami);
        },
        onWarning: (m) => this.log(m),
      },
    );
    this.stream.start();
  }

  private streamStatus(status: StreamStatus, whoami: WhoAmI): void {
    switch (status.state) {
      case 'open':
        this.streamFailures = 0;
        this.setState({ state: 'connected', whoami, live: true });
        return;
      case 'retrying':
        this.log(`Event stream dropped (${status.reason}); reconnecting in ${status.delayMs} ms.`);
        // One drop is routine (a vault restart): stay connected but not live. A failed reconnect
        // means the vault is gone: say so until the stream is back.
        this.setState(
          ++this.streamFailures === 1
            ? { state: 'connected', whoami, live: false }
            : this.streamUnreachable(status),
        );
        return;
      case 'rejected':
        this.generation++;
        this.stream = undefined; // it stopped itself
        this.setState(
          status.status === 401
            ? { state: 'unauthorized', message: 'The vault no longer accepts this API key.' }
            : { state: 'forbidden', message: 'This key may not read the event stream.' },
        );
        return;
      case 'unavailable':
        this.stream = undefined; // it stopped itself
        this.log(`The vault has no event stream (HTTP ${status.status}); polling every ${this.pollInterval / 1000} s.`);
        this.setState({ state: 'connected', whoami, live: false });
        this.startPolling();
        return;
      case 'connecting':
      case 'stopped':
        return;
    }
  }

  private streamUnreachable(status: { reason: string; delayMs: number; error?: unknown }): ConnectionState {
    const reason: UnreachableReason = status.error !== undefined ? classifyNetworkError(status.error) : { kind: 'http', detail: status.reason };
    return { state: 'unreachable', message: unreachableText(this.options.url, reason), retryInMs: status.delayMs, reason };
  }

  private get pollInterval(): number {
    return this.options.pollIntervalMs ?? 30_000;
  }

  private fetcherFor(): ConditionalFetcher {
    return (this.fetcher ??= new ConditionalFetcher(this.transport, this.options.token!));
  }

  private startPolling(): void {
    const fetcher = this.fetcherFor();
    const generation = this.generation;
    let polling = false;
    const tick = async () => {
      // A poll slower than the interval is not joined by another.
      if (polling) return;
      polling = true;
      try {
        const result = await fetcher.poll();
        if (generation !== this.generation) return;
        this.markCurrent();
        if (!result) return;
        this.metadata.replace(result.secrets ?? this.metadata.secrets, result.agents ?? this.metadata.agents, result.requests);
        this.changeEmitter.fire('refresh');
      } catch (e) {
        if (generation === this.generation) this.log(`Polling the vault failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        polling = false;
      }
    };
    this.background(tick());
    this.pollTimer = setInterval(() => this.background(tick()), this.pollInterval);
  }

  /** Applies a secret returned by a call the extension made, without waiting for its event. */
  applyLocal(secret: Parameters<MetadataStore['upsert']>[0]): void {
    if (this.metadata.upsert(secret)) this.changeEmitter.fire('local');
  }

  /** Applies an access request returned by a call the extension made (created, approved, denied). */
  applyLocalRequest(request: AccessRequest): void {
    if (this.metadata.upsertRequest(request)) this.changeEmitter.fire('local');
  }

  /** Applies an agent the extension created, without waiting for its event. */
  applyLocalAgent(agent: Agent): void {
    if (this.metadata.apply({ type: 'agent.created', agent })) this.changeEmitter.fire('local');
  }

  removeLocal(name: string): void {
    if (this.metadata.apply({ type: 'secret.deleted', name })) this.changeEmitter.fire('local');
  }

  private background(p: Promise<unknown>): void {
    p.catch((e: unknown) => {
      if (this.current.state !== 'disposed') this.log(`Refreshing failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}
