// SQLite only: schema 5 adds run tokens' expiry and minter to tokens, and the
// `local_runs` setting to accounts. A vault of schema 4 must migrate in place: its tokens keep
// working with no expiry and no minter, its accounts keep local runs to admins.

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../vault/src/store/sqlite/schema';
import { SqliteStore } from '../../../vault/src/store/sqlite/store';

const now = '2026-01-01T00:00:00.000Z';
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('SQLite migration to run tokens (schema 4 to 5)', () => {
  it('keeps existing tokens valid with no expiry or minter, and accounts at localRuns "admins"; new rows take both', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sv-mig5-'));
    const file = path.join(dir, 'vault.db');
    const old = new Database(file);
    for (let v = 1; v <= 4; v++) old.exec(MIGRATIONS[v]!);
    old.pragma('user_version = 4');
    old.prepare("INSERT INTO accounts (id, name, naming_style, created_at) VALUES ('acc_a', 'a', 'snake_case', ?)").run(now);
    old.prepare("INSERT INTO agents VALUES ('acc_a', 'bot', 'bot', '', ?)").run(now);
    const digest = randomBytes(32);
    old.prepare("INSERT INTO tokens (id, account_id, digest, kind, role, agent_id, name, created_at) VALUES ('tok_old', 'acc_a', ?, 'agent', NULL, 'bot', 'bot', ?)").run(digest, now);
    old.close();
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(5);

    const store = new SqliteStore(file, { synchronous: 'NORMAL' });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(await store.tokens.findTokenByDigest(digest)).toMatchObject({ id: 'tok_old', revokedAt: null, expiresAt: null, mintedBy: null, mintedByName: null });
      expect((await store.accounts.getAccount('acc_a'))?.localRuns).toBe('admins');
      // The CHECK constraint holds what the API allows and nothing else.
      expect(() => store.db.prepare("UPDATE accounts SET local_runs = 'everyone'").run()).toThrow(/CHECK/);
      const run = { id: 'tok_run', accountId: 'acc_a', digest: randomBytes(32), kind: 'agent' as const, role: null, agentId: 'bot', name: 'bot', createdAt: now, revokedAt: null, expiresAt: '2026-01-01T00:15:00.000Z', mintedBy: 'key_1', mintedByName: 'laptop' };
      await store.tokens.insertToken(run, null);
      expect(await store.tokens.findToken('acc_a', 'tok_run')).toMatchObject({ expiresAt: run.expiresAt, mintedBy: 'key_1', mintedByName: 'laptop' });
    } finally {
      await store.close();
    }
  });
});
