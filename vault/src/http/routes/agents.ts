// Agents and their tokens.

import type { FastifyInstance } from 'fastify';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import { listingEtagNote, notModified, type RouteDeps } from './common';

export function registerAgentRoutes(app: FastifyInstance, { service }: RouteDeps): void {
  app.get(
    '/v1/agents',
    { schema: { tags: ['agents'], description: listingEtagNote, response: { 200: S.AgentList, 304: S.Empty, ...problemResponses } } },
    async (req, reply) => {
      const unchanged = await notModified(service, req, reply);
      const agents = await service.listAgents(req.principal!);
      return unchanged ? reply.code(304).send() : { agents };
    },
  );
  app.post<{ Body: S.Static<typeof S.CreateAgentRequest> }>(
    '/v1/agents',
    { schema: { tags: ['agents'], body: S.CreateAgentRequest, response: { 201: { $ref: 'Agent#' }, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await service.createAgent(req.principal!, req.body)),
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/agents/:id',
    { schema: { tags: ['agents'], params: S.AgentParams, response: { 204: S.Empty, ...problemResponses } } },
    async (req, reply) => {
      await service.deleteAgent(req.principal!, req.params.id);
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
    async (req, reply) => reply.code(201).send(await service.createAgentToken(req.principal!, req.params.id, req.body?.name)),
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
    async (req, reply) => reply.code(201).send(await service.mintRunToken(req.principal!, req.params.id, req.body?.ttlSeconds)),
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
      await service.revokeRunToken(req.principal!, req.params.id, req.params.tokenId);
      return reply.code(204).send();
    },
  );
}
