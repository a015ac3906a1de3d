// Names and agent ids as real accounts have them, through the API over real HTTP on
// both stores: generated names (spaces, quotes, backslashes, %, #, ?, /, .., +, emoji, combining
// marks, right-to-left letters, 128 characters) and Agent Studio ids round-trip exactly through
// every route that takes one, the events and the audit; twins are 409; the characters no name may
// hold are 400 wherever a name or id is taken, and never reach the audit. The typed client
// percent-encodes each path segment (protocol/client.ts pathSegment); the raw requests here send
// paths byte for byte (node:http), as an attacker or another client would.

import fc from 'fast-check';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretValue } from '../../protocol/names';
import type { VaultApi } from '../../protocol/client';
import { agentIdArb, secretNameArb, TRICKY_NAMES } from '../helpers/names';
import { openSse, type SseConnection } from '../helpers/sse';
import { MintRateLimiter } from '../../vault/src/auth';
import { apiFailure, startTestVault, TEST_STORES, type TestVault } from '../helpers/vault';

/** A request with the path exactly as given (undici's request(url) would resolve `..` and `%2E%2E`). */
function raw(v: TestVault, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const u = new URL(v.url);
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        headers: { authorization: `Bearer ${token}`, ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Characters no name or id may hold (bidi controls, zero-width, separators, controls), and names of the wrong shape. */
const REFUSED_NAMES = ['a\u202eb', 'a\u2066b', 'a\u2069', 'x\u200by', 'a\u2028b', 'tab\there', 'nul\u0000', ' lead', 'trail ', 'x'.repeat(129)];
const REFUSED_IDS = ['PROJECT\u202e-X', 'a\u2066b', 'x\u200b', 'has space', '-lead', 'a/b', 'a.b', 'x'.repeat(65)];

for (const store of TEST_STORES) {
  describe(`names and agent ids through the API on the ${store} store`, () => {
    let v: TestVault;
    let api: VaultApi;
    let readerToken: string;
    let developer: VaultApi;
    let sse: SseConnection;

    beforeAll(async () => {
      // Run tokens are minted per generated id: the per-key mint rate is lifted here (it has its own tests).
      v = await startTestVault({ store, serve: { mintLimiter: new MintRateLimiter(1_000_000, 1_000_000) } });
      api = v.api();
      await api.createAgent({ id: 'PROJECT-READER01', name: 'Reader' });
      await api.createAgent({ id: 'booking-agent' });
      readerToken = (await api.createAgentToken('PROJECT-READER01')).token;
      developer = v.api((await api.createUserKey({ name: 'dev', role: 'developer' })).token);
      sse = await openSse(v.url, v.adminKey);
    });
    afterAll(async () => {
      sse.close();
      await v.stop();
    });

    const freshDeveloper = async () => v.api((await api.createUserKey({ name: 'requester', role: 'developer' })).token);

    /** Every route that takes a secret name, with `name`. */
    async function roundTrip(name: string, kv: boolean): Promise<void> {
      const value: SecretValue = kv ? { client_id: 'id-1', client_secret: `names-${name.length}-kv` } : `names-value-${name.length}`;
      const created = await api.createSecret({ name, value, agents: ['PROJECT-READER01'] });
      expect(created.name).toBe(name);
      expect((await api.getSecret(name)).name).toBe(name);
      expect((await api.listSecrets()).filter((s) => s.name === name)).toHaveLength(1);
      expect((await api.listSecrets('PROJECT-READER01')).some((s) => s.name === name)).toBe(true);
      const described = await api.updateSecret(name, { description: 'd' }, created.version);
      expect(described.name).toBe(name);
      expect((await api.grant(name, 'booking-agent')).agents).toEqual(['PROJECT-READER01', 'booking-agent']);
      expect((await api.revoke(name, 'booking-agent')).agents).toEqual(['PROJECT-READER01']);
      const replaced = await api.replaceAccess(name, ['PROJECT-READER01', 'booking-agent'], (await api.getSecret(name)).version);
      expect(replaced.agents).toEqual(['PROJECT-READER01', 'booking-agent']);
      const reader = v.api(readerToken);
      expect(await reader.runtimeSecret(name)).toEqual({ name, value });
      if (!kv) expect((await reader.runtimeEnv()).env[name]).toBe(value);
      // A new value, its versions, and a rollback to the first.
      const second: SecretValue = kv ? { client_id: 'id-2', client_secret: 'second' } : 'names-second-value';
      const updated = await api.updateSecret(name, { value: second }, replaced.version);
      expect((await api.listSecretVersions(name)).map((x) => x.version)).toEqual([2, 1]);
      expect((await api.rollbackSecret(name, 1, updated.version)).name).toBe(name);
      expect((await reader.runtimeSecret(name)).value).toEqual(value);
      // An access request for it, by another agent, carried unchanged; denied so that none stay pending.
      // A key of its own: one key may file 60 at once (a flood's limit).
      const developer = await freshDeveloper();
      const asked = await developer.createAccessRequest({ secret: name, agent: 'booking-agent' });
      expect(asked.outcome).toBe('granted');
      await api.revoke(name, 'booking-agent');
      const request = await developer.createAccessRequest({ secret: name, agent: 'booking-agent', reason: 'r' });
      if (request.outcome !== 'created') throw new Error(`expected a new request, got ${request.outcome}`);
      expect(request.request.secret).toBe(name);
      expect((await api.listAccessRequests('pending')).some((r) => r.id === request.request.id && r.secret === name)).toBe(true);
      expect((await api.denyAccessRequest(request.request.id)).secret).toBe(name);
      // The audit names it verbatim.
      const records = (await api.audit({ limit: 30 })).records;
      for (const action of ['secret.create', 'secret.update', 'access.grant', 'access.replace', 'secret.rollback', 'access.request', 'access.request.deny']) {
        expect({ action, found: records.some((r) => r.action === action && r.target === name) }).toEqual({ action, found: true });
      }
      expect(records.some((r) => r.action === 'access.revoke' && r.target === name)).toBe(true);
      expect(records.some((r) => r.action === 'runtime.read' && r.target === name && r.outcome === 'success')).toBe(true);
      await api.deleteSecret(name, (await api.getSecret(name)).version);
      expect((await apiFailure(api.getSecret(name))).status).toBe(404);
      // Deleted, it is gone for the agent too; the same 403 as any secret it cannot read.
      expect((await apiFailure(reader.runtimeSecret(name))).status).toBe(403);
    }

    it('every tricky name round-trips exactly through every route, on its own one route', async () => {
      for (const name of TRICKY_NAMES) await roundTrip(name, name.length % 2 === 0);
    });

    it('generated names round-trip exactly (property)', async () => {
      await fc.assert(fc.asyncProperty(secretNameArb, fc.boolean(), (name, kv) => roundTrip(name, kv)), { numRuns: 60 });
      // 60 runs, each every route over HTTP: about 15 s here, more on a loaded machine.
    }, 90_000);

    it('the event stream carries every name exactly', async () => {
      // The stream may trail the last calls by a moment: wait (bounded) until each creation has its deletion.
      const count = (type: string) => sse.events.filter((e) => e.event === type).length;
      for (let i = 0; i < 100 && count('secret.deleted') < count('secret.created'); i++) await new Promise((r) => setTimeout(r, 50));
      const created = sse.events.filter((e) => e.event === 'secret.created').map((e) => JSON.parse(e.data).event.secret.name as string);
      const deleted = sse.events.filter((e) => e.event === 'secret.deleted').map((e) => JSON.parse(e.data).event.name as string);
      for (const name of TRICKY_NAMES) expect(created).toContain(name);
      expect(deleted).toEqual(created);
    });

    it('generated agent ids round-trip exactly: create with a display name, rename, grants, listing, run tokens, requests, delete (property)', async () => {
      await api.createSecret({ name: 'Agent Probe', value: 'agent-probe-value' });
      await fc.assert(
        fc.asyncProperty(agentIdArb, async (id) => {
          const agent = await api.createAgent({ id, name: `Project ${id}` });
          expect(agent).toMatchObject({ id, name: `Project ${id}` });
          expect((await api.listAgents()).filter((a) => a.id === id)).toHaveLength(1);
          expect(await api.updateAgent(id, { name: 'Field Service Template' })).toMatchObject({ id, name: 'Field Service Template' });
          expect((await api.grant('Agent Probe', id)).agents).toContain(id);
          expect((await api.listSecrets(id)).map((s) => s.name)).toEqual(['Agent Probe']);
          const run = await api.mintRunToken(id, 600);
          expect(run.agent).toBe(id);
          expect((await v.api(run.token).runtimeSecret('Agent Probe')).value).toBe('agent-probe-value');
          expect((await api.listAgentTokens(id)).map((t) => t.id)).toEqual([run.id]);
          await api.revokeRunToken(id, run.id);
          await api.revoke('Agent Probe', id);
          const request = await (await freshDeveloper()).createAccessRequest({ secret: 'Agent Probe', agent: id });
          if (request.outcome !== 'created') throw new Error('expected a new request');
          expect(request.request.agent).toBe(id);
          await api.denyAccessRequest(request.request.id);
          const records = (await api.audit({ limit: 20 })).records;
          expect(records.some((r) => r.action === 'agent.create' && r.target === id)).toBe(true);
          expect(records.some((r) => r.action === 'agent.update' && r.target === id)).toBe(true);
          await api.deleteAgent(id);
          expect((await api.listAgents()).some((a) => a.id === id)).toBe(false);
        }),
        { numRuns: 40 },
      );
      await api.deleteSecret('Agent Probe');
    });

    it('a case or spacing twin is 409 naming the existing secret or agent; nothing is created', async () => {
      await api.createSecret({ name: 'Prod API Credentials', value: { client_id: 'a', client_secret: 'b' } });
      for (const twin of ['prod api credentials', 'PROD  API CREDENTIALS', 'ProdAPICredentials', 'Ｐｒｏｄ API Credentials']) {
        const f = await apiFailure(api.createSecret({ name: twin, value: 'x' }));
        expect(f.problem).toMatchObject({ status: 409, code: 'conflict', field: 'name' });
        expect(f.problem.detail).toBe("Secret 'Prod API Credentials' already exists; names that differ only in case, spacing, '_' or '-', or in letters that look alike are one name.");
      }
      await api.createAgent({ id: 'PROJECT-DEMO0001', name: 'Demo' });
      for (const twin of ['project-demo0001', 'Project-Demo0001']) {
        const f = await apiFailure(api.createAgent({ id: twin }));
        expect(f.problem).toMatchObject({ status: 409, field: 'id', detail: "Agent 'PROJECT-DEMO0001' already exists; ids that differ only in case are one agent." });
      }
      expect((await apiFailure(api.createAgent({ id: 'PROJECT-DEMO0001' }))).problem.detail).toBe("Agent 'PROJECT-DEMO0001' already exists.");
      // Ids are case-sensitive where they are used: the twin is not the agent.
      expect((await apiFailure(api.grant('Prod API Credentials', 'project-demo0001'))).status).toBe(404);
      const names = (await api.listSecrets()).map((s) => s.name);
      expect(names.filter((n) => n.toLowerCase().replace(/\s+/g, '') === 'prodapicredentials')).toEqual(['Prod API Credentials']);
      expect((await api.listAgents()).filter((a) => a.id.toLowerCase() === 'project-demo0001').map((a) => a.id)).toEqual(['PROJECT-DEMO0001']);
    });

    it("an '_', '-' or space twin is 409 naming the existing secret; distinct environment variables stay apart", async () => {
      await api.createSecret({ name: 'Twin API Credentials', value: 'v' });
      for (const twin of ['twin_api_credentials', 'TWIN_API_CREDENTIALS', 'twin-api-credentials', 'Twin_API-Credentials', 'twin  api_credentials']) {
        const f = await apiFailure(api.createSecret({ name: twin, value: 'x' }));
        expect(f.problem).toMatchObject({ status: 409, code: 'conflict', field: 'name' });
        expect(f.problem.detail).toBe("Secret 'Twin API Credentials' already exists; names that differ only in case, spacing, '_' or '-', or in letters that look alike are one name.");
      }
      // A separator is folded, never removed: these are other names (as X_API_KEY and XAPI_KEY are other variables).
      for (const other of ['twinapi_credentials', 'twin__api_credentials', 'twin_api_credential']) await api.createSecret({ name: other, value: 'v' });
      await api.createSecret({ name: 'X_API_KEY', value: 'v' });
      await api.createSecret({ name: 'XAPI_KEY', value: 'v' });
      expect((await apiFailure(api.createSecret({ name: 'x-api-key', value: 'v' }))).problem.detail).toBe(
        "Secret 'X_API_KEY' already exists; names that differ only in case, spacing, '_' or '-', or in letters that look alike are one name.",
      );
      const names = (await api.listSecrets()).map((s) => s.name);
      expect(names.filter((n) => /^twin/i.test(n)).sort()).toEqual(['Twin API Credentials', 'twin__api_credentials', 'twin_api_credential', 'twinapi_credentials'].sort());
      for (const n of ['Twin API Credentials', 'twinapi_credentials', 'twin__api_credentials', 'twin_api_credential', 'X_API_KEY', 'XAPI_KEY']) await api.deleteSecret(n);
    });

    it('PATCH /v1/agents/{id} sets the display name (admins; audited; an event); bad input is 400 and a missing agent 404', async () => {
      await api.createAgent({ id: 'PROJECT-PATCH001' });
      expect((await api.listAgents()).find((a) => a.id === 'PROJECT-PATCH001')?.name).toBe('PROJECT-PATCH001');
      const updated = await api.updateAgent('PROJECT-PATCH001', { name: 'Field Service Template', description: 'from Agent Studio' });
      expect(updated).toMatchObject({ id: 'PROJECT-PATCH001', name: 'Field Service Template', description: 'from Agent Studio' });
      expect((await api.listAgents()).find((a) => a.id === 'PROJECT-PATCH001')).toEqual(updated);
      for (let i = 0; i < 100 && !sse.events.some((e) => e.event === 'agent.updated'); i++) await new Promise((r) => setTimeout(r, 50));
      const event = sse.events.filter((e) => e.event === 'agent.updated').map((e) => JSON.parse(e.data).event);
      expect(event.at(-1)).toEqual({ type: 'agent.updated', agent: updated });
      expect((await api.audit({ limit: 1 })).records[0]).toMatchObject({ action: 'agent.update', target: 'PROJECT-PATCH001', outcome: 'success', detail: 'changed: name, description' });
      expect((await apiFailure(developer.updateAgent('PROJECT-PATCH001', { name: 'x' }))).status).toBe(403);
      expect((await api.audit({ limit: 1 })).records[0]).toMatchObject({ action: 'agent.update', target: 'PROJECT-PATCH001', outcome: 'denied' });
      expect((await apiFailure(api.updateAgent('PROJECT-NOPE0001', { name: 'x' }))).status).toBe(404);
      expect((await apiFailure(api.updateAgent('PROJECT-PATCH001', {}))).status).toBe(400);
      expect((await apiFailure(api.updateAgent('PROJECT-PATCH001', { name: 'x'.repeat(101) }))).status).toBe(400);
      expect((await apiFailure(api.updateAgent('PROJECT-PATCH001', { name: 'evil \u202e name' }))).problem).toMatchObject({ status: 400, field: 'name' });
      expect((await api.updateAgent('PROJECT-PATCH001', { name: 'x'.repeat(100) })).name).toBe('x'.repeat(100));
      // 64 characters is an id; 65 is not.
      const long = `P${'X'.repeat(63)}`;
      expect((await api.createAgent({ id: long })).id).toBe(long);
      expect((await api.updateAgent(long, { name: 'long' })).name).toBe('long');
      expect((await apiFailure(api.createAgent({ id: `${long}X` }))).status).toBe(400);
    });

    it('refused characters are 400 wherever a name or id is taken, path or body, and never reach the audit', async () => {
      await api.createSecret({ name: 'refusal probe', value: 'x', agents: ['booking-agent'] });
      const bookingToken = (await api.createAgentToken('booking-agent')).token;
      const newest = async () => (await api.audit({ limit: 1 })).records[0]!;
      const last = await newest();
      expect(last).toMatchObject({ action: 'agent.token.create' });
      const calls: [string, string, string, unknown?][] = [];
      for (const bad of REFUSED_NAMES) {
        const p = encodeURIComponent(bad);
        calls.push(
          ['GET', `/v1/secrets/${p}`, v.adminKey],
          ['PATCH', `/v1/secrets/${p}`, v.adminKey, { description: 'x' }],
          ['DELETE', `/v1/secrets/${p}`, v.adminKey],
          ['GET', `/v1/secrets/${p}/versions`, v.adminKey],
          ['POST', `/v1/secrets/${p}/rollback`, v.adminKey, { version: 1 }],
          ['PUT', `/v1/secrets/${p}/access`, v.adminKey, { agents: [] }],
          ['PUT', `/v1/secrets/${p}/access/booking-agent`, v.adminKey],
          ['GET', `/v1/runtime/secrets/${p}`, bookingToken],
          ['POST', '/v1/secrets', v.adminKey, { name: bad, value: 'x' }],
          ['POST', '/v1/access-requests', v.adminKey, { secret: bad, agent: 'booking-agent' }],
          // A developer's refused create is audited with the name it gave: the schema refuses first.
          ['POST', '/v1/secrets', bookingToken, { name: bad, value: 'x' }],
        );
      }
      for (const bad of REFUSED_IDS) {
        const p = encodeURIComponent(bad);
        calls.push(
          ['PATCH', `/v1/agents/${p}`, v.adminKey, { name: 'x' }],
          ['DELETE', `/v1/agents/${p}`, v.adminKey],
          ['POST', `/v1/agents/${p}/tokens`, v.adminKey],
          ['GET', `/v1/agents/${p}/tokens`, v.adminKey],
          ['POST', `/v1/agents/${p}/run-tokens`, v.adminKey],
          ['DELETE', `/v1/agents/${p}/run-tokens/tok_x`, v.adminKey],
          ['PUT', `/v1/secrets/refusal%20probe/access/${p}`, v.adminKey],
          ['DELETE', `/v1/secrets/refusal%20probe/access/${p}`, v.adminKey],
          ['GET', `/v1/secrets?agent=${p}`, v.adminKey],
          ['POST', '/v1/agents', v.adminKey, { id: bad }],
          ['POST', '/v1/access-requests', v.adminKey, { secret: 'refusal probe', agent: bad }],
          ['PUT', '/v1/secrets/refusal%20probe/access', v.adminKey, { agents: [bad] }],
          ['POST', '/v1/secrets', v.adminKey, { name: 'refusal other', value: 'x', agents: [bad] }],
        );
      }
      for (const [method, path, token, body] of calls) {
        const r = await raw(v, method, path, token, body);
        expect({ method, path, status: r.status }).toEqual({ method, path, status: 400 });
        expect(r.json?.code).toMatch(/^(invalid_name|bad_request)$/);
      }
      // Nothing recorded since the token's creation: no refusal reached the audit.
      expect(await newest()).toEqual(last);
      expect((await api.listSecrets()).map((s) => s.name).filter((n) => n.startsWith('refusal'))).toEqual(['refusal probe']);
    });

    it('a path is decoded exactly once and a name never changes the route: %2F, %25, +, ;, .., double encoding; bad encodings are 400', async () => {
      const names = ['a/b', 'x/access/booking-agent', '../versions', '%2F', '%', 'a+b', 'a b', 'a;b', '..', '.', '?agent=x', '#x'];
      for (const name of names) await api.createSecret({ name, value: `v:${name}`, agents: ['booking-agent'] });
      const token = (await api.createAgentToken('booking-agent')).token;
      const reads: [string, string][] = [
        ['a%2Fb', 'a/b'],
        ['a%2fb', 'a/b'],
        ['x%2Faccess%2Fbooking-agent', 'x/access/booking-agent'],
        ['..%2Fversions', '../versions'],
        ['%252F', '%2F'],
        ['%25', '%'],
        ['a+b', 'a+b'],
        ['a%2Bb', 'a+b'],
        ['a%20b', 'a b'],
        ['a;b', 'a;b'],
        ['a%3Bb', 'a;b'],
        ['%2E%2E', '..'],
        ['..', '..'],
        ['.', '.'],
        ['%3Fagent%3Dx', '?agent=x'],
        ['%23x', '#x'],
      ];
      for (const [segment, name] of reads) {
        // The run-time fast path and fastify's routes (metadata, versions) agree on the name.
        const runtime = await raw(v, 'GET', `/v1/runtime/secrets/${segment}`, token);
        expect({ segment, status: runtime.status, json: runtime.json }).toEqual({ segment, status: 200, json: { name, value: `v:${name}` } });
        const meta = await raw(v, 'GET', `/v1/secrets/${segment}`, v.adminKey);
        expect({ segment, status: meta.status, name: meta.json?.name }).toEqual({ segment, status: 200, name });
        const versions = await raw(v, 'GET', `/v1/secrets/${segment}/versions`, v.adminKey);
        expect({ segment, status: versions.status }).toEqual({ segment, status: 200 });
      }
      // `a+b` is a plus, never a space: `a b` is another secret, and each reads its own value.
      expect((await raw(v, 'GET', '/v1/runtime/secrets/a+b', token)).json.value).toBe('v:a+b');
      // Bad percent-encodings (not hex, a lone UTF-8 lead byte, an encoded lone surrogate) are 400 on both paths.
      for (const segment of ['%ZZ', '%C3', 'a%', '%ED%A0%80']) {
        expect({ segment, status: (await raw(v, 'GET', `/v1/runtime/secrets/${segment}`, token)).status }).toEqual({ segment, status: 400 });
        expect({ segment, status: (await raw(v, 'GET', `/v1/secrets/${segment}`, v.adminKey)).status }).toEqual({ segment, status: 400 });
      }
      // A raw `/` is a second segment: no route, on either path, and no secret is read.
      expect((await raw(v, 'GET', '/v1/runtime/secrets/a/b', token)).status).toBe(404);
      expect((await raw(v, 'GET', '/v1/secrets/a/b', v.adminKey)).status).toBe(404);
      // A 128-character name of 4-byte characters is 1,536 characters encoded: served, not 414.
      const long = '🔑'.repeat(128);
      await api.createSecret({ name: long, value: 'long-value', agents: ['booking-agent'] });
      expect((await raw(v, 'GET', `/v1/runtime/secrets/${encodeURIComponent(long)}`, token)).json).toEqual({ name: long, value: 'long-value' });
      expect((await raw(v, 'GET', `/v1/secrets/${encodeURIComponent(long)}`, v.adminKey)).json.name).toBe(long);
      expect((await raw(v, 'GET', `/v1/runtime/secrets/${encodeURIComponent(long + '🔑')}`, token)).status).toBe(414);
      for (const name of [...names, long]) await api.deleteSecret(name);
    });

    it('an environment-style account stays strict: ^[A-Z][A-Z0-9_]*$, up to 128', async () => {
      const env = await startTestVault({ store, naming: 'UPPER_CASE' });
      try {
        const e = env.api();
        for (const name of ['Prod API', 'prod_key', 'X-KEY', 'KEY ONE', '1KEY']) {
          expect({ name, problem: (await apiFailure(e.createSecret({ name, value: 'x' }))).problem }).toMatchObject({ name, problem: { status: 400, code: 'invalid_name' } });
        }
        expect((await e.createSecret({ name: `K${'E'.repeat(127)}`, value: 'x' })).name).toBe(`K${'E'.repeat(127)}`);
        expect((await apiFailure(e.createSecret({ name: 'k'.repeat(1) + 'EY', value: 'x' }))).status).toBe(400);
        await e.createSecret({ name: 'STRIPE_KEY', value: 'x' });
        expect((await e.listSecrets()).map((s) => s.name).sort()).toEqual([`K${'E'.repeat(127)}`, 'STRIPE_KEY'].sort());
        // An access request for a name the account could not hold is refused too.
        expect((await apiFailure(e.createAccessRequest({ secret: 'Prod API', agent: 'x' }))).problem).toMatchObject({ status: 400, code: 'invalid_name', field: 'secret' });
      } finally {
        await env.stop();
      }
    });
  });
}
