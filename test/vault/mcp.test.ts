// `secrets-vault mcp` as a coding assistant sees it: an MCP client from the same SDK starts the built
// CLI over stdio against a real vault, lists the tools and their schemas, calls every tool, sends
// bad input, and reads the vault's audit of the calls.

import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVault, type TestVault } from '../helpers/vault';
import { CREATE_SECRET_LINK_KEY_ENV, parseCreateSecretLink } from '../../protocol/assistantClient';
import { verifyCreateSecretLink } from '../../client/src/core/createSecretLinks';

const CLI = path.resolve('dist/vault/cli.js');
const execFileAsync = promisify(execFile);

let v: TestVault;
let dir: string;
let developerKey: string;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  v = await startTestVault();
  const api = v.api();
  await api.createAgent({ id: 'booking-agent', name: 'Booking' });
  await api.createAgent({ id: 'billing-agent', name: 'Billing' });
  await api.createSecret({ name: 'stripe_api_key', value: 'sk_live_value_never_shown', description: 'Stripe for payments', agents: ['booking-agent'] });
  await api.createSecret({ name: 'crm_oauth', value: { client_id: 'cid-value', client_secret: 'csecret-value' }, description: 'CRM login' });
  developerKey = (await api.createUserKey({ name: 'dev-laptop', role: 'developer' })).token;
  dir = mkdtempSync(path.join(tmpdir(), 'sv-mcp-test-'));
  mkdirSync(path.join(dir, 'functions'));
  writeFileSync(path.join(dir, 'secrets-vault.json'), JSON.stringify({ agent: 'booking-agent' }));
  writeFileSync(
    path.join(dir, 'functions', 'pay.py'),
    "def pay(conv):\n    key = conv.utils.get_secret('stripe_api_key')\n    creds = conv.utils.get_secret('crm_oauth')\n    return creds['client_id'], key\n",
  );
}, 120_000);
afterAll(async () => {
  await v?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function connect(args: string[] = [], token = v.adminKey, name = 'test-assistant', extraEnv: Record<string, string> = {}): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: token, ...extraEnv },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (c) => (err += String(c)));
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err };
}

function json(result: unknown): any {
  const r = result as { content: { type: string; text: string }[]; isError?: boolean };
  expect(r.isError ?? false).toBe(false);
  return JSON.parse(r.content[0]!.text);
}

function errorText(result: unknown): string {
  const r = result as { content: { type: string; text: string }[]; isError?: boolean };
  expect(r.isError).toBe(true);
  return r.content.map((c) => c.text).join('\n');
}

describe('secrets-vault mcp', () => {
  it('lists read-only tools by default, each with a description and a JSON schema', async () => {
    const { client } = await connect();
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['access_review', 'check_code', 'check_workspace', 'explain_secret', 'list_secrets', 'snippet']);
      for (const t of tools) {
        expect(t.description!.length).toBeGreaterThan(40);
        expect(t.inputSchema.type).toBe('object');
        expect(t.annotations?.readOnlyHint).toBe(true);
        // No tool takes or names a value.
        expect(Object.keys(t.inputSchema.properties ?? {})).not.toContain('value');
      }
      const explain = tools.find((t) => t.name === 'explain_secret')!;
      expect(explain.inputSchema.required).toEqual(['name']);
      // A request tool is not there to call.
      const r = await client.callTool({ name: 'request_access', arguments: { secret: 'stripe_api_key', agent: 'billing-agent', reason: 'payments' } });
      expect(errorText(r)).toMatch(/not found|request_access/i);
    } finally {
      await client.close();
    }
  });

  it('list_secrets: names, kinds, keys, whether the agent may read each, expiry and rotation', async () => {
    const { client } = await connect();
    try {
      const out = json(await client.callTool({ name: 'list_secrets', arguments: {} }));
      expect(out.agent).toBe('booking-agent');
      expect(out.secrets).toEqual([
        { name: 'crm_oauth', description: 'CRM login', kind: 'key/value', keys: ['client_id', 'client_secret'], agentMayRead: false, expiry: 'never expires', rotation: 'no rotation reminder' },
        { name: 'stripe_api_key', description: 'Stripe for payments', kind: 'single value', keys: [], agentMayRead: true, expiry: 'never expires', rotation: 'no rotation reminder' },
      ]);
      const filtered = json(await client.callTool({ name: 'list_secrets', arguments: { agent: 'billing-agent', filter: 'STRIPE' } }));
      expect(filtered.secrets.map((s: { name: string; agentMayRead: boolean }) => [s.name, s.agentMayRead])).toEqual([['stripe_api_key', false]]);
      expect(errorText(await client.callTool({ name: 'list_secrets', arguments: { agent: 'nobody' } }))).toContain("no agent 'nobody'");
    } finally {
      await client.close();
    }
  });

  it('explain_secret: the metadata, the agents granted and where the workspace reads it', async () => {
    const { client } = await connect();
    try {
      const out = json(await client.callTool({ name: 'explain_secret', arguments: { name: 'stripe_api_key' } }));
      expect(out).toMatchObject({ name: 'stripe_api_key', kind: 'single value', agentsGranted: ['booking-agent'], agentMayRead: true });
      expect(out.usages).toEqual([{ path: 'functions/pay.py', line: 2, column: expect.any(Number) }]);
      expect(errorText(await client.callTool({ name: 'explain_secret', arguments: { name: 'stripe_key' } }))).toContain("no secret 'stripe_key'");
      // Bad input: the schema's error, not a crash.
      expect(errorText(await client.callTool({ name: 'explain_secret', arguments: {} }))).toMatch(/name/);
      expect(errorText(await client.callTool({ name: 'explain_secret', arguments: { name: 42 } }))).toMatch(/name/);
    } finally {
      await client.close();
    }
  });

  it('check_code and check_workspace: the editor\'s diagnostics with their codes', async () => {
    const { client } = await connect();
    try {
      const file = json(await client.callTool({ name: 'check_code', arguments: { path: 'functions/pay.py' } }));
      expect(file.findings.map((f: { code: string; line: number }) => [f.code, f.line])).toEqual([['not-granted', 3]]);
      const code = json(
        await client.callTool({ name: 'check_code', arguments: { language: 'python', code: "def f(conv):\n    return conv.utils.get_secret('strip_api_key')\n", agent: 'booking-agent' } }),
      );
      expect(code.findings).toHaveLength(1);
      expect(code.findings[0]).toMatchObject({ path: '(code)', line: 2, code: 'unknown-secret', severity: 'error' });
      expect(code.findings[0].message).toContain("Did you mean 'stripe_api_key'?");
      expect(errorText(await client.callTool({ name: 'check_code', arguments: { path: '../etc' } }))).toContain('outside the workspace');
      expect(errorText(await client.callTool({ name: 'check_code', arguments: {} }))).toContain('either path');
      expect(errorText(await client.callTool({ name: 'check_code', arguments: { code: 'x = 1' } }))).toContain('language');
      const ws = json(await client.callTool({ name: 'check_workspace', arguments: {} }));
      expect(ws).toMatchObject({ filesChecked: 1, findings: 1, byCode: { 'not-granted': 1 }, files: [{ path: 'functions/pay.py', findings: 1 }] });
    } finally {
      await client.close();
    }
  });

  it("check_code reads the platform's keyword secret_name= and reports a read with no name", async () => {
    const { client } = await connect();
    try {
      const code = [
        'def f(conv):',
        "    creds = conv.utils.get_secret(secret_name='crm_oauth')",
        "    key = conv.utils.get_secret(secret_name='stripe_api_key')",
        '    print(key)',
        '    return conv.utils.get_secret(), creds',
        '',
      ].join('\n');
      const out = json(await client.callTool({ name: 'check_code', arguments: { language: 'python', code, agent: 'booking-agent' } }));
      expect(out.findings.map((f: { code: string; line: number; severity: string }) => [f.code, f.line, f.severity])).toEqual([
        ['not-granted', 2, 'error'],
        ['secret-in-log', 4, 'warning'],
        ['missing-name', 5, 'error'],
      ]);
      expect(out.findings[2].rule).toBe('A secret is read without a name.');
    } finally {
      await client.close();
    }
  });

  it("check_code gives each finding the titles of the editor's quick fixes, as offered to the user's role", async () => {
    const admin = await connect();
    const developer = await connect([], developerKey, 'dev-assistant');
    try {
      // An admin is offered the vault change, a developer a request to the admins.
      const asAdmin = json(await admin.client.callTool({ name: 'check_code', arguments: { path: 'functions/pay.py' } }));
      expect(asAdmin.findings.map((f: { code: string; quickFixes: string[] }) => [f.code, f.quickFixes])).toEqual([['not-granted', ["Grant 'booking-agent' access to 'crm_oauth'"]]]);
      const asDeveloper = json(await developer.client.callTool({ name: 'check_code', arguments: { path: 'functions/pay.py' } }));
      expect(asDeveloper.findings.map((f: { code: string; quickFixes: string[] }) => [f.code, f.quickFixes])).toEqual([
        ['not-granted', ["Request access for 'booking-agent' to 'crm_oauth'…"]],
      ]);
      const typo = json(
        await admin.client.callTool({ name: 'check_code', arguments: { language: 'python', code: "def f(conv):\n    return conv.utils.get_secret('strip_api_key')\n", agent: 'booking-agent' } }),
      );
      expect(typo.findings[0].quickFixes).toEqual(["Change to 'stripe_api_key'", "Create secret 'strip_api_key'…"]);
      // A hard-coded key: the fix moves it to the vault under a suggested name; no title holds any of the key.
      const key = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dcQq'].join('_');
      const hardcodedResult = await admin.client.callTool({ name: 'check_code', arguments: { language: 'python', code: `STRIPE = '${key}'\n`, agent: 'booking-agent' } });
      const hardcoded = json(hardcodedResult);
      expect(hardcoded.findings.map((f: { code: string; quickFixes: string[] }) => [f.code, f.quickFixes])).toEqual([['hardcoded-secret', ["Move to vault as 'stripe'…"]]]);
      const out = JSON.stringify(hardcodedResult);
      for (let i = 0; i + 8 <= key.length; i++) expect(out).not.toContain(key.slice(i, i + 8));
    } finally {
      await admin.client.close();
      await developer.client.close();
    }
  });

  it("snippet: the code that reads the secret in the project's style, never its value", async () => {
    const { client } = await connect();
    try {
      expect(json(await client.callTool({ name: 'snippet', arguments: { name: 'stripe_api_key', language: 'python' } })).code).toBe(
        "stripe_api_key = conv.utils.get_secret('stripe_api_key')",
      );
      expect(json(await client.callTool({ name: 'snippet', arguments: { name: 'crm_oauth', language: 'python', style: 'secret_vault' } })).code).toBe(
        "from utils.secret_vault import secret_vault\n\ncreds = secret_vault('crm_oauth')\nclient_id = creds['client_id']\nclient_secret = creds['client_secret']",
      );
      expect(json(await client.callTool({ name: 'snippet', arguments: { name: 'stripe_api_key', language: 'typescript' } })).code).toBe(
        'const stripeApiKey = process.env.stripe_api_key;',
      );
      expect(errorText(await client.callTool({ name: 'snippet', arguments: { name: 'crm_oauth', language: 'python', style: 'os.environ' } }))).toContain('key/value');
      expect(errorText(await client.callTool({ name: 'snippet', arguments: { name: 'stripe_api_key', language: 'cobol' } }))).toMatch(/language/);
    } finally {
      await client.close();
    }
  });

  it('with --allow-requests: request_access files a request as the user, propose_secret stores nothing', async () => {
    const dev = await connect(['--allow-requests'], developerKey);
    try {
      expect((await dev.client.listTools()).tools.map((t) => t.name)).toEqual(expect.arrayContaining(['request_access', 'propose_secret']));
      const r = json(await dev.client.callTool({ name: 'request_access', arguments: { secret: 'crm_oauth', agent: 'booking-agent', reason: 'the CRM sync function' } }));
      expect(r.outcome).toBe('created');
      const pending = await v.api().listAccessRequests('pending');
      expect(pending.map((p) => [p.secret, p.agent, p.requestedBy])).toEqual([['crm_oauth', 'booking-agent', 'dev-laptop']]);
      expect((await v.api().getSecret('crm_oauth')).agents).toEqual([]);
      expect(errorText(await dev.client.callTool({ name: 'propose_secret', arguments: { name: 'twilio_token', kind: 'single' } }))).toContain('Only admins');
    } finally {
      await dev.client.close();
    }
    const admin = await connect(['--allow-requests']);
    try {
      const before = (await v.api().listSecrets()).length;
      const p = json(await admin.client.callTool({ name: 'propose_secret', arguments: { name: 'twilio_auth', kind: 'kv', keys: ['sid', 'token'], description: 'SMS', agents: ['booking-agent'] } }));
      expect(p.stored).toBe(false);
      expect(p.command).toBe('secrets-vault secrets create twilio_auth --description SMS --kv --key sid token --agent booking-agent');
      // Outside the editor the server has no key to sign a Create Secret link with: it offers none.
      expect(p.link).toBeUndefined();
      expect(p.editor).toEqual({ command: 'secretsVault.createSecret', arguments: [{ name: 'twilio_auth', agent: 'booking-agent', keys: ['sid', 'token'] }] });
      expect((await v.api().listSecrets()).length).toBe(before);
      expect(errorText(await admin.client.callTool({ name: 'propose_secret', arguments: { name: 'twilio_auth', kind: 'kv', value: 'x' } }))).toBeTruthy();
    } finally {
      await admin.client.close();
    }
  });

  it("the editor's server (given a link key) offers propose_secret, whose link the editor verifies once, and the key goes nowhere", async () => {
    const key = randomBytes(32);
    const admin = await connect([], v.adminKey, 'test-assistant', { [CREATE_SECRET_LINK_KEY_ENV]: key.toString('base64url') });
    try {
      const tools = (await admin.client.listTools()).tools.map((t) => t.name);
      expect(tools).toContain('propose_secret');
      expect(tools).not.toContain('request_access');
      const args = { name: 'twilio_auth', kind: 'kv', keys: ['sid', 'token'], description: 'SMS', agents: ['booking-agent'] };
      const p = json(await admin.client.callTool({ name: 'propose_secret', arguments: args }));
      const u = new URL(p.link);
      expect(`${u.protocol}//${u.host}${u.pathname}`).toBe('vscode://secrets-vault.secrets-vault/create-secret');
      const parsed = parseCreateSecretLink(u.pathname, u.search.slice(1))!;
      const seen = new Set<string>();
      const claim = (once: string) => (seen.has(once) ? false : (seen.add(once), true));
      const verdict = verifyCreateSecretLink(parsed, key, Date.now(), claim);
      expect(verdict).toMatchObject({ kind: 'signed', fields: { name: 'twilio_auth', agent: 'booking-agent', keys: ['sid', 'token'] } });
      expect(verifyCreateSecretLink(parsed, key, Date.now(), claim)).toEqual({ kind: 'refused', reason: 'replayed' });
      // Another session's key does not verify it; each proposal is a new link.
      expect(verifyCreateSecretLink(parsed, randomBytes(32), Date.now(), () => true)).toEqual({ kind: 'refused', reason: 'altered' });
      expect(json(await admin.client.callTool({ name: 'propose_secret', arguments: args })).link).not.toBe(p.link);
      expect(admin.stderr()).not.toContain(key.toString('base64url'));
      expect(JSON.stringify(p)).not.toContain(key.toString('base64url'));
    } finally {
      await admin.client.close();
    }
  });

  it('audits every tool call as the user, marked with the assistant, and secrets-vault audit shows it', async () => {
    const { client } = await connect([], developerKey, 'Claude Code');
    try {
      json(await client.callTool({ name: 'list_secrets', arguments: {} }));
      errorText(await client.callTool({ name: 'explain_secret', arguments: { name: 'no_such_secret' } }));
    } finally {
      await client.close();
    }
    const records = (await v.api().audit({ limit: 20 })).records.filter((r) => r.action === 'assistant.call');
    expect(records.slice(0, 2).map((r) => [r.actor, r.actorType, r.target, r.outcome, r.detail])).toEqual([
      ['dev-laptop', 'user', 'explain_secret no_such_secret', 'failed', 'assistant: mcp/Claude-Code'],
      ['dev-laptop', 'user', 'list_secrets', 'success', 'assistant: mcp/Claude-Code'],
    ]);
    // A change made through the assistant carries the marker too.
    const requested = (await v.api().audit({ limit: 50 })).records.find((r) => r.action === 'access.request' && r.target.includes('crm_oauth'));
    expect(requested?.detail).toContain('assistant: mcp/test-assistant');
    // Asynchronously: the vault runs in this process.
    const text = (await execFileAsync(process.execPath, [CLI, 'audit', '--limit', '5'], { env: { PATH: process.env.PATH ?? '', SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey } })).stdout;
    expect(text).toContain('assistant.call');
    expect(text).toContain('assistant: mcp/Claude-Code');
  });

  it('the vault validates the marker, and only a marked request records a tool call', async () => {
    const bad = await v.http('POST', '/v1/audit/assistant', { token: v.adminKey, body: { tool: 'list_secrets', target: '', outcome: 'success' }, headers: { 'x-secrets-vault-client': 'x'.repeat(81) } });
    expect(bad.status).toBe(400);
    const unmarked = await v.http('POST', '/v1/audit/assistant', { token: v.adminKey, body: { tool: 'list_secrets', target: '', outcome: 'success' } });
    expect(unmarked.status).toBe(400);
    const control = await v.http('GET', '/v1/secrets', { token: v.adminKey, headers: { 'x-secrets-vault-client': 'mcp/two words <b>' } });
    expect(control.status).toBe(400);
  });

  it('refuses to start without a token, or with a URL only secrets-vault.json names', () => {
    const noToken = (() => {
      try {
        execFileSync(process.execPath, [CLI, 'mcp'], { cwd: dir, env: { PATH: process.env.PATH ?? '', SECRETS_VAULT_URL: v.url }, stdio: ['ignore', 'pipe', 'pipe'] });
        return '';
      } catch (e) {
        return String((e as { stderr: Buffer }).stderr);
      }
    })();
    expect(noToken).toContain('No token');
    const repo = mkdtempSync(path.join(tmpdir(), 'sv-mcp-untrusted-'));
    writeFileSync(path.join(repo, 'secrets-vault.json'), JSON.stringify({ vault: 'http://127.0.0.1:9' }));
    try {
      execFileSync(process.execPath, [CLI, 'mcp'], { cwd: repo, env: { PATH: process.env.PATH ?? '', SECRETS_VAULT_TOKEN: v.adminKey }, stdio: ['ignore', 'pipe', 'pipe'] });
      expect.unreachable();
    } catch (e) {
      expect(String((e as { stderr: Buffer }).stderr)).toContain('--trust-config-url');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
