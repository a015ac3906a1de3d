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
//   with the default synchronous_commit, so durable before the responses go out; the same
//   statement upserts the group's last reads (lastReads.ts).
// - Data is always a bound parameter, never part of a statement's text (statement text reaches
//   PostgreSQL's logs and pg_stat_activity).
// - A database that cannot be reached makes methods reject with StoreUnavailableError (pool.ts);
//   the pool reconnects by itself when it is back.
//
// PostgresStore connects and makes one module per resource (VaultStore's parts: callers reach them
// as store.secrets, store.keys…); the modules share one PgContext (pgContext.ts: the pool, transactions, and the audit record and event of each
// mutation). The modules: accounts.ts (accounts and tokens), agents.ts, secrets.ts (secrets and
// their kept values), runtime.ts (run-time reads), audit.ts (audit records and events), keys.ts
// (data keys, meta and re-encryption), accessRequests.ts, accessChanges.ts and lastReads.ts. Beside them: schema.ts (schema,
// triggers, migrations), pool.ts (connections, timeouts, errors), grantedCache.ts (the run-time
// read cache), listener.ts (LISTEN/NOTIFY wake-ups for watch()); ../rows.ts maps rows for both
// stores, since the columns are the same in both schemas.

import type { StoreParts, StoreSignal, VaultStore } from '../types';
import { PgAccessChanges } from './accessChanges';
import { PgAccessRequests } from './accessRequests';
import { PgAccounts } from './accounts';
import { PgAgents } from './agents';
import { PgAudit } from './audit';
import { PgContext } from './pgContext';
import { PgLastReads } from './lastReads';
import { PgKeys } from './keys';
import { ChangeListener } from './listener';
import { connectionConfig, createPool, mapError, type PoolOptions } from './pool';
import { PgRuntime } from './runtime';
import { migratePostgres } from './schema';
import { PgSecrets } from './secrets';

export type PostgresOptions = PoolOptions;

/** The parts (VaultStore's per-resource interfaces), set once by the constructor. */
export interface PostgresStore extends StoreParts {}

export class PostgresStore implements VaultStore {
  private readonly ctx: PgContext;
  private readonly listener: ChangeListener;
  private readonly grants: PgRuntime;

  private constructor(options: PostgresOptions) {
    this.ctx = new PgContext(createPool(options));
    this.listener = new ChangeListener(connectionConfig(options));
    this.grants = new PgRuntime(this.ctx);
    const accounts = new PgAccounts(this.ctx);
    const parts: StoreParts = {
      accounts,
      tokens: accounts,
      agents: new PgAgents(this.ctx),
      secrets: new PgSecrets(this.ctx),
      runtime: this.grants,
      access: new PgAccessChanges(this.ctx),
      audit: new PgAudit(this.ctx),
      reads: new PgLastReads(this.ctx),
      keys: new PgKeys(this.ctx),
      accessRequests: new PgAccessRequests(this.ctx),
    };
    Object.assign(this, parts);
  }

  /** Connects and brings the schema up to date (advisory-locked: replicas starting at once migrate once). */
  static async open(options: PostgresOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      const client = await store.ctx.pool.connect();
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
    if (!this.ctx.pool.ended) await this.ctx.pool.end();
  }

  generation(): number {
    return this.grants.generation();
  }

  watch(listener: (signal: StoreSignal) => void): () => void {
    return this.listener.add(listener);
  }
}
