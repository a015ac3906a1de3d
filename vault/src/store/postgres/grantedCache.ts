// The granted-read cache of the PostgreSQL store: access answers of run-time reads (the sealed
// value, or null for "missing or not granted"; ciphertext, never a value), trusted only while
// vault_state.change_seq is the number the last check saw.
//
// The counter is moved by statement triggers on every state table, in the writer's transaction, by
// any writer (this replica, another one, a migration, psql): a transaction that changed anything
// commits a higher number. So a check made after a change committed sees a number the cache has not
// seen, and the cache starts again. Checks are one round trip per batch of reads (see
// PgRuntime.grantedReader in runtime.ts); LISTEN/NOTIFY is not needed for correctness.
//
// The race a database cache must close: a lookup sent while the state was N can be answered after a
// change to N+1 was committed and a newer check saw it and emptied the cache. Its answer may
// predate the change, so it must not enter the emptied cache. Every check that finds a change moves
// `epoch`; a lookup remembers the epoch it was sent in and is cached only if it is still current.

import type { GrantedValue } from '../types';

/** Cached answers kept at most; past it the cache starts again (it is only a cache). */
const GRANTED_CACHE_MAX = 50_000;

export interface GrantedKey {
  accountId: string;
  name: string;
  agent: string;
}

/** Looks up several answers in one query; the i-th result answers the i-th key. */
export type GrantedFetch = (keys: GrantedKey[]) => Promise<(GrantedValue | undefined)[]>;

interface Pending {
  key: GrantedKey;
  waiters: { resolve: (v: GrantedValue | undefined) => void; reject: (e: unknown) => void }[];
}

export class PgGrantedCache {
  private readonly answers = new Map<string, GrantedValue | null>();
  /** The change counter the cached answers are current for (-1: none seen yet). */
  private seen = -1;
  /** Moves each time a check finds a change; also VaultStore.generation(). */
  private epoch = 0;
  /** Misses waiting to be looked up together (a batch's misses arrive in the same turn). */
  private queue = new Map<string, Pending>();
  private scheduled = false;

  constructor(private readonly fetch: GrantedFetch) {}

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

  /**
   * The answer for one read, from the cache or the database; call it after a check resolved. The
   * misses of one event-loop turn go to the database as one query (the same key once).
   */
  lookup(accountId: string, name: string, agent: string): Promise<GrantedValue | undefined> {
    const id = `${accountId}\u0000${agent}\u0000${name}`;
    const hit = this.answers.get(id);
    if (hit !== undefined) return Promise.resolve(hit ?? undefined);
    return new Promise((resolve, reject) => {
      let pending = this.queue.get(id);
      if (!pending) {
        pending = { key: { accountId, name, agent }, waiters: [] };
        this.queue.set(id, pending);
      }
      pending.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = [...this.queue];
    this.queue = new Map();
    // The lookup is sent now: a waiter that joined the queue had its check resolved before this.
    const sentIn = this.epoch;
    this.fetch(batch.map(([, p]) => p.key)).then(
      (rows) => {
        // A check that found a change since the lookup was sent: the answers may predate that
        // change. They still answer their own reads (in flight before it), but are not kept.
        const current = sentIn === this.epoch;
        batch.forEach(([id, p], i) => {
          const row = rows[i];
          if (current) {
            if (this.answers.size >= GRANTED_CACHE_MAX) this.answers.clear();
            this.answers.set(id, row ?? null);
          }
          for (const w of p.waiters) w.resolve(row);
        });
      },
      (e: unknown) => {
        for (const [, p] of batch) for (const w of p.waiters) w.reject(e);
      },
    );
  }

  /** For tests: how many answers are cached. */
  get size(): number {
    return this.answers.size;
  }
}
