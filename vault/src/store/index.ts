// Choosing a store from configuration: the only place that knows which implementations exist. The
// service, the routes and the commands see the VaultStore interface only.

import { existsSync } from 'node:fs';
import { DB_FILE_NAME } from './files';
import path from 'node:path';
import pg from 'pg';
import { connectionConfig, mapError } from './postgres/pool';
import { PostgresStore } from './postgres/store';
import { SqliteStore } from './sqlite/store';
import type { VaultStore } from './types';

export { DATABASE_URL_ENV, isPostgresUrl, maskDatabaseUrl } from './databaseUrl';
export { DB_FILE_NAME };
// Copying a SQLite vault into PostgreSQL knows both implementations, so it is reached through here.
export { MIGRATED_TABLES, MigrateError, migrateToPostgres, type MigrateOptions, type MigrateReport } from './migrateToPostgres';

export type StoreConfig =
  | {
      kind: 'sqlite';
      /** The data folder: vault.db and audit.db live in it. */
      dataDir: string;
      /** synchronous=FULL by default; NORMAL only for tests of the durability-insensitive kind. */
      synchronous?: 'FULL' | 'NORMAL';
    }
  | {
      kind: 'postgres';
      /** postgres://user@host:port/database (TLS and credentials as the URL says). */
      url: string;
      /** Connections per replica at most (default 10). */
      poolSize?: number;
    };

export interface OpenedStore {
  store: VaultStore;
  /** What opening changed (file modes tightened), for the operator to read. */
  notices: string[];
}

/** Opens (creating and migrating when needed) the store `config` names. */
export async function openStore(config: StoreConfig): Promise<OpenedStore> {
  switch (config.kind) {
    case 'sqlite': {
      const store = new SqliteStore(path.join(config.dataDir, DB_FILE_NAME), { synchronous: config.synchronous ?? 'FULL' });
      return { store, notices: [...store.notices] };
    }
    case 'postgres': {
      const store = await PostgresStore.open({ url: config.url, ...(config.poolSize !== undefined ? { poolSize: config.poolSize } : {}) });
      return { store, notices: [] };
    }
  }
}

/**
 * Whether `config` names a store that has been created (init ran), without creating it. For
 * PostgreSQL: the schema exists and holds at least one account (init creates the first one).
 */
export async function storeExists(config: StoreConfig): Promise<boolean> {
  switch (config.kind) {
    case 'sqlite':
      return existsSync(path.join(config.dataDir, DB_FILE_NAME));
    case 'postgres': {
      const client = new pg.Client(connectionConfig({ url: config.url }));
      try {
        await client.connect();
        const schema = await client.query<{ found: boolean }>("SELECT to_regclass('vault_schema') IS NOT NULL AND to_regclass('accounts') IS NOT NULL AS found");
        if (!schema.rows[0]?.found) return false;
        const accounts = await client.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM accounts) AS found');
        return accounts.rows[0]?.found === true;
      } catch (e) {
        throw mapError(e);
      } finally {
        await client.end().catch(() => {});
      }
    }
  }
}
