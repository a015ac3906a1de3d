// The embedded default store: SQLite through better-sqlite3, WAL, synchronous=FULL.
// better-sqlite3 is synchronous; each method is one transaction, wrapped in a promise so that the
// interface also fits an asynchronous database.
//
// Two files. vault.db holds the state: accounts, tokens, agents, secrets, grants, keys, events, and
// the audit records of changes (each written in its change's transaction). audit.db, next to it, is
// the access log: the audit records of requests that changed nothing (run-time reads, refusals),
// appended by a worker thread. Keeping those apart means vault.db changes only when the state does,
// which is what lets run-time reads use cached access answers that SQLite proves current.

import Database from 'better-sqlite3';
import path from 'node:path';
import { BackgroundAudit, INSERT_AUDIT_SQL } from './auditWorker';
import { createPrivateFile, FILE_MODE, tighten } from './files';
import type { Agent, AuditRecord, SecretMetadata, UserKey, VaultEvent, VaultEventEnvelope } from '../../../protocol/api';
import type {
  Account,
  AuditEntry,
  DataKeyRow,
  GrantedReader,
  GrantedValue,
  Mutation,
  NewSecret,
  PruneReport,
  RevokeResult,
  SealedValue,
  SecretChange,
  SecretRow,
  TokenRow,
  VaultStore,
  WriteResult,
} from './types';

const SCHEMA_VERSION = 4;
/** Events kept for Last-Event-ID resume; older ones are pruned and a resuming client is told to reset. */
const EVENT_RETENTION = 10_000;

/** Exported for the migration tests, which build a vault of an older version from them. */
export const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE accounts (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, naming_style TEXT NOT NULL, created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE tokens (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES accounts(id),
      digest BLOB NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('user', 'agent')),
      role TEXT CHECK (role IN ('admin', 'developer')),
      agent_id TEXT,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      revoked_at TEXT
    ) STRICT;
    CREATE TABLE agents (
      account_id TEXT NOT NULL REFERENCES accounts(id),
      id TEXT NOT NULL,
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (account_id, id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE data_keys (
      id TEXT PRIMARY KEY,
      master_id TEXT NOT NULL,
      nonce BLOB NOT NULL,
      wrapped BLOB NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('active', 'retired')),
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX data_keys_one_active ON data_keys(state) WHERE state = 'active';
    CREATE TABLE secrets (
      account_id TEXT NOT NULL REFERENCES accounts(id),
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('single', 'kv')),
      keys TEXT NOT NULL,
      version INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      -- A value can only be stored under a data key that exists, and a data key in use cannot be
      -- dropped: rotate-key and the service never race into an unreadable row.
      key_id TEXT NOT NULL REFERENCES data_keys(id),
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      PRIMARY KEY (account_id, name)
    ) STRICT;
    CREATE INDEX secrets_key_id ON secrets(key_id);
    CREATE TABLE grants (
      account_id TEXT NOT NULL,
      secret_name TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      PRIMARY KEY (account_id, secret_name, agent_id),
      FOREIGN KEY (account_id, secret_name) REFERENCES secrets(account_id, name) ON DELETE CASCADE,
      FOREIGN KEY (account_id, agent_id) REFERENCES agents(account_id, id) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX grants_agent ON grants(account_id, agent_id);
    CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL,
      time TEXT NOT NULL,
      payload TEXT NOT NULL
    ) STRICT;
    CREATE INDEX events_account ON events(account_id, id);
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL,
      time TEXT NOT NULL,
      actor TEXT NOT NULL,
      actor_type TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      outcome TEXT NOT NULL,
      detail TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_account ON audit(account_id, id);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
  `,
  // The audit listing merges this table with the access log by at_us (see auditClock()).
  2: `
    ALTER TABLE audit ADD COLUMN at_us INTEGER NOT NULL DEFAULT 0;
    UPDATE audit SET at_us = CAST(ROUND((julianday(time) - 2440587.5) * 86400000000.0) AS INTEGER);
    CREATE INDEX audit_account_at ON audit(account_id, at_us, id);
    DROP INDEX audit_account;
  `,
  // Audit records name the token (or OS user) as well as the display name; event ids become each
  // account's own sequence. Existing events keep their ids as their sequence, and every account
  // continues after the highest id ever given, so a Last-Event-ID a client held from before is
  // still a valid position in its account (and ids never go backwards).
  3: `
    ALTER TABLE audit ADD COLUMN actor_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE accounts ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    UPDATE events SET seq = id;
    UPDATE accounts SET event_seq = COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0);
    CREATE UNIQUE INDEX events_account_seq ON events(account_id, seq);
    DROP INDEX events_account;
  `,
  // The value gets its own version, bound into its additional data, apart from the metadata
  // version (the ETag): grants and descriptions then change the row without touching the
  // ciphertext. Until now every value was sealed for its row's version, so that is its value
  // version: existing values open unchanged, in place, with no re-encryption.
  4: `
    ALTER TABLE secrets ADD COLUMN value_version INTEGER NOT NULL DEFAULT 0;
    UPDATE secrets SET value_version = version;
  `,
};

/** The access log's own schema (audit.db). */
const ACCESS_LOG_SCHEMA_VERSION = 2;
export const ACCESS_LOG_MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL,
      time TEXT NOT NULL,
      actor TEXT NOT NULL,
      actor_type TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      outcome TEXT NOT NULL,
      detail TEXT NOT NULL,
      at_us INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX audit_account_at ON audit(account_id, at_us, id);
  `,
  2: `ALTER TABLE audit ADD COLUMN actor_id TEXT NOT NULL DEFAULT '';`,
};

/** Audit records deleted per transaction by retention, so that pruning never holds a file's write lock for long. */
const PRUNE_BATCH = 5_000;

/** The access log sits next to the vault database: `<dir>/audit.db`. */
function accessLogFile(vaultFile: string): string {
  return path.join(path.dirname(vaultFile), 'audit.db');
}

/**
 * Audit record ids name their file and row: `v12` is row 12 of vault.db's audit table (a change),
 * `a7` row 7 of the access log. Listings run newest first by (at_us, file, row).
 */
const AUDIT_SOURCES = [
  { prefix: 'a', rank: 0 },
  { prefix: 'v', rank: 1 },
] as const;
type AuditSource = (typeof AUDIT_SOURCES)[number];
const AUDIT_ID = /^([av])([1-9][0-9]{0,15})$/;

let lastAuditUs = 0;
/**
 * The audit order key: microseconds since the epoch, strictly increasing within this process, and
 * taken on the main thread when a record is committed (a change) or handed to the writer (a group
 * of reads), so records from the two files merge in the order things happened, even within one
 * millisecond.
 */
function auditClock(): number {
  const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastAuditUs = now > lastAuditUs ? now : lastAuditUs + 1;
  return lastAuditUs;
}

/** Cached access answers kept at most; past it the cache starts again (it is only a cache). */
const GRANTED_CACHE_MAX = 50_000;

interface SecretDbRow {
  account_id: string;
  name: string;
  description: string;
  kind: 'single' | 'kv';
  keys: string;
  version: number;
  value_version: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
  key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
}

export interface SqliteOptions {
  /** synchronous=FULL by default: an acknowledged write survives power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

export class SqliteStore implements VaultStore {
  readonly db: Database.Database;
  /** The access log (audit.db): read here for listings; appended to by the background worker. */
  readonly accessLog: Database.Database;
  private readonly accessLogFile: string;
  private readonly stmt: ReturnType<SqliteStore['prepare']>;
  private background: BackgroundAudit | undefined;

  /**
   * Access answers of run-time reads, keyed by account, agent and name: the sealed value, or null
   * for "missing or not granted". Valid while `stateSeen` is current (see `current()`).
   */
  private readonly granted = new Map<string, GrantedValue | null>();
  /** `PRAGMA data_version` and `total_changes()` when the cache was last known current. */
  private stateSeen = { dataVersion: -1, ownChanges: -1 };

  constructor(
    file: string,
    private readonly options: SqliteOptions = {},
  ) {
    // Created 0600 before SQLite opens them (SQLite would use 0644 less the umask); SQLite gives
    // the -wal and -shm files it creates later the mode of their database file.
    this.accessLogFile = accessLogFile(file);
    createPrivateFile(file);
    createPrivateFile(this.accessLogFile);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('foreign_keys = ON');
    // Another process (rotate-key) may hold the write lock briefly: wait rather than fail.
    this.db.pragma('busy_timeout = 5000');
    // Freed pages are zeroed, so a deleted secret's ciphertext does not linger in the file.
    this.db.pragma('secure_delete = ON');
    migrate(this.db, MIGRATIONS, SCHEMA_VERSION, 'database');
    this.accessLog = new Database(this.accessLogFile);
    this.accessLog.pragma('journal_mode = WAL');
    this.accessLog.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.accessLog.pragma('busy_timeout = 5000');
    migrate(this.accessLog, ACCESS_LOG_MIGRATIONS, ACCESS_LOG_SCHEMA_VERSION, 'access log');
    // WAL files left by an older version (0644) are tightened now that they certainly exist.
    for (const f of [file, this.accessLogFile]) {
      for (const suffix of ['-wal', '-shm']) {
        const n = tighten(f + suffix, FILE_MODE);
        if (n) this.notices.push(n);
      }
    }
    this.stmt = this.prepare();
  }

  /** What opening changed about file modes, for the operator (see files.ts). */
  readonly notices: string[] = [];

  /** Runs `fn` as one IMMEDIATE transaction on vault.db. */
  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Drops the cached access answers unless SQLite shows that nothing has changed since they were
   * read: `PRAGMA data_version` changes when any other connection (another process: the CLI, an
   * operator's sqlite3, an attacker going through SQLite) commits to vault.db, and
   * `total_changes()` when this connection writes, through this class or not. The access log is
   * another file, so the constant appends of read audits do not count as changes.
   */
  private current(): void {
    const ownChanges = this.stmt.ownChanges.get() as number;
    const dataVersion = this.stmt.dataVersion.get() as number;
    if (dataVersion !== this.stateSeen.dataVersion || ownChanges !== this.stateSeen.ownChanges) {
      this.granted.clear();
      this.stateSeen = { dataVersion, ownChanges };
    }
  }

  private prepare() {
    const db = this.db;
    return {
      insertAudit: db.prepare(INSERT_AUDIT_SQL),
      insertAccess: this.accessLog.prepare(INSERT_AUDIT_SQL),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      ownChanges: db.prepare('SELECT total_changes()').pluck(),
      nextEventSeq: db.prepare('UPDATE accounts SET event_seq = event_seq + 1 WHERE id = ? RETURNING event_seq').pluck(),
      insertEvent: db.prepare('INSERT INTO events (account_id, seq, time, payload) VALUES (?, ?, ?, ?)'),
      pruneEvents: db.prepare('DELETE FROM events WHERE account_id = ? AND seq <= ?'),
      tokenByDigest: db.prepare('SELECT * FROM tokens WHERE digest = ?'),
      secret: db.prepare('SELECT * FROM secrets WHERE account_id = ? AND name = ?'),
      secretAgents: db.prepare('SELECT agent_id FROM grants WHERE account_id = ? AND secret_name = ? ORDER BY agent_id'),
      granted: db.prepare(
        `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext FROM secrets s
         JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
         WHERE s.account_id = ? AND s.name = ? AND g.agent_id = ?`,
      ),
      grantedAll: db.prepare(
        `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext FROM secrets s
         JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
         WHERE s.account_id = ? AND g.agent_id = ? ORDER BY s.name`,
      ),
      insertGrant: db.prepare('INSERT OR IGNORE INTO grants (account_id, secret_name, agent_id) VALUES (?, ?, ?)'),
      deleteGrants: db.prepare('DELETE FROM grants WHERE account_id = ? AND secret_name = ?'),
      agent: db.prepare('SELECT id, name, description, created_at AS createdAt FROM agents WHERE account_id = ? AND id = ?'),
      activeKey: db.prepare("SELECT id FROM data_keys WHERE state = 'active'"),
      dataKeyExists: db.prepare('SELECT 1 FROM data_keys WHERE id = ?'),
    };
  }

  close(): void {
    void this.background?.close();
    this.db.close();
    this.accessLog.close();
  }

  /** Appends to the access log from a worker thread (see auditWorker.ts); used for run-time reads. */
  async appendAuditInBackground(entries: AuditEntry[], now: string): Promise<void> {
    this.background ??= new BackgroundAudit(this.accessLogFile, this.options.synchronous ?? 'FULL');
    return this.background.append(entries, now, auditClock());
  }

  // ---- helpers ----

  private audit(mutation: Mutation, outcome: AuditEntry['outcome'] = 'success', detail?: string): void {
    const a = mutation.audit;
    this.stmt.insertAudit.run(a.accountId, mutation.now, a.actor, a.actorId, a.actorType, a.action, a.target, outcome, detail ?? a.detail, auditClock());
  }

  /** Appends an event under the account's next sequence number (its id as clients see it). */
  private event(accountId: string, now: string, event: VaultEvent): VaultEventEnvelope {
    const seq = this.stmt.nextEventSeq.get(accountId) as number | undefined;
    if (seq === undefined) throw new Error(`No account ${accountId} for an event.`);
    this.stmt.insertEvent.run(accountId, seq, now, JSON.stringify(event));
    if (seq % 500 === 0) this.stmt.pruneEvents.run(accountId, seq - EVENT_RETENTION);
    return { id: seq, time: now, event };
  }

  private metadata(row: SecretDbRow): SecretMetadata {
    const agents = (this.stmt.secretAgents.all(row.account_id, row.name) as { agent_id: string }[]).map((r) => r.agent_id);
    return toMetadata(row, agents);
  }

  private missingAgent(accountId: string, agents: string[]): string | undefined {
    return agents.find((a) => this.stmt.agent.get(accountId, a) === undefined);
  }

  // ---- accounts and tokens ----

  async createAccount(account: Account, mutation: Mutation | null): Promise<void> {
    this.tx(() => {
      this.db
        .prepare('INSERT INTO accounts (id, name, naming_style, created_at) VALUES (?, ?, ?, ?)')
        .run(account.id, account.name, account.namingStyle, account.createdAt);
      if (mutation) this.audit(mutation);
    });
  }

  async getAccount(id: string): Promise<Account | undefined> {
    return this.db
      .prepare('SELECT id, name, naming_style AS namingStyle, created_at AS createdAt FROM accounts WHERE id = ?')
      .get(id) as Account | undefined;
  }

  async listAccounts(): Promise<Account[]> {
    return this.db
      .prepare('SELECT id, name, naming_style AS namingStyle, created_at AS createdAt FROM accounts ORDER BY created_at')
      .all() as Account[];
  }

  async insertToken(token: TokenRow, mutation: Mutation | null): Promise<void> {
    this.tx(() => {
      this.db
        .prepare(
          'INSERT INTO tokens (id, account_id, digest, kind, role, agent_id, name, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)',
        )
        .run(token.id, token.accountId, token.digest, token.kind, token.role, token.agentId, token.name, token.createdAt);
      if (mutation) this.audit(mutation);
    });
  }

  async findTokenByDigest(digest: Buffer): Promise<TokenRow | undefined> {
    const r = this.stmt.tokenByDigest.get(digest) as
      | { id: string; account_id: string; digest: Buffer; kind: 'user' | 'agent'; role: TokenRow['role']; agent_id: string | null; name: string; created_at: string; revoked_at: string | null }
      | undefined;
    if (!r) return undefined;
    return {
      id: r.id,
      accountId: r.account_id,
      digest: r.digest,
      kind: r.kind,
      role: r.role,
      agentId: r.agent_id,
      name: r.name,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    };
  }

  async listUserKeys(accountId: string): Promise<UserKey[]> {
    return this.db
      .prepare(
        "SELECT id, name, role, created_at AS createdAt, revoked_at AS revokedAt FROM tokens WHERE account_id = ? AND kind = 'user' ORDER BY created_at, id",
      )
      .all(accountId) as UserKey[];
  }

  async revokeToken(accountId: string, id: string, mutation: Mutation): Promise<RevokeResult> {
    // Check and revoke in one IMMEDIATE transaction: two admins revoking each other's keys at once
    // (in two processes, even) cannot both succeed and leave the account without an admin.
    return this.tx((): RevokeResult => {
      const row = this.db
        .prepare('SELECT kind, role FROM tokens WHERE account_id = ? AND id = ? AND revoked_at IS NULL')
        .get(accountId, id) as { kind: string; role: string | null } | undefined;
      if (!row) return 'missing';
      if (row.kind === 'user' && row.role === 'admin') {
        const others = this.db
          .prepare("SELECT COUNT(*) FROM tokens WHERE account_id = ? AND kind = 'user' AND role = 'admin' AND revoked_at IS NULL AND id != ?")
          .pluck()
          .get(accountId, id) as number;
        if (others === 0) {
          this.audit(mutation, 'denied', 'the last active admin key of the account');
          return 'last-admin';
        }
      }
      this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND id = ?').run(mutation.now, accountId, id);
      this.audit(mutation);
      return 'revoked';
    });
  }

  // ---- agents ----

  async listAgents(accountId: string): Promise<Agent[]> {
    return this.db
      .prepare('SELECT id, name, description, created_at AS createdAt FROM agents WHERE account_id = ? ORDER BY id')
      .all(accountId) as Agent[];
  }

  async getAgent(accountId: string, id: string): Promise<Agent | undefined> {
    return this.stmt.agent.get(accountId, id) as Agent | undefined;
  }

  async createAgent(accountId: string, agent: Agent, mutation: Mutation): Promise<WriteResult<Agent>> {
    return this.tx((): WriteResult<Agent> => {
      const info = this.db
        .prepare('INSERT OR IGNORE INTO agents (account_id, id, name, description, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(accountId, agent.id, agent.name, agent.description, agent.createdAt);
      if (info.changes === 0) return { ok: false, reason: 'exists' };
      this.audit(mutation);
      return { ok: true, value: agent, events: [this.event(accountId, mutation.now, { type: 'agent.created', agent })] };
    });
  }

  async deleteAgent(
    accountId: string,
    id: string,
    mutation: Mutation,
  ): Promise<WriteResult<null>> {
    return this.tx((): WriteResult<null> => {
      if (!this.stmt.agent.get(accountId, id)) return { ok: false, reason: 'missing' };
      // Every secret that loses this agent changes version (its ETag); its value, and so its
      // ciphertext, stays as it is.
      const affected = this.db
        .prepare(
          `SELECT s.* FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
           WHERE s.account_id = ? AND g.agent_id = ?`,
        )
        .all(accountId, id) as SecretDbRow[];
      const events: VaultEvent[] = [];
      this.db.prepare('DELETE FROM grants WHERE account_id = ? AND agent_id = ?').run(accountId, id);
      for (const row of affected) {
        this.db
          .prepare('UPDATE secrets SET version = ?, updated_at = ?, updated_by = ? WHERE account_id = ? AND name = ?')
          .run(row.version + 1, mutation.now, mutation.audit.actor, accountId, row.name);
        const meta = this.metadata({ ...row, version: row.version + 1, updated_at: mutation.now, updated_by: mutation.audit.actor });
        events.push({ type: 'access.changed', secret: meta });
      }
      this.db.prepare('DELETE FROM agents WHERE account_id = ? AND id = ?').run(accountId, id);
      this.db
        .prepare("UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND kind = 'agent' AND agent_id = ? AND revoked_at IS NULL")
        .run(mutation.now, accountId, id);
      this.audit(mutation, 'success', affected.length ? `removed from ${affected.map((r) => r.name).join(', ')}` : '');
      const envelopes = events.map((e) => this.event(accountId, mutation.now, e));
      envelopes.push(this.event(accountId, mutation.now, { type: 'agent.deleted', id }));
      return { ok: true, value: null, events: envelopes };
    });
  }

  // ---- secrets ----

  async listSecrets(accountId: string, agent?: string): Promise<SecretMetadata[]> {
    const rows = (
      agent === undefined
        ? this.db.prepare('SELECT * FROM secrets WHERE account_id = ? ORDER BY name').all(accountId)
        : this.db
            .prepare(
              `SELECT s.* FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
               WHERE s.account_id = ? AND g.agent_id = ? ORDER BY s.name`,
            )
            .all(accountId, agent)
    ) as SecretDbRow[];
    const grants = new Map<string, string[]>();
    for (const g of this.db
      .prepare('SELECT secret_name, agent_id FROM grants WHERE account_id = ? ORDER BY secret_name, agent_id')
      .all(accountId) as { secret_name: string; agent_id: string }[]) {
      const list = grants.get(g.secret_name);
      if (list) list.push(g.agent_id);
      else grants.set(g.secret_name, [g.agent_id]);
    }
    return rows.map((r) => toMetadata(r, grants.get(r.name) ?? []));
  }

  async getSecret(accountId: string, name: string): Promise<SecretRow | undefined> {
    const row = this.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
    return row && { ...this.metadata(row), sealed: sealedOf(row), valueVersion: row.value_version };
  }

  async createSecret(accountId: string, secret: NewSecret, mutation: Mutation): Promise<WriteResult<SecretMetadata>> {
    return this.tx((): WriteResult<SecretMetadata> => {
      if (this.stmt.secret.get(accountId, secret.name)) return { ok: false, reason: 'exists' };
      if (!this.stmt.dataKeyExists.get(secret.sealed.keyId)) return { ok: false, reason: 'stale-key' };
      const unknown = this.missingAgent(accountId, secret.agents);
      if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      this.db
        .prepare(
          `INSERT INTO secrets (account_id, name, description, kind, keys, version, value_version, created_at, updated_at, updated_by, key_id, nonce, ciphertext)
           VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
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
        );
      for (const a of secret.agents) this.stmt.insertGrant.run(accountId, secret.name, a);
      this.audit(mutation);
      const meta = this.metadata(this.stmt.secret.get(accountId, secret.name) as SecretDbRow);
      return { ok: true, value: meta, events: [this.event(accountId, mutation.now, { type: 'secret.created', secret: meta })] };
    });
  }

  async updateSecret(
    accountId: string,
    name: string,
    change: SecretChange,
    mutation: Mutation,
    eventType: 'secret.updated' | 'access.changed',
  ): Promise<WriteResult<SecretMetadata>> {
    return this.tx((): WriteResult<SecretMetadata> => {
      const row = this.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return { ok: false, reason: 'missing' };
      if (row.version !== change.expectedVersion) return { ok: false, reason: 'conflict', currentVersion: row.version };
      // Sealed outside this transaction: rotate-key may have dropped that data key in between.
      if (change.sealed && !this.stmt.dataKeyExists.get(change.sealed.keyId)) return { ok: false, reason: 'stale-key' };
      if (change.agents) {
        const unknown = this.missingAgent(accountId, change.agents);
        if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      }
      // A new value moves the value version too; a metadata change leaves the ciphertext alone.
      const sealed = change.sealed ?? sealedOf(row);
      this.db
        .prepare(
          `UPDATE secrets SET description = ?, kind = ?, keys = ?, version = ?, value_version = ?, updated_at = ?, updated_by = ?, key_id = ?, nonce = ?, ciphertext = ?
           WHERE account_id = ? AND name = ? AND version = ?`,
        )
        .run(
          change.description ?? row.description,
          change.kind ?? row.kind,
          change.keys ? JSON.stringify(change.keys) : row.keys,
          row.version + 1,
          change.sealed ? row.value_version + 1 : row.value_version,
          mutation.now,
          mutation.audit.actor,
          sealed.keyId,
          sealed.nonce,
          sealed.ciphertext,
          accountId,
          name,
          row.version,
        );
      if (change.agents) {
        this.stmt.deleteGrants.run(accountId, name);
        for (const a of change.agents) this.stmt.insertGrant.run(accountId, name, a);
      }
      this.audit(mutation);
      const meta = this.metadata(this.stmt.secret.get(accountId, name) as SecretDbRow);
      return { ok: true, value: meta, events: [this.event(accountId, mutation.now, { type: eventType, secret: meta })] };
    });
  }

  async deleteSecret(accountId: string, name: string, expectedVersion: number | undefined, mutation: Mutation): Promise<WriteResult<null>> {
    return this.tx((): WriteResult<null> => {
      const row = this.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return { ok: false, reason: 'missing' };
      if (expectedVersion !== undefined && row.version !== expectedVersion) {
        return { ok: false, reason: 'conflict', currentVersion: row.version };
      }
      this.stmt.deleteGrants.run(accountId, name);
      this.db.prepare('DELETE FROM secrets WHERE account_id = ? AND name = ?').run(accountId, name);
      this.audit(mutation);
      return { ok: true, value: null, events: [this.event(accountId, mutation.now, { type: 'secret.deleted', name })] };
    });
  }

  async readGranted(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined> {
    // Cached, but never stale: current() first checks that nothing in vault.db has changed since
    // the cached answers were read, so an access change, a rotation or a tampered row made by any
    // process takes effect on the very next read. The cache holds ciphertext, never a value.
    this.current();
    return this.lookupGranted(accountId, name, agent);
  }

  grantedReader(): GrantedReader {
    // One check for the whole batch. A write committed after it (by anyone) may or may not show
    // in the batch's answers; either is right, since those requests were already in flight.
    this.current();
    return this.batchReader;
  }

  private readonly batchReader: GrantedReader = {
    readGranted: async (accountId, name, agent) => this.lookupGranted(accountId, name, agent),
  };

  private lookupGranted(accountId: string, name: string, agent: string): GrantedValue | undefined {
    const key = `${accountId}\u0000${agent}\u0000${name}`;
    let hit = this.granted.get(key);
    if (hit === undefined) {
      const row = this.stmt.granted.get(accountId, name, agent) as GrantedDbRow | undefined;
      hit = row ? toGranted(row) : null;
      if (this.granted.size >= GRANTED_CACHE_MAX) this.granted.clear();
      this.granted.set(key, hit);
    }
    return hit ?? undefined;
  }

  async listGranted(accountId: string, agent: string): Promise<GrantedValue[]> {
    return (this.stmt.grantedAll.all(accountId, agent) as GrantedDbRow[]).map(toGranted);
  }

  // ---- audit and events ----

  async appendAudit(entries: AuditEntry[], now: string): Promise<void> {
    this.accessLog.transaction(() => {
      const at = auditClock();
      for (const e of entries) {
        this.stmt.insertAccess.run(e.accountId, now, e.actor, e.actorId, e.actorType, e.action, e.target, e.outcome, e.detail, at);
      }
    }).immediate();
  }

  async appendSystemAudit(entries: AuditEntry[], now: string): Promise<void> {
    this.tx(() => {
      for (const e of entries) {
        this.stmt.insertAudit.run(e.accountId, now, e.actor, e.actorId, e.actorType, e.action, e.target, e.outcome, e.detail, auditClock());
      }
    });
  }

  async pruneAudit(cutoff: Date, actor: Pick<AuditEntry, 'actor' | 'actorId'>, now: string): Promise<PruneReport> {
    const cutoffUs = cutoff.getTime() * 1000;
    const accounts = this.db.prepare('SELECT id FROM accounts').pluck().all() as string[];
    const removed = new Map<string, number>();
    // Per account, through the (account_id, at_us) index of each file, in short transactions: the
    // access log's writer and the service keep going while a large backlog is pruned.
    const prune = (db: Database.Database, accountId: string) => {
      const del = db.prepare(`DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE account_id = ? AND at_us < ? LIMIT ${PRUNE_BATCH})`);
      for (;;) {
        const n = db.transaction(() => del.run(accountId, cutoffUs).changes).immediate();
        if (n > 0) removed.set(accountId, (removed.get(accountId) ?? 0) + n);
        if (n < PRUNE_BATCH) break;
      }
    };
    for (const accountId of accounts) {
      prune(this.accessLog, accountId);
      prune(this.db, accountId);
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
    // The position of `before` in the merged order (at_us, file, row); undefined when it names no record.
    let cursor: { at: number; rank: number; row: number } | undefined;
    if (before !== undefined) {
      const m = AUDIT_ID.exec(before);
      if (!m) return undefined;
      const source = AUDIT_SOURCES.find((s) => s.prefix === m[1])!;
      const row = Number(m[2]);
      const at = this.auditDb(source)
        .prepare('SELECT at_us FROM audit WHERE account_id = ? AND id = ?')
        .pluck()
        .get(accountId, row) as number | undefined;
      if (at === undefined) return undefined;
      cursor = { at, rank: source.rank, row };
    }
    // Each file's newest `limit` records before the cursor, then the newest `limit` of both.
    const merged: (AuditRecord & { at: number; rank: number; row: number })[] = [];
    for (const source of AUDIT_SOURCES) {
      let where = 'account_id = ?';
      const params: (string | number)[] = [accountId];
      if (cursor) {
        if (source.rank === cursor.rank) {
          where += ' AND (at_us, id) < (?, ?)';
          params.push(cursor.at, cursor.row);
        } else {
          where += source.rank < cursor.rank ? ' AND at_us <= ?' : ' AND at_us < ?';
          params.push(cursor.at);
        }
      }
      const rows = this.auditDb(source)
        .prepare(
          `SELECT id, time, actor, actor_id AS actorId, actor_type AS actorType, action, target, outcome, detail, at_us AS at FROM audit
           WHERE ${where} ORDER BY at_us DESC, id DESC LIMIT ?`,
        )
        .all(...params, limit) as (Omit<AuditRecord, 'id'> & { id: number; at: number })[];
      for (const { at, ...r } of rows) merged.push({ ...r, id: `${source.prefix}${r.id}`, at, rank: source.rank, row: r.id });
    }
    merged.sort((a, b) => b.at - a.at || b.rank - a.rank || b.row - a.row);
    return merged.slice(0, limit).map(({ at: _at, rank: _rank, row: _row, ...record }) => record);
  }

  private auditDb(source: AuditSource): Database.Database {
    return source.prefix === 'a' ? this.accessLog : this.db;
  }

  async eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]> {
    const rows = this.db
      .prepare('SELECT seq, time, payload FROM events WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(accountId, afterId, limit) as { seq: number; time: string; payload: string }[];
    return rows.map((r) => ({ id: r.seq, time: r.time, event: JSON.parse(r.payload) as VaultEvent }));
  }

  async oldestEventId(accountId: string): Promise<number> {
    return this.db.prepare('SELECT COALESCE(MIN(seq), 0) FROM events WHERE account_id = ?').pluck().get(accountId) as number;
  }

  async lastEventId(accountId: string): Promise<number> {
    // The account's counter, not MAX(seq): it survives pruning, so ids never go backwards.
    return (this.db.prepare('SELECT event_seq FROM accounts WHERE id = ?').pluck().get(accountId) as number | undefined) ?? 0;
  }

  // ---- keys ----

  async listDataKeys(): Promise<DataKeyRow[]> {
    return (this.db.prepare('SELECT * FROM data_keys ORDER BY created_at').all() as DataKeyDbRow[]).map(toDataKey);
  }

  async getDataKey(id: string): Promise<DataKeyRow | undefined> {
    const r = this.db.prepare('SELECT * FROM data_keys WHERE id = ?').get(id) as DataKeyDbRow | undefined;
    return r && toDataKey(r);
  }

  async activeDataKeyId(): Promise<string | undefined> {
    return (this.stmt.activeKey.get() as { id: string } | undefined)?.id;
  }

  async addDataKey(key: DataKeyRow): Promise<void> {
    this.tx(() => {
      this.db.prepare("UPDATE data_keys SET state = 'retired' WHERE state = 'active'").run();
      this.db
        .prepare("INSERT INTO data_keys (id, master_id, nonce, wrapped, state, created_at) VALUES (?, ?, ?, ?, 'active', ?)")
        .run(key.id, key.masterId, key.nonce, key.wrapped, key.createdAt);
    });
  }

  async rewrapDataKeys(keys: DataKeyRow[]): Promise<void> {
    this.tx(() => {
      const update = this.db.prepare('UPDATE data_keys SET master_id = ?, nonce = ?, wrapped = ? WHERE id = ?');
      for (const k of keys) update.run(k.masterId, k.nonce, k.wrapped, k.id);
    });
  }

  async getMeta(key: string): Promise<Buffer | undefined> {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: Buffer } | undefined)?.value;
  }

  async setMeta(key: string, value: Buffer): Promise<void> {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  async secretsNotUnder(
    keyId: string,
    limit: number,
    after: { accountId: string; name: string } = { accountId: '', name: '' },
  ): Promise<(SecretRow & { accountId: string })[]> {
    const rows = this.db
      .prepare('SELECT * FROM secrets WHERE key_id != ? AND (account_id, name) > (?, ?) ORDER BY account_id, name LIMIT ?')
      .all(keyId, after.accountId, after.name, limit) as SecretDbRow[];
    return rows.map((row) => ({ ...toMetadata(row, []), sealed: sealedOf(row), valueVersion: row.value_version, accountId: row.account_id }));
  }

  async resealSecret(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    const info = this.db
      .prepare('UPDATE secrets SET key_id = ?, nonce = ?, ciphertext = ? WHERE account_id = ? AND name = ? AND value_version = ? AND key_id = ? AND nonce = ?')
      .run(sealed.keyId, sealed.nonce, sealed.ciphertext, accountId, name, valueVersion, previous.keyId, previous.nonce);
    return info.changes > 0;
  }

  async dropUnusedDataKeys(): Promise<string[]> {
    return this.tx(() => {
      const unused = this.db
        .prepare("SELECT id FROM data_keys WHERE state = 'retired' AND id NOT IN (SELECT DISTINCT key_id FROM secrets)")
        .all() as { id: string }[];
      const del = this.db.prepare('DELETE FROM data_keys WHERE id = ?');
      for (const u of unused) del.run(u.id);
      return unused.map((u) => u.id);
    });
  }
}

function migrate(db: Database.Database, migrations: Record<number, string>, latest: number, what: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new Error(`The ${what} schema is version ${current}, newer than this vault understands (${latest}).`);
  }
  for (let v = current + 1; v <= latest; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v}`);
    }).immediate();
  }
}

type GrantedDbRow = Pick<SecretDbRow, 'name' | 'kind' | 'value_version' | 'key_id' | 'nonce' | 'ciphertext'>;

function toGranted(row: GrantedDbRow): GrantedValue {
  return { name: row.name, kind: row.kind, valueVersion: row.value_version, sealed: { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext } };
}

interface DataKeyDbRow {
  id: string;
  master_id: string;
  nonce: Buffer;
  wrapped: Buffer;
  state: 'active' | 'retired';
  created_at: string;
}

function toDataKey(r: DataKeyDbRow): DataKeyRow {
  return { id: r.id, masterId: r.master_id, nonce: r.nonce, wrapped: r.wrapped, state: r.state, createdAt: r.created_at };
}

function sealedOf(row: SecretDbRow): SealedValue {
  return { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext };
}

function toMetadata(row: SecretDbRow, agents: string[]): SecretMetadata {
  return {
    name: row.name,
    description: row.description,
    kind: row.kind,
    keys: JSON.parse(row.keys) as string[],
    agents,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}
