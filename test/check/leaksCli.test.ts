// `secrets-vault check` on a real-layout ADK project whose functions log configuration of key/value
// secrets beside their credentials (the patterns of PolyAI's templates): one finding per leak and
// sink, none for a key whose name says it is an address or an identifier (`BASE_URL`,
// `EMAIL_ADDRESS`, `REGION`), one for a credential's key (`API_KEY`), and the BASE_URL findings back
// when the snapshot marks that key sensitive. Exact outputs (test/check/expected/adk-leaks*).

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckFinding } from '../../protocol/check';
import { copyProject, expected, ROOT, runCli, type RunResult } from './helpers';

let dir: string;
let project: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  ({ dir, project } = copyProject('adk-leaks'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const check = (args: string[]) => runCli(['check', ...args], { cwd: project });
const findings = (r: RunResult) => (JSON.parse(r.out) as { findings: CheckFinding[] }).findings;
const where = (f: CheckFinding) => `${f.path}:${f.line}:${f.column}`;

describe('check: secret-in-log on a real-layout project', () => {
  it('text: one finding per leak, no configuration key, the credential keys', async () => {
    const r = await check(['--snapshot', '../leaks-snapshot.json']);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected('adk-leaks.txt'));
    expect(r.code).toBe(0);
  });

  it('json: the same findings, each place once; API_KEY reported, BASE_URL and the mailer’s address and region not', async () => {
    const r = await check(['--snapshot', '../leaks-snapshot.json', '--format', 'json']);
    expect(r.out).toBe(expected('adk-leaks.json'));
    const leaks = findings(r).filter((f) => f.code === 'secret-in-log');
    expect(leaks.map(where)).toEqual([...new Set(leaks.map(where))]);
    // Each leak has one message, and its related rows are few: the read, at most three steps, the sink, another read.
    for (const f of leaks) expect(f.related!.length).toBeLessThanOrEqual(6);
    expect(leaks.filter((f) => f.message.includes("'API_KEY'"))).toHaveLength(2);
    expect(leaks.filter((f) => /BASE_URL|EMAIL_ADDRESS|REGION/.test(f.message))).toEqual([]);
    expect(leaks.filter((f) => f.message.includes("'SMTP_PASSWORD'"))).toHaveLength(1);
    // The real OMS client: a name that holds one of three secrets is one finding naming all three.
    expect(leaks.filter((f) => f.path === 'functions/oms_client.py').map((f) => f.message.slice(0, f.message.indexOf(' reach')))).toEqual([
      "The value of key 'API_KEY' of secret 'oms_mock_api', 'oms_api' or 'oms_prod_api'",
    ]);
  });

  it("with BASE_URL marked 'sensitive' in the snapshot, its findings return", async () => {
    const r = await check(['--snapshot', '../leaks-marked-snapshot.json']);
    expect(r.out).toBe(expected('adk-leaks-marked.txt'));
    const j = findings(await check(['--snapshot', '../leaks-marked-snapshot.json', '--format', 'json'])).filter((f) => f.code === 'secret-in-log');
    expect(j.filter((f) => f.message.includes("'BASE_URL'")).map(where)).toEqual([
      'functions/get_order_status.py:16:15',
      'functions/get_order_status.py:22:24',
      'functions/oms_client.py:16:53',
      'functions/oms_client.py:19:50',
    ]);
    expect(j.map(where)).toEqual([...new Set(j.map(where))]);
  });
});
