// The metadata sync (client/src/core/sync.ts) against a real vault: one full snapshot, then deltas
// derived from the vault's events as the connection applies them, nothing when nothing changed,
// and deltas that bring the server's copy exactly to the client's metadata. No value ever.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataChange, MetadataDelta, VaultSnapshot } from '../../protocol/lsp';
import { deltaProblem, sameSnapshotContent, snapshotProblem } from '../../protocol/sync';
import { buildSnapshot, type SnapshotInput } from '../../client/src/core/snapshot';
import { MetadataSync, type Outgoing } from '../../client/src/core/sync';
import { VaultConnection } from '../../client/src/vault/connection';
import { seedDemo } from '../../vault/src/demo';
import { startTestVault, type TestVault } from '../helpers/vault';
import { waitFor } from './wait';

/** What a server does with a delta, written independently of the client: the reference model. */
function applyDelta(base: VaultSnapshot, delta: MetadataDelta): VaultSnapshot {
  expect(delta.baseRevision).toBe(base.revision);
  const secrets = new Map(base.secrets.map((s) => [s.name, s]));
  const agents = new Map(base.agents.map((a) => [a.id, a]));
  let next: VaultSnapshot = { ...base, revision: delta.revision };
  for (const c of delta.changes) {
    if (c.kind === 'secret') secrets.set(c.secret.name, c.secret);
    else if (c.kind === 'secretDeleted') secrets.delete(c.name);
    else if (c.kind === 'agent') agents.set(c.agent.id, c.agent);
    else if (c.kind === 'agentDeleted') agents.delete(c.id);
    else {
      const { kind: _kind, ...fields } = c;
      next = { ...next, ...fields };
    }
  }
  return { ...next, secrets: [...secrets.values()], agents: [...agents.values()] };
}

describe('the metadata sync, against a real vault', () => {
  let tv: TestVault;
  let conn: VaultConnection;
  const sync = new MetadataSync();
  /** The server's copy, kept by applying what the sync sends. */
  let server: VaultSnapshot | undefined;
  const sentJson: string[] = [];
  const values = ['VALUE-sk-live-998877', 'VALUE-kv-pass-554433', 'VALUE-updated-112233'];
  let defaultAgent: string | null = 'PROJECT-BK7QF2MA';
  let stale: { since: string } | null = null;
  let state: SnapshotInput['state'] | undefined;
  /** The editor's secretsVault.environment (undefined: not given, which is 'all'). */
  let environment: string | undefined;

  const input = (): SnapshotInput => ({
    state: state ?? conn.state.state,
    namingStyle: conn.namingStyle,
    role: conn.role,
    secrets: conn.metadata.secrets,
    agents: conn.metadata.agents,
    folders: [{ folderUri: 'file:///work/a', agent: 'PROJECT-BK7QF2MA' }],
    defaultAgent,
    stale,
    ...(environment !== undefined ? { environment } : {}),
  });

  /** Runs the sync, checks its message as the server would, applies it, and returns it. */
  function step(): Outgoing | undefined {
    const out = sync.next(input());
    if (!out) return undefined;
    sentJson.push(JSON.stringify(out));
    if (out.kind === 'snapshot') {
      expect(snapshotProblem(out.snapshot)).toBeUndefined();
      server = out.snapshot;
    } else {
      expect(deltaProblem(out.delta)).toBeUndefined();
      server = applyDelta(server!, out.delta);
    }
    // Whatever went out, the server's copy is now the client's metadata.
    expect(sameSnapshotContent(server, buildSnapshot(input(), server.revision))).toBe(true);
    return out;
  }

  function delta(): MetadataChange[] {
    const out = step();
    expect(out?.kind).toBe('delta');
    return out?.kind === 'delta' ? out.delta.changes : [];
  }

  beforeAll(async () => {
    tv = await startTestVault();
    await seedDemo(tv.api(), 'snake_case');
    await tv.api().createSecret({ name: 'probe_key', value: values[0]!, agents: ['PROJECT-BK7QF2MA'] });
    conn = new VaultConnection({ url: tv.url, token: tv.adminKey, backoff: { initialMs: 20, maxMs: 100 } });
    await conn.start();
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live');
  });
  afterAll(async () => {
    await conn.dispose();
    await tv.stop();
    // Nothing that went out carried a value.
    const all = sentJson.join('\n');
    for (const v of values) expect(all).not.toContain(v);
  });

  it('sends the full metadata once, then nothing while nothing changes', () => {
    const first = step();
    expect(first?.kind).toBe('snapshot');
    if (first?.kind !== 'snapshot') return;
    expect(first.snapshot.revision).toBeGreaterThan(0);
    expect(first.snapshot.stale).toBeNull();
    // The environment the editor follows is in the first snapshot: 'all' when none was chosen.
    expect(first.snapshot.environment).toBe('all');
    expect(first.snapshot.secrets.map((s) => s.name)).toContain('probe_key');
    expect(step()).toBeUndefined();
    expect(step()).toBeUndefined();
    expect(sync.stats).toMatchObject({ snapshots: 1, deltas: 0, skipped: 2 });
  });

  it('sends a created secret as one change, with the revision chain intact', async () => {
    const before = sync.sentRevision!;
    await tv.api().createSecret({ name: 'new_kv', value: { user: 'u', pass: values[1]! }, description: 'made by the test' });
    await waitFor(() => conn.metadata.secret('new_kv') !== undefined, 'the created event');
    const out = step();
    expect(out?.kind).toBe('delta');
    if (out?.kind !== 'delta') return;
    expect(out.delta.baseRevision).toBe(before);
    expect(out.delta.revision).toBe(before + 1);
    expect(out.delta.changes).toEqual([
      {
        kind: 'secret',
        secret: {
          name: 'new_kv',
          description: 'made by the test',
          kind: 'kv',
          keys: ['pass', 'user'],
          agents: [],
          updatedAt: expect.any(String),
          expiresAt: null,
          rotationDays: null,
          valueUpdatedAt: expect.any(String),
          valueUpdatedBy: expect.any(String),
        },
      },
    ]);
    expect(step()).toBeUndefined();
  });

  it('sends an access change, an update and a delete, each as what changed', async () => {
    await tv.api().grant('new_kv', 'PROJECT-SP4TK9WD');
    await waitFor(() => conn.metadata.secret('new_kv')?.agents.includes('PROJECT-SP4TK9WD') === true, 'the grant');
    expect(delta()).toEqual([{ kind: 'secret', secret: expect.objectContaining({ name: 'new_kv', agents: ['PROJECT-SP4TK9WD'] }) }]);

    const current = conn.metadata.secret('probe_key')!;
    await tv.api().updateSecret('probe_key', { value: values[2]!, description: 'rotated' }, current.version);
    await waitFor(() => conn.metadata.secret('probe_key')?.description === 'rotated', 'the update');
    expect(delta()).toEqual([{ kind: 'secret', secret: expect.objectContaining({ name: 'probe_key', description: 'rotated' }) }]);

    await tv.api().deleteSecret('new_kv');
    await waitFor(() => conn.metadata.secret('new_kv') === undefined, 'the delete');
    expect(delta()).toEqual([{ kind: 'secretDeleted', name: 'new_kv' }]);
  });

  it('sends agents added and removed (with the access lists the removal changed)', async () => {
    await tv.api().createAgent({ id: 'temp-agent', name: 'Temporary' });
    await waitFor(() => conn.metadata.agent('temp-agent') !== undefined, 'the new agent');
    expect(delta()).toEqual([{ kind: 'agent', agent: { id: 'temp-agent', name: 'Temporary' } }]);
    await tv.api().grant('probe_key', 'temp-agent');
    await waitFor(() => conn.metadata.secret('probe_key')?.agents.includes('temp-agent') === true, 'the grant');
    delta();
    await tv.api().deleteAgent('temp-agent');
    await waitFor(() => conn.metadata.agent('temp-agent') === undefined && !conn.metadata.secret('probe_key')!.agents.includes('temp-agent'), 'the removal');
    const changes = delta();
    expect(changes).toContainEqual({ kind: 'agentDeleted', id: 'temp-agent' });
    expect(changes).toContainEqual({ kind: 'secret', secret: expect.objectContaining({ name: 'probe_key', agents: ['PROJECT-BK7QF2MA'] }) });
  });

  it('sends an agent switch as a context change only, and nothing for a switch back to where the server is', () => {
    defaultAgent = 'PROJECT-SP4TK9WD';
    expect(delta()).toEqual([{ kind: 'context', defaultAgent: 'PROJECT-SP4TK9WD' }]);
    expect(step()).toBeUndefined();
    defaultAgent = 'PROJECT-BK7QF2MA';
    expect(delta()).toEqual([{ kind: 'context', defaultAgent: 'PROJECT-BK7QF2MA' }]);
  });

  it('sends a change of environment as one context change, nothing for the same value again, and the choice in the next snapshot', () => {
    environment = 'live';
    expect(delta()).toEqual([{ kind: 'context', environment: 'live' }]);
    // The same value again (a settings write that left it as it was, another render): nothing.
    expect(step()).toBeUndefined();
    environment = 'sandbox';
    expect(delta()).toEqual([{ kind: 'context', environment: 'sandbox' }]);
    // 'all' given and 'all' by default are the same.
    environment = 'all';
    expect(delta()).toEqual([{ kind: 'context', environment: 'all' }]);
    environment = undefined;
    expect(step()).toBeUndefined();
    // A new language client starts from a snapshot that carries the choice.
    environment = 'pre-release';
    sync.reset();
    const out = step();
    expect(out?.kind === 'snapshot' && out.snapshot.environment).toBe('pre-release');
    environment = undefined;
    expect(delta()).toEqual([{ kind: 'context', environment: 'all' }]);
  });

  it('sends nothing for a refetch that finds the same listing', async () => {
    await conn.refresh();
    expect(step()).toBeUndefined();
  });

  it('marks the metadata stale when the vault is unreachable, and live again without resending secrets', () => {
    state = 'unreachable';
    stale = { since: '2026-11-22T14:02:00.000Z' };
    expect(delta()).toEqual([{ kind: 'context', connection: 'unreachable', role: null, stale: { since: '2026-11-22T14:02:00.000Z' } }]);
    state = undefined;
    stale = null;
    expect(delta()).toEqual([{ kind: 'context', connection: 'connected', role: 'admin', stale: null }]);
  });

  it('sends a full snapshot again after a reset (the server asked, or a new language client)', () => {
    sync.reset();
    const out = step();
    expect(out?.kind).toBe('snapshot');
    expect(step()).toBeUndefined();
  });

  it('says "signed out" with one empty snapshot, not a delete per secret', () => {
    state = 'signed-out';
    const out = step();
    expect(out?.kind).toBe('snapshot');
    if (out?.kind === 'snapshot') expect(out.snapshot).toMatchObject({ connection: 'signed-out', secrets: [], agents: [], role: null, stale: null });
    expect(step()).toBeUndefined();
    state = undefined;
    const back = delta();
    expect(back[0]).toMatchObject({ kind: 'context', connection: 'connected' });
    expect(back.filter((c) => c.kind === 'secret')).toHaveLength(conn.metadata.secrets.length);
  });
});
