// A batch of access changes in PostgreSQL: one transaction (holding the vault_state lock, as every
// writer does) that reads the state the batch names in three queries, decides (accessChanges.ts),
// then writes every grant and revoke, one new version and event per secret, and one audit record.

import type { AccessChange } from '../../../../protocol/api';
import { planAccessChanges } from '../accessChanges';
import type { AccessChangesWrite, AccessStore, DescribeAccessChanges, Mutation } from '../types';
import { toMetadata, type SecretDbRow } from '../rows';
import type { PgContext } from './pgContext';

const pair = (secret: string, agent: string) => `${secret}\u0000${agent}`;

export class PgAccessChanges implements AccessStore {
  constructor(private readonly ctx: PgContext) {}

  async applyAccessChanges(accountId: string, changes: readonly AccessChange[], mutation: Mutation, describe: DescribeAccessChanges): Promise<AccessChangesWrite> {
    const names = [...new Set(changes.map((c) => c.secret))].sort();
    const agentIds = [...new Set(changes.map((c) => c.agent))];
    return this.ctx.tx(async (c): Promise<AccessChangesWrite> => {
      // The secrets locked in name order (a writer without the vault_state lock, psql, cannot move them meanwhile).
      const rows = await c.query<{ name: string; version: number }>(
        'SELECT name, version FROM secrets WHERE account_id = $1 AND name = ANY($2::text[]) ORDER BY name FOR UPDATE',
        [accountId, names],
      );
      const agents = await c.query<{ id: string }>('SELECT id FROM agents WHERE account_id = $1 AND id = ANY($2::text[])', [accountId, agentIds]);
      const grants = await c.query<{ secret_name: string; agent_id: string }>(
        'SELECT secret_name, agent_id FROM grants WHERE account_id = $1 AND secret_name = ANY($2::text[]) AND agent_id = ANY($3::text[])',
        [accountId, names, agentIds],
      );
      const versions = new Map(rows.rows.map((r) => [r.name, r.version]));
      const known = new Set(agents.rows.map((a) => a.id));
      const held = new Set(grants.rows.map((g) => pair(g.secret_name, g.agent_id)));
      const plan = planAccessChanges(changes, {
        version: (secret) => versions.get(secret),
        agentExists: (agent) => known.has(agent),
        granted: (secret, agent) => held.has(pair(secret, agent)),
      });
      if (!plan.ok) return plan;
      const applied = changes.filter((_c, i) => plan.changed[i]);
      const grant = applied.filter((a) => a.granted);
      const revoke = applied.filter((a) => !a.granted);
      if (grant.length > 0) {
        await c.query('INSERT INTO grants (account_id, secret_name, agent_id) SELECT $1, s, a FROM unnest($2::text[], $3::text[]) AS t(s, a) ON CONFLICT DO NOTHING', [
          accountId,
          grant.map((g) => g.secret),
          grant.map((g) => g.agent),
        ]);
      }
      if (revoke.length > 0) {
        await c.query('DELETE FROM grants WHERE account_id = $1 AND (secret_name, agent_id) IN (SELECT s, a FROM unnest($2::text[], $3::text[]) AS t(s, a))', [
          accountId,
          revoke.map((r) => r.secret),
          revoke.map((r) => r.agent),
        ]);
      }
      const secrets = [];
      if (plan.touched.length > 0) {
        // One new version per secret, as a single grant makes it: the value untouched.
        const updated = await c.query<SecretDbRow>(
          'UPDATE secrets SET version = version + 1, updated_at = $1, updated_by = $2 WHERE account_id = $3 AND name = ANY($4::text[]) RETURNING *',
          [mutation.now, mutation.audit.actor, accountId, plan.touched],
        );
        const lists = await c.query<{ secret_name: string; agent_id: string }>(
          'SELECT secret_name, agent_id FROM grants WHERE account_id = $1 AND secret_name = ANY($2::text[]) ORDER BY agent_id',
          [accountId, plan.touched],
        );
        const byName = new Map(updated.rows.map((r) => [r.name, r]));
        const agentsOf = new Map<string, string[]>(plan.touched.map((name) => [name, []]));
        for (const g of lists.rows) agentsOf.get(g.secret_name)!.push(g.agent_id);
        for (const name of plan.touched) secrets.push(toMetadata(byName.get(name)!, agentsOf.get(name)!));
      }
      const events = [];
      for (const secret of secrets) events.push(await this.ctx.event(c, accountId, mutation.now, { type: 'access.changed', secret }));
      let auditId: string | null = null;
      if (applied.length > 0) {
        const { target, detail } = describe(applied);
        auditId = await this.ctx.audit(c, { ...mutation, audit: { ...mutation.audit, target, detail } });
      }
      return { ok: true, changed: plan.changed, secrets, auditId, events };
    });
  }
}
