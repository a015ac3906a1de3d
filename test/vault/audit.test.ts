// The audit trail: a record for every mutation and run-time read, written before the response;
// if it cannot be written, the request fails and nothing changes.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../vault/src/store/sqlite/store';
import { addAccount } from '../../vault/src/vault';
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
      // init itself, by a system actor
      ['local:init', 'account.create', v.accountId, 'success'],
      ['local:init', 'userkey.create', 'initial admin', 'success'],
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
    // Every record names the token behind it, not only its display name.
    const adminId = page.records.find((r) => r.action === 'userkey.create' && r.actorType === 'system')!.detail.match(/id: (key_[0-9a-f]+)/)![1];
    const agentTokenId = page.records.find((r) => r.action === 'agent.token.create')!.detail;
    for (const r of page.records) {
      if (r.actorType === 'system') expect(r.actorId).toMatch(/^os-(user|uid):/);
      else if (r.actor === 'initial admin') expect(r.actorId).toBe(adminId);
      else if (r.actor === 'dev') expect(r.actorId).toBe(dev.id);
      else expect(r.actorId).toBe(agentTokenId);
    }
  });

  it('pages from newest to oldest across changes and reads', async () => {
    const api = v.api();
    const all = await api.audit({ limit: 500 });
    expect(all.next).toBeNull();
    // Both kinds of record are in the listing: changes (vault.db) and reads or refusals (audit.db).
    expect(new Set(all.records.map((r) => (r.action.startsWith('runtime.') ? 'read' : 'change')))).toEqual(new Set(['read', 'change']));
    // Ids are opaque (encrypted file and row) and distinct.
    expect(all.records.every((r) => /^[A-Za-z0-9_-]{22}$/.test(r.id))).toBe(true);
    expect(new Set(all.records.map((r) => r.id)).size).toBe(all.records.length);
    const paged: string[] = [];
    let before: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const page = await api.audit({ limit: 4, ...(before ? { before } : {}) });
      paged.push(...page.records.map((r) => r.id));
      if (!page.next) break;
      expect(page.next).toBe(page.records[3]!.id);
      before = page.next;
    }
    expect(paged).toEqual(all.records.map((r) => r.id));
  });

  it('keeps changes and reads in the order they happened', async () => {
    const api = v.api();
    await api.createAgent({ id: 'aud-order' });
    const token = (await api.createAgentToken('aud-order')).token;
    await api.createSecret({ name: 'aud_order', value: 'o', agents: ['aud-order'] });
    for (let i = 0; i < 15; i++) {
      await api.updateSecret('aud_order', { description: `d${i}` });
      await v.api(token).runtimeSecret('aud_order');
    }
    const page = await api.audit({ limit: 30 });
    const actions = page.records.map((r) => r.action).reverse();
    expect(actions).toEqual(Array.from({ length: 15 }, () => ['secret.update', 'runtime.read']).flat());
    expect(page.records.filter((r) => r.action === 'secret.update').map((r) => r.detail)).toEqual(
      Array.from({ length: 15 }, () => 'changed: description'),
    );
  });

  it('merges the two files in the order things happened, even within one millisecond', async () => {
    // Changes go to vault.db and reads to the access log with the same millisecond time here: only
    // the order key taken when each was committed can put them back in order.
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-audit-'));
    const store = new SqliteStore(path.join(dir, 'vault.db'));
    try {
      const now = '2026-01-01T00:00:00.000Z';
      await store.accounts.createAccount({ id: 'acc', name: 'acc', namingStyle: 'snake_case', createdAt: now }, null);
      const expected: string[] = [];
      for (let i = 0; i < 10; i++) {
        const audit = { accountId: 'acc', actor: 'admin', actorId: 'key_admin', actorType: 'user' as const, action: 'agent.create' as const, target: `agent-${i}`, detail: '' };
        await store.agents.createAgent('acc', { id: `agent-${i}`, name: '', description: '', createdAt: now }, { audit, now });
        await store.audit.appendAudit([{ ...audit, actor: `agent-${i}`, actorType: 'agent', action: 'runtime.read', target: `s${i}`, outcome: 'denied' }], now);
        expected.push(`agent.create ${`agent-${i}`}`, `runtime.read s${i}`);
      }
      const all = (await store.audit.listAudit('acc', undefined, 100))!;
      expect(all.map((r) => `${r.action} ${r.target}`).reverse()).toEqual(expected);
      // and pages cut anywhere agree with the whole listing
      for (const size of [1, 3, 7]) {
        const ids: string[] = [];
        let before: string | undefined;
        for (;;) {
          const page = (await store.audit.listAudit('acc', before, size))!;
          ids.push(...page.map((r) => r.id));
          if (page.length < size) break;
          before = page[page.length - 1]!.id;
        }
        expect(ids).toEqual(all.map((r) => r.id));
      }
      expect(await store.audit.listAudit('other-account', all[0]!.id, 10)).toBeUndefined();
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a page cursor that names no record', async () => {
    // Well-formed but made up (ids are encrypted; these decode to nothing), and one of another account.
    const other = await addAccount(v.vault, 'cursor-other', 'snake_case');
    const foreign = (await v.api(other.adminKey).audit({ limit: 1 })).records[0]!.id;
    for (const before of ['AAAAAAAAAAAAAAAAAAAAAA', 'v999999v999999v999999v', foreign]) {
      const r = await v.http('GET', `/v1/audit?before=${before}`, { token: v.adminKey });
      expect(r.status).toBe(400);
      expect(r.json.detail).toContain(before);
    }
    for (const before of ['12', 'x1', 'v0', 'v1;drop', 'v999999']) {
      const r = await v.http('GET', `/v1/audit?before=${encodeURIComponent(before)}`, { token: v.adminKey });
      expect(r.status).toBe(400);
    }
  });

  it('fails the request, and changes nothing, when the audit record cannot be written', async () => {
    const api = v.api();
    await api.createAgent({ id: 'aud-agent-2' });
    const token = (await api.createAgentToken('aud-agent-2')).token;
    await api.createSecret({ name: 'guarded', value: 'g', agents: ['aud-agent-2'] });
    // Changes are audited in vault.db, reads in the access log (audit.db): take both down.
    const d = new Database(path.join(v.dataDir, 'vault.db'));
    const log = new Database(path.join(v.dataDir, 'audit.db'));
    for (const db of [d, log]) db.exec("CREATE TRIGGER audit_down BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit offline'); END;");
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
      for (const db of [d, log]) {
        db.exec('DROP TRIGGER audit_down');
        db.close();
      }
    }
    expect((await api.listSecrets()).map((s) => s.name)).not.toContain('unaudited');
    expect((await api.getSecret('guarded')).description).toBe('');
    expect((await v.api(token).runtimeSecret('guarded')).value).toBe('g');
  });
});
