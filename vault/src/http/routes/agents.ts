// Agents and their tokens.

import type { FastifyInstance } from 'fastify';
import { mintRateLimited } from '../edge';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import { listingEtagNote, notModified, type RouteDeps } from './common';

export function registerAgentRoutes(app: FastifyInstance, { service, mintLimiter }: RouteDeps): void {
  app.get(
    '/v1/agents',
    { schema: { tags: ['agents'], description: listingEtagNote, response: { 200: S.AgentList, 304: S.Empty, ...problemResponses } } },
    async (req, reply) => {
      const unchanged = await notModified(service, req, reply);
      const agents = await service.agents.listAgents(req.principal!);
      return unchanged ? reply.code(304).send() : { agents };
    },
  );
  app.post<{ Body: S.Static<typeof S.CreateAgentRequest> }>(
    '/v1/agents',
    { schema: { tags: ['agents'], body: S.CreateAgentRequest, response: { 201: { $ref: 'Agent#' }, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await service.agents.createAgent(req.principal!, req.body)),
  );
  app.patch<{ Params: { id: string }; Body: S.Static<typeof S.UpdateAgentRequest> }>(
    '/v1/agents/:id',
    {
      schema: {
        tags: ['agents'],
        description: 'Admins: sets the display name and/or description (audited as `agent.update`, event `agent.updated`); the id never changes.',
        params: S.AgentParams,
        body: S.UpdateAgentRequest,
        response: { 200: { $ref: 'Agent#' }, ...problemResponses },
      },
    },
    async (req) => service.agents.updateAgent(req.principal!, req.params.id, req.body),
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/agents/:id',
    { schema: { tags: ['agents'], params: S.AgentParams, response: { 204: S.Empty, ...problemResponses } } },
    async (req, reply) => {
      await service.agents.deleteAgent(req.principal!, req.params.id);
      return reply.code(204).send();
    },
  );
  app.get<{ Params: { id: string } }>(
    '/v1/agents/:id/reads',
    {
      schema: {
        tags: ['agents'],
        description:
          "The agent's last successful run-time read of each secret it has read, sorted by secret: when, and the environment the reader said (metadata, never a value). Admins and developers: any agent; an agent token: its own.",
        params: S.AgentParams,
        response: { 200: S.AgentReadList, ...problemResponses },
      },
    },
    async (req) => service.agents.agentReads(req.principal!, req.params.id),
  );
  app.get<{ Params: { id: string } }>(
    '/v1/agents/:id/tokens',
    {
      schema: {
        tags: ['agents'],
        description:
          "The agent's live tokens (agent tokens and run tokens; never the token itself). Admins see every one; a developer allowed to mint run tokens sees their own key's.",
        params: S.AgentParams,
        response: { 200: S.AgentTokenList, ...problemResponses },
      },
    },
    async (req) => ({ tokens: await service.agents.listAgentTokens(req.principal!, req.params.id) }),
  );
  app.delete<{ Params: { id: string; tokenId: string } }>(
    '/v1/agents/:id/tokens/:tokenId',
    {
      schema: {
        tags: ['agents'],
        description: 'Revokes one of the agent\'s tokens, either kind: an agent token (admins), a run token (its minter or an admin); idempotent.',
        params: S.RunTokenParams,
        response: { 204: S.Empty, ...problemResponses },
      },
    },
    async (req, reply) => {
      await service.agents.revokeAgentToken(req.principal!, req.params.id, req.params.tokenId);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: { id: string }; Body: { name?: string } | undefined }>(
    '/v1/agents/:id/tokens',
    {
      schema: {
        tags: ['agents'],
        description: 'Mints an agent token. The token is in this response only; the vault keeps just its digest.',
        params: S.AgentParams,
        body: S.CreateTokenRequest,
        response: { 201: S.IssuedToken, ...problemResponses },
      },
      // The body is optional: no body means no token name.
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {};
      },
    },
    async (req, reply) => reply.code(201).send(await service.agents.createAgentToken(req.principal!, req.params.id, req.body?.name)),
  );
  app.post<{ Params: { id: string }; Body: S.Static<typeof S.MintRunTokenRequest> | undefined }>(
    '/v1/agents/:id/run-tokens',
    {
      schema: {
        tags: ['agents'],
        description:
          'Mints a run token: a short-lived agent token for a local run (`secrets-vault run`). Admins always; developers when the account\'s `localRuns` is `developers`. Reads with it are audited as the agent, naming the minting key in `detail`.',
        params: S.AgentParams,
        body: S.MintRunTokenRequest,
        response: { 201: S.RunToken, ...problemResponses },
      },
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {};
      },
    },
    async (req, reply) => {
      // Per user key; an agent token is refused by the service, so it spends nothing here.
      const p = req.principal!;
      if (p.type === 'user') {
        const wait = mintLimiter.take(p.tokenId);
        if (wait > 0) throw mintRateLimited(wait);
      }
      return reply.code(201).send(await service.agents.mintRunToken(p, req.params.id, req.body?.ttlSeconds));
    },
  );
  app.delete<{ Params: { id: string; tokenId: string } }>(
    '/v1/agents/:id/run-tokens/:tokenId',
    {
      schema: {
        tags: ['agents'],
        description: 'Revokes a run token (its minter or an admin); idempotent.',
        params: S.RunTokenParams,
        response: { 204: S.Empty, ...problemResponses },
      },
    },
    async (req, reply) => {
      await service.agents.revokeRunToken(req.principal!, req.params.id, req.params.tokenId);
      return reply.code(204).send();
    },
  );
}
