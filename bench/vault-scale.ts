// The vault beyond one machine, in one run on 127.0.0.1:
// - run-time reads/s through one `serve` replica on PostgreSQL, through two replicas on the same
//   database (the load split between them), through the SQLite vault, and from a bare node:http
//   server answering the same bytes (the peer, as in bench/vault-read);
// - write throughput per store: creates and updates of secrets through the HTTP API;
// - revocation at the other replica: each trial revokes through one replica (the whole access
//   list replaced without the agent, or the agent's token revoked) and, as soon as that answers,
//   reads once through the other. A 200 there is a stale answer: a failure (the target is none).
//   Before each revocation the other replica must also see the grant or the new token on its very
//   next read (a late grant is a failure too). The same trials run on two SQLite `serve`
//   processes on one data folder: the same rule holds there (the store's change check is shared).
// The PostgreSQL cluster is a throwaway one started here (test/helpers/postgres.ts); the vaults are
// the built CLI (`npm run build` first). Exits non-zero on any stale answer or late grant, a
// failed read, write or trial, an audit shortfall, or a ratio below the target.
//
//   node bench/run.mjs vault-scale   (BENCH_SECONDS=3 per read case, BENCH_ROUNDS=3, BENCH_CONNECTIONS=50,
//                                     BENCH_WRITE_SECONDS=2, BENCH_TRIALS=200)

import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import { startCluster, type PgCluster } from '../test/helpers/postgres';
import { CLI, cliJson, processCpuMs, startChild, stop, treeCpuMs, type Child } from './vault/processes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WRITE_SECONDS = Number(process.env.BENCH_WRITE_SECONDS ?? 2);
const WRITE_CONNECTIONS = 10;
const TRIALS = Number(process.env.BENCH_TRIALS ?? 200);
const SECRETS = 200;
const TARGET = 0.6;
/** How long a stale replica is polled for, to time when it did deny; only the first few stale trials are (bounds a failing run). */
const STALE_POLL_MS = 5_000;
const STALE_POLLED = 5;
// One agent token makes every read here and the trials make hundreds of refused ones: the limits
// stay on (their checks are measured) but never refuse.
const SERVE_LIMITS = ['--read-rate', '100000000', '--read-burst', '100000000', '--auth-failures', '100000000'];
const VALUE = `sk_live_${'x'.repeat(48)}`;

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function http(url: string, method: string, p: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await request(url + p, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : null,
  });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

/** A management call that must succeed; its JSON body. The error names the call and status, never a body that could hold a value. */
async function call<T>(url: string, method: string, p: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ json: T; etag: string }> {
  const r = await http(url, method, p, token, body, headers);
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${problemCode(r.body)}`);
  return { json: (r.body ? JSON.parse(r.body) : undefined) as T, etag: String(r.headers.etag ?? '') };
}

function problemCode(body: string): string {
  try {
    const p = JSON.parse(body) as { code?: string; detail?: string };
    return `${p.code ?? ''} ${p.detail ?? ''}`.trim();
  } catch {
    return '';
  }
}

/** One run-time read; only its status is kept (the body, a value, is dropped). */
async function readStatus(url: string, token: string, name: string): Promise<number> {
  const res = await request(`${url}/v1/runtime/secrets/${name}`, { headers: { authorization: `Bearer ${token}` } });
  await res.body.dump();
  return res.statusCode;
}

// ---------------------------------------------------------------- the vaults

interface VaultUnderTest {
  label: string;
  store: 'sqlite' | 'postgres';
  replicas: Child[];
  admin: string;
  /** The agent token every read uses. */
  token: string;
  /** Successful run-time reads the store's audit holds. */
  auditedReads(): Promise<number>;
}

/** Agents, SECRETS secrets granted to bench-agent, the probes the revocation trials use, a token. */
async function seed(url: string, admin: string): Promise<string> {
  for (const id of ['bench-agent', 'other-agent', 'probe-agent']) await call(url, 'POST', '/v1/agents', admin, { id });
  for (let i = 0; i < SECRETS; i++) {
    await call(url, 'POST', '/v1/secrets', admin, { name: `bench_secret_${i}`, value: VALUE, agents: i % 2 === 0 ? ['bench-agent', 'other-agent'] : ['bench-agent'] });
  }
  await call(url, 'POST', '/v1/secrets', admin, { name: 'probe_access', value: VALUE, agents: ['bench-agent'] });
  await call(url, 'POST', '/v1/secrets', admin, { name: 'probe_token', value: VALUE, agents: ['probe-agent'] });
  return (await call<{ token: string }>(url, 'POST', '/v1/agents/bench-agent/tokens', admin, {})).json.token;
}

async function sqliteVault(dir: string, children: Child[]): Promise<VaultUnderTest> {
  const data = path.join(dir, 'sqlite');
  const { adminKey } = await cliJson<{ adminKey: string }>(['init', '--data', data]);
  // Two processes on one data folder: the reads go to the first; the second is the other side of
  // the revocation trials (SQLite proves its cache current across processes too).
  const replicas: Child[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await startChild([CLI, 'serve', '--data', data, '--port', '0', '--quiet', ...SERVE_LIMITS]);
    children.push(r);
    replicas.push(r);
  }
  const token = await seed(replicas[0]!.url, adminKey);
  return {
    label: 'SQLite',
    store: 'sqlite',
    replicas,
    admin: adminKey,
    token,
    async auditedReads() {
      const log = new Database(path.join(data, 'audit.db'), { readonly: true });
      try {
        return log.prepare("SELECT count(*) FROM audit WHERE action = 'runtime.read' AND outcome = 'success'").pluck().get() as number;
      } finally {
        log.close();
      }
    },
  };
}

async function postgresVault(dir: string, cluster: PgCluster, children: Child[]): Promise<VaultUnderTest> {
  const url = await cluster.createDatabase('vault');
  const first = path.join(dir, 'pg-a');
  const { adminKey } = await cliJson<{ adminKey: string }>(['init', '--data', first, '--database-url', url]);
  // Each replica has its own data folder holding only a copy of the master key, as on two machines.
  const second = path.join(dir, 'pg-b');
  mkdirSync(second, { mode: 0o700 });
  copyFileSync(path.join(first, 'master.key'), path.join(second, 'master.key'));
  const replicas: Child[] = [];
  for (const data of [first, second]) {
    const r = await startChild([CLI, 'serve', '--data', data, '--database-url', url, '--port', '0', '--quiet', ...SERVE_LIMITS]);
    children.push(r);
    replicas.push(r);
  }
  const token = await seed(replicas[0]!.url, adminKey);
  return {
    label: 'PostgreSQL',
    store: 'postgres',
    replicas,
    admin: adminKey,
    token,
    async auditedReads() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM audit WHERE action = 'runtime.read' AND outcome = 'success'");
        return Number(r.rows[0]!.n);
      } finally {
        await c.end();
      }
    },
  };
}

// ---------------------------------------------------------------- read load

interface ReadTarget {
  label: string;
  urls: string[];
  paths: string[];
  headers: Record<string, string>;
  /** Processes whose CPU is the server side: the vault replicas (or the bare server). */
  pids: number[];
  /** The PostgreSQL postmaster, whose backends' CPU counts too. */
  postmaster?: number;
  /** 2xx answers so far, warm-up included: the audit must hold at least as many reads. */
  answered: number;
}

interface ReadFigures {
  requests: number;
  seconds: number;
  errors: number;
  p50: number;
  p99: number;
  serverCpuMs: number;
  dbCpuMs: number;
}

/** CONNECTIONS connections for `seconds`, split evenly over the target's URLs, all at once. */
async function loadReads(t: ReadTarget, seconds: number): Promise<ReadFigures> {
  const cpu0 = t.pids.map(processCpuMs);
  const db0 = t.postmaster ? treeCpuMs(t.postmaster) : 0;
  const results = await Promise.all(
    t.urls.map((url) =>
      autocannon({
        url,
        connections: Math.max(1, Math.round(CONNECTIONS / t.urls.length)),
        duration: seconds,
        requests: t.paths.map((p) => ({ method: 'GET' as const, path: p, headers: t.headers })),
      }),
    ),
  );
  const serverCpuMs = t.pids.reduce((a, pid, i) => a + processCpuMs(pid) - cpu0[i]!, 0);
  const dbCpuMs = t.postmaster ? treeCpuMs(t.postmaster) - db0 : 0;
  t.answered += results.reduce((a, r) => a + r['2xx'], 0);
  return {
    requests: results.reduce((a, r) => a + r.requests.total, 0),
    seconds,
    errors: results.reduce((a, r) => a + r.errors + r.timeouts + r.non2xx, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    serverCpuMs,
    dbCpuMs,
  };
}

/** Totals over rounds; latency percentiles are the worst round's (a conservative summary). */
function combine(rounds: ReadFigures[]): ReadFigures {
  const sum = (k: 'requests' | 'seconds' | 'errors' | 'serverCpuMs' | 'dbCpuMs') => rounds.reduce((a, r) => a + r[k], 0);
  return {
    requests: sum('requests'),
    seconds: sum('seconds'),
    errors: sum('errors'),
    p50: Math.max(...rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    serverCpuMs: sum('serverCpuMs'),
    dbCpuMs: sum('dbCpuMs'),
  };
}

// ---------------------------------------------------------------- writes

interface WriteFigures {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function loadWrites(url: string, admin: string, kind: 'create' | 'update'): Promise<WriteFigures> {
  let n = 0;
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const r = await autocannon({
    url,
    connections: WRITE_CONNECTIONS,
    duration: WRITE_SECONDS,
    requests: [
      kind === 'create'
        ? { method: 'POST', path: '/v1/secrets', headers, setupRequest: (req) => ({ ...req, body: JSON.stringify({ name: `bench_write_${n++}`, value: VALUE, agents: ['bench-agent'] }) }) }
        : // A new value for one of the seeded secrets, round robin; no If-Match (last writer wins).
          { method: 'PATCH', headers, setupRequest: (req) => ({ ...req, path: `/v1/secrets/bench_secret_${n++ % SECRETS}`, body: JSON.stringify({ value: `${VALUE}_${n}` }) }) },
    ],
  });
  return { perSecond: r.requests.total / WRITE_SECONDS, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

// ---------------------------------------------------------------- revocation at the other replica

interface TrialFigures {
  kind: 'access list' | 'token';
  trials: number;
  /** From sending the revocation to the other replica's denial, ms. */
  toDenied: number[];
  /** From the revocation's answer to the other replica's denial, ms. */
  afterAnswer: number[];
  /** Reads that answered 200 after the revocation had answered. */
  stale: number;
  /** Grants or new tokens the other replica did not honour on its very next read. */
  lateGrants: number;
  /** Denials with an unexpected status, and failed calls. */
  errors: number;
}

/** Polls a stale replica until it denies; the time it did, or NaN when it never did within STALE_POLL_MS. */
async function deniedAt(url: string, token: string, name: string): Promise<number> {
  const end = performance.now() + STALE_POLL_MS;
  while (performance.now() < end) {
    if ((await readStatus(url, token, name)) !== 200) return performance.now();
  }
  return NaN;
}

async function revocationTrials(v: VaultUnderTest, kind: TrialFigures['kind']): Promise<TrialFigures> {
  const f: TrialFigures = { kind, trials: 0, toDenied: [], afterAnswer: [], stale: 0, lateGrants: 0, errors: 0 };
  const probeToken = kind === 'access list' ? (await call<{ token: string }>(v.replicas[0]!.url, 'POST', '/v1/agents/probe-agent/tokens', v.admin, {})).json.token : '';
  const expected = kind === 'access list' ? 403 : 401;
  for (let i = 0; i < TRIALS; i++) {
    // Both directions: even trials write through the first replica and read through the second.
    const [writer, reader] = i % 2 === 0 ? [v.replicas[0]!.url, v.replicas[1]!.url] : [v.replicas[1]!.url, v.replicas[0]!.url];
    try {
      let token: string;
      let name: string;
      let revoke: () => Promise<unknown>;
      if (kind === 'access list') {
        name = 'probe_access';
        token = probeToken;
        const granted = await call(writer, 'PUT', `/v1/secrets/${name}/access/probe-agent`, v.admin);
        revoke = () => call(writer, 'PUT', `/v1/secrets/${name}/access`, v.admin, { agents: ['bench-agent'] }, { 'if-match': granted.etag });
      } else {
        name = 'probe_token';
        const issued = (await call<{ id: string; token: string }>(writer, 'POST', '/v1/agents/probe-agent/tokens', v.admin, {})).json;
        token = issued.token;
        revoke = () => call(writer, 'DELETE', `/v1/keys/${issued.id}`, v.admin);
      }
      // The grant (or new token) must show on the other replica's very next read; this also puts
      // the answer in that replica's caches, so the revocation below has a cached 200 to undo.
      if ((await readStatus(reader, token, name)) !== 200) f.lateGrants++;
      const t0 = performance.now();
      await revoke();
      const t1 = performance.now();
      const status = await readStatus(reader, token, name);
      let t2 = performance.now();
      if (status === 200) {
        f.stale++;
        t2 = f.stale <= STALE_POLLED ? await deniedAt(reader, token, name) : NaN;
      } else if (status !== expected) {
        f.errors++;
      }
      f.toDenied.push(t2 - t0);
      f.afterAnswer.push(t2 - t1);
      f.trials++;
    } catch (e) {
      f.errors++;
      if (f.errors === 1) console.error(`  ${v.label} ${kind} trial ${i}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return f;
}

// ---------------------------------------------------------------- report

function percentile(values: number[], p: number): number {
  // A stale trial not timed to its denial (NaN) counts as infinitely late: the high percentiles show it.
  const sorted = values.map((v) => (Number.isNaN(v) ? Infinity : v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (n: number, d = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : n === Infinity ? 'late' : 'n/a';

function bareServer(dir: string, body: string, contentType: string): Promise<Child> {
  const file = path.join(dir, 'bare.cjs');
  writeFileSync(
    file,
    `const http = require('node:http');
const body = ${JSON.stringify(body)};
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': ${JSON.stringify(contentType)}, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));`,
  );
  return startChild([file]);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-scale-'));
  const children: Child[] = [];
  let cluster: PgCluster | undefined;
  let failed = false;
  try {
    cluster = await startCluster();
    const postmaster = Number(readFileSync(path.join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const sqlite = await sqliteVault(dir, children);
    const postgres = await postgresVault(dir, cluster, children);

    const sample = await request(`${sqlite.replicas[0]!.url}/v1/runtime/secrets/bench_secret_0`, { headers: { authorization: `Bearer ${sqlite.token}` } });
    const sampleBody = await sample.body.text();
    const bare = await bareServer(dir, sampleBody, String(sample.headers['content-type']));
    children.push(bare);

    const paths = Array.from({ length: SECRETS }, (_, i) => `/v1/runtime/secrets/bench_secret_${i}`);
    const vaultTarget = (label: string, v: VaultUnderTest, replicas: Child[]): ReadTarget => ({
      label,
      urls: replicas.map((r) => r.url),
      paths,
      headers: { authorization: `Bearer ${v.token}` },
      pids: replicas.map((r) => r.child.pid!),
      ...(v.store === 'postgres' ? { postmaster } : {}),
      answered: 0,
    });
    const targets: ReadTarget[] = [
      { label: 'bare node:http', urls: [bare.url], paths: ['/'], headers: {}, pids: [bare.child.pid!], answered: 0 },
      vaultTarget('SQLite vault', sqlite, sqlite.replicas.slice(0, 1)),
      vaultTarget('PostgreSQL, 1 replica', postgres, postgres.replicas.slice(0, 1)),
      vaultTarget('PostgreSQL, 2 replicas', postgres, postgres.replicas),
    ];
    const [, sqliteT, pg1T, pg2T] = targets as [ReadTarget, ReadTarget, ReadTarget, ReadTarget];

    console.log(
      `run-time reads: ${CONNECTIONS} connections, ${SECONDS} s per case in ${ROUNDS} interleaved rounds after a ${WARMUP} s warm-up, ${SECRETS} secrets, ${sampleBody.length}-byte responses`,
    );
    for (const t of targets) await loadReads(t, WARMUP);
    const rounds = new Map<ReadTarget, ReadFigures[]>(targets.map((t) => [t, []]));
    for (let r = 0; r < ROUNDS; r++) {
      // Interleaved, so that every case sees the same share of whatever else the machine does.
      for (const t of targets) rounds.get(t)!.push(await loadReads(t, SECONDS / ROUNDS));
    }
    const reads = new Map(targets.map((t) => [t, combine(rounds.get(t)!)]));
    const rps = (t: ReadTarget) => reads.get(t)!.requests / reads.get(t)!.seconds;
    console.log(`  ${'case'.padEnd(24)} ${'reads/s'.padStart(8)}  ${'p50'.padStart(4)}  ${'p99'.padStart(4)}  ${'errors'.padStart(6)}  CPU µs per read: server (+ PostgreSQL)`);
    for (const t of targets) {
      const f = reads.get(t)!;
      const cpu = `${fmt((f.serverCpuMs * 1000) / f.requests, 1)}${t.postmaster ? ` + ${fmt((f.dbCpuMs * 1000) / f.requests, 1)}` : ''}`;
      console.log(`  ${t.label.padEnd(24)} ${fmt(rps(t)).padStart(8)}  ${fmt(f.p50).padStart(4)}  ${fmt(f.p99).padStart(4)}  ${String(f.errors).padStart(6)}  ${cpu}`);
      if (f.errors > 0) failed = true;
    }
    console.log(`  per round, PostgreSQL 1 replica / SQLite: ${rounds.get(pg1T)!.map((x, i) => (x.requests / rounds.get(sqliteT)![i]!.requests).toFixed(2)).join(', ')}`);
    console.log(`  two replicas / one: ${(rps(pg2T) / rps(pg1T)).toFixed(2)} (one PostgreSQL and the load generator share the same 2 cores)`);

    // Every read is audited before its response: each store's audit must hold at least as many.
    for (const [v, ts] of [
      [sqlite, [sqliteT]],
      [postgres, [pg1T, pg2T]],
    ] as const) {
      const answered = ts.reduce((a, t) => a + t.answered, 0);
      const recorded = await v.auditedReads();
      const ok = recorded >= answered;
      console.log(`  audit ${v.label}: ${fmt(recorded)} successful run-time reads recorded for ${fmt(answered)} answered under load${ok ? '' : ': FEWER'}`);
      if (!ok) failed = true;
    }

    console.log(`writes through the HTTP API: ${WRITE_CONNECTIONS} connections, ${WRITE_SECONDS} s each (durable: one commit per write)`);
    const writes: Record<string, Record<'create' | 'update', WriteFigures>> = {};
    for (const v of [sqlite, postgres]) {
      writes[v.label] = {
        create: await loadWrites(v.replicas[0]!.url, v.admin, 'create'),
        update: await loadWrites(v.replicas[0]!.url, v.admin, 'update'),
      };
      for (const kind of ['create', 'update'] as const) {
        const w = writes[v.label]![kind];
        console.log(`  ${v.label.padEnd(11)} ${kind}s ${fmt(w.perSecond).padStart(6)}/s  p50 ${fmt(w.p50)} ms  p99 ${fmt(w.p99)} ms  ${w.errors} errors`);
        if (w.errors > 0) failed = true;
      }
    }

    console.log(`revocation through one replica, then one read through the other: ${TRIALS} trials each, both directions`);
    const trials: (TrialFigures & { store: string })[] = [];
    for (const v of [postgres, sqlite]) {
      for (const kind of ['access list', 'token'] as const) {
        const f = { store: v.label, ...(await revocationTrials(v, kind)) };
        trials.push(f);
        console.log(
          `  ${`${v.label === 'SQLite' ? 'SQLite, 2 processes' : 'PostgreSQL, 2 replicas'}, ${kind}`.padEnd(36)} revoke sent → denied p50 ${fmt(percentile(f.toDenied, 50), 1)} ms, p99 ${fmt(percentile(f.toDenied, 99), 1)} ms` +
            ` (after the revocation's answer: p50 ${fmt(percentile(f.afterAnswer, 50), 1)}, p99 ${fmt(percentile(f.afterAnswer, 99), 1)})  stale ${f.stale}, late grants ${f.lateGrants}, errors ${f.errors}`,
        );
        if (f.stale > 0 || f.lateGrants > 0 || f.errors > 0 || f.trials < TRIALS) failed = true;
      }
    }
    const stale = trials.reduce((a, t) => a + t.stale, 0);
    if (stale > 0) console.log(`STALE ANSWERS: ${stale} reads answered 200 after a revocation through the other replica had answered`);

    const ratio = rps(pg1T) / rps(sqliteT);
    const resultsDir = path.resolve('bench/results');
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `vault-scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          seconds: SECONDS,
          rounds: ROUNDS,
          connections: CONNECTIONS,
          reads: Object.fromEntries(targets.map((t) => [t.label, { readsPerSecond: rps(t), ...reads.get(t)! }])),
          writes,
          revocation: trials.map((t) => ({ ...t, p50: percentile(t.toDenied, 50), p99: percentile(t.toDenied, 99) })),
          ratio,
          stale,
        },
        null,
        2,
      ),
    );
    console.log(`results: ${path.relative(process.cwd(), file)}`);
    if (ratio < TARGET) failed = true;
    console.log(`vault-scale: ratio ${ratio.toFixed(2)} (target >= ${TARGET})`);
  } finally {
    await Promise.all(children.map((c) => stop(c.child)));
    cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

await main();
