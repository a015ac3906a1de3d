// The Session without a transport: documents in memory, snapshots and deltas as the client sends
// them, result ids and counts as the LSP layer would send them on.

import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import type { MetadataChange, MetadataDelta } from '../../protocol/lsp';
import { Session } from '../../server/src/session';
import { scan } from '../../server/src/service/analyze';
import type { IndexedFile } from '../../server/src/workspaceIndex';
import { BOOKING, SUPPORT, snapshot } from './vaultFixture';

function setup() {
  const open = new Map<string, TextDocument>();
  const files = new Map<string, IndexedFile>();
  const session = new Session({ get: (uri) => open.get(uri), all: () => [...open.values()] }, { get: (uri) => files.get(uri), values: () => files.values() });
  const openDoc = (uri: string, text: string) => open.set(uri, TextDocument.create(uri, 'python', 1, text));
  const indexFile = (uri: string, text: string) => files.set(uri, { uri, doc: TextDocument.create(uri, 'python', 0, text), result: scan(text, 'python') });
  /** Result ids of every document, as a pull client would hold them. */
  const ids = () => new Map([...open.keys(), ...files.keys()].map((uri) => [uri, session.documentReport(uri, undefined).resultId!]));
  return { session, open, files, openDoc, indexFile, ids };
}

const delta = (baseRevision: number, changes: MetadataChange[], revision = baseRevision + 1): MetadataDelta => ({ baseRevision, revision, changes });
const kinds = (r: DocumentDiagnosticReport) => r.kind;
const secret = (name: string, agents: string[]) => ({ name, description: '', kind: 'single' as const, keys: [], agents });

describe('Session: metadata sync', () => {
  it('takes one snapshot, then deltas on top of its revision; a gap asks for a snapshot', () => {
    const { session, openDoc } = setup();
    openDoc(`${BOOKING}/a.py`, "conv.utils.get_secret('stripe_key')\n");

    // A delta before any snapshot cannot apply.
    const early = session.receiveDelta(delta(0, []));
    expect(early.resync).toEqual({ revision: null });
    expect(early.problem).toBe('A metadata delta from revision 0 does not apply to no snapshot.');

    const first = session.receiveSnapshot(snapshot({ revision: 4 }));
    expect(first).toMatchObject({ refresh: true, affected: 1 });
    expect(first.resync).toBeUndefined();
    expect(session.revision).toBe(4);

    const ok = session.receiveDelta(delta(4, [{ kind: 'secret', secret: secret('stripe_key', ['booking-agent']) }]));
    expect(ok.resync).toBeUndefined();
    expect(session.revision).toBe(5);

    // A gap (the server has 5, the delta builds on 6): ask once, then wait for the snapshot.
    const gap = session.receiveDelta(delta(6, []));
    expect(gap.resync).toEqual({ revision: null });
    expect(session.revision).toBeNull();
    const next = session.receiveDelta(delta(7, []));
    expect(next.resync).toBeUndefined();
    expect(next.problem).toMatch(/does not apply/);
    session.receiveSnapshot(snapshot({ revision: 8 }));
    expect(session.receiveDelta(delta(8, [])).resync).toBeUndefined();
    expect(session.revision).toBe(9);
  });

  it('answers a malformed message with a resync, never an exception', () => {
    const { session } = setup();
    session.receiveSnapshot(snapshot());
    for (const bad of [null, 'x', { baseRevision: 1 }, { baseRevision: 1, revision: 2, changes: [{ kind: 'secret', secret: { name: 1 } }] }]) {
      const s = new Session({ get: () => undefined, all: () => [] }, { get: () => undefined, values: () => [] });
      s.receiveSnapshot(snapshot());
      const outcome = s.receiveDelta(bad);
      expect(outcome.resync).toEqual({ revision: null });
      expect(outcome.problem).toMatch(/^Ignoring a malformed metadata delta: /);
    }
    const outcome = session.receiveSnapshot({ ...snapshot(), revision: 'one' });
    expect(outcome).toMatchObject({ resync: { revision: null }, problem: 'Ignoring a malformed vault snapshot: bad revision.', refresh: false });
  });

  it('a change that throws leaves no half-changed model: it starts over from the next snapshot', () => {
    const { session, openDoc } = setup();
    const a = `${BOOKING}/a.py`;
    openDoc(a, "conv.utils.get_secret('stripe_key')\n");
    session.receiveSnapshot(snapshot({ revision: 1 }));
    const spy = vi.spyOn(session.service, 'apply').mockImplementationOnce(() => {
      throw new Error('boom');
    });
    const outcome = session.receiveDelta(delta(1, []));
    spy.mockRestore();
    expect(outcome).toMatchObject({ resync: { revision: null }, problem: 'Applying vault metadata failed (boom); asking for a snapshot.', refresh: true });
    // Until the snapshot: only checks that need no vault.
    expect(session.documentReport(a, undefined)).toMatchObject({ kind: 'full', items: [] });
    session.receiveSnapshot(snapshot({ revision: 3 }));
    expect(session.documentReport(a, undefined)).toMatchObject({ kind: 'full', items: [{ code: 'not-granted' }] });
  });

  it('an identical snapshot changes nothing: no refresh, the same result ids', () => {
    const { session, openDoc, indexFile, ids } = setup();
    openDoc(`${BOOKING}/a.py`, "conv.utils.get_secret('stripe_key')\n");
    indexFile(`${BOOKING}/b.py`, "conv.utils.get_secret('zendesk')\n");
    session.receiveSnapshot(snapshot({ revision: 1 }));
    const before = ids();
    const same = snapshot({ revision: 2, secrets: [...snapshot().secrets].reverse() });
    expect(session.receiveSnapshot(same)).toEqual({ openAffected: [], refresh: false, affected: 0, lenses: false });
    expect(ids()).toEqual(before);
    // Its revision is taken, so deltas go on from it.
    expect(session.receiveDelta(delta(2, [])).resync).toBeUndefined();
  });

  it('a delta re-checks only the documents that reference what changed', () => {
    const { session, openDoc, indexFile, ids } = setup();
    const a = `${BOOKING}/a.py`;
    const b = `${BOOKING}/b.py`;
    const c = `${SUPPORT}/c.py`;
    openDoc(a, "conv.utils.get_secret('stripe_key')\n");
    indexFile(b, "conv.utils.get_secret('zendesk')\n");
    indexFile(c, "conv.utils.get_secret('stripe_key')\n");
    indexFile(`${BOOKING}/none.py`, 'print(1)\n');
    session.receiveSnapshot(snapshot({ revision: 1 }));
    const before = ids();
    expect(session.documentReport(a, undefined)).toMatchObject({ kind: 'full', items: [{ code: 'not-granted' }] });

    const outcome = session.receiveDelta(delta(1, [{ kind: 'secret', secret: secret('stripe_key', ['billing-agent', 'booking-agent']) }]));
    expect(outcome.affected).toBe(2);
    expect(outcome.refresh).toBe(true);
    expect(outcome.openAffected.map((d) => d.uri)).toEqual([a]);
    const after = ids();
    expect([a, b, c].map((uri) => after.get(uri) === before.get(uri))).toEqual([false, true, false]);
    expect(kinds(session.documentReport(b, before.get(b)))).toBe('unchanged');
    expect(session.documentReport(a, before.get(a))).toMatchObject({ kind: 'full', items: [] });

    // A workspace pull with the old ids: only a and c come back in full.
    const report = session.workspaceReport([...before].map(([uri, value]) => ({ uri, value })));
    expect(Object.fromEntries(report.items.map((i) => [i.uri.slice(i.uri.lastIndexOf('/') + 1), i.kind]))).toEqual({
      'a.py': 'full',
      'b.py': 'unchanged',
      'c.py': 'full',
      'none.py': 'unchanged',
    });

    // A secret nobody references, an agent renamed: nothing to re-check, no refresh.
    expect(session.receiveDelta(delta(2, [{ kind: 'secret', secret: secret('brand_new_thing', []) }]))).toMatchObject({ affected: 0, refresh: false });
    expect(session.receiveDelta(delta(3, [{ kind: 'agent', agent: { id: 'booking-agent', name: 'Bookings' } }]))).toMatchObject({ affected: 0, refresh: false });
    // One folder's agent: only that folder's documents.
    const folders = snapshot().folders.map((f) => (f.folderUri === `${SUPPORT}/` ? { ...f, agent: 'booking-agent' } : f));
    const moved = session.receiveDelta(delta(4, [{ kind: 'context', folders }]));
    expect(moved.affected).toBe(1);
    expect(ids().get(c)).not.toBe(after.get(c));
    expect(ids().get(b)).toBe(after.get(b));
  });

  it('a held walk of the workspace gives way every 256 files, and yields the same report as the whole one', () => {
    const { session, indexFile, ids } = setup();
    for (let n = 0; n < 700; n++) indexFile(`${BOOKING}/f${n}.py`, n % 100 === 0 ? `conv.utils.get_secret('missing_${n}')\n` : 'print(1)\n');
    session.receiveSnapshot(snapshot({ revision: 1 }));
    const walked = [...session.workspaceItems(new Map(), false)];
    // 700 files looked at: a turn of the event loop after the 256th and the 512th.
    expect(walked.map((x, k) => (x === null ? k : -1)).filter((k) => k >= 0)).toHaveLength(2);
    expect(walked.filter((x) => x !== null)).toEqual(session.workspaceReport([]).items);
    // Held (changedOnly), with the client holding every id: nothing to report, the turns still given.
    const held = [...session.workspaceItems(ids(), true)];
    expect(held).toEqual([null, null]);
  });

  it('asks for new Run / Debug lenses only when an open document’s agent or the naming style changed', () => {
    const { session, openDoc, indexFile } = setup();
    // Its only read has no name: no diagnostic depends on the agent, yet the lens names it.
    openDoc(`${BOOKING}/run.py`, 'def run(conv, which):\n    return conv.utils.get_secret(which)\n');
    openDoc(`${SUPPORT}/plain.py`, "x = conv.utils.get_secret('zendesk')\n");
    indexFile(`${BOOKING}/lib.py`, "def g(conv):\n    return conv.utils.get_secret('stripe_key')\n");
    const folders = (booking: string, support: string) =>
      snapshot().folders.map((f) => ({ ...f, agent: f.folderUri === BOOKING ? booking : f.folderUri === `${SUPPORT}/` ? support : f.agent }));
    expect(session.receiveSnapshot(snapshot({ revision: 1 })).lenses).toBe(true);
    // A secret's change: diagnostics may move, lenses do not.
    const granted = session.receiveDelta(delta(1, [{ kind: 'secret', secret: secret('stripe_key', ['booking-agent']) }]));
    expect(granted).toMatchObject({ affected: 1, lenses: false });
    // Another folder's agent, where the open document has no function.
    expect(session.receiveDelta(delta(2, [{ kind: 'context', folders: folders('booking-agent', 'billing-agent') }])).lenses).toBe(false);
    // This folder's agent.
    const moved = session.receiveDelta(delta(3, [{ kind: 'context', folders: folders('billing-agent', 'billing-agent') }]));
    expect(moved.openAffected).toEqual([]);
    expect(moved.lenses).toBe(true);
    // The naming style decides which reads count.
    expect(session.receiveDelta(delta(4, [{ kind: 'context', namingStyle: 'UPPER_CASE' }])).lenses).toBe(true);
    expect(session.receiveDelta(delta(5, [{ kind: 'agent', agent: { id: 'billing-agent', name: 'Billing' } }])).lenses).toBe(false);
  });
});

describe('Session: stale metadata', () => {
  it('keeps checking, and says so only where staleness could change the verdict', () => {
    const { session, openDoc } = setup();
    const a = `${BOOKING}/a.py`;
    openDoc(a, "conv.utils.get_secret('stripe_key')\nconv.utils.get_secret('nope_secret')\nconv.utils.get_secret('Bad Name ')\nconv.utils.get_secret(f'{x}')\n");
    session.receiveSnapshot(snapshot({ connection: 'unreachable', stale: { since: '2026-11-22T09:41:07.000Z' } }));
    const messages = (session.documentReport(a, undefined) as { items: { code: string; message: string }[] }).items.map((d) => [d.code, d.message]);
    expect(messages).toEqual([
      ['not-granted', "Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: billing-agent). (vault unreachable; as of 2026-11-22 09:41 UTC)"],
      ['unknown-secret', "Secret 'nope_secret' does not exist in the vault. (vault unreachable; as of 2026-11-22 09:41 UTC)"],
      ['invalid-name', expect.not.stringContaining('as of')],
      ['dynamic-name', expect.not.stringContaining('as of')],
    ]);
    // Reconnected: the same problems, without the note, and every document is re-checked.
    const back = session.receiveDelta(delta(1, [{ kind: 'context', connection: 'connected', stale: null }]));
    expect(back.affected).toBe(1);
    const live = (session.documentReport(a, undefined) as { items: { message: string }[] }).items.map((d) => d.message);
    expect(live.every((m) => !m.includes('as of'))).toBe(true);
    expect(live).toHaveLength(4);
  });
});

describe('Session: usage counts', () => {
  it('reports vault secrets only: in full once, then only the counts that changed', () => {
    const { session, open, openDoc, indexFile } = setup();
    const a = `${BOOKING}/a.py`;
    indexFile(`${BOOKING}/b.py`, "conv.utils.get_secret('zendesk')\nconv.utils.get_secret('zendesk')\n");
    openDoc(a, "conv.utils.get_secret('stripe_key')\nconv.utils.get_secret('not_in_vault')\n");
    expect(session.countsReport()).toBeUndefined(); // no vault names before a snapshot
    session.receiveSnapshot(snapshot());
    expect(session.countsReport()).toEqual({ counts: { stripe_key: 1, zendesk: 2 }, full: true });
    expect(session.countsReport()).toBeUndefined();

    // Typing inside a literal: a name that is no secret changes nothing to report.
    open.set(a, TextDocument.create(a, 'python', 2, "conv.utils.get_secret('stripe_key')\nconv.utils.get_secret('not_in_vaul')\n"));
    expect(session.countsReport()).toBeUndefined();
    open.set(a, TextDocument.create(a, 'python', 3, "conv.utils.get_secret('stripe_ke')\n"));
    expect(session.countsReport()).toEqual({ counts: { stripe_key: 0 }, full: false });
    open.set(a, TextDocument.create(a, 'python', 4, "conv.utils.get_secret('stripe_key')\nconv.utils.get_secret('stripe_key')\n"));
    expect(session.countsReport()).toEqual({ counts: { stripe_key: 2 }, full: false });

    // A secret created for a name already referenced gets its count; a deleted one needs none.
    open.set(a, TextDocument.create(a, 'python', 5, "conv.utils.get_secret('stripe_key')\nconv.utils.get_secret('not_in_vault')\n"));
    session.receiveDelta(delta(1, [{ kind: 'secret', secret: secret('not_in_vault', []) }, { kind: 'secretDeleted', name: 'zendesk' }]));
    expect(session.countsReport()).toEqual({ counts: { not_in_vault: 1, stripe_key: 1 }, full: false });
  });

  it('keeps the client’s view equal to a count from scratch, through any edits and vault changes', () => {
    const NAMES = ['stripe_key', 'zendesk', 'google_oauth', 'not_a_secret', 'new_one'];
    const step = fc.oneof(
      fc.record({ type: fc.constant('edit' as const), file: fc.integer({ min: 0, max: 3 }), names: fc.array(fc.constantFrom(...NAMES), { maxLength: 4 }) }),
      fc.record({ type: fc.constant('close' as const), file: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ type: fc.constant('create' as const), name: fc.constantFrom(...NAMES) }),
      fc.record({ type: fc.constant('delete' as const), name: fc.constantFrom(...NAMES) }),
      fc.record({ type: fc.constant('report' as const) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const { session, open, indexFile } = setup();
        const uri = (k: number) => `${BOOKING}/f${k}.py`;
        for (let k = 0; k < 4; k++) indexFile(uri(k), "conv.utils.get_secret('stripe_key')\n");
        session.receiveSnapshot(snapshot({ revision: 0 }));
        const view = new Map<string, number>();
        const report = () => {
          const r = session.countsReport();
          if (!r) return;
          if (r.full) view.clear();
          for (const [name, n] of Object.entries(r.counts)) {
            if (n === 0) view.delete(name);
            else view.set(name, n);
          }
        };
        report();
        let version = 1;
        for (const s of steps) {
          if (s.type === 'edit') {
            open.set(uri(s.file), TextDocument.create(uri(s.file), 'python', version++, s.names.map((n) => `conv.utils.get_secret('${n}')\n`).join('')));
          } else if (s.type === 'close') {
            open.delete(uri(s.file));
          } else if (s.type === 'create' || s.type === 'delete') {
            const change: MetadataChange = s.type === 'create' ? { kind: 'secret', secret: secret(s.name, []) } : { kind: 'secretDeleted', name: s.name };
            session.receiveDelta(delta(session.revision!, [change]));
            // The client drops a deleted secret's item, and its count with it.
            if (s.type === 'delete') view.delete(s.name);
          } else report();
        }
        report();
        const truth = session.service.usageCounts(session.allDocuments(), true);
        expect(view).toEqual(truth);
      }),
      { seed: 1515, numRuns: 200 },
    );
  });
});
