// Audit for run-time reads with group commit: the records of the requests parsed in one turn of the
// event loop go to the sink together, and the sink (a worker, see store/auditWorker.ts) commits
// every group that queued up during its previous commit in one transaction (one fsync). Each
// response waits for its own record; a failed write fails every request in its group. Mutations
// write their audit record in their own transaction instead (see the store).

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

  constructor(private readonly sink: AuditSink) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate lets every request parsed in this turn of the event loop join the group.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Hands the group to the sink at once; the sink commits groups that queue up behind a commit together. */
  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
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
