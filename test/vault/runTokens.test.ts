// Run tokens: minted over real HTTP, used for run-time reads, expired, revoked; the
// permission matrix (role x the account's localRuns); the audit naming both agent and minter; and
// `secrets-vault run` as a built process starting a real child process.

import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, MintRateLimiter, ReadRateLimiter } from '../../vault/src/auth';
import { openVault } from '../../vault/src/vault';
import { pgDatabase } from '../helpers/pg';
import { startTestVault, TEST_STORES, type TestVault } from '../helpers/vault';

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
    const row = (await v.vault.store.tokens.findToken(v.accountId, minted.json.id))!;
    expect(Date.parse(row.expiresAt!) - Date.parse(row.createdAt)).toBe(900_000);
    expect(row.expiresAt).toBe(minted.json.expiresAt);
    // Only the digest is stored.
    expect(row.digest.equals(v.vault.keyring.tokenDigest(minted.json.token))).toBe(true);
    for (const ttlSeconds of [60, 43_200]) {
      const r = await mint(v.adminKey, { ttlSeconds });
      expect(r.status).toBe(201);
      const t = (await v.vault.store.tokens.findToken(v.accountId, r.json.id))!;
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
    await v.vault.store.tokens.insertToken(
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
    // Minted by the admin key: a run token whose minter is gone is refused.
    const adminId = (await v.http('GET', '/v1/whoami', { token: v.adminKey })).json.principal.id as string;
    await v.vault.store.tokens.insertToken(
      {
        id: 'tok_soon', accountId: v.accountId, digest: v.vault.keyring.tokenDigest(token), kind: 'agent', role: null, agentId: 'booking-agent',
        name: 'booking-agent', createdAt: '2030-01-01T00:00:00.000Z', revokedAt: null, expiresAt: '2030-01-01T00:00:00.500Z', mintedBy: adminId, mintedByName: 'initial admin',
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
      const count = async (action: string) => (await v.vault.store.audit.listAudit(v.accountId, undefined, 1_000_000))!.filter((x) => x.action === action).length;
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

  it("agents tokens ID lists the agent's live tokens (table and --json, never a token); agents revoke-token revokes one", async () => {
    const plain = await v.api().createAgentToken('other-agent', 'prod');
    const run = (await mint(v.adminKey, {}, 'other-agent')).json;
    const listed = await cli(['agents', 'tokens', 'other-agent'], v.adminKey);
    expect(listed.code, listed.err).toBe(0);
    const lines = listed.out.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+KIND\s+MINTED BY\s+CREATED\s+EXPIRES$/);
    expect(lines.find((l) => l.startsWith(plain.id))).toMatch(/\sagent\s+-\s+\S+\s+never$/);
    expect(lines.find((l) => l.startsWith(run.id))).toContain(`run    initial admin (${run.mintedBy.id})`);
    const json = await cli(['--json', 'agents', 'tokens', 'other-agent'], v.adminKey);
    const tokens = JSON.parse(json.out) as { id: string; kind: string }[];
    expect(tokens.map((t) => [t.id, t.kind])).toEqual(expect.arrayContaining([[plain.id, 'agent'], [run.id, 'run']]));
    for (const r of [listed, json]) expect(r.out).not.toMatch(/sva_/);
    const revoked = await cli(['agents', 'revoke-token', 'other-agent', plain.id], v.adminKey);
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out).toContain(`Revoked token ${plain.id} of agent 'other-agent'.`);
    expect((await read(plain.token, 'OTHER_KEY')).status).toBe(401);
    expect((await cli(['--json', 'agents', 'revoke-token', 'other-agent', run.id], v.adminKey)).out).toContain(`"revoked":"${run.id}"`);
    expect((await cli(['agents', 'tokens', 'other-agent'], v.adminKey)).out.trim()).toBe("No live tokens for 'other-agent'.");
    // A developer may not list while only admins may mint (exit 4), nor revoke an agent token.
    expect((await cli(['agents', 'tokens', 'other-agent'], dev.token)).code).toBe(4);
    expect((await cli(['agents', 'tokens', 'nobody'], v.adminKey)).code).toBe(1);
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

// A run token is worth no more than the key that minted it; and minting is rate limited per key,
// run-time reads counted per minter as well.
describe.each(TEST_STORES)('run tokens and their minters on %s', (store) => {
  let w: TestVault;
  let databaseUrl: string | undefined;
  let adminId: string;
  const mintAs = (token: string, body: unknown = {}, agent = 'booking-agent') => w.http('POST', `/v1/agents/${agent}/run-tokens`, { token, body });
  const localRuns = (value: string) => w.http('PATCH', '/v1/account', { token: w.adminKey, body: { localRuns: value } });
  const env = (token: string) => w.http('GET', '/v1/runtime/env', { token });
  const secret = (token: string) => w.http('GET', '/v1/runtime/secrets/API_KEY', { token });
  const newDev = async (name: string) => w.api().createUserKey({ name, role: 'developer' });
  /** A run token row written straight to the store (as an older release or an operator left it). */
  const rawRunToken = async (mintedBy: string, expiresAt = new Date(Date.now() + 600_000).toISOString()) => {
    const token = `sva_${randomBytes(32).toString('base64url')}`;
    const id = `tok_${randomBytes(8).toString('hex')}`;
    await w.vault.store.tokens.insertToken(
      { id, accountId: w.accountId, digest: w.vault.keyring.tokenDigest(token), kind: 'agent', role: null, agentId: 'booking-agent', name: 'booking-agent', createdAt: new Date().toISOString(), revokedAt: null, expiresAt, mintedBy, mintedByName: mintedBy },
      null,
    );
    return { id, token };
  };

  beforeAll(async () => {
    databaseUrl = store === 'postgres' ? await pgDatabase() : undefined;
    w = await startTestVault({ naming: 'UPPER_CASE', ...(databaseUrl ? { databaseUrl } : {}), serve: { mintLimiter: new MintRateLimiter(6, 1000) } });
    await w.api().createAgent({ id: 'booking-agent' });
    await w.api().createAgent({ id: 'other-agent' });
    await w.api().createSecret({ name: 'API_KEY', value: API_VALUE, agents: ['booking-agent'] });
    adminId = (await w.http('GET', '/v1/whoami', { token: w.adminKey })).json.principal.id;
  }, 120_000);
  afterAll(() => w?.stop());

  it("a stolen laptop: a developer's 12 h token; local runs back to admins and the key revoked: 401 on env and secrets, at once", async () => {
    const dev = await newDev('stolen laptop');
    expect((await localRuns('developers')).status).toBe(200);
    const t = (await mintAs(dev.token, { ttlSeconds: 43_200 })).json;
    // Remembered by the fast path (several reads in a row), then the changes.
    for (let i = 0; i < 3; i++) expect((await secret(t.token)).status).toBe(200);
    expect((await env(t.token)).status).toBe(200);
    expect((await localRuns('admins')).status).toBe(200);
    expect((await secret(t.token)).status).toBe(401);
    expect((await env(t.token)).status).toBe(401);
    await w.api().revokeUserKey(dev.id);
    expect((await secret(t.token)).status).toBe(401);
    expect((await env(t.token)).status).toBe(401);
    expect((await w.http('GET', '/v1/whoami', { token: t.token })).status).toBe(401);
    // Revoked outright by the localRuns change, in its transaction, and audited.
    const row = (await w.vault.store.tokens.findToken(w.accountId, t.id))!;
    expect(row.revokedAt).not.toBeNull();
    const records = (await w.vault.store.audit.listAudit(w.accountId, undefined, 1000))!;
    expect(records.find((r) => r.action === 'agent.runtoken.revoke' && r.detail === `id: ${t.id}; local runs returned to admins`)).toMatchObject({ actorId: adminId, target: 'booking-agent' });
    expect(JSON.stringify(records)).not.toContain(t.token);
  });

  it("revoking a user key revokes every run token it minted, in the key's transaction, audited; other keys' tokens live on", async () => {
    expect((await localRuns('developers')).status).toBe(200);
    try {
      const dev = await newDev('dev one');
      const other = await newDev('dev two');
      const mine = [(await mintAs(dev.token)).json, (await mintAs(dev.token, {}, 'other-agent')).json];
      const theirs = (await mintAs(other.token)).json;
      const admins = (await mintAs(w.adminKey)).json;
      for (const t of [...mine, theirs, admins]) expect((await env(t.token)).status).toBe(200);
      expect((await w.http('DELETE', `/v1/keys/${dev.id}`, { token: w.adminKey })).status).toBe(204);
      const key = (await w.vault.store.tokens.findToken(w.accountId, dev.id))!;
      for (const t of mine) {
        expect((await secret(t.token)).status).toBe(401);
        expect((await env(t.token)).status).toBe(401);
        // Same transaction: the same revocation time as the key's.
        expect((await w.vault.store.tokens.findToken(w.accountId, t.id))!.revokedAt).toBe(key.revokedAt);
      }
      expect((await env(theirs.token)).status).toBe(200);
      expect((await env(admins.token)).status).toBe(200);
      const records = (await w.vault.store.audit.listAudit(w.accountId, undefined, 1000))!;
      for (const t of mine) {
        expect(records.find((r) => r.action === 'agent.runtoken.revoke' && r.detail === `id: ${t.id}; its minter ${dev.id} revoked`)).toMatchObject({ actorId: adminId });
      }
      // A key revoked by a local command (demo's path) takes its tokens too.
      const t3 = (await mintAs(other.token)).json;
      expect(await w.vault.service.keys.revokeLocalKey(w.accountId, other.id, 'demo')).toBe('revoked');
      expect((await env(t3.token)).status).toBe(401);
      expect((await env(theirs.token)).status).toBe(401);
    } finally {
      expect((await localRuns('admins')).status).toBe(200);
    }
  });

  it("authentication refuses a run token whose minter is revoked, gone or no longer allowed, even when the token's row is live", async () => {
    // Rows as an older release or an operator left them: the token live, its minter not.
    const dev = await newDev('dev old');
    expect(await w.vault.service.keys.revokeLocalKey(w.accountId, dev.id, 'test')).toBe('revoked');
    const byRevoked = await rawRunToken(dev.id);
    const byNobody = await rawRunToken('key_0000000000000000');
    const byAdmin = await rawRunToken(adminId);
    expect((await env(byAdmin.token)).status).toBe(200);
    for (const t of [byRevoked, byNobody]) {
      expect((await env(t.token)).status).toBe(401);
      expect((await secret(t.token)).status).toBe(401);
    }
    // A developer's token written while localRuns is 'admins': refused; allowed again only by the setting.
    const dev2 = await newDev('dev new');
    const byDev = await rawRunToken(dev2.id);
    expect((await secret(byDev.token)).status).toBe(401);
    expect((await localRuns('developers')).status).toBe(200);
    try {
      expect((await secret(byDev.token)).status).toBe(200);
    } finally {
      expect((await localRuns('admins')).status).toBe(200);
    }
    expect((await secret(byDev.token)).status).toBe(401);
  });

  it('a revocation or a localRuns change through another replica (or process) applies to the very next read', async () => {
    const other = await openVault({ dataDir: w.dataDir, env: {}, ...(databaseUrl ? { databaseUrl } : {}) });
    try {
      expect((await localRuns('developers')).status).toBe(200);
      const dev = await newDev('dev replica');
      const a = (await mintAs(dev.token)).json;
      const admins = (await mintAs(w.adminKey)).json;
      for (let i = 0; i < 3; i++) expect((await secret(a.token)).status).toBe(200);
      // localRuns back to admins, written by the other process's store only (its service would tell
      // this one nothing): the token must not be honoured from the authenticator's memory.
      const admin = { type: 'user' as const, tokenId: adminId, accountId: w.accountId, role: 'admin' as const, name: 'initial admin' };
      await other.service.accounts.updateAccountSettings(admin, { localRuns: 'admins' });
      expect((await secret(a.token)).status).toBe(401);
      for (let i = 0; i < 3; i++) expect((await secret(admins.token)).status).toBe(200);
      const admin2 = await w.api().createUserKey({ name: 'second admin', role: 'admin' });
      const b = (await mintAs(admin2.token)).json;
      for (let i = 0; i < 3; i++) expect((await secret(b.token)).status).toBe(200);
      await other.service.keys.revokeUserKey(admin, admin2.id);
      expect((await secret(b.token)).status).toBe(401);
      expect((await secret(admins.token)).status).toBe(200);
    } finally {
      await other.close();
      await localRuns('admins');
    }
  });

  it('GET /v1/agents/{id}/tokens lists live tokens (never the token); admins see all, a developer who may mint their own; DELETE revokes either kind', async () => {
    const plain = await w.api().createAgentToken('booking-agent', 'prod');
    const run = (await mintAs(w.adminKey, { ttlSeconds: 600 })).json;
    const expired = await rawRunToken(adminId, new Date(Date.now() - 1000).toISOString());
    const elsewhere = (await mintAs(w.adminKey, {}, 'other-agent')).json;
    const list = await w.http('GET', '/v1/agents/booking-agent/tokens', { token: w.adminKey });
    expect(list.status).toBe(200);
    const byId = new Map((list.json.tokens as { id: string }[]).map((t) => [t.id, t]));
    expect(byId.get(plain.id)).toEqual({ id: plain.id, kind: 'agent', name: 'booking-agent', minter: null, createdAt: plain.createdAt, expiresAt: null });
    expect(byId.get(run.id)).toEqual({ id: run.id, kind: 'run', name: 'booking-agent', minter: { id: adminId, name: 'initial admin' }, createdAt: expect.any(String), expiresAt: run.expiresAt });
    expect(byId.has(expired.id)).toBe(false);
    expect(byId.has(elsewhere.id)).toBe(false);
    // Never a token or a digest.
    for (const t of [plain.token, run.token]) {
      expect(list.text).not.toContain(t);
      expect(list.text).not.toContain(w.vault.keyring.tokenDigest(t).toString('hex'));
      expect(list.text).not.toContain(w.vault.keyring.tokenDigest(t).toString('base64'));
    }
    expect(Object.keys(list.json.tokens[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'kind', 'minter', 'name']);
    expect((await w.http('GET', '/v1/agents/nobody/tokens', { token: w.adminKey })).status).toBe(404);
    expect((await w.http('GET', '/v1/agents/booking-agent/tokens', { token: plain.token })).status).toBe(403);

    // Developers: 403 while only admins may mint; then their own run tokens only.
    const dev = await newDev('dev lister');
    const dev2 = await newDev('dev other');
    expect((await w.http('GET', '/v1/agents/booking-agent/tokens', { token: dev.token })).status).toBe(403);
    expect((await localRuns('developers')).status).toBe(200);
    try {
      const own = (await mintAs(dev.token)).json;
      const foreign = (await mintAs(dev2.token)).json;
      const seen = (await w.http('GET', '/v1/agents/booking-agent/tokens', { token: dev.token })).json.tokens as { id: string }[];
      expect(seen.map((t) => t.id)).toEqual([own.id]);
      // Revoking: not another's run token, not an agent token; their own yes.
      expect((await w.http('DELETE', `/v1/agents/booking-agent/tokens/${foreign.id}`, { token: dev.token })).status).toBe(403);
      expect((await w.http('DELETE', `/v1/agents/booking-agent/tokens/${plain.id}`, { token: dev.token })).status).toBe(403);
      expect((await w.http('DELETE', `/v1/agents/booking-agent/tokens/${own.id}`, { token: dev.token })).status).toBe(204);
      expect((await env(own.token)).status).toBe(401);
      expect((await env(foreign.token)).status).toBe(200);
    } finally {
      expect((await localRuns('admins')).status).toBe(200);
    }
    // An admin revokes an agent token and a run token through the same route; idempotent; another agent's id is 404.
    expect((await w.http('DELETE', `/v1/agents/other-agent/tokens/${plain.id}`, { token: w.adminKey })).status).toBe(404);
    expect((await w.http('DELETE', `/v1/agents/booking-agent/tokens/${plain.id}`, { token: w.adminKey })).status).toBe(204);
    expect((await w.http('DELETE', `/v1/agents/booking-agent/tokens/${plain.id}`, { token: w.adminKey })).status).toBe(204);
    expect((await w.http('DELETE', `/v1/agents/booking-agent/tokens/${run.id}`, { token: w.adminKey })).status).toBe(204);
    expect((await env(plain.token)).status).toBe(401);
    expect((await env(run.token)).status).toBe(401);
    const after = (await w.api().listAgentTokens('booking-agent')).map((t) => t.id);
    expect(after).not.toContain(plain.id);
    expect(after).not.toContain(run.id);
    const records = (await w.vault.store.audit.listAudit(w.accountId, undefined, 1000))!;
    expect(records.find((r) => r.action === 'agent.token.revoke' && r.outcome === 'success' && r.detail === `id: ${plain.id}`)).toMatchObject({ actorId: adminId });
    expect(records.find((r) => r.action === 'agent.token.revoke' && r.outcome === 'denied')).toMatchObject({ actorId: dev.id });
  });

  it('expired and revoked token rows are deleted after the audit retention; live and recent ones stay', async () => {
    const day = 86_400_000;
    const oldExpired = await rawRunToken(adminId, new Date(Date.now() - 100 * day).toISOString());
    const recentExpired = await rawRunToken(adminId, new Date(Date.now() - 1000).toISOString());
    const live = await w.api().createAgentToken('booking-agent');
    const revokedNow = (await mintAs(w.adminKey)).json;
    expect((await w.http('DELETE', `/v1/agents/booking-agent/tokens/${revokedNow.id}`, { token: w.adminKey })).status).toBe(204);
    await w.vault.service.audit.pruneAudit(90);
    expect(await w.vault.store.tokens.findToken(w.accountId, oldExpired.id)).toBeUndefined();
    expect(await w.vault.store.tokens.findToken(w.accountId, recentExpired.id)).toBeDefined();
    expect(await w.vault.store.tokens.findToken(w.accountId, revokedNow.id)).toBeDefined();
    // A revocation older than the retention: with a cutoff 1 day ahead, the revoked row goes, a live agent token stays.
    await w.vault.service.audit.pruneAudit(-1);
    expect(await w.vault.store.tokens.findToken(w.accountId, revokedNow.id)).toBeUndefined();
    expect((await env(live.token)).status).toBe(200);
  });
});

describe('minting and reading rates per key', () => {
  let w: TestVault;
  beforeAll(async () => {
    w = await startTestVault({ naming: 'UPPER_CASE', serve: { mintLimiter: new MintRateLimiter(1, 3), readLimiter: new ReadRateLimiter(0.001, 5) } });
    await w.api().createAgent({ id: 'booking-agent' });
    await w.api().createSecret({ name: 'API_KEY', value: API_VALUE, agents: ['booking-agent'] });
  }, 60_000);
  afterAll(() => w?.stop());

  it('a key minting over its rate gets 429 with Retry-After and a problem; another key is not affected', async () => {
    const mintAs = (token: string) => w.http('POST', '/v1/agents/booking-agent/run-tokens', { token, body: {} });
    for (let i = 0; i < 3; i++) expect((await mintAs(w.adminKey)).status).toBe(201);
    const refused = await mintAs(w.adminKey);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json).toMatchObject({ status: 429, code: 'rate_limited' });
    const other = await w.api().createUserKey({ name: 'second admin', role: 'admin' });
    expect((await mintAs(other.token)).status).toBe(201);
  });

  it("run-time reads count against the minter too: three tokens of one key share one key's budget", async () => {
    const key = await w.api().createUserKey({ name: 'reader admin', role: 'admin' });
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) tokens.push((await w.http('POST', '/v1/agents/booking-agent/run-tokens', { token: key.token, body: {} })).json.token);
    const statuses: number[] = [];
    for (const t of tokens) {
      statuses.push((await w.http('GET', '/v1/runtime/secrets/API_KEY', { token: t })).status);
      statuses.push((await w.http('GET', '/v1/runtime/env', { token: t })).status);
    }
    // Burst 5: the sixth read, whichever token makes it, is over the key's budget.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await w.http('GET', '/v1/runtime/secrets/API_KEY', { token: tokens[0]! });
    expect(refused.status).toBe(429);
    expect(refused.json.detail).toContain('minted by this key');
    // Another key's run token has its own budget.
    const key2 = await w.api().createUserKey({ name: 'another reader', role: 'admin' });
    const other = (await w.http('POST', '/v1/agents/booking-agent/run-tokens', { token: key2.token, body: {} })).json.token;
    expect((await w.http('GET', '/v1/runtime/secrets/API_KEY', { token: other })).status).toBe(200);
  });
});
