// The extension's one context object (rust-analyzer's Ctx): it owns the language client, the log
// channel, the status item and the views, with two disposal lists: one for the extension's lifetime
// and one for the language client's. The concerns live beside it: folders and agent resolution
// (folders.ts), LSP sync (lspSync.ts), context keys (contextKeys.ts), connection notices
// (notices.ts), the offline copy of the metadata (offline.ts), the ADK projects of the workspace
// (projects.ts, projectNotices.ts). Commands reach everything through it.
//
// What runs when: metadata changes rebuild the views' models and sync the server; a usage report
// redraws only the items whose counts changed; switching editors does something only when the
// effective agent (or project) changed.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DEFAULT_VAULT_URL, WORKSPACE_CONFIG_FILE, type SecretMetadata } from '../../protocol/api';
import { AgentNeedsRequest, UsageCountsNotification } from '../../protocol/lsp';
import { setDateLocale } from '../../protocol/dates';
import { config } from './config';
import { safeText } from '../../protocol/safeText';
import { agentLabel, displayName } from './core/agentLabels';
import { resolveToken, type TokenSource } from './core/connectionConfig';
import type { Disposable as CoreDisposable } from './core/emitter';
import { formatSince } from './core/offlineCache';
import { isMissingAgent, MissingAgentPrompts, projectLabel, type ProjectEntry, type Resolution } from './core/projects';
import type { SnapshotInput } from './core/snapshot';
import { applyCounts, nextMarkChange, type TreeInput } from './core/treeModel';
import type { RequestsInput } from './core/requestsModel';
import { ACCESS_REQUESTS_VIEW, AccessRequestsProvider } from './accessRequestsView';
import { ACCESS_REVIEW_VIEW, AccessReviewProvider, type ReviewSource } from './accessReviewView';
import { ContextKeys } from './contextKeys';
import { EnvironmentItem } from './environmentItem';
import { Credentials } from './credentials';
import { Folders } from './folders';
import { TraceChannel } from './traceChannel';
import { AgentReadsCache, readsOf, type KnownReads } from './core/lastReads';
import type { LspSync } from './lspSync';
import { ConnectionNotices, NotConnectedError } from './notices';
import { isDemoUrl, unreachableText } from './core/reachability';
import { OfflineStore } from './offline';
import { askAboutMissingAgent, askAboutRepository, missingAgentItem } from './projectNotices';
import { ProjectDiscovery } from './projects';
import { AgentRuns } from './runs/agentRuns';
import { SecretsTreeProvider, VIEW_IDS } from './secretsView';
import { StatusItem } from './statusItem';
import { stepsShown } from './core/walkthrough';
import { Walkthrough } from './walkthrough';
import { VaultConnection, type ConnectionState, type SeedMetadata } from './vault/connection';
import { SecretPanels, type PanelSession } from './webviews/secretPanels';


/** At most this long, the language server's start waits for the vault's listings to be asked for. */
const LISTINGS_FIRST_MS = 1_000;

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly credentials: Credentials;
  readonly views: { granted: SecretsTreeProvider; all: SecretsTreeProvider };
  readonly treeViews: { granted: vscode.TreeView<unknown>; all: vscode.TreeView<unknown> };
  /** The Access Requests view: admins decide, developers see theirs. */
  readonly requests: AccessRequestsProvider;
  private readonly requestsView: vscode.TreeView<unknown>;
  /** The Access review view: each agent's grants against what its code reads. */
  readonly review: AccessReviewProvider;
  /** What the review was last scheduled for; the workspace's reads schedule it too (usage counts). */
  private reviewFrom = '';
  readonly panels: SecretPanels;
  readonly folders: Folders;
  /** The workspace's ADK projects (folders with project.yaml), kept current. */
  readonly projects: ProjectDiscovery;
  /** The projects whose missing agent was asked about in this window: never twice. */
  private readonly missingPrompts = new MissingAgentPrompts();
  /** Runs, debug sessions and terminals as an agent, and the run tokens they hold. */
  readonly runs: AgentRuns;
  private readonly status: StatusItem;
  /** The environment the diagnostics follow, beside the status item; a click chooses another. */
  private readonly environmentItem: EnvironmentItem;
  private readonly contextKeys: ContextKeys;
  /** The walkthrough's steps, marked as the user does them. */
  readonly walkthrough: Walkthrough;
  private readonly notices: ConnectionNotices;
  private readonly offline: OfflineStore;
  private readonly traceChannel: TraceChannel;
  /** Extension lifetime. */
  private readonly extDisposables: vscode.Disposable[] = [];
  /** Language client lifetime. */
  private clientDisposables: vscode.Disposable[] = [];
  private connectionDisposables: CoreDisposable[] = [];
  private conn: VaultConnection | undefined;
  private token: string | undefined;
  private client: LanguageClient | undefined;
  private lspSync: LspSync | undefined;
  private reconnecting: Promise<void> = Promise.resolve();
  private disposed = false;
  /** The key Sign In stored for `url`, to tell our own writes from another window's. */
  private storedKey: string | undefined;
  /** The secretsVault.allowInsecureHttp value the connection was made with: a change reconnects. */
  private allowInsecureHttp = false;
  /** What the views were last built from; equal means a rebuild would change nothing. */
  private viewsBuiltFrom = '';
  /** The agent (and its text) the views were last built or redrawn for. */
  private viewsAgentFrom = '';
  private requestsBuiltFrom = '';
  /** Bumped when a secret's lifecycle mark changes by time alone (expires, becomes due): the views rebuild. */
  private markEpoch = 0;
  private markTimer: NodeJS.Timeout | undefined;
  /** The moment the mark timer is set for, and the metadata it was computed from. */
  private markTimerFor: { at: number | null; version: number | undefined } | undefined;
  private agent: string | null = null;
  /** The project the views showed last (its root), with the agent: an editor switch renders only when either changes. */
  private shownProject: string | null = null;
  /** The connection failed since it was last connected: connecting again is a retry while offline. */
  private failedSinceConnected = false;
  url = DEFAULT_VAULT_URL;
  tokenSource: TokenSource = 'none';
  /** Secret name → references in the workspace, from the language server. */
  readonly usage = new Map<string, number>();
  filter: string | undefined;
  /** The followed agents' last reads (tooltips, hovers), fetched per metadata version. */
  private readonly lastReads = new AgentReadsCache(
    (agent) => this.requireConnected().api.agentReads(agent),
    () => this.render(),
    (e) => this.log.warn(`Could not read the agents' last reads: ${e instanceof Error ? e.message : String(e)}`),
  );

  constructor(
    readonly extension: vscode.ExtensionContext,
    private readonly activatedAt: number,
  ) {
    // Dates in the trees, tooltips and forms follow VS Code's display language (protocol/dates.ts).
    setDateLocale(vscode.env.language);
    this.log = this.own(vscode.window.createOutputChannel('Secrets Vault', { log: true }));
    this.traceChannel = this.own(new TraceChannel(this.log));
    this.credentials = new Credentials(extension.secrets);
    this.status = this.own(new StatusItem());
    this.environmentItem = this.own(new EnvironmentItem());
    this.contextKeys = new ContextKeys((m) => this.log.error(m));
    this.walkthrough = this.own(new Walkthrough(extension.extension.id, (key, value) => this.contextKeys.setKey(key, value), this.log));
    this.notices = this.own(new ConnectionNotices(this.log, (what, p) => this.background(what, p)));
    this.offline = new OfflineStore(extension.globalStorageUri.fsPath, this.log);
    this.folders = new Folders((m) => this.log.warn(m), extension.workspaceState);
    this.projects = this.own(new ProjectDiscovery(this.log));
    // A secret's kept versions (metadata only), listed when its Versions item is expanded.
    const loadVersions = (name: string) => this.requireConnected().api.listSecretVersions(name);
    const versionsFailed = (message: string) => {
      this.log.warn(message);
      void vscode.window.showWarningMessage(message);
    };
    this.views = {
      granted: this.own(new SecretsTreeProvider('granted', loadVersions, versionsFailed)),
      all: this.own(new SecretsTreeProvider('all', loadVersions, versionsFailed)),
    };
    this.treeViews = {
      granted: this.own(vscode.window.createTreeView(VIEW_IDS.granted, { treeDataProvider: this.views.granted, showCollapseAll: true })),
      all: this.own(vscode.window.createTreeView(VIEW_IDS.all, { treeDataProvider: this.views.all, showCollapseAll: true })),
    };
    // Read by the bench's opening timeline: when the editor first got secrets to show.
    this.views.granted.onFirstListed = (count) => this.log.info(`Activation: the Secrets view listed ${count} secrets ${Math.round(performance.now() - activatedAt)} ms after activate.`);
    // A view's model is built while it shows: a developer's hidden All Secrets, or a sidebar not
    // open, costs nothing at start; showing it builds it, and the welcome content follows.
    for (const kind of ['granted', 'all'] as const) {
      this.views[kind].setVisible(this.treeViews[kind].visible);
      this.own(
        this.treeViews[kind].onDidChangeVisibility((e) => {
          this.views[kind].setVisible(e.visible);
          if (e.visible) this.render();
        }),
      );
    }
    this.requests = this.own(new AccessRequestsProvider());
    this.requestsView = this.own(vscode.window.createTreeView(ACCESS_REQUESTS_VIEW, { treeDataProvider: this.requests }));
    this.review = this.own(new AccessReviewProvider(this.reviewSource()));
    const reviewView = this.own(vscode.window.createTreeView(ACCESS_REVIEW_VIEW, { treeDataProvider: this.review, showCollapseAll: true }));
    this.own(reviewView.onDidChangeVisibility((e) => this.review.setVisible(e.visible)));
    this.own(this.review.onDidChangeTreeData(() => this.contextKeys.setKey('secretsVault.reviewEmpty', this.review.empty ?? '')));
    this.review.setVisible(reviewView.visible);
    // Usage counts cover the vault's names; a saved file may add or drop an unknown name or an unresolved read.
    this.own(vscode.workspace.onDidSaveTextDocument(() => this.review.schedule()));
    this.panels = this.own(
      new SecretPanels(extension.extensionUri, {
        session: () => this.session(),
        onDidChange: (secret, form) => this.saved(secret, form),
        log: (line) => this.log.info(line),
      }),
    );
    this.runs = this.own(new AgentRuns(this));
    this.own(this.runs.onDidStart(() => this.walkthrough.done('run')));
  }

  /** Registers a disposable for the extension's lifetime. */
  own<T extends vscode.Disposable>(d: T): T {
    this.extDisposables.push(d);
    return d;
  }

  get connection(): VaultConnection | undefined {
    return this.conn;
  }

  get state(): ConnectionState {
    return this.conn?.state ?? { state: 'signed-out' };
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  /** The agent of the active editor's file: its ADK project's, or its folder's (or the project picked). */
  get currentAgent(): string | null {
    return this.folders.currentAgent();
  }

  /** The agent and the project (if any) the views follow. */
  get current(): Resolution {
    return this.folders.current();
  }

  currentFolder(): vscode.WorkspaceFolder | undefined {
    return this.folders.currentFolder();
  }

  async start(): Promise<void> {
    this.own(vscode.workspace.onDidChangeConfiguration((e) => config.affects(e) && this.background('applying settings', this.reload())));
    this.own(vscode.workspace.onDidChangeWorkspaceFolders(() => this.background('reading folders', this.reload())));
    const watcher = this.own(vscode.workspace.createFileSystemWatcher(`**/${WORKSPACE_CONFIG_FILE}`));
    const onFile = () => this.background(`reading ${WORKSPACE_CONFIG_FILE}`, this.reload());
    this.own(watcher.onDidCreate(onFile));
    this.own(watcher.onDidChange(onFile));
    this.own(watcher.onDidDelete(onFile));
    // Switching editors matters only when it changes the effective agent or project (another folder's or project's).
    this.own(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        this.folders.editorChanged(editor);
        const now = this.current;
        if (now.agent !== this.agent || (now.project?.rootUri ?? null) !== this.shownProject) this.render();
      }),
    );
    this.own(
      this.projects.onDidChange(() => {
        this.folders.setProjects(this.projects.found);
        this.render();
      }),
    );
    this.own(vscode.workspace.onDidGrantWorkspaceTrust(() => this.background('applying trust', this.reload())));
    this.own(this.credentials.onDidChange((url) => url === this.url && this.background('reconnecting', this.reconnectIfKeyChanged())));

    await this.folders.resolve();
    this.folders.editorChanged(vscode.window.activeTextEditor);
    // Not awaited: a large repository's search must not hold up activation; the list, once known,
    // reaches the views and the server like any other change.
    this.background('finding projects', this.projects.start());
    const connecting = this.reconnect();
    this.background('connecting', connecting);
    // The vault's listings go out before the language server is spawned and initialized on this
    // thread (they are most of the wait for the views and the diagnostics, and the server needs
    // them too); bounded, since the stored key comes from the window's secret storage first.
    await Promise.race([connecting.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, LISTINGS_FIRST_MS))]);
    await this.startClient();
  }

  /** Settings, folders or secrets-vault.json changed: reconnect if the vault changed, else redraw. */
  async reload(): Promise<void> {
    const before = this.url;
    await this.folders.resolve();
    if (this.folders.vaultUrl() !== before || config.allowInsecureHttp !== this.allowInsecureHttp) await this.reconnect();
    else this.render();
  }

  // ---- the vault connection ----

  /** Another window signed in or out (SecretStorage is shared): follow it, once. */
  private async reconnectIfKeyChanged(): Promise<void> {
    if ((await this.credentials.get(this.url)) !== this.storedKey) await this.reconnect();
  }

  /** Replaces the connection (URL or key changed). Serialised: two at once would leak one. */
  reconnect(): Promise<void> {
    const next = this.reconnecting.then(() => this.replaceConnection());
    this.reconnecting = next.catch(() => undefined);
    return next;
  }

  private async replaceConnection(): Promise<void> {
    const old = this.conn;
    this.conn = undefined;
    for (const d of this.connectionDisposables.splice(0)) d.dispose();
    await this.offline.flush();
    await old?.dispose();
    // After its disposal, which marks live metadata current until now.
    const carried = carriedMetadata(old);
    if (this.disposed) return;
    this.url = this.folders.vaultUrl();
    const stored = await this.credentials.get(this.url);
    this.storedKey = stored;
    const { token, source } = resolveToken(this.url, stored, { SECRETS_VAULT_URL: process.env.SECRETS_VAULT_URL, SECRETS_VAULT_TOKEN: process.env.SECRETS_VAULT_TOKEN });
    this.tokenSource = source;
    this.token = token;
    if (source === 'environment') this.log.info('Using SECRETS_VAULT_TOKEN from the environment.');
    this.notices.reset();
    this.failedSinceConnected = false;
    const allowInsecureHttp = config.allowInsecureHttp;
    this.allowInsecureHttp = allowInsecureHttp;
    const conn = new VaultConnection({ url: this.url, token, allowInsecureHttp, log: (m) => this.log.info(m) });
    this.conn = conn;
    this.lastReads.clear();
    // The URL changed and nothing (or no vault) answers at the new one: what the editor showed until
    // now stays, marked stale, rather than vanishing as if signed out; a vault answering drops it.
    const carry = carried && carried.url !== this.url ? carried.data : undefined;
    this.connectionDisposables.push(
      conn.onDidChangeState((s) => {
        if (s.state === 'unreachable' && carry && !conn.hasMetadata) conn.seed(carry);
        this.notices.onState(s, this.url, this.tokenSource);
        // Leaving the connected state moves the metadata's "known current" time: keep it.
        if (token) this.offline.schedule(conn, token);
        this.render();
      }),
      conn.onDidChangeMetadata((reason) => {
        if (token && reason !== 'cache') this.offline.schedule(conn, token);
        this.render();
      }),
    );
    this.log.info(`Vault: ${this.url}${token ? '' : ' (signed out)'}`);
    this.render();
    // Not awaited: an unreachable vault must not hold up the next reconnect or activation.
    this.background('connecting', conn.start());
    // The last known metadata, for as long as the vault's listing has not arrived.
    if (token) this.background('reading the offline metadata', this.offline.seed(conn, token));
  }

  /** Sign In's check: the vault rejected the key (the connection's notification, notices.ts). */
  keyRejected(url: string): void {
    this.notices.rejectedKey(url);
  }

  /** A command needs the vault (the connection's notification, notices.ts). */
  notConnected(message: string): void {
    this.notices.notConnected(message);
  }

  /** Signing out forgets the offline copy of what the key could see. */
  async forgetOffline(): Promise<void> {
    if (this.token) await this.offline.forget(this.url, this.token);
  }

  /** The connected connection, or an error a person can act on. */
  requireConnected(): VaultConnection {
    const conn = this.conn;
    if (!conn || conn.state.state !== 'connected') {
      const state = this.state;
      throw new NotConnectedError(
        state.state === 'signed-out' ? 'Sign in to the vault first.' : state.state === 'unreachable' ? state.message : `Not connected to the vault at ${this.url}.`,
      );
    }
    return conn;
  }

  private async session(): Promise<PanelSession> {
    const conn = this.requireConnected();
    return { api: conn.api, namingStyle: conn.namingStyle, currentAgent: this.currentAgent };
  }

  /** A form saved a secret: show it at once, say so, and reveal it in the tree. */
  private saved(secret: SecretMetadata, form: 'create' | 'edit' | 'access'): void {
    this.conn?.applyLocal(secret);
    if (form !== 'edit') this.walkthrough.done('fix');
    const text =
      form === 'create'
        ? `Created the secret '${secret.name}'.`
        : form === 'access'
          ? `Access to '${secret.name}': ${secret.agents.length ? secret.agents.join(', ') : 'no agent'}.`
          : `Saved the secret '${secret.name}'.`;
    void vscode.window.showInformationMessage(text);
    this.background('revealing the secret', this.reveal(secret.name));
  }

  /** Selects a secret in the Secrets view when it is there, else in All Secrets. */
  async reveal(name: string): Promise<void> {
    for (const kind of ['granted', 'all'] as const) {
      const node = this.views[kind].node(name);
      // Beyond the pages the view lists: list through it first.
      if (!node || !this.views[kind].showThrough(name)) continue;
      await this.treeViews[kind].reveal(node, { select: true, focus: false, expand: false });
      return;
    }
  }

  // ---- rendering: views, status, context keys, sync ----

  /** What the views show: the live metadata, or the last known while offline; nothing before either. */
  treeInput(): TreeInput | undefined {
    const conn = this.conn;
    if (!conn || !conn.hasMetadata || (conn.state.state !== 'connected' && !conn.stale)) return undefined;
    const current = this.current;
    return {
      secrets: conn.metadata.secrets,
      agents: conn.metadata.agents,
      agent: current.agent,
      agentText: current.project ? projectLabel(current.project.project) : undefined,
      // Admin actions need the vault: offline, the items offer none.
      role: conn.state.state === 'connected' ? conn.role : null,
      usage: this.usage,
      filter: this.filter,
      now: Date.now(),
      lastReads: readsOf(this.knownReads(), current.agent),
    };
  }

  /** Where the Access review gets the workspace's needs, the metadata and the last reads. */
  private reviewSource(): ReviewSource {
    return {
      needs: async () => {
        const client = this.client;
        if (!client?.isRunning()) return undefined;
        try {
          return await client.sendRequest(AgentNeedsRequest.type, {});
        } catch (e) {
          this.log.warn(`Could not ask what the workspace's agents read: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        }
      },
      input: () => {
        const conn = this.conn;
        if (!conn || !conn.hasMetadata || (conn.state.state !== 'connected' && !conn.stale)) return undefined;
        return {
          secrets: conn.metadata.secrets,
          agents: conn.metadata.agents,
          role: conn.state.state === 'connected' ? conn.role : null,
          current: this.current.agent,
          pendingAccess: conn.metadata.pendingAccess,
        };
      },
      version: () => this.conn?.metadata.version,
      // The same requests as the hovers' and tooltips' (one per agent and metadata version).
      lastReads: async (agent) => {
        const conn = this.conn;
        if (!conn || conn.state.state !== 'connected' || !conn.hasMetadata) return null;
        try {
          // Null: a vault without last reads (404), or an agent it does not know: the view says "not kept".
          return await this.lastReads.agentReads(agent, String(conn.metadata.version));
        } catch (e) {
          this.log.warn(`Could not read the last reads of ${agent}: ${e instanceof Error ? e.message : String(e)}`);
          return null;
        }
      },
      pathOf: (uri) => {
        const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
        const asUri = this.client ? this.client.protocol2CodeConverter.asUri(uri) : vscode.Uri.parse(uri);
        return vscode.workspace.asRelativePath(asUri, several);
      },
      log: (m) => this.log.warn(m),
    };
  }

  /**
   * The last reads of the agents the workspace's projects run as (and the current one), fetched
   * again when the vault's metadata changes; undefined while not connected (offline the views and
   * hovers say nothing of reads rather than something old).
   */
  private knownReads(): KnownReads | undefined {
    const conn = this.conn;
    if (!conn || conn.state.state !== 'connected' || !conn.hasMetadata || conn.fromCache) return undefined;
    const agents = [this.current.agent, ...this.folders.folderAgents().map((f) => f.agent)];
    return this.lastReads.get(agents, String(conn.metadata.version));
  }

  /** What the Access Requests view shows: the pending requests while connected; nothing offline. */
  requestsInput(): RequestsInput | undefined {
    const conn = this.conn;
    if (!conn || conn.state.state !== 'connected' || !conn.hasMetadata) return undefined;
    const principal = conn.whoami?.principal;
    return { requests: conn.metadata.requests, role: conn.role, me: principal?.type === 'user' ? principal.id : null, agents: conn.metadata.agents };
  }

  snapshotInput(): SnapshotInput {
    const conn = this.conn;
    return {
      state: this.state.state,
      namingStyle: conn?.namingStyle ?? 'snake_case',
      role: conn?.role ?? null,
      secrets: conn?.hasMetadata ? conn.metadata.secrets : [],
      agents: conn?.hasMetadata ? conn.metadata.agents : [],
      folders: this.folders.folderAgents(),
      defaultAgent: this.currentAgent,
      stale: conn?.stale ?? null,
      pendingAccess: conn?.hasMetadata ? conn.metadata.pendingAccess : [],
      environment: config.environment,
      reads: this.knownReads(),
    };
  }

  /** Brings views, status, context keys and the server up to date; each part does only what changed. */
  render(): void {
    if (this.disposed) return;
    const state = this.state;
    const current = this.current;
    this.agent = current.agent;
    this.shownProject = current.project?.rootUri ?? null;
    const input = this.treeInput();
    const from = input ? `${this.conn?.metadata.version}|${input.role}|${input.filter ?? ''}|${this.markEpoch}|${this.lastReads.generation}` : '';
    const agentFrom = input ? `${input.agent}|${input.agentText ?? ''}` : '';
    if (from !== this.viewsBuiltFrom || agentFrom !== this.viewsAgentFrom) {
      this.views.granted.update(input);
      // Moving to another project's file changes the agent only: All Secrets redraws what it grants.
      if (input && input.agent !== null && from === this.viewsBuiltFrom) this.views.all.changeAgent({ ...input, agent: input.agent });
      else this.views.all.update(input);
      this.viewsBuiltFrom = from;
      this.viewsAgentFrom = agentFrom;
    }
    this.scheduleMarks(input);
    const requests = this.requestsInput();
    const requestsFrom = requests ? `${this.conn?.metadata.version}|${requests.role}|${requests.me}` : '';
    if (requestsFrom !== this.requestsBuiltFrom) {
      this.requests.update(requests);
      this.requestsBuiltFrom = requestsFrom;
      const n = this.requests.nodes.length;
      this.requestsView.badge = n > 0 ? { value: n, tooltip: `${n} pending access request${n === 1 ? '' : 's'}` } : undefined;
    }
    const reviewFrom = `${this.conn?.hasMetadata ? this.conn.metadata.version : ''}|${state.state}|${this.conn?.role ?? ''}|${current.agent ?? ''}|${this.folders.projects.length}`;
    if (reviewFrom !== this.reviewFrom) {
      this.reviewFrom = reviewFrom;
      this.review.schedule();
    }
    const stale = this.conn?.stale ?? null;
    // The first attempt of a connection is not "offline" yet (the copy is only older); a retry is.
    if (state.state === 'unreachable') this.failedSinceConnected = true;
    else if (state.state === 'connected') this.failedSinceConnected = false;
    const offline = stale !== null && (state.state !== 'connecting' || this.failedSinceConnected);
    const staleText = stale ? `${offline ? 'offline · ' : ''}as of ${formatSince(stale.since)}` : undefined;
    const filterText = this.filter ? `filter: ${this.filter}` : undefined;
    // The agent beside its display name: `PROJECT-WEVYLLDV (Field Service Template)`;
    // an ADK project's as `Field Service Template (PROJECT-WEVYLLDV)`.
    const agentText = input?.agent ? (input.agentText ?? agentLabel(input.agent, input.agents)) : undefined;
    // Unreachable: the views name the URL and the reason, above the last known secrets (a message
    // would hide the welcome content, so an empty view says it there instead, by reason).
    const unreachable = state.state === 'unreachable' ? unreachableText(this.url, state.reason) : undefined;
    const urlText = unreachable && !input ? this.url : undefined;
    this.treeViews.granted.description = [agentText, staleText, filterText, urlText].filter(Boolean).join(' · ') || undefined;
    this.treeViews.all.description = [agentText ? `for ${agentText}` : undefined, staleText, filterText].filter(Boolean).join(' · ') || undefined;
    const message = input ? unreachable : undefined;
    if (this.treeViews.granted.message !== message) this.treeViews.granted.message = message;
    if (this.treeViews.all.message !== message) this.treeViews.all.message = message;
    const projectName = current.project?.project.name ?? null;
    const agentName =
      this.agent === null ? null : projectName !== null ? safeText(projectName) : this.conn?.hasMetadata ? (displayName(this.agent, this.conn.metadata.agents) ?? null) : null;
    this.renderMissingAgent(current.project);
    const projects = this.folders.projects.length;
    this.status.update({ state, url: this.url, agent: this.agent, agentName, tokenSource: this.tokenSource, stale, offline, fromCache: this.conn?.fromCache ?? false, projects: projects > 1 ? projects : undefined });
    this.environmentItem.update(config.environment);
    const loading = !this.conn?.hasMetadata && (state.state === 'connecting' || state.state === 'connected');
    this.contextKeys.set({
      'secretsVault.state': state.state,
      // The last known role, so that All Secrets stays visible offline (its actions need the vault).
      'secretsVault.isAdmin': (this.conn?.lastWhoami?.principal.type === 'user' && this.conn.lastWhoami.principal.role === 'admin') || false,
      'secretsVault.hasAgent': this.agent !== null,
      'secretsVault.signedIn': this.tokenSource !== 'none',
      'secretsVault.storedKey': this.tokenSource === 'stored',
      'secretsVault.filtered': this.filter !== undefined,
      'secretsVault.grantedEmpty': input ? (this.views.granted.emptyReason ?? '') : '',
      'secretsVault.allEmpty': input ? (this.views.all.emptyReason ?? '') : '',
      'secretsVault.loading': loading,
      'secretsVault.stale': stale !== null,
      'secretsVault.requestsEmpty': requests ? (this.requests.emptyReason ?? '') : '',
      'secretsVault.reviewEmpty': this.review.empty ?? '',
      'secretsVault.manyProjects': this.folders.projects.length > 1,
      'secretsVault.unreachable': state.state === 'unreachable' ? state.reason.kind : '',
      'secretsVault.demoUrl': isDemoUrl(this.url),
    });
    for (const step of stepsShown({ state: state.state, agent: this.agent })) this.walkthrough.done(step);
    this.lspSync?.schedule();
  }

  /**
   * The current project's agent is not in the vault (a live listing, not the offline copy): the
   * Secrets view offers the next step, and the first time in this window a notice asks.
   */
  private renderMissingAgent(project: ProjectEntry | null): void {
    const conn = this.conn;
    const known = conn?.state.state === 'connected' && conn.hasMetadata && !conn.fromCache;
    const missing = project && known && isMissingAgent(project.project.id, conn.metadata.agents) ? project : null;
    const role = conn?.role ?? null;
    this.views.granted.setNotice(missing && role ? missingAgentItem(missing, role) : undefined);
    // Several projects: one notice speaks of them all, once, and stands for each project's own.
    const projects = this.folders.projects;
    if (known && role && projects.length > 1 && this.missingPrompts.take(MissingAgentPrompts.WORKSPACE)) {
      const absent = projects.filter((p) => isMissingAgent(p.project.id, conn.metadata.agents) && this.missingPrompts.take(p.project.id));
      if (absent.length > 0) this.background('asking about the projects’ agents', askAboutRepository(this.log, projects, absent, role));
    }
    if (missing && role && this.missingPrompts.take(missing.project.id)) this.background('asking about the project’s agent', askAboutMissingAgent(this.log, missing, role, projects.length > 1));
  }

  /**
   * Marks (expired, expiring soon, rotation due) change with time alone: one timer for the next such
   * moment over every secret, set again when the metadata changes. setTimeout's longest delay is
   * about 24 days: a later moment is reached in steps (a step that finds nothing due rebuilds nothing
   * new but costs one model build, every few weeks).
   */
  private scheduleMarks(input: TreeInput | undefined): void {
    const version = input ? this.conn?.metadata.version : undefined;
    if (this.markTimerFor && this.markTimerFor.version === version) return;
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = undefined;
    const at = input ? nextMarkChange(input.secrets, Date.now()) : null;
    this.markTimerFor = { at, version };
    if (at === null) return;
    this.markTimer = setTimeout(() => {
      this.markTimer = undefined;
      this.markTimerFor = undefined;
      this.markEpoch++;
      this.render();
    }, Math.min(Math.max(at - Date.now(), 0), 2 ** 31 - 1));
  }

  /** A usage report from the server: only the items whose counts changed are redrawn. */
  private onCounts(report: { counts: Record<string, number>; full?: boolean }): void {
    // The workspace's reads changed: the review follows (debounced, and only while it shows).
    this.review.schedule();
    const changed = applyCounts(this.usage, { counts: report.counts, full: report.full ?? true });
    if (changed.length === 0) return;
    this.views.granted.updateUsage(changed, this.usage);
    this.views.all.updateUsage(changed, this.usage);
  }

  // ---- the language client ----

  private async startClient(): Promise<void> {
    // Loaded now, after the connection has started, not with the extension (languageClient.ts).
    const [{ createLanguageClient }, { LspSync }] = await Promise.all([import('./languageClient'), import('./lspSync')]);
    if (this.disposed) return;
    const client = createLanguageClient(this.extension, this.log, this.traceChannel);
    const sync = new LspSync(client, () => this.snapshotInput(), this.log, this.activatedAt, (what, p) => this.background(what, p));
    this.clientDisposables.push(
      sync,
      client.onNotification(UsageCountsNotification.type, (params) => this.onCounts(params)),
    );
    this.client = client;
    this.lspSync = sync;
    await client.start();
    sync.push();
  }

  /** Runs a promise we do not wait for, logging its failure instead of losing it. */
  background(what: string, p: Thenable<unknown>): void {
    Promise.resolve(p).catch((e: unknown) => this.log.error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.markTimer) clearTimeout(this.markTimer);
    // While the vault is still reachable through them: tokens of runs and terminals still open.
    await this.runs.revokeAll();
    for (const d of this.connectionDisposables.splice(0)) d.dispose();
    await this.offline.flush();
    const conn = this.conn;
    this.conn = undefined;
    const client = this.client;
    this.client = undefined;
    this.lspSync = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    await Promise.allSettled([conn?.dispose(), client?.dispose()]);
    // Live until now: the offline copy is current as of this moment.
    if (conn && this.token) {
      this.offline.schedule(conn, this.token);
      await this.offline.flush();
    }
    // Last, so that the steps above can still log.
    for (const d of this.extDisposables.splice(0).reverse()) d.dispose();
  }
}

/** What a connection showed (its metadata, from the vault or kept), to keep showing while its successor cannot reach a vault. */
function carriedMetadata(conn: VaultConnection | undefined): { url: string; data: SeedMetadata } | undefined {
  const whoami = conn?.lastWhoami;
  const savedAt = conn?.knownCurrentAt;
  if (!conn || !conn.hasMetadata || !whoami || !savedAt) return undefined;
  const m = conn.metadata;
  return { url: conn.url, data: { savedAt, whoami, secrets: m.secrets, agents: m.agents, pendingAccess: m.pendingAccess } };
}
