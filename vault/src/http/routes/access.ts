// Which agents may read a secret: the whole list at once, or one agent granted or revoked; and
// grants and revokes of many secrets as one audited change.

import type { FastifyInstance } from 'fastify';
import { MAX_ACCESS_CHANGES } from '../../../../protocol/api';
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
      const meta = await service.access.replaceAccess(req.principal!, req.params.name, req.body.agents, ifMatch(req), reasonOf(req));
      return reply.header('etag', etag(meta.version)).send(meta);
    },
  );
  app.post<{ Body: S.Static<typeof S.AccessChangesRequest> }>(
    '/v1/access/changes',
    {
      schema: {
        tags: ['access'],
        description: [
          `Admins: grants and revokes on any secrets as one audited change (access review --apply), 1 to ${MAX_ACCESS_CHANGES} per call, in one transaction: all or nothing.`,
          'A change already so (granting a granted agent) is fine and answered `unchanged`. Each secret whose list changed gets one new version and one `access.changed` event;',
          'the batch gets one audit record (`access.batch`, its id in `auditId`) listing each change, with the reason of the optional `X-Secrets-Vault-Reason` header (percent-encoded UTF-8); none when nothing changed.',
          'Refused, changing nothing, with `field` naming the change (`changes.3.secret`): a name that is not valid or is a credential (400), a secret and agent pair twice (400),',
          "a secret or agent that does not exist (404), a `version` that is no longer the secret's (412, with `currentVersion`).",
        ].join(' '),
        headers: S.ReasonHeaders,
        body: S.AccessChangesRequest,
        response: { 200: S.AccessChangesResult, 412: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req) => service.access.applyAccessChanges(req.principal!, req.body.changes, reasonOf(req)),
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
        const meta = await service.access.setGrant(req.principal!, req.params.name, req.params.agent, granted, reasonOf(req));
        return reply.header('etag', etag(meta.version)).send(meta);
      },
    });
  }
}
