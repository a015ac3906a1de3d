// One pinned test per defect this suite found in the vault, so that each fix stays fixed even if
// the random search stops generating the input that exposed it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

export function registerRegressions(): void {
  describe('regressions', () => {
    let v: InProcessVault;
    beforeAll(async () => {
      v = await inProcessVault();
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('answers router errors (bad percent-encoding, over-long parameter) with a problem document', async () => {
      const cases: [string, string, number][] = [
        ['DELETE', '/v1/keys/w%e', 400],
        ['GET', '/v1/secrets/%E0%A4%A', 400],
        ['POST', `/v1/agents/${'x'.repeat(200)}/tokens`, 414],
      ];
      let failed = 0;
      for (const [method, path, status] of cases) {
        const r = await call(v.url, method, path, { token: v.adminKey, body: {} });
        const ok = r.status === status && String(r.headers['content-type']).startsWith('application/problem+json') && r.json?.code === 'bad_request';
        if (!ok) failed++;
        expect({ status: r.status, type: String(r.headers['content-type']).split(';')[0], code: r.json?.code }).toEqual({ status, type: 'application/problem+json', code: 'bad_request' });
      }
      tally('regressions', cases.length, failed);
    });
  });
}
