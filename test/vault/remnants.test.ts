// What deletion leaves behind and what a database writer can roll back (issue 32, findings 5 and 6),
// against a real vault over HTTP on 127.0.0.1.
//
// Finding 5: after a delete, vault.db-wal still held both versions' ciphertexts (with the master key,
// their values). The test reads the ciphertexts from the store before the delete and searches every
// file of the data folder (vault.db, its -wal and -shm, audit.db and theirs) for their bytes.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../vault/src/store/sqlite/store';
import { startTestVault, type TestVault } from '../helpers/vault';

const vaults: TestVault[] = [];
afterEach(async () => {
  for (const v of vaults.splice(0)) await v.stop();
});

async function sqliteVault(): Promise<TestVault & { db: SqliteStore['db'] }> {
  const v = await startTestVault();
  vaults.push(v);
  return Object.assign(v, { db: (v.vault.store as SqliteStore).db });
}

/** Every ciphertext (current and kept) a secret has in the store now, as the database holds them. */
function ciphertexts(db: SqliteStore['db'], accountId: string, name: string): Buffer[] {
  const current = db.prepare('SELECT ciphertext FROM secrets WHERE account_id = ? AND name = ?').pluck().all(accountId, name) as Buffer[];
  const kept = db.prepare('SELECT ciphertext FROM secret_versions WHERE account_id = ? AND secret_name = ?').pluck().all(accountId, name) as Buffer[];
  return [...current, ...kept];
}

/** The files of the data folder that hold any of `needles` (each searched whole, as raw bytes). */
function filesHolding(dataDir: string, needles: Buffer[]): string[] {
  const found: string[] = [];
  for (const f of readdirSync(dataDir)) {
    const bytes = readFileSync(path.join(dataDir, f));
    if (needles.some((n) => bytes.includes(n))) found.push(f);
  }
  return found;
}

describe('SQLite: a deleted or pruned value leaves no ciphertext in vault.db or its WAL (issue 32, finding 5)', () => {
  it('create, update twice, delete: none of the three ciphertexts is in any file of the data folder', async () => {
    const v = await sqliteVault();
    const api = v.api();
    await api.createSecret({ name: 'doomed', value: `first-${'a'.repeat(40)}` });
    await api.updateSecret('doomed', { value: `second-${'b'.repeat(40)}` });
    await api.updateSecret('doomed', { value: `third-${'c'.repeat(40)}` });
    const sealed = ciphertexts(v.db, v.accountId, 'doomed');
    expect(sealed).toHaveLength(3);
    // Before the delete they are there (so that the search below can find what it looks for).
    expect(filesHolding(v.dataDir, sealed).length).toBeGreaterThan(0);
    await api.deleteSecret('doomed');
    expect(filesHolding(v.dataDir, sealed)).toEqual([]);
    // The WAL is cut to nothing, not just reset (its old frames would remain past its header).
    expect(readdirSync(v.dataDir).includes('vault.db-wal') ? readFileSync(path.join(v.dataDir, 'vault.db-wal')).length : 0).toBe(0);
  });

  it('a value pruned past versionsKept leaves no ciphertext either, while the kept ones stay readable', async () => {
    const v = await sqliteVault();
    const api = v.api();
    await api.updateAccountSettings({ versionsKept: 2 });
    await api.createSecret({ name: 'pruned', value: `v1-${'x'.repeat(40)}` });
    const first = ciphertexts(v.db, v.accountId, 'pruned');
    expect(first).toHaveLength(1);
    await api.updateSecret('pruned', { value: `v2-${'y'.repeat(40)}` });
    // The third value prunes the first (two kept: the current one and one older).
    await api.updateSecret('pruned', { value: `v3-${'z'.repeat(40)}` });
    expect((await api.listSecretVersions('pruned')).map((x) => x.version)).toEqual([3, 2]);
    expect(filesHolding(v.dataDir, first)).toEqual([]);
    // Fewer versions kept prunes too.
    const second = ciphertexts(v.db, v.accountId, 'pruned').filter((c) => !c.equals(ciphertexts(v.db, v.accountId, 'pruned')[0]!));
    expect(second).toHaveLength(1);
    expect(filesHolding(v.dataDir, second).length).toBeGreaterThan(0);
    await api.updateAccountSettings({ versionsKept: 1 });
    expect(filesHolding(v.dataDir, second)).toEqual([]);
  });
});
