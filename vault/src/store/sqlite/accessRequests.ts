// Access requests, in SQLite: filed, listed, decided (an approval grants in the same transaction), denied in bulk, pruned.

import type { AccessRequest, AccessRequestStatus, VaultEvent, VaultEventEnvelope } from '../../../../protocol/api';
import type { AccessDecision, AccessDecisionWrite, AccessRequestStore, AccessRequestWrite, BulkDenyFilter, Mutation, NewAccessRequest, PendingLimits } from '../types';
import {
  ACCESS_REQUEST_COLUMNS,
  decidedEventRequest,
  newRequestRow,
  toAccessRequest,
  type AccessRequestDbRow,
  type SecretDbRow,
} from '../rows';
import type { SqliteContext } from './sqliteContext';

/** The store's access requests. */
export class SqliteAccessRequests implements AccessRequestStore {
  constructor(private readonly ctx: SqliteContext) {}

  async createAccessRequest(accountId: string, request: NewAccessRequest, limits: PendingLimits, mutation: Mutation): Promise<AccessRequestWrite> {
    return this.ctx.tx((): AccessRequestWrite => {
      if (!this.ctx.stmt.agent.get(accountId, request.agent)) return { outcome: 'unknown-agent' };
      const secretExists = this.ctx.stmt.secret.get(accountId, request.secret) !== undefined;
      if (secretExists && this.ctx.stmt.grantExists.get(accountId, request.secret, request.agent)) return { outcome: 'granted' };
      const pending = this.ctx.db
        .prepare("SELECT * FROM access_requests WHERE account_id = ? AND secret_name = ? AND agent_id = ? AND status = 'pending'")
        .get(accountId, request.secret, request.agent) as AccessRequestDbRow | undefined;
      if (pending) return { outcome: 'pending', request: toAccessRequest(pending) };
      // Pending rows are few (the limits bound them), so counting through the (account, status) index is cheap.
      const own = this.ctx.db
        .prepare("SELECT COUNT(*) FROM access_requests WHERE account_id = ? AND status = 'pending' AND requested_by_id = ?")
        .pluck()
        .get(accountId, request.requestedById) as number;
      if (own >= limits.perRequester) return { outcome: 'requester-limit' };
      if (own >= limits.share) {
        const count = this.ctx.db.prepare("SELECT COUNT(*) FROM access_requests WHERE account_id = ? AND status = 'pending'").pluck().get(accountId) as number;
        if (count >= limits.account) return { outcome: 'limit' };
      }
      const row = newRequestRow(accountId, request, !secretExists);
      this.ctx.db
        .prepare(`INSERT INTO access_requests (${ACCESS_REQUEST_COLUMNS.join(', ')}) VALUES (${ACCESS_REQUEST_COLUMNS.map(() => '?').join(', ')})`)
        .run(...ACCESS_REQUEST_COLUMNS.map((c) => (typeof row[c] === 'boolean' ? Number(row[c]) : row[c])));
      this.ctx.audit(mutation);
      const created = toAccessRequest(row);
      return { outcome: 'created', request: created, events: [this.ctx.event(accountId, mutation.now, { type: 'access.requested', request: created })] };
    });
  }

  async listAccessRequests(accountId: string, status: AccessRequestStatus | undefined, limit: number): Promise<AccessRequest[]> {
    const rows = (
      status === undefined
        ? this.ctx.db.prepare('SELECT * FROM access_requests WHERE account_id = ? ORDER BY n DESC LIMIT ?').all(accountId, limit)
        : this.ctx.db.prepare('SELECT * FROM access_requests WHERE account_id = ? AND status = ? ORDER BY n DESC LIMIT ?').all(accountId, status, limit)
    ) as AccessRequestDbRow[];
    return rows.map(toAccessRequest);
  }

  async getAccessRequest(accountId: string, id: string): Promise<AccessRequest | undefined> {
    const row = this.ctx.stmt.accessRequest.get(accountId, id) as AccessRequestDbRow | undefined;
    return row && toAccessRequest(row);
  }

  async decideAccessRequest(accountId: string, id: string, decision: AccessDecision, mutation: Mutation): Promise<AccessDecisionWrite> {
    return this.ctx.tx((): AccessDecisionWrite => {
      const row = this.ctx.stmt.accessRequest.get(accountId, id) as AccessRequestDbRow | undefined;
      if (!row) return { outcome: 'missing' };
      if (row.status !== 'pending') return { outcome: 'already-decided', request: toAccessRequest(row) };
      const events: VaultEvent[] = [];
      let detail = `request: ${id}; agent: ${row.agent_id}`;
      if (decision.approve) {
        const secret = this.ctx.stmt.secret.get(accountId, row.secret_name) as SecretDbRow | undefined;
        if (!secret) return { outcome: 'no-secret', request: toAccessRequest(row) };
        if (!this.ctx.stmt.agent.get(accountId, row.agent_id)) return { outcome: 'unknown-agent', request: toAccessRequest(row) };
        if (this.ctx.stmt.grantExists.get(accountId, row.secret_name, row.agent_id)) detail += '; already granted';
        else {
          // The grant, as setGrant makes it: a new metadata version, the value untouched.
          this.ctx.stmt.insertGrant.run(accountId, row.secret_name, row.agent_id);
          this.ctx.stmt.bumpVersion.run(mutation.now, mutation.audit.actor, accountId, row.secret_name);
          events.push({ type: 'access.changed', secret: this.ctx.metadata(this.ctx.stmt.secret.get(accountId, row.secret_name) as SecretDbRow) });
          detail += '; granted';
        }
      }
      const status = decision.approve ? 'approved' : 'denied';
      const reason = decision.approve ? null : decision.reason;
      this.ctx.db
        .prepare('UPDATE access_requests SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ? WHERE account_id = ? AND id = ?')
        .run(status, mutation.now, mutation.audit.actor, reason, accountId, id);
      this.ctx.audit(mutation, 'success', mutation.audit.detail ? `${detail}; ${mutation.audit.detail}` : detail);
      const request = toAccessRequest({ ...row, status, decided_at: mutation.now, decided_by: mutation.audit.actor, decision_reason: reason });
      events.push({ type: 'access.decided', request: decidedEventRequest(request) });
      return { outcome: 'decided', request, events: events.map((e) => this.ctx.event(accountId, mutation.now, e)) };
    });
  }

  async denyAccessRequests(
    accountId: string,
    filter: BulkDenyFilter,
    reason: string,
    limit: number,
    mutation: Mutation,
  ): Promise<{ requests: AccessRequest[]; more: boolean; events: VaultEventEnvelope[] }> {
    return this.ctx.tx(() => {
      const base = "SELECT * FROM access_requests WHERE account_id = ? AND status = 'pending'";
      let rows: AccessRequestDbRow[];
      if ('ids' in filter) {
        const byId = this.ctx.db.prepare(`${base} AND id = ?`);
        rows = [...new Set(filter.ids)].slice(0, limit + 1).flatMap((id) => (byId.get(accountId, id) as AccessRequestDbRow | undefined) ?? []);
      } else if ('requestedById' in filter) {
        rows = this.ctx.db.prepare(`${base} AND requested_by_id = ? ORDER BY n LIMIT ?`).all(accountId, filter.requestedById, limit + 1) as AccessRequestDbRow[];
      } else {
        rows = this.ctx.db.prepare(`${base} ORDER BY n LIMIT ?`).all(accountId, limit + 1) as AccessRequestDbRow[];
      }
      const more = rows.length > limit;
      const update = this.ctx.db.prepare('UPDATE access_requests SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ? WHERE account_id = ? AND id = ?');
      const requests: AccessRequest[] = [];
      const events: VaultEventEnvelope[] = [];
      for (const row of rows.slice(0, limit)) {
        update.run('denied', mutation.now, mutation.audit.actor, reason, accountId, row.id);
        // One record per request, as a single deny writes it: the audit is searched by secret.
        const detail = `request: ${row.id}; agent: ${row.agent_id}${mutation.audit.detail ? `; ${mutation.audit.detail}` : ''}`;
        this.ctx.audit({ ...mutation, audit: { ...mutation.audit, target: row.secret_name } }, 'success', detail);
        const request = toAccessRequest({ ...row, status: 'denied', decided_at: mutation.now, decided_by: mutation.audit.actor, decision_reason: reason });
        requests.push(request);
        events.push(this.ctx.event(accountId, mutation.now, { type: 'access.decided', request: decidedEventRequest(request) }));
      }
      return { requests, more, events };
    });
  }

  async pruneAccessRequests(cutoff: Date): Promise<number> {
    // decided_at is ISO 8601 in UTC (toISOString), so text order is time order.
    return this.ctx.tx(() => this.ctx.db.prepare("DELETE FROM access_requests WHERE status != 'pending' AND decided_at < ?").run(cutoff.toISOString()).changes);
  }
}
