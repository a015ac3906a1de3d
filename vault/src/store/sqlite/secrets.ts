// Secrets, their access lists and their kept values (older versions), in SQLite. Deleting a
// value (a secret, a pruned version) empties the WAL after the commit (SqliteContext.shred).

import { DEFAULT_VERSIONS_KEPT, type SecretMetadata, type SecretVersionInfo } from '../../../../protocol/api';
import { nameFold, nameTwinOf } from '../../../../protocol/names';
import type { Mutation, NewSecret, SecretChange, SecretRow, SecretStore, SecretVersionRow, WriteResult } from '../types';
import {
  currentVersionInfo,
  currentVersionRow,
  olderVersionInfo,
  olderVersionRow,
  retiredValue,
  sealedOf,
  toMetadata,
  toSecretRow,
  marksColumn,
  SECRET_METADATA_COLUMNS,
  type SecretDbRow,
  type SecretMetadataRow,
  type VersionDbRow,
} from '../rows';
import type { SqliteContext } from './sqliteContext';
import type { SqliteLastReads } from './lastReads';

/** The store's secrets and their kept values. A created or deleted secret's name starts with no last reads (lastReads.ts, in audit.db). */
export class SqliteSecrets implements SecretStore {
  constructor(
    private readonly ctx: SqliteContext,
    private readonly lastReads: SqliteLastReads,
  ) {}

  async listSecrets(accountId: string, agent?: string): Promise<SecretMetadata[]> {
    const rows = (
      agent === undefined
        ? this.ctx.db.prepare(`SELECT ${SECRET_METADATA_COLUMNS} FROM secrets WHERE account_id = ? ORDER BY name`).all(accountId)
        : this.ctx.db
            .prepare(
              `SELECT ${SECRET_METADATA_COLUMNS} FROM secrets s JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
               WHERE s.account_id = ? AND g.agent_id = ? ORDER BY s.name`,
            )
            .all(accountId, agent)
    ) as SecretMetadataRow[];
    const grants = new Map<string, string[]>();
    for (const g of this.ctx.db
      .prepare('SELECT secret_name, agent_id FROM grants WHERE account_id = ? ORDER BY secret_name, agent_id')
      .all(accountId) as { secret_name: string; agent_id: string }[]) {
      const list = grants.get(g.secret_name);
      if (list) list.push(g.agent_id);
      else grants.set(g.secret_name, [g.agent_id]);
    }
    return rows.map((r) => toMetadata(r, grants.get(r.name) ?? []));
  }

  async getSecret(accountId: string, name: string): Promise<SecretRow | undefined> {
    const row = this.ctx.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
    return row && toSecretRow(row, this.ctx.metadata(row).agents);
  }

  async createSecret(accountId: string, secret: NewSecret, mutation: Mutation): Promise<WriteResult<SecretMetadata>> {
    const fold = nameFold(secret.name);
    const result = this.ctx.tx((): WriteResult<SecretMetadata> => {
      // The name itself, or a twin differing only in case or spacing (nameFold, a unique index).
      const existing =
        (this.ctx.db.prepare('SELECT name FROM secrets WHERE account_id = ? AND (name = ? OR name_fold = ?)').pluck().get(accountId, secret.name, fold) as string | undefined) ??
        // A twin by `_`/`-`/space (nameSeparatorFold) has no index (existing vaults may hold such
        // twins, and keep them): the names are compared here, in the one writing transaction.
        nameTwinOf(secret.name, this.ctx.db.prepare('SELECT name FROM secrets WHERE account_id = ?').pluck().all(accountId) as string[]);
      if (existing !== undefined) return { ok: false, reason: 'exists', existing };
      if (!this.ctx.stmt.dataKeyExists.get(secret.sealed.keyId)) return { ok: false, reason: 'stale-key' };
      const unknown = this.ctx.missingAgent(accountId, secret.agents);
      if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      this.ctx.db
        .prepare(
          `INSERT INTO secrets (account_id, name, name_fold, description, kind, keys, version, value_version, created_at, updated_at, updated_by, key_id, nonce, ciphertext,
             value_updated_at, value_updated_by, expires_at, rotation_days, value_mac, key_sensitivity)
           VALUES (?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          accountId,
          secret.name,
          fold,
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
          marksColumn(secret.keySensitivity),
        );
      for (const a of secret.agents) this.ctx.stmt.insertGrant.run(accountId, secret.name, a);
      this.ctx.audit(mutation);
      const meta = this.ctx.metadata(this.ctx.stmt.secret.get(accountId, secret.name) as SecretDbRow);
      return { ok: true, value: meta, events: [this.ctx.event(accountId, mutation.now, { type: 'secret.created', secret: meta })] };
    });
    if (result.ok) this.lastReads.forgetSecret(accountId, secret.name);
    return result;
  }

  async updateSecret(
    accountId: string,
    name: string,
    change: SecretChange,
    mutation: Mutation,
    eventType: 'secret.updated' | 'access.changed',
  ): Promise<WriteResult<SecretMetadata>> {
    let pruned = 0;
    const result = this.ctx.tx((): WriteResult<SecretMetadata> => {
      const row = this.ctx.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return { ok: false, reason: 'missing' };
      if (row.version !== change.expectedVersion) return { ok: false, reason: 'conflict', currentVersion: row.version };
      // Sealed outside this transaction: rotate-key may have dropped that data key in between.
      if (change.sealed && !this.ctx.stmt.dataKeyExists.get(change.sealed.keyId)) return { ok: false, reason: 'stale-key' };
      if (change.agents) {
        const unknown = this.ctx.missingAgent(accountId, change.agents);
        if (unknown !== undefined) return { ok: false, reason: 'unknown-agent', agent: unknown };
      }
      // A new value moves the value version too; a metadata change leaves the ciphertext alone.
      const sealed = change.sealed ?? sealedOf(row);
      const valueVersion = change.sealed ? row.value_version + 1 : row.value_version;
      if (change.sealed) {
        // The value it replaces is kept as it is (its ciphertext still sealed for its own version),
        // and the values beyond the account's versionsKept (the new one counted) are deleted.
        this.ctx.stmt.retireValue.run(...retiredValue(row));
        const kept = (this.ctx.stmt.versionsKept.get(accountId) as number | undefined) ?? DEFAULT_VERSIONS_KEPT;
        pruned = this.ctx.stmt.pruneVersions.run(accountId, name, valueVersion - kept).changes;
      }
      this.ctx.db
        .prepare(
          `UPDATE secrets SET description = ?, kind = ?, keys = ?, version = ?, value_version = ?, updated_at = ?, updated_by = ?, key_id = ?, nonce = ?, ciphertext = ?,
             value_updated_at = ?, value_updated_by = ?, restored_from = ?, expires_at = ?, rotation_days = ?, value_mac = ?, key_sensitivity = ?
           WHERE account_id = ? AND name = ? AND version = ?`,
        )
        .run(
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
          sealed.mac ?? null,
          change.keySensitivity === undefined ? row.key_sensitivity : marksColumn(change.keySensitivity),
          accountId,
          name,
          row.version,
        );
      if (change.agents) {
        this.ctx.stmt.deleteGrants.run(accountId, name);
        for (const a of change.agents) this.ctx.stmt.insertGrant.run(accountId, name, a);
      }
      this.ctx.audit(mutation);
      const meta = this.ctx.metadata(this.ctx.stmt.secret.get(accountId, name) as SecretDbRow);
      return { ok: true, value: meta, events: [this.ctx.event(accountId, mutation.now, { type: eventType, secret: meta })] };
    });
    // A pruned value is a deleted one: out of the WAL too.
    if (pruned > 0) this.ctx.shred();
    return result;
  }

  async deleteSecret(accountId: string, name: string, expectedVersion: number | undefined, mutation: Mutation): Promise<WriteResult<null>> {
    const result = this.ctx.tx((): WriteResult<null> => {
      const row = this.ctx.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return { ok: false, reason: 'missing' };
      if (expectedVersion !== undefined && row.version !== expectedVersion) {
        return { ok: false, reason: 'conflict', currentVersion: row.version };
      }
      this.ctx.stmt.deleteGrants.run(accountId, name);
      // Every kept value goes with it; secure_delete zeroes the freed pages.
      this.ctx.db.prepare('DELETE FROM secret_versions WHERE account_id = ? AND secret_name = ?').run(accountId, name);
      this.ctx.db.prepare('DELETE FROM secrets WHERE account_id = ? AND name = ?').run(accountId, name);
      this.ctx.audit(mutation);
      return { ok: true, value: null, events: [this.ctx.event(accountId, mutation.now, { type: 'secret.deleted', name })] };
    });
    // Committed: now out of the WAL, which held the values' earlier page images.
    if (result.ok) {
      this.ctx.shred();
      this.lastReads.forgetSecret(accountId, name);
    }
    return result;
  }

  // ---- kept values ----

  async listSecretVersions(accountId: string, name: string): Promise<SecretVersionInfo[] | undefined> {
    // One read transaction: the current value and the older ones of one moment.
    return this.ctx.db.transaction((): SecretVersionInfo[] | undefined => {
      const row = this.ctx.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return undefined;
      const older = this.ctx.db
        .prepare('SELECT * FROM secret_versions WHERE account_id = ? AND secret_name = ? ORDER BY value_version DESC')
        .all(accountId, name) as VersionDbRow[];
      return [currentVersionInfo(row), ...older.map(olderVersionInfo)];
    }).deferred();
  }

  async getSecretVersion(accountId: string, name: string, valueVersion: number): Promise<SecretVersionRow | undefined> {
    return this.ctx.db.transaction((): SecretVersionRow | undefined => {
      const row = this.ctx.stmt.secret.get(accountId, name) as SecretDbRow | undefined;
      if (!row) return undefined;
      if (row.value_version === valueVersion) return currentVersionRow(row);
      const old = this.ctx.db
        .prepare('SELECT * FROM secret_versions WHERE account_id = ? AND secret_name = ? AND value_version = ?')
        .get(accountId, name, valueVersion) as VersionDbRow | undefined;
      return old && olderVersionRow(old);
    }).deferred();
  }
}
