// The editor's last reads (issue 53), without vscode, against a real vault over HTTP: the agents'
// reads fetched once per metadata version, the Secrets view's tooltip ("Last read by … (live)",
// "Never read by …"), the snapshot's SecretInfo.reads for the hovers, and the sync's delta when
// the reads change while the secrets do not.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretMetadata } from '../../protocol/api';
import { timeAgo } from '../../protocol/dates';
import { capitalized, lastReadPhrase } from '../../protocol/lastReads';
import { AgentReadsCache, readsOf, type KnownReads } from '../../client/src/core/lastReads';
import { buildSnapshot, type SnapshotInput } from '../../client/src/core/snapshot';
import { MetadataSync } from '../../client/src/core/sync';
import { grantedView, tooltipOf, type TreeInput } from '../../client/src/core/treeModel';
import { startTestVault, type TestVault } from '../helpers/vault';

const AGENT = 'PROJECT-WEVYLLDV';

describe('the words (protocol/lastReads.ts), shared by the CLI, the hover and the views', () => {
  it('says how long ago in whole units, and who read where', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(timeAgo('2026-11-26T11:59:30Z', now)).toBe('just now');
    expect(timeAgo('2026-11-26T11:55:00Z', now)).toBe('5 minutes ago');
    expect(timeAgo('2026-11-26T11:00:00Z', now)).toBe('1 hour ago');
    expect(timeAgo('2026-11-26T00:00:00Z', now)).toBe('12 hours ago');
    expect(timeAgo('2026-11-25T00:00:00Z', now)).toBe('1 day ago');
    expect(timeAgo('not a date', now)).toBeUndefined();
    expect(timeAgo('2026-10-17T12:00:00Z', now)).toBe('40 days ago');
    expect(lastReadPhrase(AGENT, { at: '2026-11-23T11:00:00Z', environment: 'live' }, now)).toBe(`last read by ${AGENT} 3 days ago (live)`);
    expect(lastReadPhrase(AGENT, { at: '2026-11-23T11:00:00Z', environment: null }, now)).toBe(`last read by ${AGENT} 3 days ago`);
    expect(capitalized(lastReadPhrase(AGENT, undefined, now))).toBe(`Never read by ${AGENT}`);
  });
});

describe('last reads in the editor, from a real vault', () => {
  let v: TestVault;
  let secrets: SecretMetadata[];

  beforeAll(async () => {
    v = await startTestVault();
    const admin = v.api();
    await admin.createAgent({ id: AGENT, name: 'Field Service' });
    await admin.createAgent({ id: 'other-agent' });
    for (const name of ['read_one', 'never_read']) await admin.createSecret({ name, value: 'v-' + name, agents: [AGENT] });
    await admin.createSecret({ name: 'not_granted', value: 'v', agents: ['other-agent'] });
    const token = (await admin.createAgentToken(AGENT)).token;
    expect((await v.http('GET', '/v1/runtime/secrets/read_one', { token, headers: { 'x-secrets-vault-environment': 'live' } })).status).toBe(200);
    secrets = await admin.listSecrets();
  }, 60_000);

  afterAll(async () => {
    await v.stop();
  });

  /** The cache over the admin's API, and the next change it reports. */
  function cache(): { reads: AgentReadsCache; fetched: string[]; changed: () => Promise<void> } {
    const fetched: string[] = [];
    let wake: () => void = () => {};
    const reads = new AgentReadsCache(
      (agent) => {
        fetched.push(agent);
        return v.api().agentReads(agent);
      },
      () => wake(),
      (e) => {
        throw e;
      },
    );
    return { reads, fetched, changed: () => new Promise<void>((resolve) => (wake = resolve)) };
  }

  it("fetches each followed agent's reads once per metadata version; an agent the vault does not know has read nothing", async () => {
    const c = cache();
    const arrived = c.changed();
    expect(c.reads.get([AGENT, null, 'PROJECT-NOTINVAULT', AGENT], '1')).toBeUndefined();
    await arrived;
    const known = c.reads.get([AGENT, 'PROJECT-NOTINVAULT'], '1')!;
    expect(known.agents).toEqual(['PROJECT-NOTINVAULT', AGENT]);
    expect([...readsOf(known, AGENT)!.keys()]).toEqual(['read_one']);
    expect(readsOf(known, AGENT)!.get('read_one')).toMatchObject({ agent: AGENT, environment: 'live' });
    expect(readsOf(known, 'PROJECT-NOTINVAULT')!.size).toBe(0);
    expect(readsOf(known, 'other-agent')).toBeUndefined();
    // Asked again for the same version: no request.
    expect(c.fetched.sort()).toEqual(['PROJECT-NOTINVAULT', AGENT]);
    c.reads.get([AGENT, 'PROJECT-NOTINVAULT'], '1');
    expect(c.fetched).toHaveLength(2);
  });

  it("the Access review's reads are the same requests: one per agent and metadata version, whoever asks first; a 404 is null for the review, nothing read for the hovers", async () => {
    const c = cache();
    // The review asks first: the hovers' get for the same version reuses its request.
    const review = await c.reads.agentReads(AGENT, '1');
    expect([...review!.keys()]).toEqual(['read_one']);
    expect(review!.get('read_one')).toMatchObject({ at: expect.any(String), environment: 'live' });
    const arrived = c.changed();
    c.reads.get([AGENT, 'PROJECT-NOTINVAULT'], '1');
    await arrived;
    expect(c.fetched.sort()).toEqual(['PROJECT-NOTINVAULT', AGENT]);
    // The hovers asked for the other agent: the review's ask reuses it (404: the review says "not kept").
    expect(await c.reads.agentReads('PROJECT-NOTINVAULT', '1')).toBeNull();
    expect(readsOf(c.reads.get([AGENT, 'PROJECT-NOTINVAULT'], '1'), 'PROJECT-NOTINVAULT')!.size).toBe(0);
    expect(c.fetched).toHaveLength(2);
    // A new metadata version asks again, once, whoever asks.
    await Promise.all([c.reads.agentReads(AGENT, '2'), c.reads.agentReads(AGENT, '2')]);
    expect(c.fetched.filter((a) => a === AGENT)).toHaveLength(2);
    // Another vault or key: asked again even for the same version.
    c.reads.clear();
    await c.reads.agentReads(AGENT, '2');
    expect(c.fetched.filter((a) => a === AGENT)).toHaveLength(3);
  });

  async function known(): Promise<KnownReads> {
    const c = cache();
    const arrived = c.changed();
    c.reads.get([AGENT], 'v');
    await arrived;
    return c.reads.get([AGENT], 'v')!;
  }

  it("the Secrets view's tooltip: 'Last read by … ago (live)' for a read secret, 'Never read by …' for a granted one never read", async () => {
    const input: TreeInput = { secrets, agents: await v.api().listAgents(), agent: AGENT, role: 'admin', usage: new Map(), lastReads: readsOf(await known(), AGENT) };
    const view = grantedView(input);
    const tip = (name: string) => tooltipOf(view.nodes.find((n) => n.name === name)!, input);
    expect(tip('read_one')).toMatch(/\n\nLast read by PROJECT\\-WEVYLLDV \\\(Field Service\\\) (just now|\d+ minutes? ago) \(live\)\n\n/);
    expect(tip('never_read')).toContain('\n\nNever read by PROJECT\\-WEVYLLDV \\(Field Service\\)\n\n');
    // Reads not known yet: the tooltip says nothing of them.
    expect(tooltipOf(view.nodes[0]!, { ...input, lastReads: undefined })).not.toMatch(/read by/i);
  });

  it('the snapshot carries the reads of granted secrets for the hovers; new reads with the same secrets are a delta of those secrets', async () => {
    const reads = await known();
    const input: SnapshotInput = { state: 'connected', namingStyle: 'snake_case', role: 'admin', secrets, agents: [], folders: [], defaultAgent: AGENT };
    const snapshot = buildSnapshot({ ...input, reads });
    const byName = new Map(snapshot.secrets.map((s) => [s.name, s.reads]));
    expect(byName.get('read_one')).toEqual([{ agent: AGENT, at: expect.any(String), environment: 'live' }]);
    expect(byName.get('never_read')).toEqual([{ agent: AGENT, at: null, environment: null }]);
    expect(byName.get('not_granted')).toBeUndefined();

    const sync = new MetadataSync();
    expect(sync.next(input)?.kind).toBe('snapshot');
    expect(sync.next(input)).toBeUndefined();
    const delta = sync.next({ ...input, reads });
    expect(delta?.kind).toBe('delta');
    const changed = delta?.kind === 'delta' ? delta.delta.changes.map((c) => (c.kind === 'secret' ? c.secret.name : c.kind)) : [];
    expect(changed.sort()).toEqual(['never_read', 'read_one']);
    expect(sync.next({ ...input, reads })).toBeUndefined();
  });
});
