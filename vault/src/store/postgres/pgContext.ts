// What the PostgreSQL store's resource modules share: the pool; one statement, or one transaction
// (first locking vault_state when it writes the state, re-run when PostgreSQL aborted it as a
// deadlock victim; see store.ts); the audit record and the event each mutation writes in its own
// transaction; and the lookups of secrets, grants and agents that several resources make.

import pg from 'pg';
import type { SecretMetadata, VaultEvent, VaultEventEnvelope } from '../../../../protocol/api';
import type { AuditEntry, LastReadEntry, Mutation } from '../types';
import { toMetadata, type SecretDbRow } from '../rows';
import { connectionLost, mapError, unavailableReason } from './pool';

/** Events kept for Last-Event-ID resume (as SQLite); older ones are pruned and a resuming client is told to reset. */
const EVENT_RETENTION = 10_000;

/** Runs of a transaction that PostgreSQL aborted as a deadlock victim or for serialization, at most. */
const TX_ATTEMPTS = 3;

/** Audit rows per INSERT: 9 parameters each, under PostgreSQL's 65,535 parameters per statement. */
export const AUDIT_ROWS_PER_INSERT = 5_000;

/** The audit order key, in microseconds of the database's clock (one clock for every replica). */
const AT_US = '(extract(epoch from clock_timestamp()) * 1000000)::bigint';

/** Group audit insert: the columns as arrays, taken row by row in their order (identity ids follow it). */
const INSERT_AUDIT_SQL = `INSERT INTO audit (account_id, time, actor, actor_id, actor_type, action, target, outcome, detail, at_us)
  SELECT u.account_id, $1, u.actor, u.actor_id, u.actor_type, u.action, u.target, u.outcome, u.detail, ${AT_US}
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
    WITH ORDINALITY AS u(account_id, actor, actor_id, actor_type, action, target, outcome, detail, n)
  ORDER BY u.n`;

/**
 * The same insert with the group's successful reads kept as last reads, in one statement (one round
 * trip, one transaction): the newest time wins, as in SQLite (auditWorker.ts). Keys come sorted, so
 * two replicas' statements lock shared rows in one order.
 */
const INSERT_AUDIT_AND_READS_SQL = `WITH audit_rows AS (${INSERT_AUDIT_SQL})
  INSERT INTO last_reads (account_id, secret_name, agent_id, at, environment)
  SELECT r.account_id, r.secret_name, r.agent_id, $1, r.environment
  FROM unnest($10::text[], $11::text[], $12::text[], $13::text[]) AS r(account_id, secret_name, agent_id, environment)
  ORDER BY r.account_id, r.secret_name, r.agent_id
  ON CONFLICT (account_id, secret_name, agent_id) DO UPDATE SET at = excluded.at, environment = excluded.environment WHERE excluded.at > last_reads.at`;

export type Db = Pick<pg.PoolClient, 'query'>;

/** The pool and what the resource modules share of it; each module holds one. */
export class PgContext {
  constructor(readonly pool: pg.Pool) {}

  /** One statement on any pooled connection (its own transaction). */
  async q<R extends pg.QueryResultRow>(query: string | pg.QueryConfig, values?: unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<R>(query as string, values)).rows;
    } catch (e) {
      // An idle connection that died in the pool (a restart, a terminated backend): once more on a
      // new one. Only reads and retention's deletes come here, so running again is harmless.
      if (!connectionLost(e)) throw mapError(e);
    }
    try {
      return (await this.pool.query<R>(query as string, values)).rows;
    } catch (e) {
      throw mapError(e);
    }
  }

  /**
   * Runs `fn` in one transaction on one connection. `lockState`: first lock the vault_state row (for
   * anything that writes a state table; see store.ts's comment). A connection that failed is
   * destroyed rather than returned to the pool.
   */
  async tx<T>(fn: (c: Db) => Promise<T>, lockState = true): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.txOnce(fn, lockState);
      } catch (e) {
        // A deadlock with a writer that does not take the vault_state lock first (psql) or a
        // serialization failure: PostgreSQL rolled the whole transaction back, so it can run again.
        const code = (e as { code?: unknown }).code;
        if ((code !== '40P01' && code !== '40001') || attempt >= TX_ATTEMPTS) throw e;
        // A pause first, so the transaction that won gets the locks it waited for (at once, it
        // could lose the same race again).
        await new Promise((resolve) => setTimeout(resolve, attempt * 50 + Math.random() * 50));
      }
    }
  }

  private async txOnce<T>(fn: (c: Db) => Promise<T>, lockState: boolean): Promise<T> {
    const begin = lockState ? 'BEGIN; SELECT change_seq FROM vault_state FOR UPDATE' : 'BEGIN';
    let client = await this.connect();
    try {
      await client.query(begin);
    } catch (e) {
      client.release(e instanceof Error ? e : true);
      if (!connectionLost(e)) throw mapError(e);
      // The pooled connection was dead before anything ran (a restart, a terminated backend): a new one.
      client = await this.connect();
      try {
        await client.query(begin);
      } catch (again) {
        client.release(again instanceof Error ? again : true);
        throw mapError(again);
      }
    }
    let broken: Error | undefined;
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      if (unavailableReason(e) !== undefined) broken = e instanceof Error ? e : new Error('connection lost');
      else {
        await client.query('ROLLBACK').catch((r: unknown) => {
          broken = r instanceof Error ? r : new Error('rollback failed');
        });
      }
      throw mapError(e);
    } finally {
      client.release(broken);
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (e) {
      throw mapError(e);
    }
  }

  /** Writes a change's audit record; returns its id as listAudit names it (`v12`). */
  async audit(c: Db, mutation: Mutation, outcome: AuditEntry['outcome'] = 'success', detail?: string): Promise<string> {
    const a = mutation.audit;
    const r = await c.query<{ id: string }>(
      `INSERT INTO audit (account_id, time, actor, actor_id, actor_type, action, target, outcome, detail, at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${AT_US}) RETURNING id`,
      [a.accountId, mutation.now, a.actor, a.actorId, a.actorType, a.action, a.target, outcome, detail ?? a.detail],
    );
    return `v${r.rows[0]!.id}`;
  }

  /**
   * Audit records, up to AUDIT_ROWS_PER_INSERT per statement: one prepared statement whatever the
   * count (each column one array parameter, unnested in order), so PostgreSQL parses and plans it
   * once per connection instead of once per group; a multi-row VALUES list of a new length each time
   * cost more of the server's CPU per run-time read than the read itself (bench/vault-scale).
   */
  async insertAudit(c: Db, entries: AuditEntry[], now: string, reads: LastReadEntry[] = []): Promise<void> {
    for (let start = 0; start < entries.length; start += AUDIT_ROWS_PER_INSERT) {
      const chunk = entries.slice(start, start + AUDIT_ROWS_PER_INSERT);
      const column = (pick: (e: AuditEntry) => string) => chunk.map(pick);
      // The last reads go with the first chunk (a group's keys are few: one per secret and agent).
      const withReads = start === 0 && reads.length > 0;
      await c.query({
        name: withReads ? 'sv_audit_insert_reads' : 'sv_audit_insert',
        text: withReads ? INSERT_AUDIT_AND_READS_SQL : INSERT_AUDIT_SQL,
        values: [
          now,
          column((e) => e.accountId),
          column((e) => e.actor),
          column((e) => e.actorId),
          column((e) => e.actorType),
          column((e) => e.action),
          column((e) => e.target),
          column((e) => e.outcome),
          column((e) => e.detail),
          ...(withReads
            ? [reads.map((r) => r.accountId), reads.map((r) => r.secret), reads.map((r) => r.agent), reads.map((r) => r.environment)]
            : []),
        ],
      });
    }
  }

  /**
   * Appends an event under the account's next sequence number. The UPDATE locks the account's row
   * until commit, so the account's events commit in id order.
   */
  async event(c: Db, accountId: string, now: string, event: VaultEvent): Promise<VaultEventEnvelope> {
    const r = await c.query<{ seq: number }>(
      `WITH next AS (UPDATE accounts SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq)
       INSERT INTO events (account_id, seq, time, payload) SELECT $1, event_seq, $2, $3 FROM next RETURNING seq`,
      [accountId, now, JSON.stringify(event)],
    );
    const seq = r.rows[0]?.seq;
    if (seq === undefined) throw new Error('No such account for an event.');
    if (seq % 500 === 0) await c.query('DELETE FROM events WHERE account_id = $1 AND seq <= $2', [accountId, seq - EVENT_RETENTION]);
    return { id: seq, time: now, event };
  }

  async secretRow(c: Db, accountId: string, name: string, lock = false): Promise<SecretDbRow | undefined> {
    const r = await c.query<SecretDbRow>(`SELECT * FROM secrets WHERE account_id = $1 AND name = $2${lock ? ' FOR UPDATE' : ''}`, [accountId, name]);
    return r.rows[0];
  }

  async metadata(c: Db, row: SecretDbRow): Promise<SecretMetadata> {
    const r = await c.query<{ agent_id: string }>('SELECT agent_id FROM grants WHERE account_id = $1 AND secret_name = $2 ORDER BY agent_id', [row.account_id, row.name]);
    return toMetadata(row, r.rows.map((g) => g.agent_id));
  }

  /** The first of `agents` (in the given order) that is not an agent of the account. */
  async missingAgent(c: Db, accountId: string, agents: string[]): Promise<string | undefined> {
    if (agents.length === 0) return undefined;
    const r = await c.query<{ a: string }>(
      `SELECT t.a FROM unnest($2::text[]) WITH ORDINALITY AS t(a, i)
       WHERE NOT EXISTS (SELECT 1 FROM agents WHERE account_id = $1 AND id = t.a) ORDER BY t.i LIMIT 1`,
      [accountId, agents],
    );
    return r.rows[0]?.a;
  }

  async insertGrants(c: Db, accountId: string, name: string, agents: string[]): Promise<void> {
    if (agents.length === 0) return;
    await c.query('INSERT INTO grants (account_id, secret_name, agent_id) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING', [accountId, name, agents]);
  }

  async dataKeyExists(c: Db, id: string): Promise<boolean> {
    return (await c.query('SELECT 1 FROM data_keys WHERE id = $1', [id])).rows.length > 0;
  }
}
