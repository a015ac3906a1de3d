// The audit trail: a record for every mutation and run-time read, written before the response;
// if it cannot be written, the request fails and nothing changes.

import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestVault, type TestVault } from '../helpers/vault';

let v: TestVault;
let agent: string;
beforeAll(async () => {
  v = await startTestVault();
});
afterAll(() => v.stop());

describe('audit', () => {
  it('records every mutation and run-time read with actor, action, target and outcome', async () => {
    const api = v.api();
    await api.createAgent({ id: 'aud-agent' });
    agent = (await api.createAgentToken('aud-agent')).token;
    await api.createSecret({ name: 'aud_secret', value: 'x', agents: ['aud-agent'] });
    await api.updateSecret('aud_secret', { description: 'd' });
    await api.revoke('aud_secret', 'aud-agent');
    await api.grant('aud_secret', 'aud-agent');
    await api.replaceAccess('aud_secret', ['aud-agent'], 4);
    await v.api(agent).runtimeSecret('aud_secret');
    await v.api(agent).runtimeEnv();
    await v.api(agent).runtimeSecret('nope').catch(() => undefined);
    const dev = await api.createUserKey({ name: 'dev', role: 'developer' });
    await v.api(dev.token).deleteSecret('aud_secret').catch(() => undefined);
    await api.deleteSecret('aud_secret');
    await api.deleteAgent('aud-agent');
    await api.revokeUserKey(dev.id);

    const page = await api.audit({ limit: 100 });
    const rows = page.records.map((r) => [r.actor, r.action, r.target, r.outcome]).reverse();
    expect(rows).toEqual([
      ['initial admin', 'agent.create', 'aud-agent', 'success'],
      ['initial admin', 'agent.token.create', 'aud-agent', 'success'],
      ['initial admin', 'secret.create', 'aud_secret', 'success'],
      ['initial admin', 'secret.update', 'aud_secret', 'success'],
      ['initial admin', 'access.revoke', 'aud_secret', 'success'],
      ['initial admin', 'access.grant', 'aud_secret', 'success'],
      ['initial admin', 'access.replace', 'aud_secret', 'success'],
      ['aud-agent', 'runtime.read', 'aud_secret', 'success'],
      ['aud-agent', 'runtime.env', '*', 'success'],
      ['aud-agent', 'runtime.read', 'nope', 'denied'],
      ['initial admin', 'userkey.create', 'dev', 'success'],
      ['dev', 'secret.delete', 'aud_secret', 'denied'],
      ['initial admin', 'secret.delete', 'aud_secret', 'success'],
      ['initial admin', 'agent.delete', 'aud-agent', 'success'],
      ['initial admin', 'userkey.revoke', dev.id, 'success'],
    ]);
    expect(page.records.every((r) => !Number.isNaN(Date.parse(r.time)))).toBe(true);
    expect(page.records.find((r) => r.action === 'secret.update')?.detail).toBe('changed: description');
  });

  it('pages from newest to oldest', async () => {
    const api = v.api();
    const first = await api.audit({ limit: 4 });
    expect(first.records).toHaveLength(4);
    expect(first.next).toBe(first.records[3]!.id);
    const second = await api.audit({ limit: 4, before: first.next! });
    expect(second.records[0]!.id).toBeLessThan(first.records[3]!.id);
    const all = await api.audit({ limit: 500 });
    expect(all.next).toBeNull();
  });

  it('fails the request, and changes nothing, when the audit record cannot be written', async () => {
    const api = v.api();
    await api.createAgent({ id: 'aud-agent-2' });
    const token = (await api.createAgentToken('aud-agent-2')).token;
    await api.createSecret({ name: 'guarded', value: 'g', agents: ['aud-agent-2'] });
    const d = new Database(path.join(v.dataDir, 'vault.db'));
    d.exec("CREATE TRIGGER audit_down BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit offline'); END;");
    try {
      const create = await v.http('POST', '/v1/secrets', { token: v.adminKey, body: { name: 'unaudited', value: 'x' } });
      expect(create.status).toBe(500);
      expect(create.json.code).toBe('internal');
      const update = await v.http('PATCH', '/v1/secrets/guarded', { token: v.adminKey, body: { description: 'changed' } });
      expect(update.status).toBe(500);
      const read = await v.http('GET', '/v1/runtime/secrets/guarded', { token });
      expect(read.status).toBe(500);
      expect(read.text).not.toContain('"g"');
    } finally {
      d.exec('DROP TRIGGER audit_down');
      d.close();
    }
    expect((await api.listSecrets()).map((s) => s.name)).not.toContain('unaudited');
    expect((await api.getSecret('guarded')).description).toBe('');
    expect((await v.api(token).runtimeSecret('guarded')).value).toBe('g');
  });
});
