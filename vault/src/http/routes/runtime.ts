// Run-time reads by agents. Served by runtimeFastPath before fastify routes a request; declared
// here for the OpenAPI document and for HEAD.

import type { FastifyInstance } from 'fastify';
import { readRateLimited } from '../edge';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import type { RouteDeps } from './common';

export function registerRuntimeRoutes(app: FastifyInstance, { service, readLimiter }: RouteDeps): void {
  app.get<{ Params: { name: string } }>(
    '/v1/runtime/secrets/:name',
    {
      schema: {
        tags: ['runtime'],
        description: 'An agent reads a granted value, as get_secret returns it. Missing and not granted give the same 403.',
        params: S.SecretParams,
        response: { 200: S.RuntimeSecret, ...problemResponses },
      },
    },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await service.runtimeSecret(req.principal!, req.params.name)),
  );
  app.get(
    '/v1/runtime/env',
    { schema: { tags: ['runtime'], response: { 200: S.RuntimeEnv, ...problemResponses } } },
    async (req, reply) => {
      const { wait, by } = readLimiter.takeRead(req.principal!);
      if (wait > 0) throw readRateLimited(wait, by);
      return reply.header('cache-control', 'no-store').send(await service.runtimeEnv(req.principal!));
    },
  );
}
