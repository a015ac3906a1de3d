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
      service.audit(req.principal!, req.query.before, req.query.limit ? Number(req.query.limit) : 100),
  );
}
