// The language client: options, and tracing that follows `secretsVault.trace.server` on its own.
// vscode-languageclient 10 traces only when its trace channel's log level is Trace, and reads the
// setting only to choose between messages and verbose ("off" becomes messages). So the client gets
// a trace channel that reports Trace while the setting is messages or verbose, and writes the
// traces into the Secrets Vault log at Info level, where they show without touching log levels.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { DiagnosticCollectionSource, LanguageClient, TransportKind, type DiagnosticCollectionProvider, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_V8_FLAGS, type ServerInitializationOptions } from '../../protocol/lsp';
import { config, SECTION } from './config';
import { BatchedDiagnosticCollection } from './core/diagnosticBatch';
import { redactTrace } from './core/traceText';
import { markAccepted } from './walkthrough';

export const LANGUAGES = ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact'] as const;

/** An ADK project's configuration file, whose secret names the server checks (see server/src/service/config/configRefs.ts). */
export const CONFIG_PATTERN = '**/agent_settings/experimental_config.json';
const CONFIG_LANGUAGES = ['json', 'jsonc'] as const;

/** The client id is the settings prefix: the client reads `<id>.trace.server`. */
export const CLIENT_ID = SECTION;

/** A LogOutputChannel over the extension's log whose level follows the trace setting. */
export class TraceChannel implements vscode.LogOutputChannel {
  private readonly levelEmitter = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.levelEmitter.event;
  private readonly listener: vscode.Disposable;
  private level: vscode.LogLevel;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.level = this.compute();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${CLIENT_ID}.trace.server`)) return;
      const level = this.compute();
      if (level === this.level) return;
      this.level = level;
      this.log.info(`Language server trace: ${config.traceServer}.`);
      this.levelEmitter.fire(level);
    });
  }

  private compute(): vscode.LogLevel {
    return config.traceServer === 'off' ? vscode.LogLevel.Info : vscode.LogLevel.Trace;
  }

  get name(): string {
    return this.log.name;
  }
  get logLevel(): vscode.LogLevel {
    return this.level;
  }
  trace(message: string, ...args: unknown[]): void {
    // Never a document's text: it may hold a credential pasted into the code (see core/traceText.ts).
    if (this.level === vscode.LogLevel.Trace) this.log.info(redactTrace(message), ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.log.debug(message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.log.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.log.warn(message, ...args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.log.error(error, ...args);
  }
  append(value: string): void {
    this.log.append(value);
  }
  appendLine(value: string): void {
    this.log.appendLine(value);
  }
  replace(value: string): void {
    this.log.replace(value);
  }
  clear(): void {
    this.log.clear();
  }
  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(a?: boolean | vscode.ViewColumn, b?: boolean): void {
    if (typeof a === 'boolean' || a === undefined) this.log.show(a);
    else this.log.show(a, b);
  }
  hide(): void {
    this.log.hide();
  }
  dispose(): void {
    // The log itself belongs to the context.
    this.listener.dispose();
    this.levelEmitter.dispose();
  }
}


/**
 * The pulled diagnostics' collection hands the editor a workspace report's files in one call per
 * batch instead of one message per file (core/diagnosticBatch.ts); pushed diagnostics, one
 * document at a time, go straight to VS Code's collection.
 */
const diagnosticCollections: DiagnosticCollectionProvider = {
  create(name, source) {
    const collection = vscode.languages.createDiagnosticCollection(name);
    if (source !== DiagnosticCollectionSource.pull) return collection;
    return new BatchedDiagnosticCollection<vscode.Uri, vscode.Diagnostic>(collection);
  },
  dispose(collection) {
    collection.dispose();
  },
};

export function createLanguageClient(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel, traceChannel: TraceChannel): LanguageClient {
  const module = extension.asAbsolutePath(path.join('dist', 'server', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_V8_FLAGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_V8_FLAGS, '--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: ServerInitializationOptions = { maxFileSize: config.maxFileSize, holdWorkspaceDiagnostics: true };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // An Agent Development Kit project's configuration names secrets too (VS Code may open it as
      // JSON or as JSON with comments); the server reads no other JSON file.
      ...CONFIG_LANGUAGES.map((language) => ({ scheme: 'file', language, pattern: CONFIG_PATTERN })),
    ],
    outputChannel: log,
    traceOutputChannel: traceChannel,
    initializationOptions,
    diagnosticCollectionProvider: diagnosticCollections,
    middleware: {
      // Accepting one of our names (typed, or Ctrl+Space) completes the walkthrough's step: the
      // items carry a command the editor runs on acceptance. Added here, not by the server, so the
      // lists cost no more bytes and other clients get no command of VS Code's.
      provideCompletionItem: async (document, position, context, token, next) => markAccepted(await next(document, position, context, token)),
    },
  };
  return new LanguageClient(CLIENT_ID, 'Secrets Vault Language Server', serverOptions, clientOptions);
}
