// Credentials where a name goes, at the vault (issue 50, point 3): `get_secret(get_secret('stripe_key'))`
// read a credential as a name and the vault answered "may not read secret 'sk_live_…'" and kept it in
// the audit; an assistant's explain_secret, snippet or request_access put one in the audit and in an
// access request every user sees. Each path is replayed with credentials of many kinds over real
// HTTP, on each store; the vault refuses (400 naming the field) or records a digest, and the
// credential is then searched for in the responses, the audit, the store, the events, the access
// requests and the log (the suite's own leak search also sees the data folder and the log).

import { beforeAll, describe, expect, it } from 'vitest';
import type { TestStoreKind } from '../../helpers/vault';
import { auditAll, caseHolds, databaseText, detectedSamples, echoes, filesText, replayCredentialPaths } from '../../helpers/credentialEcho';
import { CREDENTIAL_SEED } from '../../helpers/credentialNames';
import { openSse, type SseConnection } from '../../helpers/sse';
import { tally } from '../helpers/ledger';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

const S = 'credentials where a name goes (vault)';

export function registerNameEcho(store: TestStoreKind): void {
  describe(`${S} (${store})`, () => {
    let v: InProcessVault;
    let agentToken: string;
    let pendingId: string;
    let sse: SseConnection;
    const samples = detectedSamples();

    beforeAll(async () => {
      v = await inProcessVault({ store });
      const api = v.api();
      await api.createAgent({ id: 'booking-agent' });
      await api.createAgent({ id: 'billing-agent' });
      await api.createSecret({ name: 'stripe_key', value: 'sk_test_name_echo_value', agents: ['booking-agent'] });
      agentToken = (await api.createAgentToken('booking-agent')).token;
      const created = await api.createAccessRequest({ secret: 'stripe_key', agent: 'billing-agent', reason: 'billing' });
      pendingId = created.outcome === 'created' ? created.request.id : '';
      sse = await openSse(v.url, v.adminKey);
    });

    it(`refuses or digests every credential, and echoes none (seed ${CREDENTIAL_SEED})`, async () => {
      const cases = await replayCredentialPaths(v, agentToken, pendingId, samples);
      const bad = cases.filter((c) => !caseHolds(c));
      await new Promise((r) => setTimeout(r, 300));
      sse.close();
      const places: [string, string][] = [
        ['responses', cases.map((c) => c.text).join('\n')],
        ['audit', JSON.stringify(await auditAll(v))],
        ['store', v.databaseUrl ? await databaseText(v.databaseUrl) : filesText(v.dataDir)],
        ['events', JSON.stringify(sse.events)],
        ['access requests', (await v.http('GET', '/v1/access-requests', { token: v.adminKey })).text],
        ['log', v.logs.join('\n')],
      ];
      const found = echoes(samples, places);
      tally(S, cases.length + samples.length * places.length, bad.length + found.length, `${samples.length} credentials × 16 paths, searched in ${places.length} places`);
      expect(bad.map((c) => `${c.label}: ${c.status}`)).toEqual([]);
      expect(found).toEqual([]);
    }, 120_000);
  });
}
