// Encryption at rest: tamper and move detection, key rotation while serving, master key checks.

import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MasterKeyError } from '../../vault/src/crypto/master';
import { openVault } from '../../vault/src/vault';
import { startTestVault, type TestVault } from '../helpers/vault';

let v: TestVault;
let agentToken: string;
const CLI = path.resolve('dist/vault/cli.js');

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  v = await startTestVault();
  const api = v.api();
  await api.createAgent({ id: 'reader' });
  agentToken = (await api.createAgentToken('reader')).token;
});
afterAll(() => v.stop());

function db(): Database.Database {
  return new Database(path.join(v.dataDir, 'vault.db'));
}

describe('encryption at rest', () => {
  it('fails closed when one byte of a stored ciphertext is flipped', async () => {
    await v.api().createSecret({ name: 'tampered', value: 'tamper-me-7c1f', agents: ['reader'] });
    const d = db();
    const row = d.prepare("SELECT ciphertext FROM secrets WHERE name = 'tampered'").get() as { ciphertext: Buffer };
    const flipped = Buffer.from(row.ciphertext);
    flipped[3] = flipped[3]! ^ 0x01;
    d.prepare("UPDATE secrets SET ciphertext = ? WHERE name = 'tampered'").run(flipped);
    d.close();
    const r = await v.http('GET', '/v1/runtime/secrets/tampered', { token: agentToken });
    expect(r.status).toBe(500);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json).toMatchObject({ code: 'decryption_failed' });
    expect(r.text).not.toContain('tamper-me');
    const audit = await v.api().audit({ limit: 5 });
    expect(audit.records.find((a) => a.target === 'tampered' && a.action === 'runtime.read')?.outcome).toBe('failed');
  });

  it('refuses a ciphertext moved onto another secret row', async () => {
    const api = v.api();
    await api.createSecret({ name: 'source_secret', value: 'source-value-1', agents: ['reader'] });
    await api.createSecret({ name: 'target_secret', value: 'target-value-2', agents: ['reader'] });
    const d = db();
    const src = d.prepare("SELECT key_id, nonce, ciphertext, version FROM secrets WHERE name = 'source_secret'").get() as Record<string, unknown>;
    d.prepare("UPDATE secrets SET key_id = ?, nonce = ?, ciphertext = ? WHERE name = 'target_secret'").run(src.key_id, src.nonce, src.ciphertext);
    d.close();
    const r = await v.http('GET', '/v1/runtime/secrets/target_secret', { token: agentToken });
    expect(r.status).toBe(500);
    expect(r.json.code).toBe('decryption_failed');
    expect(r.text).not.toContain('source-value');
    // a value version moved on its own does not open either: the value version is bound too
    const d2 = db();
    d2.prepare("UPDATE secrets SET value_version = value_version + 1 WHERE name = 'source_secret'").run();
    d2.close();
    expect((await v.http('GET', '/v1/runtime/secrets/source_secret', { token: agentToken })).status).toBe(500);
  });

  it('opens a sealed value only for the secret and value version its MAC was checked for, however often it was opened', async () => {
    const api = v.api();
    await api.createSecret({ name: 'bound_secret', value: 'bound-value-3', agents: ['reader'] });
    await api.createSecret({ name: 'other_bound', value: 'other-value-4', agents: ['reader'] });
    const accountId = (await api.whoami()).account.id;
    const row = (await v.vault.store.runtime.readGranted(accountId, 'bound_secret', 'reader'))!;
    // Opened (and its check remembered, with its additional data) for its own coordinates first.
    expect(await v.vault.keyring.openValueJson(accountId, 'bound_secret', row.valueVersion, row.sealed)).toBe('"bound-value-3"');
    // The same object presented for another secret or another value version is checked again, and refused.
    await expect(v.vault.keyring.openValueJson(accountId, 'other_bound', row.valueVersion, row.sealed)).rejects.toThrow(/could not decrypt secret 'other_bound'/i);
    await expect(v.vault.keyring.openValueJson(accountId, 'bound_secret', row.valueVersion + 1, row.sealed)).rejects.toThrow(/could not decrypt/i);
    // Neither refusal displaced what was remembered: the value still opens where it belongs.
    expect(await v.vault.keyring.openValueJson(accountId, 'bound_secret', row.valueVersion, row.sealed)).toBe('"bound-value-3"');
  });

  it('uses a fresh nonce for every write', async () => {
    const api = v.api();
    await api.createSecret({ name: 'nonce_check', value: 'same' });
    const d = db();
    const read = d.prepare("SELECT nonce, ciphertext FROM secrets WHERE name = 'nonce_check'");
    const seen: { nonce: Buffer; ciphertext: Buffer }[] = [read.get() as { nonce: Buffer; ciphertext: Buffer }];
    for (let i = 0; i < 50; i++) {
      await api.updateSecret('nonce_check', { value: 'same' });
      seen.push(read.get() as { nonce: Buffer; ciphertext: Buffer });
    }
    d.close();
    expect(new Set(seen.map((r) => r.nonce.toString('hex'))).size).toBe(51);
    // the same value never gives the same ciphertext twice
    expect(new Set(seen.map((r) => r.ciphertext.toString('hex'))).size).toBe(51);
    expect(seen.every((r) => r.nonce.length === 12)).toBe(true);
  });

  it('rotation leaves values that fail authentication under their old key and says so', async () => {
    const out = spawnSync(process.execPath, [CLI, 'rotate-key', '--data', v.dataDir], { encoding: 'utf8' });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/failed authentication/);
    for (const name of ['tampered', 'target_secret', 'source_secret']) expect(out.stderr).toContain(name);
    // everything else still reads under the new keys
    await v.api().createSecret({ name: 'post_partial', value: 'fine', agents: ['reader'] });
    expect((await v.api(agentToken).runtimeSecret('post_partial')).value).toBe('fine');
  });

  it('rotates the keys while the vault serves, without a failed read', async () => {
    const fresh = await startTestVault();
    const api = fresh.api();
    await api.createAgent({ id: 'reader' });
    const agentToken = (await api.createAgentToken('reader')).token;
    const v = fresh;
    for (let i = 0; i < 30; i++) await api.createSecret({ name: `rot_${i}`, value: `rot-value-${i}`, agents: ['reader'] });
    const keyFileBefore = readFileSync(path.join(v.dataDir, 'master.key'), 'utf8');
    let stop = false;
    let reads = 0;
    const failures: number[] = [];
    const reader = (async () => {
      while (!stop) {
        const i = reads % 30;
        const r = await v.http('GET', `/v1/runtime/secrets/rot_${i}`, { token: agentToken });
        if (r.status !== 200 || r.json.value !== `rot-value-${i}`) failures.push(r.status);
        reads++;
      }
    })();
    const out = spawnSync(process.execPath, [CLI, 'rotate-key', '--data', v.dataDir, '--json'], { encoding: 'utf8' });
    // and writes made after the rotation use the new key and still read back
    await api.createSecret({ name: 'after_rotation', value: 'after-value', agents: ['reader'] });
    stop = true;
    await reader;
    expect(out.status, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.masterRotated).toBe(true);
    expect(report.resealed).toBeGreaterThanOrEqual(30);
    expect(report.droppedDataKeys.length).toBeGreaterThanOrEqual(1);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    expect((await v.api(agentToken).runtimeSecret('after_rotation')).value).toBe('after-value');
    const d = new Database(path.join(v.dataDir, 'vault.db'));
    const keys = d.prepare('SELECT DISTINCT key_id FROM secrets').all() as { key_id: string }[];
    d.close();
    expect(keys.map((k) => k.key_id)).toEqual([report.dataKey]);
    const keyFileAfter = JSON.parse(readFileSync(path.join(v.dataDir, 'master.key'), 'utf8'));
    expect(Object.keys(keyFileAfter.keys)).toEqual([report.masterKey]);
    expect(keyFileBefore).not.toContain(report.masterKey);
    await fresh.stop();
  });
});

describe('master key', () => {
  it('refuses to start with a wrong master key, and says why', async () => {
    const wrong = Buffer.alloc(32, 7).toString('base64');
    await expect(openVault({ dataDir: v.dataDir, env: { SECRETS_VAULT_MASTER_KEY: wrong } })).rejects.toThrow(MasterKeyError);
    const r = spawnSync(process.execPath, [CLI, 'serve', '--data', v.dataDir, '--port', '0'], {
      encoding: 'utf8',
      env: { ...process.env, SECRETS_VAULT_MASTER_KEY: wrong },
      timeout: 10_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/master key/i);
    expect(r.stdout).not.toContain('listening');
  });

  it('refuses a malformed master key and a key file readable by others', async () => {
    await expect(openVault({ dataDir: v.dataDir, env: { SECRETS_VAULT_MASTER_KEY: 'short' } })).rejects.toThrow(/not a valid master key/);
    const keyFile = path.join(v.dataDir, 'master.key');
    chmodSync(keyFile, 0o644);
    try {
      await expect(openVault({ dataDir: v.dataDir, env: {} })).rejects.toThrow(/readable by other users/);
    } finally {
      chmodSync(keyFile, 0o600);
    }
  });
});
