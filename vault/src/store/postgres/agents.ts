// Agents, in PostgreSQL: deleting one takes it off every access list and revokes its tokens.

import type { Agent, VaultEvent, VaultEventEnvelope } from '../../../../protocol/api';
import { agentIdFold } from '../../../../protocol/names';
import type { AgentChange, AgentStore, Mutation, WriteResult } from '../types';
import type { SecretDbRow } from '../rows';
import { forgetAgentReads } from './lastReads';
import type { PgContext } from './pgContext';

const AGENT_COLUMNS = 'id, name, description, created_at AS "createdAt"';

/** The store's agents. */
export class PgAgents implements AgentStore {
  constructor(private readonly ctx: PgContext) {}

  async listAgents(accountId: string): Promise<Agent[]> {
    return this.ctx.q<Agent>(`SELECT ${AGENT_COLUMNS} FROM agents WHERE account_id = $1 ORDER BY id`, [accountId]);
  }

  async getAgent(accountId: string, id: string): Promise<Agent | undefined> {
    return (await this.ctx.q<Agent>(`SELECT ${AGENT_COLUMNS} FROM agents WHERE account_id = $1 AND id = $2`, [accountId, id]))[0];
  }

  async createAgent(accountId: string, agent: Agent, mutation: Mutation): Promise<WriteResult<Agent>> {
    const fold = agentIdFold(agent.id);
    return this.ctx.tx(async (c): Promise<WriteResult<Agent>> => {
      // Writers queue on the vault_state lock (tx), so the check and the insert are not raced; the
      // unique fold backs it for any other writer.
      const existing = (await c.query<{ id: string }>('SELECT id FROM agents WHERE account_id = $1 AND (id = $2 OR id_fold = $3)', [accountId, agent.id, fold])).rows[0]?.id;
      if (existing !== undefined) return { ok: false, reason: 'exists', existing };
      await forgetAgentReads(c, accountId, agent.id);
      await c.query('INSERT INTO agents (account_id, id, id_fold, name, description, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        accountId,
        agent.id,
        fold,
        agent.name,
        agent.description,
        agent.createdAt,
      ]);
      await this.ctx.audit(c, mutation);
      return { ok: true, value: agent, events: [await this.ctx.event(c, accountId, mutation.now, { type: 'agent.created', agent })] };
    });
  }

  async updateAgent(accountId: string, id: string, change: AgentChange, mutation: Mutation): Promise<WriteResult<Agent>> {
    return this.ctx.tx(async (c): Promise<WriteResult<Agent>> => {
      const r = await c.query<Agent>(
        `UPDATE agents SET name = COALESCE($1, name), description = COALESCE($2, description) WHERE account_id = $3 AND id = $4 RETURNING ${AGENT_COLUMNS}`,
        [change.name ?? null, change.description ?? null, accountId, id],
      );
      const agent = r.rows[0];
      if (!agent) return { ok: false, reason: 'missing' };
      await this.ctx.audit(c, mutation);
      return { ok: true, value: agent, events: [await this.ctx.event(c, accountId, mutation.now, { type: 'agent.updated', agent })] };
    });
  }

  async deleteAgent(accountId: string, id: string, mutation: Mutation): Promise<WriteResult<null>> {
    return this.ctx.tx(async (c): Promise<WriteResult<null>> => {
      const exists = await c.query('SELECT 1 FROM agents WHERE account_id = $1 AND id = $2 FOR UPDATE', [accountId, id]);
      if (exists.rows.length === 0) return { ok: false, reason: 'missing' };
      // Every secret that loses this agent changes version (its ETag); its value, and so its
      // ciphertext, stays as it is.
      const affected = await c.query<SecretDbRow>(
        `SELECT s.* FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
         WHERE s.account_id = $1 AND g.agent_id = $2 ORDER BY s.name FOR UPDATE OF s`,
        [accountId, id],
      );
      await c.query('DELETE FROM grants WHERE account_id = $1 AND agent_id = $2', [accountId, id]);
      const events: VaultEvent[] = [];
      for (const row of affected.rows) {
        await c.query('UPDATE secrets SET version = $1, updated_at = $2, updated_by = $3 WHERE account_id = $4 AND name = $5', [
          row.version + 1,
          mutation.now,
          mutation.audit.actor,
          accountId,
          row.name,
        ]);
        const meta = await this.ctx.metadata(c, { ...row, version: row.version + 1, updated_at: mutation.now, updated_by: mutation.audit.actor });
        events.push({ type: 'access.changed', secret: meta });
      }
      await c.query('DELETE FROM agents WHERE account_id = $1 AND id = $2', [accountId, id]);
      await forgetAgentReads(c, accountId, id);
      await c.query("UPDATE tokens SET revoked_at = $1 WHERE account_id = $2 AND kind = 'agent' AND agent_id = $3 AND revoked_at IS NULL", [mutation.now, accountId, id]);
      await this.ctx.audit(c, mutation, 'success', affected.rows.length ? `removed from ${affected.rows.map((r) => r.name).join(', ')}` : '');
      const envelopes: VaultEventEnvelope[] = [];
      for (const e of events) envelopes.push(await this.ctx.event(c, accountId, mutation.now, e));
      envelopes.push(await this.ctx.event(c, accountId, mutation.now, { type: 'agent.deleted', id }));
      return { ok: true, value: null, events: envelopes };
    });
  }
}
