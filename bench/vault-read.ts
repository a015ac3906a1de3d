// Run-time reads (agent token check, access check, decryption, audit) against a bare node:http
// server answering JSON of the same size, both as child processes on 127.0.0.1, loaded in turn by
// autocannon from this process with the same requests (paths and Authorization header). Then the
// write path: creates with a grant, per second.
//
//   node bench/run.mjs vault-read          (BENCH_SECONDS=10 BENCH_CONNECTIONS=50 by default)
//   BENCH_PROFILE=DIR                      V8 CPU profiles of the served vault (all its threads) in DIR
//   BENCH_STAGES=1                         only the read's stages, timed in this process (stages.ts)

import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { DEFAULT_SERVER_LIMITS, nodeServerOptions } from '../vault/src/http/app';
import { CLI, cliJson, processCpuMs, startChild, stop, threadCpuMs } from './vault/processes';
import { readStages } from './vault/stages';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECRETS = 200;

interface Figures {
  rps: number;
  /** CPU time the server process used (all its threads), and the load generator, in ms. */
  serverCpuMs: number;
  /** Of serverCpuMs, the main thread's (HTTP, checks, decryption; the rest is the audit writer's commits). */
  serverMainCpuMs: number;
  loadCpuMs: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

/** Totals over rounds; latency percentiles are the worst round's (a conservative summary). */
function combine(rounds: Figures[]): Figures {
  const requests = rounds.reduce((a, r) => a + r.requests, 0);
  return {
    rps: requests / SECONDS,
    serverCpuMs: rounds.reduce((a, r) => a + r.serverCpuMs, 0),
    serverMainCpuMs: rounds.reduce((a, r) => a + r.serverMainCpuMs, 0),
    loadCpuMs: rounds.reduce((a, r) => a + r.loadCpuMs, 0),
    p50: Math.max(...rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    requests,
    errors: rounds.reduce((a, r) => a + r.errors, 0),
  };
}

async function load(url: string, pid: number, paths: string[], headers: Record<string, string>, seconds: number): Promise<Figures> {
  const server0 = processCpuMs(pid);
  const main0 = threadCpuMs(pid).get(pid) ?? NaN;
  const load0 = process.cpuUsage();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: paths.map((p) => ({ method: 'GET' as const, path: p, headers })),
  });
  const loadCpu = process.cpuUsage(load0);
  return {
    rps: result.requests.average,
    serverCpuMs: processCpuMs(pid) - server0,
    serverMainCpuMs: (threadCpuMs(pid).get(pid) ?? NaN) - main0,
    loadCpuMs: (loadCpu.user + loadCpu.system) / 1000,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function call(url: string, method: string, p: string, token: string, body?: unknown): Promise<any> {
  const res = await request(url + p, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : null,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${p}: ${res.statusCode} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-bench-'));
  const children: ChildProcess[] = [];
  try {
    // ---- the vault, with realistic data ----
    const admin = (await cliJson<{ adminKey: string }>(['init', '--data', path.join(dir, 'vault')])).adminKey;
    const profile = process.env.BENCH_PROFILE;
    const vault = await startChild([...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile === '1' ? '/tmp/prof' : profile}`] : []), CLI, 'serve', '--data', path.join(dir, 'vault'), '--port', '0', '--quiet',
      // One agent token makes every read here: the per-token rate limit stays on (its O(1) check is
      // measured) but high enough never to refuse one.
      '--read-rate', '100000000', '--read-burst', '100000000']);
    children.push(vault.child);
    await call(vault.url, 'POST', '/v1/agents', admin, { id: 'bench-agent' });
    await call(vault.url, 'POST', '/v1/agents', admin, { id: 'other-agent' });
    const value = `sk_live_${'x'.repeat(48)}`;
    for (let i = 0; i < SECRETS; i++) {
      await call(vault.url, 'POST', '/v1/secrets', admin, {
        name: `bench_secret_${i}`,
        value,
        agents: i % 2 === 0 ? ['bench-agent', 'other-agent'] : ['bench-agent'],
      });
    }
    const token = (await call(vault.url, 'POST', '/v1/agents/bench-agent/tokens', admin, {})).token as string;
    const sample = await request(`${vault.url}/v1/runtime/secrets/bench_secret_0`, { headers: { authorization: `Bearer ${token}` } });
    const sampleBody = await sample.body.text();
    const sampleHeaders = sample.headers;

    // ---- the peer: node:http answering the same JSON, same headers, to the same requests, with the
    // vault's server settings (timeouts, their checking interval, maximum connections) ----
    const bareFile = path.join(dir, 'bare.cjs');
    writeFileSync(
      bareFile,
      `const http = require('node:http');
const body = ${JSON.stringify(sampleBody)};
const server = http.createServer(${JSON.stringify(nodeServerOptions(DEFAULT_SERVER_LIMITS))}, (req, res) => {
  res.writeHead(200, { 'content-type': ${JSON.stringify(String(sampleHeaders['content-type']))}, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.maxConnections = ${DEFAULT_SERVER_LIMITS.maxConnections};
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));`,
    );
    const bare = await startChild([bareFile]);
    children.push(bare.child);

    const paths = Array.from({ length: SECRETS }, (_, i) => `/v1/runtime/secrets/bench_secret_${i}`);
    const headers = { authorization: `Bearer ${token}` };
    console.log(
      `run-time reads: ${CONNECTIONS} connections, ${SECONDS} s each in ${process.env.BENCH_ROUNDS ?? 3} interleaved rounds, ${SECRETS} secrets, ${sampleBody.length}-byte responses`,
    );
    // Warm both up under the load that is measured (the JIT's optimised code, the caches, the heap
    // and the access log's WAL reach their steady state), then measure: with a 1 s warm-up at
    // 10 connections on one path, the vault's first round was regularly the slowest by far.
    const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
    await load(bare.url, bare.child.pid!, paths, headers, WARMUP);
    await load(vault.url, vault.child.pid!, paths, headers, WARMUP);
    // Interleaved rounds, so that both sides see the same share of whatever else the machine does.
    const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
    const bs: Figures[] = [];
    const vs: Figures[] = [];
    for (let r = 0; r < rounds; r++) {
      bs.push(await load(bare.url, bare.child.pid!, paths, headers, SECONDS / rounds));
      vs.push(await load(vault.url, vault.child.pid!, paths, headers, SECONDS / rounds));
    }
    const b = combine(bs);
    const v = combine(vs);
    const row = (name: string, f: Figures) =>
      `  ${name.padEnd(14)} ${fmt(f.rps).padStart(8)} req/s   p50 ${fmt(f.p50).padStart(3)} ms   p99 ${fmt(f.p99).padStart(3)} ms   ${fmt(f.requests)} requests, ${f.errors} errors`;
    console.log(row('bare node:http', b));
    console.log(row('vault', v));
    console.log(`  per round (vault/bare): ${vs.map((x, i) => (x.rps / bs[i]!.rps).toFixed(2)).join(', ')}`);
    // CPU per request is steadier than req/s on a shared machine: it does not depend on what else runs.
    const perRequest = (f: Figures) => ({
      server: (f.serverCpuMs * 1000) / f.requests,
      main: (f.serverMainCpuMs * 1000) / f.requests,
      load: (f.loadCpuMs * 1000) / f.requests,
    });
    const bc = perRequest(b);
    const vc = perRequest(v);
    if (Number.isFinite(bc.server) && Number.isFinite(vc.server)) {
      console.log(
        `  CPU per request: bare ${fmt(bc.server, 1)} µs, vault ${fmt(vc.server, 1)} µs (all threads: token and access check, decryption, audit); load generator ${fmt(bc.load, 1)} / ${fmt(vc.load, 1)} µs; CPU ratio ${(bc.server / vc.server).toFixed(2)}`,
      );
      if (Number.isFinite(vc.main)) {
        console.log(`  vault CPU per request by thread: main ${fmt(vc.main, 1)} µs (HTTP, checks, decryption, audit hand-off), others ${fmt(vc.server - vc.main, 1)} µs (the audit writer's commits)`);
      }
    }

    // ---- write path: create a secret with a grant ----
    let n = 0;
    const writes = await autocannon({
      url: vault.url,
      connections: 10,
      duration: Math.max(2, Math.round(SECONDS / 3)),
      requests: [
        {
          method: 'POST',
          path: '/v1/secrets',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ name: `bench_write_${n++}`, value, agents: ['bench-agent'] }) }),
        },
      ],
    });
    const writeErrors = writes.errors + writes.timeouts + writes.non2xx;
    console.log(
      `write path (10 connections): ${fmt(writes.requests.average)} creates with a grant per second, p50 ${writes.latency.p50} ms, p99 ${writes.latency.p99} ms, ${writeErrors} errors (synchronous=FULL: one fsync per create)`,
    );
    // Every read is audited before its response: the access log must hold at least as many
    // successful reads as the rounds answered (it also has the warm-up's and the sample's).
    const log = new Database(path.join(dir, 'vault', 'audit.db'), { readonly: true });
    const recorded = log.prepare("SELECT count(*) FROM audit WHERE action = 'runtime.read' AND outcome = 'success'").pluck().get() as number;
    log.close();
    console.log(`audit: ${fmt(recorded)} successful run-time reads in the access log, for ${fmt(v.requests)} answered in the rounds (every read is audited before its response)`);
    if (recorded < v.requests) {
      console.log('audit: FEWER records than answered reads');
      process.exitCode = 1;
    }
    const ratio = v.rps / b.rps;
    if (v.errors > 0 || b.errors > 0) console.log(`errors: vault ${v.errors}, bare ${b.errors}`);
    console.log(`vault-read: ratio ${ratio.toFixed(2)} (target >= 0.6)${v.errors > 0 ? ` with ${v.errors} errors` : ''}`);
    if (ratio < 0.6 || v.errors > 0) process.exitCode = 1;
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_STAGES) await readStages();
else await main();
