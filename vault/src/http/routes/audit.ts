// The account's audit log, newest first, paged by `before`.

import type { FastifyInstance } from 'fastify';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import type { RouteDeps } from './common';

export function registerAuditRoutes(app: FastifyInstance, { service }: RouteDeps): void {
  app.get<{ Querystring: { before?: string; limit?: string } }>(
    '/v1/audit',
    { schema: { tags: ['audit'], querystring: S.AuditQuery, response: { 200: S.AuditPage, ...problemResponses } } },
    (req) =>
      service.audit.page(req.principal!, req.query.before, req.query.limit ? Number(req.query.limit) : 100),
  );
  // A coding assistant (secrets-vault mcp) records each tool call, as the user, naming itself in the
  // X-Secrets-Vault-Client header; reads are otherwise not audited.
  app.post<{ Body: { tool: string; target: string; outcome: 'success' | 'failed' } }>(
    '/v1/audit/assistant',
    { schema: { tags: ['audit'], body: S.AssistantCall, response: { 204: { type: 'null' }, ...problemResponses } } },
    async (req, reply) => {
      await service.audit.recordAssistantCall(req.principal!, req.body);
      return reply.code(204).send();
    },
  );
}
