// Data keys, the meta table and what rotate-key and the MAC upgrade need of current values, in SQLite.

import type { DataKeyRow, KeyStore, OldValueRow, SealedValue, SecretRow } from '../types';
import { toDataKey, toOldValue, toSecretRow, type DataKeyDbRow, type SecretDbRow, type VersionDbRow } from '../rows';
import type { SqliteContext } from './sqliteContext';

/** The store's data keys and meta, and re-encryption. */
export class SqliteKeys implements KeyStore {
  constructor(private readonly ctx: SqliteContext) {}

  async listDataKeys(): Promise<DataKeyRow[]> {
    return (this.ctx.db.prepare('SELECT * FROM data_keys ORDER BY created_at').all() as DataKeyDbRow[]).map(toDataKey);
  }

  async getDataKey(id: string): Promise<DataKeyRow | undefined> {
    const r = this.ctx.db.prepare('SELECT * FROM data_keys WHERE id = ?').get(id) as DataKeyDbRow | undefined;
    return r && toDataKey(r);
  }

  async activeDataKeyId(): Promise<string | undefined> {
    return (this.ctx.stmt.activeKey.get() as { id: string } | undefined)?.id;
  }

  async addDataKey(key: DataKeyRow): Promise<void> {
    this.ctx.tx(() => {
      this.ctx.db.prepare("UPDATE data_keys SET state = 'retired' WHERE state = 'active'").run();
      this.ctx.db
        .prepare("INSERT INTO data_keys (id, master_id, nonce, wrapped, state, created_at) VALUES (?, ?, ?, ?, 'active', ?)")
        .run(key.id, key.masterId, key.nonce, key.wrapped, key.createdAt);
    });
  }

  async rewrapDataKeys(keys: DataKeyRow[]): Promise<void> {
    this.ctx.tx(() => {
      const update = this.ctx.db.prepare('UPDATE data_keys SET master_id = ?, nonce = ?, wrapped = ? WHERE id = ?');
      for (const k of keys) update.run(k.masterId, k.nonce, k.wrapped, k.id);
    });
  }

  async getMeta(key: string): Promise<Buffer | undefined> {
    return (this.ctx.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: Buffer } | undefined)?.value;
  }

  async setMeta(key: string, value: Buffer): Promise<void> {
    this.ctx.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  async secretsNotUnder(
    keyId: string,
    limit: number,
    after: { accountId: string; name: string } = { accountId: '', name: '' },
  ): Promise<(SecretRow & { accountId: string })[]> {
    const rows = this.ctx.db
      .prepare('SELECT * FROM secrets WHERE key_id != ? AND (account_id, name) > (?, ?) ORDER BY account_id, name LIMIT ?')
      .all(keyId, after.accountId, after.name, limit) as SecretDbRow[];
    return rows.map((row) => ({ ...toSecretRow(row, []), accountId: row.account_id }));
  }

  async resealSecret(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    const info = this.ctx.db
      .prepare('UPDATE secrets SET key_id = ?, nonce = ?, ciphertext = ?, value_mac = ? WHERE account_id = ? AND name = ? AND value_version = ? AND key_id = ? AND nonce = ?')
      .run(sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.mac ?? null, accountId, name, valueVersion, previous.keyId, previous.nonce);
    return info.changes > 0;
  }

  async secretsWithoutMac(limit: number): Promise<OldValueRow[]> {
    const rows = this.ctx.db
      .prepare('SELECT account_id, name AS secret_name, value_version, key_id, nonce, ciphertext FROM secrets WHERE value_mac IS NULL ORDER BY account_id, name LIMIT ?')
      .all(limit) as VersionDbRow[];
    return rows.map(toOldValue);
  }

  async setValueMac(accountId: string, name: string, valueVersion: number, sealed: SealedValue, mac: Buffer): Promise<boolean> {
    const info = this.ctx.db
      .prepare('UPDATE secrets SET value_mac = ? WHERE account_id = ? AND name = ? AND value_version = ? AND key_id = ? AND nonce = ? AND value_mac IS NULL')
      .run(mac, accountId, name, valueVersion, sealed.keyId, sealed.nonce);
    return info.changes > 0;
  }

  async dropUnusedDataKeys(): Promise<string[]> {
    const dropped = this.ctx.tx(() => {
      const unused = this.ctx.db
        .prepare(
          "SELECT id FROM data_keys WHERE state = 'retired' AND id NOT IN (SELECT key_id FROM secrets UNION SELECT key_id FROM secret_versions)",
        )
        .all() as { id: string }[];
      const del = this.ctx.db.prepare('DELETE FROM data_keys WHERE id = ?');
      for (const u of unused) del.run(u.id);
      return unused.map((u) => u.id);
    });
    // A dropped data key leaves the WAL too: what it sealed is then unreadable in any old page image.
    if (dropped.length > 0) this.ctx.shred();
    return dropped;
  }

  // ---- older values (secret_versions) ----

  async secretVersionsNotUnder(
    keyId: string,
    limit: number,
    after: { accountId: string; name: string; valueVersion: number } = { accountId: '', name: '', valueVersion: 0 },
  ): Promise<OldValueRow[]> {
    const rows = this.ctx.db
      .prepare(
        `SELECT account_id, secret_name, value_version, key_id, nonce, ciphertext FROM secret_versions
         WHERE key_id != ? AND (account_id, secret_name, value_version) > (?, ?, ?) ORDER BY account_id, secret_name, value_version LIMIT ?`,
      )
      .all(keyId, after.accountId, after.name, after.valueVersion, limit) as VersionDbRow[];
    return rows.map(toOldValue);
  }

  async resealSecretVersion(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    const info = this.ctx.db
      .prepare(
        'UPDATE secret_versions SET key_id = ?, nonce = ?, ciphertext = ? WHERE account_id = ? AND secret_name = ? AND value_version = ? AND key_id = ? AND nonce = ?',
      )
      .run(sealed.keyId, sealed.nonce, sealed.ciphertext, accountId, name, valueVersion, previous.keyId, previous.nonce);
    return info.changes > 0;
  }
}
