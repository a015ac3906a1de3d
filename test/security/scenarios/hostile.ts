// Hostile input: fast-check throws random and malicious names, keys, values, JSON shapes,
// encodings, header values and sizes at every route of the live route table, and at the raw
// socket. Never a 5xx, never a hang, never a changed secret after a refused request.

import fc from 'fast-check';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretValue } from '../../../protocol/names';
import { tally } from '../helpers/ledger';
import { call, openEvents, type Reply } from '../helpers/http';
import { sentinel } from '../helpers/leakwatch';
import { routeTable, type Route } from '../helpers/routes';
import { accountSnapshot } from '../helpers/snapshot';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

const RUNS_PER_ROUTE = Number(process.env.SECURITY_FUZZ_RUNS_PER_ROUTE ?? 80);
const ROUND_TRIP_RUNS = Number(process.env.SECURITY_FUZZ_ROUND_TRIPS ?? 300);
const SOCKET_RUNS = Number(process.env.SECURITY_FUZZ_SOCKET_RUNS ?? 250);
const SEED = process.env.SECURITY_FUZZ_SEED ? Number(process.env.SECURITY_FUZZ_SEED) : undefined;
const fcParams = (numRuns: number) => ({ numRuns, endOnFailure: true, ...(SEED !== undefined ? { seed: SEED } : {}) });

const CANARIES: { name: string; value: SecretValue }[] = [
  { name: 'canary_single', value: '' },
  { name: 'canary_kv', value: {} },
  { name: 'CANARY_UPPER_LOOKALIKE', value: '' },
];

// ---- arbitraries ----

const nasty = fc.constantFrom(
  '', ' ', '\u0000', '\r\n', '\r\nX-Injected: 1', '\u202e', '\ufeff', '\ud800', '\udfff', '\u0130', '\u017f', 'ǅ', '😀', '\u200b',
  '..', '../..', '%2e%2e%2f', '%00', '%', '%zz', '%E0%A4%A', '/', '\\', '?', '#', '&', '=', ';', '*', '"', "'", '`', '<script>',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'null', 'undefined', 'NaN', '1e309', '-0',
  "'; DROP TABLE secrets; --", '$ne', '{"$gt":""}', 'a'.repeat(65), 'A'.repeat(64), 'x'.repeat(4096),
);
const hostileString = fc
  .array(fc.oneof({ arbitrary: nasty, weight: 2 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 3 }, { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), weight: 3 }), { maxLength: 6 })
  .map((parts) => parts.join(''));
const validName = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/);
const secretName = fc.oneof(validName, fc.constantFrom(...CANARIES.map((c) => c.name)), hostileString);
const agentId = fc.oneof(fc.constantFrom('fuzz-agent', 'fuzz-other', 'missing-agent'), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/), hostileString);
const key = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,10}$/), hostileString);
/** Every value carries a sentinel, so that the leak search at the end finds any copy of it. */
const valueText = fc.oneof(
  { arbitrary: hostileString.map((s) => sentinel() + s), weight: 6 },
  { arbitrary: fc.constantFrom(64 * 1024 - 20, 64 * 1024 + 1, 70_000).map((n) => sentinel() + 'v'.repeat(n)), weight: 1 },
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: valueText, weight: 4 },
  { arbitrary: fc.dictionary(key, valueText, { maxKeys: 6 }), weight: 3 },
  { arbitrary: fc.dictionary(key, valueText, { minKeys: 101, maxKeys: 103 }), weight: 1 },
  { arbitrary: fc.constantFrom('', {}, null, 0, true, [], ['x'], { a: 1 }, { a: { b: 'c' } }, { a: '' }), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);
const jsonBody = fc.oneof(
  { arbitrary: fc.record({ name: secretName, value, description: fc.oneof(hostileString, fc.constant('d'.repeat(501))), agents: fc.oneof(fc.array(agentId, { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }), weight: 6 },
  { arbitrary: fc.record({ id: agentId, name: hostileString, description: hostileString, role: fc.constantFrom('admin', 'developer', 'root', ''), extra: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 2 },
);
const rawBody = fc.oneof(
  fc.constantFrom('{', '{"name":', '{"value":"x"', 'null', '[]', '"x"', '\ufeff{}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":1,"a":2}', '['.repeat(20_000), `{"value":"${'\\u'.repeat(3)}"}`),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constant(Buffer.from([0x7b, 0x22, 0x76, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])),
  fc.constantFrom(600 * 1024, 513 * 1024).map((n) => JSON.stringify({ name: 'huge', value: sentinel() + 'h'.repeat(n) })),
);
// Mostly JSON, so that most cases get past the parser to validation and the service.
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/problem+json', 'application/jsonx', '*/*', ''), weight: 3 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);
const headerValue = fc.oneof(hostileString.map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')), fc.constantFrom('"1"', 'W/"1"', '*', '"99999999999999999999"', '1', '"-1"', '"1", "2"', ''));
const query = fc.option(
  fc.oneof(
    fc.constantFrom('?agent=fuzz-agent', '?agent=', '?agent=a&agent=b', '?limit=0', '?limit=501', '?limit=1e3', '?before=-1', '?before=99999999999999999999', '?lastEventId=abc', '?x=1', '?__proto__[a]=1', '?%zz'),
    hostileString.map((s) => `?agent=${encodeURIComponent(wellFormed(s))}`),
  ),
  { nil: undefined },
);

interface Case {
  who: 'admin' | 'developer' | 'agent' | 'garbage';
  params: string[];
  rawParams: boolean;
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; value: string | Buffer } | { kind: 'none' };
  contentType: string | undefined;
  ifMatch: string | undefined;
  lastEventId: string | undefined;
  query: string | undefined;
}

const caseArb = (route: Route): fc.Arbitrary<Case> =>
  fc.record({
    who: fc.constantFrom('admin', 'admin', 'admin', 'admin', 'developer', 'agent', 'garbage'),
    params: fc.tuple(...route.params.map((p) => (p === 'agent' || (p === 'id' && route.path.startsWith('/v1/agents')) ? agentId : secretName))),
    rawParams: fc.boolean(),
    body: fc.oneof(
      { arbitrary: jsonBody.map((value) => ({ kind: 'json' as const, value })), weight: 6 },
      { arbitrary: rawBody.map((value) => ({ kind: 'raw' as const, value })), weight: 3 },
      { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
    ),
    contentType,
    ifMatch: fc.option(headerValue, { nil: undefined }),
    lastEventId: fc.option(headerValue, { nil: undefined }),
    query,
  });

export function registerHostile(): void {
  describe('hostile input', () => {
    let v: InProcessVault;
    let routes: Route[];
    const tokens: Record<Case['who'], string> = { admin: '', developer: '', agent: '', garbage: `svu_${'G'.repeat(43)}` };

    beforeAll(async () => {
      v = await inProcessVault();
      routes = await routeTable(v.url, v.server.app);
      const api = v.api();
      await api.createAgent({ id: 'fuzz-agent' });
      await api.createAgent({ id: 'fuzz-other' });
      tokens.admin = v.adminKey;
      tokens.developer = (await api.createUserKey({ name: 'fuzz dev', role: 'developer' })).token;
      tokens.agent = (await api.createAgentToken('fuzz-agent')).token;
      await ensureCanaries(v);
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('never answers 5xx, never hangs, never changes anything when it refuses (every route)', async () => {
      let cases = 0;
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      for (const route of routes) {
        let problem = '';
        let shown = '';
        try {
          await fc.assert(
            fc.asyncProperty(caseArb(route), async (c) => {
              cases++;
              await ensureCanaries(v);
              // The fuzz may delete fuzz-agent (and so revoke its token): give it a working one again.
              if (!(await v.vault.auth.authenticate(`Bearer ${tokens.agent}`))) tokens.agent = (await v.api().createAgentToken('fuzz-agent')).token;
              await ensureCanaries(v);
              const before = accountSnapshot(v.vault, v.accountId);
              shown = describeCase(c);
              const reply = await send(v, route, c, tokens).catch((e: unknown) => {
                problem = `request failed: ${(e as Error).message}`;
                throw e;
              });
              statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
              const fail = (m: string) => {
                problem = m;
                throw new Error(m);
              };
              if (reply.status >= 500 || reply.status < 100) fail(`status ${reply.status}: ${reply.text.slice(0, 300)}`);
              if (reply.status >= 400) {
                if (!String(reply.headers['content-type'] ?? '').startsWith('application/problem+json')) fail(`error ${reply.status} without a problem document`);
                if (typeof reply.json?.code !== 'string') fail(`problem without a code: ${reply.text.slice(0, 200)}`);
                if (accountSnapshot(v.vault, v.accountId) !== before) fail(`refused with ${reply.status} but the account changed`);
              }
            }),
            fcParams(RUNS_PER_ROUTE),
          );
        } catch (e) {
          failures.push(`${route.method} ${route.path}: ${problem || (e as Error).message.slice(0, 300)}\n    case: ${shown}`);
        }
      }
      tally('hostile: every route', cases, failures.length, `statuses ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}x${n}`).join(' ')}`);
      expect(failures).toEqual([]);
    }, 900_000);

    it('returns exactly what it accepted, and keeps the old value when it refuses an update', async () => {
      let cases = 0;
      let accepted = 0;
      let n = 0;
      let failed = 0;
      const api = v.api();
      await api.createAgent({ id: 'rt-agent' });
      const agentToken = (await api.createAgentToken('rt-agent')).token;
      try {
        await fc.assert(
          fc.asyncProperty(value, value, async (first, second) => {
            cases++;
            const name = `rt_${n++}`;
            const created = await call(v.url, 'POST', '/v1/secrets', { token: v.adminKey, body: { name, value: first, agents: ['rt-agent'] } });
            if (created.status >= 500) throw new Error(`create: ${created.status} ${created.text}`);
            const read = () => call(v.url, 'GET', `/v1/runtime/secrets/${name}`, { token: agentToken });
            if (created.status !== 201) {
              const r = await read();
              if (r.status !== 403) throw new Error(`refused create (${created.status}) left a readable secret`);
              return;
            }
            accepted++;
            const r1 = await read();
            expect(r1.status).toBe(200);
            expect(r1.json.value).toEqual(first);
            const updated = await call(v.url, 'PATCH', `/v1/secrets/${name}`, { token: v.adminKey, body: { value: second } });
            if (updated.status >= 500) throw new Error(`update: ${updated.status} ${updated.text}`);
            const r2 = await read();
            expect(r2.status).toBe(200);
            expect(r2.json.value).toEqual(updated.status === 200 ? second : first);
          }),
          fcParams(ROUND_TRIP_RUNS),
        );
      } catch (e) {
        failed = 1;
        throw e;
      } finally {
        tally('hostile: value round trip', cases, failed, `${accepted} accepted`);
      }
    }, 300_000);

    it('answers malformed HTTP on the raw socket with a 4xx or a close, never a hang', async () => {
      let cases = 0;
      let failed = 0;
      const { port } = new URL(v.url);
      const line = fc.oneof(
        fc.constantFrom('Authorization: Bearer \u0000', 'Authorization: Bearer ' + 'x'.repeat(70_000), 'Content-Length: -1', 'Content-Length: 10\r\nContent-Length: 12', 'Transfer-Encoding: chunked\r\nContent-Length: 3', 'Host:', 'If-Match: "\u00ff"', 'Last-Event-ID: \u00e9', ': empty-name', 'X\u0000Y: 1', 'Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{"a":'),
        fc.uint8Array({ maxLength: 80 }).map((b) => `X-Fuzz: ${Buffer.from(b).toString('latin1')}`),
        hostileString.map((s) => `Authorization: ${s}`),
      );
      const target = fc.constantFrom('/v1/secrets', '/v1/whoami', '/v1/runtime/env', '/v1/events', '/v1/%zz', '//v1/../v1/secrets', '*', '/v1/secrets/' + 'n'.repeat(10_000));
      try {
        await fc.assert(
          fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'G\u00e9T', 'CONNECT'), target, fc.array(line, { maxLength: 4 }), async (method, path, lines) => {
            cases++;
            const request = Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.map((l) => `${l}\r\n`).join('')}Connection: close\r\n\r\n`, 'latin1');
            const answer = await rawExchange(Number(port), request, 10_000);
            if (answer.hung) throw new Error(`no answer and no close within 10 s for ${JSON.stringify(request.toString('latin1').slice(0, 200))}`);
            const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer.text)?.[1];
            if (status && Number(status) >= 500) throw new Error(`status ${status} for ${JSON.stringify(request.toString('latin1').slice(0, 200))}`);
          }),
          fcParams(SOCKET_RUNS),
        );
      } catch (e) {
        failed = 1;
        throw e;
      } finally {
        tally('hostile: raw HTTP', cases, failed);
      }
    }, 300_000);
  });
}

async function ensureCanaries(v: InProcessVault): Promise<void> {
  // A case may have deleted an agent the canaries need.
  for (const id of ['fuzz-agent', 'fuzz-other']) {
    if (!(await v.vault.store.agents.getAgent(v.accountId, id))) await v.api().createAgent({ id });
  }
  for (const c of CANARIES) {
    const current = await v.vault.store.secrets.getSecret(v.accountId, c.name);
    if (current && current.agents.includes('fuzz-agent')) continue;
    if (!current) {
      c.value = c.name === 'canary_kv' ? { client_id: sentinel(), client_secret: sentinel() } : sentinel();
      // The upper-case look-alike is not a valid name in this account: it must never exist.
      if (c.name === 'CANARY_UPPER_LOOKALIKE') continue;
      await v.api().createSecret({ name: c.name, value: c.value, agents: ['fuzz-agent'] });
    } else {
      await v.api().grant(c.name, 'fuzz-agent');
    }
  }
}

async function send(v: InProcessVault, route: Route, c: Case, tokens: Record<Case['who'], string>): Promise<Reply> {
  let i = 0;
  const path = route.path.replace(/\{\w+\}/g, () => {
    const p = c.params[i++] ?? '';
    // Raw parameters reach the router as typed (stray % and all); the others are encoded as a client would.
    const well = wellFormed(p);
    return c.rawParams ? well.replace(/[\s/?#\u0000-\u001f\u007f-\u{10ffff}]/gu, (ch) => encodeURIComponent(ch)) || '%20' : encodeURIComponent(well) || '%20';
  });
  const headers: Record<string, string> = {};
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  if (c.ifMatch !== undefined) headers['if-match'] = c.ifMatch;
  if (c.lastEventId !== undefined) headers['last-event-id'] = c.lastEventId;
  const token = tokens[c.who];
  const url = path + (c.query ?? '');
  if (route.path === '/v1/events') {
    // A 200 stream never ends by itself: take the status and close it.
    const s = await openEvents(v.url, token, headers, url);
    const text = s.text();
    await s.close();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: s.status, headers: s.headers, text, json };
  }
  const body = c.body.kind === 'json' ? { body: c.body.value } : c.body.kind === 'raw' ? { rawBody: c.body.value } : {};
  return call(v.url, route.method, url, { token, headers, ...body, timeoutMs: 10_000 });
}

/** Lone surrogates cannot be percent-encoded; a client would send U+FFFD instead. */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** A failing case, short enough to read: long strings cut, sentinel-free. */
function describeCase(c: Case): string {
  return JSON.stringify(c, (_k, x: unknown) => {
    if (typeof x === 'string' && x.length > 80) return `${x.slice(0, 60)}…(${x.length})`;
    if (Buffer.isBuffer(x)) return `<${x.length} bytes>`;
    if (x && typeof x === 'object' && (x as { type?: string }).type === 'Buffer') return '<bytes>';
    return x;
  });
}

function rawExchange(port: number, request: Buffer, ms: number): Promise<{ hung: boolean; text: string }> {
  return new Promise((resolve) => {
    let text = '';
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ hung: text === '', text });
    }, ms);
    socket.on('data', (d) => {
      text += d.toString('latin1');
      // An event stream that opened is an answer: stop reading it.
      if (/^HTTP\/1\.[01] 200/.test(text) && text.includes('text/event-stream')) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ hung: false, text });
    });
    socket.write(request);
  });
}
