// The granted-read cache of the PostgreSQL store: access answers of run-time reads (the sealed
// value, or null for "missing or not granted"; ciphertext, never a value), trusted only while
// vault_state.change_seq is the number the last check saw.
//
// The counter is moved by statement triggers on every state table, in the writer's transaction, by
// any writer (this replica, another one, a migration, psql): a transaction that changed anything
// commits a higher number. So a check made after a change committed sees a number the cache has not
// seen, and the cache starts again. Checks are one round trip per batch of reads (see
// PostgresStore.grantedReader); LISTEN/NOTIFY is not needed for correctness.
//
// The race a database cache must close: a lookup sent while the state was N can be answered after a
// change to N+1 was committed and a newer check saw it and emptied the cache. Its answer may
// predate the change, so it must not enter the emptied cache. Every check that finds a change moves
// `epoch`; a lookup remembers the epoch it was sent in and is cached only if it is still current.

import type { GrantedValue } from '../types';

/** Cached answers kept at most; past it the cache starts again (it is only a cache). */
const GRANTED_CACHE_MAX = 50_000;

export type GrantedLookup = (accountId: string, name: string, agent: string) => Promise<GrantedValue | undefined>;

export class PgGrantedCache {
  private readonly answers = new Map<string, GrantedValue | null>();
  /** The change counter the cached answers are current for (-1: none seen yet). */
  private seen = -1;
  /** Moves each time a check finds a change; also VaultStore.generation(). */
  private epoch = 0;

  constructor(private readonly fetch: GrantedLookup) {}

  get generation(): number {
    return this.epoch;
  }

  /**
   * Records what a check read. The counter only grows (one row, updated in commit order), so a
   * check that was overtaken by a newer one and reports an older number changes nothing.
   */
  observe(changeSeq: number): void {
    if (changeSeq > this.seen) {
      this.seen = changeSeq;
      this.answers.clear();
      this.epoch++;
    }
  }

  /** The answer for one read, from the cache or the database; call it after a check resolved. */
  async lookup(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined> {
    const key = `${accountId}\u0000${agent}\u0000${name}`;
    const hit = this.answers.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const sentIn = this.epoch;
    const row = await this.fetch(accountId, name, agent);
    // A check that found a change since the lookup was sent: the answer may predate that change.
    if (sentIn === this.epoch) {
      if (this.answers.size >= GRANTED_CACHE_MAX) this.answers.clear();
      this.answers.set(key, row ?? null);
    }
    return row;
  }

  /** For tests: how many answers are cached. */
  get size(): number {
    return this.answers.size;
  }
}
