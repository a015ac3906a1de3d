// Audit for run-time reads with group commit: reads that arrive together are written in one
// transaction (one fsync), and each response waits for its record to be durable. A failed write
// fails every request in the group. Mutations write their audit record in their own transaction.

import type { AuditEntry, VaultStore } from './store/types';

interface Pending {
  entry: AuditEntry;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class AuditWriter {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly store: VaultStore,
    private readonly maxBatch = 512,
  ) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate lets every request parsed in this turn of the event loop join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.store.appendAudit(
          batch.map((p) => p.entry),
          new Date().toISOString(),
        );
        for (const p of batch) p.resolve();
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
  }
}
