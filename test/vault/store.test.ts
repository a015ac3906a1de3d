// The store's cache of access answers (run-time reads) is never stale: every change committed
// before a read, by this connection or by any other process, shows in that read.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../vault/src/store/sqlite/store';
import type { Mutation } from '../../vault/src/store/types';

let dir: string;
let store: SqliteStore;
let other: Database.Database;
const now = '2026-01-01T00:00:00.000Z';
const mutation = (target: string): Mutation => ({
  audit: { accountId: 'acc', actor: 'admin', actorId: 'key_admin', actorType: 'user', action: 'secret.update', target, detail: '' },
  now,
});
const sealed = (byte: number) => ({ keyId: 'dk_test', nonce: Buffer.alloc(12, byte), ciphertext: Buffer.alloc(32, byte) });

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sv-store-'));
  store = new SqliteStore(path.join(dir, 'vault.db'));
  await store.accounts.createAccount({ id: 'acc', name: 'acc', namingStyle: 'snake_case', createdAt: now }, null);
  store.db.prepare("INSERT INTO data_keys (id, master_id, nonce, wrapped, state, created_at) VALUES ('dk_test', 'mk', x'00', x'00', 'active', ?)").run(now);
  for (const id of ['reader', 'other']) await store.agents.createAgent('acc', { id, name: '', description: '', createdAt: now }, mutation(id));
  await store.secrets.createSecret('acc', { name: 'api_key', description: '', kind: 'single', keys: [], agents: ['reader'], sealed: sealed(1) }, mutation('api_key'));
  // another process, as far as SQLite can tell: its own connection to the same file
  other = new Database(path.join(dir, 'vault.db'));
});

afterEach(() => {
  other.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const read = () => store.runtime.readGranted('acc', 'api_key', 'reader');

describe('the access cache', () => {
  it('answers repeated reads from memory with the same answer', async () => {
    const first = await read();
    expect(first?.sealed.nonce).toEqual(Buffer.alloc(12, 1));
    expect(await read()).toBe(first);
    expect(await store.runtime.readGranted('acc', 'api_key', 'other')).toBeUndefined();
    expect(await store.runtime.readGranted('acc', 'missing', 'reader')).toBeUndefined();
  });

  it('sees a revocation committed by another process on the very next read', async () => {
    expect(await read()).toBeDefined();
    other.prepare("DELETE FROM grants WHERE secret_name = 'api_key' AND agent_id = 'reader'").run();
    expect(await read()).toBeUndefined();
    other.prepare("INSERT INTO grants (account_id, secret_name, agent_id) VALUES ('acc', 'api_key', 'reader')").run();
    expect(await read()).toBeDefined();
  });

  it('sees a ciphertext changed by another process (tampering, rotation) on the very next read', async () => {
    expect((await read())?.sealed.ciphertext).toEqual(Buffer.alloc(32, 1));
    other.prepare("UPDATE secrets SET ciphertext = ? WHERE name = 'api_key'").run(Buffer.alloc(32, 9));
    expect((await read())?.sealed.ciphertext).toEqual(Buffer.alloc(32, 9));
  });

  it('sees a grant, an update and a delete made through this store on the very next read', async () => {
    expect(await store.runtime.readGranted('acc', 'api_key', 'other')).toBeUndefined();
    await store.secrets.updateSecret('acc', 'api_key', { expectedVersion: 1, sealed: sealed(2), agents: ['reader', 'other'] }, mutation('api_key'), 'access.changed');
    expect((await store.runtime.readGranted('acc', 'api_key', 'other'))?.valueVersion).toBe(2);
    expect((await read())?.sealed.ciphertext).toEqual(Buffer.alloc(32, 2));
    await store.secrets.deleteSecret('acc', 'api_key', undefined, mutation('api_key'));
    expect(await read()).toBeUndefined();
  });

  it('sees a write made on the store\'s own connection outside its methods', async () => {
    expect(await read()).toBeDefined();
    store.db.prepare("DELETE FROM grants WHERE secret_name = 'api_key'").run();
    expect(await read()).toBeUndefined();
  });

  it('gives a batch reader that reflects every change committed before it was made', async () => {
    expect(await store.runtime.grantedReader().readGranted('acc', 'api_key', 'reader')).toBeDefined();
    other.prepare("DELETE FROM grants WHERE secret_name = 'api_key'").run();
    const batch = store.runtime.grantedReader();
    expect(await batch.readGranted('acc', 'api_key', 'reader')).toBeUndefined();
    other.prepare("INSERT INTO grants (account_id, secret_name, agent_id) VALUES ('acc', 'api_key', 'reader')").run();
    expect(await store.runtime.grantedReader().readGranted('acc', 'api_key', 'reader')).toBeDefined();
  });

  it('does not count the access log: appending read audits leaves the cache in place', async () => {
    const first = await read();
    await store.audit.appendAudit([{ accountId: 'acc', actor: 'reader', actorId: 'tok_reader', actorType: 'agent', action: 'runtime.read', target: 'api_key', outcome: 'success', detail: '' }], now);
    expect(await read()).toBe(first);
  });
});
