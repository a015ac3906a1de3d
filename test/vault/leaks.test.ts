// A value never leaves the vault except in the two run-time reads: not in metadata responses,
// error messages, events, audit rows, the service's logs, or the bytes of the SQLite files.

import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse } from '../helpers/sse';
import { startTestVault, type TestVault } from '../helpers/vault';

const SENTINELS = ['SENTINEL-single-9f8e7d', 'SENTINEL-kv-user-1a2b3c', 'SENTINEL-kv-pass-4d5e6f', 'SENTINEL-updated-7a8b9c', 'SENTINEL-rejected-0c0d0e'];

let v: TestVault;
const bodies: string[] = [];
let agentToken: string;

beforeAll(async () => {
  v = await startTestVault();
});
afterAll(() => v.stop());

async function call(method: string, p: string, body?: unknown, token = v.adminKey) {
  const r = await v.http(method, p, { token, ...(body !== undefined ? { body } : {}) });
  if (!p.startsWith('/v1/runtime/')) bodies.push(r.text);
  return r;
}

function hits(text: string): string[] {
  return SENTINELS.filter((s) => text.includes(s));
}

describe('no value leaks', () => {
  it('exercises every path a value travels, and the error paths', async () => {
    const sse = await openSse(v.url, v.adminKey);
    await call('POST', '/v1/agents', { id: 'leak-agent' });
    agentToken = (await call('POST', '/v1/agents/leak-agent/tokens', {})).json.token;
    expect((await call('POST', '/v1/secrets', { name: 'leak_single', value: SENTINELS[0], agents: ['leak-agent'] })).status).toBe(201);
    expect((await call('POST', '/v1/secrets', { name: 'leak_kv', value: { user: SENTINELS[1], pass: SENTINELS[2] }, agents: ['leak-agent'] })).status).toBe(201);
    expect((await call('PATCH', '/v1/secrets/leak_single', { value: SENTINELS[3] })).status).toBe(200);
    await call('PUT', '/v1/secrets/leak_kv/access/leak-agent');
    await call('DELETE', '/v1/secrets/leak_kv/access/leak-agent');
    await call('PUT', '/v1/secrets/leak_kv/access/leak-agent');
    // rejected requests that carry a value: bad name, duplicate, too large, bad key, stale If-Match, developer
    const rejected = SENTINELS[4]!;
    expect((await call('POST', '/v1/secrets', { name: 'Bad Name ', value: rejected })).status).toBe(400);
    expect((await call('POST', '/v1/secrets', { name: 'leak_single', value: rejected })).status).toBe(409);
    expect((await call('POST', '/v1/secrets', { name: 'leak_big', value: rejected + 'x'.repeat(70_000) })).status).toBe(413);
    expect((await call('POST', '/v1/secrets', { name: 'leak_key', value: { [rejected]: rejected, 'bad key': rejected } })).status).toBe(400);
    const patch = await v.http('PATCH', '/v1/secrets/leak_single', { token: v.adminKey, body: { value: rejected }, headers: { 'if-match': '"1"' } });
    bodies.push(patch.text);
    expect(patch.status).toBe(412);
    const dev = (await call('POST', '/v1/keys', { name: 'dev', role: 'developer' })).json.token;
    expect((await call('POST', '/v1/secrets', { name: 'dev_try', value: rejected }, dev)).status).toBe(403);
    expect((await call('POST', '/v1/secrets', { name: 'leak_json', value: { nested: { deep: rejected } } })).status).toBe(400);
    // Kept values: the first value of leak_single is now an older version (kept sealed, searched in the
    // database bytes below); its listing, a rollback to it and a refused rollback carry no value.
    expect((await call('GET', '/v1/secrets/leak_single/versions')).json.versions).toHaveLength(2);
    const stale = await v.http('POST', '/v1/secrets/leak_single/rollback', { token: v.adminKey, body: { version: 1 }, headers: { 'if-match': '"1"' } });
    bodies.push(stale.text);
    expect(stale.status).toBe(412);
    const rolled = await v.http('POST', '/v1/secrets/leak_single/rollback', { token: v.adminKey, body: { version: 1 }, headers: { 'if-match': '"2"' } });
    bodies.push(rolled.text);
    expect(rolled.status).toBe(200);
    expect((await v.http('GET', '/v1/runtime/secrets/leak_single', { token: agentToken })).json.value).toBe(SENTINELS[0]);
    // And forward again to the updated value, which the rest of this test reads.
    const forward = await v.http('POST', '/v1/secrets/leak_single/rollback', { token: v.adminKey, body: { version: 2 }, headers: { 'if-match': '"3"' } });
    bodies.push(forward.text);
    expect(forward.status).toBe(200);
    await call('GET', '/v1/secrets/leak_single/versions');
    expect((await call('POST', '/v1/access-requests', { secret: 'leak_kv', agent: 'leak-agent-2', reason: 'r' }, dev)).status).toBe(400);
    await call('GET', '/v1/access-requests');
    // every read of metadata
    await call('GET', '/v1/secrets');
    await call('GET', '/v1/secrets?agent=leak-agent');
    await call('GET', '/v1/secrets/leak_single');
    await call('GET', '/v1/secrets/leak_kv');
    await call('GET', '/v1/audit?limit=500');
    await call('GET', '/v1/agents');
    // run-time reads do return values (and are audited)
    const rt = await call('GET', '/v1/runtime/secrets/leak_single', undefined, agentToken);
    expect(rt.json.value).toBe(SENTINELS[3]);
    const env = await call('GET', '/v1/runtime/env', undefined, agentToken);
    expect(env.json.env.leak_single).toBe(SENTINELS[3]);
    await call('DELETE', '/v1/secrets/leak_kv');
    await sse.next(8);
    await new Promise((r) => setTimeout(r, 100));
    bodies.push(...sse.events.map((e) => e.data));
    sse.close();

    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) expect(hits(body), body.slice(0, 200)).toEqual([]);
  });

  it('keeps values out of the logs', () => {
    expect(v.logs.length).toBeGreaterThan(20);
    expect(hits(v.logs.join('\n'))).toEqual([]);
  });

  it('keeps values out of the audit tables (changes and the access log) and the events table', () => {
    const d = new Database(path.join(v.dataDir, 'vault.db'), { readonly: true });
    const audit = JSON.stringify(d.prepare('SELECT * FROM audit').all());
    const events = JSON.stringify(d.prepare('SELECT * FROM events').all());
    d.close();
    const log = new Database(path.join(v.dataDir, 'audit.db'), { readonly: true });
    const reads = JSON.stringify(log.prepare('SELECT * FROM audit').all());
    log.close();
    expect(audit).toContain('secret.create');
    expect(reads).toContain('runtime.read');
    expect(reads).toContain('runtime.env');
    expect(hits(audit)).toEqual([]);
    expect(hits(reads)).toEqual([]);
    expect(hits(events)).toEqual([]);
  });

  it('keeps values out of the raw bytes of both databases, their WALs and shared memory', async () => {
    const files = ['vault.db', 'vault.db-wal', 'vault.db-shm', 'audit.db', 'audit.db-wal', 'audit.db-shm']
      .map((f) => path.join(v.dataDir, f))
      .filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const scan = () => {
      for (const f of files) {
        const bytes = readFileSync(f);
        for (const s of SENTINELS) {
          expect(bytes.includes(Buffer.from(s, 'utf8')), `${s} in ${path.basename(f)}`).toBe(false);
          expect(bytes.includes(Buffer.from(s, 'utf16le')), `${s} (UTF-16) in ${path.basename(f)}`).toBe(false);
        }
      }
    };
    scan();
    // and after a checkpoint moves the WAL into the main file
    for (const file of ['vault.db', 'audit.db']) {
      const d = new Database(path.join(v.dataDir, file));
      d.pragma('wal_checkpoint(TRUNCATE)');
      d.close();
    }
    scan();
  });
});
