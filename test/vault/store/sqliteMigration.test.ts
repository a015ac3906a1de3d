// SQLite only: schema 4 gives each value its own version (bound into its additional data), apart
// from the metadata version. A vault written before that (schema 3: every value sealed for its
// row's version, which grants and description edits moved) must migrate in place, with every value
// still opening, over real HTTP as an agent reads it.

import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretValue } from '../../../protocol/names';
import { startTestVault, type TestVault } from '../../helpers/vault';
import { sqliteStore } from '../../helpers/sqliteStore';
import { FailedAuthLimiter } from '../../../vault/src/auth';
import { openVault, serve, type RunningServer, type Vault } from '../../../vault/src/vault';
import { VaultApi } from '../../../protocol/client';
import { undiciTransport } from '../../../vault/src/cli/remote';
import { SCHEMA_VERSION } from '../../../vault/src/store/sqlite/schema';

let tv: TestVault | undefined;
let reopened: { vault: Vault; server: RunningServer } | undefined;
/** Set once the test closed the first vault itself. */
let closedFirst = false;

afterEach(async () => {
  await reopened?.server.close();
  reopened?.vault.close();
  reopened = undefined;
  if (tv && !closedFirst) await tv.stop();
  if (tv) rmSync(tv.dataDir, { recursive: true, force: true });
  tv = undefined;
  closedFirst = false;
});

describe('SQLite migration to value versions (schema 3 to 4)', () => {
  it('migrates a vault whose values are sealed for their metadata version, and every value still opens', async () => {
    tv = await startTestVault();
    const api = tv.api();
    await api.createAgent({ id: 'mig-agent' });
    await api.createAgent({ id: 'mig-other' });
    const values = new Map<string, SecretValue>([
      ['plain_one', 'sk-migrate-one'],
      ['granted_twice', 'sk-migrate-two'],
      ['described', { client_id: 'id-3', client_secret: 'secret-3' }],
      ['new_value', 'sk-migrate-four-old'],
    ]);
    for (const [name, value] of values) await api.createSecret({ name, value, agents: ['mig-agent'] });
    // Metadata versions that differ from one value to the next, as a real vault's do.
    await api.grant('granted_twice', 'mig-other');
    await api.revoke('granted_twice', 'mig-other');
    await api.updateSecret('described', { description: 'edited' });
    await api.updateSecret('new_value', { value: (values.set('new_value', 'sk-migrate-four-new'), 'sk-migrate-four-new') });
    const token = (await api.createAgentToken('mig-agent')).token;

    // Rewrite the data folder as schema 3 left it: each value sealed for its row's version (the
    // old rule, with the same additional data), and no value_version column.
    const { vault, accountId } = tv;
    const db = sqliteStore(vault.store).db;
    const before = new Map<string, number>();
    for (const name of values.keys()) {
      const row = (await vault.store.secrets.getSecret(accountId, name))!;
      before.set(name, row.version);
      const old = await vault.keyring.sealValue(accountId, name, row.version, values.get(name)!);
      db.prepare('UPDATE secrets SET key_id = ?, nonce = ?, ciphertext = ? WHERE account_id = ? AND name = ?').run(old.keyId, old.nonce, old.ciphertext, accountId, name);
    }
    expect([...before.values()].sort()).toEqual([1, 2, 3, 2].sort());
    await tv.server.close();
    vault.close();
    closedFirst = true;
    const raw = new Database(path.join(tv.dataDir, 'vault.db'));
    raw.exec('ALTER TABLE secrets DROP COLUMN value_version');
    // And without what schema 5 (run tokens) added.
    raw.exec('ALTER TABLE tokens DROP COLUMN expires_at; ALTER TABLE tokens DROP COLUMN minted_by; ALTER TABLE tokens DROP COLUMN minted_by_name; ALTER TABLE accounts DROP COLUMN local_runs');
    // And without what schema 6 (kept values, lifecycle, access requests) added.
    raw.exec(`DROP TABLE secret_versions; DROP TABLE access_requests; ALTER TABLE accounts DROP COLUMN versions_kept;
      ${['value_updated_at', 'value_updated_by', 'restored_from', 'expires_at', 'rotation_days'].map((c) => `ALTER TABLE secrets DROP COLUMN ${c};`).join(' ')}`);
    // And without what schema 7 (the current value's MAC, added by the service at open) added.
    raw.exec("ALTER TABLE secrets DROP COLUMN value_mac; DELETE FROM meta WHERE key = 'value_macs'");
    // And without what schema 8 (the case and spacing folds) added.
    raw.exec('DROP INDEX secrets_name_fold; DROP INDEX agents_id_fold; ALTER TABLE secrets DROP COLUMN name_fold; ALTER TABLE agents DROP COLUMN id_fold');
    // And without what schema 9 (marks on keys) added.
    raw.exec('ALTER TABLE secrets DROP COLUMN key_sensitivity');
    raw.pragma('user_version = 3');
    raw.close();

    const migrated = await openVault({ dataDir: tv.dataDir, env: {} });
    const server = await serve(migrated, { port: 0, limiter: new FailedAuthLimiter(1000, 60_000) });
    reopened = { vault: migrated, server };
    expect(sqliteStore(migrated.store).db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const agent = new VaultApi(undiciTransport(server.url), token);
    for (const [name, value] of values) {
      expect((await agent.runtimeSecret(name)).value).toEqual(value);
      // The ETag clients hold is unchanged by the migration; the value version takes its number.
      const row = (await migrated.store.secrets.getSecret(accountId, name))!;
      expect({ name, version: row.version, valueVersion: row.valueVersion }).toEqual({ name, version: before.get(name), valueVersion: before.get(name) });
    }

    // After the migration, a grant leaves the ciphertext alone and a new value moves the value version.
    const admin = new VaultApi(undiciTransport(server.url), tv.adminKey);
    const sealed = (await migrated.store.secrets.getSecret(accountId, 'described'))!;
    await admin.grant('described', 'mig-other');
    const granted = (await migrated.store.secrets.getSecret(accountId, 'described'))!;
    expect({ version: granted.version, valueVersion: granted.valueVersion, nonce: granted.sealed.nonce }).toEqual({
      version: sealed.version + 1,
      valueVersion: sealed.valueVersion,
      nonce: sealed.sealed.nonce,
    });
    await admin.updateSecret('described', { value: 'sk-after-migration' });
    expect((await migrated.store.secrets.getSecret(accountId, 'described'))!.valueVersion).toBe(sealed.valueVersion + 1);
    expect((await agent.runtimeSecret('described')).value).toBe('sk-after-migration');
  });
});
