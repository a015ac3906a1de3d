// The language server: wiring only. LSP messages go to the Session (server/src/session.ts), which
// owns the documents, the language service and its model, the revision and the result ids; file
// I/O goes through the workspace index, and the vault's metadata arrives from the client as one
// snapshot and then deltas. The server never talks to the network and never sees a secret value.

import './nodeHmac';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type CancellationToken,
  type InitializeResult,
  type ResultProgressReporter,
  type WorkspaceDiagnosticReportPartialResult,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DeltaNotification,
  ResyncNotification,
  SnapshotNotification,
  UsageCountsNotification,
  UsagesRequest,
  SecretReadsRequest,
  AgentNeedsRequest,
  type ServerInitializationOptions,
} from '../../protocol/lsp';
import { CONFIG_FILE, SCANNED_EXTENSIONS } from './service/index';
import { setDateLocale } from '../../protocol/dates';
import { adkFunctionRoot, isProjectConfig } from './projectConfig';
import { readClientFeatures, type ClientFeatures } from './clientFeatures';
import { DEFAULT_EXCLUDE } from './fileFilter';
import { WorkspaceIndex } from './workspaceIndex';
import { ModuleImports } from './moduleImports';
import { pythonModuleNames } from './service/python/nameSets';
import { jsModuleNames } from './service/javascript/jsNameSets';
import { resultIdsByUri, Session, type SyncOutcome } from './session';
import type { ScanResult } from './service/analyze';
import { recordLspStats } from './lspStats';
import { completionWindow, HeldAnalyses, isLarge, shiftCompletionList } from './largeDocuments';
import { openDocuments, type OpenDocument } from './openDocument';

const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
/** Usage counts go out at most this often while the user types. */
const COUNTS_DELAY_MS = 300;

const connection = createConnection(ProposedFeatures.all);
recordLspStats();
// Each incremental change tells the session where the document's last edit now is: the empty
// name the user is typing there is not a problem yet (Session.edited). The documents are
// OpenDocuments: an edit does not copy a large document's whole text (server/src/openDocument.ts).
const documents = new TextDocuments<OpenDocument>({
  create: openDocuments.create,
  update: (doc, changes, version) => {
    const updated = openDocuments.update(doc, changes, version);
    const last = changes.at(-1);
    // Text before the last change's start is the same in the updated document, so its offset is too.
    const span = last && 'range' in last ? { start: updated.offsetAt(last.range.start), end: updated.offsetAt(last.range.start) + last.text.length } : null;
    session?.edited(updated.uri, version, span);
    return updated;
  },
});

let features: ClientFeatures;
let session: Session;
/** Very large documents being edited: analysed once their edits stop (server/src/largeDocuments.ts). */
const held = new HeldAnalyses((uri) => {
  const doc = documents.get(uri);
  if (doc && !features.pullDiagnostics) publish(doc);
  scheduleCounts();
  wakeWorkspaceReports(0);
});
let folders: WorkspaceFolder[] = [];
let index: WorkspaceIndex;
/** Index work runs one job at a time, so that a re-index and a file change never interleave. */
let indexQueue: Promise<void> = Promise.resolve();
/** Index jobs queued or running: counts wait for them rather than report a half-read workspace. */
let pendingJobs = 0;
let countsTimer: NodeJS.Timeout | undefined;
/** The client asked for held workspace diagnostic requests (ServerInitializationOptions). */
let holdWorkspace = false;
/** Held `workspace/diagnostic` requests waiting for a change; each resolves true when woken. */
const workspaceWaiters = new Set<(woken: boolean) => void>();
let workspaceWakeTimer: NodeJS.Timeout | undefined;
/** Counts wakeWorkspaceReports' calls: a held report that walked while one came looks again. */
let workspaceChanges = 0;
/** Files per page of a held workspace report sent as partial results. */
const WORKSPACE_PAGE = 500;
/** Quiet time after an open document's edit before a held report looks again (its tab's own pull usually comes first). */
const WORKSPACE_WAKE_DELAY_MS = 250;
/** One timer for the whole session: the next moment a secret expires, starts expiring soon or is due for rotation. */
let lifecycleTimer: NodeJS.Timeout | undefined;
/** setTimeout's longest delay; a later moment is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function log(message: string): void {
  connection.console.log(message);
}

/** Runs a promise we do not wait for, logging its failure instead of losing it. */
function background(what: string, p: Promise<unknown>): void {
  p.catch((e: unknown) => connection.console.error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`));
}

connection.onInitialize((params): InitializeResult => {
  features = readClientFeatures(params.capabilities);
  // Dates in hovers follow the editor's display language.
  setDateLocale(params.locale);
  const options = (params.initializationOptions ?? {}) as ServerInitializationOptions;
  const maxFileSize = typeof options.maxFileSize === 'number' && options.maxFileSize > 0 ? options.maxFileSize : DEFAULT_MAX_FILE_SIZE;
  holdWorkspace = options.holdWorkspaceDiagnostics === true;
  // Names a Python file imports from another module of its project: from the open document, else the disk.
  const imports = new ModuleImports({
    folders: () => folders.map((f) => f.uri),
    openDocument: (uri) => {
      const doc = documents.get(uri);
      return doc && { text: doc.getText(), version: doc.version };
    },
    maxFileSize,
    moduleNames: pythonModuleNames,
    jsModuleNames,
  });
  const analysisTimeoutMs = typeof options.analysisTimeoutMs === 'number' && options.analysisTimeoutMs > 0 ? options.analysisTimeoutMs : undefined;
  index = new WorkspaceIndex({
    maxFileSize,
    onError: (m) => connection.console.warn(m),
    imports: (uri, text) => imports.lookupFor(uri, text),
    // A file whose analysis was stopped: a warning in the log (the extension's output), not a diagnostic.
    ...(analysisTimeoutMs !== undefined ? { analysisTimeoutMs } : {}),
    onSkipped: (m) => connection.console.warn(m),
  });
  session = new Session(documents, index, { isProjectConfig, imports, held: (uri) => held.held(uri) });
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  const codeActionLiterals = params.capabilities.textDocument?.codeAction?.codeActionLiteralSupport !== undefined;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      // Quotes open a literal; `(` an argument (`get_secret(`, `.get(`), `[` a subscript, `.` `process.env.`.
      completionProvider: { triggerCharacters: ["'", '"', '[', '.', '('], resolveProvider: true },
      hoverProvider: true,
      referencesProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: codeActionLiterals ? { codeActionKinds: [CodeActionKind.QuickFix] } : true,
      ...(features.pullDiagnostics
        ? { diagnosticProvider: { identifier: 'secrets-vault', interFileDependencies: false, workspaceDiagnostics: true } }
        : {}),
      ...(features.workspaceFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
    },
    serverInfo: { name: 'secrets-vault-language-server' },
  };
});

connection.onInitialized(() => {
  if (features.watchFiles) {
    const extensions = SCANNED_EXTENSIONS.join(',');
    background(
      'registering file watchers',
      connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: `**/*.{${extensions}}` },
          // An ADK project's configuration names secrets too.
          { globPattern: `**/${CONFIG_FILE}` },
          // A deleted folder is one event for the folder: its files must leave the index too.
          { globPattern: '**/*', kind: WatchKind.Delete },
        ],
      }),
    );
  }
  if (features.watchConfiguration) {
    background('registering for settings', connection.client.register(DidChangeConfigurationNotification.type, { section: 'files' }));
  }
  if (features.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      folders = folders.filter((f) => !event.removed.some((r) => r.uri === f.uri)).concat(event.added);
      enqueue(async () => {
        for (const removed of event.removed) {
          index.removeFolder(removed.uri);
          excludesRead.delete(removed.uri);
        }
        await indexFolders(event.added);
      });
    });
  }
  enqueue(() => indexFolders(folders));
});

function enqueue(job: () => Promise<void>): void {
  pendingJobs++;
  indexQueue = indexQueue
    .then(job)
    .catch((e: unknown) => connection.console.error(`Indexing failed: ${e instanceof Error ? e.message : String(e)}`))
    .then(() => {
      pendingJobs--;
      indexChanged();
    });
}

async function excludeFor(folder: WorkspaceFolder): Promise<Record<string, unknown>> {
  if (!features.configuration) return DEFAULT_EXCLUDE;
  const value: unknown = await connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'files.exclude' });
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : DEFAULT_EXCLUDE;
}

/** The `files.exclude` each folder was last read with, to re-read only folders whose setting changed. */
const excludesRead = new Map<string, string>();

/** Reads folders afresh; with `onlyChanged`, only those whose `files.exclude` differs from last time. */
async function indexFolders(list: WorkspaceFolder[], onlyChanged = false): Promise<void> {
  const todo: [WorkspaceFolder, Record<string, unknown>][] = [];
  for (const folder of list) {
    const exclude = await excludeFor(folder);
    const key = JSON.stringify(exclude);
    if (onlyChanged && excludesRead.get(folder.uri) === key) continue;
    excludesRead.set(folder.uri, key);
    todo.push([folder, exclude]);
  }
  if (todo.length === 0) return;
  const progress = features.progress ? await connection.window.createWorkDoneProgress() : undefined;
  progress?.begin('Secrets Vault: indexing references', 0, undefined, false);
  try {
    for (const [folder, exclude] of todo) {
      if (!index.setFolder(folder.uri, exclude)) {
        log(`Not indexing ${folder.uri}: only local folders are read.`);
        continue;
      }
      await index.indexFolder(folder.uri, (done, total) => {
        // Every file is too chatty for a large workspace; every 50 and the last are enough.
        if (progress && (done % 50 === 0 || done === total)) progress.report(Math.round((done / total) * 100), `${done}/${total} files`);
      });
    }
    log(`Indexed ${index.size} files.`);
  } finally {
    progress?.done();
  }
}

/** After the index changed: fresh counts, and a fresh pull of workspace diagnostics. */
function indexChanged(): void {
  scheduleCounts();
  refreshDiagnostics();
}

connection.onDidChangeWatchedFiles((params) => {
  enqueue(async () => {
    for (const change of params.changes) {
      if (change.type === FileChangeType.Deleted) index.removeUnder(change.uri);
      else if (!documents.get(change.uri)) await index.update(change.uri);
    }
    modulesChanged(params.changes.map((c) => c.uri));
  });
});

/** The languages whose documents other documents import names from (ModuleImports). */
const MODULE_LANGUAGES = new Set(['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact']);

/** Modules changed: the documents that import names from them are checked again. */
function modulesChanged(uris: string[]): void {
  const outcome = session.modulesChanged(uris);
  if (outcome.affected === 0) return;
  if (features.pullDiagnostics) refreshDiagnostics();
  else for (const doc of outcome.openAffected) publish(doc);
  scheduleCounts();
}

connection.onDidChangeConfiguration(() => {
  // Some clients send this for any setting: re-read only folders whose files.exclude changed.
  enqueue(() => indexFolders(folders, true));
});

// ---- the vault's metadata: one snapshot, then deltas ----

connection.onNotification(SnapshotNotification.method, (params: unknown) => synced(session.receiveSnapshot(params)));
connection.onNotification(DeltaNotification.method, (params: unknown) => synced(session.receiveDelta(params)));

/** After a snapshot or delta: ask for a snapshot if it could not apply, re-check what it affected. */
function synced(outcome: SyncOutcome): void {
  if (outcome.problem !== undefined) connection.console.warn(outcome.problem);
  if (outcome.resync) background('asking for a snapshot', connection.sendNotification(ResyncNotification.type, outcome.resync));
  if (outcome.affected > 0 || outcome.refresh) {
    if (features.pullDiagnostics) refreshDiagnostics();
    else for (const doc of outcome.openAffected) publish(doc);
  }
  // The lenses name the document's agent, and env reads count only in environment-style accounts;
  // a secret's change leaves them as they were.
  if (outcome.lenses && features.codeLensRefresh) background('refreshing code lenses', connection.sendRequest(CodeLensRefreshRequest.type));
  // Secrets that came or went change which names have counts.
  if (outcome.refresh || outcome.affected > 0) scheduleCounts();
  // A secret's expiry or reminder may have come, gone or moved.
  scheduleLifecycle();
  if (outcome.refresh) prepareCompletions();
}

let completionsTimer: NodeJS.Timeout | undefined;
/**
 * The name lists of the open documents' agents, built in a quiet moment rather than by the first
 * `get_secret('` (at 10,000 secrets a list is tens of milliseconds, the first completion's whole
 * delay). Once built, a list follows the metadata in place.
 */
function prepareCompletions(): void {
  if (completionsTimer) return;
  completionsTimer = setTimeout(() => {
    completionsTimer = undefined;
    for (const doc of documents.all()) session.service.prepareCompletion(doc.uri);
  }, 0);
}

/**
 * Expiry and rotation reminders change diagnostics with time alone, not only with metadata: at the
 * next such moment, the documents that read the secrets concerned are re-checked as after a delta.
 * A timer that fires early (or a step of a long wait) finds nothing changed and sets the next one.
 */
function scheduleLifecycle(): void {
  if (lifecycleTimer) clearTimeout(lifecycleTimer);
  lifecycleTimer = undefined;
  const next = session.nextLifecycleChange();
  if (next === null) return;
  const delay = Math.min(Math.max(next - Date.now(), 0), MAX_TIMER_MS);
  lifecycleTimer = setTimeout(() => {
    lifecycleTimer = undefined;
    synced(session.lifecycleTick());
  }, delay);
}

// ---- documents ----

documents.onDidChangeContent((event) => {
  held.edited(event.document);
  // A large document being edited is published once quiet (HeldAnalyses' callback).
  if (!features.pullDiagnostics && !held.held(event.document.uri)) publish(event.document);
  // Opened or edited: what imports names from it follows its text.
  if (MODULE_LANGUAGES.has(event.document.languageId)) modulesChanged([event.document.uri]);
  scheduleCounts();
  wakeWorkspaceReports(WORKSPACE_WAKE_DELAY_MS);
});

documents.onDidOpen(() => prepareCompletions());

// Saved: an empty name held back while it was typed is reported now.
documents.onDidSave((event) => {
  if (!session.saved(event.document.uri)) return;
  if (features.pullDiagnostics) refreshDiagnostics();
  else publish(event.document);
});

documents.onDidClose((event) => {
  held.closed(event.document.uri);
  session.closed(event.document.uri);
  // Closed, maybe unsaved: what imports names from it follows the disk again.
  if (MODULE_LANGUAGES.has(event.document.languageId)) modulesChanged([event.document.uri]);
  wakeWorkspaceReports(WORKSPACE_WAKE_DELAY_MS);
  if (!features.pullDiagnostics) connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  // The editor may close without saving: the disk has the truth again.
  if (index.includes(event.document.uri)) enqueue(() => index.update(event.document.uri));
  else scheduleCounts();
});

function publish(doc: TextDocument): void {
  background('publishing diagnostics', connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: session.diagnostics(doc) }));
}

function refreshDiagnostics(): void {
  wakeWorkspaceReports(0);
  if (features.pullDiagnostics && features.diagnosticRefresh) background('refreshing diagnostics', connection.languages.diagnostics.refresh());
}

/** Something may have changed some document's diagnostics: held workspace reports look again (after `delay` ms of quiet). */
function wakeWorkspaceReports(delay: number): void {
  workspaceChanges++;
  // A large document being edited would be analysed by the report: it wakes them once quiet.
  if (workspaceWaiters.size === 0 || held.any) return;
  if (workspaceWakeTimer) clearTimeout(workspaceWakeTimer);
  workspaceWakeTimer = setTimeout(() => {
    workspaceWakeTimer = undefined;
    const woken = [...workspaceWaiters];
    workspaceWaiters.clear();
    for (const wake of woken) wake(true);
  }, delay);
}

/** Resolves true when something changes, false when the request is cancelled. */
function nextWorkspaceChange(token: CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    const cancelled = token.onCancellationRequested(() => {
      workspaceWaiters.delete(done);
      done(false);
    });
    function done(woken: boolean): void {
      cancelled.dispose();
      resolve(woken);
    }
    workspaceWaiters.add(done);
  });
}

connection.languages.diagnostics.on(async (params, token) => {
  // A large document being edited is analysed once its edits stop: completion goes first meanwhile.
  if (!(await held.settled(params.textDocument.uri, token))) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The document changed.');
  return session.documentReport(params.textDocument.uri, params.previousResultId);
});
// vscode-languageclient asks again two seconds after each answer, with a result id per file of the
// workspace: held, a request is answered once something changed, with only what changed, instead of
// ten thousand "unchanged" items every two seconds (allocations the extension host pays for).
connection.languages.diagnostics.onWorkspace(async (params, token, _work, partial) => {
  if (!holdWorkspace) return session.workspaceReport(params.previousResultIds);
  // 10,000 files' result ids: one map per request, not one each time the held request looks again.
  const previous = resultIdsByUri(params.previousResultIds);
  for (;;) {
    // The walk gives way to other requests: a change meanwhile may have passed a file it had seen.
    const changes = workspaceChanges;
    const report = await workspaceReportInPages(session.workspaceItems(previous, true), token, partial);
    if (report.sent > 0 || token.isCancellationRequested) return { items: report.last };
    if (workspaceChanges !== changes && !held.any) {
      // As a wake would: after the same quiet.
      await new Promise((resolve) => setTimeout(resolve, WORKSPACE_WAKE_DELAY_MS));
      continue;
    }
    if (!(await nextWorkspaceChange(token))) return { items: report.last };
  }
});

/**
 * A report larger than a page goes out as partial results, a page at a time, with a turn of the
 * event loop between pages (the items are computed as they are taken): 10,000 files' diagnostics
 * are never built, held and serialized as one message, which the extension host would also
 * receive, parse and convert whole. `last` is what the response itself carries: the whole report
 * when it fits in a page (or the client takes no partial results), else nothing.
 */
async function workspaceReportInPages(
  items: Iterator<WorkspaceDocumentDiagnosticReport | null>,
  token: CancellationToken,
  partial: ResultProgressReporter<WorkspaceDiagnosticReportPartialResult> | undefined,
): Promise<{ sent: number; last: WorkspaceDocumentDiagnosticReport[] }> {
  let page: WorkspaceDocumentDiagnosticReport[] = [];
  let sent = 0;
  let paged = false;
  for (let next = items.next(); !next.done; next = items.next()) {
    if (next.value === null) {
      // A turn of the event loop every few hundred files looked at (Session.workspaceItems).
      await new Promise((resolve) => setImmediate(resolve));
      if (token.isCancellationRequested) return { sent, last: [] };
      continue;
    }
    page.push(next.value);
    sent++;
    if (page.length < WORKSPACE_PAGE || !partial) continue;
    partial.report({ items: page });
    page = [];
    paged = true;
    await new Promise((resolve) => setImmediate(resolve));
    if (token.isCancellationRequested) return { sent, last: [] };
  }
  if (paged && page.length > 0) partial!.report({ items: page });
  return { sent, last: paged ? [] : page };
}

// ---- language features ----

/** The open document at `uri` with its scan, when we read its language; a large one's once its edits stop (undefined if the request is cancelled meanwhile). */
async function opened(uri: string, token: CancellationToken): Promise<{ doc: TextDocument; result: ScanResult } | undefined> {
  if (!(await held.settled(uri, token))) return undefined;
  const doc = documents.get(uri);
  const result = doc && session.scan(doc);
  return doc && result ? { doc, result } : undefined;
}

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const options = { editRangeDefault: features.completionEditRange, dataDefault: features.completionDataDefault };
  const offset = doc.offsetAt(params.position);
  if (isLarge(doc) && !session.scanned(doc)) {
    // Not analysed at this version (and not to be while it is edited): the text around the cursor
    // says what to complete. Completing is typing: the analysis waits for the user to stop.
    held.edited(doc);
    const window = completionWindow(doc, offset);
    const result = session.scanPart(doc, window.doc);
    return result ? shiftCompletionList(session.service.complete(window.doc, result, window.offset, options), window.lineShift) : null;
  }
  const result = session.scan(doc);
  return result ? session.service.complete(doc, result, offset, options) : null;
});

connection.onCompletionResolve((item) => session.service.resolveCompletion(item));

connection.onHover(async (params, token) => {
  const o = await opened(params.textDocument.uri, token);
  return o ? session.service.hover(o.doc, o.result, o.doc.offsetAt(params.position)) : null;
});

connection.onCodeAction(async (params, token) => {
  const o = await opened(params.textDocument.uri, token);
  return o ? session.service.codeActions(o.doc, o.result, params.context.diagnostics, params.context.only) : null;
});

connection.onCodeLens(async (params, token) => {
  const o = await opened(params.textDocument.uri, token);
  // The project root from the disk: a folder rule marks only the projects that decide an agent.
  return o ? session.service.codeLenses(o.doc, o.result, o.result.functions.length > 0 ? adkFunctionRoot(o.doc.uri) : null) : null;
});

// Find All References on a secret name or key: its usages across the workspace (the References view
// and the sidebar's Find Usages show these).
connection.onReferences(async (params, token) => {
  const o = await opened(params.textDocument.uri, token);
  return o ? (session.service.references(o, o.doc.offsetAt(params.position), session.allDocuments()) ?? null) : null;
});

connection.onRequest(UsagesRequest.type, (params) => {
  if (typeof params?.name !== 'string') return [];
  return session.service.usages(session.allDocuments(), params.name, typeof params.key === 'string' ? params.key : undefined);
});

// The reads of a secret, whatever environment is chosen, with each file's agent: the questions before
// a delete or a revoke list them.
connection.onRequest(SecretReadsRequest.type, (params) => {
  if (typeof params?.name !== 'string') return [];
  return session.service.reads(session.allDocuments(), params.name);
});

// What each agent's code may read, for the Access review view (names and places, never a value).
connection.onRequest(AgentNeedsRequest.type, () => session.service.agentNeeds(session.allDocuments()));

// ---- usage counts ----

function scheduleCounts(): void {
  if (countsTimer) return;
  countsTimer = setTimeout(() => {
    countsTimer = undefined;
    sendCounts();
  }, COUNTS_DELAY_MS);
}

function sendCounts(): void {
  if (pendingJobs > 0 || held.any) return; // the job's end, or the document's quiet, schedules them again
  const report = session.countsReport();
  if (report) background('sending usage counts', connection.sendNotification(UsageCountsNotification.type, report));
}

connection.onShutdown(() => {
  if (countsTimer) clearTimeout(countsTimer);
  countsTimer = undefined;
  if (completionsTimer) clearTimeout(completionsTimer);
  completionsTimer = undefined;
  if (lifecycleTimer) clearTimeout(lifecycleTimer);
  lifecycleTimer = undefined;
});

documents.listen(connection);
connection.listen();
