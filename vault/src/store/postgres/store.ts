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
// PostgresStore is a facade: each method hands the call to its resource's module, and the modules
// share one PgContext (pgContext.ts: the pool, transactions, and the audit record and event of each
// mutation). The modules: accounts.ts (accounts and tokens), agents.ts, secrets.ts (secrets and
// their kept values), runtime.ts (run-time reads), audit.ts (audit records and events), keys.ts
// (data keys, meta and re-encryption), accessRequests.ts, accessChanges.ts and lastReads.ts. Beside them: schema.ts (schema,
// triggers, migrations), pool.ts (connections, timeouts, errors), grantedCache.ts (the run-time
// read cache), listener.ts (LISTEN/NOTIFY wake-ups for watch()); ../rows.ts maps rows for both
// stores, since the columns are the same in both schemas.

import type { AccessChange, AccessRequest, AccessRequestStatus, Agent, AuditRecord, SecretLastRead, SecretMetadata, SecretVersionInfo, UserKey, VaultEventEnvelope } from '../../../../protocol/api';
import type {
  AgentChange,
  AgentLastRead,
  AccessChangesWrite,
  AccessDecision,
  DescribeAccessChanges,
  AccessDecisionWrite,
  AccessRequestWrite,
  Account,
  AccountSettingsChange,
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
  StoreSignal,
  TokenRow,
  VaultStore,
  WriteResult,
} from '../types';
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

export class PostgresStore implements VaultStore {
  private readonly ctx: PgContext;
  private readonly listener: ChangeListener;
  private readonly accounts: PgAccounts;
  private readonly agents: PgAgents;
  private readonly secrets: PgSecrets;
  private readonly runtime: PgRuntime;
  private readonly auditLog: PgAudit;
  private readonly keys: PgKeys;
  private readonly accessRequests: PgAccessRequests;
  private readonly accessChanges: PgAccessChanges;
  private readonly lastReadLog: PgLastReads;

  private constructor(options: PostgresOptions) {
    this.ctx = new PgContext(createPool(options));
    this.listener = new ChangeListener(connectionConfig(options));
    this.accounts = new PgAccounts(this.ctx);
    this.agents = new PgAgents(this.ctx);
    this.secrets = new PgSecrets(this.ctx);
    this.auditLog = new PgAudit(this.ctx);
    this.keys = new PgKeys(this.ctx);
    this.accessRequests = new PgAccessRequests(this.ctx);
    this.accessChanges = new PgAccessChanges(this.ctx);
    this.runtime = new PgRuntime(this.ctx);
    this.lastReadLog = new PgLastReads(this.ctx);
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
    return this.runtime.generation();
  }

  watch(listener: (signal: StoreSignal) => void): () => void {
    return this.listener.add(listener);
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

  insertToken(token: TokenRow, mutation: Mutation | null): Promise<void> {
    return this.accounts.insertToken(token, mutation);
  }

  findTokenByDigest(digest: Buffer): Promise<TokenRow | undefined> {
    return this.accounts.findTokenByDigest(digest);
  }

  findToken(accountId: string, id: string): Promise<TokenRow | undefined> {
    return this.accounts.findToken(accountId, id);
  }

  updateAccountSettings(accountId: string, settings: AccountSettingsChange, mutation: Mutation): Promise<Account | undefined> {
    return this.accounts.updateAccountSettings(accountId, settings, mutation);
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

  createAgent(accountId: string, agent: Agent, mutation: Mutation): Promise<WriteResult<Agent>> {
    return this.agents.createAgent(accountId, agent, mutation);
  }

  updateAgent(accountId: string, id: string, change: AgentChange, mutation: Mutation): Promise<WriteResult<Agent>> {
    return this.agents.updateAgent(accountId, id, change, mutation);
  }

  deleteAgent(accountId: string, id: string, mutation: Mutation): Promise<WriteResult<null>> {
    return this.agents.deleteAgent(accountId, id, mutation);
  }

  // ---- secrets and kept values ----

  listSecrets(accountId: string, agent?: string): Promise<SecretMetadata[]> {
    return this.secrets.listSecrets(accountId, agent);
  }

  getSecret(accountId: string, name: string): Promise<SecretRow | undefined> {
    return this.secrets.getSecret(accountId, name);
  }

  createSecret(accountId: string, secret: NewSecret, mutation: Mutation): Promise<WriteResult<SecretMetadata>> {
    return this.secrets.createSecret(accountId, secret, mutation);
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

  deleteSecret(accountId: string, name: string, expectedVersion: number | undefined, mutation: Mutation): Promise<WriteResult<null>> {
    return this.secrets.deleteSecret(accountId, name, expectedVersion, mutation);
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

  appendAudit(entries: AuditEntry[], now: string): Promise<void> {
    return this.auditLog.appendAudit(entries, now);
  }

  appendAuditInBackground(entries: AuditEntry[], now: string, reads?: LastReadEntry[]): Promise<void> {
    return this.auditLog.appendAuditInBackground(entries, now, reads);
  }

  lastReads(accountId: string, name: string): Promise<SecretLastRead[]> {
    return this.lastReadLog.lastReads(accountId, name);
  }

  agentReads(accountId: string, agent: string): Promise<AgentLastRead[]> {
    return this.lastReadLog.agentReads(accountId, agent);
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
