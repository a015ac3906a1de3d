// The audit records (appended in groups, listed, pruned by retention) and the event log read by
// streams, in PostgreSQL. A change's own record and event are written by its transaction (pgContext.ts).

import type { AuditRecord, VaultEvent, VaultEventEnvelope } from '../../../../protocol/api';
import type { AuditEntry, AuditStore, LastReadEntry, PruneReport } from '../types';
import { AUDIT_ROWS_PER_INSERT, type PgContext } from './pgContext';
import { mapError } from './pool';

/** Audit records deleted per statement by retention, so pruning never holds many row locks for long. */
const PRUNE_BATCH = 5_000;

/** Audit record ids: `v` + the row id (the service wraps them with AuditIdCodec, which accepts this form). */
const AUDIT_ID = /^v([1-9][0-9]{0,15})$/;

/** The store's audit records and events. */
export class PgAudit implements AuditStore {
  constructor(private readonly ctx: PgContext) {}

  /** `reads`: kept as last reads by the same statement (see AuditStore.appendAuditInBackground). */
  async appendAudit(entries: AuditEntry[], now: string, reads: LastReadEntry[] = []): Promise<void> {
    if (entries.length === 0) return;
    // One statement is its own transaction; several (a very large group) share one.
    if (entries.length <= AUDIT_ROWS_PER_INSERT) {
      try {
        await this.ctx.insertAudit(this.ctx.pool, entries, now, reads);
      } catch (e) {
        throw mapError(e);
      }
    } else await this.ctx.tx((c) => this.ctx.insertAudit(c, entries, now, reads), false);
  }

  /** A pooled connection is already off the event loop's way: the same as appendAudit. */
  async appendAuditInBackground(entries: AuditEntry[], now: string, reads?: LastReadEntry[]): Promise<void> {
    return this.appendAudit(entries, now, reads);
  }

  async appendSystemAudit(entries: AuditEntry[], now: string): Promise<void> {
    if (entries.length === 0) return;
    await this.ctx.tx((c) => this.ctx.insertAudit(c, entries, now), false);
  }

  async pruneAudit(cutoff: Date, actor: Pick<AuditEntry, 'actor' | 'actorId'>, now: string): Promise<PruneReport> {
    const cutoffUs = cutoff.getTime() * 1000;
    const accounts = await this.ctx.q<{ id: string }>('SELECT id FROM accounts ORDER BY id');
    const removed = new Map<string, number>();
    for (const { id: accountId } of accounts) {
      for (;;) {
        const r = await this.ctx.q<{ id: number }>(
          'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE account_id = $1 AND at_us < $2 LIMIT $3) RETURNING id',
          [accountId, cutoffUs, PRUNE_BATCH],
        );
        if (r.length > 0) removed.set(accountId, (removed.get(accountId) ?? 0) + r.length);
        if (r.length < PRUNE_BATCH) break;
      }
    }
    const entries: AuditEntry[] = [...removed].map(([accountId, n]) => ({
      accountId,
      ...actor,
      actorType: 'system',
      action: 'audit.prune',
      target: 'audit',
      outcome: 'success',
      detail: `removed ${n} record${n === 1 ? '' : 's'} older than ${cutoff.toISOString()}`,
    }));
    if (entries.length > 0) await this.appendSystemAudit(entries, now);
    return { removed, total: [...removed.values()].reduce((a, b) => a + b, 0) };
  }

  async listAudit(accountId: string, before: string | undefined, limit: number): Promise<AuditRecord[] | undefined> {
    const columns = 'id, time, actor, actor_id AS "actorId", actor_type AS "actorType", action, target, outcome, detail';
    let rows: (Omit<AuditRecord, 'id'> & { id: number })[];
    if (before === undefined) {
      rows = await this.ctx.q(`SELECT ${columns} FROM audit WHERE account_id = $1 ORDER BY id DESC LIMIT $2`, [accountId, limit]);
    } else {
      const m = AUDIT_ID.exec(before);
      if (!m) return undefined;
      // The cursor must name a record of this account.
      const found = await this.ctx.q('SELECT 1 FROM audit WHERE account_id = $1 AND id = $2', [accountId, m[1]]);
      if (found.length === 0) return undefined;
      rows = await this.ctx.q(`SELECT ${columns} FROM audit WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, [accountId, m[1], limit]);
    }
    return rows.map((r) => ({ ...r, id: `v${r.id}` }));
  }

  async eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]> {
    const rows = await this.ctx.q<{ seq: number; time: string; payload: string }>(
      'SELECT seq, time, payload FROM events WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [accountId, afterId, limit],
    );
    return rows.map((r) => ({ id: r.seq, time: r.time, event: JSON.parse(r.payload) as VaultEvent }));
  }

  async oldestEventId(accountId: string): Promise<number> {
    return (await this.ctx.q<{ v: number }>('SELECT COALESCE(MIN(seq), 0) AS v FROM events WHERE account_id = $1', [accountId]))[0]!.v;
  }

  async lastEventId(accountId: string): Promise<number> {
    // The account's counter, not MAX(seq): it survives pruning, so ids never go backwards.
    return (await this.ctx.q<{ event_seq: number }>('SELECT event_seq FROM accounts WHERE id = $1', [accountId]))[0]?.event_seq ?? 0;
  }
}
