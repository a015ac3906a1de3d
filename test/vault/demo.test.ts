// The demo as a person meets it: its workspace is the Booking agent's Agent Studio project, laid out
// as `poly pull` leaves one; the demo vault's metadata makes exactly the two problems its README
// promises, in `secrets-vault check` against a live vault; its functions import with the
// project's own `_gen` stubs; a demo vault seeded when the agents had other ids moves their access to
// the Agent Studio ids; and `npm start`'s copy of an older workspace gains the project's files.

import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { projectFromManifest } from '../../protocol/adkProject';
import type { CheckFinding } from '../../protocol/check';
import { addTerminalPath, cliBinFolder, prepareWorkspace } from '../../scripts/editor.mjs';
import { DEMO_AGENTS, DEMO_BILLING_AGENT, DEMO_BOOKING_AGENT, DEMO_SECRETS, DEMO_SUPPORT_AGENT, seedDemo } from '../../vault/src/demo';
import { runCli } from '../check/helpers';
import { configWithAgent } from '../../client/src/core/workspaceConfigEdit';
import { startTestVault, type TestVault } from '../helpers/vault';

const ROOT = path.resolve(__dirname, '../..');
const WORKSPACE = path.join(ROOT, 'vault', 'demo', 'workspace');
const HEADER = 'from _gen import *  # <AUTO GENERATED>';
const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'sv-demo-'));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** The workspace's files, relative, with '/' separators. */
function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, r) : [r];
  });
}

describe('the demo workspace is the Booking agent’s ADK project', () => {
  const files = filesUnder(WORKSPACE);

  it('project.yaml names the agent the demo vault seeds, with its display name', () => {
    const manifest = parseYaml(readFileSync(path.join(WORKSPACE, 'project.yaml'), 'utf8')) as Record<string, unknown>;
    const booking = DEMO_AGENTS.find((a) => a.id === DEMO_BOOKING_AGENT)!;
    expect(manifest).toEqual({ project_id: DEMO_BOOKING_AGENT, account_id: expect.any(String), region: 'euw-1', project_name: booking.name });
    // As the editor and check read it.
    expect(projectFromManifest(manifest)).toEqual({ project: { id: DEMO_BOOKING_AGENT, name: 'Booking agent', accountId: expect.any(String), region: 'euw-1' } });
    expect(DEMO_BOOKING_AGENT).toMatch(/^PROJECT-[A-Z0-9]{8}$/);
    for (const a of DEMO_AGENTS) expect(a.id).toMatch(/^PROJECT-[A-Z0-9]{8}$/);
  });

  it('has global, lifecycle and flow functions, each starting as pull writes it, with the platform’s signatures', () => {
    const functions = files.filter((f) => /^(functions|flows\/[^/]+\/(functions|function_steps))\/[^/]+\.py$/.test(f));
    expect(functions).toEqual(expect.arrayContaining(['functions/start_function.py', 'functions/end_function.py', 'functions/book_hotel.py']));
    expect(functions.some((f) => /^flows\/[^/]+\/functions\//.test(f))).toBe(true);
    expect(functions.some((f) => /^flows\/[^/]+\/function_steps\//.test(f))).toBe(true);
    for (const f of functions) {
      const text = readFileSync(path.join(WORKSPACE, f), 'utf8');
      expect(text.split('\n')[0], f).toBe(HEADER);
      const name = path.basename(f, '.py');
      if (f.startsWith('flows/')) {
        // Flow functions take the flow after the conversation: (conv: Conversation, flow: Flow, …).
        expect(text, f).toContain(`def ${name}(conv: Conversation, flow: Flow`);
      } else if (name !== 'check_credentials') {
        expect(text, f).toMatch(new RegExp(`def ${name}\\(conv: Conversation[,)]`));
      }
    }
    expect(readFileSync(path.join(WORKSPACE, 'flows/hotel_booking/function_steps/check_availability.py'), 'utf8')).toContain(
      'def check_availability(conv: Conversation, flow: Flow):',
    );
  });

  it('names a granted single-value demo secret in experimental_config.json, as the MCP server’s auth.secret_name', () => {
    const config = JSON.parse(readFileSync(path.join(WORKSPACE, 'agent_settings/experimental_config.json'), 'utf8')) as {
      llm: { mcp_servers: { url: string; auth: { header?: string; secret_name?: string } }[] };
    };
    const [server] = config.llm.mcp_servers;
    expect(server!.url).toMatch(/^https:\/\//);
    const secret = DEMO_SECRETS.find((s) => s.name === server!.auth.secret_name);
    expect(secret, server!.auth.secret_name).toBeDefined();
    expect(typeof secret!.value()).toBe('string');
    expect(secret!.agents).toContain(DEMO_BOOKING_AGENT);
  });

  it('carries a _gen folder shaped as pull leaves it: stubs, and the status file as base64 JSON', () => {
    expect(files).toEqual(expect.arrayContaining(['_gen/__init__.py', '_gen/.agent_studio_config']));
    const status = JSON.parse(Buffer.from(readFileSync(path.join(WORKSPACE, '_gen/.agent_studio_config'), 'utf8'), 'base64').toString('utf8')) as Record<string, unknown>;
    expect(status).toMatchObject({ project_name: 'Booking agent', branch_id: 'main' });
    // Nothing the demo's `npm start` or a Python run left behind.
    expect(files.filter((f) => f.includes('__pycache__') || f === 'secrets-vault.json')).toEqual([]);
  });

  it('every function imports on a plain Python (its standard library only: no site-packages) with the project’s own _gen stubs', () => {
    const functions = files.filter((f) => f.endsWith('.py') && !f.startsWith('_gen/'));
    const script = [
      'import importlib.util, sys',
      'sys.path.insert(0, ".")',
      'sys.dont_write_bytecode = True',
      'for i, f in enumerate(sys.argv[1:]):',
      '    spec = importlib.util.spec_from_file_location("demo_%d" % i, f)',
      '    module = importlib.util.module_from_spec(spec)',
      '    spec.loader.exec_module(module)',
      '    name = f.rsplit("/", 1)[-1][:-3]',
      '    if name != "check_credentials": assert callable(getattr(module, name)), f',
      'print("imported", len(sys.argv) - 1)',
    ].join('\n');
    // -S: no site-packages, so a third-party import (requests, say) fails here as on a fresh machine.
    const r = spawnSync('python3', ['-S', '-c', script, ...functions], { cwd: WORKSPACE, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`imported ${functions.length}`);
  });
});

describe('the demo vault and its workspace', () => {
  let tv: TestVault;
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
    tv = await startTestVault();
    await seedDemo(tv.api(), 'snake_case');
  }, 120_000);
  afterAll(() => tv?.stop());

  it('check, with no --agent, holds the workspace to its project’s agent and finds exactly the two problems the README promises', async () => {
    const copy = path.join(tempDir(), 'workspace');
    cpSync(WORKSPACE, copy, { recursive: true });
    const r = await runCli(['check', '--format', 'json'], {
      cwd: copy,
      env: { SECRETS_VAULT_URL: tv.url, SECRETS_VAULT_TOKEN: tv.adminKey },
    });
    expect(r.err).toBe('');
    const findings = (JSON.parse(r.out) as { findings: CheckFinding[] }).findings;
    expect(findings.map((f) => `${f.path}:${f.line} ${f.code}`)).toEqual(['functions/refund_payment.py:9 not-granted', 'functions/send_confirmation.py:10 unknown-secret']);
    const readme = readFileSync(path.join(WORKSPACE, 'README.md'), 'utf8');
    expect(readme).toContain('`functions/refund_payment.py` reads a secret that is **not granted**');
    expect(readme).toContain('`functions/send_confirmation.py` has a **misspelt** name');
  });

  it('Run as the Booking agent on refund_payment.py fails with the MissingAccess the README promises', async () => {
    const copy = path.join(tempDir(), 'workspace');
    cpSync(WORKSPACE, copy, { recursive: true });
    const r = await runCli(['run', '--agent', DEMO_BOOKING_AGENT, '--function', 'functions/refund_payment.py:refund_payment', '--args', '{"payment_intent": "pi_demo"}'], {
      cwd: copy,
      env: { SECRETS_VAULT_URL: tv.url, SECRETS_VAULT_TOKEN: tv.adminKey, PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(r.err).not.toContain('ModuleNotFoundError');
    expect(r.err).toContain('functions/refund_payment.py", line 9, in refund_payment');
    expect(r.err.trim().split('\n').at(-1)).toBe(`secrets_vault.adk.MissingAccess: Agent '${DEMO_BOOKING_AGENT}' may not read that secret: it does not exist or is not granted to this agent.`);
    expect(r.code).toBe(1);
    const readme = readFileSync(path.join(WORKSPACE, 'README.md'), 'utf8');
    expect(readme).toMatch(/refund_payment\.py[\s\S]*MissingAccess/);
  });

  it("run without --agent runs as the folder's agent: project.yaml's, then the one Choose Agent writes to secrets-vault.json", async () => {
    const copy = path.join(tempDir(), 'workspace');
    cpSync(WORKSPACE, copy, { recursive: true });
    const env = { SECRETS_VAULT_URL: tv.url, SECRETS_VAULT_TOKEN: tv.adminKey, PYTHONDONTWRITEBYTECODE: '1' };
    const printAgent = ['run', '--', 'python3', '-c', 'import os; print(os.environ["SECRETS_VAULT_AGENT"])'];
    const fromProject = await runCli(printAgent, { cwd: path.join(copy, 'functions'), env });
    expect([fromProject.code, fromProject.out, fromProject.err]).toEqual([0, `${DEMO_BOOKING_AGENT}\n`, `secrets-vault: running as ${DEMO_BOOKING_AGENT} (from ../project.yaml).\n`]);
    const refund = await runCli(['run', '--function', 'functions/refund_payment.py:refund_payment', '--args', '{"payment_intent": "pi_demo"}'], { cwd: copy, env });
    expect(refund.err.trim().split('\n').at(-1)).toBe(`secrets_vault.adk.MissingAccess: Agent '${DEMO_BOOKING_AGENT}' may not read that secret: it does not exist or is not granted to this agent.`);
    // The file as Choose Agent creates it where there is none.
    writeFileSync(path.join(copy, 'secrets-vault.json'), configWithAgent(undefined, DEMO_BILLING_AGENT)!);
    const fromConfig = await runCli(printAgent, { cwd: copy, env });
    expect([fromConfig.code, fromConfig.out]).toEqual([0, `${DEMO_BILLING_AGENT}\n`]);
    const nowhere = await runCli(printAgent, { cwd: tempDir(), env });
    expect(nowhere.code).toBe(2);
    expect(nowhere.err).toContain('No agent to run as: give --agent, or run in a folder whose secrets-vault.json names one');
  });

  it('the agents have Agent Studio ids and the names project.yaml gives', async () => {
    const agents = await tv.api().listAgents();
    expect(agents.map((a) => [a.id, a.name]).sort()).toEqual(
      [
        [DEMO_BOOKING_AGENT, 'Booking agent'],
        [DEMO_SUPPORT_AGENT, 'Support agent'],
        [DEMO_BILLING_AGENT, 'Billing agent'],
      ].sort(),
    );
  });
});

describe('a demo vault seeded with the earlier agent ids', () => {
  it('moves each access list to the Agent Studio ids, keeping what a person changed, and drops the earlier agents', async () => {
    const tv = await startTestVault();
    try {
      const api = tv.api();
      for (const id of ['booking-agent', 'support-agent', 'billing-agent']) await api.createAgent({ id });
      await api.createSecret({ name: 'hotel_api', value: { base_url: 'u', api_key: 'k' }, agents: ['booking-agent'] });
      // Granted by a person after seeding, to two of the agents.
      await api.createSecret({ name: 'shared_key', value: 'v', agents: ['booking-agent', 'support-agent'] });
      await seedDemo(api, 'snake_case');
      expect((await api.listAgents()).map((a) => a.id).sort()).toEqual([DEMO_BOOKING_AGENT, DEMO_BILLING_AGENT, DEMO_SUPPORT_AGENT].sort());
      const byName = new Map((await api.listSecrets()).map((s) => [s.name, s.agents]));
      expect(byName.get('hotel_api')).toEqual([DEMO_BOOKING_AGENT]);
      expect(byName.get('shared_key')).toEqual([DEMO_BOOKING_AGENT, DEMO_SUPPORT_AGENT].sort());
      // The secrets the earlier seed lacked are added; a second start changes nothing.
      expect(byName.get('stripe_api_key')).toEqual([DEMO_BILLING_AGENT]);
      const before = await api.listSecrets();
      expect(await seedDemo(api, 'snake_case')).toEqual({ agents: 3, secrets: 0 });
      expect(await api.listSecrets()).toEqual(before);
    } finally {
      await tv.stop();
    }
  });
});

describe("npm start's copy of the demo workspace", () => {
  it('is copied whole the first time, and an older copy without project.yaml gains the project’s files and keeps its own', () => {
    const fresh = path.join(tempDir(), 'fresh');
    prepareWorkspace(fresh, { vaultUrl: 'http://127.0.0.1:9' });
    for (const f of filesUnder(WORKSPACE)) expect(existsSync(path.join(fresh, f)), f).toBe(true);

    const older = path.join(tempDir(), 'older');
    mkdirSync(path.join(older, 'functions'), { recursive: true });
    const edited = '"""A function a person changed in the older demo."""\n';
    writeFileSync(path.join(older, 'functions', 'book_hotel.py'), edited);
    writeFileSync(path.join(older, 'secrets-vault.json'), '{"vault": "http://127.0.0.1:1", "agent": "booking-agent"}\n');
    prepareWorkspace(older, { vaultUrl: 'http://127.0.0.1:9' });
    expect(readFileSync(path.join(older, 'functions', 'book_hotel.py'), 'utf8')).toBe(edited);
    for (const f of ['project.yaml', '_gen/__init__.py', 'functions/start_function.py', 'agent_settings/experimental_config.json']) {
      expect(readFileSync(path.join(older, f), 'utf8'), f).toBe(readFileSync(path.join(WORKSPACE, f), 'utf8'));
    }
    // The vault URL only: the agent comes from project.yaml, and the older file's agent is gone.
    expect(JSON.parse(readFileSync(path.join(older, 'secrets-vault.json'), 'utf8'))).toEqual({ vault: 'http://127.0.0.1:9' });
    expect(JSON.parse(readFileSync(path.join(fresh, 'secrets-vault.json'), 'utf8'))).toEqual({ vault: 'http://127.0.0.1:9' });

    // Once it is a project, a later start leaves every file as the person left it.
    writeFileSync(path.join(older, 'project.yaml'), readFileSync(path.join(WORKSPACE, 'project.yaml'), 'utf8'));
    rmSync(path.join(older, 'functions', 'end_function.py'));
    prepareWorkspace(older, { vaultUrl: 'http://127.0.0.1:9' });
    expect(existsSync(path.join(older, 'functions', 'end_function.py'))).toBe(false);
  });
});

describe('npm start puts secrets-vault on the PATH of the demo editor’s terminals', () => {
  it('a bin folder whose secrets-vault runs the built CLI, and the workspace’s terminals get it first on their PATH, other settings kept', () => {
    const state = tempDir();
    const bin = cliBinFolder(state);
    const version = spawnSync('secrets-vault', ['--version'], { encoding: 'utf8', env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` } });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const workspace = path.join(state, 'workspace');
    mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), '{\n  "editor.tabSize": 4\n}\n');
    addTerminalPath(workspace, bin);
    addTerminalPath(workspace, bin);
    const settings = JSON.parse(readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(settings).toEqual({
      'editor.tabSize': 4,
      'terminal.integrated.env.linux': { PATH: `${bin}:\${env:PATH}` },
      'terminal.integrated.env.osx': { PATH: `${bin}:\${env:PATH}` },
      'terminal.integrated.env.windows': { PATH: `${bin};\${env:PATH}` },
    });
  });
});
