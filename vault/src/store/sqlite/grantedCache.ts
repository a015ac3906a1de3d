// The granted-read cache: access answers of run-time reads, keyed by account, agent and name — the
// sealed value, or null for "missing or not granted". It holds ciphertext, never a value, and is
// only trusted while SQLite proves vault.db unchanged since the answers were read (see current()).

import type Database from 'better-sqlite3';
import type { GrantedValue } from '../types';
import { toGranted, type GrantedDbRow } from '../rows';

/** Cached access answers kept at most; past it the cache starts again (it is only a cache). */
const GRANTED_CACHE_MAX = 50_000;

export class GrantedCache {
  private readonly answers = new Map<string, GrantedValue | null>();
  /** `PRAGMA data_version` and `total_changes()` when the cache was last known current. */
  private stateSeen = { dataVersion: -1, ownChanges: -1 };
  /** Moves each time current() finds a change (see VaultStore.generation). */
  generation = 0;
  private readonly dataVersion: Database.Statement;
  private readonly ownChanges: Database.Statement;
  private readonly granted: Database.Statement;

  constructor(db: Database.Database) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.ownChanges = db.prepare('SELECT total_changes()').pluck();
    this.granted = db.prepare(
      `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext, s.expires_at, s.value_mac FROM secrets s
       JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
       WHERE s.account_id = ? AND s.name = ? AND g.agent_id = ?`,
    );
  }

  /**
   * Drops the cached access answers unless SQLite shows that nothing has changed since they were
   * read: `PRAGMA data_version` changes when any other connection (another process: the CLI, an
   * operator's sqlite3, an attacker going through SQLite) commits to vault.db, and
   * `total_changes()` when this connection writes, through the store or not. The access log is
   * another file, so the constant appends of read audits do not count as changes.
   */
  current(): void {
    const ownChanges = this.ownChanges.get() as number;
    const dataVersion = this.dataVersion.get() as number;
    if (dataVersion !== this.stateSeen.dataVersion || ownChanges !== this.stateSeen.ownChanges) {
      this.answers.clear();
      this.stateSeen = { dataVersion, ownChanges };
      this.generation++;
    }
  }

  /** The answer for one read, from the cache or vault.db; call current() first. */
  lookup(accountId: string, name: string, agent: string): GrantedValue | undefined {
    const key = `${accountId}\u0000${agent}\u0000${name}`;
    let hit = this.answers.get(key);
    if (hit === undefined) {
      const row = this.granted.get(accountId, name, agent) as GrantedDbRow | undefined;
      hit = row ? toGranted(row) : null;
      if (this.answers.size >= GRANTED_CACHE_MAX) this.answers.clear();
      this.answers.set(key, hit);
    }
    return hit ?? undefined;
  }
}
