// Event ids and listing ETags are each account's own: another account's
// activity does not show in them, and Last-Event-ID resume and `event: reset` work as before.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaultEventEnvelope } from '../../protocol/api';
import { addAccount } from '../../vault/src/vault';
import { openSse } from '../helpers/sse';
import { startTestVault, type TestVault, TEST_STORES } from '../helpers/vault';

describe.each(TEST_STORES)('account isolation on the %s store', (store) => {
  let v: TestVault;
  let otherKey: string;
  beforeAll(async () => {
    v = await startTestVault({ store });
    otherKey = (await addAccount(v.vault, 'other', 'snake_case')).adminKey;
  });
  afterAll(() => v.stop());

  const data = (e: { data: string }) => JSON.parse(e.data) as { lastEventId?: number } & Partial<VaultEventEnvelope>;

  describe('per-account event ids and ETags', () => {
    it("another account's changes move neither the listing ETag nor the event ids", async () => {
      const mine = v.api();
      const theirs = v.api(otherKey);
      for (let i = 0; i < 3; i++) await mine.createAgent({ id: `mine-${i}` });
      const listing = await v.http('GET', '/v1/agents', { token: v.adminKey });
      const tag = String(listing.headers.etag);
      const before = await openSse(v.url, v.adminKey);
      const [ready] = await before.next(1);
      before.close();
      expect(data(ready!).lastEventId).toBe(3);

      // The other account is fresh: its sequence starts at 0 whatever this one did.
      const other = await openSse(v.url, otherKey);
      expect(data((await other.next(1))[0]!).lastEventId).toBe(0);
      for (let i = 0; i < 20; i++) await theirs.createAgent({ id: `theirs-${i}` });
      expect((await other.next(20)).map((e) => Number(e.id))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      other.close();

      const again = await v.http('GET', '/v1/agents', { token: v.adminKey, headers: { 'if-none-match': tag } });
      expect(again.status).toBe(304);
      const after = await openSse(v.url, v.adminKey);
      expect(data((await after.next(1))[0]!).lastEventId).toBe(3);
      await mine.createAgent({ id: 'mine-3' });
      const [next] = await after.next(1);
      expect([next!.id, next!.event]).toEqual(['4', 'agent.created']);
      after.close();
      // And a change of its own does move this account's ETag.
      expect((await v.http('GET', '/v1/agents', { token: v.adminKey, headers: { 'if-none-match': tag } })).status).toBe(200);
    });

    it('resumes from Last-Event-ID across the other account’s activity, and resets an unknown position', async () => {
      const mine = v.api();
      const theirs = v.api(otherKey);
      const first = await openSse(v.url, v.adminKey);
      const [ready] = await first.next(1);
      first.close();
      const at = data(ready!).lastEventId!;
      await theirs.createSecret({ name: 'their_secret', value: 'x' });
      await mine.createSecret({ name: 'mine_a', value: 'x' });
      await theirs.updateSecret('their_secret', { description: 'd' });
      await mine.createSecret({ name: 'mine_b', value: 'x' });
      const resumed = await openSse(v.url, v.adminKey, String(at));
      const got = await resumed.next(2);
      expect(got.map((e) => [Number(e.id), (data(e).event as { secret: { name: string } }).secret.name])).toEqual([
        [at + 1, 'mine_a'],
        [at + 2, 'mine_b'],
      ]);
      await new Promise((r) => setTimeout(r, 200));
      expect(resumed.events).toHaveLength(2); // nothing of the other account's
      resumed.close();
      // A position this account never reached (say, another account's higher id): reset to its own last.
      const ahead = await openSse(v.url, v.adminKey, String(at + 1000));
      const [reset] = await ahead.next(1);
      expect([reset!.event, reset!.id, data(reset!).lastEventId]).toEqual(['reset', String(at + 2), at + 2]);
      ahead.close();
    });

    it('ETags of two accounts never match each other', async () => {
      const a = await v.http('GET', '/v1/secrets', { token: v.adminKey });
      const b = await v.http('GET', '/v1/secrets', { token: otherKey, headers: { 'if-none-match': String(a.headers.etag) } });
      expect(b.status).toBe(200);
      expect(String(a.headers.etag)).toContain(v.accountId);
    });
  });

  describe('audit record ids', () => {
    it("do not count the other accounts' records in between", async () => {
      const mine = v.api();
      await mine.createAgent({ id: 'aud-before' });
      const theirs = v.api(otherKey);
      for (let i = 0; i < 30; i++) await theirs.createAgent({ id: `aud-noise-${i}` });
      await mine.createAgent({ id: 'aud-after' });
      const records = (await mine.audit({ limit: 10 })).records;
      const ids = ['aud-after', 'aud-before'].map((t) => records.find((r) => r.action === 'agent.create' && r.target === t)!.id);
      // Before: `v41` and `v10`, whose difference is the other account's activity. Now opaque.
      for (const id of ids) {
        expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(id).not.toMatch(/^[av]\d+$/);
      }
      // Still a working cursor: the page before 'aud-after' starts with 'aud-before'.
      const page = await mine.audit({ limit: 1, before: ids[0]! });
      expect(page.records.map((r) => r.target)).toEqual(['aud-before']);
    });

    it('differ between vaults for the same row (keyed), so one vault tells nothing of another', async () => {
      const w = await startTestVault({ store });
      try {
        const first = async (t: TestVault) => (await t.api().audit({ limit: 500 })).records.at(-1)!;
        const [a, b] = [await first(v), await first(w)];
        expect([a.action, b.action]).toEqual(['account.create', 'account.create']);
        expect(a.id).not.toBe(b.id);
      } finally {
        await w.stop();
      }
    });
  });

  describe('the last admin key', () => {
    it('two admins revoking each other at once: exactly one succeeds, one admin key stays', async () => {
      const api = v.api();
      const second = await api.createUserKey({ name: 'second admin', role: 'admin' });
      const firstId = (await api.listUserKeys()).find((k) => k.name === 'initial admin')!.id;
      const [a, b] = await Promise.all([
        v.http('DELETE', `/v1/keys/${second.id}`, { token: v.adminKey }),
        v.http('DELETE', `/v1/keys/${firstId}`, { token: second.token }),
      ]);
      const statuses = [a.status, b.status].sort();
      // The loser is refused either as the last admin (409) or, if the winner revoked its key first, as unauthenticated (401).
      expect(statuses[0]).toBe(204);
      expect([401, 409]).toContain(statuses[1]);
      const active = (await v.vault.store.tokens.listUserKeys(v.accountId)).filter((k) => k.role === 'admin' && k.revokedAt === null);
      expect(active).toHaveLength(1);
    });

    it('a developer key is never the last admin: revoking developers is always allowed', async () => {
      const admins = (await v.vault.store.tokens.listUserKeys(v.accountId)).filter((k) => k.role === 'admin' && k.revokedAt === null);
      const admin = admins[0]!;
      expect(admins).toHaveLength(1);
      // The admin left may be either key of the test above; a recovery key (as issue-key mints) acts instead.
      const dev = await v.vault.service.keys.issueLocalKey(v.accountId, 'dev', 'developer', 'test');
      const recovery = await v.vault.service.keys.issueLocalKey(v.accountId, 'recovery', 'admin', 'test');
      const viaRecovery = v.api(recovery.token);
      await viaRecovery.revokeUserKey(dev.id);
      await viaRecovery.revokeUserKey(admin.id);
      const last = await v.http('DELETE', `/v1/keys/${recovery.id}`, { token: recovery.token });
      expect([last.status, last.json.code]).toEqual([409, 'last_admin']);
      expect(last.json.detail).toContain('issue-key');
    });
  });
});
