// The vault's operations: who may do what, validation against the account's rules, sealing and
// opening values, audit and events. Transport-free: the HTTP routes are a thin layer over this.

import {
  DEFAULT_VERSIONS_KEPT,
  MAX_ACCESS_REQUEST_REASON,
  ACCESS_REQUEST_BURST,
  ACCESS_REQUEST_RATE_PER_MINUTE,
  ACCESS_REQUEST_SHARE,
  MAX_ACCESS_REQUESTS_LISTED,
  MAX_BULK_DENY,
  MAX_PENDING_ACCESS_REQUESTS,
  MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER,
  MAX_ROTATION_DAYS,
  MAX_VERSIONS_KEPT,
  MIN_ROTATION_DAYS,
  MIN_VERSIONS_KEPT,
  RUN_TOKEN_DEFAULT_TTL,
  RUN_TOKEN_MAX_TTL,
  RUN_TOKEN_MIN_TTL,
  type AccessRequest,
  type AccessRequestStatus,
  type AccountSettings,
  type BulkDenyAccessRequestsBody,
  type BulkDenyAccessRequestsResult,
  type AgentTokenInfo,
  type CreateAccessRequestBody,
  type CreateAccessRequestResult,
  type RunToken,
  type SecretVersionInfo,
  type UpdateAccountRequest,
} from '../../protocol/api';
import type {
  Agent,
  AuditAction,
  AuditOutcome,
  AuditPage,
  CreateAgentRequest,
  CreateSecretRequest,
  IssuedToken,
  UpdateAgentRequest,
  Role,
  RuntimeEnv,
  RuntimeSecret,
  SecretMetadata,
  UpdateSecretRequest,
  UserKey,
  VaultEventEnvelope,
  WhoAmI,
} from '../../protocol/api';
import { checkAgentId, checkKey, checkSecretName, checkSecretValue, MAX_PAIRS, MAX_VALUE_BYTES, type SecretValue } from '../../protocol/names';
import { firstUnsafeCodePoint } from '../../protocol/safeText';
import { systemActor, type AuditWriter } from './audit';
import { AuditIdCodec } from './auditIds';
import { mayStillUse, mintToken, newId, ReadRateLimiter, type Principal } from './auth';
import { DecryptionError } from './crypto/aead';
import type { Keyring } from './crypto/keyring';
import { ProblemError, problems } from './errors';
import type { EventBus } from './events';
import type { AccessDecision, Account, GrantedReader, Mutation, PruneReport, RevokeResult, SealedValue, SecretChange, SecretRow, TokenRow, VaultStore, WriteResult } from './store/types';

type User = Extract<Principal, { type: 'user' }>;
type AgentPrincipal = Extract<Principal, { type: 'agent' }>;
/** What a versioned write changes, computed from the secret as it is read (again on each re-try). */
type SecretChangeOf = (current: SecretRow) => Promise<Omit<SecretChange, 'expectedVersion'>>;

/**
 * Re-tries of a compare-and-swap that lost to a concurrent writer (a grant or revoke, or a change
 * without If-Match). Within a process such changes queue (VaultService.oneAtATime); between
 * replicas on PostgreSQL they race, and immediate re-tries keep colliding. A short random pause
 * that grows with each loss spreads them out; each loss means another writer's change went in, so
 * all get through. The write stays a compare-and-swap: the pause changes timing only.
 */
const CONFLICT_RETRIES = 25;

function conflictPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
}

export class VaultService {
  /**
   * Called after a token stops being valid (a key revoked, an agent and its tokens deleted), with
   * the revoked key's id when there is one.
   */
  readonly onRevoked = new Set<(tokenId?: string) => void>();

  /** Access requests filed per user key (a token bucket): one key's flood is refused with 429. */
  readonly accessRequestLimiter = new ReadRateLimiter(ACCESS_REQUEST_RATE_PER_MINUTE / 60, ACCESS_REQUEST_BURST);

  constructor(
    private readonly store: VaultStore,
    private readonly keyring: Keyring,
    private readonly bus: EventBus,
    private readonly auditWriter: AuditWriter,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  // ---- identity ----

  async whoami(p: Principal): Promise<WhoAmI> {
    const account = await this.account(p.accountId);
    const acc = { id: account.id, name: account.name, namingStyle: account.namingStyle };
    if (p.type === 'user') return { account: acc, principal: { type: 'user', id: p.tokenId, name: p.name, role: p.role } };
    return { account: acc, principal: { type: 'agent', id: p.agentId, name: p.name } };
  }

  // ---- agents ----

  async listAgents(p: Principal): Promise<Agent[]> {
    const user = this.user(p);
    return this.store.listAgents(user.accountId);
  }

  async createAgent(p: Principal, body: CreateAgentRequest): Promise<Agent> {
    const user = await this.admin(p, 'agent.create', body.id);
    const problem = checkAgentId(body.id);
    if (problem) throw problems.invalidName(problem, 'id');
    const agent: Agent = { id: body.id, name: body.name ?? body.id, description: body.description ?? '', createdAt: this.now() };
    const r = await this.store.createAgent(user.accountId, agent, this.mutation(user, 'agent.create', body.id));
    // Ids that differ only in case are one agent to a person (agentIdFold): the store's unique fold refuses the twin.
    return this.unwrap(user.accountId, r, {
      exists: (_a, _v, existing) =>
        problems.conflict(
          existing === undefined || existing === body.id
            ? `Agent '${body.id}' already exists.`
            : `Agent '${existing}' already exists; ids that differ only in case are one agent.`,
          'id',
        ),
    });
  }

  /** Admins: a new display name and/or description; the id never changes. */
  async updateAgent(p: Principal, id: string, body: UpdateAgentRequest): Promise<Agent> {
    const user = await this.admin(p, 'agent.update', id);
    if (body.name === undefined && body.description === undefined) throw problems.badRequest('Nothing to change: give a name and/or a description.');
    const changed = [body.name !== undefined && 'name', body.description !== undefined && 'description'].filter(Boolean).join(', ');
    const change = { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.description !== undefined ? { description: body.description } : {}) };
    const r = await this.store.updateAgent(user.accountId, id, change, this.mutation(user, 'agent.update', id, `changed: ${changed}`));
    return this.unwrap(user.accountId, r, { missing: () => problems.notFound(`Agent '${id}' does not exist.`) });
  }

  async deleteAgent(p: Principal, id: string): Promise<void> {
    const user = await this.admin(p, 'agent.delete', id);
    const r = await this.store.deleteAgent(user.accountId, id, this.mutation(user, 'agent.delete', id));
    this.unwrap(user.accountId, r, { missing: () => problems.notFound(`Agent '${id}' does not exist.`) });
    for (const listener of this.onRevoked) listener();
  }

  async createAgentToken(p: Principal, id: string, name?: string): Promise<IssuedToken> {
    const user = await this.admin(p, 'agent.token.create', id);
    const agent = await this.store.getAgent(user.accountId, id);
    if (!agent) throw problems.notFound(`Agent '${id}' does not exist.`);
    const token = mintToken('agent');
    const issued: IssuedToken = { id: newId('tok'), token, name: name ?? `${id} token`, createdAt: this.now() };
    await this.store.insertToken(
      {
        id: issued.id,
        accountId: user.accountId,
        digest: this.keyring.tokenDigest(token),
        kind: 'agent',
        role: null,
        agentId: id,
        name: id,
        createdAt: issued.createdAt,
        revokedAt: null,
      },
      this.mutation(user, 'agent.token.create', id, issued.id),
    );
    return issued;
  }

  // ---- run tokens (local runs as an agent) ----

  /**
   * Mints a short-lived agent token for a local run. Admins always may; developers only when the
   * account's `localRuns` setting says so. The digest is stored with the expiry and the minting key,
   * which every read with the token names in its audit record.
   */
  async mintRunToken(p: Principal, agentId: string, ttlSeconds: number | undefined): Promise<RunToken> {
    const ttl = ttlSeconds ?? RUN_TOKEN_DEFAULT_TTL;
    if (!Number.isInteger(ttl) || ttl < RUN_TOKEN_MIN_TTL || ttl > RUN_TOKEN_MAX_TTL) {
      throw problems.badRequest(`ttlSeconds must be a whole number of seconds from ${RUN_TOKEN_MIN_TTL} to ${RUN_TOKEN_MAX_TTL} (12 hours).`, 'ttlSeconds');
    }
    const user = await this.runner(p, 'agent.runtoken.create', agentId);
    const agent = await this.store.getAgent(user.accountId, agentId);
    if (!agent) throw problems.notFound(`Agent '${agentId}' does not exist.`);
    const token = mintToken('agent');
    const now = this.clock();
    const id = newId('tok');
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
    await this.store.insertToken(
      {
        id,
        accountId: user.accountId,
        digest: this.keyring.tokenDigest(token),
        kind: 'agent',
        role: null,
        agentId,
        name: agentId,
        createdAt: now.toISOString(),
        revokedAt: null,
        expiresAt,
        mintedBy: user.tokenId,
        mintedByName: user.name,
      },
      this.mutation(user, 'agent.runtoken.create', agentId, `id: ${id}; expires: ${expiresAt}`),
    );
    return { id, token, agent: agentId, expiresAt, mintedBy: { id: user.tokenId, name: user.name } };
  }

  /** Revokes a run token: its minter or an admin. Revoking one already revoked or expired is a no-op. */
  async revokeRunToken(p: Principal, agentId: string, tokenId: string): Promise<void> {
    const user = this.user(p);
    const row = await this.store.findToken(user.accountId, tokenId);
    if (!row || row.kind !== 'agent' || row.agentId !== agentId || !row.mintedBy) {
      throw problems.notFound(`Agent '${agentId}' has no run token '${tokenId}'.`);
    }
    if (user.role !== 'admin' && row.mintedBy !== user.tokenId) {
      await this.record(user, 'agent.runtoken.revoke', agentId, 'denied', `id: ${tokenId}`);
      throw problems.forbidden('Only the key that minted a run token, or an admin, can revoke it.');
    }
    if (row.revokedAt !== null) return;
    this.revoked(await this.store.revokeToken(user.accountId, tokenId, this.mutation(user, 'agent.runtoken.revoke', agentId, `id: ${tokenId}`)), tokenId);
  }

  /**
   * An agent's live tokens (issue 32), never the token or its digest. Admins see every one; a
   * developer who may mint sees the run tokens their own key minted; anyone else gets 403.
   * Live: not revoked, not expired, and (run tokens) a minter that still stands behind it, the
   * rule authentication applies (auth.ts mayStillUse).
   */
  async listAgentTokens(p: Principal, agentId: string): Promise<AgentTokenInfo[]> {
    const user = p.type === 'user' && p.role === 'admin' ? p : await this.runner(p, null, agentId);
    if (!(await this.store.getAgent(user.accountId, agentId))) throw problems.notFound(`Agent '${agentId}' does not exist.`);
    const now = this.clock().getTime();
    return (await this.store.listAgentTokens(user.accountId, agentId))
      .filter((t) => (user.role === 'admin' || t.mintedBy === user.tokenId) && mayStillUse(t) && !(t.expiresAt && Date.parse(t.expiresAt) <= now))
      .map(tokenInfo);
  }

  /**
   * Revokes one of an agent's tokens, either kind: a run token as revokeRunToken (its minter or an
   * admin); an agent token, admins only. Idempotent; a token of another agent is 404.
   */
  async revokeAgentToken(p: Principal, agentId: string, tokenId: string): Promise<void> {
    const user = this.user(p);
    const row = await this.store.findToken(user.accountId, tokenId);
    if (!row || row.kind !== 'agent' || row.agentId !== agentId) throw problems.notFound(`Agent '${agentId}' has no token '${tokenId}'.`);
    if (row.mintedBy) return this.revokeRunToken(p, agentId, tokenId);
    const admin = await this.admin(p, 'agent.token.revoke', agentId);
    if (row.revokedAt !== null) return;
    this.revoked(await this.store.revokeToken(admin.accountId, tokenId, this.mutation(admin, 'agent.token.revoke', agentId, `id: ${tokenId}`)), tokenId);
  }

  // ---- account settings ----

  async accountSettings(p: Principal): Promise<AccountSettings> {
    const user = this.user(p);
    return settingsOf(await this.account(user.accountId));
  }

  async updateAccountSettings(p: Principal, body: UpdateAccountRequest): Promise<AccountSettings> {
    const user = await this.admin(p, 'account.update', p.accountId);
    if (body.localRuns === undefined && body.versionsKept === undefined) {
      throw problems.badRequest(`Nothing to change: give localRuns ("admins" or "developers") and/or versionsKept (${MIN_VERSIONS_KEPT} to ${MAX_VERSIONS_KEPT}).`);
    }
    const kept = body.versionsKept;
    if (kept !== undefined && (!Number.isInteger(kept) || kept < MIN_VERSIONS_KEPT || kept > MAX_VERSIONS_KEPT)) {
      throw problems.badRequest(`versionsKept must be a whole number from ${MIN_VERSIONS_KEPT} to ${MAX_VERSIONS_KEPT} (the current value included).`, 'versionsKept');
    }
    const detail = [body.localRuns !== undefined && `localRuns: ${body.localRuns}`, kept !== undefined && `versionsKept: ${kept}`].filter(Boolean).join('; ');
    const account = await this.store.updateAccountSettings(
      user.accountId,
      { ...(body.localRuns !== undefined ? { localRuns: body.localRuns } : {}), ...(kept !== undefined ? { versionsKept: kept } : {}) },
      this.mutation(user, 'account.update', user.accountId, detail),
    );
    if (!account) throw problems.unauthorized();
    // Back to admins: the store revoked developers' run tokens; remembered principals go now.
    if (body.localRuns === 'admins') for (const listener of this.onRevoked) listener();
    return settingsOf(account);
  }

  // ---- user keys ----

  async listUserKeys(p: Principal): Promise<UserKey[]> {
    const user = await this.admin(p, null, '');
    return this.store.listUserKeys(user.accountId);
  }

  async createUserKey(p: Principal, name: string, role: Role): Promise<IssuedToken & { role: Role }> {
    const user = await this.admin(p, 'userkey.create', name);
    return this.issueUserKey(user.accountId, name, role, this.mutation(user, 'userkey.create', name));
  }

  /**
   * A key minted by a local command (`init`, `add-account`, `demo`, `issue-key`): holding the data
   * folder and the master key is the authority, and the audit says so with a system actor.
   */
  async issueLocalKey(accountId: string, name: string, role: Role, command: string): Promise<IssuedToken & { role: Role }> {
    if (!(await this.store.getAccount(accountId))) throw new Error(`No account '${accountId}' in this vault.`);
    return this.issueUserKey(accountId, name, role, this.systemMutation(accountId, command, 'userkey.create', name));
  }

  /** Creates an account, audited in it as done by the local command `command`. */
  async createAccountLocally(account: Account, command: string): Promise<void> {
    await this.store.createAccount(
      account,
      this.systemMutation(account.id, command, 'account.create', account.id, `name: ${account.name}; naming: ${account.namingStyle}`),
    );
  }

  /** Revokes a key or token by a local command (demo's earlier ones); the last admin key is kept all the same. */
  async revokeLocalKey(accountId: string, id: string, command: string): Promise<RevokeResult> {
    return this.revoked(await this.store.revokeToken(accountId, id, this.systemMutation(accountId, command, 'userkey.revoke', id)), id);
  }

  /** Records a local operation that concerns every account (rotate-key) in each account's audit. */
  async recordLocal(command: string, action: AuditAction, target: string, outcome: AuditOutcome, detail: string): Promise<void> {
    const accounts = await this.store.listAccounts();
    const actor = systemActor(command);
    await this.store.appendSystemAudit(
      accounts.map((a) => ({ accountId: a.id, ...actor, actorType: 'system', action, target, outcome, detail })),
      this.now(),
    );
  }

  /** Audit retention: deletes records older than `days` days (both files); the pruning is audited. */
  async pruneAudit(days: number): Promise<PruneReport> {
    const cutoff = new Date(this.clock().getTime() - days * 86_400_000);
    const report = await this.store.pruneAudit(cutoff, systemActor('audit-retention'), this.now());
    // Token rows revoked or expired before the cutoff: their audit records are gone too (issue 32).
    await this.store.pruneTokens(cutoff);
    return report;
  }

  /** The key's id is in the record's detail: two keys may share a name, never an id. */
  private async issueUserKey(accountId: string, name: string, role: Role, mutation: Mutation): Promise<IssuedToken & { role: Role }> {
    const token = mintToken('user');
    const issued = { id: newId('key'), token, name, role, createdAt: this.now() };
    mutation = { ...mutation, audit: { ...mutation.audit, detail: `role: ${role}; id: ${issued.id}` } };
    await this.store.insertToken(
      {
        id: issued.id,
        accountId,
        digest: this.keyring.tokenDigest(token),
        kind: 'user',
        role,
        agentId: null,
        name,
        createdAt: issued.createdAt,
        revokedAt: null,
      },
      mutation,
    );
    return issued;
  }

  async revokeUserKey(p: Principal, id: string): Promise<void> {
    const user = await this.admin(p, 'userkey.revoke', id);
    const r = this.revoked(await this.store.revokeToken(user.accountId, id, this.mutation(user, 'userkey.revoke', id)), id);
    if (r === 'missing') throw problems.notFound(`No active API key with id '${id}'.`);
    if (r === 'last-admin') {
      throw problems.lastAdmin(
        `Key '${id}' is the account's only active admin key; revoking it would leave the account unmanageable. Create another admin key first (or, on the vault's host, 'secrets-vault issue-key --account ${user.accountId}').`,
      );
    }
  }

  /** Tells the token memory and the event streams (by key id, so a revoked key's streams end at once). */
  private revoked(r: RevokeResult, id: string): RevokeResult {
    if (r === 'revoked') for (const listener of this.onRevoked) listener(id);
    return r;
  }

  // ---- secrets ----

  async listSecrets(p: Principal, agent?: string): Promise<SecretMetadata[]> {
    const user = this.user(p);
    return this.store.listSecrets(user.accountId, agent);
  }

  async getSecret(p: Principal, name: string): Promise<SecretMetadata> {
    const user = this.user(p);
    const row = await this.store.getSecret(user.accountId, name);
    if (!row) throw problems.notFound(`Secret '${name}' does not exist.`);
    const { sealed: _sealed, ...meta } = row;
    return meta;
  }

  async createSecret(p: Principal, body: CreateSecretRequest): Promise<SecretMetadata> {
    const user = await this.admin(p, 'secret.create', body.name);
    const account = await this.account(user.accountId);
    const nameProblem = checkSecretName(body.name, account.namingStyle);
    if (nameProblem) throw problems.invalidName(nameProblem);
    checkValue(body.value);
    const lifecycle = lifecycleChange(body);
    const agents = uniqueSorted(body.agents ?? []);
    let r: WriteResult<SecretMetadata>;
    // A concurrent rotate-key can drop the data key between sealing and writing: seal again.
    for (let attempt = 0; ; attempt++) {
      const sealed = await this.keyring.sealValue(user.accountId, body.name, 1, body.value);
      r = await this.store.createSecret(
        user.accountId,
        { name: body.name, description: body.description ?? '', ...shape(body.value), agents, sealed, ...lifecycle },
        this.mutation(user, 'secret.create', body.name, detailOf({ kind: shape(body.value).kind, agents, ...lifecycle })),
      );
      if (r.ok || r.reason !== 'stale-key' || attempt >= 5) break;
    }
    return this.unwrap(user.accountId, r, {
      // Names that differ only in case or spacing are one name to a person (nameFold): the twin is refused, naming the one that exists.
      exists: (_a, _v, existing) =>
        problems.conflict(
          existing === undefined || existing === body.name
            ? `Secret '${body.name}' already exists.`
            : `Secret '${existing}' already exists; names that differ only in case or spacing are one name.`,
          'name',
        ),
      'unknown-agent': (agent) => problems.badRequest(`Agent '${agent}' does not exist.`, 'agents'),
    });
  }

  async updateSecret(p: Principal, name: string, body: UpdateSecretRequest, ifMatch?: number): Promise<SecretMetadata> {
    const user = await this.admin(p, 'secret.update', name);
    if (body.description === undefined && body.value === undefined && body.expiresAt === undefined && body.rotationDays === undefined) {
      throw problems.badRequest('Nothing to change: give a description, a value, expiresAt or rotationDays.');
    }
    if (body.value !== undefined) checkValue(body.value);
    const lifecycle = lifecycleChange(body);
    const changed = [
      body.description !== undefined && 'description',
      body.value !== undefined && 'value',
      body.expiresAt !== undefined && 'expiresAt',
      body.rotationDays !== undefined && 'rotationDays',
    ]
      .filter(Boolean)
      .join(', ');
    const detail = [`changed: ${changed}`, detailOf(lifecycle)].filter(Boolean).join('; ');
    // A description or lifecycle change alone is a metadata write: the stored ciphertext is not touched.
    return this.writeWithVersion(user, name, ifMatch, 'secret.updated', async (current) => ({
      description: body.description,
      ...lifecycle,
      ...(body.value !== undefined
        ? { ...shape(body.value), sealed: await this.keyring.sealValue(user.accountId, name, current.valueVersion + 1, body.value) }
        : {}),
    }), this.mutation(user, 'secret.update', name, detail));
  }

  // ---- versions and rollback ----

  /** The kept values' metadata (never a value), newest first; any user of the account. */
  async listSecretVersions(p: Principal, name: string): Promise<SecretVersionInfo[]> {
    const user = this.user(p);
    const versions = await this.store.listSecretVersions(user.accountId, name);
    if (!versions) throw problems.notFound(`Secret '${name}' does not exist.`);
    return versions;
  }

  /**
   * The value of a kept `version` becomes a new current version (admins, If-Match required): opened
   * with its own version's additional data and sealed again for the new one, so the old ciphertext
   * is never put back as it was (it would not open as the new version, by design).
   */
  async rollbackSecret(p: Principal, name: string, version: number, ifMatch: number | undefined): Promise<SecretMetadata> {
    const user = await this.admin(p, 'secret.rollback', name);
    if (ifMatch === undefined) throw problems.preconditionRequired(`Rolling back '${name}' needs If-Match with the version you read.`);
    const current = await this.store.getSecret(user.accountId, name);
    if (!current) throw problems.notFound(`Secret '${name}' does not exist.`);
    if (current.version !== ifMatch) throw problems.preconditionFailed(name, current.version);
    if (version === current.valueVersion) throw problems.conflict(`Version ${version} is already the current value of '${name}'.`, 'version');
    const missing = () => problems.notFound(`Secret '${name}' keeps no value version ${version}; list its versions to see those kept.`);
    if (!(await this.store.getSecretVersion(user.accountId, name, version))) throw missing();
    // If-Match pins the version, and so the value version: the new value is current.valueVersion + 1.
    const detail = `to the value of version ${version} (now version ${current.valueVersion + 1})`;
    return this.writeWithVersion(user, name, ifMatch, 'secret.updated', async (cur) => {
      // Read again on each attempt: a concurrent rotate-key may have re-sealed it under a new key.
      const old = await this.store.getSecretVersion(user.accountId, name, version);
      if (!old) throw missing();
      let sealed: SealedValue;
      try {
        sealed = await this.keyring.resealForVersion(user.accountId, name, old.valueVersion, old.sealed, cur.valueVersion + 1);
      } catch (e) {
        if (e instanceof DecryptionError) await this.record(user, 'secret.rollback', name, 'failed', `version ${version}: decryption failed`);
        throw decryptionProblem(e, name);
      }
      return { kind: old.kind, keys: old.keys, sealed, restoredFrom: version };
    }, this.mutation(user, 'secret.rollback', name, detail));
  }

  // ---- access requests ----

  /**
   * A user (either role) asks that an agent may read a secret, or that a secret be created for it.
   * Answered at once when the agent can already read it (nothing stored); a pending request for the
   * same secret and agent is returned instead of a second one.
   */
  async createAccessRequest(p: Principal, body: CreateAccessRequestBody): Promise<CreateAccessRequestResult> {
    const user = await this.requester(p, body.secret);
    // Per key, before any work: a flood costs one bucket lookup per request, and is not audited
    // one record per refusal (that would be the flood again, in the access log).
    const wait = this.accessRequestLimiter.take(user.tokenId);
    if (wait > 0) {
      throw new ProblemError(
        429,
        'rate_limited',
        'Too many access requests',
        `This key has filed too many access requests (at most ${ACCESS_REQUEST_BURST} at once, then ${ACCESS_REQUEST_RATE_PER_MINUTE} a minute); try again in ${wait} s.`,
      ).withRetryAfter(wait);
    }
    const account = await this.account(user.accountId);
    const nameProblem = checkSecretName(body.secret, account.namingStyle);
    if (nameProblem) throw problems.invalidName(nameProblem, 'secret');
    const agentProblem = checkAgentId(body.agent);
    if (agentProblem) throw problems.invalidName(agentProblem, 'agent');
    const reason = checkReason(body.reason);
    const hint = requestedShape(body);
    const r = await this.store.createAccessRequest(
      user.accountId,
      { id: newId('req'), secret: body.secret, agent: body.agent, reason, ...hint, requestedBy: user.name, requestedById: user.tokenId, createdAt: this.now() },
      { account: MAX_PENDING_ACCESS_REQUESTS, share: ACCESS_REQUEST_SHARE, perRequester: MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER },
      this.mutation(user, 'access.request', body.secret, `agent: ${body.agent}`),
    );
    switch (r.outcome) {
      case 'unknown-agent':
        throw problems.badRequest(`Agent '${body.agent}' does not exist.`, 'agent');
      case 'requester-limit':
        await this.record(user, 'access.request', body.secret, 'denied', `agent: ${body.agent}; too many pending requests from this key`);
        throw new ProblemError(
          409,
          'too_many_pending_requests',
          'Too many pending requests',
          `This key already has ${MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER} pending access requests, the most one key may hold; wait until an admin decides some.`,
        );
      case 'limit':
        await this.record(user, 'access.request', body.secret, 'denied', `agent: ${body.agent}; too many pending requests`);
        throw new ProblemError(
          409,
          'too_many_pending_requests',
          'Too many pending requests',
          `This account already has ${MAX_PENDING_ACCESS_REQUESTS} pending access requests and this key ${ACCESS_REQUEST_SHARE} or more of them; an admin must approve or deny some first.`,
        );
      case 'granted':
        // Nothing changed; the access log says it was asked and answered.
        await this.record(user, 'access.request', body.secret, 'success', `agent: ${body.agent}; already granted, nothing stored`);
        return { outcome: 'granted' };
      case 'pending':
        return { outcome: 'pending', request: r.request };
      case 'created':
        this.bus.publish(user.accountId, r.events);
        return { outcome: 'created', request: r.request };
    }
  }

  async listAccessRequests(p: Principal, status: AccessRequestStatus | undefined): Promise<AccessRequest[]> {
    const user = this.user(p);
    return this.store.listAccessRequests(user.accountId, status, MAX_ACCESS_REQUESTS_LISTED);
  }

  /** Admins: grants the agent on the secret in the same transaction as the request's approval. */
  async approveAccessRequest(p: Principal, id: string): Promise<AccessRequest> {
    const user = await this.admin(p, 'access.request.approve', id);
    return this.decide(user, id, { approve: true }, 'access.request.approve');
  }

  async denyAccessRequest(p: Principal, id: string, reason: string | undefined): Promise<AccessRequest> {
    const user = await this.admin(p, 'access.request.deny', id);
    return this.decide(user, id, { approve: false, reason: checkReason(reason) }, 'access.request.deny');
  }

  /**
   * Admins: denies pending requests in bulk (one key's, all, or a list), at most MAX_BULK_DENY per
   * call, in one transaction; each request gets its own audit record and access.decided event, as a
   * single deny.
   */
  async denyAccessRequests(p: Principal, body: BulkDenyAccessRequestsBody): Promise<BulkDenyAccessRequestsResult> {
    const given = [body.ids !== undefined, body.requestedById !== undefined, body.all !== undefined].filter(Boolean).length;
    const what = body.ids ? `${body.ids.length} listed` : body.requestedById ? `every pending request of ${body.requestedById}` : 'every pending request';
    const user = await this.admin(p, 'access.request.deny', what);
    if (given !== 1) throw problems.badRequest('Give exactly one of ids, requestedById and all.');
    const reason = checkReason(body.reason);
    const filter = body.ids ? { ids: body.ids } : body.requestedById ? { requestedById: body.requestedById } : { all: true as const };
    const r = await this.store.denyAccessRequests(user.accountId, filter, reason, MAX_BULK_DENY, this.mutation(user, 'access.request.deny', '', 'bulk deny'));
    this.bus.publish(user.accountId, r.events);
    return { denied: r.requests.map((q) => q.id), more: r.more };
  }

  /** Retention: deletes access requests decided more than `days` days ago (pending ones stay). */
  async pruneAccessRequests(days: number): Promise<number> {
    return this.store.pruneAccessRequests(new Date(this.clock().getTime() - days * 86_400_000));
  }

  private async decide(user: User, id: string, decision: AccessDecision, action: AuditAction): Promise<AccessRequest> {
    const missing = () => problems.notFound(`There is no access request '${id}'.`);
    const found = await this.store.getAccessRequest(user.accountId, id);
    if (!found) throw missing();
    const r = await this.store.decideAccessRequest(user.accountId, id, decision, this.mutation(user, action, found.secret));
    switch (r.outcome) {
      case 'missing':
        throw missing();
      case 'already-decided':
        throw problems.conflict(`Access request '${id}' was already ${r.request.status}${r.request.decidedBy ? ` by ${r.request.decidedBy}` : ''}.`);
      case 'no-secret': {
        const shapeHint = r.request.kind ? ` (${r.request.kind}${r.request.keys?.length ? `: ${r.request.keys.join(', ')}` : ''})` : '';
        throw problems.conflict(`Secret '${r.request.secret}' does not exist yet: create it first${shapeHint}, then approve the request.`, 'secret');
      }
      case 'unknown-agent':
        throw problems.conflict(`Agent '${r.request.agent}' no longer exists; deny the request instead.`, 'agent');
      case 'decided':
        this.bus.publish(user.accountId, r.events);
        return r.request;
    }
  }

  async deleteSecret(p: Principal, name: string, ifMatch?: number): Promise<void> {
    const user = await this.admin(p, 'secret.delete', name);
    const r = await this.store.deleteSecret(user.accountId, name, ifMatch, this.mutation(user, 'secret.delete', name));
    this.unwrap(user.accountId, r, {
      missing: () => problems.notFound(`Secret '${name}' does not exist.`),
      conflict: (_a, v) => problems.preconditionFailed(name, v!),
    });
  }

  async replaceAccess(p: Principal, name: string, agents: string[], ifMatch: number | undefined): Promise<SecretMetadata> {
    const user = await this.admin(p, 'access.replace', name);
    if (ifMatch === undefined) {
      throw problems.preconditionRequired(`Replacing the access list of '${name}' needs If-Match with the version you read.`);
    }
    const list = uniqueSorted(agents);
    return this.writeWithVersion(user, name, ifMatch, 'access.changed', async () => ({ agents: list }), this.mutation(user, 'access.replace', name, detailOf({ agents: list })));
  }

  /** Grant or revoke one agent; idempotent: no change, no new version. */
  async setGrant(p: Principal, name: string, agent: string, granted: boolean): Promise<SecretMetadata> {
    const action: AuditAction = granted ? 'access.grant' : 'access.revoke';
    const user = await this.admin(p, action, `${name}/${agent}`);
    return this.oneAtATime(user.accountId, name, () => this.setGrantOnce(user, name, agent, granted, action));
  }

  private async setGrantOnce(user: User, name: string, agent: string, granted: boolean, action: AuditAction): Promise<SecretMetadata> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.store.getSecret(user.accountId, name);
      if (!current) throw problems.notFound(`Secret '${name}' does not exist.`);
      if (granted && !(await this.store.getAgent(user.accountId, agent))) {
        throw problems.notFound(`Agent '${agent}' does not exist.`);
      }
      const has = current.agents.includes(agent);
      const { sealed: _s, ...meta } = current;
      if (has === granted) return meta;
      const agents = granted ? uniqueSorted([...current.agents, agent]) : current.agents.filter((a) => a !== agent);
      // A metadata write: the value and its ciphertext stay as they are.
      const r = await this.store.updateSecret(
        user.accountId,
        name,
        { expectedVersion: current.version, agents },
        this.mutation(user, action, name, `agent: ${agent}`),
        'access.changed',
      );
      // A concurrent change moved the version: read again and re-apply (the caller asked for no precondition).
      if (!r.ok && r.reason === 'conflict' && attempt < CONFLICT_RETRIES) {
        await conflictPause(attempt);
        continue;
      }
      return this.unwrap(user.accountId, r, {
        missing: () => problems.notFound(`Secret '${name}' does not exist.`),
        'unknown-agent': () => problems.notFound(`Agent '${agent}' does not exist.`),
        // Still losing to concurrent writers (another process) after every retry: say so, do not fail.
        conflict: () => problems.conflict(`Secret '${name}' kept changing while ${granted ? 'granting' : 'revoking'} '${agent}'; nothing was changed, try again.`),
      });
    }
  }

  // ---- audit ----

  async audit(p: Principal, before: string | undefined, limit: number): Promise<AuditPage> {
    const user = await this.admin(p, null, '');
    const codec = (this.auditIds ??= new AuditIdCodec(this.keyring.auditIdKey()));
    const cursor = before === undefined ? undefined : codec.decode(before);
    const records = before !== undefined && cursor === undefined ? undefined : await this.store.listAudit(user.accountId, cursor, limit + 1);
    if (!records) throw problems.badRequest(`No audit record has the id '${before}' in this account.`, 'before');
    const page = records.slice(0, limit).map((r) => ({ ...r, id: codec.encode(r.id) }));
    return { records: page, next: records.length > limit ? page[page.length - 1]!.id : null };
  }

  private auditIds: AuditIdCodec | undefined;

  // ---- events (the stream and listing ETags read the store through these) ----

  /** The account's last event id (0 before its first change); never goes backwards. */
  lastEventId(accountId: string): Promise<number> {
    return this.store.lastEventId(accountId);
  }

  /** The account's oldest event id still retained (0 when none). */
  oldestEventId(accountId: string): Promise<number> {
    return this.store.oldestEventId(accountId);
  }

  /** The account's events after `afterId`, in order, at most `limit` (a stream's replay on resume). */
  eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]> {
    return this.store.eventsAfter(accountId, afterId, limit);
  }

  // ---- run time ----

  /**
   * A reader for one batch of run-time reads that had all arrived when this is called (see
   * VaultStore.grantedReader): the store's cache is proven current once for the whole batch.
   */
  grantedReader(): GrantedReader {
    return this.store.grantedReader();
  }

  /** Calls `listener` on the store's best-effort change signals (see VaultStore.watch); returns a function that stops. */
  watchStore(listener: () => void): () => void {
    return this.store.watch?.((signal) => {
      if (signal.kind === 'change') listener();
    }) ?? (() => {});
  }

  /** The store state the last freshness check saw (see VaultStore.generation). */
  generation(): number {
    return this.store.generation();
  }

  async runtimeSecret(p: Principal, name: string, reader: Pick<GrantedReader, 'readGranted'> = this.store): Promise<RuntimeSecret> {
    return { name, value: JSON.parse(await this.runtimeValueJson(p, name, reader)) as SecretValue };
  }

  /**
   * The run-time read, with the value as JSON text (the fast path embeds it in its response as it
   * is). `reader`: a batch's reader (see VaultStore.grantedReader); the store itself otherwise.
   */
  async runtimeValueJson(p: Principal, name: string, reader: Pick<GrantedReader, 'readGranted'> = this.store): Promise<string> {
    const agent = p.type === 'agent' ? p : await this.agent(p, 'runtime.read', name); // the hot path skips an await
    const row = await reader.readGranted(agent.accountId, name, agent.agentId);
    if (!row) {
      await this.record(agent, 'runtime.read', name, 'denied');
      // One answer for missing and not granted: an agent cannot probe which secrets exist.
      throw problems.forbidden(`Agent '${agent.agentId}' may not read secret '${name}'.`);
    }
    // Only an agent that may read the secret learns that it has expired (an ungranted one got the
    // answer above), and nothing more: not when, not by whom.
    if (this.isExpired(row.expiresAt)) {
      await this.record(agent, 'runtime.read', name, 'denied', 'secret expired');
      throw problems.secretExpired(name);
    }
    let json: string;
    try {
      json = await this.keyring.openValueJson(agent.accountId, name, row.valueVersion, row.sealed);
    } catch (e) {
      await this.record(agent, 'runtime.read', name, 'failed', 'decryption failed');
      throw decryptionProblem(e, name);
    }
    await this.record(agent, 'runtime.read', name, 'success');
    return json;
  }

  async runtimeEnv(p: Principal): Promise<RuntimeEnv> {
    const agent = await this.agent(p, 'runtime.env', '*');
    const rows = await this.store.listGranted(agent.accountId, agent.agentId);
    const env: Record<string, string> = {};
    for (const row of rows) {
      if (row.kind !== 'single') continue;
      // An expired secret is left out of the environment (the program sees it unset, as get_secret
      // would refuse it) and its refusal audited, rather than failing the whole map: the others
      // still hold, and a run is not stopped by one expired credential it may not even use.
      if (this.isExpired(row.expiresAt)) {
        await this.record(agent, 'runtime.env', row.name, 'denied', 'secret expired');
        continue;
      }
      try {
        env[row.name] = (await this.keyring.openValue(agent.accountId, row.name, row.valueVersion, row.sealed)) as string;
      } catch (e) {
        await this.record(agent, 'runtime.env', row.name, 'failed', 'decryption failed');
        throw decryptionProblem(e, row.name);
      }
    }
    await this.record(agent, 'runtime.env', '*', 'success', `names: ${Object.keys(env).join(', ')}`);
    return { env };
  }

  // ---- helpers ----

  private async writeWithVersion(
    user: User,
    name: string,
    ifMatch: number | undefined,
    eventType: 'secret.updated' | 'access.changed',
    change: SecretChangeOf,
    mutation: Mutation,
  ): Promise<SecretMetadata> {
    // Without If-Match a lost race is re-tried, so such changes to one secret queue in this process (see oneAtATime).
    if (ifMatch === undefined) return this.oneAtATime(user.accountId, name, () => this.writeWithVersionOnce(user, name, ifMatch, eventType, change, mutation));
    return this.writeWithVersionOnce(user, name, ifMatch, eventType, change, mutation);
  }

  private async writeWithVersionOnce(
    user: User,
    name: string,
    ifMatch: number | undefined,
    eventType: 'secret.updated' | 'access.changed',
    change: SecretChangeOf,
    mutation: Mutation,
  ): Promise<SecretMetadata> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.store.getSecret(user.accountId, name);
      if (!current) throw problems.notFound(`Secret '${name}' does not exist.`);
      if (ifMatch !== undefined && current.version !== ifMatch) throw problems.preconditionFailed(name, current.version);
      const r = await this.store.updateSecret(
        user.accountId,
        name,
        { ...(await change(current)), expectedVersion: current.version },
        mutation,
        eventType,
      );
      // Without If-Match the caller asked for no precondition: re-read and re-apply on a race.
      if (!r.ok && r.reason === 'conflict' && ifMatch === undefined && attempt < CONFLICT_RETRIES) {
        await conflictPause(attempt);
        continue;
      }
      // Sealed under a data key a concurrent rotate-key has dropped since: nothing was written; seal again.
      if (!r.ok && r.reason === 'stale-key' && attempt < 5) continue;
      return this.unwrap(user.accountId, r, {
        missing: () => problems.notFound(`Secret '${name}' does not exist.`),
        conflict: (_a, v) => problems.preconditionFailed(name, v!),
        'unknown-agent': (agent) => problems.badRequest(`Agent '${agent}' does not exist.`, 'agents'),
      });
    }
  }

  /** Per secret, the tail of this process's queue of re-tried changes (see oneAtATime). */
  private readonly queues = new Map<string, Promise<unknown>>();

  /**
   * Runs `fn` after this process's earlier re-tried changes to the same secret have finished. A
   * grant (or a change without If-Match) reads the secret, then writes it if its version has not
   * moved, re-trying on a lost race. On PostgreSQL writes queue on one lock and each attempt spans
   * round trips, so with many clients changing one secret nearly every attempt lost to the queue
   * ahead of it and grants failed with 409 after every re-try (the security suite's grant/revoke
   * storm over two replicas: a third of them). Queued here, only the replicas race each other,
   * and conflictPause spreads those out.
   */
  private async oneAtATime<T>(accountId: string, name: string, fn: () => Promise<T>): Promise<T> {
    const key = `${accountId}\u0000${name}`;
    const run = (this.queues.get(key) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => {});
    this.queues.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    }
  }

  private unwrap<T>(
    accountId: string,
    r: WriteResult<T>,
    map: Partial<Record<'missing' | 'exists' | 'conflict' | 'unknown-agent' | 'stale-key', (agent?: string, version?: number, existing?: string) => ProblemError>>,
  ): T {
    if (r.ok) {
      this.bus.publish(accountId, r.events);
      return r.value;
    }
    const make = map[r.reason];
    if (!make) throw new Error(`Unexpected store result: ${r.reason}`);
    throw make(r.agent, r.currentVersion, r.existing);
  }

  private mutation(user: User, action: AuditAction, target: string, detail = ''): Mutation {
    return { now: this.now(), audit: { accountId: user.accountId, actor: user.name, actorId: user.tokenId, actorType: 'user', action, target, detail } };
  }

  private systemMutation(accountId: string, command: string, action: AuditAction, target: string, detail = ''): Mutation {
    return { now: this.now(), audit: { accountId, ...systemActor(command), actorType: 'system', action, target, detail } };
  }

  private user(p: Principal): User {
    if (p.type !== 'user') throw problems.forbidden('Agent tokens can only read their granted secrets at run time.');
    return p;
  }

  /** Admins pass; anyone else gets 403, recorded in the audit when the call was a mutation. */
  private async admin(p: Principal, action: AuditAction | null, target: string): Promise<User> {
    if (p.type === 'user' && p.role === 'admin') return p;
    if (action) await this.record(p, action, target, 'denied');
    if (p.type === 'agent') throw problems.forbidden('Agent tokens can only read their granted secrets at run time.');
    throw problems.forbidden('Only admins can do this; your API key has the developer role.');
  }

  /** Who may mint a run token: admins; developers when the account allows local runs to them. `action` null: a read, not audited. */
  private async runner(p: Principal, action: AuditAction | null, target: string): Promise<User> {
    if (p.type === 'user' && p.role === 'admin') return p;
    if (p.type === 'user' && (await this.account(p.accountId)).localRuns === 'developers') return p;
    if (action) await this.record(p, action, target, 'denied');
    if (p.type === 'agent') throw problems.forbidden('Agent tokens can only read their granted secrets at run time.');
    throw problems.forbidden(
      "Only admins may run as an agent in this account; an admin can let developers do it with 'secrets-vault account set local-runs developers'.",
    );
  }

  /** Access requests: users of either role; an agent token is refused and the attempt audited. */
  private async requester(p: Principal, target: string): Promise<User> {
    if (p.type === 'user') return p;
    await this.record(p, 'access.request', target, 'denied');
    throw problems.forbidden('Agent tokens can only read their granted secrets at run time.');
  }

  /** Whether an expiry (ISO 8601, or null for none) has passed by the service's clock. */
  private isExpired(expiresAt: string | null): boolean {
    return expiresAt !== null && this.clock().getTime() >= Date.parse(expiresAt);
  }

  private async agent(p: Principal, action: AuditAction, target: string): Promise<AgentPrincipal> {
    if (p.type === 'agent') return p;
    await this.record(p, action, target, 'denied');
    throw problems.forbidden('Run-time reads need an agent token; user API keys never read values.');
  }

  private record(p: Principal, action: AuditAction, target: string, outcome: 'success' | 'denied' | 'failed', detail = ''): Promise<void> {
    // A run token's reads are the agent's, and also name the person who minted it (issue 16).
    if (p.type === 'agent' && p.mintedBy) {
      const minted = `run token minted by ${p.mintedBy.name} (${p.mintedBy.id})`;
      detail = detail ? `${detail}; ${minted}` : minted;
    }
    return this.auditWriter.record({
      accountId: p.accountId,
      actor: p.type === 'agent' ? p.agentId : p.name,
      actorId: p.tokenId,
      actorType: p.type,
      action,
      target,
      outcome,
      detail,
    });
  }

  private async account(id: string): Promise<Account> {
    const account = await this.store.getAccount(id);
    if (!account) throw problems.unauthorized();
    return account;
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

function tokenInfo(t: TokenRow): AgentTokenInfo {
  const run = Boolean(t.mintedBy);
  return {
    id: t.id,
    kind: run ? 'run' : 'agent',
    name: t.name,
    minter: run ? { id: t.mintedBy!, name: t.mintedByName ?? t.mintedBy! } : null,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt ?? null,
  };
}

function settingsOf(a: Account): AccountSettings {
  return { id: a.id, name: a.name, namingStyle: a.namingStyle, localRuns: a.localRuns ?? 'admins', versionsKept: a.versionsKept ?? DEFAULT_VERSIONS_KEPT };
}

/** ISO 8601 date and time with seconds optional and a time zone required (Z or ±hh:mm). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** The expiry and rotation reminder of a create or update body, checked and normalised (absent: unchanged). */
function lifecycleChange(body: { expiresAt?: string | null; rotationDays?: number | null }): { expiresAt?: string | null; rotationDays?: number | null } {
  const out: { expiresAt?: string | null; rotationDays?: number | null } = {};
  if (body.expiresAt !== undefined) {
    const ms = body.expiresAt === null ? null : ISO_DATE_TIME.test(body.expiresAt) ? Date.parse(body.expiresAt) : NaN;
    if (ms !== null && !Number.isFinite(ms)) {
      throw problems.badRequest('expiresAt must be an ISO 8601 date and time with a time zone, for example 2026-12-31T00:00:00Z.', 'expiresAt');
    }
    out.expiresAt = ms === null ? null : new Date(ms).toISOString();
  }
  if (body.rotationDays !== undefined) {
    const d = body.rotationDays;
    if (d !== null && (!Number.isInteger(d) || d < MIN_ROTATION_DAYS || d > MAX_ROTATION_DAYS)) {
      throw problems.badRequest(`rotationDays must be a whole number of days from ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}.`, 'rotationDays');
    }
    out.rotationDays = d;
  }
  return out;
}

/**
 * A request's or denial's reason: trimmed, bounded, no control or invisible characters (it is shown
 * in tables and the editor), the refusal naming the code point, never quoting the text.
 */
function checkReason(reason: string | undefined): string {
  const text = (reason ?? '').trim();
  if (text.length > MAX_ACCESS_REQUEST_REASON) throw problems.badRequest(`A reason is at most ${MAX_ACCESS_REQUEST_REASON} characters.`, 'reason');
  const unsafe = firstUnsafeCodePoint(text);
  if (unsafe) throw problems.badRequest(`A reason must not contain control or invisible characters (it holds ${unsafe}).`, 'reason');
  return text;
}

/** For a secret that may not exist yet: the kind and keys the requester's code reads (a hint for the create form). */
function requestedShape(body: CreateAccessRequestBody): { kind?: 'single' | 'kv'; keys?: string[] } {
  const keys = body.keys === undefined ? undefined : uniqueSorted(body.keys);
  if (keys && keys.length > MAX_PAIRS) throw problems.badRequest(`At most ${MAX_PAIRS} keys.`, 'keys');
  for (const k of keys ?? []) {
    const problem = checkKey(k);
    if (problem) throw problems.badRequest(problem, 'keys');
  }
  if (body.kind === 'single' && keys?.length) throw problems.badRequest('A single-value secret has no keys.', 'keys');
  const kind = body.kind ?? (keys?.length ? 'kv' : undefined);
  return { ...(kind ? { kind } : {}), ...(keys ? { keys } : {}) };
}

function checkValue(value: SecretValue): void {
  const problem = checkSecretValue(value);
  if (!problem) return;
  if (problem.message.includes(`${MAX_VALUE_BYTES / 1024} KiB`)) throw problems.tooLarge(problem.message, problem.field);
  throw problems.invalidValue(problem.message, problem.field);
}

function shape(value: SecretValue): { kind: 'single' | 'kv'; keys: string[] } {
  return typeof value === 'string' ? { kind: 'single', keys: [] } : { kind: 'kv', keys: Object.keys(value).sort() };
}

function uniqueSorted(list: string[]): string[] {
  return [...new Set(list)].sort();
}

function detailOf(o: { kind?: string; agents?: string[]; expiresAt?: string | null; rotationDays?: number | null }): string {
  const parts: string[] = [];
  if (o.kind) parts.push(`kind: ${o.kind}`);
  if (o.agents) parts.push(`agents: ${o.agents.join(', ') || '(none)'}`);
  if (o.expiresAt !== undefined) parts.push(`expiresAt: ${o.expiresAt ?? '(none)'}`);
  if (o.rotationDays !== undefined) parts.push(`rotationDays: ${o.rotationDays ?? '(none)'}`);
  return parts.join('; ');
}

function decryptionProblem(e: unknown, name: string): ProblemError {
  if (e instanceof DecryptionError) {
    return new ProblemError(500, 'decryption_failed', 'Decryption failed', `The stored value of '${name}' failed authentication; it was not returned.`);
  }
  throw e;
}
