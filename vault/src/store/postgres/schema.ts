// The PostgreSQL schema and its versioned migrations. The vault creates and migrates its own
// schema: each start runs what is missing, one transaction per version, under a transaction-level
// advisory lock, so replicas that start at once migrate once (the others wait, then find nothing
// to do). A database newer than this code is refused.
//
// Differences from SQLite's schema (sqlite/schema.ts), and why:
// - One audit table. SQLite keeps run-time reads in a second file (the access log) so that the
//   state file's change counter moves only on state changes; here the change counter is a row
//   (vault_state.change_seq), moved by statement triggers on the state tables only, so audit
//   inserts never invalidate a cache. The triggers fire for every writer: the vault, a migration,
//   an operator's psql, an attacker with SQL access; the read caches cannot miss a change.
// - The same trigger sends NOTIFY secrets_vault_change (a wake-up for caches: best effort, never
//   relied on), and an events trigger NOTIFY secrets_vault_events with the account id.
// - Event ids are each account's own sequence (accounts.event_seq), as in SQLite. The UPDATE that
//   takes the next one locks the account's row until commit, so an account's events commit in
//   id order: a reader that has seen id N has seen every id below it.
// - Text columns use the "C" collation: names, ids and times sort and page byte by byte, as in
//   SQLite, whatever the database's default locale (a locale collation ignores '_' and would
//   reorder listings and break keyset paging against SQLite's order).

import type { PoolClient } from 'pg';

export const PG_SCHEMA_VERSION = 7;

/** The advisory lock key migrations hold (any constant 64-bit number; this one spells "svmigrat"). */
export const MIGRATION_LOCK_KEY = '8319104484416349556';

/** Exported for tests that build an older database from them. */
export const PG_MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE vault_state (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      change_seq bigint NOT NULL DEFAULT 0
    );
    INSERT INTO vault_state DEFAULT VALUES;

    CREATE FUNCTION vault_state_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE vault_state SET change_seq = change_seq + 1;
      PERFORM pg_notify('secrets_vault_change', '');
      RETURN NULL;
    END $$;

    CREATE FUNCTION vault_event_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('secrets_vault_events', NEW.account_id);
      RETURN NULL;
    END $$;

    CREATE TABLE accounts (
      id text COLLATE "C" PRIMARY KEY,
      name text COLLATE "C" NOT NULL,
      naming_style text COLLATE "C" NOT NULL,
      created_at text COLLATE "C" NOT NULL,
      event_seq bigint NOT NULL DEFAULT 0
    );
    CREATE TABLE tokens (
      id text COLLATE "C" PRIMARY KEY,
      account_id text COLLATE "C" NOT NULL REFERENCES accounts(id),
      digest bytea NOT NULL UNIQUE,
      kind text COLLATE "C" NOT NULL CHECK (kind IN ('user', 'agent')),
      role text COLLATE "C" CHECK (role IN ('admin', 'developer')),
      agent_id text COLLATE "C",
      name text COLLATE "C" NOT NULL,
      created_at text COLLATE "C" NOT NULL,
      revoked_at text COLLATE "C"
    );
    CREATE TABLE agents (
      account_id text COLLATE "C" NOT NULL REFERENCES accounts(id),
      id text COLLATE "C" NOT NULL,
      name text COLLATE "C" NOT NULL,
      description text COLLATE "C" NOT NULL,
      created_at text COLLATE "C" NOT NULL,
      PRIMARY KEY (account_id, id)
    );
    CREATE TABLE data_keys (
      id text COLLATE "C" PRIMARY KEY,
      master_id text COLLATE "C" NOT NULL,
      nonce bytea NOT NULL,
      wrapped bytea NOT NULL,
      state text COLLATE "C" NOT NULL CHECK (state IN ('active', 'retired')),
      created_at text COLLATE "C" NOT NULL
    );
    CREATE UNIQUE INDEX data_keys_one_active ON data_keys(state) WHERE state = 'active';
    CREATE TABLE secrets (
      account_id text COLLATE "C" NOT NULL REFERENCES accounts(id),
      name text COLLATE "C" NOT NULL,
      description text COLLATE "C" NOT NULL,
      kind text COLLATE "C" NOT NULL CHECK (kind IN ('single', 'kv')),
      keys text COLLATE "C" NOT NULL,
      version integer NOT NULL,
      value_version integer NOT NULL,
      created_at text COLLATE "C" NOT NULL,
      updated_at text COLLATE "C" NOT NULL,
      updated_by text COLLATE "C" NOT NULL,
      key_id text COLLATE "C" NOT NULL REFERENCES data_keys(id),
      nonce bytea NOT NULL,
      ciphertext bytea NOT NULL,
      PRIMARY KEY (account_id, name)
    );
    CREATE INDEX secrets_key_id ON secrets(key_id);
    CREATE TABLE grants (
      account_id text COLLATE "C" NOT NULL,
      secret_name text COLLATE "C" NOT NULL,
      agent_id text COLLATE "C" NOT NULL,
      PRIMARY KEY (account_id, secret_name, agent_id),
      FOREIGN KEY (account_id, secret_name) REFERENCES secrets(account_id, name) ON DELETE CASCADE,
      FOREIGN KEY (account_id, agent_id) REFERENCES agents(account_id, id) ON DELETE CASCADE
    );
    CREATE INDEX grants_agent ON grants(account_id, agent_id);
    CREATE TABLE meta (key text COLLATE "C" PRIMARY KEY, value bytea NOT NULL);

    CREATE TABLE events (
      account_id text COLLATE "C" NOT NULL REFERENCES accounts(id),
      seq bigint NOT NULL,
      time text COLLATE "C" NOT NULL,
      payload text COLLATE "C" NOT NULL,
      PRIMARY KEY (account_id, seq)
    );
    CREATE TABLE audit (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account_id text COLLATE "C" NOT NULL,
      time text COLLATE "C" NOT NULL,
      actor text COLLATE "C" NOT NULL,
      actor_id text COLLATE "C" NOT NULL,
      actor_type text COLLATE "C" NOT NULL,
      action text COLLATE "C" NOT NULL,
      target text COLLATE "C" NOT NULL,
      outcome text COLLATE "C" NOT NULL,
      detail text COLLATE "C" NOT NULL,
      at_us bigint NOT NULL
    );
    CREATE INDEX audit_account ON audit(account_id, id);
    CREATE INDEX audit_account_at ON audit(account_id, at_us);

    CREATE TRIGGER accounts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accounts FOR EACH STATEMENT EXECUTE FUNCTION vault_state_changed();
    CREATE TRIGGER tokens_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tokens FOR EACH STATEMENT EXECUTE FUNCTION vault_state_changed();
    CREATE TRIGGER agents_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agents FOR EACH STATEMENT EXECUTE FUNCTION vault_state_changed();
    CREATE TRIGGER data_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON data_keys FOR EACH STATEMENT EXECUTE FUNCTION vault_state_changed();
    CREATE TRIGGER secrets_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON secrets FOR EACH STATEMENT EXECUTE FUNCTION vault_state_changed();
    CREATE TRIGGER grants_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grants FOR EACH STATEMENT EXECUTE FUNCTION vault_state_changed();
    CREATE TRIGGER meta_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON meta FOR EACH STATEMENT EXECUTE FUNCTION vault_state_changed();
    CREATE TRIGGER events_added AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION vault_event_added();
  `,
  // Run tokens, as SQLite's version 5: tokens that expire and name their minter, and
  // the account setting for who may mint them. Existing rows: no expiry, local runs for admins.
  2: `
    ALTER TABLE tokens ADD COLUMN expires_at text COLLATE "C";
    ALTER TABLE tokens ADD COLUMN minted_by text COLLATE "C";
    ALTER TABLE tokens ADD COLUMN minted_by_name text COLLATE "C";
    ALTER TABLE accounts ADD COLUMN local_runs text COLLATE "C" NOT NULL DEFAULT 'admins' CHECK (local_runs IN ('admins', 'developers'));
  `,
  // A secret's life, as SQLite's version 6: older values kept (their data key cannot be
  // dropped while one uses it), when and by whom the value was set, expiry and rotation reminder,
  // the account's versions_kept, and access requests (one pending per secret and agent). Both new
  // tables are state: their triggers move the change counter like the others'.
  3: `
    ALTER TABLE secrets ADD COLUMN value_updated_at text COLLATE "C" NOT NULL DEFAULT '';
    ALTER TABLE secrets ADD COLUMN value_updated_by text COLLATE "C" NOT NULL DEFAULT '';
    ALTER TABLE secrets ADD COLUMN restored_from integer;
    ALTER TABLE secrets ADD COLUMN expires_at text COLLATE "C";
    ALTER TABLE secrets ADD COLUMN rotation_days integer;
    UPDATE secrets SET value_updated_at = CASE WHEN value_version = 1 THEN created_at ELSE updated_at END, value_updated_by = updated_by;
    ALTER TABLE accounts ADD COLUMN versions_kept integer NOT NULL DEFAULT 10 CHECK (versions_kept BETWEEN 1 AND 100);
    CREATE TABLE secret_versions (
      account_id text COLLATE "C" NOT NULL,
      secret_name text COLLATE "C" NOT NULL,
      value_version integer NOT NULL,
      kind text COLLATE "C" NOT NULL CHECK (kind IN ('single', 'kv')),
      keys text COLLATE "C" NOT NULL,
      created_at text COLLATE "C" NOT NULL,
      created_by text COLLATE "C" NOT NULL,
      restored_from integer,
      key_id text COLLATE "C" NOT NULL REFERENCES data_keys(id),
      nonce bytea NOT NULL,
      ciphertext bytea NOT NULL,
      PRIMARY KEY (account_id, secret_name, value_version),
      FOREIGN KEY (account_id, secret_name) REFERENCES secrets(account_id, name) ON DELETE CASCADE
    );
    CREATE INDEX secret_versions_key_id ON secret_versions(key_id);
    CREATE TABLE access_requests (
      n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account_id text COLLATE "C" NOT NULL REFERENCES accounts(id),
      id text COLLATE "C" NOT NULL UNIQUE,
      secret_name text COLLATE "C" NOT NULL,
      agent_id text COLLATE "C" NOT NULL,
      reason text COLLATE "C" NOT NULL,
      new_secret boolean NOT NULL,
      kind text COLLATE "C" CHECK (kind IN ('single', 'kv')),
      keys text COLLATE "C",
      status text COLLATE "C" NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
      requested_by text COLLATE "C" NOT NULL,
      requested_by_id text COLLATE "C" NOT NULL,
      created_at text COLLATE "C" NOT NULL,
      decided_at text COLLATE "C",
      decided_by text COLLATE "C",
      decision_reason text COLLATE "C"
    );
    CREATE UNIQUE INDEX access_requests_one_pending ON access_requests(account_id, secret_name, agent_id) WHERE status = 'pending';
    CREATE INDEX access_requests_account ON access_requests(account_id, status, n);
    CREATE TRIGGER secret_versions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON secret_versions FOR EACH STATEMENT EXECUTE FUNCTION vault_state_changed();
    CREATE TRIGGER access_requests_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON access_requests FOR EACH STATEMENT EXECUTE FUNCTION vault_state_changed();
  `,
  // The current value's MAC, as SQLite's version 7: existing values are marked
  // pending, and the service adds their MACs with the key when it opens the vault (Keyring.open).
  4: `
    ALTER TABLE secrets ADD COLUMN value_mac bytea;
    INSERT INTO meta (key, value) SELECT 'value_macs', convert_to('pending', 'UTF8') WHERE EXISTS (SELECT 1 FROM secrets)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value;
  `,
  // Case and spacing twins, as SQLite's version 8: unique folds computed by the vault in
  // JavaScript; lower() is that fold for every name and id valid before (ASCII only).
  5: `
    ALTER TABLE secrets ADD COLUMN name_fold text COLLATE "C";
    UPDATE secrets SET name_fold = lower(name);
    CREATE UNIQUE INDEX secrets_name_fold ON secrets(account_id, name_fold);
    ALTER TABLE agents ADD COLUMN id_fold text COLLATE "C";
    UPDATE agents SET id_fold = lower(id);
    CREATE UNIQUE INDEX agents_id_fold ON agents(account_id, id_fold);
  `,
  // Marks on keys, as SQLite's version 9: JSON text, null when none.
  6: `
    ALTER TABLE secrets ADD COLUMN key_sensitivity text;
  `,
  // The last successful run-time read per secret and agent, as SQLite's access log version 3:
  // upserted by the statement that appends its read's audit record (pgContext.ts). Not state: no
  // trigger moves the change counter (a read must not empty the replicas' read caches), like audit.
  // No foreign keys (a read racing a delete would fail its audit); deletes remove the rows.
  7: `
    CREATE TABLE IF NOT EXISTS last_reads (
      account_id text COLLATE "C" NOT NULL,
      secret_name text COLLATE "C" NOT NULL,
      agent_id text COLLATE "C" NOT NULL,
      at text COLLATE "C" NOT NULL,
      environment text COLLATE "C",
      PRIMARY KEY (account_id, secret_name, agent_id)
    );
    CREATE INDEX IF NOT EXISTS last_reads_agent ON last_reads(account_id, agent_id, secret_name);
  `,
};

export class SchemaTooNewError extends Error {
  constructor(found: number, latest: number) {
    super(`The PostgreSQL schema is version ${found}, newer than this vault understands (${latest}): upgrade this replica.`);
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Brings the database to PG_SCHEMA_VERSION (or `latest`, for tests). Each version is one
 * transaction that first takes the advisory lock, so concurrent starts serialise; the version
 * table is created in the first one. Returns the versions applied.
 */
export async function migratePostgres(client: PoolClient, migrations = PG_MIGRATIONS, latest = PG_SCHEMA_VERSION): Promise<number[]> {
  const applied: number[] = [];
  for (;;) {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
      await client.query('CREATE TABLE IF NOT EXISTS vault_schema (version integer NOT NULL)');
      const r = await client.query<{ version: number }>('SELECT version FROM vault_schema');
      const current = r.rows[0]?.version ?? 0;
      if (current > latest) throw new SchemaTooNewError(current, latest);
      if (current === latest) {
        await client.query('COMMIT');
        return applied;
      }
      const next = current + 1;
      await client.query(migrations[next]!);
      if (r.rows.length === 0) await client.query('INSERT INTO vault_schema (version) VALUES ($1)', [next]);
      else await client.query('UPDATE vault_schema SET version = $1', [next]);
      await client.query('COMMIT');
      applied.push(next);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  }
}
