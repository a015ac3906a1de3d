// Remnants and rollbacks: what a deleted or pruned value leaves in
// SQLite's files, what a database writer achieves by copying a kept older value over the current
// one (on both stores, through real HTTP), and ignore files that are links to /dev/zero, FIFOs or
// huge, read by the check's own walker on real files.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { findFiles } from '../../../server/src/check/walk';
import type { SqliteStore } from '../../../vault/src/store/sqlite/store';
import { startTestVault, type TestStoreKind, type TestVault } from '../../helpers/vault';
import { FailedAuthLimiter } from '../../../vault/src/auth';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { keepLog, sentinel, watchDataDir } from '../helpers/leakwatch';
import { suiteDatabase, withPg } from '../helpers/pgcluster';

const S = 'remnants and rollbacks';

/** A check that throws before it tallies still shows in the closing table, as one failed case. */
function guarded(cases: number, check: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await check();
    } catch (e) {
      tally(S, cases, cases);
      throw e;
    }
  };
}

/** A vault of the suite on `store` (PostgreSQL in the suite's cluster), with its database URL for the attacker's SQL. */
async function vaultOn(store: TestStoreKind, stop: (() => Promise<void>)[]): Promise<TestVault & { databaseUrl?: string }> {
  const databaseUrl = store === 'postgres' ? await suiteDatabase() : undefined;
  const v = await startTestVault({ ...(databaseUrl ? { databaseUrl } : {}), limiter: new FailedAuthLimiter(1_000_000, 60_000) });
  watchDataDir(v.dataDir);
  stop.push(async () => {
    await v.server.close();
    await v.vault.close();
    for (const line of v.logs) keepLog(line);
  });
  return databaseUrl ? Object.assign(v, { databaseUrl }) : v;
}

/** The attacker's SQL, from a connection of its own. */
async function asDatabaseWriter(store: TestStoreKind, v: { dataDir: string; databaseUrl?: string }, sql: string): Promise<void> {
  if (store === 'postgres') {
    await withPg(v.databaseUrl!, (c) => c.query(sql));
    return;
  }
  const db = new Database(path.join(v.dataDir, 'vault.db'));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** Copies kept value `version` of `name` over its current row (optionally clearing the MAC too). */
function rollback(name: string, version: number, clearMac: boolean): string {
  const pick = (col: string) => `(SELECT ${col} FROM secret_versions v WHERE v.account_id = secrets.account_id AND v.secret_name = secrets.name AND v.value_version = ${version})`;
  return `UPDATE secrets SET key_id = ${pick('key_id')}, nonce = ${pick('nonce')}, ciphertext = ${pick('ciphertext')}, value_version = ${version}${clearMac ? ', value_mac = NULL' : ''} WHERE name = '${name}'`;
}

export function registerRemnants(stores: TestStoreKind[]): void {
  describe(S, () => {
    const stop: (() => Promise<void>)[] = [];
    const dirs: string[] = [];
    afterAll(async () => {
      for (const s of stop.splice(0)) await s();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it(
      'SQLite: a deleted secret (three values) and a pruned value leave no ciphertext in vault.db, -wal, -shm or audit.db',
      guarded(2, async () => {
        const v = await vaultOn('sqlite', stop);
        const api = v.api();
        const db = (v.vault.store as SqliteStore).db;
        const all = (name: string) => [
          ...(db.prepare('SELECT ciphertext FROM secrets WHERE name = ?').pluck().all(name) as Buffer[]),
          ...(db.prepare('SELECT ciphertext FROM secret_versions WHERE secret_name = ?').pluck().all(name) as Buffer[]),
        ];
        const holding = (needles: Buffer[]) => readdirSync(v.dataDir).filter((f) => needles.some((n) => readFileSync(path.join(v.dataDir, f)).includes(n)));
        await api.createSecret({ name: 'deleted_one', value: sentinel() });
        await api.updateSecret('deleted_one', { value: sentinel() });
        await api.updateSecret('deleted_one', { value: sentinel() });
        const deleted = all('deleted_one');
        expect(deleted).toHaveLength(3);
        expect(holding(deleted)).not.toEqual([]);
        await api.deleteSecret('deleted_one');
        const afterDelete = holding(deleted);

        await api.updateAccountSettings({ versionsKept: 1 });
        await api.createSecret({ name: 'pruned_one', value: sentinel() });
        const first = all('pruned_one');
        await api.updateSecret('pruned_one', { value: sentinel() });
        const afterPrune = holding(first);
        tally(S, 2, (afterDelete.length > 0 ? 1 : 0) + (afterPrune.length > 0 ? 1 : 0), 'WAL after delete and prune, rolled-back value on both stores, ignore files');
        expect({ afterDelete, afterPrune }).toEqual({ afterDelete: [], afterPrune: [] });
      }),
    );

    for (const store of stores) {
      it(
        `${store}: a kept older value copied over the current row by SQL is never served (single read, env, MAC cleared, after rotate-key)`,
        guarded(4, async () => {
          const v = await vaultOn(store, stop);
          const api = v.api();
          await api.createAgent({ id: 'rb-agent' });
          const token = (await api.createAgentToken('rb-agent')).token;
          const old = sentinel();
          await api.createSecret({ name: 'rolled_back', value: old, agents: ['rb-agent'] });
          await api.updateSecret('rolled_back', { value: sentinel() });
          // Warm the run-time cache with the current row first.
          expect((await call(v.url, 'GET', '/v1/runtime/secrets/rolled_back', { token })).status).toBe(200);

          const outcomes: { case: string; status: number; code: unknown; served: boolean }[] = [];
          const probe = async (name: string, p: string) => {
            const r = await call(v.url, 'GET', p, { token });
            outcomes.push({ case: name, status: r.status, code: r.json?.code, served: r.text.includes(old) });
          };
          await asDatabaseWriter(store, v, rollback('rolled_back', 1, false));
          await probe('single read', '/v1/runtime/secrets/rolled_back');
          await probe('env', '/v1/runtime/env');
          await asDatabaseWriter(store, v, rollback('rolled_back', 1, true));
          await probe('MAC cleared', '/v1/runtime/secrets/rolled_back');
          await v.vault.keyring.rotate();
          await probe('after rotate-key', '/v1/runtime/secrets/rolled_back');
          const failures = outcomes.filter((o) => o.status !== 500 || o.code !== 'decryption_failed' || o.served).length;
          tally(S, outcomes.length, failures);
          expect(outcomes).toEqual(outcomes.map((o) => ({ case: o.case, status: 500, code: 'decryption_failed', served: false })));
        }),
      );
    }

    it(
      'check: ignore files linked to /dev/zero, FIFOs and over 1 MiB are reported and not applied, and the walk ends',
      guarded(4, async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'sv-sec-ignore-'));
        dirs.push(dir);
        writeFileSync(path.join(dir, 'app.py'), "get_secret('x')\n");
        symlinkSync('/dev/zero', path.join(dir, '.gitignore'));
        mkdirSync(path.join(dir, 'fifo'));
        writeFileSync(path.join(dir, 'fifo/a.py'), "get_secret('y')\n");
        execFileSync('mkfifo', [path.join(dir, 'fifo/.gitignore')]);
        mkdirSync(path.join(dir, 'huge'));
        writeFileSync(path.join(dir, 'huge/b.py'), "get_secret('z')\n");
        writeFileSync(path.join(dir, 'huge/.gitignore'), `b.py\n${'#'.repeat(2 * 1024 * 1024)}\n`);
        mkdirSync(path.join(dir, '.git/info'), { recursive: true });
        execFileSync('mkfifo', [path.join(dir, '.git/info/exclude')]);
        const { files, skipped } = findFiles({ cwd: dir, paths: [], exclude: [], gitignore: true });
        const reported = new Set(skipped.filter((s) => s.reason === 'unreadable').map((s) => s.path));
        const want = ['.gitignore', 'fifo/.gitignore', 'huge/.gitignore', '.git/info/exclude'];
        const missing = want.filter((p) => !reported.has(p));
        tally(S, want.length, missing.length);
        expect(missing).toEqual([]);
        // Their rules are not applied: every source file is checked.
        expect(files.map((f) => f.rel)).toEqual(['app.py', 'fifo/a.py', 'huge/b.py']);
      }),
    );
  });
}
