// The wall-clock limit on one file's analysis, where nobody opened the file: the workspace index
// and `secrets-vault check` stop a file past it, report it as skipped with the reason, and go on
// with the others. The limit is set small (50 ms: a one-line file takes microseconds, and a busy
// machine can take a process off its core for a millisecond) against a file that takes far longer
// (the reported attack, a table read by conv.env 100 times, with 150,000 keys: 4 MiB to lex),
// beside a one-line file; what is asserted is which file was skipped and that the other was
// analysed, never a time.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckRequest } from '../../protocol/check';
import { check } from '../../server/src/check/index';
import { scan } from '../../server/src/service/analyze';
import { WorkspaceIndex } from '../../server/src/workspaceIndex';
import { formatReport } from '../../vault/src/cli/checkFormats';
import { tableAttack } from './adversarial/corpus';

const SMALL = "x = conv.utils.get_secret('missing_secret')\n";

// The one-line file must take well under the limit: the passes are compiled first, as they are
// in a server or a check that has analysed a few files.
beforeAll(() => {
  for (let i = 0; i < 200; i++) scan(SMALL, 'python');
});

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const KEYS = 150_000;
const LIMIT_MS = 50;

/** The attack file (`keys` keys) beside a one-line file. */
function tree(keys = KEYS): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-deadline-'));
  temps.push(dir);
  mkdirSync(path.join(dir, 'functions'));
  writeFileSync(path.join(dir, 'functions/huge.py'), tableAttack('python', keys, 100));
  writeFileSync(path.join(dir, 'functions/a_small.py'), SMALL);
  return dir;
}

describe('the workspace index', () => {
  it('skips a file whose analysis runs past the limit, says so once, and indexes the others', { timeout: 60_000 }, async () => {
    const dir = tree();
    const folder = pathToFileURL(dir).href;
    const warnings: string[] = [];
    const errors: string[] = [];
    const index = new WorkspaceIndex({ maxFileSize: 16 * 1024 * 1024, onError: (m) => errors.push(m), analysisTimeoutMs: LIMIT_MS, onSkipped: (m) => warnings.push(m) });
    index.setFolder(folder, {});
    await index.indexFolder(folder);
    const huge = `${folder}/functions/huge.py`;
    const small = `${folder}/functions/a_small.py`;
    expect(index.get(huge)).toBeUndefined();
    expect([...index.skipped]).toEqual([huge]);
    expect(index.get(small)?.result.references.map((r) => r.name)).toEqual(['missing_secret']);
    expect(warnings).toEqual([`Skipped ${huge}: its analysis ran longer than ${LIMIT_MS} ms and was stopped; its secret reads are not checked until it is opened.`]);
    expect(errors).toEqual([]);
  });

});

describe('secrets-vault check', () => {
  const request = (cwd: string, overrides: Partial<CheckRequest> = {}): CheckRequest => ({
    cwd,
    paths: [],
    exclude: [],
    gitignore: false,
    maxFileSize: 16 * 1024 * 1024,
    metadata: { namingStyle: 'snake_case', secrets: [], agents: [{ id: 'a', name: 'A' }] },
    agent: 'a',
    ...overrides,
  });

  it('reports a file stopped past --analysis-timeout as not checked, in every format, and checks the rest', { timeout: 60_000 }, async () => {
    const dir = tree();
    const report = await check(request(dir, { analysisTimeoutMs: LIMIT_MS }));
    expect(report.skipped.map((s) => s.path)).toEqual(['functions/huge.py']);
    expect(report.filesChecked).toBe(1);
    expect(report.findings.map((f) => `${f.path} ${f.code}`)).toEqual(['functions/a_small.py unknown-secret']);
    const detail = `its analysis ran longer than ${LIMIT_MS} ms and was stopped (--analysis-timeout); the other files were checked`;
    expect(report.skipped).toEqual([{ path: 'functions/huge.py', reason: 'analysis-timeout', detail }]);
    const ctx = { toolName: 'secrets-vault', toolVersion: '0', cwd: dir, agent: 'a', vault: 'http://127.0.0.1:1', snapshot: null, failOn: 'error' as const };
    expect(formatReport('text', report, ctx)).toContain(`Not checked:\n  functions/huge.py: ${detail}`);
    const json = JSON.parse(formatReport('json', report, ctx)) as { skipped: unknown[] };
    expect(json.skipped).toEqual([{ path: 'functions/huge.py', reason: 'analysis-timeout', detail }]);
    const sarif = JSON.parse(formatReport('sarif', report, ctx)) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }> };
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: 'note', message: { text: `Not checked (analysis-timeout): ${detail}.` } }),
    ]);
    expect(formatReport('github', report, ctx)).toContain(`::notice file=functions/huge.py,`);
  });

  it('with the default limit, checks the file, its reads too large to follow', { timeout: 60_000 }, async () => {
    const dir = tree(37_000);
    const report = await check(request(dir));
    expect(report.skipped).toEqual([]);
    expect(report.filesChecked).toBe(2);
    const dynamic = report.findings.filter((f) => f.code === 'dynamic-name');
    expect(dynamic).toHaveLength(100);
    expect(dynamic[0]!.message).toContain('too large to follow');
  });
});

// After the tests with the small limit: a full analysis of the large file leaves garbage whose
// collection could fall inside a one-line file's millisecond.
describe('the workspace index, with the default limit', () => {
  it('with the default limit, analyses the reported file: bounded by its size, it needs nothing like it', { timeout: 60_000 }, async () => {
    const dir = tree(37_000);
    const folder = pathToFileURL(dir).href;
    const warnings: string[] = [];
    const index = new WorkspaceIndex({ maxFileSize: 16 * 1024 * 1024, onError: () => undefined, onSkipped: (m) => warnings.push(m) });
    index.setFolder(folder, {});
    await index.indexFolder(folder);
    const refs = index.get(`${folder}/functions/huge.py`)!.result.references;
    expect(refs).toHaveLength(100);
    expect(refs.every((r) => r.unresolved?.tooLarge === true)).toBe(true);
    expect(warnings).toEqual([]);
  });
});
