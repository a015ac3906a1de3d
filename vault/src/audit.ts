// Audit for run-time reads with group commit: reads that arrive while the previous group is being
// made durable form the next group, written in one transaction (one fsync). Each response waits for
// its own record; a failed write fails every request in its group. Mutations write their audit
// record in their own transaction instead (see the store).

import type { AuditEntry } from './store/types';

export type AuditSink = (entries: AuditEntry[], now: string) => Promise<void>;

interface Pending {
  entry: AuditEntry;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class AuditWriter {
  private queue: Pending[] = [];
  private writing = false;

  constructor(
    private readonly sink: AuditSink,
    private readonly maxBatch = 1024,
  ) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        // setImmediate lets every request parsed in this turn of the event loop join the group.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.sink(
          batch.map((p) => p.entry),
          new Date().toISOString(),
        );
        for (const p of batch) p.resolve();
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
    this.writing = false;
  }
}
