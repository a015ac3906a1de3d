// Audit for run-time reads with group commit: the records made in one turn of the event loop (or in
// one batch of reads: sendNow) are sent together to a worker (see store/auditWorker.ts), which
// writes everything that has reached it since its last commit in one transaction (one fsync). Each
// response waits for its own record; a failed write fails every request in its group. Mutations
// write their audit record in their own transaction instead.

import { userInfo } from 'node:os';
import type { AuditEntry, LastReadEntry } from './store/types';

/**
 * The actor of a local operation (the CLI on the data folder, or the serving process itself):
 * `local:<command>`, type `system`, and as its id the operating-system user who ran it. No API
 * request can produce a `system` record, so a key named like one is still a `user`.
 */
export function systemActor(command: string): Pick<AuditEntry, 'actor' | 'actorId'> {
  let who: string;
  try {
    who = `os-user:${userInfo().username}`;
  } catch {
    who = `os-uid:${process.getuid?.() ?? 'unknown'}`; // no passwd entry (some containers)
  }
  return { actor: `local:${command}`, actorId: who.replace(/[^\x20-\x7e]/g, '?') };
}

export type AuditSink = (entries: AuditEntry[], now: string, reads: LastReadEntry[]) => Promise<void>;

/** The records of one turn of the event loop, written together; each caller waits on the group's promise. */
interface Group {
  entries: AuditEntry[];
  /** Successful run-time reads of the group, one per (account, secret, agent): the newest of each. */
  reads: Map<string, LastReadEntry> | undefined;
  done: Promise<void>;
  /** Sends the group (once; the turn's end calls it, or sendNow before). */
  send: () => void;
}

/** Keys of last reads remembered as written, at most; past it the memory starts again (it only saves writes). */
const KEPT_MAX = 100_000;

export class AuditWriter {
  private group: Group | undefined;
  /**
   * Per (account, secret, agent), the second and environment of the last read this process wrote (or
   * is writing): a read in that same second, in the same environment, needs no write at all.
   */
  private readonly kept = new Map<string, { second: number; environment: string | null }>();

  constructor(private readonly sink: AuditSink) {}

  /**
   * Resolves once the record is written, with every record of its group (rejects, with all of them,
   * when the write fails). One promise per group, not one per record: at hundreds of reads a turn,
   * a promise, its two callbacks and a holder per record were a tenth of the audit's main-thread cost.
   */
  record(entry: AuditEntry): Promise<void> {
    const group = this.group ?? this.newGroup();
    group.entries.push(entry);
    return group.done;
  }

  /**
   * Keeps a successful run-time read as its (secret, agent)'s last, written with the current group's
   * records in the same transaction; call it just before record() of the read's own record, in the
   * same turn, so both are in one group.
   */
  noteRead(read: LastReadEntry): void {
    const key = `${read.accountId}\u0000${read.secret}\u0000${read.agent}`;
    const second = Math.floor(Date.now() / 1000);
    const kept = this.kept.get(key);
    if (kept !== undefined && kept.second === second && kept.environment === read.environment) return;
    // Remembered at once, not when written: the reads of this key while its group is in flight
    // write nothing more (a failed write forgets it again, below).
    if (kept === undefined && this.kept.size >= KEPT_MAX) this.kept.clear();
    this.kept.set(key, { second, environment: read.environment });
    const group = this.group ?? this.newGroup();
    (group.reads ??= new Map()).set(key, read);
  }

  /**
   * Sends the records made so far without waiting for the turn to end: a batch of reads that has
   * recorded all of its own calls it (http/runtimeFastPath.ts). The group would otherwise wait for
   * the next turn of the event loop (an immediate queued while immediates run waits for the next
   * poll), and its reads with it, though no other record could join it before that.
   */
  sendNow(): void {
    const group = this.group;
    if (group === undefined) return;
    this.group = undefined;
    group.send();
  }

  private newGroup(): Group {
    const group: Group = { entries: [], reads: undefined, done: undefined!, send: undefined! };
    // setImmediate lets every request handled in this turn of the event loop join the group.
    group.done = new Promise<void>((resolve) => {
      group.send = resolve;
      setImmediate(resolve);
    }).then(() => this.flush(group));
    this.group = group;
    return group;
  }

  /**
   * Groups are sent as soon as they are made, without waiting for the previous one: the worker
   * takes all that are waiting into its next commit, so it commits back to back under load, and a
   * record never waits behind a commit that was already under way when it was made plus a second
   * one. (Holding groups back until the previous commit returned cost a third of the latency.)
   */
  private flush(group: Group): Promise<void> {
    if (this.group === group) this.group = undefined;
    const now = new Date().toISOString();
    if (group.reads === undefined) return this.sink(group.entries, now, []);
    const reads = group.reads;
    return this.sink(group.entries, now, [...reads.values()]).catch((e: unknown) => {
      // Not written: the next read of each key writes it.
      for (const key of reads.keys()) this.kept.delete(key);
      throw e;
    });
  }
}
