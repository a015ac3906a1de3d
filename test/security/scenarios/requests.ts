// Access request floods and invisible text: one developer's
// flood of access requests (the review's 1,100 in 1.2 s filled the account's cap and locked everyone
// out) must stop at that developer's own cap and rate while a colleague and an admin still get
// through, and an admin must clear it in one call; zero-width and tag characters must be refused in
// every text field, named by code point and never quoted, with a secret value in the same body
// never echoed. Every attack over real HTTP, on each store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER } from '../../../protocol/api';
import type { TestStoreKind } from '../../helpers/vault';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { sentinel } from '../helpers/leakwatch';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

const S = 'access request floods and invisible text';

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

/** The flood: bounded in count (1,100), sent 50 at a time. */
const FLOOD = 1_100;
const WAVE = 50;

const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\u00ad', '\u180e', '\u034f', '\u115f', '\u1160', '\u3164', '\u{e0000}', '\u{e0041}', '\u{e007f}'];
const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

export function registerRequests(store: TestStoreKind): void {
  describe(`access request floods and invisible text (${store})`, () => {
    let v: InProcessVault;
    let flooder: { id: string; token: string };
    let colleague: string;
    beforeAll(async () => {
      v = await inProcessVault({ store });
      await v.api().createAgent({ id: 'flood-agent' });
      const k = await v.api().createUserKey({ name: 'flooder', role: 'developer' });
      flooder = { id: k.id, token: k.token };
      colleague = (await v.api().createUserKey({ name: 'colleague', role: 'developer' })).token;
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('a flood of 1,100 requests from one developer stops at their own cap and rate; a colleague and an admin still file theirs', guarded(async () => {
      let cases = 0;
      let failures = 0;
      const counts = new Map<number, number>();
      // Each request as large as the review's: a 500-character reason and 100 keys of 64 characters.
      const keys = Array.from({ length: 100 }, (_, i) => `k${i}`.padEnd(64, 'x'));
      for (let start = 0; start < FLOOD; start += WAVE) {
        const wave = await Promise.all(
          Array.from({ length: Math.min(WAVE, FLOOD - start) }, (_, i) =>
            call(v.url, 'POST', '/v1/access-requests', { token: flooder.token, body: { secret: `flood_${start + i}`, agent: 'flood-agent', reason: 'r'.repeat(500), keys } }),
          ),
        );
        for (const r of wave) {
          cases++;
          counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
          const ok =
            r.status === 201 ||
            (r.status === 409 && r.json?.code === 'too_many_pending_requests') ||
            (r.status === 429 && r.json?.code === 'rate_limited' && Number(r.headers['retry-after']) >= 1);
          if (!ok) failures++;
        }
      }
      // Exactly the key's own cap was stored, whatever the interleaving; the rest refused.
      cases++;
      if (counts.get(201) !== MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER) failures++;
      cases++;
      if (!counts.get(429)) failures++;
      const others = [
        await call(v.url, 'POST', '/v1/access-requests', { token: colleague, body: { secret: 'colleague_needs', agent: 'flood-agent' } }),
        await call(v.url, 'POST', '/v1/access-requests', { token: v.adminKey, body: { secret: 'admin_needs', agent: 'flood-agent' } }),
      ];
      for (const r of others) {
        cases++;
        if (r.status !== 201) failures++;
      }
      tally(S, cases, failures, 'a 1,100-request flood, bulk deny, invisible characters in every text field');
      expect(Object.fromEntries(counts)[201]).toBe(MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER);
      expect(counts.get(429)).toBeGreaterThan(0);
      expect(others.map((r) => r.status)).toEqual([201, 201]);
      expect(failures).toBe(0);
    }));

    it('only an admin denies in bulk; one call clears the flooder and leaves the others pending', guarded(async () => {
      let cases = 0;
      let failures = 0;
      const body = { requestedById: flooder.id, reason: 'flood' };
      for (const token of [flooder.token, colleague]) {
        const r = await call(v.url, 'POST', '/v1/access-requests/deny', { token, body });
        cases++;
        if (r.status !== 403) failures++;
      }
      for (const bad of [{}, { all: true, requestedById: flooder.id }, { ids: [] }, { all: false }]) {
        const r = await call(v.url, 'POST', '/v1/access-requests/deny', { token: v.adminKey, body: bad });
        cases++;
        if (r.status !== 400) failures++;
      }
      const r = await call(v.url, 'POST', '/v1/access-requests/deny', { token: v.adminKey, body });
      cases++;
      if (r.status !== 200 || r.json.denied.length !== MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER || r.json.more !== false) failures++;
      const pending = await call(v.url, 'GET', '/v1/access-requests?status=pending', { token: v.adminKey });
      cases++;
      const left = (pending.json.requests as { secret: string }[]).map((q) => q.secret).sort();
      if (JSON.stringify(left) !== JSON.stringify(['admin_needs', 'colleague_needs'])) failures++;
      tally(S, cases, failures);
      expect(left).toEqual(['admin_needs', 'colleague_needs']);
      expect(failures).toBe(0);
    }));

    it('refuses zero-width and tag characters in every text field, naming the code point, quoting nothing, a value in the same body never echoed', guarded(async () => {
      let cases = 0;
      let failures = 0;
      const value = sentinel();
      const bodies = (c: string): [string, string, unknown, string, string][] => [
        ['POST', '/v1/access-requests', { secret: 'wanted', agent: 'flood-agent', reason: `please${c}` }, 'reason', colleague],
        ['POST', '/v1/access-requests', { secret: `wanted${c}`, agent: 'flood-agent' }, 'secret', colleague],
        ['POST', '/v1/access-requests/deny', { all: true, reason: `no${c}` }, 'reason', v.adminKey],
        ['POST', '/v1/agents', { id: 'new-agent', name: `Agent${c}` }, 'name', v.adminKey],
        ['POST', '/v1/agents', { id: 'new-agent', description: `does${c}` }, 'description', v.adminKey],
        ['POST', '/v1/keys', { name: `admin${c}`, role: 'admin' }, 'name', v.adminKey],
        ['POST', '/v1/agents/flood-agent/tokens', { name: `ci${c}` }, 'name', v.adminKey],
        ['POST', '/v1/secrets', { name: 'hidden', value, description: `d${c}` }, 'description', v.adminKey],
        ['POST', '/v1/secrets', { name: 'hidden_kv', value: { [`id${c}`]: value } }, 'value', v.adminKey],
      ];
      for (const c of INVISIBLE) {
        for (const [method, path, body, field, token] of bodies(c)) {
          const r = await call(v.url, method, path, { token, body });
          cases++;
          const ok = r.status === 400 && r.json?.field === field && String(r.json?.detail).includes(codePoint(c)) && !r.text.includes(c) && !r.text.includes(value);
          if (!ok) failures++;
        }
      }
      // Nothing of it was stored.
      const secrets = await call(v.url, 'GET', '/v1/secrets', { token: v.adminKey });
      const agents = await call(v.url, 'GET', '/v1/agents', { token: v.adminKey });
      cases += 2;
      if ((secrets.json.secrets as unknown[]).length !== 0) failures++;
      if ((agents.json.agents as { id: string }[]).some((a) => a.id === 'new-agent')) failures++;
      tally(S, cases, failures);
      expect(failures).toBe(0);
    }));
  });
}
