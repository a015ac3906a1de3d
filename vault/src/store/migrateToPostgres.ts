// `secrets-vault migrate`: copies a SQLite vault (vault.db + audit.db in a data folder) into an
// empty PostgreSQL database, as is: ciphertexts, nonces, key ids and value versions are copied
// byte for byte (nothing is decrypted to be copied), wrapped keys stay wrapped under the same master
// key, events keep their per-account sequence, and the audit of both files is merged in the order
// the vault lists it.
//
// Everything is written in ONE PostgreSQL transaction, and verified inside it before COMMIT: the
// row counts per table, the data keys and the token key unwrap with the master key, and every
// stored value decrypts (authenticates) with the row's own coordinates, read back from PostgreSQL.
// Verifying before commit is why this does not go through a Keyring over a PostgreSQL store: a store
// opens its own connections and would not see uncommitted rows, and verifying after commit would
// leave a half-verified vault visible to any replica that starts meanwhile. The checks use the
// keyring's own functions (unwrapKey, valueAad), so they open exactly what the vault will. A
// failed check rolls everything back: the target keeps at most the vault's empty schema.

import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { open as openSealed, DecryptionError } from '../crypto/aead';
import { dataKeyLabel, decodeWrapped, TOKEN_KEY_META, unwrapKey, valueAad } from '../crypto/keyring';
import { KEY_FILE_NAME, loadMasterKey, MasterKeyError, type MasterKeySource } from '../crypto/master';
import { DB_FILE_NAME } from './files';
import { ACCESS_REQUEST_COLUMNS, VERSION_COLUMNS } from './rows';
import { connectionConfig } from './postgres/pool';
import { migratePostgres, PG_SCHEMA_VERSION } from './postgres/schema';
import { maskDatabaseUrl } from './databaseUrl';
import { SCHEMA_VERSION } from './sqlite/schema';
import { SqliteStore } from './sqlite/store';

/** A refusal or a failed check: the message is for the operator (no value, the URL masked); exit code 1. */
export class MigrateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrateError';
  }
}

export interface MigrateOptions {
  /** The SQLite vault's data folder (vault.db, audit.db, master.key). */
  fromDir: string;
  /** postgres://… of an empty database. */
  toUrl: string;
  /** Where SECRETS_VAULT_MASTER_KEY is read from (else the key file in fromDir), as the vault does. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines (rows copied per table), for stderr. */
  onProgress?: (line: string) => void;
  /** Rows per multi-row INSERT (tests use small batches to cover the batching). */
  batchRows?: number;
}

/** The tables copied, in foreign-key order; `audit` is both SQLite files merged. */
export const MIGRATED_TABLES = ['accounts', 'data_keys', 'meta', 'tokens', 'agents', 'secrets', 'secret_versions', 'grants', 'access_requests', 'events', 'audit', 'last_reads'] as const;
export type MigratedTable = (typeof MIGRATED_TABLES)[number];

export interface MigrateReport {
  from: string;
  /** The target URL with its password masked. */
  to: string;
  /** What opening the source changed about file modes (see files.ts), for the operator. */
  notices: string[];
  /** Set when the source's vault.db was on an older schema and was migrated in place first. */
  sourceSchemaMigrated: { from: number; to: number } | null;
  /** Rows per table, copied and counted back in PostgreSQL (equal, or the migration fails). */
  rows: Record<MigratedTable, number>;
  /** Of which audit records from vault.db (changes) and from audit.db (run-time reads, refusals). */
  auditFrom: { changes: number; accessLog: number };
  /** Values that decrypted with the master key, read back from PostgreSQL before commit. */
  valuesVerified: number;
  dataKeysVerified: number;
}

interface TableSpec {
  table: Exclude<MigratedTable, 'audit'>;
  columns: readonly string[];
  /** The source order: a stable order makes the copy deterministic (and resumable by eye). */
  order: string;
  /** The file it is in: vault.db, or the access log (audit.db). */
  file?: 'accessLog';
}

const TABLES: readonly TableSpec[] = [
  { table: 'accounts', columns: ['id', 'name', 'naming_style', 'created_at', 'event_seq', 'local_runs', 'versions_kept'], order: 'id' },
  { table: 'data_keys', columns: ['id', 'master_id', 'nonce', 'wrapped', 'state', 'created_at'], order: 'id' },
  { table: 'meta', columns: ['key', 'value'], order: 'key' },
  { table: 'tokens', columns: ['id', 'account_id', 'digest', 'kind', 'role', 'agent_id', 'name', 'created_at', 'revoked_at', 'expires_at', 'minted_by', 'minted_by_name'], order: 'id' },
  // Folds too: the twin checks hold on PostgreSQL from the first write.
  { table: 'agents', columns: ['account_id', 'id', 'id_fold', 'name', 'description', 'created_at'], order: 'account_id, id' },
  {
    table: 'secrets',
    columns: [
      'account_id',
      'name',
      'name_fold',
      'description',
      'kind',
      'keys',
      'version',
      'value_version',
      'created_at',
      'updated_at',
      'updated_by',
      'key_id',
      'nonce',
      'ciphertext',
      'value_updated_at',
      'value_updated_by',
      'restored_from',
      'expires_at',
      'rotation_days',
      // Copied as is: the same token key (so the same MAC key) opens the vault on PostgreSQL.
      'value_mac',
      'key_sensitivity',
    ],
    order: 'account_id, name',
  },
  // Older values, byte for byte like the current ones (each sealed for its own value version).
  { table: 'secret_versions', columns: VERSION_COLUMNS, order: 'account_id, secret_name, value_version' },
  { table: 'grants', columns: ['account_id', 'secret_name', 'agent_id'], order: 'account_id, secret_name, agent_id' },
  // In their order of creation: PostgreSQL's identity numbers them in the same order (newest first by it).
  { table: 'access_requests', columns: ACCESS_REQUEST_COLUMNS, order: 'n' },
  { table: 'events', columns: ['account_id', 'seq', 'time', 'payload'], order: 'account_id, seq' },
  // Each secret's last read per agent, kept in the access log.
  { table: 'last_reads', columns: ['account_id', 'secret_name', 'agent_id', 'at', 'environment'], order: 'account_id, secret_name, agent_id', file: 'accessLog' },
];

const AUDIT_COLUMNS = ['account_id', 'time', 'actor', 'actor_id', 'actor_type', 'action', 'target', 'outcome', 'detail', 'at_us'] as const;

/** At most this many bound parameters per statement (PostgreSQL's limit is 65535). */
const MAX_PARAMS = 30_000;
const DEFAULT_BATCH_ROWS = 1_000;
/** And at most about this many bytes of parameters (values run to 64 KiB: 1,000 of them would be 64 MB). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** A progress line at least every this many rows of a table. */
const PROGRESS_EVERY = 10_000;

/** Replaces the raw URL and its password wherever they occur in `text` (a driver's message, say). */
function redactor(url: string): (text: string) => string {
  const masked = maskDatabaseUrl(url);
  let password = '';
  try {
    const u = new URL(url);
    password = decodeURIComponent(u.password) || u.searchParams.get('password') || '';
  } catch {
    // unparsable: the URL itself is still redacted below
  }
  return (text) => {
    let t = text.split(url).join(masked);
    if (password) t = t.split(password).join('***');
    return t;
  };
}

export async function migrateToPostgres(options: MigrateOptions): Promise<MigrateReport> {
  const { fromDir, toUrl } = options;
  const progress = options.onProgress ?? (() => {});
  const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
  const redact = redactor(toUrl);
  const target = maskDatabaseUrl(toUrl);
  if (!/^postgres(ql)?:\/\//.test(toUrl)) throw new MigrateError(`The target must be a postgres:// or postgresql:// URL, not '${target}'.`);

  // ---- the source: a vault, opened through the SQLite store so an older one migrates in place ----
  const vaultFile = path.join(fromDir, DB_FILE_NAME);
  if (!existsSync(fromDir) || !statSync(fromDir).isDirectory()) throw new MigrateError(`${fromDir} is not a folder: give the data folder of a SQLite vault (--from).`);
  if (!existsSync(vaultFile)) throw new MigrateError(`No vault in ${fromDir}: it has no ${DB_FILE_NAME}. Give the data folder of a SQLite vault (--from).`);
  const sourceVersion = sqliteUserVersion(vaultFile);
  // The master key as the vault loads it (the environment wins over the key file): read before
  // anything is written, so a missing key stops here.
  const master = loadMasterKey(path.join(fromDir, KEY_FILE_NAME), options.env ?? process.env);

  // The store's connection settings (a connection attempt gives up after 5 s), with a longer
  // statement limit: one statement here may count or lock a large table.
  const pool = new pg.Pool({ ...connectionConfig({ url: toUrl, statementTimeoutMs: 600_000 }), max: 1, application_name: 'secrets-vault migrate' });
  // An idle client's error (the server went away) would otherwise be an unhandled 'error' event.
  pool.on('error', () => {});
  try {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw new MigrateError(`Could not connect to ${target}: ${redact((e as Error).message)}`);
    }
    try {
      // The target first: a refused target leaves the source as it was too (not even migrated in place).
      await refuseNonEmptyTarget(client, target);
      return await copySource(client, vaultFile, master, options, batchRows, progress, target, sourceVersion);
    } finally {
      client.release();
    }
  } catch (e) {
    if (e instanceof MigrateError || e instanceof MasterKeyError) throw e;
    throw new MigrateError(`Migration to ${target} failed: ${redact(e instanceof Error ? e.message : String(e))}`);
  } finally {
    await pool.end();
  }
}

async function copySource(
  client: pg.PoolClient,
  vaultFile: string,
  master: MasterKeySource,
  options: MigrateOptions,
  batchRows: number,
  progress: (line: string) => void,
  target: string,
  sourceVersion: number,
): Promise<MigrateReport> {
  let store: SqliteStore;
  try {
    store = new SqliteStore(vaultFile);
  } catch (e) {
    throw new MigrateError(`Could not open the vault in ${options.fromDir}: ${(e as Error).message}`);
  }
  try {
    const { db, accessLog } = store;
    // One read transaction per file: the copy is of one moment of each (writes a running vault
    // commits after this point are not copied).
    db.exec('BEGIN');
    accessLog.exec('BEGIN');
    try {
      const counts = sourceCounts(db, accessLog);
      // Fail fast on a wrong master key, before anything is written to the target.
      checkSourceKeys(db, master);
      await migratePostgres(client);
      const copied = await copyAndVerify(client, db, accessLog, master, counts, batchRows, progress, target);
      return {
        from: options.fromDir,
        to: target,
        notices: [...store.notices],
        sourceSchemaMigrated: sourceVersion < SCHEMA_VERSION ? { from: sourceVersion, to: SCHEMA_VERSION } : null,
        rows: counts.rows,
        auditFrom: counts.auditFrom,
        ...copied,
      };
    } finally {
      db.exec('ROLLBACK');
      accessLog.exec('ROLLBACK');
    }
  } finally {
    await store.close();
  }
}

/** vault.db's schema version before the store opens (and migrates) it, to tell the operator. */
function sqliteUserVersion(file: string): number {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new MigrateError(`${file} could not be opened as a SQLite database: ${(e as Error).message}`);
  }
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } catch (e) {
    throw new MigrateError(`${file} is not a SQLite vault: ${(e as Error).message}`);
  } finally {
    db.close();
  }
}

interface SourceCounts {
  rows: Record<MigratedTable, number>;
  auditFrom: { changes: number; accessLog: number };
}

function sourceCounts(db: Database.Database, accessLog: Database.Database): SourceCounts {
  const count = (d: Database.Database, table: string) => d.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const changes = count(db, 'audit');
  const reads = count(accessLog, 'audit');
  const rows = { audit: changes + reads } as Record<MigratedTable, number>;
  for (const t of TABLES) rows[t.table] = count(t.file === 'accessLog' ? accessLog : db, t.table);
  return { rows, auditFrom: { changes, accessLog: reads } };
}

/** The source's data keys and token key open with the master key; the unwrapped keys are zeroed at once. */
function checkSourceKeys(db: Database.Database, master: MasterKeySource): void {
  const keys = db.prepare('SELECT id, master_id AS masterId, nonce, wrapped FROM data_keys').all() as { id: string; masterId: string; nonce: Buffer; wrapped: Buffer }[];
  const tokenKey = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(TOKEN_KEY_META) as Buffer | undefined;
  if (keys.length === 0 || !tokenKey) throw new MigrateError('The source vault has no data key or no token key: it is incomplete (start it once with this version, or restore it from a backup).');
  for (const k of keys) unwrapKey(master, k, dataKeyLabel(k.id)).fill(0);
  unwrapKey(master, decodeWrapped(tokenKey), 'token-key').fill(0);
}

/**
 * Refuses (touching nothing) a database that holds a newer vault schema, tables that are not a
 * vault's, or any vault row. An empty vault schema (a previous attempt that was rolled back, or a
 * vault created but never opened) is accepted.
 */
async function refuseNonEmptyTarget(client: pg.PoolClient, target: string): Promise<void> {
  const tables = (await client.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1')).rows.map((r) => r.name);
  // Without the vault's version table, any table is someone else's (with it, later schema versions may add tables of their own).
  const foreign = tables.includes('vault_schema') ? [] : tables;
  if (foreign.length > 0) {
    throw new MigrateError(
      `The target database ${target} is not empty: it holds tables that are not a Secrets Vault's (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}). Migrate into a new, empty database; nothing was changed.`,
    );
  }
  if (tables.includes('vault_schema')) {
    const v = (await client.query<{ version: number }>('SELECT version FROM vault_schema')).rows[0]?.version ?? 0;
    if (v > PG_SCHEMA_VERSION) {
      throw new MigrateError(`The target database ${target} holds a Secrets Vault schema of version ${v}, newer than this version understands (${PG_SCHEMA_VERSION}); nothing was changed.`);
    }
  }
  const filled = await nonEmptyTables(client, tables.filter((t) => (MIGRATED_TABLES as readonly string[]).includes(t)));
  if (filled.length > 0) {
    throw new MigrateError(
      `The target database ${target} is not empty (${filled.join(', ')}): migrate copies into an empty database only, so that nothing there is overwritten or mixed; nothing was changed.`,
    );
  }
}

async function nonEmptyTables(client: pg.PoolClient, tables: readonly string[]): Promise<string[]> {
  const filled: string[] = [];
  for (const t of tables) {
    const n = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
    if (n > 0) filled.push(`${t}: ${n} row${n === 1 ? '' : 's'}`);
  }
  return filled;
}

/** `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)…` for `rows` rows: every value a bound parameter. */
function insertSql(table: string, columns: readonly string[], rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`;
}

/** Writes rows in multi-row INSERTs of `batch` rows; returns how many were written. */
class BatchWriter {
  private readonly pending: unknown[][] = [];
  written = 0;
  private readonly batch: number;
  constructor(
    private readonly client: pg.PoolClient,
    private readonly table: string,
    private readonly columns: readonly string[],
    batchRows: number,
    private readonly total: number,
    private readonly progress: (line: string) => void,
  ) {
    this.batch = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMS / columns.length)));
  }
  private pendingBytes = 0;
  async add(row: unknown[]): Promise<void> {
    this.pending.push(row);
    for (const cell of row) this.pendingBytes += Buffer.isBuffer(cell) ? cell.length : typeof cell === 'string' ? cell.length : 8;
    if (this.pending.length >= this.batch || this.pendingBytes >= MAX_BATCH_BYTES) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const before = this.written;
    await this.client.query(insertSql(this.table, this.columns, this.pending.length), this.pending.flat());
    this.written += this.pending.length;
    this.pending.length = 0;
    this.pendingBytes = 0;
    if (Math.floor(this.written / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY) && this.written < this.total) {
      this.progress(`${this.table}: ${this.written} of ${this.total} rows copied`);
    }
  }
}

async function copyAndVerify(
  client: pg.PoolClient,
  db: Database.Database,
  accessLog: Database.Database,
  master: MasterKeySource,
  counts: SourceCounts,
  batchRows: number,
  progress: (line: string) => void,
  target: string,
): Promise<{ valuesVerified: number; dataKeysVerified: number }> {
  await client.query('BEGIN');
  try {
    // Writers wait until this commits; readers (a replica starting) see the empty vault until then.
    // Checked again under the lock: the target was empty a moment ago, but a replica may have
    // started on it since (and created its first data key).
    await client.query(`LOCK TABLE ${MIGRATED_TABLES.join(', ')} IN EXCLUSIVE MODE`);
    const filled = await nonEmptyTables(client, MIGRATED_TABLES);
    if (filled.length > 0) throw new MigrateError(`The target database ${target} was written to meanwhile (${filled.join(', ')}); nothing was copied.`);

    for (const spec of TABLES) {
      const total = counts.rows[spec.table];
      const writer = new BatchWriter(client, spec.table, spec.columns, batchRows, total, progress);
      const source = spec.file === 'accessLog' ? accessLog : db;
      const rows = source.prepare(`SELECT ${spec.columns.join(', ')} FROM ${spec.table} ORDER BY ${spec.order}`).raw(true).iterate() as IterableIterator<unknown[]>;
      for (const row of rows) await writer.add(row);
      await writer.flush();
      progress(`${spec.table}: ${writer.written} row${writer.written === 1 ? '' : 's'} copied`);
    }
    await copyAudit(client, db, accessLog, batchRows, counts.rows.audit, progress);

    // ---- verify, before COMMIT ----
    const pgCounts = await targetCounts(client);
    const mismatched = MIGRATED_TABLES.filter((t) => pgCounts[t] !== counts.rows[t]);
    if (mismatched.length > 0) {
      throw new MigrateError(
        `Verification failed: row counts differ (${mismatched.map((t) => `${t}: ${counts.rows[t]} in the source, ${pgCounts[t]} copied`).join('; ')}).`,
      );
    }
    const verified = await verifyValues(client, master);
    progress(`verified: ${verified.dataKeysVerified} data key(s) and the token key unwrap, ${verified.valuesVerified} value(s) decrypt`);
    await client.query('COMMIT');
    return verified;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    const what = e instanceof Error ? e.message : String(e);
    throw new MigrateError(`${what} Nothing was committed to ${target}: the copy was rolled back (the database holds the vault's empty schema only).`);
  }
}

/** Both audit files, merged in the order the vault lists them: (at_us, file, row), the access log first on a tie. */
async function copyAudit(
  client: pg.PoolClient,
  db: Database.Database,
  accessLog: Database.Database,
  batchRows: number,
  total: number,
  progress: (line: string) => void,
): Promise<void> {
  const select = `SELECT ${AUDIT_COLUMNS.join(', ')}, id FROM audit ORDER BY at_us, id`;
  const atUs = AUDIT_COLUMNS.indexOf('at_us');
  const rowId = AUDIT_COLUMNS.length;
  const reads = accessLog.prepare(select).raw(true).iterate() as IterableIterator<unknown[]>;
  const changes = db.prepare(select).raw(true).iterate() as IterableIterator<unknown[]>;
  const writer = new BatchWriter(client, 'audit', AUDIT_COLUMNS, batchRows, total, progress);
  try {
    let a = reads.next();
    let v = changes.next();
    while (!a.done || !v.done) {
      // The access log ranks before vault.db at the same at_us (see sqlite/accessLog.ts).
      const takeRead = v.done || (!a.done && (a.value[atUs] as number) <= (v.value[atUs] as number));
      const row = takeRead ? a.value! : v.value!;
      await writer.add(row.slice(0, rowId));
      if (takeRead) a = reads.next();
      else v = changes.next();
    }
    await writer.flush();
  } finally {
    // An open iterator keeps its connection busy: the read transaction could not end.
    reads.return?.();
    changes.return?.();
  }
  progress(`audit: ${writer.written} record${writer.written === 1 ? '' : 's'} copied (both files merged in order)`);
}

async function targetCounts(client: pg.PoolClient): Promise<Record<MigratedTable, number>> {
  const r = await client.query<Record<MigratedTable, string>>(`SELECT ${MIGRATED_TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`);
  const row = r.rows[0]!;
  const out = {} as Record<MigratedTable, number>;
  for (const t of MIGRATED_TABLES) out[t] = Number(row[t]);
  return out;
}

const VERIFY_PAGE = 500;

/**
 * Reads the copy back from PostgreSQL (inside the copy transaction) and opens it as the vault will:
 * every data key and the token key unwrap with the master key, every value authenticates under its
 * data key with its own account, name and value version. Plaintexts are zeroed at once and never
 * leave this function; only counts and the names of values that fail do.
 */
async function verifyValues(client: pg.PoolClient, master: MasterKeySource): Promise<{ valuesVerified: number; dataKeysVerified: number }> {
  const dataKeys = new Map<string, Buffer>();
  try {
    for (const k of (await client.query<{ id: string; master_id: string; nonce: Buffer; wrapped: Buffer }>('SELECT id, master_id, nonce, wrapped FROM data_keys')).rows) {
      dataKeys.set(k.id, unwrapKey(master, { masterId: k.master_id, nonce: k.nonce, wrapped: k.wrapped }, dataKeyLabel(k.id)));
    }
    const token = (await client.query<{ value: Buffer }>('SELECT value FROM meta WHERE key = $1', [TOKEN_KEY_META])).rows[0];
    if (!token) throw new MigrateError('Verification failed: the copy has no token key.');
    unwrapKey(master, decodeWrapped(token.value), 'token-key').fill(0);

    let verified = 0;
    const failed: string[] = [];
    const check = (s: SealedRow, where: string) => {
      const key = dataKeys.get(s.key_id);
      try {
        if (!key) throw new DecryptionError(`secret '${s.name}'`);
        openSealed(key, { nonce: s.nonce, ciphertext: s.ciphertext }, valueAad(s.account_id, s.name, s.value_version, s.key_id), `secret '${s.name}'`).fill(0);
        verified++;
      } catch (e) {
        if (!(e instanceof DecryptionError)) throw e;
        failed.push(where);
      }
    };
    // The current values, then the older ones kept for rollback (each under its own value version).
    await pageThrough(client, 'SELECT account_id, name, value_version, key_id, nonce, ciphertext FROM secrets', ['account_id', 'name'], (r) => check(r, `${r.account_id}/${r.name}`));
    await pageThrough(
      client,
      'SELECT account_id, secret_name, secret_name AS name, value_version, key_id, nonce, ciphertext FROM secret_versions',
      ['account_id', 'secret_name', 'value_version'],
      (r) => check(r, `${r.account_id}/${r.name} version ${r.value_version}`),
    );
    if (failed.length > 0) {
      throw new MigrateError(
        `Verification failed: ${failed.length} value(s) do not decrypt with the master key (${failed.slice(0, 10).join(', ')}${failed.length > 10 ? ', …' : ''}); they are tampered or corrupted in the source. Set them again or restore them (rotate-key reports them too), then migrate again.`,
      );
    }
    return { valuesVerified: verified, dataKeysVerified: dataKeys.size };
  } finally {
    for (const k of dataKeys.values()) k.fill(0);
  }
}

interface SealedRow {
  account_id: string;
  name: string;
  value_version: number;
  key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
}

/** Runs `each` over every row of `select`, in pages ordered by `keyColumns` (keyset paging). */
async function pageThrough(client: pg.PoolClient, select: string, keyColumns: string[], each: (row: SealedRow & Record<string, unknown>) => void): Promise<void> {
  const order = keyColumns.join(', ');
  let after: unknown[] | undefined;
  for (;;) {
    const n = keyColumns.length;
    const page = await client.query<SealedRow & Record<string, unknown>>(
      after
        ? `${select} WHERE (${order}) > (${keyColumns.map((_c, i) => `$${i + 1}`).join(', ')}) ORDER BY ${order} LIMIT $${n + 1}`
        : `${select} ORDER BY ${order} LIMIT $1`,
      after ? [...after, VERIFY_PAGE] : [VERIFY_PAGE],
    );
    for (const r of page.rows) each(r);
    if (page.rows.length < VERIFY_PAGE) return;
    const last = page.rows[page.rows.length - 1]!;
    after = keyColumns.map((c) => last[c]);
  }
}
