// A batch of access changes in SQLite: one IMMEDIATE transaction that decides (accessChanges.ts),
// writes every grant and revoke, one new version and event per secret, and one audit record.

import type { AccessChange } from '../../../../protocol/api';
import { memo, planAccessChanges } from '../accessChanges';
import type { AccessChangesWrite, AccessStore, DescribeAccessChanges, Mutation } from '../types';
import type { SecretDbRow } from '../rows';
import type { SqliteContext } from './sqliteContext';

export class SqliteAccessChanges implements AccessStore {
  constructor(private readonly ctx: SqliteContext) {}

  async applyAccessChanges(accountId: string, changes: readonly AccessChange[], mutation: Mutation, describe: DescribeAccessChanges): Promise<AccessChangesWrite> {
    return this.ctx.tx((): AccessChangesWrite => {
      const { stmt } = this.ctx;
      const plan = planAccessChanges(changes, {
        version: memo((secret: string) => (stmt.secret.get(accountId, secret) as SecretDbRow | undefined)?.version),
        agentExists: memo((agent: string) => stmt.agent.get(accountId, agent) !== undefined),
        granted: (secret, agent) => stmt.grantExists.get(accountId, secret, agent) !== undefined,
      });
      if (!plan.ok) return plan;
      const applied = changes.filter((_c, i) => plan.changed[i]);
      for (const c of applied) (c.granted ? stmt.insertGrant : stmt.deleteGrant).run(accountId, c.secret, c.agent);
      // One new version per secret, as a single grant makes it: the value untouched.
      const secrets = plan.touched.map((name) => {
        stmt.bumpVersion.run(mutation.now, mutation.audit.actor, accountId, name);
        return this.ctx.metadata(stmt.secret.get(accountId, name) as SecretDbRow);
      });
      const events = secrets.map((secret) => this.ctx.event(accountId, mutation.now, { type: 'access.changed', secret }));
      let auditId: string | null = null;
      if (applied.length > 0) {
        const { target, detail } = describe(applied);
        auditId = this.ctx.audit({ ...mutation, audit: { ...mutation.audit, target, detail } });
      }
      return { ok: true, changed: plan.changed, secrets, auditId, events };
    });
  }
}
