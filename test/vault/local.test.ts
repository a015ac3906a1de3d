// The local commands of the built `secrets-vault` CLI, run as an operator runs them on the data
// folder: file modes, the audit of local
// operations and their system actor, demo's earlier keys, the last admin key and `issue-key`.

import Database from 'better-sqlite3';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../protocol/api';
import { startTestVault, type TestVault } from '../helpers/vault';

// Its own bundle (not dist/vault/cli.js, which cli.test.ts rebuilds in parallel).
const CLI = path.resolve('dist/test/local-cli.js');
const dirs: string[] = [];
const children = new Set<ChildProcess>();

beforeAll(async () => {
  await esbuild.build({
    entryPoints: ['vault/src/cli/main.ts'],
    outfile: CLI,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sv-local-'));
  dirs.push(d);
  return d;
}

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the CLI under a shell with the given umask (022 by default, as most systems have). */
function run(args: string[], options: { env?: NodeJS.ProcessEnv; umask?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `umask ${options.umask ?? '022'}; exec "$0" "$@"`, process.execPath, CLI, ...args], {
      env: { PATH: process.env.PATH, ...options.env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end('');
  });
}

interface Serving {
  url: string;
  out(): string;
  err(): string;
  stop(): Promise<void>;
}

/** Starts a long-running command (serve, demo) and resolves once it prints its URL. */
function start(args: string[], ready: RegExp = /listening on (http:\/\/\S+)/): Promise<Serving> {
  const child = spawn('sh', ['-c', 'umask 022; exec "$0" "$@"', process.execPath, CLI, ...args], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (err += String(c)));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start: ${out}\n${err}`)), 60_000);
    void closed.then(() => reject(new Error(`exited: ${out}\n${err}`)));
    const check = () => {
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        out: () => out,
        err: () => err,
        stop: async () => {
          child.kill('SIGTERM');
          await closed;
          children.delete(child);
        },
      });
    };
    child.stdout!.on('data', check);
  });
}

const modeOf = (p: string) => statSync(p).mode & 0o777;

async function init(dataDir: string, extra: string[] = []): Promise<{ adminKey: string; accountId: string }> {
  const r = await run(['--json', 'init', '--data', dataDir, ...extra]);
  expect(r.code, r.err).toBe(0);
  const j = JSON.parse(r.out) as { adminKey: string; account: { id: string } };
  return { adminKey: j.adminKey, accountId: j.account.id };
}

async function auditOf(url: string, token: string, limit = 200): Promise<AuditRecord[]> {
  const r = await run(['--json', 'audit', '--limit', String(limit)], { env: { SECRETS_VAULT_URL: url, SECRETS_VAULT_TOKEN: token } });
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { records: AuditRecord[] }).records;
}

async function api(url: string, token: string, method: string, pathname: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url + pathname, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('file modes of the data folder', () => {
  it('init on an existing 0755 folder makes it 0700 and every file 0600, and git ignores it', async () => {
    const repo = tempDir();
    execFileSync('git', ['init', '-q', repo]);
    const data = path.join(repo, '.vault-data');
    mkdirSync(data);
    chmodSync(data, 0o755);
    await init(data);
    expect(modeOf(data)).toBe(0o700);
    const files = readdirSync(data);
    expect(files).toEqual(expect.arrayContaining(['vault.db', 'audit.db', 'master.key', '.gitignore']));
    for (const f of files) expect([f, modeOf(path.join(data, f))]).toEqual([f, 0o600]);
    expect(readFileSync(path.join(data, '.gitignore'), 'utf8').split('\n')).toContain('*');
    const status = execFileSync('git', ['-C', repo, 'status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });
    expect(status).toBe('');
  }, 120_000);

  it("init in a repository's root writes no `*` .gitignore (it would hide the project) and says so", async () => {
    const repo = tempDir();
    execFileSync('git', ['init', '-q', repo]);
    const r = await run(['init', '--data', repo]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('is the root of a git repository: no .gitignore was written');
    expect(readdirSync(repo)).not.toContain('.gitignore');
  }, 120_000);

  it('serve tightens a folder and files found open to others, says so, and keeps the WAL and SHM files private', async () => {
    const data = path.join(tempDir(), 'v');
    const { adminKey } = await init(data);
    chmodSync(data, 0o755);
    for (const f of ['vault.db', 'audit.db']) chmodSync(path.join(data, f), 0o644);
    const s = await start(['serve', '--data', data, '--port', '0']);
    try {
      expect(s.err()).toMatch(/notice: .*vault\.db was accessible to other users \(mode 0644\); it is now 0600/);
      expect(s.err()).toMatch(/notice: .*v was accessible to other users \(mode 0755\); it is now 0700/);
      // Writes to both files while the server runs, so SQLite has made every -wal and -shm file.
      expect((await api(s.url, adminKey, 'POST', '/v1/agents', { id: 'mode-agent' })).status).toBe(201);
      const agentToken = (await api(s.url, adminKey, 'POST', '/v1/agents/mode-agent/tokens', {})).json.token as string;
      expect((await api(s.url, agentToken, 'GET', '/v1/runtime/secrets/missing')).status).toBe(403);
      const files = readdirSync(data);
      expect(files).toEqual(expect.arrayContaining(['vault.db-wal', 'vault.db-shm', 'audit.db-wal', 'audit.db-shm']));
      for (const f of files) expect([f, modeOf(path.join(data, f))]).toEqual([f, 0o600]);
      expect(modeOf(data)).toBe(0o700);
    } finally {
      await s.stop();
    }
  }, 120_000);

  it('warns when --token-file is readable by group or others', async () => {
    let v: TestVault | undefined;
    try {
      v = await startTestVault();
      const file = path.join(tempDir(), 'token');
      writeFileSync(file, v.adminKey);
      chmodSync(file, 0o644);
      const open = await run(['--token-file', file, 'whoami'], { env: { SECRETS_VAULT_URL: v.url } });
      expect(open.code, open.err).toBe(0);
      expect(open.err).toContain(`warning: the token file ${file} is accessible to other users (mode 0644); run 'chmod 600 ${file}'`);
      chmodSync(file, 0o600);
      const closed = await run(['--token-file', file, 'whoami'], { env: { SECRETS_VAULT_URL: v.url } });
      expect(closed.code, closed.err).toBe(0);
      expect(closed.err).toBe('');
    } finally {
      await v?.stop();
    }
  }, 120_000);
});

describe('audit of local operations', () => {
  it('records init, add-account, rotate-key and issue-key with a system actor, and tells two keys of one name apart', async () => {
    const data = path.join(tempDir(), 'v');
    const { adminKey, accountId } = await init(data);
    const added = await run(['--json', 'add-account', 'second', '--data', data]);
    expect(added.code, added.err).toBe(0);
    const second = JSON.parse(added.out) as { account: { id: string }; adminKey: string };
    const rotated = await run(['rotate-key', '--data', data]);
    expect(rotated.code, rotated.err).toBe(0);
    // A second key with the first one's name: the audit must still tell them apart.
    const issued = await run(['--json', 'issue-key', '--account', accountId, '--data', data, '--name', 'initial admin']);
    expect(issued.code, issued.err).toBe(0);
    const twin = JSON.parse(issued.out) as { id: string; token: string; name: string; role: string };
    expect(twin).toMatchObject({ name: 'initial admin', role: 'admin' });

    const s = await start(['serve', '--data', data, '--port', '0']);
    try {
      expect((await api(s.url, adminKey, 'POST', '/v1/agents', { id: 'by-first' })).status).toBe(201);
      expect((await api(s.url, twin.token, 'POST', '/v1/agents', { id: 'by-twin' })).status).toBe(201);
      const records = await auditOf(s.url, adminKey);
      const system = records.filter((r) => r.actorType === 'system').map((r) => [r.actor, r.action, r.target]).reverse();
      expect(system).toEqual([
        ['local:init', 'account.create', accountId],
        ['local:init', 'userkey.create', 'initial admin'],
        ['local:rotate-key', 'key.rotate', expect.stringMatching(/^dk_/)],
        ['local:issue-key', 'userkey.create', 'initial admin'],
      ]);
      for (const r of records.filter((x) => x.actorType === 'system')) expect(r.actorId).toMatch(/^os-(user|uid):\S+$/);
      const firstId = /id: (key_[0-9a-f]+)/.exec(records.find((r) => r.actor === 'local:init' && r.action === 'userkey.create')!.detail)![1]!;
      expect(records.find((r) => r.actor === 'local:issue-key')!.detail).toBe(`role: admin; id: ${twin.id}`);
      expect(firstId).not.toBe(twin.id);
      const creators = records.filter((r) => r.action === 'agent.create').map((r) => [r.target, r.actor, r.actorId]);
      expect(creators).toEqual(
        expect.arrayContaining([
          ['by-first', 'initial admin', firstId],
          ['by-twin', 'initial admin', twin.id],
        ]),
      );
      expect(records.find((r) => r.action === 'key.rotate')!.detail).toMatch(/^re-encrypted 0 values; new master key mk_/);
      // The table a person reads shows the id too.
      const text = await run(['audit'], { env: { SECRETS_VAULT_URL: s.url, SECRETS_VAULT_TOKEN: adminKey } });
      expect(text.out.split('\n')[0]).toMatch(/^ID\s+TIME\s+ACTOR\s+ACTOR ID\s+ACTION/);
      expect(text.out).toContain(twin.id);
      // add-account's records are in the new account, which also sees the vault-wide rotation.
      const inSecond = (await auditOf(s.url, second.adminKey)).map((r) => [r.actor, r.action]).reverse();
      expect(inSecond).toEqual([
        ['local:add-account', 'account.create'],
        ['local:add-account', 'userkey.create'],
        ['local:rotate-key', 'key.rotate'],
      ]);
    } finally {
      await s.stop();
    }
  }, 120_000);

  it('demo revokes the keys and tokens its earlier starts printed, and audits each start', async () => {
    const data = path.join(tempDir(), 'demo');
    const ready = /"url":"(http:\/\/[^"]+)"/;
    const first = await start(['--json', 'demo', '--data', data, '--port', '0'], ready);
    const one = JSON.parse(first.out()) as { url: string; adminKey: string; agentToken: string };
    await first.stop();
    const second = await start(['--json', 'demo', '--data', data, '--port', '0'], ready);
    try {
      const two = JSON.parse(second.out()) as { url: string; adminKey: string; agentToken: string };
      expect((await api(two.url, one.adminKey, 'GET', '/v1/whoami')).status).toBe(401);
      expect((await api(two.url, one.agentToken, 'GET', '/v1/runtime/secrets/amadeus_flights')).status).toBe(401);
      expect((await api(two.url, two.adminKey, 'GET', '/v1/whoami')).status).toBe(200);
      expect((await api(two.url, two.agentToken, 'GET', '/v1/runtime/secrets/amadeus_flights')).status).toBe(200);
      const demo = (await auditOf(two.url, two.adminKey)).filter((r) => r.actor === 'local:demo').map((r) => r.action).reverse();
      expect(demo).toEqual(['userkey.create', 'userkey.create', 'userkey.revoke', 'userkey.revoke']);
    } finally {
      await second.stop();
    }
  }, 120_000);
});

describe('the last admin key', () => {
  it('refuses to revoke the only admin key; issue-key recovers, audited', async () => {
    const data = path.join(tempDir(), 'v');
    const { adminKey, accountId } = await init(data);
    const s = await start(['serve', '--data', data, '--port', '0']);
    try {
      const env = { SECRETS_VAULT_URL: s.url, SECRETS_VAULT_TOKEN: adminKey };
      const keys = JSON.parse((await run(['--json', 'keys', 'list'], { env })).out) as { id: string }[];
      const refused = await run(['keys', 'revoke', keys[0]!.id], { env });
      expect(refused.code).toBe(5);
      expect(refused.err).toContain("the account's only active admin key");
      const problem = await api(s.url, adminKey, 'DELETE', `/v1/keys/${keys[0]!.id}`);
      expect([problem.status, problem.json.code]).toEqual([409, 'last_admin']);
      expect((await api(s.url, adminKey, 'GET', '/v1/whoami')).status).toBe(200);

      // Recovery on the host, while the vault serves: a new admin key from the data folder.
      const unknown = await run(['issue-key', '--account', 'acc_nope', '--data', data]);
      expect(unknown.code).toBe(2);
      expect(unknown.err).toContain(accountId);
      const issued = await run(['issue-key', '--account', accountId, '--data', data]);
      expect(issued.code, issued.err).toBe(0);
      const recovery = /svu_[A-Za-z0-9_-]{43}/.exec(issued.out)![0];
      expect((await api(s.url, recovery, 'GET', '/v1/whoami')).json.principal).toMatchObject({ name: 'recovery admin', role: 'admin' });
      // With two admins, the first may go; then the recovery key is the last one.
      expect((await run(['keys', 'revoke', keys[0]!.id], { env: { ...env, SECRETS_VAULT_TOKEN: recovery } })).code).toBe(0);
      const records = await auditOf(s.url, recovery);
      expect(records.map((r) => [r.actor, r.action, r.outcome]).slice(0, 4)).toEqual([
        ['recovery admin', 'userkey.revoke', 'success'],
        ['local:issue-key', 'userkey.create', 'success'],
        ['initial admin', 'userkey.revoke', 'denied'],
        ['initial admin', 'userkey.revoke', 'denied'],
      ]);
    } finally {
      await s.stop();
    }
  }, 120_000);
});

describe('audit retention', () => {
  it('serve prunes records older than --audit-retention-days from both files, and audits the pruning', async () => {
    const data = path.join(tempDir(), 'v');
    const { adminKey } = await init(data);
    let s = await start(['serve', '--data', data, '--port', '0']);
    await api(s.url, adminKey, 'POST', '/v1/agents', { id: 'old-agent' });
    const agentToken = (await api(s.url, adminKey, 'POST', '/v1/agents/old-agent/tokens', {})).json.token as string;
    await api(s.url, agentToken, 'GET', '/v1/runtime/secrets/old_read');
    await s.stop();
    // 100 days pass for every record so far: both files' rows are moved back in time.
    const dayUs = 86_400_000_000;
    let aged = 0;
    for (const f of ['vault.db', 'audit.db']) {
      const db = new Database(path.join(data, f));
      aged += db.prepare(`UPDATE audit SET at_us = at_us - ${100 * dayUs}, time = strftime('%Y-%m-%dT%H:%M:%fZ', time, '-100 days')`).run().changes;
      db.close();
    }
    expect(aged).toBe(5); // account, initial key, agent, agent token, the denied read

    s = await start(['serve', '--data', data, '--port', '0', '--audit-retention-days', '0']);
    expect(await auditOf(s.url, adminKey)).toHaveLength(5);
    await s.stop();
    s = await start(['serve', '--data', data, '--port', '0', '--audit-retention-days', '120']);
    expect(await auditOf(s.url, adminKey)).toHaveLength(5);
    await s.stop();

    s = await start(['serve', '--data', data, '--port', '0']); // the default: 90 days
    try {
      const records = await auditOf(s.url, adminKey);
      expect(records.map((r) => [r.actor, r.actorType, r.action, r.target])).toEqual([['local:audit-retention', 'system', 'audit.prune', 'audit']]);
      expect(records[0]!.detail).toMatch(/^removed 5 records older than \d{4}-\d\d-\d\dT/);
      const cutoff = Date.parse(/older than (\S+)/.exec(records[0]!.detail)![1]!);
      expect(Math.abs(cutoff - (Date.now() - 90 * 86_400_000))).toBeLessThan(3_600_000);
    } finally {
      await s.stop();
    }
    const bad = await run(['serve', '--data', data, '--audit-retention-days', 'forever']);
    expect(bad.code).toBe(2);
  }, 120_000);
});
