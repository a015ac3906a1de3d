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
// SqliteStore is a facade: each method hands the call to its resource's module, and the modules
// share one SqliteContext (sqliteContext.ts: both files, the prepared statements, transactions, and the
// audit record and event of each mutation). The modules: accounts.ts (accounts and tokens),
// agents.ts, secrets.ts (secrets and their kept values), runtime.ts (run-time reads), audit.ts
// (audit records and events), keys.ts (data keys, meta and re-encryption), accessRequests.ts and
// accessChanges.ts (a batch of grants and revokes, decided by ../accessChanges.ts).
// Beside them: schema.ts (both schemas and their migrations), accessLog.ts (audit.db's file, the
// audit clock and the merged listing), lastReads.ts (each secret's last read per agent, in audit.db), grantedCache.ts (the run-time read cache); ../rows.ts maps
// rows for both stores.

import Database from 'better-sqlite3';
import { createPrivateFile, FILE_MODE, tighten } from '../files';
import type {
  AccessChange,
  AccessRequest,
  AccessRequestStatus,
  Agent,
  AuditRecord,
  SecretLastRead,
  SecretMetadata,
  SecretVersionInfo,
  UserKey,
  VaultEventEnvelope,
} from '../../../../protocol/api';
import type {
  AccessChangesWrite,
  AccessDecision,
  DescribeAccessChanges,
  AccessDecisionWrite,
  AccessRequestWrite,
  Account,
  AgentChange,
  AccountSettingsChange,
  AgentLastRead,
  AuditEntry,
  BulkDenyFilter,
  DataKeyRow,
  GrantedReader,
  GrantedValue,
  LastReadEntry,
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

export class SqliteStore implements VaultStore {
  readonly db: Database.Database;
  /** The access log (audit.db): read here for listings; appended to by the background worker. */
  readonly accessLog: Database.Database;
  private readonly ctx: SqliteContext;
  private readonly accounts: SqliteAccounts;
  private readonly agents: SqliteAgents;
  private readonly secrets: SqliteSecrets;
  private readonly runtime: SqliteRuntime;
  private readonly auditLog: SqliteAudit;
  private readonly keys: SqliteKeys;
  private readonly accessRequests: SqliteAccessRequests;
  private readonly accessChanges: SqliteAccessChanges;
  private readonly lastReadLog: SqliteLastReads;

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
    this.accounts = new SqliteAccounts(this.ctx);
    this.agents = new SqliteAgents(this.ctx);
    this.secrets = new SqliteSecrets(this.ctx);
    this.auditLog = new SqliteAudit(this.ctx, logFile, options.synchronous ?? 'FULL');
    this.keys = new SqliteKeys(this.ctx);
    this.accessRequests = new SqliteAccessRequests(this.ctx);
    this.accessChanges = new SqliteAccessChanges(this.ctx);
    this.runtime = new SqliteRuntime(this.ctx);
    this.lastReadLog = new SqliteLastReads(this.ctx);
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
    return this.runtime.generation();
  }

  // ---- accounts and tokens ----

  createAccount(account: Account, mutation: Mutation | null): Promise<void> {
    return this.accounts.createAccount(account, mutation);
  }

  getAccount(id: string): Promise<Account | undefined> {
    return this.accounts.getAccount(id);
  }

  listAccounts(): Promise<Account[]> {
    return this.accounts.listAccounts();
  }

  updateAccountSettings(accountId: string, settings: AccountSettingsChange, mutation: Mutation): Promise<Account | undefined> {
    return this.accounts.updateAccountSettings(accountId, settings, mutation);
  }

  insertToken(token: TokenRow, mutation: Mutation | null): Promise<void> {
    return this.accounts.insertToken(token, mutation);
  }

  findTokenByDigest(digest: Buffer): Promise<TokenRow | undefined> {
    return this.accounts.findTokenByDigest(digest);
  }

  findToken(accountId: string, id: string): Promise<TokenRow | undefined> {
    return this.accounts.findToken(accountId, id);
  }

  listUserKeys(accountId: string): Promise<UserKey[]> {
    return this.accounts.listUserKeys(accountId);
  }

  revokeToken(accountId: string, id: string, mutation: Mutation): Promise<RevokeResult> {
    return this.accounts.revokeToken(accountId, id, mutation);
  }

  listAgentTokens(accountId: string, agentId: string): Promise<TokenRow[]> {
    return this.accounts.listAgentTokens(accountId, agentId);
  }

  pruneTokens(cutoff: Date): Promise<number> {
    return this.accounts.pruneTokens(cutoff);
  }

  // ---- agents ----

  listAgents(accountId: string): Promise<Agent[]> {
    return this.agents.listAgents(accountId);
  }

  getAgent(accountId: string, id: string): Promise<Agent | undefined> {
    return this.agents.getAgent(accountId, id);
  }

  async createAgent(accountId: string, agent: Agent, mutation: Mutation): Promise<WriteResult<Agent>> {
    const r = await this.agents.createAgent(accountId, agent, mutation);
    if (r.ok) this.lastReadLog.forgetAgent(accountId, agent.id);
    return r;
  }

  updateAgent(accountId: string, id: string, change: AgentChange, mutation: Mutation): Promise<WriteResult<Agent>> {
    return this.agents.updateAgent(accountId, id, change, mutation);
  }

  async deleteAgent(accountId: string, id: string, mutation: Mutation): Promise<WriteResult<null>> {
    const r = await this.agents.deleteAgent(accountId, id, mutation);
    if (r.ok) this.lastReadLog.forgetAgent(accountId, id);
    return r;
  }

  // ---- secrets and kept values ----

  listSecrets(accountId: string, agent?: string): Promise<SecretMetadata[]> {
    return this.secrets.listSecrets(accountId, agent);
  }

  getSecret(accountId: string, name: string): Promise<SecretRow | undefined> {
    return this.secrets.getSecret(accountId, name);
  }

  async createSecret(accountId: string, secret: NewSecret, mutation: Mutation): Promise<WriteResult<SecretMetadata>> {
    const r = await this.secrets.createSecret(accountId, secret, mutation);
    if (r.ok) this.lastReadLog.forgetSecret(accountId, secret.name);
    return r;
  }

  updateSecret(
    accountId: string,
    name: string,
    change: SecretChange,
    mutation: Mutation,
    eventType: 'secret.updated' | 'access.changed',
  ): Promise<WriteResult<SecretMetadata>> {
    return this.secrets.updateSecret(accountId, name, change, mutation, eventType);
  }

  async deleteSecret(accountId: string, name: string, expectedVersion: number | undefined, mutation: Mutation): Promise<WriteResult<null>> {
    const r = await this.secrets.deleteSecret(accountId, name, expectedVersion, mutation);
    if (r.ok) this.lastReadLog.forgetSecret(accountId, name);
    return r;
  }

  listSecretVersions(accountId: string, name: string): Promise<SecretVersionInfo[] | undefined> {
    return this.secrets.listSecretVersions(accountId, name);
  }

  getSecretVersion(accountId: string, name: string, valueVersion: number): Promise<SecretVersionRow | undefined> {
    return this.secrets.getSecretVersion(accountId, name, valueVersion);
  }

  secretVersionsNotUnder(keyId: string, limit: number, after?: { accountId: string; name: string; valueVersion: number }): Promise<OldValueRow[]> {
    return this.secrets.secretVersionsNotUnder(keyId, limit, after);
  }

  resealSecretVersion(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    return this.secrets.resealSecretVersion(accountId, name, valueVersion, sealed, previous);
  }

  // ---- run-time reads ----

  readGranted(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined> {
    return this.runtime.readGranted(accountId, name, agent);
  }

  grantedReader(): GrantedReader {
    return this.runtime.grantedReader();
  }

  listGranted(accountId: string, agent: string): Promise<GrantedValue[]> {
    return this.runtime.listGranted(accountId, agent);
  }

  // ---- audit and events ----

  /** Appends to the access log from a worker thread (see auditWorker.ts); used for run-time reads. */
  appendAuditInBackground(entries: AuditEntry[], now: string, reads?: LastReadEntry[]): Promise<void> {
    return this.auditLog.appendAuditInBackground(entries, now, reads);
  }

  lastReads(accountId: string, name: string): Promise<SecretLastRead[]> {
    return this.lastReadLog.lastReads(accountId, name);
  }

  agentReads(accountId: string, agent: string): Promise<AgentLastRead[]> {
    return this.lastReadLog.agentReads(accountId, agent);
  }

  appendAudit(entries: AuditEntry[], now: string): Promise<void> {
    return this.auditLog.appendAudit(entries, now);
  }

  appendSystemAudit(entries: AuditEntry[], now: string): Promise<void> {
    return this.auditLog.appendSystemAudit(entries, now);
  }

  pruneAudit(cutoff: Date, actor: Pick<AuditEntry, 'actor' | 'actorId'>, now: string): Promise<PruneReport> {
    return this.auditLog.pruneAudit(cutoff, actor, now);
  }

  listAudit(accountId: string, before: string | undefined, limit: number): Promise<AuditRecord[] | undefined> {
    return this.auditLog.listAudit(accountId, before, limit);
  }

  eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]> {
    return this.auditLog.eventsAfter(accountId, afterId, limit);
  }

  oldestEventId(accountId: string): Promise<number> {
    return this.auditLog.oldestEventId(accountId);
  }

  lastEventId(accountId: string): Promise<number> {
    return this.auditLog.lastEventId(accountId);
  }

  // ---- keys ----

  listDataKeys(): Promise<DataKeyRow[]> {
    return this.keys.listDataKeys();
  }

  getDataKey(id: string): Promise<DataKeyRow | undefined> {
    return this.keys.getDataKey(id);
  }

  activeDataKeyId(): Promise<string | undefined> {
    return this.keys.activeDataKeyId();
  }

  addDataKey(key: DataKeyRow): Promise<void> {
    return this.keys.addDataKey(key);
  }

  rewrapDataKeys(keys: DataKeyRow[]): Promise<void> {
    return this.keys.rewrapDataKeys(keys);
  }

  getMeta(key: string): Promise<Buffer | undefined> {
    return this.keys.getMeta(key);
  }

  setMeta(key: string, value: Buffer): Promise<void> {
    return this.keys.setMeta(key, value);
  }

  secretsNotUnder(keyId: string, limit: number, after?: { accountId: string; name: string }): Promise<(SecretRow & { accountId: string })[]> {
    return this.keys.secretsNotUnder(keyId, limit, after);
  }

  resealSecret(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    return this.keys.resealSecret(accountId, name, valueVersion, sealed, previous);
  }

  secretsWithoutMac(limit: number): Promise<OldValueRow[]> {
    return this.keys.secretsWithoutMac(limit);
  }

  setValueMac(accountId: string, name: string, valueVersion: number, sealed: SealedValue, mac: Buffer): Promise<boolean> {
    return this.keys.setValueMac(accountId, name, valueVersion, sealed, mac);
  }

  dropUnusedDataKeys(): Promise<string[]> {
    return this.keys.dropUnusedDataKeys();
  }

  applyAccessChanges(accountId: string, changes: readonly AccessChange[], mutation: Mutation, describe: DescribeAccessChanges): Promise<AccessChangesWrite> {
    return this.accessChanges.applyAccessChanges(accountId, changes, mutation, describe);
  }

  // ---- access requests ----

  createAccessRequest(accountId: string, request: NewAccessRequest, limits: PendingLimits, mutation: Mutation): Promise<AccessRequestWrite> {
    return this.accessRequests.createAccessRequest(accountId, request, limits, mutation);
  }

  listAccessRequests(accountId: string, status: AccessRequestStatus | undefined, limit: number): Promise<AccessRequest[]> {
    return this.accessRequests.listAccessRequests(accountId, status, limit);
  }

  getAccessRequest(accountId: string, id: string): Promise<AccessRequest | undefined> {
    return this.accessRequests.getAccessRequest(accountId, id);
  }

  decideAccessRequest(accountId: string, id: string, decision: AccessDecision, mutation: Mutation): Promise<AccessDecisionWrite> {
    return this.accessRequests.decideAccessRequest(accountId, id, decision, mutation);
  }

  denyAccessRequests(
    accountId: string,
    filter: BulkDenyFilter,
    reason: string,
    limit: number,
    mutation: Mutation,
  ): Promise<{ requests: AccessRequest[]; more: boolean; events: VaultEventEnvelope[] }> {
    return this.accessRequests.denyAccessRequests(accountId, filter, reason, limit, mutation);
  }

  pruneAccessRequests(cutoff: Date): Promise<number> {
    return this.accessRequests.pruneAccessRequests(cutoff);
  }
}
