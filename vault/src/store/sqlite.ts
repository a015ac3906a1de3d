// The embedded default store: SQLite through better-sqlite3, WAL, synchronous=FULL.
// better-sqlite3 is synchronous; each method is one transaction, wrapped in a promise so that the
// interface also fits an asynchronous database.

import Database from 'better-sqlite3';
import { BackgroundAudit } from './auditWorker';
import type { Agent, AuditRecord, SecretMetadata, UserKey, VaultEvent, VaultEventEnvelope } from '../../../protocol/api';
import type {
  Account,
  AuditEntry,
  DataKeyRow,
  GrantedValue,
  Mutation,
  NewSecret,
  Reseal,
  SealedValue,
  SecretChange,
  SecretRow,
  TokenRow,
  VaultStore,
  WriteResult,
} from './types';

const SCHEMA_VERSION = 1;
/** Events kept for Last-Event-ID resume; older ones are pruned and a resuming client is told to reset. */
const EVENT_RETENTION = 10_000;

const MIGRATIONS: Record<number, string> = {
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
};

interface SecretDbRow {
  account_id: string;
  name: string;
  description: string;
  kind: 'single' | 'kv';
  keys: string;
  version: number;
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
  private readonly stmt: ReturnType<SqliteStore['prepare']>;
  private background: BackgroundAudit | undefined;

  constructor(
    private readonly file: string,
    private readonly options: SqliteOptions = {},
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('foreign_keys = ON');
    // Another process (rotate-key) may hold the write lock briefly: wait rather than fail.
    this.db.pragma('busy_timeout = 5000');
    // Freed pages are zeroed, so a deleted secret's ciphertext does not linger in the file.
    this.db.pragma('secure_delete = ON');
    this.migrate();
    this.stmt = this.prepare();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(`The database schema is version ${current}, newer than this vault understands (${SCHEMA_VERSION}).`);
    }
    for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
        this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v}`);
      }).immediate();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      insertAudit: db.prepare(
        'INSERT INTO audit (account_id, time, actor, actor_type, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertEvent: db.prepare('INSERT INTO events (account_id, time, payload) VALUES (?, ?, ?)'),
      pruneEvents: db.prepare('DELETE FROM events WHERE id <= ?'),
      tokenByDigest: db.prepare('SELECT * FROM tokens WHERE digest = ?'),
      secret: db.prepare('SELECT * FROM secrets WHERE account_id = ? AND name = ?'),
      secretAgents: db.prepare('SELECT agent_id FROM grants WHERE account_id = ? AND secret_name = ? ORDER BY agent_id'),
      granted: db.prepare(
        `SELECT s.name, s.kind, s.version, s.key_id, s.nonce, s.ciphertext FROM secrets s
         JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
         WHERE s.account_id = ? AND s.name = ? AND g.agent_id = ?`,
      ),
      grantedAll: db.prepare(
        `SELECT s.name, s.kind, s.version, s.key_id, s.nonce, s.ciphertext FROM secrets s
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
  }

  /** Appends audit records from a worker thread (see auditWorker.ts); used for run-time reads. */
  async appendAuditInBackground(entries: AuditEntry[], now: string): Promise<void> {
    this.background ??= new BackgroundAudit(this.file, this.options.synchronous ?? 'FULL');
    return this.background.append(entries, now);
  }

  // ---- helpers ----

  private audit(mutation: Mutation, outcome: AuditEntry['outcome'] = 'success', detail?: string): void {
    const a = mutation.audit;
    this.stmt.insertAudit.run(a.accountId, mutation.now, a.actor, a.actorType, a.action, a.target, outcome, detail ?? a.detail);
  }

  private event(accountId: string, now: string, event: VaultEvent): VaultEventEnvelope {
    const info = this.stmt.insertEvent.run(accountId, now, JSON.stringify(event));
    const id = Number(info.lastInsertRowid);
    if (id % 500 === 0) this.stmt.pruneEvents.run(id - EVENT_RETENTION);
    return { id, time: now, event };
  }

  private metadata(row: SecretDbRow): SecretMetadata {
    const agents = (this.stmt.secretAgents.all(row.account_id, row.name) as { agent_id: string }[]).map((r) => r.agent_id);
    return toMetadata(row, agents);
  }

  private missingAgent(accountId: string, agents: string[]): string | undefined {
    return agents.find((a) => this.stmt.agent.get(accountId, a) === undefined);
  }

  // ---- accounts and tokens ----

  async createAccount(account: Account): Promise<void> {
    this.db.prepare('INSERT INTO accounts (id, name, naming_style, created_at) VALUES (?, ?, ?, ?)').run(
      account.id,
      account.name,
      account.namingStyle,
      account.createdAt,
    );
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
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO tokens (id, account_id, digest, kind, role, agent_id, name, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)',
        )
        .run(token.id, token.accountId, token.digest, token.kind, token.role, token.agentId, token.name, token.createdAt);
      if (mutation) this.audit(mutation);
    }).immediate();
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

  async revokeToken(accountId: string, id: string, mutation: Mutation): Promise<boolean> {
    return this.db.transaction(() => {
      const info = this.db
        .prepare('UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND id = ? AND revoked_at IS NULL')
        .run(mutation.now, accountId, id);
      if (info.changes > 0) this.audit(mutation);
      return info.changes > 0;
    }).immediate();
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
    return this.db.transaction((): WriteResult<Agent> => {
      const info = this.db
        .prepare('INSERT OR IGNORE INTO agents (account_id, id, name, description, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(accountId, agent.id, agent.name, agent.description, agent.createdAt);
      if (info.changes === 0) return { ok: false, reason: 'exists' };
      this.audit(mutation);
      return { ok: true, value: agent, events: [this.event(accountId, mutation.now, { type: 'agent.created', agent })] };
    }).immediate();
  }

  async deleteAgent(
    accountId: string,
    id: string,
    mutation: Mutation,
    reseal: Reseal,
  ): Promise<WriteResult<null>> {
    return this.db.transaction((): WriteResult<null> => {
      if (!this.stmt.agent.get(accountId, id)) return { ok: false, reason: 'missing' };
      // Every secret that loses this agent changes version (its ETag), so it is re-sealed for the new version.
      const affected = this.db
        .prepare(
          `SELECT s.* FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
           WHERE s.account_id = ? AND g.agent_id = ?`,
        )
        .all(accountId, id) as SecretDbRow[];
      const events: VaultEvent[] = [];
      this.db.prepare('DELETE FROM grants WHERE account_id = ? AND agent_id = ?').run(accountId, id);
      for (const row of affected) {
        const sealed = reseal({ name: row.name, version: row.version, sealed: sealedOf(row) }, row.version + 1);
        this.db
          .prepare(
            'UPDATE secrets SET version = ?, updated_at = ?, updated_by = ?, key_id = ?, nonce = ?, ciphertext = ? WHERE account_id = ? AND name = ?',
          )
          .run(row.version + 1, mutation.now, mutation.audit.actor, sealed.keyId, sealed.nonce, sealed.ciphertext, accountId, row.name);
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
    }).immediate();
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
    return row && { ...this.metadata(row), sealed: sealedOf(row) };
  }

  async createSecret(accountId: string, secret: NewSecret, mutation: Mutation): Promise<WriteResult<SecretMetadata>> {
    return this.db.transaction((): WriteResult<SecretMetadata> => {
      if (this.stmt.secret.get(accountId, secret.name)) return { ok: false, reason: 'exists' };
      if (!this.stmt.dataKeyExists.get(secret.sealed.keyId)) return { ok: false, reason: 'stale-key' };
      const unknown = this.missingAgent(accountId, secret.agents);
      if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      this.db
        .prepare(
          `INSERT INTO secrets (account_id, name, description, kind, keys, version, created_at, updated_at, updated_by, key_id, nonce, ciphertext)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          accountId,
          secret.name,
          secret.description,
          secret.kind,
          JSON.stringify(secret.keys),
          secret.version,
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
    }).immediate();
  }

  async updateSecret(
    accountId: string,
    name: string,
    change: SecretChange,
    mutation: Mutation,
    eventType: 'secret.updated' | 'access.changed',
  ): Promise<WriteResult<SecretMetadata>> {
    return this.db.transaction((): WriteResult<SecretMetadata> => {
      const row = this.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return { ok: false, reason: 'missing' };
      if (row.version !== change.expectedVersion) return { ok: false, reason: 'conflict', currentVersion: row.version };
      // Sealed outside this transaction: rotate-key may have dropped that data key in between.
      if (!this.stmt.dataKeyExists.get(change.sealed.keyId)) return { ok: false, reason: 'stale-key' };
      if (change.agents) {
        const unknown = this.missingAgent(accountId, change.agents);
        if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      }
      this.db
        .prepare(
          `UPDATE secrets SET description = ?, kind = ?, keys = ?, version = ?, updated_at = ?, updated_by = ?, key_id = ?, nonce = ?, ciphertext = ?
           WHERE account_id = ? AND name = ? AND version = ?`,
        )
        .run(
          change.description ?? row.description,
          change.kind ?? row.kind,
          change.keys ? JSON.stringify(change.keys) : row.keys,
          row.version + 1,
          mutation.now,
          mutation.audit.actor,
          change.sealed.keyId,
          change.sealed.nonce,
          change.sealed.ciphertext,
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
    }).immediate();
  }

  async deleteSecret(accountId: string, name: string, expectedVersion: number | undefined, mutation: Mutation): Promise<WriteResult<null>> {
    return this.db.transaction((): WriteResult<null> => {
      const row = this.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return { ok: false, reason: 'missing' };
      if (expectedVersion !== undefined && row.version !== expectedVersion) {
        return { ok: false, reason: 'conflict', currentVersion: row.version };
      }
      this.stmt.deleteGrants.run(accountId, name);
      this.db.prepare('DELETE FROM secrets WHERE account_id = ? AND name = ?').run(accountId, name);
      this.audit(mutation);
      return { ok: true, value: null, events: [this.event(accountId, mutation.now, { type: 'secret.deleted', name })] };
    }).immediate();
  }

  async readGranted(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined> {
    // Read every time (no cache): an access change, a rotation or a tampered row made by any
    // process takes effect on the very next read.
    const row = this.stmt.granted.get(accountId, name, agent) as GrantedDbRow | undefined;
    return row && toGranted(row);
  }

  async listGranted(accountId: string, agent: string): Promise<GrantedValue[]> {
    return (this.stmt.grantedAll.all(accountId, agent) as GrantedDbRow[]).map(toGranted);
  }

  // ---- audit and events ----

  async appendAudit(entries: AuditEntry[], now: string): Promise<void> {
    this.db.transaction(() => {
      for (const e of entries) {
        this.stmt.insertAudit.run(e.accountId, now, e.actor, e.actorType, e.action, e.target, e.outcome, e.detail);
      }
    }).immediate();
  }

  async listAudit(accountId: string, before: number | undefined, limit: number): Promise<AuditRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT id, time, actor, actor_type AS actorType, action, target, outcome, detail FROM audit
         WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
      )
      .all(accountId, before ?? Number.MAX_SAFE_INTEGER, limit) as AuditRecord[];
    return rows;
  }

  async eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]> {
    const rows = this.db
      .prepare('SELECT id, time, payload FROM events WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(accountId, afterId, limit) as { id: number; time: string; payload: string }[];
    return rows.map((r) => ({ id: r.id, time: r.time, event: JSON.parse(r.payload) as VaultEvent }));
  }

  async oldestEventId(): Promise<number> {
    return (this.db.prepare('SELECT COALESCE(MIN(id), 0) AS id FROM events').get() as { id: number }).id;
  }

  async lastEventId(): Promise<number> {
    // sqlite_sequence survives pruning, so ids never go backwards.
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get() as { seq: number } | undefined;
    return row?.seq ?? 0;
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
    this.db.transaction(() => {
      this.db.prepare("UPDATE data_keys SET state = 'retired' WHERE state = 'active'").run();
      this.db
        .prepare("INSERT INTO data_keys (id, master_id, nonce, wrapped, state, created_at) VALUES (?, ?, ?, ?, 'active', ?)")
        .run(key.id, key.masterId, key.nonce, key.wrapped, key.createdAt);
    }).immediate();
  }

  async rewrapDataKeys(keys: DataKeyRow[]): Promise<void> {
    this.db.transaction(() => {
      const update = this.db.prepare('UPDATE data_keys SET master_id = ?, nonce = ?, wrapped = ? WHERE id = ?');
      for (const k of keys) update.run(k.masterId, k.nonce, k.wrapped, k.id);
    }).immediate();
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
    return rows.map((row) => ({ ...toMetadata(row, []), sealed: sealedOf(row), accountId: row.account_id }));
  }

  async resealSecret(accountId: string, name: string, version: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    const info = this.db
      .prepare('UPDATE secrets SET key_id = ?, nonce = ?, ciphertext = ? WHERE account_id = ? AND name = ? AND version = ? AND key_id = ? AND nonce = ?')
      .run(sealed.keyId, sealed.nonce, sealed.ciphertext, accountId, name, version, previous.keyId, previous.nonce);
    return info.changes > 0;
  }

  async dropUnusedDataKeys(): Promise<string[]> {
    return this.db.transaction(() => {
      const unused = this.db
        .prepare("SELECT id FROM data_keys WHERE state = 'retired' AND id NOT IN (SELECT DISTINCT key_id FROM secrets)")
        .all() as { id: string }[];
      const del = this.db.prepare('DELETE FROM data_keys WHERE id = ?');
      for (const u of unused) del.run(u.id);
      return unused.map((u) => u.id);
    }).immediate();
  }
}

type GrantedDbRow = Pick<SecretDbRow, 'name' | 'kind' | 'version' | 'key_id' | 'nonce' | 'ciphertext'>;

function toGranted(row: GrantedDbRow): GrantedValue {
  return { name: row.name, kind: row.kind, version: row.version, sealed: { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext } };
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
