// The embedded default store: SQLite through better-sqlite3, WAL, synchronous=FULL.
// better-sqlite3 is synchronous; each method is one transaction, wrapped in a promise so that the
// interface also fits an asynchronous database.
//
// Two files. vault.db holds the state: accounts, tokens, agents, secrets, grants, keys, events, and
// the audit records of changes (each written in its change's transaction). audit.db, next to it, is
// the access log: the audit records of requests that changed nothing (run-time reads, refusals),
// appended by a worker thread. Keeping those apart means vault.db changes only when the state does,
// which is what lets run-time reads use cached access answers that SQLite proves current.
//
// SqliteStore opens the files and makes one module per resource (VaultStore's parts: callers reach
// them as store.secrets, store.keys…); the modules share one SqliteContext (sqliteContext.ts: both
// files, the prepared statements, transactions, and the audit record and event of each mutation).
// The modules: accounts.ts (accounts and tokens), agents.ts, secrets.ts (secrets and their kept
// values), runtime.ts (run-time reads), audit.ts (audit records and events), keys.ts (data keys,
// meta and re-encryption), accessRequests.ts and accessChanges.ts (a batch of grants and revokes,
// decided by ../accessChanges.ts).
// Beside them: schema.ts (both schemas and their migrations), accessLog.ts (audit.db's file, the
// audit clock and the merged listing), lastReads.ts (each secret's last read per agent, in audit.db), grantedCache.ts (the run-time read cache); ../rows.ts maps
// rows for both stores.

import Database from 'better-sqlite3';
import { createPrivateFile, FILE_MODE, tighten } from '../files';
import type { StoreParts, VaultStore } from '../types';
import { ACCESS_LOG_MIGRATIONS, ACCESS_LOG_SCHEMA_VERSION, migrate, MIGRATIONS, SCHEMA_VERSION } from './schema';
import { accessLogFile } from './accessLog';
import { SqliteAccessChanges } from './accessChanges';
import { SqliteAccessRequests } from './accessRequests';
import { SqliteAccounts } from './accounts';
import { SqliteAgents } from './agents';
import { SqliteAudit } from './audit';
import { SqliteContext } from './sqliteContext';
import { SqliteKeys } from './keys';
import { SqliteLastReads } from './lastReads';
import { SqliteRuntime } from './runtime';
import { SqliteSecrets } from './secrets';

export interface SqliteOptions {
  /** synchronous=FULL by default: an acknowledged write survives power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

/** The parts (VaultStore's per-resource interfaces), set once by the constructor. */
export interface SqliteStore extends StoreParts {}

export class SqliteStore implements VaultStore {
  readonly db: Database.Database;
  /** The access log (audit.db): read here for listings; appended to by the background worker. */
  readonly accessLog: Database.Database;
  private readonly ctx: SqliteContext;
  private readonly auditLog: SqliteAudit;
  private readonly grants: SqliteRuntime;

  constructor(file: string, options: SqliteOptions = {}) {
    // Created 0600 before SQLite opens them (SQLite would use 0644 less the umask); SQLite gives
    // the -wal and -shm files it creates later the mode of their database file.
    const logFile = accessLogFile(file);
    createPrivateFile(file);
    createPrivateFile(logFile);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('foreign_keys = ON');
    // Another process (rotate-key) may hold the write lock briefly: wait rather than fail.
    this.db.pragma('busy_timeout = 5000');
    // Freed pages are zeroed, so a deleted secret's ciphertext does not linger in the file.
    this.db.pragma('secure_delete = ON');
    // The WAL keeps earlier page images until they are overwritten: deletes and prunes checkpoint and
    // truncate it at once (shred()), and a reset WAL is cut to 4 MiB so no stale tail outlives that.
    // Not 0: cutting it to nothing at every reset halved the creates per second (bench/vault-read),
    // since the file then grows again, inode and all, after every checkpoint.
    this.db.pragma('journal_size_limit = 4194304');
    migrate(this.db, MIGRATIONS, SCHEMA_VERSION, 'database');
    this.accessLog = new Database(logFile);
    this.accessLog.pragma('journal_mode = WAL');
    this.accessLog.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.accessLog.pragma('busy_timeout = 5000');
    migrate(this.accessLog, ACCESS_LOG_MIGRATIONS, ACCESS_LOG_SCHEMA_VERSION, 'access log');
    // WAL files left by an older version (0644) are tightened now that they certainly exist.
    for (const f of [file, logFile]) {
      for (const suffix of ['-wal', '-shm']) {
        const n = tighten(f + suffix, FILE_MODE);
        if (n) this.notices.push(n);
      }
    }
    this.ctx = new SqliteContext(this.db, this.accessLog);
    const lastReads = new SqliteLastReads(this.ctx);
    const accounts = new SqliteAccounts(this.ctx);
    this.auditLog = new SqliteAudit(this.ctx, logFile, options.synchronous ?? 'FULL');
    this.grants = new SqliteRuntime(this.ctx);
    const parts: StoreParts = {
      accounts,
      tokens: accounts,
      agents: new SqliteAgents(this.ctx, lastReads),
      secrets: new SqliteSecrets(this.ctx, lastReads),
      runtime: this.grants,
      access: new SqliteAccessChanges(this.ctx),
      audit: this.auditLog,
      reads: lastReads,
      keys: new SqliteKeys(this.ctx),
      accessRequests: new SqliteAccessRequests(this.ctx),
    };
    Object.assign(this, parts);
  }

  /** What opening changed about file modes, for the operator (see files.ts). */
  readonly notices: string[] = [];

  /** Empties the WAL after a delete; see SqliteContext.shred. Returns whether the WAL is now empty. */
  shred(): boolean {
    return this.ctx.shred();
  }

  async close(): Promise<void> {
    const background = this.auditLog.closeBackground();
    this.db.close();
    this.accessLog.close();
    await background;
  }

  generation(): number {
    return this.grants.generation();
  }
}
