// Access request limits over real HTTP on both stores: one developer's flood of access requests is
// stopped at their own cap (409) and by a rate limit (429 with Retry-After) while another developer
// and an admin still file theirs; admins deny in bulk; decided requests go with the audit retention.

import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_REQUEST_BURST,
  MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER,
  type VaultEvent,
} from '../../protocol/api';
import { startAuditRetention } from '../../vault/src/vault';
import { startTestVault, type TestVault, TEST_STORES } from '../helpers/vault';

describe.each(TEST_STORES)('access request limits on the %s store', (store) => {
  let v: TestVault;
  let flooder: string;
  let flooderId: string;
  let colleague: string;

  beforeAll(async () => {
    v = await startTestVault({ store });
    const api = v.api();
    await api.createAgent({ id: 'booking-agent' });
    const f = await api.createUserKey({ name: 'flooder', role: 'developer' });
    flooder = f.token;
    flooderId = f.id;
    colleague = (await api.createUserKey({ name: 'colleague', role: 'developer' })).token;
  });
  afterAll(() => v.stop());

  const post = (token: string, secret: string) => v.http('POST', '/v1/access-requests', { token, body: { secret, agent: 'booking-agent', reason: 'r'.repeat(500), keys: ['client_id'] } });

  it('a flood from one key stops at its own cap (409) and its rate (429, Retry-After); a colleague and an admin still get through', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof post>> | undefined;
    let capped: Awaited<ReturnType<typeof post>> | undefined;
    // Bounded: as many as a flood would need to pass the burst, in a fixed count.
    for (let i = 0; i < ACCESS_REQUEST_BURST + 40; i++) {
      const r = await post(flooder, `flood_${i}`);
      statuses.push(r.status);
      if (r.status === 429) limited ??= r;
      if (r.status === 409) capped ??= r;
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER);
    expect(capped?.json).toMatchObject({ status: 409, code: 'too_many_pending_requests' });
    expect(capped?.json.detail).toContain(`This key already has ${MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER} pending`);
    expect(capped?.headers['content-type']).toContain('application/problem+json');
    expect(limited?.json).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited?.headers['content-type']).toContain('application/problem+json');
    // Nothing past the cap was stored, whatever the order of refusals.
    const pending = await v.api().listAccessRequests('pending');
    expect(pending.filter((q) => q.requestedById === flooderId)).toHaveLength(MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER);

    expect((await post(colleague, 'colleague_needs')).status).toBe(201);
    expect((await post(v.adminKey, 'admin_needs')).status).toBe(201);
  });

  it('bulk deny: admins only, one requester\'s pending requests in one call, audited once each, announced without the keys', async () => {
    const body = { requestedById: flooderId, reason: 'flood' };
    const refused = await v.http('POST', '/v1/access-requests/deny', { token: colleague, body });
    expect(refused.status).toBe(403);
    expect((await v.http('POST', '/v1/access-requests/deny', { token: v.adminKey, body: { all: true, ids: ['req_x'] } })).json).toMatchObject({ status: 400 });
    expect((await v.http('POST', '/v1/access-requests/deny', { token: v.adminKey, body: {} })).status).toBe(400);

    const before = await v.vault.service.events.lastEventId(v.accountId);
    const r = await v.http('POST', '/v1/access-requests/deny', { token: v.adminKey, body });
    expect(r.status).toBe(200);
    expect(r.json.denied).toHaveLength(MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER);
    expect(r.json.more).toBe(false);
    const left = await v.api().listAccessRequests('pending');
    expect(left.map((q) => q.secret).sort()).toEqual(['admin_needs', 'colleague_needs']);
    const denied = await v.api().listAccessRequests('denied');
    expect(denied.every((q) => q.decisionReason === 'flood' && q.decidedBy === 'initial admin')).toBe(true);

    const records = (await v.api().audit({ limit: 500 })).records.filter((a) => a.action === 'access.request.deny' && a.outcome === 'success');
    expect(records).toHaveLength(MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER);
    expect(new Set(records.map((a) => a.target)).size).toBe(MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER);
    for (const a of records) expect(a.detail).not.toContain('flood ');
    const events: VaultEvent[] = (await v.vault.service.events.eventsAfter(v.accountId, before, 1000)).map((e) => e.event);
    expect(events).toHaveLength(MAX_PENDING_ACCESS_REQUESTS_PER_REQUESTER);
    for (const e of events) expect(e.type === 'access.decided' && e.request.keys).toBe(undefined);

    // The flooder's key may file again (within its rate), everyone else's requests stayed.
    expect((await v.api().createAccessRequest({ secret: 'after_deny', agent: 'booking-agent' })).outcome).toBe('created');
    // `all`: the rest, admin's and colleague's included.
    const all = await v.api().denyAccessRequests({ all: true });
    expect(all).toEqual({ denied: expect.any(Array), more: false });
    expect(all.denied).toHaveLength(3);
    expect(await v.api().listAccessRequests('pending')).toEqual([]);
  });

  // On SQLite only, where the test can age the rows in the file; the store conformance suite prunes on both stores.
  if (store === 'sqlite') it('decided requests are pruned with the audit retention at serve start; pending ones stay', async () => {
    await v.api().createAccessRequest({ secret: 'still_pending', agent: 'booking-agent' });
    const db = new Database(path.join(v.dataDir, 'vault.db'));
    try {
      // Decided long ago: older than any retention.
      db.prepare("UPDATE access_requests SET decided_at = '2020-01-01T00:00:00.000Z' WHERE status != 'pending'").run();
    } finally {
      db.close();
    }
    const stop = await startAuditRetention(v.vault, 30);
    stop();
    const all = await v.api().listAccessRequests();
    expect(all.map((q) => q.secret)).toEqual(['still_pending']);
  });
});
