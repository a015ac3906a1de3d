// Data keys, the meta table and what rotate-key and the MAC upgrade need of current values, in PostgreSQL.

import type { DataKeyRow, KeyStore, OldValueRow, SealedValue, SecretRow } from '../types';
import {
  toDataKey,
  toOldValue,
  toSecretRow,
  type DataKeyDbRow,
  type SecretDbRow,
  type VersionDbRow,
} from '../rows';
import type { PgContext } from './pgContext';

/** The store's data keys and meta, and re-encryption. */
export class PgKeys implements KeyStore {
  constructor(private readonly ctx: PgContext) {}

  async listDataKeys(): Promise<DataKeyRow[]> {
    return (await this.ctx.q<DataKeyDbRow>('SELECT * FROM data_keys ORDER BY created_at, id')).map(toDataKey);
  }

  async getDataKey(id: string): Promise<DataKeyRow | undefined> {
    const r = (await this.ctx.q<DataKeyDbRow>('SELECT * FROM data_keys WHERE id = $1', [id]))[0];
    return r && toDataKey(r);
  }

  async activeDataKeyId(): Promise<string | undefined> {
    return (await this.ctx.q<{ id: string }>("SELECT id FROM data_keys WHERE state = 'active'"))[0]?.id;
  }

  async addDataKey(key: DataKeyRow): Promise<void> {
    await this.ctx.tx(async (c) => {
      await c.query("UPDATE data_keys SET state = 'retired' WHERE state = 'active'");
      await c.query("INSERT INTO data_keys (id, master_id, nonce, wrapped, state, created_at) VALUES ($1, $2, $3, $4, 'active', $5)", [
        key.id,
        key.masterId,
        key.nonce,
        key.wrapped,
        key.createdAt,
      ]);
    });
  }

  async rewrapDataKeys(keys: DataKeyRow[]): Promise<void> {
    await this.ctx.tx(async (c) => {
      for (const k of keys) await c.query('UPDATE data_keys SET master_id = $1, nonce = $2, wrapped = $3 WHERE id = $4', [k.masterId, k.nonce, k.wrapped, k.id]);
    });
  }

  async getMeta(key: string): Promise<Buffer | undefined> {
    return (await this.ctx.q<{ value: Buffer }>('SELECT value FROM meta WHERE key = $1', [key]))[0]?.value;
  }

  async setMeta(key: string, value: Buffer): Promise<void> {
    await this.ctx.tx(async (c) => {
      await c.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    });
  }

  async secretsNotUnder(
    keyId: string,
    limit: number,
    after: { accountId: string; name: string } = { accountId: '', name: '' },
  ): Promise<(SecretRow & { accountId: string })[]> {
    const rows = await this.ctx.q<SecretDbRow>(
      'SELECT * FROM secrets WHERE key_id <> $1 AND (account_id, name) > ($2, $3) ORDER BY account_id, name LIMIT $4',
      [keyId, after.accountId, after.name, limit],
    );
    return rows.map((row) => ({ ...toSecretRow(row, []), accountId: row.account_id }));
  }

  async resealSecret(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    return this.ctx.tx(async (c) => {
      const r = await c.query(
        'UPDATE secrets SET key_id = $1, nonce = $2, ciphertext = $3, value_mac = $9 WHERE account_id = $4 AND name = $5 AND value_version = $6 AND key_id = $7 AND nonce = $8',
        [sealed.keyId, sealed.nonce, sealed.ciphertext, accountId, name, valueVersion, previous.keyId, previous.nonce, sealed.mac ?? null],
      );
      return (r.rowCount ?? 0) > 0;
    });
  }

  async secretsWithoutMac(limit: number): Promise<OldValueRow[]> {
    const rows = await this.ctx.q<VersionDbRow>(
      'SELECT account_id, name AS secret_name, value_version, key_id, nonce, ciphertext FROM secrets WHERE value_mac IS NULL ORDER BY account_id, name LIMIT $1',
      [limit],
    );
    return rows.map(toOldValue);
  }

  async setValueMac(accountId: string, name: string, valueVersion: number, sealed: SealedValue, mac: Buffer): Promise<boolean> {
    return this.ctx.tx(async (c) => {
      const r = await c.query(
        'UPDATE secrets SET value_mac = $1 WHERE account_id = $2 AND name = $3 AND value_version = $4 AND key_id = $5 AND nonce = $6 AND value_mac IS NULL',
        [mac, accountId, name, valueVersion, sealed.keyId, sealed.nonce],
      );
      return (r.rowCount ?? 0) > 0;
    });
  }

  async dropUnusedDataKeys(): Promise<string[]> {
    return this.ctx.tx(async (c) => {
      const r = await c.query<{ id: string }>(
        "DELETE FROM data_keys WHERE state = 'retired' AND id NOT IN (SELECT key_id FROM secrets UNION SELECT key_id FROM secret_versions) RETURNING id",
      );
      return r.rows.map((k) => k.id).sort();
    });
  }

  // ---- older values (secret_versions) ----

  async secretVersionsNotUnder(
    keyId: string,
    limit: number,
    after: { accountId: string; name: string; valueVersion: number } = { accountId: '', name: '', valueVersion: 0 },
  ): Promise<OldValueRow[]> {
    const rows = await this.ctx.q<VersionDbRow>(
      `SELECT account_id, secret_name, value_version, key_id, nonce, ciphertext FROM secret_versions
       WHERE key_id <> $1 AND (account_id, secret_name, value_version) > ($2, $3, $4) ORDER BY account_id, secret_name, value_version LIMIT $5`,
      [keyId, after.accountId, after.name, after.valueVersion, limit],
    );
    return rows.map(toOldValue);
  }

  async resealSecretVersion(accountId: string, name: string, valueVersion: number, sealed: SealedValue, previous: SealedValue): Promise<boolean> {
    return this.ctx.tx(async (c) => {
      const r = await c.query(
        'UPDATE secret_versions SET key_id = $1, nonce = $2, ciphertext = $3 WHERE account_id = $4 AND secret_name = $5 AND value_version = $6 AND key_id = $7 AND nonce = $8',
        [sealed.keyId, sealed.nonce, sealed.ciphertext, accountId, name, valueVersion, previous.keyId, previous.nonce],
      );
      return (r.rowCount ?? 0) > 0;
    });
  }
}
