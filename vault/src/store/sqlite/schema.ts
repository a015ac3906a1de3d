// The two SQLite schemas and their versioned migrations: vault.db (the state) and audit.db (the
// access log). Each file records its version in `PRAGMA user_version`; opening runs whatever
// migrations it lacks, one transaction each, and refuses a file newer than this code.

import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 5;

/** Exported for the migration tests, which build a vault of an older version from them. */
export const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE accounts (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, naming_style TEXT NOT NULL, created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE tokens (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES accounts(id),
      digest BLOB NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('user', 'agent')),
      role TEXT CHECK (role IN ('admin', 'developer')),
      agent_id TEXT,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      revoked_at TEXT
    ) STRICT;
    CREATE TABLE agents (
      account_id TEXT NOT NULL REFERENCES accounts(id),
      id TEXT NOT NULL,
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (account_id, id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE data_keys (
      id TEXT PRIMARY KEY,
      master_id TEXT NOT NULL,
      nonce BLOB NOT NULL,
      wrapped BLOB NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('active', 'retired')),
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX data_keys_one_active ON data_keys(state) WHERE state = 'active';
    CREATE TABLE secrets (
      account_id TEXT NOT NULL REFERENCES accounts(id),
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('single', 'kv')),
      keys TEXT NOT NULL,
      version INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      -- A value can only be stored under a data key that exists, and a data key in use cannot be
      -- dropped: rotate-key and the service never race into an unreadable row.
      key_id TEXT NOT NULL REFERENCES data_keys(id),
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      PRIMARY KEY (account_id, name)
    ) STRICT;
    CREATE INDEX secrets_key_id ON secrets(key_id);
    CREATE TABLE grants (
      account_id TEXT NOT NULL,
      secret_name TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      PRIMARY KEY (account_id, secret_name, agent_id),
      FOREIGN KEY (account_id, secret_name) REFERENCES secrets(account_id, name) ON DELETE CASCADE,
      FOREIGN KEY (account_id, agent_id) REFERENCES agents(account_id, id) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX grants_agent ON grants(account_id, agent_id);
    CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL,
      time TEXT NOT NULL,
      payload TEXT NOT NULL
    ) STRICT;
    CREATE INDEX events_account ON events(account_id, id);
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL,
      time TEXT NOT NULL,
      actor TEXT NOT NULL,
      actor_type TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      outcome TEXT NOT NULL,
      detail TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_account ON audit(account_id, id);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
  `,
  // The audit listing merges this table with the access log by at_us (see auditClock()).
  2: `
    ALTER TABLE audit ADD COLUMN at_us INTEGER NOT NULL DEFAULT 0;
    UPDATE audit SET at_us = CAST(ROUND((julianday(time) - 2440587.5) * 86400000000.0) AS INTEGER);
    CREATE INDEX audit_account_at ON audit(account_id, at_us, id);
    DROP INDEX audit_account;
  `,
  // Audit records name the token (or OS user) as well as the display name; event ids become each
  // account's own sequence. Existing events keep their ids as their sequence, and every account
  // continues after the highest id ever given, so a Last-Event-ID a client held from before is
  // still a valid position in its account (and ids never go backwards).
  3: `
    ALTER TABLE audit ADD COLUMN actor_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE accounts ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    UPDATE events SET seq = id;
    UPDATE accounts SET event_seq = COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0);
    CREATE UNIQUE INDEX events_account_seq ON events(account_id, seq);
    DROP INDEX events_account;
  `,
  // The value gets its own version, bound into its additional data, apart from the metadata
  // version (the ETag): grants and descriptions then change the row without touching the
  // ciphertext. Until now every value was sealed for its row's version, so that is its value
  // version: existing values open unchanged, in place, with no re-encryption.
  4: `
    ALTER TABLE secrets ADD COLUMN value_version INTEGER NOT NULL DEFAULT 0;
    UPDATE secrets SET value_version = version;
  `,
  // Run tokens (issue 16): an agent token that expires and names the user key that minted it; and
  // the account setting saying who may mint them. Existing tokens never expire; existing accounts
  // keep local runs to admins.
  5: `
    ALTER TABLE tokens ADD COLUMN expires_at TEXT;
    ALTER TABLE tokens ADD COLUMN minted_by TEXT;
    ALTER TABLE tokens ADD COLUMN minted_by_name TEXT;
    ALTER TABLE accounts ADD COLUMN local_runs TEXT NOT NULL DEFAULT 'admins' CHECK (local_runs IN ('admins', 'developers'));
  `,
};

/** The access log's own schema (audit.db). */
export const ACCESS_LOG_SCHEMA_VERSION = 2;
export const ACCESS_LOG_MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL,
      time TEXT NOT NULL,
      actor TEXT NOT NULL,
      actor_type TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      outcome TEXT NOT NULL,
      detail TEXT NOT NULL,
      at_us INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX audit_account_at ON audit(account_id, at_us, id);
  `,
  2: `ALTER TABLE audit ADD COLUMN actor_id TEXT NOT NULL DEFAULT '';`,
};

export function migrate(db: Database.Database, migrations: Record<number, string>, latest: number, what: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new Error(`The ${what} schema is version ${current}, newer than this vault understands (${latest}).`);
  }
  for (let v = current + 1; v <= latest; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v}`);
    }).immediate();
  }
}
