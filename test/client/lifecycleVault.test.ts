// The extension's vault connection against a real vault, for a secret's life: a developer's
// connection lists the pending access requests and follows access.requested / access.decided live;
// what the language server is told follows (the pending list, then the grant); a rollback and a new
// expiry arrive as secret changes with their lifecycle fields. Metadata only, never a value.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRequest } from '../../protocol/api';
import type { MetadataChange } from '../../protocol/lsp';
import { MetadataSync } from '../../client/src/core/sync';
import { VaultConnection } from '../../client/src/vault/connection';
import { startTestVault, type TestVault } from '../helpers/vault';
import { snapshotInputOf } from './snapshotInput';
import { waitFor } from './wait';

const fastBackoff = { initialMs: 20, maxMs: 100 };
const VALUE_1 = 'sk_live_FIRST-value-71c2';
const VALUE_2 = 'sk_live_SECOND-value-0d9e';

describe('a secret’s life through the extension’s connection', () => {
  let tv: TestVault;
  let developerKey: string;
  let developerId: string;
  const conns: VaultConnection[] = [];

  beforeAll(async () => {
    tv = await startTestVault();
    const api = tv.api();
    await api.createAgent({ id: 'booking-agent', name: 'Booking agent' });
    await api.createSecret({ name: 'stripe_api_key', value: VALUE_1, agents: [] });
    const dev = await api.createUserKey({ name: 'Dana (developer)', role: 'developer' });
    developerKey = dev.token;
    developerId = (await tv.api(dev.token).whoami()).principal.id;
  });

  afterAll(async () => {
    for (const c of conns) await c.dispose();
    await tv?.stop();
  });

  async function connect(token: string): Promise<VaultConnection> {
    const conn = new VaultConnection({ url: tv.url, token, backoff: fastBackoff });
    conns.push(conn);
    await conn.start();
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live');
    return conn;
  }

  it('a request made elsewhere shows at once; approving it removes it and grants, and the server is told both', async () => {
    const dev = await connect(developerKey);
    const admin = await connect(tv.adminKey);
    expect(dev.role).toBe('developer');
    expect(dev.metadata.requests).toEqual([]);
    const sync = new MetadataSync();
    expect(sync.next(snapshotInputOf(dev))?.kind).toBe('snapshot');

    // What the requestAccess command does: POST, then apply the answer at once.
    const created = await dev.api.createAccessRequest({ secret: 'stripe_api_key', agent: 'booking-agent', reason: 'Refunds (OPS-142)' });
    expect(created.outcome).toBe('created');
    dev.applyLocalRequest((created as { request: AccessRequest }).request);
    expect(dev.metadata.pendingAccess).toEqual([{ secret: 'stripe_api_key', agent: 'booking-agent' }]);
    const pending = sync.next(snapshotInputOf(dev));
    expect(pending?.kind === 'delta' && pending.delta.changes).toEqual([{ kind: 'context', pendingAccess: [{ secret: 'stripe_api_key', agent: 'booking-agent' }] }]);
    // The admin's connection learns of it from its event (the Access Requests view is live).
    await waitFor(() => admin.metadata.requests.length === 1, 'the request on the admin’s side');
    expect(admin.metadata.requests[0]).toMatchObject({ secret: 'stripe_api_key', agent: 'booking-agent', requestedBy: 'Dana (developer)', requestedById: developerId });
    // Asking again is the same request.
    const again = await dev.api.createAccessRequest({ secret: 'stripe_api_key', agent: 'booking-agent' });
    expect(again.outcome).toBe('pending');

    admin.applyLocalRequest(await admin.api.approveAccessRequest(admin.metadata.requests[0]!.id));
    expect(admin.metadata.requests).toEqual([]);
    // The developer's side, live: the request leaves and the grant arrives, both to the server.
    await waitFor(() => dev.metadata.requests.length === 0 && dev.metadata.secret('stripe_api_key')!.agents.includes('booking-agent'), 'the approval on the developer’s side');
    const decided = sync.next(snapshotInputOf(dev));
    const changes = decided?.kind === 'delta' ? decided.delta.changes : [];
    expect(changes).toContainEqual({ kind: 'context', pendingAccess: [] });
    expect(changes.find((c): c is Extract<MetadataChange, { kind: 'secret' }> => c.kind === 'secret')?.secret.agents).toEqual(['booking-agent']);
    // Granted now: a request is answered at once.
    expect((await dev.api.createAccessRequest({ secret: 'stripe_api_key', agent: 'booking-agent' })).outcome).toBe('granted');
  });

  it('a new-secret request lists with its kind and keys; a denial removes it', async () => {
    const dev = await connect(developerKey);
    const created = await dev.api.createAccessRequest({ secret: 'partner_api', agent: 'booking-agent', kind: 'kv', keys: ['token', 'id'] });
    expect(created.outcome).toBe('created');
    await waitFor(() => dev.metadata.requests.some((r) => r.secret === 'partner_api'), 'the event');
    expect(dev.metadata.requests.find((r) => r.secret === 'partner_api')).toMatchObject({ newSecret: true, kind: 'kv', keys: ['id', 'token'] });
    // A fresh connection gets it from the listing rather than an event.
    const fresh = await connect(developerKey);
    expect(fresh.metadata.pendingAccess).toEqual([{ secret: 'partner_api', agent: 'booking-agent' }]);
    await tv.api().denyAccessRequest((created as { request: AccessRequest }).request.id, 'Use the shared partner key');
    await waitFor(() => dev.metadata.requests.length === 0 && fresh.metadata.requests.length === 0, 'the denial');
  });

  it('an expiry and a rollback arrive as secret changes with their lifecycle fields', async () => {
    const dev = await connect(developerKey);
    const api = tv.api();
    let meta = await api.getSecret('stripe_api_key');
    await api.updateSecret('stripe_api_key', { value: VALUE_2, expiresAt: '2027-01-01T00:00:00Z', rotationDays: 30 }, meta.version);
    await waitFor(() => dev.metadata.secret('stripe_api_key')?.valueVersion === 2, 'the new value');
    expect(dev.metadata.secret('stripe_api_key')).toMatchObject({ expiresAt: '2027-01-01T00:00:00.000Z', rotationDays: 30, valueUpdatedBy: expect.any(String) });
    const versions = await dev.api.listSecretVersions('stripe_api_key');
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    meta = await api.getSecret('stripe_api_key');
    // Admins only, and If-Match: what the command sends.
    await expect(dev.api.rollbackSecret('stripe_api_key', 1, meta.version)).rejects.toMatchObject({ status: 403 });
    await expect(api.rollbackSecret('stripe_api_key', 1, meta.version - 1)).rejects.toMatchObject({ status: 412 });
    const rolled = await api.rollbackSecret('stripe_api_key', 1, meta.version);
    expect(rolled.valueVersion).toBe(3);
    await waitFor(() => dev.metadata.secret('stripe_api_key')?.valueVersion === 3, 'the rollback');
    const token = (await api.createAgentToken('booking-agent')).token;
    expect((await tv.api(token).runtimeSecret('stripe_api_key')).value).toBe(VALUE_1);
    // Metadata only: neither value in anything the connection holds.
    const held = JSON.stringify([dev.metadata.secrets, dev.metadata.requests, versions]);
    expect(held).not.toContain(VALUE_1);
    expect(held).not.toContain(VALUE_2);
  });
});
