// Leaks: runs last. Every value the suite stored began with a sentinel; search every log line
// (in-process and child processes), every response body except successful run-time reads, every
// event payload (live streams and the events table), the audit table and the raw bytes of every
// SQLite file for the sentinel prefix. Zero hits.
// On PostgreSQL (the suite's own cluster, which logs every statement with its parameters): every
// file of the cluster (heap, WAL, pg_xact…) and its server log, the statement texts logged,
// tracked (pg_stat_statements) and sampled under load (pg_stat_activity), and every vault
// database's audit and events tables. Each search first proves it finds a probe where one is.

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestStoreKind } from '../../helpers/vault';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { formsOf, hits, leakForms, sentinel, sentinelsIssued, watched } from '../helpers/leakwatch';
import { activityStats, countSentTo, sampleActivity, sentinelsSentToPostgres, setProbeMarker, suiteCluster, suiteDatabases, withPg } from '../helpers/pgcluster';
import { finishAll, inProcessVault } from '../helpers/vaults';

const TOKEN_IN_TEXT = /sv[ua]_[A-Za-z0-9_-]{43}/g;

export function registerLeaks(stores: TestStoreKind[]): void {
  describe('leaks', () => {
    for (const store of stores) {
      it(`finds a sentinel where one is (the search works), and sends values down every storing path on ${store}`, async () => {
        const v = await inProcessVault({ store });
        const sentBefore = sentinelsIssued();
        try {
          const s = sentinel();
          await v.api().createAgent({ id: 'probe' });
          await v.api().createSecret({ name: 'probe', value: s, agents: ['probe'] });
          const token = (await v.api().createAgentToken('probe')).token;
          const r = await call(v.url, 'GET', '/v1/runtime/secrets/probe', { token });
          // The one place a value belongs, and the search sees it there; its metadata has none.
          expect(hits(r.text)).toBe(1);
          expect(hits((await call(v.url, 'GET', '/v1/secrets/probe', { token: v.adminKey })).text)).toBe(0);
          expect(hits(`${Buffer.from('xx')}${s}`)).toBe(1);
          // Each encoded form is found at any byte alignment, and only where the sentinel is.
          for (const pad of ['', 'x', 'xy']) {
            const b = Buffer.from(`${pad}${s}`);
            for (const text of [b.toString('hex'), b.toString('hex').toUpperCase(), b.toString('base64'), b.toString('base64url')]) expect(leakForms.count(text)).toBeGreaterThan(0);
          }
          expect(leakForms.count(Buffer.from(`xx${s.toLowerCase()}`).toString('base64'))).toBe(0);
          // The token pattern the log search uses matches a real token.
          expect(`{"msg":"x ${token}"}`.match(TOKEN_IN_TEXT)).toHaveLength(1);
          // Every other path by which a value reaches the store, for the searches below: a key/value
          // secret, a new value, a grant of it, the environment read, and a key rotation (which
          // re-seals every value).
          await v.api().createSecret({ name: 'probe_kv', value: { client_id: sentinel(), client_secret: sentinel() }, agents: [] });
          await v.api().updateSecret('probe', { value: sentinel() });
          await v.api().grant('probe_kv', 'probe');
          expect((await call(v.url, 'GET', '/v1/runtime/env', { token })).status).toBe(200);
          // Kept values: the older value is kept (sealed); its listing holds no value; a rollback makes
          // it current again (re-sealed for the new version), and the runtime read returns it.
          const versions = await call(v.url, 'GET', '/v1/secrets/probe/versions', { token: v.adminKey });
          expect(versions.json.versions).toHaveLength(2);
          expect(hits(versions.text)).toBe(0);
          const rolled = await call(v.url, 'POST', '/v1/secrets/probe/rollback', { token: v.adminKey, body: { version: 1 }, headers: { 'if-match': '"2"' } });
          expect(rolled.status).toBe(200);
          expect(hits(rolled.text)).toBe(0);
          expect(JSON.parse((await call(v.url, 'GET', '/v1/runtime/secrets/probe', { token })).text).value).toBe(s);
          const rotated = await v.vault.keyring.rotate();
          // Two current values, and probe's two older ones (values 1 and 2, kept for rollback).
          expect(rotated.resealed).toBe(4);
          const after = await call(v.url, 'GET', '/v1/runtime/secrets/probe_kv', { token });
          expect(after.status).toBe(200);
          expect(hits(after.text)).toBe(2);
        } finally {
          if (store === 'postgres') countSentTo(sentinelsIssued() - sentBefore);
          await v.finish();
        }
      });
    }

    it('finds no sentinel in any log, response, event, audit record or database file', async () => {
      await finishAll();
      const w = watched();
      const found: string[] = [];
      let searched = 0;
      for (const [kind, list] of Object.entries(w.texts)) {
        for (const text of list) {
          searched++;
          const n = leakForms.count(text);
          if (n) found.push(`${kind}: ${n} hit(s) (${JSON.stringify(leakForms.byForm(text))}) in ${JSON.stringify(text.slice(0, 200))}`);
        }
      }
      let files = 0;
      let auditRows = 0;
      let eventRows = 0;
      for (const dir of w.dataDirs) {
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir)) {
          if (!f.startsWith('vault.db') && !f.startsWith('audit.db')) continue;
          files++;
          const n = leakForms.count(readFileSync(path.join(dir, f)).toString('latin1'));
          if (n) found.push(`${path.basename(dir)}/${f}: ${n} hit(s) in the raw file`);
        }
        const dbFile = path.join(dir, 'vault.db');
        if (!existsSync(dbFile)) continue;
        // The access log (audit.db) holds the records of reads and refusals; vault.db those of changes.
        const logFile = path.join(dir, 'audit.db');
        if (existsSync(logFile)) {
          const log = new Database(logFile, { readonly: true });
          try {
            for (const row of log.prepare('SELECT * FROM audit').all()) {
              auditRows++;
              if (hits(JSON.stringify(row))) found.push(`${path.basename(dir)} access log: ${JSON.stringify(row).slice(0, 200)}`);
            }
          } finally {
            log.close();
          }
        }
        const db = new Database(dbFile, { readonly: true });
        try {
          for (const row of db.prepare('SELECT * FROM audit').all()) {
            auditRows++;
            if (hits(JSON.stringify(row))) found.push(`${path.basename(dir)} audit: ${JSON.stringify(row).slice(0, 200)}`);
          }
          for (const row of db.prepare('SELECT payload FROM events').all() as { payload: string }[]) {
            eventRows++;
            if (hits(row.payload)) found.push(`${path.basename(dir)} event: ${row.payload.slice(0, 200)}`);
          }
        } finally {
          db.close();
        }
      }
      // Tokens are shown once, in the response that mints them; a log line must never hold one.
      let tokensInLogs = 0;
      for (const line of w.texts.log) {
        const m = line.match(TOKEN_IN_TEXT);
        if (m) {
          tokensInLogs += m.length;
          found.push(`log: a token in ${JSON.stringify(line.slice(0, 160))}`);
        }
      }
      const lines = w.texts.log.length;
      tally(
        'leaks: sentinel search',
        searched + files + auditRows + eventRows,
        found.length,
        `${sentinelsIssued()} sentinels, ${tokensInLogs} tokens in logs; ${lines} log lines, ${w.responsesKept} responses (${w.runtimeReadsSkipped} run-time reads skipped), ${w.texts.event.length} event streams, ${auditRows} audit rows, ${eventRows} event rows, ${files} SQLite files`,
      );
      expect(found.slice(0, 20)).toEqual([]);
      // The search had material: sentinels were stored, and logs, responses and files were seen.
      expect(sentinelsIssued()).toBeGreaterThan(0);
      expect(lines).toBeGreaterThan(0);
      expect(w.responsesKept).toBeGreaterThan(0);
      if (stores.includes('sqlite')) expect(files).toBeGreaterThan(0);
    }, 300_000);

    if (stores.includes('postgres')) {
      it('finds no sentinel anywhere in PostgreSQL: data files, WAL, server log, statement texts, audit and events', async () => {
        await finishAll();
        const cluster = await suiteCluster();
        const vaultDatabases = suiteDatabases();
        const found: string[] = [];

        // The probe: a marker (not a sentinel) put into PostgreSQL on purpose, as bound parameters
        // (text and bytea) into a table of its own database, and as a literal in a statement's text.
        // Every search below must find it, or it proves nothing.
        const probe = formsOf(`SVPROBE${randomBytes(6).toString('hex')}`);
        setProbeMarker(probe.marker);
        const probeDb = await cluster.createDatabase('sec_probe');
        const stopSampling = await sampleActivity(5);
        await withPg(probeDb, async (c) => {
          await c.query('CREATE TABLE probe (t text, b bytea)');
          await c.query('INSERT INTO probe VALUES ($1, $2)', [probe.marker, Buffer.from(probe.marker)]);
          await c.query(`SELECT pg_sleep(0.3), '${probe.marker}' AS probe`);
        });
        await stopSampling();
        const activity = activityStats();
        found.push(...activity.found);

        // The vaults' audit and events tables, row by row.
        let auditRows = 0;
        let eventRows = 0;
        for (const url of vaultDatabases) {
          await withPg(url, async (c) => {
            for (const row of (await c.query('SELECT * FROM audit')).rows as unknown[]) {
              auditRows++;
              const t = JSON.stringify(row);
              if (leakForms.count(t)) found.push(`${url} audit: ${t.slice(0, 200)}`);
            }
            for (const row of (await c.query<{ payload: string }>('SELECT payload FROM events')).rows) {
              eventRows++;
              if (leakForms.count(row.payload)) found.push(`${url} event: ${row.payload.slice(0, 200)}`);
            }
          });
        }

        // Every statement text PostgreSQL tracked (constants are normalised there; the log below has them as sent).
        const tracked = await withPg(cluster.url(), async (c) => (await c.query<{ query: string }>('SELECT query FROM pg_stat_statements')).rows);
        let tokensSeen = 0;
        for (const { query } of tracked) {
          if (leakForms.count(query)) found.push(`pg_stat_statements: ${query.slice(0, 200)}`);
          tokensSeen += query.match(TOKEN_IN_TEXT)?.length ?? 0;
        }

        // A clean shutdown checkpoints: every change is then in the heap files too, not only in the WAL.
        cluster.stop();

        // The server log, record by record: statement texts (as executed, parsed, bound) and their parameters.
        const records: string[] = [];
        for (const line of readFileSync(cluster.logFile, 'utf8').split('\n')) {
          if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(line) || records.length === 0) records.push(line);
          else records[records.length - 1] += `\n${line}`;
        }
        const STATEMENT = /\] LOG:\s+(?:duration: [0-9.]+ ms\s+)?(?:statement|(?:execute|parse|bind) [^:]*):/;
        const PARAMETERS = /\] DETAIL:\s+parameters: /;
        const log = { statements: 0, parameterLists: 0, probeInStatements: 0, probeInParameters: 0 };
        for (const r of records) {
          const isStatement = STATEMENT.test(r);
          const isParameters = PARAMETERS.test(r);
          if (isStatement) log.statements++;
          if (isParameters) log.parameterLists++;
          const n = leakForms.count(r);
          if (n) found.push(`server log ${isStatement ? 'statement' : isParameters ? 'parameters' : 'record'}: ${r.slice(0, 200)}`);
          tokensSeen += r.match(TOKEN_IN_TEXT)?.length ?? 0;
          if (isStatement && r.includes(probe.marker)) log.probeInStatements++;
          if (isParameters && probe.count(r) > 0) log.probeInParameters++;
        }
        if (tokensSeen) found.push(`${tokensSeen} API or agent token(s) in PostgreSQL's statement texts or log`);

        // Every file of the cluster, byte by byte: heap and index files, WAL, pg_xact, the server log.
        const scan = { files: 0, bytes: 0 };
        const probeByArea: Record<string, number> = {};
        const probeForms = new Set<string>();
        const walk = (dir: string) => {
          for (const e of readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            if (!e.isFile()) continue;
            const text = readFileSync(p).toString('latin1');
            scan.files++;
            scan.bytes += statSync(p).size;
            const n = leakForms.count(text);
            if (n) found.push(`${path.relative(cluster.dir, p)}: ${n} hit(s) ${JSON.stringify(leakForms.byForm(text))}`);
            const forms = probe.byForm(text);
            if (Object.keys(forms).length) {
              const rel = path.relative(cluster.dataDir, p);
              const area = rel.startsWith('..') ? 'log' : rel.split(path.sep)[0]!;
              probeByArea[area] = (probeByArea[area] ?? 0) + 1;
              for (const f of Object.keys(forms)) probeForms.add(f);
            }
          }
        };
        walk(cluster.dir);

        tally(
          'leaks: PostgreSQL cluster',
          scan.files + records.length + tracked.length + activity.samples + auditRows + eventRows,
          found.length,
          `${sentinelsSentToPostgres()} sentinels stored through PostgreSQL vaults, ${scan.files} files (${(scan.bytes / 1048576).toFixed(1)} MiB: heap, WAL, pg_xact, server log), ${log.statements} logged statements (${log.parameterLists} parameter lists), ${tracked.length} pg_stat_statements texts, ${activity.samples} pg_stat_activity samples (${activity.queries} texts), ${auditRows} audit rows, ${eventRows} event rows, ${vaultDatabases.length} vault databases; hits ${found.length}`,
        );
        expect(found.slice(0, 20)).toEqual([]);
        // Each search found the probe where it was put: so the settings and the searches work.
        expect(activity.probeHits).toBeGreaterThan(0);
        expect(log.probeInStatements).toBeGreaterThan(0);
        expect(log.probeInParameters).toBeGreaterThan(0);
        expect(probeByArea.base).toBeGreaterThan(0);
        expect(probeByArea.pg_wal).toBeGreaterThan(0);
        expect(probeByArea.log).toBeGreaterThan(0);
        expect([...probeForms].sort()).toEqual(expect.arrayContaining(['hex', 'plain']));
        // And there was material: the vaults' statements and their parameters were logged.
        expect(vaultDatabases.length).toBeGreaterThan(0);
        expect(log.parameterLists).toBeGreaterThan(vaultDatabases.length);
        expect(auditRows).toBeGreaterThan(0);
        expect(sentinelsSentToPostgres()).toBeGreaterThan(0);
      }, 300_000);
    }
  });
}
