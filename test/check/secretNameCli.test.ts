// `secrets-vault check` (the built CLI) on an ADK project that reads secrets the platform's way,
// `conv.utils.get_secret(secret_name=…)`, and once with no name at all: the same findings as a
// positional name gets, and missing-name.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../protocol/check';
import { ROOT, runCli, writeFile } from './helpers';

let dir: string;

const SNAPSHOT = {
  version: 1,
  generatedAt: '2026-11-22T08:00:00.000Z',
  vault: 'http://127.0.0.1:8787',
  namingStyle: 'snake_case',
  secrets: [
    { name: 'carrier_api', description: '', kind: 'single', keys: [], agents: ['PROJECT-WEVYLLDV'] },
    { name: 'narvar_prod_api', description: '', kind: 'kv', keys: ['token', 'user'], agents: ['PROJECT-WEVYLLDV'] },
    { name: 'narvar_staging_api', description: '', kind: 'kv', keys: ['token', 'user'], agents: [] },
  ],
  agents: [{ id: 'PROJECT-WEVYLLDV', name: 'Returns' }],
};

const FUNCTION = [
  'from _gen import *  # <AUTO GENERATED>',
  '',
  "NARVAR_BY_ENV = {'live': 'narvar_prod_api', 'sandbox': 'narvar_staging_api'}",
  '',
  '',
  'def track_parcel(conv: Conversation):',
  "    carrier = conv.utils.get_secret(secret_name='carrier_api')",
  '    narvar = conv.utils.get_secret(secret_name=NARVAR_BY_ENV[conv.env])',
  "    user = narvar['usr']",
  "    conv.log.info(f'calling with {carrier}')",
  '    return conv.utils.get_secret(), user',
  '',
].join('\n');

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  dir = mkdtempSync(path.join(tmpdir(), 'sv-check-kw-'));
  writeFile(path.join(dir, 'snapshot.json'), JSON.stringify(SNAPSHOT));
  writeFile(path.join(dir, 'returns/project.yaml'), 'project_id: PROJECT-WEVYLLDV\naccount_id: ACC-1\nregion: euw-1\n');
  writeFile(path.join(dir, 'returns/functions/track_parcel.py'), FUNCTION);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('check: get_secret(secret_name=…) and a read with no name', () => {
  it('reports each finding a positional name gets, and missing-name, failing the check', async () => {
    const r = await runCli(['check', '--snapshot', 'snapshot.json', '--format', 'json'], { cwd: dir });
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as CheckReport;
    expect(report.findings.map((f) => [f.line, f.code, f.severity, f.message])).toEqual([
      [8, 'not-granted', 'error', "In sandbox: reads 'narvar_staging_api', which is not granted to agent 'PROJECT-WEVYLLDV' (no agent has access)."],
      [9, 'unknown-key', 'error', "In live: reads 'narvar_prod_api', which has no key 'usr' (its keys: 'token', 'user'). Did you mean 'user'?"],
      [9, 'unknown-key', 'error', "In sandbox: reads 'narvar_staging_api', which has no key 'usr' (its keys: 'token', 'user'). Did you mean 'user'?"],
      [
        10,
        'secret-in-log',
        'warning',
        "The value of secret 'carrier_api' reaches conv.log.info, so it would be written where logs and errors are kept. Log something that is not the value (whether it is set, its length, a masked or hashed form).",
      ],
      [
        11,
        'missing-name',
        'error',
        "This reads a secret without naming it: the call fails at run time. Pass the secret's name, for example get_secret('stripe_api_key') or get_secret(secret_name='stripe_api_key').",
      ],
    ]);
    const live = await runCli(['check', '--snapshot', 'snapshot.json', '--format', 'json', '--environment', 'live'], { cwd: dir });
    expect((JSON.parse(live.out) as CheckReport).findings.map((f) => f.code)).toEqual(['unknown-key', 'secret-in-log', 'missing-name']);
  });

  it('text output names the code', async () => {
    const r = await runCli(['check', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(r.out).toMatch(/returns\/functions\/track_parcel\.py:11:12 +error +missing-name +This reads a secret without naming it/);
  });
});
