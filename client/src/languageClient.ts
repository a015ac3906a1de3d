// The language client and its options (the trace channel it writes to is traceChannel.ts). ctx.ts
// loads this module when it starts the client, not with the extension: vscode-languageclient is a
// fifth of the bundle, evaluated while the vault's listing is on its way rather than before its
// request goes out.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { DiagnosticCollectionSource, LanguageClient, TransportKind, type DiagnosticCollectionProvider, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_V8_FLAGS, type ServerInitializationOptions } from '../../protocol/lsp';
import { config } from './config';
import { BatchedDiagnosticCollection } from './core/diagnosticBatch';
import { CLIENT_ID, type TraceChannel } from './traceChannel';
import { markAccepted } from './walkthrough';

export const LANGUAGES = ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact'] as const;

/** An ADK project's configuration file, whose secret names the server checks (see server/src/service/config/configRefs.ts). */
export const CONFIG_PATTERN = '**/agent_settings/experimental_config.json';
const CONFIG_LANGUAGES = ['json', 'jsonc'] as const;

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
