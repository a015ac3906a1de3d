// Several `secrets-vault serve` processes on one PostgreSQL database: what a client of
// any replica sees of changes made through another, a replica killed under load, PostgreSQL
// restarted under load, and key rotation while replicas serve. Real processes (the CLI bundle), a
// real throwaway PostgreSQL cluster of this file's own (it is stopped and started here), HTTP on
// 127.0.0.1 only; every load is bounded by a count of requests. Durations are measured only to
// detect a hang, never to judge speed.

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { RuntimeSecret, SecretList, SecretMetadata, VaultEventEnvelope } from '../../protocol/api';
import type { SecretValue } from '../../protocol/names';
import { startCluster, type PgCluster } from '../helpers/postgres';
import {
  call,
  dispatcher,
  initReplicatedVault,
  isConnectionFailure,
  newFolder,
  removeFolders,
  runCli,
  startReplica,
  stopAllReplicas,
  startClusterAsync,
  stopClusterAsync,
  type Replica,
} from '../helpers/replicas';
import { openSse } from '../helpers/sse';

/** A hang detector only: every request must come back well inside this (the store gives up after 5 s connecting, 15 s per statement). */
const HANG_BOUND_MS = 20_000;

let cluster: PgCluster;
let databaseUrl: string;
let dataDir: string;
let admin: string;
let A: Replica;
let B: Replica;
let C: Replica;
let botToken: string;
/** Every replica started in this file, for the leak check at the end. */
const started: Replica[] = [];
/** Every value written, for the leak check: none may appear in any replica's output. */
const values = new Set<string>();

/** Waits for a condition of a running load, failing (not hanging) if it does not come within a minute. */
async function waitUntil(what: string, cond: () => boolean, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${detail()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function secretValue(tag: string): string {
  const v = `${tag}-${randomBytes(9).toString('base64url')}`;
  values.add(v);
  return v;
}

async function replica(name: string, dir: string, url: string, env: NodeJS.ProcessEnv = {}): Promise<Replica> {
  const r = await startReplica(name, dir, url, env);
  started.push(r);
  return r;
}

async function createSecret(via: Replica, token: string, name: string, value: SecretValue, agents: string[] = ['bot']): Promise<void> {
  const r = await call(via.url, 'POST', '/v1/secrets', token, { name, value, agents });
  expect(r.status, r.text).toBe(201);
}

async function runtimeRead(via: Replica, token: string, name: string) {
  return call<RuntimeSecret>(via.url, 'GET', `/v1/runtime/secrets/${name}`, token);
}

async function setupAccount(via: Replica, adminKey: string): Promise<string> {
  const agent = await call(via.url, 'POST', '/v1/agents', adminKey, { id: 'bot' });
  expect(agent.status, agent.text).toBe(201);
  const t = await call<{ token: string }>(via.url, 'POST', '/v1/agents/bot/tokens', adminKey, { name: 'load' });
  expect(t.status, t.text).toBe(201);
  return t.body.token;
}

beforeAll(async () => {
  cluster = await startCluster();
  databaseUrl = await cluster.createDatabase('replicas');
  dataDir = newFolder();
  ({ adminKey: admin } = await initReplicatedVault(dataDir, databaseUrl));
  // Three processes on the same data folder (it holds only master.key) and the same database.
  [A, B, C] = await Promise.all([replica('A', dataDir, databaseUrl), replica('B', dataDir, databaseUrl), replica('C', dataDir, databaseUrl)]);
  botToken = await setupAccount(A, admin);
}, 120_000);

afterAll(async () => {
  await stopAllReplicas();
  await dispatcher.close();
  try {
    cluster?.destroy();
  } catch {
    // Already stopped (a test failed mid-restart): the folder still goes.
    if (cluster) rmSync(cluster.dir, { recursive: true, force: true });
  }
  removeFolders();
});

describe('replicas on one PostgreSQL database', () => {
  it('a write through replica A is read through replica B on the very next request', async () => {
    for (let i = 0; i < 15; i++) {
      const name = `w1_${i}`;
      const first = secretValue('first');
      await createSecret(A, admin, name, first);
      // B reads it at once (and so holds it in its granted-read cache)...
      const r1 = await runtimeRead(B, botToken, name);
      expect(r1.status, r1.text).toBe(200);
      expect(r1.body.value).toBe(first);
      // ...and an update through A replaces what B serves on its very next read.
      const second = { user: `u${i}`, pass: secretValue('second') };
      const u = await call(A.url, 'PATCH', `/v1/secrets/${name}`, admin, { value: second });
      expect(u.status, u.text).toBe(200);
      const r2 = await runtimeRead(B, botToken, name);
      expect(r2.status, r2.text).toBe(200);
      expect(r2.body.value).toEqual(second);
      const list = await call<SecretList>(B.url, 'GET', '/v1/secrets', admin);
      expect(list.status).toBe(200);
      const meta = list.body.secrets.find((s) => s.name === name);
      expect(meta?.kind).toBe('kv');
      expect(meta?.keys).toEqual(['pass', 'user']);
    }
  });

  it("last reads (issue 53): a read through one replica is every replica's metadata; concurrent reads through three leave one newest read", async () => {
    await createSecret(A, admin, 'lr_one', secretValue('lastread'));
    const read = (via: Replica, environment: string) => call<RuntimeSecret>(via.url, 'GET', '/v1/runtime/secrets/lr_one', botToken, undefined, { 'x-secrets-vault-environment': environment });
    expect((await read(A, 'live')).status).toBe(200);
    for (const via of [A, B, C]) {
      const meta = await call<SecretMetadata>(via.url, 'GET', '/v1/secrets/lr_one', admin);
      expect(meta.body.lastReads).toEqual([{ agent: 'bot', at: expect.any(String), environment: 'live' }]);
    }
    // Reads through all three at once (each replica upserts the same row): one row, and every
    // replica answers the same newest time, no earlier than the first read's.
    const first = (await call<SecretMetadata>(A.url, 'GET', '/v1/secrets/lr_one', admin)).body.lastReads![0]!.at;
    await new Promise((r) => setTimeout(r, 1100)); // into the next second: a read in the same one writes nothing
    const replies = await Promise.all([A, B, C].flatMap((via) => Array.from({ length: 10 }, () => read(via, 'sandbox'))));
    expect(replies.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const seen = await Promise.all([A, B, C].map(async (via) => (await call<{ agent: string; reads: { secret: string; at: string; environment: string | null }[] }>(via.url, 'GET', '/v1/agents/bot/reads', admin)).body));
    const row = seen[0]!.reads.find((r) => r.secret === 'lr_one')!;
    expect(row.environment).toBe('sandbox');
    expect(row.at > first).toBe(true);
    for (const s of seen) expect(s).toEqual(seen[0]);
  });

  describe('a revocation through A denies the very next request through B (50 rounds each, zero stale answers)', () => {
    const ROUNDS = 50;

    it('(a) access list: revoke and grant the agent (one agent, or the whole list with If-Match)', async () => {
      const value = secretValue('access');
      await createSecret(A, admin, 'rev_access', value);
      let version = (await call<SecretMetadata>(A.url, 'GET', '/v1/secrets/rev_access', admin)).body.version;
      // Even rounds revoke and grant the one agent; odd rounds replace the whole list.
      const setAccess = async (i: number, granted: boolean) => {
        const r =
          i % 2 === 0
            ? await call<SecretMetadata>(A.url, granted ? 'PUT' : 'DELETE', '/v1/secrets/rev_access/access/bot', admin)
            : await call<SecretMetadata>(A.url, 'PUT', '/v1/secrets/rev_access/access', admin, { agents: granted ? ['bot'] : [] }, { 'if-match': `"${version}"` });
        expect(r.status, r.text).toBe(200);
        expect(r.body.agents).toEqual(granted ? ['bot'] : []);
        version = r.body.version;
      };
      const stale: string[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const warm = await runtimeRead(B, botToken, 'rev_access');
        if (warm.status !== 200 || warm.body.value !== value) stale.push(`round ${i}: granted read on B gave ${warm.status}`);
        await setAccess(i, false);
        const denied = await runtimeRead(B, botToken, 'rev_access');
        if (denied.status !== 403) stale.push(`round ${i}: revoked read on B gave ${denied.status}`);
        expect(denied.text).not.toContain(value);
        await setAccess(i, true);
      }
      expect(stale).toEqual([]);
    });

    it('(a2) a batch of access changes through A (access review --apply): B follows on its very next reads; SSE on C announces each secret once per batch', async () => {
      const one = secretValue('batch');
      const two = secretValue('batch');
      await createSecret(A, admin, 'batch_one', one);
      await createSecret(A, admin, 'batch_two', two, []);
      const sse = await openSse(C.url, admin);
      expect((await sse.next(1, 15_000))[0]!.event).toBe('ready');
      const apply = async (oneGranted: boolean) => {
        const r = await call<{ auditId: string | null }>(
          A.url,
          'POST',
          '/v1/access/changes',
          admin,
          { changes: [{ secret: 'batch_one', agent: 'bot', granted: oneGranted }, { secret: 'batch_two', agent: 'bot', granted: !oneGranted }] },
          { 'x-secrets-vault-reason': 'replicas' },
        );
        expect(r.status, r.text).toBe(200);
        expect(r.body.auditId).toMatch(/^[\w-]{22}$/);
      };
      const stale: string[] = [];
      const rounds = 10;
      for (let i = 0; i < rounds; i++) {
        // B reads both (and so holds both answers in its granted-read cache)...
        if ((await runtimeRead(B, botToken, 'batch_one')).status !== 200) stale.push(`round ${i}: granted batch_one on B`);
        if ((await runtimeRead(B, botToken, 'batch_two')).status !== 403) stale.push(`round ${i}: ungranted batch_two on B`);
        // ...and one batch through A swaps them: B's very next reads follow, both ways.
        await apply(false);
        if ((await runtimeRead(B, botToken, 'batch_one')).status !== 403) stale.push(`round ${i}: revoked batch_one on B`);
        const granted = await runtimeRead(B, botToken, 'batch_two');
        if (granted.status !== 200 || granted.body.value !== two) stale.push(`round ${i}: granted batch_two on B gave ${granted.status}`);
        await apply(true);
      }
      expect(stale).toEqual([]);
      const events = await sse.next(rounds * 4, 20_000);
      sse.close();
      const changed = events.map((e) => {
        const env = JSON.parse(e.data) as VaultEventEnvelope;
        return env.event.type === 'access.changed' ? `${env.event.secret.name} ${env.event.secret.agents.join(',') || '-'}` : env.event.type;
      });
      expect(changed).toEqual(Array.from({ length: rounds }, () => ['batch_one -', 'batch_two bot', 'batch_one bot', 'batch_two -']).flat());
    });

    it('(b) agent token revoked through A after B remembered it', async () => {
      const value = secretValue('token');
      await createSecret(A, admin, 'rev_token', value);
      const stale: string[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t = await call<{ id: string; token: string }>(A.url, 'POST', '/v1/agents/bot/tokens', admin, { name: `round ${i}` });
        expect(t.status, t.text).toBe(201);
        // Used on B twice: B authenticated it and remembers it.
        for (let k = 0; k < 2; k++) {
          const warm = await runtimeRead(B, t.body.token, 'rev_token');
          if (warm.status !== 200) stale.push(`round ${i}: fresh token on B gave ${warm.status}`);
        }
        const revoke = await call(A.url, 'DELETE', `/v1/keys/${t.body.id}`, admin);
        expect(revoke.status, revoke.text).toBe(204);
        const denied = await runtimeRead(B, t.body.token, 'rev_token');
        if (denied.status !== 401) stale.push(`round ${i}: revoked token on B gave ${denied.status}`);
        expect(denied.text).not.toContain(value);
      }
      expect(stale).toEqual([]);
    });

    it('(c) admin key revoked through A: the next admin request on B gets 401', async () => {
      const stale: string[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const k = await call<{ id: string; token: string }>(A.url, 'POST', '/v1/keys', admin, { name: `round ${i}`, role: 'admin' });
        expect(k.status, k.text).toBe(201);
        for (let n = 0; n < 2; n++) {
          const warm = await call(B.url, 'GET', '/v1/secrets', k.body.token);
          if (warm.status !== 200) stale.push(`round ${i}: fresh key on B gave ${warm.status}`);
        }
        const revoke = await call(A.url, 'DELETE', `/v1/keys/${k.body.id}`, admin);
        expect(revoke.status, revoke.text).toBe(204);
        const denied = await call(B.url, 'GET', '/v1/secrets', k.body.token);
        if (denied.status !== 401) stale.push(`round ${i}: revoked key on B gave ${denied.status}`);
        // A write with the revoked key is refused too (and nothing is created).
        const write = await call(B.url, 'POST', '/v1/agents', k.body.token, { id: `x${i}` });
        if (write.status !== 401) stale.push(`round ${i}: write with revoked key on B gave ${write.status}`);
      }
      expect(stale).toEqual([]);
      const agents = await call<{ agents: { id: string }[] }>(C.url, 'GET', '/v1/agents', admin);
      expect(agents.body.agents.map((a) => a.id)).toEqual(['bot']);
    });
  });

  it('SSE on B delivers changes made through A and C in order with gap-free ids; Last-Event-ID resumes on C with exactly the rest', async () => {
    const onB = await openSse(B.url, admin);
    expect(onB.status).toBe(200);
    const [ready] = await onB.next(1, 15_000);
    expect(ready!.event).toBe('ready');
    const start = Number(ready!.id);

    // Twenty changes, alternately through A and C: each secret created (with no agents) through
    // one, the agent granted through the other.
    const expected: string[] = [];
    const change = async (i: number, via: Replica, other: Replica) => {
      await createSecret(via, admin, `ev_${i}`, secretValue('ev'), []);
      expected.push(`secret.created ev_${i}`);
      const r = await call(other.url, 'PUT', `/v1/secrets/ev_${i}/access/bot`, admin);
      expect(r.status, r.text).toBe(200);
      expected.push(`access.changed ev_${i}`);
    };
    for (let i = 0; i < 10; i++) await change(i, i % 2 ? C : A, i % 2 ? A : C);

    const describeEvent = (data: string): string => {
      const e = JSON.parse(data) as VaultEventEnvelope;
      const name = 'secret' in e.event ? e.event.secret.name : 'name' in e.event ? e.event.name : '';
      return `${e.event.type} ${name}`;
    };
    const seen = await onB.next(20, 15_000);
    expect(seen.map((e) => describeEvent(e.data))).toEqual(expected);
    expect(seen.map((e) => Number(e.id))).toEqual(Array.from({ length: 20 }, (_, k) => start + 1 + k));
    for (const e of seen) expect(e.data).not.toMatch(/ev-/); // events carry metadata, never a value

    // The client handled the first twelve, then lost its connection to B; meanwhile six more
    // changes go through A. Resuming on C from the twelfth id gives exactly the eight it missed
    // and the six new ones, in order, then live events.
    onB.close();
    const handled = seen[11]!;
    for (let i = 10; i < 13; i++) await change(i, A, A);
    const onC = await openSse(C.url, admin, handled.id);
    expect(onC.status).toBe(200);
    const rest = await onC.next(14, 15_000);
    expect(rest.map((e) => describeEvent(e.data))).toEqual(expected.slice(12));
    expect(rest.map((e) => Number(e.id))).toEqual(Array.from({ length: 14 }, (_, k) => start + 13 + k));
    // Nothing more was queued: the next event is the next change, made through B.
    await createSecret(B, admin, 'ev_last', secretValue('ev'), []);
    const [last] = await onC.next(1, 15_000);
    expect(describeEvent(last!.data)).toBe('secret.created ev_last');
    expect(Number(last!.id)).toBe(start + 27);
    expect(onC.events.filter((e) => e.event !== 'ready')).toHaveLength(15);
    onC.close();
  });

  it('SIGKILL of one replica under load: zero failed reads at a retrying load balancer, the survivors keep answering', async () => {
    const expected = new Map<string, string>();
    for (let i = 0; i < 8; i++) {
      const v = secretValue('lb');
      expected.set(`lb_${i}`, v);
      await createSecret(A, admin, `lb_${i}`, v);
    }
    const names = [...expected.keys()];
    const pool = [A, B, C];
    const counts = new Map<string, number>(pool.map((r) => [r.name, 0]));
    let next = 0;
    let retried = 0;
    let done = 0;
    /** Reads answered 200, per secret: each must have its audit record (durable before the response). */
    const acknowledged = new Map<string, number>();
    const failures: string[] = [];

    // The load balancer: round robin; a request whose connection fails (refused, reset) goes to the
    // next replica after the one that failed (not to the next of the shared round, which other
    // requests move meanwhile: under load, one request could be sent to B at every attempt).
    const read = async (name: string): Promise<void> => {
      const first = next++;
      for (let attempt = 0; attempt < pool.length * 2; attempt++) {
        const r = pool[(first + attempt) % pool.length]!;
        try {
          const res = await runtimeRead(r, botToken, name);
          counts.set(r.name, counts.get(r.name)! + 1);
          if (res.status !== 200 || res.body.value !== expected.get(name)) failures.push(`${name} via ${r.name}: ${res.status}`);
          else acknowledged.set(name, (acknowledged.get(name) ?? 0) + 1);
          return;
        } catch (e) {
          if (!isConnectionFailure(e)) throw e;
          retried++;
        }
      }
      failures.push(`${name}: no replica answered`);
    };
    const worker = async (until: () => boolean) => {
      while (!until()) {
        await read(names[done % names.length]!);
        done++;
      }
    };
    const workers = (until: () => boolean) => Promise.all(Array.from({ length: 4 }, () => worker(until)));

    // Load on all three; B is killed while the workers are mid-flight.
    const before = workers(() => done >= 450);
    await waitUntil('150 reads before the kill', () => done >= 150);
    const killedAt = done;
    await B.kill();
    const atKill = new Map(counts);
    try {
      await before;
    } finally {
      // B comes back (same folder, same database) whatever this test finds: the tests after it use it.
      B = await replica('B', dataDir, databaseUrl);
    }

    expect(failures).toEqual([]);
    expect(done).toBeGreaterThanOrEqual(450);
    expect(killedAt).toBeGreaterThanOrEqual(150);
    // Before the kill every replica served its share; after it, B served nothing and A and C everything.
    for (const r of pool) expect(atKill.get(r.name)).toBeGreaterThan(20);
    expect(counts.get('B')).toBe(atKill.get('B'));
    expect(counts.get('A')! - atKill.get('A')!).toBeGreaterThan(50);
    expect(counts.get('C')! - atKill.get('C')!).toBeGreaterThan(50);
    // The round robin kept offering B: each refusal was retried on the next replica.
    expect(retried).toBeGreaterThan(0);
    // Every acknowledged read has its audit record, those B answered before it was killed too (a
    // read B audited but could not answer any more was retried, so there may be more records).
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const audited = await db.query<{ target: string; n: number }>(
        "SELECT target, count(*)::int AS n FROM audit WHERE action = 'runtime.read' AND outcome = 'success' AND target LIKE 'lb\\_%' GROUP BY target",
      );
      const records = new Map(audited.rows.map((r) => [r.target, r.n]));
      expect(acknowledged.size).toBe(names.length);
      for (const [name, n] of acknowledged) expect(records.get(name) ?? 0, name).toBeGreaterThanOrEqual(n);
    } finally {
      await db.end();
    }

    // B, back, serves at once, nothing of its state lost.
    const again = await runtimeRead(B, botToken, 'lb_0');
    expect(again.body.value).toBe(expected.get('lb_0'));
  });

  it.each([
    ['a fast shutdown', 'fast'],
    ['a crash (immediate shutdown: WAL recovery at the start)', 'immediate'],
  ] as const)('PostgreSQL restarted under load after %s: 503 unavailable (not a hang) while it is down, 200 again after, without restarting a replica; zero acknowledged writes lost', async (_, mode) => {
    const readValue = secretValue('pg');
    const readName = `pg_read_${mode}`;
    await createSecret(A, admin, readName, readValue);
    const pool = [A, B, C];
    type Kind = 'read' | 'admin' | 'write';
    type Outcome = { kind: Kind; replica: string; status: number; ms: number; phase: 'up' | 'stopping' | 'down' | 'starting' | 'back'; problem?: string };
    const outcomes: Outcome[] = [];
    const bad: string[] = [];
    const written = new Map<string, { value: string; status: number | 'no answer' }>();
    let phase: Outcome['phase'] = 'up';
    let stop = false;
    // Each worker sends its kind of request round robin over the replicas, so every replica gets every kind.
    const sent = [0, 0, 0, 0];

    const send = async (kind: Kind, worker: number): Promise<void> => {
      const r = pool[(sent[worker]!++ + worker) % pool.length]!;
      // The phase the request was sent in (its answer may be handled later, e.g. after start() blocked).
      const sentIn = phase;
      const t0 = performance.now();
      let res;
      if (kind === 'read') res = await runtimeRead(r, botToken, readName);
      else if (kind === 'admin') res = await call(r.url, 'GET', `/v1/secrets/${readName}`, admin);
      else {
        const name = `pgw_${mode}_${worker}_${written.size}`;
        const value = secretValue('pgw');
        written.set(name, { value, status: 'no answer' });
        res = await call(r.url, 'POST', '/v1/secrets', admin, { name, value, agents: ['bot'] });
        written.set(name, { value, status: res.status });
      }
      const o: Outcome = { kind, replica: r.name, status: res.status, ms: performance.now() - t0, phase: sentIn };
      if (res.status === 503) {
        const p = res.body as { code?: string };
        o.problem = p?.code;
        if (!String(res.headers['content-type']).startsWith('application/problem+json')) bad.push(`503 as ${String(res.headers['content-type'])}`);
        if (p?.code !== 'unavailable') bad.push(`503 with code ${p?.code}`);
        if (!/^\d+$/.test(String(res.headers['retry-after']))) bad.push(`503 without Retry-After (${String(res.headers['retry-after'])})`);
      } else if (kind === 'read' && (res.status !== 200 || res.body === undefined || (res.body as RuntimeSecret).value !== readValue)) {
        bad.push(`read via ${r.name} in phase ${sentIn}: ${res.status} ${res.text.slice(0, 200)}`);
      } else if (kind === 'admin' && res.status !== 200) bad.push(`admin via ${r.name} in phase ${sentIn}: ${res.status} ${res.text.slice(0, 200)}`);
      else if (kind === 'write' && res.status !== 201) bad.push(`write via ${r.name} in phase ${sentIn}: ${res.status} ${res.text.slice(0, 200)}`);
      for (const v of values) if (res.text.includes(v) && v !== readValue) bad.push(`a value in a ${kind} response`);
      outcomes.push(o);
    };
    const kinds: Kind[] = ['read', 'read', 'admin', 'write'];
    const load = Promise.all(
      kinds.map(async (kind, w) => {
        while (!stop) {
          await send(kind, w);
          // A bounded load: the writers pace themselves a little so the table of writes stays small.
          if (kind === 'write' || phase === 'down') await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );
    const count = (f: (o: Outcome) => boolean) => outcomes.filter(f).length;
    // A wrong answer ends the wait at once (it is reported below), rather than after the minute.
    const waitFor = (what: string, cond: () => boolean) =>
      waitUntil(what, () => bad.length > 0 || cond(), () => `; last outcomes: ${JSON.stringify(outcomes.slice(-10))}`);

    try {
      await waitFor('load before the restart', () => count((o) => o.phase === 'up' && o.status < 300) >= 60);
      phase = 'stopping';
      await stopClusterAsync(cluster, mode); // the load keeps running while PostgreSQL shuts down
      phase = 'down';
      // While it is down, every kind of request on every replica answers 503 'unavailable'.
      await waitFor('503s from every replica for every kind', () =>
        pool.every((r) => kinds.every((k) => count((o) => o.phase === 'down' && o.replica === r.name && o.kind === k && o.status === 503) >= 1)),
      );
      await waitFor('a few more answers while down', () => count((o) => o.phase === 'down') >= 60);
      phase = 'starting';
      await startClusterAsync(cluster); // the load keeps running while PostgreSQL starts
      phase = 'back';
      // The replicas were not restarted; each answers 200 for every kind again.
      await waitFor('200s from every replica for every kind after the restart', () =>
        pool.every((r) => kinds.every((k) => count((o) => o.phase === 'back' && o.replica === r.name && o.kind === k && o.status < 300) >= 2)),
      );
      const firstBack = outcomes.length;
      await waitFor('steady answers after the restart', () => outcomes.length >= firstBack + 60);
      stop = true;
      await load;
      const downAnswers = outcomes.filter((o) => o.phase === 'down');

      expect(bad).toEqual([]);
      expect(downAnswers.every((o) => o.status === 503)).toBe(true);
      // Every request sent once PostgreSQL was back succeeded: the pools replaced their dead
      // connections by themselves, no replica needed a restart.
      expect(outcomes.filter((o) => o.phase === 'back' && o.status !== 200 && o.status !== 201)).toEqual([]);
      // No request hung: each came back well inside the store's own timeouts.
      expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(HANG_BOUND_MS);
      for (const r of pool) expect(r.running()).toBe(true);
    } finally {
      stop = true;
      await load.catch(() => {});
      // A failure while PostgreSQL was down must not leave it down for the tests after this one.
      if (phase === 'stopping' || phase === 'down') await startClusterAsync(cluster).catch(() => {});
    }

    // Zero acknowledged writes lost: every 201 is there, with its value, through every replica.
    const acknowledged = [...written].filter(([, w]) => w.status === 201);
    expect(acknowledged.length).toBeGreaterThan(5);
    expect([...written.values()].some((w) => w.status === 503)).toBe(true);
    const listed = new Set((await call<SecretList>(C.url, 'GET', '/v1/secrets', admin)).body.secrets.map((s: SecretMetadata) => s.name));
    for (const [name, w] of acknowledged) {
      expect(listed.has(name), name).toBe(true);
      const r = await runtimeRead(pool[name.length % 3]!, botToken, name);
      expect(r.body.value, name).toBe(w.value);
    }
    // A write refused with 503 may or may not have committed; if it did, it is whole.
    for (const [name, w] of written) {
      if (w.status === 201 || !listed.has(name)) continue;
      const r = await runtimeRead(A, botToken, name);
      expect(r.body.value, name).toBe(w.value);
    }
  }, 120_000);

  describe('key rotation while replicas serve', () => {
    /** Continuous reads on two replicas and a few writes while `rotate-key` runs as a third process. */
    async function rotationUnderLoad(env: NodeJS.ProcessEnv): Promise<void> {
      const url = await cluster.createDatabase();
      const dir = newFolder();
      const { adminKey } = await initReplicatedVault(dir, url, env);
      const [RA, RB] = await Promise.all([replica('RA', dir, url, env), replica('RB', dir, url, env)]);
      const token = await setupAccount(RA, adminKey);
      const expected = new Map<string, string>();
      for (let i = 0; i < 24; i++) {
        const v = secretValue('rot');
        expected.set(`rot_${i}`, v);
        await createSecret(i % 2 ? RA : RB, adminKey, `rot_${i}`, v);
      }
      const names = [...expected.keys()];
      const failures: string[] = [];
      let reads = 0;
      let stop = false;
      const reader = async (r: Replica, offset: number) => {
        for (let i = offset; !stop; i++) {
          const name = names[i % names.length]!;
          const res = await runtimeRead(r, token, name);
          reads++;
          if (res.status !== 200 || res.body.value !== expected.get(name)) failures.push(`${name} via ${r.name}: ${res.status} ${res.text.slice(0, 200)}`);
        }
      };
      const load = Promise.all([reader(RA, 0), reader(RA, 7), reader(RB, 3), reader(RB, 11)]);
      const writes: string[] = [];
      try {
        await waitUntil('100 reads before the rotation', () => reads >= 100);
        const rotation = runCli(['--json', 'rotate-key', '--data', dir, '--database-url', url], { env, timeoutMs: 60_000 });
        // A few writes through both replicas while the rotation runs (they must end under the new key too).
        for (let i = 0; i < 4; i++) {
          const v = secretValue('during');
          await createSecret(i % 2 ? RA : RB, adminKey, `during_${i}`, v);
          writes.push(`during_${i}`);
          expected.set(`during_${i}`, v);
        }
        const r = await rotation;
        expect(r.code, r.stderr).toBe(0);
        const report = JSON.parse(r.stdout) as { dataKey: string; masterRotated: boolean; resealed: number; droppedDataKeys: string[]; unreadable: unknown[] };
        expect(report.unreadable).toEqual([]);
        expect(report.resealed).toBeGreaterThanOrEqual(24);
        expect(report.droppedDataKeys.length).toBeGreaterThanOrEqual(1);
        expect(report.masterRotated).toBe(env.SECRETS_VAULT_MASTER_KEY === undefined);
        const readsAtEnd = reads;
        await waitUntil('100 reads after the rotation', () => reads >= readsAtEnd + 100);
        stop = true;
        await load;
        expect(failures).toEqual([]);

        // Every value is sealed under the new data key and the old one is gone from the database.
        const db = new pg.Client({ connectionString: url });
        await db.connect();
        try {
          const keys = (await db.query<{ key_id: string }>('SELECT DISTINCT key_id FROM secrets')).rows.map((k) => k.key_id);
          expect(keys).toEqual([report.dataKey]);
          const dataKeys = (await db.query<{ id: string }>('SELECT id FROM data_keys')).rows.map((k) => k.id);
          expect(dataKeys).toEqual([report.dataKey]);
        } finally {
          await db.end();
        }
        // Every replica reads every value, and a value written through either after the rotation reads through the other.
        for (const r of [RA, RB]) {
          for (const [name, v] of expected) {
            const res = await runtimeRead(r, token, name);
            expect(res.body.value, `${name} via ${r.name}`).toBe(v);
          }
        }
        for (const [via, other] of [
          [RA, RB],
          [RB, RA],
        ] as const) {
          const v = secretValue('after');
          await createSecret(via, adminKey, `after_${via.name.toLowerCase()}`, v);
          const res = await runtimeRead(other, token, `after_${via.name.toLowerCase()}`);
          expect(res.status, res.text).toBe(200);
          expect(res.body.value).toBe(v);
        }
      } finally {
        stop = true;
        await load.catch(() => {});
        await Promise.all([RA.stop(), RB.stop()]);
      }
    }

    it('with the master key from SECRETS_VAULT_MASTER_KEY (data key rotated): zero failed reads, every replica reads every value after', async () => {
      await rotationUnderLoad({ SECRETS_VAULT_MASTER_KEY: randomBytes(32).toString('base64') });
    }, 120_000);

    it('with a key file shared by the replicas (master key rotated too): each replica loads the new master key on demand', async () => {
      await rotationUnderLoad({});
    }, 120_000);
  });

  it('no value written in this file appears in any replica output', () => {
    expect(values.size).toBeGreaterThan(100);
    for (const r of started) {
      const out = r.output();
      for (const v of values) expect(out.includes(v), `a value in ${r.name}'s output`).toBe(false);
    }
  });
});
