// POST /v1/access/changes over real HTTP on each store: grants and revokes of several secrets as
// one audited change (access review --apply). One audit record with the reason, one version and
// one event per secret; all or nothing, a refusal naming the change by its index; admins only;
// idempotent.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACCESS_CHANGES, type AccessChangesResult, type AuditRecord, type VaultEventEnvelope } from '../../protocol/api';
import { openSse, type SseConnection } from '../helpers/sse';
import { startTestVault, TEST_STORES, type TestVault } from '../helpers/vault';

for (const store of TEST_STORES) {
  describe(`POST /v1/access/changes (${store})`, () => {
    let v: TestVault;
    let developerKey: string;
    let agentToken: string;
    let sse: SseConnection;

    beforeAll(async () => {
      v = await startTestVault({ store });
      const api = v.api();
      for (const id of ['PROJECT-WEVYLLDV', 'billing-agent', 'booking-agent']) await api.createAgent({ id });
      await api.createSecret({ name: 'stripe_key', value: 'sk_test_batch_value_1', agents: ['booking-agent'] });
      await api.createSecret({ name: 'Prod API Credentials', value: { client_id: 'id-batch', client_secret: 'secret-batch-value' }, agents: [] });
      await api.createSecret({ name: 'webhook', value: 'whsec_batch_value_3', agents: ['PROJECT-WEVYLLDV'] });
      developerKey = (await api.createUserKey({ name: 'dev', role: 'developer' })).token;
      agentToken = (await api.createAgentToken('booking-agent')).token;
      sse = await openSse(v.url, v.adminKey);
      await sse.next(1); // ready
    });
    afterAll(async () => {
      sse?.close();
      await v?.stop();
    });

    const post = (changes: unknown, o: { token?: string; reason?: string } = {}) =>
      v.http('POST', '/v1/access/changes', {
        token: o.token ?? v.adminKey,
        body: { changes },
        headers: o.reason === undefined ? {} : { 'x-secrets-vault-reason': encodeURIComponent(o.reason) },
      });
    const audit = async (): Promise<AuditRecord[]> => (await v.api().audit({ limit: 200 })).records;
    const lists = async () => Object.fromEntries((await v.api().listSecrets()).map((s) => [s.name, [s.version, s.agents]]));

    const swap = [
      { secret: 'stripe_key', agent: 'booking-agent', granted: false },
      { secret: 'Prod API Credentials', agent: 'PROJECT-WEVYLLDV', granted: true },
      { secret: 'Prod API Credentials', agent: 'billing-agent', granted: true },
      { secret: 'webhook', agent: 'PROJECT-WEVYLLDV', granted: true },
    ];

    it('applies the batch as one audited change: one record with the reason, a version and an event per secret; the agent reads at once', async () => {
      expect((await v.api(agentToken).runtimeSecret('stripe_key')).value).toBe('sk_test_batch_value_1');
      const r = await post(swap, { reason: 'access review: the code reads it — ünïcode ok' });
      expect(r.status, r.text).toBe(200);
      const body = r.json as AccessChangesResult;
      expect(body.changes.map((c) => c.outcome)).toEqual(['changed', 'changed', 'changed', 'unchanged']);
      expect(body.secrets.map((s) => [s.name, s.version, s.agents])).toEqual([
        ['Prod API Credentials', 2, ['PROJECT-WEVYLLDV', 'billing-agent']],
        ['stripe_key', 2, []],
      ]);
      const [record] = await audit();
      expect(record).toMatchObject({
        id: body.auditId,
        action: 'access.batch',
        target: '3 access changes',
        detail: 'revoke "stripe_key" from booking-agent, grant "Prod API Credentials" to PROJECT-WEVYLLDV, grant "Prod API Credentials" to billing-agent; reason: access review: the code reads it — ünïcode ok',
        actor: 'initial admin',
        outcome: 'success',
      });
      // Open editors refresh: one access.changed per secret, as the metadata now is.
      const events = (await sse.next(2)).map((e) => JSON.parse(e.data) as VaultEventEnvelope);
      expect(events.map((e) => e.event.type === 'access.changed' && [e.event.secret.name, e.event.secret.agents])).toEqual([
        ['Prod API Credentials', ['PROJECT-WEVYLLDV', 'billing-agent']],
        ['stripe_key', []],
      ]);
      // The revoked agent's next read is refused (the granted-read cache saw the batch).
      expect((await v.http('GET', '/v1/runtime/secrets/stripe_key', { token: agentToken })).status).toBe(403);
    });

    it('is idempotent: the same batch again changes nothing, records nothing, announces nothing', async () => {
      const before = { lists: await lists(), audit: (await audit()).length };
      const r = await post(swap, { reason: 'again' });
      expect(r.status, r.text).toBe(200);
      expect(r.json).toMatchObject({ secrets: [], auditId: null });
      expect((r.json as AccessChangesResult).changes.every((c) => c.outcome === 'unchanged')).toBe(true);
      expect({ lists: await lists(), audit: (await audit()).length }).toEqual(before);
      await new Promise((res) => setTimeout(res, 200));
      expect(sse.events.filter((e) => e.event === 'access.changed')).toHaveLength(2);
    });

    it('refuses the whole batch, changing nothing, naming the failing change by its index', async () => {
      const before = { lists: await lists(), audit: (await audit()).map((a) => a.id) };
      const good = { secret: 'stripe_key', agent: 'booking-agent', granted: true };
      const cases: [string, unknown[], number, string, string][] = [
        ['a missing secret', [good, { secret: 'ghost_key', agent: 'booking-agent', granted: true }], 404, 'changes.1.secret', "changes[1]: secret 'ghost_key' does not exist"],
        ['an unknown agent', [{ secret: 'webhook', agent: 'PROJECT-NOSUCHID', granted: false }, good], 404, 'changes.0.agent', "changes[0]: agent 'PROJECT-NOSUCHID' does not exist"],
        ['a moved version', [good, { secret: 'webhook', agent: 'billing-agent', granted: true, version: 7 }], 412, 'changes.1.version', "changes[1]: secret 'webhook' was changed since you read it (version 7); it is now at version 1"],
        ['the same pair twice', [good, { ...good, granted: false }], 400, 'changes.1', 'changes[1] names the same secret and agent as changes[0]'],
        ['a name with a control character', [good, { secret: 'bad\u001b[31mname', agent: 'booking-agent', granted: true }], 400, 'changes.1.secret', ''],
        ['an agent id with a slash', [{ secret: 'webhook', agent: '../admin', granted: true }], 400, 'changes.0.agent', ''],
        ['no change', [], 400, 'changes', ''],
        ['too many', Array.from({ length: MAX_ACCESS_CHANGES + 1 }, (_, i) => ({ secret: 'webhook', agent: `agent-${i}`, granted: true })), 400, 'changes', ''],
      ];
      for (const [what, changes, status, field, detail] of cases) {
        const r = await post(changes, { reason: 'refused' });
        expect([what, r.status, r.json?.field], r.text).toEqual([what, status, field]);
        expect(r.json.detail, what).toContain(detail);
        if (status !== 400) expect(r.json.detail, what).toContain('Nothing was changed.');
        expect(r.text).not.toContain('\u001b');
      }
      expect(await post([good], { reason: 'bell\u0007' }).then((r) => [r.status, r.json.field])).toEqual([400, 'reason']);
      expect({ lists: await lists(), audit: (await audit()).map((a) => a.id) }).toEqual(before);
    });

    it('admins only: a developer key and an agent token get 403, the attempt is audited, nothing changes', async () => {
      const before = await lists();
      const asDeveloper = await post(swap, { token: developerKey });
      expect([asDeveloper.status, asDeveloper.json.code]).toEqual([403, 'forbidden']);
      expect((await post(swap, { token: agentToken })).status).toBe(403);
      expect(await lists()).toEqual(before);
      const denied = (await audit()).filter((a) => a.action === 'access.batch' && a.outcome === 'denied');
      expect(denied.map((a) => [a.actor, a.target])).toEqual([
        ['booking-agent', '4 access changes'],
        ['dev', '4 access changes'],
      ]);
    });

    it(`takes ${MAX_ACCESS_CHANGES} changes of names of the longest length in one call: one record, one event per secret`, async () => {
      const api = v.api();
      const agents = Array.from({ length: 100 }, (_, i) => `PROJECT-CAP${String(i).padStart(5, '0')}`);
      const secrets = Array.from({ length: MAX_ACCESS_CHANGES / agents.length }, (_, i) => `${'cap '.repeat(31)}n${String(i).padStart(3, '0')}`);
      expect(secrets[0]!.length).toBe(128);
      for (const id of agents) await api.createAgent({ id });
      for (const name of secrets) await api.createSecret({ name, value: 'cap-value', agents: [] });
      // The creations' events first: what follows the batch is the batch's.
      const created = () => sse.events.filter((e) => e.event === 'secret.created' && e.data.includes(secrets.at(-1)!)).length;
      for (let i = 0; i < 100 && created() === 0; i++) await new Promise((res) => setTimeout(res, 50));
      const seen = sse.events.length;
      const r = await api.applyAccessChanges(
        secrets.flatMap((secret) => agents.map((agent) => ({ secret, agent, granted: true }))),
        'the cap',
      );
      expect(r.changes.filter((c) => c.outcome === 'changed')).toHaveLength(MAX_ACCESS_CHANGES);
      expect(r.secrets.map((m) => [m.name, m.version, m.agents.length])).toEqual(secrets.map((name) => [name, 2, agents.length]));
      const [record] = await audit();
      expect([record!.id, record!.target, record!.detail.split(', ').length]).toEqual([r.auditId, `${MAX_ACCESS_CHANGES} access changes`, MAX_ACCESS_CHANGES]);
      for (let i = 0; i < 100 && sse.events.length < seen + secrets.length; i++) await new Promise((res) => setTimeout(res, 50));
      expect(sse.events.slice(seen).map((e) => e.event)).toEqual(secrets.map(() => 'access.changed'));
    });

    it('through the typed client (the CLI and the extension use it): a version read is a precondition', async () => {
      const api = v.api();
      const webhook = (await api.listSecrets()).find((s) => s.name === 'webhook')!;
      const r = await api.applyAccessChanges([{ secret: 'webhook', agent: 'billing-agent', granted: true, version: webhook.version }], 'typed client');
      expect(r.changes).toEqual([{ secret: 'webhook', agent: 'billing-agent', granted: true, outcome: 'changed' }]);
      const stale = await api.applyAccessChanges([{ secret: 'webhook', agent: 'billing-agent', granted: false, version: webhook.version }]).catch((e: unknown) => e);
      expect(stale).toMatchObject({ status: 412, problem: { field: 'changes.0.version', currentVersion: webhook.version + 1 } });
    });
  });
}
