// The two SQLite schemas and their versioned migrations: vault.db (the state) and audit.db (the
// access log). Each file records its version in `PRAGMA user_version`; opening runs whatever
// migrations it lacks, one transaction each, and refuses a file newer than this code.

import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 9;

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
  // Run tokens: an agent token that expires and names the user key that minted it; and
  // the account setting saying who may mint them. Existing tokens never expire; existing accounts
  // keep local runs to admins.
  5: `
    ALTER TABLE tokens ADD COLUMN expires_at TEXT;
    ALTER TABLE tokens ADD COLUMN minted_by TEXT;
    ALTER TABLE tokens ADD COLUMN minted_by_name TEXT;
    ALTER TABLE accounts ADD COLUMN local_runs TEXT NOT NULL DEFAULT 'admins' CHECK (local_runs IN ('admins', 'developers'));
  `,
  // A secret's life. Older values are kept (secret_versions: the ciphertext as it was,
  // sealed for its own value version, under a data key that cannot be dropped while it is used),
  // up to the account's versions_kept; the current value records when and by whom it was set, and
  // the secret an expiry and a rotation reminder. Access requests ask admins for a grant; at most
  // one pending per secret and agent (the partial unique index makes that race-free).
  // Existing values: a value never changed (value version 1) was set at creation; for a changed
  // one the last change (updated_at) is the best knowledge there is (it may be later than the value).
  6: `
    ALTER TABLE secrets ADD COLUMN value_updated_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE secrets ADD COLUMN value_updated_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE secrets ADD COLUMN restored_from INTEGER;
    ALTER TABLE secrets ADD COLUMN expires_at TEXT;
    ALTER TABLE secrets ADD COLUMN rotation_days INTEGER;
    UPDATE secrets SET value_updated_at = CASE WHEN value_version = 1 THEN created_at ELSE updated_at END, value_updated_by = updated_by;
    ALTER TABLE accounts ADD COLUMN versions_kept INTEGER NOT NULL DEFAULT 10 CHECK (versions_kept BETWEEN 1 AND 100);
    CREATE TABLE secret_versions (
      account_id TEXT NOT NULL,
      secret_name TEXT NOT NULL,
      value_version INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('single', 'kv')),
      keys TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      restored_from INTEGER,
      key_id TEXT NOT NULL REFERENCES data_keys(id),
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      PRIMARY KEY (account_id, secret_name, value_version),
      FOREIGN KEY (account_id, secret_name) REFERENCES secrets(account_id, name) ON DELETE CASCADE
    ) STRICT;
    CREATE INDEX secret_versions_key_id ON secret_versions(key_id);
    CREATE TABLE access_requests (
      n INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL REFERENCES accounts(id),
      id TEXT NOT NULL UNIQUE,
      secret_name TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      reason TEXT NOT NULL,
      new_secret INTEGER NOT NULL,
      kind TEXT CHECK (kind IN ('single', 'kv')),
      keys TEXT,
      status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
      requested_by TEXT NOT NULL,
      requested_by_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      decided_at TEXT,
      decided_by TEXT,
      decision_reason TEXT
    ) STRICT;
    CREATE UNIQUE INDEX access_requests_one_pending ON access_requests(account_id, secret_name, agent_id) WHERE status = 'pending';
    CREATE INDEX access_requests_account ON access_requests(account_id, status, n);
  `,
  // The current value's MAC (without it, an older value copied over the current row was
  // served). SQL cannot compute it: the migration marks existing values pending (a vault with none
  // needs no marker, and an empty one stays empty for `migrate`), and the service
  // adds their MACs with the key when it opens the vault (Keyring.open), then marks them done.
  7: `
    ALTER TABLE secrets ADD COLUMN value_mac BLOB;
    INSERT INTO meta (key, value) SELECT 'value_macs', CAST('pending' AS BLOB) WHERE EXISTS (SELECT 1 FROM secrets)
      ON CONFLICT(key) DO UPDATE SET value = excluded.value;
  `,
  // Names as real accounts have them: a name or id that differs from another only in
  // case or spacing (names) or case (ids) is one to a person, so a unique fold refuses the twin in
  // the creating transaction. The vault computes folds in JavaScript (protocol/names.ts nameFold,
  // agentIdFold); for every name and id valid before this version (ASCII letters, digits, `_`,
  // `-`) that fold is exactly lower(), so existing rows get it here, in place. Nullable: a row
  // written without one (an operator's INSERT) is not a twin of anything, rather than of every other.
  8: `
    ALTER TABLE secrets ADD COLUMN name_fold TEXT;
    UPDATE secrets SET name_fold = lower(name);
    CREATE UNIQUE INDEX secrets_name_fold ON secrets(account_id, name_fold);
    ALTER TABLE agents ADD COLUMN id_fold TEXT;
    UPDATE agents SET id_fold = lower(id);
    CREATE UNIQUE INDEX agents_id_fold ON agents(account_id, id_fold);
  `,
  // An admin's marks on keys of a key/value secret (JSON: key -> 'sensitive' | 'not-sensitive'),
  // metadata like the description. Existing secrets have none: every key takes the default its
  // name implies (protocol/keySensitivity.ts).
  9: `
    ALTER TABLE secrets ADD COLUMN key_sensitivity TEXT;
  `,
};

/** The access log's own schema (audit.db). */
export const ACCESS_LOG_SCHEMA_VERSION = 3;
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
  // The last successful run-time read per secret and agent (issue 53), upserted by the audit worker
  // in the transaction of the read's own record. Here, not in vault.db: a read must not move
  // vault.db's change counter (the granted-read cache trusts it). No foreign keys across files: the
  // store deletes a deleted secret's or agent's rows itself (sqlite/lastReads.ts).
  3: `
    CREATE TABLE last_reads (
      account_id TEXT NOT NULL,
      secret_name TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      at TEXT NOT NULL,
      environment TEXT,
      PRIMARY KEY (account_id, secret_name, agent_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX last_reads_agent ON last_reads(account_id, agent_id, secret_name);
  `,
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
