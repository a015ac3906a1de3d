// The storage interface: everything the service needs from a database, and no more, as one interface
// per resource (VaultStore at the end). Each mutating method is one transaction that also appends the
// audit record and the change event, so that a change, its audit and its event are never apart.
// SQLite (sqlite/) and PostgreSQL (postgres/) implement it, each resource in a module of its own.

import type {
  AccessChange,
  AccessRequest,
  AccessRequestStatus,
  Agent,
  AgentReadList,
  AuditAction,
  LocalRunsPolicy,
  AuditOutcome,
  AuditRecord,
  Role,
  SecretKind,
  SecretLastRead,
  SecretMetadata,
  SecretVersionInfo,
  UserKey,
  VaultEventEnvelope,
} from '../../../protocol/api';
import type { KeySensitivity } from '../../../protocol/keySensitivity';
import type { NamingStyle } from '../../../protocol/names';

export interface Account {
  id: string;
  name: string;
  namingStyle: NamingStyle;
  createdAt: string;
  /** Who may mint run tokens; read back as 'admins' when never set. */
  localRuns?: LocalRunsPolicy;
  /** Values kept per secret, the current one included; read back as DEFAULT_VERSIONS_KEPT when never set. */
  versionsKept?: number;
}

/** Account settings a change may set; absent fields stay as they are. */
export interface AccountSettingsChange {
  localRuns?: LocalRunsPolicy;
  /** Lowering it prunes every secret's older values at once, in the same transaction. */
  versionsKept?: number;
}

export type TokenKind = 'user' | 'agent';

export interface TokenRow {
  id: string;
  accountId: string;
  digest: Buffer;
  kind: TokenKind;
  /** For user keys. */
  role: Role | null;
  /** For agent tokens. */
  agentId: string | null;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  /** Run tokens only: past this time (ISO 8601) the token is invalid, as if revoked. */
  expiresAt?: string | null;
  /** Run tokens only: the user key that minted it (id and name), named in every read's audit. */
  mintedBy?: string | null;
  mintedByName?: string | null;
  /**
   * Run tokens, as findTokenByDigest and listAgentTokens read them (joined in the same query, so
   * authentication costs no extra round trip): the minting key as it is now (null: no such user key
   * any more) and the account's localRuns. Authentication refuses a run token whose minter is
   * revoked, gone, or no longer allowed to mint (see auth.ts mayStillUse).
   */
  minter?: { revokedAt: string | null; role: Role | null } | null;
  localRuns?: LocalRunsPolicy;
}

/**
 * A stored value: AES-256-GCM under data key `keyId`, additional data bound to account, name and
 * the value's own version (not the metadata version: grants and descriptions change that alone).
 */
export interface SealedValue {
  keyId: string;
  nonce: Buffer;
  ciphertext: Buffer;
  /**
   * On a secret's current value: its MAC (Keyring.valueMac), stored with the current row only, never
   * with older values; reads fail closed without it. Absent on older values.
   */
  mac?: Buffer;
}

export interface SecretRow extends SecretMetadata {
  sealed: SealedValue;
  valueUpdatedAt: string;
  valueUpdatedBy: string;
  expiresAt: string | null;
  rotationDays: number | null;
  /**
   * The value's own version, bound into `sealed`'s additional data: 1 at creation, +1 with each new
   * value. `version` (the ETag) moves with every change; this one only when the value does, so a
   * metadata write never decrypts or re-encrypts. A ciphertext moved to another secret, or an older
   * one put back, fails authentication as before.
   */
  valueVersion: number;
}

/** What a run-time read needs of a granted secret, and no more (it is the hot path). */
export interface GrantedValue {
  name: string;
  kind: SecretMetadata['kind'];
  /** What `sealed` was sealed for (see SecretRow.valueVersion). */
  valueVersion: number;
  sealed: SealedValue;
  /** Past this time (ISO 8601) the service refuses the read (`secret_expired`); null: never. */
  expiresAt: string | null;
}

/**
 * One kept value of a secret (the current one or an older one), for a rollback: what it was sealed
 * for (account, name, its own value version) and its shape. Never leaves the service.
 */
export interface SecretVersionRow {
  valueVersion: number;
  kind: SecretKind;
  keys: string[];
  sealed: SealedValue;
}

/** An older value of some secret, for key rotation (see KeyStore.secretVersionsNotUnder). */
export interface OldValueRow {
  accountId: string;
  name: string;
  valueVersion: number;
  sealed: SealedValue;
}

export interface DataKeyRow {
  id: string;
  masterId: string;
  nonce: Buffer;
  wrapped: Buffer;
  state: 'active' | 'retired';
  createdAt: string;
}

export interface AuditEntry {
  accountId: string;
  actor: string;
  /** The token id (`key_…`, `tok_…`), or for a system actor the operating-system user (see AuditRecord). */
  actorId: string;
  actorType: AuditRecord['actorType'];
  action: AuditAction;
  target: string;
  outcome: AuditOutcome;
  detail: string;
}

/**
 * A successful run-time read to keep as the newest of its (secret, agent): written with the audit
 * group it came with (appendAuditInBackground), at that group's time. Metadata, never a value.
 */
export interface LastReadEntry {
  accountId: string;
  secret: string;
  agent: string;
  /** The environment the reader said (already checked against protocol/environments.ts), or null. */
  environment: string | null;
}

/** One agent's last read of one secret, as GET /v1/agents/{id}/reads lists it. */
export type AgentLastRead = AgentReadList['reads'][number];

export interface Mutation {
  audit: Omit<AuditEntry, 'outcome'>;
  /** Time of the change, ISO 8601. */
  now: string;
}

/** `stale-key`: the value was sealed under a data key that a concurrent rotate-key has dropped since; seal again. */
/** `last-admin`: refused, it is the account's only active admin key (the account could no longer be managed). */
export type RevokeResult = 'revoked' | 'missing' | 'last-admin';

/** What one pass of audit retention removed (see AuditStore.pruneAudit). */
export interface PruneReport {
  /** Records removed per account, both files together; accounts with none removed are absent. */
  removed: Map<string, number>;
  total: number;
}

export type WriteResult<T> =
  | { ok: true; value: T; events: VaultEventEnvelope[] }
  | {
      ok: false;
      reason: 'missing' | 'exists' | 'conflict' | 'unknown-agent' | 'stale-key';
      currentVersion?: number;
      agent?: string;
      /** `exists`: the name or id already held whose fold is the new one's (itself, or a case or spacing twin). */
      existing?: string;
    };

/** What PATCH /v1/agents/{id} may change; absent fields stay as they are. */
export interface AgentChange {
  name?: string;
  description?: string;
}

export interface NewSecret {
  name: string;
  description: string;
  kind: SecretKind;
  keys: string[];
  agents: string[];
  /** Sealed for value version 1 (a new secret starts at version 1 and value version 1). */
  sealed: SealedValue;
  /** ISO 8601, normalised by the service; null or absent: never expires. */
  expiresAt?: string | null;
  rotationDays?: number | null;
  /** Marks on keys of `keys` (checked by the service); absent or empty: none. */
  keySensitivity?: Record<string, KeySensitivity>;
}

export interface SecretChange {
  /** The version the caller read; the write succeeds only if it is still current. */
  expectedVersion: number;
  description?: string;
  kind?: SecretKind;
  keys?: string[];
  /**
   * A new value, sealed for the current value version + 1 (read with expectedVersion: every value
   * change moves the version, so a current version means a current value version). Absent: the
   * value and its ciphertext stay as they are.
   */
  sealed?: SealedValue;
  /** Replace the access list with this one. */
  agents?: string[];
  /** With `sealed`: the value is an older version's, restored by a rollback. */
  restoredFrom?: number;
  /** Absent: unchanged; null: cleared. */
  expiresAt?: string | null;
  rotationDays?: number | null;
  /** Absent: unchanged; an object replaces every mark (keys of the secret's keys after the change, checked by the service). */
  keySensitivity?: Record<string, KeySensitivity>;
}

/** A new access request as the service makes it; the store decides `newSecret` in its transaction. */
export interface NewAccessRequest {
  id: string;
  secret: string;
  agent: string;
  reason: string;
  /** Kept only when the secret does not exist (a hint for the create form). */
  kind?: SecretKind;
  keys?: string[];
  requestedBy: string;
  requestedById: string;
  createdAt: string;
}

/** What creating an access request did (see AccessRequestStore.createAccessRequest). */
export type AccessRequestWrite =
  | { outcome: 'created'; request: AccessRequest; events: VaultEventEnvelope[] }
  | { outcome: 'pending'; request: AccessRequest }
  | { outcome: 'granted' }
  | { outcome: 'unknown-agent' }
  | { outcome: 'limit' }
  | { outcome: 'requester-limit' };

/**
 * How many pending access requests an account and a requester may hold (see
 * AccessRequestStore.createAccessRequest): a requester below `share` always may; from there on, only below
 * `perRequester` and while the account holds fewer than `account`.
 */
export interface PendingLimits {
  account: number;
  share: number;
  perRequester: number;
}

/** Which pending requests a bulk deny decides: the listed ids, one requester's, or all. */
export type BulkDenyFilter = { ids: string[] } | { requestedById: string } | { all: true };

export type AccessDecision = { approve: true } | { approve: false; reason: string };

/** What deciding an access request did (see AccessRequestStore.decideAccessRequest). */
export type AccessDecisionWrite =
  | { outcome: 'decided'; request: AccessRequest; events: VaultEventEnvelope[] }
  | { outcome: 'missing' }
  | { outcome: 'already-decided'; request: AccessRequest }
  | { outcome: 'no-secret'; request: AccessRequest }
  | { outcome: 'unknown-agent'; request: AccessRequest };

/**
 * What applying a batch of access changes did (see AccessStore.applyAccessChanges). Refused, writing
 * nothing, at the first change (by `index`) whose secret is missing, whose agent is unknown, or
 * whose `version` is not the secret's version (`conflict`, with the current one).
 */
export type AccessChangesWrite =
  | {
      ok: true;
      /** Per change, in order: whether it changed anything (false: it was already so). */
      changed: boolean[];
      /** The secrets whose access list changed, sorted by name, as they now are. */
      secrets: SecretMetadata[];
      /** The store's id of the batch's audit record (as listAudit names it); null when nothing changed. */
      auditId: string | null;
      events: VaultEventEnvelope[];
    }
  | { ok: false; index: number; reason: 'missing' | 'unknown-agent' | 'conflict'; currentVersion?: number };

/** The one audit record of a batch of access changes, described from the changes that changed something. */
export type DescribeAccessChanges = (changed: readonly AccessChange[]) => { target: string; detail: string };

export interface GrantedReader {
  /**
   * Settles when the batch's freshness check is done (at once for SQLite; one round trip for
   * PostgreSQL); VaultStore.generation() then names the state that check saw. Rejects when the
   * database cannot be reached (readGranted then rejects too).
   */
  readonly checked: Promise<void>;
  /** The answer at once when the reader has it (SQLite's), else its promise. */
  readGranted(accountId: string, name: string, agent: string): GrantedValue | undefined | Promise<GrantedValue | undefined>;
}

/** What a store's watch() reports: best-effort wake-ups (see VaultStore.watch). */
export type StoreSignal = { kind: 'change' } | { kind: 'events'; accountId: string };

/** The accounts. */
export interface AccountStore {
  /** `mutation`: the audit record of the creation (in the account itself), written in the same transaction. */
  createAccount(account: Account, mutation: Mutation | null): Promise<void>;
  getAccount(id: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  /**
   * Changes the account's settings with the mutation's audit record; undefined when there is no such
   * account. A lower `versionsKept` deletes every secret's values beyond it in the same transaction.
   * `localRuns: 'admins'` revokes, in the same transaction, every live run token minted by a
   * developer key (each with an `agent.runtoken.revoke` record).
   */
  updateAccountSettings(accountId: string, settings: AccountSettingsChange, mutation: Mutation): Promise<Account | undefined>;
}

/** User keys, agent tokens and run tokens (the same module as the accounts implements them). */
export interface TokenStore {
  insertToken(token: TokenRow, mutation: Mutation | null): Promise<void>;
  findTokenByDigest(digest: Buffer): Promise<TokenRow | undefined>;
  /** A token of the account by id (revoked or not), or undefined. */
  findToken(accountId: string, id: string): Promise<TokenRow | undefined>;
  listUserKeys(accountId: string): Promise<UserKey[]>;
  /**
   * Refuses (in the same transaction as the check) to revoke the account's last active admin key.
   * Revoking a user key also revokes every token it minted (run tokens), in the same transaction,
   * each with its own `agent.runtoken.revoke` record by the mutation's actor.
   */
  revokeToken(accountId: string, id: string, mutation: Mutation): Promise<RevokeResult>;
  /** The agent's tokens not revoked (agent and run tokens, expired ones too), oldest first, with minter and localRuns as findTokenByDigest. */
  listAgentTokens(accountId: string, agentId: string): Promise<TokenRow[]>;
  /** Deletes token rows (any account) revoked or expired before `cutoff` (audit retention); returns how many. */
  pruneTokens(cutoff: Date): Promise<number>;
}

/** The agents. */
export interface AgentStore {
  listAgents(accountId: string): Promise<Agent[]>;
  getAgent(accountId: string, id: string): Promise<Agent | undefined>;
  /**
   * `exists` (with `existing`) when an agent's id has the same agentIdFold: ids that differ only in
   * case are one agent (a unique index on the fold makes that race-free).
   */
  createAgent(accountId: string, agent: Agent, mutation: Mutation): Promise<WriteResult<Agent>>;
  /** Sets the display name and/or description (absent: unchanged), with an `agent.updated` event; `missing` when there is no such agent. */
  updateAgent(accountId: string, id: string, change: AgentChange, mutation: Mutation): Promise<WriteResult<Agent>>;
  /** Also removes the agent from every access list (bumping those secrets' versions, not their values) and revokes its tokens. */
  deleteAgent(accountId: string, id: string, mutation: Mutation): Promise<WriteResult<null>>;
}

/** Secrets, their metadata and their kept values. */
export interface SecretStore {
  listSecrets(accountId: string, agent?: string): Promise<SecretMetadata[]>;
  getSecret(accountId: string, name: string): Promise<SecretRow | undefined>;
  /**
   * `exists` (with `existing`) when a secret of the account is one name with it to a person
   * (isNameTwin): differing only in case, spacing or compatibility form (a unique index on nameFold),
   * or in `_`/`-`/space (nameSeparatorFold, checked on create only: existing twins stay).
   */
  createSecret(accountId: string, secret: NewSecret, mutation: Mutation): Promise<WriteResult<SecretMetadata>>;
  /**
   * A change with `sealed` keeps the value it replaces as an older version (same ciphertext, same
   * value version) and deletes the versions beyond the account's versionsKept, in the same
   * transaction; the new value's time and author become valueUpdatedAt/By.
   */
  updateSecret(accountId: string, name: string, change: SecretChange, mutation: Mutation, eventType: 'secret.updated' | 'access.changed'): Promise<WriteResult<SecretMetadata>>;
  /** Deletes the secret with all its kept values and grants (access requests for its name stay). */
  deleteSecret(accountId: string, name: string, expectedVersion: number | undefined, mutation: Mutation): Promise<WriteResult<null>>;
  /** The kept values' metadata, newest first, the current one first; undefined when there is no such secret. */
  listSecretVersions(accountId: string, name: string): Promise<SecretVersionInfo[] | undefined>;
  /** One kept value (the current one included), sealed; undefined when the secret or that version is not kept. */
  getSecretVersion(accountId: string, name: string, valueVersion: number): Promise<SecretVersionRow | undefined>;
}

/** Run-time reads: what an agent may read, and its value. */
export interface GrantedStore {
  /**
   * The value of a secret granted to `agent`, or undefined when missing or not granted (one answer
   * for both). It is the hot path of every agent: an implementation may cache, but an answer must
   * reflect every change committed, by any process, before the call.
   */
  readGranted(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined>;
  /**
   * A reader for a batch of run-time reads that had all arrived when this is called: its answers
   * reflect every change committed, by any process, before this call (so the check that makes a
   * cache safe is made once per batch, not once per read). Use it for that batch only.
   */
  grantedReader(): GrantedReader;
  listGranted(accountId: string, agent: string): Promise<GrantedValue[]>;
}

/** Changes to access lists, as one batch (single grants and revokes are SecretStore.updateSecret). */
export interface AccessStore {
  /**
   * Grants and revokes, all in one transaction, all or nothing (see AccessChangesWrite for the
   * refusals). A change that is already so changes nothing. Each secret whose list changed gets one
   * new metadata version (the value untouched) and one access.changed event; the batch gets one
   * audit record (the mutation's actor and action; target and detail from `describe`), none when
   * nothing changed. Each (secret, agent) pair appears at most once (the service checks it).
   */
  applyAccessChanges(accountId: string, changes: readonly AccessChange[], mutation: Mutation, describe: DescribeAccessChanges): Promise<AccessChangesWrite>;
}

/** Audit records and change events. */
export interface AuditStore {
  /** Audit records of requests that changed nothing (run-time reads, refusals); a change's record is written in its own transaction. */
  appendAudit(entries: AuditEntry[], now: string): Promise<void>;
  /**
   * Like appendAudit, but may write off the main thread (a worker, a pool connection); same
   * durability. `reads`: successful run-time reads of the group, each kept as its (secret, agent)'s
   * last read at `now` unless a later one is already kept (replicas race), in the same transaction
   * as the records (one key at most once).
   */
  appendAuditInBackground(entries: AuditEntry[], now: string, reads?: LastReadEntry[]): Promise<void>;
  /**
   * Newest first, at most `limit`, older than the record `before` names (ids are opaque strings);
   * undefined when `before` names no record of this account.
   */
  listAudit(accountId: string, before: string | undefined, limit: number): Promise<AuditRecord[] | undefined>;
  /**
   * Local operations' records (rotate-key, retention): written to the change log like a mutation's,
   * since they are changes, not reads.
   */
  appendSystemAudit(entries: AuditEntry[], now: string): Promise<void>;
  /**
   * Deletes audit records (both files) older than `cutoff` and records, in each account that lost
   * some, an `audit.prune` record by `actor` saying how many and up to when.
   */
  pruneAudit(cutoff: Date, actor: Pick<AuditEntry, 'actor' | 'actorId'>, now: string): Promise<PruneReport>;
  /**
   * Event ids are the account's own sequence (1, 2, 3… per account), so an id or a listing ETag
   * tells an account nothing about the others' activity.
   */
  eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]>;
  /** The account's oldest event id still retained (0 when none), to tell a client its Last-Event-ID is too old. */
  oldestEventId(accountId: string): Promise<number>;
  /** The account's last event id (0 before its first change); never goes backwards. */
  lastEventId(accountId: string): Promise<number>;
}

/** Each secret's last run-time read per agent (written by AuditStore.appendAuditInBackground). */
export interface LastReadStore {
  /**
   * The last read of the secret by each agent that has read it, sorted by agent. Kept when a grant
   * is revoked (history for a review); gone with the secret or the agent (deleteSecret,
   * deleteAgent), and a secret or agent created under a name that had some starts with none.
   */
  lastReads(accountId: string, name: string): Promise<SecretLastRead[]>;
  /** The agent's last read of each secret it has read, sorted by secret (see lastReads). */
  agentReads(accountId: string, agent: string): Promise<AgentLastRead[]>;
}

/** Data keys, the meta table, and what rotate-key and the MAC upgrade need of stored values. */
export interface KeyStore {
  listDataKeys(): Promise<DataKeyRow[]>;
  getDataKey(id: string): Promise<DataKeyRow | undefined>;
  activeDataKeyId(): Promise<string | undefined>;
  /** Adds a data key as the active one; the previous active key becomes retired. */
  addDataKey(key: DataKeyRow): Promise<void>;
  rewrapDataKeys(keys: DataKeyRow[]): Promise<void>;
  getMeta(key: string): Promise<Buffer | undefined>;
  setMeta(key: string, value: Buffer): Promise<void>;
  /** Secrets (any account) sealed under a key other than `keyId`, in key order after `after`, for re-encryption in batches. */
  secretsNotUnder(keyId: string, limit: number, after?: { accountId: string; name: string }): Promise<(SecretRow & { accountId: string })[]>;
  /**
   * Replaces a secret's sealed value (same value, same value version: a rotation) if it still holds
   * exactly `previous` (the sealed value read: nonces are unique); false when it changed meanwhile.
   * The value version alone is not enough: a secret deleted and created again under the same name
   * starts again at 1. Leaves the metadata version (the ETag) alone: nothing a client sees changed.
   */
  resealSecret(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean>;
  /** Current values (any account) with no MAC yet: those written before MACs existed (see Keyring.open). */
  secretsWithoutMac(limit: number): Promise<OldValueRow[]>;
  /** Sets the MAC of a current value that has none, if it is still `sealed` at `valueVersion`; false otherwise. */
  setValueMac(accountId: string, name: string, valueVersion: number, sealed: SealedValue, mac: Buffer): Promise<boolean>;
  /** Older values (any account) sealed under a key other than `keyId`, in (account, name, version) order after `after`. */
  secretVersionsNotUnder(keyId: string, limit: number, after?: { accountId: string; name: string; valueVersion: number }): Promise<OldValueRow[]>;
  /** As resealSecret, for an older value: compare-and-swap on its sealed value; false when it changed or is gone. */
  resealSecretVersion(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean>;
  /** Deletes retired data keys no value (current or older) uses any more, in one transaction; returns their ids. */
  dropUnusedDataKeys(): Promise<string[]>;
}

/** Access requests and their decisions. */
export interface AccessRequestStore {
  /**
   * In one transaction: the agent must exist (`unknown-agent`); if it can already read the secret,
   * `granted` and nothing is stored; a pending request for the same secret and agent is returned as
   * `pending`; a requester holding `limits.perRequester` pending requests gets `requester-limit`,
   * and one holding at least `limits.share` gets `limit` while the account holds `limits.account`;
   * otherwise the request is stored (newSecret: the secret does not exist) with its audit record and
   * an access.requested event.
   */
  createAccessRequest(accountId: string, request: NewAccessRequest, limits: PendingLimits, mutation: Mutation): Promise<AccessRequestWrite>;
  /** Newest first, at most `limit`; every status when none is given. */
  listAccessRequests(accountId: string, status: AccessRequestStatus | undefined, limit: number): Promise<AccessRequest[]>;
  getAccessRequest(accountId: string, id: string): Promise<AccessRequest | undefined>;
  /**
   * Approves (grants the agent on the secret, when it has no access yet: a new secret version and an
   * access.changed event) or denies a pending request, with its audit record and an access.decided
   * event, all in one transaction. Refused, writing nothing: `missing`, `already-decided`,
   * `no-secret` (approving while the secret does not exist), `unknown-agent` (deleted since).
   */
  decideAccessRequest(accountId: string, id: string, decision: AccessDecision, mutation: Mutation): Promise<AccessDecisionWrite>;
  /**
   * Denies the pending requests `filter` names, oldest first and at most `limit`, in one
   * transaction: an audit record per request (mutation's action and actor, the request's secret as
   * target) and an access.decided event each. `more`: pending requests still match.
   */
  denyAccessRequests(
    accountId: string,
    filter: BulkDenyFilter,
    reason: string,
    limit: number,
    mutation: Mutation,
  ): Promise<{ requests: AccessRequest[]; more: boolean; events: VaultEventEnvelope[] }>;
  /** Deletes decided requests (any account) decided before `cutoff`; returns how many. */
  pruneAccessRequests(cutoff: Date): Promise<number>;
}

/**
 * The storage's parts, one per resource (store.secrets.listSecrets(…), store.keys.getDataKey(…)),
 * each implemented by one module of each store (sqlite/secrets.ts, postgres/secrets.ts…).
 */
export interface StoreParts {
  readonly accounts: AccountStore;
  readonly tokens: TokenStore;
  readonly agents: AgentStore;
  readonly secrets: SecretStore;
  readonly runtime: GrantedStore;
  readonly access: AccessStore;
  readonly audit: AuditStore;
  readonly reads: LastReadStore;
  readonly keys: KeyStore;
  readonly accessRequests: AccessRequestStore;
}

/** A store: its parts, which its constructor makes, and its lifecycle. */
export interface VaultStore extends StoreParts {
  /** Closes connections (and waits for background audit writes in flight). */
  close(): Promise<void>;

  /**
   * A number that moves whenever a freshness check (grantedReader(), readGranted()) finds that the
   * state changed since the previous check, by any process or replica. Whatever was derived from the
   * state while it held one value (the authenticator's remembered tokens) is valid while it still
   * holds it.
   */
  generation(): number;

  /**
   * Early notice of changes made by other processes or replicas (PostgreSQL: LISTEN/NOTIFY), for
   * caches and event streams to look sooner. Best effort: signals can be lost (a dropped
   * connection, a proxy), so correctness never depends on them. Stores without it return undefined.
   */
  watch?(listener: (signal: StoreSignal) => void): () => void;
}
