// Which PostgreSQL driver for the vault's read path: `pg` (node-postgres, pg.Pool) against
// `postgres` (porsager), on a real throwaway cluster on 127.0.0.1 with the vault's own schema.
// Cases, each at concurrency 1 and 32 with a pool of 10 connections:
//   (a) the per-batch change-counter read   SELECT change_seq FROM vault_state
//   (b) a granted-value lookup              secrets JOIN grants by primary key, returning bytea
//   (c) a 50-row audit multi-insert         one statement, one durable commit (synchronous_commit on)
// `pg` runs twice: as most code calls it (unnamed statements: parse, bind, execute each time) and
// with named prepared statements (`name:`), which is what postgres.js does by default. Rounds are
// interleaved so that every driver sees the same share of whatever else the machine does.
//
//   node bench/run.mjs pg-driver          (BENCH_SECONDS=3 per case and driver, BENCH_ROUNDS=3)

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import postgres from 'postgres';
import { migratePostgres } from '../vault/src/store/postgres/schema';
import { startCluster } from '../test/helpers/postgres';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const WARMUP_SECONDS = 0.5;
const POOL = 10;
const CONCURRENCIES = [1, 32];
const SECRETS = 200;
const AUDIT_ROWS = 50;
const ACCOUNT = 'acct_bench';
const AGENT = 'bench-agent';

const CHANGE_SEQ = 'SELECT change_seq FROM vault_state';
// The same shape as the SQLite store's granted read (store/sqlite/grantedCache.ts).
const GRANTED = `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext FROM secrets s
  JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
  WHERE s.account_id = $1 AND s.name = $2 AND g.agent_id = $3`;
const AUDIT_COLUMNS = ['account_id', 'time', 'actor', 'actor_id', 'actor_type', 'action', 'target', 'outcome', 'detail', 'at_us'] as const;
type AuditRow = Record<(typeof AUDIT_COLUMNS)[number], string | number>;
const AUDIT_INSERT = `INSERT INTO audit (${AUDIT_COLUMNS.join(', ')}) VALUES ${Array.from(
  { length: AUDIT_ROWS },
  (_, r) => `(${AUDIT_COLUMNS.map((_c, c) => `$${r * AUDIT_COLUMNS.length + c + 1}`).join(', ')})`,
).join(', ')}`;

type CaseName = 'a' | 'b' | 'c';
const CASES: { id: CaseName; label: string }[] = [
  { id: 'a', label: '(a) change counter' },
  { id: 'b', label: '(b) granted value' },
  { id: 'c', label: `(c) ${AUDIT_ROWS}-row audit insert` },
];
type DriverName = 'pg' | 'pg prepared' | 'postgres';
const DRIVERS: DriverName[] = ['pg', 'pg prepared', 'postgres'];

/** One operation of each case, for one driver. */
type Ops = Record<CaseName, () => Promise<void>>;

function auditRows(): AuditRow[] {
  const now = Date.now();
  return Array.from({ length: AUDIT_ROWS }, (_, i) => ({
    account_id: ACCOUNT,
    time: new Date(now).toISOString(),
    actor: 'agent:bench-agent',
    actor_id: 'tok_bench',
    actor_type: 'agent',
    action: 'runtime.read',
    target: `bench_secret_${i % SECRETS}`,
    outcome: 'success',
    detail: '{}',
    at_us: now * 1000 + i,
  }));
}

let nameCounter = 0;
const nextSecret = () => `bench_secret_${nameCounter++ % SECRETS}`;

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`unexpected result: ${what}`);
}

function pgOps(pool: pg.Pool, prepared: boolean): Ops {
  // A name makes pg parse the statement once per connection and then only bind and execute it.
  const q = (name: string, text: string) => (prepared ? { name, text } : { text });
  return {
    async a() {
      const r = await pool.query({ ...q('change_seq', CHANGE_SEQ), values: [] });
      check(r.rows.length === 1, 'change_seq row');
    },
    async b() {
      const r = await pool.query({ ...q('granted', GRANTED), values: [ACCOUNT, nextSecret(), AGENT] });
      check(r.rows.length === 1 && Buffer.isBuffer(r.rows[0].ciphertext), 'granted row with bytea');
    },
    async c() {
      const values = auditRows().flatMap((row) => AUDIT_COLUMNS.map((c) => row[c]));
      const r = await pool.query({ ...q('audit', AUDIT_INSERT), values });
      check(r.rowCount === AUDIT_ROWS, 'audit rows inserted');
    },
  };
}

function postgresOps(sql: postgres.Sql): Ops {
  return {
    async a() {
      const r = await sql`SELECT change_seq FROM vault_state`;
      check(r.length === 1, 'change_seq row');
    },
    async b() {
      const r = await sql`SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext FROM secrets s
        JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
        WHERE s.account_id = ${ACCOUNT} AND s.name = ${nextSecret()} AND g.agent_id = ${AGENT}`;
      check(r.length === 1 && Buffer.isBuffer(r[0]!.ciphertext), 'granted row with bytea');
    },
    async c() {
      const r = await sql`INSERT INTO audit ${sql(auditRows(), ...AUDIT_COLUMNS)}`;
      check(r.count === AUDIT_ROWS, 'audit rows inserted');
    },
  };
}

interface Figures {
  ops: number;
  seconds: number;
  /** Client-side CPU (this process: the driver's encoding, parsing, pooling), µs. */
  cpuUs: number;
  latenciesMs: number[];
  errors: number;
}

/** `concurrency` callers, each running `op` back to back until `seconds` have passed. */
async function drive(op: () => Promise<void>, concurrency: number, seconds: number): Promise<Figures> {
  const latenciesMs: number[] = [];
  let ops = 0;
  let errors = 0;
  let firstError: unknown;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        try {
          await op();
          ops++;
          latenciesMs.push(performance.now() - s);
        } catch (e) {
          errors++;
          firstError ??= e;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (firstError) console.error(`  error: ${firstError instanceof Error ? firstError.message : String(firstError)}`);
  return { ops, seconds: elapsed, cpuUs: cpu.user + cpu.system, latenciesMs, errors };
}

function merge(rounds: Figures[]): Figures {
  return {
    ops: rounds.reduce((a, r) => a + r.ops, 0),
    seconds: rounds.reduce((a, r) => a + r.seconds, 0),
    cpuUs: rounds.reduce((a, r) => a + r.cpuUs, 0),
    latenciesMs: rounds.flatMap((r) => r.latenciesMs),
    errors: rounds.reduce((a, r) => a + r.errors, 0),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The installed version of a package (benches run from the repository's root). */
function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.resolve('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function seed(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const client = await pool.connect();
  try {
    await migratePostgres(client);
    const now = new Date().toISOString();
    await client.query('INSERT INTO accounts (id, name, naming_style, created_at) VALUES ($1, $2, $3, $4)', [ACCOUNT, 'Bench', 'snake', now]);
    await client.query('INSERT INTO agents (account_id, id, name, description, created_at) VALUES ($1, $2, $2, $3, $4)', [ACCOUNT, AGENT, '', now]);
    await client.query("INSERT INTO data_keys (id, master_id, nonce, wrapped, state, created_at) VALUES ('dk1', 'mk1', $1, $2, 'active', $3)", [
      Buffer.alloc(12, 1),
      Buffer.alloc(48, 2),
      now,
    ]);
    // Ciphertext-sized random bytes: the drivers only move them (a 56-character value sealed is about 72 bytes).
    for (let i = 0; i < SECRETS; i++) {
      await client.query(
        `INSERT INTO secrets (account_id, name, description, kind, keys, version, value_version, created_at, updated_at, updated_by, key_id, nonce, ciphertext)
         VALUES ($1, $2, '', 'single', '[]', 1, 1, $3, $3, 'admin', 'dk1', $4, $5)`,
        [ACCOUNT, `bench_secret_${i}`, now, Buffer.alloc(12, i), Buffer.alloc(72, i)],
      );
      await client.query('INSERT INTO grants (account_id, secret_name, agent_id) VALUES ($1, $2, $3)', [ACCOUNT, `bench_secret_${i}`, AGENT]);
    }
  } finally {
    client.release();
    await pool.end();
  }
}

async function main(): Promise<void> {
  const cluster = await startCluster();
  const pools: pg.Pool[] = [];
  let sql: postgres.Sql | undefined;
  try {
    const url = await cluster.createDatabase('bench');
    await seed(url);
    const server = new pg.Client({ connectionString: url });
    await server.connect();
    const version = (await server.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    const sync = (await server.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit;
    await server.end();

    const plain = new pg.Pool({ connectionString: url, max: POOL });
    const prepared = new pg.Pool({ connectionString: url, max: POOL });
    pools.push(plain, prepared);
    // postgres.js prepares statements by default and pipelines queries on its connections.
    sql = postgres(url, { max: POOL, onnotice: () => {} });
    const ops: Record<DriverName, Ops> = { pg: pgOps(plain, false), 'pg prepared': pgOps(prepared, true), postgres: postgresOps(sql) };

    const pgVersion = packageVersion('pg');
    const postgresVersion = packageVersion('postgres');
    console.log(
      `PostgreSQL ${version} on 127.0.0.1 (synchronous_commit=${sync}), pg ${pgVersion}, postgres ${postgresVersion}; pool ${POOL}; ` +
        `${SECONDS} s per case and driver in ${ROUNDS} interleaved rounds`,
    );

    const results: { case: CaseName; label: string; concurrency: number; driver: DriverName; opsPerSec: number; cpuUsPerOp: number; p50: number; p99: number; errors: number }[] = [];
    let errors = 0;
    for (const c of CASES) {
      for (const concurrency of CONCURRENCIES) {
        for (const d of DRIVERS) await drive(ops[d][c.id], concurrency, WARMUP_SECONDS);
        const rounds: Record<DriverName, Figures[]> = { pg: [], 'pg prepared': [], postgres: [] };
        for (let r = 0; r < ROUNDS; r++) {
          // Rotate the order each round so no driver always follows the same one.
          for (let k = 0; k < DRIVERS.length; k++) {
            const d = DRIVERS[(k + r) % DRIVERS.length]!;
            rounds[d].push(await drive(ops[d][c.id], concurrency, SECONDS / ROUNDS));
          }
        }
        const line: string[] = [];
        const rate: Partial<Record<DriverName, number>> = {};
        for (const d of DRIVERS) {
          const f = merge(rounds[d]);
          errors += f.errors;
          const sorted = f.latenciesMs.sort((x, y) => x - y);
          const opsPerSec = f.ops / f.seconds;
          rate[d] = opsPerSec;
          const entry = { case: c.id, label: c.label, concurrency, driver: d, opsPerSec, cpuUsPerOp: f.cpuUs / f.ops, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors: f.errors };
          results.push(entry);
          line.push(`${d} ${fmt(opsPerSec).padStart(7)}/s (${fmt(entry.cpuUsPerOp).padStart(4)} µs CPU, p99 ${fmt(entry.p99, 1)} ms)`);
        }
        console.log(
          `${c.label.padEnd(26)} c=${String(concurrency).padEnd(3)} ${line.join('  ')}  postgres/pg ${(rate.postgres! / rate.pg!).toFixed(2)}, postgres/pg prepared ${(rate.postgres! / rate['pg prepared']!).toFixed(2)}`,
        );
      }
    }

    // The headline: (a) then (b), as one batch of run-time reads does, at concurrency 32. Time per
    // pair of operations is 1/a + 1/b, so the pairs' rate is the harmonic combination.
    const pairRate = (d: DriverName) => {
      const at = (id: CaseName) => results.find((r) => r.case === id && r.concurrency === 32 && r.driver === d)!.opsPerSec;
      return 1 / (1 / at('a') + 1 / at('b'));
    };
    const ratio = pairRate('postgres') / pairRate('pg');
    const ratioPrepared = pairRate('postgres') / pairRate('pg prepared');
    console.log(
      `(a)+(b) pairs at c=32: pg ${fmt(pairRate('pg'))}/s, pg prepared ${fmt(pairRate('pg prepared'))}/s, postgres ${fmt(pairRate('postgres'))}/s`,
    );
    const dir = path.resolve('bench/results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pg-driver-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ postgresVersion: version, pg: pgVersion, postgres: postgresVersion, pool: POOL, seconds: SECONDS, rounds: ROUNDS, results, ratio, ratioPrepared }, null, 2));
    console.log(`results: ${path.relative(process.cwd(), file)}`);
    if (errors > 0) {
      console.log(`errors: ${errors}`);
      process.exitCode = 1;
    }
    console.log(`pg-driver: ratio ${ratio.toFixed(2)} (postgres/pg on (a)+(b) at concurrency 32; ${ratioPrepared.toFixed(2)} against pg with prepared statements; above 1.5 favours postgres)`);
  } finally {
    await sql?.end({ timeout: 5 });
    await Promise.all(pools.map((p) => p.end()));
    cluster.destroy();
  }
}

await main();
