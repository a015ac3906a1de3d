// User API keys.

import type { FastifyInstance } from 'fastify';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import type { RouteDeps } from './common';

export function registerKeyRoutes(app: FastifyInstance, { service }: RouteDeps): void {
  app.get('/v1/keys', { schema: { tags: ['keys'], response: { 200: S.UserKeyList, ...problemResponses } } }, async (req) => ({
    keys: await service.keys.listUserKeys(req.principal!),
  }));
  app.post<{ Body: S.Static<typeof S.CreateUserKeyRequest> }>(
    '/v1/keys',
    { schema: { tags: ['keys'], body: S.CreateUserKeyRequest, response: { 201: S.IssuedUserKey, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await service.keys.createUserKey(req.principal!, req.body.name, req.body.role)),
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/keys/:id',
    { schema: { tags: ['keys'], params: S.KeyParams, response: { 204: S.Empty, ...problemResponses } } },
    async (req, reply) => {
      await service.keys.revokeUserKey(req.principal!, req.params.id);
      return reply.code(204).send();
    },
  );
}
