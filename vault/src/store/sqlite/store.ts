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
// Beside it: schema.ts (both schemas and their migrations), accessLog.ts (audit.db's file, the
// audit clock and the merged listing), grantedCache.ts (the run-time read cache); ../rows.ts maps
// rows for both stores.

import Database from 'better-sqlite3';
import { BackgroundAudit, INSERT_AUDIT_SQL } from '../auditWorker';
import { createPrivateFile, FILE_MODE, tighten } from '../files';
import { DEFAULT_VERSIONS_KEPT, type AccessRequest, type AccessRequestStatus, type Agent, type AuditRecord, type SecretMetadata, type SecretVersionInfo, type UserKey, type VaultEvent, type VaultEventEnvelope } from '../../../../protocol/api';
import { agentIdFold, nameFold } from '../../../../protocol/names';
import type {
  AccessDecision,
  AccessDecisionWrite,
  AccessRequestWrite,
  Account,
  AgentChange,
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
  TokenRow,
  VaultStore,
  WriteResult,
} from '../types';
import { ACCESS_LOG_MIGRATIONS, ACCESS_LOG_SCHEMA_VERSION, migrate, MIGRATIONS, SCHEMA_VERSION } from './schema';
import { accessLogFile, auditClock, listAuditRecords } from './accessLog';
import { GrantedCache } from './grantedCache';
import {
  ACCESS_REQUEST_COLUMNS,
  currentVersionInfo,
  decidedEventRequest,
  newRequestRow,
  currentVersionRow,
  olderVersionInfo,
  olderVersionRow,
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

/** Events kept for Last-Event-ID resume; older ones are pruned and a resuming client is told to reset. */
const EVENT_RETENTION = 10_000;

/** Audit records deleted per transaction by retention, so that pruning never holds a file's write lock for long. */
const PRUNE_BATCH = 5_000;

const ACCOUNT_COLUMNS = 'id, name, naming_style AS namingStyle, created_at AS createdAt, local_runs AS localRuns, versions_kept AS versionsKept';

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

  /** Access answers of run-time reads (see grantedCache.ts). */
  private readonly granted: GrantedCache;

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
    // The WAL keeps earlier page images until they are overwritten: deletes and prunes checkpoint and
    // truncate it at once (shred()), and a reset WAL is cut to 4 MiB so no stale tail outlives that.
    // Not 0: cutting it to nothing at every reset halved the creates per second (bench/vault-read),
    // since the file then grows again, inode and all, after every checkpoint.
    this.db.pragma('journal_size_limit = 4194304');
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
    this.granted = new GrantedCache(this.db);
  }

  /** What opening changed about file modes, for the operator (see files.ts). */
  readonly notices: string[] = [];

  /**
   * After a delete of values or keys: copies the WAL into vault.db (where secure_delete has zeroed
   * the freed space) and truncates it to nothing, so that neither file holds the deleted ciphertext.
   * A checkpoint cannot pass a read transaction another process holds open; the WAL is then cut at
   * the next delete or reset (journal_size_limit). Returns whether the WAL is now empty.
   */
  shred(): boolean {
    const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return r !== undefined && r.busy === 0 && r.log === 0;
  }

  /** Runs `fn` as one IMMEDIATE transaction on vault.db. */
  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private prepare() {
    const db = this.db;
    return {
      insertAudit: db.prepare(INSERT_AUDIT_SQL),
      insertAccess: this.accessLog.prepare(INSERT_AUDIT_SQL),
      nextEventSeq: db.prepare('UPDATE accounts SET event_seq = event_seq + 1 WHERE id = ? RETURNING event_seq').pluck(),
      insertEvent: db.prepare('INSERT INTO events (account_id, seq, time, payload) VALUES (?, ?, ?, ?)'),
      pruneEvents: db.prepare('DELETE FROM events WHERE account_id = ? AND seq <= ?'),
      tokenByDigest: db.prepare(`${TOKEN_SELECT} WHERE t.digest = ?`),
      secret: db.prepare('SELECT * FROM secrets WHERE account_id = ? AND name = ?'),
      secretAgents: db.prepare('SELECT agent_id FROM grants WHERE account_id = ? AND secret_name = ? ORDER BY agent_id'),
      grantedAll: db.prepare(
        `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext, s.expires_at, s.value_mac FROM secrets s
         JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
         WHERE s.account_id = ? AND g.agent_id = ? ORDER BY s.name`,
      ),
      insertGrant: db.prepare('INSERT OR IGNORE INTO grants (account_id, secret_name, agent_id) VALUES (?, ?, ?)'),
      deleteGrants: db.prepare('DELETE FROM grants WHERE account_id = ? AND secret_name = ?'),
      agent: db.prepare('SELECT id, name, description, created_at AS createdAt FROM agents WHERE account_id = ? AND id = ?'),
      activeKey: db.prepare("SELECT id FROM data_keys WHERE state = 'active'"),
      dataKeyExists: db.prepare('SELECT 1 FROM data_keys WHERE id = ?'),
      retireValue: db.prepare(`INSERT INTO secret_versions (${VERSION_COLUMNS.join(', ')}) VALUES (${VERSION_COLUMNS.map(() => '?').join(', ')})`),
      versionsKept: db.prepare('SELECT versions_kept FROM accounts WHERE id = ?').pluck(),
      pruneVersions: db.prepare('DELETE FROM secret_versions WHERE account_id = ? AND secret_name = ? AND value_version <= ?'),
      accessRequest: db.prepare('SELECT * FROM access_requests WHERE account_id = ? AND id = ?'),
      grantExists: db.prepare('SELECT 1 FROM grants WHERE account_id = ? AND secret_name = ? AND agent_id = ?'),
    };
  }

  async close(): Promise<void> {
    const background = this.background?.close();
    this.db.close();
    this.accessLog.close();
    await background;
  }

  generation(): number {
    return this.granted.generation;
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
      .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`)
      .get(id) as Account | undefined;
  }

  async listAccounts(): Promise<Account[]> {
    return this.db
      .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at`)
      .all() as Account[];
  }

  async updateAccountSettings(accountId: string, settings: AccountSettingsChange, mutation: Mutation): Promise<Account | undefined> {
    let pruned = 0;
    const changed = this.tx(() => {
      const r = this.db
        .prepare('UPDATE accounts SET local_runs = COALESCE(?, local_runs), versions_kept = COALESCE(?, versions_kept) WHERE id = ?')
        .run(settings.localRuns ?? null, settings.versionsKept ?? null, accountId);
      if (r.changes === 0) return false;
      // Local runs back to admins: developers' run tokens stop now, in this transaction (auth.ts
      // refuses them anyway; revoking them keeps the token list honest and the refusal permanent).
      if (settings.localRuns === 'admins') {
        const revoked = this.db
          .prepare(
            `UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL AND minted_by IN
               (SELECT id FROM tokens WHERE account_id = ? AND kind = 'user' AND role = 'developer') RETURNING id, agent_id`,
          )
          .all(mutation.now, accountId, accountId) as { id: string; agent_id: string }[];
        this.auditRunTokenRevocations(mutation, revoked, 'local runs returned to admins');
      }
      // Fewer versions kept: every secret's values beyond the new number go now (the current one always stays).
      if (settings.versionsKept !== undefined) {
        pruned = this.db
          .prepare(
            `DELETE FROM secret_versions WHERE account_id = ? AND value_version <=
               (SELECT s.value_version FROM secrets s WHERE s.account_id = secret_versions.account_id AND s.name = secret_versions.secret_name) - ?`,
          )
          .run(accountId, settings.versionsKept).changes;
      }
      this.audit(mutation);
      return true;
    });
    if (pruned > 0) this.shred();
    return changed ? this.getAccount(accountId) : undefined;
  }

  async insertToken(token: TokenRow, mutation: Mutation | null): Promise<void> {
    this.tx(() => {
      this.db
        .prepare(
          'INSERT INTO tokens (id, account_id, digest, kind, role, agent_id, name, created_at, revoked_at, expires_at, minted_by, minted_by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)',
        )
        .run(token.id, token.accountId, token.digest, token.kind, token.role, token.agentId, token.name, token.createdAt, token.expiresAt ?? null, token.mintedBy ?? null, token.mintedByName ?? null);
      if (mutation) this.audit(mutation);
    });
  }

  async findTokenByDigest(digest: Buffer): Promise<TokenRow | undefined> {
    const r = this.stmt.tokenByDigest.get(digest) as TokenDbRow | undefined;
    return r && toTokenRow(r);
  }

  async findToken(accountId: string, id: string): Promise<TokenRow | undefined> {
    const r = this.db.prepare('SELECT * FROM tokens WHERE account_id = ? AND id = ?').get(accountId, id) as TokenDbRow | undefined;
    return r && toTokenRow(r);
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
      // A user key's run tokens go with it, in this transaction: a stolen key's tokens must not outlive it.
      if (row.kind === 'user') {
        const minted = this.db
          .prepare('UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND minted_by = ? AND revoked_at IS NULL RETURNING id, agent_id')
          .all(mutation.now, accountId, id) as { id: string; agent_id: string }[];
        this.auditRunTokenRevocations(mutation, minted, `its minter ${id} revoked`);
      }
      return 'revoked';
    });
  }

  /** One `agent.runtoken.revoke` record per run token revoked as a consequence of `mutation`. */
  private auditRunTokenRevocations(mutation: Mutation, tokens: { id: string; agent_id: string }[], why: string): void {
    for (const t of tokens) {
      this.audit({ ...mutation, audit: { ...mutation.audit, action: 'agent.runtoken.revoke', target: t.agent_id, detail: `id: ${t.id}; ${why}` } });
    }
  }

  async listAgentTokens(accountId: string, agentId: string): Promise<TokenRow[]> {
    const rows = this.db
      .prepare(`${TOKEN_SELECT} WHERE t.account_id = ? AND t.kind = 'agent' AND t.agent_id = ? AND t.revoked_at IS NULL ORDER BY t.created_at, t.id`)
      .all(accountId, agentId) as TokenDbRow[];
    return rows.map(toTokenRow);
  }

  async pruneTokens(cutoff: Date): Promise<number> {
    const at = cutoff.toISOString();
    return this.tx(() => this.db.prepare('DELETE FROM tokens WHERE revoked_at < ? OR expires_at < ?').run(at, at).changes);
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
    const fold = agentIdFold(agent.id);
    return this.tx((): WriteResult<Agent> => {
      const existing = this.db.prepare('SELECT id FROM agents WHERE account_id = ? AND (id = ? OR id_fold = ?)').pluck().get(accountId, agent.id, fold) as string | undefined;
      if (existing !== undefined) return { ok: false, reason: 'exists', existing };
      this.db
        .prepare('INSERT INTO agents (account_id, id, id_fold, name, description, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(accountId, agent.id, fold, agent.name, agent.description, agent.createdAt);
      this.audit(mutation);
      return { ok: true, value: agent, events: [this.event(accountId, mutation.now, { type: 'agent.created', agent })] };
    });
  }

  async updateAgent(accountId: string, id: string, change: AgentChange, mutation: Mutation): Promise<WriteResult<Agent>> {
    return this.tx((): WriteResult<Agent> => {
      this.db
        .prepare('UPDATE agents SET name = COALESCE(?, name), description = COALESCE(?, description) WHERE account_id = ? AND id = ?')
        .run(change.name ?? null, change.description ?? null, accountId, id);
      const agent = this.stmt.agent.get(accountId, id) as Agent | undefined;
      if (!agent) return { ok: false, reason: 'missing' };
      this.audit(mutation);
      return { ok: true, value: agent, events: [this.event(accountId, mutation.now, { type: 'agent.updated', agent })] };
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
    return row && toSecretRow(row, this.metadata(row).agents);
  }

  async createSecret(accountId: string, secret: NewSecret, mutation: Mutation): Promise<WriteResult<SecretMetadata>> {
    const fold = nameFold(secret.name);
    return this.tx((): WriteResult<SecretMetadata> => {
      // The name itself, or a twin differing only in case or spacing (see nameFold).
      const existing = this.db.prepare('SELECT name FROM secrets WHERE account_id = ? AND (name = ? OR name_fold = ?)').pluck().get(accountId, secret.name, fold) as string | undefined;
      if (existing !== undefined) return { ok: false, reason: 'exists', existing };
      if (!this.stmt.dataKeyExists.get(secret.sealed.keyId)) return { ok: false, reason: 'stale-key' };
      const unknown = this.missingAgent(accountId, secret.agents);
      if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      this.db
        .prepare(
          `INSERT INTO secrets (account_id, name, name_fold, description, kind, keys, version, value_version, created_at, updated_at, updated_by, key_id, nonce, ciphertext,
             value_updated_at, value_updated_by, expires_at, rotation_days, value_mac)
           VALUES (?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          accountId,
          secret.name,
          fold,
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
    let pruned = 0;
    const result = this.tx((): WriteResult<SecretMetadata> => {
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
      const valueVersion = change.sealed ? row.value_version + 1 : row.value_version;
      if (change.sealed) {
        // The value it replaces is kept as it is (its ciphertext still sealed for its own version),
        // and the values beyond the account's versionsKept (the new one counted) are deleted.
        this.stmt.retireValue.run(...retiredValue(row));
        const kept = (this.stmt.versionsKept.get(accountId) as number | undefined) ?? DEFAULT_VERSIONS_KEPT;
        pruned = this.stmt.pruneVersions.run(accountId, name, valueVersion - kept).changes;
      }
      this.db
        .prepare(
          `UPDATE secrets SET description = ?, kind = ?, keys = ?, version = ?, value_version = ?, updated_at = ?, updated_by = ?, key_id = ?, nonce = ?, ciphertext = ?,
             value_updated_at = ?, value_updated_by = ?, restored_from = ?, expires_at = ?, rotation_days = ?, value_mac = ?
           WHERE account_id = ? AND name = ? AND version = ?`,
        )
        .run(
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
          sealed.mac ?? null,
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
    // A pruned value is a deleted one: out of the WAL too.
    if (pruned > 0) this.shred();
    return result;
  }

  async deleteSecret(accountId: string, name: string, expectedVersion: number | undefined, mutation: Mutation): Promise<WriteResult<null>> {
    const result = this.tx((): WriteResult<null> => {
      const row = this.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return { ok: false, reason: 'missing' };
      if (expectedVersion !== undefined && row.version !== expectedVersion) {
        return { ok: false, reason: 'conflict', currentVersion: row.version };
      }
      this.stmt.deleteGrants.run(accountId, name);
      // Every kept value goes with it; secure_delete zeroes the freed pages.
      this.db.prepare('DELETE FROM secret_versions WHERE account_id = ? AND secret_name = ?').run(accountId, name);
      this.db.prepare('DELETE FROM secrets WHERE account_id = ? AND name = ?').run(accountId, name);
      this.audit(mutation);
      return { ok: true, value: null, events: [this.event(accountId, mutation.now, { type: 'secret.deleted', name })] };
    });
    // Committed: now out of the WAL, which held the values' earlier page images (issue 32, finding 5).
    if (result.ok) this.shred();
    return result;
  }

  async readGranted(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined> {
    // Cached, but never stale: the cache first checks that nothing in vault.db has changed since
    // the cached answers were read, so an access change, a rotation or a tampered row made by any
    // process takes effect on the very next read. The cache holds ciphertext, never a value.
    this.granted.current();
    return this.granted.lookup(accountId, name, agent);
  }

  grantedReader(): GrantedReader {
    // One check for the whole batch. A write committed after it (by anyone) may or may not show
    // in the batch's answers; either is right, since those requests were already in flight.
    this.granted.current();
    return this.batchReader;
  }

  private readonly batchReader: GrantedReader = {
    checked: Promise.resolve(),
    readGranted: async (accountId, name, agent) => this.granted.lookup(accountId, name, agent),
  };

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
    return listAuditRecords(this.db, this.accessLog, accountId, before, limit);
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
    return rows.map((row) => ({ ...toSecretRow(row, []), accountId: row.account_id }));
  }

  async resealSecret(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    const info = this.db
      .prepare('UPDATE secrets SET key_id = ?, nonce = ?, ciphertext = ?, value_mac = ? WHERE account_id = ? AND name = ? AND value_version = ? AND key_id = ? AND nonce = ?')
      .run(sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.mac ?? null, accountId, name, valueVersion, previous.keyId, previous.nonce);
    return info.changes > 0;
  }

  async secretsWithoutMac(limit: number): Promise<OldValueRow[]> {
    const rows = this.db
      .prepare('SELECT account_id, name AS secret_name, value_version, key_id, nonce, ciphertext FROM secrets WHERE value_mac IS NULL ORDER BY account_id, name LIMIT ?')
      .all(limit) as VersionDbRow[];
    return rows.map(toOldValue);
  }

  async setValueMac(accountId: string, name: string, valueVersion: number, sealed: SealedValue, mac: Buffer): Promise<boolean> {
    const info = this.db
      .prepare('UPDATE secrets SET value_mac = ? WHERE account_id = ? AND name = ? AND value_version = ? AND key_id = ? AND nonce = ? AND value_mac IS NULL')
      .run(mac, accountId, name, valueVersion, sealed.keyId, sealed.nonce);
    return info.changes > 0;
  }

  async dropUnusedDataKeys(): Promise<string[]> {
    const dropped = this.tx(() => {
      const unused = this.db
        .prepare(
          "SELECT id FROM data_keys WHERE state = 'retired' AND id NOT IN (SELECT key_id FROM secrets UNION SELECT key_id FROM secret_versions)",
        )
        .all() as { id: string }[];
      const del = this.db.prepare('DELETE FROM data_keys WHERE id = ?');
      for (const u of unused) del.run(u.id);
      return unused.map((u) => u.id);
    });
    // A dropped data key leaves the WAL too: what it sealed is then unreadable in any old page image.
    if (dropped.length > 0) this.shred();
    return dropped;
  }

  // ---- kept values ----

  async listSecretVersions(accountId: string, name: string): Promise<SecretVersionInfo[] | undefined> {
    // One read transaction: the current value and the older ones of one moment.
    return this.db.transaction((): SecretVersionInfo[] | undefined => {
      const row = this.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return undefined;
      const older = this.db
        .prepare('SELECT * FROM secret_versions WHERE account_id = ? AND secret_name = ? ORDER BY value_version DESC')
        .all(accountId, name) as VersionDbRow[];
      return [currentVersionInfo(row), ...older.map(olderVersionInfo)];
    }).deferred();
  }

  async getSecretVersion(accountId: string, name: string, valueVersion: number): Promise<SecretVersionRow | undefined> {
    return this.db.transaction((): SecretVersionRow | undefined => {
      const row = this.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return undefined;
      if (row.value_version === valueVersion) return currentVersionRow(row);
      const old = this.db
        .prepare('SELECT * FROM secret_versions WHERE account_id = ? AND secret_name = ? AND value_version = ?')
        .get(accountId, name, valueVersion) as VersionDbRow | undefined;
      return old && olderVersionRow(old);
    }).deferred();
  }

  async secretVersionsNotUnder(
    keyId: string,
    limit: number,
    after: { accountId: string; name: string; valueVersion: number } = { accountId: '', name: '', valueVersion: 0 },
  ): Promise<OldValueRow[]> {
    const rows = this.db
      .prepare(
        `SELECT account_id, secret_name, value_version, key_id, nonce, ciphertext FROM secret_versions
         WHERE key_id != ? AND (account_id, secret_name, value_version) > (?, ?, ?) ORDER BY account_id, secret_name, value_version LIMIT ?`,
      )
      .all(keyId, after.accountId, after.name, after.valueVersion, limit) as VersionDbRow[];
    return rows.map(toOldValue);
  }

  async resealSecretVersion(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    const info = this.db
      .prepare(
        'UPDATE secret_versions SET key_id = ?, nonce = ?, ciphertext = ? WHERE account_id = ? AND secret_name = ? AND value_version = ? AND key_id = ? AND nonce = ?',
      )
      .run(sealed.keyId, sealed.nonce, sealed.ciphertext, accountId, name, valueVersion, previous.keyId, previous.nonce);
    return info.changes > 0;
  }

  // ---- access requests ----

  async createAccessRequest(accountId: string, request: NewAccessRequest, limits: PendingLimits, mutation: Mutation): Promise<AccessRequestWrite> {
    return this.tx((): AccessRequestWrite => {
      if (!this.stmt.agent.get(accountId, request.agent)) return { outcome: 'unknown-agent' };
      const secretExists = this.stmt.secret.get(accountId, request.secret) !== undefined;
      if (secretExists && this.stmt.grantExists.get(accountId, request.secret, request.agent)) return { outcome: 'granted' };
      const pending = this.db
        .prepare("SELECT * FROM access_requests WHERE account_id = ? AND secret_name = ? AND agent_id = ? AND status = 'pending'")
        .get(accountId, request.secret, request.agent) as AccessRequestDbRow | undefined;
      if (pending) return { outcome: 'pending', request: toAccessRequest(pending) };
      // Pending rows are few (the limits bound them), so counting through the (account, status) index is cheap.
      const own = this.db
        .prepare("SELECT COUNT(*) FROM access_requests WHERE account_id = ? AND status = 'pending' AND requested_by_id = ?")
        .pluck()
        .get(accountId, request.requestedById) as number;
      if (own >= limits.perRequester) return { outcome: 'requester-limit' };
      if (own >= limits.share) {
        const count = this.db.prepare("SELECT COUNT(*) FROM access_requests WHERE account_id = ? AND status = 'pending'").pluck().get(accountId) as number;
        if (count >= limits.account) return { outcome: 'limit' };
      }
      const row = newRequestRow(accountId, request, !secretExists);
      this.db
        .prepare(`INSERT INTO access_requests (${ACCESS_REQUEST_COLUMNS.join(', ')}) VALUES (${ACCESS_REQUEST_COLUMNS.map(() => '?').join(', ')})`)
        .run(...ACCESS_REQUEST_COLUMNS.map((c) => (typeof row[c] === 'boolean' ? Number(row[c]) : row[c])));
      this.audit(mutation);
      const created = toAccessRequest(row);
      return { outcome: 'created', request: created, events: [this.event(accountId, mutation.now, { type: 'access.requested', request: created })] };
    });
  }

  async listAccessRequests(accountId: string, status: AccessRequestStatus | undefined, limit: number): Promise<AccessRequest[]> {
    const rows = (
      status === undefined
        ? this.db.prepare('SELECT * FROM access_requests WHERE account_id = ? ORDER BY n DESC LIMIT ?').all(accountId, limit)
        : this.db.prepare('SELECT * FROM access_requests WHERE account_id = ? AND status = ? ORDER BY n DESC LIMIT ?').all(accountId, status, limit)
    ) as AccessRequestDbRow[];
    return rows.map(toAccessRequest);
  }

  async getAccessRequest(accountId: string, id: string): Promise<AccessRequest | undefined> {
    const row = this.stmt.accessRequest.get(accountId, id) as AccessRequestDbRow | undefined;
    return row && toAccessRequest(row);
  }

  async decideAccessRequest(accountId: string, id: string, decision: AccessDecision, mutation: Mutation): Promise<AccessDecisionWrite> {
    return this.tx((): AccessDecisionWrite => {
      const row = this.stmt.accessRequest.get(accountId, id) as AccessRequestDbRow | undefined;
      if (!row) return { outcome: 'missing' };
      if (row.status !== 'pending') return { outcome: 'already-decided', request: toAccessRequest(row) };
      const events: VaultEvent[] = [];
      let detail = `request: ${id}; agent: ${row.agent_id}`;
      if (decision.approve) {
        const secret = this.stmt.secret.get(accountId, row.secret_name) as SecretDbRow | undefined;
        if (!secret) return { outcome: 'no-secret', request: toAccessRequest(row) };
        if (!this.stmt.agent.get(accountId, row.agent_id)) return { outcome: 'unknown-agent', request: toAccessRequest(row) };
        if (this.stmt.grantExists.get(accountId, row.secret_name, row.agent_id)) detail += '; already granted';
        else {
          // The grant, as setGrant makes it: a new metadata version, the value untouched.
          this.stmt.insertGrant.run(accountId, row.secret_name, row.agent_id);
          this.db
            .prepare('UPDATE secrets SET version = version + 1, updated_at = ?, updated_by = ? WHERE account_id = ? AND name = ?')
            .run(mutation.now, mutation.audit.actor, accountId, row.secret_name);
          events.push({ type: 'access.changed', secret: this.metadata(this.stmt.secret.get(accountId, row.secret_name) as SecretDbRow) });
          detail += '; granted';
        }
      }
      const status = decision.approve ? 'approved' : 'denied';
      const reason = decision.approve ? null : decision.reason;
      this.db
        .prepare('UPDATE access_requests SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ? WHERE account_id = ? AND id = ?')
        .run(status, mutation.now, mutation.audit.actor, reason, accountId, id);
      this.audit(mutation, 'success', mutation.audit.detail ? `${detail}; ${mutation.audit.detail}` : detail);
      const request = toAccessRequest({ ...row, status, decided_at: mutation.now, decided_by: mutation.audit.actor, decision_reason: reason });
      events.push({ type: 'access.decided', request: decidedEventRequest(request) });
      return { outcome: 'decided', request, events: events.map((e) => this.event(accountId, mutation.now, e)) };
    });
  }

  async denyAccessRequests(
    accountId: string,
    filter: BulkDenyFilter,
    reason: string,
    limit: number,
    mutation: Mutation,
  ): Promise<{ requests: AccessRequest[]; more: boolean; events: VaultEventEnvelope[] }> {
    return this.tx(() => {
      const base = "SELECT * FROM access_requests WHERE account_id = ? AND status = 'pending'";
      let rows: AccessRequestDbRow[];
      if ('ids' in filter) {
        const byId = this.db.prepare(`${base} AND id = ?`);
        rows = [...new Set(filter.ids)].slice(0, limit + 1).flatMap((id) => (byId.get(accountId, id) as AccessRequestDbRow | undefined) ?? []);
      } else if ('requestedById' in filter) {
        rows = this.db.prepare(`${base} AND requested_by_id = ? ORDER BY n LIMIT ?`).all(accountId, filter.requestedById, limit + 1) as AccessRequestDbRow[];
      } else {
        rows = this.db.prepare(`${base} ORDER BY n LIMIT ?`).all(accountId, limit + 1) as AccessRequestDbRow[];
      }
      const more = rows.length > limit;
      const update = this.db.prepare('UPDATE access_requests SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ? WHERE account_id = ? AND id = ?');
      const requests: AccessRequest[] = [];
      const events: VaultEventEnvelope[] = [];
      for (const row of rows.slice(0, limit)) {
        update.run('denied', mutation.now, mutation.audit.actor, reason, accountId, row.id);
        // One record per request, as a single deny writes it: the audit is searched by secret.
        const detail = `request: ${row.id}; agent: ${row.agent_id}${mutation.audit.detail ? `; ${mutation.audit.detail}` : ''}`;
        this.audit({ ...mutation, audit: { ...mutation.audit, target: row.secret_name } }, 'success', detail);
        const request = toAccessRequest({ ...row, status: 'denied', decided_at: mutation.now, decided_by: mutation.audit.actor, decision_reason: reason });
        requests.push(request);
        events.push(this.event(accountId, mutation.now, { type: 'access.decided', request: decidedEventRequest(request) }));
      }
      return { requests, more, events };
    });
  }

  async pruneAccessRequests(cutoff: Date): Promise<number> {
    // decided_at is ISO 8601 in UTC (toISOString), so text order is time order.
    return this.tx(() => this.db.prepare("DELETE FROM access_requests WHERE status != 'pending' AND decided_at < ?").run(cutoff.toISOString()).changes);
  }
}


