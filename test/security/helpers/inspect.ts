// What the crash and concurrency scenarios read behind the API after the fact, on either store:
// the same questions in SQLite's SQL (through the vault's own connection) or PostgreSQL's (a
// separate client on the vault's database). Values are never read here; the scenarios read them
// through the store interface and the keyring.

import pg from 'pg';
import type { Vault } from '../../../vault/src/vault';
import { sqliteStore } from '../../helpers/sqliteStore';

export interface StoreInspector {
  /** The data key ids, as one string (a rotation that got going changes it). */
  dataKeyIds(): Promise<string>;
  /** Structural damage: SQLite's integrity and foreign-key checks; on PostgreSQL, gaps in an account's event sequence. */
  damage(accountId: string): Promise<string[]>;
  /** Successful user-made changes per target (secret name). */
  userChangesByTarget(accountId: string): Promise<Map<string, number>>;
  /** Successful audit records with one of `actions` on `target`. */
  auditCount(accountId: string, target: string, actions: string[]): Promise<number>;
  /** Event payloads of the account, oldest first. */
  eventPayloads(accountId: string): Promise<string[]>;
  /** Grants whose secret is gone. */
  orphanGrants(): Promise<number>;
  close(): Promise<void>;
}

const USER_CHANGES = "SELECT target, count(*) AS n FROM audit WHERE account_id = $1 AND outcome = 'success' AND actor_type = 'user' GROUP BY target";
const ORPHANS = 'SELECT count(*) AS n FROM grants g LEFT JOIN secrets s ON s.account_id = g.account_id AND s.name = g.secret_name WHERE s.name IS NULL';

/** `databaseUrl` set: the vault runs on that PostgreSQL database; else on SQLite. */
export async function inspectStore(vault: Vault, databaseUrl: string | undefined): Promise<StoreInspector> {
  if (databaseUrl === undefined) return sqliteInspector(vault);
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  return {
    async dataKeyIds() {
      return JSON.stringify((await c.query('SELECT id FROM data_keys ORDER BY id')).rows);
    },
    async damage(accountId) {
      // Events take the account's next number in the change's own transaction: a change that
      // committed half-way would leave a gap or a counter ahead of its events.
      const r = await c.query<{ n: string; min: string | null; max: string | null; seq: string }>(
        'SELECT count(e.seq) AS n, min(e.seq) AS min, max(e.seq) AS max, a.event_seq AS seq FROM accounts a LEFT JOIN events e ON e.account_id = a.id WHERE a.id = $1 GROUP BY a.event_seq',
        [accountId],
      );
      const row = r.rows[0];
      if (!row) return [`account ${accountId} is missing`];
      const [n, min, max, seq] = [Number(row.n), Number(row.min ?? 0), Number(row.max ?? 0), Number(row.seq)];
      // Retention may have removed the oldest: the rest are still one unbroken run up to the counter.
      const whole = n === 0 ? seq === 0 : n === max - min + 1 && max === seq;
      return whole ? [] : [`events: ${n} rows, ${min}..${max}, account counter ${seq}`];
    },
    async userChangesByTarget(accountId) {
      const r = await c.query<{ target: string; n: string }>(USER_CHANGES, [accountId]);
      return new Map(r.rows.map((x) => [x.target, Number(x.n)]));
    },
    async auditCount(accountId, target, actions) {
      const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM audit WHERE account_id = $1 AND target = $2 AND action = ANY($3) AND outcome = 'success'", [
        accountId,
        target,
        actions,
      ]);
      return Number(r.rows[0]!.n);
    },
    async eventPayloads(accountId) {
      return (await c.query<{ payload: string }>('SELECT payload FROM events WHERE account_id = $1 ORDER BY seq', [accountId])).rows.map((r) => r.payload);
    },
    async orphanGrants() {
      return Number((await c.query<{ n: string }>(ORPHANS)).rows[0]!.n);
    },
    close: () => c.end(),
  };
}

function sqliteInspector(vault: Vault): StoreInspector {
  const db = sqliteStore(vault.store).db;
  const sql = (text: string) => text.replace(/\$[0-9]+/g, '?');
  return {
    async dataKeyIds() {
      return JSON.stringify(db.prepare('SELECT id FROM data_keys ORDER BY id').all());
    },
    async damage() {
      const problems: string[] = [];
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
      const fk = db.pragma('foreign_key_check') as unknown[];
      if (fk.length) problems.push(`foreign_key_check: ${JSON.stringify(fk).slice(0, 200)}`);
      return problems;
    },
    async userChangesByTarget(accountId) {
      // Changes keep their records in vault.db (the access log, audit.db, holds reads and refusals).
      const rows = db.prepare(sql(USER_CHANGES)).all(accountId) as { target: string; n: number }[];
      return new Map(rows.map((x) => [x.target, x.n]));
    },
    async auditCount(accountId, target, actions) {
      const marks = actions.map(() => '?').join(', ');
      const row = db.prepare(`SELECT count(*) AS n FROM audit WHERE account_id = ? AND target = ? AND action IN (${marks}) AND outcome = 'success'`).get(accountId, target, ...actions) as { n: number };
      return row.n;
    },
    async eventPayloads(accountId) {
      return (db.prepare('SELECT payload FROM events WHERE account_id = ? ORDER BY id').all(accountId) as { payload: string }[]).map((r) => r.payload);
    },
    async orphanGrants() {
      return (db.prepare(ORPHANS).get() as { n: number }).n;
    },
    async close() {},
  };
}

/**
 * After a replica was killed, waits until PostgreSQL has no session left on its database: a
 * backend finishes the command it had already received (a COMMIT, say) before it sees the closed
 * socket, so reading earlier could miss a change that is about to land. Returns how long it took
 * in polls, or throws after `limit` polls.
 */
export async function settleAfterKill(databaseUrl: string, limit = 500): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    for (let i = 0; i < limit; i++) {
      const r = await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      if (Number(r.rows[0]!.n) === 0) return i;
      await new Promise((res) => setTimeout(res, 20));
    }
  } finally {
    await c.end();
  }
  throw new Error(`PostgreSQL still has sessions of the killed processes on ${databaseUrl} after ${limit} polls`);
}
