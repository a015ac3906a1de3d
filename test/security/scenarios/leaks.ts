// Leaks: runs last. Every value the suite stored began with a sentinel; search every log line
// (in-process and child processes), every response body except successful run-time reads, every
// event payload (live streams and the events table), the audit table and the raw bytes of every
// SQLite file for the sentinel prefix. Zero hits.

import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { hits, sentinel, sentinelsIssued, watched } from '../helpers/leakwatch';
import { finishAll, inProcessVault } from '../helpers/vaults';

const TOKEN_IN_TEXT = /sv[ua]_[A-Za-z0-9_-]{43}/g;

export function registerLeaks(): void {
  describe('leaks', () => {
    it('finds a sentinel where one is (the search works)', async () => {
      const v = await inProcessVault();
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
        // The token pattern the log search uses matches a real token.
        expect(`{"msg":"x ${token}"}`.match(TOKEN_IN_TEXT)).toHaveLength(1);
      } finally {
        await v.finish();
      }
    });

    it('finds no sentinel in any log, response, event, audit record or database file', async () => {
      await finishAll();
      const w = watched();
      const found: string[] = [];
      let searched = 0;
      for (const [kind, list] of Object.entries(w.texts)) {
        for (const text of list) {
          searched++;
          const n = hits(text);
          if (n) found.push(`${kind}: ${n} hit(s) in ${JSON.stringify(text.slice(Math.max(0, text.indexOf('SVLEAK') - 80), text.indexOf('SVLEAK') + 40))}`);
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
          const n = hits(readFileSync(path.join(dir, f)).toString('latin1'));
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
      expect(files).toBeGreaterThan(0);
    }, 300_000);
  });
}
