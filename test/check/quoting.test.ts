// `secrets-vault check` on code that writes credentials where a name goes:
// the built CLI as CI runs it, in every output format, on both naming styles. A secret read of a
// credential is a hardcoded-secret finding by kind; no output (text, JSON, SARIF, GitHub) carries
// any part of the credential, as a name, a key, a dict key or a step of a flow.

import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckFinding } from '../../protocol/check';
import { CREDENTIAL_SEED, credentialSamples, envReadsWithCredential, leakOf, pythonWithCredential, stripeKey } from '../helpers/credentialNames';
import { copyProject, ROOT, runCli } from './helpers';
import { sarifValidator } from './sarif';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
const samples = credentialSamples();
const seedNote = `CREDENTIAL_SEED=${CREDENTIAL_SEED}`;
const temps: string[] = [];
let snake: string;
let env: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  const value = stripeKey();
  const a = copyProject('project');
  const b = copyProject('env-project');
  temps.push(a.dir, b.dir);
  snake = path.join(a.dir, 'quoting');
  env = path.join(b.dir, 'quoting');
  mkdirSync(snake);
  mkdirSync(env);
  for (const [i, s] of samples.entries()) {
    // The fixture vault's key/value secret and a single-value one the agent cannot read.
    writeFileSync(path.join(snake, `f${i}.py`), pythonWithCredential(s.value, value, { kv: 'amadeus', single: 'openai_key' }));
    const reads = envReadsWithCredential(s.value);
    writeFileSync(path.join(env, `f${i}.py`), reads.python);
    writeFileSync(path.join(env, `f${i}.ts`), reads.typescript);
  }
});
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

async function outputs(cwd: string, snapshot: string): Promise<Record<(typeof FORMATS)[number], string>> {
  const out = {} as Record<(typeof FORMATS)[number], string>;
  for (const format of FORMATS) {
    const r = await runCli(['check', '--snapshot', snapshot, '--agent', 'booking-agent', '--format', format], { cwd });
    expect(r.err, format).toBe('');
    expect(r.code, format).toBe(1);
    out[format] = r.out;
  }
  return out;
}

describe('check: credentials where a name goes', () => {
  it('snake_case account: hardcoded-secret by kind on the reads, and nothing of any credential in text, JSON, SARIF or GitHub output', async () => {
    const out = await outputs(snake, '../snapshot.json');
    expect(sarifValidator()(JSON.parse(out.sarif))).toEqual([]);
    const findings = (JSON.parse(out.json) as { findings: CheckFinding[] }).findings;
    for (const [i, s] of samples.entries()) {
      const mine = findings.filter((f) => f.path === `f${i}.py`);
      const reads = mine.filter((f) => f.line === 4 || f.line === 5);
      expect(reads.map((f) => [f.line, f.code, f.severity]), `${s.label} (${seedNote})`).toEqual([
        [4, 'hardcoded-secret', 'error'],
        [5, 'hardcoded-secret', 'error'],
      ]);
      expect(reads[0]!.message).toMatch(/^Hard-coded .+ where a secret's name goes: get_secret reads a secret by its name, so this read fails/);
      expect(mine.filter((f) => f.code === 'unknown-secret' || f.code === 'invalid-name'), s.label).toEqual([]);
      // The key reads are still checked, the key described; the flow's steps too.
      expect(mine.map((f) => f.code)).toEqual(expect.arrayContaining(['unknown-key', 'not-a-mapping', 'secret-in-log']));
      for (const format of FORMATS) expect(leakOf(out[format], s.value), `${s.label} in ${format} (${seedNote})`).toBeNull();
    }
  });

  it('environment-style account (Python and TypeScript): the same', async () => {
    const out = await outputs(env, '../env-snapshot.json');
    expect(sarifValidator()(JSON.parse(out.sarif))).toEqual([]);
    const findings = (JSON.parse(out.json) as { findings: CheckFinding[] }).findings;
    for (const [i, s] of samples.entries()) {
      const mine = findings.filter((f) => f.path === `f${i}.py` || f.path === `f${i}.ts`);
      expect(mine.filter((f) => f.code === 'unknown-secret' || f.code === 'invalid-name'), `${s.label} (${seedNote})`).toEqual([]);
      expect(mine.filter((f) => f.path === `f${i}.py` && f.code === 'hardcoded-secret').length, s.label).toBeGreaterThanOrEqual(1);
      for (const format of FORMATS) expect(leakOf(out[format], s.value), `${s.label} in ${format} (${seedNote})`).toBeNull();
    }
  });
});
