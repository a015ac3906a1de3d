// `secrets-vault check` on an ADK project whose configuration names secrets and whose functions read
// them with `secret_vault(name)`: the built CLI against a real vault over loopback, with no --agent.
// agent_settings/experimental_config.json is checked as code is (access, names, and the kind of
// secret each field needs: wrong-kind), `secret_vault` reads are references like get_secret (keys,
// leaks into plog), and a file at the configuration's path outside a project is not read.
// Exact outputs: test/check/expected/adk-config.*.

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckFinding } from '../../protocol/check';
import { startTestVault, type TestVault } from '../helpers/vault';
import { copyProject, expected, ROOT, runCli } from './helpers';
import { sarifValidator } from './sarif';

const PROJECT = 'PROJECT-CONCIERG';
const SENTINELS = ['SENTINEL-cfg-crm-71aa', 'SENTINEL-cfg-dial-0b3e', 'SENTINEL-cfg-hook-5c90', 'SENTINEL-cfg-twilio-e2d4', 'SENTINEL-cfg-table-88f1'];

let v: TestVault;
let dir: string;
let project: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  ({ dir, project } = copyProject('adk-config'));
  v = await startTestVault();
  const api = v.api();
  await api.createAgent({ id: PROJECT, name: 'Concierge' });
  await api.createAgent({ id: 'dialer', name: 'Dialer' });
  await api.createSecret({ name: 'crm_api', value: { BASE_URL: SENTINELS[0]!, API_KEY: SENTINELS[0]! }, agents: [PROJECT] });
  await api.createSecret({ name: 'dial_tokens', value: { front_desk: SENTINELS[1]! }, agents: ['dialer'] });
  await api.createSecret({ name: 'deploy_hook_key', value: SENTINELS[2]!, agents: [PROJECT] });
  await api.createSecret({ name: 'twilio_auth', value: { account_sid: SENTINELS[3]!, auth_token: SENTINELS[3]! }, agents: [PROJECT] });
  await api.createSecret({ name: 'opentable_token', value: SENTINELS[4]!, agents: [PROJECT] });
}, 120_000);

afterAll(async () => {
  await v?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const check = (args: string[]) => runCli(['check', ...args], { cwd: project, env: { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey } });

describe('check on a project’s configuration and its secret_vault reads', () => {
  it('text: the configuration’s fields and the secret_vault reads, each against the project’s agent', async () => {
    const r = await check([]);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected('adk-config.txt'));
    expect(r.code).toBe(1);
  });

  it('json: the findings with exact positions; the configuration outside the project is not read', async () => {
    const r = await check(['--format', 'json']);
    const report = JSON.parse(r.out) as { findings: CheckFinding[]; summary: { filesChecked: number } };
    expect(report.findings.map((f) => `${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.code}`)).toEqual([
      'agent_settings/experimental_config.json:6:62-6:69 error wrong-kind',
      'agent_settings/experimental_config.json:11:37-11:48 error not-granted',
      'agent_settings/experimental_config.json:15:122-15:136 error unknown-secret',
      'functions/lookup_booking.py:8:47-8:56 error unknown-key',
    ]);
    expect(report.summary.filesChecked).toBe(3);
    expect(r.out).not.toContain('not_a_project_secret');
    // Named on the command line, it is said why it is not read.
    const named = JSON.parse((await check(['--format', 'json', 'notes/agent_settings/experimental_config.json'])).out) as { skipped: unknown[]; findings: unknown[] };
    expect(named.findings).toEqual([]);
    expect(named.skipped).toEqual([
      { path: 'notes/agent_settings/experimental_config.json', reason: 'not-source', detail: "not an ADK project's configuration (no project.yaml beside agent_settings/)" },
    ]);
  });

  it('sarif: valid, wrong-kind a rule of its own; github: the same findings as annotations', async () => {
    const sarif = await check(['--format', 'sarif']);
    const log = JSON.parse(sarif.out);
    expect(sarifValidator()(log)).toEqual([]);
    const rules = log.runs[0].tool.driver.rules as { id: string }[];
    const results = log.runs[0].results as { ruleId: string; ruleIndex: number }[];
    const wrongKind = results.find((x) => x.ruleId === 'wrong-kind')!;
    expect(rules[wrongKind.ruleIndex]!.id).toBe('wrong-kind');
    const github = await check(['--format', 'github']);
    expect(github.out).toBe(expected('adk-config.github'));
  });

  it('no output holds any value', async () => {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = await check(['--format', format]);
      for (const s of SENTINELS) expect(r.out + r.err).not.toContain(s);
    }
  });
});
