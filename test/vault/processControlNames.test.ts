// Environment-style accounts refuse a secret whose name controls a process (protocol/processEnv.ts),
// on both stores: such a secret would become a variable of every local run as its agent (issue 50,
// point 2). A snake_case account's names are no variables: there the names are accepted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVault, TEST_STORES, type TestVault } from '../helpers/vault';
import { REVIEW_NAMES } from '../helpers/processEnvNames';

describe.each(TEST_STORES)('names that control a process (%s)', (store) => {
  let upper: TestVault;
  let snake: TestVault;
  beforeAll(async () => {
    [upper, snake] = await Promise.all([startTestVault({ naming: 'UPPER_CASE', store }), startTestVault({ naming: 'snake_case', store })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([upper?.stop(), snake?.stop()]);
  });

  it('an UPPER_CASE account refuses each with 400 process_control_name, naming the field and never the value', async () => {
    for (const name of [...REVIEW_NAMES, 'LD_PRELOAD']) {
      const r = await upper.http('POST', '/v1/secrets', { token: upper.adminKey, body: { name, value: 'planted-value-51c7' } });
      expect(r.status, name).toBe(400);
      expect(r.json, name).toMatchObject({ code: 'process_control_name', field: 'name' });
      expect(r.text).not.toContain('planted-value-51c7');
    }
    // In another case: refused too (an UPPER_CASE account's name rule may answer first).
    for (const name of ['ps0', 'Path']) expect((await upper.http('POST', '/v1/secrets', { token: upper.adminKey, body: { name, value: 'v' } })).status, name).toBe(400);
    const names = (await upper.api().listSecrets()).map((s) => s.name);
    expect(names).toEqual([]);
    // A credential-shaped name, and one a run injects only when opted into, are created.
    for (const name of ['STRIPE_API_KEY', 'DATABASE_URL']) expect((await upper.http('POST', '/v1/secrets', { token: upper.adminKey, body: { name, value: 'v' } })).status, name).toBe(201);
  });

  it('a snake_case account accepts them: its names are not variables', async () => {
    const r = await snake.http('POST', '/v1/secrets', { token: snake.adminKey, body: { name: 'PS0', value: 'v' } });
    expect(r.status).toBe(201);
  });
});
