// Server-Sent Events: delivery of every change, resume after a dropped connection, reset, heartbeat.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaultEventEnvelope } from '../../protocol/api';
import { addAccount } from '../../vault/src/vault';
import { openSse } from '../helpers/sse';
import { startTestVault, type TestVault, TEST_STORES } from '../helpers/vault';

describe.each(TEST_STORES)('events on the %s store', (store) => {
  let v: TestVault;
  beforeAll(async () => {
    v = await startTestVault({ store, heartbeatMs: 200 });
  });
  afterAll(() => v.stop());

  const data = (e: { data: string }) => JSON.parse(e.data) as VaultEventEnvelope;

  describe('events', () => {
    it('delivers every kind of change with ids, in order', async () => {
      const sse = await openSse(v.url, v.adminKey);
      expect(sse.status).toBe(200);
      const [ready] = await sse.next(1);
      expect(ready!.event).toBe('ready');
      const api = v.api();
      await api.createAgent({ id: 'ev-agent' });
      await api.createSecret({ name: 'ev_secret', value: 'x' });
      await api.updateSecret('ev_secret', { description: 'd' });
      await api.grant('ev_secret', 'ev-agent');
      await api.deleteAgent('ev-agent');
      await api.deleteSecret('ev_secret');
      const got = await sse.next(7);
      expect(got.map((e) => e.event)).toEqual([
        'agent.created',
        'secret.created',
        'secret.updated',
        'access.changed',
        'access.changed',
        'agent.deleted',
        'secret.deleted',
      ]);
      const ids = got.map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(data(got[3]!).event).toMatchObject({ type: 'access.changed', secret: { name: 'ev_secret', agents: ['ev-agent'] } });
      expect(data(got[4]!).event).toMatchObject({ type: 'access.changed', secret: { agents: [] } });
      expect(data(got[6]!).event).toEqual({ type: 'secret.deleted', name: 'ev_secret' });
      expect(got.every((e) => !e.data.includes('"value"'))).toBe(true);
      sse.close();
    });

    it('resumes after a dropped connection with Last-Event-ID, missing nothing and repeating nothing', async () => {
      const api = v.api();
      const first = await openSse(v.url, v.adminKey);
      await first.next(1);
      await api.createSecret({ name: 'resume_a', value: 'x' });
      const [a] = await first.next(1);
      first.close(); // the connection drops
      await api.createSecret({ name: 'resume_b', value: 'x' });
      await api.createSecret({ name: 'resume_c', value: 'x' });
      const second = await openSse(v.url, v.adminKey, a!.id);
      await api.createSecret({ name: 'resume_d', value: 'x' });
      const got = await second.next(3);
      expect(got.map((e) => (data(e).event as { secret: { name: string } }).secret.name)).toEqual(['resume_b', 'resume_c', 'resume_d']);
      await new Promise((r) => setTimeout(r, 300));
      expect(second.events).toHaveLength(3);
      second.close();
    });

    it('tells a client with an unknown position to reset', async () => {
      const sse = await openSse(v.url, v.adminKey, '999999999');
      const [e] = await sse.next(1);
      expect(e!.event).toBe('reset');
      sse.close();
    });

    it('sends heartbeats on an idle stream', async () => {
      const sse = await openSse(v.url, v.adminKey);
      await sse.next(1);
      await new Promise((r) => setTimeout(r, 700));
      expect(sse.comments.filter((c) => c.includes('heartbeat')).length).toBeGreaterThanOrEqual(2);
      sse.close();
    });

    it('lets developers subscribe, and never crosses accounts', async () => {
      const dev = (await v.api().createUserKey({ name: 'dev', role: 'developer' })).token;
      const other = await addAccount(v.vault, 'other', 'UPPER_CASE');
      const mine = await openSse(v.url, dev);
      const theirs = await openSse(v.url, other.adminKey);
      await mine.next(1);
      await theirs.next(1);
      await v.api(other.adminKey).createSecret({ name: 'THEIR_SECRET', value: 'x' });
      await v.api().createSecret({ name: 'our_secret', value: 'x' });
      const [m] = await mine.next(1);
      const [t] = await theirs.next(1);
      expect(data(m!).event).toMatchObject({ secret: { name: 'our_secret' } });
      expect(data(t!).event).toMatchObject({ secret: { name: 'THEIR_SECRET' } });
      await new Promise((r) => setTimeout(r, 200));
      expect(mine.events.some((e) => e.data.includes('THEIR_SECRET'))).toBe(false);
      // resuming from an early id replays only this account's events
      const replay = await openSse(v.url, other.adminKey, '0');
      const [only] = await replay.next(1);
      expect(data(only!).event).toMatchObject({ secret: { name: 'THEIR_SECRET' } });
      await new Promise((r) => setTimeout(r, 200));
      expect(replay.events).toHaveLength(1);
      for (const s of [mine, theirs, replay]) s.close();
    });
  });
});
