// `secrets-vault check` on a project whose functions choose their secret at run time (by conv.env, a
// table of names, a flag of the conversation's state): the built CLI, exact outputs in every format,
// with and without --environment live (test/check/expected/computed*.*).

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../protocol/check';
import { formatReport } from '../../vault/src/cli/checkFormats';
import { copyProject, expected, ROOT, runCli } from './helpers';
import { sarifValidator } from './sarif';

let dir: string;
let project: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  ({ dir, project } = copyProject('computed'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const check = (args: string[]) => runCli(['check', '--snapshot', '../computed-snapshot.json', ...args], { cwd: project });
const portable = (out: string) => out.replaceAll(`${new URL(`file://${project}`).href}/`, 'file:///PROJECT/');

describe('check: names chosen at run time', () => {
  for (const [suffix, args] of [['', []], ['-live', ['--environment', 'live']]] as const) {
    it(`text${suffix}: each candidate's problem labelled where it is taken, its literal and tests below it`, async () => {
      const r = await check([...args]);
      expect(r.err).toBe('');
      expect(r.out).toBe(expected(`computed${suffix}.txt`));
      expect(r.code).toBe(1);
    });

    it(`json${suffix}: the same findings, related locations included`, async () => {
      const r = await check(['--format', 'json', ...args]);
      expect(r.out).toBe(expected(`computed${suffix}.json`));
    });

    it(`sarif${suffix}: valid, with relatedLocations for each candidate's literal and tests`, async () => {
      const r = await check(['--format', 'sarif', ...args]);
      expect(sarifValidator()(JSON.parse(r.out))).toEqual([]);
      expect(portable(r.out)).toBe(expected(`computed${suffix}.sarif`));
    });

    it(`github${suffix}: an annotation per candidate problem`, async () => {
      const r = await check(['--format', 'github', ...args]);
      expect(r.out).toBe(expected(`computed${suffix}.github`));
    });
  }

  it('pre_release is the environment pre-release; a name that is no environment is a usage error', async () => {
    const a = await check(['--environment', 'pre_release']);
    const b = await check(['--environment', 'pre-release']);
    expect(a.out).toBe(b.out);
    expect(a.out).toContain("In sandbox and pre-release: reads 'narvar_staging_api'");
    expect(a.out).not.toContain("'x_prod_api'");
    const bad = await check(['--environment', 'live env']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("'live env' is not an environment");
  });
});

describe('check formats: a related location in another file', () => {
  const report: CheckReport = {
    filesChecked: 1,
    bytesChecked: 10,
    findings: [
      {
        path: 'functions/main.py',
        line: 4,
        column: 31,
        endLine: 4,
        endColumn: 39,
        severity: 'error',
        code: 'unknown-secret',
        message: "In live: reads 'x_prod_api', which does not exist in the vault.",
        related: [
          { path: 'functions/settings.py', line: 1, column: 13, endLine: 1, endColumn: 25, message: "'x_prod_api' is chosen here" },
          { line: 3, column: 8, endLine: 3, endColumn: 26, message: "taken when conv.env == 'live'" },
        ],
      },
    ],
    skipped: [],
    agents: [],
    withoutAgent: [],
    configProblems: [],
  };
  const ctx = { toolName: 'secrets-vault', toolVersion: '0', cwd: '/w', agent: 'a', vault: 'v', snapshot: null, failOn: 'error' as const, environment: 'live' };

  it('text names the other file; SARIF points its relatedLocation there', () => {
    expect(formatReport('text', report, ctx).split('\n').slice(1, 4)).toEqual([
      "  functions/main.py:4:31  error    unknown-secret  In live: reads 'x_prod_api', which does not exist in the vault.",
      "                            functions/settings.py:1:13  'x_prod_api' is chosen here",
      "                            3:8  taken when conv.env == 'live'",
    ]);
    const sarif = JSON.parse(formatReport('sarif', report, ctx));
    expect(sarifValidator()(sarif)).toEqual([]);
    const related = sarif.runs[0].results[0].relatedLocations;
    expect(related.map((r: { physicalLocation: { artifactLocation: { uri: string } } }) => r.physicalLocation.artifactLocation.uri)).toEqual(['functions/settings.py', 'functions/main.py']);
    expect(sarif.runs[0].properties.environment).toBe('live');
    expect(JSON.parse(formatReport('json', report, ctx)).environment).toBe('live');
  });
});
