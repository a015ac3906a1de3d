// Secrets, their access lists and their kept values (older versions), in PostgreSQL.

import { DEFAULT_VERSIONS_KEPT, type SecretMetadata, type SecretVersionInfo } from '../../../../protocol/api';
import { nameFold, nameSeparatorFold, nameSkeleton, nameTwinOf } from '../../../../protocol/names';
import type { Mutation, NewSecret, SecretChange, SecretRow, SecretStore, SecretVersionRow, WriteResult } from '../types';
import {
  currentVersionInfo,
  currentVersionRow,
  olderVersionInfo,
  retiredValue,
  sealedOf,
  toMetadata,
  toSecretRow,
  VERSION_COLUMNS,
  marksColumn,
  SECRET_METADATA_COLUMNS,
  type SecretDbRow,
  type SecretMetadataRow,
  type VersionDbRow,
} from '../rows';
import { forgetSecretReads } from './lastReads';
import type { PgContext } from './pgContext';

/** The store's secrets and their kept values. */
export class PgSecrets implements SecretStore {
  constructor(private readonly ctx: PgContext) {}

  async listSecrets(accountId: string, agent?: string): Promise<SecretMetadata[]> {
    const rows =
      agent === undefined
        ? await this.ctx.q<SecretMetadataRow>(`SELECT ${SECRET_METADATA_COLUMNS} FROM secrets WHERE account_id = $1 ORDER BY name`, [accountId])
        : await this.ctx.q<SecretMetadataRow>(
            `SELECT ${SECRET_METADATA_COLUMNS} FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
             WHERE s.account_id = $1 AND g.agent_id = $2 ORDER BY s.name`,
            [accountId, agent],
          );
    const grants = new Map<string, string[]>();
    for (const g of await this.ctx.q<{ secret_name: string; agent_id: string }>(
      'SELECT secret_name, agent_id FROM grants WHERE account_id = $1 ORDER BY secret_name, agent_id',
      [accountId],
    )) {
      const list = grants.get(g.secret_name);
      if (list) list.push(g.agent_id);
      else grants.set(g.secret_name, [g.agent_id]);
    }
    return rows.map((r) => toMetadata(r, grants.get(r.name) ?? []));
  }

  async getSecret(accountId: string, name: string): Promise<SecretRow | undefined> {
    // The row and its access list in one statement: one snapshot, so never a mix of two states.
    const row = (
      await this.ctx.q<SecretDbRow & { agents: string[] }>(
        `SELECT s.*, ARRAY(SELECT g.agent_id FROM grants g WHERE g.account_id = s.account_id AND g.secret_name = s.name ORDER BY g.agent_id) AS agents
         FROM secrets s WHERE s.account_id = $1 AND s.name = $2`,
        [accountId, name],
      )
    )[0];
    return row && toSecretRow(row, row.agents);
  }

  async createSecret(accountId: string, secret: NewSecret, mutation: Mutation): Promise<WriteResult<SecretMetadata>> {
    const fold = nameFold(secret.name);
    return this.ctx.tx(async (c): Promise<WriteResult<SecretMetadata>> => {
      // The name itself, or a twin differing only in case or spacing (nameFold, a unique index).
      let existing = (await c.query<{ name: string }>('SELECT name FROM secrets WHERE account_id = $1 AND (name = $2 OR name_fold = $3)', [accountId, secret.name, fold])).rows[0]
        ?.name;
      if (existing === undefined) {
        // A twin by `_`/`-`/space (nameSeparatorFold) has no index (existing vaults may hold such
        // twins, and keep them): creates of one separator fold take turns on a lock, then look.
        await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [`secret-name\n${accountId}\n${nameSeparatorFold(secret.name)}`]);
        // And of one confusable skeleton (`strіpe_key` with a Cyrillic і beside `stripe_key`): always
        // second, so no two creates wait for each other in a circle (one waiting here holds no skeleton lock).
        await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [`secret-skeleton\n${accountId}\n${nameSkeleton(secret.name)}`]);
        const names = (await c.query<{ name: string }>('SELECT name FROM secrets WHERE account_id = $1', [accountId])).rows.map((r) => r.name);
        existing = nameTwinOf(secret.name, names);
      }
      if (existing !== undefined) return { ok: false, reason: 'exists', existing };
      if (!(await this.ctx.dataKeyExists(c, secret.sealed.keyId))) return { ok: false, reason: 'stale-key' };
      const unknown = await this.ctx.missingAgent(c, accountId, secret.agents);
      if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      await forgetSecretReads(c, accountId, secret.name);
      const inserted = await c.query<SecretDbRow>(
        `INSERT INTO secrets (account_id, name, name_fold, description, kind, keys, version, value_version, created_at, updated_at, updated_by, key_id, nonce, ciphertext,
           value_updated_at, value_updated_by, expires_at, rotation_days, value_mac, key_sensitivity)
         VALUES ($1, $2, $17, $3, $4, $5, 1, 1, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $18) RETURNING *`,
        [
          accountId,
          secret.name,
          secret.description,
          secret.kind,
          JSON.stringify(secret.keys),
          mutation.now,
          mutation.now,
          mutation.audit.actor,
          secret.sealed.keyId,
          secret.sealed.nonce,
          secret.sealed.ciphertext,
          mutation.now,
          mutation.audit.actor,
          secret.expiresAt ?? null,
          secret.rotationDays ?? null,
          secret.sealed.mac ?? null,
          fold,
          marksColumn(secret.keySensitivity),
        ],
      );
      await this.ctx.insertGrants(c, accountId, secret.name, secret.agents);
      await this.ctx.audit(c, mutation);
      const meta = await this.ctx.metadata(c, inserted.rows[0]!);
      return { ok: true, value: meta, events: [await this.ctx.event(c, accountId, mutation.now, { type: 'secret.created', secret: meta })] };
    });
  }

  async updateSecret(
    accountId: string,
    name: string,
    change: SecretChange,
    mutation: Mutation,
    eventType: 'secret.updated' | 'access.changed',
  ): Promise<WriteResult<SecretMetadata>> {
    return this.ctx.tx(async (c): Promise<WriteResult<SecretMetadata>> => {
      const row = await this.ctx.secretRow(c, accountId, name, true);
      if (!row) return { ok: false, reason: 'missing' };
      if (row.version !== change.expectedVersion) return { ok: false, reason: 'conflict', currentVersion: row.version };
      // Sealed outside this transaction: rotate-key may have dropped that data key in between.
      if (change.sealed && !(await this.ctx.dataKeyExists(c, change.sealed.keyId))) return { ok: false, reason: 'stale-key' };
      if (change.agents) {
        const unknown = await this.ctx.missingAgent(c, accountId, change.agents);
        if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      }
      // A new value moves the value version too; a metadata change leaves the ciphertext alone.
      const sealed = change.sealed ?? sealedOf(row);
      const valueVersion = change.sealed ? row.value_version + 1 : row.value_version;
      if (change.sealed) {
        // The value it replaces is kept as it is (its ciphertext still sealed for its own version),
        // and the values beyond the account's versionsKept (the new one counted) are deleted.
        await c.query(`INSERT INTO secret_versions (${VERSION_COLUMNS.join(', ')}) VALUES (${VERSION_COLUMNS.map((_c, i) => `$${i + 1}`).join(', ')})`, retiredValue(row));
        const kept = (await c.query<{ versions_kept: number }>('SELECT versions_kept FROM accounts WHERE id = $1', [accountId])).rows[0]?.versions_kept ?? DEFAULT_VERSIONS_KEPT;
        await c.query('DELETE FROM secret_versions WHERE account_id = $1 AND secret_name = $2 AND value_version <= $3', [accountId, name, valueVersion - kept]);
      }
      const updated = await c.query<SecretDbRow>(
        `UPDATE secrets SET description = $1, kind = $2, keys = $3, version = $4, value_version = $5, updated_at = $6, updated_by = $7, key_id = $8, nonce = $9, ciphertext = $10,
           value_updated_at = $11, value_updated_by = $12, restored_from = $13, expires_at = $14, rotation_days = $15, value_mac = $19, key_sensitivity = $20
         WHERE account_id = $16 AND name = $17 AND version = $18 RETURNING *`,
        [
          change.description ?? row.description,
          change.kind ?? row.kind,
          change.keys ? JSON.stringify(change.keys) : row.keys,
          row.version + 1,
          valueVersion,
          mutation.now,
          mutation.audit.actor,
          sealed.keyId,
          sealed.nonce,
          sealed.ciphertext,
          change.sealed ? mutation.now : row.value_updated_at,
          change.sealed ? mutation.audit.actor : row.value_updated_by,
          change.sealed ? (change.restoredFrom ?? null) : row.restored_from,
          change.expiresAt === undefined ? row.expires_at : change.expiresAt,
          change.rotationDays === undefined ? row.rotation_days : change.rotationDays,
          accountId,
          name,
          row.version,
          sealed.mac ?? null,
          change.keySensitivity === undefined ? row.key_sensitivity : marksColumn(change.keySensitivity),
        ],
      );
      if (change.agents) {
        await c.query('DELETE FROM grants WHERE account_id = $1 AND secret_name = $2', [accountId, name]);
        await this.ctx.insertGrants(c, accountId, name, change.agents);
      }
      await this.ctx.audit(c, mutation);
      const meta = await this.ctx.metadata(c, updated.rows[0]!);
      return { ok: true, value: meta, events: [await this.ctx.event(c, accountId, mutation.now, { type: eventType, secret: meta })] };
    });
  }

  async deleteSecret(accountId: string, name: string, expectedVersion: number | undefined, mutation: Mutation): Promise<WriteResult<null>> {
    return this.ctx.tx(async (c): Promise<WriteResult<null>> => {
      const row = await this.ctx.secretRow(c, accountId, name, true);
      if (!row) return { ok: false, reason: 'missing' };
      if (expectedVersion !== undefined && row.version !== expectedVersion) return { ok: false, reason: 'conflict', currentVersion: row.version };
      await c.query('DELETE FROM grants WHERE account_id = $1 AND secret_name = $2', [accountId, name]);
      // Every kept value goes with it.
      await c.query('DELETE FROM secret_versions WHERE account_id = $1 AND secret_name = $2', [accountId, name]);
      await c.query('DELETE FROM secrets WHERE account_id = $1 AND name = $2', [accountId, name]);
      await forgetSecretReads(c, accountId, name);
      await this.ctx.audit(c, mutation);
      return { ok: true, value: null, events: [await this.ctx.event(c, accountId, mutation.now, { type: 'secret.deleted', name })] };
    });
  }

  // ---- kept values ----

  async listSecretVersions(accountId: string, name: string): Promise<SecretVersionInfo[] | undefined> {
    // One statement, one snapshot: the current value and the older ones of one moment.
    const rows = await this.ctx.q<SecretDbRow & { older: VersionDbRow[] | null }>(
      `SELECT s.*, (SELECT json_agg(v ORDER BY v.value_version DESC) FROM (
         SELECT account_id, secret_name, value_version, kind, keys, created_at, created_by, restored_from FROM secret_versions
         WHERE account_id = s.account_id AND secret_name = s.name) v) AS older
       FROM secrets s WHERE s.account_id = $1 AND s.name = $2`,
      [accountId, name],
    );
    const row = rows[0];
    if (!row) return undefined;
    return [currentVersionInfo(row), ...(row.older ?? []).map(olderVersionInfo)];
  }

  async getSecretVersion(accountId: string, name: string, valueVersion: number): Promise<SecretVersionRow | undefined> {
    const rows = await this.ctx.q<SecretDbRow & { old_key_id: string | null; old_nonce: Buffer | null; old_ciphertext: Buffer | null; old_kind: 'single' | 'kv' | null; old_keys: string | null }>(
      `SELECT s.*, v.key_id AS old_key_id, v.nonce AS old_nonce, v.ciphertext AS old_ciphertext, v.kind AS old_kind, v.keys AS old_keys
       FROM secrets s LEFT JOIN secret_versions v ON v.account_id = s.account_id AND v.secret_name = s.name AND v.value_version = $3
       WHERE s.account_id = $1 AND s.name = $2`,
      [accountId, name, valueVersion],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.value_version === valueVersion) return currentVersionRow(row);
    if (row.old_key_id === null) return undefined;
    return { valueVersion, kind: row.old_kind!, keys: JSON.parse(row.old_keys!) as string[], sealed: { keyId: row.old_key_id, nonce: row.old_nonce!, ciphertext: row.old_ciphertext! } };
  }
}
