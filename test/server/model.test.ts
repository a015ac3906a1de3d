// The model changed in place must equal a model built afresh from the same metadata, after any
// sequence of changes; and a change the model says cannot affect a document must leave that
// document's diagnostics exactly as they were. Both by a seeded random walk (fast-check).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AgentInfo, FolderAgent, MetadataChange, SecretInfo, VaultSnapshot } from '../../protocol/lsp';
import { VaultModel } from '../../server/src/service/model/model';
import { completionLists } from '../../server/src/service/features/completionLists';
import { createLanguageService } from '../../server/src/service/index';
import { doc } from './vaultFixture';

const NAMES = ['stripe_key', 'stripe_kay', 'strip_key', 'sendgrid', 'sendgrd', 'google_oauth', 'goog_oauth', 'a', 'ab', 'zendesk', 'zen_desk', 'x_y_z'];
const AGENTS = ['booking-agent', 'support-agent', 'billing-agent'];
const FOLDERS = ['file:///w/booking', 'file:///w/support', 'file:///w/booking/legacy'];
const KEYS = ['client_id', 'client_secret', 'token'];

const secretArb: fc.Arbitrary<SecretInfo> = fc.record({
  name: fc.constantFrom(...NAMES),
  description: fc.constantFrom('', 'Stripe', 'OAuth client'),
  kind: fc.constantFrom('single' as const, 'kv' as const),
  keys: fc.subarray(KEYS),
  agents: fc.subarray(AGENTS),
});

const changeArb: fc.Arbitrary<MetadataChange> = fc.oneof(
  { weight: 5, arbitrary: secretArb.map((secret) => ({ kind: 'secret' as const, secret })) },
  { weight: 3, arbitrary: fc.constantFrom(...NAMES).map((name) => ({ kind: 'secretDeleted' as const, name })) },
  { weight: 1, arbitrary: fc.record({ id: fc.constantFrom(...AGENTS), name: fc.constantFrom('A', 'B') }).map((agent) => ({ kind: 'agent' as const, agent })) },
  { weight: 1, arbitrary: fc.constantFrom(...AGENTS).map((id) => ({ kind: 'agentDeleted' as const, id })) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('context' as const),
        connection: fc.constantFrom('connected' as const, 'unreachable' as const, 'signed-out' as const),
        role: fc.constantFrom('admin' as const, 'developer' as const, null),
        namingStyle: fc.constantFrom('snake_case' as const, 'UPPER_CASE' as const),
        folders: fc.subarray(FOLDERS).chain((uris) =>
          fc.tuple(...uris.map((folderUri) => fc.constantFrom(...AGENTS, null).map((agent): FolderAgent => ({ folderUri, agent })))),
        ),
        defaultAgent: fc.constantFrom(...AGENTS, null),
        stale: fc.constantFrom(null, { since: '2026-11-22T10:00:00.000Z' }),
      },
      { requiredKeys: ['kind'] },
    ),
  },
);

const initialArb = fc.uniqueArray(secretArb, { selector: (s) => s.name, maxLength: NAMES.length });

function snapshotOf(secrets: SecretInfo[], agents: AgentInfo[] = AGENTS.map((id) => ({ id, name: id }))): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets,
    agents,
    folders: [{ folderUri: FOLDERS[0]!, agent: 'booking-agent' }],
    defaultAgent: 'support-agent',
    stale: null,
  };
}

/** The same changes applied the plain way: to a snapshot, field by field. */
function applyPlain(s: VaultSnapshot, change: MetadataChange): VaultSnapshot {
  switch (change.kind) {
    case 'secret':
      return { ...s, secrets: [...s.secrets.filter((x) => x.name !== change.secret.name), change.secret] };
    case 'secretDeleted':
      return { ...s, secrets: s.secrets.filter((x) => x.name !== change.name) };
    case 'agent':
      return { ...s, agents: [...s.agents.filter((a) => a.id !== change.agent.id), change.agent] };
    case 'agentDeleted':
      return { ...s, agents: s.agents.filter((a) => a.id !== change.id) };
    case 'context': {
      const { kind: _kind, ...fields } = change;
      return { ...s, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
    }
  }
}

/** Everything a feature can observe of a model, in a comparable form. */
function observe(m: VaultModel) {
  const uris = ['file:///w/booking/a.py', 'file:///w/booking/legacy/b.py', 'file:///w/support/c.py', 'file:///elsewhere/d.py'];
  const agents = [null, ...AGENTS];
  return {
    loaded: m.loaded,
    ready: m.ready,
    style: m.namingStyle,
    role: m.role,
    stale: m.stale,
    secrets: m.secrets.map((e) => ({ info: e.info, agents: [...e.agents].sort(), keys: [...e.keys].sort() })),
    agentNames: AGENTS.map((a) => m.agentName(a)),
    agentFor: uris.map((u) => m.agentFor(u)),
    near: ['stripe_ky', 'sendgri', 'googl_oauth', 'b', 'zendesk_', 'xyz'].map((q) => m.nearestNames(q, 3)),
    words: ['', 's', 'st', 'key', 'oauth', 'z', 'desk', 'y'].map((q) =>
      (m.words().lookup(q, 1000) ?? []).map((id) => m.secrets.find((e) => e.id === id)?.info.name).sort(),
    ),
    lists: agents.map((a) =>
      completionLists(m).forAgent(a, m.secrets).items.map((i) => [i.label, i.sortText, i.detail, i.labelDetails?.description, i.kind]),
    ),
  };
}

describe('the model changed in place', () => {
  it('equals a model built afresh after any sequence of changes', () => {
    fc.assert(
      fc.property(initialArb, fc.array(changeArb, { maxLength: 40 }), (initial, changes) => {
        const live = VaultModel.fromSnapshot(snapshotOf(initial));
        // Build every derived structure first, so that the changes must update them, not build them late.
        observe(live);
        let plain = snapshotOf(initial);
        for (const change of changes) {
          live.apply([change]);
          plain = applyPlain(plain, change);
        }
        expect(observe(live)).toEqual(observe(VaultModel.fromSnapshot(plain)));
        // And a snapshot's difference brings it back to anything.
        const back = snapshotOf(initial);
        live.apply(live.differenceTo(back));
        expect(observe(live)).toEqual(observe(VaultModel.fromSnapshot(back)));
        expect(live.differenceTo(back)).toEqual([]);
      }),
      { seed: 1313, numRuns: 300 },
    );
  });

  it('rebuilds in one go for a large change, with the same result', () => {
    const many = Array.from({ length: 1500 }, (_, i): SecretInfo => ({ name: `svc${i}_key`, description: '', kind: 'single', keys: [], agents: i % 3 ? [] : ['booking-agent'] }));
    const live = VaultModel.fromSnapshot(snapshotOf(many.slice(0, 100)));
    observe(live);
    const changes: MetadataChange[] = [
      ...many.slice(50).map((secret) => ({ kind: 'secret' as const, secret })),
      ...many.slice(0, 10).map((s) => ({ kind: 'secretDeleted' as const, name: s.name })),
    ];
    const impact = live.apply(changes);
    // 50 of the upserts are the same as before: no change.
    expect(impact.names.size).toBe(1400 + 10);
    expect(observe(live)).toEqual(observe(VaultModel.fromSnapshot(snapshotOf(many.slice(10)))));
    // Ids stay unique after the rebuild and further in-place changes.
    live.apply([{ kind: 'secret', secret: { name: 'new_one', description: '', kind: 'single', keys: [], agents: [] } }]);
    const ids = live.secrets.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(observe(live)).toEqual(observe(VaultModel.fromSnapshot(snapshotOf([...many.slice(10), { name: 'new_one', description: '', kind: 'single', keys: [], agents: [] }]))));
  });

  it('says which entries an update put and removed, in order, and that a large one cleared them', () => {
    const secret = (name: string, agents: string[] = []): SecretInfo => ({ name, description: '', kind: 'single', keys: [], agents });
    const live = VaultModel.fromSnapshot(snapshotOf([secret('stripe_key'), secret('sendgrid')]));
    const before = live.secret('stripe_key')!;
    const heard: unknown[] = [];
    live.onEntryChanges((e) => heard.push(e));
    const impact = live.apply([
      { kind: 'secret', secret: secret('stripe_key', ['booking-agent']) },
      { kind: 'secretDeleted', name: 'sendgrid' },
      { kind: 'secret', secret: secret('zendesk') },
      { kind: 'agent', agent: { id: 'booking-agent', name: 'Bookings' } },
    ]);
    const summary = impact.entries!.changes.map((c) => (c.kind === 'put' ? ['put', c.entry.info.name, c.old?.info.name ?? null] : ['removed', c.old.info.name]));
    expect(summary).toEqual([['put', 'stripe_key', 'stripe_key'], ['removed', 'sendgrid'], ['put', 'zendesk', null]]);
    expect(impact.entries!.changes[0]).toMatchObject({ old: before, entry: live.secret('stripe_key') });
    expect(impact.entries!.cleared).toBe(false);
    // A change of no secret tells no one; a large one says only that everything was rebuilt.
    live.apply([{ kind: 'context', role: 'admin' }]);
    const impactBulk = live.apply(Array.from({ length: 600 }, (_, i) => ({ kind: 'secret' as const, secret: secret(`svc${i}_key`) })));
    expect(impactBulk.entries).toEqual({ cleared: true, changes: [] });
    expect(heard).toEqual([impact.entries, impactBulk.entries]);
  });
});

describe('what a change affects', () => {
  const docText = (names: string[]) =>
    names.map((n, i) => `v${i} = conv.utils.get_secret('${n}')['client_id']\nos.environ['${n.toUpperCase()}']\n`).join('');
  const docArb = fc.record({
    folder: fc.constantFrom(...FOLDERS, 'file:///elsewhere'),
    names: fc.subarray([...NAMES, 'unknown_one', 'strpe_key'], { maxLength: 4 }),
  });

  it('never leaves a document out whose diagnostics change', () => {
    fc.assert(
      fc.property(initialArb, fc.array(docArb, { minLength: 1, maxLength: 6 }), fc.array(changeArb, { maxLength: 25 }), (initial, docSpecs, changes) => {
        const service = createLanguageService();
        service.load(snapshotOf(initial));
        const docs = docSpecs.map((spec, i) => doc(docText(spec.names), `${spec.folder}/f${i}.py`));
        let before = docs.map((d) => JSON.stringify(service.diagnostics(d.doc, d.result)));
        for (const change of changes) {
          const impact = service.apply([change]);
          const after = docs.map((d) => JSON.stringify(service.diagnostics(d.doc, d.result)));
          docs.forEach((d, i) => {
            if (!service.affects(impact, d.doc.uri, d.result)) expect(after[i], `${JSON.stringify(change)} on ${d.doc.uri}`).toBe(before[i]);
          });
          before = after;
        }
      }),
      { seed: 1414, numRuns: 300 },
    );
  });

  it('picks only the documents that reference a changed secret or sit in a folder whose agent changed', () => {
    const service = createLanguageService();
    service.load(snapshotOf([
      { name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['billing-agent'] },
      { name: 'zendesk', description: '', kind: 'kv', keys: ['token'], agents: ['support-agent'] },
    ]));
    const a = doc("conv.utils.get_secret('stripe_key')\n", `${FOLDERS[0]}/a.py`);
    const b = doc("conv.utils.get_secret('zendesk')\n", `${FOLDERS[1]}/b.py`);
    const c = doc("conv.utils.get_secret('zendesk')\n", `${FOLDERS[0]}/c.py`);
    const affected = (impact: ReturnType<typeof service.apply>) => [a, b, c].filter((d) => service.affects(impact, d.doc.uri, d.result)).map((d) => d.doc.uri.slice(-4));

    expect(affected(service.apply([{ kind: 'secret', secret: { name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['booking-agent'] } }]))).toEqual(['a.py']);
    expect(affected(service.apply([{ kind: 'context', folders: [{ folderUri: FOLDERS[0]!, agent: 'booking-agent' }, { folderUri: FOLDERS[1]!, agent: 'billing-agent' }] }]))).toEqual(['b.py']);
    // An agent's name appears in no diagnostic; the role only decides quick fixes.
    expect(affected(service.apply([{ kind: 'agent', agent: { id: 'booking-agent', name: 'Bookings' } }, { kind: 'context', role: 'developer' }]))).toEqual([]);
    // A new secret a typo away from an unknown name changes its did-you-mean.
    const typo = doc("conv.utils.get_secret('sendgrid_ky')\n", `${FOLDERS[0]}/t.py`);
    const impact = service.apply([{ kind: 'secret', secret: { name: 'sendgrid_key', description: '', kind: 'single', keys: [], agents: [] } }]);
    expect(service.affects(impact, typo.doc.uri, typo.result)).toBe(true);
    expect(affected(impact)).toEqual([]);
    // Naming style or staleness: every document.
    expect(affected(service.apply([{ kind: 'context', stale: { since: '2026-11-22T10:00:00.000Z' } }]))).toEqual(['a.py', 'b.py', 'c.py']);
    expect(affected(service.apply([{ kind: 'context', namingStyle: 'UPPER_CASE' }]))).toEqual(['a.py', 'b.py', 'c.py']);
    // Nothing changes: nothing affected, and an identical snapshot changes nothing at all.
    expect(service.apply([{ kind: 'context', namingStyle: 'UPPER_CASE' }]).changed).toBe(false);
    const same = service.model.toSnapshot(7)!;
    expect(service.load(same).changed).toBe(false);
  });
});
