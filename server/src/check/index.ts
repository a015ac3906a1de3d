// The check engine behind `secrets-vault check`: the editor's language service run over files on
// disk. Same scanner, same diagnostics, same model built from the vault's metadata; the only
// difference is that the text comes from files and positions are printed 1-based. Never any network:
// the CLI fetches the metadata and hands it over. Built as dist/server/check.js and loaded by the CLI.

import { open } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { CheckEngine, CheckFinding, CheckReport, CheckRequest, CheckSeverity, SkippedFile } from '../../../protocol/check';
import { secretInfoOf } from '../../../protocol/check';
import type { DiagnosticCode } from '../../../protocol/lsp';
import { VaultModel } from '../service/model';
import { computeDiagnostics } from '../service/diagnostics';
import { analyze, languageOfPath } from '../service/references';
import { looksBinary, sourceText } from '../sourceText';
import { errorCode, findFiles, type FoundFile } from './walk';

/** Files read at once: enough to hide disk latency without flooding the event loop (as the index). */
const READ_CONCURRENCY = 8;

/** The engine's one entry (typed by the contract, which the CLI holds it to when it loads this bundle). */
export const check: CheckEngine['check'] = async (request: CheckRequest): Promise<CheckReport> => {
  const { files, skipped } = await findFiles(request);
  const model = VaultModel.fromSnapshot({
    connection: 'connected',
    namingStyle: request.metadata.namingStyle,
    role: null,
    secrets: request.metadata.secrets.map(secretInfoOf),
    agents: request.metadata.agents.map((a) => ({ id: a.id, name: a.name })),
    folders: [],
    defaultAgent: request.agent,
  });
  const findings: CheckFinding[] = [];
  let filesChecked = 0;
  let bytesChecked = 0;
  let done = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++]!;
      const outcome = await checkFile(file, model, request.maxFileSize);
      if ('skipped' in outcome) skipped.push(outcome.skipped);
      else {
        filesChecked++;
        bytesChecked += outcome.bytes;
        findings.push(...outcome.findings);
      }
      request.onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  findings.sort(compareFindings);
  skipped.sort((a, b) => compareStrings(a.path, b.path));
  return { filesChecked, bytesChecked, findings, skipped };
};

type FileOutcome = { skipped: SkippedFile } | { bytes: number; findings: CheckFinding[] };

async function checkFile(file: FoundFile, model: VaultModel, maxFileSize: number): Promise<FileOutcome> {
  const language = languageOfPath(file.abs);
  if (!language) return { skipped: { path: file.rel, reason: 'not-source', detail: 'not a Python, JavaScript or TypeScript file' } };
  let bytes: Buffer;
  try {
    const handle = await open(file.abs, 'r');
    try {
      const { size } = await handle.stat();
      if (size > maxFileSize) {
        return { skipped: { path: file.rel, reason: 'too-large', detail: `${size} bytes, over the limit of ${maxFileSize} (--max-file-size)` } };
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (e) {
    return { skipped: { path: file.rel, reason: 'unreadable', detail: `cannot read (${errorCode(e)})` } };
  }
  if (looksBinary(bytes)) return { skipped: { path: file.rel, reason: 'binary', detail: 'binary content (a NUL byte)' } };
  const text = sourceText(bytes);
  const result = analyze(text, language);
  if (result.references.length === 0) return { bytes: bytes.length, findings: [] };
  const doc = TextDocument.create(pathToFileURL(file.abs).href, language, 0, text);
  const findings = computeDiagnostics(doc, result, model).map((d) => findingOf(file.rel, d));
  return { bytes: bytes.length, findings };
}

function findingOf(rel: string, d: Diagnostic): CheckFinding {
  return {
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
