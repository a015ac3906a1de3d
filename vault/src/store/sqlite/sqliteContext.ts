// What the SQLite store's resource modules share: vault.db and audit.db, their prepared
// statements, one IMMEDIATE transaction, emptying the WAL after a delete, the audit record and the
// event each mutation writes in its own transaction, and the lookups several resources make.

import type Database from 'better-sqlite3';
import { INSERT_AUDIT_SQL } from '../auditWorker';
import type { SecretMetadata, VaultEvent, VaultEventEnvelope } from '../../../../protocol/api';
import type { AuditEntry, Mutation } from '../types';
import { toMetadata, TOKEN_SELECT, VERSION_COLUMNS, type SecretDbRow } from '../rows';
import { auditClock } from './accessLog';

/** Events kept for Last-Event-ID resume; older ones are pruned and a resuming client is told to reset. */
const EVENT_RETENTION = 10_000;

/** The two files and what the resource modules share of them; each module holds one. */
export class SqliteContext {
  readonly stmt: ReturnType<SqliteContext['prepare']>;

  constructor(
    readonly db: Database.Database,
    /** The access log (audit.db): read here for listings; appended to by the background worker. */
    readonly accessLog: Database.Database,
  ) {
    this.stmt = this.prepare();
  }

  /**
   * After a delete of values or keys: copies the WAL into vault.db (where secure_delete has zeroed
   * the freed space) and truncates it to nothing, so that neither file holds the deleted ciphertext.
   * A checkpoint cannot pass a read transaction another process holds open; the WAL is then cut at
   * the next delete or reset (journal_size_limit). Returns whether the WAL is now empty.
   */
  shred(): boolean {
    const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return r !== undefined && r.busy === 0 && r.log === 0;
  }

  /** Runs `fn` as one IMMEDIATE transaction on vault.db. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private prepare() {
    const db = this.db;
    return {
      insertAudit: db.prepare(INSERT_AUDIT_SQL),
      insertAccess: this.accessLog.prepare(INSERT_AUDIT_SQL),
      nextEventSeq: db.prepare('UPDATE accounts SET event_seq = event_seq + 1 WHERE id = ? RETURNING event_seq').pluck(),
      insertEvent: db.prepare('INSERT INTO events (account_id, seq, time, payload) VALUES (?, ?, ?, ?)'),
      pruneEvents: db.prepare('DELETE FROM events WHERE account_id = ? AND seq <= ?'),
      tokenByDigest: db.prepare(`${TOKEN_SELECT} WHERE t.digest = ?`),
      secret: db.prepare('SELECT * FROM secrets WHERE account_id = ? AND name = ?'),
      secretAgents: db.prepare('SELECT agent_id FROM grants WHERE account_id = ? AND secret_name = ? ORDER BY agent_id'),
      grantedAll: db.prepare(
        `SELECT s.name, s.kind, s.value_version, s.key_id, s.nonce, s.ciphertext, s.expires_at, s.value_mac FROM secrets s
         JOIN grants g ON g.account_id = s.account_id AND g.secret_name = s.name
         WHERE s.account_id = ? AND g.agent_id = ? ORDER BY s.name`,
      ),
      insertGrant: db.prepare('INSERT OR IGNORE INTO grants (account_id, secret_name, agent_id) VALUES (?, ?, ?)'),
      deleteGrants: db.prepare('DELETE FROM grants WHERE account_id = ? AND secret_name = ?'),
      deleteGrant: db.prepare('DELETE FROM grants WHERE account_id = ? AND secret_name = ? AND agent_id = ?'),
      // An access change: a new metadata version, the value untouched.
      bumpVersion: db.prepare('UPDATE secrets SET version = version + 1, updated_at = ?, updated_by = ? WHERE account_id = ? AND name = ?'),
      agent: db.prepare('SELECT id, name, description, created_at AS createdAt FROM agents WHERE account_id = ? AND id = ?'),
      activeKey: db.prepare("SELECT id FROM data_keys WHERE state = 'active'"),
      dataKeyExists: db.prepare('SELECT 1 FROM data_keys WHERE id = ?'),
      retireValue: db.prepare(`INSERT INTO secret_versions (${VERSION_COLUMNS.join(', ')}) VALUES (${VERSION_COLUMNS.map(() => '?').join(', ')})`),
      versionsKept: db.prepare('SELECT versions_kept FROM accounts WHERE id = ?').pluck(),
      pruneVersions: db.prepare('DELETE FROM secret_versions WHERE account_id = ? AND secret_name = ? AND value_version <= ?'),
      accessRequest: db.prepare('SELECT * FROM access_requests WHERE account_id = ? AND id = ?'),
      grantExists: db.prepare('SELECT 1 FROM grants WHERE account_id = ? AND secret_name = ? AND agent_id = ?'),
    };
  }

  /** Writes a change's audit record in vault.db; returns its id as listAudit names it (`v12`). */
  audit(mutation: Mutation, outcome: AuditEntry['outcome'] = 'success', detail?: string): string {
    const a = mutation.audit;
    const r = this.stmt.insertAudit.run(a.accountId, mutation.now, a.actor, a.actorId, a.actorType, a.action, a.target, outcome, detail ?? a.detail, auditClock());
    return `v${r.lastInsertRowid}`;
  }

  /** Appends an event under the account's next sequence number (its id as clients see it). */
  event(accountId: string, now: string, event: VaultEvent): VaultEventEnvelope {
    const seq = this.stmt.nextEventSeq.get(accountId) as number | undefined;
    if (seq === undefined) throw new Error(`No account ${accountId} for an event.`);
    this.stmt.insertEvent.run(accountId, seq, now, JSON.stringify(event));
    if (seq % 500 === 0) this.stmt.pruneEvents.run(accountId, seq - EVENT_RETENTION);
    return { id: seq, time: now, event };
  }

  metadata(row: SecretDbRow): SecretMetadata {
    const agents = (this.stmt.secretAgents.all(row.account_id, row.name) as { agent_id: string }[]).map((r) => r.agent_id);
    return toMetadata(row, agents);
  }

  missingAgent(accountId: string, agents: string[]): string | undefined {
    return agents.find((a) => this.stmt.agent.get(accountId, a) === undefined);
  }
}
