import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultConnection, type ChangeReason, type ConnectionState } from '../../client/src/vault/connection';
import { undiciTransport } from '../../client/src/vault/transport';
import type { HttpTransport } from '../../protocol/client';
import { ConditionalFetcher } from '../../client/src/vault/poller';
import { seedDemo } from '../../vault/src/demo';
import { serve } from '../../vault/src/vault';
import { startTestVault, type TestVault } from '../helpers/vault';
import { waitFor } from './wait';

const fastBackoff = { initialMs: 20, maxMs: 100 };

function watch(conn: VaultConnection): { states: ConnectionState[]; changes: ChangeReason[] } {
  const rec = { states: [] as ConnectionState[], changes: [] as ChangeReason[] };
  conn.onDidChangeState((s) => rec.states.push(s));
  conn.onDidChangeMetadata((r) => rec.changes.push(r));
  return rec;
}

describe('the vault connection', () => {
  let tv: TestVault | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await tv?.stop();
    tv = undefined;
  });
  const track = (conn: VaultConnection) => {
    cleanups.push(() => conn.dispose());
    return conn;
  };

  it('without a token, is not signed out where no vault answers (the public health endpoint says which)', async () => {
    const conn = track(new VaultConnection({ url: 'http://127.0.0.1:1', token: undefined }));
    await conn.start();
    expect(conn.state).toMatchObject({ state: 'unreachable', reason: { kind: 'refused' } });
    tv = await startTestVault();
    const signedOut = track(new VaultConnection({ url: tv.url, token: undefined }));
    await signedOut.start();
    expect(signedOut.state).toEqual({ state: 'signed-out' });
  });

  it('kept metadata (another URL’s) stays, stale, where no vault answers, and goes where one asks for a sign-in', async () => {
    tv = await startTestVault();
    const whoami = await tv.api().whoami();
    const kept = { savedAt: '2026-01-01T10:00:00.000Z', whoami, secrets: [], agents: [{ id: 'booking-agent', name: 'Booking agent' }] } as never;
    const dead = track(new VaultConnection({ url: 'http://127.0.0.1:1', token: undefined }));
    dead.seed(kept);
    await dead.start();
    expect(dead.state.state).toBe('unreachable');
    expect(dead.stale).toEqual({ since: '2026-01-01T10:00:00.000Z' });
    expect(dead.metadata.agents.map((a) => a.id)).toEqual(['booking-agent']);
    const answering = track(new VaultConnection({ url: tv.url, token: undefined }));
    answering.seed(kept);
    await answering.start();
    expect(answering.state.state).toBe('signed-out');
    expect(answering.hasMetadata).toBe(false);
    expect(answering.metadata.agents).toEqual([]);
    expect(answering.lastWhoami).toBeUndefined();
  });

  it('connects, loads metadata, goes live, and follows changes made elsewhere', async () => {
    tv = await startTestVault();
    const api = tv.api();
    await api.createAgent({ id: 'booking-agent', name: 'Booking agent' });
    await api.createSecret({ name: 'stripe_api_key', value: 'sk_test_SECRET', agents: ['booking-agent'] });
    const conn = track(new VaultConnection({ url: tv.url, token: tv.adminKey, backoff: fastBackoff }));
    const rec = watch(conn);
    await conn.start();
    expect(conn.state.state).toBe('connected');
    expect(conn.role).toBe('admin');
    expect(conn.namingStyle).toBe('snake_case');
    expect(conn.metadata.secrets.map((s) => s.name)).toEqual(['stripe_api_key']);
    expect(conn.metadata.agents.map((a) => a.id)).toEqual(['booking-agent']);
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live');

    const before = rec.changes.length;
    await api.createSecret({ name: 'hotel_api', value: { api_key: 'k' } });
    await api.grant('hotel_api', 'booking-agent');
    await waitFor(() => conn.metadata.secret('hotel_api')?.agents.includes('booking-agent') === true, 'the grant');
    expect(conn.metadata.secret('hotel_api')).toMatchObject({ kind: 'kv', keys: ['api_key'] });
    await api.deleteSecret('stripe_api_key');
    await api.createAgent({ id: 'support-agent' });
    await waitFor(() => conn.metadata.secret('stripe_api_key') === undefined && conn.metadata.agent('support-agent') !== undefined, 'delete and new agent');
    expect(rec.changes.slice(before).every((r) => r === 'event' || r === 'refresh')).toBe(true);
    expect(rec.changes.slice(before).filter((r) => r === 'event').length).toBeGreaterThanOrEqual(4);
  });

  it("applies a batch of access changes through its own client (one call), and its metadata follows another client's batch by events", async () => {
    tv = await startTestVault();
    const api = tv.api();
    for (const id of ['booking-agent', 'PROJECT-WEVYLLDV']) await api.createAgent({ id });
    await api.createSecret({ name: 'stripe_api_key', value: 'sk_test_SECRET', agents: ['booking-agent'] });
    await api.createSecret({ name: 'Prod API Credentials', value: 'prod-SECRET', agents: [] });
    const conn = track(new VaultConnection({ url: tv.url, token: tv.adminKey, backoff: fastBackoff }));
    await conn.start();
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live');
    // The extension's own client (its undici transport and dispatcher) sends the batch.
    const r = await conn.api.applyAccessChanges(
      [
        { secret: 'stripe_api_key', agent: 'booking-agent', granted: false },
        { secret: 'Prod API Credentials', agent: 'PROJECT-WEVYLLDV', granted: true },
      ],
      'from the editor',
    );
    expect(r.changes.map((c) => c.outcome)).toEqual(['changed', 'changed']);
    await waitFor(() => conn.metadata.secret('Prod API Credentials')?.agents.includes('PROJECT-WEVYLLDV') === true && conn.metadata.secret('stripe_api_key')?.agents.length === 0, 'the batch');
    // Another client's batch (the CLI's access review --apply) reaches the open editor too.
    await api.applyAccessChanges([{ secret: 'stripe_api_key', agent: 'PROJECT-WEVYLLDV', granted: true }]);
    await waitFor(() => conn.metadata.secret('stripe_api_key')?.agents.includes('PROJECT-WEVYLLDV') === true, "the other client's batch");
    expect((await api.audit({ limit: 5 })).records.filter((a) => a.action === 'access.batch').map((a) => a.detail)).toEqual([
      'grant "stripe_api_key" to PROJECT-WEVYLLDV',
      'revoke "stripe_api_key" from booking-agent, grant "Prod API Credentials" to PROJECT-WEVYLLDV; reason: from the editor',
    ]);
  });

  it('says unauthorized for a bad key and does not retry', async () => {
    tv = await startTestVault();
    const conn = track(new VaultConnection({ url: tv.url, token: 'svu_wrong', backoff: fastBackoff }));
    const rec = watch(conn);
    await conn.start();
    expect(conn.state.state).toBe('unauthorized');
    // Several backoff periods later, still no new attempt.
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.states.map((s) => s.state)).toEqual(['unauthorized']);
    expect(conn.metadata.secrets).toEqual([]);
  });

  it('refuses an agent token (forbidden), with a message that names the fix and not the token', async () => {
    tv = await startTestVault();
    const api = tv.api();
    await api.createAgent({ id: 'booking-agent' });
    const { token } = await api.createAgentToken('booking-agent');
    const conn = track(new VaultConnection({ url: tv.url, token, backoff: fastBackoff }));
    await conn.start();
    expect(conn.state.state).toBe('forbidden');
    const message = (conn.state as { message: string }).message;
    expect(message).toContain('user API key');
    expect(message).not.toContain(token);
  });

  it('retries with backoff while the vault is unreachable, and connects when it comes back', async () => {
    tv = await startTestVault();
    const { vault, dataDir, adminKey } = tv;
    const port = Number(new URL(tv.url).port);
    await tv.server.close();
    tv = undefined;
    cleanups.push(() => {
      vault.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    let attempts = 0;
    const log = (m: string) => void (m.includes('Retrying in') && attempts++);
    const conn = track(new VaultConnection({ url: `http://127.0.0.1:${port}`, token: adminKey, backoff: fastBackoff, log }));
    const rec = watch(conn);
    await conn.start();
    expect(conn.state.state).toBe('unreachable');
    expect(conn.state).toMatchObject({ message: `Cannot reach the vault at http://127.0.0.1:${port}: the connection was refused (nothing listens there: the vault is stopped, or the port is wrong).`, reason: { kind: 'refused' } });
    await waitFor(() => attempts >= 3, 'retries');
    // The background's retries say nothing until one ends: the state stays unreachable (the views
    // keep their message and buttons still), it never flashes "connecting".
    expect(rec.states.length).toBeGreaterThan(0);
    expect(rec.states.filter((s) => s.state !== 'unreachable')).toEqual([]);
    const back = await serve(vault, { port });
    cleanups.push(() => back.close());
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'connected again', 15_000);
  });

  it('keeps its metadata through a vault restart and catches up on what changed meanwhile', async () => {
    tv = await startTestVault();
    const { vault, dataDir, adminKey } = tv;
    const port = Number(new URL(tv.url).port);
    await tv.api().createSecret({ name: 'a', value: 'v' });
    const conn = track(new VaultConnection({ url: tv.url, token: adminKey, backoff: fastBackoff }));
    await conn.start();
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live');
    await tv.server.close();
    tv = undefined;
    cleanups.push(() => {
      vault.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    await waitFor(() => conn.state.state !== 'connected' || !conn.state.live, 'the drop');
    expect(conn.metadata.secrets.map((s) => s.name)).toEqual(['a']);
    await conn.retry(); // while down: hurries the stream, starts no second one
    // A change while the editor is away, through another server on the same data.
    const side = await serve(vault, { port: 0 });
    const { VaultApi } = await import('../../protocol/client');
    const { undiciTransport } = await import('../../client/src/vault/transport');
    await new VaultApi(undiciTransport(side.url), adminKey).createSecret({ name: 'b', value: 'v' });
    await side.close();
    const back = await serve(vault, { port });
    cleanups.push(() => back.close());
    await waitFor(() => conn.metadata.secret('b') !== undefined, 'the missed change');
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live again');
    // Retry (the user pressed it) while connected keeps one stream, not two.
    await conn.retry();
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live after retry');
    await waitFor(() => vault.bus.subscriberCount === 1, 'one subscriber');
    expect(vault.bus.subscriberCount).toBe(1);
  });

  it('falls back to polling with conditional requests when the vault has no event stream', async () => {
    tv = await startTestVault();
    const target = new URL(tv.url);
    // A proxy in front of the real vault that hides /v1/events, as an older vault or a strict proxy would.
    const proxy: Server = createServer((req, res) => {
      if (req.url?.startsWith('/v1/events')) {
        res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"title":"Not found","code":"not_found"}');
        return;
      }
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => proxy.close(() => r())));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const logs: string[] = [];
    const conn = track(new VaultConnection({ url, token: tv.adminKey, backoff: fastBackoff, pollIntervalMs: 50, log: (m) => logs.push(m) }));
    const rec = watch(conn);
    await conn.start();
    await waitFor(() => logs.some((l) => l.includes('no event stream')), 'the fallback');
    expect(conn.state).toMatchObject({ state: 'connected', live: false });
    const refreshesBefore = rec.changes.filter((r) => r === 'refresh').length;
    await tv.api().createSecret({ name: 'polled', value: 'v' });
    await waitFor(() => conn.metadata.secret('polled') !== undefined, 'the polled change');
    // Unchanged listings do not count as changes: a few more polls go by without one.
    const after = rec.changes.length;
    const countPolls = () => tv!.logs.filter((l) => l.includes('/v1/secrets')).length;
    const polls = countPolls();
    await waitFor(() => countPolls() >= polls + 3, 'three more polls');
    expect(rec.changes.length).toBe(after);
    expect(rec.changes.filter((r) => r === 'refresh').length).toBeGreaterThan(refreshesBefore);
  });

  it('fetches the listing once at start: the refetch the event stream asks for on opening is answered 304', async () => {
    tv = await startTestVault();
    await seedDemo(tv.api(), 'snake_case');
    const listings: { path: string; status: number; bytes: number }[] = [];
    const inner = undiciTransport(tv.url);
    const transport: HttpTransport = async (req) => {
      const res = await inner(req);
      if (req.path === '/v1/secrets' || req.path === '/v1/agents') listings.push({ path: req.path, status: res.status, bytes: res.text.length });
      return res;
    };
    const conn = track(new VaultConnection({ url: tv.url, token: tv.adminKey, backoff: fastBackoff, transport }));
    const rec = watch(conn);
    await conn.start();
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live');
    // The stream's `ready` asks for a refetch; wait for it to be answered.
    await waitFor(() => listings.filter((l) => l.path === '/v1/secrets').length >= 2, 'the refetch on ready');
    await conn.refresh();
    const secrets = listings.filter((l) => l.path === '/v1/secrets');
    expect(secrets.map((l) => l.status)).toEqual([200, 304, 304]);
    expect(secrets[0]!.bytes).toBeGreaterThan(1000);
    expect(secrets.slice(1).every((l) => l.bytes === 0)).toBe(true);
    // An unchanged refetch is not a change: the views are not rebuilt, nothing is resent.
    expect(rec.changes).toEqual(['connected']);

    // After a change, the next refetch gets a body again.
    await tv.api().createSecret({ name: 'after_start', value: 'v' });
    await waitFor(() => conn.metadata.secret('after_start') !== undefined, 'the event');
    await conn.refresh();
    expect(listings.filter((l) => l.path === '/v1/secrets').at(-1)!.status).toBe(200);
  });

  it('sends the listings with whoami, not after its answer, and keeps nothing of an attempt whoami failed', async () => {
    tv = await startTestVault();
    await seedDemo(tv.api(), 'snake_case');
    const inner = undiciTransport(tv.url);
    const sent: string[] = [];
    const secretsHeaders: Record<string, string>[] = [];
    let listingSent!: () => void;
    const listingOut = new Promise<void>((r) => (listingSent = r));
    let whoamis = 0;
    let listingBeforeAnswer: boolean | undefined;
    const transport: HttpTransport = async (req) => {
      sent.push(req.path);
      if (req.path === '/v1/secrets') {
        secretsHeaders.push(req.headers);
        listingSent();
      }
      if (req.path === '/v1/whoami' && ++whoamis === 1) {
        // The first whoami answers only once the listing has gone out (a listing sent after
        // whoami's answer would never come: the 2 s says so), and then fails as a vault in trouble would.
        listingBeforeAnswer = await Promise.race([listingOut.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 2000))]);
        return { status: 503, headers: { 'content-type': 'application/problem+json' }, text: JSON.stringify({ type: 'about:blank', title: 'Busy', status: 503, code: 'internal' }) };
      }
      return inner(req);
    };
    const conn = track(new VaultConnection({ url: tv.url, token: tv.adminKey, backoff: fastBackoff, transport }));
    await conn.start();
    expect(conn.state.state).toBe('unreachable');
    // The failed attempt's listing (a 200 with its ETag) reached neither the store nor the next attempt.
    expect(conn.hasMetadata).toBe(false);
    await waitFor(() => conn.state.state === 'connected', 'connected after the retry');
    expect(listingBeforeAnswer).toBe(true);
    expect(secretsHeaders.length).toBeGreaterThanOrEqual(2);
    expect(secretsHeaders[1]!['if-none-match']).toBeUndefined();
    expect(conn.metadata.secrets.length).toBeGreaterThan(0);
  });

  it('takes two overlapping fetches of a changed listing as one change (same ETag, same listing)', async () => {
    tv = await startTestVault();
    const fetcher = new ConditionalFetcher(undiciTransport(tv.url), tv.adminKey);
    expect(await fetcher.get('/v1/secrets')).toBeDefined();
    expect(await fetcher.get('/v1/secrets')).toBeUndefined();
    await tv.api().createSecret({ name: 'changed', value: 'v' });
    // Both leave with the old ETag and both get a body; only the first is news.
    const bodies = await Promise.all([fetcher.get('/v1/secrets'), fetcher.get('/v1/secrets')]);
    expect(bodies.filter((b) => b !== undefined)).toHaveLength(1);
    expect(fetcher.notModified).toBe(1);
  });
});
