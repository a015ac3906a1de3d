// PostgreSQL only: what the conformance suite cannot say through the interface. Migrations under
// concurrent starts, a schema newer than the code, changes made with raw SQL (psql) reaching the
// read cache through the triggers, the stale-lookup race of the cache, LISTEN/NOTIFY wake-ups, the
// last-admin rule across replicas, and a database that goes away and comes back. All against a real
// PostgreSQL: the run's shared cluster, or a cluster of the test's own where it stops the server.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditAction } from '../../../protocol/api';
import { StoreUnavailableError } from '../../../vault/src/store/errors';
import { openStore, storeExists } from '../../../vault/src/store/index';
import { PgGrantedCache } from '../../../vault/src/store/postgres/grantedCache';
import { migratePostgres, PG_SCHEMA_VERSION, SchemaTooNewError } from '../../../vault/src/store/postgres/schema';
import { PostgresStore } from '../../../vault/src/store/postgres/store';
import type { GrantedValue, Mutation, SealedValue, StoreSignal, TokenRow, VaultStore } from '../../../vault/src/store/types';
import { pgDatabase } from '../../helpers/pg';
import { startCluster, type PgCluster } from '../../helpers/postgres';

const NOW = '2026-01-01T00:00:00.000Z';
const A = 'acc_a';

const opened: VaultStore[] = [];
const clients: pg.Client[] = [];
let cluster: PgCluster | undefined;

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const c of clients.splice(0)) await c.end().catch(() => {});
  cluster?.destroy();
  cluster = undefined;
});

async function open(url: string): Promise<PostgresStore> {
  const store = (await openStore({ kind: 'postgres', url, poolSize: 3 })).store;
  opened.push(store);
  if (!(store instanceof PostgresStore)) throw new Error('not the PostgreSQL store');
  return store;
}

/** A plain client, as an operator's psql would be. */
async function raw(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  clients.push(c);
  return c;
}

function mutation(action: AuditAction, target: string): Mutation {
  return { now: NOW, audit: { accountId: A, actor: 'admin', actorId: 'key_admin', actorType: 'user', action, target, detail: '' } };
}

function sealed(keyId: string, byte: number): SealedValue {
  return { keyId, nonce: Buffer.alloc(12, byte), ciphertext: Buffer.alloc(40, byte) };
}

function adminKey(id: string, accountId = A): TokenRow {
  return { id: `${id}_${accountId}`, accountId, digest: randomBytes(32), kind: 'user', role: 'admin', agentId: null, name: id, createdAt: NOW, revokedAt: null };
}

/** An account with agents `reader` and `other`, a data key and secret `api_key` granted to `grantees`. */
async function seed(store: VaultStore, grantees: string[]): Promise<void> {
  await store.keys.addDataKey({ id: 'dk_1', masterId: 'mk', nonce: Buffer.alloc(12), wrapped: Buffer.alloc(48), state: 'active', createdAt: NOW });
  await store.accounts.createAccount({ id: A, name: 'a', namingStyle: 'snake_case', createdAt: NOW }, null);
  for (const id of ['reader', 'other']) await store.agents.createAgent(A, { id, name: id, description: '', createdAt: NOW }, mutation('agent.create', id));
  const r = await store.secrets.createSecret(A, { name: 'api_key', description: '', kind: 'single', keys: [], agents: grantees, sealed: sealed('dk_1', 1) }, mutation('secret.create', 'api_key'));
  expect(r.ok).toBe(true);
}

async function batchRead(store: VaultStore, agent = 'reader'): Promise<GrantedValue | undefined> {
  const reader = store.runtime.grantedReader();
  await reader.checked;
  return reader.readGranted(A, 'api_key', agent);
}

/** Resolves with the first signal `pick` accepts, or rejects after `ms`. */
function nextSignal(signals: StoreSignal[], pick: (s: StoreSignal) => boolean, ms = 10_000): Promise<StoreSignal> {
  const start = signals.length;
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`no matching signal within ${ms} ms (got ${JSON.stringify(signals.slice(start))})`));
    }, ms);
    const poll = setInterval(() => {
      const found = signals.slice(start).find(pick);
      if (found) {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve(found);
      }
    }, 10);
  });
}

/** Waits until the store's listening connection has run its LISTEN (a notification before that is not for it). */
async function listening(admin: pg.Client, count = 1): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND state = 'idle'");
    if (r.rows[0]!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the listener never listened');
}

describe('PostgreSQL store: schema and migrations', () => {
  it('three replicas starting on a fresh database at once apply the migration exactly once, and all work', async () => {
    // The migration itself, run by three connections at once: one applies it, the others wait on
    // the advisory lock and find nothing to do.
    const url = await pgDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    try {
      const conns = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
      const applied = await Promise.all(conns.map((c) => migratePostgres(c)));
      for (const c of conns) c.release();
      // Each version exactly once, whichever connection took it (the lock is taken per version).
      expect(applied.flat().sort()).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
      // (With several versions, the connections may share them out: none applies one twice.)
      const state = await pool.query<{ n: string }>('SELECT count(*) AS n FROM vault_state');
      expect(state.rows[0]!.n).toBe('1');
    } finally {
      await pool.end();
    }

    // Three stores opening another fresh database at once.
    const url2 = await pgDatabase();
    const [s1, s2, s3] = await Promise.all([open(url2), open(url2), open(url2)]);
    const admin = await raw(url2);
    expect((await admin.query<{ version: number }>('SELECT version FROM vault_schema')).rows).toEqual([{ version: PG_SCHEMA_VERSION }]);
    await seed(s1!, ['reader']);
    expect((await s2!.accounts.listAccounts()).map((a) => a.id)).toEqual([A]);
    expect((await s3!.runtime.readGranted(A, 'api_key', 'reader'))?.sealed).toEqual(sealed('dk_1', 1));
  });

  it('version 2 (run tokens) migrates a version-1 database in place: old tokens never expire, accounts keep local runs to admins', async () => {
    const url = await pgDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const digest = randomBytes(32);
    try {
      const c = await pool.connect();
      expect(await migratePostgres(c, undefined, 1)).toEqual([1]);
      await c.query("INSERT INTO accounts (id, name, naming_style, created_at) VALUES ($1, 'a', 'snake_case', $2)", [A, NOW]);
      await c.query("INSERT INTO tokens (id, account_id, digest, kind, role, agent_id, name, created_at) VALUES ('tok_old', $1, $2, 'agent', NULL, 'bot', 'bot', $3)", [A, digest, NOW]);
      c.release();
    } finally {
      await pool.end();
    }
    const store = await open(url);
    expect(PG_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    expect(await store.tokens.findTokenByDigest(digest)).toMatchObject({ id: 'tok_old', expiresAt: null, mintedBy: null, mintedByName: null });
    expect((await store.accounts.getAccount(A))?.localRuns).toBe('admins');
    const admin = await raw(url);
    await expect(admin.query("UPDATE accounts SET local_runs = 'everyone'")).rejects.toThrow(/check constraint/);
  });

  it('version 3 (a secret\'s life) migrates a version-2 database in place: value times from what is known, no expiry, 10 kept', async () => {
    const url = await pgDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const c = await pool.connect();
      expect(await migratePostgres(c, undefined, 2)).toEqual([1, 2]);
      await c.query("INSERT INTO accounts (id, name, naming_style, created_at) VALUES ($1, 'a', 'snake_case', $2)", [A, NOW]);
      await c.query("INSERT INTO data_keys VALUES ('dk_1', 'mk_1', '\\x00', '\\x00', 'active', $1)", [NOW]);
      for (const [name, version, valueVersion] of [['never_changed', 4, 1], ['changed', 5, 3]] as const) {
        await c.query(
          "INSERT INTO secrets (account_id, name, description, kind, keys, version, value_version, created_at, updated_at, updated_by, key_id, nonce, ciphertext) VALUES ($1, $2, '', 'single', '[]', $3, $4, '2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z', 'ops', 'dk_1', '\\x01', '\\x02')",
          [A, name, version, valueVersion],
        );
      }
      c.release();
    } finally {
      await pool.end();
    }
    const store = await open(url);
    expect(PG_SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    expect(await store.secrets.getSecret(A, 'never_changed')).toMatchObject({ valueVersion: 1, valueUpdatedAt: '2025-01-01T00:00:00.000Z', valueUpdatedBy: 'ops', expiresAt: null, rotationDays: null });
    expect(await store.secrets.getSecret(A, 'changed')).toMatchObject({ valueVersion: 3, valueUpdatedAt: '2025-06-01T00:00:00.000Z' });
    expect((await store.secrets.listSecretVersions(A, 'changed'))!.map((v) => v.version)).toEqual([3]);
    expect((await store.accounts.getAccount(A))?.versionsKept).toBe(10);
    const admin = await raw(url);
    await expect(admin.query('UPDATE accounts SET versions_kept = 101')).rejects.toThrow(/check constraint/);
    // The new tables are state: a write to them moves the change counter (caches are never stale).
    const before = (await admin.query<{ n: string }>('SELECT change_seq AS n FROM vault_state')).rows[0]!.n;
    await admin.query("INSERT INTO secret_versions VALUES ($1, 'changed', 2, 'single', '[]', $2, 'ops', NULL, 'dk_1', '\\x03', '\\x04')", [A, NOW]);
    expect((await admin.query<{ n: string }>('SELECT change_seq AS n FROM vault_state')).rows[0]!.n).not.toBe(before);
    await expect(admin.query("DELETE FROM data_keys WHERE id = 'dk_1'")).rejects.toThrow(/foreign key/);
  });

  it('refuses a database whose schema is newer than this code, with a clear message', async () => {
    const url = await pgDatabase();
    await (await open(url)).close();
    opened.length = 0;
    const admin = await raw(url);
    await admin.query('UPDATE vault_schema SET version = $1', [PG_SCHEMA_VERSION + 1]);
    const refused = openStore({ kind: 'postgres', url });
    await expect(refused).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(refused).rejects.toThrow(`The PostgreSQL schema is version ${PG_SCHEMA_VERSION + 1}, newer than this vault understands (${PG_SCHEMA_VERSION}): upgrade this replica.`);
    // Nothing was changed.
    expect((await admin.query('SELECT version FROM vault_schema')).rows).toEqual([{ version: PG_SCHEMA_VERSION + 1 }]);
  });

  it('storeExists: only a migrated schema with an account counts as a created vault', async () => {
    const url = await pgDatabase();
    expect(await storeExists({ kind: 'postgres', url })).toBe(false);
    const store = await open(url);
    expect(await storeExists({ kind: 'postgres', url })).toBe(false);
    await store.accounts.createAccount({ id: A, name: 'a', namingStyle: 'snake_case', createdAt: NOW }, null);
    expect(await storeExists({ kind: 'postgres', url })).toBe(true);
  });

  it('bigint columns come back as numbers from the vault pool only; the pg module default is untouched', async () => {
    const url = await pgDatabase();
    const store = await open(url);
    await seed(store, []);
    expect(await store.audit.lastEventId(A)).toBe(3);
    const plain = await raw(url);
    // Anyone else in the process still gets pg's default (a string).
    expect((await plain.query('SELECT event_seq FROM accounts')).rows[0]).toEqual({ event_seq: '3' });
  });
});

describe('PostgreSQL store: the cache-freshness rule', () => {
  it('a grant inserted and deleted with raw SQL shows on the very next batch of an instance that had cached the old answer', async () => {
    const url = await pgDatabase();
    const store = await open(url);
    await seed(store, []);
    expect(await batchRead(store)).toBeUndefined();
    const cachedAt = store.generation();
    // No change: the next batch answers from the cache (the generation stays).
    expect(await batchRead(store)).toBeUndefined();
    expect(store.generation()).toBe(cachedAt);

    const psql = await raw(url);
    await psql.query("INSERT INTO grants (account_id, secret_name, agent_id) VALUES ('acc_a', 'api_key', 'reader')");
    expect((await batchRead(store))?.sealed).toEqual(sealed('dk_1', 1));
    const afterGrant = store.generation();
    expect(afterGrant).toBeGreaterThan(cachedAt);

    await psql.query("DELETE FROM grants WHERE account_id = 'acc_a' AND agent_id = 'reader'");
    expect(await batchRead(store)).toBeUndefined();
    expect(store.generation()).toBeGreaterThan(afterGrant);

    // A value replaced with raw SQL (a tampered row) is not served from the cache either.
    await psql.query("INSERT INTO grants (account_id, secret_name, agent_id) VALUES ('acc_a', 'api_key', 'reader')");
    expect((await batchRead(store))?.sealed).toEqual(sealed('dk_1', 1));
    await psql.query("UPDATE secrets SET ciphertext = '\\x00'::bytea WHERE name = 'api_key'");
    expect((await store.runtime.readGranted(A, 'api_key', 'reader'))?.sealed.ciphertext).toEqual(Buffer.from([0]));
  });

  it("a batch's misses, looked up together, each get their own answer", async () => {
    const url = await pgDatabase();
    const store = await open(url);
    await seed(store, ['reader']);
    await store.secrets.createSecret(A, { name: 'second', description: '', kind: 'kv', keys: ['k'], agents: ['other'], sealed: sealed('dk_1', 2) }, mutation('secret.create', 'second'));
    await store.accounts.createAccount({ id: 'acc_b', name: 'b', namingStyle: 'snake_case', createdAt: NOW }, null);
    const reads: [string, string, string][] = [
      [A, 'api_key', 'reader'],
      [A, 'api_key', 'other'],
      [A, 'second', 'other'],
      [A, 'second', 'reader'],
      [A, 'missing', 'reader'],
      ['acc_b', 'api_key', 'reader'],
      [A, 'api_key', 'reader'],
      [A, 'second', 'other'],
    ];
    const expected = ['api_key:1', undefined, 'second:2', undefined, undefined, undefined, 'api_key:1', 'second:2'];
    // Twice: all misses in one turn (one query), then all from the cache.
    for (let round = 0; round < 2; round++) {
      const reader = store.runtime.grantedReader();
      const answers = await Promise.all(reads.map(([acc, name, agent]) => reader.readGranted(acc, name, agent)));
      expect(answers.map((g) => g && `${g.name}:${g.sealed.nonce[0]}`)).toEqual(expected);
    }
  });

  it('a deadlock with a psql writer that locks in the other order: the vault transaction runs again and succeeds', async () => {
    const url = await pgDatabase();
    // Who is the victim is up to timing: the first waiter whose deadlock_timeout passes while the
    // cycle exists. The vault's sessions check after 5 s (time for psql to close the cycle even on a
    // loaded machine); psql's never (60 s), so the vault's transaction is the one aborted.
    const setup = await raw(url);
    await setup.query(`ALTER DATABASE "${new URL(url).pathname.slice(1)}" SET deadlock_timeout = '5s'`);
    const store = await open(url);
    await seed(store, ['reader']);
    const psql = await raw(url);
    await psql.query("SET deadlock_timeout = '60s'");
    // psql holds the secret's row, then (below) writes it, which makes its trigger want vault_state.
    await psql.query('BEGIN');
    await psql.query("SELECT 1 FROM secrets WHERE name = 'api_key' FOR UPDATE");
    // The vault's update takes vault_state first, then waits for the row.
    const update = store.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: ['other'] }, mutation('access.replace', 'api_key'), 'access.changed');
    const watcher = await raw(url);
    for (let i = 0; ; i++) {
      const w = await watcher.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'secrets-vault' AND wait_event_type = 'Lock'");
      if (w.rows.length > 0) break;
      if (i > 500) throw new Error('the update never waited');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // The cycle: the vault's transaction is aborted, psql's write goes through, and the vault runs its transaction again.
    const psqlWrite = psql.query("UPDATE secrets SET description = 'by psql' WHERE name = 'api_key'");
    await psqlWrite;
    await psql.query('COMMIT');
    const r = await update;
    expect(r.ok).toBe(true);
    expect(await store.secrets.getSecret(A, 'api_key')).toMatchObject({ description: 'by psql', agents: ['other'], version: 2 });
  });

  it('read audits do not move the change counter (they would empty the cache on every batch)', async () => {
    const url = await pgDatabase();
    const store = await open(url);
    await seed(store, ['reader']);
    await batchRead(store);
    const gen = store.generation();
    await store.audit.appendAudit([{ accountId: A, actor: 'reader', actorId: 'tok_r', actorType: 'agent', action: 'runtime.read', target: 'api_key', outcome: 'success', detail: '' }], NOW);
    await batchRead(store);
    expect(store.generation()).toBe(gen);
  });

  it('a lookup sent before a change and answered after a newer check cannot leave its stale answer in the cache', async () => {
    // The store's cache with its real queries, where the test holds the lookup's reply: the query
    // runs (and takes its snapshot) at once, but its answer is delivered only when released, as
    // over a slow network.
    const url = await pgDatabase();
    const store = await open(url);
    await seed(store, ['reader']);
    const db = await raw(url);
    const check = async () => cache.observe(Number((await db.query<{ s: string }>('SELECT change_seq AS s FROM vault_state')).rows[0]!.s));
    let hold: Promise<void> | undefined;
    let lookups = 0;
    let answered = false;
    const cache = new PgGrantedCache(async (keys) => {
      lookups++;
      const answers: (GrantedValue | undefined)[] = [];
      for (const { accountId, name, agent } of keys) {
        const r = await db.query<{ name: string }>(
          'SELECT s.name FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name WHERE s.account_id = $1 AND s.name = $2 AND g.agent_id = $3',
          [accountId, name, agent],
        );
        const row = r.rows[0];
        answers.push(row && ({ name: row.name, kind: 'single', valueVersion: 1, sealed: sealed('dk_1', 1), expiresAt: null } satisfies GrantedValue));
      }
      answered = true;
      await hold;
      return answers;
    });

    await check();
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    // The lookup is sent and answered by the database (granted) before the revocation...
    const slow = cache.lookup(A, 'api_key', 'reader');
    while (!answered) await new Promise((resolve) => setTimeout(resolve, 5));
    const another = await open(url);
    await another.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: [] }, mutation('access.replace', 'api_key'), 'access.changed');
    // ...a newer batch's check sees the revocation...
    await check();
    // ...and only then does the old answer arrive. Its own (in-flight) read may be answered with it.
    release();
    expect((await slow)?.name).toBe('api_key');
    hold = undefined;
    // The next read after the newer check must not get it from the cache.
    expect(await cache.lookup(A, 'api_key', 'reader')).toBeUndefined();
    expect(lookups).toBe(2);
    // And through the store itself, of course, the revocation holds.
    expect(await batchRead(store)).toBeUndefined();
  });
});

describe('PostgreSQL store: replicas', () => {
  it('watch on one instance hears about a change made through another, and about a reconnect', async () => {
    const url = await pgDatabase();
    const a = await open(url);
    const b = await open(url);
    await seed(a, []);
    const admin = await raw(url);
    const signals: StoreSignal[] = [];
    const stop = b.watch((s) => signals.push(s));
    await listening(admin);
    const events = nextSignal(signals, (s) => s.kind === 'events' && s.accountId === A);
    const change = nextSignal(signals, (s) => s.kind === 'change');
    await a.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: ['reader'] }, mutation('access.replace', 'api_key'), 'access.changed');
    await events;
    await change;

    // Its connection killed (a restart, a proxy): it reconnects and says "look again", since
    // notifications may have been lost in between.
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
    const afterReconnect = nextSignal(signals, (s) => s.kind === 'change');
    await afterReconnect;
    await listening(admin);
    const again = nextSignal(signals, (s) => s.kind === 'events');
    await a.secrets.deleteSecret(A, 'api_key', undefined, mutation('secret.delete', 'api_key'));
    await again;

    // Unsubscribed, and closing ends the listening connection.
    stop();
    await b.close();
    const left = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
    expect(left.rows[0]).toEqual({ n: 0 });
  });

  it('the last two admin keys revoked at once through two instances: exactly one succeeds, every time', async () => {
    const url = await pgDatabase();
    const a = await open(url);
    const b = await open(url);
    for (let round = 0; round < 10; round++) {
      // A fresh account each round, with exactly two active admin keys.
      const account = `acc_r${round}`;
      const m = (id: string): Mutation => ({ ...mutation('userkey.revoke', id), audit: { ...mutation('userkey.revoke', id).audit, accountId: account } });
      await a.accounts.createAccount({ id: account, name: account, namingStyle: 'snake_case', createdAt: NOW }, null);
      const [x, y] = [adminKey('key_x', account), adminKey('key_y', account)];
      await a.tokens.insertToken(x, null);
      await b.tokens.insertToken(y, null);
      const results = await Promise.all([a.tokens.revokeToken(account, x.id, m(x.id)), b.tokens.revokeToken(account, y.id, m(y.id))]);
      expect(results.sort()).toEqual(['last-admin', 'revoked']);
      expect((await b.tokens.listUserKeys(account)).filter((k) => k.revokedAt === null)).toHaveLength(1);
    }
  });
});

describe('PostgreSQL store: unavailability', () => {
  it('a stopped server makes calls fail fast with StoreUnavailableError, and the same store works again once it is back', async () => {
    cluster = await startCluster();
    const url = await cluster.createDatabase();
    const store = await open(url);
    await seed(store, ['reader']);
    // Idle pooled connections exist now; the shutdown kills them (their 'error' must not crash us).
    expect(await batchRead(store)).toBeDefined();
    cluster.stop();

    const message = /^The database is unavailable \([a-z ,]+\)\.$/;
    const failures: unknown[] = [];
    for (const call of [
      () => store.accounts.listAccounts(),
      () => store.runtime.readGranted(A, 'api_key', 'reader'),
      () => store.runtime.grantedReader().checked,
      () => store.runtime.grantedReader().readGranted(A, 'api_key', 'reader'),
      () => store.agents.createAgent(A, { id: 'late', name: 'late', description: '', createdAt: NOW }, mutation('agent.create', 'late')),
      () => store.audit.appendAudit([{ accountId: A, actor: 'r', actorId: 'tok_r', actorType: 'agent', action: 'runtime.read', target: 'api_key', outcome: 'success', detail: '' }], NOW),
    ]) {
      const e = await Promise.resolve(call()).then(
        () => undefined,
        (err: unknown) => err,
      );
      failures.push(e);
    }
    for (const e of failures) {
      expect(e).toBeInstanceOf(StoreUnavailableError);
      expect((e as Error).message).toMatch(message);
    }
    await expect(storeExists({ kind: 'postgres', url })).rejects.toBeInstanceOf(StoreUnavailableError);

    cluster.start();
    // The same store object: the pool opens new connections by itself.
    expect((await store.accounts.listAccounts()).map((x) => x.id)).toEqual([A]);
    expect(await batchRead(store)).toBeDefined();
    const r = await store.agents.createAgent(A, { id: 'late', name: 'late', description: '', createdAt: NOW }, mutation('agent.create', 'late'));
    expect(r.ok).toBe(true);
  });

  it('connections terminated by the server (admin shutdown of backends) are replaced without a restart', async () => {
    const url = await pgDatabase();
    const store = await open(url);
    await seed(store, ['reader']);
    expect(await batchRead(store)).toBeDefined();
    const admin = await raw(url);
    const killed = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'secrets-vault'",
    );
    expect(killed.rows.length).toBeGreaterThan(0);
    // At once, whether or not the pool has noticed yet that its idle connections died: a statement
    // that finds its connection dead before it ran goes again on a new one.
    expect(await batchRead(store)).toBeDefined();
    expect((await store.agents.listAgents(A)).map((x) => x.id)).toEqual(['other', 'reader']);
    // The same for a write: its transaction starts again on a new connection (nothing had run).
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'secrets-vault'");
    const r = await store.agents.createAgent(A, { id: 'after', name: 'after', description: '', createdAt: NOW }, mutation('agent.create', 'after'));
    expect(r.ok).toBe(true);
  });

  it('a transaction cut off mid-way (backend terminated) rejects as unavailable, commits nothing, and the next call works', async () => {
    const url = await pgDatabase();
    const store = await open(url);
    await seed(store, ['reader']);
    const admin = await raw(url);
    // Hold the grants table so that the update's transaction waits inside, mid-way.
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE grants IN ACCESS EXCLUSIVE MODE');
    const update = store.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: ['other'] }, mutation('access.replace', 'api_key'), 'access.changed');
    const outcome = update.then(
      () => undefined,
      (e: unknown) => e,
    );
    const killer = await raw(url);
    for (let i = 0; ; i++) {
      const waiting = await killer.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'secrets-vault' AND wait_event_type = 'Lock'");
      if (waiting.rows.length > 0) {
        await killer.query('SELECT pg_terminate_backend($1)', [(waiting.rows[0] as { pid: number }).pid]);
        break;
      }
      if (i > 500) throw new Error('the update never waited');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const e = await outcome;
    expect(e).toBeInstanceOf(StoreUnavailableError);
    expect((e as Error).message).toMatch(/^The database is unavailable \([a-z ,]+\)\.$/);
    await admin.query('COMMIT');
    // Nothing of it was committed: the same version, grants, events.
    expect(await store.secrets.getSecret(A, 'api_key')).toMatchObject({ version: 1, agents: ['reader'] });
    expect(await store.audit.lastEventId(A)).toBe(3);
    // The broken connection was not handed out again: the next writes and reads work.
    const r = await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: ['other'] }, mutation('access.replace', 'api_key'), 'access.changed');
    expect(r.ok).toBe(true);
    expect(await batchRead(store, 'other')).toBeDefined();
  });

  it('a server that never answers: a connection attempt gives up within its timeout', async () => {
    // A listening socket that accepts and then says nothing (a hung server, a black-holing proxy).
    const net = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as import('node:net').AddressInfo).port;
    try {
      const e = await PostgresStore.open({ url: `postgres://vault@127.0.0.1:${port}/x`, connectTimeoutMs: 300 }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(StoreUnavailableError);
      expect((e as Error).message).toBe('The database is unavailable (connection timed out).');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('PostgreSQL store: data travels as bound parameters only', () => {
  it('with every statement logged (but not its parameters), no piece of data appears in the server log', async () => {
    // log_statement=all writes each statement's text; parameters are left out (max length 0), so
    // whatever of the data shows in the log was part of a statement's text.
    cluster = await startCluster({ log_statement: 'all', log_parameter_max_length: '0', log_parameter_max_length_on_error: '0' });
    const url = await cluster.createDatabase();
    const store = await open(url);
    const mark = `sentinel${randomBytes(6).toString('hex')}`;
    const bytes = Buffer.from(mark);
    await store.keys.addDataKey({ id: `dk_${mark}`, masterId: mark, nonce: bytes, wrapped: bytes, state: 'active', createdAt: NOW });
    await store.accounts.createAccount({ id: A, name: mark, namingStyle: 'snake_case', createdAt: NOW }, mutation('account.create', mark));
    await store.agents.createAgent(A, { id: `ag_${mark}`, name: mark, description: mark, createdAt: NOW }, mutation('agent.create', mark));
    const sealedMark = { keyId: `dk_${mark}`, nonce: bytes, ciphertext: bytes };
    await store.secrets.createSecret(A, { name: `s_${mark}`, description: mark, kind: 'single', keys: [], agents: [`ag_${mark}`], sealed: sealedMark }, mutation('secret.create', mark));
    await store.secrets.updateSecret(A, `s_${mark}`, { expectedVersion: 1, description: `${mark}2`, sealed: sealedMark }, mutation('secret.update', mark), 'secret.updated');
    await store.tokens.insertToken({ ...adminKey(`key_${mark}`), digest: bytes, name: mark }, mutation('userkey.create', mark));
    await store.tokens.findTokenByDigest(bytes);
    await store.runtime.readGranted(A, `s_${mark}`, `ag_${mark}`);
    await store.audit.appendAudit([{ accountId: A, actor: mark, actorId: mark, actorType: 'agent', action: 'runtime.read', target: mark, outcome: 'success', detail: mark }], NOW);
    await store.keys.setMeta(mark, bytes);
    await store.keys.resealSecret(A, `s_${mark}`, 2, sealedMark, sealedMark);
    await store.tokens.revokeToken(A, `key_${mark}_${A}`, mutation('userkey.revoke', mark));
    // A refused statement is logged with its text too (log_min_error_statement): a duplicate account.
    await expect(store.accounts.createAccount({ id: A, name: mark, namingStyle: 'snake_case', createdAt: NOW }, null)).rejects.toThrow();
    await store.close();
    opened.length = 0;
    const log = readFileSync(cluster.logFile, 'utf8');
    // The log did record the vault's statements (the check is not vacuous).
    expect(log).toContain('INSERT INTO secrets');
    expect(log).not.toContain(mark);
    expect(log).not.toContain(bytes.toString('hex'));
  });
});
