// Secret metadata: list, create, read, update, delete. Values go in, never out (see runtime.ts).

import type { FastifyInstance } from 'fastify';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import { etag, ifMatch, listingEtagNote, notModified, type RouteDeps } from './common';

export function registerSecretRoutes(app: FastifyInstance, { service }: RouteDeps): void {
  app.get<{ Querystring: { agent?: string } }>(
    '/v1/secrets',
    {
      schema: {
        tags: ['secrets'],
        description: listingEtagNote,
        querystring: S.SecretsQuery,
        response: { 200: S.SecretList, 304: S.Empty, ...problemResponses },
      },
    },
    async (req, reply) => {
      if (await notModified(service, req, reply)) {
        // The same check of the caller as a listing's, without listing every secret for nothing
        // (the editor's refetch when its event stream opens is answered so, at every start).
        service.secrets.checkLister(req.principal!);
        return reply.code(304).send();
      }
      return { secrets: await service.secrets.listSecrets(req.principal!, req.query.agent) };
    },
  );
  app.post<{ Body: S.Static<typeof S.CreateSecretRequest> }>(
    '/v1/secrets',
    {
      schema: {
        tags: ['secrets'],
        body: S.CreateSecretRequest,
        response: { 201: { $ref: 'SecretMetadata#' }, 409: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      const meta = await service.secrets.createSecret(req.principal!, req.body);
      return reply.code(201).header('etag', etag(meta.version)).send(meta);
    },
  );
  app.get<{ Params: { name: string } }>(
    '/v1/secrets/:name',
    { schema: { tags: ['secrets'], params: S.SecretParams, response: { 200: { $ref: 'SecretMetadata#' }, ...problemResponses } } },
    async (req, reply) => {
      const meta = await service.secrets.getSecret(req.principal!, req.params.name);
      return reply.header('etag', etag(meta.version)).send(meta);
    },
  );
  app.patch<{ Params: { name: string }; Body: S.Static<typeof S.UpdateSecretRequest> }>(
    '/v1/secrets/:name',
    {
      schema: {
        tags: ['secrets'],
        description: 'A missing `value` keeps the stored value. `If-Match` guards against lost updates.',
        params: S.SecretParams,
        headers: S.IfMatchHeaders,
        body: S.UpdateSecretRequest,
        response: { 200: { $ref: 'SecretMetadata#' }, 412: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      const meta = await service.secrets.updateSecret(req.principal!, req.params.name, req.body, ifMatch(req));
      return reply.header('etag', etag(meta.version)).send(meta);
    },
  );
  app.get<{ Params: { name: string } }>(
    '/v1/secrets/:name/versions',
    {
      schema: {
        tags: ['secrets'],
        description: "The kept values' metadata (never a value), newest first, the current one included.",
        params: S.SecretParams,
        response: { 200: S.SecretVersionList, ...problemResponses },
      },
    },
    async (req) => ({ versions: await service.secrets.listSecretVersions(req.principal!, req.params.name) }),
  );
  app.post<{ Params: { name: string }; Body: S.Static<typeof S.RollbackRequest> }>(
    '/v1/secrets/:name/rollback',
    {
      schema: {
        tags: ['secrets'],
        description:
          'Admins: the value of a kept version becomes a new current version (audited as `secret.rollback`, event `secret.updated`). Requires `If-Match`; 404 for a version not kept.',
        params: S.SecretParams,
        headers: S.IfMatchHeaders,
        body: S.RollbackRequest,
        response: { 200: { $ref: 'SecretMetadata#' }, 409: { $ref: 'Problem#' }, 412: { $ref: 'Problem#' }, 428: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      const meta = await service.secrets.rollbackSecret(req.principal!, req.params.name, req.body.version, ifMatch(req));
      return reply.header('etag', etag(meta.version)).send(meta);
    },
  );
  app.delete<{ Params: { name: string } }>(
    '/v1/secrets/:name',
    {
      schema: {
        tags: ['secrets'],
        params: S.SecretParams,
        headers: S.IfMatchHeaders,
        response: { 204: S.Empty, 412: { $ref: 'Problem#' }, ...problemResponses },
      },
    },
    async (req, reply) => {
      await service.secrets.deleteSecret(req.principal!, req.params.name, ifMatch(req));
      return reply.code(204).send();
    },
  );
}
