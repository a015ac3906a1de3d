// Health (public), the OpenAPI document (public) and whoami.

import type { FastifyInstance } from 'fastify';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import { userTag, type RouteDeps } from './common';

export function registerMetaRoutes(app: FastifyInstance, { service, version }: RouteDeps): void {
  app.get('/v1/health', { schema: { tags: ['meta'], security: [], response: { 200: S.Health } } }, async () => ({
    status: 'ok' as const,
    version,
  }));

  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/v1/whoami', { schema: { tags: ['meta'], ...userTag, response: { 200: S.WhoAmI, ...problemResponses } } }, (req) =>
    service.accounts.whoami(req.principal!),
  );
}
