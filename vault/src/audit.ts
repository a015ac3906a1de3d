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

interface Pending {
  entry: AuditEntry;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class AuditWriter {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly sink: AuditSink) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate lets every request handled in this turn of the event loop join the group.
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Groups are sent as soon as they are made, without waiting for the previous one: the worker
   * takes all that are waiting into its next commit, so it commits back to back under load, and a
   * record never waits behind a commit that was already under way when it was made plus a second
   * one. (Holding groups back until the previous commit returned cost a third of the latency.)
   */
  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.sink(
      batch.map((p) => p.entry),
      new Date().toISOString(),
    ).then(
      () => {
        for (const p of batch) p.resolve();
      },
      (e: unknown) => {
        for (const p of batch) p.reject(e);
      },
    );
  }
}
