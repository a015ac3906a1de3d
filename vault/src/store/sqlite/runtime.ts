// Run-time reads in SQLite: answers come from the granted-read cache (grantedCache.ts), which
// SQLite proves current before each read or batch of reads.

import type { GrantedReader, GrantedValue } from '../types';
import { toGranted, type GrantedDbRow } from '../rows';
import type { SqliteContext } from './sqliteContext';
import { GrantedCache } from './grantedCache';

/** The store's run-time reads. */
export class SqliteRuntime {
  /** Access answers of run-time reads (see grantedCache.ts). */
  private readonly granted: GrantedCache;

  constructor(private readonly ctx: SqliteContext) {
    this.granted = new GrantedCache(ctx.db);
  }

  generation(): number {
    return this.granted.generation;
  }

  async readGranted(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined> {
    // Cached, but never stale: the cache first checks that nothing in vault.db has changed since
    // the cached answers were read, so an access change, a rotation or a tampered row made by any
    // process takes effect on the very next read. The cache holds ciphertext, never a value.
    this.granted.current();
    return this.granted.lookup(accountId, name, agent);
  }

  grantedReader(): GrantedReader {
    // One check for the whole batch. A write committed after it (by anyone) may or may not show
    // in the batch's answers; either is right, since those requests were already in flight.
    this.granted.current();
    return this.batchReader;
  }

  private readonly batchReader: GrantedReader = {
    checked: Promise.resolve(),
    readGranted: (accountId, name, agent) => this.granted.lookup(accountId, name, agent),
  };

  async listGranted(accountId: string, agent: string): Promise<GrantedValue[]> {
    return (this.ctx.stmt.grantedAll.all(accountId, agent) as GrantedDbRow[]).map(toGranted);
  }
}
