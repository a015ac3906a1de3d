// Starts a real vault for a test: a fresh data folder, the SQLite store (or, with store: 'postgres',
// a fresh database in the run's real PostgreSQL cluster), the HTTP server on 127.0.0.1 with a
// random port, and a log sink the test can search.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { request } from 'undici';
import { VaultApi, VaultApiError } from '../../protocol/client';
import { undiciTransport } from '../../vault/src/cli/remote';
import type { NamingStyle } from '../../protocol/names';
import { FailedAuthLimiter } from '../../vault/src/auth';
import { pgDatabase } from './pg';
import { initVault, serve, type RunningServer, type ServeOptions, type Vault } from '../../vault/src/vault';

export interface TestVault {
  url: string;
  dataDir: string;
  adminKey: string;
  accountId: string;
  vault: Vault;
  server: RunningServer;
  /** Every line the service logged. */
  logs: string[];
  api(token?: string): VaultApi;
  http(method: string, pathname: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any }>;
  stop(): Promise<void>;
}

/** `serve` passes further serve() options (edge limits, allowed hosts, TLS). */
export type TestStoreKind = 'sqlite' | 'postgres';

/** The stores the per-store suites run against. */
export const TEST_STORES: TestStoreKind[] = ['sqlite', 'postgres'];

export async function startTestVault(
  options: {
    naming?: NamingStyle;
    limiter?: FailedAuthLimiter;
    heartbeatMs?: number;
    serve?: Partial<ServeOptions>;
    store?: TestStoreKind;
    /** A PostgreSQL database of the caller's own cluster (the security suite's), instead of `store`'s choice. */
    databaseUrl?: string;
  } = {},
): Promise<TestVault> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sv-test-'));
  const databaseUrl = options.databaseUrl ?? (options.store === 'postgres' ? await pgDatabase() : undefined);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const { vault, account, adminKey } = await initVault({ dataDir, namingStyle: options.naming ?? 'snake_case', env: {}, ...(databaseUrl ? { databaseUrl } : {}) });
  const server = await serve(vault, {
    ...options.serve,
    port: 0,
    logger: { level: 'info', stream: sink },
    limiter: options.limiter ?? new FailedAuthLimiter(1000, 60_000),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  const url = server.url;
  return {
    url,
    dataDir,
    adminKey,
    accountId: account.id,
    vault,
    server,
    logs,
    api: (token = adminKey) => new VaultApi(undiciTransport(url), token),
    async http(method, pathname, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined = o.rawBody;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await request(url + pathname, { method: method as 'GET', headers, body: body ?? null });
      const text = await res.body.text();
      let json: any;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, headers: res.headers as Record<string, string | string[] | undefined>, text, json };
    },
    async stop() {
      await server.close();
      await vault.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The VaultApiError a call fails with (any other outcome fails the test). */
export async function apiFailure(p: Promise<unknown>): Promise<VaultApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VaultApiError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** A run-time read of `secret` as `agent`, with an agent token minted for it (the vault's last read, where it keeps them). */
export async function readAtRunTime(v: TestVault, agent: string, secret: string): Promise<void> {
  const token = (await v.api().createAgentToken(agent)).token;
  await v.api(token).runtimeSecret(secret);
}
