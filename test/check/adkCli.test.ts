// `secrets-vault check` on a repository of ADK projects, as CI runs it: the built CLI against a real
// vault over loopback, with no --agent. Each file is held to its own project's agent (a
// secrets-vault.json naming an agent wins below it), the summary names the agents and the files
// without one, generated folders and conflicted files are never findings. Exact outputs in all four
// formats (test/check/expected/adk-repo.*).

import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckFinding } from '../../protocol/check';
import { startTestVault, type TestVault } from '../helpers/vault';
import { copyProject, expected, ROOT, runCli, type RunResult } from './helpers';
import { sarifValidator } from './sarif';

const BOOKING = 'PROJECT-BKNGASST';
const SUPPORT = 'PROJECT-SUPPORTL';
const SENTINELS = ['SENTINEL-adk-stripe-4e1a', 'SENTINEL-adk-payroll-93c0', 'SENTINEL-adk-openai-27bd', 'SENTINEL-adk-amadeus-d5f8'];

let v: TestVault;
let dir: string;
let repo: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  ({ dir, project: repo } = copyProject('adk-repo'));
  v = await startTestVault();
  const api = v.api();
  // The booking project's agent has a display name of its own in the vault; project_name wins in the summary.
  await api.createAgent({ id: BOOKING, name: 'Booking (vault name)' });
  await api.createAgent({ id: SUPPORT, name: 'Support' });
  await api.createAgent({ id: 'hr-agent', name: 'HR agent' });
  await api.createSecret({ name: 'amadeus', description: 'Flight search API', value: { client_id: SENTINELS[3]!, client_secret: SENTINELS[3]! }, agents: [BOOKING] });
  await api.createSecret({ name: 'openai_key', value: SENTINELS[2]!, agents: [SUPPORT] });
  await api.createSecret({ name: 'payroll_token', description: 'Payroll API', value: SENTINELS[1]!, agents: ['hr-agent'] });
  await api.createSecret({ name: 'stripe_api_key', description: 'Stripe secret key', value: SENTINELS[0]!, agents: [BOOKING, 'hr-agent'] });
}, 120_000);

afterAll(async () => {
  await v?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const live = () => ({ SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey });
const check = (args: string[], cwd = repo) => runCli(['check', ...args], { cwd, env: live() });
const findings = (r: RunResult) => (JSON.parse(r.out) as { findings: CheckFinding[] }).findings;
/** The vault's URL has a port of the run: written as <VAULT> in the expected files. */
const portless = (s: string) => s.replaceAll(v.url, '<VAULT>');

describe('check with no --agent on a repository of ADK projects', () => {
  it('text: findings per file against each file’s agent, the conflicted file not checked, the agents and the files with none', async () => {
    const r = await check([]);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected('adk-repo.txt'));
    expect(r.code).toBe(1);
  });

  it('json: the old fields as before, and agents, withoutAgent, configProblems', async () => {
    const r = await check(['--format', 'json']);
    expect(portless(r.out)).toBe(expected('adk-repo.json'));
    const report = JSON.parse(r.out);
    expect(report.agent).toBeNull();
    expect(Object.keys(report)).toEqual(['tool', 'vault', 'snapshot', 'agent', 'failOn', 'failed', 'summary', 'findings', 'skipped', 'agents', 'withoutAgent', 'configProblems']);
  });

  it('sarif: exact, valid against the SARIF 2.1.0 schema, agents in the run properties, the conflict and the broken project as notifications', async () => {
    const r = await check(['--format', 'sarif']);
    const log = JSON.parse(r.out);
    expect(sarifValidator()(log)).toEqual([]);
    const base = `${new URL(`file://${repo}`).href}/`;
    expect(r.out.replaceAll(base, 'file:///REPO/')).toBe(expected('adk-repo.sarif'));
    const run = log.runs[0];
    expect(run.properties.agents.map((a: { id: string }) => a.id)).toEqual([BOOKING, 'PROJECT-GHOSTAGT', 'hr-agent', SUPPORT]);
    expect(run.invocations[0].toolConfigurationNotifications.map((n: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => n.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(['broken/project.yaml']);
  });

  it('github: annotations, a notice for the conflicted file, a warning for the broken project, the agents in the log', async () => {
    const r = await check(['--format', 'github']);
    expect(r.out).toBe(expected('adk-repo.github'));
    expect(r.code).toBe(1);
  });

  it('no output holds a value, a generated file’s or a conflicted file’s references', async () => {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = await check(['--format', format]);
      for (const s of SENTINELS) expect(r.out + r.err).not.toContain(s);
      for (const name of ['stub_only_secret', 'studio_copy_secret', 'rtc_only_secret', 'stripe_api_key_v2', 'stripe_api_key_v3']) expect(r.out).not.toContain(name);
    }
  });

  it('a snapshot of the same vault, without an agent, gives the same output', async () => {
    const snap = await runCli(['snapshot'], { cwd: repo, env: live() });
    expect(snap.code).toBe(0);
    const file = path.join(dir, 'adk-snapshot.json');
    writeFileSync(file, snap.out);
    const r = await runCli(['check', '--snapshot', file], { cwd: repo });
    expect(r.out).toBe(expected('adk-repo.txt'));
  });

  it('--agent wins over every project and secrets-vault.json: one agent for all, said as before', async () => {
    const r = await check(['--agent', 'hr-agent', 'support', 'scripts', 'agents']);
    expect(r.out).not.toContain('Agents checked:');
    const json = findings(await check(['--format', 'json', '--agent', 'hr-agent', 'support', 'scripts', 'agents']));
    expect(json.filter((f) => f.code === 'not-granted').map((f) => `${f.path}: ${f.message}`)).toEqual([
      "agents/booking/PROJECT-BKNGASST/flows/checkout/functions/confirm_booking.py: Secret 'amadeus' is not granted to agent 'hr-agent' (granted to: PROJECT-BKNGASST).",
      "support/functions/handoff.py: Secret 'openai_key' is not granted to agent 'hr-agent' (granted to: PROJECT-SUPPORTL).",
    ]);
  });

  it('run inside a project folder, the project.yaml above it applies', async () => {
    const functions = path.join(repo, 'agents/booking/PROJECT-BKNGASST/functions');
    const r = await check([], functions);
    expect(r.out).toBe(
      [
        'take_payment.py',
        `  take_payment.py:8:38  error    not-granted     Secret 'payroll_token' is not granted to agent '${BOOKING}' (granted to: hr-agent).`,
        '',
        'Agents checked:',
        `  ${BOOKING} (Booking Assistant): 2 files, from ../project.yaml`,
        '',
        '1 problem (1 error, 0 warnings, 0 info) in 1 file: 2 files checked, 0 skipped.',
        '',
      ].join('\n'),
    );
  });

  it('a secrets-vault.json naming an agent in the working folder applies to every project below it, said as before', async () => {
    const config = path.join(repo, 'secrets-vault.json');
    writeFileSync(config, JSON.stringify({ agent: SUPPORT }));
    try {
      const r = await check(['--format', 'json']);
      const report = JSON.parse(r.out);
      expect(report.agent).toBe(SUPPORT);
      // legacy/ has its own secrets-vault.json, nearer to its files.
      expect(report.agents.map((a: { id: string; source: string }) => [a.id, a.source])).toEqual([
        ['hr-agent', 'legacy/secrets-vault.json'],
        [SUPPORT, 'secrets-vault.json'],
      ]);
      expect(report.withoutAgent).toEqual([]);
      expect(report.configProblems).toEqual([]);
      const agentsInMessages = new Set(report.findings.filter((f: CheckFinding) => f.code === 'not-granted').map((f: CheckFinding) => /agent '([^']+)'/.exec(f.message)![1]));
      expect([...agentsInMessages].sort()).toEqual([SUPPORT, 'hr-agent']);
    } finally {
      rmSync(config);
    }
  });

  it('a project name from project.yaml cannot forge lines, terminal sequences or workflow commands', async () => {
    const evil = path.join(dir, 'evil-project');
    mkdirSync(path.join(evil, 'functions'), { recursive: true });
    writeFileSync(path.join(evil, 'project.yaml'), 'project_id: PROJECT-EVILNAME\nproject_name: "Evil\\e[8m hidden\\n::error title=pwned::gotcha"\n');
    writeFileSync(path.join(evil, 'functions/a.py'), "conv.utils.get_secret('stripe_api_key')\n");
    writeFileSync(path.join(evil, 'b.py'), '');
    for (const format of ['text', 'github']) {
      const r = await check(['--format', format, 'functions', 'b.py'], evil);
      expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
      expect(r.out).toContain('  PROJECT-EVILNAME (Evil\\x1b[8m hidden\\n::error title=pwned::gotcha, not in the vault): 2 files, from project.yaml');
      // The only workflow commands are the check's own annotations.
      expect(r.out.split('\n').filter((l) => /^\s*::/.test(l)).every((l) => l.startsWith('::error file=functions/a.py,'))).toBe(true);
    }
  });

  it('once the conflict is resolved, the file is checked', async () => {
    const file = path.join(repo, 'support/functions/conflicted.py');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, before.replace(/<<<<<<< HEAD\n(.*\n)=======\n.*\n>>>>>>> origin\/main\n/, '$1'));
    try {
      const r = await check(['--format', 'json', 'support']);
      const report = JSON.parse(r.out);
      expect(report.skipped).toEqual([]);
      expect(report.findings.map((f: CheckFinding) => `${f.path} ${f.code} ${f.message}`)).toContain(
        "support/functions/conflicted.py unknown-secret Secret 'stripe_api_key_v2' does not exist in the vault. Did you mean 'stripe_api_key'?",
      );
    } finally {
      writeFileSync(file, before);
    }
  });
});
