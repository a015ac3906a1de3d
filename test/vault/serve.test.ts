// `secrets-vault serve` as a built process: HTTPS from --tls-cert/--tls-key, the refusal of plain
// HTTP on an address that is not loopback (before anything listens), and the edge flags.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initVault } from '../../vault/src/vault';
import { selfSignedCert } from '../helpers/tls';

let cli: string;
let dir: string;
let data: string;
let adminKey: string;

beforeAll(async () => {
  // Bundled as scripts/build.mjs does, into a folder of this file's own (tests run in parallel).
  // Inside the repository (ignored by git) so that packages resolve from node_modules.
  cli = path.resolve('.test-build/serve-test/cli.js');
  await esbuild.build({
    entryPoints: ['vault/src/cli/main.ts'],
    outfile: cli,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  dir = mkdtempSync(path.join(tmpdir(), 'sv-serve-'));
  data = path.join(dir, 'vault');
  const r = await initVault({ dataDir: data, namingStyle: 'snake_case', env: {} });
  adminKey = r.adminKey;
  r.vault.close();
  selfSignedCert(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI; resolves with its URL once it listens, or with its exit when it ends first. */
function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url?: string; code?: number | null; err: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  void exited.then(() => clearTimeout(timer));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve) => {
    child.stderr.on('data', (c) => (err += String(c)));
    child.stdout.on('data', (c) => {
      out += String(c);
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, err, stop });
    });
    void exited.then((code) => resolve({ code, err, stop }));
  });
}

describe('secrets-vault serve', () => {
  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const s = await start(['serve', '--data', data, '--port', '0', '--quiet', '--tls-cert', path.join(dir, 'cert.pem'), '--tls-key', path.join(dir, 'key.pem')]);
    const dispatcher = new Agent({ connect: { ca: readFileSync(path.join(dir, 'cert.pem')) } });
    try {
      expect(s.url, s.err).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await request(`${s.url}/v1/whoami`, { headers: { authorization: `Bearer ${adminKey}` }, dispatcher });
      expect(res.statusCode).toBe(200);
      await res.body.text();
    } finally {
      await dispatcher.close();
      await s.stop();
    }
  });

  it('refuses plain HTTP on an address that is not loopback, saying what to do, before listening', async () => {
    // 192.0.2.1 is on no interface: a listen attempt would fail with EADDRNOTAVAIL instead.
    const s = await start(['serve', '--data', data, '--port', '0', '--host', '192.0.2.1']);
    expect(s.url).toBeUndefined();
    expect(s.code).toBe(1);
    expect(s.err).toContain('Refusing to serve plain HTTP on 192.0.2.1');
    expect(s.err).toContain('--tls-cert FILE and --tls-key FILE');
    expect(s.err).toContain('--insecure-http');
    // A headers timeout above the default request timeout (30 s) is taken, not a Node range error.
    const slow = await start(['serve', '--data', data, '--port', '0', '--quiet', '--headers-timeout', '45']);
    expect(slow.url, slow.err).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await slow.stop();
    const half = await start(['serve', '--data', data, '--port', '0', '--tls-cert', path.join(dir, 'cert.pem')]);
    expect(half.code).toBe(2);
    expect(half.err).toContain('Give both --tls-cert and --tls-key');
  });

  it('takes allowed hosts and origins from flags and the environment', async () => {
    const s = await start(['serve', '--data', data, '--port', '0', '--quiet', '--allowed-host', 'vault.internal', '--max-streams-per-token', '1'], {
      SECRETS_VAULT_ALLOWED_ORIGINS: 'https://console.example.com',
    });
    try {
      expect(s.url, s.err).toBeDefined();
      const get = async (headers: Record<string, string>) => {
        const res = await request(`${s.url}/v1/whoami`, { headers: { authorization: `Bearer ${adminKey}`, ...headers } });
        const text = await res.body.text();
        return { status: res.statusCode, code: text ? (JSON.parse(text) as { code?: string }).code : undefined };
      };
      expect((await get({ host: 'vault.internal' })).status).toBe(200);
      expect(await get({ host: 'other.example' })).toEqual({ status: 403, code: 'host_not_allowed' });
      expect((await get({ origin: 'https://console.example.com' })).status).toBe(200);
      expect(await get({ origin: 'https://evil.example' })).toEqual({ status: 403, code: 'origin_not_allowed' });
      const first = await request(`${s.url}/v1/events`, { headers: { authorization: `Bearer ${adminKey}` } });
      expect(first.statusCode).toBe(200);
      const second = await request(`${s.url}/v1/events`, { headers: { authorization: `Bearer ${adminKey}` } });
      expect(second.statusCode).toBe(429);
      await second.body.text();
      first.body.destroy();
    } finally {
      await s.stop();
    }
  });
});
