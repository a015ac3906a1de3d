// The vault's HTTP edge: the failed-authentication limiter never locks out a valid token,
// Host and Origin checks, event streams tied to their token and capped, slow readers and slow
// senders bounded, a per-token run-time read rate, empty JSON bodies, TLS and the plain-HTTP refusal.

import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedAuthLimiter, ReadRateLimiter } from '../../vault/src/auth';
import { checkTransport, openVault, serve, VaultSetupError } from '../../vault/src/vault';
import { openSse } from '../helpers/sse';
import { startTestVault, type TestVault } from '../helpers/vault';
import { selfSignedCert } from '../helpers/tls';


async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The vault with one agent granted one secret, and that agent's token. */
async function withAgent(v: TestVault): Promise<string> {
  const api = v.api();
  await api.createAgent({ id: 'edge-agent' });
  await api.createSecret({ name: 'edge_secret', value: 'edge-value', agents: ['edge-agent'] });
  return (await api.createAgentToken('edge-agent')).token;
}

describe('failed-authentication limiter', () => {
  it('does not count requests without credentials, and never refuses a valid token', async () => {
    // The default limit (20 a minute): the reported attack was 20 plain `curl $URL/v1/secrets`.
    const v = await startTestVault({ limiter: new FailedAuthLimiter() });
    try {
      const agentToken = await withAgent(v);
      for (let i = 0; i < 25; i++) expect((await v.http('GET', '/v1/secrets')).status).toBe(401);
      expect((await v.http('GET', '/v1/whoami', { token: v.adminKey })).status).toBe(200);
      expect((await v.http('GET', '/v1/runtime/secrets/edge_secret', { token: agentToken })).status).toBe(200);
      // A guesser on the same address (127.0.0.1) is throttled; the agent and the admin are not.
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await v.http('GET', '/v1/secrets', { token: `svu_${String(i).padStart(43, 'g')}` })).status);
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
      const guess = await v.http('GET', '/v1/runtime/secrets/edge_secret', { token: `sva_${'q'.repeat(43)}` });
      expect(guess.status).toBe(429);
      expect(guess.json.code).toBe('too_many_requests');
      expect(Number(guess.headers['retry-after'])).toBeGreaterThan(0);
      expect((await v.http('GET', '/v1/whoami', { token: v.adminKey })).status).toBe(200);
      expect((await v.http('GET', '/v1/runtime/secrets/edge_secret', { token: agentToken })).json.value).toBe('edge-value');
    } finally {
      await v.stop();
    }
  });

  it('counts failures per client and per presented-token prefix', () => {
    let t = 0;
    const l = new FailedAuthLimiter(2, 60_000, () => t);
    const fragment = `Bearer svu_leakedAB${'1'.repeat(35)}`;
    // Three clients trying variants of one leaked fragment: the prefix counter throttles the third.
    expect(l.fail('10.0.0.1', fragment)).toBe(0);
    expect(l.fail('10.0.0.2', fragment.replace(/1$/, '2'))).toBe(0);
    expect(l.fail('10.0.0.3', fragment.replace(/1$/, '3'))).toBe(60);
    // Random guesses from many clients are each their own counter.
    expect(l.fail('10.0.0.4', `Bearer svu_${'a'.repeat(43)}`)).toBe(0);
    // One client with different prefixes: its own counter throttles it.
    expect(l.fail('10.0.0.5', `Bearer svu_${'b'.repeat(43)}`)).toBe(0);
    expect(l.fail('10.0.0.5', `Bearer svu_${'c'.repeat(43)}`)).toBe(0);
    expect(l.fail('10.0.0.5', `Bearer svu_${'d'.repeat(43)}`)).toBe(60);
    t = 30_000;
    expect(l.fail('10.0.0.5', `Bearer svu_${'e'.repeat(43)}`)).toBe(30);
    t = 60_000; // the window has passed
    expect(l.fail('10.0.0.5', `Bearer svu_${'f'.repeat(43)}`)).toBe(0);
    // Malformed headers count against their client only, never against a shared "malformed" prefix.
    for (let i = 0; i < 5; i++) expect(l.fail(`10.1.0.${i}`, 'Basic dXNlcjpwYXNz')).toBe(0);
  });
});

describe('Host and Origin', () => {
  let v: TestVault;
  let port: string;
  beforeAll(async () => {
    v = await startTestVault({ serve: { allowedHosts: ['vault.internal'], allowedOrigins: ['https://console.example.com'] } });
    port = new URL(v.url).port;
  });
  afterAll(() => v.stop());

  const get = async (p: string, headers: Record<string, string>, token: string | undefined = v.adminKey) => {
    const res = await request(v.url + p, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    const text = await res.body.text();
    return { status: res.statusCode, type: String(res.headers['content-type']), json: text ? JSON.parse(text) : undefined };
  };

  it('refuses a Host that is not an address the vault serves (DNS rebinding), on every route', async () => {
    for (const p of ['/v1/health', '/v1/whoami', '/v1/secrets', '/v1/runtime/secrets/x', '/v1/no-such-route']) {
      const r = await get(p, { host: `rebind.attacker.example:${port}` });
      expect(r.status, p).toBe(403);
      expect(r.json.code).toBe('host_not_allowed');
      expect(r.type).toContain('application/problem+json');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `vault.internal`, `VAULT.internal:443`, `[::1]:${port}`]) {
      expect((await get('/v1/whoami', { host })).status, host).toBe(200);
    }
  });

  it('refuses requests from web pages unless their origin is allowed', async () => {
    const r = await get('/v1/whoami', { origin: 'http://127.0.0.1:9999' });
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('origin_not_allowed');
    expect((await get('/v1/health', { origin: 'null' })).status).toBe(403);
    // A browser's no-cors GET carries no Origin, but says where it comes from.
    expect((await get('/v1/runtime/secrets/x', { 'sec-fetch-site': 'cross-site' }, undefined)).json.code).toBe('origin_not_allowed');
    expect((await get('/v1/whoami', { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await get('/v1/whoami', { origin: 'https://console.example.com' })).status).toBe(200);
    expect((await get('/v1/whoami', { 'sec-fetch-site': 'none' })).status).toBe(200);
  });
});

describe('event streams', () => {
  it('closes every stream of a key when the key is revoked, at once', async () => {
    // A long re-check interval: only the revocation itself can end the streams in time.
    const v = await startTestVault({ serve: { streams: { recheckMs: 600_000 } } });
    try {
      const dev = await v.api().createUserKey({ name: 'dev', role: 'developer' });
      const other = await v.api().createUserKey({ name: 'other', role: 'developer' });
      const a = await openSse(v.url, dev.token);
      const b = await openSse(v.url, dev.token);
      const keep = await openSse(v.url, other.token);
      for (const s of [a, b, keep]) await s.next(1);
      let ended = 0;
      for (const s of [a, b]) void s.ended.then(() => ended++);
      await v.api().revokeUserKey(dev.id);
      // A change made right after the revocation's answer reaches the other key's stream only.
      await v.api().createSecret({ name: 'after_revoke', value: 'x' });
      await until('both streams of the revoked key to end', () => ended === 2, 5_000);
      expect((await keep.next(1))[0]!.event).toBe('secret.created');
      for (const s of [a, b]) expect(s.events.map((e) => e.event)).toEqual(['ready']);
      keep.close();
      expect((await v.http('GET', '/v1/events', { token: dev.token })).status).toBe(401);
    } finally {
      await v.stop();
    }
  });

  it('closes a stream whose key another vault on the same data folder revoked, by its periodic re-check', async () => {
    const v = await startTestVault({ serve: { streams: { recheckMs: 100 } } });
    const second = await openVault({ dataDir: v.dataDir, env: {} });
    try {
      const dev = await v.api().createUserKey({ name: 'dev', role: 'developer' });
      const sse = await openSse(v.url, dev.token);
      await sse.next(1);
      let ended = false;
      void sse.ended.then(() => (ended = true));
      const admin = await second.auth.authenticate(`Bearer ${v.adminKey}`);
      await second.service.keys.revokeUserKey(admin!, dev.id);
      await until('the stream to end', () => ended, 10_000);
    } finally {
      second.close();
      await v.stop();
    }
  });

  it('caps open streams per token and per account with a 429 problem', async () => {
    const v = await startTestVault({ serve: { streams: { perToken: 2, perAccount: 3 } } });
    try {
      const k1 = await v.api().createUserKey({ name: 'one', role: 'developer' });
      const k2 = await v.api().createUserKey({ name: 'two', role: 'developer' });
      const s1 = await openSse(v.url, k1.token);
      const s2 = await openSse(v.url, k1.token);
      const third = await v.http('GET', '/v1/events', { token: k1.token });
      expect(third.status).toBe(429);
      expect(third.json.code).toBe('too_many_streams');
      expect(third.json.detail).toContain('this token');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      const s3 = await openSse(v.url, k2.token);
      expect(s3.status).toBe(200);
      const fourth = await v.http('GET', '/v1/events', { token: k2.token });
      expect(fourth.status).toBe(429);
      expect(fourth.json.detail).toContain('this account');
      // Closing one frees its place.
      s1.close();
      await s1.ended;
      await until('a place to free up', async () => {
        const again = await openSse(v.url, k1.token);
        if (again.status === 200) again.close();
        return again.status === 200;
      });
      for (const s of [s2, s3]) s.close();
    } finally {
      await v.stop();
    }
  });

  it('drops a stream whose reader does not keep up, instead of buffering without bound', async () => {
    const v = await startTestVault({ serve: { streams: { maxBufferedBytes: 64 * 1024 } } });
    let socket: Socket | undefined;
    try {
      const before = v.vault.bus.subscriberCount;
      socket = connect(Number(new URL(v.url).port), '127.0.0.1');
      await new Promise((r) => socket!.once('connect', r));
      socket.write(`GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${v.adminKey}\r\n\r\n`);
      socket.pause(); // never reads
      await until('the stream to subscribe', () => v.vault.bus.subscriberCount === before + 1);
      // Large events, committed (straight through the store: the API caps descriptions) and
      // published as the service publishes them; a reader that takes none of them.
      const big = 'd'.repeat(64 * 1024);
      await v.api().createSecret({ name: 'big_one', value: 'x' });
      let version = 1;
      let sent = 0;
      for (; sent < 2_000 && v.vault.bus.subscriberCount > before; sent++) {
        const mutation = { now: new Date().toISOString(), audit: { accountId: v.accountId, actor: 'test', actorId: 'key_test', actorType: 'user' as const, action: 'secret.update' as const, target: 'big_one', detail: '' } };
        const r = await v.vault.store.secrets.updateSecret(v.accountId, 'big_one', { expectedVersion: version, description: `${big}${sent}` }, mutation, 'secret.updated');
        if (!r.ok) throw new Error(`update failed: ${r.reason}`);
        version = r.value.version;
        v.vault.bus.publish(v.accountId, r.events);
        if (sent % 50 === 49) await new Promise((r) => setTimeout(r, 5));
      }
      await until('the slow stream to be dropped', () => v.vault.bus.subscriberCount === before);
      // Far fewer than the 2,000 events (128 MB) were needed: the socket's buffers, then the bound.
      expect(sent).toBeLessThan(2_000);
      // The vault still answers, and a fresh stream resumes from an id.
      expect((await openSse(v.url, v.adminKey, String(await v.vault.store.audit.lastEventId(v.accountId)))).status).toBe(200);
    } finally {
      socket?.destroy();
      await v.stop();
    }
  });

  it('keeps answering agents and /v1/health while many streams and a slowloris drip are held open', async () => {
    const v = await startTestVault({
      serve: { streams: { perToken: 5, perAccount: 8 }, server: { maxConnections: 60, headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 } },
    });
    const sockets: Socket[] = [];
    try {
      const agentToken = await withAgent(v);
      const dev = await v.api().createUserKey({ name: 'greedy', role: 'developer' });
      // One key tries 30 streams: 5 are admitted, the rest get 429.
      const attempts = await Promise.all(Array.from({ length: 30 }, () => openSse(v.url, dev.token)));
      const open = attempts.filter((s) => s.status === 200);
      expect(open.length).toBe(5);
      expect(attempts.filter((s) => s.status === 429).length).toBe(25);
      // 20 connections that drip a header byte now and then and never finish (no token at all).
      const port = Number(new URL(v.url).port);
      let closedByServer = 0;
      for (let i = 0; i < 20; i++) {
        const s = connect(port, '127.0.0.1');
        s.on('error', () => {});
        s.on('close', () => closedByServer++);
        sockets.push(s);
      }
      const drip = setInterval(() => {
        for (const s of sockets) if (!s.destroyed) s.write('X');
      }, 100);
      for (const s of sockets) s.write('GET /v1/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      try {
        for (let i = 0; i < 5; i++) {
          expect((await v.http('GET', '/v1/health')).status).toBe(200);
          expect((await v.http('GET', '/v1/runtime/secrets/edge_secret', { token: agentToken })).json.value).toBe('edge-value');
        }
        // headersTimeout ends every drip (the default would keep them 60 s).
        await until('the drips to be closed by the server', () => closedByServer === 20, 15_000);
      } finally {
        clearInterval(drip);
      }
      // The admitted streams are not subject to requestTimeout (2 s): once it has surely passed since
      // they opened, they still receive changes.
      await new Promise((r) => setTimeout(r, 2_500));
      await v.api().createSecret({ name: 'while_held', value: 'x' });
      for (const s of open) expect((await s.next(2)).map((e) => e.event)).toEqual(['ready', 'secret.created']);
      for (const s of open) s.close();
    } finally {
      for (const s of sockets) s.destroy();
      await v.stop();
    }
  });
});

describe('run-time read rate per token', () => {
  it('answers 429 rate_limited with Retry-After past the rate, for that token only, on both run-time routes', async () => {
    const v = await startTestVault({ serve: { readLimiter: new ReadRateLimiter(0.01, 3) } });
    try {
      const token = await withAgent(v);
      const other = (await v.api().createAgentToken('edge-agent')).token;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await v.http('GET', '/v1/runtime/secrets/edge_secret', { token })).status);
      expect(statuses).toEqual([200, 200, 200]);
      const limited = await v.http('GET', '/v1/runtime/secrets/edge_secret', { token });
      expect(limited.status).toBe(429);
      expect(limited.json.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.text).not.toContain('edge-value');
      expect((await v.http('GET', '/v1/runtime/env', { token })).json?.code).toBe('rate_limited');
      expect((await v.http('GET', '/v1/runtime/secrets/edge_secret', { token: other })).json.value).toBe('edge-value');
    } finally {
      await v.stop();
    }
  });

  it('refills at its rate, up to the burst', () => {
    let t = 0;
    const l = new ReadRateLimiter(10, 2, () => t);
    expect([l.take('a'), l.take('a'), l.take('a')]).toEqual([0, 0, 1]);
    t = 100; // one read's worth
    expect([l.take('a'), l.take('a')]).toEqual([0, 1]);
    t = 60_000; // never more than the burst
    expect([l.take('a'), l.take('a'), l.take('a')]).toEqual([0, 0, 1]);
  });
});

describe('request bodies', () => {
  it('accepts content-type: application/json with an empty body where the body is optional', async () => {
    const v = await startTestVault();
    try {
      await withAgent(v);
      const json = { 'content-type': 'application/json' };
      const minted = await v.http('POST', '/v1/agents/edge-agent/tokens', { token: v.adminKey, headers: json, rawBody: '' });
      expect(minted.status).toBe(201);
      expect(minted.json.token).toMatch(/^sva_/);
      await v.api().createAgent({ id: 'second-agent' });
      const granted = await v.http('PUT', '/v1/secrets/edge_secret/access/second-agent', { token: v.adminKey, headers: json, rawBody: '' });
      expect(granted.status).toBe(200);
      expect(granted.json.agents).toContain('second-agent');
      // Where a body is required, an empty one is still a clear 400.
      const create = await v.http('POST', '/v1/secrets', { token: v.adminKey, headers: json, rawBody: '' });
      expect(create.status).toBe(400);
      expect(create.json.code).toBe('bad_request');
    } finally {
      await v.stop();
    }
  });
});

describe('transport', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sv-tls-'));
    selfSignedCert(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS with --tls-cert/--tls-key material', async () => {
    const { readFileSync } = await import('node:fs');
    const cert = readFileSync(path.join(dir, 'cert.pem'));
    const v = await startTestVault({ serve: { tls: { cert, key: readFileSync(path.join(dir, 'key.pem')) } } });
    const dispatcher = new Agent({ connect: { ca: cert } });
    try {
      expect(v.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await request(`${v.url}/v1/whoami`, { headers: { authorization: `Bearer ${v.adminKey}` }, dispatcher });
      expect(res.statusCode).toBe(200);
      expect((await res.body.json()) as object).toMatchObject({ principal: { role: 'admin' } });
      // Plain HTTP to the same port gets no answer from the API.
      await expect(request(v.url.replace('https:', 'http:') + '/v1/health').then((r) => r.body.text())).rejects.toThrow();
    } finally {
      await dispatcher.close();
      await v.stop();
    }
  });

  it('refuses plain HTTP on an address that is not loopback before listening, unless told, with a warning', async () => {
    const v = await startTestVault();
    try {
      // 192.0.2.1 (TEST-NET) is on no interface: had serve() tried to listen, it would fail differently.
      await expect(serve(v.vault, { host: '192.0.2.1', port: 0 })).rejects.toThrow(VaultSetupError);
      await expect(serve(v.vault, { host: '0.0.0.0', port: 0 })).rejects.toThrow(/--tls-cert FILE and --tls-key FILE, or .* --insecure-http/);
      const warnings: string[] = [];
      expect(() => checkTransport('0.0.0.0', { insecureHttp: true, warn: (m) => warnings.push(m) })).not.toThrow();
      expect(warnings.join('')).toContain('plain HTTP');
      expect(() => checkTransport('10.1.2.3', { tls: { cert: 'c', key: 'k' } })).not.toThrow();
      for (const loopback of ['127.0.0.1', '127.8.9.10', '::1', 'localhost']) expect(() => checkTransport(loopback, {})).not.toThrow();
    } finally {
      await v.stop();
    }
  });
});
