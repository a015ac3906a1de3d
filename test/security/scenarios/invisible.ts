// One text rule for every field (issue 50, 5). The assistant audit route took zero-width, tag and
// filler characters in its `target` that every other field refused, and variation selectors
// (`stripe_key\uFE0F`), the Mongolian free variation selectors and the braille blank passed in names,
// agent names, keys and reasons, printing raw beside the name they pass for. Now each code point
// below is refused (400) in each field, body or path, on each store, over real HTTP, and never
// echoed or audited. And a name that looks like a held one through letters of another script
// (`strіpe_key` with a Cyrillic і: its confusable skeleton, after UTS #39) is refused (409) naming
// the held one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStoreKind } from '../../helpers/vault';
import { tally } from '../helpers/ledger';
import { sentinel } from '../helpers/leakwatch';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';
import { rawCall } from './names';
import { INVISIBLE_CODE_POINTS } from '../../helpers/invisible';

const S = 'one text rule: invisible characters';
const S_TWINS = 'names: look-alike twins (confusable skeleton)';

/** Names a person takes for `stripe_key`: Cyrillic і, ѕ, е, Т, Р; Greek Ι, Κ; a hyphen; fullwidth. */
const TWINS = ['strіpe_key', 'ѕtripe_key', 'stripe_kеy', 'SТRIРE_KEY', 'STRΙPE_ΚEY', 'strіpe-key', 'ｓｔｒｉｐｅ＿ｋｅｙ'];
/** Names that are not: another word, an accent a person sees, a separator added or dropped. */
const NOT_TWINS = ['stripe_keys', 'strípe_key', 'stripekey', 'stripe__key'];

export function registerInvisible(store: TestStoreKind): void {
  describe(`one text rule and look-alike names (${store})`, () => {
    let v: InProcessVault;
    let developer: string;
    let agentToken: string;
    beforeAll(async () => {
      v = await inProcessVault({ store });
      const api = v.api();
      await api.createAgent({ id: 'text-agent', name: 'Text' });
      await api.createSecret({ name: 'api_key', value: sentinel(), agents: ['text-agent'] });
      await api.createSecret({ name: 'stripe_key', value: sentinel(), agents: ['text-agent'] });
      developer = (await api.createUserKey({ name: 'text-dev', role: 'developer' })).token;
      agentToken = (await api.createAgentToken('text-agent')).token;
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('each invisible code point is refused in every field, body or path, and reaches no answer and no audit record', async () => {
      const failures: string[] = [];
      let cases = 0;
      const assistant = { 'x-secrets-vault-client': 'text-probe' };
      for (const c of INVISIBLE_CODE_POINTS) {
        const seg = encodeURIComponent;
        /** [method, path, token, body, headers] */
        const calls: [string, string, string, unknown?, Record<string, string>?][] = [
          ['POST', '/v1/secrets', v.adminKey, { name: `stripe_key${c}`, value: 'x' }],
          ['POST', '/v1/secrets', v.adminKey, { name: 'new_one', value: 'x', description: `d ${c}` }],
          ['POST', '/v1/secrets', v.adminKey, { name: 'new_kv', value: { [`client${c}id`]: 'v' } }],
          ['PATCH', '/v1/secrets/api_key', v.adminKey, { description: `d ${c}` }],
          ['POST', '/v1/access-requests', developer, { secret: 'api_key', agent: 'text-agent', reason: `needed ${c}` }],
          ['POST', '/v1/access-requests', developer, { secret: `api_key${c}`, agent: 'text-agent' }],
          ['POST', '/v1/access-requests', developer, { secret: 'api_key', agent: `text-agent${c}` }],
          ['POST', '/v1/access-requests', developer, { secret: 'brand_new', agent: 'text-agent', keys: [`client${c}id`] }],
          ['POST', '/v1/access-requests/deny', v.adminKey, { all: true, reason: `no ${c}` }],
          ['POST', '/v1/agents', v.adminKey, { id: `helper${c}` }],
          ['POST', '/v1/agents', v.adminKey, { id: 'helper', name: `Helper ${c}` }],
          ['POST', '/v1/agents', v.adminKey, { id: 'helper', description: `Helps ${c}` }],
          ['PATCH', '/v1/agents/text-agent', v.adminKey, { name: `Text${c}` }],
          ['POST', '/v1/agents/text-agent/tokens', v.adminKey, { name: `ci ${c}` }],
          ['POST', '/v1/keys', v.adminKey, { name: `admin${c}`, role: 'admin' }],
          ['POST', '/v1/audit/assistant', v.adminKey, { tool: 'explain_secret', target: `stripe_key${c}`, outcome: 'success' }, assistant],
          ['POST', '/v1/audit/assistant', developer, { tool: 'check_code', target: `src/app${c}.py`, outcome: 'failed' }, assistant],
          ['GET', `/v1/secrets/${seg(`stripe_key${c}`)}`, v.adminKey],
          ['GET', `/v1/runtime/secrets/${seg(`stripe_key${c}`)}`, agentToken],
          ['PUT', `/v1/secrets/api_key/access/${seg(`text-agent${c}`)}`, v.adminKey],
        ];
        for (const [method, path, token, body, headers] of calls) {
          cases++;
          const r = await rawCall(v.url, method, path, token, body, headers);
          const where = `${method} ${path.split('/').slice(0, 4).join('/')} U+${c.codePointAt(0)!.toString(16).toUpperCase()}`;
          if (r.status !== 400) failures.push(`${where} → ${r.status}`);
          else if (JSON.stringify(r.json ?? {}).includes(c)) failures.push(`${where}: the answer holds the character`);
        }
      }
      // Nothing refused was recorded with the character in it.
      const audit = JSON.stringify((await rawCall(v.url, 'GET', '/v1/audit?limit=500', v.adminKey)).json);
      cases++;
      const inAudit = INVISIBLE_CODE_POINTS.filter((c) => audit.includes(c));
      if (inAudit.length) failures.push(`${inAudit.length} character(s) in the audit`);
      // The rule refuses what it should, and no more: plain text with accents, CJK and emoji passes in the same fields.
      cases += 2;
      const plain = await rawCall(v.url, 'POST', '/v1/audit/assistant', v.adminKey, { tool: 'explain_secret', target: 'Zürich 東京 🔑 stripe_key', outcome: 'success' }, assistant);
      if (plain.status !== 204) failures.push(`plain assistant target → ${plain.status}`);
      const named = await rawCall(v.url, 'POST', '/v1/secrets', v.adminKey, { name: 'Zürich 東京 🔑', value: 'x' });
      if (named.status !== 201) failures.push(`plain name → ${named.status}`);
      tally(S, cases, failures.length, `${INVISIBLE_CODE_POINTS.length} code points × 20 fields (+3), each store`);
      expect(failures).toEqual([]);
    });

    it('a name that passes for a held one through look-alike letters is refused (409) naming it; names a person tells apart are not', async () => {
      const failures: string[] = [];
      for (const twin of TWINS) {
        const r = await rawCall(v.url, 'POST', '/v1/secrets', v.adminKey, { name: twin, value: sentinel() });
        if (r.status !== 409 || !String(r.json?.detail).includes("Secret 'stripe_key' already exists")) failures.push(`${twin} → ${r.status} ${r.json?.detail ?? ''}`);
      }
      for (const other of NOT_TWINS) {
        const r = await rawCall(v.url, 'POST', '/v1/secrets', v.adminKey, { name: other, value: sentinel() });
        if (r.status !== 201) failures.push(`${other} → ${r.status} (refused, but a person tells it apart)`);
      }
      const names = ((await rawCall(v.url, 'GET', '/v1/secrets', v.adminKey)).json.secrets as { name: string }[]).map((s) => s.name);
      const held = TWINS.filter((t) => names.includes(t));
      if (held.length) failures.push(`stored: ${held.join(', ')}`);
      tally(S_TWINS, TWINS.length + NOT_TWINS.length + 1, failures.length, 'Cyrillic, Greek, fullwidth; each store');
      expect(failures).toEqual([]);
    });
  });
}
