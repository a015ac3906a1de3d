// Access requests: filed by any user, approved or denied by admins, pruned by retention.

import { ACCESS_REQUEST_BURST, ACCESS_REQUEST_RATE_PER_MINUTE, ACCESS_REQUEST_SHARE, type AccessRequest, type AccessRequestStatus, type AuditAction, type BulkDenyAccessRequestsBody, type BulkDenyAccessRequestsResult, type CreateAccessRequestBody, type CreateAccessRequestResult, MAX_ACCESS_REQUESTS_LISTED, MAX_BULK_DENY, MAX_PENDING_ACCESS_REQUESTS, MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER } from '../../../protocol/api';
import { checkAgentId, checkKey, checkSecretName, MAX_PAIRS } from '../../../protocol/names';
import { newId, type Principal, ReadRateLimiter } from '../auth';
import { checkReason, refuseCredentialNames, refuseCredentials } from '../nameChecks';
import { ProblemError, problems } from '../errors';
import type { AccessDecision } from '../store/types';
import { ServiceContext, uniqueSorted, type User } from './serviceContext';

/** Access requests. */
export class AccessRequestsService {
  /** Access requests filed per user key (a token bucket): one key's flood is refused with 429. */
  readonly accessRequestLimiter = new ReadRateLimiter(ACCESS_REQUEST_RATE_PER_MINUTE / 60, ACCESS_REQUEST_BURST);

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * A user (either role) asks that an agent may read a secret, or that a secret be created for it.
   * Answered at once when the agent can already read it (nothing stored); a pending request for the
   * same secret and agent is returned instead of a second one.
   */
  async createAccessRequest(p: Principal, body: CreateAccessRequestBody): Promise<CreateAccessRequestResult> {
    // A credential where a name, key or reason goes is refused before anything records or shows it:
    // a request is audited, broadcast on every user's event stream and listed to every user.
    refuseCredentials({ reason: body.reason, keys: body.keys });
    await refuseCredentialNames({ secret: body.secret, agent: body.agent }, async (field, text) =>
      field === 'secret' ? (await this.ctx.store.secrets.getSecret(p.accountId, text)) !== undefined : (await this.ctx.store.agents.getAgent(p.accountId, text)) !== undefined,
    );
    const user = await this.ctx.requester(p, body.secret);
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
    const account = await this.ctx.account(user.accountId);
    const nameProblem = checkSecretName(body.secret, account.namingStyle);
    if (nameProblem) throw problems.invalidName(nameProblem, 'secret');
    const agentProblem = checkAgentId(body.agent);
    if (agentProblem) throw problems.invalidName(agentProblem, 'agent');
    const reason = checkReason(body.reason);
    const hint = requestedShape(body);
    const r = await this.ctx.store.accessRequests.createAccessRequest(
      user.accountId,
      { id: newId('req'), secret: body.secret, agent: body.agent, reason, ...hint, requestedBy: user.name, requestedById: user.tokenId, createdAt: this.ctx.now() },
      { account: MAX_PENDING_ACCESS_REQUESTS, share: ACCESS_REQUEST_SHARE, perRequester: MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER },
      this.ctx.mutation(user, 'access.request', body.secret, `agent: ${body.agent}`),
    );
    switch (r.outcome) {
      case 'unknown-agent':
        throw problems.badRequest(`Agent '${body.agent}' does not exist.`, 'agent');
      case 'requester-limit':
        await this.ctx.record(user, 'access.request', body.secret, 'denied', `agent: ${body.agent}; too many pending requests from this key`);
        throw new ProblemError(
          409,
          'too_many_pending_requests',
          'Too many pending requests',
          `This key already has ${MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER} pending access requests, the most one key may hold; wait until an admin decides some.`,
        );
      case 'limit':
        await this.ctx.record(user, 'access.request', body.secret, 'denied', `agent: ${body.agent}; too many pending requests`);
        throw new ProblemError(
          409,
          'too_many_pending_requests',
          'Too many pending requests',
          `This account already has ${MAX_PENDING_ACCESS_REQUESTS} pending access requests and this key ${ACCESS_REQUEST_SHARE} or more of them; an admin must approve or deny some first.`,
        );
      case 'granted':
        // Nothing changed; the access log says it was asked and answered.
        await this.ctx.record(user, 'access.request', body.secret, 'success', `agent: ${body.agent}; already granted, nothing stored`);
        return { outcome: 'granted' };
      case 'pending':
        return { outcome: 'pending', request: r.request };
      case 'created':
        this.ctx.bus.publish(user.accountId, r.events);
        return { outcome: 'created', request: r.request };
    }
  }

  async listAccessRequests(p: Principal, status: AccessRequestStatus | undefined): Promise<AccessRequest[]> {
    const user = this.ctx.user(p);
    return this.ctx.store.accessRequests.listAccessRequests(user.accountId, status, MAX_ACCESS_REQUESTS_LISTED);
  }

  /** Admins: grants the agent on the secret in the same transaction as the request's approval. */
  async approveAccessRequest(p: Principal, id: string): Promise<AccessRequest> {
    const user = await this.ctx.admin(p, 'access.request.approve', id);
    return this.decide(user, id, { approve: true }, 'access.request.approve');
  }

  async denyAccessRequest(p: Principal, id: string, reason: string | undefined): Promise<AccessRequest> {
    const user = await this.ctx.admin(p, 'access.request.deny', id);
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
    const user = await this.ctx.admin(p, 'access.request.deny', what);
    if (given !== 1) throw problems.badRequest('Give exactly one of ids, requestedById and all.');
    const reason = checkReason(body.reason);
    const filter = body.ids ? { ids: body.ids } : body.requestedById ? { requestedById: body.requestedById } : { all: true as const };
    const r = await this.ctx.store.accessRequests.denyAccessRequests(user.accountId, filter, reason, MAX_BULK_DENY, this.ctx.mutation(user, 'access.request.deny', '', 'bulk deny'));
    this.ctx.bus.publish(user.accountId, r.events);
    return { denied: r.requests.map((q) => q.id), more: r.more };
  }

  /** Retention: deletes access requests decided more than `days` days ago (pending ones stay). */
  async pruneAccessRequests(days: number): Promise<number> {
    return this.ctx.store.accessRequests.pruneAccessRequests(new Date(this.ctx.clock().getTime() - days * 86_400_000));
  }

  private async decide(user: User, id: string, decision: AccessDecision, action: AuditAction): Promise<AccessRequest> {
    const missing = () => problems.notFound(`There is no access request '${id}'.`);
    const found = await this.ctx.store.accessRequests.getAccessRequest(user.accountId, id);
    if (!found) throw missing();
    const r = await this.ctx.store.accessRequests.decideAccessRequest(user.accountId, id, decision, this.ctx.mutation(user, action, found.secret));
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
        this.ctx.bus.publish(user.accountId, r.events);
        return r.request;
    }
  }
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
