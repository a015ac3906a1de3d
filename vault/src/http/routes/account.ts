// The account's settings: anyone in the account reads them, admins change them.

import type { FastifyInstance } from 'fastify';
import { problemResponses } from '../problems';
import * as S from '../schemas';
import type { RouteDeps } from './common';

export function registerAccountRoutes(app: FastifyInstance, { service }: RouteDeps): void {
  app.get('/v1/account', { schema: { tags: ['account'], response: { 200: S.AccountSettings, ...problemResponses } } }, (req) =>
    service.accounts.accountSettings(req.principal!),
  );
  app.patch<{ Body: S.Static<typeof S.UpdateAccountRequest> }>(
    '/v1/account',
    {
      schema: {
        tags: ['account'],
        description: 'Changes account settings (admins); audited as `account.update`.',
        body: S.UpdateAccountRequest,
        response: { 200: S.AccountSettings, ...problemResponses },
      },
    },
    (req) => service.accounts.updateAccountSettings(req.principal!, req.body),
  );
}
