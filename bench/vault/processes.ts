// Child processes for the vault benches: servers that print `listening on URL`, the built CLI run
// for its JSON output, and the CPU time a process (or a process tree) has used, from /proc.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CLI = path.resolve('dist/vault/cli.js');

export interface Child {
  child: ChildProcess;
  url: string;
}

/** Starts `node args…` and resolves with its URL once it prints `listening on URL`. */
export function startChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`did not start: ${out}`));
    }, 30_000);
    child.stdout!.on('data', (c) => {
      out += String(c);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${out}`));
    });
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Runs the built CLI with `--json` and returns its parsed output; throws with its stderr on failure. */
export function cliJson<T>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  if (!existsSync(CLI)) return Promise.reject(new Error(`${path.relative(process.cwd(), CLI)} is missing: run 'npm run build' first.`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--json', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => (out += String(c)));
    child.stderr!.on('data', (c) => (err += String(c)));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`secrets-vault ${args[0]} exited with ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new Error(`secrets-vault ${args[0]} printed no JSON: ${out.slice(0, 500)}`));
      }
    });
  });
}

/** CPU time (user + system) of each thread of a process so far, in ms, by thread id (the main thread's is the pid); empty without /proc. */
export function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const f = statFields(`${pid}/task/${tid}`);
    if (f) out.set(Number(tid), ((Number(f[11]) + Number(f[12])) * 1000) / 100);
  }
  return out;
}

/** stat(5) of /proc/`which`: a pid, or `pid/task/tid` for one thread. */
function statFields(which: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${which}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): fields[0] is field 3 of stat(5).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, every thread) a process has used so far, in ms; NaN when /proc is not there. */
export function processCpuMs(pid: number): number {
  const f = statFields(pid);
  // utime and stime are fields 14 and 15 of stat(5).
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / 100 : NaN;
}

/**
 * The CPU time of a process and its children (PostgreSQL's backends under the postmaster), in ms:
 * its own, its live children's, and (cutime, cstime) that of the children it has reaped.
 */
export function treeCpuMs(pid: number): number {
  const own = statFields(pid);
  if (!own) return NaN;
  let total = ((Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) * 1000) / 100;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return NaN;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const f = statFields(Number(e));
    // ppid is field 4.
    if (f && Number(f[1]) === pid) total += ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  }
  return total;
}
