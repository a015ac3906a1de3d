// What the connected client can do, read once from its capabilities, so that the server declares
// and uses only what both sides support.

import type { ClientCapabilities } from 'vscode-languageserver/node';

export interface ClientFeatures {
  /** `textDocument/diagnostic`: the client pulls; otherwise we push `publishDiagnostics`. */
  pullDiagnostics: boolean;
  /** `workspace/diagnostic/refresh`: we can ask the client to pull again after a snapshot. */
  diagnosticRefresh: boolean;
  /** `workspace/codeLens/refresh`: we can ask the client for lenses again when the agent changes. */
  codeLensRefresh: boolean;
  /** `workspace/configuration`: we can read `files.exclude`. */
  configuration: boolean;
  /** Dynamic registration of `workspace/didChangeWatchedFiles`. */
  watchFiles: boolean;
  /** Dynamic registration of `workspace/didChangeConfiguration`. */
  watchConfiguration: boolean;
  workspaceFolders: boolean;
  /** `window/workDoneProgress/create`. */
  progress: boolean;
  /** `CompletionList.itemDefaults.editRange` (LSP 3.17). */
  completionEditRange: boolean;
  /** `CompletionList.itemDefaults.data` (LSP 3.17). */
  completionDataDefault: boolean;
}

export function readClientFeatures(c: ClientCapabilities): ClientFeatures {
  return {
    pullDiagnostics: c.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: c.workspace?.diagnostics?.refreshSupport === true,
    codeLensRefresh: c.workspace?.codeLens?.refreshSupport === true,
    configuration: c.workspace?.configuration === true,
    watchFiles: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    watchConfiguration: c.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    workspaceFolders: c.workspace?.workspaceFolders === true,
    progress: c.window?.workDoneProgress === true,
    completionEditRange: c.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange') === true,
    completionDataDefault: c.textDocument?.completion?.completionList?.itemDefaults?.includes('data') === true,
  };
}
