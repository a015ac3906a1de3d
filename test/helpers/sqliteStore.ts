// For the tests that are about SQLite itself (file bytes, rows an attacker with file access could
// change, crash recovery): the vault's store, as the SQLite store it must be for them. Everything
// else reaches the store through the VaultStore interface only.

import { SqliteStore } from '../../vault/src/store/sqlite/store';
import type { VaultStore } from '../../vault/src/store/types';

export function sqliteStore(store: VaultStore): SqliteStore {
  if (!(store instanceof SqliteStore)) throw new Error('This test reads SQLite directly, but the vault runs on another store.');
  return store;
}
