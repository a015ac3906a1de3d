// Store-level checks of audit retention over both files (per account, in batches, audited), and the
// in-place migration of a vault from schema 2 (per-account event ids, actor ids) that keeps every
// client's Last-Event-ID a valid position.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_LOG_MIGRATIONS, ACCESS_LOG_SCHEMA_VERSION, MIGRATIONS, SCHEMA_VERSION } from '../../vault/src/store/sqlite/schema';
import { SqliteStore } from '../../vault/src/store/sqlite/store';
import type { AuditEntry } from '../../vault/src/store/types';
import { initVault, startAuditRetention } from '../../vault/src/vault';
import { sqliteStore } from '../helpers/sqliteStore';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sv-ret-'));
  dirs.push(d);
  return d;
}

const now = '2026-01-01T00:00:00.000Z';
const read = (accountId: string, target: string): AuditEntry => ({
  accountId,
  actor: 'reader',
  actorId: 'tok_reader',
  actorType: 'agent',
  action: 'runtime.read',
  target,
  outcome: 'success',
  detail: '',
});

describe('audit retention', () => {
  it('removes old records of both files per account, in batches, and records how many and up to when', async () => {
    const dir = tempDir();
    const store = new SqliteStore(path.join(dir, 'vault.db'), { synchronous: 'NORMAL' });
    try {
      for (const id of ['acc_a', 'acc_b']) await store.accounts.createAccount({ id, name: id, namingStyle: 'snake_case', createdAt: now }, null);
      const mutation = (accountId: string, target: string) => ({
        now,
        audit: { accountId, actor: 'admin', actorId: 'key_admin', actorType: 'user' as const, action: 'agent.create' as const, target, detail: '' },
      });
      // Old: 12,000 reads and one change in A (more than one batch), two reads in B.
      await store.audit.appendAudit(Array.from({ length: 12_000 }, (_, i) => read('acc_a', `old_${i}`)), now);
      await store.audit.appendAudit([read('acc_b', 'old_b1'), read('acc_b', 'old_b2')], now);
      await store.agents.createAgent('acc_a', { id: 'old-agent', name: '', description: '', createdAt: now }, mutation('acc_a', 'old-agent'));
      await new Promise((r) => setTimeout(r, 5));
      const cutoff = new Date();
      await new Promise((r) => setTimeout(r, 5));
      await store.audit.appendAudit([read('acc_a', 'new_a'), read('acc_b', 'new_b')], now);
      await store.agents.createAgent('acc_b', { id: 'new-agent', name: '', description: '', createdAt: now }, mutation('acc_b', 'new-agent'));

      const report = await store.audit.pruneAudit(cutoff, { actor: 'local:audit-retention', actorId: 'os-user:test' }, now);
      expect(report.total).toBe(12_003);
      expect(Object.fromEntries(report.removed)).toEqual({ acc_a: 12_001, acc_b: 2 });
      const a = (await store.audit.listAudit('acc_a', undefined, 100))!;
      expect(a.map((r) => [r.actor, r.actorId, r.actorType, r.action, r.target])).toEqual([
        ['local:audit-retention', 'os-user:test', 'system', 'audit.prune', 'audit'],
        ['reader', 'tok_reader', 'agent', 'runtime.read', 'new_a'],
      ]);
      expect(a[0]!.detail).toBe(`removed 12001 records older than ${cutoff.toISOString()}`);
      const b = (await store.audit.listAudit('acc_b', undefined, 100))!;
      expect(b.map((r) => r.target)).toEqual(['audit', 'new-agent', 'new_b']);
      expect(b[0]!.detail).toBe(`removed 2 records older than ${cutoff.toISOString()}`);
      // Nothing older left: a second pass removes nothing and records nothing.
      const again = await store.audit.pruneAudit(cutoff, { actor: 'local:audit-retention', actorId: 'os-user:test' }, now);
      expect(again.total).toBe(0);
      expect((await store.audit.listAudit('acc_a', undefined, 100))!).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});

describe('retention while serving', () => {
  it('prunes again on its interval, not only at start, and stops when told', async () => {
    const dir = tempDir();
    const { vault, account } = await initVault({ dataDir: dir, namingStyle: 'snake_case', env: {} });
    try {
      const stop = await startAuditRetention(vault, 30, { intervalMs: 50 });
      const age = (target: string) =>
        sqliteStore(vault.store).db.prepare(`UPDATE audit SET at_us = at_us - ${40 * 86_400_000_000} WHERE target = ?`).run(target).changes;
      const prunes = async () => (await vault.store.audit.listAudit(account.id, undefined, 100))!.filter((r) => r.action === 'audit.prune');
      expect(await prunes()).toEqual([]); // nothing old at start: nothing removed, nothing recorded
      expect(age('initial admin')).toBe(1); // init's key record is now 40 days old
      for (let i = 0; i < 100 && (await prunes()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await prunes()).map((r) => r.detail)).toEqual([expect.stringMatching(/^removed 1 record older than /)]);
      stop();
      expect(age(account.id)).toBe(1); // init's account record; no longer pruned once stopped
      await new Promise((r) => setTimeout(r, 300));
      expect(await prunes()).toHaveLength(1);
      expect((await startAuditRetention(vault, 0))()).toBeUndefined(); // 0 keeps everything: nothing runs
      expect(await prunes()).toHaveLength(1);
    } finally {
      vault.close();
    }
  });
});

describe('migration from schema 2', () => {
  it('keeps existing event ids, continues each account after the highest, and marks old audit records without an actor id', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'vault.db');
    // A vault as the previous version left it: global event ids shared by two accounts.
    const old = new Database(file);
    old.exec(MIGRATIONS[1]!);
    old.exec(MIGRATIONS[2]!);
    old.pragma('user_version = 2');
    for (const id of ['acc_a', 'acc_b']) old.prepare("INSERT INTO accounts VALUES (?, ?, 'snake_case', ?)").run(id, id, now);
    const insertEvent = old.prepare('INSERT INTO events (account_id, time, payload) VALUES (?, ?, ?)');
    for (const acc of ['acc_a', 'acc_b', 'acc_a', 'acc_a', 'acc_b', 'acc_b', 'acc_b']) {
      insertEvent.run(acc, now, JSON.stringify({ type: 'agent.deleted', id: 'x' }));
    }
    old.prepare('DELETE FROM events WHERE id = 7').run(); // pruned: the sequence remembers 7
    old
      .prepare("INSERT INTO audit (account_id, time, actor, actor_type, action, target, outcome, detail, at_us) VALUES ('acc_a', ?, 'initial admin', 'user', 'agent.create', 'x', 'success', '', 1)")
      .run(now);
    old.close();
    const log = new Database(path.join(dir, 'audit.db'));
    log.exec(ACCESS_LOG_MIGRATIONS[1]!);
    log.pragma('user_version = 1');
    log
      .prepare("INSERT INTO audit (account_id, time, actor, actor_type, action, target, outcome, detail, at_us) VALUES ('acc_a', ?, 'bot', 'agent', 'runtime.read', 'y', 'success', '', 2)")
      .run(now);
    log.close();

    const store = new SqliteStore(file, { synchronous: 'NORMAL' });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.accessLog.pragma('user_version', { simple: true })).toBe(ACCESS_LOG_SCHEMA_VERSION);
      expect((await store.audit.eventsAfter('acc_a', 0, 10)).map((e) => e.id)).toEqual([1, 3, 4]);
      expect((await store.audit.eventsAfter('acc_b', 2, 10)).map((e) => e.id)).toEqual([5, 6]);
      // A client that last saw 4 (A's ready id then was the global 7) resumes exactly where it was.
      expect(await store.audit.lastEventId('acc_a')).toBe(7);
      expect(await store.audit.lastEventId('acc_b')).toBe(7);
      expect(await store.audit.oldestEventId('acc_a')).toBe(1);
      const mutation = { now, audit: { accountId: 'acc_a', actor: 'admin', actorId: 'key_new', actorType: 'user' as const, action: 'agent.create' as const, target: 'n', detail: '' } };
      const created = await store.agents.createAgent('acc_a', { id: 'n', name: '', description: '', createdAt: now }, mutation);
      expect(created.ok && created.events.map((e) => e.id)).toEqual([8]);
      expect((await store.audit.eventsAfter('acc_a', 7, 10)).map((e) => e.id)).toEqual([8]);
      expect(await store.audit.lastEventId('acc_b')).toBe(7); // B did not move
      const audit = (await store.audit.listAudit('acc_a', undefined, 10))!;
      expect(audit.map((r) => [r.target, r.actorId])).toEqual([
        ['n', 'key_new'],
        ['y', ''],
        ['x', ''],
      ]);
    } finally {
      store.close();
    }
  });
});
