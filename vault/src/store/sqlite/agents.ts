// Agents, in SQLite: deleting one takes it off every access list and revokes its tokens.

import type { Agent, VaultEvent } from '../../../../protocol/api';
import { agentIdFold } from '../../../../protocol/names';
import type { AgentChange, AgentStore, Mutation, WriteResult } from '../types';
import type { SecretDbRow } from '../rows';
import type { SqliteContext } from './sqliteContext';
import type { SqliteLastReads } from './lastReads';

/** The store's agents. A created or deleted agent's id starts with no last reads (lastReads.ts, in audit.db). */
export class SqliteAgents implements AgentStore {
  constructor(
    private readonly ctx: SqliteContext,
    private readonly lastReads: SqliteLastReads,
  ) {}

  async listAgents(accountId: string): Promise<Agent[]> {
    return this.ctx.db
      .prepare('SELECT id, name, description, created_at AS createdAt FROM agents WHERE account_id = ? ORDER BY id')
      .all(accountId) as Agent[];
  }

  async getAgent(accountId: string, id: string): Promise<Agent | undefined> {
    return this.ctx.stmt.agent.get(accountId, id) as Agent | undefined;
  }

  async createAgent(accountId: string, agent: Agent, mutation: Mutation): Promise<WriteResult<Agent>> {
    const fold = agentIdFold(agent.id);
    const result = this.ctx.tx((): WriteResult<Agent> => {
      const existing = this.ctx.db.prepare('SELECT id FROM agents WHERE account_id = ? AND (id = ? OR id_fold = ?)').pluck().get(accountId, agent.id, fold) as string | undefined;
      if (existing !== undefined) return { ok: false, reason: 'exists', existing };
      this.ctx.db
        .prepare('INSERT INTO agents (account_id, id, id_fold, name, description, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(accountId, agent.id, fold, agent.name, agent.description, agent.createdAt);
      this.ctx.audit(mutation);
      return { ok: true, value: agent, events: [this.ctx.event(accountId, mutation.now, { type: 'agent.created', agent })] };
    });
    if (result.ok) this.lastReads.forgetAgent(accountId, agent.id);
    return result;
  }

  async updateAgent(accountId: string, id: string, change: AgentChange, mutation: Mutation): Promise<WriteResult<Agent>> {
    return this.ctx.tx((): WriteResult<Agent> => {
      this.ctx.db
        .prepare('UPDATE agents SET name = COALESCE(?, name), description = COALESCE(?, description) WHERE account_id = ? AND id = ?')
        .run(change.name ?? null, change.description ?? null, accountId, id);
      const agent = this.ctx.stmt.agent.get(accountId, id) as Agent | undefined;
      if (!agent) return { ok: false, reason: 'missing' };
      this.ctx.audit(mutation);
      return { ok: true, value: agent, events: [this.ctx.event(accountId, mutation.now, { type: 'agent.updated', agent })] };
    });
  }

  async deleteAgent(
    accountId: string,
    id: string,
    mutation: Mutation,
  ): Promise<WriteResult<null>> {
    const result = this.ctx.tx((): WriteResult<null> => {
      if (!this.ctx.stmt.agent.get(accountId, id)) return { ok: false, reason: 'missing' };
      // Every secret that loses this agent changes version (its ETag); its value, and so its
      // ciphertext, stays as it is.
      const affected = this.ctx.db
        .prepare(
          `SELECT s.* FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
           WHERE s.account_id = ? AND g.agent_id = ?`,
        )
        .all(accountId, id) as SecretDbRow[];
      const events: VaultEvent[] = [];
      this.ctx.db.prepare('DELETE FROM grants WHERE account_id = ? AND agent_id = ?').run(accountId, id);
      for (const row of affected) {
        this.ctx.db
          .prepare('UPDATE secrets SET version = ?, updated_at = ?, updated_by = ? WHERE account_id = ? AND name = ?')
          .run(row.version + 1, mutation.now, mutation.audit.actor, accountId, row.name);
        const meta = this.ctx.metadata({ ...row, version: row.version + 1, updated_at: mutation.now, updated_by: mutation.audit.actor });
        events.push({ type: 'access.changed', secret: meta });
      }
      this.ctx.db.prepare('DELETE FROM agents WHERE account_id = ? AND id = ?').run(accountId, id);
      this.ctx.db
        .prepare("UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND kind = 'agent' AND agent_id = ? AND revoked_at IS NULL")
        .run(mutation.now, accountId, id);
      this.ctx.audit(mutation, 'success', affected.length ? `removed from ${affected.map((r) => r.name).join(', ')}` : '');
      const envelopes = events.map((e) => this.ctx.event(accountId, mutation.now, e));
      envelopes.push(this.ctx.event(accountId, mutation.now, { type: 'agent.deleted', id }));
      return { ok: true, value: null, events: envelopes };
    });
    if (result.ok) this.lastReads.forgetAgent(accountId, id);
    return result;
  }
}
