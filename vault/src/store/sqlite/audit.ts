// The audit records of both files (vault.db's records of changes, audit.db's access log), appended,
// listed as one and pruned by retention, and the event log read by streams, in SQLite. A change's
// own record and event are written by its transaction (sqliteContext.ts).

import type Database from 'better-sqlite3';
import { BackgroundAudit } from '../auditWorker';
import type { AuditRecord, VaultEvent, VaultEventEnvelope } from '../../../../protocol/api';
import type { AuditEntry, AuditStore, LastReadEntry, PruneReport } from '../types';
import { auditClock, listAuditRecords } from './accessLog';
import type { SqliteContext } from './sqliteContext';

/** Audit records deleted per transaction by retention, so that pruning never holds a file's write lock for long. */
const PRUNE_BATCH = 5_000;

/** The store's audit records and events. */
export class SqliteAudit implements AuditStore {
  private background: BackgroundAudit | undefined;

  constructor(
    private readonly ctx: SqliteContext,
    private readonly accessLogFile: string,
    private readonly synchronous: 'FULL' | 'NORMAL',
  ) {}

  /** Appends to the access log from a worker thread (see auditWorker.ts); used for run-time reads. */
  async appendAuditInBackground(entries: AuditEntry[], now: string, reads?: LastReadEntry[]): Promise<void> {
    this.background ??= new BackgroundAudit(this.accessLogFile, this.synchronous);
    return this.background.append(entries, now, auditClock(), reads);
  }

  /** Stops the background writer, if it started; resolves once its appends in flight are written. */
  closeBackground(): Promise<void> | undefined {
    return this.background?.close();
  }

  async appendAudit(entries: AuditEntry[], now: string): Promise<void> {
    this.ctx.accessLog.transaction(() => {
      const at = auditClock();
      for (const e of entries) {
        this.ctx.stmt.insertAccess.run(e.accountId, now, e.actor, e.actorId, e.actorType, e.action, e.target, e.outcome, e.detail, at);
      }
    }).immediate();
  }

  async appendSystemAudit(entries: AuditEntry[], now: string): Promise<void> {
    this.ctx.tx(() => {
      for (const e of entries) {
        this.ctx.stmt.insertAudit.run(e.accountId, now, e.actor, e.actorId, e.actorType, e.action, e.target, e.outcome, e.detail, auditClock());
      }
    });
  }

  async pruneAudit(cutoff: Date, actor: Pick<AuditEntry, 'actor' | 'actorId'>, now: string): Promise<PruneReport> {
    const cutoffUs = cutoff.getTime() * 1000;
    const accounts = this.ctx.db.prepare('SELECT id FROM accounts').pluck().all() as string[];
    const removed = new Map<string, number>();
    // Per account, through the (account_id, at_us) index of each file, in short transactions: the
    // access log's writer and the service keep going while a large backlog is pruned.
    const prune = (db: Database.Database, accountId: string) => {
      const del = db.prepare(`DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE account_id = ? AND at_us < ? LIMIT ${PRUNE_BATCH})`);
      for (;;) {
        const n = db.transaction(() => del.run(accountId, cutoffUs).changes).immediate();
        if (n > 0) removed.set(accountId, (removed.get(accountId) ?? 0) + n);
        if (n < PRUNE_BATCH) break;
      }
    };
    for (const accountId of accounts) {
      prune(this.ctx.accessLog, accountId);
      prune(this.ctx.db, accountId);
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
    return listAuditRecords(this.ctx.db, this.ctx.accessLog, accountId, before, limit);
  }

  async eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]> {
    const rows = this.ctx.db
      .prepare('SELECT seq, time, payload FROM events WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(accountId, afterId, limit) as { seq: number; time: string; payload: string }[];
    return rows.map((r) => ({ id: r.seq, time: r.time, event: JSON.parse(r.payload) as VaultEvent }));
  }

  async oldestEventId(accountId: string): Promise<number> {
    return this.ctx.db.prepare('SELECT COALESCE(MIN(seq), 0) FROM events WHERE account_id = ?').pluck().get(accountId) as number;
  }

  async lastEventId(accountId: string): Promise<number> {
    // The account's counter, not MAX(seq): it survives pruning, so ids never go backwards.
    return (this.ctx.db.prepare('SELECT event_seq FROM accounts WHERE id = ?').pluck().get(accountId) as number | undefined) ?? 0;
  }
}
