// Run tokens (issue 16): minted over real HTTP, used for run-time reads, expired, revoked; the
// permission matrix (role x the account's localRuns); the audit naming both agent and minter; and
// `secrets-vault run` as a built process starting a real child process.

import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../vault/src/auth';
import { startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
const API_VALUE = `sk-run-${randomBytes(12).toString('hex')}`;
const fingerprint = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

let v: TestVault;
let dev: { id: string; token: string };
let dev2: { id: string; token: string };
let agentToken: string;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  // An UPPER_CASE account: `run` then also injects the granted single values as variables.
  v = await startTestVault({ naming: 'UPPER_CASE' });
  const api = v.api();
  await api.createAgent({ id: 'booking-agent' });
  await api.createAgent({ id: 'other-agent' });
  await api.createSecret({ name: 'API_KEY', value: API_VALUE, agents: ['booking-agent'] });
  await api.createSecret({ name: 'OTHER_KEY', value: 'sk-not-for-booking', agents: ['other-agent'] });
  await api.createSecret({ name: 'PAIR', value: { client_id: 'cid', client_secret: 'csecret-run' }, agents: ['booking-agent'] });
  dev = await api.createUserKey({ name: 'dev laptop', role: 'developer' });
  dev2 = await api.createUserKey({ name: 'dev two', role: 'developer' });
  agentToken = (await api.createAgentToken('booking-agent')).token;
}, 120_000);
afterAll(() => v.stop());

const mint = (token: string, body: unknown = {}, agent = 'booking-agent') => v.http('POST', `/v1/agents/${agent}/run-tokens`, { token, body });
const setLocalRuns = (localRuns: string, token = v.adminKey) => v.http('PATCH', '/v1/account', { token, body: { localRuns } });
const read = (token: string, name = 'API_KEY') => v.http('GET', `/v1/runtime/secrets/${name}`, { token });

function cli(args: string[], token: string, onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: token } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += String(c);
      onStdout?.(out, child);
    });
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end();
  });
}

describe('run tokens over HTTP', () => {
  it('TTL: default 900 s, bounds 60..43200 inclusive, anything else 400 with the bounds', async () => {
    const minted = await mint(v.adminKey);
    expect(minted.status).toBe(201);
    expect(minted.json).toMatchObject({ agent: 'booking-agent', mintedBy: { name: 'initial admin' } });
    expect(minted.json.token).toMatch(/^sva_[A-Za-z0-9_-]{43}$/);
    const row = (await v.vault.store.findToken(v.accountId, minted.json.id))!;
    expect(Date.parse(row.expiresAt!) - Date.parse(row.createdAt)).toBe(900_000);
    expect(row.expiresAt).toBe(minted.json.expiresAt);
    // Only the digest is stored.
    expect(row.digest.equals(v.vault.keyring.tokenDigest(minted.json.token))).toBe(true);
    for (const ttlSeconds of [60, 43_200]) {
      const r = await mint(v.adminKey, { ttlSeconds });
      expect(r.status).toBe(201);
      const t = (await v.vault.store.findToken(v.accountId, r.json.id))!;
      expect(Date.parse(t.expiresAt!) - Date.parse(t.createdAt)).toBe(ttlSeconds * 1000);
    }
    for (const ttlSeconds of [59, 43_201, 0, -5, 1.5, '900']) {
      const r = await mint(v.adminKey, { ttlSeconds });
      expect(r.status, String(ttlSeconds)).toBe(400);
    }
    expect((await mint(v.adminKey, { ttlSeconds: 59 })).json.detail).toContain('from 60 to 43200');
    expect((await mint(v.adminKey, {}, 'no-such-agent')).status).toBe(404);
  });

  it('a run token reads exactly what its agent may; an expired one is 401 like a revoked one', async () => {
    const t = (await mint(v.adminKey)).json;
    expect((await read(t.token)).json.value).toBe(API_VALUE);
    const denied = await read(t.token, 'OTHER_KEY');
    expect(denied.status).toBe(403);
    // Expired: written through the store with an expiry in the past (no waiting for minutes).
    const token = `sva_${randomBytes(32).toString('base64url')}`;
    await v.vault.store.insertToken(
      {
        id: 'tok_expired', accountId: v.accountId, digest: v.vault.keyring.tokenDigest(token), kind: 'agent', role: null, agentId: 'booking-agent',
        name: 'booking-agent', createdAt: '2026-01-01T00:00:00.000Z', revokedAt: null, expiresAt: new Date(Date.now() - 1000).toISOString(), mintedBy: 'key_x', mintedByName: 'x',
      },
      null,
    );
    expect((await read(token)).status).toBe(401);
    expect((await v.http('GET', '/v1/runtime/env', { token })).status).toBe(401);
    expect((await v.http('GET', '/v1/whoami', { token })).status).toBe(401);
  });

  it('a remembered run token (the run-time fast path) does not outlive its expiry', async () => {
    const token = `sva_${randomBytes(32).toString('base64url')}`;
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    await v.vault.store.insertToken(
      {
        id: 'tok_soon', accountId: v.accountId, digest: v.vault.keyring.tokenDigest(token), kind: 'agent', role: null, agentId: 'booking-agent',
        name: 'booking-agent', createdAt: '2030-01-01T00:00:00.000Z', revokedAt: null, expiresAt: '2030-01-01T00:00:00.500Z', mintedBy: 'key_x', mintedByName: 'x',
      },
      null,
    );
    const auth = new Authenticator(v.vault.store, v.vault.keyring, () => now);
    const header = `Bearer ${token}`;
    expect((await auth.authenticate(header, { generation: 7 }))?.type).toBe('agent');
    now += 499;
    expect(await auth.authenticate(header, { generation: 7 })).toBeDefined();
    // Within the 1 s a token is remembered, but past its expiry: refused.
    now += 2;
    expect(await auth.authenticate(header, { generation: 7 })).toBeUndefined();
    expect(await auth.authenticate(header)).toBeUndefined();
  });

  it('permission matrix: admins always; developers only with localRuns "developers"; agent tokens never', async () => {
    expect((await v.http('GET', '/v1/account', { token: dev.token })).json).toMatchObject({ localRuns: 'admins', namingStyle: 'UPPER_CASE' });
    const refused = await mint(dev.token);
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toContain('secrets-vault account set local-runs developers');
    expect((await mint(agentToken)).status).toBe(403);
    // Only admins change the setting.
    expect((await setLocalRuns('developers', dev.token)).status).toBe(403);
    expect((await setLocalRuns('everyone')).status).toBe(400);
    const changed = await setLocalRuns('developers');
    expect(changed.status).toBe(200);
    expect(changed.json.localRuns).toBe('developers');
    try {
      expect((await mint(dev.token)).status).toBe(201);
      expect((await mint(v.adminKey)).status).toBe(201);
      expect((await mint(agentToken)).status).toBe(403);
    } finally {
      expect((await setLocalRuns('admins')).status).toBe(200);
    }
    expect((await mint(dev.token)).status).toBe(403);
    const audit = (await v.api().audit({ limit: 50 })).records;
    expect(audit.filter((r) => r.action === 'account.update' && r.outcome === 'success').map((r) => r.detail)).toEqual(['localRuns: admins', 'localRuns: developers']);
    expect(audit.find((r) => r.action === 'account.update' && r.outcome === 'denied')).toMatchObject({ actorId: dev.id });
    expect(audit.find((r) => r.action === 'agent.runtoken.create' && r.outcome === 'denied')).toMatchObject({ actorId: dev.id, target: 'booking-agent' });
  });

  it('revocation: the minter or an admin; another developer cannot; then 401; reads audited as agent and minter, never a value', async () => {
    expect((await setLocalRuns('developers')).status).toBe(200);
    try {
      const t = (await mint(dev.token)).json;
      expect(t.mintedBy).toEqual({ id: dev.id, name: 'dev laptop' });
      expect((await read(t.token)).status).toBe(200);
      expect((await v.http('GET', '/v1/runtime/env', { token: t.token })).json.env).toEqual({ API_KEY: API_VALUE });
      expect((await v.http('DELETE', `/v1/agents/booking-agent/run-tokens/${t.id}`, { token: dev2.token })).status).toBe(403);
      expect((await v.http('DELETE', `/v1/agents/other-agent/run-tokens/${t.id}`, { token: dev.token })).status).toBe(404);
      expect((await read(t.token)).status).toBe(200);
      expect((await v.http('DELETE', `/v1/agents/booking-agent/run-tokens/${t.id}`, { token: dev.token })).status).toBe(204);
      expect((await read(t.token)).status).toBe(401);
      // Idempotent; an ordinary agent token is not a run token.
      expect((await v.http('DELETE', `/v1/agents/booking-agent/run-tokens/${t.id}`, { token: v.adminKey })).status).toBe(204);
      const plain = await v.api().createAgentToken('booking-agent');
      expect((await v.http('DELETE', `/v1/agents/booking-agent/run-tokens/${plain.id}`, { token: v.adminKey })).status).toBe(404);
      // An admin revokes a developer's run token.
      const t2 = (await mint(dev.token)).json;
      expect((await v.http('DELETE', `/v1/agents/booking-agent/run-tokens/${t2.id}`, { token: v.adminKey })).status).toBe(204);
      expect((await read(t2.token)).status).toBe(401);

      const records = (await v.api().audit({ limit: 200 })).records;
      const reads = records.filter((r) => r.actorId === t.id);
      expect(reads.map((r) => r.action).sort()).toEqual(['runtime.env', 'runtime.read', 'runtime.read']);
      for (const r of reads) {
        expect(r).toMatchObject({ actor: 'booking-agent', actorType: 'agent' });
        expect(r.detail).toContain(`run token minted by dev laptop (${dev.id})`);
      }
      expect(records.find((r) => r.action === 'agent.runtoken.revoke' && r.outcome === 'success' && r.detail === `id: ${t.id}`)).toMatchObject({ actorId: dev.id });
      expect(records.find((r) => r.action === 'agent.runtoken.revoke' && r.outcome === 'denied')).toMatchObject({ actorId: dev2.id });
      const all = JSON.stringify(records);
      for (const secret of [API_VALUE, 'csecret-run', t.token, t2.token]) {
        expect(all).not.toContain(secret);
        expect(v.logs.join('\n')).not.toContain(secret);
      }
    } finally {
      expect((await setLocalRuns('admins')).status).toBe(200);
    }
  });
});

describe('secrets-vault run (built CLI, real child process)', () => {
  // The child reports what it sees without printing a value: whether the token is a run token and
  // not the user's key, whether the injected variable equals what the vault returns, and a
  // fingerprint of the value it read through the vault with the token.
  const CHILD = `
    const env = process.env;
    (async () => {
      const r = await fetch(env.SECRETS_VAULT_URL + '/v1/runtime/secrets/API_KEY', { headers: { authorization: 'Bearer ' + env.SECRETS_VAULT_TOKEN } });
      const body = await r.json();
      const fp = require('crypto').createHash('sha256').update(body.value).digest('hex').slice(0, 8);
      console.log(JSON.stringify({ token: env.SECRETS_VAULT_TOKEN, status: r.status, fp, injected: env.API_KEY === body.value, pairInjected: 'PAIR' in env, otherInjected: 'OTHER_KEY' in env }));
      process.exit(7);
    })();`;

  it("runs the command with the run token and injected variables, exits with the command's code, and revokes the token", async () => {
    const r = await cli(['run', '--agent', 'booking-agent', '--ttl', '2m', '--', process.execPath, '-e', CHILD], v.adminKey);
    expect(r.code, r.err).toBe(7);
    const seen = JSON.parse(r.out.trim()) as { token: string; status: number; fp: string; injected: boolean; pairInjected: boolean; otherInjected: boolean };
    expect(seen.token).toMatch(/^sva_/);
    expect(seen.token).not.toBe(v.adminKey);
    expect(seen).toMatchObject({ status: 200, fp: fingerprint(API_VALUE), injected: true, pairInjected: false, otherInjected: false });
    expect((await read(seen.token)).status).toBe(401);
    expect(r.err).not.toContain(API_VALUE);
    const records = (await v.api().audit({ limit: 50 })).records;
    const minted = records.find((x) => x.action === 'agent.runtoken.create' && x.outcome === 'success')!;
    expect(minted.detail).toMatch(/^id: tok_[0-9a-f]{16}; expires: /);
    expect(records.find((x) => x.action === 'agent.runtoken.revoke' && x.detail === minted.detail.split(';')[0])).toBeDefined();
  });

  it('puts the Python shim on PYTHONPATH: python3 reads the secret through it with the run token', async () => {
    // Prints a fingerprint of what get_secret returned (never the value) and the error class for an ungranted name.
    const py = [
      'import hashlib, json',
      'from secrets_vault import Conv, MissingAccess',
      'conv = Conv()',
      'fp = hashlib.sha256(conv.utils.get_secret("API_KEY").encode()).hexdigest()[:8]',
      'try:',
      '    conv.utils.get_secret("OTHER_KEY")',
      '    denied = None',
      'except MissingAccess as e:',
      '    denied = type(e).__name__',
      'print(json.dumps({"fp": fp, "denied": denied}))',
    ].join('\n');
    const r = await cli(['run', '--agent', 'booking-agent', '--', 'python3', '-S', '-c', py], v.adminKey);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out.trim())).toEqual({ fp: fingerprint(API_VALUE), denied: 'MissingAccess' });
    expect(r.out + r.err).not.toContain(API_VALUE);
  });

  it('--function FILE:NAME calls the function with a conv backed by the vault, prints its result, and revokes the token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-fn-'));
    try {
      const file = path.join(dir, 'booking.py');
      writeFileSync(
        file,
        [
          'import hashlib',
          'def book(conv, date, seats=1):',
          '    key = conv.utils.get_secret("API_KEY")',
          '    return {"fp": hashlib.sha256(key.encode()).hexdigest()[:8], "date": date, "seats": seats}',
          'def steal(conv):',
          '    return conv.utils.get_secret("OTHER_KEY")',
        ].join('\n'),
      );
      // Counted over the whole audit (a page of the API would slide as records are added).
      const count = async (action: string) => (await v.vault.store.listAudit(v.accountId, undefined, 1_000_000))!.filter((x) => x.action === action).length;
      const revokes = () => count('agent.runtoken.revoke');
      const before = await revokes();
      const r = await cli(['run', '--agent', 'booking-agent', '--function', `${file}:book`, '--args', '{"date": "2026-12-01", "seats": 2}'], v.adminKey);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out.trim())).toEqual({ fp: fingerprint(API_VALUE), date: '2026-12-01', seats: 2 });
      expect(await revokes()).toBe(before + 1);
      // An ungranted read fails the run as the agent would fail in production.
      const denied = await cli(['run', '--agent', 'booking-agent', '--function', `${file}:steal`], v.adminKey);
      expect(denied.code).toBe(1);
      expect(denied.err).toContain('MissingAccess');
      expect(denied.out + denied.err).not.toContain('sk-not-for-booking');
      // Usage is checked before a token is minted.
      const mints = () => count('agent.runtoken.create');
      const minted = await mints();
      for (const args of [
        ['--function', `${file}:book`, '--args', '{not json'],
        ['--function', `${file}:book`, '--', 'python3'],
        ['--function', 'no-name-here'],
        ['--args', '{}', '--', 'python3'],
        [],
      ]) {
        const bad = await cli(['run', '--agent', 'booking-agent', ...args], v.adminKey);
        expect(bad.code, `${args.join(' ')}: ${bad.err}`).toBe(2);
      }
      expect(await mints()).toBe(minted);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Ctrl+C (SIGINT to the CLI) stops the command and still revokes the token', async () => {
    let token = '';
    let sent = false;
    const r = await cli(
      ['run', '--agent', 'booking-agent', '--', process.execPath, '-e', 'console.log(process.env.SECRETS_VAULT_TOKEN); setInterval(() => {}, 1000);'],
      v.adminKey,
      (text, child) => {
        const line = text.split('\n')[0]!;
        if (!sent && text.includes('\n')) {
          sent = true;
          token = line.trim();
          child.kill('SIGINT');
        }
      },
    );
    expect(token).toMatch(/^sva_/);
    expect(r.code).toBe(130);
    expect((await read(token)).status).toBe(401);
  });

  it('clear errors: a developer without the setting (403 with the hint), an unknown agent, a bad --ttl, a missing command', async () => {
    const forbidden = await cli(['run', '--agent', 'booking-agent', '--', 'true'], dev.token);
    expect(forbidden.code).toBe(4);
    expect(forbidden.err).toContain("'secrets-vault account set local-runs developers'");
    const unknown = await cli(['run', '--agent', 'nobody', '--', 'true'], v.adminKey);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("Agent 'nobody' does not exist.");
    for (const ttl of ['15x', '30s', '13h']) {
      const bad = await cli(['run', '--agent', 'booking-agent', '--ttl', ttl, '--', 'true'], v.adminKey);
      expect(bad.code, ttl).toBe(2);
      expect(bad.err).toContain('--ttl');
    }
    const missing = await cli(['run', '--agent', 'booking-agent', '--', 'no-such-command-sv'], v.adminKey);
    expect(missing.code).toBe(127);
    expect(missing.err).toContain("could not start 'no-such-command-sv'");
  });

  it('account show / set local-runs, admin only', async () => {
    expect((await cli(['account', 'set', 'local-runs', 'developers'], dev.token)).code).toBe(4);
    const set = await cli(['account', 'set', 'local-runs', 'developers'], v.adminKey);
    expect(set.code, set.err).toBe(0);
    try {
      expect((await cli(['--json', 'account', 'show'], dev.token)).out).toContain('"localRuns":"developers"');
      const ok = await cli(['run', '--agent', 'booking-agent', '--', process.execPath, '-e', 'process.exit(process.env.SECRETS_VAULT_TOKEN.startsWith("sva_") ? 0 : 9)'], dev.token);
      expect(ok.code, ok.err).toBe(0);
      expect((await cli(['account', 'set', 'local-runs', 'everyone'], v.adminKey)).code).toBe(2);
    } finally {
      expect((await cli(['account', 'set', 'local-runs', 'admins'], v.adminKey)).code).toBe(0);
    }
  });
});
