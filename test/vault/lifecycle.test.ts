// A secret's life over real HTTP on both stores: kept values and rollback, expiry and
// the rotation reminder, access requests. Every route, every role that may or may not call it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRequest, VaultEvent } from '../../protocol/api';
import { VaultApiError } from '../../protocol/client';
import { addAccount } from '../../vault/src/vault';
import { apiFailure, startTestVault, type TestVault, TEST_STORES } from '../helpers/vault';

const PAST = '2020-01-01T00:00:00.000Z';

describe.each(TEST_STORES)('a secret\'s life on the %s store', (store) => {
  let v: TestVault;
  let developer: string;
  let bookingToken: string;
  let supportToken: string;

  beforeAll(async () => {
    v = await startTestVault({ store });
    const api = v.api();
    await api.createAgent({ id: 'booking-agent' });
    await api.createAgent({ id: 'support-agent' });
    developer = (await api.createUserKey({ name: 'dev', role: 'developer' })).token;
    bookingToken = (await api.createAgentToken('booking-agent')).token;
    supportToken = (await api.createAgentToken('support-agent')).token;
  });
  afterAll(() => v.stop());

  const events = async (after: number): Promise<VaultEvent[]> => (await v.vault.service.events.eventsAfter(v.accountId, after, 1000)).map((e) => e.event);
  const lastEvent = () => v.vault.service.events.lastEventId(v.accountId);
  const auditOf = async (action: string) => (await v.api().audit({ limit: 500 })).records.filter((r) => r.action === action);

  describe('versions and rollback', () => {
    it('keeps every value version (metadata only), newest first, for users of both roles', async () => {
      const api = v.api();
      await api.createSecret({ name: 'rolled', value: 'value-one-3c1f', agents: ['booking-agent'] });
      await api.updateSecret('rolled', { value: 'value-two-7a2e' });
      // A metadata change is not a new value.
      await api.updateSecret('rolled', { description: 'now described' });
      const meta = await api.updateSecret('rolled', { value: { user: 'u', pass: 'value-three-9d4b' } });
      expect(meta).toMatchObject({ version: 4, valueVersion: 3, valueUpdatedBy: 'initial admin', kind: 'kv' });
      const r = await v.http('GET', '/v1/secrets/rolled/versions', { token: developer });
      expect(r.status).toBe(200);
      expect(r.json.versions).toEqual([
        { version: 3, createdAt: meta.valueUpdatedAt, createdBy: 'initial admin', kind: 'kv', keys: ['pass', 'user'], current: true },
        { version: 2, createdAt: expect.any(String), createdBy: 'initial admin', kind: 'single', keys: [], current: false },
        { version: 1, createdAt: expect.any(String), createdBy: 'initial admin', kind: 'single', keys: [], current: false },
      ]);
      for (const value of ['value-one-3c1f', 'value-two-7a2e', 'value-three-9d4b']) expect(r.text).not.toContain(value);
      expect((await v.http('GET', '/v1/secrets/rolled/versions', { token: bookingToken })).status).toBe(403);
      expect((await v.http('GET', '/v1/secrets/rolled/versions')).status).toBe(401);
      expect((await apiFailure(api.listSecretVersions('never_made'))).status).toBe(404);
    });

    it('rolls back: the old value becomes a new version, read at run time; audited; an event', async () => {
      const api = v.api();
      const before = await api.getSecret('rolled');
      const from = await lastEvent();
      const rolled = await api.rollbackSecret('rolled', 1, before.version);
      expect(rolled).toMatchObject({ version: before.version + 1, valueVersion: 4, kind: 'single', keys: [] });
      expect((await v.api(bookingToken).runtimeSecret('rolled')).value).toBe('value-one-3c1f');
      const versions = await api.listSecretVersions('rolled');
      expect(versions[0]).toMatchObject({ version: 4, current: true, restoredFrom: 1, kind: 'single' });
      expect(versions.map((x) => x.version)).toEqual([4, 3, 2, 1]);
      expect((await auditOf('secret.rollback'))[0]).toMatchObject({ target: 'rolled', outcome: 'success', detail: 'to the value of version 1 (now version 4)' });
      const sent = await events(from);
      expect(sent).toEqual([{ type: 'secret.updated', secret: expect.objectContaining({ name: 'rolled', valueVersion: 4 }) }]);
      // Back to the key/value version: the shape follows the value.
      await api.rollbackSecret('rolled', 3, rolled.version);
      expect((await v.api(bookingToken).runtimeSecret('rolled')).value).toEqual({ user: 'u', pass: 'value-three-9d4b' });
    });

    it('refuses a rollback without If-Match (428), on a stale version (412), to a version not kept (404) or the current one (409), and to non-admins', async () => {
      const current = await v.api().getSecret('rolled');
      const post = (body: unknown, headers: Record<string, string>, token = v.adminKey) => v.http('POST', '/v1/secrets/rolled/rollback', { token, body, headers });
      expect((await post({ version: 1 }, {})).json).toMatchObject({ status: 428, code: 'precondition_required' });
      expect((await post({ version: 1 }, { 'if-match': '"1"' })).json).toMatchObject({ status: 412, currentVersion: current.version });
      expect((await post({ version: 99 }, { 'if-match': `"${current.version}"` })).status).toBe(404);
      expect((await post({ version: current.valueVersion }, { 'if-match': `"${current.version}"` })).json).toMatchObject({ status: 409, code: 'conflict' });
      expect((await post({ version: 0 }, { 'if-match': `"${current.version}"` })).status).toBe(400);
      expect((await post({ version: 1 }, { 'if-match': `"${current.version}"` }, developer)).status).toBe(403);
      expect((await post({ version: 1 }, { 'if-match': `"${current.version}"` }, bookingToken)).status).toBe(403);
      expect((await v.api().getSecret('rolled')).version).toBe(current.version);
      expect((await auditOf('secret.rollback')).filter((r) => r.outcome === 'denied').length).toBeGreaterThanOrEqual(2);
    });

    it('keeps at most versionsKept values (admins set it; lowering it prunes at once)', async () => {
      const api = v.api();
      expect((await api.accountSettings()).versionsKept).toBe(10);
      expect((await v.http('PATCH', '/v1/account', { token: developer, body: { versionsKept: 3 } })).status).toBe(403);
      for (const bad of [0, 101, 2.5]) {
        expect((await v.http('PATCH', '/v1/account', { token: v.adminKey, body: { versionsKept: bad } })).status).toBe(400);
      }
      expect(await api.updateAccountSettings({ versionsKept: 2 })).toMatchObject({ versionsKept: 2, localRuns: 'admins' });
      expect((await api.listSecretVersions('rolled')).map((x) => x.version)).toEqual([5, 4]);
      const current = await api.getSecret('rolled');
      expect((await apiFailure(api.rollbackSecret('rolled', 3, current.version))).status).toBe(404);
      await api.updateSecret('rolled', { value: 'value-six-5e0a' });
      expect((await api.listSecretVersions('rolled')).map((x) => x.version)).toEqual([6, 5]);
      expect((await auditOf('account.update'))[0]).toMatchObject({ detail: 'versionsKept: 2' });
      await api.updateAccountSettings({ versionsKept: 10 });
    });

    it('deleting a secret deletes its kept values: the same name starts again at version 1', async () => {
      const api = v.api();
      await api.deleteSecret('rolled');
      await api.createSecret({ name: 'rolled', value: 'value-again-1b7c' });
      expect((await api.listSecretVersions('rolled')).map((x) => x.version)).toEqual([1]);
      const s = await api.getSecret('rolled');
      expect((await apiFailure(api.rollbackSecret('rolled', 5, s.version))).status).toBe(404);
    });
  });

  describe('expiry and rotation reminders', () => {
    it('takes expiresAt and rotationDays on create and update, normalised, shown in metadata; null clears', async () => {
      const api = v.api();
      const s = await api.createSecret({ name: 'expiring', value: 'exp-value-44aa', agents: ['booking-agent'], expiresAt: '2099-06-30T12:00:00+02:00', rotationDays: 30 });
      expect(s).toMatchObject({ expiresAt: '2099-06-30T10:00:00.000Z', rotationDays: 30, valueVersion: 1 });
      const cleared = await api.updateSecret('expiring', { rotationDays: null });
      expect(cleared).toMatchObject({ expiresAt: '2099-06-30T10:00:00.000Z', rotationDays: null, valueVersion: 1, version: 2 });
      expect((await api.listSecrets()).find((x) => x.name === 'expiring')).toMatchObject({ expiresAt: '2099-06-30T10:00:00.000Z', rotationDays: null });
      expect((await auditOf('secret.update'))[0]).toMatchObject({ target: 'expiring', detail: 'changed: rotationDays; rotationDays: (none)' });
    });

    it('refuses a malformed expiry or rotation period with the field named', async () => {
      const api = v.api();
      for (const expiresAt of ['tomorrow', '2026-13-01T00:00:00Z', '2026-12-31', '2026-12-31T00:00:00']) {
        const f = await apiFailure(api.createSecret({ name: 'bad_expiry', value: 'x', expiresAt }));
        expect(f.problem).toMatchObject({ status: 400, field: 'expiresAt' });
      }
      for (const rotationDays of [0, 3651, 1.5]) {
        expect((await apiFailure(api.updateSecret('expiring', { rotationDays }))).problem).toMatchObject({ status: 400, field: 'rotationDays' });
      }
      expect((await v.http('PATCH', '/v1/secrets/expiring', { token: developer, body: { expiresAt: null } })).status).toBe(403);
    });

    it('past expiresAt, a granted agent gets 403 secret_expired and nothing more; an ungranted one the usual answer; audited', async () => {
      const api = v.api();
      await api.updateSecret('expiring', { expiresAt: PAST });
      const granted = await v.http('GET', '/v1/runtime/secrets/expiring', { token: bookingToken });
      expect(granted.status).toBe(403);
      expect(granted.json).toEqual({ type: expect.any(String), title: 'Secret expired', status: 403, code: 'secret_expired', detail: "Secret 'expiring' has expired." });
      expect(granted.text).not.toContain('exp-value-44aa');
      expect(granted.text).not.toContain('2020');
      // An agent that may not read it cannot tell it expired: the answer for a missing secret.
      const ungranted = await v.http('GET', '/v1/runtime/secrets/expiring', { token: supportToken });
      const missing = await v.http('GET', '/v1/runtime/secrets/never_made', { token: supportToken });
      expect(ungranted.json.code).toBe('forbidden');
      expect({ ...ungranted.json, detail: ungranted.json.detail.replace('expiring', 'X') }).toEqual({ ...missing.json, detail: missing.json.detail.replace('never_made', 'X') });
      const reads = (await auditOf('runtime.read')).filter((r) => r.target === 'expiring');
      expect(reads[0]).toMatchObject({ outcome: 'denied' });
      expect(reads.some((r) => r.actor === 'booking-agent' && r.detail === 'secret expired')).toBe(true);
      // A new expiry in the future (or none) lets reads through again.
      await api.updateSecret('expiring', { expiresAt: null });
      expect((await v.api(bookingToken).runtimeSecret('expiring')).value).toBe('exp-value-44aa');
    });

    it('the environment map leaves an expired secret out (audited as denied) and keeps the others', async () => {
      const other = await addAccount(v.vault, `env-${store}`, 'UPPER_CASE');
      const api = v.api(other.adminKey);
      await api.createAgent({ id: 'env-agent' });
      const token = (await api.createAgentToken('env-agent')).token;
      await api.createSecret({ name: 'LIVE_KEY', value: 'live-value-12ab', agents: ['env-agent'] });
      await api.createSecret({ name: 'OLD_KEY', value: 'old-value-34cd', agents: ['env-agent'], expiresAt: PAST });
      const env = await v.api(token).runtimeEnv();
      expect(env.env).toEqual({ LIVE_KEY: 'live-value-12ab' });
      const records = (await api.audit({ limit: 50 })).records.filter((r) => r.action === 'runtime.env');
      expect(records.map((r) => [r.target, r.outcome, r.detail])).toEqual([
        ['*', 'success', 'names: LIVE_KEY'],
        ['OLD_KEY', 'denied', 'secret expired'],
      ]);
    });
  });

  describe('access requests', () => {
    let first: AccessRequest;

    it('a developer asks for an agent to read a secret: created (201), then the same pending one (200)', async () => {
      await v.api().createSecret({ name: 'wanted', value: 'wanted-value-77ee', agents: ['booking-agent'] });
      const from = await lastEvent();
      const r = await v.http('POST', '/v1/access-requests', { token: developer, body: { secret: 'wanted', agent: 'support-agent', reason: 'support needs it' } });
      expect(r.status).toBe(201);
      first = r.json.request;
      expect(r.json).toEqual({
        outcome: 'created',
        request: {
          id: expect.stringMatching(/^req_[0-9a-f]{16}$/),
          secret: 'wanted',
          agent: 'support-agent',
          reason: 'support needs it',
          newSecret: false,
          status: 'pending',
          requestedBy: 'dev',
          requestedById: expect.stringMatching(/^key_/),
          createdAt: expect.any(String),
          decidedAt: null,
          decidedBy: null,
          decisionReason: null,
        },
      });
      const again = await v.http('POST', '/v1/access-requests', { token: v.adminKey, body: { secret: 'wanted', agent: 'support-agent', reason: 'me too' } });
      expect(again.status).toBe(200);
      expect(again.json).toEqual({ outcome: 'pending', request: first });
      expect(await events(from)).toEqual([{ type: 'access.requested', request: first }]);
      expect((await auditOf('access.request'))[0]).toMatchObject({ actor: 'dev', target: 'wanted', outcome: 'success', detail: 'agent: support-agent' });
    });

    it('answers at once, storing nothing, when the agent can already read the secret', async () => {
      const before = await lastEvent();
      const r = await v.http('POST', '/v1/access-requests', { token: developer, body: { secret: 'wanted', agent: 'booking-agent' } });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ outcome: 'granted' });
      expect(await lastEvent()).toBe(before);
      expect((await v.api(developer).listAccessRequests()).filter((q) => q.agent === 'booking-agent')).toEqual([]);
    });

    it('a request for a secret that does not exist names it and its shape', async () => {
      const r = await v.api(developer).createAccessRequest({ secret: 'partner_api', agent: 'booking-agent', reason: 'new partner', keys: ['client_secret', 'client_id'] });
      expect(r).toMatchObject({ outcome: 'created', request: { secret: 'partner_api', newSecret: true, kind: 'kv', keys: ['client_id', 'client_secret'] } });
    });

    it('validates names, agents, reasons and shapes; agent tokens are refused', async () => {
      const post = (body: unknown, token = developer) => v.http('POST', '/v1/access-requests', { token, body });
      // Capitals are a valid name now; a space at either end is not.
      expect((await post({ secret: ' Wanted', agent: 'support-agent' })).json).toMatchObject({ status: 400, code: 'invalid_name', field: 'secret' });
      expect((await post({ secret: 'wanted', agent: 'Bad Agent' })).json).toMatchObject({ status: 400, field: 'agent' });
      expect((await post({ secret: 'wanted', agent: 'ghost-agent' })).json).toMatchObject({ status: 400, field: 'agent', detail: "Agent 'ghost-agent' does not exist." });
      expect((await post({ secret: 'wanted', agent: 'support-agent', reason: 'r'.repeat(501) })).status).toBe(400);
      expect((await post({ secret: 'wanted', agent: 'support-agent', reason: 'line\u001b[31m' })).status).toBe(400);
      expect((await post({ secret: 'new_one', agent: 'support-agent', kind: 'single', keys: ['a'] })).json).toMatchObject({ status: 400, field: 'keys' });
      expect((await post({ secret: 'wanted', agent: 'support-agent', extra: 1 })).status).toBe(400);
      expect((await post({ secret: 'wanted', agent: 'support-agent' }, bookingToken)).status).toBe(403);
      expect((await post({ secret: 'wanted', agent: 'support-agent' }, '')).status).toBe(401);
    });

    it('lists requests newest first, by status, for both roles; agents get 403', async () => {
      const all = await v.api(developer).listAccessRequests();
      expect(all.map((q) => q.secret)).toEqual(['partner_api', 'wanted']);
      expect((await v.api().listAccessRequests('pending')).map((q) => q.id)).toEqual(all.map((q) => q.id));
      expect(await v.api().listAccessRequests('approved')).toEqual([]);
      expect((await v.http('GET', '/v1/access-requests?status=bogus', { token: developer })).status).toBe(400);
      expect((await v.http('GET', '/v1/access-requests', { token: supportToken })).status).toBe(403);
    });

    it('an admin approves: the grant and the approval in one change, audited, with both events; a second decision is 409', async () => {
      expect((await v.http('POST', `/v1/access-requests/${first.id}/approve`, { token: developer })).status).toBe(403);
      expect((await v.http('POST', `/v1/access-requests/${first.id}/approve`, { token: supportToken })).status).toBe(403);
      const from = await lastEvent();
      const before = await v.api().getSecret('wanted');
      const approved = await v.api().approveAccessRequest(first.id);
      expect(approved).toMatchObject({ id: first.id, status: 'approved', decidedBy: 'initial admin', decidedAt: expect.any(String), decisionReason: null });
      expect((await v.api(supportToken).runtimeSecret('wanted')).value).toBe('wanted-value-77ee');
      const after = await v.api().getSecret('wanted');
      expect(after).toMatchObject({ version: before.version + 1, valueVersion: before.valueVersion, agents: ['booking-agent', 'support-agent'] });
      // The event carries the metadata of the change; the read after it is not an event (its last read is in GET only).
      const { lastReads, ...changed } = after;
      expect(lastReads).toEqual([{ agent: 'support-agent', at: expect.any(String), environment: null }]);
      expect(await events(from)).toEqual([
        { type: 'access.changed', secret: changed },
        { type: 'access.decided', request: approved },
      ]);
      expect((await auditOf('access.request.approve'))[0]).toMatchObject({ target: 'wanted', outcome: 'success', detail: `request: ${first.id}; agent: support-agent; granted` });
      const twice = await v.http('POST', `/v1/access-requests/${first.id}/approve`, { token: v.adminKey });
      expect(twice.json).toMatchObject({ status: 409, code: 'conflict', detail: `Access request '${first.id}' was already approved by initial admin.` });
      expect((await v.http('POST', `/v1/access-requests/${first.id}/deny`, { token: v.adminKey, body: {} })).status).toBe(409);
      expect((await v.http('POST', '/v1/access-requests/req_0000000000000000/approve', { token: v.adminKey })).status).toBe(404);
    });

    it('approving a request for a secret not yet created is a 409 saying to create it first; after creating it, it goes through', async () => {
      const pending = (await v.api().listAccessRequests('pending')).find((q) => q.secret === 'partner_api')!;
      const refused = await v.http('POST', `/v1/access-requests/${pending.id}/approve`, { token: v.adminKey });
      expect(refused.json).toMatchObject({ status: 409, code: 'conflict', field: 'secret' });
      expect(refused.json.detail).toBe("Secret 'partner_api' does not exist yet: create it first (kv: client_id, client_secret), then approve the request.");
      expect((await v.api().listAccessRequests('pending')).map((q) => q.id)).toContain(pending.id);
      await v.api().createSecret({ name: 'partner_api', value: { client_id: 'i', client_secret: 'partner-value-90ff' } });
      const approved = await v.api().approveAccessRequest(pending.id);
      expect(approved.status).toBe('approved');
      expect((await v.api().getSecret('partner_api')).agents).toEqual(['booking-agent']);
    });

    it('an admin denies with a reason the requester sees; audited and sent', async () => {
      const asked = await v.api(developer).createAccessRequest({ secret: 'wanted', agent: 'booking-agent-2', reason: 'x' }).catch((e: VaultApiError) => e);
      expect(asked).toBeInstanceOf(VaultApiError);
      await v.api().createAgent({ id: 'third-agent' });
      const r = await v.api(developer).createAccessRequest({ secret: 'wanted', agent: 'third-agent' });
      if (r.outcome === 'granted') throw new Error('expected a request');
      expect(r.request.reason).toBe('');
      expect((await v.http('POST', `/v1/access-requests/${r.request.id}/deny`, { token: developer, body: { reason: 'no' } })).status).toBe(403);
      const from = await lastEvent();
      const denied = await v.api().denyAccessRequest(r.request.id, 'use the support agent');
      expect(denied).toMatchObject({ status: 'denied', decisionReason: 'use the support agent', decidedBy: 'initial admin' });
      expect(await events(from)).toEqual([{ type: 'access.decided', request: denied }]);
      expect((await v.api().getSecret('wanted')).agents).not.toContain('third-agent');
      expect((await v.api(developer).listAccessRequests('denied')).map((q) => q.id)).toEqual([r.request.id]);
      expect((await auditOf('access.request.deny'))[0]).toMatchObject({ target: 'wanted', detail: `request: ${r.request.id}; agent: third-agent` });
      // A denied request does not block a new one for the same secret and agent.
      expect((await v.api(developer).createAccessRequest({ secret: 'wanted', agent: 'third-agent' })).outcome).toBe('created');
      // Deny's body is optional.
      const pending = (await v.api().listAccessRequests('pending'))[0]!;
      expect((await v.http('POST', `/v1/access-requests/${pending.id}/deny`, { token: v.adminKey })).json).toMatchObject({ status: 'denied', decisionReason: '' });
    });
  });
});
