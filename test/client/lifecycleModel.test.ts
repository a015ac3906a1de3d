// The pure parts of the editor side of a secret's life: the sidebar's lifecycle marks and versions,
// the Access Requests view's model, the metadata store's pending requests, the sync's pending list
// and the offline cache's new fields. No vscode, no network.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccessRequest, Agent, SecretMetadata, SecretVersionInfo } from '../../protocol/api';
import { cacheProblem, readCache, toCache, writeCache } from '../../client/src/core/offlineCache';
import { bulkDenyChoices, requestTooltip, requestsView } from '../../client/src/core/requestsModel';
import { buildSnapshot, type SnapshotInput } from '../../client/src/core/snapshot';
import { MetadataSync } from '../../client/src/core/sync';
import { allView, grantedView, itemDescription, lifeMark, nextMarkChange, tooltipOf, versionNodes, type TreeInput } from '../../client/src/core/treeModel';
import { reasonProblem, versionDetail } from '../../client/src/core/lifecycleText';
import { formatDate, setDateLocale } from '../../protocol/dates';
import { MetadataStore } from '../../client/src/vault/metadata';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function secret(name: string, over: Partial<SecretMetadata> = {}): SecretMetadata {
  return {
    name,
    description: '',
    kind: 'single',
    keys: [],
    agents: ['booking-agent'],
    version: 2,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    updatedBy: 'Demo admin',
    valueVersion: 1,
    valueUpdatedAt: '2026-11-01T00:00:00.000Z',
    valueUpdatedBy: 'Demo admin',
    expiresAt: null,
    rotationDays: null,
    ...over,
  };
}

const SECRETS: SecretMetadata[] = [
  secret('expired_key', { expiresAt: iso(NOW - DAY) }),
  secret('soon_key', { expiresAt: iso(NOW + 3 * DAY + 60_000), valueVersion: 4 }),
  secret('stale_key', { rotationDays: 30, valueUpdatedAt: iso(NOW - 40 * DAY), valueUpdatedBy: 'Ops *bot*' }),
  secret('fine_key', { expiresAt: iso(NOW + 60 * DAY), rotationDays: 90 }),
  secret('plain_key'),
];
const AGENTS: Agent[] = [{ id: 'booking-agent', name: 'Booking agent', description: '', createdAt: '2026-01-01T00:00:00.000Z' }];

const input = (over: Partial<TreeInput> = {}): TreeInput => ({ secrets: SECRETS, agents: AGENTS, agent: 'booking-agent', role: 'admin', usage: new Map(), now: NOW, ...over });

describe('the sidebar’s lifecycle marks', () => {
  it('marks expired, expiring within 7 days and rotation due: icon, the word beside the label, menu tokens', () => {
    const nodes = Object.fromEntries(grantedView(input()).nodes.map((n) => [n.name, n]));
    expect(nodes.expired_key).toMatchObject({ icon: 'error', life: { expired: true, short: 'expired', summary: 'expired on 2026-11-22' } });
    expect(nodes.soon_key).toMatchObject({ icon: 'warning', life: { expiringSoon: true, short: 'expires in 4 days' } });
    expect(nodes.stale_key).toMatchObject({ icon: 'warning', life: { rotationDue: true, short: 'rotation due', summary: 'rotation due since 2026-11-13' } });
    expect(nodes.fine_key).toMatchObject({ icon: 'key', life: { short: null, summary: null } });
    expect(nodes.expired_key!.contextValue.split(' ')).toContain('expired');
    expect(nodes.stale_key!.contextValue.split(' ')).toContain('rotationDue');
    expect(nodes.plain_key!.contextValue).not.toMatch(/expired|expiringSoon|rotationDue/);
    // The word leads the description, before the grant state or the description.
    expect(itemDescription(nodes.expired_key!, 'granted', 'booking-agent')).toBe('expired');
    expect(itemDescription(allView(input()).nodes.find((n) => n.name === 'stale_key')!, 'all', 'booking-agent', 'booking-agent')).toBe('rotation due · ✓ booking-agent · no other agent');
    expect(itemDescription(nodes.fine_key!, 'all', 'booking-agent', 'booking-agent')).toBe('✓ booking-agent · no other agent');
  });

  it('follows the clock it is given (the extension rebuilds at the next change)', () => {
    expect(lifeMark(SECRETS[1]!, NOW - 30 * DAY).short).toBeNull();
    expect(lifeMark(SECRETS[1]!, NOW + 3 * DAY).short).toBe('expires within a day');
    expect(lifeMark(SECRETS[1]!, NOW + 4 * DAY).short).toBe('expired');
    // The next moment a mark changes: soon_key's "expires in 4 days" becomes "3 days" in a minute.
    expect(nextMarkChange(SECRETS, NOW)).toBe(NOW + 60_000);
    expect(lifeMark(SECRETS[1]!, NOW + 60_000).short).toBe('expires in 3 days');
    // Then day by day, until it expires.
    expect(nextMarkChange(SECRETS, NOW + 2 * DAY + 60_000)).toBe(NOW + 3 * DAY + 60_000);
    expect(nextMarkChange(SECRETS.filter((s) => s.name !== 'soon_key'), NOW)).toBe(Date.parse(SECRETS[3]!.expiresAt!) - 7 * DAY);
    expect(nextMarkChange([secret('plain')], NOW)).toBeNull();
  });

  it('the tooltip says the life in lifecycleSummary’s words, the expiry and reminder, and when and by whom the value changed', () => {
    const tip = (name: string) => tooltipOf(grantedView(input()).nodes.find((n) => n.name === name)!, { agents: AGENTS, agent: 'booking-agent' });
    expect(tip('expired_key')).toContain('✗ expired on 2026\\-11\\-22: run-time reads are refused');
    expect(tip('soon_key')).toContain('⚠ expires in 4 days \\(2026\\-11\\-26\\)');
    expect(tip('soon_key')).toContain('Value set 2026-11-01 00:00 UTC by Demo admin (value version 4)');
    expect(tip('stale_key')).toContain('Rotation reminder every 30 days');
    // Names people choose are escaped.
    expect(tip('stale_key')).toContain('by Ops \\*bot\\*');
    expect(tip('fine_key')).toContain('Expires 2027\\-01\\-22 12:00 UTC · rotation reminder every 90 days');
  });

  it("the tooltip's dates in the locale the extension sets from VS Code's display language", () => {
    setDateLocale('en-US');
    try {
      const tip = (name: string) => tooltipOf(grantedView(input()).nodes.find((n) => n.name === name)!, { agents: AGENTS, agent: 'booking-agent' });
      expect(tip('expired_key')).toContain('✗ expired on Nov 22, 2026: run-time reads are refused');
      expect(tip('soon_key')).toContain('⚠ expires in 4 days \\(Nov 26, 2026\\)');
      const valueSet = formatDate('2026-11-01T00:00:00.000Z', { time: true });
      expect(valueSet).toMatch(/^(Oct 31|Nov 1), 2026, \d{1,2}:\d\d\s?[AP]M$/);
      expect(tip('soon_key')).toContain(`Value set ${valueSet} by Demo admin (value version 4)`);
    } finally {
      setDateLocale(undefined);
    }
  });

  it('lists a secret’s kept versions under it, newest first; Roll Back applies to earlier ones for admins', () => {
    const parent = grantedView(input()).nodes.find((n) => n.name === 'soon_key')!.versions;
    // The node's id names the value version: a new value is a new node, fetched afresh.
    expect(parent.id).toBe('granted:soon_key#versions@4');
    const versions: SecretVersionInfo[] = [
      { version: 4, createdAt: '2026-11-20T10:00:00.000Z', createdBy: 'Demo admin', kind: 'single', keys: [], current: true, restoredFrom: 2 },
      { version: 3, createdAt: '2026-11-10T09:30:00.000Z', createdBy: 'Ops', kind: 'kv', keys: ['id', 'secret'], current: false },
    ];
    const nodes = versionNodes(parent, versions, 'admin');
    expect(nodes.map((n) => [n.label, n.description, n.contextValue])).toEqual([
      ['Version 4', 'current · restored from 2 · 2026-11-20 10:00 UTC by Demo admin', 'secretVersion current admin'],
      ['Version 3', '2026-11-10 09:30 UTC by Ops', 'secretVersion earlier admin'],
    ]);
    expect(versionNodes(parent, versions, 'developer').every((n) => !n.contextValue.includes('admin'))).toBe(true);
    expect(versionDetail(versions[1]!)).toBe('set 2026-11-10 09:30 UTC by Ops · key/value: id, secret');
    expect(versionDetail(versions[0]!)).toBe('set 2026-11-20 10:00 UTC by Demo admin · single value · restored from version 2');
  });
});

function request(id: string, over: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id,
    secret: 'stripe_api_key',
    agent: 'booking-agent',
    reason: 'Refunds (OPS-142)',
    newSecret: false,
    status: 'pending',
    requestedBy: 'Dana',
    requestedById: 'key_dana',
    createdAt: '2026-11-23T10:00:00.000Z',
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
    ...over,
  };
}

describe('the Access Requests view', () => {
  const requests = [
    request('req_2', { secret: 'partner_api', newSecret: true, kind: 'kv', keys: ['id', 'token'], requestedBy: 'Eve', requestedById: 'key_eve', createdAt: '2026-11-23T11:00:00.000Z' }),
    request('req_1'),
  ];

  it('admins see every pending request, with Approve and Deny; rows start with the secret’s name', () => {
    const view = requestsView({ requests, role: 'admin', me: 'key_admin', agents: AGENTS });
    expect(view.empty).toBeUndefined();
    expect(view.nodes.map((n) => [n.label, n.description, n.accessibilityLabel, n.contextValue])).toEqual([
      ['partner_api', 'new secret · for booking-agent (Booking agent) · Eve', 'partner_api, new secret, for booking-agent (Booking agent), requested by Eve', 'accessRequest admin newSecret'],
      ['stripe_api_key', 'for booking-agent (Booking agent) · Dana', 'stripe_api_key, for booking-agent (Booking agent), requested by Dana', 'accessRequest admin'],
    ]);
    expect(requestsView({ requests: [], role: 'admin', me: 'key_admin', agents: AGENTS })).toEqual({ nodes: [], empty: 'none' });
  });

  it('a developer sees only their own requests, without the admin actions', () => {
    const view = requestsView({ requests, role: 'developer', me: 'key_dana', agents: AGENTS });
    expect(view.nodes.map((n) => [n.label, n.contextValue])).toEqual([['stripe_api_key', 'accessRequest']]);
    expect(requestsView({ requests, role: 'developer', me: 'key_zed', agents: AGENTS }).empty).toBe('none-mine');
  });

  it('the tooltip says who asks for what and why, escaped', () => {
    expect(requestTooltip(request('r', { reason: 'see [this](http://x) *now*' }), AGENTS)).toBe(
      [
        'Dana asks that booking\\-agent \\(Booking agent\\) may read **stripe\\_api\\_key**',
        'Reason: see \\[this\\]\\(http://x\\) \\*now\\*',
        'Asked 2026-11-23 10:00 UTC',
      ].join('\n\n'),
    );
    expect(requestTooltip(requests[0]!, AGENTS)).toContain('Key/value, keys: `id`, `token`');
    expect(requestTooltip(request('r', { reason: '' }), AGENTS)).toContain('No reason given');
  });

  it('invisible characters a vault held before the rule show as escapes in rows and tooltips', () => {
    const hidden = request('req_h', { requestedBy: 'Dana\u200b', reason: `ok${String.fromCodePoint(0xe0049)}` });
    const view = requestsView({ requests: [hidden], role: 'admin', me: 'key_admin', agents: AGENTS });
    expect(view.nodes[0]!.description).toBe('for booking-agent (Booking agent) · Dana\\u200b');
    expect(view.nodes[0]!.accessibilityLabel).toContain('requested by Dana\\u200b');
    const tip = requestTooltip(hidden, AGENTS);
    expect(tip).toContain('Dana\\\\u200b asks');
    expect(tip).toContain('Reason: ok\\\\u\\{e0049\\}');
    expect(tip.includes('\u200b') || tip.includes(String.fromCodePoint(0xe0049))).toBe(false);
  });

  it('Deny Several… offers all, then each requester\'s, the flood first', () => {
    const flood = Array.from({ length: 3 }, (_, i) => request(`req_f${i}`, { requestedBy: 'Mallory', requestedById: 'key_m' }));
    expect(bulkDenyChoices([...requests, ...flood])).toEqual({
      all: 5,
      byRequester: [
        { id: 'key_m', name: 'Mallory', count: 3 },
        { id: 'key_dana', name: 'Dana', count: 1 },
        { id: 'key_eve', name: 'Eve', count: 1 },
      ],
    });
  });

  it('a reason is refused as the vault would: too long, or with control characters', () => {
    expect(reasonProblem('Refunds for cancelled bookings')).toBeUndefined();
    expect(reasonProblem('')).toBeUndefined();
    expect(reasonProblem('x'.repeat(501))).toBe('At most 500 characters.');
    expect(reasonProblem('line\nbreak')).toBe('No control or invisible characters, please.');
    expect(reasonProblem('bidi \u202e trick')).toBe('No control or invisible characters, please.');
    expect(reasonProblem('zero\u200bwidth')).toBe('No control or invisible characters, please.');
  });
});

describe('the metadata store and the sync carry pending requests', () => {
  it('holds pending requests from listings and events; a decided one leaves; repeats change nothing', () => {
    const store = new MetadataStore();
    store.replace([secret('stripe_api_key', { agents: [] })], [], [request('req_1'), request('req_0', { status: 'denied' })]);
    expect(store.requests.map((r) => r.id)).toEqual(['req_1']);
    expect(store.pendingAccess).toEqual([{ secret: 'stripe_api_key', agent: 'booking-agent' }]);
    const v = store.version;
    expect(store.apply({ type: 'access.requested', request: request('req_1') })).toBe(false);
    expect(store.version).toBe(v);
    expect(store.apply({ type: 'access.requested', request: request('req_3', { agent: 'other-agent', createdAt: '2026-11-23T11:00:00.000Z' }) })).toBe(true);
    expect(store.requests.map((r) => r.id)).toEqual(['req_3', 'req_1']);
    expect(store.apply({ type: 'access.decided', request: request('req_1', { status: 'approved' }) })).toBe(true);
    expect(store.apply({ type: 'access.decided', request: request('req_1', { status: 'approved' }) })).toBe(false);
    expect(store.pendingAccess).toEqual([{ secret: 'stripe_api_key', agent: 'other-agent' }]);
    // A listing without requests (a vault from before them) keeps those held.
    store.replace([], []);
    expect(store.requests.map((r) => r.id)).toEqual(['req_3']);
  });

  it('sends the pending list in the snapshot, then as a context change; the same list in another order is no change', () => {
    const base: SnapshotInput = {
      state: 'connected',
      namingStyle: 'snake_case',
      role: 'developer',
      secrets: SECRETS,
      agents: AGENTS,
      folders: [],
      defaultAgent: 'booking-agent',
      stale: null,
      pendingAccess: [{ secret: 'b', agent: 'x' }],
    };
    const sync = new MetadataSync();
    const first = sync.next(base);
    expect(first?.kind === 'snapshot' && first.snapshot.pendingAccess).toEqual([{ secret: 'b', agent: 'x' }]);
    // The lifecycle fields reach the server.
    expect(first?.kind === 'snapshot' && first.snapshot.secrets.find((s) => s.name === 'stale_key')).toMatchObject({
      rotationDays: 30,
      valueUpdatedAt: iso(NOW - 40 * DAY),
      valueUpdatedBy: 'Ops *bot*',
      expiresAt: null,
    });
    const two = [{ secret: 'b', agent: 'x' }, { secret: 'a', agent: 'y' }];
    const delta = sync.next({ ...base, pendingAccess: two });
    expect(delta?.kind === 'delta' && delta.delta.changes).toEqual([{ kind: 'context', pendingAccess: [{ secret: 'a', agent: 'y' }, { secret: 'b', agent: 'x' }] }]);
    expect(sync.next({ ...base, pendingAccess: [...two].reverse() })).toBeUndefined();
    // A secret whose expiry alone changed is a change.
    const moved = SECRETS.map((s) => (s.name === 'plain_key' ? { ...s, version: 3, expiresAt: iso(NOW + DAY) } : s));
    const expiry = sync.next({ ...base, pendingAccess: two, secrets: moved });
    expect(expiry?.kind === 'delta' && expiry.delta.changes).toEqual([{ kind: 'secret', secret: expect.objectContaining({ name: 'plain_key', expiresAt: iso(NOW + DAY) }) }]);
    // Signed out: nothing is pending for anyone.
    expect(buildSnapshot({ ...base, state: 'signed-out' }).pendingAccess).toEqual([]);
  });

  it('the offline cache keeps the lifecycle fields, and refuses badly typed ones', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-cache-life-'));
    try {
      const url = 'http://127.0.0.1:8787';
      const whoami = { account: { id: 'a', name: 'A', namingStyle: 'snake_case' as const }, principal: { type: 'user' as const, id: 'u', name: 'U', role: 'developer' as const } };
      const cache = toCache(url, new Date(NOW).toISOString(), whoami, SECRETS, AGENTS);
      expect(cacheProblem(cache, url)).toBeUndefined();
      await writeCache(dir, 'svu_token', cache);
      const read = await readCache(dir, url, 'svu_token');
      expect(read.cache?.secrets.find((s) => s.name === 'soon_key')).toEqual(SECRETS[1]);
      const bad = { ...cache, secrets: [{ ...cache.secrets[0]!, expiresAt: 'tomorrow' }] };
      expect(cacheProblem(bad, url)).toBe('bad secrets');
      expect(cacheProblem({ ...cache, secrets: [{ ...cache.secrets[0]!, rotationDays: -1 }] }, url)).toBe('bad secrets');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
