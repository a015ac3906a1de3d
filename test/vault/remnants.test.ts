// What deletion leaves behind and what a database writer can roll back,
// against a real vault over HTTP on 127.0.0.1.
//
// Finding 5: after a delete, vault.db-wal still held both versions' ciphertexts (with the master key,
// their values). The test reads the ciphertexts from the store before the delete and searches every
// file of the data folder (vault.db, its -wal and -shm, audit.db and theirs) for their bytes.
//
// Finding 6: copying an older secret_versions row (ciphertext, nonce, key id, value version) over the
// current secrets row made every replica serve the rotated-out value. The attack is made here with
// SQL from another connection, as a database writer would; the reads over HTTP must now fail closed.

import Database from 'better-sqlite3';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { FailedAuthLimiter } from '../../vault/src/auth';
import { openVault, serve, type RunningServer, type Vault } from '../../vault/src/vault';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../vault/src/store/sqlite/store';
import { pgDatabase } from '../helpers/pg';
import { startTestVault, TEST_STORES, type TestStoreKind, type TestVault } from '../helpers/vault';

/** What the schemas after MACs added (SQLite 8 and 9, PostgreSQL 5 and 6: the name and id folds, marks on keys), taken away first. */
const DROP_FOLDS = ['ALTER TABLE secrets DROP COLUMN key_sensitivity', 'DROP INDEX secrets_name_fold', 'DROP INDEX agents_id_fold', 'ALTER TABLE secrets DROP COLUMN name_fold', 'ALTER TABLE agents DROP COLUMN id_fold'];

const vaults: TestVault[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const v of vaults.splice(0)) await v.stop();
  for (const c of cleanups.splice(0)) await c();
});

async function sqliteVault(): Promise<TestVault & { db: SqliteStore['db'] }> {
  const v = await startTestVault();
  vaults.push(v);
  return Object.assign(v, { db: (v.vault.store as SqliteStore).db });
}

/** Every ciphertext (current and kept) a secret has in the store now, as the database holds them. */
function ciphertexts(db: SqliteStore['db'], accountId: string, name: string): Buffer[] {
  const current = db.prepare('SELECT ciphertext FROM secrets WHERE account_id = ? AND name = ?').pluck().all(accountId, name) as Buffer[];
  const kept = db.prepare('SELECT ciphertext FROM secret_versions WHERE account_id = ? AND secret_name = ?').pluck().all(accountId, name) as Buffer[];
  return [...current, ...kept];
}

/** The files of the data folder that hold any of `needles` (each searched whole, as raw bytes). */
function filesHolding(dataDir: string, needles: Buffer[]): string[] {
  const found: string[] = [];
  for (const f of readdirSync(dataDir)) {
    const bytes = readFileSync(path.join(dataDir, f));
    if (needles.some((n) => bytes.includes(n))) found.push(f);
  }
  return found;
}

describe('SQLite: a deleted or pruned value leaves no ciphertext in vault.db or its WAL', () => {
  it('create, update twice, delete: none of the three ciphertexts is in any file of the data folder', async () => {
    const v = await sqliteVault();
    const api = v.api();
    await api.createSecret({ name: 'doomed', value: `first-${'a'.repeat(40)}` });
    await api.updateSecret('doomed', { value: `second-${'b'.repeat(40)}` });
    await api.updateSecret('doomed', { value: `third-${'c'.repeat(40)}` });
    const sealed = ciphertexts(v.db, v.accountId, 'doomed');
    expect(sealed).toHaveLength(3);
    // Before the delete they are there (so that the search below can find what it looks for).
    expect(filesHolding(v.dataDir, sealed).length).toBeGreaterThan(0);
    await api.deleteSecret('doomed');
    expect(filesHolding(v.dataDir, sealed)).toEqual([]);
    // The WAL is cut to nothing, not just reset (its old frames would remain past its header).
    expect(readdirSync(v.dataDir).includes('vault.db-wal') ? readFileSync(path.join(v.dataDir, 'vault.db-wal')).length : 0).toBe(0);
  });

  it('a value pruned past versionsKept leaves no ciphertext either, while the kept ones stay readable', async () => {
    const v = await sqliteVault();
    const api = v.api();
    await api.updateAccountSettings({ versionsKept: 2 });
    await api.createSecret({ name: 'pruned', value: `v1-${'x'.repeat(40)}` });
    const first = ciphertexts(v.db, v.accountId, 'pruned');
    expect(first).toHaveLength(1);
    await api.updateSecret('pruned', { value: `v2-${'y'.repeat(40)}` });
    // The third value prunes the first (two kept: the current one and one older).
    await api.updateSecret('pruned', { value: `v3-${'z'.repeat(40)}` });
    expect((await api.listSecretVersions('pruned')).map((x) => x.version)).toEqual([3, 2]);
    expect(filesHolding(v.dataDir, first)).toEqual([]);
    // Fewer versions kept prunes too.
    const second = ciphertexts(v.db, v.accountId, 'pruned').filter((c) => !c.equals(ciphertexts(v.db, v.accountId, 'pruned')[0]!));
    expect(second).toHaveLength(1);
    expect(filesHolding(v.dataDir, second).length).toBeGreaterThan(0);
    await api.updateAccountSettings({ versionsKept: 1 });
    expect(filesHolding(v.dataDir, second)).toEqual([]);
  });
});

/** Runs SQL against the vault's database from another connection (another process, as far as the vault can tell). */
async function writeAsDatabase(kind: TestStoreKind, where: { dataDir: string; databaseUrl?: string }, sql: string[]): Promise<void> {
  if (kind === 'sqlite') {
    const db = new Database(path.join(where.dataDir, 'vault.db'));
    try {
      for (const q of sql) db.exec(q);
    } finally {
      db.close();
    }
    return;
  }
  const c = new pg.Client({ connectionString: where.databaseUrl });
  await c.connect();
  try {
    for (const q of sql) await c.query(q);
  } finally {
    await c.end();
  }
}

/** The attack: the kept value 1 of `name` copied over its current row, MAC column untouched (or cleared). */
function rollbackSql(name: string, clearMac = false): string[] {
  const pick = (col: string) => `(SELECT ${col} FROM secret_versions v WHERE v.account_id = secrets.account_id AND v.secret_name = secrets.name AND v.value_version = 1)`;
  return [
    `UPDATE secrets SET key_id = ${pick('key_id')}, nonce = ${pick('nonce')}, ciphertext = ${pick('ciphertext')}, value_version = 1${clearMac ? ', value_mac = NULL' : ''} WHERE name = '${name}'`,
  ];
}

async function vaultOn(kind: TestStoreKind): Promise<TestVault & { databaseUrl?: string }> {
  const databaseUrl = kind === 'postgres' ? await pgDatabase() : undefined;
  const v = await startTestVault({ ...(databaseUrl ? { databaseUrl } : {}), limiter: new FailedAuthLimiter(10_000, 60_000) });
  vaults.push(v);
  return databaseUrl ? Object.assign(v, { databaseUrl }) : v;
}

describe.each(TEST_STORES)('%s: a value rolled back by a database writer fails closed', (kind) => {
  it('an older kept value copied over the current row: run-time reads (single and env) are 500 decryption_failed, audited, no value', async () => {
    const v = await vaultOn(kind);
    const api = v.api();
    await api.createAgent({ id: 'bot' });
    const token = (await api.createAgentToken('bot')).token;
    const OLD = 'rotated-out-credential-0001';
    const NEW = 'current-credential-0002';
    await api.createSecret({ name: 'rolled', value: OLD, agents: ['bot'] });
    await api.updateSecret('rolled', { value: NEW });
    await api.createSecret({ name: 'untouched', value: 'still-fine', agents: ['bot'] });
    // Read once first: the run-time cache now holds the current row (it must not outlive the attack).
    expect((await v.http('GET', '/v1/runtime/secrets/rolled', { token })).json).toEqual({ name: 'rolled', value: NEW });

    await writeAsDatabase(kind, v, rollbackSql('rolled'));
    const one = await v.http('GET', '/v1/runtime/secrets/rolled', { token });
    expect({ status: one.status, code: one.json?.code }).toEqual({ status: 500, code: 'decryption_failed' });
    expect(one.text).not.toContain(OLD);
    const env = await v.http('GET', '/v1/runtime/env', { token });
    expect({ status: env.status, code: env.json?.code }).toEqual({ status: 500, code: 'decryption_failed' });
    expect(env.text).not.toContain(OLD);
    // Another secret of the same agent is not affected.
    expect((await v.http('GET', '/v1/runtime/secrets/untouched', { token })).json?.value).toBe('still-fine');
    // Audited as a failed read.
    const audit = (await api.audit({ limit: 50 })).records;
    expect(audit.some((r) => r.action === 'runtime.read' && r.target === 'rolled' && r.outcome === 'failed')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(OLD);

    // Clearing the MAC as well does not help: a current value without one is refused.
    await writeAsDatabase(kind, v, rollbackSql('rolled', true));
    expect((await v.http('GET', '/v1/runtime/secrets/rolled', { token })).status).toBe(500);

    // Key rotation does not launder it: the row is reported unreadable and left as it is.
    const report = await v.vault.keyring.rotate();
    expect(report.unreadable).toContainEqual({ accountId: v.accountId, name: 'rolled' });
    expect((await v.http('GET', '/v1/runtime/secrets/rolled', { token })).status).toBe(500);
    expect((await v.http('GET', '/v1/runtime/secrets/untouched', { token })).json?.value).toBe('still-fine');

    // The admin's way out of a tampered row: delete the secret and create it again with a new value.
    const FRESH = 'fresh-after-the-incident-0003';
    await api.deleteSecret('rolled');
    await api.createSecret({ name: 'rolled', value: FRESH, agents: ['bot'] });
    expect((await v.http('GET', '/v1/runtime/secrets/rolled', { token })).json).toEqual({ name: 'rolled', value: FRESH });
  });

  it('a vault written before MACs (schema without value_mac) is upgraded in place: values get their MAC and read as before; then a rollback fails closed', async () => {
    const v = await vaultOn(kind);
    const api = v.api();
    await api.createAgent({ id: 'bot' });
    const token = (await api.createAgentToken('bot')).token;
    await api.createSecret({ name: 'kept', value: 'value-one', agents: ['bot'] });
    await api.updateSecret('kept', { value: 'value-two' });
    await api.createSecret({ name: 'pair', value: { client_id: 'id-1', client_secret: 'sec-1' }, agents: ['bot'] });
    const dataDir = v.dataDir;
    const databaseUrl = v.databaseUrl;
    await v.server.close();
    await v.vault.close();
    vaults.splice(vaults.indexOf(v), 1);
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));

    // Back to the release before MACs: the same rows, sealed as that release sealed them, no MAC column
    // (and none of the later schema's name folds).
    await writeAsDatabase(
      kind,
      { dataDir, ...(databaseUrl ? { databaseUrl } : {}) },
      kind === 'sqlite'
        ? [...DROP_FOLDS, 'ALTER TABLE secrets DROP COLUMN value_mac', "DELETE FROM meta WHERE key = 'value_macs'", 'PRAGMA user_version = 6']
        : [...DROP_FOLDS, 'ALTER TABLE secrets DROP COLUMN value_mac', "DELETE FROM meta WHERE key = 'value_macs'", 'UPDATE vault_schema SET version = 3'],
    );

    const upgraded: Vault = await openVault({ dataDir, env: {}, ...(databaseUrl ? { databaseUrl } : {}) });
    const server: RunningServer = await serve(upgraded, { port: 0, logger: false, limiter: new FailedAuthLimiter(10_000, 60_000) });
    cleanups.unshift(async () => {
      await server.close();
      await upgraded.close();
    });
    expect(upgraded.notices.join('\n')).toContain('2 stored value(s) had no integrity MAC and were given one');
    const read = async (name: string) => {
      const { request } = await import('undici');
      const r = await request(`${server.url}/v1/runtime/secrets/${name}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: r.statusCode, json: (await r.body.json()) as { value?: unknown; code?: string } };
    };
    expect(await read('kept')).toEqual({ status: 200, json: { name: 'kept', value: 'value-two' } });
    expect(await read('pair')).toEqual({ status: 200, json: { name: 'pair', value: { client_id: 'id-1', client_secret: 'sec-1' } } });

    // From now on the attack is refused.
    await writeAsDatabase(kind, { dataDir, ...(databaseUrl ? { databaseUrl } : {}) }, rollbackSql('kept'));
    const after = await read('kept');
    expect({ status: after.status, code: after.json.code }).toEqual({ status: 500, code: 'decryption_failed' });
  });
});
