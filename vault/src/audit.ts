// Audit for run-time reads with group commit: the records of requests that arrive while a group is
// being made durable form the next group, written in one transaction (one fsync) by a worker (see
// store/auditWorker.ts). Each response waits for its own record; a failed write fails every
// request in its group. Mutations write their audit record in their own transaction instead.

import type { AuditEntry } from './store/types';

export type AuditSink = (entries: AuditEntry[], now: string) => Promise<void>;

interface Pending {
  entry: AuditEntry;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class AuditWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = false;

  constructor(private readonly sink: AuditSink) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    // setImmediate lets every request parsed in this turn of the event loop join the group.
    setImmediate(() => this.flush());
  }

  /**
   * One group in flight at a time: what arrives meanwhile waits and goes as the next group, so a
   * busy vault sends few, large groups (each costs a message to the worker and one fsync).
   */
  private flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.inFlight = true;
    const done = (fail: unknown, failed: boolean) => {
      this.inFlight = false;
      for (const p of batch) {
        if (failed) p.reject(fail);
        else p.resolve();
      }
      if (this.queue.length > 0) this.schedule();
    };
    this.sink(
      batch.map((p) => p.entry),
      new Date().toISOString(),
    ).then(
      () => done(undefined, false),
      (e: unknown) => done(e, true),
    );
  }
}
