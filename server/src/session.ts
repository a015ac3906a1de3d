// One language server session, without the transport: the documents (open ones and the workspace
// index), the language service and its model, the metadata revision, the diagnostic result ids and
// the usage counts last reported. server.ts forwards LSP messages here and sends what it answers;
// tests construct a Session directly.
//
// Sync (protocol/lsp.ts): a snapshot is taken whole the first time and as its difference later (an
// identical one is a no-op); a delta applies only on top of the revision it names, else the client
// is asked for a snapshot (resync). A malformed message is logged and answered with a resync, never
// a crash. Each change re-checks only the documents it can affect: their result ids change, the
// others' stay, so a pull client re-fetching after a refresh gets "unchanged" for those.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol';
import type { ResyncParams, UsageCountsParams } from '../../protocol/lsp';
import { deltaProblem, snapshotProblem } from '../../protocol/sync';
import { lifecycleOf, type Lifecycle } from '../../protocol/lifecycle';
import { hasMergeMarkers, inGeneratedFolder } from '../../protocol/adkProject';
import { addUsageCounts, createLanguageService, languageOfDocument, type AnalyzedDocument, type LanguageService, type ModelImpact } from './service/index';
import type { NamingStyle } from '../../protocol/names';
import type { ScanResult } from './service/analyze';
import type { ImportLookup } from './service/scan/types';
import type { IndexedFile } from './workspaceIndex';

/** The editor's open documents (the LSP TextDocuments manager has this shape). */
export interface DocumentSource {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

/** The workspace index's files (WorkspaceIndex has this shape). */
export interface IndexSource {
  get(uri: string): IndexedFile | undefined;
  values(): Iterable<IndexedFile>;
  /** Analyses a file again from the text it was read with; false when it holds nothing to analyse. */
  reanalyze?(uri: string): boolean;
}

/** Names imported from other modules of a project (ModuleImports, server/src/moduleImports.ts, has this shape). */
export interface ImportSource {
  /** The lookup for one analysis of the Python document at `uri` with this text. */
  lookupFor(uri: string, text: string): ImportLookup | undefined;
  /** Files or folders changed: the documents whose analysis looked for them, to analyse again. */
  changed(uris: Iterable<string>): Set<string>;
  /** The text of a module whose names a lookup returned, where a candidate's literal is. */
  document(uri: string): TextDocument | undefined;
}

export interface SyncOutcome {
  /** When set, send it: the client must answer with a full snapshot. */
  resync?: ResyncParams;
  /** Why a message was not applied, for the log (never holds a value: messages carry none). */
  problem?: string;
  /** Open documents whose diagnostics may have changed (a push client gets them published). */
  openAffected: TextDocument[];
  /** Whether any document's diagnostics may have changed: a pull client is asked to refresh. */
  refresh: boolean;
  /** How many documents (open and indexed) were marked for re-checking. */
  affected: number;
  /**
   * Whether an open document's Run / Debug lenses may differ: its agent changed (the titles name
   * it), or everything may have (the naming style decides which reads count), or the environment
   * or the folders changed for a document in an ADK project (its lens names the environment). Only
   * documents with module-level functions have lenses.
   */
  lenses: boolean;
}

const nothing = (): SyncOutcome => ({ openAffected: [], refresh: false, affected: 0, lenses: false });

export interface SessionOptions {
  /** The clock for expiry and rotation (protocol/lifecycle.ts); tests set it. */
  now?: () => number;
  /**
   * Whether an open `agent_settings/experimental_config.json` is an ADK project's configuration
   * (server/src/projectConfig.ts asks the disk); without it, every file at that path is.
   */
  isProjectConfig?: (uri: string) => boolean;
  /** Where a Python document's imported names come from; without it, imported names stay unresolved. */
  imports?: ImportSource;
  /**
   * Whether an open document's analysis is held back while it is edited (a very large one,
   * server/src/largeDocuments.ts): a workspace report leaves it out until it is quiet.
   */
  held?: (uri: string) => boolean;
}

/** Files a workspace report looks at between turns of the event loop (workspaceItems). */
const WORKSPACE_TICK = 256;

/** What of a lifecycle a diagnostic or hover shows: the states, not the instants. */
const stateOf = (l: Lifecycle) => `${l.expired}${l.expiringSoon}${l.rotationDue}`;

export class Session {
  readonly service: LanguageService;
  private readonly now: () => number;
  private readonly isProjectConfig: (uri: string) => boolean;
  private readonly imports: ImportSource | undefined;
  private readonly held: (uri: string) => boolean;
  /** When `lifecycleTick` last looked: states are compared with those of that moment. */
  private lifecycleAt: number;
  private currentRevision: number | null = null;
  /** A resync was asked for and no valid snapshot has come since: do not ask again per message. */
  private awaitingSnapshot = false;
  /** Part of every result id: bumped when every document may be affected. */
  private epoch = 0;
  /** Per document, bumped when a change may affect its diagnostics. */
  private readonly stamps = new Map<string, number>();
  private stampCounter = 0;
  /** A stamp per index entry: the index makes a new entry each time it reads a file. */
  private readonly entryStamps = new WeakMap<IndexedFile, number>();
  /** The result id at which an indexed file had no problems and was left out of a workspace report: not checked again until it changes. */
  private readonly quietIndexed = new WeakMap<IndexedFile, string>();
  /** The result id each open document's last `textDocument/diagnostic` answer carried: the client has those diagnostics. */
  private readonly pulled = new Map<string, string>();
  /** Each open document's last edit, where its inserted text now is (see `edited`). */
  private readonly lastEdits = new Map<string, { version: number; start: number; end: number }>();
  /** Scan results of open documents, by URI, valid for one version. */
  private readonly scans = new Map<string, { version: number; result: ScanResult | undefined }>();
  // Usage counts, kept up to date per document: a report re-counts only documents whose scan
  // changed, and compares only the names whose totals moved. A document's own counts are not kept
  // (a map per indexed file adds up in a large workspace): they are counted again from the scan
  // result they came from when it is replaced or gone.
  private readonly contributions = new Map<string, { result: ScanResult; round: number }>();
  private readonly totals = new Map<string, number>();
  /** Names whose total, or whose being a vault secret, changed since the last report. */
  private readonly dirty = new Set<string>();
  private countsStyle: NamingStyle | null | undefined;
  private countsRound = 0;
  /** What the client was last told, vault names only; undefined before the first (full) report. */
  private countsSent: Map<string, number> | undefined;

  constructor(
    private readonly documents: DocumentSource,
    private readonly index: IndexSource,
    options: SessionOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.isProjectConfig = options.isProjectConfig ?? (() => true);
    this.imports = options.imports;
    this.held = options.held ?? (() => false);
    this.service = createLanguageService({ now: this.now });
    this.lifecycleAt = this.now();
  }

  /** The metadata revision the server holds; null before the first snapshot. */
  get revision(): number | null {
    return this.currentRevision;
  }

  /**
   * The document's analysis; undefined for what is not analysed: another language, a file an ADK pull
   * generates (`_gen/`, `real_time_configuration/`), a document with unresolved merge markers (no
   * findings until the conflict is resolved).
   */
  scan(doc: TextDocument): ScanResult | undefined {
    const language = languageOfDocument(doc.languageId, doc.uri);
    if (!language || inGeneratedFolder(doc.uri)) return undefined;
    const cached = this.scans.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.result;
    // A JSON file at the configuration's path is read only when it is a project's (asked once per version).
    if (language === 'config' && !this.isProjectConfig(doc.uri)) {
      this.scans.set(doc.uri, { version: doc.version, result: undefined });
      return undefined;
    }
    const text = doc.getText();
    let result: ScanResult | undefined;
    if (!hasMergeMarkers(text)) result = this.service.scan(text, language, language !== 'config' ? this.imports?.lookupFor(doc.uri, text) : undefined);
    this.scans.set(doc.uri, { version: doc.version, result });
    return result;
  }

  /**
   * A part of an open document analysed on its own and not kept: completion's window of a large
   * document whose analysis is held (server/src/largeDocuments.ts). Names imported from other
   * modules stay unresolved in it.
   */
  scanPart(doc: TextDocument, part: TextDocument): ScanResult | undefined {
    const language = languageOfDocument(doc.languageId, doc.uri);
    if (!language || language === 'config' || inGeneratedFolder(doc.uri)) return undefined;
    const text = part.getText();
    return hasMergeMarkers(text) ? undefined : this.service.scan(text, language);
  }

  /** Whether the document's analysis for its current version is done (scan() returns at once). */
  scanned(doc: TextDocument): boolean {
    return this.scans.get(doc.uri)?.version === doc.version;
  }

  /** The document a computed name's literal is in when it is another module (as the lookup read it), else an open one. */
  private readonly locate = (uri: string): TextDocument | undefined => this.imports?.document(uri) ?? this.documents.get(uri);

  closed(uri: string): void {
    this.scans.delete(uri);
    this.pulled.delete(uri);
    this.lastEdits.delete(uri);
  }

  /**
   * An open document's most recent edit (incremental didChange): where its last change's text now
   * is, from `start` to `end`, in `version`. null for a whole-text change. An empty name whose
   * literal holds or touches it is still being typed (`get_secret('')` right after the editor's
   * paired quote and parenthesis, or the name's last character deleted), so it is not reported
   * until the document changes elsewhere or is saved.
   */
  edited(uri: string, version: number, span: { start: number; end: number } | null): void {
    if (span) this.lastEdits.set(uri, { version, ...span });
    else this.lastEdits.delete(uri);
  }

  /** The document was saved: what its last edit held back is final. True when its diagnostics may change. */
  saved(uri: string): boolean {
    if (!this.lastEdits.delete(uri)) return false;
    this.stamps.set(uri, ++this.stampCounter);
    return true;
  }

  /** Leaves out the empty name the user is typing at the document's last edit (see `edited`). */
  private withoutTyping(doc: TextDocument, diagnostics: Diagnostic[]): Diagnostic[] {
    const edit = this.lastEdits.get(doc.uri);
    if (!edit || edit.version !== doc.version) return diagnostics;
    return diagnostics.filter((d) => {
      if (d.code !== 'invalid-name' || (d.data as { name?: unknown } | undefined)?.name !== '') return true;
      // The range is the text between the quotes; the literal is one character more on each side.
      const start = doc.offsetAt(d.range.start) - 1;
      const end = doc.offsetAt(d.range.end) + 1;
      return !(edit.start <= end && edit.end >= start);
    });
  }

  /**
   * Modules changed (edited, opened, closed, saved, created or deleted; a folder: everything
   * under it): the documents that import names from them, directly or through one re-export, are
   * analysed again, open ones and the index's files, and get new result ids.
   */
  modulesChanged(uris: Iterable<string>): SyncOutcome {
    const outcome = nothing();
    if (!this.imports) return outcome;
    for (const uri of this.imports.changed(uris)) {
      const doc = this.documents.get(uri);
      if (doc) {
        this.scans.delete(uri);
        this.stamps.set(uri, ++this.stampCounter);
        outcome.openAffected.push(doc);
        outcome.affected++;
      } else if (this.index.reanalyze?.(uri)) {
        outcome.affected++;
      }
    }
    outcome.refresh = outcome.affected > 0;
    return outcome;
  }

  /** Every analysed document: open ones as the editor has them, the rest as the index read them. */
  *allDocuments(): Generator<AnalyzedDocument> {
    for (const doc of this.documents.all()) {
      const result = this.scan(doc);
      if (result) yield { doc, result };
    }
    for (const file of this.index.values()) {
      if (file.doc && !this.documents.get(file.uri)) yield { doc: file.doc, result: file.result };
    }
  }

  // ---- metadata sync ----

  receiveSnapshot(value: unknown): SyncOutcome {
    const problem = snapshotProblem(value);
    if (problem !== undefined) return this.askForSnapshot(`Ignoring a malformed vault snapshot: ${problem}.`);
    const snapshot = value as Parameters<LanguageService['load']>[0];
    this.awaitingSnapshot = false;
    this.currentRevision = snapshot.revision;
    return this.guarded(() => this.service.load(snapshot));
  }

  receiveDelta(value: unknown): SyncOutcome {
    const problem = deltaProblem(value);
    if (problem !== undefined) return this.askForSnapshot(`Ignoring a malformed metadata delta: ${problem}.`);
    const delta = value as { baseRevision: number; revision: number; changes: Parameters<LanguageService['apply']>[0] };
    if (this.currentRevision === null || delta.baseRevision !== this.currentRevision) {
      return this.askForSnapshot(
        `A metadata delta from revision ${delta.baseRevision} does not apply to ${this.currentRevision === null ? 'no snapshot' : `revision ${this.currentRevision}`}.`,
      );
    }
    this.currentRevision = delta.revision;
    return this.guarded(() => this.service.apply(delta.changes));
  }

  /**
   * A change that throws (a bug, since messages are validated first) must not take the server
   * down or leave a half-changed model: start from nothing and ask for a snapshot.
   */
  private guarded(change: () => ModelImpact): SyncOutcome {
    try {
      return this.changed(change());
    } catch (e) {
      this.service.reset();
      const outcome = this.askForSnapshot(`Applying vault metadata failed (${e instanceof Error ? e.message : String(e)}); asking for a snapshot.`);
      return { ...outcome, ...this.changed({ changed: true, all: true, names: new Set(), addedOrRemoved: new Set() }), resync: outcome.resync, problem: outcome.problem };
    }
  }

  private askForSnapshot(problem: string): SyncOutcome {
    if (this.awaitingSnapshot) return { ...nothing(), problem };
    this.awaitingSnapshot = true;
    // Until a snapshot comes, deltas cannot be trusted to follow on from anything.
    this.currentRevision = null;
    return { ...nothing(), problem, resync: { revision: null } };
  }

  /** Marks the documents a change can affect: new result ids for them, the same for the others. */
  private changed(impact: ModelImpact): SyncOutcome {
    if (!impact.changed) return nothing();
    // A secret that came or went changes whether its name is reported; a deleted one's item, and
    // its count, are gone from the client, so a secret made again under that name is reported anew.
    for (const name of impact.names) {
      this.dirty.add(name);
      if (!this.service.model.secret(name)) this.countsSent?.delete(name);
    }
    const outcome = nothing();
    outcome.lenses = this.lensesChanged(impact);
    if (impact.all) {
      this.epoch++;
      for (const doc of this.documents.all()) if (this.scan(doc)) outcome.openAffected.push(doc);
      outcome.refresh = true;
      outcome.affected = outcome.openAffected.length;
      for (const file of this.index.values()) if (file.doc && !this.documents.get(file.uri)) outcome.affected++;
      return outcome;
    }
    for (const doc of this.documents.all()) {
      const result = this.scan(doc);
      if (result && this.service.affects(impact, doc.uri, result)) {
        this.stamps.set(doc.uri, ++this.stampCounter);
        outcome.openAffected.push(doc);
      }
    }
    outcome.affected = outcome.openAffected.length;
    for (const file of this.index.values()) {
      if (!file.doc || this.documents.get(file.uri)) continue;
      if (this.service.affects(impact, file.uri, file.result)) {
        this.stamps.set(file.uri, ++this.stampCounter);
        outcome.affected++;
      }
    }
    outcome.refresh = outcome.affected > 0;
    return outcome;
  }

  private lensesChanged(impact: ModelImpact): boolean {
    const before = impact.agentBefore;
    if (!impact.all && !before && !impact.environment) return false;
    const model = this.service.model;
    for (const doc of this.documents.all()) {
      if (!this.scan(doc)?.functions.length) continue;
      if (impact.all || (before && before(doc.uri) !== model.agentFor(doc.uri))) return true;
      // An ADK function's lens names the environment, and a folder change may make a project.
      if ((impact.environment || before) && model.projectRootFor(doc.uri) !== null) return true;
    }
    return false;
  }

  // ---- time: expiry and rotation ----

  /**
   * When some secret's lifecycle state next changes by time alone (it starts expiring soon, expires,
   * becomes due for rotation), in epoch ms; null when none will. The server keeps one timer for it.
   */
  nextLifecycleChange(): number | null {
    const now = this.now();
    let next: number | null = null;
    for (const e of this.service.model.timed()) {
      const t = lifecycleOf(e.info, now).nextChangeMs;
      if (t !== null && (next === null || t < next)) next = t;
    }
    return next;
  }

  /**
   * The clock moved on: documents that read a secret whose state changed since the last look get
   * new result ids (a pull client would otherwise keep "unchanged"), exactly as for a metadata change.
   */
  lifecycleTick(): SyncOutcome {
    const now = this.now();
    const before = this.lifecycleAt;
    this.lifecycleAt = now;
    const names = new Set<string>();
    for (const e of this.service.model.timed()) {
      if (stateOf(lifecycleOf(e.info, before)) !== stateOf(lifecycleOf(e.info, now))) names.add(e.info.name);
    }
    if (names.size === 0) return nothing();
    return this.changed({ changed: true, all: false, names, addedOrRemoved: new Set() });
  }

  // ---- diagnostics ----

  diagnostics(doc: TextDocument): Diagnostic[] {
    const result = this.scan(doc);
    return result ? this.withoutTyping(doc, this.service.diagnostics(doc, result, this.locate)) : [];
  }

  private openResultId(doc: TextDocument): string {
    return `${this.epoch}.${this.stamps.get(doc.uri) ?? 0}:v${doc.version}`;
  }

  private indexResultId(file: IndexedFile): string {
    let s = this.entryStamps.get(file);
    if (s === undefined) this.entryStamps.set(file, (s = ++this.stampCounter));
    return `${this.epoch}.${this.stamps.get(file.uri) ?? 0}:i${s}`;
  }

  /** `textDocument/diagnostic`: unchanged when the result id the client has is still current. */
  documentReport(uri: string, previousResultId: string | undefined): DocumentDiagnosticReport {
    const doc = this.documents.get(uri);
    let resultId: string;
    let compute: () => Diagnostic[];
    if (doc) {
      resultId = this.openResultId(doc);
      this.pulled.set(uri, resultId);
      compute = () => this.diagnostics(doc);
    } else {
      const file = this.index.get(uri);
      resultId = file ? this.indexResultId(file) : `${this.epoch}.0:none`;
      compute = () => (file?.doc ? this.service.diagnostics(file.doc, file.result, this.locate) : []);
    }
    if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: compute() };
  }

  /**
   * `workspace/diagnostic`. Open documents too, with the editor's text and version: VS Code pulls
   * diagnostics one by one only for documents shown in a tab and ignores workspace reports for
   * those; a document open without a tab (the References view's preview) has only this report.
   *
   * `changedOnly` (a client that holds the request open until something changes, server.ts) leaves
   * out what the client has already: the "unchanged" items, and an open document whose current
   * diagnostics its last `textDocument/diagnostic` answer carried. In a repository of 10,000 files
   * that is the difference between a report of 10,000 items and one of none.
   */
  workspaceReport(previousResultIds: readonly { uri: string; value: string }[], changedOnly = false): WorkspaceDiagnosticReport {
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const item of this.workspaceItems(resultIdsByUri(previousResultIds), changedOnly)) if (item !== null) items.push(item);
    return { items };
  }

  /**
   * The items of `workspaceReport`, one at a time, each computed when it is asked for: the server
   * sends a large report in pages (partial results), so that no more than a page of diagnostics
   * is built, held and serialized at once. `previous` is the request's result ids by URI
   * (`resultIdsByUri`), made once per request however often a held request looks again. Every
   * WORKSPACE_TICK files looked at, it yields null: a held request that finds nothing changed in
   * 10,000 files gives way to a completion request meanwhile (server.ts), rather than holding the
   * thread for the whole walk.
   */
  *workspaceItems(previous: ReadonlyMap<string, string>, changedOnly = false): Generator<WorkspaceDocumentDiagnosticReport | null> {
    let looked = 0;
    for (const doc of this.documents.all()) {
      // Analysed once its edits stop; a report then (the server wakes held ones) carries it.
      if (this.held(doc.uri) && !this.scanned(doc)) continue;
      const resultId = this.openResultId(doc);
      const before = previous.get(doc.uri);
      if (before === resultId || (changedOnly && this.pulled.get(doc.uri) === resultId)) {
        if (!changedOnly) yield { kind: DocumentDiagnosticReportKind.Unchanged, uri: doc.uri, version: doc.version, resultId };
        continue;
      }
      const diagnostics = this.diagnostics(doc);
      if (diagnostics.length === 0 && before === undefined) continue;
      yield { kind: DocumentDiagnosticReportKind.Full, uri: doc.uri, version: doc.version, resultId, items: diagnostics };
    }
    for (const file of this.index.values()) {
      if (++looked % WORKSPACE_TICK === 0) yield null;
      if (this.documents.get(file.uri)) continue; // reported above
      const resultId = this.indexResultId(file);
      const before = previous.get(file.uri);
      // A file without references needs a report only to clear what an earlier report said; so,
      // for a client that holds the request (changedOnly), does a file without problems: a report
      // of no problems for each file it knows nothing of is 10,000 items in a large repository,
      // before the vault's metadata has even arrived.
      if (before === undefined && (!file.doc || (changedOnly && this.quietIndexed.get(file) === resultId))) continue;
      if (before === resultId) {
        if (!changedOnly) yield { kind: DocumentDiagnosticReportKind.Unchanged, uri: file.uri, version: null, resultId };
      } else {
        const diagnostics = file.doc ? this.service.diagnostics(file.doc, file.result, this.locate) : [];
        if (changedOnly && diagnostics.length === 0 && before === undefined) {
          this.quietIndexed.set(file, resultId);
          continue;
        }
        yield { kind: DocumentDiagnosticReportKind.Full, uri: file.uri, version: null, resultId, items: diagnostics };
      }
    }
    // Files that left the index (deleted, excluded) and are not open: clear them.
    for (const uri of previous.keys()) {
      if (!this.index.get(uri) && !this.documents.get(uri)) {
        const resultId = `${this.epoch}:gone`;
        if (changedOnly && previous.get(uri) === resultId) continue;
        yield { kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId, items: [] };
      }
    }
  }

  // ---- usage counts ----

  /**
   * The counts to report now, or undefined when none changed: only names of vault secrets; the
   * first report is full, later ones carry only the names whose count changed (0 when a secret
   * lost its last reference). Nothing before the first snapshot: no name is a vault name yet.
   */
  countsReport(): UsageCountsParams | undefined {
    const model = this.service.model;
    if (!model.loaded) return undefined;
    this.recount(model.namingStyle);
    const sent = this.countsSent;
    if (!sent) {
      const full = new Map<string, number>();
      for (const [name, count] of this.totals) if (count > 0 && model.secret(name)) full.set(name, count);
      this.countsSent = full;
      this.dirty.clear();
      return { counts: sortedRecord(full), full: true };
    }
    const changed = new Map<string, number>();
    for (const name of this.dirty) {
      const before = sent.get(name);
      if (!model.secret(name)) {
        sent.delete(name); // a deleted secret, or no secret at all: no report
        continue;
      }
      const now = this.totals.get(name) ?? 0;
      if (now === (before ?? 0)) continue;
      changed.set(name, now);
      if (now === 0) sent.delete(name);
      else sent.set(name, now);
    }
    this.dirty.clear();
    return changed.size === 0 ? undefined : { counts: sortedRecord(changed), full: false };
  }

  /** Brings the totals up to date: documents whose scan is new, gone, or all of them for a new style. */
  private recount(style: NamingStyle | null): void {
    if (style !== this.countsStyle) {
      // Which references count depends on the style (environment reads): start over.
      for (const name of this.totals.keys()) this.dirty.add(name);
      this.contributions.clear();
      this.totals.clear();
      this.countsStyle = style;
    }
    const round = ++this.countsRound;
    for (const { doc, result } of this.allDocuments()) {
      const known = this.contributions.get(doc.uri);
      if (known && known.result === result) {
        known.round = round;
        continue;
      }
      if (known) this.addCounts(known.result, style, -1);
      this.addCounts(result, style, 1);
      if (known) {
        known.result = result;
        known.round = round;
      } else {
        this.contributions.set(doc.uri, { result, round });
      }
    }
    for (const [uri, known] of this.contributions) {
      if (known.round === round) continue;
      this.addCounts(known.result, style, -1);
      this.contributions.delete(uri);
    }
  }

  /** Adds (or takes away) one scan result's usage counts in this style to the totals. */
  private addCounts(result: ScanResult, style: NamingStyle | null, sign: 1 | -1): void {
    const counts = new Map<string, number>();
    addUsageCounts(counts, result, style);
    for (const [name, n] of counts) {
      const total = (this.totals.get(name) ?? 0) + sign * n;
      if (total === 0) this.totals.delete(name);
      else this.totals.set(name, total);
      this.dirty.add(name);
    }
  }
}

/** A workspace diagnostic request's result ids, by URI. */
export function resultIdsByUri(previousResultIds: readonly { uri: string; value: string }[]): Map<string, string> {
  return new Map(previousResultIds.map((p) => [p.uri, p.value]));
}

function sortedRecord(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
