// Access requests: users of either role ask that an agent may read a secret (or that it be
// created); admins approve (the grant and the approval are one transaction) or deny.

import type { FastifyInstance } from 'fastify';
import type { AccessRequestStatus } from '../../../../protocol/api';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import { listingEtagNote, notModified, type RouteDeps } from './common';

export function registerAccessRequestRoutes(app: FastifyInstance, { service }: RouteDeps): void {
  app.get<{ Querystring: { status?: AccessRequestStatus } }>(
    '/v1/access-requests',
    {
      schema: {
        tags: ['access requests'],
        description: `Newest first (at most 1,000); every status without \`status\`. ${listingEtagNote}`,
        querystring: S.AccessRequestsQuery,
        response: { 200: S.AccessRequestList, 304: S.Empty, ...problemResponses },
      },
    },
    async (req, reply) => {
      const unchanged = await notModified(service, req, reply);
      const requests = await service.accessRequests.listAccessRequests(req.principal!, req.query.status);
      return unchanged ? reply.code(304).send() : { requests };
    },
  );
  app.post<{ Body: S.Static<typeof S.CreateAccessRequestBody> }>(
    '/v1/access-requests',
    {
      schema: {
        tags: ['access requests'],
        description:
          'Asks for `agent` to read `secret` (which need not exist yet: then `kind` and `keys` tell the admin what to create). `created` (201): a new pending request; `pending` (200): the same secret and agent already have one, returned; `granted` (200): the agent can already read it, nothing is stored. 409 `too_many_pending_requests`: this key holds 50 pending requests, or 20 or more while the account holds 1,000; 429 with Retry-After: this key filed more than 60 at once or 30 a minute.',
        body: S.CreateAccessRequestBody,
        response: { 200: S.CreateAccessRequestResult, 201: S.CreateAccessRequestResult, 409: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      const result = await service.accessRequests.createAccessRequest(req.principal!, req.body);
      return reply.code(result.outcome === 'created' ? 201 : 200).send(result);
    },
  );
  app.post<{ Body: S.Static<typeof S.BulkDenyAccessRequestsBody> }>(
    '/v1/access-requests/deny',
    {
      schema: {
        tags: ['access requests'],
        description:
          'Admins: denies pending requests in bulk: exactly one of `ids`, `requestedById` (every pending request of that user key) or `all: true`, with an optional reason. At most 1,000 per call, in one transaction; `more` says whether pending requests still match. Each request is audited and announced (access.decided) as a single deny.',
        body: S.BulkDenyAccessRequestsBody,
        response: { 200: S.BulkDenyAccessRequestsResult, ...problemResponses },
      },
    },
    async (req) => service.accessRequests.denyAccessRequests(req.principal!, req.body),
  );
  app.post<{ Params: { id: string } }>(
    '/v1/access-requests/:id/approve',
    {
      schema: {
        tags: ['access requests'],
        description:
          'Admins: grants the agent on the secret and marks the request approved, in one transaction. 409 when it was already decided, or when the secret does not exist yet (create it first, then approve).',
        params: S.AccessRequestParams,
        response: { 200: S.AccessRequest, 409: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req) => service.accessRequests.approveAccessRequest(req.principal!, req.params.id),
  );
  app.post<{ Params: { id: string }; Body: S.Static<typeof S.DenyAccessRequestBody> | undefined }>(
    '/v1/access-requests/:id/deny',
    {
      schema: {
        tags: ['access requests'],
        description: 'Admins: denies a pending request, with an optional reason the requester sees. 409 when it was already decided.',
        params: S.AccessRequestParams,
        body: S.DenyAccessRequestBody,
        response: { 200: S.AccessRequest, 409: { $ref: 'Problem#' }, ...problemResponses },
      },
      // The body is optional: no body means no reason.
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {};
      },
    },
    async (req) => service.accessRequests.denyAccessRequest(req.principal!, req.params.id, req.body?.reason),
  );
}
