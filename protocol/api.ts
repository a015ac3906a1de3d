// The vault HTTP API (v1): the shapes every part of the product agrees on.
// The vault validates with JSON schemas in vault/src/http/schemas.ts, which are checked against
// these types at compile time (vault/src/http/schemas.ts ends with the equivalence assertions).

import type { KeySensitivity } from './keySensitivity';
import type { NamingStyle, SecretValue } from './names';

export const API_PREFIX = '/v1';

export type Role = 'admin' | 'developer';
export type SecretKind = 'single' | 'kv';

/** Everything about a secret except its value. The only shape of a secret any listing returns. */
export interface SecretMetadata {
  name: string;
  description: string;
  kind: SecretKind;
  /** Keys of a key/value secret, sorted; empty for a single value. */
  keys: string[];
  /** Agents on the access list, sorted. */
  agents: string[];
  /** Increases by one on every change of the secret or its access list; the ETag. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Display name of the token that made the last change. */
  updatedBy: string;
  /**
   * The current value's version: 1 at creation, +1 with each new value (a rollback makes a new
   * version too). Older values are kept (see SecretVersionInfo); metadata changes leave it alone.
   * Optional in the type for older vaults; this vault always sends it.
   */
  valueVersion?: number;
  /** When the current value was set (creation, update or rollback), and by whom (a key's name). */
  valueUpdatedAt?: string;
  valueUpdatedBy?: string;
  /** Past this time (ISO 8601) run-time reads are refused (403 `secret_expired`); null: never expires. */
  expiresAt?: string | null;
  /** A reminder only: a value older than this many days is "rotation due"; null: no reminder. */
  rotationDays?: number | null;
  /**
   * An admin's marks on keys of a key/value secret: `not-sensitive` for configuration kept beside
   * credentials (a base URL, an email address), `sensitive` to overrule the default. A key without a
   * mark takes the default its name implies (protocol/keySensitivity.ts `keySensitivity`). Metadata,
   * versioned and audited like the description; absent or empty when no key is marked.
   */
  keySensitivity?: Record<string, KeySensitivity>;
  /**
   * The last successful run-time read of this secret by each agent that has read it (sorted by
   * agent): metadata, kept by the vault as reads happen. An agent on the access list that is absent
   * here has never read it (since the vault began keeping reads).
   */
  lastReads?: SecretLastRead[];
}

/** The last successful run-time read of one secret by one agent: when, and in which environment. */
export interface SecretLastRead {
  agent: string;
  /** ISO 8601. */
  at: string;
  /** The environment the reader said it runs in (`X-Secrets-Vault-Environment`), or null. */
  environment: string | null;
}

/** GET /v1/agents/{id}/reads: the agent's last read of each secret it has read, sorted by secret. */
export interface AgentReadList {
  agent: string;
  reads: { secret: string; at: string; environment: string | null }[];
}

/**
 * One kept value of a secret: metadata only, never the value (GET /v1/secrets/{name}/versions,
 * newest first, the current one included).
 */
export interface SecretVersionInfo {
  /** The value version (SecretMetadata.valueVersion). */
  version: number;
  createdAt: string;
  /** Display name of the key that set this value. */
  createdBy: string;
  kind: SecretKind;
  keys: string[];
  /** True for the value run-time reads return now. */
  current: boolean;
  /** Set when this version was made by a rollback: the version whose value it restored. */
  restoredFrom?: number;
}

export interface SecretVersionList {
  versions: SecretVersionInfo[];
}

/** POST /v1/secrets/{name}/rollback (admin, If-Match: the secret's version): the old value becomes a new current version. */
export interface RollbackRequest {
  version: number;
}

/** Values kept per secret, the current one included (account setting `versionsKept`). */
export const DEFAULT_VERSIONS_KEPT = 10;
export const MIN_VERSIONS_KEPT = 1;
export const MAX_VERSIONS_KEPT = 100;
/** rotationDays bounds. */
export const MIN_ROTATION_DAYS = 1;
export const MAX_ROTATION_DAYS = 3650;

// ---- access requests ----

export type AccessRequestStatus = 'pending' | 'approved' | 'denied';

/**
 * A user's request that an agent may read a secret (or, `newSecret`, that a secret be created for
 * it). Only admins grant; developers ask. Metadata only.
 */
export interface AccessRequest {
  /** `req_…` */
  id: string;
  secret: string;
  agent: string;
  reason: string;
  /** True when the secret did not exist when asked for: approving means creating it first. */
  newSecret: boolean;
  /** For a new secret: the kind and keys the requester's code reads (a hint for the create form). */
  kind?: SecretKind;
  keys?: string[];
  status: AccessRequestStatus;
  /** The requesting key's name and id. */
  requestedBy: string;
  requestedById: string;
  createdAt: string;
  decidedAt: string | null;
  /** The deciding admin key's name. */
  decidedBy: string | null;
  /** A denial's reason, as the admin gave it; '' when none. */
  decisionReason: string | null;
}

export interface CreateAccessRequestBody {
  secret: string;
  agent: string;
  reason?: string;
  kind?: SecretKind;
  keys?: string[];
}

/**
 * POST /v1/access-requests answers: `created` (201) a new pending request; `pending` (200) the same
 * secret and agent already have a pending request, which is returned; `granted` (200) the agent can
 * already read the secret: nothing is stored.
 */
export type CreateAccessRequestResult =
  | { outcome: 'created' | 'pending'; request: AccessRequest }
  | { outcome: 'granted' };

export interface AccessRequestList {
  requests: AccessRequest[];
}

export interface DenyAccessRequestBody {
  reason?: string;
}

/** A request's or a denial's reason: at most this many characters, no control characters. */
export const MAX_ACCESS_REQUEST_REASON = 500;
/**
 * Pending access requests an account holds at most; past it, new ones are refused (409) until
 * admins decide some. It counts against a requester only once they hold ACCESS_REQUEST_SHARE
 * pending requests themselves, so one requester filling it cannot lock the others out.
 */
export const MAX_PENDING_ACCESS_REQUESTS = 1000;
/** Pending requests any requester (a user key) may always hold, however full the account is. */
export const ACCESS_REQUEST_SHARE = 20;
/** Pending requests one requester (a user key) holds at most; past it, 409 `too_many_pending_requests`. */
export const MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER = 50;
/** Creating requests, per user key: a burst of this many, then ACCESS_REQUEST_RATE_PER_MINUTE (429 past it). */
export const ACCESS_REQUEST_BURST = 60;
export const ACCESS_REQUEST_RATE_PER_MINUTE = 30;
/** Pending requests one bulk deny decides at most (repeat while `more`). */
export const MAX_BULK_DENY = 1000;

/**
 * POST /v1/access-requests/deny (admins): denies pending requests in bulk, exactly one of `ids`,
 * `requestedById` (every pending request of that user key) or `all: true`.
 */
export interface BulkDenyAccessRequestsBody {
  ids?: string[];
  requestedById?: string;
  all?: true;
  reason?: string;
}

export interface BulkDenyAccessRequestsResult {
  /** The requests denied by this call (ids asked for that were not pending are left out). */
  denied: string[];
  /** More pending requests match (past MAX_BULK_DENY): call again. */
  more: boolean;
}
/** GET /v1/access-requests answers at most this many, newest first. */
export const MAX_ACCESS_REQUESTS_LISTED = 1000;

export interface Agent {
  id: string;
  name: string;
  description: string;
  createdAt: string;
}

export interface WhoAmI {
  account: { id: string; name: string; namingStyle: NamingStyle };
  principal:
    | { type: 'user'; id: string; name: string; role: Role }
    | { type: 'agent'; id: string; name: string };
}

export interface Health {
  status: 'ok';
  version: string;
}

// ---- request bodies ----

export interface CreateAgentRequest {
  id: string;
  /** Display name (Agent Studio's project name), up to MAX_AGENT_NAME_LENGTH; the id when absent. */
  name?: string;
  description?: string;
}

/** PATCH /v1/agents/{id}: absent fields stay as they are; the id never changes. */
export interface UpdateAgentRequest {
  name?: string;
  description?: string;
}

export interface CreateSecretRequest {
  name: string;
  description?: string;
  value: SecretValue;
  agents?: string[];
  /** ISO 8601 date-time; absent or null: never expires. */
  expiresAt?: string | null;
  /** Days; absent or null: no reminder. */
  rotationDays?: number | null;
  /** Marks on keys of a key/value value (each a key of `value`); absent: none (every key takes its default). */
  keySensitivity?: Record<string, KeySensitivity>;
}

export interface UpdateSecretRequest {
  description?: string;
  /** Missing: keep the stored value. */
  value?: SecretValue;
  /** Missing: unchanged; null: clear. */
  expiresAt?: string | null;
  rotationDays?: number | null;
  /**
   * Missing: the marks stay (those on keys a new value drops go with them); an object replaces them
   * all (`{}` clears them). Each key must be a key of the new value, or of the stored one without a value.
   */
  keySensitivity?: Record<string, KeySensitivity>;
}

export interface ReplaceAccessRequest {
  agents: string[];
}

/** Changes one POST /v1/access/changes applies at most (all or nothing, in one transaction). */
export const MAX_ACCESS_CHANGES = 1000;

/** One grant (`granted: true`) or revoke of a batch of access changes. */
export interface AccessChange {
  secret: string;
  agent: string;
  granted: boolean;
  /** The secret's version as the caller read it: the batch is refused (412) if it moved since. */
  version?: number;
}

/**
 * POST /v1/access/changes (admins): grants and revokes applied as one audited change, all or
 * nothing; the reason goes in the X-Secrets-Vault-Reason header, as for a single grant.
 */
export interface AccessChangesRequest {
  changes: AccessChange[];
}

export interface AccessChangeOutcome {
  secret: string;
  agent: string;
  granted: boolean;
  outcome: 'changed' | 'unchanged';
}

export interface AccessChangesResult {
  /** Each change in the order asked: `changed`, or `unchanged` (it was already so: idempotent). */
  changes: AccessChangeOutcome[];
  /** Each secret whose access list changed, as it now is (one new version and one access.changed event each). */
  secrets: SecretMetadata[];
  /** The batch's one audit record (`access.batch`); null when nothing changed (nothing is recorded). */
  auditId: string | null;
}

export interface CreateUserKeyRequest {
  name: string;
  role: Role;
}

// ---- responses ----

export interface SecretList {
  secrets: SecretMetadata[];
}

export interface AgentList {
  agents: Agent[];
}

/** Returned once, when a token is minted; never again. */
export interface IssuedToken {
  id: string;
  token: string;
  name: string;
  createdAt: string;
}

/** Who may mint run tokens (local runs as an agent): admins only, or developers too. */
export type LocalRunsPolicy = 'admins' | 'developers';

/** Account settings an admin may change (GET/PATCH /v1/account). */
export interface AccountSettings {
  id: string;
  name: string;
  namingStyle: 'snake_case' | 'UPPER_CASE';
  localRuns: LocalRunsPolicy;
  /** Values kept per secret, the current one included (DEFAULT_VERSIONS_KEPT when never set). */
  versionsKept: number;
}

export interface UpdateAccountRequest {
  localRuns?: LocalRunsPolicy;
  versionsKept?: number;
}

/** Run tokens: bounds on their lifetime, in seconds. */
export const RUN_TOKEN_DEFAULT_TTL = 900;
export const RUN_TOKEN_MIN_TTL = 60;
export const RUN_TOKEN_MAX_TTL = 43_200;

export interface MintRunTokenRequest {
  ttlSeconds?: number;
}

/**
 * A short-lived agent token for a local run, returned once. Reads with it are audited as the agent,
 * with the minting key named in each record's detail.
 */
export interface RunToken {
  id: string;
  token: string;
  agent: string;
  expiresAt: string;
  mintedBy: { id: string; name: string };
}

/**
 * A live token of an agent (`GET /v1/agents/{id}/tokens`): not revoked, not expired, and for a run
 * token, a minter that still stands behind it. Never the token or its digest.
 */
export interface AgentTokenInfo {
  id: string;
  /** `agent`: minted by an admin for production, no expiry; `run`: a run token for a local run. */
  kind: 'agent' | 'run';
  name: string;
  /** Run tokens: the user key that minted it; null for agent tokens. */
  minter: { id: string; name: string } | null;
  createdAt: string;
  /** Run tokens: when it stops being valid; null for agent tokens. */
  expiresAt: string | null;
}

export interface AgentTokenList {
  tokens: AgentTokenInfo[];
}

export interface UserKey {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export interface UserKeyList {
  keys: UserKey[];
}

export interface RuntimeSecret {
  name: string;
  value: SecretValue;
}

export interface RuntimeEnv {
  env: Record<string, string>;
}

export type AuditOutcome = 'success' | 'denied' | 'failed';

export interface AuditRecord {
  /** Opaque (22 characters, revealing nothing of other accounts' activity): pass as `?before=` to page. */
  id: string;
  time: string;
  /** The key's or token's name (for an agent, its id); for `system`, the local command (`local:init`). */
  actor: string;
  /**
   * Who exactly: the id of the API key or agent token used (`key_…`, `tok_…`), so that two keys
   * with one name stay apart; for `system`, the operating-system user who ran the command.
   */
  actorId: string;
  actorType: 'user' | 'agent' | 'system';
  action: AuditAction;
  target: string;
  outcome: AuditOutcome;
  /** Non-secret context: the fields changed, the agents granted; never a value. */
  detail: string;
}

export type AuditAction =
  | 'agent.create'
  | 'agent.update'
  | 'agent.delete'
  | 'agent.token.create'
  | 'agent.token.revoke'
  | 'agent.runtoken.create'
  | 'agent.runtoken.revoke'
  | 'account.update'
  | 'secret.create'
  | 'secret.update'
  | 'secret.delete'
  | 'secret.rollback'
  | 'access.request'
  | 'access.request.approve'
  | 'access.request.deny'
  | 'access.replace'
  | 'access.grant'
  | 'access.revoke'
  /** Grants and revokes of several secrets as one change (POST /v1/access/changes); the detail lists each. */
  | 'access.batch'
  | 'userkey.create'
  | 'userkey.revoke'
  | 'runtime.read'
  | 'runtime.env'
  /** A coding assistant's tool call (secrets-vault mcp), as the user; the detail names the assistant. */
  | 'assistant.call'
  // Local operations (actorType 'system'): the CLI on the data folder, or the serving process.
  | 'account.create'
  | 'key.rotate'
  | 'audit.prune';

export interface AuditPage {
  records: AuditRecord[];
  /** Pass as `?before=` to get the next (older) page; null at the end. */
  next: string | null;
}

// ---- events (Server-Sent Events on GET /v1/events) ----

export type VaultEvent =
  | { type: 'secret.created'; secret: SecretMetadata }
  | { type: 'secret.updated'; secret: SecretMetadata }
  | { type: 'secret.deleted'; name: string }
  | { type: 'access.changed'; secret: SecretMetadata }
  | { type: 'agent.created'; agent: Agent }
  /** Its display name or description changed (PATCH /v1/agents/{id}); `agent` is the whole agent as it now is. */
  | { type: 'agent.updated'; agent: Agent }
  | { type: 'agent.deleted'; id: string }
  /** A new pending access request; and one approved or denied (an approval also sends access.changed). */
  | { type: 'access.requested'; request: AccessRequest }
  | { type: 'access.decided'; request: AccessRequest };

export type VaultEventType = VaultEvent['type'];

/** An event as delivered: the SSE `id:` is `id`, the `event:` is `event.type`, `data:` is JSON of this. */
export interface VaultEventEnvelope {
  /**
   * The account's own event sequence: increasing within the account, it says nothing about other
   * accounts' activity. Pass it back as Last-Event-ID; compare ids only within one vault and account.
   */
  id: number;
  time: string;
  event: VaultEvent;
}

/** Sent as `event: reset` when the requested Last-Event-ID is older than the retained history. */
export const EVENT_RESET = 'reset';

// ---- errors (application/problem+json, RFC 9457) ----

export type ProblemCode =
  | 'bad_request'
  | 'invalid_name'
  | 'invalid_value'
  | 'credential_in_name'
  | 'process_control_name'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'last_admin'
  | 'precondition_failed'
  | 'precondition_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'rate_limited'
  | 'too_many_pending_requests'
  | 'too_many_streams'
  | 'host_not_allowed'
  | 'origin_not_allowed'
  | 'decryption_failed'
  | 'secret_expired'
  | 'unavailable'
  | 'internal';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  /** The request field the problem concerns, for forms to show it in place (`name`, `value.client_id`). */
  field?: string;
  /** With 412: the secret's current version. */
  currentVersion?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Token prefixes: recognisable so that secret scanners can spot a leaked token. */
export const USER_TOKEN_PREFIX = 'svu_';
export const AGENT_TOKEN_PREFIX = 'sva_';

/** The file at a workspace folder's root shared by the extension and the CLI. */
export const WORKSPACE_CONFIG_FILE = 'secrets-vault.json';
export interface WorkspaceConfig {
  vault?: string;
  agent?: string;
  /**
   * Environment-style accounts: names a local run injects besides the credential-shaped ones
   * (protocol/processEnv.ts); a name that controls a process is never injected, listed or not.
   */
  inject?: string[];
  /** `access review`: a secret no code needs and no agent has read for this many days is stale (default 90). */
  staleDays?: number;
}

export const DEFAULT_VAULT_URL = 'http://127.0.0.1:8787';
