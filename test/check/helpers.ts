// Helpers for the `secrets-vault check` tests: fresh copies of the fixture projects (with their
// `.gitignore` files put in place and the generated files added) and an asynchronous run of the
// built CLI.

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist/vault/cli.js');
export const FIXTURES = path.join(__dirname, 'fixtures');
export const EXPECTED = path.join(__dirname, 'expected');
export const VERSION: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/** Over the default limit of 1 MiB by a little: the check must skip it, not read it. */
export const HUGE_FILE_BYTES = 1024 * 1024 + 4096;

/**
 * Copies `fixtures/<name>` (and the snapshot files beside it) into a new temporary folder and returns
 * the project's path. `gitignore` files become `.gitignore` (committed under their real name they
 * would hide the fixture files from this repository's git). The huge file and a dependency folder
 * are written here rather than committed.
 */
export function copyProject(name: string): { dir: string; project: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-check-'));
  cpSync(FIXTURES, dir, { recursive: true });
  const project = path.join(dir, name);
  for (const rel of ['gitignore', 'app/sub/gitignore']) {
    const from = path.join(project, rel);
    try {
      renameSync(from, path.join(path.dirname(from), '.gitignore'));
    } catch {
      // this project has no such file
    }
  }
  if (name === 'project') {
    mkdirSync(path.join(project, 'vendor'));
    const line = "// get_secret('in_huge_file')\n";
    writeFileSync(path.join(project, 'vendor/huge.js'), line.repeat(Math.ceil(HUGE_FILE_BYTES / line.length)).slice(0, HUGE_FILE_BYTES));
    mkdirSync(path.join(project, 'node_modules/dep'), { recursive: true });
    writeFileSync(path.join(project, 'node_modules/dep/index.js'), "module.exports = (conv) => conv.utils.get_secret('in_node_modules');\n");
  }
  if (name === 'adk-repo') {
    // Written here rather than committed: git and its hooks flag conflict markers in a repository's own files.
    writeFileSync(path.join(project, 'support/functions/conflicted.py'), CONFLICTED);
  }
  return { dir, project };
}

/** A function as a three-way pull leaves it: both sides' reads, neither to be reported. */
export const CONFLICTED = [
  'from _gen import *  # <AUTO GENERATED>',
  '',
  '',
  'def conflicted(conv: Conversation):',
  '<<<<<<< HEAD',
  '    key = conv.utils.get_secret("stripe_api_key_v2")',
  '=======',
  '    key = conv.utils.get_secret("stripe_api_key_v3")',
  '>>>>>>> origin/main',
  '    return key',
  '',
].join('\n');

export interface RunResult {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the built CLI. Asynchronous on purpose: a vault under test runs in this process, so a blocking
 * spawn would deadlock. The environment holds nothing of ours unless `env` says so.
 */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; uid?: number; gid?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** An expected output, with the tool's version put in. */
export function expected(file: string): string {
  return readFileSync(path.join(EXPECTED, file), 'utf8').replaceAll('<VERSION>', VERSION);
}

export function writeFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
