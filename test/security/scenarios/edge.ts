// The HTTP edge under attack, its read rate included: the lockout a page of
// another origin or twenty curl lines caused, DNS rebinding in a real Chromium, a revoked key's
// live stream (revoked here and by a second process), a stream flood with a slowloris drip, and a
// busy agent over its read rate. Each attack is replayed as reported; the agent and admin must
// keep working.

import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedAuthLimiter, ReadRateLimiter } from '../../../vault/src/auth';
import { tally } from '../helpers/ledger';
import { call, openEvents } from '../helpers/http';
import { sentinel } from '../helpers/leakwatch';
import { inProcessVault, serveChild, type InProcessVault } from '../helpers/vaults';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An agent granted one secret (a sentinel value, for the leak search) and its token. */
async function agentWithSecret(v: InProcessVault): Promise<{ token: string; value: string }> {
  const api = v.api();
  const value = sentinel();
  await api.createAgent({ id: 'edge-agent' });
  await api.createSecret({ name: 'edge_secret', value, agents: ['edge-agent'] });
  return { token: (await api.createAgentToken('edge-agent')).token, value };
}

/** The agent's run-time read and the admin's whoami, as the reports checked after each attack. */
async function victimsOk(v: InProcessVault, agent: { token: string; value: string }): Promise<number> {
  const read = await call(v.url, 'GET', '/v1/runtime/secrets/edge_secret', { token: agent.token });
  const who = await call(v.url, 'GET', '/v1/whoami', { token: v.adminKey });
  const failures = (read.status === 200 && read.json?.value === agent.value ? 0 : 1) + (who.status === 200 ? 0 : 1);
  expect(read.status).toBe(200);
  expect(who.status).toBe(200);
  return failures;
}

export function registerEdge(): void {
  describe('edge', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        // rebind.test resolves to 127.0.0.1, as an attacker's DNS would answer after rebinding.
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
      });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('a page of another origin and twenty token-less requests lock nobody out', async () => {
      // The default limiter (20 failures a minute), as served.
      const v = await inProcessVault({ limiter: new FailedAuthLimiter() });
      let page: Server | undefined;
      try {
        const agent = await agentWithSecret(v);
        // Twenty `curl $URL/v1/secrets` lines.
        const curls = await Promise.all(Array.from({ length: 20 }, () => call(v.url, 'GET', '/v1/secrets')));
        let failed = curls.filter((r) => r.status !== 401).length;
        failed += await victimsOk(v, agent);
        // A page on a second 127.0.0.1 port fires 25 no-cors fetches (no credentials: it has none)
        // and 25 CORS fetches with a guessed token.
        page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>attacker</title>'));
        await new Promise<void>((r) => page!.listen(0, '127.0.0.1', r));
        const pageUrl = `http://127.0.0.1:${(page.address() as { port: number }).port}/`;
        const tab = await browser.newPage();
        try {
          await tab.goto(pageUrl);
          const outcome = await tab.evaluate(async (vault) => {
            const noCors = await Promise.allSettled(Array.from({ length: 25 }, () => fetch(`${vault}/v1/secrets`, { mode: 'no-cors' })));
            const guessed = await Promise.allSettled(
              Array.from({ length: 25 }, (_, i) => fetch(`${vault}/v1/runtime/secrets/x`, { headers: { authorization: `Bearer sva_${String(i).padStart(43, 'g')}` } })),
            );
            return { noCorsSent: noCors.filter((r) => r.status === 'fulfilled').length, corsRead: guessed.filter((r) => r.status === 'fulfilled').length };
          }, v.url);
          // The no-cors requests reached the vault (opaque answers); no CORS request was readable.
          expect(outcome).toEqual({ noCorsSent: 25, corsRead: 0 });
          if (outcome.noCorsSent !== 25 || outcome.corsRead !== 0) failed++;
        } finally {
          await tab.close();
        }
        failed += await victimsOk(v, agent);
        // What the page's requests got: the vault refuses web pages before authentication.
        const asPage = await call(v.url, 'GET', '/v1/secrets', { headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' } });
        expect(asPage.json?.code).toBe('origin_not_allowed');
        if (asPage.json?.code !== 'origin_not_allowed') failed++;
        tally('edge: lockout by curl and a web page', 20 + 2 + 1 + 2 + 1, failed, '20 curl, 25+25 Chromium fetches; agent and admin unaffected');
      } finally {
        await new Promise<void>((r) => (page ? page.close(() => r()) : r()));
        await v.finish();
      }
    });

    it('a guesser is throttled without locking out the valid tokens on the same address', async () => {
      const v = await inProcessVault({ limiter: new FailedAuthLimiter(10, 60_000) });
      try {
        const agent = await agentWithSecret(v);
        const statuses: number[] = [];
        for (let i = 0; i < 15; i++) statuses.push((await call(v.url, 'GET', '/v1/whoami', { token: `svu_${String(i).padStart(43, 'z')}` })).status);
        const expected = [...Array<number>(10).fill(401), ...Array<number>(5).fill(429)];
        let failed = statuses.filter((s, i) => s !== expected[i]).length;
        expect(statuses).toEqual(expected);
        failed += await victimsOk(v, agent);
        tally('edge: throttled guessing', 15 + 2, failed);
      } finally {
        await v.finish();
      }
    });

    it('DNS rebinding: a page served under another name gets nothing from the vault (Chromium)', async () => {
      const v = await inProcessVault();
      try {
        const port = new URL(v.url).port;
        const tab = await browser.newPage();
        let failed = 0;
        try {
          // The attacker's page, once its name points at 127.0.0.1, is same-origin with the vault's port.
          const nav = await tab.goto(`http://rebind.test:${port}/v1/health`);
          expect(nav?.status()).toBe(403);
          if (nav?.status() !== 403) failed++;
          const read = await tab.evaluate(async () => {
            const r = await fetch('/v1/openapi.json');
            return { status: r.status, code: ((await r.json()) as { code?: string }).code };
          });
          expect(read).toEqual({ status: 403, code: 'host_not_allowed' });
          if (read.code !== 'host_not_allowed') failed++;
        } finally {
          await tab.close();
        }
        // The same requests under the vault's own address are answered.
        const direct = await call(v.url, 'GET', '/v1/health', { headers: { host: `localhost:${port}` } });
        expect(direct.status).toBe(200);
        if (direct.status !== 200) failed++;
        tally('edge: DNS rebinding', 3, failed, 'real Chromium, --host-resolver-rules');
      } finally {
        await v.finish();
      }
    });

    it('a revoked key loses its live streams: revoked here at once, revoked by a second process within the re-check', async () => {
      const v = await inProcessVault({ serve: { streams: { recheckMs: 300 } } });
      // A second process serving the same data folder: the revocation it makes is not seen by this one's service.
      const other = await serveChild(v.dataDir, { quiet: true });
      try {
        const api = v.api();
        const here = await api.createUserKey({ name: 'revoked here', role: 'developer' });
        const there = await api.createUserKey({ name: 'revoked there', role: 'developer' });
        const s1 = await openEvents(v.url, here.token);
        const s2 = await openEvents(v.url, there.token);
        await until('both streams to be ready', () => s1.text().includes('event: ready') && s2.text().includes('event: ready'), 5_000);
        const r1 = await call(v.url, 'DELETE', `/v1/keys/${here.id}`, { token: v.adminKey });
        expect(r1.status).toBe(204);
        const r2 = await call(other.url, 'DELETE', `/v1/keys/${there.id}`, { token: v.adminKey });
        expect(r2.status).toBe(204);
        let failed = (r1.status === 204 ? 0 : 1) + (r2.status === 204 ? 0 : 1);
        try {
          await until('the streams of both revoked keys to end', () => s1.ended() && s2.ended(), 10_000);
        } catch (e) {
          failed += (s1.ended() ? 0 : 1) + (s2.ended() ? 0 : 1);
          tally('edge: revoked key streams', 4, failed);
          throw e;
        }
        // The revoked keys cannot open another.
        const again = await call(v.url, 'GET', '/v1/events', { token: there.token });
        expect(again.status).toBe(401);
        if (again.status !== 401) failed++;
        await s1.close();
        await s2.close();
        tally('edge: revoked key streams', 5, failed, 'revoked in this process and by a second one on the same data');
      } finally {
        await other.stop();
        await v.finish();
      }
    });

    it('a stream flood from one key and a slowloris drip leave agents and /v1/health answered', async () => {
      const v = await inProcessVault({
        serve: { streams: { perToken: 5, perAccount: 20 }, server: { maxConnections: 300, headersTimeoutMs: 1_000, requestTimeoutMs: 3_000 } },
      });
      const drips: Socket[] = [];
      try {
        const agent = await agentWithSecret(v);
        const dev = await v.api().createUserKey({ name: 'greedy', role: 'developer' });
        const attempts = await Promise.all(Array.from({ length: 100 }, () => openEvents(v.url, dev.token)));
        const admitted = attempts.filter((s) => s.status === 200);
        const refused = attempts.filter((s) => s.status === 429);
        let failed = (admitted.length === 5 ? 0 : 1) + (refused.length === 95 ? 0 : 1);
        expect([admitted.length, refused.length]).toEqual([5, 95]);
        const port = Number(new URL(v.url).port);
        let closed = 0;
        for (let i = 0; i < 50; i++) {
          const s = connect(port, '127.0.0.1');
          s.on('error', () => {});
          s.on('close', () => closed++);
          s.write('POST /v1/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Drip: ');
          drips.push(s);
        }
        const timer = setInterval(() => {
          for (const s of drips) if (!s.destroyed) s.write('a');
        }, 100);
        try {
          for (let i = 0; i < 5; i++) {
            const health = await call(v.url, 'GET', '/v1/health', { timeoutMs: 5_000 });
            if (health.status !== 200) failed++;
            failed += await victimsOk(v, agent);
          }
          await until('every drip to be closed by headersTimeout', () => closed === 50, 15_000);
        } finally {
          clearInterval(timer);
        }
        for (const s of admitted) await s.close();
        tally('edge: stream flood and slowloris', 2 + 15 + 1, failed, '100 streams from one key (5 admitted), 50 drips');
      } finally {
        for (const s of drips) s.destroy();
        await v.finish();
      }
    });

    it('a busy agent over its read rate gets 429 rate_limited with Retry-After, others are unaffected', async () => {
      const v = await inProcessVault({ serve: { readLimiter: new ReadRateLimiter(0.01, 20) } });
      try {
        const agent = await agentWithSecret(v);
        const statuses: number[] = [];
        for (let i = 0; i < 25; i++) statuses.push((await call(v.url, 'GET', '/v1/runtime/secrets/edge_secret', { token: agent.token })).status);
        const last = await call(v.url, 'GET', '/v1/runtime/env', { token: agent.token });
        const fresh = (await v.api().createAgentToken('edge-agent')).token;
        const other = await call(v.url, 'GET', '/v1/runtime/secrets/edge_secret', { token: fresh });
        const expected = [...Array<number>(20).fill(200), ...Array<number>(5).fill(429)];
        const failed =
          statuses.filter((s, i) => s !== expected[i]).length +
          (last.json?.code === 'rate_limited' && Number(last.headers['retry-after']) > 0 ? 0 : 1) +
          (other.status === 200 ? 0 : 1);
        expect(statuses).toEqual(expected);
        expect(last.json?.code).toBe('rate_limited');
        expect(other.status).toBe(200);
        tally('edge: run-time read rate', 27, failed);
      } finally {
        await v.finish();
      }
    });
  });
}
