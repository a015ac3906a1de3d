// An LSP client for tests: spawns the bundled server over stdio and speaks to it with
// vscode-languageserver-protocol, answering the server's requests the way VS Code does and recording
// everything the server sends, so tests can assert what an editor receives.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { build } from 'esbuild';
import path from 'node:path';
import {
  CodeLensRefreshRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
  type WorkspaceFolder,
} from 'vscode-languageserver-protocol/node';
import { ResyncNotification, UsageCountsNotification, type ResyncParams, type ServerInitializationOptions, type UsageCountsParams } from '../../protocol/lsp';

const root = path.resolve(__dirname, '../..');

/**
 * Bundles server/src/server.ts exactly as scripts/build.mjs does, into `outfile`. Building only the
 * server keeps this test independent of other bundles that may be mid-edit.
 */
export async function buildServer(outfile: string): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: ['server/src/server.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
  });
}

/** What VS Code 1.100 announces, trimmed to what this server looks at. */
export function vscodeCapabilities(pull: boolean): ClientCapabilities {
  return {
    workspace: {
      applyEdit: true,
      configuration: true,
      workspaceFolders: true,
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
      ...(pull ? { diagnostics: { refreshSupport: true }, codeLens: { refreshSupport: true } } : {}),
    },
    textDocument: {
      synchronization: { dynamicRegistration: true, didSave: true, willSave: true },
      completion: {
        dynamicRegistration: true,
        contextSupport: true,
        completionItem: {
          snippetSupport: true,
          labelDetailsSupport: true,
          insertReplaceSupport: true,
          resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
          documentationFormat: ['markdown', 'plaintext'],
        },
        // An older client without itemDefaults takes the other path in the push run.
        ...(pull ? { completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] } } : {}),
      },
      hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
      codeAction: {
        dynamicRegistration: true,
        isPreferredSupport: true,
        dataSupport: true,
        codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } },
      },
      publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      ...(pull ? { diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false } } : {}),
    },
    window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } } },
    general: { positionEncodings: ['utf-16'] },
  };
}

type Event =
  | { type: 'diagnostics'; params: PublishDiagnosticsParams }
  | { type: 'counts'; params: UsageCountsParams }
  | { type: 'resync'; params: ResyncParams }
  | { type: 'refresh' }
  | { type: 'lensRefresh' }
  | { type: 'progress'; params: unknown }
  | { type: 'log'; params: LogMessageParams }
  | { type: 'register'; params: Registration }
  | { type: 'configuration'; params: unknown };

export class LspSession {
  readonly events: Event[] = [];
  private waiters: (() => void)[] = [];
  private stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    readonly conn: ProtocolConnection,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  static start(bundle: string, settings: Record<string, unknown>): LspSession {
    const proc = spawn(process.execPath, [bundle, '--stdio'], { cwd: root, stdio: 'pipe' });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const session = new LspSession(proc, conn);
    conn.onNotification(PublishDiagnosticsNotification.type, (params) => session.push({ type: 'diagnostics', params }));
    conn.onNotification(UsageCountsNotification.type, (params) => session.push({ type: 'counts', params }));
    conn.onNotification(ResyncNotification.type, (params) => session.push({ type: 'resync', params }));
    conn.onNotification(LogMessageNotification.type, (params) => session.push({ type: 'log', params }));
    conn.onNotification('$/progress', (params: unknown) => session.push({ type: 'progress', params }));
    conn.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    conn.onRequest(RegistrationRequest.type, (params) => {
      for (const r of params.registrations) session.push({ type: 'register', params: r });
    });
    conn.onRequest(DiagnosticRefreshRequest.type, () => {
      session.push({ type: 'refresh' });
    });
    conn.onRequest(CodeLensRefreshRequest.type, () => {
      session.push({ type: 'lensRefresh' });
    });
    conn.onRequest(ConfigurationRequest.type, (params) => {
      session.push({ type: 'configuration', params });
      return params.items.map((item) => (item.section ? (settings[item.section] ?? null) : null));
    });
    conn.listen();
    return session;
  }

  private push(event: Event): void {
    this.events.push(event);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /**
   * The first recorded event (from `from` on) that matches; waits for it when none has come yet.
   * The timeout only turns a hang into a readable failure; no assertion depends on timing.
   */
  async waitFor<T extends Event['type']>(
    type: T,
    match: (e: Extract<Event, { type: T }>) => boolean = () => true,
    from = 0,
    timeoutMs = 20_000,
  ): Promise<Extract<Event, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find((e): e is Extract<Event, { type: T }> => e.type === type && match(e as Extract<Event, { type: T }>));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} event matched; server stderr:\n${this.stderr}\nevents: ${JSON.stringify(this.events.slice(from)).slice(0, 4000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async initialize(folders: WorkspaceFolder[], pull: boolean, options: ServerInitializationOptions = {}, locale?: string): Promise<InitializeResult> {
    const result = await this.conn.sendRequest(InitializeRequest.type, {
      ...(locale !== undefined ? { locale } : {}),
      processId: process.pid,
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders,
      capabilities: vscodeCapabilities(pull),
      initializationOptions: options,
      clientInfo: { name: 'Visual Studio Code', version: '1.100.3' },
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** shutdown, then exit: resolves with the process's exit code. */
  async stop(): Promise<number | null> {
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.conn.dispose();
    return code;
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
