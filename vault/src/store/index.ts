// Choosing a store from configuration: the only place that knows which implementations exist. The
// service, the routes and the commands see the VaultStore interface only; a PostgreSQL store is
// one more `kind` here.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { SqliteStore } from './sqlite/store';
import type { VaultStore } from './types';

/** The SQLite database file inside a data folder (the access log, audit.db, sits next to it). */
export const DB_FILE_NAME = 'vault.db';

export type StoreConfig = {
  kind: 'sqlite';
  /** The data folder: vault.db and audit.db live in it. */
  dataDir: string;
  /** synchronous=FULL by default; NORMAL only for tests of the durability-insensitive kind. */
  synchronous?: 'FULL' | 'NORMAL';
};

export interface OpenedStore {
  store: VaultStore;
  /** What opening changed (file modes tightened), for the operator to read. */
  notices: string[];
}

/** Opens (creating and migrating when needed) the store `config` names. */
export function openStore(config: StoreConfig): OpenedStore {
  switch (config.kind) {
    case 'sqlite': {
      const store = new SqliteStore(path.join(config.dataDir, DB_FILE_NAME), { synchronous: config.synchronous ?? 'FULL' });
      return { store, notices: [...store.notices] };
    }
  }
}

/** Whether `config` names a store that has been created (init ran), without creating it. */
export function storeExists(config: StoreConfig): boolean {
  switch (config.kind) {
    case 'sqlite':
      return existsSync(path.join(config.dataDir, DB_FILE_NAME));
  }
}
