// Every endpoint over real HTTP on 127.0.0.1: shapes, roles, validation, preconditions, limits.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFailure, startTestVault, type TestVault, TEST_STORES } from '../helpers/vault';

describe.each(TEST_STORES)('the API on the %s store', (store) => {
  let v: TestVault;
  let developer: string;
  let bookingToken: string;
  let supportToken: string;

  beforeAll(async () => {
    v = await startTestVault({ store });
    const api = v.api();
    await api.createAgent({ id: 'booking-agent', name: 'Booking', description: 'Books trips' });
    await api.createAgent({ id: 'support-agent' });
    developer = (await api.createUserKey({ name: 'dev', role: 'developer' })).token;
    bookingToken = (await api.createAgentToken('booking-agent')).token;
    supportToken = (await api.createAgentToken('support-agent')).token;
  });
  afterAll(() => v.stop());

  describe('health, whoami, openapi', () => {
    it('answers health without a token', async () => {
      const r = await v.http('GET', '/v1/health');
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ status: 'ok', version: expect.any(String) });
    });

    it('tells a user and an agent who they are', async () => {
      const admin = await v.api().whoami();
      expect(admin.account.namingStyle).toBe('snake_case');
      expect(admin.principal).toMatchObject({ type: 'user', role: 'admin', name: 'initial admin' });
      const agent = await v.api(bookingToken).whoami();
      expect(agent.principal).toEqual({ type: 'agent', id: 'booking-agent', name: 'booking-agent' });
    });

    it('serves an OpenAPI document generated from the route schemas', async () => {
      const r = await v.http('GET', '/v1/openapi.json');
      expect(r.status).toBe(200);
      expect(r.json.openapi).toBe('3.1.0');
      const paths = Object.keys(r.json.paths).sort();
      expect(paths).toEqual(
        [
          '/v1/agents',
          '/v1/agents/{id}',
          '/v1/agents/{id}/reads',
          '/v1/agents/{id}/tokens',
          '/v1/agents/{id}/tokens/{tokenId}',
          '/v1/agents/{id}/run-tokens',
          '/v1/agents/{id}/run-tokens/{tokenId}',
          '/v1/account',
          '/v1/audit',
          '/v1/audit/assistant',
          '/v1/events',
          '/v1/health',
          '/v1/keys',
          '/v1/keys/{id}',
          '/v1/runtime/env',
          '/v1/runtime/secrets/{name}',
          '/v1/secrets',
          '/v1/secrets/{name}',
          '/v1/secrets/{name}/access',
          '/v1/secrets/{name}/access/{agent}',
          '/v1/secrets/{name}/versions',
          '/v1/secrets/{name}/rollback',
          '/v1/access-requests',
          '/v1/access-requests/deny',
          '/v1/access-requests/{id}/approve',
          '/v1/access-requests/{id}/deny',
          '/v1/access/changes',
          '/v1/whoami',
        ].sort(),
      );
      // The batch's request and answer are documented: the changes' shape and the one audit record's id.
      const batch = r.json.paths['/v1/access/changes'].post;
      expect(Object.keys(batch.requestBody.content['application/json'].schema.properties.changes.items.properties)).toEqual(['secret', 'agent', 'granted', 'version']);
      expect(batch.responses['200'].content['application/json'].schema.properties.auditId).toBeDefined();
      expect(batch.parameters.map((p: { name: string; in: string }) => `${p.in} ${p.name}`)).toEqual(['header x-secrets-vault-reason']);
      const create = r.json.paths['/v1/secrets'].post;
      expect(create.requestBody.content['application/json'].schema.properties.name).toBeDefined();
      expect(JSON.stringify(r.json.components.schemas)).toContain('SecretMetadata');
    });

    it('answers unknown routes with a problem document', async () => {
      const r = await v.http('GET', '/v1/nope', { token: v.adminKey });
      expect(r.status).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json).toMatchObject({ status: 404, code: 'not_found' });
    });
  });

  describe('authentication', () => {
    it.each([
      ['no header', undefined],
      ['not bearer', 'Basic abc'],
      ['malformed', 'Bearer svu_short'],
      ['unknown', `Bearer svu_${'A'.repeat(43)}`],
    ])('401 for %s', async (_label, header) => {
      const r = await v.http('GET', '/v1/secrets', header ? { headers: { authorization: header } } : {});
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('unauthorized');
    });

    it('401 for a revoked key, at once', async () => {
      const api = v.api();
      const k = await api.createUserKey({ name: 'temp', role: 'developer' });
      expect((await v.api(k.token).listSecrets()).length).toBeGreaterThanOrEqual(0);
      await api.revokeUserKey(k.id);
      expect((await apiFailure(v.api(k.token).listSecrets())).status).toBe(401);
      const keys = await api.listUserKeys();
      expect(keys.find((x) => x.id === k.id)?.revokedAt).toEqual(expect.any(String));
    });

    it('answers 429 with Retry-After to a client that keeps failing, but never to a valid token', async () => {
      const { startTestVault: start } = await import('../helpers/vault');
      const { FailedAuthLimiter } = await import('../../vault/src/auth');
      const strict = await start({ limiter: new FailedAuthLimiter(3, 60_000) });
      try {
        for (let i = 0; i < 3; i++) expect((await strict.http('GET', '/v1/whoami', { token: `svu_${'x'.repeat(43)}` })).status).toBe(401);
        const blocked = await strict.http('GET', '/v1/whoami', { token: `svu_${'z'.repeat(43)}` });
        expect(blocked.status).toBe(429);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
        expect(blocked.json.code).toBe('too_many_requests');
        // The same client with a valid key is not refused.
        expect((await strict.http('GET', '/v1/whoami', { token: strict.adminKey })).status).toBe(200);
        // health stays open: it needs no token
        expect((await strict.http('GET', '/v1/health')).status).toBe(200);
      } finally {
        await strict.stop();
      }
    });

    it('tokens carry their recognisable prefixes', async () => {
      expect(v.adminKey).toMatch(/^svu_[A-Za-z0-9_-]{43}$/);
      expect(bookingToken).toMatch(/^sva_[A-Za-z0-9_-]{43}$/);
    });
  });

  describe('agents', () => {
    it('lists, creates, refuses duplicates and bad ids, deletes and removes from access lists', async () => {
      const api = v.api();
      const a = await api.createAgent({ id: 'temp-agent', description: 'x' });
      expect(a).toMatchObject({ id: 'temp-agent', name: 'temp-agent', description: 'x' });
      expect((await api.listAgents()).map((x) => x.id)).toContain('temp-agent');
      expect((await apiFailure(api.createAgent({ id: 'temp-agent' }))).status).toBe(409);
      const bad = await apiFailure(api.createAgent({ id: 'Bad Agent' }));
      expect(bad.status).toBe(400);
      expect(bad.problem).toMatchObject({ code: 'invalid_name', field: 'id' });

      await api.createSecret({ name: 'temp_secret', value: 'v', agents: ['temp-agent', 'booking-agent'] });
      const token = (await api.createAgentToken('temp-agent')).token;
      await api.deleteAgent('temp-agent');
      const after = await api.getSecret('temp_secret');
      expect(after.agents).toEqual(['booking-agent']);
      expect(after.version).toBe(2);
      // the deleted agent's tokens stop working
      expect((await apiFailure(v.api(token).runtimeSecret('temp_secret'))).status).toBe(401);
      expect((await apiFailure(api.deleteAgent('temp-agent'))).status).toBe(404);
      // the value survived the re-seal for the new version
      expect((await v.api(bookingToken).runtimeSecret('temp_secret')).value).toBe('v');
    });

    it('mints tokens only for existing agents', async () => {
      expect((await apiFailure(v.api().createAgentToken('ghost'))).status).toBe(404);
    });
  });

  describe('secrets', () => {
    it('creates single and key/value secrets and returns metadata only', async () => {
      const api = v.api();
      const s = await api.createSecret({ name: 'stripe_key', description: 'Stripe', value: 'sk_test_abc', agents: ['booking-agent'] });
      expect(s).toEqual({
        name: 'stripe_key',
        description: 'Stripe',
        kind: 'single',
        keys: [],
        agents: ['booking-agent'],
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        updatedBy: 'initial admin',
        // Lifecycle: always sent.
        valueVersion: 1,
        valueUpdatedAt: s.createdAt,
        valueUpdatedBy: 'initial admin',
        expiresAt: null,
        rotationDays: null,
      });
      const kv = await api.createSecret({ name: 'partner_api', value: { client_secret: 's', client_id: 'i' } });
      expect(kv).toMatchObject({ kind: 'kv', keys: ['client_id', 'client_secret'], agents: [] });
      const r = await v.http('GET', '/v1/secrets/stripe_key', { token: v.adminKey });
      expect(r.headers.etag).toBe('"1"');
      expect(r.json).not.toHaveProperty('value');
    });

    it('filters the list by agent', async () => {
      const all = await v.api(developer).listSecrets();
      const booking = await v.api(developer).listSecrets('booking-agent');
      expect(all.length).toBeGreaterThan(booking.length);
      expect(booking.every((s) => s.agents.includes('booking-agent'))).toBe(true);
    });

    it('validates names against the account style, values and sizes', async () => {
      const api = v.api();
      // snake_case is advice in a get_secret account, but a case twin of an existing name is one name (409, naming it).
      const upper = await apiFailure(api.createSecret({ name: 'STRIPE_KEY', value: 'x' }));
      expect(upper.problem).toMatchObject({ status: 409, code: 'conflict', field: 'name' });
      expect(upper.problem.detail).toContain("'stripe_key' already exists");
      expect((await api.createSecret({ name: '1abc', value: 'x' })).name).toBe('1abc');
      expect((await apiFailure(api.createSecret({ name: ' lead', value: 'x' }))).problem).toMatchObject({ status: 400, code: 'invalid_name', field: 'name' });
      expect((await apiFailure(api.createSecret({ name: 'a'.repeat(129), value: 'x' }))).status).toBe(400);
      expect((await apiFailure(api.createSecret({ name: 'empty_value', value: '' }))).problem).toMatchObject({ code: 'invalid_value', field: 'value' });
      expect((await apiFailure(api.createSecret({ name: 'no_pairs', value: {} }))).problem.code).toBe('invalid_value');
      expect((await apiFailure(api.createSecret({ name: 'bad_key', value: { 'has space': 'x' } }))).problem).toMatchObject({
        code: 'invalid_value',
        field: 'value.has space',
      });
      const pairs: Record<string, string> = {};
      for (let i = 0; i < 101; i++) pairs[`k${i}`] = 'v';
      expect((await apiFailure(api.createSecret({ name: 'too_many', value: pairs }))).status).toBe(400);
      expect((await apiFailure(api.createSecret({ name: 'desc', value: 'x', description: 'd'.repeat(501) }))).status).toBe(400);
      expect((await apiFailure(api.createSecret({ name: 'ghost_agent', value: 'x', agents: ['ghost'] }))).problem).toMatchObject({
        status: 400,
        field: 'agents',
      });
    });

    it('refuses values over 64 KiB and bodies over the limit with 413', async () => {
      const api = v.api();
      const big = await apiFailure(api.createSecret({ name: 'big_value', value: 'x'.repeat(64 * 1024 + 1) }));
      expect(big.problem).toMatchObject({ status: 413, code: 'payload_too_large' });
      // 64 KiB exactly is fine
      await api.createSecret({ name: 'max_value', value: 'x'.repeat(64 * 1024) });
      // many pairs that add up to more than 64 KiB
      const pairs: Record<string, string> = {};
      for (let i = 0; i < 10; i++) pairs[`k${i}`] = 'y'.repeat(7000);
      expect((await apiFailure(api.createSecret({ name: 'big_pairs', value: pairs }))).status).toBe(413);
      const huge = await v.http('POST', '/v1/secrets', { token: v.adminKey, rawBody: `{"name":"x","value":"${'z'.repeat(600 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
      expect(huge.status).toBe(413);
      expect(huge.json.code).toBe('payload_too_large');
    });

    it('rejects malformed bodies, unknown fields and other media types', async () => {
      const bad = await v.http('POST', '/v1/secrets', { token: v.adminKey, rawBody: '{"name": ', headers: { 'content-type': 'application/json' } });
      expect(bad.status).toBe(400);
      expect(bad.json.code).toBe('bad_request');
      const extra = await v.http('POST', '/v1/secrets', { token: v.adminKey, body: { name: 'extra', value: 'x', admin: true } });
      expect(extra.status).toBe(400);
      const media = await v.http('POST', '/v1/secrets', { token: v.adminKey, rawBody: 'name=x', headers: { 'content-type': 'text/plain' } });
      expect(media.status).toBe(415);
      const number = await v.http('POST', '/v1/secrets', { token: v.adminKey, body: { name: 'numeric', value: 12345 } });
      expect(number.status).toBe(400);
    });

    it('updates: a missing value keeps the stored one; If-Match guards against lost updates', async () => {
      const api = v.api();
      await api.createSecret({ name: 'rotating', value: 'first', agents: ['booking-agent'] });
      const u1 = await api.updateSecret('rotating', { description: 'now described' });
      expect(u1).toMatchObject({ version: 2, description: 'now described', kind: 'single' });
      expect((await v.api(bookingToken).runtimeSecret('rotating')).value).toBe('first');
      const u2 = await api.updateSecret('rotating', { value: { a: '1' } }, 2);
      expect(u2).toMatchObject({ version: 3, kind: 'kv', keys: ['a'] });
      expect((await v.api(bookingToken).runtimeSecret('rotating')).value).toEqual({ a: '1' });
      const stale = await apiFailure(api.updateSecret('rotating', { value: 'lost' }, 2));
      expect(stale.problem).toMatchObject({ status: 412, code: 'precondition_failed', currentVersion: 3 });
      expect((await v.api(bookingToken).runtimeSecret('rotating')).value).toEqual({ a: '1' });
      expect((await apiFailure(api.updateSecret('rotating', {}))).status).toBe(400);
      expect((await apiFailure(api.updateSecret('missing_secret', { description: 'x' }))).status).toBe(404);
      const badHeader = await v.http('PATCH', '/v1/secrets/rotating', { token: v.adminKey, body: { description: 'x' }, headers: { 'if-match': 'yesterday' } });
      expect(badHeader.status).toBe(400);
    });

    it('deletes with an optional If-Match', async () => {
      const api = v.api();
      await api.createSecret({ name: 'doomed', value: 'x' });
      expect((await apiFailure(api.deleteSecret('doomed', 7))).status).toBe(412);
      await api.deleteSecret('doomed', 1);
      expect((await apiFailure(api.getSecret('doomed'))).status).toBe(404);
      expect((await apiFailure(api.deleteSecret('doomed'))).status).toBe(404);
    });

    it('concurrent creates of one name give exactly one 201', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => v.http('POST', '/v1/secrets', { token: v.adminKey, body: { name: 'raced', value: `v${i}` } })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    });

    it('parallel updates with the same If-Match have exactly one winner', async () => {
      const api = v.api();
      await api.createSecret({ name: 'contended', value: 'x' });
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          v.http('PATCH', '/v1/secrets/contended', { token: v.adminKey, body: { description: `d${i}` }, headers: { 'if-match': '"1"' } }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 412)).toHaveLength(7);
      expect((await api.getSecret('contended')).version).toBe(2);
    });
  });

  describe('access', () => {
    it('replaces the list with If-Match (required), grants and revokes idempotently', async () => {
      const api = v.api();
      const s = await api.createSecret({ name: 'shared_key', value: 'x' });
      const noMatch = await v.http('PUT', '/v1/secrets/shared_key/access', { token: v.adminKey, body: { agents: ['booking-agent'] } });
      expect(noMatch.status).toBe(428);
      const replaced = await api.replaceAccess('shared_key', ['support-agent', 'booking-agent', 'booking-agent'], s.version);
      expect(replaced).toMatchObject({ agents: ['booking-agent', 'support-agent'], version: 2 });
      expect((await apiFailure(api.replaceAccess('shared_key', [], 1))).status).toBe(412);
      const revoked = await api.revoke('shared_key', 'support-agent');
      expect(revoked).toMatchObject({ agents: ['booking-agent'], version: 3 });
      const again = await api.revoke('shared_key', 'support-agent');
      expect(again.version).toBe(3);
      const granted = await api.grant('shared_key', 'support-agent');
      expect(granted).toMatchObject({ agents: ['booking-agent', 'support-agent'], version: 4 });
      expect((await api.grant('shared_key', 'support-agent')).version).toBe(4);
      expect((await apiFailure(api.grant('shared_key', 'ghost'))).status).toBe(404);
      expect((await apiFailure(api.grant('no_such_secret', 'support-agent'))).status).toBe(404);
      expect((await apiFailure(api.replaceAccess('shared_key', ['ghost'], 4))).status).toBe(400);
      // the value is intact after the re-seals for each version
      expect((await v.api(supportToken).runtimeSecret('shared_key')).value).toBe('x');
    });

    it('an access change takes effect immediately at run time', async () => {
      const api = v.api();
      await api.createSecret({ name: 'instant', value: 'now', agents: ['support-agent'] });
      expect((await v.api(supportToken).runtimeSecret('instant')).value).toBe('now');
      await api.revoke('instant', 'support-agent');
      expect((await apiFailure(v.api(supportToken).runtimeSecret('instant'))).status).toBe(403);
    });
  });

  describe('run time', () => {
    it('returns a string or a dict, as get_secret does', async () => {
      const api = v.api();
      await api.createSecret({ name: 'rt_single', value: 'abc', agents: ['booking-agent'] });
      await api.createSecret({ name: 'rt_pairs', value: { user: 'u', pass: 'p' }, agents: ['booking-agent'] });
      expect(await v.api(bookingToken).runtimeSecret('rt_single')).toEqual({ name: 'rt_single', value: 'abc' });
      expect(await v.api(bookingToken).runtimeSecret('rt_pairs')).toEqual({ name: 'rt_pairs', value: { pass: 'p', user: 'u' } });
      const r = await v.http('GET', '/v1/runtime/secrets/rt_single', { token: bookingToken });
      expect(r.headers['cache-control']).toBe('no-store');
    });

    it('gives the same 403 for a missing and an ungranted secret', async () => {
      await v.api().createSecret({ name: 'not_for_support', value: 'x', agents: ['booking-agent'] });
      const missing = await v.http('GET', '/v1/runtime/secrets/never_existed', { token: supportToken });
      const ungranted = await v.http('GET', '/v1/runtime/secrets/not_for_support', { token: supportToken });
      expect(missing.status).toBe(403);
      expect(ungranted.status).toBe(403);
      const strip = (t: string) => t.replace(/never_existed|not_for_support/g, 'NAME');
      expect(strip(missing.text)).toBe(strip(ungranted.text));
    });

    it('returns the environment map of granted single values', async () => {
      const env = await v.api(bookingToken).runtimeEnv();
      expect(env.env.rt_single).toBe('abc');
      expect(env.env).not.toHaveProperty('rt_pairs');
      expect(Object.keys(env.env)).not.toContain('not_for_support_x');
    });
  });

  describe('roles', () => {
    it('developers read metadata and agents but change nothing', async () => {
      const dev = v.api(developer);
      expect((await dev.listSecrets()).length).toBeGreaterThan(0);
      expect((await dev.listAgents()).length).toBeGreaterThan(0);
      expect((await dev.getSecret('stripe_key')).name).toBe('stripe_key');
      for (const call of [
        () => dev.createSecret({ name: 'dev_made', value: 'x' }),
        () => dev.updateSecret('stripe_key', { description: 'x' }),
        () => dev.deleteSecret('stripe_key'),
        () => dev.grant('stripe_key', 'support-agent'),
        () => dev.revoke('stripe_key', 'booking-agent'),
        () => dev.replaceAccess('stripe_key', [], 1),
        () => dev.createAgent({ id: 'dev-agent' }),
        () => dev.deleteAgent('booking-agent'),
        () => dev.createAgentToken('booking-agent'),
        () => dev.listUserKeys(),
        () => dev.createUserKey({ name: 'x', role: 'admin' }),
        () => dev.audit(),
        () => dev.runtimeSecret('stripe_key'),
        () => dev.runtimeEnv(),
      ]) {
        expect((await apiFailure(call())).status).toBe(403);
      }
    });

    it('agents read only their granted values at run time', async () => {
      const agent = v.api(bookingToken);
      for (const call of [
        () => agent.listSecrets(),
        () => agent.getSecret('stripe_key'),
        () => agent.listAgents(),
        () => agent.audit(),
        () => agent.createSecret({ name: 'agent_made', value: 'x' }),
      ]) {
        expect((await apiFailure(call())).status).toBe(403);
      }
      const events = await v.http('GET', '/v1/events', { token: bookingToken });
      expect(events.status).toBe(403);
    });
  });

  describe('conditional listings', () => {
    it('answers 304 to a matching If-None-Match until something changes', async () => {
      const first = await v.http('GET', '/v1/secrets', { token: v.adminKey });
      const tag = String(first.headers.etag);
      expect(tag).toMatch(/^W\/"ev-acc_[0-9a-f]+-\d+"$/);
      const again = await v.http('GET', '/v1/secrets', { token: v.adminKey, headers: { 'if-none-match': tag } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      const agents = await v.http('GET', '/v1/agents', { token: v.adminKey, headers: { 'if-none-match': tag } });
      expect(agents.status).toBe(304);
      await v.api().createSecret({ name: 'etag_changer', value: 'x' });
      const changed = await v.http('GET', '/v1/secrets', { token: v.adminKey, headers: { 'if-none-match': tag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(tag);
      expect(changed.json.secrets.map((s: { name: string }) => s.name)).toContain('etag_changer');
    });

    it('checks the caller before a 304 as before a listing: an agent token with the current tag gets 403', async () => {
      const tag = String((await v.http('GET', '/v1/secrets', { token: v.adminKey })).headers.etag);
      const agent = await v.http('GET', '/v1/secrets', { token: bookingToken, headers: { 'if-none-match': tag } });
      expect(agent.status).toBe(403);
      expect((await v.http('GET', '/v1/secrets', { token: v.adminKey, headers: { 'if-none-match': tag } })).status).toBe(304);
    });
  });

  describe('agent tokens', () => {
    it('mints a token with no request body at all (the body is optional)', async () => {
      const r = await v.http('POST', '/v1/agents/booking-agent/tokens', { token: v.adminKey });
      expect(r.status).toBe(201);
      expect(r.json.token).toMatch(/^sva_/);
    });
  });

  describe('names in paths', () => {
    // The attack: a run-time read of a name holding a newline, a tab and an ANSI "hide" wrote a
    // forged-looking row into the audit, which `secrets-vault audit` then printed raw.
    const forged = encodeURIComponent('q\nv99\tALICE admin runtime.read stripe_api_key success\x1b[8m');
    const unsafe = /[\u0000-\u001f\u007f-\u009f]/;

    async function auditTexts(): Promise<string[]> {
      const page = await v.api().audit({ limit: 500 });
      return page.records.flatMap((r) => [r.actor, r.action, r.target, r.detail]);
    }

    it('refuses a name valid in neither style with 400 before any lookup, on every route that takes one, and audits none of it', async () => {
      const before = (await v.api().audit({ limit: 500 })).records.length;
      const cases: [string, string, string][] = [
        ['GET', `/v1/runtime/secrets/${forged}`, bookingToken], // the fast path
        ['HEAD', `/v1/runtime/secrets/${forged}`, bookingToken], // fastify's declared route
        ['GET', `/v1/secrets/${forged}`, developer],
        ['PATCH', `/v1/secrets/${forged}`, developer],
        ['DELETE', `/v1/secrets/${forged}`, developer],
        ['PUT', `/v1/secrets/${forged}/access`, developer],
        ['PUT', `/v1/secrets/${forged}/access/booking-agent`, developer],
        ['DELETE', `/v1/secrets/stripe_key/access/${forged}`, developer],
        ['DELETE', `/v1/agents/${forged}`, developer],
        ['POST', `/v1/agents/${forged}/tokens`, developer],
        ['DELETE', `/v1/keys/${forged}`, developer],
        // Spaces and capitals are names now; a space at either end and a bidi control are not.
        ['GET', `/v1/runtime/secrets/${encodeURIComponent(' has space')}`, bookingToken],
        ['GET', `/v1/runtime/secrets/${encodeURIComponent('Mixed\u202eCase')}`, bookingToken],
      ];
      for (const [method, path, token] of cases) {
        const r = await v.http(method, path, { token, ...(method === 'PATCH' || method === 'PUT' ? { body: { agents: [], description: 'x' } } : {}) });
        expect({ method, path, status: r.status }).toEqual({ method, path, status: 400 });
        if (method !== 'HEAD') {
          expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(r.json.code).toMatch(/^(invalid_name|bad_request)$/);
          // The problem never echoes the bad name.
          expect(r.text).not.toContain('ALICE');
        }
      }
      const after = await v.api().audit({ limit: 500 });
      expect(after.records.length).toBe(before); // nothing looked up, nothing recorded
      for (const t of await auditTexts()) expect(t).not.toMatch(unsafe);
    });

    it('keeps the same 403 for a valid missing name and a valid ungranted one (including the other style)', async () => {
      await v.api().createSecret({ name: 'path_check_ungranted', value: 'x' });
      const missing = await v.http('GET', '/v1/runtime/secrets/path_check_missing', { token: bookingToken });
      const ungranted = await v.http('GET', '/v1/runtime/secrets/path_check_ungranted', { token: bookingToken });
      const otherStyle = await v.http('GET', '/v1/runtime/secrets/PATH_CHECK_UNGRANTED', { token: bookingToken });
      for (const r of [missing, ungranted, otherStyle]) expect(r.status).toBe(403);
      const shape = (r: typeof missing, name: string) => ({ ...r.json, detail: String(r.json.detail).replace(name, '<name>') });
      expect(shape(missing, 'path_check_missing')).toEqual(shape(ungranted, 'path_check_ungranted'));
    });

    it('a refused create (developer) is audited with the name it gave, so a name or id with control characters is a 400 first', async () => {
      const before = (await v.api().audit({ limit: 500 })).records.length;
      const dev = v.api(developer);
      const secret = await apiFailure(dev.createSecret({ name: 'q\nv99\tALICE\u001b[8m', value: 'x' }));
      expect(secret.problem).toMatchObject({ status: 400, field: 'name', detail: 'body.name must not contain control or invisible characters (it holds U+000A).' });
      const agent = await apiFailure(dev.createAgent({ id: 'x\u001b]0;t\u0007' }));
      expect(agent.problem).toMatchObject({ status: 400, field: 'id' });
      const after = await v.api().audit({ limit: 500 });
      expect(after.records.length).toBe(before);
      // A well-formed name from a developer is still refused with 403 and audited as denied.
      expect((await apiFailure(dev.createSecret({ name: 'dev_try', value: 'x' }))).status).toBe(403);
      expect((await v.api().audit({ limit: 1 })).records[0]).toMatchObject({ action: 'secret.create', target: 'dev_try', outcome: 'denied' });
    });

    it('refuses control characters in key, token and agent display names (they become audit actors and table cells)', async () => {
      const api = v.api();
      const key = await apiFailure(api.createUserKey({ name: 'evil\u001b[8m', role: 'developer' }));
      expect(key.status).toBe(400);
      expect(key.problem).toMatchObject({ code: 'bad_request', field: 'name', detail: 'body.name must not contain control or invisible characters (it holds U+001B).' });
      expect((await apiFailure(api.createAgentToken('booking-agent', 'line\nbreak'))).status).toBe(400);
      expect((await apiFailure(api.createAgent({ id: 'ctl-agent', name: 'bidi \u202e' }))).status).toBe(400);
      // Ordinary text (spaces, punctuation, non-Latin letters) is still fine.
      expect((await api.createUserKey({ name: 'CI runner — Zürich #2', role: 'developer' })).name).toBe('CI runner — Zürich #2');
    });
  });
});
