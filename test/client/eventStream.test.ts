import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { VaultEventEnvelope } from '../../protocol/api';
import { VaultApi } from '../../protocol/client';
import { VaultEventStream, type StreamStatus } from '../../client/src/vault/eventStream';
import { undiciTransport } from '../../client/src/vault/transport';
import { serve, type RunningServer } from '../../vault/src/vault';
import { startTestVault, type TestVault } from '../helpers/vault';
import { waitFor } from './wait';

const fastBackoff = { initialMs: 20, maxMs: 100 };

interface Recorder {
  events: VaultEventEnvelope[];
  syncs: { kind: 'ready' | 'reset'; id: number }[];
  statuses: StreamStatus[];
  warnings: string[];
}

function open(url: string, token: string, lastEventId?: number): { stream: VaultEventStream; rec: Recorder } {
  const rec: Recorder = { events: [], syncs: [], statuses: [], warnings: [] };
  const stream = new VaultEventStream(
    { url, token, backoff: fastBackoff, ...(lastEventId !== undefined ? { lastEventId } : {}) },
    {
      onSync: (kind, id) => rec.syncs.push({ kind, id }),
      onEvent: (e) => rec.events.push(e),
      onStatus: (s) => rec.statuses.push(s),
      onWarning: (m) => rec.warnings.push(m),
    },
  );
  stream.start();
  return { stream, rec };
}

const summary = (events: VaultEventEnvelope[]) =>
  events.map((e) => `${e.event.type}:${'secret' in e.event ? e.event.secret.name : 'name' in e.event ? e.event.name : ''}`);

describe('the vault event stream', () => {
  let tv: TestVault | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await tv?.stop();
    tv = undefined;
  });

  it('starts with ready, then delivers each change in order', async () => {
    tv = await startTestVault();
    const api = tv.api();
    await api.createAgent({ id: 'booking-agent' });
    const { stream, rec } = open(tv.url, tv.adminKey);
    cleanups.push(() => stream.stop());
    await waitFor(() => rec.syncs.length === 1, 'ready');
    expect(rec.syncs[0]!.kind).toBe('ready');
    const readyId = rec.syncs[0]!.id;
    expect(readyId).toBeGreaterThan(0);

    await api.createSecret({ name: 'stripe_api_key', value: 'sk_test_VALUE_1', description: 'Stripe' });
    await api.grant('stripe_api_key', 'booking-agent');
    await api.updateSecret('stripe_api_key', { description: 'Stripe key' });
    await api.deleteSecret('stripe_api_key');
    await waitFor(() => rec.events.length === 4, 'four events');
    expect(summary(rec.events)).toEqual([
      'secret.created:stripe_api_key',
      'access.changed:stripe_api_key',
      'secret.updated:stripe_api_key',
      'secret.deleted:stripe_api_key',
    ]);
    const ids = rec.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBeGreaterThan(readyId);
    expect(stream.lastEventId).toBe(ids[3]);
    // Metadata only: the value never travels on the stream.
    expect(JSON.stringify(rec.events)).not.toContain('sk_test_VALUE_1');
    expect(rec.statuses.map((s) => s.state)).toEqual(['connecting', 'open']);
  });

  it('resumes after a drop with Last-Event-ID and delivers the missed events exactly once', async () => {
    tv = await startTestVault();
    const api = tv.api();
    const { stream, rec } = open(tv.url, tv.adminKey);
    cleanups.push(() => stream.stop());
    await waitFor(() => rec.syncs.length === 1, 'ready');
    await api.createSecret({ name: 'first', value: 'v1' });
    await waitFor(() => rec.events.length === 1, 'first event');

    // Drop: the vault goes away (its close ends every stream) and the stream starts retrying.
    const port = Number(new URL(tv.url).port);
    const { vault, dataDir, adminKey } = tv;
    await tv.server.close();
    tv = undefined;
    cleanups.push(() => {
      vault.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    await waitFor(() => rec.statuses.some((s) => s.state === 'retrying'), 'a retry');

    // Changes made meanwhile, through a second server on the same data.
    const side: RunningServer = await serve(vault, { port: 0 });
    const sideApi = new VaultApi(undiciTransport(side.url), adminKey);
    await sideApi.createSecret({ name: 'second', value: 'v2' });
    await sideApi.updateSecret('first', { description: 'changed while away' });
    await sideApi.deleteSecret('second');
    await side.close();
    expect(rec.events.length).toBe(1);

    // The vault comes back on the same port: the stream resumes from the last id it saw.
    const back = await serve(vault, { port });
    cleanups.push(() => back.close());
    await waitFor(() => rec.events.length >= 4, 'the missed events');
    await new VaultApi(undiciTransport(back.url), adminKey).createSecret({ name: 'third', value: 'v3' });
    await waitFor(() => rec.events.length >= 5, 'a live event after the resume');
    expect(summary(rec.events)).toEqual([
      'secret.created:first',
      'secret.created:second',
      'secret.updated:first',
      'secret.deleted:second',
      'secret.created:third',
    ]);
    // Resumed, not restarted: no second ready, no reset.
    expect(rec.syncs.map((s) => s.kind)).toEqual(['ready']);
    const ids = rec.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('skips ids it has already delivered when a replay overlaps', async () => {
    tv = await startTestVault();
    const api = tv.api();
    await api.createSecret({ name: 'a', value: 'v' });
    await api.createSecret({ name: 'b', value: 'v' });
    await api.createSecret({ name: 'c', value: 'v' });
    const all = open(tv.url, tv.adminKey, 0);
    cleanups.push(() => all.stream.stop());
    await waitFor(() => all.rec.events.length === 3, 'the whole history');
    const afterFirst = all.rec.events[0]!.id;
    const rest = open(tv.url, tv.adminKey, afterFirst);
    cleanups.push(() => rest.stream.stop());
    await api.createSecret({ name: 'd', value: 'v' });
    await waitFor(() => rest.rec.events.length === 3, 'the replay and the live event');
    expect(summary(rest.rec.events)).toEqual(['secret.created:b', 'secret.created:c', 'secret.created:d']);
  });

  it('reports reset when the resume point is unknown to the vault', async () => {
    tv = await startTestVault();
    await tv.api().createSecret({ name: 'a', value: 'v' });
    const { stream, rec } = open(tv.url, tv.adminKey, 999_999);
    cleanups.push(() => stream.stop());
    await waitFor(() => rec.syncs.length === 1, 'reset');
    expect(rec.syncs[0]!.kind).toBe('reset');
    expect(stream.lastEventId).toBe(rec.syncs[0]!.id);
    expect(stream.lastEventId).toBeLessThan(999_999);
    await tv.api().createSecret({ name: 'b', value: 'v' });
    await waitFor(() => rec.events.length === 1, 'the next event after the reset');
    expect(summary(rec.events)).toEqual(['secret.created:b']);
  });

  it('stops retrying when the key is rejected', async () => {
    tv = await startTestVault();
    const { stream, rec } = open(tv.url, 'svu_not_a_real_key');
    cleanups.push(() => stream.stop());
    await waitFor(() => rec.statuses.some((s) => s.state === 'rejected'), 'rejection');
    expect(rec.statuses.at(-1)).toEqual({ state: 'rejected', status: 401 });
    expect(rec.statuses.some((s) => s.state === 'retrying')).toBe(false);
  });

  it('keeps retrying with backoff while the vault is unreachable', async () => {
    tv = await startTestVault();
    const url = tv.url;
    await tv.stop();
    tv = undefined;
    const { stream, rec } = open(url, 'svu_whatever');
    cleanups.push(() => stream.stop());
    await waitFor(() => rec.statuses.filter((s) => s.state === 'retrying').length >= 3, 'three retries');
    const retry = rec.statuses.find((s) => s.state === 'retrying');
    expect(retry && 'reason' in retry && retry.reason).toContain('Could not reach the vault');
    await stream.stop();
    expect(rec.statuses.at(-1)).toEqual({ state: 'stopped' });
  });
});
