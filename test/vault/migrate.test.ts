// `secrets-vault migrate` as a user runs it: a SQLite vault built through the real service over
// HTTP, the built CLI as a process, a real PostgreSQL (the run's shared cluster; a dedicated one for
// the leak test), then what landed in PostgreSQL checked row by row.

import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRequest, AuditRecord, RunToken, VaultEventEnvelope } from '../../protocol/api';
import type { SecretValue } from '../../protocol/names';
import { Keyring } from '../../vault/src/crypto/keyring';
import { KEY_FILE_NAME, loadMasterKey, MASTER_KEY_ENV } from '../../vault/src/crypto/master';
import { undiciTransport } from '../../vault/src/cli/remote';
import { openStore } from '../../vault/src/store/index';
import { migrateToPostgres } from '../../vault/src/store/migrateToPostgres';
import { maskDatabaseUrl as maskUrl } from '../../vault/src/store/databaseUrl';
import { MIGRATIONS, SCHEMA_VERSION } from '../../vault/src/store/sqlite/schema';
import { PG_SCHEMA_VERSION } from '../../vault/src/store/postgres/schema';
import { addAccount, openVault, serve, type RunningServer, type Vault } from '../../vault/src/vault';
import { VaultApi } from '../../protocol/client';
import { pgDatabase } from '../helpers/pg';
import { freePort, startCluster } from '../helpers/postgres';
import { startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
const SENTINEL_SINGLE = 'sentinel-single-7f3a9c2e1d';
const SENTINEL_KV = 'sentinel-kv-secret-b81e44a0';
const SENTINEL_ENV = 'SENTINEL-ENV-VALUE-5c0d9e';
/** An older value kept for rollback, re-sealed by the rotation below: it must carry over and open. */
const SENTINEL_OLD = 'sentinel-old-version-3e9b71';
const SENTINELS = [SENTINEL_SINGLE, SENTINEL_KV, SENTINEL_ENV, SENTINEL_OLD];
const TABLES = ['accounts', 'data_keys', 'meta', 'tokens', 'agents', 'secrets', 'secret_versions', 'grants', 'access_requests', 'events', 'audit', 'last_reads'] as const;

let v: TestVault;
/** The source data folder, kept after the vault stopped (TestVault.stop would remove it). */
let source: string;
let scratch: string;
let agentToken: string;
/** A run token: its expiry and minter, and the account's localRuns, must carry over. */
let runToken: RunToken;
let secondAccount: string;
/** Access requests: one approved, one pending; they must carry over in their order. */
let requests: AccessRequest[];
/** What the source vault holds, read through its own store before migration. */
const expected = {
  counts: {} as Record<(typeof TABLES)[number], number>,
  values: new Map<string, SecretValue>(),
  audit: new Map<string, Omit<AuditRecord, 'id'>[]>(),
  events: new Map<string, VaultEventEnvelope[]>(),
  lastEventId: new Map<string, number>(),
  /** Each secret's last reads (account/name), and each agent's (account/agent). */
  lastReads: new Map<string, unknown>(),
};

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end();
  });
}

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function pgCounts(url: string): Promise<Record<string, number>> {
  return withPg(url, async (c) => {
    const out: Record<string, number> = {};
    for (const t of TABLES) {
      const exists = (await c.query<{ r: string | null }>('SELECT to_regclass($1) AS r', [t])).rows[0]!.r;
      out[t] = exists ? Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n) : 0;
    }
    return out;
  });
}

/** A copy of the source folder, for tests that change it (a tampered value, an old schema). */
function copySource(): string {
  const dir = mkdtempSync(path.join(scratch, 'copy-'));
  cpSync(source, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  scratch = mkdtempSync(path.join(tmpdir(), 'sv-migrate-'));
  v = await startTestVault();
  source = v.dataDir;
  const admin = v.api();
  await admin.createAgent({ id: 'booking-agent', description: 'books' });
  await admin.createAgent({ id: 'support-agent' });
  await admin.createSecret({ name: 'stripe_key', description: 'payments', value: SENTINEL_SINGLE, agents: ['booking-agent'] });
  await admin.createSecret({ name: 'amadeus', value: { client_id: 'public-id', client_secret: SENTINEL_KV }, agents: ['booking-agent', 'support-agent'] });
  // Marks on keys are metadata the copy keeps.
  await admin.updateSecret('amadeus', { keySensitivity: { client_id: 'not-sensitive', client_secret: 'sensitive' } });
  await admin.createSecret({ name: 'unused_secret', value: 'nobody-reads-this' });
  await admin.grant('unused_secret', 'support-agent');
  await admin.revoke('unused_secret', 'support-agent');
  await admin.updateSecret('stripe_key', { description: 'payments (live)' });
  agentToken = (await admin.createAgentToken('booking-agent', 'booking prod')).token;
  runToken = await admin.mintRunToken('booking-agent', 43_200);
  await admin.updateAccountSettings({ localRuns: 'developers' });
  // A secret's life: an older value (rotated below with the rest), lifecycle fields, the account's
  // versionsKept, and access requests.
  await admin.createSecret({ name: 'rotated', value: SENTINEL_OLD, agents: ['booking-agent'], expiresAt: '2099-01-01T00:00:00Z', rotationDays: 90 });
  await admin.updateSecret('rotated', { value: 'rotated-current-value' });
  await admin.updateAccountSettings({ versionsKept: 5 });
  const dev = v.api((await admin.createUserKey({ name: 'dev', role: 'developer' })).token);
  const approved = await dev.createAccessRequest({ secret: 'stripe_key', agent: 'support-agent', reason: 'support' });
  if (approved.outcome !== 'created') throw new Error('expected a new request');
  await admin.approveAccessRequest(approved.request.id);
  await dev.createAccessRequest({ secret: 'not_yet', agent: 'support-agent', keys: ['id', 'key'] });
  requests = await admin.listAccessRequests();
  // Run-time reads (access log) and a refusal.
  for (const name of ['stripe_key', 'amadeus', 'stripe_key']) expect((await v.http('GET', `/v1/runtime/secrets/${name}`, { token: agentToken, headers: { 'x-secrets-vault-environment': 'live' } })).status).toBe(200);
  expect((await v.http('GET', '/v1/runtime/secrets/unused_secret', { token: agentToken })).status).toBe(403);

  // A second account, env style.
  const second = await addAccount(v.vault, 'second', 'UPPER_CASE');
  secondAccount = second.account.id;
  const admin2 = v.api(second.adminKey);
  await admin2.createAgent({ id: 'etl' });
  await admin2.createSecret({ name: 'WAREHOUSE_DSN', value: SENTINEL_ENV, agents: ['etl'] });
  const etlToken = (await admin2.createAgentToken('etl')).token;
  expect((await v.http('GET', '/v1/runtime/secrets/WAREHOUSE_DSN', { token: etlToken })).status).toBe(200);

  // A key rotation (new data key and master key), then values under the new key and more reads.
  await v.vault.keyring.rotate();
  await v.vault.service.audit.recordLocal('rotate-key', 'key.rotate', 'test', 'success', 'rotated in the migrate test');
  await admin.updateSecret('amadeus', { value: { client_id: 'public-id-2', client_secret: SENTINEL_KV } });
  await admin.createSecret({ name: 'after_rotation', value: 'made-after-rotation', agents: ['booking-agent'] });
  expect((await v.http('GET', '/v1/runtime/secrets/after_rotation', { token: agentToken })).status).toBe(200);

  // What the vault holds, through its own store and keyring.
  const store = v.vault.store;
  for (const account of await store.accounts.listAccounts()) {
    for (const meta of await store.secrets.listSecrets(account.id)) {
      const row = (await store.secrets.getSecret(account.id, meta.name))!;
      expected.values.set(`${account.id}/${meta.name}`, await v.vault.keyring.openValue(account.id, meta.name, row.valueVersion, row.sealed));
    }
    expected.audit.set(account.id, (await store.audit.listAudit(account.id, undefined, 10_000))!.map(({ id: _id, ...r }) => r));
    expected.events.set(account.id, await store.audit.eventsAfter(account.id, 0, 10_000));
    expected.lastEventId.set(account.id, await store.audit.lastEventId(account.id));
    for (const meta of await store.secrets.listSecrets(account.id)) expected.lastReads.set(`${account.id}/${meta.name}`, await store.reads.lastReads(account.id, meta.name));
    for (const agent of await store.agents.listAgents(account.id)) expected.lastReads.set(`${account.id}/agent ${agent.id}`, await store.reads.agentReads(account.id, agent.id));
  }
  await v.server.close();
  await v.vault.close();

  const db = new Database(path.join(source, 'vault.db'), { readonly: true });
  const log = new Database(path.join(source, 'audit.db'), { readonly: true });
  for (const t of TABLES) expected.counts[t] = t === 'last_reads' ? 0 : (db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number);
  expected.counts.last_reads = log.prepare('SELECT count(*) FROM last_reads').pluck().get() as number;
  expected.counts.audit += log.prepare('SELECT count(*) FROM audit').pluck().get() as number;
  db.close();
  log.close();
}, 120_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(source, { recursive: true, force: true });
});

describe('secrets-vault migrate', () => {
  it('copies a SQLite vault into PostgreSQL: counts, values, audit order, events and tokens all carry over', async () => {
    const url = await pgDatabase();
    // A small batch size is not a flag; many rows per table are covered by the audit (dozens of records).
    const r = await run(['migrate', '--from', source, '--to', url]);
    expect(r.err).not.toContain('unexpected');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`secrets-vault serve --data ${source} --database-url ${url}`);
    expect(r.out).toMatch(new RegExp(`secrets\\s+${expected.counts.secrets}\\b`));
    // Current values and the older ones kept for rollback.
    expect(expected.counts.secret_versions).toBeGreaterThanOrEqual(2);
    expect(r.out).toContain(`${expected.values.size + expected.counts.secret_versions} value(s) decrypt`);
    expect(r.err).toMatch(/audit: \d+ records copied/);
    expect(expected.counts.data_keys).toBeGreaterThanOrEqual(1);
    expect(expected.counts.audit).toBeGreaterThan(20);

    // Per-table counts.
    expect(await pgCounts(url)).toEqual(expected.counts);

    // Now as the vault will use it: the PostgreSQL store, the keyring over it with the same master
    // key, the service and its HTTP server.
    const { store } = await openStore({ kind: 'postgres', url });
    let server: RunningServer | undefined;
    let pgVault: Vault | undefined;
    try {
      const keyring = await Keyring.open(store, loadMasterKey(path.join(source, KEY_FILE_NAME), {}));
      // Every value opens to the value the SQLite vault held.
      let opened = 0;
      for (const account of await store.accounts.listAccounts()) {
        for (const meta of await store.secrets.listSecrets(account.id)) {
          const row = (await store.secrets.getSecret(account.id, meta.name))!;
          expect(await keyring.openValue(account.id, meta.name, row.valueVersion, row.sealed)).toEqual(expected.values.get(`${account.id}/${meta.name}`));
          opened++;
        }
        // The audit listing: the same records in the same order (ids are the new store's own).
        const audit = (await store.audit.listAudit(account.id, undefined, 10_000))!.map(({ id: _id, ...r }) => r);
        expect(audit).toEqual(expected.audit.get(account.id));
        expect(await store.audit.eventsAfter(account.id, 0, 10_000)).toEqual(expected.events.get(account.id));
        expect(await store.audit.lastEventId(account.id)).toBe(expected.lastEventId.get(account.id));
        // Last reads: the same times and environments, per secret and per agent.
        for (const meta of await store.secrets.listSecrets(account.id)) expect(await store.reads.lastReads(account.id, meta.name)).toEqual(expected.lastReads.get(`${account.id}/${meta.name}`));
        for (const agent of await store.agents.listAgents(account.id)) expect(await store.reads.agentReads(account.id, agent.id)).toEqual(expected.lastReads.get(`${account.id}/agent ${agent.id}`));
      }
      expect(opened).toBe(expected.values.size);
      // stripe_key, amadeus, after_rotation by booking-agent; WAREHOUSE_DSN by etl.
      expect(expected.counts.last_reads).toBe(4);
      expect(expected.lastReads.get(`${v.accountId}/agent booking-agent`)).toMatchObject([{ secret: 'after_rotation' }, { secret: 'amadeus' }, { secret: 'stripe_key', environment: 'live' }]);
      expect(expected.audit.get(v.accountId)!.some((x) => x.action === 'runtime.read')).toBe(true);
      expect(expected.audit.get(secondAccount)!.length).toBeGreaterThan(0);

      // The agent token and the admin key minted before migration work against a vault on PostgreSQL.
      // The vault as `serve --data SOURCE --database-url URL` opens it (the data folder gives the key only).
      pgVault = await openVault({ dataDir: source, databaseUrl: url, env: {} });
      expect(pgVault.notices.join('\n')).toContain('is not used');
      server = await serve(pgVault, { port: 0 });
      const agent = new VaultApi(undiciTransport(server.url), agentToken);
      expect(await agent.runtimeSecret('stripe_key')).toEqual({ name: 'stripe_key', value: SENTINEL_SINGLE });
      await expect(agent.runtimeSecret('unused_secret')).rejects.toMatchObject({ status: 403 });
      const admin = new VaultApi(undiciTransport(server.url), v.adminKey);
      expect((await admin.listSecrets()).map((x) => x.name).sort()).toEqual(['after_rotation', 'amadeus', 'rotated', 'stripe_key', 'unused_secret']);
      const page = await admin.audit({ limit: 3 });
      expect(page.records.map((x) => x.action)).toEqual(['runtime.read', 'runtime.read', ...expected.audit.get(v.accountId)!.slice(0, 1).map((x) => x.action)]);
      // The run token still works there, still expires when it did and names its minter; the setting came along.
      expect((await new VaultApi(undiciTransport(server.url), runToken.token).runtimeSecret('stripe_key')).value).toBe(SENTINEL_SINGLE);
      expect(await store.tokens.findToken(v.accountId, runToken.id)).toMatchObject({ expiresAt: runToken.expiresAt, mintedBy: runToken.mintedBy.id, mintedByName: runToken.mintedBy.name });
      expect((await admin.accountSettings()).localRuns).toBe('developers');
      // The settings, lifecycle fields and requests came along; the older value (re-sealed
      // by the rotation before the copy) opens under its own version: a rollback makes it current.
      expect((await admin.accountSettings()).versionsKept).toBe(5);
      expect(await admin.listAccessRequests()).toEqual(requests);
      const rotated = await admin.getSecret('rotated');
      expect(rotated).toMatchObject({ expiresAt: '2099-01-01T00:00:00.000Z', rotationDays: 90, valueVersion: 2 });
      expect((await admin.getSecret('amadeus')).keySensitivity).toEqual({ client_id: 'not-sensitive', client_secret: 'sensitive' });
      expect((await admin.listSecretVersions('rotated')).map((x) => x.version)).toEqual([2, 1]);
      await admin.rollbackSecret('rotated', 1, rotated.version);
      expect(await agent.runtimeSecret('rotated')).toEqual({ name: 'rotated', value: SENTINEL_OLD });
    } finally {
      await server?.close();
      await pgVault?.close();
      await store.close();
    }

    // The output is counts, never a value.
    for (const s of SENTINELS) expect(r.out + r.err).not.toContain(s);
  });

  it('--json reports the counts, and the URL comes from SECRETS_VAULT_DATABASE_URL with its password masked', async () => {
    const url = await pgDatabase();
    // The test cluster trusts every connection, so a password is accepted and ignored: it must still never be printed.
    const withPassword = url.replace('vault@', 'vault:hunter2pw@');
    const r = await run(['--json', 'migrate', '--from', source], { SECRETS_VAULT_DATABASE_URL: withPassword });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { rows: Record<string, number>; valuesVerified: number; to: string; next: string };
    expect(report.rows).toEqual(expected.counts);
    expect(report.valuesVerified).toBe(expected.values.size + expected.counts.secret_versions);
    expect(report.to).toBe(url.replace('vault@', 'vault:***@'));
    expect(report.next).toContain('vault:***@');
    expect(r.out + r.err).not.toContain('hunter2pw');
    expect(maskUrl('postgresql://u:p%40ss@h/db?password=x&sslmode=require')).toBe('postgresql://u:***@h/db?password=***&sslmode=require');
  });

  it('refuses a non-empty target with exit 1 and changes nothing there', async () => {
    const url = await pgDatabase();
    expect((await run(['migrate', '--from', source, '--to', url])).code).toBe(0);
    const before = await pgCounts(url);
    const changeSeq = await withPg(url, async (c) => (await c.query<{ s: string }>('SELECT change_seq AS s FROM vault_state')).rows[0]!.s);
    const again = await run(['migrate', '--from', source, '--to', url]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('is not empty');
    expect(again.err).toContain('nothing was changed');
    expect(await pgCounts(url)).toEqual(before);
    expect(await withPg(url, async (c) => (await c.query<{ s: string }>('SELECT change_seq AS s FROM vault_state')).rows[0]!.s)).toBe(changeSeq);

    // A database that holds someone else's tables is refused too, and keeps only them.
    const other = await pgDatabase();
    await withPg(other, (c) => c.query('CREATE TABLE invoices (id int)'));
    const r = await run(['migrate', '--from', source, '--to', other]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not a Secrets Vault');
    const tables = await withPg(other, async (c) => (await c.query<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema()')).rows.map((x) => x.t));
    expect(tables).toEqual(['invoices']);

    // And a vault schema newer than this version.
    const newer = await pgDatabase();
    await withPg(newer, async (c) => {
      await c.query('CREATE TABLE vault_schema (version integer NOT NULL)');
      await c.query('INSERT INTO vault_schema VALUES (99)');
    });
    const n = await run(['migrate', '--from', source, '--to', newer]);
    expect(n.code).toBe(1);
    expect(n.err).toContain('version 99, newer');
  });

  it('a wrong master key fails before anything is written; the target stays empty', async () => {
    const url = await pgDatabase();
    const wrongKey = Buffer.alloc(32, 7).toString('base64');
    const r = await run(['migrate', '--from', source, '--to', url], { [MASTER_KEY_ENV]: wrongKey });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/master key/i);
    const counts = await pgCounts(url);
    for (const t of TABLES) expect(counts[t]).toBe(0);

    // The key file with the right id but other key material: unwrapping fails the same way.
    const dir = copySource();
    const keyFile = path.join(dir, KEY_FILE_NAME);
    const content = JSON.parse(readFileSync(keyFile, 'utf8')) as { active: string; keys: Record<string, string> };
    for (const id of Object.keys(content.keys)) content.keys[id] = wrongKey;
    writeFileSync(keyFile, JSON.stringify(content), { mode: 0o600 });
    const f = await run(['migrate', '--from', dir, '--to', url]);
    expect(f.code).toBe(1);
    expect(f.err).toContain('does not open');
    expect(await pgCounts(url)).toEqual(counts);
  });

  it('a value that does not decrypt fails the verification inside the copy transaction: nothing is committed', async () => {
    const dir = copySource();
    const db = new Database(path.join(dir, 'vault.db'));
    // One flipped ciphertext byte: the row copies fine, but it no longer authenticates.
    const row = db.prepare("SELECT account_id, ciphertext FROM secrets WHERE name = 'amadeus'").get() as { account_id: string; ciphertext: Buffer };
    row.ciphertext[0] = row.ciphertext[0]! ^ 0xff;
    db.prepare("UPDATE secrets SET ciphertext = ? WHERE name = 'amadeus'").run(row.ciphertext);
    db.close();
    const url = await pgDatabase();
    const r = await run(['migrate', '--from', dir, '--to', url, '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Verification failed: 1 value(s) do not decrypt');
    expect(r.err).toContain(`${row.account_id}/amadeus`);
    expect(r.err).toContain('Nothing was committed');
    expect(r.out).toBe('');
    const counts = await pgCounts(url);
    for (const t of TABLES) expect(counts[t]).toBe(0);
    // The schema is there (it was created before the copy), empty: a second attempt is accepted.
    expect(await withPg(url, async (c) => (await c.query<{ version: number }>('SELECT version FROM vault_schema')).rows[0]!.version)).toBe(PG_SCHEMA_VERSION);
    expect((await run(['migrate', '--from', source, '--to', url])).code).toBe(0);
  });

  it('refuses a folder that is not a vault, and a URL that is not PostgreSQL; exit 1 or 2, target untouched', async () => {
    const url = await pgDatabase();
    const empty = mkdtempSync(path.join(scratch, 'empty-'));
    const r = await run(['migrate', '--from', empty, '--to', url]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('has no vault.db');
    expect(readdirSync(empty)).toEqual([]);
    const missing = await run(['migrate', '--from', path.join(scratch, 'nope'), '--to', url]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('is not a folder');
    expect((await pgCounts(url)).accounts).toBe(0);
    expect(await withPg(url, async (c) => (await c.query('SELECT to_regclass($1) AS r', ['vault_schema'])).rows[0]!.r)).toBeNull();

    // Nothing listens on a just-freed port: a clear refusal, the password masked.
    const closed = await run(['migrate', '--from', source, '--to', `postgres://vault:closedpw@127.0.0.1:${await freePort()}/x`]);
    expect(closed.code).toBe(1);
    expect(closed.err).toContain('Could not connect to postgres://vault:***@127.0.0.1:');
    expect(closed.err).not.toContain('closedpw');

    const mysql = await run(['migrate', '--from', source, '--to', 'mysql://u:secretpw@h/db']);
    expect(mysql.code).toBe(1);
    expect(mysql.err).toContain('postgres://');
    expect(mysql.err).not.toContain('secretpw');
    const none = await run(['migrate', '--from', source]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('SECRETS_VAULT_DATABASE_URL');
  });

  it('an older SQLite vault is migrated in place first, then copied', async () => {
    // A version-3 vault.db: there, every metadata change re-sealed the value for the new version,
    // so a row's version is its value's. Made from the current file by taking the value version as
    // the version, dropping the column version 4 adds and setting user_version back.
    const dir = copySource();
    const db = new Database(path.join(dir, 'vault.db'));
    db.exec('UPDATE secrets SET version = value_version; ALTER TABLE secrets DROP COLUMN value_version');
    // And without what version 5 (run tokens) added.
    db.exec('ALTER TABLE tokens DROP COLUMN expires_at; ALTER TABLE tokens DROP COLUMN minted_by; ALTER TABLE tokens DROP COLUMN minted_by_name; ALTER TABLE accounts DROP COLUMN local_runs');
    // And without what version 6 (kept values, lifecycle, access requests) added.
    db.exec(`DROP TABLE secret_versions; DROP TABLE access_requests; ALTER TABLE accounts DROP COLUMN versions_kept;
      ${['value_updated_at', 'value_updated_by', 'restored_from', 'expires_at', 'rotation_days'].map((c) => `ALTER TABLE secrets DROP COLUMN ${c};`).join(' ')}`);
    // And without what version 7 (the current value's MAC) added.
    db.exec("ALTER TABLE secrets DROP COLUMN value_mac; DELETE FROM meta WHERE key = 'value_macs'");
    // And without what schema 8 (the case and spacing folds) added.
    db.exec('DROP INDEX secrets_name_fold; DROP INDEX agents_id_fold; ALTER TABLE secrets DROP COLUMN name_fold; ALTER TABLE agents DROP COLUMN id_fold');
    // And without what schema 9 (marks on keys) added.
    db.exec('ALTER TABLE secrets DROP COLUMN key_sensitivity');
    db.pragma('user_version = 3');
    db.close();
    expect(MIGRATIONS[4]).toContain('value_version');
    // Into a non-empty target: refused before the source is opened, so it is not migrated either.
    const full = await pgDatabase();
    expect((await run(['migrate', '--from', source, '--to', full])).code).toBe(0);
    const refused = await run(['migrate', '--from', dir, '--to', full]);
    expect(refused.code).toBe(1);
    const untouched = new Database(path.join(dir, 'vault.db'), { readonly: true });
    expect(untouched.pragma('user_version', { simple: true })).toBe(3);
    untouched.close();

    const url = await pgDatabase();
    const r = await run(['migrate', '--from', dir, '--to', url]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`schema 3; it was migrated in place to ${SCHEMA_VERSION}`);
    // Every value verified (version 4 took each row's version as its value version), and the copy has them.
    expect(r.out).toContain(`${expected.values.size} value(s) decrypt`);
    expect((await pgCounts(url)).secrets).toBe(expected.counts.secrets);
    const migrated = new Database(path.join(dir, 'vault.db'), { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    migrated.close();
  });
});

describe('migrateToPostgres (the library the command runs)', () => {
  it('copies a big audit in many multi-row batches, with progress, merging both files in (at_us, file, row) order', async () => {
    const dir = copySource();
    // 12,000 more run-time read records in the access log, interleaved in time with vault.db's.
    const log = new Database(path.join(dir, 'audit.db'));
    const vaultDb = new Database(path.join(dir, 'vault.db'));
    const ats = vaultDb.prepare('SELECT at_us FROM audit ORDER BY at_us').pluck().all() as number[];
    const insert = log.prepare(
      `INSERT INTO audit (account_id, time, actor, actor_id, actor_type, action, target, outcome, detail, at_us)
       VALUES (?, '2026-01-01T00:00:00.000Z', 'booking prod', 'tok_x', 'agent', 'runtime.read', ?, 'success', '', ?)`,
    );
    log.transaction(() => {
      for (let i = 0; i < 12_000; i++) insert.run(v.accountId, `s${i}`, ats[i % ats.length]! + (i % 3) - 1);
    })();
    // The order the vault lists (oldest first here): at_us, then the access log before vault.db, then the row.
    const merged = [
      ...(log.prepare('SELECT id, at_us, target FROM audit').all() as { id: number; at_us: number; target: string }[]).map((r) => ({ ...r, rank: 0 })),
      ...(vaultDb.prepare('SELECT id, at_us, target FROM audit').all() as { id: number; at_us: number; target: string }[]).map((r) => ({ ...r, rank: 1 })),
    ].sort((a, b) => a.at_us - b.at_us || a.rank - b.rank || a.id - b.id);
    log.close();
    vaultDb.close();

    const url = await pgDatabase();
    const lines: string[] = [];
    const report = await migrateToPostgres({ fromDir: dir, toUrl: url, env: {}, batchRows: 700, onProgress: (l) => lines.push(l) });
    expect(report.rows.audit).toBe(expected.counts.audit + 12_000);
    expect(report.auditFrom.accessLog).toBeGreaterThan(12_000);
    expect(report.valuesVerified).toBe(expected.values.size + expected.counts.secret_versions);
    expect(lines).toContain(`audit: ${report.rows.audit} records copied (both files merged in order)`);
    expect(lines.some((l) => /^audit: 10500 of \d+ rows copied$/.test(l))).toBe(true);
    const copied = await withPg(url, async (c) => (await c.query<{ at_us: string; target: string }>('SELECT at_us, target FROM audit ORDER BY id')).rows);
    expect(copied.map((r) => [Number(r.at_us), r.target])).toEqual(merged.map((r) => [r.at_us, r.target]));
  });

  it('copies one moment of each file: writes committed while the copy runs are not copied, and counts still match', async () => {
    const dir = copySource();
    const url = await pgDatabase();
    const writer = new Database(path.join(dir, 'vault.db'));
    const logWriter = new Database(path.join(dir, 'audit.db'));
    let wrote = false;
    const report = await migrateToPostgres({
      fromDir: dir,
      toUrl: url,
      env: {},
      onProgress: (line) => {
        // A running vault writing after the snapshot: a change's audit and event, and a read's audit.
        if (!line.startsWith('accounts:')) return;
        writer.prepare("INSERT INTO events (account_id, seq, time, payload) VALUES (?, 100000, 'now', '{}')").run(v.accountId);
        writer
          .prepare("INSERT INTO audit (account_id, time, actor, actor_id, actor_type, action, target, outcome, detail, at_us) VALUES (?, 'now', 'a', 'b', 'user', 'secret.update', 't', 'success', '', 1)")
          .run(v.accountId);
        logWriter
          .prepare("INSERT INTO audit (account_id, time, actor, actor_id, actor_type, action, target, outcome, detail, at_us) VALUES (?, 'now', 'a', 'b', 'agent', 'runtime.read', 't', 'success', '', 1)")
          .run(v.accountId);
        wrote = true;
      },
    });
    writer.close();
    logWriter.close();
    expect(wrote).toBe(true);
    expect(report.rows).toEqual(expected.counts);
    expect(await pgCounts(url)).toEqual(expected.counts);
  });
});

describe('secrets-vault migrate: no value in PostgreSQL in plain text', () => {
  it('the sentinels are in no file of the cluster (data, WAL, log) and not in the output', async () => {
    const cluster = await startCluster({ log_statement: 'all' });
    try {
      const url = await cluster.createDatabase('leak');
      const r = await run(['migrate', '--from', source, '--to', url]);
      expect(r.code).toBe(0);
      cluster.stop(); // a fast shutdown checkpoints: everything is in the data files and WAL
      const files: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.isFile()) files.push(p);
        }
      };
      walk(cluster.dir);
      expect(files.some((f) => f.includes(`${path.sep}pg_wal${path.sep}`))).toBe(true);
      expect(files).toContain(cluster.logFile);
      let sawName = false;
      for (const f of files) {
        if (statSync(f).size === 0) continue;
        const bytes = readFileSync(f);
        for (const s of SENTINELS) expect(bytes.includes(Buffer.from(s)), `${s} in ${f}`).toBe(false);
        // The search can find what is there: a secret's name is stored in plain text.
        if (bytes.includes(Buffer.from('after_rotation'))) sawName = true;
      }
      expect(sawName).toBe(true);
      for (const s of SENTINELS) expect(r.out + r.err).not.toContain(s);
    } finally {
      cluster.destroy();
    }
  }, 120_000);
});
