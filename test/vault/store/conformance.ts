// The store conformance suite: every promise of the VaultStore interface (vault/src/store/types.ts)
// as tests that run unchanged against any store. A store's own test file calls
// describeStoreConformance with a factory; nothing here knows which database is behind the
// interface (no SQL, no files), so what passes here is what the service may rely on.
//
// Store-specific behaviour (SQLite's file bytes, PRAGMAs, migrations) is tested in that store's
// own files.

import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditAction } from '../../../protocol/api';
import { AuditWriter } from '../../../vault/src/audit';
import type { Principal } from '../../../vault/src/auth';
import { Keyring } from '../../../vault/src/crypto/keyring';
import type { MasterKeySource } from '../../../vault/src/crypto/master';
import { EventBus } from '../../../vault/src/events';
import { VaultService } from '../../../vault/src/service';
import type { AuditEntry, Mutation, NewAccessRequest, PendingLimits, SealedValue, SecretChange, TokenRow, VaultStore } from '../../../vault/src/store/types';

export interface StoreUnderTest {
  /** A fresh, empty store. */
  store: VaultStore;
  /** Another instance on the same data: another process, in production (a CLI, another replica). */
  openAnother(): Promise<VaultStore>;
  /** Closes every instance opened and removes the data. */
  dispose(): Promise<void>;
}

export type MakeStore = () => Promise<StoreUnderTest>;

const NOW = '2026-01-01T00:00:00.000Z';
const A = 'acc_a';
const B = 'acc_b';

/** The master key in memory: rotation then re-seals data keys only (no key file to rotate). */
class MemoryMaster implements MasterKeySource {
  readonly origin = 'a test key in memory';
  readonly activeId = 'mk_test';
  readonly writable = false;
  private readonly key = randomBytes(32);
  get(id: string): Buffer | undefined {
    return id === this.activeId ? this.key : undefined;
  }
  ids(): string[] {
    return [this.activeId];
  }
  reload(): boolean {
    return false;
  }
}

function mutation(accountId: string, action: AuditAction, target: string, detail = ''): Mutation {
  return { now: NOW, audit: { accountId, actor: 'admin', actorId: 'key_admin', actorType: 'user', action, target, detail } };
}

function readEntry(accountId: string, target: string, outcome: AuditEntry['outcome'] = 'success'): AuditEntry {
  return { accountId, actor: 'reader', actorId: 'tok_reader', actorType: 'agent', action: 'runtime.read', target, outcome, detail: '' };
}

/** Opaque bytes standing for a value sealed under `keyId` (the store never opens a value). */
function fakeSealed(keyId: string, byte: number): SealedValue {
  return { keyId, nonce: Buffer.alloc(12, byte), ciphertext: Buffer.alloc(40, byte) };
}

function token(accountId: string, id: string, kind: 'user' | 'agent', role: TokenRow['role'], agentId: string | null = null): TokenRow {
  return { id, accountId, digest: randomBytes(32), kind, role, agentId, name: id, createdAt: NOW, revokedAt: null };
}

export function describeStoreConformance(name: string, make: MakeStore): void {
  describe(`store conformance: ${name}`, () => {
    let t: StoreUnderTest;
    let store: VaultStore;
    let keyring: Keyring;
    let keyId: string;
    let master: MemoryMaster;

    beforeEach(async () => {
      t = await make();
      store = t.store;
      master = new MemoryMaster();
      keyring = await Keyring.open(store, master, NOW);
      keyId = (await store.keys.activeDataKeyId())!;
      for (const id of [A, B]) await store.accounts.createAccount({ id, name: id, namingStyle: 'snake_case', createdAt: NOW }, mutation(id, 'account.create', id));
      for (const agent of ['reader', 'other']) {
        const r = await store.agents.createAgent(A, { id: agent, name: agent, description: '', createdAt: NOW }, mutation(A, 'agent.create', agent));
        expect(r.ok).toBe(true);
      }
    });

    afterEach(async () => {
      await t.dispose();
    });

    const audit = async (accountId = A) => (await store.audit.listAudit(accountId, undefined, 1000))!;
    const newSecret = (name: string, agents: string[], byte = 1) => ({
      name,
      description: `about ${name}`,
      kind: 'single' as const,
      keys: [],
      agents,
      sealed: fakeSealed(keyId, byte),
    });

    /** What a refused write must leave as it was: the secret, the audit of changes, the events. */
    const state = async () => ({
      secrets: await store.secrets.listSecrets(A),
      audit: (await audit()).map((r) => r.id),
      last: await store.audit.lastEventId(A),
      grants: await store.runtime.listGranted(A, 'reader'),
    });

    describe('accounts and tokens', () => {
      it('creates accounts with their audit record, and lists them', async () => {
        expect((await store.accounts.getAccount(A))?.namingStyle).toBe('snake_case');
        expect(await store.accounts.getAccount('acc_missing')).toBeUndefined();
        expect((await store.accounts.listAccounts()).map((a) => a.id).sort()).toEqual([A, B]);
        expect((await audit(B)).map((r) => r.action)).toEqual(['account.create']);
      });

      it('finds a token by digest, lists user keys, and revokes with an audit record', async () => {
        const admin1 = token(A, 'key_1', 'user', 'admin');
        const admin2 = token(A, 'key_2', 'user', 'admin');
        await store.tokens.insertToken(admin1, mutation(A, 'userkey.create', 'one'));
        await store.tokens.insertToken(admin2, null);
        expect((await store.tokens.findTokenByDigest(admin1.digest))?.id).toBe('key_1');
        expect(await store.tokens.findTokenByDigest(randomBytes(32))).toBeUndefined();
        expect((await store.tokens.listUserKeys(A)).map((k) => k.id)).toEqual(['key_1', 'key_2']);
        expect(await store.tokens.listUserKeys(B)).toEqual([]);

        expect(await store.tokens.revokeToken(A, 'key_1', mutation(A, 'userkey.revoke', 'key_1'))).toBe('revoked');
        expect((await store.tokens.findTokenByDigest(admin1.digest))?.revokedAt).toBe(NOW);
        expect((await audit())[0]).toMatchObject({ action: 'userkey.revoke', target: 'key_1', outcome: 'success' });
        // Revoking again, or another account's key, finds nothing active.
        expect(await store.tokens.revokeToken(A, 'key_1', mutation(A, 'userkey.revoke', 'key_1'))).toBe('missing');
        expect(await store.tokens.revokeToken(B, 'key_2', mutation(B, 'userkey.revoke', 'key_2'))).toBe('missing');
        expect((await store.tokens.findTokenByDigest(admin2.digest))?.revokedAt).toBeNull();
      });

      it("refuses to revoke the account's last active admin key, and audits the refusal", async () => {
        const admin = token(A, 'key_admin', 'user', 'admin');
        const dev = token(A, 'key_dev', 'user', 'developer');
        await store.tokens.insertToken(admin, null);
        await store.tokens.insertToken(dev, null);
        expect(await store.tokens.revokeToken(A, 'key_admin', mutation(A, 'userkey.revoke', 'key_admin'))).toBe('last-admin');
        expect((await store.tokens.findTokenByDigest(admin.digest))?.revokedAt).toBeNull();
        expect((await audit())[0]).toMatchObject({ action: 'userkey.revoke', target: 'key_admin', outcome: 'denied' });
        // A developer key is not an admin: revoking it is fine.
        expect(await store.tokens.revokeToken(A, 'key_dev', mutation(A, 'userkey.revoke', 'key_dev'))).toBe('revoked');
      });

      it('the last-admin rule holds when two instances revoke two admin keys at once', async () => {
        await store.tokens.insertToken(token(A, 'key_x', 'user', 'admin'), null);
        await store.tokens.insertToken(token(A, 'key_y', 'user', 'admin'), null);
        const another = await t.openAnother();
        const results = await Promise.all([
          store.tokens.revokeToken(A, 'key_x', mutation(A, 'userkey.revoke', 'key_x')),
          another.tokens.revokeToken(A, 'key_y', mutation(A, 'userkey.revoke', 'key_y')),
        ]);
        expect(results.sort()).toEqual(['last-admin', 'revoked']);
        expect((await store.tokens.listUserKeys(A)).filter((k) => k.revokedAt === null)).toHaveLength(1);
      });
    });

    describe('run tokens and account settings', () => {
      it('stores a run token with its expiry and minter; finds it by digest and by id; revokes it', async () => {
        const run: TokenRow = { ...token(A, 'tok_run', 'agent', null, 'reader'), expiresAt: '2026-01-01T00:15:00.000Z', mintedBy: 'key_dev', mintedByName: 'dev laptop' };
        await store.tokens.insertToken(run, mutation(A, 'agent.runtoken.create', 'reader', 'id: tok_run'));
        const another = await t.openAnother();
        for (const s of [store, another]) {
          expect(await s.tokens.findTokenByDigest(run.digest)).toMatchObject({ id: 'tok_run', agentId: 'reader', expiresAt: '2026-01-01T00:15:00.000Z', mintedBy: 'key_dev', mintedByName: 'dev laptop' });
          expect(await s.tokens.findToken(A, 'tok_run')).toMatchObject({ kind: 'agent', expiresAt: '2026-01-01T00:15:00.000Z', mintedBy: 'key_dev' });
        }
        // Another account's id finds nothing; an ordinary agent token has no expiry and no minter.
        expect(await store.tokens.findToken(B, 'tok_run')).toBeUndefined();
        await store.tokens.insertToken(token(A, 'tok_plain', 'agent', null, 'reader'), null);
        expect(await store.tokens.findToken(A, 'tok_plain')).toMatchObject({ expiresAt: null, mintedBy: null, mintedByName: null });
        expect((await audit())[0]).toMatchObject({ action: 'agent.runtoken.create', target: 'reader', detail: 'id: tok_run' });
        expect(await store.tokens.revokeToken(A, 'tok_run', mutation(A, 'agent.runtoken.revoke', 'reader'))).toBe('revoked');
        expect((await another.tokens.findToken(A, 'tok_run'))?.revokedAt).toBe(NOW);
      });

      it("an account's localRuns is 'admins' until changed; a change is audited and seen by another instance", async () => {
        expect((await store.accounts.getAccount(A))?.localRuns).toBe('admins');
        const changed = await store.accounts.updateAccountSettings(A, { localRuns: 'developers' }, mutation(A, 'account.update', A, 'localRuns: developers'));
        expect(changed).toMatchObject({ id: A, localRuns: 'developers' });
        const another = await t.openAnother();
        expect((await another.accounts.getAccount(A))?.localRuns).toBe('developers');
        expect((await another.accounts.listAccounts()).find((a) => a.id === B)?.localRuns).toBe('admins');
        expect((await audit())[0]).toMatchObject({ action: 'account.update', target: A, detail: 'localRuns: developers' });
        expect(await store.accounts.updateAccountSettings('acc_missing', { localRuns: 'developers' }, mutation('acc_missing', 'account.update', 'x'))).toBeUndefined();
      });
    });

    describe('run tokens and their minters', () => {
      const run = (id: string, mintedBy: string, agentId = 'reader', expiresAt = '2026-01-01T00:15:00.000Z'): TokenRow => ({
        ...token(A, id, 'agent', null, agentId),
        expiresAt,
        mintedBy,
        mintedByName: mintedBy,
      });

      it("a token read by digest carries its minter as it is now and the account's localRuns", async () => {
        await store.tokens.insertToken(token(A, 'key_dev', 'user', 'developer'), null);
        const minted = run('tok_run', 'key_dev');
        const orphan = run('tok_orphan', 'key_gone');
        await store.tokens.insertToken(minted, null);
        await store.tokens.insertToken(orphan, null);
        expect(await store.tokens.findTokenByDigest(minted.digest)).toMatchObject({ minter: { revokedAt: null, role: 'developer' }, localRuns: 'admins' });
        expect((await store.tokens.findTokenByDigest(orphan.digest))?.minter).toBeNull();
        await store.accounts.updateAccountSettings(A, { localRuns: 'developers' }, mutation(A, 'account.update', A));
        const another = await t.openAnother();
        expect(await another.tokens.findTokenByDigest(minted.digest)).toMatchObject({ minter: { revokedAt: null, role: 'developer' }, localRuns: 'developers' });
      });

      it("revoking a user key revokes its run tokens in the same transaction, each audited; others' stay", async () => {
        await store.tokens.insertToken(token(A, 'key_admin', 'user', 'admin'), null);
        await store.tokens.insertToken(token(A, 'key_dev', 'user', 'developer'), null);
        await store.tokens.insertToken(token(A, 'key_dev2', 'user', 'developer'), null);
        for (const t of [run('tok_1', 'key_dev'), run('tok_2', 'key_dev', 'other'), run('tok_3', 'key_dev2'), token(A, 'tok_plain', 'agent', null, 'reader')]) {
          await store.tokens.insertToken(t, null);
        }
        expect(await store.tokens.revokeToken(A, 'key_dev', mutation(A, 'userkey.revoke', 'key_dev'))).toBe('revoked');
        const another = await t.openAnother();
        for (const id of ['tok_1', 'tok_2']) expect((await another.tokens.findToken(A, id))?.revokedAt).toBe(NOW);
        for (const id of ['tok_3', 'tok_plain', 'key_dev2']) expect((await another.tokens.findToken(A, id))?.revokedAt).toBeNull();
        const records = await audit();
        expect(records.filter((r) => r.action === 'agent.runtoken.revoke').map((r) => [r.target, r.detail, r.actorId]).sort()).toEqual([
          ['other', 'id: tok_2; its minter key_dev revoked', 'key_admin'],
          ['reader', 'id: tok_1; its minter key_dev revoked', 'key_admin'],
        ]);
        // The last-admin refusal revokes nothing.
        await store.tokens.insertToken(run('tok_4', 'key_admin'), null);
        expect(await store.tokens.revokeToken(A, 'key_admin', mutation(A, 'userkey.revoke', 'key_admin'))).toBe('last-admin');
        expect((await store.tokens.findToken(A, 'tok_4'))?.revokedAt).toBeNull();
      });

      it("localRuns back to 'admins' revokes developers' run tokens (not admins'), each audited", async () => {
        await store.tokens.insertToken(token(A, 'key_admin', 'user', 'admin'), null);
        await store.tokens.insertToken(token(A, 'key_dev', 'user', 'developer'), null);
        await store.accounts.updateAccountSettings(A, { localRuns: 'developers' }, mutation(A, 'account.update', A));
        await store.tokens.insertToken(run('tok_dev', 'key_dev'), null);
        await store.tokens.insertToken(run('tok_admin', 'key_admin'), null);
        await store.accounts.updateAccountSettings(A, { localRuns: 'admins' }, mutation(A, 'account.update', A, 'localRuns: admins'));
        expect((await store.tokens.findToken(A, 'tok_dev'))?.revokedAt).toBe(NOW);
        expect((await store.tokens.findToken(A, 'tok_admin'))?.revokedAt).toBeNull();
        expect((await audit()).find((r) => r.action === 'agent.runtoken.revoke')).toMatchObject({ target: 'reader', detail: 'id: tok_dev; local runs returned to admins' });
      });

      it("lists an agent's tokens not revoked, oldest first, with minters; prunes rows revoked or expired before a cutoff", async () => {
        await store.tokens.insertToken(token(A, 'key_admin', 'user', 'admin'), null);
        await store.tokens.insertToken({ ...token(A, 'tok_plain', 'agent', null, 'reader'), createdAt: '2025-12-01T00:00:00.000Z' }, null);
        await store.tokens.insertToken(run('tok_run', 'key_admin'), null);
        await store.tokens.insertToken(run('tok_old', 'key_admin', 'reader', '2025-06-01T00:00:00.000Z'), null);
        await store.tokens.insertToken(run('tok_other', 'key_admin', 'other'), null);
        await store.tokens.insertToken(run('tok_revoked', 'key_admin'), null);
        await store.tokens.revokeToken(A, 'tok_revoked', mutation(A, 'agent.runtoken.revoke', 'reader'));
        expect((await store.tokens.listAgentTokens(A, 'reader')).map((t) => t.id)).toEqual(['tok_plain', 'tok_old', 'tok_run']);
        expect((await store.tokens.listAgentTokens(A, 'reader'))[2]).toMatchObject({ mintedBy: 'key_admin', minter: { revokedAt: null, role: 'admin' }, localRuns: 'admins' });
        expect(await store.tokens.listAgentTokens(B, 'reader')).toEqual([]);
        // Cutoff between the old expiry and NOW: only tok_old goes; past NOW the revoked one and the expired ones too.
        expect(await store.tokens.pruneTokens(new Date('2025-09-01T00:00:00.000Z'))).toBe(1);
        expect(await store.tokens.findToken(A, 'tok_old')).toBeUndefined();
        expect(await store.tokens.findToken(A, 'tok_revoked')).toBeDefined();
        expect(await store.tokens.pruneTokens(new Date('2026-02-01T00:00:00.000Z'))).toBe(3);
        expect((await store.tokens.listAgentTokens(A, 'reader')).map((t) => t.id)).toEqual(['tok_plain']);
        expect(await store.tokens.findToken(A, 'key_admin')).toBeDefined();
      });
    });

    describe('agents', () => {
      it('creates an agent with its event and audit record; a duplicate changes nothing', async () => {
        expect((await store.agents.listAgents(A)).map((a) => a.id)).toEqual(['other', 'reader']);
        expect(await store.agents.listAgents(B)).toEqual([]);
        expect((await store.agents.getAgent(A, 'reader'))?.name).toBe('reader');
        const before = await state();
        const again = await store.agents.createAgent(A, { id: 'reader', name: 'x', description: '', createdAt: NOW }, mutation(A, 'agent.create', 'reader'));
        expect(again).toEqual({ ok: false, reason: 'exists', existing: 'reader' });
        expect(await state()).toEqual(before);
        const events = await store.audit.eventsAfter(A, 0, 100);
        expect(events.map((e) => e.event.type)).toEqual(['agent.created', 'agent.created']);
      });

      it('an id differing only in case is the same agent: refused naming the one held, nothing written; case is kept', async () => {
        expect((await store.agents.createAgent(A, { id: 'PROJECT-WEVYLLDV', name: 'Field Service', description: '', createdAt: NOW }, mutation(A, 'agent.create', 'PROJECT-WEVYLLDV'))).ok).toBe(true);
        const before = await state();
        for (const twin of ['project-wevylldv', 'Project-Wevylldv', 'READER']) {
          const r = await store.agents.createAgent(A, { id: twin, name: twin, description: '', createdAt: NOW }, mutation(A, 'agent.create', twin));
          expect(r).toEqual({ ok: false, reason: 'exists', existing: twin === 'READER' ? 'reader' : 'PROJECT-WEVYLLDV' });
        }
        expect(await state()).toEqual(before);
        expect((await store.agents.listAgents(A)).map((a) => a.id)).toEqual(['PROJECT-WEVYLLDV', 'other', 'reader']);
        // Another account holds its own ids.
        expect((await store.agents.createAgent(B, { id: 'project-wevylldv', name: 'b', description: '', createdAt: NOW }, mutation(B, 'agent.create', 'project-wevylldv'))).ok).toBe(true);
        expect((await store.agents.getAgent(A, 'PROJECT-WEVYLLDV'))?.id).toBe('PROJECT-WEVYLLDV');
        expect(await store.agents.getAgent(A, 'project-wevylldv')).toBeUndefined();
      });

      it('updates an agent\'s display name and description with its event and audit record; a missing agent changes nothing', async () => {
        const last = await store.audit.lastEventId(A);
        const r = await store.agents.updateAgent(A, 'reader', { name: 'Field Service Template' }, mutation(A, 'agent.update', 'reader', 'changed: name'));
        expect(r).toMatchObject({ ok: true, value: { id: 'reader', name: 'Field Service Template', description: '' } });
        if (!r.ok) return;
        expect(r.events).toEqual([{ id: last + 1, time: NOW, event: { type: 'agent.updated', agent: r.value } }]);
        expect(await store.agents.getAgent(A, 'reader')).toEqual(r.value);
        expect((await audit())[0]).toMatchObject({ action: 'agent.update', target: 'reader', detail: 'changed: name' });
        const d = await store.agents.updateAgent(A, 'reader', { description: 'books trips' }, mutation(A, 'agent.update', 'reader'));
        expect(d).toMatchObject({ ok: true, value: { name: 'Field Service Template', description: 'books trips' } });
        const before = await state();
        expect(await store.agents.updateAgent(A, 'ghost', { name: 'x' }, mutation(A, 'agent.update', 'ghost'))).toEqual({ ok: false, reason: 'missing' });
        expect(await state()).toEqual(before);
      });

      it('deleting an agent removes it from every access list (new versions), revokes its tokens, all in one change', async () => {
        await store.secrets.createSecret(A, newSecret('one', ['reader', 'other']), mutation(A, 'secret.create', 'one'));
        await store.secrets.createSecret(A, newSecret('two', ['other']), mutation(A, 'secret.create', 'two'));
        const tok = token(A, 'tok_r', 'agent', null, 'reader');
        await store.tokens.insertToken(tok, null);
        const last = await store.audit.lastEventId(A);
        const r = await store.agents.deleteAgent(A, 'reader', mutation(A, 'agent.delete', 'reader'));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.events.map((e) => [e.id, e.event.type])).toEqual([
          [last + 1, 'access.changed'],
          [last + 2, 'agent.deleted'],
        ]);
        expect(await store.audit.eventsAfter(A, last, 10)).toEqual(r.events);
        // A new version (the ETag), the same value: the ciphertext is not touched.
        expect((await store.secrets.getSecret(A, 'one'))).toMatchObject({ agents: ['other'], version: 2, valueVersion: 1, sealed: fakeSealed(keyId, 1) });
        expect((await store.secrets.getSecret(A, 'two'))).toMatchObject({ agents: ['other'], version: 1 });
        expect(await store.agents.getAgent(A, 'reader')).toBeUndefined();
        expect((await store.tokens.findTokenByDigest(tok.digest))?.revokedAt).toBe(NOW);
        expect(await store.runtime.readGranted(A, 'one', 'reader')).toBeUndefined();
        expect((await audit())[0]).toMatchObject({ action: 'agent.delete', target: 'reader' });
        const missing = await store.agents.deleteAgent(A, 'reader', mutation(A, 'agent.delete', 'reader'));
        expect(missing).toEqual({ ok: false, reason: 'missing' });
      });
    });

    describe('secrets: each change is one transaction with its audit record and its event', () => {
      it('creates a secret: metadata, grants, event and audit record together', async () => {
        const r = await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value).toMatchObject({ name: 'api_key', description: 'about api_key', kind: 'single', agents: ['reader'], version: 1, createdAt: NOW, updatedBy: 'admin' });
        expect(r.events).toEqual([{ id: await store.audit.lastEventId(A), time: NOW, event: { type: 'secret.created', secret: r.value } }]);
        expect((await audit())[0]).toMatchObject({ action: 'secret.create', target: 'api_key', outcome: 'success', actorId: 'key_admin' });
        const row = await store.secrets.getSecret(A, 'api_key');
        expect(row?.sealed).toEqual(fakeSealed(keyId, 1));
        expect(await store.secrets.getSecret(B, 'api_key')).toBeUndefined();
      });

      it('a refused create (exists, unknown agent, a data key that is gone) writes nothing: no row, no audit, no event', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        const before = await state();
        expect(await store.secrets.createSecret(A, newSecret('api_key', [], 2), mutation(A, 'secret.create', 'api_key'))).toEqual({ ok: false, reason: 'exists', existing: 'api_key' });
        // A name differing only in case, spacing or compatibility form is the same name, refused naming the one held.
        for (const twin of ['API_KEY', 'Api_Key', 'ａｐｉ＿ｋｅｙ']) {
          expect(await store.secrets.createSecret(A, newSecret(twin, [], 2), mutation(A, 'secret.create', twin))).toEqual({ ok: false, reason: 'exists', existing: 'api_key' });
        }
        expect(await store.secrets.createSecret(A, newSecret('fresh', ['reader', 'ghost']), mutation(A, 'secret.create', 'fresh'))).toMatchObject({
          ok: false,
          reason: 'unknown-agent',
          agent: 'ghost',
        });
        expect(await store.secrets.createSecret(A, { ...newSecret('fresh', []), sealed: fakeSealed('dk_gone', 3) }, mutation(A, 'secret.create', 'fresh'))).toEqual({
          ok: false,
          reason: 'stale-key',
        });
        expect(await state()).toEqual(before);
        expect((await store.secrets.getSecret(A, 'api_key'))?.sealed).toEqual(fakeSealed(keyId, 1));
      });

      it('a twin (case, spacing, _ or -) is the same name, in its account only; deleting a secret frees its fold', async () => {
        expect((await store.secrets.createSecret(A, newSecret('Prod API Credentials', []), mutation(A, 'secret.create', 'Prod API Credentials'))).ok).toBe(true);
        const before = await state();
        for (const twin of ['prod  api credentials', 'ProdAPICredentials', 'PROD API\u00a0CREDENTIALS']) {
          expect(await store.secrets.createSecret(A, newSecret(twin, []), mutation(A, 'secret.create', twin))).toEqual({ ok: false, reason: 'exists', existing: 'Prod API Credentials' });
        }
        expect(await state()).toEqual(before);
        // `_` and `-` are separators as a space is: one name to a person (protocol/names.ts isNameTwin).
        for (const twin of ['prod_api_credentials', 'prod-api-credentials', 'PROD_API-CREDENTIALS']) {
          expect(await store.secrets.createSecret(A, newSecret(twin, []), mutation(A, 'secret.create', twin))).toEqual({ ok: false, reason: 'exists', existing: 'Prod API Credentials' });
        }
        expect(await state()).toEqual(before);
        // Not a twin: a '.' is no separator, and a separator is folded, never removed.
        expect((await store.secrets.createSecret(A, newSecret('prod.api.credentials', []), mutation(A, 'secret.create', 'prod.api.credentials'))).ok).toBe(true);
        expect((await store.secrets.createSecret(B, newSecret('PROD API CREDENTIALS', []), mutation(B, 'secret.create', 'PROD API CREDENTIALS'))).ok).toBe(true);
        expect((await store.secrets.deleteSecret(A, 'Prod API Credentials', undefined, mutation(A, 'secret.delete', 'Prod API Credentials'))).ok).toBe(true);
        expect((await store.secrets.createSecret(A, newSecret('PROD API CREDENTIALS', []), mutation(A, 'secret.create', 'PROD API CREDENTIALS'))).ok).toBe(true);
        expect((await store.secrets.listSecrets(A)).map((m) => m.name)).toEqual(['PROD API CREDENTIALS', 'prod.api.credentials']);
      });

      it('updates only at the expected version (If-Match); a conflict says the current version and writes nothing', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        const before = await state();
        const stale = await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 7, description: 'x', sealed: fakeSealed(keyId, 2) }, mutation(A, 'secret.update', 'api_key'), 'secret.updated');
        expect(stale).toEqual({ ok: false, reason: 'conflict', currentVersion: 1 });
        const missing = await store.secrets.updateSecret(A, 'nope', { expectedVersion: 1, sealed: fakeSealed(keyId, 2) }, mutation(A, 'secret.update', 'nope'), 'secret.updated');
        expect(missing).toEqual({ ok: false, reason: 'missing' });
        const unknown = await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: ['ghost'], sealed: fakeSealed(keyId, 2) }, mutation(A, 'access.replace', 'api_key'), 'access.changed');
        expect(unknown).toMatchObject({ ok: false, reason: 'unknown-agent', agent: 'ghost' });
        const gone = await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, sealed: fakeSealed('dk_gone', 2) }, mutation(A, 'secret.update', 'api_key'), 'secret.updated');
        expect(gone).toEqual({ ok: false, reason: 'stale-key' });
        expect(await state()).toEqual(before);
        expect((await store.secrets.getSecret(A, 'api_key'))?.sealed).toEqual(fakeSealed(keyId, 1));

        const r = await store.secrets.updateSecret(
          A,
          'api_key',
          { expectedVersion: 1, description: 'new words', kind: 'kv', keys: ['id', 'secret'], sealed: fakeSealed(keyId, 2) },
          { ...mutation(A, 'secret.update', 'api_key', 'changed: description, value'), now: '2026-01-02T00:00:00.000Z' },
          'secret.updated',
        );
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value).toMatchObject({ description: 'new words', kind: 'kv', keys: ['id', 'secret'], version: 2, agents: ['reader'], createdAt: NOW, updatedAt: '2026-01-02T00:00:00.000Z' });
        expect(r.events.map((e) => e.event)).toEqual([{ type: 'secret.updated', secret: r.value }]);
        expect((await audit())[0]).toMatchObject({ action: 'secret.update', detail: 'changed: description, value' });
        expect(await store.secrets.getSecret(A, 'api_key')).toMatchObject({ sealed: fakeSealed(keyId, 2), valueVersion: 2 });
        // A description alone: a new version, the value and its ciphertext untouched.
        const described = await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 2, description: 'only words' }, mutation(A, 'secret.update', 'api_key'), 'secret.updated');
        expect(described.ok && described.value).toMatchObject({ version: 3, description: 'only words', kind: 'kv', keys: ['id', 'secret'] });
        expect(await store.secrets.getSecret(A, 'api_key')).toMatchObject({ sealed: fakeSealed(keyId, 2), valueVersion: 2 });
        // The version the caller read is no longer current.
        expect(await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, sealed: fakeSealed(keyId, 3) }, mutation(A, 'secret.update', 'api_key'), 'secret.updated')).toMatchObject({
          reason: 'conflict',
          currentVersion: 3,
        });
      });

      it('replaces the access list with an access.changed event', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        const r = await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: ['other'] }, mutation(A, 'access.replace', 'api_key'), 'access.changed');
        expect(r.ok && r.events.map((e) => e.event.type)).toEqual(['access.changed']);
        // A metadata write: a new ETag, the value (version and ciphertext) as it was.
        expect(await store.secrets.getSecret(A, 'api_key')).toMatchObject({ agents: ['other'], version: 2, valueVersion: 1, sealed: fakeSealed(keyId, 1) });
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toBeUndefined();
        expect(await store.runtime.readGranted(A, 'api_key', 'other')).toMatchObject({ valueVersion: 1, sealed: fakeSealed(keyId, 1) });
      });

      it('deletes at the expected version only; the grants go with it', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        const before = await state();
        expect(await store.secrets.deleteSecret(A, 'api_key', 5, mutation(A, 'secret.delete', 'api_key'))).toEqual({ ok: false, reason: 'conflict', currentVersion: 1 });
        expect(await store.secrets.deleteSecret(A, 'nope', undefined, mutation(A, 'secret.delete', 'nope'))).toEqual({ ok: false, reason: 'missing' });
        expect(await state()).toEqual(before);
        const r = await store.secrets.deleteSecret(A, 'api_key', 1, mutation(A, 'secret.delete', 'api_key'));
        expect(r.ok && r.events.map((e) => e.event)).toEqual([{ type: 'secret.deleted', name: 'api_key' }]);
        expect(await store.secrets.getSecret(A, 'api_key')).toBeUndefined();
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toBeUndefined();
        expect((await audit())[0]).toMatchObject({ action: 'secret.delete', target: 'api_key' });
        // Created again under the same name, it starts again at version 1 with no grants.
        await store.secrets.createSecret(A, newSecret('api_key', []), mutation(A, 'secret.create', 'api_key'));
        expect(await store.secrets.getSecret(A, 'api_key')).toMatchObject({ version: 1, agents: [] });
      });

      it('lists metadata (never the sealed value), filtered by agent, and the values granted to an agent', async () => {
        await store.secrets.createSecret(A, newSecret('b_one', ['reader', 'other']), mutation(A, 'secret.create', 'b_one'));
        await store.secrets.createSecret(A, newSecret('a_two', ['other']), mutation(A, 'secret.create', 'a_two'));
        await store.secrets.createSecret(B, newSecret('c_three', []), mutation(B, 'secret.create', 'c_three'));
        const all = await store.secrets.listSecrets(A);
        expect(all.map((s) => [s.name, s.agents])).toEqual([
          ['a_two', ['other']],
          ['b_one', ['other', 'reader']],
        ]);
        for (const s of all) expect(Object.keys(s)).not.toContain('sealed');
        expect((await store.secrets.listSecrets(A, 'reader')).map((s) => s.name)).toEqual(['b_one']);
        expect((await store.runtime.listGranted(A, 'other')).map((g) => [g.name, g.valueVersion, g.sealed.keyId])).toEqual([
          ['a_two', 1, keyId],
          ['b_one', 1, keyId],
        ]);
        expect(await store.runtime.listGranted(B, 'other')).toEqual([]);
      });
    });

    describe('marks on keys (keySensitivity): metadata, stored with the secret', () => {
      it('are read back by every read, event and instance; absent leaves them, an object replaces them, {} clears them', async () => {
        const kv = { ...newSecret('oms_prod_api', ['reader']), kind: 'kv' as const, keys: ['API_KEY', 'BASE_URL'] };
        const created = await store.secrets.createSecret(A, { ...kv, keySensitivity: { BASE_URL: 'not-sensitive' } }, mutation(A, 'secret.create', kv.name));
        expect(created.ok && created.value.keySensitivity).toEqual({ BASE_URL: 'not-sensitive' });
        expect(created.ok && created.events[0]!.event).toMatchObject({ type: 'secret.created', secret: { keySensitivity: { BASE_URL: 'not-sensitive' } } });
        expect((await store.secrets.getSecret(A, kv.name))!.keySensitivity).toEqual({ BASE_URL: 'not-sensitive' });
        expect((await store.secrets.listSecrets(A)).find((s) => s.name === kv.name)!.keySensitivity).toEqual({ BASE_URL: 'not-sensitive' });
        expect((await store.secrets.listSecrets(A, 'reader')).find((s) => s.name === kv.name)!.keySensitivity).toEqual({ BASE_URL: 'not-sensitive' });
        const other = await t.openAnother();
        expect((await other.secrets.getSecret(A, kv.name))!.keySensitivity).toEqual({ BASE_URL: 'not-sensitive' });
        // A description change leaves the marks; a marks-only change is a metadata write that moves the version.
        const described = await store.secrets.updateSecret(A, kv.name, { expectedVersion: 1, description: 'words' }, mutation(A, 'secret.update', kv.name), 'secret.updated');
        expect(described.ok && described.value).toMatchObject({ version: 2, keySensitivity: { BASE_URL: 'not-sensitive' } });
        const marked = await store.secrets.updateSecret(A, kv.name, { expectedVersion: 2, keySensitivity: { API_KEY: 'sensitive', BASE_URL: 'sensitive' } }, mutation(A, 'secret.update', kv.name), 'secret.updated');
        expect(marked.ok && marked.value).toMatchObject({ version: 3, valueVersion: 1, keySensitivity: { API_KEY: 'sensitive', BASE_URL: 'sensitive' } });
        expect(marked.ok && marked.events[0]!.event).toMatchObject({ type: 'secret.updated', secret: { version: 3, keySensitivity: { BASE_URL: 'sensitive' } } });
        expect((await store.secrets.getSecret(A, kv.name))!.sealed).toEqual(fakeSealed(keyId, 1));
        // A stale version is refused and changes nothing.
        const before = await state();
        expect(await store.secrets.updateSecret(A, kv.name, { expectedVersion: 2, keySensitivity: {} }, mutation(A, 'secret.update', kv.name), 'secret.updated')).toEqual({
          ok: false,
          reason: 'conflict',
          currentVersion: 3,
        });
        expect(await state()).toEqual(before);
        // {} clears them: metadata without marks carries none.
        const cleared = await store.secrets.updateSecret(A, kv.name, { expectedVersion: 3, keySensitivity: {} }, mutation(A, 'secret.update', kv.name), 'secret.updated');
        expect(cleared.ok && cleared.value.version).toBe(4);
        expect((cleared.ok && cleared.value.keySensitivity) ?? {}).toEqual({});
        expect((await other.secrets.getSecret(A, kv.name))!.keySensitivity ?? {}).toEqual({});
        // Marks are per account.
        expect(await store.secrets.getSecret(B, kv.name)).toBeUndefined();
      });
    });

    describe("a secret's life: kept values, lifecycle fields, versionsKept", () => {
      const update = (name: string, expectedVersion: number, byte: number, extra: Partial<SecretChange> = {}, now = NOW) =>
        store.secrets.updateSecret(A, name, { expectedVersion, sealed: fakeSealed(keyId, byte), ...extra }, { ...mutation(A, 'secret.update', name), now }, 'secret.updated');

      it('a new value keeps the one it replaces (same ciphertext and value version); metadata changes keep none', async () => {
        await store.secrets.createSecret(A, { ...newSecret('api_key', ['reader']), expiresAt: '2030-01-01T00:00:00.000Z', rotationDays: 30 }, mutation(A, 'secret.create', 'api_key'));
        expect(await store.secrets.getSecret(A, 'api_key')).toMatchObject({ valueVersion: 1, valueUpdatedAt: NOW, valueUpdatedBy: 'admin', expiresAt: '2030-01-01T00:00:00.000Z', rotationDays: 30 });
        expect(await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, description: 'words' }, mutation(A, 'secret.update', 'api_key'), 'secret.updated')).toMatchObject({ ok: true });
        const r = await update('api_key', 2, 2, { kind: 'kv', keys: ['id'] }, '2026-01-02T00:00:00.000Z');
        expect(r.ok && r.value).toMatchObject({ version: 3, valueVersion: 2, valueUpdatedAt: '2026-01-02T00:00:00.000Z', valueUpdatedBy: 'admin', kind: 'kv', expiresAt: '2030-01-01T00:00:00.000Z', rotationDays: 30 });
        expect(await store.secrets.listSecretVersions(A, 'api_key')).toEqual([
          { version: 2, createdAt: '2026-01-02T00:00:00.000Z', createdBy: 'admin', kind: 'kv', keys: ['id'], current: true },
          { version: 1, createdAt: NOW, createdBy: 'admin', kind: 'single', keys: [], current: false },
        ]);
        expect(await store.secrets.getSecretVersion(A, 'api_key', 1)).toEqual({ valueVersion: 1, kind: 'single', keys: [], sealed: fakeSealed(keyId, 1) });
        expect(await store.secrets.getSecretVersion(A, 'api_key', 2)).toEqual({ valueVersion: 2, kind: 'kv', keys: ['id'], sealed: fakeSealed(keyId, 2) });
        expect(await store.secrets.getSecretVersion(A, 'api_key', 3)).toBeUndefined();
        expect(await store.secrets.getSecretVersion(B, 'api_key', 1)).toBeUndefined();
        expect(await store.secrets.listSecretVersions(B, 'api_key')).toBeUndefined();
        // Lifecycle fields: absent leaves them, null clears them; a metadata write.
        const cleared = await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 3, expiresAt: null }, mutation(A, 'secret.update', 'api_key'), 'secret.updated');
        expect(cleared.ok && cleared.value).toMatchObject({ version: 4, valueVersion: 2, expiresAt: null, rotationDays: 30 });
        expect((await store.secrets.listSecretVersions(A, 'api_key'))!.length).toBe(2);
        // A restored value says where it came from, in metadata and in the listing.
        const restored = await update('api_key', 4, 1, { kind: 'single', keys: [], restoredFrom: 1 });
        expect(restored.ok && restored.value).toMatchObject({ valueVersion: 3, kind: 'single' });
        expect((await store.secrets.listSecretVersions(A, 'api_key'))!.map((x) => [x.version, x.current, x.restoredFrom])).toEqual([
          [3, true, 1],
          [2, false, undefined],
          [1, false, undefined],
        ]);
        // Another instance sees the same.
        expect(await (await t.openAnother()).secrets.listSecretVersions(A, 'api_key')).toEqual(await store.secrets.listSecretVersions(A, 'api_key'));
      });

      it('keeps the last versionsKept values (the current one counted); lowering the setting prunes every secret at once', async () => {
        expect((await store.accounts.getAccount(A))?.versionsKept).toBe(10);
        await store.secrets.createSecret(A, newSecret('many', []), mutation(A, 'secret.create', 'many'));
        await store.secrets.createSecret(A, newSecret('few', []), mutation(A, 'secret.create', 'few'));
        await store.secrets.createSecret(B, newSecret('many', []), mutation(B, 'secret.create', 'many'));
        for (let v = 1; v <= 11; v++) await update('many', v, v + 1);
        await update('few', 1, 50);
        for (let v = 1; v <= 3; v++) expect(await store.secrets.updateSecret(B, 'many', { expectedVersion: v, sealed: fakeSealed(keyId, v + 1) }, mutation(B, 'secret.update', 'many'), 'secret.updated')).toMatchObject({ ok: true });
        const versions = async (account: string, name: string) => (await store.secrets.listSecretVersions(account, name))!.map((x) => x.version);
        expect(await versions(A, 'many')).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
        expect(await store.secrets.getSecretVersion(A, 'many', 2)).toBeUndefined();
        const changed = await store.accounts.updateAccountSettings(A, { versionsKept: 3 }, mutation(A, 'account.update', A, 'versionsKept: 3'));
        expect(changed).toMatchObject({ versionsKept: 3, localRuns: 'admins' });
        expect(await versions(A, 'many')).toEqual([12, 11, 10]);
        expect(await versions(A, 'few')).toEqual([2, 1]);
        // Another account is untouched; a later value keeps three.
        expect(await versions(B, 'many')).toEqual([4, 3, 2, 1]);
        await update('many', 12, 90);
        expect(await versions(A, 'many')).toEqual([13, 12, 11]);
        await store.accounts.updateAccountSettings(A, { versionsKept: 1 }, mutation(A, 'account.update', A));
        expect(await versions(A, 'many')).toEqual([13]);
        expect((await audit())[0]).toMatchObject({ action: 'account.update' });
        // localRuns alone leaves versionsKept as it is, and the reverse.
        expect(await store.accounts.updateAccountSettings(A, { localRuns: 'developers' }, mutation(A, 'account.update', A))).toMatchObject({ versionsKept: 1, localRuns: 'developers' });
      });

      it('deleting a secret deletes every kept value; the name starts again at 1', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        await update('api_key', 1, 2);
        await update('api_key', 2, 3);
        await store.secrets.deleteSecret(A, 'api_key', undefined, mutation(A, 'secret.delete', 'api_key'));
        expect(await store.secrets.listSecretVersions(A, 'api_key')).toBeUndefined();
        expect(await store.keys.secretVersionsNotUnder('dk_none', 10)).toEqual([]);
        await store.secrets.createSecret(A, newSecret('api_key', []), mutation(A, 'secret.create', 'api_key'));
        expect((await store.secrets.listSecretVersions(A, 'api_key'))!.map((x) => x.version)).toEqual([1]);
        expect(await store.secrets.getSecretVersion(A, 'api_key', 2)).toBeUndefined();
      });

      it('older values are re-sealed compare-and-swap, and their data key is never dropped while one uses it', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        await update('api_key', 1, 2);
        await store.keys.addDataKey({ id: 'dk_next', masterId: 'mk_test', nonce: Buffer.alloc(12, 5), wrapped: Buffer.alloc(48, 5), state: 'active', createdAt: '2026-02-01T00:00:00.000Z' });
        expect(await store.keys.resealSecret(A, 'api_key', 2, fakeSealed('dk_next', 20), fakeSealed(keyId, 2))).toBe(true);
        // The current value is under the new key; the old one is not: the old key stays.
        expect(await store.keys.dropUnusedDataKeys()).toEqual([]);
        const old = await store.keys.secretVersionsNotUnder('dk_next', 10);
        expect(old).toEqual([{ accountId: A, name: 'api_key', valueVersion: 1, sealed: fakeSealed(keyId, 1) }]);
        expect(await store.keys.secretVersionsNotUnder('dk_next', 10, { accountId: A, name: 'api_key', valueVersion: 1 })).toEqual([]);
        expect(await store.keys.resealSecretVersion(A, 'api_key', 1, fakeSealed('dk_next', 21), fakeSealed(keyId, 99))).toBe(false);
        expect(await store.keys.resealSecretVersion(A, 'api_key', 1, fakeSealed('dk_next', 21), old[0]!.sealed)).toBe(true);
        expect(await store.secrets.getSecretVersion(A, 'api_key', 1)).toMatchObject({ sealed: fakeSealed('dk_next', 21) });
        expect(await store.keys.dropUnusedDataKeys()).toEqual([keyId]);
      });

      it('a run-time read carries the expiry, changed through another instance on the very next read', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toMatchObject({ expiresAt: null });
        const another = await t.openAnother();
        await another.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, expiresAt: '2020-01-01T00:00:00.000Z' }, mutation(A, 'secret.update', 'api_key'), 'secret.updated');
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toMatchObject({ expiresAt: '2020-01-01T00:00:00.000Z' });
        expect(await store.runtime.grantedReader().readGranted(A, 'api_key', 'reader')).toMatchObject({ expiresAt: '2020-01-01T00:00:00.000Z' });
        expect((await store.runtime.listGranted(A, 'reader'))[0]).toMatchObject({ expiresAt: '2020-01-01T00:00:00.000Z' });
      });

      it('a key rotation re-seals older values too; each still opens for its own version (a rollback through the service)', async () => {
        const service = new VaultService(store, keyring, new EventBus(store), new AuditWriter((e, now) => store.audit.appendAudit(e, now)));
        const admin: Principal = { type: 'user', tokenId: 'key_admin', accountId: A, role: 'admin', name: 'admin' };
        const reader: Principal = { type: 'agent', tokenId: 'tok_reader', accountId: A, agentId: 'reader', name: 'reader' };
        await service.secrets.createSecret(admin, { name: 'rolled', value: 'sk-first', agents: ['reader'] });
        await service.secrets.updateSecret(admin, 'rolled', { value: 'sk-second' });
        const oldKey = keyId;
        const report = await keyring.rotate();
        expect(report.resealed).toBe(2);
        expect(report.droppedDataKeys).toEqual([oldKey]);
        expect(await store.keys.secretVersionsNotUnder(report.dataKey, 10)).toEqual([]);
        const meta = await service.secrets.getSecret(admin, 'rolled');
        const rolled = await service.secrets.rollbackSecret(admin, 'rolled', 1, meta.version);
        expect(rolled).toMatchObject({ valueVersion: 3 });
        expect((await service.runtimeSecret(reader, 'rolled')).value).toBe('sk-first');
      });
    });

    describe('access requests', () => {
      const request = (secret: string, agent: string, id = `req_${secret}_${agent}`, extra: Partial<NewAccessRequest> = {}): NewAccessRequest => ({
        id,
        secret,
        agent,
        reason: 'needed',
        requestedBy: 'dev',
        requestedById: 'key_dev',
        createdAt: NOW,
        ...extra,
      });
      const ask = (r: NewAccessRequest, max = 1000, s: VaultStore = store, limits: Partial<PendingLimits> = {}) =>
        s.accessRequests.createAccessRequest(A, r, { account: max, share: 0, perRequester: 1000, ...limits }, mutation(A, 'access.request', r.secret, `agent: ${r.agent}`));

      beforeEach(async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
      });

      it('stores a request with its audit record and event; a duplicate pending one is returned; a granted agent stores nothing', async () => {
        const r = await ask(request('api_key', 'other'));
        expect(r.outcome).toBe('created');
        if (r.outcome !== 'created') return;
        expect(r.request).toEqual({
          id: 'req_api_key_other',
          secret: 'api_key',
          agent: 'other',
          reason: 'needed',
          newSecret: false,
          status: 'pending',
          requestedBy: 'dev',
          requestedById: 'key_dev',
          createdAt: NOW,
          decidedAt: null,
          decidedBy: null,
          decisionReason: null,
        });
        expect(r.events.map((e) => e.event)).toEqual([{ type: 'access.requested', request: r.request }]);
        expect((await audit())[0]).toMatchObject({ action: 'access.request', target: 'api_key', detail: 'agent: other' });
        const before = await state();
        expect(await ask(request('api_key', 'other', 'req_dup'))).toEqual({ outcome: 'pending', request: r.request });
        expect(await ask(request('api_key', 'reader', 'req_granted'))).toEqual({ outcome: 'granted' });
        expect(await ask(request('api_key', 'ghost', 'req_ghost'))).toEqual({ outcome: 'unknown-agent' });
        expect(await state()).toEqual(before);
        expect(await store.accessRequests.getAccessRequest(A, 'req_dup')).toBeUndefined();
        expect(await store.accessRequests.getAccessRequest(A, 'req_api_key_other')).toEqual(r.request);
        expect(await store.accessRequests.getAccessRequest(B, 'req_api_key_other')).toBeUndefined();
      });

      it('a request for a secret that does not exist keeps its kind and keys; for one that exists they are dropped', async () => {
        const r = await ask(request('not_yet', 'reader', 'req_new', { kind: 'kv', keys: ['id', 'key'] }));
        expect(r.outcome === 'created' && r.request).toMatchObject({ newSecret: true, kind: 'kv', keys: ['id', 'key'] });
        const e = await ask(request('api_key', 'other', 'req_existing', { kind: 'kv', keys: ['x'] }));
        expect(e.outcome === 'created' && e.request).not.toHaveProperty('kind');
      });

      it('refuses past maxPending pending requests in the account, and lists newest first by status', async () => {
        expect((await ask(request('one', 'reader', 'req_1'), 2)).outcome).toBe('created');
        expect((await ask(request('two', 'reader', 'req_2'), 2)).outcome).toBe('created');
        const before = await state();
        expect(await ask(request('three', 'reader', 'req_3'), 2)).toEqual({ outcome: 'limit' });
        expect(await state()).toEqual(before);
        expect((await store.accessRequests.listAccessRequests(A, undefined, 100)).map((q) => q.id)).toEqual(['req_2', 'req_1']);
        expect((await store.accessRequests.listAccessRequests(A, 'pending', 1)).map((q) => q.id)).toEqual(['req_2']);
        expect(await store.accessRequests.listAccessRequests(A, 'approved', 100)).toEqual([]);
        expect(await store.accessRequests.listAccessRequests(B, undefined, 100)).toEqual([]);
      });

      it('approval grants in the same transaction (a new metadata version, access.changed), once; denial keeps the reason', async () => {
        await ask(request('api_key', 'other', 'req_a'));
        await ask(request('not_yet', 'other', 'req_b'));
        const before = await state();
        // Refusals write nothing.
        expect(await store.accessRequests.decideAccessRequest(A, 'req_none', { approve: true }, mutation(A, 'access.request.approve', 'x'))).toEqual({ outcome: 'missing' });
        expect(await store.accessRequests.decideAccessRequest(A, 'req_b', { approve: true }, mutation(A, 'access.request.approve', 'not_yet'))).toMatchObject({ outcome: 'no-secret', request: { id: 'req_b' } });
        expect(await store.accessRequests.decideAccessRequest(B, 'req_a', { approve: true }, mutation(B, 'access.request.approve', 'api_key'))).toEqual({ outcome: 'missing' });
        expect(await state()).toEqual(before);

        const another = await t.openAnother();
        const r = await another.accessRequests.decideAccessRequest(A, 'req_a', { approve: true }, { ...mutation(A, 'access.request.approve', 'api_key'), now: '2026-01-03T00:00:00.000Z' });
        expect(r.outcome).toBe('decided');
        if (r.outcome !== 'decided') return;
        expect(r.request).toMatchObject({ status: 'approved', decidedAt: '2026-01-03T00:00:00.000Z', decidedBy: 'admin', decisionReason: null });
        const secret = (await store.secrets.getSecret(A, 'api_key'))!;
        expect(secret).toMatchObject({ version: 2, valueVersion: 1, agents: ['other', 'reader'] });
        expect(r.events.map((e) => e.event.type)).toEqual(['access.changed', 'access.decided']);
        // The grant shows on this instance's very next read.
        expect(await store.runtime.readGranted(A, 'api_key', 'other')).toMatchObject({ name: 'api_key' });
        expect((await audit())[0]).toMatchObject({ action: 'access.request.approve', target: 'api_key', detail: 'request: req_a; agent: other; granted' });
        expect(await store.accessRequests.decideAccessRequest(A, 'req_a', { approve: false, reason: 'x' }, mutation(A, 'access.request.deny', 'api_key'))).toMatchObject({
          outcome: 'already-decided',
          request: { status: 'approved' },
        });
        // A new pending request for the same pair is allowed once the first is decided; it is already granted though.
        expect((await ask(request('api_key', 'other', 'req_again'))).outcome).toBe('granted');

        const d = await store.accessRequests.decideAccessRequest(A, 'req_b', { approve: false, reason: 'not needed' }, mutation(A, 'access.request.deny', 'not_yet'));
        expect(d.outcome === 'decided' && d.request).toMatchObject({ status: 'denied', decisionReason: 'not needed' });
        expect(d.outcome === 'decided' && d.events.map((e) => e.event.type)).toEqual(['access.decided']);
        expect((await store.accessRequests.listAccessRequests(A, 'denied', 10)).map((q) => q.id)).toEqual(['req_b']);
        expect((await ask(request('not_yet', 'other', 'req_b2'))).outcome).toBe('created');
      });

      it('approving for an agent deleted since is refused; approving when already granted grants nothing new', async () => {
        await ask(request('api_key', 'other', 'req_a'));
        await store.agents.createAgent(A, { id: 'temp', name: 'temp', description: '', createdAt: NOW }, mutation(A, 'agent.create', 'temp'));
        await ask(request('api_key', 'temp', 'req_t'));
        await store.agents.deleteAgent(A, 'temp', mutation(A, 'agent.delete', 'temp'));
        expect(await store.accessRequests.decideAccessRequest(A, 'req_t', { approve: true }, mutation(A, 'access.request.approve', 'api_key'))).toMatchObject({ outcome: 'unknown-agent' });
        await store.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: ['other', 'reader'] }, mutation(A, 'access.replace', 'api_key'), 'access.changed');
        const r = await store.accessRequests.decideAccessRequest(A, 'req_a', { approve: true }, mutation(A, 'access.request.approve', 'api_key'));
        expect(r.outcome === 'decided' && r.events.map((e) => e.event.type)).toEqual(['access.decided']);
        expect((await store.secrets.getSecret(A, 'api_key'))?.version).toBe(2);
        expect((await audit())[0]).toMatchObject({ detail: 'request: req_a; agent: other; already granted' });
      });

      it('a requester past their own cap is refused; the account cap counts against a requester only past their share', async () => {
        const limits = { account: 4, share: 2, perRequester: 3 };
        const by = (n: number, who: string) => ask(request(`s${n}`, 'reader', `req_${who}_${n}`, { requestedBy: who, requestedById: `key_${who}` }), 4, store, limits);
        // One requester floods: stopped at their own cap (3), below the account's (4).
        for (const n of [1, 2, 3]) expect((await by(n, 'flood')).outcome).toBe('created');
        const before = await state();
        expect(await by(4, 'flood')).toEqual({ outcome: 'requester-limit' });
        expect(await state()).toEqual(before);
        // Another requester fills the account (4 pending), then, below their share (2), still gets through.
        expect((await by(5, 'other')).outcome).toBe('created');
        expect((await by(6, 'other')).outcome).toBe('created');
        // At their share with the account full: refused; a third requester still gets their share.
        expect(await by(7, 'other')).toEqual({ outcome: 'limit' });
        expect((await by(8, 'third')).outcome).toBe('created');
        expect((await store.accessRequests.listAccessRequests(A, 'pending', 100)).length).toBe(6);
      });

      it('denies in bulk (a requester\'s, a list, all) in one transaction, a record and an event each; decided ones are pruned', async () => {
        for (const n of [1, 2, 3, 4, 5]) await store.agents.createAgent(A, { id: `agent${n}`, name: 'x', description: '', createdAt: NOW }, mutation(A, 'agent.create', `agent${n}`));
        for (const [n, who] of [[1, 'a'], [2, 'a'], [3, 'b'], [4, 'b'], [5, 'c']] as const) {
          await ask(request('not_yet', `agent${n}`, `req_${n}`, { requestedBy: who, requestedById: `key_${who}`, kind: 'kv', keys: ['client_id'] }));
        }
        const deny = (filter: Parameters<VaultStore['accessRequests']['denyAccessRequests']>[1], limit = 1000, s: VaultStore = store) =>
          s.accessRequests.denyAccessRequests(A, filter, 'flood', limit, { ...mutation(A, 'access.request.deny', '', 'bulk deny'), now: '2026-01-05T00:00:00.000Z' });
        const a = await deny({ requestedById: 'key_a' });
        expect(a.requests.map((r) => r.id)).toEqual(['req_1', 'req_2']);
        expect(a.more).toBe(false);
        expect(a.requests[0]).toMatchObject({ status: 'denied', decisionReason: 'flood', decidedBy: 'admin', keys: ['client_id'] });
        // The event carries no keys (a create hint no one needs once decided): the row holds them once.
        expect(a.events.map((e) => e.event)).toEqual(a.requests.map((r) => ({ type: 'access.decided', request: { ...r, keys: undefined } })));
        expect(JSON.stringify(a.events)).not.toContain('client_id');
        const records = (await audit()).filter((r) => r.action === 'access.request.deny');
        expect(records.map((r) => [r.target, r.detail]).sort()).toEqual([
          ['not_yet', 'request: req_1; agent: agent1; bulk deny'],
          ['not_yet', 'request: req_2; agent: agent2; bulk deny'],
        ]);
        // A list: only pending ones are denied (req_1 was already), in another account nothing.
        expect((await store.accessRequests.denyAccessRequests(B, { ids: ['req_3'] }, '', 10, mutation(B, 'access.request.deny', ''))).requests).toEqual([]);
        expect((await deny({ ids: ['req_1', 'req_3', 'req_none'] })).requests.map((r) => r.id)).toEqual(['req_3']);
        // All, with a limit: one call takes one and says there are more; from another instance.
        const another = await t.openAnother();
        const first = await deny({ all: true }, 1, another);
        expect([first.requests.map((r) => r.id), first.more]).toEqual([['req_4'], true]);
        const rest = await deny({ all: true });
        expect([rest.requests.map((r) => r.id), rest.more]).toEqual([['req_5'], false]);
        expect(await store.accessRequests.listAccessRequests(A, 'pending', 10)).toEqual([]);

        // Retention: decided before the cutoff go, pending stay (whatever their age).
        await ask(request('still', 'agent1', 'req_pending', { createdAt: '2020-01-01T00:00:00.000Z' }));
        expect(await store.accessRequests.pruneAccessRequests(new Date('2026-01-05T00:00:00.000Z'))).toBe(0);
        expect(await another.accessRequests.pruneAccessRequests(new Date('2026-01-06T00:00:00.000Z'))).toBe(5);
        expect((await store.accessRequests.listAccessRequests(A, undefined, 100)).map((r) => r.id)).toEqual(['req_pending']);
      });

      it('two instances asking for the same pair at once store one request', async () => {
        const another = await t.openAnother();
        const results = await Promise.all([ask(request('api_key', 'other', 'req_x')), ask(request('api_key', 'other', 'req_y'), 1000, another)]);
        expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'pending']);
        expect((await store.accessRequests.listAccessRequests(A, 'pending', 10)).length).toBe(1);
      });
    });

    describe('grants through the service are idempotent', () => {
      it('granting twice or revoking twice makes one change: one version, one event, one audit record', async () => {
        const service = new VaultService(store, keyring, new EventBus(store), new AuditWriter((e, now) => store.audit.appendAudit(e, now)));
        const admin: Principal = { type: 'user', tokenId: 'key_admin', accountId: A, role: 'admin', name: 'admin' };
        await service.secrets.createSecret(admin, { name: 'api_key', value: 'sk-conformance-1', agents: [] });
        // Grants are metadata writes: the ciphertext stays byte for byte (no decrypt, no re-encrypt).
        const sealedBefore = (await store.secrets.getSecret(A, 'api_key'))!;
        const last = await store.audit.lastEventId(A);
        const changes = async () => (await audit()).filter((r) => r.action === 'access.grant' || r.action === 'access.revoke').length;

        expect((await service.access.setGrant(admin, 'api_key', 'reader', true)).version).toBe(2);
        expect((await service.access.setGrant(admin, 'api_key', 'reader', true)).version).toBe(2);
        expect(await store.audit.lastEventId(A)).toBe(last + 1);
        expect(await changes()).toBe(1);
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toMatchObject({ valueVersion: 1, sealed: sealedBefore.sealed });

        expect((await service.access.setGrant(admin, 'api_key', 'reader', false)).version).toBe(3);
        expect((await service.access.setGrant(admin, 'api_key', 'reader', false)).version).toBe(3);
        expect(await store.audit.lastEventId(A)).toBe(last + 2);
        expect(await changes()).toBe(2);
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toBeUndefined();
        expect(await store.secrets.getSecret(A, 'api_key')).toMatchObject({ version: 3, valueVersion: 1, sealed: sealedBefore.sealed });

        // The value still opens after the grants (whatever the store does with versions).
        await service.access.setGrant(admin, 'api_key', 'other', true);
        const agent: Principal = { type: 'agent', tokenId: 'tok_other', accountId: A, agentId: 'other', name: 'other' };
        expect((await service.runtimeSecret(agent, 'api_key')).value).toBe('sk-conformance-1');
      });
    });

    describe('a batch of access changes: one transaction, all or nothing, one audit record', () => {
      const describeBatch = (applied: readonly { secret: string; agent: string; granted: boolean }[]) => ({
        target: `${applied.length} access changes`,
        detail: applied.map((c) => `${c.granted ? '+' : '-'}${c.agent} ${c.secret}`).join(', '),
      });
      const batch = (changes: { secret: string; agent: string; granted: boolean; version?: number }[], on: VaultStore = store) =>
        on.access.applyAccessChanges(A, changes, mutation(A, 'access.batch', ''), describeBatch);

      beforeEach(async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        await store.secrets.createSecret(A, newSecret('db_password', []), mutation(A, 'secret.create', 'db_password'));
        await store.secrets.createSecret(A, newSecret('webhook', ['reader']), mutation(A, 'secret.create', 'webhook'));
      });

      it("applies grants and revokes of several secrets at once: a version and an event per secret, one record; what is already so is unchanged", async () => {
        const another = await t.openAnother();
        // The granted-read caches of both instances hold the answers before the batch.
        for (const s of [store, another]) {
          expect(await s.runtime.readGranted(A, 'api_key', 'reader')).toBeDefined();
          expect(await s.runtime.readGranted(A, 'db_password', 'other')).toBeUndefined();
          expect(await s.runtime.grantedReader().readGranted(A, 'db_password', 'reader')).toBeUndefined();
        }
        const last = await store.audit.lastEventId(A);
        const records = (await audit()).length;
        const r = await batch([
          { secret: 'api_key', agent: 'reader', granted: false },
          { secret: 'db_password', agent: 'other', granted: true },
          { secret: 'db_password', agent: 'reader', granted: true, version: 1 },
          { secret: 'webhook', agent: 'reader', granted: true },
        ]);
        if (!r.ok) throw new Error(`refused: ${r.reason}`);
        expect(r.changed).toEqual([true, true, true, false]);
        expect(r.secrets.map((m) => [m.name, m.version, m.agents])).toEqual([
          ['api_key', 2, []],
          ['db_password', 2, ['other', 'reader']],
        ]);
        expect(r.events.map((e) => [e.id, e.event.type, e.event.type === 'access.changed' && e.event.secret.name])).toEqual([
          [last + 1, 'access.changed', 'api_key'],
          [last + 2, 'access.changed', 'db_password'],
        ]);
        expect(await store.audit.eventsAfter(A, last, 10)).toEqual(r.events);
        // One record for the batch, naming the changes that changed something; its id is the listing's.
        const after = await audit();
        expect(after.length).toBe(records + 1);
        expect(after[0]).toMatchObject({ id: r.auditId, action: 'access.batch', target: '3 access changes', detail: '-reader api_key, +other db_password, +reader db_password', outcome: 'success' });
        // A metadata write: the ciphertext stays byte for byte; the untouched secret keeps its version.
        expect(await store.secrets.getSecret(A, 'db_password')).toMatchObject({ version: 2, valueVersion: 1, sealed: fakeSealed(keyId, 1) });
        expect((await store.secrets.getSecret(A, 'webhook'))?.version).toBe(1);
        // Both instances' caches see the batch on the very next read (another process, a replica).
        for (const s of [store, another]) {
          expect(await s.runtime.readGranted(A, 'api_key', 'reader')).toBeUndefined();
          expect((await s.runtime.readGranted(A, 'db_password', 'other'))?.name).toBe('db_password');
          expect((await s.runtime.grantedReader().readGranted(A, 'db_password', 'reader'))?.name).toBe('db_password');
        }

        // The same batch again, from the other instance: nothing to do, nothing written.
        const again = await batch(
          [
            { secret: 'api_key', agent: 'reader', granted: false },
            { secret: 'db_password', agent: 'other', granted: true },
          ],
          another,
        );
        expect(again).toEqual({ ok: true, changed: [false, false], secrets: [], auditId: null, events: [] });
        expect((await audit()).length).toBe(records + 1);
        expect(await store.audit.lastEventId(A)).toBe(last + 2);
      });

      it('refuses the whole batch at the first change naming a missing secret, an unknown agent or a moved version; nothing is written', async () => {
        const another = await t.openAnother();
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toBeDefined();
        const before = await state();
        const good = { secret: 'api_key', agent: 'reader', granted: false };
        expect(await batch([good, { secret: 'db_password', agent: 'other', granted: true }, { secret: 'ghost', agent: 'reader', granted: true }])).toEqual({ ok: false, index: 2, reason: 'missing' });
        // A revoke names its agent too: an id that is no agent is a mistake, not a no-op.
        expect(await batch([good, { secret: 'webhook', agent: 'ghost', granted: false }])).toEqual({ ok: false, index: 1, reason: 'unknown-agent' });
        // Another account's secret and agent are no secret or agent here.
        expect(await another.access.applyAccessChanges(B, [{ secret: 'api_key', agent: 'reader', granted: true }], mutation(B, 'access.batch', ''), describeBatch)).toEqual({ ok: false, index: 0, reason: 'missing' });
        // A change made since the caller read the secret (version 1): refused with the current one.
        await another.secrets.updateSecret(A, 'webhook', { expectedVersion: 1, agents: ['other', 'reader'] }, mutation(A, 'access.replace', 'webhook'), 'access.changed');
        const moved = await state();
        expect(await batch([good, { secret: 'webhook', agent: 'reader', granted: false, version: 1 }])).toEqual({ ok: false, index: 1, reason: 'conflict', currentVersion: 2 });
        expect(await state()).toEqual(moved);
        expect(moved.secrets.find((m) => m.name === 'api_key')).toEqual(before.secrets.find((m) => m.name === 'api_key'));
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toBeDefined();
        // At the version read, the same batch applies.
        const r = await batch([good, { secret: 'webhook', agent: 'reader', granted: false, version: 2 }]);
        expect(r.ok && r.changed).toEqual([true, true]);
      });

      it('two instances applying batches over the same secrets at once: both apply, one after the other', async () => {
        const another = await t.openAnother();
        const [one, two] = await Promise.all([
          batch([
            { secret: 'api_key', agent: 'other', granted: true },
            { secret: 'db_password', agent: 'other', granted: true },
          ]),
          batch(
            [
              { secret: 'db_password', agent: 'reader', granted: true },
              { secret: 'api_key', agent: 'other', granted: true },
            ],
            another,
          ),
        ]);
        expect(one.ok && two.ok).toBe(true);
        // The pair both asked for changed once: in whichever batch committed first.
        const firstChanged = [one.ok && one.changed[0], two.ok && two.changed[1]];
        expect(firstChanged.filter(Boolean)).toHaveLength(1);
        expect((await store.secrets.listSecrets(A)).map((m) => [m.name, m.agents])).toEqual([
          ['api_key', ['other', 'reader']],
          ['db_password', ['other', 'reader']],
          ['webhook', ['reader']],
        ]);
        expect((await audit()).filter((r) => r.action === 'access.batch')).toHaveLength(2);
      });
    });

    describe('audit', () => {
      it('pages newest first with opaque cursors, merging changes and reads, per account', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        for (let i = 0; i < 5; i++) await store.audit.appendAudit([readEntry(A, `read_${i}`)], NOW);
        await store.audit.appendAuditInBackground([readEntry(A, 'bg_0'), readEntry(A, 'bg_1', 'denied')], NOW);
        await store.secrets.createSecret(A, newSecret('last_one', []), mutation(A, 'secret.create', 'last_one'));
        await store.audit.appendAudit([readEntry(B, 'other_account')], NOW);

        const all = await audit();
        expect(all.map((r) => r.target)).toEqual(['last_one', 'bg_1', 'bg_0', 'read_4', 'read_3', 'read_2', 'read_1', 'read_0', 'api_key', 'other', 'reader', A]);
        expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
        // Pages of 5 by cursor give the same records, in the same order, with nothing twice.
        const paged: string[] = [];
        let before: string | undefined;
        for (;;) {
          const page = (await store.audit.listAudit(A, before, 5))!;
          paged.push(...page.map((r) => r.target));
          if (page.length < 5) break;
          before = page[page.length - 1]!.id;
        }
        expect(paged).toEqual(all.map((r) => r.target));
        // A cursor names a record of its own account only.
        expect(await store.audit.listAudit(B, all[0]!.id, 5)).toBeUndefined();
        expect(await store.audit.listAudit(A, 'not-an-id', 5)).toBeUndefined();
        expect((await audit(B)).map((r) => r.target)).toEqual(['other_account', B]);
      });

      it('appendAuditInBackground is durable when it resolves: another instance reads the record', async () => {
        await store.audit.appendAuditInBackground([readEntry(A, 'durable')], NOW);
        const another = await t.openAnother();
        expect((await another.audit.listAudit(A, undefined, 5))![0]).toMatchObject({ target: 'durable', actorType: 'agent', outcome: 'success' });
      });

      it('appendAuditInBackground: groups sent while earlier ones are still being made durable each resolve with their records written', async () => {
        // Sent at once, as the reads of many batches are: the writer commits later groups while the
        // syncs of earlier ones are under way, and answers each only once its own sync is done.
        const burst = Array.from({ length: 40 }, (_, i) => store.audit.appendAuditInBackground([readEntry(A, `burst_${i}`)], NOW));
        await Promise.all(burst);
        const another = await t.openAnother();
        const targets = new Set((await another.audit.listAudit(A, undefined, 100))!.map((r) => r.target));
        expect(Array.from({ length: 40 }, (_, i) => `burst_${i}`).filter((name) => !targets.has(name))).toEqual([]);
      });

      it('appendAuditInBackground: a large group keeps every record, each field in its column, in the order given', async () => {
        // 150 records: more than one statement's worth (SQLite inserts them several rows a statement).
        const entries = Array.from({ length: 150 }, (_, i) => ({
          ...readEntry(i % 7 === 0 ? B : A, `many_${i}`, i % 5 === 0 ? 'denied' : 'success'),
          actor: `reader_${i % 3}`,
          actorId: `tok_${i}`,
          detail: i % 4 === 0 ? `detail ${i}` : '',
        }));
        await store.audit.appendAuditInBackground(entries, NOW);
        const another = await t.openAnother();
        for (const account of [A, B]) {
          const listed = (await another.audit.listAudit(account, undefined, 1000))!.filter((r) => r.target.startsWith('many_'));
          const expected = entries.filter((e) => e.accountId === account).reverse();
          expect(listed.map((r) => [r.target, r.actor, r.actorId, r.actorType, r.action, r.outcome, r.detail, r.time])).toEqual(
            expected.map((e) => [e.target, e.actor, e.actorId, e.actorType, e.action, e.outcome, e.detail, NOW]),
          );
        }
      });

      it('system records (local operations) are listed like changes', async () => {
        await store.audit.appendSystemAudit(
          [A, B].map((accountId) => ({ accountId, actor: 'local:rotate-key', actorId: 'os:test', actorType: 'system', action: 'key.rotate', target: 'keys', outcome: 'success', detail: 'd' })),
          NOW,
        );
        expect((await audit())[0]).toMatchObject({ actor: 'local:rotate-key', actorType: 'system', action: 'key.rotate' });
        expect((await audit(B))[0]).toMatchObject({ action: 'key.rotate' });
      });

      it('retention deletes records older than the cutoff, per account, and audits each pruning', async () => {
        await store.audit.appendAudit([readEntry(A, 'old_read')], NOW);
        // Nothing is older than the epoch: nothing goes, and nothing is recorded.
        const none = await store.audit.pruneAudit(new Date(0), { actor: 'local:audit-retention', actorId: 'os:test' }, NOW);
        expect(none.total).toBe(0);
        expect(none.removed.size).toBe(0);
        const countA = (await audit()).length;
        const countB = (await audit(B)).length;
        // Every record so far is older than a cutoff in the future.
        const report = await store.audit.pruneAudit(new Date(Date.now() + 60_000), { actor: 'local:audit-retention', actorId: 'os:test' }, NOW);
        expect(report.removed).toEqual(new Map([[A, countA], [B, countB]]));
        expect(report.total).toBe(countA + countB);
        const left = await audit();
        expect(left).toHaveLength(1);
        expect(left[0]).toMatchObject({ action: 'audit.prune', actorType: 'system', detail: expect.stringContaining(`removed ${countA} records`) });
        // The state itself is untouched.
        expect((await store.agents.listAgents(A)).length).toBe(2);
      });
    });

    describe('last reads (issue 53): kept with the read audit, metadata only', () => {
      const LATER = '2026-01-02T00:00:00.000Z';
      const read = (secret: string, agent: string, environment: string | null = null, accountId = A) => ({ accountId, secret, agent, environment });

      it('a group keeps each (secret, agent) last read at its time; the newest wins; another instance reads them', async () => {
        for (const name of ['api_key', 'b_key']) await store.secrets.createSecret(A, newSecret(name, ['reader', 'other']), mutation(A, 'secret.create', name));
        expect(await store.reads.lastReads(A, 'api_key')).toEqual([]);
        await store.audit.appendAuditInBackground([readEntry(A, 'api_key'), readEntry(A, 'b_key')], LATER, [read('api_key', 'reader', 'live'), read('b_key', 'reader')]);
        // An older group committed after (another replica's, out of order) does not move it back.
        await store.audit.appendAuditInBackground([readEntry(A, 'api_key')], NOW, [read('api_key', 'reader', 'sandbox'), read('api_key', 'other', 'sandbox')]);
        const expected = [
          { agent: 'other', at: NOW, environment: 'sandbox' },
          { agent: 'reader', at: LATER, environment: 'live' },
        ];
        expect(await store.reads.lastReads(A, 'api_key')).toEqual(expected);
        expect(await store.reads.agentReads(A, 'reader')).toEqual([
          { secret: 'api_key', at: LATER, environment: 'live' },
          { secret: 'b_key', at: LATER, environment: null },
        ]);
        // Durable when the append resolves, for every instance (a restart, another replica).
        const another = await t.openAnother();
        expect(await another.reads.lastReads(A, 'api_key')).toEqual(expected);
        expect(await another.reads.agentReads(A, 'other')).toEqual([{ secret: 'api_key', at: NOW, environment: 'sandbox' }]);
        // Per account: the same names elsewhere have none.
        expect(await store.reads.lastReads(B, 'api_key')).toEqual([]);
        expect(await store.reads.agentReads(B, 'reader')).toEqual([]);
      });

      it('a read is no change of state: the granted-read caches stay valid (generation does not move)', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        const before = store.runtime.grantedReader();
        await before.checked;
        const generation = store.generation();
        await store.audit.appendAuditInBackground([readEntry(A, 'api_key')], LATER, [read('api_key', 'reader', 'live')]);
        const after = store.runtime.grantedReader();
        await after.checked;
        expect(store.generation()).toBe(generation);
        expect(await store.reads.lastReads(A, 'api_key')).toHaveLength(1);
      });

      it('a revoked grant keeps its last read; a deleted secret or agent takes its rows, and a new one of that name starts with none', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader', 'other']), mutation(A, 'secret.create', 'api_key'));
        await store.secrets.createSecret(A, newSecret('kept', ['reader', 'other']), mutation(A, 'secret.create', 'kept'));
        await store.audit.appendAuditInBackground([readEntry(A, 'api_key')], LATER, [read('api_key', 'reader'), read('api_key', 'other'), read('kept', 'other'), read('kept', 'reader')]);
        const meta = (await store.secrets.getSecret(A, 'api_key'))!;
        expect((await store.secrets.updateSecret(A, 'api_key', { expectedVersion: meta.version, agents: [] }, mutation(A, 'access.revoke', 'api_key'), 'access.changed')).ok).toBe(true);
        expect((await store.reads.lastReads(A, 'api_key')).map((r) => r.agent)).toEqual(['other', 'reader']);

        expect((await store.agents.deleteAgent(A, 'other', mutation(A, 'agent.delete', 'other'))).ok).toBe(true);
        expect((await store.reads.lastReads(A, 'kept')).map((r) => r.agent)).toEqual(['reader']);
        expect((await store.agents.createAgent(A, { id: 'other', name: 'other', description: '', createdAt: LATER }, mutation(A, 'agent.create', 'other'))).ok).toBe(true);
        expect(await store.reads.agentReads(A, 'other')).toEqual([]);

        expect((await store.secrets.deleteSecret(A, 'api_key', undefined, mutation(A, 'secret.delete', 'api_key'))).ok).toBe(true);
        expect(await store.reads.lastReads(A, 'api_key')).toEqual([]);
        expect((await store.reads.agentReads(A, 'reader')).map((r) => r.secret)).toEqual(['kept']);
        // A read whose group commits after its secret was deleted (two processes racing) is not listed,
        // and a secret created again under the name starts with no reads.
        await store.audit.appendAuditInBackground([readEntry(A, 'api_key')], LATER, [read('api_key', 'reader')]);
        expect((await store.reads.agentReads(A, 'reader')).map((r) => r.secret)).toEqual(['kept']);
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        expect(await store.reads.lastReads(A, 'api_key')).toEqual([]);
      });
    });

    describe('events', () => {
      it("are each account's own sequence, paged in order, resumable from any id", async () => {
        const a0 = await store.audit.lastEventId(A);
        expect(a0).toBe(2); // the two agents
        expect(await store.audit.lastEventId(B)).toBe(0);
        expect(await store.audit.oldestEventId(B)).toBe(0);
        for (let i = 0; i < 5; i++) await store.secrets.createSecret(A, newSecret(`s_${i}`, []), mutation(A, 'secret.create', `s_${i}`));
        await store.secrets.createSecret(B, newSecret('b_only', []), mutation(B, 'secret.create', 'b_only'));
        expect(await store.audit.lastEventId(A)).toBe(7);
        expect(await store.audit.lastEventId(B)).toBe(1);
        expect(await store.audit.oldestEventId(A)).toBe(1);
        const all = await store.audit.eventsAfter(A, 0, 100);
        expect(all.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(await store.audit.eventsAfter(A, 3, 2)).toEqual(all.slice(3, 5));
        expect(await store.audit.eventsAfter(A, 7, 10)).toEqual([]);
        expect((await store.audit.eventsAfter(B, 0, 10)).map((e) => [e.id, e.event.type])).toEqual([[1, 'secret.created']]);
      });

      it('one sequence across instances: changes through two instances never share an id', async () => {
        const another = await t.openAnother();
        await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? another : store).secrets.createSecret(A, newSecret(`c_${i}`, []), mutation(A, 'secret.create', `c_${i}`)),
          ),
        );
        const ids = (await another.audit.eventsAfter(A, 0, 100)).map((e) => e.id);
        expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(await store.audit.lastEventId(A)).toBe(8);
      });
    });

    describe('run-time reads: the cache-freshness rule', () => {
      beforeEach(async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
      });

      it('one answer for missing and not granted', async () => {
        expect((await store.runtime.readGranted(A, 'api_key', 'reader'))?.name).toBe('api_key');
        expect(await store.runtime.readGranted(A, 'api_key', 'other')).toBeUndefined();
        expect(await store.runtime.readGranted(A, 'missing', 'reader')).toBeUndefined();
        expect(await store.runtime.readGranted(B, 'api_key', 'reader')).toBeUndefined();
      });

      it('a revocation, a grant, a new value and a delete made through another instance show on the very next read', async () => {
        const another = await t.openAnother();
        expect((await store.runtime.readGranted(A, 'api_key', 'reader'))?.valueVersion).toBe(1);
        expect(await store.runtime.readGranted(A, 'api_key', 'other')).toBeUndefined();

        await another.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: ['other'] }, mutation(A, 'access.replace', 'api_key'), 'access.changed');
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toBeUndefined();
        expect((await store.runtime.readGranted(A, 'api_key', 'other'))?.sealed).toEqual(fakeSealed(keyId, 1));

        await another.secrets.updateSecret(A, 'api_key', { expectedVersion: 2, sealed: fakeSealed(keyId, 3) }, mutation(A, 'secret.update', 'api_key'), 'secret.updated');
        expect(await store.runtime.readGranted(A, 'api_key', 'other')).toMatchObject({ valueVersion: 2, sealed: fakeSealed(keyId, 3) });

        await another.secrets.deleteSecret(A, 'api_key', undefined, mutation(A, 'secret.delete', 'api_key'));
        expect(await store.runtime.readGranted(A, 'api_key', 'other')).toBeUndefined();
      });

      it('an agent deleted through another instance loses its reads at once', async () => {
        const another = await t.openAnother();
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toBeDefined();
        await another.agents.deleteAgent(A, 'reader', mutation(A, 'agent.delete', 'reader'));
        expect(await store.runtime.readGranted(A, 'api_key', 'reader')).toBeUndefined();
      });

      it("a batch reader reflects every change committed, by any instance, before it was made", async () => {
        const another = await t.openAnother();
        expect(await store.runtime.grantedReader().readGranted(A, 'api_key', 'reader')).toBeDefined();
        await another.secrets.updateSecret(A, 'api_key', { expectedVersion: 1, agents: [] }, mutation(A, 'access.replace', 'api_key'), 'access.changed');
        const batch = store.runtime.grantedReader();
        expect(await batch.readGranted(A, 'api_key', 'reader')).toBeUndefined();
        await another.secrets.updateSecret(A, 'api_key', { expectedVersion: 2, agents: ['reader'], sealed: fakeSealed(keyId, 3) }, mutation(A, 'secret.update', 'api_key'), 'secret.updated');
        expect(await store.runtime.grantedReader().readGranted(A, 'api_key', 'reader')).toMatchObject({ valueVersion: 2, sealed: fakeSealed(keyId, 3) });
      });

      it('a value re-sealed by another instance (rotation) is read re-sealed at once', async () => {
        const another = await t.openAnother();
        const before = (await store.runtime.readGranted(A, 'api_key', 'reader'))!;
        expect(await another.keys.resealSecret(A, 'api_key', 1, fakeSealed(keyId, 9), before.sealed)).toBe(true);
        expect((await store.runtime.readGranted(A, 'api_key', 'reader'))?.sealed).toEqual(fakeSealed(keyId, 9));
      });

      it('a token revoked through another instance is revoked when next looked up', async () => {
        const another = await t.openAnother();
        const tok = token(A, 'tok_reader', 'agent', null, 'reader');
        await store.tokens.insertToken(tok, null);
        expect((await store.tokens.findTokenByDigest(tok.digest))?.revokedAt).toBeNull();
        expect(await another.tokens.revokeToken(A, 'tok_reader', mutation(A, 'userkey.revoke', 'tok_reader'))).toBe('revoked');
        expect((await store.tokens.findTokenByDigest(tok.digest))?.revokedAt).toBe(NOW);
      });
    });

    describe('keys', () => {
      it('adding a data key retires the active one; meta values round-trip', async () => {
        expect((await store.keys.listDataKeys()).map((k) => [k.id, k.state])).toEqual([[keyId, 'active']]);
        expect((await store.keys.getDataKey(keyId))?.masterId).toBe('mk_test');
        expect(await store.keys.getDataKey('dk_none')).toBeUndefined();
        await store.keys.addDataKey({ id: 'dk_next', masterId: 'mk_test', nonce: Buffer.alloc(12, 5), wrapped: Buffer.alloc(48, 5), state: 'active', createdAt: '2026-02-01T00:00:00.000Z' });
        expect(await store.keys.activeDataKeyId()).toBe('dk_next');
        expect((await store.keys.listDataKeys()).map((k) => [k.id, k.state])).toEqual([
          [keyId, 'retired'],
          ['dk_next', 'active'],
        ]);
        await store.keys.rewrapDataKeys([{ ...(await store.keys.getDataKey(keyId))!, masterId: 'mk_other', wrapped: Buffer.alloc(48, 7) }]);
        expect(await store.keys.getDataKey(keyId)).toMatchObject({ masterId: 'mk_other', wrapped: Buffer.alloc(48, 7), state: 'retired' });
        expect(await store.keys.getMeta('conformance')).toBeUndefined();
        await store.keys.setMeta('conformance', Buffer.from('one'));
        await store.keys.setMeta('conformance', Buffer.from('two'));
        expect(await store.keys.getMeta('conformance')).toEqual(Buffer.from('two'));
      });

      it('re-sealing is compare-and-swap on the sealed value; a key in use is never dropped', async () => {
        await store.secrets.createSecret(A, newSecret('api_key', ['reader']), mutation(A, 'secret.create', 'api_key'));
        await store.secrets.createSecret(B, newSecret('b_key', []), mutation(B, 'secret.create', 'b_key'));
        await store.keys.addDataKey({ id: 'dk_next', masterId: 'mk_test', nonce: Buffer.alloc(12, 5), wrapped: Buffer.alloc(48, 5), state: 'active', createdAt: '2026-02-01T00:00:00.000Z' });
        const pending = await store.keys.secretsNotUnder('dk_next', 10);
        expect(pending.map((s) => [s.accountId, s.name])).toEqual([
          [A, 'api_key'],
          [B, 'b_key'],
        ]);
        expect((await store.keys.secretsNotUnder('dk_next', 1, { accountId: A, name: 'api_key' })).map((s) => s.name)).toEqual(['b_key']);
        // Nothing is dropped while a value is sealed under the old key.
        expect(await store.keys.dropUnusedDataKeys()).toEqual([]);
        const current = pending[0]!;
        // A stale `previous` (the value changed meanwhile) is refused.
        expect(await store.keys.resealSecret(A, 'api_key', 1, fakeSealed('dk_next', 8), fakeSealed(keyId, 99))).toBe(false);
        expect(await store.keys.resealSecret(A, 'api_key', 1, fakeSealed('dk_next', 8), current.sealed)).toBe(true);
        expect(await store.keys.resealSecret(A, 'api_key', 1, fakeSealed('dk_next', 9), current.sealed)).toBe(false);
        expect((await store.secrets.getSecret(A, 'api_key'))?.sealed).toEqual(fakeSealed('dk_next', 8));
        expect(await store.keys.dropUnusedDataKeys()).toEqual([]);
        expect(await store.keys.resealSecret(B, 'b_key', 1, fakeSealed('dk_next', 10), pending[1]!.sealed)).toBe(true);
        expect(await store.keys.dropUnusedDataKeys()).toEqual([keyId]);
        expect((await store.keys.listDataKeys()).map((k) => k.id)).toEqual(['dk_next']);
        // A value sealed under the dropped key is refused, not stored unreadable.
        expect(await store.secrets.createSecret(A, newSecret('late', []), mutation(A, 'secret.create', 'late'))).toEqual({ ok: false, reason: 'stale-key' });
      });

      it('a key rotation re-seals every value under the new key, drops the old key, and every value still opens', async () => {
        const service = new VaultService(store, keyring, new EventBus(store), new AuditWriter((e, now) => store.audit.appendAudit(e, now)));
        const admin: Principal = { type: 'user', tokenId: 'key_admin', accountId: A, role: 'admin', name: 'admin' };
        const values = new Map([
          ['one', 'sk-rotate-one'],
          ['two', 'sk-rotate-two'],
        ]);
        for (const [n, v] of values) await service.secrets.createSecret(admin, { name: n, value: v, agents: ['reader'] });
        await service.access.setGrant(admin, 'one', 'other', true);
        const oldKey = keyId;
        const report = await keyring.rotate();
        expect(report.resealed).toBe(2);
        expect(report.droppedDataKeys).toEqual([oldKey]);
        expect(report.unreadable).toEqual([]);
        expect((await store.keys.listDataKeys()).map((k) => k.id)).toEqual([report.dataKey]);
        expect(await store.keys.secretsNotUnder(report.dataKey, 10)).toEqual([]);
        // A second keyring on another instance (another replica) reads the new keys and every value.
        const another = await t.openAnother();
        const otherRing = await Keyring.open(another, master, NOW);
        const reader: Principal = { type: 'agent', tokenId: 'tok_reader', accountId: A, agentId: 'reader', name: 'reader' };
        for (const s of [service, new VaultService(another, otherRing, new EventBus(another), new AuditWriter((e, now) => another.audit.appendAudit(e, now)))]) {
          for (const [n, v] of values) expect((await s.runtimeSecret(reader, n)).value).toBe(v);
        }
      });
    });
  });
}
