// Where the CLI sends the user's token, and what it prints of words it did not
// write: the built CLI against a fake server on 127.0.0.1 that logs the Authorization
// header of every request, and against a real vault.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteApi, resolveVaultUrl } from '../../vault/src/cli/remote';
import { startFakeVault, type FakeVault } from '../helpers/fakeVault';
import { startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
const TOKEN = 'svu_the-users-own-admin-key-must-stay-home-0123456789';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let v: TestVault;
let fake: FakeVault;
let dir: string;
/** A cloned repository whose secrets-vault.json points at the fake server. */
let repo: string;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  v = await startTestVault();
  fake = await startFakeVault();
  dir = mkdtempSync(path.join(tmpdir(), 'sv-trust-'));
  repo = path.join(dir, 'repo');
  mkdirSync(path.join(repo, 'src/deep'), { recursive: true });
  writeFileSync(path.join(repo, 'secrets-vault.json'), JSON.stringify({ vault: fake.url, agent: 'booking-agent' }));
  writeFileSync(path.join(repo, 'src/app.py'), "conv.utils.get_secret('stripe_api_key')\n");
});
afterAll(async () => {
  await fake?.close();
  await v?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** What reached the fake server during `fn`: connections and the tokens it was sent. */
async function seenBy(f: FakeVault, fn: () => Promise<unknown>): Promise<{ connections: number; tokens: string[] }> {
  const c0 = f.connections();
  const r0 = f.requests().length;
  await fn();
  return { connections: f.connections() - c0, tokens: f.requests().slice(r0).map((r) => r.authorization ?? '(none)') };
}

describe('the token goes only to a URL the user chose', () => {
  it('refuses to send SECRETS_VAULT_TOKEN or --token-file to a URL that only secrets-vault.json names (here or in a parent), and says how', async () => {
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const attempts: [string[], string, Record<string, string>][] = [
      [['secrets', 'list'], repo, { SECRETS_VAULT_TOKEN: TOKEN }],
      [['check'], repo, { SECRETS_VAULT_TOKEN: TOKEN }],
      [['snapshot'], repo, { SECRETS_VAULT_TOKEN: TOKEN }],
      [['whoami'], path.join(repo, 'src/deep'), { SECRETS_VAULT_TOKEN: TOKEN }],
      [['--token-file', tokenFile, 'audit'], path.join(repo, 'src'), {}],
    ];
    for (const [args, cwd, env] of attempts) {
      let r = { code: null as number | null, out: '', err: '' };
      const seen = await seenBy(fake, async () => (r = await run(args, { cwd, env })));
      expect({ args, seen }).toEqual({ args, seen: { connections: 0, tokens: [] } });
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`Not sending the token from ${env.SECRETS_VAULT_TOKEN ? 'SECRETS_VAULT_TOKEN' : `the token file ${tokenFile}`} to ${fake.url}`);
      expect(r.err).toContain(`comes only from ${path.join(repo, 'secrets-vault.json')}`);
      expect(r.err).toContain('pass --trust-config-url');
      expect(r.err).toContain(`--url ${fake.url} or SECRETS_VAULT_URL=${fake.url}`);
      expect(r.err).not.toContain(TOKEN);
    }
  });

  it('sends it there when the user says so: --trust-config-url, or the same URL in SECRETS_VAULT_URL or --url', async () => {
    for (const [args, env] of [
      [['--trust-config-url', 'whoami'], { SECRETS_VAULT_TOKEN: TOKEN }],
      [['whoami'], { SECRETS_VAULT_TOKEN: TOKEN, SECRETS_VAULT_URL: `${fake.url}/` }],
      [['--url', fake.url, 'whoami'], { SECRETS_VAULT_TOKEN: TOKEN }],
    ] as [string[], Record<string, string>][]) {
      let r = { code: null as number | null, out: '', err: '' };
      const seen = await seenBy(fake, async () => (r = await run(args, { cwd: repo, env })));
      // The fake answers 401: the point is that the token reached it, as the user asked.
      expect(seen.tokens).toEqual([`Bearer ${TOKEN}`]);
      expect(r.code).toBe(4);
    }
  });

  it('a URL the user named wins over the repository file, which then gets nothing', async () => {
    let r = { code: null as number | null, out: '', err: '' };
    const seen = await seenBy(fake, async () => (r = await run(['--json', 'whoami'], { cwd: repo, env: { SECRETS_VAULT_TOKEN: v.adminKey, SECRETS_VAULT_URL: v.url } })));
    expect(seen.connections).toBe(0);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).principal.role).toBe('admin');
  });

  it('without any URL from the user, the token is for the default vault; a file URL is marked as such', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sv-trust-none-'));
    try {
      // A file that names the default URL changes nothing: the token would go there anyway.
      const sameAsDefault = path.join(empty, 'same');
      mkdirSync(sameAsDefault);
      writeFileSync(path.join(sameAsDefault, 'secrets-vault.json'), JSON.stringify({ vault: 'http://127.0.0.1:8787/' }));
      expect(() => remoteApi({}, { SECRETS_VAULT_TOKEN: TOKEN }, sameAsDefault)).not.toThrow();
      expect(() => remoteApi({}, { SECRETS_VAULT_TOKEN: TOKEN }, repo)).toThrow(/--trust-config-url/);
      expect(() => remoteApi({ trustConfigUrl: true }, { SECRETS_VAULT_TOKEN: TOKEN }, repo)).not.toThrow();
      expect(resolveVaultUrl({}, {}, empty)).toEqual({ url: 'http://127.0.0.1:8787', source: 'default' });
      expect(resolveVaultUrl({}, {}, repo)).toEqual({ url: fake.url, source: 'file', file: path.join(repo, 'secrets-vault.json') });
      expect(resolveVaultUrl({}, { SECRETS_VAULT_URL: v.url }, repo)).toEqual({ url: v.url, source: 'environment' });
      expect(resolveVaultUrl({ url: `${v.url}//` }, {}, repo)).toEqual({ url: v.url, source: 'flag' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('check --snapshot never touches the network, whatever secrets-vault.json says', async () => {
    const snapshot = path.join(dir, 'snapshot.json');
    writeFileSync(
      snapshot,
      JSON.stringify({ version: 1, generatedAt: '2026-01-01T00:00:00.000Z', vault: v.url, namingStyle: 'snake_case', secrets: [], agents: [{ id: 'booking-agent', name: 'Booking' }] }),
    );
    let r = { code: null as number | null, out: '', err: '' };
    const seen = await seenBy(fake, async () => (r = await run(['check', '--snapshot', snapshot], { cwd: repo, env: { SECRETS_VAULT_TOKEN: TOKEN } })));
    expect(seen).toEqual({ connections: 0, tokens: [] });
    expect(r.err).toBe('');
    expect(r.out).toContain("Secret 'stripe_api_key' does not exist in the vault.");
    expect(r.code).toBe(1);
  });
});

describe('plain http:// only to this machine', () => {
  it('refuses http:// to a host that is not loopback, before connecting, and says why; --allow-insecure-http lets it through', async () => {
    // 0.0.0.0 is not loopback by name, yet Linux delivers it to the fake server on 127.0.0.1: a
    // refusal that still connected would show here.
    const url = `http://0.0.0.0:${fake.port}`;
    let r = { code: null as number | null, out: '', err: '' };
    let seen = await seenBy(fake, async () => (r = await run(['--url', url, 'whoami'], { cwd: dir, env: { SECRETS_VAULT_TOKEN: TOKEN } })));
    expect(seen).toEqual({ connections: 0, tokens: [] });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `secrets-vault: Refusing plain http:// to 0.0.0.0:${fake.port}: it is not this machine, so the token and secret values would cross the network unencrypted. Use https://, or pass --allow-insecure-http if the network is trusted.\n`,
    );
    seen = await seenBy(fake, async () => (r = await run(['--url', url, '--allow-insecure-http', 'whoami'], { cwd: dir, env: { SECRETS_VAULT_TOKEN: TOKEN } })));
    expect(seen.tokens).toEqual([`Bearer ${TOKEN}`]);
  });
});

describe('what the CLI prints of words it did not write', () => {
  const hostile = 'q\nv99\tALICE\u001b[8m hidden\u202e\r::error::pwned';
  let evil: FakeVault;
  beforeAll(async () => {
    const meta = { name: hostile, description: hostile, kind: 'kv', keys: [hostile], agents: [hostile], version: 1, createdAt: hostile, updatedAt: hostile, updatedBy: hostile };
    evil = await startFakeVault({
      'GET /v1/whoami': { json: { account: { id: 'acc', name: hostile, namingStyle: 'snake_case' }, principal: { type: 'user', id: 'key', name: hostile, role: 'admin' } } },
      'GET /v1/agents': { json: { agents: [{ id: hostile, name: hostile, description: hostile, createdAt: hostile }] } },
      'GET /v1/keys': { json: { keys: [{ id: hostile, name: hostile, role: 'admin', createdAt: hostile, revokedAt: null }] } },
      'GET /v1/secrets': { json: { secrets: [meta] } },
      'GET /v1/secrets/x': { json: meta },
      'GET /v1/audit': { json: { records: [{ id: 'a1', time: hostile, accountId: 'acc', actor: hostile, actorId: hostile, actorType: 'user', action: hostile, target: hostile, outcome: 'success', detail: hostile }], next: null } },
      'DELETE /v1/agents/x': { status: 409, json: { type: 'about:blank', title: 'Conflict', status: 409, code: 'conflict', detail: hostile } },
    });
  });
  afterAll(() => evil?.close());

  it('escapes control characters in every table, line and error message', async () => {
    const env = { SECRETS_VAULT_TOKEN: TOKEN, SECRETS_VAULT_URL: evil.url };
    for (const args of [['whoami'], ['agents', 'list'], ['keys', 'list'], ['secrets', 'list'], ['secrets', 'get', 'x'], ['audit'], ['agents', 'delete', 'x']]) {
      const r = await run(args, { cwd: dir, env });
      const text = r.out + r.err;
      expect({ args, raw: RAW_CONTROL.test(text) }).toEqual({ args, raw: false });
      // Each output line is one line of ours: no forged line can start with a workflow command.
      expect(text.split('\n').some((l) => l.trimStart().startsWith('::'))).toBe(false);
      expect(text).toContain('q\\nv99\\tALICE\\x1b[8m hidden\\u202e\\r::error::pwned');
    }
    // --json: lossless for scripts, yet nothing raw for a terminal (JSON.stringify alone leaves U+202E).
    const json = await run(['--json', 'secrets', 'list'], { cwd: dir, env });
    expect(json.out).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.out)[0].name).toBe(hostile);
  });

  it('the audit table of a real vault after the forged-name attack holds no control characters', async () => {
    const api = v.api();
    await api.createAgent({ id: 'audit-agent' });
    const agentToken = (await api.createAgentToken('audit-agent')).token;
    const forged = encodeURIComponent('q\nv99\tALICE admin runtime.read stripe_api_key success\u001b[8m');
    expect((await v.http('GET', `/v1/runtime/secrets/${forged}`, { token: agentToken })).status).toBe(400);
    expect((await v.http('GET', '/v1/runtime/secrets/stripe_api_key', { token: agentToken })).status).toBe(403);
    const r = await run(['audit'], { cwd: dir, env: { SECRETS_VAULT_TOKEN: v.adminKey, SECRETS_VAULT_URL: v.url } });
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(RAW_CONTROL);
    expect(r.out).not.toContain('ALICE');
    expect(r.out).toMatch(/audit-agent\s+\S+\s+runtime\.read\s+stripe_api_key\s+denied/);
  });
});
