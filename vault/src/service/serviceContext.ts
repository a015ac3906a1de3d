// What every resource's service module shares: the store, the keyring, the event bus, the audit
// writer and the clock, and the rules all of them apply (who may call, how a write is audited,
// how a compare-and-swap on a secret is re-tried, how a store result becomes a problem).

import type { AuditAction, SecretMetadata } from '../../../protocol/api';
import { systemActor, type AuditWriter } from '../audit';
import { AuditIdCodec } from '../auditIds';
import { auditableName } from '../nameChecks';
import type { Principal } from '../auth';
import { DecryptionError } from '../crypto/aead';
import type { Keyring } from '../crypto/keyring';
import { ProblemError, problems } from '../errors';
import type { EventBus } from '../events';
import type { Account, Mutation, RevokeResult, SecretChange, SecretRow, VaultStore, WriteResult } from '../store/types';

export type User = Extract<Principal, { type: 'user' }>;
export type AgentPrincipal = Extract<Principal, { type: 'agent' }>;
/** What a versioned write changes, computed from the secret as it is read (again on each re-try). */
export type SecretChangeOf = (current: SecretRow) => Promise<Omit<SecretChange, 'expectedVersion'>>;

/**
 * Re-tries of a compare-and-swap that lost to a concurrent writer (a grant or revoke, or a change
 * without If-Match). Within a process such changes queue (ServiceContext.oneAtATime); between
 * replicas on PostgreSQL they race, and immediate re-tries keep colliding. A short random pause
 * that grows with each loss spreads them out; each loss means another writer's change went in, so
 * all get through. The write stays a compare-and-swap: the pause changes timing only.
 */
export const CONFLICT_RETRIES = 25;

export function conflictPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
}

/** The shared state and rules of the service modules; each holds one and nothing else of the others. */
export class ServiceContext {
  /**
   * Called after a token stops being valid (a key revoked, an agent and its tokens deleted), with
   * the revoked key's id when there is one.
   */
  readonly onRevoked = new Set<(tokenId?: string) => void>();

  constructor(
    readonly store: VaultStore,
    readonly keyring: Keyring,
    readonly bus: EventBus,
    readonly auditWriter: AuditWriter,
    readonly clock: () => Date = () => new Date(),
  ) {}

  private auditIdCodec: AuditIdCodec | undefined;

  /** Audit record ids as clients see them (auditIds.ts), made when first needed. */
  auditIds(): AuditIdCodec {
    return (this.auditIdCodec ??= new AuditIdCodec(this.keyring.auditIdKey()));
  }

  /** Tells the token memory and the event streams (by key id, so a revoked key's streams end at once). */
  revoked(r: RevokeResult, id: string): RevokeResult {
    if (r === 'revoked') for (const listener of this.onRevoked) listener(id);
    return r;
  }

  async writeWithVersion(
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
      const current = await this.store.secrets.getSecret(user.accountId, name);
      if (!current) throw problems.notFound(`Secret '${name}' does not exist.`);
      if (ifMatch !== undefined && current.version !== ifMatch) throw problems.preconditionFailed(name, current.version);
      const r = await this.store.secrets.updateSecret(
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
  async oneAtATime<T>(accountId: string, name: string, fn: () => Promise<T>): Promise<T> {
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

  unwrap<T>(
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

  mutation(user: User, action: AuditAction, target: string, detail = ''): Mutation {
    return { now: this.now(), audit: { accountId: user.accountId, actor: user.name, actorId: user.tokenId, actorType: 'user', action, target, detail: withClient(detail, user) } };
  }

  systemMutation(accountId: string, command: string, action: AuditAction, target: string, detail = ''): Mutation {
    return { now: this.now(), audit: { accountId, ...systemActor(command), actorType: 'system', action, target, detail } };
  }

  user(p: Principal): User {
    if (p.type !== 'user') throw problems.forbidden('Agent tokens can only read their granted secrets at run time.');
    return p;
  }

  /** Admins pass; anyone else gets 403, recorded in the audit when the call was a mutation. */
  async admin(p: Principal, action: AuditAction | null, target: string): Promise<User> {
    if (p.type === 'user' && p.role === 'admin') return p;
    if (action) await this.record(p, action, target, 'denied');
    if (p.type === 'agent') throw problems.forbidden('Agent tokens can only read their granted secrets at run time.');
    throw problems.forbidden('Only admins can do this; your API key has the developer role.');
  }

  /** Who may mint a run token: admins; developers when the account allows local runs to them. `action` null: a read, not audited. */
  async runner(p: Principal, action: AuditAction | null, target: string): Promise<User> {
    if (p.type === 'user' && p.role === 'admin') return p;
    if (p.type === 'user' && (await this.account(p.accountId)).localRuns === 'developers') return p;
    if (action) await this.record(p, action, target, 'denied');
    if (p.type === 'agent') throw problems.forbidden('Agent tokens can only read their granted secrets at run time.');
    throw problems.forbidden(
      "Only admins may run as an agent in this account; an admin can let developers do it with 'secrets-vault account set local-runs developers'.",
    );
  }

  /** Access requests: users of either role; an agent token is refused and the attempt audited. */
  async requester(p: Principal, target: string): Promise<User> {
    if (p.type === 'user') return p;
    await this.record(p, 'access.request', target, 'denied');
    throw problems.forbidden('Agent tokens can only read their granted secrets at run time.');
  }

  /** Whether an expiry (ISO 8601, or null for none) has passed by the service's clock. */
  isExpired(expiresAt: string | null): boolean {
    return expiresAt !== null && this.clock().getTime() >= Date.parse(expiresAt);
  }

  async agent(p: Principal, action: AuditAction, target: string): Promise<AgentPrincipal> {
    if (p.type === 'agent') return p;
    await this.record(p, action, target, 'denied');
    throw problems.forbidden('Run-time reads need an agent token; user API keys never read values.');
  }

  /**
   * Audits a request. A refused or failed one may name what does not exist, so its target is
   * judged by the credential detector and recorded as a digest when it is a credential (a value
   * passed where a name goes: credentialNames.ts); a successful one names what exists.
   */
  record(p: Principal, action: AuditAction, target: string, outcome: 'success' | 'denied' | 'failed', detail = ''): Promise<void> {
    if (outcome !== 'success') target = auditableName(target);
    // A run token's reads are the agent's, and also name the person who minted it.
    if (p.type === 'agent' && p.mintedBy) {
      const minted = `run token minted by ${p.mintedBy.name} (${p.mintedBy.id})`;
      detail = detail ? `${detail}; ${minted}` : minted;
    }
    detail = withClient(detail, p);
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

  /**
   * Audits a successful run-time read and keeps it as the secret's last read by the agent (in the
   * same write as the record; see AuditWriter.noteRead). `environment`: what the reader said, checked.
   */
  recordRead(agent: AgentPrincipal, name: string, environment: string | null): Promise<void> {
    this.auditWriter.noteRead({ accountId: agent.accountId, secret: name, agent: agent.agentId, environment });
    return this.record(agent, 'runtime.read', name, 'success');
  }

  /** The environment map's success: each value in it is its secret's last read by the agent. */
  recordEnvRead(agent: AgentPrincipal, names: readonly string[], environment: string | null): Promise<void> {
    for (const secret of names) this.auditWriter.noteRead({ accountId: agent.accountId, secret, agent: agent.agentId, environment });
    return this.record(agent, 'runtime.env', '*', 'success', `names: ${names.join(', ')}`);
  }

  async account(id: string): Promise<Account> {
    const account = await this.store.accounts.getAccount(id);
    if (!account) throw problems.unauthorized();
    return account;
  }

  now(): string {
    return this.clock().toISOString();
  }
}

export function uniqueSorted(list: string[]): string[] {
  return [...new Set(list)].sort();
}

export function detailOf(o: {
  kind?: string;
  agents?: string[];
  expiresAt?: string | null;
  rotationDays?: number | null;
  /** Marks on keys: key names and marks (metadata), never a value. */
  keySensitivity?: Readonly<Record<string, string>>;
}): string {
  const parts: string[] = [];
  if (o.kind) parts.push(`kind: ${o.kind}`);
  if (o.agents) parts.push(`agents: ${o.agents.join(', ') || '(none)'}`);
  if (o.expiresAt !== undefined) parts.push(`expiresAt: ${o.expiresAt ?? '(none)'}`);
  if (o.rotationDays !== undefined) parts.push(`rotationDays: ${o.rotationDays ?? '(none)'}`);
  if (o.keySensitivity !== undefined) {
    parts.push(`keySensitivity: ${Object.entries(o.keySensitivity).map(([k, m]) => `${k}=${m}`).join(', ') || '(none)'}`);
  }
  return parts.join('; ');
}

export function decryptionProblem(e: unknown, name: string): ProblemError {
  if (e instanceof DecryptionError) {
    return new ProblemError(500, 'decryption_failed', 'Decryption failed', `The stored value of '${name}' failed authentication; it was not returned.`);
  }
  throw e;
}

/** The assistant acting for the user (secrets-vault mcp's header), appended to an audit record's detail. */
export function withClient(detail: string, p: Principal): string {
  if (p.type !== 'user' || p.client === undefined) return detail;
  const marker = `assistant: ${p.client}`;
  return detail ? `${detail}; ${marker}` : marker;
}
