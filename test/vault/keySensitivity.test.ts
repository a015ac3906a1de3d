// Marks on keys of a key/value secret (keySensitivity) over real HTTP on both stores: set at
// creation and by update (alone, with a value, cleared), checked against the secret's keys, carried
// by every metadata response and event, versioned (If-Match) and audited by key name, never a value.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaultEvent } from '../../protocol/api';
import { apiFailure, startTestVault, type TestVault, TEST_STORES } from '../helpers/vault';

// Values that must never come back or be written anywhere readable.
const API_KEY = 'sk-live-7f3a9c1e5b2d4f60';
const BASE_URL = 'https://oms.example.test/v2';
const NEW_KEY = 'sk-live-b81d04e2aa97c3f5';

describe.each(TEST_STORES)('marks on keys on the %s store', (store) => {
  let v: TestVault;
  let developer: string;

  beforeAll(async () => {
    v = await startTestVault({ store });
    await v.api().createAgent({ id: 'booking-agent' });
    developer = (await v.api().createUserKey({ name: 'dev', role: 'developer' })).token;
  });
  afterAll(() => v.stop());

  const auditOf = async (target: string) => (await v.api().audit({ limit: 500 })).records.filter((r) => r.target === target);
  const events = async (after: number): Promise<VaultEvent[]> => (await v.vault.service.events.eventsAfter(v.accountId, after, 1000)).map((e) => e.event);
  const noValueAnywhere = async (...values: string[]) => {
    const audit = JSON.stringify(await v.api().audit({ limit: 500 }));
    const list = (await v.http('GET', '/v1/secrets', { token: developer })).text;
    for (const value of values) {
      expect(audit).not.toContain(value);
      expect(list).not.toContain(value);
      for (const line of v.logs) expect(line).not.toContain(value);
    }
  };

  it('a create marks keys; every metadata response and event carries the marks; the audit names keys and marks', async () => {
    const api = v.api();
    const last = await v.vault.service.events.lastEventId(v.accountId);
    const created = await api.createSecret({
      name: 'oms_prod_api',
      value: { API_KEY, BASE_URL },
      agents: ['booking-agent'],
      keySensitivity: { BASE_URL: 'not-sensitive' },
    });
    expect(created).toMatchObject({ version: 1, kind: 'kv', keys: ['API_KEY', 'BASE_URL'], keySensitivity: { BASE_URL: 'not-sensitive' } });
    expect(JSON.stringify(created)).not.toContain(API_KEY);
    // Developers read the marks too (metadata), in the list and one by one.
    const one = await v.http('GET', '/v1/secrets/oms_prod_api', { token: developer });
    expect(one.json.keySensitivity).toEqual({ BASE_URL: 'not-sensitive' });
    expect(one.text).not.toContain(BASE_URL);
    const list = await v.http('GET', '/v1/secrets', { token: developer });
    expect(list.json.secrets.find((s: { name: string }) => s.name === 'oms_prod_api').keySensitivity).toEqual({ BASE_URL: 'not-sensitive' });
    expect(await events(last)).toEqual([expect.objectContaining({ type: 'secret.created', secret: expect.objectContaining({ keySensitivity: { BASE_URL: 'not-sensitive' } }) })]);
    const [record] = await auditOf('oms_prod_api');
    expect(record).toMatchObject({ action: 'secret.create', outcome: 'success' });
    expect(record!.detail).toContain('keySensitivity: BASE_URL=not-sensitive');
    // A secret without marks carries none (no field), so metadata reads as before.
    const plain = await api.createSecret({ name: 'plain_kv', value: { user: 'u', password: 'pw-0c4e1f' } });
    expect(plain).not.toHaveProperty('keySensitivity');
    await noValueAnywhere(API_KEY, BASE_URL, 'pw-0c4e1f');
  });

  it('an update that only changes marks needs no value, moves the version (If-Match applies) and keeps the ciphertext', async () => {
    const api = v.api();
    const before = await api.getSecret('oms_prod_api');
    const stale = await apiFailure(api.updateSecret('oms_prod_api', { keySensitivity: {} }, before.version - 1 || 99));
    expect(stale.status).toBe(412);
    const last = await v.vault.service.events.lastEventId(v.accountId);
    const marked = await api.updateSecret('oms_prod_api', { keySensitivity: { BASE_URL: 'not-sensitive', API_KEY: 'sensitive' } }, before.version);
    expect(marked).toMatchObject({ version: before.version + 1, valueVersion: before.valueVersion, keySensitivity: { API_KEY: 'sensitive', BASE_URL: 'not-sensitive' } });
    expect(await events(last)).toEqual([expect.objectContaining({ type: 'secret.updated', secret: expect.objectContaining({ version: before.version + 1 }) })]);
    const record = (await auditOf('oms_prod_api'))[0]!;
    expect(record).toMatchObject({ action: 'secret.update', outcome: 'success' });
    expect(record.detail).toBe('changed: keySensitivity; keySensitivity: API_KEY=sensitive, BASE_URL=not-sensitive');
    // The value is what it was: an agent reads it unchanged.
    const agentToken = (await api.createAgentToken('booking-agent')).token;
    const read = await v.http('GET', '/v1/runtime/secrets/oms_prod_api', { token: agentToken });
    expect(read.json.value).toEqual({ API_KEY, BASE_URL });
    // {} clears every mark.
    const cleared = await api.updateSecret('oms_prod_api', { keySensitivity: {} }, marked.version);
    expect(cleared.version).toBe(marked.version + 1);
    expect(cleared).not.toHaveProperty('keySensitivity');
    expect((await auditOf('oms_prod_api'))[0]!.detail).toBe('changed: keySensitivity; keySensitivity: (none)');
  });

  it('absent keeps the marks; a new value drops the marks on keys it drops; marks given with a value are for its keys', async () => {
    const api = v.api();
    await api.updateSecret('oms_prod_api', { keySensitivity: { BASE_URL: 'not-sensitive', API_KEY: 'sensitive' } });
    const described = await api.updateSecret('oms_prod_api', { description: 'the OMS' });
    expect(described.keySensitivity).toEqual({ API_KEY: 'sensitive', BASE_URL: 'not-sensitive' });
    // The new value has no API_KEY: its mark goes, BASE_URL's stays; the audit says so.
    const renamed = await api.updateSecret('oms_prod_api', { value: { TOKEN: NEW_KEY, BASE_URL } });
    expect(renamed).toMatchObject({ keys: ['BASE_URL', 'TOKEN'], keySensitivity: { BASE_URL: 'not-sensitive' } });
    expect((await auditOf('oms_prod_api'))[0]!.detail).toBe('changed: value; keySensitivity: BASE_URL=not-sensitive');
    // Marks with a value: checked against the new value's keys, not the stored ones.
    const both = await api.updateSecret('oms_prod_api', { value: { API_KEY, REGION: 'eu-west-1' }, keySensitivity: { REGION: 'not-sensitive' } });
    expect(both).toMatchObject({ keys: ['API_KEY', 'REGION'], keySensitivity: { REGION: 'not-sensitive' } });
    // A single value has no keys: its marks go.
    const single = await api.updateSecret('oms_prod_api', { value: NEW_KEY });
    expect(single.kind).toBe('single');
    expect(single).not.toHaveProperty('keySensitivity');
    await noValueAnywhere(API_KEY, BASE_URL, NEW_KEY, 'eu-west-1');
  });

  it('a rollback keeps the marks on the restored value\'s keys only', async () => {
    const api = v.api();
    await api.createSecret({ name: 'rolled_kv', value: { API_KEY, BASE_URL, REGION: 'eu' }, keySensitivity: { BASE_URL: 'not-sensitive', REGION: 'sensitive' } });
    const two = await api.updateSecret('rolled_kv', { value: { API_KEY, BASE_URL } });
    expect(two.keySensitivity).toEqual({ BASE_URL: 'not-sensitive' });
    const marked = await api.updateSecret('rolled_kv', { keySensitivity: { API_KEY: 'not-sensitive', BASE_URL: 'not-sensitive' } });
    const back = await api.rollbackSecret('rolled_kv', 1, marked.version);
    expect(back).toMatchObject({ keys: ['API_KEY', 'BASE_URL', 'REGION'], keySensitivity: { API_KEY: 'not-sensitive', BASE_URL: 'not-sensitive' } });
  });

  it('refuses marks on keys the secret does not have, on a single value, and unknown marks, changing nothing', async () => {
    const api = v.api();
    const before = await api.getSecret('rolled_kv');
    const lastAudit = (await auditOf('rolled_kv')).length;
    const missing = await apiFailure(api.updateSecret('rolled_kv', { keySensitivity: { HOST: 'not-sensitive' } }));
    expect(missing).toMatchObject({ status: 400 });
    expect(missing.problem).toMatchObject({ code: 'bad_request', field: 'keySensitivity' });
    expect(missing.message).toContain("'HOST'");
    const withValue = await apiFailure(api.updateSecret('rolled_kv', { value: { A: '1' }, keySensitivity: { API_KEY: 'sensitive' } }));
    expect(withValue.status).toBe(400);
    const onSingle = await apiFailure(api.createSecret({ name: 'single_marked', value: API_KEY, keySensitivity: { value: 'not-sensitive' } }));
    expect(onSingle).toMatchObject({ status: 400 });
    expect(onSingle.message).toContain('single-value');
    expect(onSingle.message).not.toContain(API_KEY);
    const badMark = await v.http('PATCH', '/v1/secrets/rolled_kv', { token: v.adminKey, body: { keySensitivity: { API_KEY: 'secret' } } });
    expect(badMark.status).toBe(400);
    // A key no value could have is refused by the schema (never echoed back as a value might be).
    const notAKey = await v.http('PATCH', '/v1/secrets/rolled_kv', { token: v.adminKey, body: { keySensitivity: { [API_KEY + ' !']: 'sensitive' } } });
    expect(notAKey.status).toBe(400);
    expect(notAKey.text).not.toContain(API_KEY);
    expect((await v.http('GET', '/v1/secrets/single_marked', { token: v.adminKey })).status).toBe(404);
    expect(await api.getSecret('rolled_kv')).toEqual(before);
    expect((await auditOf('rolled_kv')).length).toBe(lastAudit);
    // Developers cannot mark keys (an admin's change), and the refusal is audited.
    const denied = await v.http('PATCH', '/v1/secrets/rolled_kv', { token: developer, body: { keySensitivity: {} } });
    expect(denied.status).toBe(403);
    expect((await auditOf('rolled_kv'))[0]).toMatchObject({ action: 'secret.update', outcome: 'denied' });
  });

  it('the OpenAPI document describes the marks in metadata and in both requests', async () => {
    const doc = (await v.http('GET', '/v1/openapi.json')).json;
    const text = JSON.stringify(doc);
    const schemas = doc.components?.schemas ?? {};
    expect(JSON.stringify(schemas.SecretMetadata ?? text)).toContain('keySensitivity');
    const bodyOf = (path: string, method: string) => JSON.stringify(doc.paths[path][method].requestBody);
    expect(bodyOf('/v1/secrets', 'post')).toContain('keySensitivity');
    expect(bodyOf('/v1/secrets/{name}', 'patch')).toContain('not-sensitive');
  });
});
