// Agents, their long-lived tokens and the short-lived run tokens of local runs.

import { type Agent, type AgentReadList, type AgentTokenInfo, type CreateAgentRequest, type IssuedToken, RUN_TOKEN_DEFAULT_TTL, RUN_TOKEN_MAX_TTL, RUN_TOKEN_MIN_TTL, type RunToken, type UpdateAgentRequest } from '../../../protocol/api';
import { checkAgentId } from '../../../protocol/names';
import { mayStillUse, mintToken, newId, type Principal } from '../auth';
import { problems } from '../errors';
import type { TokenRow } from '../store/types';
import { ServiceContext } from './serviceContext';

/** Agents and agent tokens (admins), run tokens (admins; developers when the account lets them). */
export class AgentsService {
  constructor(private readonly ctx: ServiceContext) {}

  async listAgents(p: Principal): Promise<Agent[]> {
    const user = this.ctx.user(p);
    return this.ctx.store.agents.listAgents(user.accountId);
  }

  /**
   * The agent's last run-time read of each secret it has read (metadata: names and times). People
   * of either role, as for the agents' listing; an agent token, its own only (another agent's gets
   * the same 403 whether it exists or not).
   */
  async agentReads(p: Principal, agentId: string): Promise<AgentReadList> {
    if (p.type === 'agent' && p.agentId !== agentId) throw problems.forbidden("An agent token reads only its own agent's reads.");
    if (!(await this.ctx.store.agents.getAgent(p.accountId, agentId))) throw problems.notFound(`Agent '${agentId}' does not exist.`);
    return { agent: agentId, reads: await this.ctx.store.reads.agentReads(p.accountId, agentId) };
  }

  async createAgent(p: Principal, body: CreateAgentRequest): Promise<Agent> {
    const user = await this.ctx.admin(p, 'agent.create', body.id);
    const problem = checkAgentId(body.id);
    if (problem) throw problems.invalidName(problem, 'id');
    const agent: Agent = { id: body.id, name: body.name ?? body.id, description: body.description ?? '', createdAt: this.ctx.now() };
    const r = await this.ctx.store.agents.createAgent(user.accountId, agent, this.ctx.mutation(user, 'agent.create', body.id));
    // Ids that differ only in case are one agent to a person (agentIdFold): the store's unique fold refuses the twin.
    return this.ctx.unwrap(user.accountId, r, {
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
    const user = await this.ctx.admin(p, 'agent.update', id);
    if (body.name === undefined && body.description === undefined) throw problems.badRequest('Nothing to change: give a name and/or a description.');
    const changed = [body.name !== undefined && 'name', body.description !== undefined && 'description'].filter(Boolean).join(', ');
    const change = { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.description !== undefined ? { description: body.description } : {}) };
    const r = await this.ctx.store.agents.updateAgent(user.accountId, id, change, this.ctx.mutation(user, 'agent.update', id, `changed: ${changed}`));
    return this.ctx.unwrap(user.accountId, r, { missing: () => problems.notFound(`Agent '${id}' does not exist.`) });
  }

  async deleteAgent(p: Principal, id: string): Promise<void> {
    const user = await this.ctx.admin(p, 'agent.delete', id);
    const r = await this.ctx.store.agents.deleteAgent(user.accountId, id, this.ctx.mutation(user, 'agent.delete', id));
    this.ctx.unwrap(user.accountId, r, { missing: () => problems.notFound(`Agent '${id}' does not exist.`) });
    for (const listener of this.ctx.onRevoked) listener();
  }

  async createAgentToken(p: Principal, id: string, name?: string): Promise<IssuedToken> {
    const user = await this.ctx.admin(p, 'agent.token.create', id);
    const agent = await this.ctx.store.agents.getAgent(user.accountId, id);
    if (!agent) throw problems.notFound(`Agent '${id}' does not exist.`);
    const token = mintToken('agent');
    const issued: IssuedToken = { id: newId('tok'), token, name: name ?? `${id} token`, createdAt: this.ctx.now() };
    await this.ctx.store.tokens.insertToken(
      {
        id: issued.id,
        accountId: user.accountId,
        digest: this.ctx.keyring.tokenDigest(token),
        kind: 'agent',
        role: null,
        agentId: id,
        name: id,
        createdAt: issued.createdAt,
        revokedAt: null,
      },
      this.ctx.mutation(user, 'agent.token.create', id, issued.id),
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
    const user = await this.ctx.runner(p, 'agent.runtoken.create', agentId);
    const agent = await this.ctx.store.agents.getAgent(user.accountId, agentId);
    if (!agent) throw problems.notFound(`Agent '${agentId}' does not exist.`);
    const token = mintToken('agent');
    const now = this.ctx.clock();
    const id = newId('tok');
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
    await this.ctx.store.tokens.insertToken(
      {
        id,
        accountId: user.accountId,
        digest: this.ctx.keyring.tokenDigest(token),
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
      this.ctx.mutation(user, 'agent.runtoken.create', agentId, `id: ${id}; expires: ${expiresAt}`),
    );
    return { id, token, agent: agentId, expiresAt, mintedBy: { id: user.tokenId, name: user.name } };
  }

  /** Revokes a run token: its minter or an admin. Revoking one already revoked or expired is a no-op. */
  async revokeRunToken(p: Principal, agentId: string, tokenId: string): Promise<void> {
    const user = this.ctx.user(p);
    const row = await this.ctx.store.tokens.findToken(user.accountId, tokenId);
    if (!row || row.kind !== 'agent' || row.agentId !== agentId || !row.mintedBy) {
      throw problems.notFound(`Agent '${agentId}' has no run token '${tokenId}'.`);
    }
    if (user.role !== 'admin' && row.mintedBy !== user.tokenId) {
      await this.ctx.record(user, 'agent.runtoken.revoke', agentId, 'denied', `id: ${tokenId}`);
      throw problems.forbidden('Only the key that minted a run token, or an admin, can revoke it.');
    }
    if (row.revokedAt !== null) return;
    this.ctx.revoked(await this.ctx.store.tokens.revokeToken(user.accountId, tokenId, this.ctx.mutation(user, 'agent.runtoken.revoke', agentId, `id: ${tokenId}`)), tokenId);
  }

  /**
   * An agent's live tokens, never the token or its digest. Admins see every one; a
   * developer who may mint sees the run tokens their own key minted; anyone else gets 403.
   * Live: not revoked, not expired, and (run tokens) a minter that still stands behind it, the
   * rule authentication applies (auth.ts mayStillUse).
   */
  async listAgentTokens(p: Principal, agentId: string): Promise<AgentTokenInfo[]> {
    const user = p.type === 'user' && p.role === 'admin' ? p : await this.ctx.runner(p, null, agentId);
    if (!(await this.ctx.store.agents.getAgent(user.accountId, agentId))) throw problems.notFound(`Agent '${agentId}' does not exist.`);
    const now = this.ctx.clock().getTime();
    return (await this.ctx.store.tokens.listAgentTokens(user.accountId, agentId))
      .filter((t) => (user.role === 'admin' || t.mintedBy === user.tokenId) && mayStillUse(t) && !(t.expiresAt && Date.parse(t.expiresAt) <= now))
      .map(tokenInfo);
  }

  /**
   * Revokes one of an agent's tokens, either kind: a run token as revokeRunToken (its minter or an
   * admin); an agent token, admins only. Idempotent; a token of another agent is 404.
   */
  async revokeAgentToken(p: Principal, agentId: string, tokenId: string): Promise<void> {
    const user = this.ctx.user(p);
    const row = await this.ctx.store.tokens.findToken(user.accountId, tokenId);
    if (!row || row.kind !== 'agent' || row.agentId !== agentId) throw problems.notFound(`Agent '${agentId}' has no token '${tokenId}'.`);
    if (row.mintedBy) return this.revokeRunToken(p, agentId, tokenId);
    const admin = await this.ctx.admin(p, 'agent.token.revoke', agentId);
    if (row.revokedAt !== null) return;
    this.ctx.revoked(await this.ctx.store.tokens.revokeToken(admin.accountId, tokenId, this.ctx.mutation(admin, 'agent.token.revoke', agentId, `id: ${tokenId}`)), tokenId);
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
