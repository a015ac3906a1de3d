// Run-time reads by agents. Served by runtimeFastPath before fastify routes a request; declared
// here for the OpenAPI document and for HEAD.

import type { FastifyInstance } from 'fastify';
import { READER_ENVIRONMENT_HEADER, readerEnvironment } from '../../../../protocol/environments';
import { checkSecretName, isAnyName, MAX_NAME_LENGTH, nameLength } from '../../../../protocol/names';
import { problems } from '../../errors';
import { readRateLimited } from '../edge';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import type { RouteDeps } from './common';

/**
 * The run-time read's name rule, shared by this route and runtimeFastPath: a name valid in neither
 * style (control characters included) is refused before any lookup, so it never reaches the audit.
 * It says what the route's schema (S.SecretParams) says, with the same problem documents, so a read
 * gets one answer whichever of the two serves it.
 */
export function checkRuntimeName(name: string): void {
  if (nameLength(name) > MAX_NAME_LENGTH) throw problems.badRequest(`params.name must NOT have more than ${MAX_NAME_LENGTH} characters`, 'name');
  if (!isAnyName(name)) throw problems.invalidPathParam('name', checkSecretName(name, 'snake_case'));
}

export function registerRuntimeRoutes(app: FastifyInstance, { service, readLimiter }: RouteDeps): void {
  app.get<{ Params: { name: string } }>(
    '/v1/runtime/secrets/:name',
    {
      schema: {
        tags: ['runtime'],
        description:
          "An agent reads a granted value, as get_secret returns it. Missing and not granted give the same 403. The optional X-Secrets-Vault-Environment header (sandbox, pre-release or live) is kept with the secret's last read; any other value is kept as null, never refused.",
        headers: S.ReaderEnvironmentHeaders,
        params: S.SecretParams,
        response: { 200: S.RuntimeSecret, ...problemResponses },
      },
    },
    async (req, reply) => {
      checkRuntimeName(req.params.name);
      const environment = readerEnvironment(req.headers[READER_ENVIRONMENT_HEADER]);
      return reply.header('cache-control', 'no-store').send(await service.runtimeSecret(req.principal!, req.params.name, undefined, environment));
    },
  );
  app.get(
    '/v1/runtime/env',
    { schema: { tags: ['runtime'], headers: S.ReaderEnvironmentHeaders, response: { 200: S.RuntimeEnv, ...problemResponses } } },
    async (req, reply) => {
      const { wait, by } = readLimiter.takeRead(req.principal!);
      if (wait > 0) throw readRateLimited(wait, by);
      return reply.header('cache-control', 'no-store').send(await service.runtimeEnv(req.principal!, readerEnvironment(req.headers[READER_ENVIRONMENT_HEADER])));
    },
  );
}
