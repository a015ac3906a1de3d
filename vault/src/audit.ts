// Audit for run-time reads with group commit: the records made in one turn of the event loop are
// sent together to a worker (see store/auditWorker.ts), which writes everything that has reached
// it since its last commit in one transaction (one fsync). Each response waits for its own
// record; a failed write fails every request in its group. Mutations write their audit record in
// their own transaction instead.

import { userInfo } from 'node:os';
import type { AuditEntry } from './store/types';

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

export type AuditSink = (entries: AuditEntry[], now: string) => Promise<void>;

/** The records of one turn of the event loop, written together; each caller waits on the group's promise. */
interface Group {
  entries: AuditEntry[];
  done: Promise<void>;
}

export class AuditWriter {
  private group: Group | undefined;

  constructor(private readonly sink: AuditSink) {}

  /**
   * Resolves once the record is written, with every record of its group (rejects, with all of them,
   * when the write fails). One promise per group, not one per record: at hundreds of reads a turn,
   * a promise, its two callbacks and a holder per record were a tenth of the audit's main-thread cost.
   */
  record(entry: AuditEntry): Promise<void> {
    let group = this.group;
    if (group === undefined) {
      const entries = [entry];
      // setImmediate lets every request handled in this turn of the event loop join the group.
      const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush(entries));
      group = { entries, done };
      this.group = group;
      return done;
    }
    group.entries.push(entry);
    return group.done;
  }

  /**
   * Groups are sent as soon as they are made, without waiting for the previous one: the worker
   * takes all that are waiting into its next commit, so it commits back to back under load, and a
   * record never waits behind a commit that was already under way when it was made plus a second
   * one. (Holding groups back until the previous commit returned cost a third of the latency.)
   */
  private flush(entries: AuditEntry[]): Promise<void> {
    this.group = undefined;
    return this.sink(entries, new Date().toISOString());
  }
}
