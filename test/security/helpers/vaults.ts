// Vaults for the suite: in-process ones (the shared test helper, logs captured) and child
// processes running the real CLI bundle (for SIGKILL, restarts and a second process on the same
// files). Every log line and data folder is handed to the leak watch; folders are removed at the end.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FailedAuthLimiter } from '../../../vault/src/auth';
import { initVault, type ServeOptions } from '../../../vault/src/vault';
import type { NamingStyle } from '../../../protocol/names';
import { startTestVault, type TestStoreKind, type TestVault } from '../../helpers/vault';
import { openEvents } from './http';
import { keepLog, watchDataDir, watched } from './leakwatch';
import { suiteDatabase } from './pgcluster';
import { cliBundle as bundleCli } from '../../helpers/cliBundle';


export interface InProcessVault extends TestVault {
  /** Stops the server and closes the database, keeping the folder for the leak search. */
  finish(): Promise<void>;
  /** The PostgreSQL database of a `store: 'postgres'` vault; undefined on SQLite. */
  databaseUrl: string | undefined;
}

const open = new Set<InProcessVault>();

/** `store: 'postgres'` puts the vault in a new database of the suite's own cluster (pgcluster.ts). */
export async function inProcessVault(
  options: { naming?: NamingStyle; limiter?: FailedAuthLimiter; serve?: Partial<ServeOptions>; store?: TestStoreKind } = {},
): Promise<InProcessVault> {
  const databaseUrl = options.store === 'postgres' ? await suiteDatabase() : undefined;
  const v = await startTestVault({
    ...(databaseUrl ? { databaseUrl } : {}),
    limiter: options.limiter ?? new FailedAuthLimiter(1_000_000, 60_000),
    ...(options.naming ? { naming: options.naming } : {}),
    ...(options.serve ? { serve: options.serve } : {}),
  });
  watchDataDir(v.dataDir);
  // Every event of the account, as an editor would see it, goes to the leak search.
  const events = await openEvents(v.url, v.adminKey);
  let finished = false;
  const iv: InProcessVault = {
    ...v,
    databaseUrl,
    async finish() {
      if (finished) return;
      finished = true;
      open.delete(iv);
      await events.close();
      await v.server.close();
      await v.vault.close();
      for (const line of v.logs) keepLog(line);
    },
  };
  open.add(iv);
  return iv;
}

export async function finishAll(): Promise<void> {
  for (const v of [...open]) await v.finish();
}

export function removeDataDirs(): void {
  for (const d of watched().dataDirs) rmSync(d, { recursive: true, force: true });
}

// ---- child processes running dist-like bundle of the CLI ----

/** The CLI bundle these tests run (see test/helpers/cliBundle.ts). */
export function cliBundle(): Promise<string> {
  return bundleCli('security-suite');
}

export interface NewVault {
  dataDir: string;
  adminKey: string;
  accountId: string;
  /** With store 'postgres': the vault's database in the suite's cluster. */
  databaseUrl: string | undefined;
  /** What `serve`, `rotate-key` and the other local commands need besides `--data` to open this vault. */
  storeArgs: string[];
}

/** A vault initialised on disk (SQLite) or in a new database of the suite's cluster ('postgres'), for CLI processes. */
export async function newDataDir(options: { naming?: NamingStyle; env?: NodeJS.ProcessEnv; store?: TestStoreKind } = {}): Promise<NewVault> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sv-sec-'));
  watchDataDir(dataDir);
  const databaseUrl = options.store === 'postgres' ? await suiteDatabase() : undefined;
  const { vault, adminKey, account } = await initVault({
    dataDir,
    namingStyle: options.naming ?? 'snake_case',
    env: options.env ?? {},
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  await vault.close();
  return { dataDir, adminKey, accountId: account.id, databaseUrl, storeArgs: databaseUrl ? ['--database-url', databaseUrl] : [] };
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI command to its end (bounded by `timeoutMs`, then SIGKILL). */
export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ChildRun> {
  return (await startCli(args, options)).done;
}

/** Starts a CLI command; `kill()` sends SIGKILL (for crash tests), `done` settles when it has gone. */
export async function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ done: Promise<ChildRun>; kill(): void; running(): boolean }> {
  const cli = await cliBundle();
  const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = exited(child).then(([code, signal]) => {
    clearTimeout(timer);
    return { code, signal, stdout: out.stdout(), stderr: out.stderr() };
  });
  return {
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

export interface ServingChild {
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGKILL and wait for the process to be gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful stop) and wait. */
  stop(): Promise<void>;
  output(): string;
}

/** Starts `secrets-vault serve --port 0` on a data folder; resolves when it listens, rejects if it exits first. */
export async function serveChild(dataDir: string, options: { env?: NodeJS.ProcessEnv; quiet?: boolean; args?: string[] } = {}): Promise<ServingChild> {
  const cli = await cliBundle();
  const args = [cli, 'serve', '--data', dataDir, '--port', '0', ...(options.quiet ? ['--quiet'] : []), ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = collect(child);
  const exit = exited(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within 20 s:\n${out.stderr()}`));
    }, 20_000);
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
      reject(new ServeExit(code, signal, out.stderr()));
    });
  });
  return {
    url,
    pid: child.pid!,
    child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
    output: () => out.stdout() + out.stderr(),
  };
}

export class ServeExit extends Error {
  constructor(
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderr: string,
  ) {
    super(`serve exited (${code ?? signal}) before listening: ${stderr.trim()}`);
    this.name = 'ServeExit';
  }
}

function collect(child: ChildProcess): { stdout(): string; stderr(): string } {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  // Whatever a child printed is searched for sentinels at the end, once it has gone.
  child.once('close', () => {
    for (const line of (stdout + stderr).split('\n')) if (line) keepLog(line);
  });
  return { stdout: () => stdout, stderr: () => stderr };
}

function exited(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve([child.exitCode, child.signalCode]);
    child.once('close', (code, signal) => resolve([code, signal]));
  });
}
