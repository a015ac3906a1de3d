// Run tokens and the keys that mint them: a run token must not
// outlive its minter's revocation or its minter's right to mint, whatever path revoked it; a stolen
// key must not mint a flood of tokens, nor multiply its read rate by minting; the token list never
// shows a token. Every attack over real HTTP, on each store.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadRateLimiter } from '../../../vault/src/auth';
import type { TestStoreKind } from '../../helpers/vault';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { sentinel } from '../helpers/leakwatch';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

const S = 'run tokens and minters';

/** A check that throws before it tallies still shows in the closing table, as one failed case. */
function guarded(check: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await check();
    } catch (e) {
      tally(S, 1, 1);
      throw e;
    }
  };
}

export function registerMinters(store: TestStoreKind): void {
  describe(`run tokens and minters (${store})`, () => {
    let v: InProcessVault;
    let value: string;
    beforeAll(async () => {
      v = await inProcessVault({ store, naming: 'UPPER_CASE' });
      value = sentinel();
      await v.api().createAgent({ id: 'mint-agent' });
      await v.api().createSecret({ name: 'X', value, agents: ['mint-agent'] });
    });
    afterAll(async () => {
      await v?.finish();
    });

    const setLocalRuns = (localRuns: string) => call(v.url, 'PATCH', '/v1/account', { token: v.adminKey, body: { localRuns } });
    const mint = (token: string, ttlSeconds = 43_200) => call(v.url, 'POST', '/v1/agents/mint-agent/run-tokens', { token, body: { ttlSeconds } });
    /** Both run-time endpoints with `token`: the statuses, to compare with what they must be. */
    const reads = async (token: string) => [
      (await call(v.url, 'GET', '/v1/runtime/env', { token })).status,
      (await call(v.url, 'GET', '/v1/runtime/secrets/X', { token })).status,
    ];

    it("a stolen laptop: a developer's 12 h token, local runs back to admins, the key revoked: 401 on env and secrets/X", guarded(async () => {
      const dev = await v.api().createUserKey({ name: 'developer laptop', role: 'developer' });
      expect((await setLocalRuns('developers')).status).toBe(200);
      const t = await mint(dev.token);
      expect(t.status).toBe(201);
      const seen: number[][] = [await reads(t.json.token)];
      expect((await setLocalRuns('admins')).status).toBe(200);
      seen.push(await reads(t.json.token));
      expect((await call(v.url, 'DELETE', `/v1/keys/${dev.id}`, { token: v.adminKey })).status).toBe(204);
      seen.push(await reads(t.json.token));
      const expected = [[200, 200], [401, 401], [401, 401]];
      tally(S, 6, seen.flat().filter((s, i) => s !== expected.flat()[i]).length, 'minter revoked or barred, token list, mint flood, shared read budget');
      expect(seen).toEqual(expected);
    }));

    it('a stolen key: every token it minted dies with it (API revocation and a local command alike)', guarded(async () => {
      const cases: { how: string; statuses: number[] }[] = [];
      for (const how of ['api', 'local'] as const) {
        const stolen = await v.api().createUserKey({ name: `stolen ${how}`, role: 'admin' });
        const tokens: string[] = [];
        for (let i = 0; i < 5; i++) tokens.push((await mint(stolen.token, 3600)).json.token as string);
        for (const t of tokens) expect(await reads(t)).toEqual([200, 200]);
        if (how === 'api') expect((await call(v.url, 'DELETE', `/v1/keys/${stolen.id}`, { token: v.adminKey })).status).toBe(204);
        else expect(await v.vault.service.keys.revokeLocalKey(v.accountId, stolen.id, 'security-suite')).toBe('revoked');
        for (const t of tokens) cases.push({ how, statuses: await reads(t) });
      }
      tally(S, cases.length * 2, cases.flatMap((c) => c.statuses).filter((s) => s !== 401).length);
      for (const c of cases) expect(c.statuses, c.how).toEqual([401, 401]);
    }));

    it("a live token row whose minter is revoked, gone, or a developer while local runs are admins': 401 (defence in depth)", guarded(async () => {
      const dev = await v.api().createUserKey({ name: 'developer old', role: 'developer' });
      const gone = await v.api().createUserKey({ name: 'old admin', role: 'admin' });
      await v.vault.service.keys.revokeLocalKey(v.accountId, gone.id, 'security-suite');
      const minters = [gone.id, 'key_ffffffffffffffff', dev.id];
      const statuses: number[] = [];
      for (const mintedBy of minters) {
        const token = `sva_${randomBytes(32).toString('base64url')}`;
        await v.vault.store.tokens.insertToken(
          {
            id: `tok_${randomBytes(8).toString('hex')}`, accountId: v.accountId, digest: v.vault.keyring.tokenDigest(token), kind: 'agent', role: null,
            agentId: 'mint-agent', name: 'mint-agent', createdAt: new Date().toISOString(), revokedAt: null,
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(), mintedBy, mintedByName: 'forged',
          },
          null,
        );
        statuses.push(...(await reads(token)), (await call(v.url, 'GET', '/v1/whoami', { token })).status);
      }
      tally(S, statuses.length, statuses.filter((s) => s !== 401).length);
      expect(statuses).toEqual(statuses.map(() => 401));
    }));

    it('the token list names tokens by id, never by the token; a developer sees only their own, an agent nothing', guarded(async () => {
      const plain = await v.api().createAgentToken('mint-agent');
      const run = (await mint(v.adminKey, 600)).json;
      const list = await call(v.url, 'GET', '/v1/agents/mint-agent/tokens', { token: v.adminKey });
      const dev = await v.api().createUserKey({ name: 'developer lister', role: 'developer' });
      const checks = [
        list.status === 200,
        !list.text.includes(plain.token) && !list.text.includes(run.token) && !/sva_|svu_/.test(list.text),
        (list.json.tokens as { id: string }[]).some((t) => t.id === run.id),
        (await call(v.url, 'GET', '/v1/agents/mint-agent/tokens', { token: dev.token })).status === 403,
        (await call(v.url, 'GET', '/v1/agents/mint-agent/tokens', { token: plain.token })).status === 403,
        (await call(v.url, 'DELETE', `/v1/agents/mint-agent/tokens/${plain.id}`, { token: dev.token })).status === 403,
        (await call(v.url, 'DELETE', `/v1/agents/mint-agent/tokens/${plain.id}`, { token: run.token })).status === 403,
      ];
      tally(S, checks.length, checks.filter((c) => !c).length);
      expect(checks).toEqual(checks.map(() => true));
    }));
  });

  describe(`run tokens and minters: the mint flood (${store})`, () => {
    let v: InProcessVault;
    beforeAll(async () => {
      // Reads: 10 in a burst per token, and now per minter too (nearly no refill within the test).
      v = await inProcessVault({ store, serve: { readLimiter: new ReadRateLimiter(0.01, 10) } });
      await v.api().createAgent({ id: 'flood-agent' });
      await v.api().createSecret({ name: 'flood_value', value: sentinel(), agents: ['flood-agent'] });
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('one key minting 100 tokens at once gets its burst (30) and then 429 with Retry-After; those tokens share one read budget', guarded(async () => {
      const key = await v.api().createUserKey({ name: 'flooder', role: 'admin' });
      const replies = await Promise.all(Array.from({ length: 100 }, () => call(v.url, 'POST', '/v1/agents/flood-agent/run-tokens', { token: key.token, body: { ttlSeconds: 600 } })));
      const minted = replies.filter((r) => r.status === 201).map((r) => r.json.token as string);
      const refused = replies.filter((r) => r.status === 429);
      const wellFormed = refused.filter((r) => Number(r.headers['retry-after']) > 0 && String(r.headers['content-type']).startsWith('application/problem+json') && r.json?.code === 'rate_limited');
      // Each minted token reads twice: 2 x 30 = 60 reads, of which the key's burst (10) may pass.
      let passed = 0;
      for (const t of minted) {
        for (let i = 0; i < 2; i++) if ((await call(v.url, 'GET', '/v1/runtime/secrets/flood_value', { token: t })).status === 200) passed++;
      }
      // Another key's token is not starved by the flood.
      const other = (await call(v.url, 'POST', '/v1/agents/flood-agent/run-tokens', { token: v.adminKey, body: {} })).json.token as string;
      const otherRead = (await call(v.url, 'GET', '/v1/runtime/secrets/flood_value', { token: other })).status;
      const checks = [minted.length === 30, refused.length === 70, wellFormed.length === 70, passed === 10, otherRead === 200];
      tally(S, replies.length + minted.length * 2 + 1, checks.filter((c) => !c).length);
      expect({ minted: minted.length, refused: refused.length, wellFormed: wellFormed.length, passed, otherRead }).toEqual({ minted: 30, refused: 70, wellFormed: 70, passed: 10, otherRead: 200 });
    }));
  });
}
