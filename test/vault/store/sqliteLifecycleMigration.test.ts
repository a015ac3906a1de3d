// SQLite only: schema 6 adds kept values, lifecycle fields, the versionsKept setting and
// access requests. A vault of schema 5 must migrate in place: each value's time and author are the
// best known (creation for a value never changed, the last change otherwise), nothing expires, no
// older value is kept, accounts keep 10 values.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../vault/src/store/sqlite/schema';
import { SqliteStore } from '../../../vault/src/store/sqlite/store';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('SQLite migration to a secret\'s life (schema 5 to 6)', () => {
  it('existing secrets get their value time and author, no expiry, no older values; the new tables hold their rules', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sv-mig6-'));
    const file = path.join(dir, 'vault.db');
    const old = new Database(file);
    for (let v = 1; v <= 5; v++) old.exec(MIGRATIONS[v]!);
    old.pragma('user_version = 5');
    old.prepare("INSERT INTO accounts (id, name, naming_style, created_at) VALUES ('acc_a', 'a', 'snake_case', '2025-01-01T00:00:00.000Z')").run();
    old.prepare("INSERT INTO data_keys VALUES ('dk_1', 'mk_1', x'00', x'00', 'active', '2025-01-01T00:00:00.000Z')").run();
    const insert = old.prepare(
      "INSERT INTO secrets (account_id, name, description, kind, keys, version, value_version, created_at, updated_at, updated_by, key_id, nonce, ciphertext) VALUES ('acc_a', ?, '', 'single', '[]', ?, ?, '2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z', 'ops', 'dk_1', x'01', x'02')",
    );
    insert.run('never_changed', 4, 1);
    insert.run('changed', 5, 3);
    old.close();

    const store = new SqliteStore(file, { synchronous: 'NORMAL' });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(await store.secrets.getSecret('acc_a', 'never_changed')).toMatchObject({ valueVersion: 1, valueUpdatedAt: '2025-01-01T00:00:00.000Z', valueUpdatedBy: 'ops', expiresAt: null, rotationDays: null });
      expect(await store.secrets.getSecret('acc_a', 'changed')).toMatchObject({ valueVersion: 3, valueUpdatedAt: '2025-06-01T00:00:00.000Z', valueUpdatedBy: 'ops' });
      expect((await store.secrets.listSecretVersions('acc_a', 'changed'))!.map((v) => v.version)).toEqual([3]);
      expect((await store.accounts.getAccount('acc_a'))?.versionsKept).toBe(10);
      expect(() => store.db.prepare('UPDATE accounts SET versions_kept = 0').run()).toThrow(/CHECK/);
      // One pending request per secret and agent, whoever writes.
      const req = store.db.prepare(
        "INSERT INTO access_requests (account_id, id, secret_name, agent_id, reason, new_secret, status, requested_by, requested_by_id, created_at) VALUES ('acc_a', ?, 'changed', 'bot', '', 0, 'pending', 'dev', 'key_1', '2026-01-01T00:00:00.000Z')",
      );
      req.run('req_1');
      expect(() => req.run('req_2')).toThrow(/UNIQUE/);
      // An older value holds its data key: the key cannot be deleted under it.
      store.db.prepare("INSERT INTO secret_versions VALUES ('acc_a', 'changed', 2, 'single', '[]', '2025-03-01T00:00:00.000Z', 'ops', NULL, 'dk_1', x'03', x'04')").run();
      store.db.prepare("UPDATE secrets SET key_id = key_id").run();
      expect(() => store.db.prepare("DELETE FROM data_keys WHERE id = 'dk_1'").run()).toThrow(/FOREIGN KEY/);
    } finally {
      await store.close();
    }
  });
});
