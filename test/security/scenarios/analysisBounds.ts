// Bounded analysis (issue 50, point 1): one source file, `get_secret(T[conv.env])` over a 37,000-key
// table read 100 times, froze the language server, `check` and the MCP tools for minutes. Performed
// as a user meets it: (a) the built `secrets-vault check --snapshot` on a folder holding that file
// and an ordinary one: it exits, reports the reads as `dynamic-name` too large to follow, and still
// reports the ordinary file's finding; (b) with a small --analysis-timeout, a larger such file is
// reported not checked (`analysis-timeout`) and the other is checked; (c) every shape of the
// adversarial corpus (test/server/adversarial/corpus.ts), in Python, JavaScript and TypeScript,
// through the service's analysis: the budget's steps stay within its linear bound. Steps, never time.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { AnalysisBudget, BASE_STEPS, LINEAR_PASSES, STEPS_PER_CHAR } from '../../../server/src/service/scan/budget';
import { runChildCli } from '../../helpers/childCli';
import { SHAPES, tableAttack, type CorpusLanguage } from '../../server/adversarial/corpus';
import { tally } from '../helpers/ledger';

const S = 'analysis bounds: no file freezes the analysis';
const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/vault/cli.js');
const LANGUAGES: readonly CorpusLanguage[] = ['python', 'javascript', 'typescript'];
/** The most steps a document of `size` characters may take: its budget, and the linear passes' tokens. */
const bound = (size: number) => BASE_STEPS + (STEPS_PER_CHAR + LINEAR_PASSES) * size;
const SNAPSHOT = { version: 1, generatedAt: '2026-11-22T08:00:00.000Z', vault: 'http://127.0.0.1:8787', namingStyle: 'snake_case', secrets: [], agents: [{ id: 'a', name: 'A' }] };

interface Finding {
  path: string;
  code: string;
  message: string;
}
interface JsonReport {
  summary: { filesChecked: number; filesSkipped: number };
  findings: Finding[];
  skipped: { path: string; reason: string; detail: string }[];
}

/** A folder with the attack file (`keys` keys, 100 reads) beside an ordinary one, and a snapshot. */
function project(base: string, keys: number): string {
  const dir = mkdtempSync(path.join(base, 'project-'));
  mkdirSync(path.join(dir, 'functions'));
  writeFileSync(path.join(dir, 'functions/huge.py'), tableAttack('python', keys, 100));
  writeFileSync(path.join(dir, 'functions/a_ordinary.py'), "def f(conv):\n    return conv.utils.get_secret('missing_secret')\n");
  writeFileSync(path.join(dir, 'snapshot.json'), JSON.stringify(SNAPSHOT));
  return dir;
}

export function registerAnalysisBounds(): void {
  describe(S, () => {
    let base: string;
    beforeAll(async () => {
      await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
      base = mkdtempSync(path.join(tmpdir(), 'sv-sec-bounds-'));
    }, 120_000);
    afterAll(() => {
      if (base) rmSync(base, { recursive: true, force: true });
    });

    const check = async (cwd: string, args: string[]) => {
      const r = await runChildCli(CLI, ['check', '--snapshot', 'snapshot.json', '--format', 'json', '--max-file-size', String(64 << 20), ...args], { PATH: process.env.PATH }, '', { cwd, timeoutMs: 120_000 });
      let report: JsonReport | undefined;
      try {
        report = JSON.parse(r.out) as JsonReport;
      } catch {
        report = undefined;
      }
      return { ...r, report };
    };

    it('check: the 37,000-key table read 100 times ends, its reads too large to follow, the ordinary file still reported', async () => {
      const r = await check(project(base, 37_000), []);
      const findings = r.report?.findings ?? [];
      const dynamic = findings.filter((f) => f.path === 'functions/huge.py' && f.code === 'dynamic-name');
      const cases = [
        ['check exits with its findings (1)', r.code === 1 && r.report !== undefined],
        ['both files checked, none skipped', r.report?.summary.filesChecked === 2 && r.report.skipped.length === 0],
        ['100 reads: dynamic-name, too large to follow', dynamic.length === 100 && dynamic.every((f) => f.message.includes('`T[conv.env]`, which is too large to follow'))],
        ["the ordinary file's finding", findings.some((f) => f.path === 'functions/a_ordinary.py' && f.code === 'unknown-secret')],
      ] as const;
      const failed = cases.filter(([, ok]) => !ok).map(([what]) => what);
      tally(S, cases.length, failed.length, '(a) check on the reported file; (b) --analysis-timeout skips one file; (c) every corpus shape × 3 languages within the linear step bound');
      expect(failed, r.err).toEqual([]);
    }, 180_000);

    it('check --analysis-timeout: the larger attack file is reported not checked, the ordinary one checked', async () => {
      // 400,000 keys (13 MB) take far longer than 150 ms to analyse; the ordinary file, microseconds.
      const r = await check(project(base, 400_000), ['--analysis-timeout', '150']);
      const detail = 'its analysis ran longer than 150 ms and was stopped (--analysis-timeout); the other files were checked';
      const cases = [
        ['huge.py skipped as analysis-timeout', JSON.stringify(r.report?.skipped) === JSON.stringify([{ path: 'functions/huge.py', reason: 'analysis-timeout', detail }])],
        ['the ordinary file checked and reported', r.report?.summary.filesChecked === 1 && r.report.findings.map((f) => `${f.path} ${f.code}`).join() === 'functions/a_ordinary.py unknown-secret'],
      ] as const;
      const failed = cases.filter(([, ok]) => !ok).map(([what]) => what);
      tally(S, cases.length, failed.length);
      expect(failed, r.err).toEqual([]);
    }, 180_000);

    it(`${SHAPES.length} corpus shapes × ${LANGUAGES.length} languages: the analysis's steps stay within the budget's linear bound`, () => {
      const failed: string[] = [];
      for (const shape of SHAPES) {
        for (const language of LANGUAGES) {
          const text = shape.make(language, 65_536);
          const budget = new AnalysisBudget(text.length);
          scanOrThrow(text, language, undefined, budget);
          if (budget.spent > bound(text.length) || budget.linear > LINEAR_PASSES * text.length) failed.push(`${shape.name} (${language}): ${budget.spent} steps, bound ${bound(text.length)}`);
        }
      }
      // The reported attack itself, through the same analysis: bounded, every read too large to follow.
      for (const language of ['python', 'javascript'] as const) {
        const text = tableAttack(language, 37_000, 100);
        const budget = new AnalysisBudget(text.length);
        const refs = scanOrThrow(text, language, undefined, budget).references;
        if (budget.spent > bound(text.length) || refs.length !== 100 || !refs.every((r) => r.unresolved?.tooLarge === true)) failed.push(`the reported attack (${language}): ${budget.spent} steps`);
      }
      tally(S, SHAPES.length * LANGUAGES.length + 2, failed.length);
      expect(failed).toEqual([]);
    }, 180_000);
  });
}
