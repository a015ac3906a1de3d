// Which agents may read a secret: the whole list at once, or one agent granted or revoked.

import type { FastifyInstance } from 'fastify';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import { etag, ifMatch, reasonOf, type RouteDeps } from './common';

export function registerAccessRoutes(app: FastifyInstance, { service }: RouteDeps): void {
  app.put<{ Params: { name: string }; Body: S.Static<typeof S.ReplaceAccessRequest>  }>(
    '/v1/secrets/:name/access',
    {
      schema: {
        tags: ['access'],
        description: 'Replaces the whole access list. Requires `If-Match`. An optional `X-Secrets-Vault-Reason` header (percent-encoded UTF-8) is kept in the audit record.',
        params: S.SecretParams,
        headers: S.IfMatchHeaders,
        body: S.ReplaceAccessRequest,
        response: { 200: { $ref: 'SecretMetadata#' }, 412: { $ref: 'Problem#' }, 428: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      const meta = await service.replaceAccess(req.principal!, req.params.name, req.body.agents, ifMatch(req), reasonOf(req));
      return reply.header('etag', etag(meta.version)).send(meta);
    },
  );
  for (const [method, granted] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route<{ Params: { name: string; agent: string }  }>({
      method,
      url: '/v1/secrets/:name/access/:agent',
      schema: {
        tags: ['access'],
        description: `${granted ? 'Grants one agent access' : 'Revokes one agent'} (idempotent). An optional \`X-Secrets-Vault-Reason\` header (percent-encoded UTF-8) is kept in the audit record.`,
        params: S.GrantParams,
        response: { 200: { $ref: 'SecretMetadata#' }, ...problemResponses },
      },
      handler: async (req, reply) => {
        const meta = await service.setGrant(req.principal!, req.params.name, req.params.agent, granted, reasonOf(req));
        return reply.header('etag', etag(meta.version)).send(meta);
      },
    });
  }
}
