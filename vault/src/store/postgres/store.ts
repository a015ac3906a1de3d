// The PostgreSQL store: the scale-out store for several stateless vault replicas on one database,
// with the same meaning as the SQLite store (sqlite/store.ts) for every method, proven by the same
// conformance suite.
//
// - Each mutation is one transaction with its audit record and its event. Every transaction that
//   writes the state first locks the one vault_state row (the row the change counter lives in, which
//   the state tables' triggers update anyway): writes are serialised in one order, so two of them
//   can never deadlock on it, and a refused write (`exists`, `conflict`…) commits nothing.
// - Run-time reads use a cache proven current once per batch by reading the change counter
//   (grantedCache.ts), which every writer moves, psql included.
// - Read audits are one multi-row INSERT per group (AuditWriter groups a turn's reads), committed
//   with the default synchronous_commit, so durable before the responses go out.
// - Data is always a bound parameter, never part of a statement's text (statement text reaches
//   PostgreSQL's logs and pg_stat_activity).
// - A database that cannot be reached makes methods reject with StoreUnavailableError (pool.ts);
//   the pool reconnects by itself when it is back.
//
// Beside it: schema.ts (schema, triggers, migrations), pool.ts (connections, timeouts, errors),
// grantedCache.ts (the run-time read cache), listener.ts (LISTEN/NOTIFY wake-ups for watch()).

import pg from 'pg';
import { DEFAULT_VERSIONS_KEPT, type AccessRequest, type AccessRequestStatus, type Agent, type AuditRecord, type SecretMetadata, type SecretVersionInfo, type UserKey, type VaultEvent, type VaultEventEnvelope } from '../../../../protocol/api';
import { agentIdFold, nameFold } from '../../../../protocol/names';
import type {
  AgentChange,
  AccessDecision,
  AccessDecisionWrite,
  AccessRequestWrite,
  Account,
  AccountSettingsChange,
  AuditEntry,
  BulkDenyFilter,
  DataKeyRow,
  GrantedReader,
  GrantedValue,
  Mutation,
  NewAccessRequest,
  NewSecret,
  OldValueRow,
  PendingLimits,
  PruneReport,
  RevokeResult,
  SealedValue,
  SecretChange,
  SecretRow,
  SecretVersionRow,
  StoreSignal,
  TokenRow,
  VaultStore,
  WriteResult,
} from '../types';
// The columns are the same in both schemas, so rows map the same way.
import {
  ACCESS_REQUEST_COLUMNS,
  currentVersionInfo,
  currentVersionRow,
  decidedEventRequest,
  newRequestRow,
  olderVersionInfo,
  retiredValue,
  sealedOf,
  toAccessRequest,
  toDataKey,
  toGranted,
  toMetadata,
  toOldValue,
  toSecretRow,
  toTokenRow,
  TOKEN_SELECT,
  VERSION_COLUMNS,
  type AccessRequestDbRow,
  type DataKeyDbRow,
  type GrantedDbRow,
  type SecretDbRow,
  type TokenDbRow,
  type VersionDbRow,
} from '../rows';
import { PgGrantedCache } from './grantedCache';
import { ChangeListener } from './listener';
import { connectionConfig, connectionLost, createPool, mapError, unavailableReason, type PoolOptions } from './pool';
import { migratePostgres } from './schema';

/** Events kept for Last-Event-ID resume (as SQLite); older ones are pruned and a resuming client is told to reset. */
const EVENT_RETENTION = 10_000;

/** Audit records deleted per statement by retention, so pruning never holds many row locks for long. */
const PRUNE_BATCH = 5_000;

/** Runs of a transaction that PostgreSQL aborted as a deadlock victim or for serialization, at most. */
const TX_ATTEMPTS = 3;

/** Audit rows per INSERT: 9 parameters each, under PostgreSQL's 65,535 parameters per statement. */
const AUDIT_ROWS_PER_INSERT = 5_000;

/** The audit order key, in microseconds of the database's clock (one clock for every replica). */
const AT_US = '(extract(epoch from clock_timestamp()) * 1000000)::bigint';

/** Group audit insert: the columns as arrays, taken row by row in their order (identity ids follow it). */
const INSERT_AUDIT_SQL = `INSERT INTO audit (account_id, time, actor, actor_id, actor_type, action, target, outcome, detail, at_us)
  SELECT u.account_id, $1, u.actor, u.actor_id, u.actor_type, u.action, u.target, u.outcome, u.detail, ${AT_US}
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
    WITH ORDINALITY AS u(account_id, actor, actor_id, actor_type, action, target, outcome, detail, n)
  ORDER BY u.n`;

/** Audit record ids: `v` + the row id (the service wraps them with AuditIdCodec, which accepts this form). */
const AUDIT_ID = /^v([1-9][0-9]{0,15})$/;

const CHANGE_SEQ_SQL = 'SELECT change_seq FROM vault_state';
const GRANTED_SQL = `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext, s.expires_at, s.value_mac FROM secrets s
  JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
  WHERE s.account_id = $1 AND s.name = $2 AND g.agent_id = $3`;
/** A batch's misses in one statement: row i answers key i (absent: missing or not granted). */
const GRANTED_MANY_SQL = `SELECT k.i, s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext, s.expires_at, s.value_mac
  FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(account_id, name, agent_id, i)
  JOIN secrets s ON s.account_id = k.account_id AND s.name = k.name
  JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name AND g.agent_id = k.agent_id`;
const ACCOUNT_COLUMNS = 'id, name, naming_style AS "namingStyle", created_at AS "createdAt", local_runs AS "localRuns", versions_kept AS "versionsKept"';
const AGENT_COLUMNS = 'id, name, description, created_at AS "createdAt"';

type Db = Pick<pg.PoolClient, 'query'>;


export type PostgresOptions = PoolOptions;

export class PostgresStore implements VaultStore {
  private readonly pool: pg.Pool;
  private readonly granted: PgGrantedCache;
  private readonly listener: ChangeListener;

  private constructor(options: PostgresOptions) {
    this.pool = createPool(options);
    this.listener = new ChangeListener(connectionConfig(options));
    this.granted = new PgGrantedCache(async (keys) => {
      if (keys.length === 1) {
        const k = keys[0]!;
        const rows = await this.q<GrantedDbRow>({ name: 'sv_granted', text: GRANTED_SQL, values: [k.accountId, k.name, k.agent] });
        return [rows[0] && toGranted(rows[0])];
      }
      const rows = await this.q<GrantedDbRow & { i: number }>({
        name: 'sv_granted_many',
        text: GRANTED_MANY_SQL,
        values: [keys.map((k) => k.accountId), keys.map((k) => k.name), keys.map((k) => k.agent)],
      });
      const answers: (GrantedValue | undefined)[] = keys.map(() => undefined);
      for (const r of rows) answers[r.i - 1] = toGranted(r);
      return answers;
    });
  }

  /** Connects and brings the schema up to date (advisory-locked: replicas starting at once migrate once). */
  static async open(options: PostgresOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      const client = await store.pool.connect();
      try {
        await migratePostgres(client);
      } finally {
        client.release();
      }
    } catch (e) {
      await store.close();
      throw mapError(e);
    }
    return store;
  }

  async close(): Promise<void> {
    await this.listener.stop();
    if (!this.pool.ended) await this.pool.end();
  }

  generation(): number {
    return this.granted.generation;
  }

  watch(listener: (signal: StoreSignal) => void): () => void {
    return this.listener.add(listener);
  }

  // ---- helpers ----

  /** One statement on any pooled connection (its own transaction). */
  private async q<R extends pg.QueryResultRow>(query: string | pg.QueryConfig, values?: unknown[]): Promise<R[]> {
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
   * anything that writes a state table; see the file's comment). A connection that failed is
   * destroyed rather than returned to the pool.
   */
  private async tx<T>(fn: (c: Db) => Promise<T>, lockState = true): Promise<T> {
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

  private async audit(c: Db, mutation: Mutation, outcome: AuditEntry['outcome'] = 'success', detail?: string): Promise<void> {
    const a = mutation.audit;
    await c.query(
      `INSERT INTO audit (account_id, time, actor, actor_id, actor_type, action, target, outcome, detail, at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${AT_US})`,
      [a.accountId, mutation.now, a.actor, a.actorId, a.actorType, a.action, a.target, outcome, detail ?? a.detail],
    );
  }

  /**
   * Audit records, up to AUDIT_ROWS_PER_INSERT per statement: one prepared statement whatever the
   * count (each column one array parameter, unnested in order), so PostgreSQL parses and plans it
   * once per connection instead of once per group; a multi-row VALUES list of a new length each time
   * cost more of the server's CPU per run-time read than the read itself (bench/vault-scale).
   */
  private async insertAudit(c: Db, entries: AuditEntry[], now: string): Promise<void> {
    for (let start = 0; start < entries.length; start += AUDIT_ROWS_PER_INSERT) {
      const chunk = entries.slice(start, start + AUDIT_ROWS_PER_INSERT);
      const column = (pick: (e: AuditEntry) => string) => chunk.map(pick);
      await c.query({
        name: 'sv_audit_insert',
        text: INSERT_AUDIT_SQL,
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
        ],
      });
    }
  }

  /**
   * Appends an event under the account's next sequence number. The UPDATE locks the account's row
   * until commit, so the account's events commit in id order.
   */
  private async event(c: Db, accountId: string, now: string, event: VaultEvent): Promise<VaultEventEnvelope> {
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

  private async secretRow(c: Db, accountId: string, name: string, lock = false): Promise<SecretDbRow | undefined> {
    const r = await c.query<SecretDbRow>(`SELECT * FROM secrets WHERE account_id = $1 AND name = $2${lock ? ' FOR UPDATE' : ''}`, [accountId, name]);
    return r.rows[0];
  }

  private async metadata(c: Db, row: SecretDbRow): Promise<SecretMetadata> {
    const r = await c.query<{ agent_id: string }>('SELECT agent_id FROM grants WHERE account_id = $1 AND secret_name = $2 ORDER BY agent_id', [row.account_id, row.name]);
    return toMetadata(row, r.rows.map((g) => g.agent_id));
  }

  /** The first of `agents` (in the given order) that is not an agent of the account. */
  private async missingAgent(c: Db, accountId: string, agents: string[]): Promise<string | undefined> {
    if (agents.length === 0) return undefined;
    const r = await c.query<{ a: string }>(
      `SELECT t.a FROM unnest($2::text[]) WITH ORDINALITY AS t(a, i)
       WHERE NOT EXISTS (SELECT 1 FROM agents WHERE account_id = $1 AND id = t.a) ORDER BY t.i LIMIT 1`,
      [accountId, agents],
    );
    return r.rows[0]?.a;
  }

  private async insertGrants(c: Db, accountId: string, name: string, agents: string[]): Promise<void> {
    if (agents.length === 0) return;
    await c.query('INSERT INTO grants (account_id, secret_name, agent_id) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING', [accountId, name, agents]);
  }

  private async dataKeyExists(c: Db, id: string): Promise<boolean> {
    return (await c.query('SELECT 1 FROM data_keys WHERE id = $1', [id])).rows.length > 0;
  }

  // ---- accounts and tokens ----

  async createAccount(account: Account, mutation: Mutation | null): Promise<void> {
    await this.tx(async (c) => {
      await c.query('INSERT INTO accounts (id, name, naming_style, created_at) VALUES ($1, $2, $3, $4)', [account.id, account.name, account.namingStyle, account.createdAt]);
      if (mutation) await this.audit(c, mutation);
    });
  }

  async getAccount(id: string): Promise<Account | undefined> {
    return (await this.q<Account>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id]))[0];
  }

  async listAccounts(): Promise<Account[]> {
    return this.q<Account>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at`);
  }

  async insertToken(token: TokenRow, mutation: Mutation | null): Promise<void> {
    await this.tx(async (c) => {
      await c.query(
        'INSERT INTO tokens (id, account_id, digest, kind, role, agent_id, name, created_at, revoked_at, expires_at, minted_by, minted_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $11)',
        [token.id, token.accountId, token.digest, token.kind, token.role, token.agentId, token.name, token.createdAt, token.expiresAt ?? null, token.mintedBy ?? null, token.mintedByName ?? null],
      );
      if (mutation) await this.audit(c, mutation);
    });
  }

  async findTokenByDigest(digest: Buffer): Promise<TokenRow | undefined> {
    const r = (await this.q<TokenDbRow>({ name: 'sv_token_by_digest', text: `${TOKEN_SELECT} WHERE t.digest = $1`, values: [digest] }))[0];
    return r && toTokenRow(r);
  }

  async findToken(accountId: string, id: string): Promise<TokenRow | undefined> {
    const r = (await this.q<TokenDbRow>('SELECT * FROM tokens WHERE account_id = $1 AND id = $2', [accountId, id]))[0];
    return r && toTokenRow(r);
  }

  async updateAccountSettings(accountId: string, settings: AccountSettingsChange, mutation: Mutation): Promise<Account | undefined> {
    const changed = await this.tx(async (c) => {
      const r = await c.query('UPDATE accounts SET local_runs = COALESCE($1, local_runs), versions_kept = COALESCE($2, versions_kept) WHERE id = $3', [
        settings.localRuns ?? null,
        settings.versionsKept ?? null,
        accountId,
      ]);
      if (r.rowCount === 0) return false;
      // Local runs back to admins: developers' run tokens stop now, in this transaction (auth.ts
      // refuses them anyway; revoking them keeps the token list honest and the refusal permanent).
      if (settings.localRuns === 'admins') {
        const revoked = await c.query<{ id: string; agent_id: string }>(
          `UPDATE tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL AND minted_by IN
             (SELECT id FROM tokens WHERE account_id = $2 AND kind = 'user' AND role = 'developer') RETURNING id, agent_id`,
          [mutation.now, accountId],
        );
        await this.auditRunTokenRevocations(c, mutation, revoked.rows, 'local runs returned to admins');
      }
      // Fewer versions kept: every secret's values beyond the new number go now (the current one always stays).
      if (settings.versionsKept !== undefined) {
        await c.query(
          `DELETE FROM secret_versions v USING secrets s
           WHERE v.account_id = $1 AND s.account_id = v.account_id AND s.name = v.secret_name AND v.value_version <= s.value_version - $2`,
          [accountId, settings.versionsKept],
        );
      }
      await this.audit(c, mutation);
      return true;
    });
    return changed ? this.getAccount(accountId) : undefined;
  }

  async listUserKeys(accountId: string): Promise<UserKey[]> {
    return this.q<UserKey>(
      `SELECT id, name, role, created_at AS "createdAt", revoked_at AS "revokedAt" FROM tokens WHERE account_id = $1 AND kind = 'user' ORDER BY created_at, id`,
      [accountId],
    );
  }

  async revokeToken(accountId: string, id: string, mutation: Mutation): Promise<RevokeResult> {
    return this.tx(async (c): Promise<RevokeResult> => {
      const row = (await c.query<{ kind: string; role: string | null }>('SELECT kind, role FROM tokens WHERE account_id = $1 AND id = $2 AND revoked_at IS NULL', [accountId, id])).rows[0];
      if (!row) return 'missing';
      if (row.kind === 'user' && row.role === 'admin') {
        // Lock the account's active admin keys before counting them (in id order, so that two
        // revocations lock in the same order): a concurrent revocation, through another replica or
        // psql, waits here and then counts without the key the first one revoked. The vault_state
        // lock already serialises the vault's own writers; this holds without it.
        const admins = await c.query<{ id: string }>(
          "SELECT id FROM tokens WHERE account_id = $1 AND kind = 'user' AND role = 'admin' AND revoked_at IS NULL ORDER BY id FOR UPDATE",
          [accountId],
        );
        const ids = admins.rows.map((a) => a.id);
        if (!ids.includes(id)) return 'missing';
        if (ids.length === 1) {
          await this.audit(c, mutation, 'denied', 'the last active admin key of the account');
          return 'last-admin';
        }
      }
      const done = await c.query('UPDATE tokens SET revoked_at = $1 WHERE account_id = $2 AND id = $3 AND revoked_at IS NULL', [mutation.now, accountId, id]);
      if (done.rowCount === 0) return 'missing';
      await this.audit(c, mutation);
      // A user key's run tokens go with it, in this transaction: a stolen key's tokens must not outlive it.
      if (row.kind === 'user') {
        const minted = await c.query<{ id: string; agent_id: string }>(
          'UPDATE tokens SET revoked_at = $1 WHERE account_id = $2 AND minted_by = $3 AND revoked_at IS NULL RETURNING id, agent_id',
          [mutation.now, accountId, id],
        );
        await this.auditRunTokenRevocations(c, mutation, minted.rows, `its minter ${id} revoked`);
      }
      return 'revoked';
    });
  }

  /** One `agent.runtoken.revoke` record per run token revoked as a consequence of `mutation`. */
  private async auditRunTokenRevocations(c: Db, mutation: Mutation, tokens: { id: string; agent_id: string }[], why: string): Promise<void> {
    for (const t of tokens) {
      await this.audit(c, { ...mutation, audit: { ...mutation.audit, action: 'agent.runtoken.revoke', target: t.agent_id, detail: `id: ${t.id}; ${why}` } });
    }
  }

  async listAgentTokens(accountId: string, agentId: string): Promise<TokenRow[]> {
    const rows = await this.q<TokenDbRow>(
      `${TOKEN_SELECT} WHERE t.account_id = $1 AND t.kind = 'agent' AND t.agent_id = $2 AND t.revoked_at IS NULL ORDER BY t.created_at, t.id`,
      [accountId, agentId],
    );
    return rows.map(toTokenRow);
  }

  async pruneTokens(cutoff: Date): Promise<number> {
    const at = cutoff.toISOString();
    return this.tx(async (c) => (await c.query('DELETE FROM tokens WHERE revoked_at < $1 OR expires_at < $1', [at])).rowCount ?? 0);
  }

  // ---- agents ----

  async listAgents(accountId: string): Promise<Agent[]> {
    return this.q<Agent>(`SELECT ${AGENT_COLUMNS} FROM agents WHERE account_id = $1 ORDER BY id`, [accountId]);
  }

  async getAgent(accountId: string, id: string): Promise<Agent | undefined> {
    return (await this.q<Agent>(`SELECT ${AGENT_COLUMNS} FROM agents WHERE account_id = $1 AND id = $2`, [accountId, id]))[0];
  }

  async createAgent(accountId: string, agent: Agent, mutation: Mutation): Promise<WriteResult<Agent>> {
    const fold = agentIdFold(agent.id);
    return this.tx(async (c): Promise<WriteResult<Agent>> => {
      // Writers queue on the vault_state lock (tx), so the check and the insert are not raced; the
      // unique fold backs it for any other writer.
      const existing = (await c.query<{ id: string }>('SELECT id FROM agents WHERE account_id = $1 AND (id = $2 OR id_fold = $3)', [accountId, agent.id, fold])).rows[0]?.id;
      if (existing !== undefined) return { ok: false, reason: 'exists', existing };
      await c.query('INSERT INTO agents (account_id, id, id_fold, name, description, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        accountId,
        agent.id,
        fold,
        agent.name,
        agent.description,
        agent.createdAt,
      ]);
      await this.audit(c, mutation);
      return { ok: true, value: agent, events: [await this.event(c, accountId, mutation.now, { type: 'agent.created', agent })] };
    });
  }

  async updateAgent(accountId: string, id: string, change: AgentChange, mutation: Mutation): Promise<WriteResult<Agent>> {
    return this.tx(async (c): Promise<WriteResult<Agent>> => {
      const r = await c.query<Agent>(
        `UPDATE agents SET name = COALESCE($1, name), description = COALESCE($2, description) WHERE account_id = $3 AND id = $4 RETURNING ${AGENT_COLUMNS}`,
        [change.name ?? null, change.description ?? null, accountId, id],
      );
      const agent = r.rows[0];
      if (!agent) return { ok: false, reason: 'missing' };
      await this.audit(c, mutation);
      return { ok: true, value: agent, events: [await this.event(c, accountId, mutation.now, { type: 'agent.updated', agent })] };
    });
  }

  async deleteAgent(accountId: string, id: string, mutation: Mutation): Promise<WriteResult<null>> {
    return this.tx(async (c): Promise<WriteResult<null>> => {
      const exists = await c.query('SELECT 1 FROM agents WHERE account_id = $1 AND id = $2 FOR UPDATE', [accountId, id]);
      if (exists.rows.length === 0) return { ok: false, reason: 'missing' };
      // Every secret that loses this agent changes version (its ETag); its value, and so its
      // ciphertext, stays as it is.
      const affected = await c.query<SecretDbRow>(
        `SELECT s.* FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
         WHERE s.account_id = $1 AND g.agent_id = $2 ORDER BY s.name FOR UPDATE OF s`,
        [accountId, id],
      );
      await c.query('DELETE FROM grants WHERE account_id = $1 AND agent_id = $2', [accountId, id]);
      const events: VaultEvent[] = [];
      for (const row of affected.rows) {
        await c.query('UPDATE secrets SET version = $1, updated_at = $2, updated_by = $3 WHERE account_id = $4 AND name = $5', [
          row.version + 1,
          mutation.now,
          mutation.audit.actor,
          accountId,
          row.name,
        ]);
        const meta = await this.metadata(c, { ...row, version: row.version + 1, updated_at: mutation.now, updated_by: mutation.audit.actor });
        events.push({ type: 'access.changed', secret: meta });
      }
      await c.query('DELETE FROM agents WHERE account_id = $1 AND id = $2', [accountId, id]);
      await c.query("UPDATE tokens SET revoked_at = $1 WHERE account_id = $2 AND kind = 'agent' AND agent_id = $3 AND revoked_at IS NULL", [mutation.now, accountId, id]);
      await this.audit(c, mutation, 'success', affected.rows.length ? `removed from ${affected.rows.map((r) => r.name).join(', ')}` : '');
      const envelopes: VaultEventEnvelope[] = [];
      for (const e of events) envelopes.push(await this.event(c, accountId, mutation.now, e));
      envelopes.push(await this.event(c, accountId, mutation.now, { type: 'agent.deleted', id }));
      return { ok: true, value: null, events: envelopes };
    });
  }

  // ---- secrets ----

  async listSecrets(accountId: string, agent?: string): Promise<SecretMetadata[]> {
    const rows =
      agent === undefined
        ? await this.q<SecretDbRow>('SELECT * FROM secrets WHERE account_id = $1 ORDER BY name', [accountId])
        : await this.q<SecretDbRow>(
            `SELECT s.* FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
             WHERE s.account_id = $1 AND g.agent_id = $2 ORDER BY s.name`,
            [accountId, agent],
          );
    const grants = new Map<string, string[]>();
    for (const g of await this.q<{ secret_name: string; agent_id: string }>(
      'SELECT secret_name, agent_id FROM grants WHERE account_id = $1 ORDER BY secret_name, agent_id',
      [accountId],
    )) {
      const list = grants.get(g.secret_name);
      if (list) list.push(g.agent_id);
      else grants.set(g.secret_name, [g.agent_id]);
    }
    return rows.map((r) => toMetadata(r, grants.get(r.name) ?? []));
  }

  async getSecret(accountId: string, name: string): Promise<SecretRow | undefined> {
    // The row and its access list in one statement: one snapshot, so never a mix of two states.
    const row = (
      await this.q<SecretDbRow & { agents: string[] }>(
        `SELECT s.*, ARRAY(SELECT g.agent_id FROM grants g WHERE g.account_id = s.account_id AND g.secret_name = s.name ORDER BY g.agent_id) AS agents
         FROM secrets s WHERE s.account_id = $1 AND s.name = $2`,
        [accountId, name],
      )
    )[0];
    return row && toSecretRow(row, row.agents);
  }

  async createSecret(accountId: string, secret: NewSecret, mutation: Mutation): Promise<WriteResult<SecretMetadata>> {
    const fold = nameFold(secret.name);
    return this.tx(async (c): Promise<WriteResult<SecretMetadata>> => {
      // The name itself, or a twin differing only in case or spacing (see nameFold).
      const existing = (await c.query<{ name: string }>('SELECT name FROM secrets WHERE account_id = $1 AND (name = $2 OR name_fold = $3)', [accountId, secret.name, fold])).rows[0]
        ?.name;
      if (existing !== undefined) return { ok: false, reason: 'exists', existing };
      if (!(await this.dataKeyExists(c, secret.sealed.keyId))) return { ok: false, reason: 'stale-key' };
      const unknown = await this.missingAgent(c, accountId, secret.agents);
      if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      const inserted = await c.query<SecretDbRow>(
        `INSERT INTO secrets (account_id, name, name_fold, description, kind, keys, version, value_version, created_at, updated_at, updated_by, key_id, nonce, ciphertext,
           value_updated_at, value_updated_by, expires_at, rotation_days, value_mac)
         VALUES ($1, $2, $17, $3, $4, $5, 1, 1, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING *`,
        [
          accountId,
          secret.name,
          secret.description,
          secret.kind,
          JSON.stringify(secret.keys),
          mutation.now,
          mutation.now,
          mutation.audit.actor,
          secret.sealed.keyId,
          secret.sealed.nonce,
          secret.sealed.ciphertext,
          mutation.now,
          mutation.audit.actor,
          secret.expiresAt ?? null,
          secret.rotationDays ?? null,
          secret.sealed.mac ?? null,
          fold,
        ],
      );
      await this.insertGrants(c, accountId, secret.name, secret.agents);
      await this.audit(c, mutation);
      const meta = await this.metadata(c, inserted.rows[0]!);
      return { ok: true, value: meta, events: [await this.event(c, accountId, mutation.now, { type: 'secret.created', secret: meta })] };
    });
  }

  async updateSecret(
    accountId: string,
    name: string,
    change: SecretChange,
    mutation: Mutation,
    eventType: 'secret.updated' | 'access.changed',
  ): Promise<WriteResult<SecretMetadata>> {
    return this.tx(async (c): Promise<WriteResult<SecretMetadata>> => {
      const row = await this.secretRow(c, accountId, name, true);
      if (!row) return { ok: false, reason: 'missing' };
      if (row.version !== change.expectedVersion) return { ok: false, reason: 'conflict', currentVersion: row.version };
      // Sealed outside this transaction: rotate-key may have dropped that data key in between.
      if (change.sealed && !(await this.dataKeyExists(c, change.sealed.keyId))) return { ok: false, reason: 'stale-key' };
      if (change.agents) {
        const unknown = await this.missingAgent(c, accountId, change.agents);
        if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      }
      // A new value moves the value version too; a metadata change leaves the ciphertext alone.
      const sealed = change.sealed ?? sealedOf(row);
      const valueVersion = change.sealed ? row.value_version + 1 : row.value_version;
      if (change.sealed) {
        // The value it replaces is kept as it is (its ciphertext still sealed for its own version),
        // and the values beyond the account's versionsKept (the new one counted) are deleted.
        await c.query(`INSERT INTO secret_versions (${VERSION_COLUMNS.join(', ')}) VALUES (${VERSION_COLUMNS.map((_c, i) => `$${i + 1}`).join(', ')})`, retiredValue(row));
        const kept = (await c.query<{ versions_kept: number }>('SELECT versions_kept FROM accounts WHERE id = $1', [accountId])).rows[0]?.versions_kept ?? DEFAULT_VERSIONS_KEPT;
        await c.query('DELETE FROM secret_versions WHERE account_id = $1 AND secret_name = $2 AND value_version <= $3', [accountId, name, valueVersion - kept]);
      }
      const updated = await c.query<SecretDbRow>(
        `UPDATE secrets SET description = $1, kind = $2, keys = $3, version = $4, value_version = $5, updated_at = $6, updated_by = $7, key_id = $8, nonce = $9, ciphertext = $10,
           value_updated_at = $11, value_updated_by = $12, restored_from = $13, expires_at = $14, rotation_days = $15, value_mac = $19
         WHERE account_id = $16 AND name = $17 AND version = $18 RETURNING *`,
        [
          change.description ?? row.description,
          change.kind ?? row.kind,
          change.keys ? JSON.stringify(change.keys) : row.keys,
          row.version + 1,
          valueVersion,
          mutation.now,
          mutation.audit.actor,
          sealed.keyId,
          sealed.nonce,
          sealed.ciphertext,
          change.sealed ? mutation.now : row.value_updated_at,
          change.sealed ? mutation.audit.actor : row.value_updated_by,
          change.sealed ? (change.restoredFrom ?? null) : row.restored_from,
          change.expiresAt === undefined ? row.expires_at : change.expiresAt,
          change.rotationDays === undefined ? row.rotation_days : change.rotationDays,
          accountId,
          name,
          row.version,
          sealed.mac ?? null,
        ],
      );
      if (change.agents) {
        await c.query('DELETE FROM grants WHERE account_id = $1 AND secret_name = $2', [accountId, name]);
        await this.insertGrants(c, accountId, name, change.agents);
      }
      await this.audit(c, mutation);
      const meta = await this.metadata(c, updated.rows[0]!);
      return { ok: true, value: meta, events: [await this.event(c, accountId, mutation.now, { type: eventType, secret: meta })] };
    });
  }

  async deleteSecret(accountId: string, name: string, expectedVersion: number | undefined, mutation: Mutation): Promise<WriteResult<null>> {
    return this.tx(async (c): Promise<WriteResult<null>> => {
      const row = await this.secretRow(c, accountId, name, true);
      if (!row) return { ok: false, reason: 'missing' };
      if (expectedVersion !== undefined && row.version !== expectedVersion) return { ok: false, reason: 'conflict', currentVersion: row.version };
      await c.query('DELETE FROM grants WHERE account_id = $1 AND secret_name = $2', [accountId, name]);
      // Every kept value goes with it.
      await c.query('DELETE FROM secret_versions WHERE account_id = $1 AND secret_name = $2', [accountId, name]);
      await c.query('DELETE FROM secrets WHERE account_id = $1 AND name = $2', [accountId, name]);
      await this.audit(c, mutation);
      return { ok: true, value: null, events: [await this.event(c, accountId, mutation.now, { type: 'secret.deleted', name })] };
    });
  }

  // ---- run-time reads ----

  /** The freshness check: one round trip reading the change counter; empties the cache when it moved. */
  private async check(): Promise<void> {
    const rows = await this.q<{ change_seq: number }>({ name: 'sv_change_seq', text: CHANGE_SEQ_SQL });
    this.granted.observe(rows[0]!.change_seq);
  }

  async readGranted(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined> {
    await this.check();
    return this.granted.lookup(accountId, name, agent);
  }

  grantedReader(): GrantedReader {
    // One check for the whole batch, sent now: every read of the batch had arrived before it, so
    // its answers reflect every change committed before those requests were sent.
    const checked = this.check();
    // Whoever reads uses `checked` (and sees its rejection); an unread one must not be an unhandled rejection.
    checked.catch(() => {});
    return {
      checked,
      readGranted: async (accountId, name, agent) => {
        await checked;
        return this.granted.lookup(accountId, name, agent);
      },
    };
  }

  async listGranted(accountId: string, agent: string): Promise<GrantedValue[]> {
    const rows = await this.q<GrantedDbRow>(
      `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext, s.expires_at, s.value_mac FROM secrets s
       JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
       WHERE s.account_id = $1 AND g.agent_id = $2 ORDER BY s.name`,
      [accountId, agent],
    );
    return rows.map(toGranted);
  }

  // ---- audit and events ----

  async appendAudit(entries: AuditEntry[], now: string): Promise<void> {
    if (entries.length === 0) return;
    // One statement is its own transaction; several (a very large group) share one.
    if (entries.length <= AUDIT_ROWS_PER_INSERT) {
      try {
        await this.insertAudit(this.pool, entries, now);
      } catch (e) {
        throw mapError(e);
      }
    } else await this.tx((c) => this.insertAudit(c, entries, now), false);
  }

  /** A pooled connection is already off the event loop's way: the same as appendAudit. */
  async appendAuditInBackground(entries: AuditEntry[], now: string): Promise<void> {
    return this.appendAudit(entries, now);
  }

  async appendSystemAudit(entries: AuditEntry[], now: string): Promise<void> {
    if (entries.length === 0) return;
    await this.tx((c) => this.insertAudit(c, entries, now), false);
  }

  async pruneAudit(cutoff: Date, actor: Pick<AuditEntry, 'actor' | 'actorId'>, now: string): Promise<PruneReport> {
    const cutoffUs = cutoff.getTime() * 1000;
    const accounts = await this.q<{ id: string }>('SELECT id FROM accounts ORDER BY id');
    const removed = new Map<string, number>();
    for (const { id: accountId } of accounts) {
      for (;;) {
        const r = await this.q<{ id: number }>(
          'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE account_id = $1 AND at_us < $2 LIMIT $3) RETURNING id',
          [accountId, cutoffUs, PRUNE_BATCH],
        );
        if (r.length > 0) removed.set(accountId, (removed.get(accountId) ?? 0) + r.length);
        if (r.length < PRUNE_BATCH) break;
      }
    }
    const entries: AuditEntry[] = [...removed].map(([accountId, n]) => ({
      accountId,
      ...actor,
      actorType: 'system',
      action: 'audit.prune',
      target: 'audit',
      outcome: 'success',
      detail: `removed ${n} record${n === 1 ? '' : 's'} older than ${cutoff.toISOString()}`,
    }));
    if (entries.length > 0) await this.appendSystemAudit(entries, now);
    return { removed, total: [...removed.values()].reduce((a, b) => a + b, 0) };
  }

  async listAudit(accountId: string, before: string | undefined, limit: number): Promise<AuditRecord[] | undefined> {
    const columns = 'id, time, actor, actor_id AS "actorId", actor_type AS "actorType", action, target, outcome, detail';
    let rows: (Omit<AuditRecord, 'id'> & { id: number })[];
    if (before === undefined) {
      rows = await this.q(`SELECT ${columns} FROM audit WHERE account_id = $1 ORDER BY id DESC LIMIT $2`, [accountId, limit]);
    } else {
      const m = AUDIT_ID.exec(before);
      if (!m) return undefined;
      // The cursor must name a record of this account.
      const found = await this.q('SELECT 1 FROM audit WHERE account_id = $1 AND id = $2', [accountId, m[1]]);
      if (found.length === 0) return undefined;
      rows = await this.q(`SELECT ${columns} FROM audit WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, [accountId, m[1], limit]);
    }
    return rows.map((r) => ({ ...r, id: `v${r.id}` }));
  }

  async eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]> {
    const rows = await this.q<{ seq: number; time: string; payload: string }>(
      'SELECT seq, time, payload FROM events WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [accountId, afterId, limit],
    );
    return rows.map((r) => ({ id: r.seq, time: r.time, event: JSON.parse(r.payload) as VaultEvent }));
  }

  async oldestEventId(accountId: string): Promise<number> {
    return (await this.q<{ v: number }>('SELECT COALESCE(MIN(seq), 0) AS v FROM events WHERE account_id = $1', [accountId]))[0]!.v;
  }

  async lastEventId(accountId: string): Promise<number> {
    // The account's counter, not MAX(seq): it survives pruning, so ids never go backwards.
    return (await this.q<{ event_seq: number }>('SELECT event_seq FROM accounts WHERE id = $1', [accountId]))[0]?.event_seq ?? 0;
  }

  // ---- keys ----

  async listDataKeys(): Promise<DataKeyRow[]> {
    return (await this.q<DataKeyDbRow>('SELECT * FROM data_keys ORDER BY created_at, id')).map(toDataKey);
  }

  async getDataKey(id: string): Promise<DataKeyRow | undefined> {
    const r = (await this.q<DataKeyDbRow>('SELECT * FROM data_keys WHERE id = $1', [id]))[0];
    return r && toDataKey(r);
  }

  async activeDataKeyId(): Promise<string | undefined> {
    return (await this.q<{ id: string }>("SELECT id FROM data_keys WHERE state = 'active'"))[0]?.id;
  }

  async addDataKey(key: DataKeyRow): Promise<void> {
    await this.tx(async (c) => {
      await c.query("UPDATE data_keys SET state = 'retired' WHERE state = 'active'");
      await c.query("INSERT INTO data_keys (id, master_id, nonce, wrapped, state, created_at) VALUES ($1, $2, $3, $4, 'active', $5)", [
        key.id,
        key.masterId,
        key.nonce,
        key.wrapped,
        key.createdAt,
      ]);
    });
  }

  async rewrapDataKeys(keys: DataKeyRow[]): Promise<void> {
    await this.tx(async (c) => {
      for (const k of keys) await c.query('UPDATE data_keys SET master_id = $1, nonce = $2, wrapped = $3 WHERE id = $4', [k.masterId, k.nonce, k.wrapped, k.id]);
    });
  }

  async getMeta(key: string): Promise<Buffer | undefined> {
    return (await this.q<{ value: Buffer }>('SELECT value FROM meta WHERE key = $1', [key]))[0]?.value;
  }

  async setMeta(key: string, value: Buffer): Promise<void> {
    await this.tx(async (c) => {
      await c.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    });
  }

  async secretsNotUnder(
    keyId: string,
    limit: number,
    after: { accountId: string; name: string } = { accountId: '', name: '' },
  ): Promise<(SecretRow & { accountId: string })[]> {
    const rows = await this.q<SecretDbRow>(
      'SELECT * FROM secrets WHERE key_id <> $1 AND (account_id, name) > ($2, $3) ORDER BY account_id, name LIMIT $4',
      [keyId, after.accountId, after.name, limit],
    );
    return rows.map((row) => ({ ...toSecretRow(row, []), accountId: row.account_id }));
  }

  async resealSecret(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    return this.tx(async (c) => {
      const r = await c.query(
        'UPDATE secrets SET key_id = $1, nonce = $2, ciphertext = $3, value_mac = $9 WHERE account_id = $4 AND name = $5 AND value_version = $6 AND key_id = $7 AND nonce = $8',
        [sealed.keyId, sealed.nonce, sealed.ciphertext, accountId, name, valueVersion, previous.keyId, previous.nonce, sealed.mac ?? null],
      );
      return (r.rowCount ?? 0) > 0;
    });
  }

  async secretsWithoutMac(limit: number): Promise<OldValueRow[]> {
    const rows = await this.q<VersionDbRow>(
      'SELECT account_id, name AS secret_name, value_version, key_id, nonce, ciphertext FROM secrets WHERE value_mac IS NULL ORDER BY account_id, name LIMIT $1',
      [limit],
    );
    return rows.map(toOldValue);
  }

  async setValueMac(accountId: string, name: string, valueVersion: number, sealed: SealedValue, mac: Buffer): Promise<boolean> {
    return this.tx(async (c) => {
      const r = await c.query(
        'UPDATE secrets SET value_mac = $1 WHERE account_id = $2 AND name = $3 AND value_version = $4 AND key_id = $5 AND nonce = $6 AND value_mac IS NULL',
        [mac, accountId, name, valueVersion, sealed.keyId, sealed.nonce],
      );
      return (r.rowCount ?? 0) > 0;
    });
  }

  async dropUnusedDataKeys(): Promise<string[]> {
    return this.tx(async (c) => {
      const r = await c.query<{ id: string }>(
        "DELETE FROM data_keys WHERE state = 'retired' AND id NOT IN (SELECT key_id FROM secrets UNION SELECT key_id FROM secret_versions) RETURNING id",
      );
      return r.rows.map((k) => k.id).sort();
    });
  }

  // ---- kept values ----

  async listSecretVersions(accountId: string, name: string): Promise<SecretVersionInfo[] | undefined> {
    // One statement, one snapshot: the current value and the older ones of one moment.
    const rows = await this.q<SecretDbRow & { older: VersionDbRow[] | null }>(
      `SELECT s.*, (SELECT json_agg(v ORDER BY v.value_version DESC) FROM (
         SELECT account_id, secret_name, value_version, kind, keys, created_at, created_by, restored_from FROM secret_versions
         WHERE account_id = s.account_id AND secret_name = s.name) v) AS older
       FROM secrets s WHERE s.account_id = $1 AND s.name = $2`,
      [accountId, name],
    );
    const row = rows[0];
    if (!row) return undefined;
    return [currentVersionInfo(row), ...(row.older ?? []).map(olderVersionInfo)];
  }

  async getSecretVersion(accountId: string, name: string, valueVersion: number): Promise<SecretVersionRow | undefined> {
    const rows = await this.q<SecretDbRow & { old_key_id: string | null; old_nonce: Buffer | null; old_ciphertext: Buffer | null; old_kind: 'single' | 'kv' | null; old_keys: string | null }>(
      `SELECT s.*, v.key_id AS old_key_id, v.nonce AS old_nonce, v.ciphertext AS old_ciphertext, v.kind AS old_kind, v.keys AS old_keys
       FROM secrets s LEFT JOIN secret_versions v ON v.account_id = s.account_id AND v.secret_name = s.name AND v.value_version = $3
       WHERE s.account_id = $1 AND s.name = $2`,
      [accountId, name, valueVersion],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.value_version === valueVersion) return currentVersionRow(row);
    if (row.old_key_id === null) return undefined;
    return { valueVersion, kind: row.old_kind!, keys: JSON.parse(row.old_keys!) as string[], sealed: { keyId: row.old_key_id, nonce: row.old_nonce!, ciphertext: row.old_ciphertext! } };
  }

  async secretVersionsNotUnder(
    keyId: string,
    limit: number,
    after: { accountId: string; name: string; valueVersion: number } = { accountId: '', name: '', valueVersion: 0 },
  ): Promise<OldValueRow[]> {
    const rows = await this.q<VersionDbRow>(
      `SELECT account_id, secret_name, value_version, key_id, nonce, ciphertext FROM secret_versions
       WHERE key_id <> $1 AND (account_id, secret_name, value_version) > ($2, $3, $4) ORDER BY account_id, secret_name, value_version LIMIT $5`,
      [keyId, after.accountId, after.name, after.valueVersion, limit],
    );
    return rows.map(toOldValue);
  }

  async resealSecretVersion(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    return this.tx(async (c) => {
      const r = await c.query(
        'UPDATE secret_versions SET key_id = $1, nonce = $2, ciphertext = $3 WHERE account_id = $4 AND secret_name = $5 AND value_version = $6 AND key_id = $7 AND nonce = $8',
        [sealed.keyId, sealed.nonce, sealed.ciphertext, accountId, name, valueVersion, previous.keyId, previous.nonce],
      );
      return (r.rowCount ?? 0) > 0;
    });
  }

  // ---- access requests ----

  async createAccessRequest(accountId: string, request: NewAccessRequest, limits: PendingLimits, mutation: Mutation): Promise<AccessRequestWrite> {
    // The vault_state lock (tx) serialises the vault's writers, so the duplicate and limit checks
    // cannot race another replica's; the partial unique index holds even for a writer without it.
    return this.tx(async (c): Promise<AccessRequestWrite> => {
      if ((await c.query('SELECT 1 FROM agents WHERE account_id = $1 AND id = $2', [accountId, request.agent])).rows.length === 0) return { outcome: 'unknown-agent' };
      const secretExists = (await this.secretRow(c, accountId, request.secret)) !== undefined;
      if (secretExists && (await c.query('SELECT 1 FROM grants WHERE account_id = $1 AND secret_name = $2 AND agent_id = $3', [accountId, request.secret, request.agent])).rows.length > 0) {
        return { outcome: 'granted' };
      }
      const pending = await c.query<AccessRequestDbRow>(
        "SELECT * FROM access_requests WHERE account_id = $1 AND secret_name = $2 AND agent_id = $3 AND status = 'pending'",
        [accountId, request.secret, request.agent],
      );
      if (pending.rows[0]) return { outcome: 'pending', request: toAccessRequest(pending.rows[0]) };
      // Pending rows are few (the limits bound them), so counting through the (account, status) index is cheap.
      const own = await c.query<{ n: number }>(
        "SELECT COUNT(*)::int AS n FROM access_requests WHERE account_id = $1 AND status = 'pending' AND requested_by_id = $2",
        [accountId, request.requestedById],
      );
      if (own.rows[0]!.n >= limits.perRequester) return { outcome: 'requester-limit' };
      if (own.rows[0]!.n >= limits.share) {
        const count = await c.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM access_requests WHERE account_id = $1 AND status = 'pending'", [accountId]);
        if (count.rows[0]!.n >= limits.account) return { outcome: 'limit' };
      }
      const row = newRequestRow(accountId, request, !secretExists);
      await c.query(
        `INSERT INTO access_requests (${ACCESS_REQUEST_COLUMNS.join(', ')}) VALUES (${ACCESS_REQUEST_COLUMNS.map((_c, i) => `$${i + 1}`).join(', ')})`,
        ACCESS_REQUEST_COLUMNS.map((col) => row[col]),
      );
      await this.audit(c, mutation);
      const created = toAccessRequest(row);
      return { outcome: 'created', request: created, events: [await this.event(c, accountId, mutation.now, { type: 'access.requested', request: created })] };
    });
  }

  async listAccessRequests(accountId: string, status: AccessRequestStatus | undefined, limit: number): Promise<AccessRequest[]> {
    const rows =
      status === undefined
        ? await this.q<AccessRequestDbRow>('SELECT * FROM access_requests WHERE account_id = $1 ORDER BY n DESC LIMIT $2', [accountId, limit])
        : await this.q<AccessRequestDbRow>('SELECT * FROM access_requests WHERE account_id = $1 AND status = $2 ORDER BY n DESC LIMIT $3', [accountId, status, limit]);
    return rows.map(toAccessRequest);
  }

  async getAccessRequest(accountId: string, id: string): Promise<AccessRequest | undefined> {
    const row = (await this.q<AccessRequestDbRow>('SELECT * FROM access_requests WHERE account_id = $1 AND id = $2', [accountId, id]))[0];
    return row && toAccessRequest(row);
  }

  async decideAccessRequest(accountId: string, id: string, decision: AccessDecision, mutation: Mutation): Promise<AccessDecisionWrite> {
    return this.tx(async (c): Promise<AccessDecisionWrite> => {
      const row = (await c.query<AccessRequestDbRow>('SELECT * FROM access_requests WHERE account_id = $1 AND id = $2 FOR UPDATE', [accountId, id])).rows[0];
      if (!row) return { outcome: 'missing' };
      if (row.status !== 'pending') return { outcome: 'already-decided', request: toAccessRequest(row) };
      const events: VaultEvent[] = [];
      let detail = `request: ${id}; agent: ${row.agent_id}`;
      if (decision.approve) {
        const secret = await this.secretRow(c, accountId, row.secret_name, true);
        if (!secret) return { outcome: 'no-secret', request: toAccessRequest(row) };
        if ((await c.query('SELECT 1 FROM agents WHERE account_id = $1 AND id = $2', [accountId, row.agent_id])).rows.length === 0) {
          return { outcome: 'unknown-agent', request: toAccessRequest(row) };
        }
        const has = await c.query('SELECT 1 FROM grants WHERE account_id = $1 AND secret_name = $2 AND agent_id = $3', [accountId, row.secret_name, row.agent_id]);
        if (has.rows.length > 0) detail += '; already granted';
        else {
          // The grant, as setGrant makes it: a new metadata version, the value untouched.
          await this.insertGrants(c, accountId, row.secret_name, [row.agent_id]);
          const updated = await c.query<SecretDbRow>(
            'UPDATE secrets SET version = version + 1, updated_at = $1, updated_by = $2 WHERE account_id = $3 AND name = $4 RETURNING *',
            [mutation.now, mutation.audit.actor, accountId, row.secret_name],
          );
          events.push({ type: 'access.changed', secret: await this.metadata(c, updated.rows[0]!) });
          detail += '; granted';
        }
      }
      const status = decision.approve ? 'approved' : 'denied';
      const reason = decision.approve ? null : decision.reason;
      await c.query('UPDATE access_requests SET status = $1, decided_at = $2, decided_by = $3, decision_reason = $4 WHERE account_id = $5 AND id = $6', [
        status,
        mutation.now,
        mutation.audit.actor,
        reason,
        accountId,
        id,
      ]);
      await this.audit(c, mutation, 'success', mutation.audit.detail ? `${detail}; ${mutation.audit.detail}` : detail);
      const request = toAccessRequest({ ...row, status, decided_at: mutation.now, decided_by: mutation.audit.actor, decision_reason: reason });
      events.push({ type: 'access.decided', request: decidedEventRequest(request) });
      const envelopes: VaultEventEnvelope[] = [];
      for (const e of events) envelopes.push(await this.event(c, accountId, mutation.now, e));
      return { outcome: 'decided', request, events: envelopes };
    });
  }

  async denyAccessRequests(
    accountId: string,
    filter: BulkDenyFilter,
    reason: string,
    limit: number,
    mutation: Mutation,
  ): Promise<{ requests: AccessRequest[]; more: boolean; events: VaultEventEnvelope[] }> {
    return this.tx(async (c) => {
      const base = "SELECT * FROM access_requests WHERE account_id = $1 AND status = 'pending'";
      const found =
        'ids' in filter
          ? await c.query<AccessRequestDbRow>(`${base} AND id = ANY($2::text[]) ORDER BY n LIMIT $3 FOR UPDATE`, [accountId, [...new Set(filter.ids)], limit + 1])
          : 'requestedById' in filter
            ? await c.query<AccessRequestDbRow>(`${base} AND requested_by_id = $2 ORDER BY n LIMIT $3 FOR UPDATE`, [accountId, filter.requestedById, limit + 1])
            : await c.query<AccessRequestDbRow>(`${base} ORDER BY n LIMIT $2 FOR UPDATE`, [accountId, limit + 1]);
      const rows = found.rows.slice(0, limit);
      if (rows.length > 0) {
        await c.query(
          "UPDATE access_requests SET status = 'denied', decided_at = $1, decided_by = $2, decision_reason = $3 WHERE account_id = $4 AND id = ANY($5::text[])",
          [mutation.now, mutation.audit.actor, reason, accountId, rows.map((r) => r.id)],
        );
      }
      // One record per request, as a single deny writes it: the audit is searched by secret.
      const extra = mutation.audit.detail ? `; ${mutation.audit.detail}` : '';
      await this.insertAudit(
        c,
        rows.map((r) => ({ ...mutation.audit, target: r.secret_name, outcome: 'success', detail: `request: ${r.id}; agent: ${r.agent_id}${extra}` })),
        mutation.now,
      );
      const requests = rows.map((r) => toAccessRequest({ ...r, status: 'denied', decided_at: mutation.now, decided_by: mutation.audit.actor, decision_reason: reason }));
      const events: VaultEventEnvelope[] = [];
      for (const request of requests) events.push(await this.event(c, accountId, mutation.now, { type: 'access.decided', request: decidedEventRequest(request) }));
      return { requests, more: found.rows.length > limit, events };
    });
  }

  async pruneAccessRequests(cutoff: Date): Promise<number> {
    // decided_at is ISO 8601 in UTC (toISOString), so text order is time order.
    const r = await this.tx(async (c) => c.query("DELETE FROM access_requests WHERE status <> 'pending' AND decided_at < $1", [cutoff.toISOString()]));
    return r.rowCount ?? 0;
  }
}
