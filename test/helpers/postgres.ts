// A real, throwaway PostgreSQL cluster for tests: initdb in a temporary folder, a server on
// 127.0.0.1 at a free port (its Unix socket in the same folder), removed at the end. Never a mock.
//
// As root (CI), initdb and postgres refuse to run, so they run as the `postgres` system user that
// Debian's package creates (runuser); otherwise as the current user. If PostgreSQL cannot start,
// this throws with the reason: the PostgreSQL tests fail, they are never skipped silently.

import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** The cluster's folder: data/ (the database files, WAL included) and log. */
  dir: string;
  dataDir: string;
  logFile: string;
  port: number;
  /** A connection URL for database `db` (the superuser `vault`, trust authentication on 127.0.0.1). */
  url(db?: string): string;
  /** Creates a new, empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  start(): void;
  /** Fast shutdown (clients are disconnected; committed work is kept). */
  stop(): void;
  /** Immediate shutdown, as after a crash: WAL recovery on the next start. */
  crash(): void;
  /** Stops the server (if running) and removes the folder. */
  destroy(): void;
}

/** The folder of initdb, pg_ctl and postgres: `pg_config --bindir`, else Debian's path. */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config on PATH
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const v of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(debian, v, 'bin'));
  }
  const found = candidates.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'pg_ctl')));
  if (!found) {
    throw new Error(
      `PostgreSQL's server binaries (initdb, pg_ctl) were not found (looked in: ${candidates.join(', ') || 'pg_config --bindir, /usr/lib/postgresql/*/bin'}). ` +
        "Install Debian's postgresql package (bash .ci/run does).",
    );
  }
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    throw new Error(`${path.basename(bin)} ${args[0] ?? ''} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || r.stdout || '').trim().slice(-2000)}`);
  }
}

/** Starts a new cluster; `settings` are extra `-c name=value` server settings. */
export async function startCluster(settings: Record<string, string> = {}): Promise<PgCluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-pg-'));
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), 0);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'log');
  run(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'vault', '--no-instructions', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = [
    '-c listen_addresses=127.0.0.1',
    `-p ${port}`,
    `-k ${dir}`,
    '-c max_connections=200',
    '-c logging_collector=off',
    ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
  ].join(' ');
  const pgCtl = path.join(bin, 'pg_ctl');
  let running = false;
  const cluster: PgCluster = {
    dir,
    dataDir,
    logFile,
    port,
    url: (db = 'postgres') => `postgres://vault@127.0.0.1:${port}/${db}`,
    async createDatabase(name = `t_${Math.random().toString(36).slice(2, 10)}`) {
      const c = new pg.Client({ connectionString: cluster.url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return cluster.url(name);
    },
    start() {
      run(pgCtl, ['start', '-D', dataDir, '-o', options, '-l', logFile, '-w', '-t', '60']);
      running = true;
    },
    stop() {
      if (running) run(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w']);
      running = false;
    },
    crash() {
      if (running) run(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
      running = false;
    },
    destroy() {
      try {
        cluster.stop();
      } catch {
        cluster.crash();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    cluster.start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return cluster;
}
