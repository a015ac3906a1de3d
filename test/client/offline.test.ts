// The offline copy of the metadata (client/src/core/offlineCache.ts) with a real vault: written from
// a live connection, read back and validated, never holding a value; and a connection that starts
// while the vault is down works from it, marked stale, until reconnecting replaces it.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFileName, cacheProblem, formatSince, readCache, toCache, writeCache } from '../../client/src/core/offlineCache';
import { MetadataSync } from '../../client/src/core/sync';
import { VaultConnection } from '../../client/src/vault/connection';
import { serve } from '../../vault/src/vault';
import { seedDemo } from '../../vault/src/demo';
import { startTestVault, type TestVault } from '../helpers/vault';
import { snapshotInputOf } from './snapshotInput';
import { waitFor } from './wait';
import { formatDate } from '../../protocol/dates';

const fastBackoff = { initialMs: 20, maxMs: 100 };

describe('the offline metadata', () => {
  let tv: TestVault | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await tv?.stop();
    tv = undefined;
  });
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-offline-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const live = async (url: string, token: string) => {
    const conn = new VaultConnection({ url, token, backoff: fastBackoff });
    cleanups.push(() => conn.dispose());
    await conn.start();
    await waitFor(() => conn.state.state === 'connected', 'connected');
    return conn;
  };

  it('round-trips through the file, metadata only, one file per vault and key', async () => {
    tv = await startTestVault();
    const api = tv.api();
    await seedDemo(api, 'snake_case');
    await api.createSecret({ name: 'probe', value: { user: 'VALUE-USER-777', pass: 'VALUE-PASS-888' }, agents: ['PROJECT-BK7QF2MA'] });
    const conn = await live(tv.url, tv.adminKey);
    const dir = tempDir();
    const saved = toCache(tv.url, conn.knownCurrentAt!, conn.lastWhoami!, conn.metadata.secrets, conn.metadata.agents);
    await writeCache(dir, tv.adminKey, saved);

    const read = await readCache(dir, tv.url, tv.adminKey);
    expect(read.problem).toBeUndefined();
    expect(read.cache).toEqual(saved);
    expect(read.cache!.secrets.map((s) => s.name)).toEqual(conn.metadata.secrets.map((s) => s.name));
    expect(read.cache!.whoami.principal).toMatchObject({ type: 'user', role: 'admin' });

    // The file holds neither a value nor the key; its name is a digest of vault URL and key.
    const files = readdirSync(dir);
    expect(files).toEqual([cacheFileName(tv.url, tv.adminKey)]);
    const raw = readFileSync(path.join(dir, files[0]!), 'utf8');
    for (const forbidden of ['VALUE-USER-777', 'VALUE-PASS-888', tv.adminKey]) expect(raw).not.toContain(forbidden);
    expect(files[0]).not.toContain(tv.adminKey.slice(4, 12));

    // Another key (another account, maybe) or another vault finds nothing.
    expect(await readCache(dir, tv.url, 'svu_other')).toEqual({});
    expect(await readCache(dir, 'http://127.0.0.1:9', tv.adminKey)).toEqual({});
  });

  it('refuses a damaged or foreign file with a reason, and uses nothing from it', async () => {
    const dir = tempDir();
    const url = 'http://127.0.0.1:8787';
    const token = 'svu_test';
    const good = toCache(url, new Date().toISOString(), { account: { id: 'a', name: 'A', namingStyle: 'snake_case' }, principal: { type: 'user', id: 'u', name: 'U', role: 'developer' } }, [
      { name: 'k', description: '', kind: 'single', keys: [], agents: ['x'], version: 1, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', updatedBy: 'me' },
    ], [{ id: 'x', name: 'X', description: '', createdAt: '2026-01-01T00:00:00Z' }]);
    expect(cacheProblem(good, url)).toBeUndefined();
    const file = path.join(dir, cacheFileName(url, token));
    const bad: [unknown, string][] = [
      [{ ...good, url: 'http://elsewhere' }, 'written for another vault'],
      [{ ...good, format: 'v0' }, 'unknown format'],
      [{ ...good, savedAt: 'yesterday' }, 'bad savedAt'],
      [{ ...good, secrets: [{ ...good.secrets[0], kind: 'weird' }] }, 'bad secrets'],
      [{ ...good, secrets: [{ ...good.secrets[0], agents: 'x' }] }, 'bad secrets'],
      [{ ...good, agents: [{ id: 1 }] }, 'bad agents'],
      [{ ...good, whoami: { account: {}, principal: {} } }, 'bad whoami'],
      [{ ...good, pendingAccess: [{ secret: 'k' }] }, 'bad pendingAccess'],
      [{ ...good, pendingAccess: 'k' }, 'bad pendingAccess'],
    ];
    for (const [value, reason] of bad) {
      writeFileSync(file, JSON.stringify(value));
      const read = await readCache(dir, url, token);
      expect(read.cache).toBeUndefined();
      expect(read.problem).toContain(reason);
    }
    writeFileSync(file, '{"format": ');
    expect((await readCache(dir, url, token)).problem).toContain('not valid JSON');
  });

  it('starts from the cache while the vault is down, marked stale, and reconnecting replaces it', async () => {
    tv = await startTestVault();
    const { vault, dataDir, adminKey } = tv;
    const port = Number(new URL(tv.url).port);
    const url = `http://127.0.0.1:${port}`;
    await seedDemo(tv.api(), 'snake_case');
    const first = await live(url, adminKey);
    const dir = tempDir();
    await writeCache(dir, adminKey, toCache(url, first.knownCurrentAt!, first.lastWhoami!, first.metadata.secrets, first.metadata.agents));
    const names = first.metadata.secrets.map((s) => s.name);
    await first.dispose();

    // The vault goes away; the editor starts again.
    await tv.server.close();
    tv = undefined;
    cleanups.push(() => {
      vault.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const conn = new VaultConnection({ url, token: adminKey, backoff: fastBackoff });
    cleanups.push(() => conn.dispose());
    const read = await readCache(dir, url, adminKey);
    conn.seed(read.cache!);
    await conn.start();
    expect(conn.state.state).toBe('unreachable');
    expect(conn.fromCache).toBe(true);
    expect(conn.metadata.secrets.map((s) => s.name)).toEqual(names);
    expect(conn.stale).toEqual({ since: read.cache!.savedAt });
    expect(conn.namingStyle).toBe('snake_case');

    // What the language server gets: the cached metadata, unreachable, stale since the save.
    const sync = new MetadataSync();
    const snapshotInput = () => snapshotInputOf(conn);
    const out = sync.next(snapshotInput());
    expect(out?.kind).toBe('snapshot');
    if (out?.kind === 'snapshot') {
      expect(out.snapshot.connection).toBe('unreachable');
      expect(out.snapshot.stale).toEqual({ since: read.cache!.savedAt });
      expect(out.snapshot.secrets.map((s) => s.name)).toEqual(names);
    }

    // While away, a secret is created elsewhere; then the vault comes back.
    const side = await serve(vault, { port: 0 });
    const { VaultApi } = await import('../../protocol/client');
    const { undiciTransport } = await import('../../client/src/vault/transport');
    await new VaultApi(undiciTransport(side.url), adminKey).createSecret({ name: 'made_while_away', value: 'v' });
    await side.close();
    const back = await serve(vault, { port });
    cleanups.push(() => back.close());
    await waitFor(() => conn.state.state === 'connected', 'connected again', 15_000);
    expect(conn.fromCache).toBe(false);
    expect(conn.stale).toBeNull();
    expect(conn.metadata.secret('made_while_away')).toBeDefined();
    const after = sync.next(snapshotInput());
    expect(after?.kind).toBe('delta');
    if (after?.kind === 'delta') {
      expect(after.delta.changes[0]).toEqual({ kind: 'context', connection: 'connected', role: 'admin', stale: null });
      expect(after.delta.changes).toContainEqual({ kind: 'secret', secret: expect.objectContaining({ name: 'made_while_away' }) });
    }
  });

  it("keeps a developer's pending requests, so that offline the problem still says pending; the next listing supersedes them", async () => {
    tv = await startTestVault();
    const { vault, dataDir, adminKey } = tv;
    const port = Number(new URL(tv.url).port);
    const url = `http://127.0.0.1:${port}`;
    const admin = tv.api();
    await seedDemo(admin, 'snake_case');
    const dev = await admin.createUserKey({ name: 'Dana (developer)', role: 'developer' });
    const asked = await tv.api(dev.token).createAccessRequest({ secret: 'stripe_api_key', agent: 'PROJECT-BK7QF2MA', reason: 'for REASON-TEXT-4711' });
    if (asked.outcome !== 'created') throw new Error(`expected a new request, got ${asked.outcome}`);
    const first = await live(url, dev.token);
    await waitFor(() => first.metadata.pendingAccess.length === 1, 'the pending request listed');
    const dir = tempDir();
    await writeCache(dir, dev.token, toCache(url, first.knownCurrentAt!, first.lastWhoami!, first.metadata.secrets, first.metadata.agents, first.metadata.pendingAccess));
    await first.dispose();
    const read = await readCache(dir, url, dev.token);
    expect(read.cache!.pendingAccess).toEqual([{ secret: 'stripe_api_key', agent: 'PROJECT-BK7QF2MA' }]);
    // Nothing of the request but its pair is kept: not its id, not the reason.
    const raw = readFileSync(path.join(dir, cacheFileName(url, dev.token)), 'utf8');
    expect(raw).not.toContain('REASON-TEXT-4711');
    expect(raw).not.toContain(asked.request.id);

    // The vault goes away; the editor starts again from the cache.
    await tv.server.close();
    tv = undefined;
    cleanups.push(() => {
      vault.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const conn = new VaultConnection({ url, token: dev.token, backoff: fastBackoff });
    cleanups.push(() => conn.dispose());
    conn.seed(read.cache!);
    await conn.start();
    expect(conn.state.state).toBe('unreachable');
    expect(conn.metadata.pendingAccess).toEqual([{ secret: 'stripe_api_key', agent: 'PROJECT-BK7QF2MA' }]);
    const sync = new MetadataSync();
    const snapshotInput = () => snapshotInputOf(conn);
    const out = sync.next(snapshotInput());
    expect(out?.kind === 'snapshot' && out.snapshot.pendingAccess).toEqual([{ secret: 'stripe_api_key', agent: 'PROJECT-BK7QF2MA' }]);

    // Meanwhile an admin approves it; when the vault is back, the listing replaces the cached pair.
    const side = await serve(vault, { port: 0 });
    const { VaultApi } = await import('../../protocol/client');
    const { undiciTransport } = await import('../../client/src/vault/transport');
    await new VaultApi(undiciTransport(side.url), adminKey).approveAccessRequest(asked.request.id);
    await side.close();
    const back = await serve(vault, { port });
    cleanups.push(() => back.close());
    await waitFor(() => conn.state.state === 'connected', 'connected again', 15_000);
    expect(conn.metadata.pendingAccess).toEqual([]);
    expect(conn.metadata.secret('stripe_api_key')!.agents).toContain('PROJECT-BK7QF2MA');
    const after = sync.next(snapshotInput());
    expect(after?.kind === 'delta' && after.delta.changes.find((c) => c.kind === 'context')).toMatchObject({ pendingAccess: [] });
  });

  it("keeps an admin's key marks, so that offline the sidebar and secret-in-log follow them", async () => {
    const dir = tempDir();
    const url = 'http://127.0.0.1:8787';
    const token = 'svu_test';
    const base = { description: '', agents: ['x'], version: 2, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', updatedBy: 'me' };
    const cache = toCache(url, new Date().toISOString(), { account: { id: 'a', name: 'A', namingStyle: 'snake_case' }, principal: { type: 'user', id: 'u', name: 'U', role: 'admin' } }, [
      { ...base, name: 'oms_api', kind: 'kv', keys: ['API_KEY', 'BASE_URL'], keySensitivity: { BASE_URL: 'sensitive', API_KEY: 'not-sensitive' } },
      { ...base, name: 'plain', kind: 'kv', keys: ['API_KEY'], keySensitivity: {} },
    ], [{ id: 'x', name: 'X', description: '', createdAt: '2026-01-01T00:00:00Z' }]);
    await writeCache(dir, token, cache);
    const read = await readCache(dir, url, token);
    expect(read.problem).toBeUndefined();
    expect(read.cache?.secrets[0]?.keySensitivity).toEqual({ BASE_URL: 'sensitive', API_KEY: 'not-sensitive' });
    // No marks: no field, as the vault sends it.
    expect(read.cache?.secrets[1]).not.toHaveProperty('keySensitivity');
    // A damaged mark is a damaged file.
    expect(cacheProblem({ ...cache, secrets: [{ ...cache.secrets[0], keySensitivity: { BASE_URL: 'secret' } }] }, url)).toContain('bad secrets');
  });

  it('says since when: the time today, with the date before', () => {
    const now = new Date(2026, 10, 22, 15, 0);
    expect(formatSince(new Date(2026, 10, 22, 14, 2).toISOString(), now)).toBe('14:02');
    // Before today: the one date format (protocol/dates.ts), ISO without a locale, the locale's with one.
    const before = new Date(2026, 10, 21, 9, 5).toISOString();
    expect(formatSince(before, now)).toBe(`${before.slice(0, 16).replace('T', ' ')} UTC`);
    expect(formatSince(before, now)).toBe(formatDate(before, { time: true }));
  });
});
