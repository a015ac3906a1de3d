// The access log (audit.db): where its file lives, the clock that orders audit records across the
// two files, and the listing that merges them. Run-time reads and refusals are audited there, not
// in vault.db, so that vault.db changes only when the state does (see grantedCache.ts).

import type Database from 'better-sqlite3';
import path from 'node:path';
import type { AuditRecord } from '../../../../protocol/api';

/** The access log sits next to the vault database: `<dir>/audit.db`. */
export function accessLogFile(vaultFile: string): string {
  return path.join(path.dirname(vaultFile), 'audit.db');
}

/**
 * Audit record ids name their file and row: `v12` is row 12 of vault.db's audit table (a change),
 * `a7` row 7 of the access log. Listings run newest first by (at_us, file, row).
 */
const AUDIT_SOURCES = [
  { prefix: 'a', rank: 0 },
  { prefix: 'v', rank: 1 },
] as const;
type AuditSource = (typeof AUDIT_SOURCES)[number];
const AUDIT_ID = /^([av])([1-9][0-9]{0,15})$/;

let lastAuditUs = 0;
/**
 * The audit order key: microseconds since the epoch, strictly increasing within this process, and
 * taken on the main thread when a record is committed (a change) or handed to the writer (a group
 * of reads), so records from the two files merge in the order things happened, even within one
 * millisecond.
 */
export function auditClock(): number {
  const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastAuditUs = now > lastAuditUs ? now : lastAuditUs + 1;
  return lastAuditUs;
}

/**
 * One account's audit records from both files, newest first, `limit` of them, before the record
 * `before` names; undefined when `before` names no record of the account.
 */
export function listAuditRecords(
  vault: Database.Database,
  accessLog: Database.Database,
  accountId: string,
  before: string | undefined,
  limit: number,
): AuditRecord[] | undefined {
  const fileOf = (source: AuditSource): Database.Database => (source.prefix === 'a' ? accessLog : vault);
  // The position of `before` in the merged order (at_us, file, row); undefined when it names no record.
  let cursor: { at: number; rank: number; row: number } | undefined;
  if (before !== undefined) {
    const m = AUDIT_ID.exec(before);
    if (!m) return undefined;
    const source = AUDIT_SOURCES.find((s) => s.prefix === m[1])!;
    const row = Number(m[2]);
    const at = fileOf(source)
      .prepare('SELECT at_us FROM audit WHERE account_id = ? AND id = ?')
      .pluck()
      .get(accountId, row) as number | undefined;
    if (at === undefined) return undefined;
    cursor = { at, rank: source.rank, row };
  }
  // Each file's newest `limit` records before the cursor, then the newest `limit` of both.
  const merged: (AuditRecord & { at: number; rank: number; row: number })[] = [];
  for (const source of AUDIT_SOURCES) {
    let where = 'account_id = ?';
    const params: (string | number)[] = [accountId];
    if (cursor) {
      if (source.rank === cursor.rank) {
        where += ' AND (at_us, id) < (?, ?)';
        params.push(cursor.at, cursor.row);
      } else {
        where += source.rank < cursor.rank ? ' AND at_us <= ?' : ' AND at_us < ?';
        params.push(cursor.at);
      }
    }
    const rows = fileOf(source)
      .prepare(
        `SELECT id, time, actor, actor_id AS actorId, actor_type AS actorType, action, target, outcome, detail, at_us AS at FROM audit
         WHERE ${where} ORDER BY at_us DESC, id DESC LIMIT ?`,
      )
      .all(...params, limit) as (Omit<AuditRecord, 'id'> & { id: number; at: number })[];
    for (const { at, ...r } of rows) merged.push({ ...r, id: `${source.prefix}${r.id}`, at, rank: source.rank, row: r.id });
  }
  merged.sort((a, b) => b.at - a.at || b.rank - a.rank || b.row - a.row);
  return merged.slice(0, limit).map(({ at: _at, rank: _rank, row: _row, ...record }) => record);
}
