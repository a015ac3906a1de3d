// The vault knows the last read (issue 53): over real HTTP on each store, what a successful
// run-time read leaves behind (the secret's metadata, the agent's reads), what a denied one does not,
// the reader's environment header (kept when it names an environment, null otherwise, echoed
// nowhere), who may list an agent's reads, and that it all survives a restart.

import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readerEnvironment } from '../../protocol/environments';
import { VaultApi } from '../../protocol/client';
import { undiciTransport } from '../../vault/src/cli/remote';
import { AuditWriter } from '../../vault/src/audit';
import type { LastReadEntry } from '../../vault/src/store/types';
import { openVault, serve } from '../../vault/src/vault';
import { pgDatabase } from '../helpers/pg';
import { apiFailure, startTestVault, TEST_STORES, type TestVault } from '../helpers/vault';

const VALUE = 'sentinel-lastread-value-4d1c9b';
/** Header values that name no environment: each is kept as null and appears in no answer, log or audit record. */
const BAD_ENVIRONMENTS = ['production-7f2e', 'live\ttab', 'liv\u00e9', 'sandbox live', 'LIVE', 'x'.repeat(200), '<script>alert(1)</script>'];

describe('readerEnvironment: the header as the vault keeps it', () => {
  it('an environment in any spelling, surrounding spaces ignored; anything else is null', () => {
    expect(readerEnvironment('live')).toBe('live');
    expect(readerEnvironment(' pre_release ')).toBe('pre-release');
    expect(readerEnvironment('sandbox')).toBe('sandbox');
    expect(readerEnvironment(undefined)).toBeNull();
    expect(readerEnvironment(['live', 'live'])).toBeNull();
    for (const bad of [...BAD_ENVIRONMENTS, '', 'live\u200b', 'draft', 'all']) expect(readerEnvironment(bad)).toBeNull();
  });
});

describe('AuditWriter: a read in the same second as the one kept needs no write', () => {
  it('the second group of one second carries no last read; another environment, or the next second, does', async () => {
    const groups: LastReadEntry[][] = [];
    const writer = new AuditWriter(async (_entries, _now, reads) => {
      groups.push(reads);
    });
    const entry = { accountId: 'a', actor: 'bot', actorId: 't', actorType: 'agent' as const, action: 'runtime.read' as const, target: 's', outcome: 'success' as const, detail: '' };
    const read = (environment: string | null) => {
      writer.noteRead({ accountId: 'a', secret: 's', agent: 'bot', environment });
      return writer.record(entry);
    };
    // Retried when a second boundary falls between the two groups (then both write, rightly).
    for (let attempt = 0; ; attempt++) {
      groups.length = 0;
      const second = Math.floor(Date.now() / 1000);
      await read('live');
      await read('live');
      await read('sandbox');
      if (Math.floor(Date.now() / 1000) !== second && attempt < 5) continue;
      expect(groups.map((g) => g.map((r) => r.environment))).toEqual([['live'], [], ['sandbox']]);
      break;
    }
  });
});

describe('AuditWriter.sendNow: a batch of reads sends its records without waiting for the turn to end', () => {
  it('the records made so far reach the writer before any immediate runs; the records after it make a group of their own', async () => {
    const groups: string[][] = [];
    const writer = new AuditWriter(async (entries) => {
      groups.push(entries.map((e) => e.target));
    });
    const entry = (target: string) => ({ accountId: 'a', actor: 'bot', actorId: 't', actorType: 'agent' as const, action: 'runtime.read' as const, target, outcome: 'success' as const, detail: '' });
    let immediateRan = false;
    setImmediate(() => (immediateRan = true));
    const first = writer.record(entry('a'));
    void writer.record(entry('b'));
    writer.sendNow();
    const later = writer.record(entry('c'));
    await first;
    expect(immediateRan).toBe(false);
    expect(groups).toEqual([['a', 'b']]);
    await later;
    expect(groups).toEqual([['a', 'b'], ['c']]);
    writer.sendNow(); // nothing made since: nothing sent
    await new Promise((r) => setImmediate(r));
    expect(groups).toHaveLength(2);
  });
});

describe.each(TEST_STORES)('last reads over HTTP on %s', (store) => {
  let v: TestVault;
  let databaseUrl: string | undefined;
  let booking: string;
  let support: string;
  let dev: string;

  beforeAll(async () => {
    databaseUrl = store === 'postgres' ? await pgDatabase() : undefined;
    v = await startTestVault(databaseUrl ? { databaseUrl } : {});
    const admin = v.api();
    await admin.createAgent({ id: 'PROJECT-WEVYLLDV', name: 'Booking' });
    await admin.createAgent({ id: 'support-agent' });
    await admin.createSecret({ name: 'Stripe Key', value: VALUE, agents: ['PROJECT-WEVYLLDV', 'support-agent'] });
    await admin.createSecret({ name: 'ungranted', value: VALUE, agents: [] });
    booking = (await admin.createAgentToken('PROJECT-WEVYLLDV')).token;
    support = (await admin.createAgentToken('support-agent')).token;
    dev = (await admin.createUserKey({ name: 'dev', role: 'developer' })).token;
  }, 60_000);

  afterAll(async () => {
    await v.stop();
  });

  const read = (token: string, name: string, environment?: string) =>
    v.http('GET', `/v1/runtime/secrets/${encodeURIComponent(name)}`, { token, headers: environment === undefined ? {} : { 'x-secrets-vault-environment': environment } });

  it('a successful read is the secret\'s metadata (GET /v1/secrets/{name}) and the agent\'s reads, with the environment it said', async () => {
    expect((await v.api().getSecret('Stripe Key')).lastReads).toEqual([]);
    const before = new Date().toISOString();
    expect((await read(booking, 'Stripe Key', 'live')).status).toBe(200);
    const meta = await v.api().getSecret('Stripe Key');
    expect(meta.lastReads).toEqual([{ agent: 'PROJECT-WEVYLLDV', at: expect.any(String), environment: 'live' }]);
    expect(meta.lastReads![0]!.at >= before.slice(0, 19)).toBe(true);
    expect(await v.api().agentReads('PROJECT-WEVYLLDV')).toEqual({ agent: 'PROJECT-WEVYLLDV', reads: [{ secret: 'Stripe Key', at: meta.lastReads![0]!.at, environment: 'live' }] });
    // The listing carries none (its cost at 10,000 secrets, and its ETag): only the single secret's metadata.
    expect((await v.api().listSecrets()).find((s) => s.name === 'Stripe Key')!.lastReads).toBeUndefined();
    // The environment map is a read of each value in it.
    expect((await v.http('GET', '/v1/runtime/env', { token: support, headers: { 'x-secrets-vault-environment': 'pre_release' } })).status).toBe(200);
    expect((await v.api().agentReads('support-agent')).reads).toEqual([{ secret: 'Stripe Key', at: expect.any(String), environment: 'pre-release' }]);
  });

  it('a denied read leaves no last read; nor does a missing name', async () => {
    expect((await read(booking, 'ungranted', 'live')).status).toBe(403);
    expect((await read(booking, 'no_such_secret', 'live')).status).toBe(403);
    expect((await v.api().getSecret('ungranted')).lastReads).toEqual([]);
    expect((await v.api().agentReads('PROJECT-WEVYLLDV')).reads.map((r) => r.secret)).toEqual(['Stripe Key']);
  });

  it('a header that names no environment is kept as null and echoed nowhere: not the answer, the log, the audit', async () => {
    for (const bad of BAD_ENVIRONMENTS) {
      const r = await read(support, 'Stripe Key', bad);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(bad);
      // Through fastify's route too (HEAD is not the fast path's).
      const head = await v.http('HEAD', '/v1/runtime/secrets/Stripe%20Key', { token: support, headers: { 'x-secrets-vault-environment': bad } });
      expect(head.status).toBe(200);
      // Kept as null (it was 'pre-release': another environment is written even within the second).
      expect((await v.api().agentReads('support-agent')).reads[0]!.environment).toBeNull();
    }
    const audit = JSON.stringify((await v.api().audit({ limit: 500 })).records);
    const logs = v.logs.join('\n');
    for (const bad of BAD_ENVIRONMENTS) {
      expect(audit).not.toContain(bad);
      expect(logs).not.toContain(bad);
    }
    for (const text of [audit, logs, JSON.stringify(await v.api().getSecret('Stripe Key')), JSON.stringify(await v.api().agentReads('support-agent'))]) {
      expect(text).not.toContain(VALUE);
    }
  });

  it('GET /v1/agents/{id}/reads: admins and developers any agent; an agent token its own only; an unknown agent 404', async () => {
    const asDev = await v.api(dev).agentReads('PROJECT-WEVYLLDV');
    expect(asDev.reads.map((r) => r.secret)).toEqual(['Stripe Key']);
    const own = await v.api(booking).agentReads('PROJECT-WEVYLLDV');
    expect(own).toEqual(asDev);
    const other = await apiFailure(v.api(booking).agentReads('support-agent'));
    expect(other.status).toBe(403);
    // The same refusal for an agent that does not exist: a token cannot probe ids.
    const probe = await apiFailure(v.api(booking).agentReads('no-such-agent'));
    expect([probe.status, probe.problem.detail]).toEqual([403, other.problem.detail]);
    expect((await apiFailure(v.api().agentReads('no-such-agent'))).status).toBe(404);
    expect((await v.http('GET', '/v1/agents/PROJECT-WEVYLLDV/reads', {})).status).toBe(401);
    // Agent tokens still read no other metadata.
    expect((await v.http('GET', '/v1/secrets/Stripe%20Key', { token: booking })).status).toBe(403);
  });

  it('a revoked grant keeps its last read; deleting the agent takes them', async () => {
    await v.api().revoke('Stripe Key', 'support-agent');
    expect((await v.api().getSecret('Stripe Key')).lastReads!.map((r) => r.agent)).toEqual(['PROJECT-WEVYLLDV', 'support-agent']);
    await v.api().createAgent({ id: 'temp-agent' });
    await v.api().grant('Stripe Key', 'temp-agent');
    const temp = (await v.api().createAgentToken('temp-agent')).token;
    expect((await read(temp, 'Stripe Key')).status).toBe(200);
    expect((await v.api().getSecret('Stripe Key')).lastReads!.map((r) => r.agent)).toEqual(['PROJECT-WEVYLLDV', 'support-agent', 'temp-agent']);
    await v.api().deleteAgent('temp-agent');
    expect((await v.api().getSecret('Stripe Key')).lastReads!.map((r) => r.agent)).toEqual(['PROJECT-WEVYLLDV', 'support-agent']);
  });

  it('survives a restart: the vault closed and opened again on the same data', async () => {
    const before = (await v.api().getSecret('Stripe Key')).lastReads;
    await v.server.close();
    await v.vault.close();
    const vault = await openVault({ dataDir: v.dataDir, env: {}, ...(databaseUrl ? { databaseUrl } : {}) });
    const server = await serve(vault, { port: 0 });
    try {
      const api = new VaultApi(undiciTransport(server.url), v.adminKey);
      expect((await api.getSecret('Stripe Key')).lastReads).toEqual(before);
      expect((await api.agentReads('PROJECT-WEVYLLDV')).reads).toEqual([{ secret: 'Stripe Key', at: before![0]!.at, environment: 'live' }]);
    } finally {
      await server.close();
      await vault.close();
    }
    // The fixture's own stop() must not close them again.
    v.stop = async () => rmSync(v.dataDir, { recursive: true, force: true });
  });
});
