// Run-time read audits are appended to the access log (audit.db) by a worker thread with its own
// SQLite connection, so the fsync of each group commit happens off the main thread: requests keep
// being served while earlier groups are made durable. Each request still waits for its own record
// to be durable before answering.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { AuditEntry, LastReadEntry } from './types';

// Plain JavaScript, evaluated in the worker. Groups that arrive while a commit is in progress are
// all taken together for the next one (receiveMessageOnPort drains the queue synchronously).
//
// Durability (synchronous FULL) without holding the next commit back: SQLite's FULL syncs the WAL
// inside the commit, so the groups that arrived meanwhile waited for that sync and then for their
// own (a read waited one and a half syncs on average). Here the connection commits with NORMAL (the
// frames are written, not synced) and the WAL file is then synced with fdatasync on libuv's thread
// pool, while the worker goes on to commit the next groups; a group's reply waits for a sync that
// began after its own commit, so every record is on disk before its response, as with FULL.
// NORMAL still syncs the WAL and the database around each checkpoint, so a restarted WAL never
// overwrites frames that are not yet in the synced database file.
const WORKER_SOURCE = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
let syncAfterCommit = workerData.synchronous === 'FULL';
db.pragma('synchronous = ' + (syncAfterCommit ? 'NORMAL' : workerData.synchronous));
db.pragma('busy_timeout = 5000');
const upsertRead = db.prepare(workerData.upsertReadSql);
// Records are inserted up to 64 at a time by one statement of that many rows (prepared once per
// size, a power of two): a third less CPU a record than one statement each (AUTOINCREMENT's
// sequence row and the statement's setup are paid once per statement, not per record).
const inserts = [];
const insertOf = (n) => (inserts[n] ??= db.prepare(workerData.insertSql + ', (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'.repeat(n - 1)));
const params = [];
// A group arrives as one JSON text: [id, now, at, last reads or null, rows].
const append = db.transaction((groups) => {
  for (const g of groups) {
    const now = g[1];
    const at = g[2];
    const rows = g[4];
    for (let i = 0; i < rows.length; ) {
      let n = 64;
      while (n > rows.length - i) n >>= 1;
      params.length = 0;
      for (const end = i + n; i < end; i++) {
        const e = rows[i];
        params.push(e[0], now, e[1], e[2], e[3], e[4], e[5], e[6], e[7], at);
      }
      insertOf(n).run(params);
    }
    if (g[3] !== null) for (const r of g[3]) upsertRead.run(r[0], r[1], r[2], now, r[3]);
  }
});
let wal;
let closing = false;
// Replies are text too, naming the first and last id of the groups they answer: one commit's
// groups, whose ids are consecutive (groups arrive in the order their ids were given).
const reply = (ids, e) => parentPort.postMessage(ids[0] + ' ' + ids[ids.length - 1] + (e ? ' ' + String((e && e.message) || e) : ''));
let syncing = 0;
const closeWhenDone = () => {
  if (!closing || syncing > 0) return;
  if (wal !== undefined) fs.closeSync(wal);
  db.close();
  parentPort.close();
};
parentPort.on('message', (first) => {
  const work = [];
  for (let m = first; m !== undefined; m = receiveMessageOnPort(parentPort)?.message) {
    if (m === 'close') closing = true;
    else work.push(JSON.parse(m));
  }
  if (work.length > 0) {
    const ids = work.map((g) => g[0]);
    try {
      append.immediate(work);
    } catch (e) {
      reply(ids, e);
      work.length = 0;
    }
    if (work.length > 0 && syncAfterCommit && wal === undefined) {
      try {
        // The connection keeps the WAL file for as long as it is open (it is made by the first commit).
        wal = fs.openSync(workerData.file + '-wal', 'r');
      } catch {
        // No WAL file to sync: SQLite syncs each commit itself from now on (this one too).
        syncAfterCommit = false;
        db.pragma('synchronous = FULL');
        db.pragma('wal_checkpoint(FULL)');
      }
    }
    if (work.length > 0 && !syncAfterCommit) reply(ids);
    else if (work.length > 0) {
      syncing++;
      fs.fdatasync(wal, (e) => {
        syncing--;
        reply(ids, e);
        closeWhenDone();
      });
    }
  }
  closeWhenDone();
});
`;

/** One audit record into either file's `audit` table (same columns in vault.db and audit.db). */
export const INSERT_AUDIT_SQL =
  'INSERT INTO audit (account_id, time, actor, actor_id, actor_type, action, target, outcome, detail, at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * A successful run-time read kept as its (secret, agent)'s last (audit.db's last_reads): the newest
 * time wins, so groups committed out of order, or by two processes, keep the latest read.
 */
export const UPSERT_LAST_READ_SQL = `INSERT INTO last_reads (account_id, secret_name, agent_id, at, environment) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (account_id, secret_name, agent_id) DO UPDATE SET at = excluded.at, environment = excluded.environment WHERE excluded.at > last_reads.at`;

export class BackgroundAudit {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(file: string, synchronous: 'FULL' | 'NORMAL') {
    // CommonJS has require (the CLI's bundle); an ES module bundle (the benches') may have only a shim of it.
    const req = typeof require === 'function' && typeof require.resolve === 'function' ? require : createRequire(import.meta.url);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: req.resolve('better-sqlite3'), file, synchronous, insertSql: INSERT_AUDIT_SQL, upsertReadSql: UPSERT_LAST_READ_SQL },
    });
    this.worker.unref();
    // `first last` (written), or `first last message` (not written): the groups with ids in that range.
    this.worker.on('message', (r: string) => {
      const a = r.indexOf(' ');
      const b = r.indexOf(' ', a + 1);
      const last = Number(b === -1 ? r.slice(a + 1) : r.slice(a + 1, b));
      const error = b === -1 ? undefined : new Error(`The audit record could not be written: ${r.slice(b + 1)}`);
      for (let id = Number(r.slice(0, a)); id <= last; id++) {
        const p = this.pending.get(id);
        if (!p) continue;
        this.pending.delete(id);
        if (error === undefined) p.resolve();
        else p.reject(error);
      }
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => this.failAll(new Error('The audit writer stopped.')));
  }

  /**
   * `at`: the group's order key (see auditClock in sqlite/accessLog.ts); `reads`: the group's
   * successful run-time reads, kept as last reads in the same transaction.
   */
  append(entries: AuditEntry[], now: string, at: number, reads?: LastReadEntry[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      // One string clones far faster than an object or an array of objects (postMessage was a
      // tenth of a read's CPU), and rows of values (in the worker's column order) are written and
      // parsed faster than objects that repeat every field name: [id, now, at, reads, rows].
      let text = `[${id},${JSON.stringify(now)},${at},`;
      if (reads !== undefined && reads.length > 0) {
        text += '[';
        for (let i = 0; i < reads.length; i++) {
          const r = reads[i]!;
          if (i > 0) text += ',';
          text += JSON.stringify([r.accountId, r.secret, r.agent, r.environment]);
        }
        text += '],[';
      } else text += 'null,[';
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        if (i > 0) text += ',';
        text += JSON.stringify([e.accountId, e.actor, e.actorId, e.actorType, e.action, e.target, e.outcome, e.detail]);
      }
      this.worker.postMessage(text + ']]');
    });
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      setTimeout(() => void this.worker.terminate().then(() => resolve()), 2000).unref();
    });
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
