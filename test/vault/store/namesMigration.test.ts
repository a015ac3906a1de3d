// Existing vaults: schema 8 (SQLite) and 5 (PostgreSQL) add the case and spacing folds
// that refuse twins. A vault written before them (secrets of both kinds, grants, kept values, an
// agent token, a run token, access requests) is taken back to the previous schema exactly as that
// release left it, then opened by this code: it migrates in place, every value reads over real HTTP
// as before, and the folds it filled refuse twins of the names and ids it already held.

import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretValue } from '../../../protocol/names';
import { VaultApi } from '../../../protocol/client';
import { FailedAuthLimiter } from '../../../vault/src/auth';
import { undiciTransport } from '../../../vault/src/cli/remote';
import { PG_SCHEMA_VERSION } from '../../../vault/src/store/postgres/schema';
import { SCHEMA_VERSION } from '../../../vault/src/store/sqlite/schema';
import { migrateToPostgres } from '../../../vault/src/store/migrateToPostgres';
import { openVault, serve, type RunningServer, type Vault } from '../../../vault/src/vault';
import { TRICKY_NAMES } from '../../helpers/names';
import { pgDatabase } from '../../helpers/pg';
import { apiFailure, startTestVault, TEST_STORES, type TestVault } from '../../helpers/vault';

/**
 * What the migration to name and id folds adds, dropped again: the schema the previous release wrote
 * (and so without what came after it: marks on keys).
 */
const DOWNGRADE = [
  'ALTER TABLE secrets DROP COLUMN key_sensitivity',
  'DROP INDEX secrets_name_fold',
  'DROP INDEX agents_id_fold',
  'ALTER TABLE secrets DROP COLUMN name_fold',
  'ALTER TABLE agents DROP COLUMN id_fold',
];
const PREVIOUS = { sqlite: 7, postgres: 4 } as const;

let tv: TestVault | undefined;
let reopened: { vault: Vault; server: RunningServer } | undefined;

afterEach(async () => {
  await reopened?.server.close();
  await reopened?.vault.close();
  reopened = undefined;
  if (tv) rmSync(tv.dataDir, { recursive: true, force: true });
  tv = undefined;
});

for (const store of TEST_STORES) {
  describe(`a vault written before the folds, on ${store}, upgrades in place`, () => {
    it('keeps every value, grant, kept version, token and access request; the filled folds refuse twins of what it held', async () => {
      const url = store === 'postgres' ? await pgDatabase() : undefined;
      tv = await startTestVault(url ? { databaseUrl: url } : {});
      const api = tv.api();
      await api.createAgent({ id: 'booking-agent', name: 'Booking' });
      await api.createAgent({ id: 'support-agent' });
      const values = new Map<string, SecretValue>([
        ['stripe_key', 'sk-names-mig-stripe-41c2'],
        ['partner_api', { client_id: 'names-mig-id', client_secret: 'names-mig-secret-9d0e' }],
        ['rotated_key', 'names-mig-rotated-first-77a1'],
      ]);
      await api.createSecret({ name: 'stripe_key', value: values.get('stripe_key')!, agents: ['booking-agent'] });
      await api.createSecret({ name: 'partner_api', value: values.get('partner_api')!, agents: ['booking-agent', 'support-agent'] });
      await api.createSecret({ name: 'rotated_key', value: values.get('rotated_key')!, agents: ['booking-agent'] });
      const first = values.get('rotated_key')!;
      values.set('rotated_key', 'names-mig-rotated-second-5b3f');
      await api.updateSecret('rotated_key', { value: values.get('rotated_key')! });
      const agentToken = (await api.createAgentToken('booking-agent')).token;
      const runToken = await api.mintRunToken('support-agent', 3600);
      const developer = tv.api((await api.createUserKey({ name: 'dev', role: 'developer' })).token);
      const approved = await developer.createAccessRequest({ secret: 'stripe_key', agent: 'support-agent', reason: 'billing' });
      const pending = await developer.createAccessRequest({ secret: 'future_key', agent: 'booking-agent', keys: ['client_id'] });
      if (approved.outcome !== 'created' || pending.outcome !== 'created') throw new Error('expected two new requests');
      await api.approveAccessRequest(approved.request.id);
      const requestsBefore = await api.listAccessRequests();
      const secretsBefore = await api.listSecrets();
      const agentsBefore = await api.listAgents();

      await tv.server.close();
      await tv.vault.close();
      if (store === 'sqlite') {
        const raw = new Database(path.join(tv.dataDir, 'vault.db'));
        for (const sql of DOWNGRADE) raw.exec(sql);
        raw.pragma(`user_version = ${PREVIOUS.sqlite}`);
        raw.close();
      } else {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        for (const sql of DOWNGRADE) await c.query(sql);
        await c.query('UPDATE vault_schema SET version = $1', [PREVIOUS.postgres]);
        await c.end();
      }

      const vault = await openVault({ dataDir: tv.dataDir, env: {}, ...(url ? { databaseUrl: url } : {}) });
      const server = await serve(vault, { port: 0, limiter: new FailedAuthLimiter(1000, 60_000) });
      reopened = { vault, server };
      if (store === 'sqlite') {
        const db = new Database(path.join(tv.dataDir, 'vault.db'), { readonly: true });
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
        // Every fold filled, none left empty (a NULL fold would escape the twin check).
        expect(db.prepare('SELECT name, name_fold FROM secrets ORDER BY name').all()).toEqual([...values.keys()].sort().map((name) => ({ name, name_fold: name })));
        db.close();
      } else {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        expect((await c.query('SELECT version FROM vault_schema')).rows).toEqual([{ version: PG_SCHEMA_VERSION }]);
        expect((await c.query('SELECT id, id_fold FROM agents ORDER BY id')).rows).toEqual([
          { id: 'booking-agent', id_fold: 'booking-agent' },
          { id: 'support-agent', id_fold: 'support-agent' },
        ]);
        await c.end();
      }

      const at = (token: string) => new VaultApi(undiciTransport(server.url), token);
      const admin = at(tv.adminKey);
      // Every value over HTTP, as each agent reads it: the agent token, the run token (its grant came from the approved request).
      for (const [name, value] of values) expect((await at(agentToken).runtimeSecret(name)).value).toEqual(value);
      expect((await at(runToken.token).runtimeSecret('partner_api')).value).toEqual(values.get('partner_api'));
      expect((await at(runToken.token).runtimeSecret('stripe_key')).value).toEqual(values.get('stripe_key'));
      expect((await at(agentToken).runtimeEnv()).env).toEqual({ rotated_key: values.get('rotated_key'), stripe_key: values.get('stripe_key') });
      // Metadata, agents and access requests exactly as before.
      expect(await admin.listSecrets()).toEqual(secretsBefore);
      expect(await admin.listAgents()).toEqual(agentsBefore);
      expect(await admin.listAccessRequests()).toEqual(requestsBefore);
      // The kept value is still there and restores.
      const versions = await admin.listSecretVersions('rotated_key');
      expect(versions.map((v) => [v.version, v.current])).toEqual([
        [2, true],
        [1, false],
      ]);
      const meta = await admin.getSecret('rotated_key');
      await admin.rollbackSecret('rotated_key', 1, meta.version);
      expect((await at(agentToken).runtimeSecret('rotated_key')).value).toBe(first);

      // Secrets written before marks on keys have none, and take them (a metadata write).
      const marked = await admin.updateSecret('partner_api', { keySensitivity: { client_id: 'not-sensitive' } });
      expect(marked.keySensitivity).toEqual({ client_id: 'not-sensitive' });
      expect((await at(agentToken).runtimeSecret('partner_api')).value).toEqual(values.get('partner_api'));

      // The folds hold for names and ids written before them.
      const twin = await apiFailure(admin.createSecret({ name: 'STRIPE_KEY', value: 'x' }));
      expect(twin.problem).toMatchObject({ status: 409, code: 'conflict', field: 'name' });
      expect(twin.problem.detail).toContain("'stripe_key'");
      const agentTwin = await apiFailure(admin.createAgent({ id: 'Booking-Agent' }));
      expect(agentTwin.problem).toMatchObject({ status: 409, field: 'id' });
      expect(agentTwin.problem.detail).toContain("'booking-agent'");
      // And names as real accounts have them go in beside them.
      await admin.createAgent({ id: 'PROJECT-WEVYLLDV', name: 'Field Service Template' });
      await admin.createSecret({ name: 'Prod API Credentials', value: { client_id: 'i', client_secret: 'names-mig-new-0c4d' }, agents: ['PROJECT-WEVYLLDV'] });
      const project = await admin.mintRunToken('PROJECT-WEVYLLDV', 600);
      expect((await at(project.token).runtimeSecret('Prod API Credentials')).value).toEqual({ client_id: 'i', client_secret: 'names-mig-new-0c4d' });
      expect((await apiFailure(admin.createSecret({ name: 'prod  api credentials', value: 'x' }))).problem.detail).toContain("'Prod API Credentials'");
    });
  });
}

describe('migrate (SQLite to PostgreSQL) carries names as accounts have them', () => {
  it('every tricky name and Agent Studio id arrives unchanged, reads over HTTP, and its fold refuses twins on PostgreSQL', async () => {
    tv = await startTestVault();
    const api = tv.api();
    await api.createAgent({ id: 'PROJECT-WEVYLLDV', name: 'Field Service Template' });
    const values = new Map<string, SecretValue>();
    for (const [i, name] of TRICKY_NAMES.entries()) {
      const value: SecretValue = i % 2 ? `names-migrate-${i}` : { client_id: `id-${i}`, client_secret: `names-migrate-kv-${i}` };
      values.set(name, value);
      await api.createSecret({ name, value, agents: ['PROJECT-WEVYLLDV'] });
    }
    const token = (await api.createAgentToken('PROJECT-WEVYLLDV')).token;
    const before = await api.listSecrets();
    await tv.server.close();
    await tv.vault.close();

    const url = await pgDatabase();
    await migrateToPostgres({ fromDir: tv.dataDir, toUrl: url, env: {} });
    const vault = await openVault({ dataDir: tv.dataDir, databaseUrl: url, env: {} });
    const server = await serve(vault, { port: 0, limiter: new FailedAuthLimiter(1000, 60_000) });
    reopened = { vault, server };
    const admin = new VaultApi(undiciTransport(server.url), tv.adminKey);
    const agent = new VaultApi(undiciTransport(server.url), token);
    expect(await admin.listSecrets()).toEqual(before);
    expect(await admin.listAgents()).toMatchObject([{ id: 'PROJECT-WEVYLLDV', name: 'Field Service Template' }]);
    for (const [name, value] of values) expect(await agent.runtimeSecret(name)).toEqual({ name, value });
    expect((await apiFailure(admin.createSecret({ name: 'PROD api  credentials', value: 'x' }))).problem.detail).toContain("'Prod API Credentials'");
    expect((await apiFailure(admin.createAgent({ id: 'project-wevylldv' }))).problem.detail).toContain("'PROJECT-WEVYLLDV'");
  });
});
