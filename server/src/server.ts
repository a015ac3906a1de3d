// The language server: wiring only. LSP requests go to the pure service (server/src/service/), file
// I/O goes through the workspace index, and the vault's metadata arrives from the client as a
// snapshot. The server never talks to the network and never sees a secret value.

import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type Diagnostic,
  type InitializeResult,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  SnapshotNotification,
  UsageCountsNotification,
  UsagesRequest,
  type ServerInitializationOptions,
} from '../../protocol/lsp';
import {
  addUsageCounts,
  analyze,
  codeActions,
  complete,
  computeDiagnostics,
  findUsages,
  referencesAt,
  hover,
  languageOfId,
  resolveCompletion,
  SCANNED_EXTENSIONS,
  VaultModel,
  type AnalyzedDocument,
} from './service/index';
import type { ScanResult } from './service/scan/types';
import { readClientFeatures, type ClientFeatures } from './clientFeatures';
import { DEFAULT_EXCLUDE } from './fileFilter';
import { WorkspaceIndex } from './workspaceIndex';
import { snapshotProblem } from './snapshotCheck';
import { recordLspStats } from './lspStats';

const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
/** Usage counts go out at most this often while the user types. */
const COUNTS_DELAY_MS = 300;

const connection = createConnection(ProposedFeatures.all);
recordLspStats();
const documents = new TextDocuments(TextDocument);

let features: ClientFeatures;
let model = VaultModel.empty;
/** Bumped with each snapshot: part of every diagnostic result id. */
let generation = 0;
let folders: WorkspaceFolder[] = [];
let index: WorkspaceIndex;
/** Index work runs one job at a time, so that a re-index and a file change never interleave. */
let indexQueue: Promise<void> = Promise.resolve();
/** Index jobs queued or running: counts wait for them rather than report a half-read workspace. */
let pendingJobs = 0;
let countsTimer: NodeJS.Timeout | undefined;
let lastCounts = '';
let stampCounter = 0;

/** Scan results of open documents, by URI, valid for one version. */
const scans = new Map<string, { version: number; result: ScanResult }>();

function log(message: string): void {
  connection.console.log(message);
}

/** Runs a promise we do not wait for, logging its failure instead of losing it. */
function background(what: string, p: Promise<unknown>): void {
  p.catch((e: unknown) => connection.console.error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`));
}

function scanOpen(doc: TextDocument): ScanResult | undefined {
  const language = languageOfId(doc.languageId);
  if (!language) return undefined;
  const cached = scans.get(doc.uri);
  if (cached && cached.version === doc.version) return cached.result;
  const result = analyze(doc.getText(), language);
  scans.set(doc.uri, { version: doc.version, result });
  return result;
}

/** Every analysed document: open ones as the editor has them, the rest as the index read them. */
function* allDocuments(): Generator<AnalyzedDocument> {
  for (const doc of documents.all()) {
    const result = scanOpen(doc);
    if (result) yield { doc, result };
  }
  for (const file of index.values()) {
    if (file.doc && !documents.get(file.uri)) yield { doc: file.doc, result: file.result };
  }
}

connection.onInitialize((params): InitializeResult => {
  features = readClientFeatures(params.capabilities);
  const options = (params.initializationOptions ?? {}) as ServerInitializationOptions;
  const maxFileSize = typeof options.maxFileSize === 'number' && options.maxFileSize > 0 ? options.maxFileSize : DEFAULT_MAX_FILE_SIZE;
  index = new WorkspaceIndex({ maxFileSize, onError: (m) => connection.console.warn(m) });
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  const codeActionLiterals = params.capabilities.textDocument?.codeAction?.codeActionLiteralSupport !== undefined;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      // Quotes open a literal; `(` an argument (`get_secret(`, `.get(`), `[` a subscript, `.` `process.env.`.
      completionProvider: { triggerCharacters: ["'", '"', '[', '.', '('], resolveProvider: true },
      hoverProvider: true,
      referencesProvider: true,
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

/**
 * A stamp per index entry, part of its diagnostic result id: the index makes a new entry object
 * each time it reads a file, so a new stamp means new content.
 */
const entryStamps = new WeakMap<object, number>();
function stampOf(file: object): number {
  let s = entryStamps.get(file);
  if (s === undefined) entryStamps.set(file, (s = ++stampCounter));
  return s;
}

connection.onDidChangeWatchedFiles((params) => {
  enqueue(async () => {
    for (const change of params.changes) {
      if (change.type === FileChangeType.Deleted) index.removeUnder(change.uri);
      else if (!documents.get(change.uri)) await index.update(change.uri);
    }
  });
});

connection.onDidChangeConfiguration(() => {
  // Some clients send this for any setting: re-read only folders whose files.exclude changed.
  enqueue(() => indexFolders(folders, true));
});

// ---- the vault snapshot ----

connection.onNotification(SnapshotNotification.type, (snapshot) => {
  const problem = snapshotProblem(snapshot);
  if (problem !== undefined) {
    connection.console.error(`Ignoring a malformed vault snapshot: ${problem}.`);
    return;
  }
  model = VaultModel.fromSnapshot(snapshot);
  generation++;
  // Every document may be affected: access lists, names and the naming style all feed the checks.
  if (features.pullDiagnostics) refreshDiagnostics();
  else for (const doc of documents.all()) publish(doc);
  scheduleCounts();
});

// ---- documents ----

documents.onDidChangeContent((event) => {
  if (!features.pullDiagnostics) publish(event.document);
  scheduleCounts();
});

documents.onDidClose((event) => {
  scans.delete(event.document.uri);
  if (!features.pullDiagnostics) connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  // The editor may close without saving: the disk has the truth again.
  if (index.includes(event.document.uri)) enqueue(() => index.update(event.document.uri));
  else scheduleCounts();
});

function diagnosticsOf(doc: TextDocument): Diagnostic[] {
  const result = scanOpen(doc);
  return result ? computeDiagnostics(doc, result, model) : [];
}

function publish(doc: TextDocument): void {
  background('publishing diagnostics', connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnosticsOf(doc) }));
}

function refreshDiagnostics(): void {
  if (features.pullDiagnostics && features.diagnosticRefresh) background('refreshing diagnostics', connection.languages.diagnostics.refresh());
}

connection.languages.diagnostics.on((params) => {
  const doc = documents.get(params.textDocument.uri);
  let resultId: string;
  let compute: () => Diagnostic[];
  if (doc) {
    resultId = `${generation}:v${doc.version}`;
    compute = () => diagnosticsOf(doc);
  } else {
    const file = index.get(params.textDocument.uri);
    resultId = `${generation}:i${file ? stampOf(file) : 0}`;
    compute = () => (file?.doc ? computeDiagnostics(file.doc, file.result, model) : []);
  }
  if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
  return { kind: DocumentDiagnosticReportKind.Full, resultId, items: compute() };
});

connection.languages.diagnostics.onWorkspace((params) => {
  const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
  const items: WorkspaceDocumentDiagnosticReport[] = [];
  // Open documents too, with the editor's text and version. VS Code pulls diagnostics one by one
  // only for documents shown in a tab and ignores workspace reports for those; a document open
  // without a tab (the References view's preview, an extension reading it) has only this report.
  for (const doc of documents.all()) {
    const resultId = `${generation}:v${doc.version}`;
    const before = previous.get(doc.uri);
    if (before === resultId) {
      items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri: doc.uri, version: doc.version, resultId });
      continue;
    }
    const diagnostics = diagnosticsOf(doc);
    if (diagnostics.length === 0 && before === undefined) continue;
    items.push({ kind: DocumentDiagnosticReportKind.Full, uri: doc.uri, version: doc.version, resultId, items: diagnostics });
  }
  for (const file of index.values()) {
    if (documents.get(file.uri)) continue; // reported above
    const resultId = `${generation}:i${stampOf(file)}`;
    const before = previous.get(file.uri);
    // A file without references needs a report only to clear what an earlier report said.
    if (!file.doc && before === undefined) continue;
    if (before === resultId) {
      items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri: file.uri, version: null, resultId });
    } else {
      const diagnostics = file.doc ? computeDiagnostics(file.doc, file.result, model) : [];
      items.push({ kind: DocumentDiagnosticReportKind.Full, uri: file.uri, version: null, resultId, items: diagnostics });
    }
  }
  // Files that left the index (deleted, excluded) and are not open: clear them.
  for (const uri of previous.keys()) {
    if (!index.get(uri) && !documents.get(uri)) {
      items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: `${generation}:gone`, items: [] });
    }
  }
  return { items };
});

// ---- language features ----

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && scanOpen(doc);
  if (!doc || !result) return null;
  return complete(doc, result, model, doc.offsetAt(params.position), { editRangeDefault: features.completionEditRange });
});

connection.onCompletionResolve((item) => resolveCompletion(item, model));

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && scanOpen(doc);
  if (!doc || !result) return null;
  return hover(doc, result, model, doc.offsetAt(params.position));
});

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && scanOpen(doc);
  if (!doc || !result) return null;
  return codeActions(doc, result, model, params.context.diagnostics, params.context.only);
});

// Find All References on a secret name or key: its usages across the workspace (the References view
// and the sidebar's Find Usages show these).
connection.onReferences((params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && scanOpen(doc);
  if (!doc || !result) return null;
  return referencesAt({ doc, result }, doc.offsetAt(params.position), allDocuments(), model.namingStyle) ?? null;
});

connection.onRequest(UsagesRequest.type, (params) => {
  if (typeof params?.name !== 'string') return [];
  return findUsages(allDocuments(), model.namingStyle, params.name, typeof params.key === 'string' ? params.key : undefined);
});

// ---- usage counts ----

function scheduleCounts(): void {
  if (countsTimer) return;
  countsTimer = setTimeout(() => {
    countsTimer = undefined;
    sendCounts();
  }, COUNTS_DELAY_MS);
}

function sendCounts(): void {
  if (pendingJobs > 0) return; // the job's end schedules them again
  const counts = new Map<string, number>();
  const style = model.namingStyle;
  for (const doc of documents.all()) {
    const result = scanOpen(doc);
    if (result) addUsageCounts(counts, result, style);
  }
  for (const file of index.values()) {
    if (!documents.get(file.uri)) addUsageCounts(counts, file.result, style);
  }
  const sorted = Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const json = JSON.stringify(sorted);
  if (json === lastCounts) return;
  lastCounts = json;
  background('sending usage counts', connection.sendNotification(UsageCountsNotification.type, { counts: sorted }));
}

connection.onShutdown(() => {
  if (countsTimer) clearTimeout(countsTimer);
  countsTimer = undefined;
});

documents.listen(connection);
connection.listen();
