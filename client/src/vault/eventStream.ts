// The vault's change stream (GET /v1/events, Server-Sent Events) over undici, with reconnect and
// resume: every drop reconnects after a backoff and sends the last id seen as Last-Event-ID, so the
// vault replays exactly what was missed. Ids already seen are skipped, so a replay that overlaps
// never delivers an event twice. `reset` (history gone) and `ready` (fresh start) tell the owner to
// refetch. No vscode here: tested against a real vault.

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { EVENT_RESET, type VaultEventEnvelope } from '../../../protocol/api';
import { unreachable } from '../../../protocol/client';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { vaultDispatcher } from './transport';

export type StreamStatus =
  | { state: 'connecting' }
  | { state: 'open' }
  /** Dropped or failed; the next attempt is in `delayMs`. */
  | { state: 'retrying'; delayMs: number; reason: string; /** The network failure, when there was no response. */ error?: unknown }
  /** 401/403: retrying cannot help until the credentials change. */
  | { state: 'rejected'; status: number }
  /** The vault has no event stream (an older or proxied vault): the owner should poll instead. */
  | { state: 'unavailable'; status: number }
  | { state: 'stopped' };

export interface EventStreamHandlers {
  /** The stream (re)started without history: `ready` on a fresh connect, `reset` when resume failed. Refetch. */
  onSync(kind: 'ready' | 'reset', lastEventId: number): void;
  /** A change, in id order, each id once. */
  onEvent(envelope: VaultEventEnvelope): void;
  onStatus(status: StreamStatus): void;
  /** Diagnostics for the log; never holds a value (events carry metadata only). */
  onWarning?(message: string): void;
}

export interface EventStreamOptions {
  url: string;
  token: string;
  /** Resume after this id; without it the vault starts with `ready`. */
  lastEventId?: number;
  backoff?: BackoffOptions;
  /** No bytes (not even a heartbeat, every 15 s) for this long means the connection is dead. */
  idleTimeoutMs?: number;
}

const UNAVAILABLE = new Set([404, 405, 501]);

export class VaultEventStream {
  private last: number | undefined;
  private running = false;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  /** The server's `retry:` advice, a floor for the first reconnect after a clean drop. */
  private serverRetryMs = 0;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: EventStreamOptions,
    private readonly handlers: EventStreamHandlers,
  ) {
    this.last = options.lastEventId;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  }

  /** The id to resume from: the last event (or ready/reset point) seen. */
  get lastEventId(): number | undefined {
    return this.last;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.connect();
  }

  /** Stops for good; resolves when the connection is closed. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    await this.loop;
    this.handlers.onStatus({ state: 'stopped' });
  }

  /** Skips the wait of a pending retry (the user pressed Retry, or the network came back). */
  retryNow(): void {
    if (!this.running || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.loop = this.connect();
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.handlers.onStatus({ state: 'connecting' });
    const abort = new AbortController();
    this.abort = abort;
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      authorization: `Bearer ${this.options.token}`,
    };
    if (this.last !== undefined) headers['last-event-id'] = String(this.last);
    let reason: string;
    let error: unknown;
    try {
      const base = new URL(this.options.url.replace(/\/+$/, ''));
      // The token goes to the vault directly, never through undici's process-wide dispatcher.
      const res = await vaultDispatcher(this.options.url).request({
        origin: base.origin,
        path: `${base.pathname.replace(/\/+$/, '')}/v1/events`,
        method: 'GET',
        headers,
        signal: abort.signal,
        headersTimeout: 15_000,
        bodyTimeout: this.options.idleTimeoutMs ?? 45_000,
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        if (res.statusCode === 401 || res.statusCode === 403) {
          this.running = false;
          this.handlers.onStatus({ state: 'rejected', status: res.statusCode });
          return;
        }
        if (UNAVAILABLE.has(res.statusCode)) {
          this.running = false;
          this.handlers.onStatus({ state: 'unavailable', status: res.statusCode });
          return;
        }
        reason = `HTTP ${res.statusCode}`;
      } else {
        this.handlers.onStatus({ state: 'open' });
        await this.read(res.body);
        reason = 'the vault closed the stream';
      }
    } catch (e) {
      if (!this.running) return;
      reason = unreachable(this.options.url, e).problem.detail ?? 'connection failed';
      error = e;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
    if (!this.running) return;
    const delayMs = Math.max(this.backoff.next(), this.backoff.attempts === 1 ? this.serverRetryMs : 0);
    this.handlers.onStatus({ state: 'retrying', delayMs, reason, ...(error !== undefined ? { error } : {}) });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.loop = this.connect();
    }, delayMs);
  }

  private async read(body: AsyncIterable<Buffer | string>): Promise<void> {
    const parser = createParser({
      onEvent: (message) => this.dispatch(message),
      onRetry: (ms) => {
        this.serverRetryMs = ms;
      },
      onComment: () => {
        // A heartbeat: the connection is alive, so the next drop starts the backoff afresh.
        this.backoff.reset();
      },
      onError: (error) => this.handlers.onWarning?.(`Event stream: ${error.message}`),
    });
    const decoder = new TextDecoder();
    for await (const chunk of body) {
      if (!this.running) break;
      parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    }
  }

  private dispatch(message: EventSourceMessage): void {
    if (!this.running) return;
    const id = message.id !== undefined && /^\d{1,15}$/.test(message.id) ? Number(message.id) : undefined;
    if (message.event === 'ready' || message.event === EVENT_RESET) {
      this.backoff.reset();
      if (id !== undefined) this.last = id;
      this.handlers.onSync(message.event === 'ready' ? 'ready' : 'reset', id ?? 0);
      return;
    }
    if (id === undefined) {
      this.handlers.onWarning?.(`Event stream: ignored a '${message.event ?? 'message'}' event without an id.`);
      return;
    }
    this.backoff.reset();
    // A replay can overlap what was already delivered: each id once, in order.
    if (this.last !== undefined && id <= this.last) return;
    let envelope: VaultEventEnvelope;
    try {
      envelope = JSON.parse(message.data) as VaultEventEnvelope;
    } catch {
      this.handlers.onWarning?.(`Event stream: event ${id} is not JSON; skipped.`);
      this.last = id;
      return;
    }
    if (typeof envelope !== 'object' || envelope === null || typeof envelope.event?.type !== 'string') {
      this.handlers.onWarning?.(`Event stream: event ${id} has no event type; skipped.`);
      this.last = id;
      return;
    }
    this.last = id;
    this.handlers.onEvent(envelope);
  }
}
