// Runs a built CLI as a child process, asynchronously (a vault under test may run in the calling
// process, where a blocking spawn would deadlock), with a time limit (20 s unless given), feeding
// `input` on stdin.

import { spawn } from 'node:child_process';

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

export function runChildCli(
  cli: string,
  args: string[],
  env: Record<string, string | undefined>,
  input = '',
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, ...(options.cwd ? { cwd: options.cwd } : {}) });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end(input);
  });
}
