// The built `secrets-vault` CLI, run as a user would: messages, JSON output and exit codes.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChildCli, type CliRun } from '../helpers/childCli';
import { startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
let v: TestVault;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  v = await startTestVault();
});
afterAll(() => v.stop());

function run(args: string[], options: { token?: string; input?: string; url?: string } = {}): Promise<CliRun> {
  return runChildCli(CLI, args, { PATH: process.env.PATH, SECRETS_VAULT_URL: options.url ?? v.url, SECRETS_VAULT_TOKEN: options.token ?? v.adminKey }, options.input);
}

describe('secrets-vault CLI', () => {
  it('init makes the data folder, a 0600 key file and prints an admin key once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-cli-'));
    try {
      const data = path.join(dir, 'vault');
      const r = await run(['init', '--data', data, '--naming', 'UPPER_CASE']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/svu_[A-Za-z0-9_-]{43}/);
      expect(r.out).toContain('UPPER_CASE');
      expect(statSync(path.join(data, 'master.key')).mode & 0o777).toBe(0o600);
      const again = await run(['init', '--data', data]);
      expect(again.code).toBe(1);
      expect(again.err).toContain('already holds a vault');
      expect((await run(['init', '--data', data, '--naming', 'camelCase'])).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('administers agents, secrets and access, reading values from stdin only', async () => {
    expect((await run(['agents', 'create', 'cli-agent', '--description', 'made by the CLI'])).code).toBe(0);
    const created = await run(['--json', 'secrets', 'create', 'cli_secret', '--agent', 'cli-agent', '--description', 'd'], { input: 'from-stdin-value\n' });
    expect(created.code, created.err).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ name: 'cli_secret', kind: 'single', agents: ['cli-agent'], version: 1 });
    expect(created.out).not.toContain('from-stdin-value');
    const kv = await run(['secrets', 'create', 'cli_pairs', '--kv'], { input: '{"client_id":"a","client_secret":"b"}' });
    expect(kv.code, kv.err).toBe(0);
    const badKv = await run(['secrets', 'create', 'cli_bad', '--kv'], { input: 'not json' });
    expect(badKv.code).toBe(2);
    const list = await run(['secrets', 'list', '--agent', 'cli-agent']);
    expect(list.out).toContain('cli_secret');
    expect(list.out).not.toContain('cli_pairs');
    expect((await run(['access', 'set', 'cli_pairs', 'cli-agent'])).out).toContain('granted to cli-agent');
    expect((await run(['access', 'revoke', 'cli_pairs', 'cli-agent'])).out).toContain('no agent');
    const token = JSON.parse((await run(['--json', 'agents', 'token', 'cli-agent'])).out).token as string;
    const read = await run(['runtime', 'get', 'cli_secret'], { token });
    expect(read.out.trim()).toBe('from-stdin-value');
    expect((await run(['runtime', 'env'], { token })).out).toContain('cli_secret="from-stdin-value"');
    expect((await run(['secrets', 'delete', 'cli_pairs'])).code).toBe(2); // no confirmation without a terminal
    expect((await run(['secrets', 'delete', 'cli_pairs', '--yes'])).code).toBe(0);
    expect((await run(['audit', '--limit', '3'])).out).toContain('secret.delete');
  });

  it('exits with documented codes and clear messages', async () => {
    // Any printable name is valid; one that ends in a space is not, and the vault says so.
    const invalid = await run(['secrets', 'create', 'Not Valid '], { input: 'x' });
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('Invalid name');
    const stale = await run(['secrets', 'update', 'cli_secret', '--description', 'x', '--if-match', '99']);
    expect(stale.code).toBe(5);
    expect(stale.err).toContain('changed since you read it');
    const unreachable = await run(['whoami'], { url: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(3);
    expect(unreachable.err).toContain('Could not reach the vault');
    const unauthorized = await run(['whoami'], { token: `svu_${'b'.repeat(43)}` });
    expect(unauthorized.code).toBe(4);
    const dev = JSON.parse((await run(['--json', 'keys', 'create', 'dev', '--role', 'developer'])).out).token as string;
    const forbidden = await run(['agents', 'create', 'nope'], { token: dev });
    expect(forbidden.code).toBe(4);
    expect(forbidden.err).toContain('Only admins');
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['--help'])).code).toBe(0);
    // a value is never accepted on the command line
    expect((await run(['secrets', 'create', 'argv_value', '--value', 'oops'])).code).toBe(2);
  });

  it('demo seeds, serves, and stops on Ctrl+C', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-demo-'));
    // A database URL exported for a real deployment is not the demo's: it stays on SQLite in its folder.
    const env = { ...process.env, SECRETS_VAULT_DATABASE_URL: 'postgres://vault@127.0.0.1:1/not_for_the_demo' };
    const child = spawn(process.execPath, [CLI, 'demo', '--data', path.join(dir, 'demo'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`demo did not start: ${out}`)), 15_000);
        child.stdout.on('data', () => {
          if (out.includes('Press Ctrl+C')) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      const url = /listening on (\S+)/.exec(out)![1]!;
      const admin = /Admin API key:\s+(\S+)/.exec(out)![1]!;
      const list = await run(['--json', 'secrets', 'list', '--agent', 'PROJECT-BK7QF2MA'], { url, token: admin });
      const names = (JSON.parse(list.out) as { name: string }[]).map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(['amadeus_flights', 'hotel_api', 'hotel_mcp_token', 'openai_api_key', 'sendgrid_api_key']));
      expect(names).not.toContain('stripe_api_key');
      // One secret no agent reads always expires soon, so that the demo shows a secret's life.
      const due = JSON.parse((await run(['--json', 'secrets', 'list', '--due'], { url, token: admin })).out) as { name: string; reasons: string[]; expiresAt: string }[];
      expect(due.map((d) => d.name)).toEqual(['slack_webhook_url']);
      expect(due[0]!.reasons.join()).toMatch(/^expires \d{4}-\d\d-\d\d$/);
      const days = (Date.parse(due[0]!.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(4.9);
      expect(days).toBeLessThanOrEqual(5);
      // The key it printed has a name a person recognises in `keys list`, not a timestamp.
      const keys = JSON.parse((await run(['--json', 'keys', 'list'], { url, token: admin })).out) as { name: string; role: string }[];
      expect(keys.filter((k) => k.role === 'admin').map((k) => k.name)).toContain('Demo admin');
      expect(keys.map((k) => k.name).join('\n')).not.toMatch(/\d{4}-\d\d-\d\dT/);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a command over the API starts without the vault server, the stores, the MCP SDK or the YAML parser', async () => {
    // Every command loaded all of them once (0.9 s before anything ran); they load inside the
    // commands that use them. A preload records every CommonJS module the process loaded.
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-cli-load-'));
    try {
      const preload = path.join(dir, 'record.cjs');
      writeFileSync(preload, "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_OUT, Object.keys(require.cache).join('\\n')));\n");
      const loaded = async (args: string[]): Promise<string[]> => {
        const out = path.join(dir, 'loaded.txt');
        const r = await runChildCli('--require', [preload, CLI, ...args], { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey, LOADED_OUT: out });
        expect(r.code, r.err).toBe(0);
        return readFileSync(out, 'utf8').split('\n');
      };
      const heavy = ['fastify', 'pg', 'better-sqlite3', '@modelcontextprotocol', 'zod', 'yaml', '@sinclair', 'vscode-languageserver-protocol'];
      const packagesIn = (files: string[]) => heavy.filter((p) => files.some((f) => f.includes(`${path.sep}node_modules${path.sep}${p}${path.sep}`)));
      const list = await loaded(['--json', 'secrets', 'list']);
      expect(list.some((f) => f.includes(`${path.sep}node_modules${path.sep}undici${path.sep}`)), 'the HTTP client did load').toBe(true);
      expect(packagesIn(list)).toEqual([]);
      expect(packagesIn(await loaded(['--help']))).toEqual([]);
      // What a local command needs still loads, inside it.
      expect(packagesIn(await loaded(['init', '--data', path.join(dir, 'vault')]))).toEqual(expect.arrayContaining(['fastify', 'better-sqlite3', 'pg']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
