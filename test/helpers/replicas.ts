// Several vault replicas as real processes: the CLI bundle run as `init`, `serve` (any number, on
// one PostgreSQL database) and `rotate-key`, plus a small JSON client over undici. Replicas bind to
// 127.0.0.1 only. Used by test/vault/replicas.test.ts; kept apart from test/security/helpers (which
// another suite owns) but built the same way.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { postgresBinDir, type PgCluster } from './postgres';
import { cliBundle as bundleCli } from './cliBundle';


/** The CLI bundle these tests run (see test/helpers/cliBundle.ts). */
export function cliBundle(): Promise<string> {
  return bundleCli('replicas-suite');
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment of a child: PATH and what the caller gives, nothing else of ours (no stray database URL or key). */
function childEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...env };
}

/** Runs a CLI command to its end (SIGKILL after `timeoutMs`). */
export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  const cli = await cliBundle();
  const child = spawn(process.execPath, [cli, ...args], { env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  const out = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const [code, signal] = await exited(child);
  clearTimeout(timer);
  return { code, signal, stdout: out.stdout(), stderr: out.stderr() };
}

/** A new data folder (removed by `removeFolders`). */
const folders: string[] = [];
export function newFolder(prefix = 'sv-rep-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  folders.push(d);
  return d;
}
export function removeFolders(): void {
  for (const d of folders.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** `init --json` on a data folder and a database; returns the first admin key and the account id. */
export async function initReplicatedVault(dataDir: string, databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<{ adminKey: string; accountId: string }> {
  const r = await runCli(['--json', 'init', '--data', dataDir, '--database-url', databaseUrl], { env });
  if (r.code !== 0) throw new Error(`init failed (${r.code ?? r.signal}): ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { adminKey: string; account: { id: string } };
  return { adminKey: j.adminKey, accountId: j.account.id };
}

export interface Replica {
  name: string;
  url: string;
  pid: number;
  /** SIGKILL, then wait until the process has gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after 10 s; waits until gone. */
  stop(): Promise<void>;
  running(): boolean;
  output(): string;
}

const replicas = new Set<Replica>();

/**
 * `serve --data D --database-url URL --port 0 --quiet` as a child process; resolves once it prints
 * `listening on URL`. The limits that would turn a deliberate load or a loop of revocations into 429s
 * (read rate, failed authentications) are raised: these tests are about consistency, not throttling.
 */
export async function startReplica(name: string, dataDir: string, databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<Replica> {
  const cli = await cliBundle();
  const args = [
    cli,
    'serve',
    '--data',
    dataDir,
    '--database-url',
    databaseUrl,
    '--port',
    '0',
    '--quiet',
    '--read-rate',
    '1000000',
    '--read-burst',
    '1000000',
    '--auth-failures',
    '1000000',
  ];
  const child = spawn(process.execPath, args, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const out = collect(child);
  const exit = exited(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`replica ${name} did not start within 30 s:\n${out.stderr()}`));
    }, 30_000);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out.stdout());
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exit.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited (${code ?? signal}) before listening: ${out.stderr().trim()}`));
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const replica: Replica = {
    name,
    url,
    pid: child.pid!,
    running,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exit;
      replicas.delete(replica);
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
      replicas.delete(replica);
    },
    output: () => out.stdout() + out.stderr(),
  };
  replicas.add(replica);
  return replica;
}

/** Stops every replica still running (afterAll). */
export async function stopAllReplicas(): Promise<void> {
  await Promise.all([...replicas].map((r) => r.stop()));
}

function collect(child: ChildProcess): { stdout(): string; stderr(): string } {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return { stdout: () => stdout, stderr: () => stderr };
}

function exited(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve([child.exitCode, child.signalCode]);
    child.once('close', (code, signal) => resolve([code, signal]));
  });
}

// ---- PostgreSQL stopped and started without blocking the event loop ----

/**
 * pg_ctl as a child process that does not block this one (PgCluster.stop() and start() are
 * synchronous, which would pause every request a test has in flight): the load keeps running
 * while PostgreSQL goes down and comes back.
 */
function pgCtlAsync(args: string[]): Promise<void> {
  const pgCtl = path.join(postgresBinDir(), 'pg_ctl');
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', pgCtl, ...args]] : [pgCtl, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = collect(child);
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${args[0]} failed (${code}): ${out.stderr()}${out.stdout()}`))));
  });
}

/**
 * Stops the server and resolves once it has gone: 'fast' disconnects clients and keeps committed
 * work; 'immediate' is as after a crash (no checkpoint; WAL recovery at the next start).
 */
export function stopClusterAsync(cluster: PgCluster, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  return pgCtlAsync(['stop', '-D', cluster.dataDir, '-m', mode, '-w']);
}

/**
 * Starts a cluster that stopClusterAsync stopped, with the options of its last start (pg_ctl
 * restart reads them from postmaster.opts and starts a server that is not running); resolves once
 * it accepts connections. The PgCluster object still counts it as running, which it is again.
 */
export function startClusterAsync(cluster: PgCluster): Promise<void> {
  return pgCtlAsync(['restart', '-D', cluster.dataDir, '-l', cluster.logFile, '-w', '-t', '60']);
}

// ---- a small JSON client ----

/** One connection pool for the tests' requests; short keep-alive so that a killed replica's sockets go quickly. */
export const dispatcher = new Agent({ keepAliveTimeout: 2_000, connections: 32 });

export interface Reply<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  /** The raw body text (for problem documents and leak checks). */
  text: string;
}

/** One request; throws only when no HTTP answer came (refused, reset, timed out). */
export async function call<T = unknown>(
  base: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  pathname: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const h: Record<string, string> = { authorization: `Bearer ${token}`, ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await request(`${base}${pathname}`, {
    method,
    headers: h,
    dispatcher,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const text = await res.body.text();
  let parsed: unknown = undefined;
  if (text && /json/.test(String(res.headers['content-type']))) parsed = JSON.parse(text);
  return { status: res.statusCode, headers: res.headers, body: parsed as T, text };
}

/** Whether an error thrown by `call` means the connection failed (the load balancer's cue to retry elsewhere). */
export function isConnectionFailure(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'UND_ERR_CLOSED' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  );
}
