// The check engine behind `secrets-vault check`: the editor's language service run over files on
// disk. Same scanner, same diagnostics, same model built from the vault's metadata; the only
// difference is that the text comes from files and positions are printed 1-based. Never any network:
// the CLI fetches the metadata and hands it over. Built as dist/server/check.js and loaded by the CLI.

import '../nodeHmac';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { CheckedAgent, CheckEngine, CheckFinding, CheckReport, CheckRequest, CheckSeverity, ConfigProblem, SkippedFile } from '../../../protocol/check';
import { DEFAULT_ANALYSIS_TIMEOUT_MS, secretInfoOf } from '../../../protocol/check';
import type { DiagnosticCode } from '../../../protocol/lsp';
import { VaultModel } from '../service/model/model';
import { computeDiagnostics } from '../service/features/diagnostics';
import { codeActions } from '../service/features/codeActions';
import type { Locate } from '../service/features/candidates';
import { languageOfPath } from '../service/scan/references';
import { AnalysisDeadline, scan } from '../service/analyze';
import { pythonModuleNames } from '../service/python/nameSets';
import { jsModuleNames } from '../service/javascript/jsNameSets';
import { ModuleImports } from '../moduleImports';
import { looksBinary, sourceText } from '../sourceText';
import { hasMergeMarkers } from '../../../protocol/adkProject';
import { AgentResolver, type AgentSource } from './agents';
import { readsOf, ReadsCollector, type FileReads } from './reads';
import { errorCode, findFiles, type FoundFile } from './walk';

/**
 * The engine's one entry (typed by the contract, which the CLI holds it to when it loads this bundle).
 * The work is synchronous file I/O and analysis: the promise leaves the contract free to change that.
 */
export const check: CheckEngine['check'] = (request: CheckRequest): Promise<CheckReport> => new Promise((resolve) => resolve(checkNow(request)));

function checkNow(request: CheckRequest): CheckReport {
  const { files, skipped } = findFiles(request);
  const model = VaultModel.fromSnapshot({
    revision: 0,
    connection: 'connected',
    namingStyle: request.metadata.namingStyle,
    // The role decides which quick fixes are offered (fixes only): an admin's vault changes, or a developer's request.
    role: request.fixes?.role ?? null,
    secrets: request.metadata.secrets.map(secretInfoOf),
    agents: request.metadata.agents.map((a) => ({ id: a.id, name: a.name })),
    folders: [],
    defaultAgent: request.agent,
    stale: null,
    // "access requested, pending" in the messages, as in the editor (the live vault only).
    pendingAccess: (request.metadata.pendingAccess ?? []).map((p) => ({ secret: p.secret, agent: p.agent })),
    // `--environment`: a computed name's candidates taken only elsewhere are not reported.
    environment: request.environment ?? 'all',
  });
  const assignment = assignAgents(request, files);
  // Names a function imports from another module of its project: from the disk, each module read once a run.
  const folders = [pathToFileURL(path.resolve(request.cwd)).href];
  const imports = new ModuleImports({
    folders: () => folders,
    maxFileSize: request.maxFileSize,
    moduleNames: pythonModuleNames,
    jsModuleNames,
    projectsAboveFolders: true,
  });
  const located = locator(assignment.relOf);
  const uriOf = fileUris(request.cwd);
  const findings: CheckFinding[] = [];
  const counted = new Map<AgentSource | null, number>();
  const withoutAgent: string[] = [];
  const reads = request.reads ? new ReadsCollector() : null;
  let filesChecked = 0;
  let bytesChecked = 0;
  let done = 0;
  // Files are read one agent at a time: the model's agent is the default one, set per group.
  for (const [source, group] of assignment.groups) {
    const agent = source === null ? request.agent : source.agent;
    if (model.defaultAgent !== agent) model.apply([{ kind: 'context', defaultAgent: agent }]);
    for (const file of group) {
      const outcome = checkFile(file, uriOf(file), model, request, located, imports);
      if ('skipped' in outcome) skipped.push(outcome.skipped);
      else {
        filesChecked++;
        bytesChecked += outcome.bytes;
        findings.push(...outcome.findings);
        if (reads !== null && outcome.reads) reads.add(agent, source === null ? null : assignment.relOf(source.file), outcome.reads);
        if (agent === null) withoutAgent.push(file.rel);
        else counted.set(source, (counted.get(source) ?? 0) + 1);
      }
      request.onProgress?.(++done, files.length);
    }
  }
  findings.sort(compareFindings);
  skipped.sort((a, b) => compareStrings(a.path, b.path));
  withoutAgent.sort(compareStrings);
  const agents: CheckedAgent[] = [];
  for (const [source, n] of counted) {
    const id = source === null ? request.agent! : source.agent!;
    const known = request.metadata.agents.find((a) => a.id === id);
    agents.push({
      id,
      name: source?.name ?? (known?.name || null),
      kind: source === null ? 'given' : source.kind,
      source: source === null ? null : assignment.relOf(source.file),
      files: n,
      inVault: known !== undefined,
    });
  }
  agents.sort((a, b) => (a.source === null ? -1 : b.source === null ? 1 : compareStrings(a.source, b.source)));
  const report: CheckReport = { filesChecked, bytesChecked, findings, skipped, agents, withoutAgent, configProblems: assignment.problems };
  if (reads !== null) report.reads = reads.result();
  return report;
}

interface Assignment {
  /** Files by what decides their agent (null: the agent given for all, or none at all). */
  groups: Map<AgentSource | null, FoundFile[]>;
  problems: ConfigProblem[];
  relOf: (abs: string) => string;
}

/** Each file's agent: the one given for all, or its own (see agents.ts). */
function assignAgents(request: CheckRequest, files: readonly FoundFile[]): Assignment {
  const cwd = path.resolve(request.cwd);
  const relOf = (abs: string) => path.relative(cwd, abs).split(path.sep).join('/');
  const groups = new Map<AgentSource | null, FoundFile[]>();
  if (request.agent !== null) return { groups: new Map([[null, [...files]]]), problems: [], relOf };
  const resolver = new AgentResolver(relOf);
  for (const file of files) {
    const source = resolver.sourceFor(path.dirname(file.abs));
    // A source that names no usable agent counts as none.
    const key = source?.agent ? source : null;
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  }
  return { groups, problems: resolver.configProblems(), relOf };
}

const MERGE_CONFLICT = 'unresolved merge conflict markers (<<<<<<<, =======, >>>>>>>): resolve the conflict to check it';

type FileOutcome = { skipped: SkippedFile } | { bytes: number; findings: CheckFinding[]; reads?: FileReads };

/** The other files a computed name's literal is in (a module of the project), read once each, and their paths. */
interface Located {
  locate: Locate;
  relOfUri: (uri: string) => string | undefined;
}

function locator(relOf: (abs: string) => string): Located {
  const docs = new Map<string, TextDocument | undefined>();
  return {
    locate(uri) {
      if (docs.has(uri)) return docs.get(uri);
      let doc: TextDocument | undefined;
      try {
        const abs = fileURLToPath(uri);
        const language = languageOfPath(abs);
        const bytes = readFileSync(abs);
        if (language !== undefined && !looksBinary(bytes)) doc = TextDocument.create(uri, language === 'config' ? 'json' : language, 0, sourceText(bytes));
      } catch {
        doc = undefined;
      }
      docs.set(uri, doc);
      return doc;
    },
    relOfUri(uri) {
      try {
        return relOf(fileURLToPath(uri));
      } catch {
        return undefined;
      }
    },
  };
}

/** Relative paths whose URL is the path itself: characters a URL path keeps as they are, and no `..` first. */
const PLAIN_PATH = /^(?!\.\.)[\w.\-/]+$/;

/**
 * A file's URL, as pathToFileURL(file.abs).href gives it: the working folder's once, then a plain
 * relative path appended as it is (pathToFileURL costs a few µs a file: bench/check).
 */
export function fileUris(cwd: string): (file: FoundFile) => string {
  const base = pathToFileURL(path.resolve(cwd)).href;
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return (file) => (PLAIN_PATH.test(file.rel) ? prefix + file.rel : pathToFileURL(file.abs).href);
}

function checkFile(file: FoundFile, uri: string, model: VaultModel, request: CheckRequest, located: Located, imports: ModuleImports): FileOutcome {
  const { maxFileSize } = request;
  const withFixes = request.fixes !== undefined;
  const language = languageOfPath(file.abs);
  if (!language) return { skipped: { path: file.rel, reason: 'not-source', detail: 'not a Python, JavaScript or TypeScript file' } };
  let bytes: Buffer;
  try {
    // Synchronous on purpose: for thousands of small files each promise call costs a thread-pool round
    // trip that dwarfs the read itself (measured by bench/check), and the check has nothing else to do.
    const fd = openSync(file.abs, 'r');
    try {
      const read = readCapped(fd, maxFileSize);
      if (read === null) {
        // Its size only for the message: most files never need an fstat.
        const size = Math.max(fstatSync(fd).size, maxFileSize + 1);
        return { skipped: { path: file.rel, reason: 'too-large', detail: `${size} bytes, over the limit of ${maxFileSize} (--max-file-size)` } };
      }
      bytes = read;
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { skipped: { path: file.rel, reason: 'unreadable', detail: `cannot read (${errorCode(e)})` } };
  }
  if (looksBinary(bytes)) return { skipped: { path: file.rel, reason: 'binary', detail: 'binary content (a NUL byte)' } };
  const text = sourceText(bytes);
  // A conflicted file says two things at once: reported once as not checked, never as findings.
  if (hasMergeMarkers(text)) return { skipped: { path: file.rel, reason: 'merge-conflict', detail: MERGE_CONFLICT } };
  const timeoutMs = request.analysisTimeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS;
  let result;
  try {
    result = scan(text, language, language !== 'config' ? imports.lookupFor(uri, text) : undefined, { deadlineMs: timeoutMs });
  } catch (e) {
    // Past the wall-clock limit: this file is reported as not checked, and the check goes on.
    if (!(e instanceof AnalysisDeadline)) throw e;
    return { skipped: { path: file.rel, reason: 'analysis-timeout', detail: timeoutDetail(timeoutMs) } };
  }
  if (result.references.length === 0 && result.hardcoded.length === 0) return { bytes: bytes.length, findings: [] };
  const doc = TextDocument.create(uri, language === 'config' ? 'json' : language, 0, text);
  // A document made for this one pass: its ranges find line ends only as far as the last finding.
  const diagnostics = computeDiagnostics(doc, result, model, Date.now(), located.locate, 'fresh');
  const findings = diagnostics.map((d) => findingOf(file.rel, d, doc.uri, located.relOfUri));
  if (withFixes) {
    // The editor's own quick fixes (each names the diagnostic it fixes), by title.
    const titles = new Map<Diagnostic, string[]>(diagnostics.map((d) => [d, []]));
    for (const action of codeActions(doc, result, model, diagnostics)) {
      for (const d of action.diagnostics ?? []) titles.get(d)?.push(action.title);
    }
    diagnostics.forEach((d, i) => (findings[i]!.fixes = titles.get(d) ?? []));
  }
  if (request.reads) return { bytes: bytes.length, findings, reads: readsOf(doc, file.rel, result, model, findings) };
  return { bytes: bytes.length, findings };
}

/** One buffer for every file's bytes, grown to the largest read: each file's text is decoded from it before the next read. */
let readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * The open file's bytes (a view of readBuffer, good until the next call), or null when there are
 * more than `max`. Read to the end without fstat, a Stats object or a buffer per file, which were a
 * tenth of the reading's cost in bench/check; at most `max` + 1 bytes of a larger file are read.
 */
function readCapped(fd: number, max: number): Buffer | null {
  let n = 0;
  for (;;) {
    if (n === readBuffer.length) {
      if (n > max) return null;
      const bigger = Buffer.allocUnsafe(Math.max(n + 1, Math.min(n * 2, max + 1)));
      readBuffer.copy(bigger, 0, 0, n);
      readBuffer = bigger;
    }
    const got = readSync(fd, readBuffer, n, readBuffer.length - n, null);
    if (got === 0) return n > max ? null : readBuffer.subarray(0, n);
    n += got;
  }
}

/** Why a file was skipped for its analysis's time (no file content). */
export function timeoutDetail(ms: number): string {
  return `its analysis ran longer than ${ms} ms and was stopped (--analysis-timeout); the other files were checked`;
}

function findingOf(rel: string, d: Diagnostic, uri: string, relOfUri: (uri: string) => string | undefined): CheckFinding {
  const finding: CheckFinding = {
    path: rel,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: severityOf(d.severity),
    code: d.code as DiagnosticCode,
    // computeDiagnostics writes plain-text messages; a markup one would be a change to adapt to here.
    message: typeof d.message === 'string' ? d.message : d.message.value,
  };
  if (d.relatedInformation && d.relatedInformation.length > 0) {
    finding.related = d.relatedInformation.map((r) => ({
      // In another file (a name imported from another module of the project): its path.
      ...(r.location.uri !== uri ? { path: relOfUri(r.location.uri) ?? r.location.uri } : {}),
      line: r.location.range.start.line + 1,
      column: r.location.range.start.character + 1,
      endLine: r.location.range.end.line + 1,
      endColumn: r.location.range.end.character + 1,
      message: r.message,
    }));
  }
  return finding;
}

function severityOf(s: DiagnosticSeverity | undefined): CheckSeverity {
  return s === DiagnosticSeverity.Error ? 'error' : s === DiagnosticSeverity.Warning ? 'warning' : 'info';
}

function compareFindings(a: CheckFinding, b: CheckFinding): number {
  return compareStrings(a.path, b.path) || a.line - b.line || a.column - b.column || compareStrings(a.code, b.code);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
