// The extension's one context object (rust-analyzer's Ctx): it owns the vault connection, the
// language client, the log channel, the status item and the views, with two disposal lists: one for
// the extension's lifetime and one for the language client's. Commands reach everything through it.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { DEFAULT_VAULT_URL, WORKSPACE_CONFIG_FILE } from '../../protocol/api';
import { SnapshotNotification, UsageCountsNotification, type FolderAgent, type ServerInitializationOptions } from '../../protocol/lsp';
import { config } from './config';
import { readWorkspaceConfig, resolveFolderConfig, resolveToken, type ResolvedFolderConfig, type TokenSource } from './core/connectionConfig';
import type { Disposable as CoreDisposable } from './core/emitter';
import { FailureNotices } from './core/failureNotice';
import { buildSnapshot } from './core/snapshot';
import type { TreeInput } from './core/treeModel';
import { Credentials } from './credentials';
import { SecretsTreeProvider, VIEW_IDS } from './secretsView';
import { StatusItem } from './statusItem';
import { VaultConnection, type ConnectionState } from './vault/connection';
import { SecretPanels, type PanelSession } from './webviews/secretPanels';

export const LANGUAGES = ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact'] as const;

interface FolderEntry {
  folder: vscode.WorkspaceFolder | undefined;
  resolved: ResolvedFolderConfig;
}

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly credentials: Credentials;
  readonly views: { granted: SecretsTreeProvider; all: SecretsTreeProvider };
  readonly treeViews: { granted: vscode.TreeView<unknown>; all: vscode.TreeView<unknown> };
  readonly panels: SecretPanels;
  private readonly status: StatusItem;
  /** Extension lifetime. */
  private readonly extDisposables: vscode.Disposable[] = [];
  /** Language client lifetime. */
  private clientDisposables: vscode.Disposable[] = [];
  private connectionDisposables: CoreDisposable[] = [];
  private conn: VaultConnection | undefined;
  private client: LanguageClient | undefined;
  private folders: FolderEntry[] = [];
  private loggedProblems = new Set<string>();
  private readonly notices = new FailureNotices();
  private snapshotTimer: NodeJS.Timeout | undefined;
  private firstSnapshotLogged = false;
  private connectedSnapshotLogged = false;
  private lastStateLine = '';
  private reconnecting: Promise<void> = Promise.resolve();
  private disposed = false;
  /** The key Sign In stored for `url`, to tell our own writes from another window's. */
  private storedKey: string | undefined;
  /** The secretsVault.allowInsecureHttp value the connection was made with: a change reconnects. */
  private allowInsecureHttp = false;
  url = DEFAULT_VAULT_URL;
  tokenSource: TokenSource = 'none';
  usage: Record<string, number> = {};
  filter: string | undefined;

  constructor(
    readonly extension: vscode.ExtensionContext,
    private readonly activatedAt: number,
  ) {
    this.log = this.own(vscode.window.createOutputChannel('Secrets Vault', { log: true }));
    this.credentials = new Credentials(extension.secrets);
    this.status = this.own(new StatusItem());
    this.views = { granted: this.own(new SecretsTreeProvider('granted')), all: this.own(new SecretsTreeProvider('all')) };
    this.treeViews = {
      granted: this.own(vscode.window.createTreeView(VIEW_IDS.granted, { treeDataProvider: this.views.granted, showCollapseAll: true })),
      all: this.own(vscode.window.createTreeView(VIEW_IDS.all, { treeDataProvider: this.views.all, showCollapseAll: true })),
    };
    this.panels = this.own(
      new SecretPanels(extension.extensionUri, {
        session: () => this.session(),
        onDidChange: (secret) => this.conn?.applyLocal(secret),
        log: (line) => this.log.info(line),
      }),
    );
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

  async start(): Promise<void> {
    this.own(vscode.workspace.onDidChangeConfiguration((e) => config.affects(e) && this.background('applying settings', this.reload())));
    this.own(vscode.workspace.onDidChangeWorkspaceFolders(() => this.background('reading folders', this.reload())));
    const watcher = this.own(vscode.workspace.createFileSystemWatcher(`**/${WORKSPACE_CONFIG_FILE}`));
    const onFile = () => this.background(`reading ${WORKSPACE_CONFIG_FILE}`, this.reload());
    this.own(watcher.onDidCreate(onFile));
    this.own(watcher.onDidChange(onFile));
    this.own(watcher.onDidDelete(onFile));
    this.own(vscode.window.onDidChangeActiveTextEditor(() => this.render()));
    this.own(vscode.workspace.onDidGrantWorkspaceTrust(() => this.background('applying trust', this.reload())));
    this.own(this.credentials.onDidChange((url) => url === this.url && this.background('reconnecting', this.reconnectIfKeyChanged())));

    await this.resolveFolders();
    this.background('connecting', this.reconnect());
    await this.startClient();
  }

  // ---- configuration ----

  private async resolveFolders(): Promise<void> {
    const env = { SECRETS_VAULT_URL: process.env.SECRETS_VAULT_URL, SECRETS_VAULT_TOKEN: process.env.SECRETS_VAULT_TOKEN };
    const list = vscode.workspace.workspaceFolders ?? [];
    const entries: FolderEntry[] = [];
    for (const folder of list.length ? list : [undefined]) {
      let file;
      if (folder?.uri.scheme === 'file') {
        const read = await readWorkspaceConfig(folder.uri.fsPath);
        if (read.problem) this.logOnce(read.problem);
        file = read.config;
        // Untrusted, a cloned folder must not choose where requests go; its agent choice is harmless.
        if (file?.vault !== undefined && !vscode.workspace.isTrusted) {
          this.logOnce(`Ignoring "vault" in ${WORKSPACE_CONFIG_FILE} of ${folder.name}: the workspace is not trusted.`);
          file = { ...file, vault: undefined };
        }
      }
      const resolved = resolveFolderConfig({ settings: config.folderSettings(folder), file, env: { SECRETS_VAULT_URL: env.SECRETS_VAULT_URL } });
      for (const p of resolved.problems) this.logOnce(p);
      entries.push({ folder, resolved });
    }
    this.folders = entries;
  }

  private logOnce(problem: string): void {
    if (this.loggedProblems.has(problem)) return;
    this.loggedProblems.add(problem);
    this.log.warn(problem);
  }

  /** Settings, folders or secrets-vault.json changed: reconnect if the vault changed, else redraw. */
  async reload(): Promise<void> {
    const before = this.url;
    await this.resolveFolders();
    if (this.vaultUrl() !== before || config.allowInsecureHttp !== this.allowInsecureHttp) await this.reconnect();
    else this.render();
  }

  /** One connection per window: the first folder that names a vault decides (the URL is window-scoped). */
  private vaultUrl(): string {
    const named = this.folders.find((f) => f.resolved.urlSource !== 'default');
    return (named ?? this.folders[0])?.resolved.url ?? DEFAULT_VAULT_URL;
  }

  currentFolder(): vscode.WorkspaceFolder | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
    return folder ?? vscode.workspace.workspaceFolders?.[0];
  }

  /** The agent of the active editor's folder (or the first folder). */
  get currentAgent(): string | null {
    const folder = this.currentFolder();
    const entry = this.folders.find((f) => f.folder?.uri.toString() === folder?.uri.toString()) ?? this.folders[0];
    return entry?.resolved.agent ?? null;
  }

  private folderAgents(): FolderAgent[] {
    return this.folders.filter((f) => f.folder).map((f) => ({ folderUri: f.folder!.uri.toString(), agent: f.resolved.agent }));
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
    await old?.dispose();
    if (this.disposed) return;
    this.url = this.vaultUrl();
    const stored = await this.credentials.get(this.url);
    this.storedKey = stored;
    const { token, source } = resolveToken(this.url, stored, { SECRETS_VAULT_URL: process.env.SECRETS_VAULT_URL, SECRETS_VAULT_TOKEN: process.env.SECRETS_VAULT_TOKEN });
    this.tokenSource = source;
    if (source === 'environment') this.log.info('Using SECRETS_VAULT_TOKEN from the environment.');
    this.notices.reset();
    const allowInsecureHttp = config.allowInsecureHttp;
    this.allowInsecureHttp = allowInsecureHttp;
    const conn = new VaultConnection({ url: this.url, token, allowInsecureHttp, log: (m) => this.log.info(m) });
    this.conn = conn;
    this.connectionDisposables.push(
      conn.onDidChangeState((s) => this.onState(s)),
      conn.onDidChangeMetadata(() => this.render()),
    );
    this.log.info(`Vault: ${this.url}${token ? '' : ' (signed out)'}`);
    this.render();
    // Not awaited: an unreachable vault must not hold up the next reconnect or activation.
    this.background('connecting', conn.start());
  }

  private onState(state: ConnectionState): void {
    if (state.state === 'disposed') return;
    const detail = 'message' in state ? ` (${state.message})` : state.state === 'connected' ? (state.live ? ' (live)' : ' (not live)') : '';
    // Each retry changes the wait, not the news: log a state once.
    const line = `Connection: ${state.state}${detail}`;
    if (line !== this.lastStateLine) this.log.info(line);
    this.lastStateLine = line;
    this.render();
    const failure = this.notices.next(state);
    if (failure) this.background('showing a notification', this.notifyFailure(failure, 'message' in state ? state.message : ''));
  }

  private async notifyFailure(kind: 'unreachable' | 'unauthorized' | 'forbidden', message: string): Promise<void> {
    const text =
      kind === 'unreachable'
        ? `Secrets Vault: cannot reach the vault at ${this.url}. Retrying in the background.`
        : kind === 'unauthorized'
          ? `Secrets Vault: the vault at ${this.url} did not accept the API key${this.tokenSource === 'environment' ? ' from SECRETS_VAULT_TOKEN' : ''}.`
          : `Secrets Vault: ${message}`;
    const actions = kind === 'unreachable' ? ['Retry', 'Open Settings', 'Show Log'] : ['Sign In', 'Open Settings', 'Show Log'];
    const show = kind === 'unreachable' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    const choice = await show(text, ...actions);
    if (choice === 'Retry') await vscode.commands.executeCommand('secretsVault.retry');
    else if (choice === 'Sign In') await vscode.commands.executeCommand('secretsVault.signIn');
    else if (choice === 'Open Settings') await vscode.commands.executeCommand('secretsVault.openSettings');
    else if (choice === 'Show Log') this.log.show();
  }

  /** The connected connection, or an error a person can act on. */
  requireConnected(): VaultConnection {
    const conn = this.conn;
    if (!conn || conn.state.state !== 'connected') {
      throw new Error(this.state.state === 'signed-out' ? 'Sign in to the vault first.' : `Not connected to the vault at ${this.url}.`);
    }
    return conn;
  }

  private async session(): Promise<PanelSession> {
    const conn = this.requireConnected();
    return { api: conn.api, namingStyle: conn.namingStyle, currentAgent: this.currentAgent };
  }

  // ---- rendering: views, status, context keys, snapshot ----

  treeInput(): TreeInput | undefined {
    const conn = this.conn;
    if (!conn || conn.state.state !== 'connected') return undefined;
    return {
      secrets: conn.metadata.secrets,
      agents: conn.metadata.agents,
      agent: this.currentAgent,
      role: conn.role,
      usage: this.usage,
      filter: this.filter,
    };
  }

  /** Everything the state feeds, at once: cheap enough for every event. */
  render(): void {
    if (this.disposed) return;
    const state = this.state;
    const input = this.treeInput();
    this.views.granted.update(input);
    this.views.all.update(input);
    const filterText = this.filter ? `filter: ${this.filter}` : undefined;
    this.treeViews.granted.description = filterText ?? (input?.agent ?? undefined);
    this.treeViews.all.description = filterText ?? (input?.agent ? `for ${input.agent}` : undefined);
    this.status.update({ state, url: this.url, agent: this.currentAgent, tokenSource: this.tokenSource });
    this.setContext('secretsVault.state', state.state);
    this.setContext('secretsVault.isAdmin', this.conn?.role === 'admin');
    this.setContext('secretsVault.hasAgent', this.currentAgent !== null);
    this.setContext('secretsVault.signedIn', this.tokenSource !== 'none');
    this.setContext('secretsVault.storedKey', this.tokenSource === 'stored');
    this.setContext('secretsVault.filtered', this.filter !== undefined);
    this.setContext('secretsVault.grantedEmpty', input ? (this.views.granted.emptyReason ?? '') : '');
    this.scheduleSnapshot();
  }

  private setContext(key: string, value: unknown): void {
    vscode.commands.executeCommand('setContext', key, value).then(undefined, (e: unknown) => this.log.error(`setContext ${key}: ${String(e)}`));
  }

  private scheduleSnapshot(): void {
    // Coalesces the bursts (a grant changes the state, then the event arrives) into one message.
    if (this.snapshotTimer) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      this.pushSnapshot();
    }, 0);
  }

  private pushSnapshot(): void {
    const client = this.client;
    if (!client?.isRunning()) return;
    const conn = this.conn;
    const snapshot = buildSnapshot({
      state: this.state.state,
      namingStyle: conn?.namingStyle ?? 'snake_case',
      role: conn?.role ?? null,
      secrets: conn?.metadata.secrets ?? [],
      agents: conn?.metadata.agents ?? [],
      folders: this.folderAgents(),
      defaultAgent: this.currentAgent,
    });
    this.background(
      'sending the snapshot',
      client.sendNotification(SnapshotNotification.type, snapshot).then(() => {
        // Read by the real-editor tests: activation to the first snapshot the server has, and to
        // the first one with the vault's metadata.
        const ms = Math.round(performance.now() - this.activatedAt);
        if (!this.firstSnapshotLogged) {
          this.firstSnapshotLogged = true;
          this.log.info(`Activation: first snapshot pushed ${ms} ms after activate (connection: ${snapshot.connection}).`);
        }
        if (!this.connectedSnapshotLogged && snapshot.connection === 'connected') {
          this.connectedSnapshotLogged = true;
          this.log.info(`Activation: first connected snapshot pushed ${ms} ms after activate (${snapshot.secrets.length} secrets).`);
        }
      }),
    );
  }

  // ---- the language client ----

  private async startClient(): Promise<void> {
    const module = this.extension.asAbsolutePath(path.join('dist', 'server', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const initializationOptions: ServerInitializationOptions = { maxFileSize: config.maxFileSize };
    const clientOptions: LanguageClientOptions = {
      documentSelector: LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      outputChannel: this.log,
      initializationOptions,
    };
    // The id makes the client read `secretsVault.trace.server` by itself.
    const client = new LanguageClient('secretsVault', 'Secrets Vault Language Server', serverOptions, clientOptions);
    this.clientDisposables.push(
      client.onNotification(UsageCountsNotification.type, (params) => {
        this.usage = params.counts;
        this.render();
      }),
      client.onDidChangeState(() => this.scheduleSnapshot()),
    );
    this.client = client;
    await client.start();
    this.pushSnapshot();
  }

  /** Runs a promise we do not wait for, logging its failure instead of losing it. */
  background(what: string, p: Thenable<unknown>): void {
    Promise.resolve(p).catch((e: unknown) => this.log.error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    for (const d of this.connectionDisposables.splice(0)) d.dispose();
    const conn = this.conn;
    this.conn = undefined;
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    await Promise.allSettled([conn?.dispose(), client?.dispose()]);
    // Last, so that the steps above can still log.
    for (const d of this.extDisposables.splice(0).reverse()) d.dispose();
  }
}
