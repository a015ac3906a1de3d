// Access requests, in PostgreSQL: filed, listed, decided (an approval grants in the same transaction), denied in bulk, pruned.

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
import type { PgContext } from './pgContext';

/** The store's access requests. */
export class PgAccessRequests implements AccessRequestStore {
  constructor(private readonly ctx: PgContext) {}

  async createAccessRequest(accountId: string, request: NewAccessRequest, limits: PendingLimits, mutation: Mutation): Promise<AccessRequestWrite> {
    // The vault_state lock (tx) serialises the vault's writers, so the duplicate and limit checks
    // cannot race another replica's; the partial unique index holds even for a writer without it.
    return this.ctx.tx(async (c): Promise<AccessRequestWrite> => {
      if ((await c.query('SELECT 1 FROM agents WHERE account_id = $1 AND id = $2', [accountId, request.agent])).rows.length === 0) return { outcome: 'unknown-agent' };
      const secretExists = (await this.ctx.secretRow(c, accountId, request.secret)) !== undefined;
      if (secretExists && (await c.query('SELECT 1 FROM grants WHERE account_id = $1 AND secret_name = $2 AND agent_id = $3', [accountId, request.secret, request.agent])).rows.length > 0) {
        return { outcome: 'granted' };
      }
      const pending = await c.query<AccessRequestDbRow>(
        "SELECT * FROM access_requests WHERE account_id = $1 AND secret_name = $2 AND agent_id = $3 AND status = 'pending'",
        [accountId, request.secret, request.agent],
      );
      if (pending.rows[0]) return { outcome: 'pending', request: toAccessRequest(pending.rows[0]) };
      // Pending rows are few (the limits bound them), so counting through the (account, status) index is cheap.
      const own = await c.query<{ n: number }>(
        "SELECT COUNT(*)::int AS n FROM access_requests WHERE account_id = $1 AND status = 'pending' AND requested_by_id = $2",
        [accountId, request.requestedById],
      );
      if (own.rows[0]!.n >= limits.perRequester) return { outcome: 'requester-limit' };
      if (own.rows[0]!.n >= limits.share) {
        const count = await c.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM access_requests WHERE account_id = $1 AND status = 'pending'", [accountId]);
        if (count.rows[0]!.n >= limits.account) return { outcome: 'limit' };
      }
      const row = newRequestRow(accountId, request, !secretExists);
      await c.query(
        `INSERT INTO access_requests (${ACCESS_REQUEST_COLUMNS.join(', ')}) VALUES (${ACCESS_REQUEST_COLUMNS.map((_c, i) => `$${i + 1}`).join(', ')})`,
        ACCESS_REQUEST_COLUMNS.map((col) => row[col]),
      );
      await this.ctx.audit(c, mutation);
      const created = toAccessRequest(row);
      return { outcome: 'created', request: created, events: [await this.ctx.event(c, accountId, mutation.now, { type: 'access.requested', request: created })] };
    });
  }

  async listAccessRequests(accountId: string, status: AccessRequestStatus | undefined, limit: number): Promise<AccessRequest[]> {
    const rows =
      status === undefined
        ? await this.ctx.q<AccessRequestDbRow>('SELECT * FROM access_requests WHERE account_id = $1 ORDER BY n DESC LIMIT $2', [accountId, limit])
        : await this.ctx.q<AccessRequestDbRow>('SELECT * FROM access_requests WHERE account_id = $1 AND status = $2 ORDER BY n DESC LIMIT $3', [accountId, status, limit]);
    return rows.map(toAccessRequest);
  }

  async getAccessRequest(accountId: string, id: string): Promise<AccessRequest | undefined> {
    const row = (await this.ctx.q<AccessRequestDbRow>('SELECT * FROM access_requests WHERE account_id = $1 AND id = $2', [accountId, id]))[0];
    return row && toAccessRequest(row);
  }

  async decideAccessRequest(accountId: string, id: string, decision: AccessDecision, mutation: Mutation): Promise<AccessDecisionWrite> {
    return this.ctx.tx(async (c): Promise<AccessDecisionWrite> => {
      const row = (await c.query<AccessRequestDbRow>('SELECT * FROM access_requests WHERE account_id = $1 AND id = $2 FOR UPDATE', [accountId, id])).rows[0];
      if (!row) return { outcome: 'missing' };
      if (row.status !== 'pending') return { outcome: 'already-decided', request: toAccessRequest(row) };
      const events: VaultEvent[] = [];
      let detail = `request: ${id}; agent: ${row.agent_id}`;
      if (decision.approve) {
        const secret = await this.ctx.secretRow(c, accountId, row.secret_name, true);
        if (!secret) return { outcome: 'no-secret', request: toAccessRequest(row) };
        if ((await c.query('SELECT 1 FROM agents WHERE account_id = $1 AND id = $2', [accountId, row.agent_id])).rows.length === 0) {
          return { outcome: 'unknown-agent', request: toAccessRequest(row) };
        }
        const has = await c.query('SELECT 1 FROM grants WHERE account_id = $1 AND secret_name = $2 AND agent_id = $3', [accountId, row.secret_name, row.agent_id]);
        if (has.rows.length > 0) detail += '; already granted';
        else {
          // The grant, as setGrant makes it: a new metadata version, the value untouched.
          await this.ctx.insertGrants(c, accountId, row.secret_name, [row.agent_id]);
          const updated = await c.query<SecretDbRow>(
            'UPDATE secrets SET version = version + 1, updated_at = $1, updated_by = $2 WHERE account_id = $3 AND name = $4 RETURNING *',
            [mutation.now, mutation.audit.actor, accountId, row.secret_name],
          );
          events.push({ type: 'access.changed', secret: await this.ctx.metadata(c, updated.rows[0]!) });
          detail += '; granted';
        }
      }
      const status = decision.approve ? 'approved' : 'denied';
      const reason = decision.approve ? null : decision.reason;
      await c.query('UPDATE access_requests SET status = $1, decided_at = $2, decided_by = $3, decision_reason = $4 WHERE account_id = $5 AND id = $6', [
        status,
        mutation.now,
        mutation.audit.actor,
        reason,
        accountId,
        id,
      ]);
      await this.ctx.audit(c, mutation, 'success', mutation.audit.detail ? `${detail}; ${mutation.audit.detail}` : detail);
      const request = toAccessRequest({ ...row, status, decided_at: mutation.now, decided_by: mutation.audit.actor, decision_reason: reason });
      events.push({ type: 'access.decided', request: decidedEventRequest(request) });
      const envelopes: VaultEventEnvelope[] = [];
      for (const e of events) envelopes.push(await this.ctx.event(c, accountId, mutation.now, e));
      return { outcome: 'decided', request, events: envelopes };
    });
  }

  async denyAccessRequests(
    accountId: string,
    filter: BulkDenyFilter,
    reason: string,
    limit: number,
    mutation: Mutation,
  ): Promise<{ requests: AccessRequest[]; more: boolean; events: VaultEventEnvelope[] }> {
    return this.ctx.tx(async (c) => {
      const base = "SELECT * FROM access_requests WHERE account_id = $1 AND status = 'pending'";
      const found =
        'ids' in filter
          ? await c.query<AccessRequestDbRow>(`${base} AND id = ANY($2::text[]) ORDER BY n LIMIT $3 FOR UPDATE`, [accountId, [...new Set(filter.ids)], limit + 1])
          : 'requestedById' in filter
            ? await c.query<AccessRequestDbRow>(`${base} AND requested_by_id = $2 ORDER BY n LIMIT $3 FOR UPDATE`, [accountId, filter.requestedById, limit + 1])
            : await c.query<AccessRequestDbRow>(`${base} ORDER BY n LIMIT $2 FOR UPDATE`, [accountId, limit + 1]);
      const rows = found.rows.slice(0, limit);
      if (rows.length > 0) {
        await c.query(
          "UPDATE access_requests SET status = 'denied', decided_at = $1, decided_by = $2, decision_reason = $3 WHERE account_id = $4 AND id = ANY($5::text[])",
          [mutation.now, mutation.audit.actor, reason, accountId, rows.map((r) => r.id)],
        );
      }
      // One record per request, as a single deny writes it: the audit is searched by secret.
      const extra = mutation.audit.detail ? `; ${mutation.audit.detail}` : '';
      await this.ctx.insertAudit(
        c,
        rows.map((r) => ({ ...mutation.audit, target: r.secret_name, outcome: 'success', detail: `request: ${r.id}; agent: ${r.agent_id}${extra}` })),
        mutation.now,
      );
      const requests = rows.map((r) => toAccessRequest({ ...r, status: 'denied', decided_at: mutation.now, decided_by: mutation.audit.actor, decision_reason: reason }));
      const events: VaultEventEnvelope[] = [];
      for (const request of requests) events.push(await this.ctx.event(c, accountId, mutation.now, { type: 'access.decided', request: decidedEventRequest(request) }));
      return { requests, more: found.rows.length > limit, events };
    });
  }

  async pruneAccessRequests(cutoff: Date): Promise<number> {
    // decided_at is ISO 8601 in UTC (toISOString), so text order is time order.
    const r = await this.ctx.tx(async (c) => c.query("DELETE FROM access_requests WHERE status <> 'pending' AND decided_at < $1", [cutoff.toISOString()]));
    return r.rowCount ?? 0;
  }
}
