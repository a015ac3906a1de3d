// Authorization matrix: every route (from the live route table) against every kind of caller.
// A route without an expectation here fails the test, so a new route cannot slip past it.

import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount } from '../../../vault/src/vault';
import { FailedAuthLimiter, MintRateLimiter } from '../../../vault/src/auth';
import { tally } from '../helpers/ledger';
import { call, openEvents, type Reply } from '../helpers/http';
import { sentinel } from '../helpers/leakwatch';
import { routeKey, routeTable, type Route } from '../helpers/routes';
import { accountSnapshot } from '../helpers/snapshot';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

const WHO = ['none', 'malformed', 'revoked', 'otherAdmin', 'developer', 'grantedAgent', 'ungrantedAgent', 'admin'] as const;
type Who = (typeof WHO)[number];
type Expect = Record<Who, number>;

/** The three callers without a valid identity are refused alike on every non-public route. */
const authed = (e: Omit<Expect, 'none' | 'malformed' | 'revoked'>): Expect => ({ none: 401, malformed: 401, revoked: 401, ...e });
const publicRoute: Expect = { none: 200, malformed: 200, revoked: 200, otherAdmin: 200, developer: 200, grantedAgent: 200, ungrantedAgent: 200, admin: 200 };
/** Another account's admin sees only its own (empty) account: 404 for our objects, its own lists. */
const adminWrite = (ok: number): Expect => authed({ otherAdmin: 404, developer: 403, grantedAgent: 403, ungrantedAgent: 403, admin: ok });

interface Fixture {
  secret: string;
  agent: string;
  keyId: string;
  value: string;
  /** A run token for `agent`, minted by the admin. */
  runTokenId: string;
  /** A pending access request (by the developer) for `agent` on `secret`. */
  requestId: string;
}

interface Spec {
  expect: Expect;
  /** Routes served but left out of the OpenAPI document on purpose. */
  hidden?: true;
  body?: (f: Fixture, who: Who) => unknown;
  headers?: (f: Fixture) => Record<string, string>;
  /** Callers besides the admin whose success changes account A (a developer's access request). */
  changesAs?: Who[];
}

const SPECS: Record<string, Spec> = {
  'GET /v1/health': { expect: publicRoute },
  'GET /v1/openapi.json': { expect: publicRoute, hidden: true },
  'GET /v1/whoami': { expect: authed({ otherAdmin: 200, developer: 200, grantedAgent: 200, ungrantedAgent: 200, admin: 200 }) },
  'GET /v1/agents': { expect: authed({ otherAdmin: 200, developer: 200, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
  'POST /v1/agents': {
    // Another account's admin creates an agent in its own account: allowed, and ours is untouched.
    expect: authed({ otherAdmin: 201, developer: 403, grantedAgent: 403, ungrantedAgent: 403, admin: 201 }),
    body: (f, who) => ({ id: `new-${f.agent}-${who.toLowerCase()}` }),
  },
  'DELETE /v1/agents/{id}': { expect: adminWrite(204) },
  // The display name: admins of the agent's account only.
  'PATCH /v1/agents/{id}': { expect: adminWrite(200), body: () => ({ name: 'Matrix Display Name' }) },
  'POST /v1/agents/{id}/tokens': { expect: adminWrite(201), body: () => ({}) },
  // Run tokens: with the account's default localRuns ("admins"), as an admin write. The
  // developer's case with "developers" is in test/vault/runTokens.test.ts.
  'POST /v1/agents/{id}/run-tokens': { expect: adminWrite(201), body: () => ({}) },
  // A developer did not mint the fixture's token (the admin did): 403.
  'DELETE /v1/agents/{id}/run-tokens/{tokenId}': { expect: adminWrite(204) },
  // An agent's live tokens (a developer may list only while local runs are theirs, which
  // they are not here) and revoking either kind; the fixture's token is the admin's run token.
  'GET /v1/agents/{id}/tokens': { expect: adminWrite(200) },
  'DELETE /v1/agents/{id}/tokens/{tokenId}': { expect: adminWrite(204) },
  // An agent's last reads: metadata either role may see; an agent token only its own (the cell's
  // agent is neither token's); another account does not have the agent.
  'GET /v1/agents/{id}/reads': { expect: authed({ otherAdmin: 404, developer: 200, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
  'GET /v1/account': { expect: authed({ otherAdmin: 200, developer: 200, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
  // Another account's admin changes its own account's setting; ours is untouched. The value is the
  // default, so the matrix's later cells see the same policy.
  'PATCH /v1/account': {
    expect: authed({ otherAdmin: 200, developer: 403, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }),
    body: () => ({ localRuns: 'admins' }),
  },
  'GET /v1/keys': { expect: authed({ otherAdmin: 200, developer: 403, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
  'POST /v1/keys': {
    expect: authed({ otherAdmin: 201, developer: 403, grantedAgent: 403, ungrantedAgent: 403, admin: 201 }),
    body: () => ({ name: 'matrix key', role: 'developer' }),
  },
  'DELETE /v1/keys/{id}': { expect: adminWrite(204) },
  'GET /v1/secrets': { expect: authed({ otherAdmin: 200, developer: 200, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
  'POST /v1/secrets': {
    expect: authed({ otherAdmin: 201, developer: 403, grantedAgent: 403, ungrantedAgent: 403, admin: 201 }),
    body: (f, who) => ({ name: `new_${f.secret}_${who.toLowerCase()}`, value: sentinel() }),
  },
  'GET /v1/secrets/{name}': { expect: authed({ otherAdmin: 404, developer: 200, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
  'PATCH /v1/secrets/{name}': { expect: adminWrite(200), body: () => ({ value: sentinel() }) },
  'DELETE /v1/secrets/{name}': { expect: adminWrite(204) },
  'PUT /v1/secrets/{name}/access': {
    expect: adminWrite(200),
    body: () => ({ agents: ['agent-ungranted'] }),
    headers: () => ({ 'if-match': '"2"' }),
  },
  'PUT /v1/secrets/{name}/access/{agent}': { expect: adminWrite(200) },
  // A secret's life. Versions: metadata for users of either role, like the secret itself.
  'GET /v1/secrets/{name}/versions': { expect: authed({ otherAdmin: 404, developer: 200, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
  // The fixture's secret has values 1 and 2 (version 2 is its ETag): back to 1.
  'POST /v1/secrets/{name}/rollback': { expect: adminWrite(200), body: () => ({ version: 1 }), headers: () => ({ 'if-match': '"2"' }) },
  // Users of either role ask; another account's admin names an agent its account does not have (400).
  'GET /v1/access-requests': { expect: authed({ otherAdmin: 200, developer: 200, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
  'POST /v1/access-requests': {
    expect: authed({ otherAdmin: 400, developer: 201, grantedAgent: 403, ungrantedAgent: 403, admin: 201 }),
    // Not the fixture's agent (it has a pending request: 200). Another account's admin names the
    // cell's agent, so that its 400 ("no such agent") echoes no name the leak check watches for.
    body: (f, who) => ({ secret: f.secret, agent: who === 'otherAdmin' ? f.agent : 'agent-ungranted', reason: 'matrix' }),
    changesAs: ['developer'],
  },
  'POST /v1/access-requests/{id}/approve': { expect: adminWrite(200) },
  'POST /v1/access-requests/{id}/deny': { expect: adminWrite(200), body: () => ({ reason: 'matrix' }) },
  // Bulk deny: another account's admin names account A's request and denies nothing (200, empty).
  'POST /v1/access-requests/deny': {
    expect: authed({ otherAdmin: 200, developer: 403, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }),
    body: (f) => ({ ids: [f.requestId], reason: 'matrix' }),
  },
  'DELETE /v1/secrets/{name}/access/{agent}': { expect: adminWrite(200) },
  // A batch of access changes (access review --apply): grant the cell's agent, revoke the granted
  // one. Another account's admin names a secret its account does not have: 404 at changes[0].
  'POST /v1/access/changes': {
    expect: adminWrite(200),
    body: (f) => ({ changes: [{ secret: f.secret, agent: f.agent, granted: true }, { secret: f.secret, agent: 'agent-granted', granted: false }] }),
    headers: () => ({ 'x-secrets-vault-reason': 'matrix' }),
  },
  // User keys never read values, whatever their role; an ungranted agent gets the same 403 as for a missing secret.
  'GET /v1/runtime/secrets/{name}': { expect: authed({ otherAdmin: 403, developer: 403, grantedAgent: 200, ungrantedAgent: 403, admin: 403 }) },
  'GET /v1/runtime/env': { expect: authed({ otherAdmin: 403, developer: 403, grantedAgent: 200, ungrantedAgent: 200, admin: 403 }) },
  'GET /v1/audit': { expect: authed({ otherAdmin: 200, developer: 403, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
  // A coding assistant (secrets-vault mcp) records its tool calls as the user, naming itself in a header.
  'POST /v1/audit/assistant': {
    expect: authed({ otherAdmin: 204, developer: 204, grantedAgent: 403, ungrantedAgent: 403, admin: 204 }),
    headers: () => ({ 'x-secrets-vault-client': 'mcp/matrix' }),
    body: () => ({ tool: 'list_secrets', target: '', outcome: 'success' }),
    changesAs: ['developer'],
  },
  'GET /v1/events': { expect: authed({ otherAdmin: 200, developer: 200, grantedAgent: 403, ungrantedAgent: 403, admin: 200 }) },
};

export function registerAuthz(): void {
  describe('authorization matrix', () => {
    let v: InProcessVault;
    let routes: Route[];
    const tokens = {} as Record<Exclude<Who, 'none' | 'malformed' | 'revoked'>, string>;
    const revoked: string[] = [];
    let otherAccountId = '';
    let n = 0;

    beforeAll(async () => {
      // The fixture mints a run token for every cell with the admin key: far past the per-key mint
      // rate, which the 'run tokens and minters' scenario attacks itself.
      v = await inProcessVault({ serve: { mintLimiter: new MintRateLimiter(1_000_000, 1_000_000) } });
      const api = v.api();
      routes = await routeTable(v.url, v.server.app);
      await api.createAgent({ id: 'agent-granted' });
      await api.createAgent({ id: 'agent-ungranted' });
      await api.createAgent({ id: 'agent-doomed' });
      await api.createSecret({ name: 'zz_marker_a', value: sentinel(), agents: ['agent-granted'] });
      tokens.admin = v.adminKey;
      tokens.developer = (await api.createUserKey({ name: 'dev', role: 'developer' })).token;
      tokens.grantedAgent = (await api.createAgentToken('agent-granted')).token;
      tokens.ungrantedAgent = (await api.createAgentToken('agent-ungranted')).token;
      const old = await api.createUserKey({ name: 'old admin', role: 'admin' });
      await api.revokeUserKey(old.id);
      revoked.push(old.token);
      // An agent's token dies with the agent.
      revoked.push((await api.createAgentToken('agent-doomed')).token);
      await api.deleteAgent('agent-doomed');
      const other = await addAccount(v.vault, 'other', 'snake_case');
      tokens.otherAdmin = other.adminKey;
      otherAccountId = other.account.id;
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('has an expectation for every served route, and a served route for every expectation', () => {
      const served = new Set(routes.map(routeKey));
      const missing = [...served].filter((k) => !SPECS[k]);
      const stale = Object.keys(SPECS).filter((k) => !served.has(k));
      const undocumented = routes.filter((r) => !r.inOpenApi && !SPECS[routeKey(r)]?.hidden).map(routeKey);
      tally('authz: route coverage', served.size, missing.length + stale.length + undocumented.length);
      expect({ missing, stale, undocumented }).toEqual({ missing: [], stale: [], undocumented: [] });
      expect(routes.length).toBeGreaterThanOrEqual(20);
    });

    it('gives every caller exactly the expected answer on every route, and changes nothing it refuses', async () => {
      const failures: string[] = [];
      let cases = 0;
      for (const route of routes) {
        const spec = SPECS[routeKey(route)];
        if (!spec) continue; // reported by the coverage test
        for (const who of WHO) {
          cases++;
          const f = await fixture(v, ++n);
          const before = accountSnapshot(v.vault, v.accountId);
          const token = tokenFor(who, n);
          const path = route.path.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(param(route, p, f)));
          const body = spec.body?.(f, who);
          const headers = spec.headers?.(f) ?? {};
          if (who === 'malformed') headers.authorization = malformed(n, tokens.admin);
          const opts = { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}), headers };
          const reply: Pick<Reply, 'status' | 'text'> =
            route.path === '/v1/events' ? await sse(v.url, token, headers) : await call(v.url, route.method, path, opts);
          const label = `${who} ${route.method} ${path}`;
          const want = spec.expect[who];
          if (reply.status !== want) failures.push(`${label}: ${reply.status}, expected ${want}: ${reply.text.slice(0, 200)}`);
          if (who !== 'admin' && !spec.changesAs?.includes(who) && accountSnapshot(v.vault, v.accountId) !== before) failures.push(`${label}: changed account A`);
          if (who === 'otherAdmin') {
            for (const mine of [v.accountId, 'zz_marker_a', 'agent-granted', 'agent-ungranted']) {
              if (reply.text.includes(mine)) failures.push(`${label}: answer mentions account A's '${mine}'`);
            }
          }
          if (who === 'grantedAgent' && route.path === '/v1/runtime/secrets/{name}' && reply.status === 200) {
            if (JSON.parse(reply.text).value !== f.value) failures.push(`${label}: wrong value`);
          }
          if (who === 'ungrantedAgent' && route.path === '/v1/runtime/env' && reply.text.includes(f.secret)) {
            failures.push(`${label}: env of an ungranted agent holds ${f.secret}`);
          }
        }
      }
      tally('authz: route x caller', cases, failures.length, `${WHO.length} callers`);
      expect(failures).toEqual([]);
      // The other account really exists and worked: its admin created things in its own account.
      expect((await v.vault.store.agents.listAgents(otherAccountId)).length).toBeGreaterThan(0);
    }, 180_000);

    it("keeps another account's event stream free of ours, live and on resume", async () => {
      const live = await openEvents(v.url, tokens.otherAdmin);
      const api = v.api();
      await api.createSecret({ name: 'zz_marker_live', value: sentinel(), agents: ['agent-granted'] });
      await api.grant('zz_marker_live', 'agent-ungranted');
      await api.deleteSecret('zz_marker_live');
      // The other account's own change is the sign that its stream is flowing.
      await v.api(tokens.otherAdmin).createAgent({ id: 'other-live' });
      for (let i = 0; i < 100 && !live.text().includes('other-live'); i++) await new Promise((r) => setTimeout(r, 50));
      await live.close();
      // Resuming from the very start replays the other account's history only.
      const resumed = await openEvents(v.url, tokens.otherAdmin, { 'last-event-id': '0' });
      for (let i = 0; i < 100 && !resumed.text().includes('other-live'); i++) await new Promise((r) => setTimeout(r, 50));
      await resumed.close();
      // Account A's names (the other account's own are new_cell_…_otheradmin and new-cell-…).
      const leaked = [live.text(), resumed.text()].flatMap((t) => [/zz_marker/, /agent-granted/, /"cell_\d+"/, /"cell-\d+"/, new RegExp(v.accountId)].filter((m) => m.test(t)).map(String));
      tally('authz: cross-account events', 2, leaked.length + (live.text().includes('other-live') ? 0 : 1));
      expect(live.text()).toContain('other-live');
      expect(resumed.text()).toContain('other-live');
      expect(leaked).toEqual([]);
    });

    it('gives an agent the same answer for a missing secret as for one it may not read', async () => {
      const probe = async (name: string) => {
        const r = await call(v.url, 'GET', `/v1/runtime/secrets/${name}`, { token: tokens.ungrantedAgent });
        return { status: r.status, code: r.json?.code, title: r.json?.title, detail: String(r.json?.detail).replace(name, '<name>'), keys: Object.keys(r.json ?? {}).sort() };
      };
      const existing = await probe('zz_marker_a');
      const missing = await probe('zz_never_created');
      tally('authz: missing = not granted', 1, isDeepStrictEqual(existing, missing) ? 0 : 1);
      expect(existing.status).toBe(403);
      expect(missing).toEqual(existing);
    });

    it('answers a flood of bad tokens with 429 and Retry-After, not an error', async () => {
      const limited = await inProcessVault({ limiter: new FailedAuthLimiter(5, 60_000) });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 8; i++) statuses.push((await call(limited.url, 'GET', '/v1/secrets', { token: `svu_${'x'.repeat(43)}` })).status);
        const last = await call(limited.url, 'GET', '/v1/secrets', { token: `svu_${'y'.repeat(43)}` });
        tally('authz: failed-auth limiter', 9, statuses.slice(0, 5).filter((s) => s !== 401).length + statuses.slice(5).filter((s) => s !== 429).length);
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
        expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
        // Public routes stay reachable for a locked-out client.
        expect((await call(limited.url, 'GET', '/v1/health')).status).toBe(200);
      } finally {
        await limited.finish();
      }
    });

    function tokenFor(who: Who, i: number): string | undefined {
      if (who === 'none' || who === 'malformed') return undefined;
      if (who === 'revoked') return revoked[i % revoked.length];
      return tokens[who];
    }
  });
}

async function fixture(v: InProcessVault, i: number): Promise<Fixture> {
  const api = v.api();
  const secret = `cell_${i}`;
  const agent = `cell-${i}`;
  await api.createAgent({ id: agent });
  await api.createSecret({ name: secret, value: sentinel(), agents: ['agent-granted'] });
  const key = await api.createUserKey({ name: `cell key ${i}`, role: 'developer' });
  const run = await api.mintRunToken(agent);
  // A second value (so there is one to roll back to), and a pending access request for `agent`.
  const current = sentinel();
  await api.updateSecret(secret, { value: current });
  const asked = await v.api(key.token).createAccessRequest({ secret, agent, reason: 'matrix fixture' });
  if (asked.outcome !== 'created') throw new Error(`the matrix fixture's access request was ${asked.outcome}`);
  return { secret, agent, keyId: key.id, value: current, runTokenId: run.id, requestId: asked.request.id };
}

function param(route: Route, p: string, f: Fixture): string {
  if (p === 'name') return f.secret;
  if (p === 'id') return route.path.startsWith('/v1/keys') ? f.keyId : route.path.startsWith('/v1/access-requests') ? f.requestId : f.agent;
  // Grant a fresh agent; revoke the one the fixture secret has.
  if (p === 'agent') return route.method === 'PUT' ? f.agent : 'agent-granted';
  if (p === 'tokenId') return f.runTokenId;
  throw new Error(`The matrix does not know how to fill {${p}} in ${route.path}: add it.`);
}

/** Authorization values that are not a usable token: wrong scheme, wrong shape, right shape but unknown. */
function malformed(i: number, real: string): string {
  const forms = [
    'Bearer',
    'Bearer ',
    `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    `Bearer ${real.slice(0, -1)}`,
    `Bearer ${real}x`,
    `Bearer ${real.replace('svu_', 'sva_')}`,
    `Bearer ${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`,
    `Bearer svu_${'%'.repeat(43)}`,
    `Token ${real}`,
    `Bearer ${real} ${real}`,
  ];
  return forms[i % forms.length]!;
}

async function sse(base: string, token: string | undefined, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const s = await openEvents(base, token, headers);
  const text = s.text();
  await s.close();
  return { status: s.status, text };
}
