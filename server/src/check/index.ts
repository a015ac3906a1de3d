// The check engine behind `secrets-vault check`: the editor's language service run over files on
// disk. Same scanner, same diagnostics, same model built from the vault's metadata; the only
// difference is that the text comes from files and positions are printed 1-based. Never any network:
// the CLI fetches the metadata and hands it over. Built as dist/server/check.js and loaded by the CLI.

import '../nodeHmac';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { CheckEngine, CheckFinding, CheckReport, CheckRequest, CheckSeverity, SkippedFile } from '../../../protocol/check';
import { secretInfoOf } from '../../../protocol/check';
import type { DiagnosticCode } from '../../../protocol/lsp';
import { VaultModel } from '../service/model/model';
import { computeDiagnostics } from '../service/features/diagnostics';
import { languageOfPath } from '../service/scan/references';
import { analyze } from '../service/analyze';
import { looksBinary, sourceText } from '../sourceText';
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
    role: null,
    secrets: request.metadata.secrets.map(secretInfoOf),
    agents: request.metadata.agents.map((a) => ({ id: a.id, name: a.name })),
    folders: [],
    defaultAgent: request.agent,
    stale: null,
    // "access requested, pending" in the messages, as in the editor (the live vault only).
    pendingAccess: (request.metadata.pendingAccess ?? []).map((p) => ({ secret: p.secret, agent: p.agent })),
  });
  const findings: CheckFinding[] = [];
  let filesChecked = 0;
  let bytesChecked = 0;
  for (const [i, file] of files.entries()) {
    const outcome = checkFile(file, model, request.maxFileSize);
    if ('skipped' in outcome) skipped.push(outcome.skipped);
    else {
      filesChecked++;
      bytesChecked += outcome.bytes;
      findings.push(...outcome.findings);
    }
    request.onProgress?.(i + 1, files.length);
  }
  findings.sort(compareFindings);
  skipped.sort((a, b) => compareStrings(a.path, b.path));
  return { filesChecked, bytesChecked, findings, skipped };
}

type FileOutcome = { skipped: SkippedFile } | { bytes: number; findings: CheckFinding[] };

function checkFile(file: FoundFile, model: VaultModel, maxFileSize: number): FileOutcome {
  const language = languageOfPath(file.abs);
  if (!language) return { skipped: { path: file.rel, reason: 'not-source', detail: 'not a Python, JavaScript or TypeScript file' } };
  let bytes: Buffer;
  try {
    // Synchronous on purpose: for thousands of small files each promise call costs a thread-pool round
    // trip that dwarfs the read itself (measured by bench/check), and the check has nothing else to do.
    const fd = openSync(file.abs, 'r');
    try {
      const { size } = fstatSync(fd);
      if (size > maxFileSize) {
        return { skipped: { path: file.rel, reason: 'too-large', detail: `${size} bytes, over the limit of ${maxFileSize} (--max-file-size)` } };
      }
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { skipped: { path: file.rel, reason: 'unreadable', detail: `cannot read (${errorCode(e)})` } };
  }
  if (looksBinary(bytes)) return { skipped: { path: file.rel, reason: 'binary', detail: 'binary content (a NUL byte)' } };
  const text = sourceText(bytes);
  const result = analyze(text, language);
  if (result.references.length === 0 && result.hardcoded.length === 0) return { bytes: bytes.length, findings: [] };
  const doc = TextDocument.create(pathToFileURL(file.abs).href, language, 0, text);
  const findings = computeDiagnostics(doc, result, model).map((d) => findingOf(file.rel, d));
  return { bytes: bytes.length, findings };
}

function findingOf(rel: string, d: Diagnostic): CheckFinding {
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
