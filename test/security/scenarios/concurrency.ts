// Concurrency: two service processes on the same files (as a second `serve`, or `rotate-key`,
// would be) and many clients at once. Parallel updates carrying the same If-Match have exactly one
// winner; storms of grants and revokes leave the access list, the version, the audit and the
// events consistent with the acknowledged operations.
//
// On both stores: on SQLite two processes share the files; on PostgreSQL they are two replicas
// on one database, which is how that store is meant to run.

import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVault } from '../../../vault/src/vault';
import type { TestStoreKind } from '../../helpers/vault';
import { inspectStore } from '../helpers/inspect';
import { countSentTo, sampleActivity } from '../helpers/pgcluster';
import { tally } from '../helpers/ledger';
import { call, type Reply } from '../helpers/http';
import { sentinel, sentinelsIssued } from '../helpers/leakwatch';
import { newDataDir, serveChild, type ServingChild } from '../helpers/vaults';

const RACE_ROUNDS = Number(process.env.SECURITY_RACE_ROUNDS ?? 30);
const RACERS = 8;
const STORM_AGENTS = Number(process.env.SECURITY_STORM_AGENTS ?? 12);
const STORM_OPS = Number(process.env.SECURITY_STORM_OPS ?? 30);

export function registerConcurrency(store: TestStoreKind): void {
  describe(`concurrency on ${store}`, () => {
    let dataDir = '';
    let databaseUrl: string | undefined;
    let stopSampling: (() => Promise<void>) | undefined;
    let sentBefore = 0;
    let adminKey = '';
    let accountId = '';
    let servers: ServingChild[] = [];
    let agentToken = '';

    beforeAll(async () => {
      let storeArgs: string[];
      ({ dataDir, adminKey, accountId, databaseUrl, storeArgs } = await newDataDir({ store }));
      servers = [await serveChild(dataDir, { quiet: true, args: storeArgs }), await serveChild(dataDir, { quiet: true, args: storeArgs })];
      // PostgreSQL's statement texts are sampled for sentinels while the races and storms run.
      if (store === 'postgres') stopSampling = await sampleActivity();
      sentBefore = sentinelsIssued();
      const url = servers[0]!.url;
      expect((await call(url, 'POST', '/v1/agents', { token: adminKey, body: { id: 'reader' } })).status).toBe(201);
      for (let i = 0; i < STORM_AGENTS; i++) expect((await call(url, 'POST', '/v1/agents', { token: adminKey, body: { id: `g${i}` } })).status).toBe(201);
      agentToken = (await call(url, 'POST', '/v1/agents/reader/tokens', { token: adminKey, body: {} })).json.token;
    });
    afterAll(async () => {
      await stopSampling?.();
      if (store === 'postgres') countSentTo(sentinelsIssued() - sentBefore);
      for (const s of servers) await s.stop();
    });

    const pick = (i: number) => servers[i % servers.length]!.url;

    it('gives parallel writes with the same If-Match exactly one winner', async () => {
      const failures: string[] = [];
      let cases = 0;
      for (let round = 0; round < RACE_ROUNDS; round++) {
        const name = `race_${round}`;
        const created = await call(pick(round), 'POST', '/v1/secrets', { token: adminKey, body: { name, value: sentinel(), agents: ['reader'] } });
        expect(created.status).toBe(201);
        // Move the version on a little, so the race is not always at version 1.
        let version = 1;
        for (let i = 0; i < round % 3; i++) version = (await call(pick(i), 'PATCH', `/v1/secrets/${name}`, { token: adminKey, body: { description: `d${i}` } })).json.version;
        const kind = (['patch', 'access', 'delete'] as const)[round % 3]!;
        const values = Array.from({ length: RACERS }, () => sentinel());
        const replies: Reply[] = await Promise.all(
          values.map((value, i) => {
            const headers = { 'if-match': `"${version}"` };
            if (kind === 'patch') return call(pick(i), 'PATCH', `/v1/secrets/${name}`, { token: adminKey, headers, body: { value } });
            if (kind === 'access') return call(pick(i), 'PUT', `/v1/secrets/${name}/access`, { token: adminKey, headers, body: { agents: ['reader', `g${i % STORM_AGENTS}`] } });
            return call(pick(i), 'DELETE', `/v1/secrets/${name}`, { token: adminKey, headers });
          }),
        );
        cases++;
        const winners = replies.map((r, i) => [r, i] as const).filter(([r]) => r.status < 300);
        const losers = replies.filter((r) => r.status >= 300);
        const loserOk = (r: Reply) => r.status === 412 || (kind === 'delete' && r.status === 404);
        if (winners.length !== 1 || !losers.every(loserOk)) {
          failures.push(`${kind} round ${round}: statuses ${replies.map((r) => r.status).join(',')}`);
          continue;
        }
        const [winner, i] = winners[0]!;
        const meta = await call(pick(round + 1), 'GET', `/v1/secrets/${name}`, { token: adminKey });
        if (kind === 'delete') {
          if (meta.status !== 404) failures.push(`delete round ${round}: still there`);
          continue;
        }
        if (meta.json.version !== version + 1 || winner.json.version !== version + 1) failures.push(`${kind} round ${round}: version ${meta.json.version}, expected ${version + 1}`);
        if (kind === 'patch') {
          const read = await call(pick(round), 'GET', `/v1/runtime/secrets/${name}`, { token: agentToken });
          if (read.json?.value !== values[i]) failures.push(`patch round ${round}: the stored value is not the winner's`);
        } else if (!isDeepStrictEqual(meta.json.agents, ['reader', `g${i % STORM_AGENTS}`].sort())) {
          failures.push(`access round ${round}: agents ${meta.json.agents}, winner was ${i}`);
        }
      }
      tally(`concurrency: same If-Match [${store}]`, cases, failures.length, `${RACERS} racers over 2 processes`);
      expect(failures).toEqual([]);
    }, 300_000);

    it('keeps the access list consistent with every acknowledged grant and revoke in a storm', async () => {
      const failures: string[] = [];
      const name = 'storm';
      expect((await call(pick(0), 'POST', '/v1/secrets', { token: adminKey, body: { name, value: sentinel(), agents: ['reader'] } })).status).toBe(201);
      const member = new Map<string, boolean>();
      let flips = 0;
      let acked = 0;
      // One worker per agent (so each agent's own operations have a known order), all on one secret, over both processes.
      await Promise.all(
        Array.from({ length: STORM_AGENTS }, async (_x, w) => {
          const agent = `g${w}`;
          let has = false;
          for (let k = 0; k < STORM_OPS; k++) {
            const grant = Math.random() < 0.5;
            const r = await call(pick(w + k), grant ? 'PUT' : 'DELETE', `/v1/secrets/${name}/access/${agent}`, { token: adminKey });
            if (r.status !== 200) {
              failures.push(`${grant ? 'grant' : 'revoke'} ${agent}: ${r.status} ${r.text.slice(0, 200)}`);
              continue;
            }
            acked++;
            if (r.json.agents.includes(agent) !== grant) failures.push(`${grant ? 'grant' : 'revoke'} ${agent}: the answer's list says otherwise`);
            if (grant !== has) flips++;
            has = grant;
          }
          member.set(agent, has);
        }),
      );
      const expected = ['reader', ...[...member].filter(([, has]) => has).map(([a]) => a)].sort();
      const meta = await call(pick(0), 'GET', `/v1/secrets/${name}`, { token: adminKey });
      if (!isDeepStrictEqual(meta.json.agents, expected)) failures.push(`final list ${meta.json.agents}, expected ${expected}`);
      if (meta.json.version !== 1 + flips) failures.push(`version ${meta.json.version}, expected ${1 + flips} (one per change)`);
      const read = await call(pick(1), 'GET', `/v1/runtime/secrets/${name}`, { token: agentToken });
      if (read.status !== 200) failures.push(`the value no longer reads after the storm: ${read.status}`);
      const vault = await openVault({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
      const look = await inspectStore(vault, databaseUrl);
      try {
        const audits = await look.auditCount(accountId, name, ['access.grant', 'access.revoke']);
        if (audits !== flips) failures.push(`${audits} audit records, expected ${flips}`);
        for (const d of await look.damage(accountId)) failures.push(d);
        const events = (await look.eventPayloads(accountId))
          .map((p) => JSON.parse(p) as { type: string; secret?: { name: string; version: number; agents: string[] } })
          .filter((e) => e.type === 'access.changed' && e.secret?.name === name);
        if (events.length !== flips) failures.push(`${events.length} events, expected ${flips}`);
        // Each event is one step from the one before: versions consecutive, the list differs by one agent.
        let prev = ['reader'];
        for (const [i, e] of events.entries()) {
          const s = e.secret!;
          const diff = [...s.agents.filter((a) => !prev.includes(a)), ...prev.filter((a) => !s.agents.includes(a))];
          if (s.version !== i + 2 || diff.length !== 1) failures.push(`event ${i}: version ${s.version}, ${diff.length} agents changed`);
          prev = s.agents;
        }
      } finally {
        await look.close();
        await vault.close();
      }
      tally(`concurrency: grant/revoke storm [${store}]`, acked, failures.length, `${STORM_AGENTS} agents x ${STORM_OPS} ops, ${flips} changes`);
      expect(failures).toEqual([]);
    }, 300_000);
  });
}
