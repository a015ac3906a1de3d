// Crash safety: the real CLI serves in a child process while writers create, update, grant,
// revoke and delete; it is killed with SIGKILL at a random moment, many times over (sometimes in
// the middle of a concurrent `rotate-key`, which is killed too). After each kill the database is
// opened and every secret compared with what the clients were told: every acknowledged write is
// there and readable, an unacknowledged one is either wholly there or wholly absent (value, grants,
// version, audit record and event together), and nothing is half-written.
//
// On both stores. On PostgreSQL the kill takes the vault replica only: PostgreSQL keeps running
// (its own crash safety is not ours to test), the killed process's transactions in flight are
// rolled back by the server, and the next cycle's replica must find every acknowledged write.
// SQLite's integrity and foreign-key checks are SQLite-file-specific; on PostgreSQL the check of
// structure is an unbroken event sequence per account (see helpers/inspect.ts).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SecretValue } from '../../../protocol/names';
import { openVault } from '../../../vault/src/vault';
import type { TestStoreKind } from '../../helpers/vault';
import { inspectStore, settleAfterKill } from '../helpers/inspect';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { sentinel, sentinelsIssued } from '../helpers/leakwatch';
import { countSentTo, sampleActivity, withPg } from '../helpers/pgcluster';
import { newDataDir, serveChild, startCli, type ServingChild } from '../helpers/vaults';

// PostgreSQL's cycles cost as much as SQLite's (the replica's start dominates): fewer of them keep
// the suite's time in bounds, and still cut three rotations.
const CYCLES_OF: Record<TestStoreKind, number> = {
  sqlite: Number(process.env.SECURITY_CRASH_CYCLES ?? 24),
  postgres: Number(process.env.SECURITY_PG_CRASH_CYCLES ?? 12),
};
const WRITERS = 4;
const AGENTS = ['a1', 'a2', 'a3', 'a4'];

interface State {
  exists: boolean;
  value: SecretValue | undefined;
  agents: string[];
  version: number;
  /** Mutations applied so far: each has exactly one audit record and one event. */
  ops: number;
}

interface Tracked {
  name: string;
  state: State;
  /** The state if the one unacknowledged request (in flight at the kill) was applied. */
  pending: State | undefined;
}

export function registerCrash(store: TestStoreKind): void {
  const CYCLES = CYCLES_OF[store];
  describe(`crash safety (SIGKILL) on ${store}`, () => {
    let dataDir = '';
    let databaseUrl: string | undefined;
    let storeArgs: string[] = [];
    let adminKey = '';
    let accountId = '';
    let readerToken = '';
    const tracked: Tracked[] = [];
    let nameCounter = 0;
    let lastKeys = '';
    const stats = { acknowledged: 0, unacknowledged: 0, appliedUnacked: 0, reads: 0, rotationsKilled: 0, rotationsFinished: 0, rotationsMidway: 0 };

    beforeAll(async () => {
      ({ dataDir, adminKey, accountId, databaseUrl, storeArgs } = await newDataDir({ store }));
      const child = await serveChild(dataDir, { args: storeArgs });
      try {
        for (const id of AGENTS) expect((await call(child.url, 'POST', '/v1/agents', { token: adminKey, body: { id } })).status).toBe(201);
        const t = await call(child.url, 'POST', '/v1/agents/a1/tokens', { token: adminKey, body: {} });
        readerToken = t.json.token;
      } finally {
        await child.stop();
      }
    });

    it(`keeps every acknowledged write through ${CYCLES} SIGKILLs, and never half of one`, async () => {
      const failures: string[] = [];
      // While PostgreSQL is under these writes, its statement texts are sampled for sentinels (the leak search reports them).
      const stopSampling = store === 'postgres' ? await sampleActivity() : undefined;
      const sentBefore = sentinelsIssued();
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const child = await serveChild(dataDir, { quiet: true, args: storeArgs });
        // Before writing, the restarted service must serve what the previous cycles left: read back a few values.
        for (const t of tracked.filter((x) => x.state.exists && x.state.agents.includes('a1')).slice(-5)) {
          const r = await call(child.url, 'GET', `/v1/runtime/secrets/${t.name}`, { token: readerToken });
          stats.reads++;
          if (r.status !== 200 || !isDeepStrictEqual(r.json.value, t.state.value)) failures.push(`cycle ${cycle}: after restart ${t.name} read ${r.status}`);
        }
        let stop = false;
        // Every fourth cycle, rotate-key runs against the same files and is killed at the same moment.
        const rotating = cycle % 4 === 3;
        const rotation = rotating ? await startCli(['rotate-key', '--data', dataDir, ...storeArgs], { timeoutMs: 60_000 }) : undefined;
        const loops = Array.from({ length: WRITERS }, (_x, w) => writer(child, w, () => stop, failures, cycle));
        loops.push(reader(child, () => stop, failures, cycle));
        if (rotating) {
          // Its first step writes the key file: wait for that, so that the kill lands inside the rotation.
          const keyFile = path.join(dataDir, 'master.key');
          const before = readFileSync(keyFile, 'utf8');
          for (let i = 0; i < 1000 && rotation!.running() && readFileSync(keyFile, 'utf8') === before; i++) await new Promise((r) => setTimeout(r, 10));
          // On PostgreSQL its next step (the new data key) queues behind the writers' transactions: wait
          // for that too, so that the kill lands while values are being re-sealed, not before.
          if (databaseUrl) {
            await withPg(databaseUrl, async (c) => {
              // In the form verify() records lastKeys (the set after the previous cycle).
              const keys = async () => JSON.stringify((await c.query('SELECT id FROM data_keys ORDER BY id')).rows);
              for (let i = 0; i < 500 && rotation!.running() && (await keys()) === lastKeys; i++) await new Promise((r) => setTimeout(r, 10));
            });
          }
        }
        await new Promise((r) => setTimeout(r, (rotating ? 0 : 150) + Math.floor(Math.random() * (rotating ? 400 : 500))));
        stop = true;
        if (rotation?.running()) stats.rotationsKilled++;
        else if (rotation) stats.rotationsFinished++;
        rotation?.kill();
        await child.kill();
        if (rotation) {
          const r = await rotation.done;
          if (r.code !== null && r.code !== 0) failures.push(`cycle ${cycle}: rotate-key failed: ${r.stderr.slice(0, 300)}`);
        }
        await Promise.all(loops);
        await verify(cycle, failures, rotating);
      }
      await stopSampling?.();
      if (store === 'postgres') countSentTo(sentinelsIssued() - sentBefore);
      tally(`crash: SIGKILL cycles [${store}]`, CYCLES, failures.length, `${stats.acknowledged} acked writes, ${stats.unacknowledged} in flight at a kill (${stats.appliedUnacked} applied), ${stats.reads} reads, rotations ${stats.rotationsFinished} done/${stats.rotationsKilled} cut (${stats.rotationsMidway} had changed the keys)`);
      expect(failures).toEqual([]);
      expect(stats.acknowledged).toBeGreaterThan(CYCLES * 5);
    }, 600_000);

    async function writer(child: ServingChild, w: number, stopped: () => boolean, failures: string[], cycle: number): Promise<void> {
      const mine = () => tracked.filter((t) => t.name.startsWith(`w${w}_`) && t.state.exists);
      while (!stopped()) {
        const list = mine();
        const roll = Math.random();
        let t: Tracked;
        let next: State;
        let req: { method: string; path: string; body?: unknown };
        if (list.length < 3 || roll < 0.35) {
          t = { name: `w${w}_${nameCounter++}`, state: { exists: false, value: undefined, agents: [], version: 0, ops: 0 }, pending: undefined };
          tracked.push(t);
          const agents = AGENTS.filter(() => Math.random() < 0.5).sort();
          const value = randomValue();
          next = { exists: true, value, agents, version: 1, ops: 1 };
          req = { method: 'POST', path: '/v1/secrets', body: { name: t.name, value, agents } };
        } else {
          t = list[Math.floor(Math.random() * list.length)]!;
          const s = t.state;
          if (roll < 0.65) {
            const value = randomValue();
            next = { ...s, value, version: s.version + 1, ops: s.ops + 1 };
            req = { method: 'PATCH', path: `/v1/secrets/${t.name}`, body: { value } };
          } else if (roll < 0.93) {
            const agent = AGENTS[Math.floor(Math.random() * AGENTS.length)]!;
            const has = s.agents.includes(agent);
            next = { ...s, agents: has ? s.agents.filter((a) => a !== agent) : [...s.agents, agent].sort(), version: s.version + 1, ops: s.ops + 1 };
            req = { method: has ? 'DELETE' : 'PUT', path: `/v1/secrets/${t.name}/access/${agent}` };
          } else {
            next = { exists: false, value: undefined, agents: [], version: 0, ops: s.ops + 1 };
            req = { method: 'DELETE', path: `/v1/secrets/${t.name}` };
          }
        }
        t.pending = next;
        let status: number;
        try {
          const r = await call(child.url, req.method, req.path, { token: adminKey, ...(req.body !== undefined ? { body: req.body } : {}) });
          status = r.status;
          if (status >= 300) failures.push(`cycle ${cycle}: ${req.method} ${req.path} answered ${status}: ${r.text.slice(0, 200)}`);
        } catch {
          // The service died under this request: its outcome is unknown; the writer stops here.
          stats.unacknowledged++;
          return;
        }
        if (status < 300) {
          t.state = next;
          stats.acknowledged++;
        }
        t.pending = undefined;
      }
    }

    /** Run-time reads during the storm: a value read is one that was written, never a mix or garbage. */
    async function reader(child: ServingChild, stopped: () => boolean, failures: string[], cycle: number): Promise<void> {
      while (!stopped()) {
        const granted = tracked.filter((t) => t.state.exists && t.state.agents.includes('a1') && !t.pending);
        const t = granted[Math.floor(Math.random() * granted.length)];
        if (!t) {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        const picked = t.state;
        try {
          const r = await call(child.url, 'GET', `/v1/runtime/secrets/${t.name}`, { token: readerToken });
          stats.reads++;
          if (r.status >= 500) failures.push(`cycle ${cycle}: read ${t.name}: ${r.status}`);
          // Checked strictly only if no write to it started or ended meanwhile.
          else if (t.state === picked && !t.pending && (r.status !== 200 || !isDeepStrictEqual(r.json.value, picked.value))) {
            failures.push(`cycle ${cycle}: read ${t.name}: ${r.status}, not the value last written`);
          }
        } catch {
          return;
        }
      }
    }

    async function verify(cycle: number, failures: string[], rotating: boolean): Promise<void> {
      if (databaseUrl) await settleAfterKill(databaseUrl);
      const vault = await openVault({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) }).catch((e: Error) => {
        failures.push(`cycle ${cycle}: the vault does not open after the kill: ${e.message}`);
        return undefined;
      });
      if (!vault) return;
      const look = await inspectStore(vault, databaseUrl);
      try {
        // A rotation that got going has changed the set of data keys, even if it was cut.
        const keys = await look.dataKeyIds();
        if (rotating && keys !== lastKeys) stats.rotationsMidway++;
        lastKeys = keys;
        for (const d of await look.damage(accountId)) failures.push(`cycle ${cycle}: ${d}`);
        const audits = await look.userChangesByTarget(accountId);
        const events = new Map<string, number>();
        for (const payload of await look.eventPayloads(accountId)) {
          const e = JSON.parse(payload) as { secret?: { name: string }; name?: string };
          const name = e.secret?.name ?? e.name;
          if (name) events.set(name, (events.get(name) ?? 0) + 1);
        }
        for (const t of tracked) {
          const row = await vault.store.secrets.getSecret(accountId, t.name);
          let actual: Omit<State, 'ops'> & { audits: number; events: number };
          const counts = { audits: audits.get(t.name) ?? 0, events: events.get(t.name) ?? 0 };
          if (!row) actual = { exists: false, value: undefined, agents: [], version: 0, ...counts };
          else {
            let value: SecretValue | undefined;
            try {
              value = await vault.keyring.openValue(accountId, t.name, row.valueVersion, row.sealed);
            } catch (e) {
              failures.push(`cycle ${cycle}: ${t.name} v${row.version} does not decrypt: ${(e as Error).message}`);
              continue;
            }
            actual = { exists: true, value, agents: row.agents, version: row.version, ...counts };
          }
          const matches = (s: State) =>
            s.exists === actual.exists &&
            isDeepStrictEqual(s.value, actual.value) &&
            isDeepStrictEqual(s.agents, actual.agents) &&
            s.version === actual.version &&
            s.ops === actual.audits &&
            s.ops === actual.events;
          if (matches(t.state)) t.pending = undefined;
          else if (t.pending && matches(t.pending)) {
            t.state = t.pending;
            t.pending = undefined;
            stats.appliedUnacked++;
          } else {
            failures.push(
              `cycle ${cycle}: ${t.name} is ${JSON.stringify({ ...actual, value: actual.value === undefined ? undefined : 'v' })}, acknowledged ${JSON.stringify({ ...t.state, value: t.state.value === undefined ? undefined : 'v' })}${t.pending ? ' (or the unacknowledged change)' : ''}`,
            );
            // Carry on from what is there, so one defect is reported once.
            t.state = { exists: actual.exists, value: actual.value, agents: actual.agents, version: actual.version, ops: actual.audits };
            t.pending = undefined;
          }
        }
        // Grants never point at a missing secret or agent (a value without its grants, or the reverse).
        const orphans = await look.orphanGrants();
        if (orphans) failures.push(`cycle ${cycle}: ${orphans} grants without their secret`);
      } finally {
        await look.close();
        await vault.close();
      }
    }
  });
}

function randomValue(): SecretValue {
  if (Math.random() < 0.3) return { client_id: sentinel(), client_secret: sentinel() + 'k'.repeat(Math.floor(Math.random() * 2000)) };
  return sentinel() + 'p'.repeat(Math.floor(Math.random() * (Math.random() < 0.1 ? 60_000 : 300)));
}
