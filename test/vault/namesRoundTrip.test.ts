// Names that travel: generated secret names (path characters, quotes, backslashes, `%`,
// `::`, emoji, right-to-left letters, combining marks, 128 characters) and an Agent Studio id, held
// by a real vault, come back exactly from every place that carries them: the snapshot file (`secrets-
// vault snapshot`, read by `check --snapshot` and the Python shim's offline mode), the extension's
// offline cache, access requests (API and CLI), kept versions, a run token (`secrets-vault run` and
// the shim), and `secrets-vault migrate` into PostgreSQL, read over HTTP afterwards.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRequest } from '../../protocol/api';
import { snapshotFileProblem, type SnapshotFile } from '../../protocol/check';
import { VaultApi } from '../../protocol/client';
import type { SecretValue } from '../../protocol/names';
import { readCache, toCache, writeCache } from '../../client/src/core/offlineCache';
import { undiciTransport } from '../../vault/src/cli/remote';
import { openVault, serve } from '../../vault/src/vault';
import { runChildCli, type CliRun } from '../helpers/childCli';
import { distinctByFold, secretNameArb, TRICKY_NAMES } from '../helpers/names';
import { credentialInText } from '../../vault/src/nameChecks';
import { pgDatabase } from '../helpers/pg';
import { startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
const AGENT = 'PROJECT-ROUND001';
let v: TestVault;
let dir: string;
let developer: string;
/** The secrets held: name → value. */
const held = new Map<string, SecretValue>();
/** Names asked for by access requests that do not exist yet. */
let wanted: string[] = [];
let requests: AccessRequest[] = [];

function run(args: string[], options: { token?: string; input?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return runChildCli(
    CLI,
    args,
    { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: options.token ?? v.adminKey, PYTHONDONTWRITEBYTECODE: '1', ...options.env },
    options.input,
  );
}

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  dir = mkdtempSync(path.join(tmpdir(), 'sv-names-'));
  v = await startTestVault();
  const admin = v.api();
  await admin.createAgent({ id: AGENT, name: 'Field Service Template' });
  await admin.createAgent({ id: 'booking-agent' });
  // The names asked for before they exist are ones no credential detector takes for a value: the
  // vault refuses a request for a missing secret whose name is a credential (credentialEcho.test.ts).
  const drawn = distinctByFold([...TRICKY_NAMES, ...fc.sample(secretNameArb, 40)]);
  const askable = drawn.filter((n) => credentialInText(n) === null).slice(-8);
  const names = [...drawn.filter((n) => !askable.includes(n)), ...askable];
  const split = names.length - askable.length;
  for (const [i, name] of names.slice(0, split).entries()) {
    const value: SecretValue = i % 3 === 0 ? { client_id: `id-${i}`, client_secret: `round-kv-${i}` } : `round-value-${i}`;
    await admin.createSecret({ name, value, agents: [AGENT] });
    if (i % 4 === 1) {
      // A second value: the first is kept as a version.
      const next = `round-value-${i}-v2`;
      await admin.updateSecret(name, { value: next });
      held.set(name, next);
    } else held.set(name, value);
  }
  wanted = names.slice(split);
  developer = (await admin.createUserKey({ name: 'dev', role: 'developer' })).token;
  const dev = v.api(developer);
  // Requests for secrets that do not exist yet, and for held ones for an agent without access.
  for (const name of wanted) await dev.createAccessRequest({ secret: name, agent: 'booking-agent', keys: ['client_id'] });
  for (const name of [...held.keys()].slice(0, 5)) await dev.createAccessRequest({ secret: name, agent: 'booking-agent', reason: `needs ${name}` });
  requests = await admin.listAccessRequests();
}, 120_000);
afterAll(async () => {
  await v?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('names that travel', () => {
  it('the snapshot file carries every name exactly; check --snapshot takes it and the Python shim reads each name from it offline', async () => {
    const r = await run(['snapshot', '--agent', AGENT]);
    expect(r.code, r.err).toBe(0);
    const file = JSON.parse(r.out) as SnapshotFile;
    expect(snapshotFileProblem(file)).toBeUndefined();
    expect(file.secrets.map((s) => s.name).sort()).toEqual([...held.keys()].sort());
    expect(file.agents).toContainEqual({ id: AGENT, name: 'Field Service Template' });
    const snap = path.join(dir, 'snap.json');
    writeFileSync(snap, r.out);
    // check reads it (a file with no reference: the snapshot alone is under test here).
    writeFileSync(path.join(dir, 'empty.py'), 'x = 1\n');
    const checked = await run(['check', '--snapshot', snap, '--format', 'json', path.join(dir, 'empty.py')]);
    expect(checked.code, checked.err).toBe(0);

    writeFileSync(path.join(dir, 'names.json'), JSON.stringify([...held.keys()]));
    const py = await runPython(
      `
import json
from secrets_vault.snapshot import SnapshotSecrets
s = SnapshotSecrets.load("snap.json")
out = {}
for n in json.load(open("names.json", encoding="utf-8")):
    v = s.get_secret(n)
    out[n] = v if isinstance(v, str) else sorted(v)
print(json.dumps(out))
`,
      {},
    );
    const got = JSON.parse(py.out) as Record<string, string | string[]>;
    for (const [name, value] of held) expect(got[name]).toEqual(typeof value === 'string' ? `<placeholder:${name}>` : Object.keys(value).sort());
  });

  it('the offline cache writes and reads every name, agent and pending request exactly', async () => {
    const admin = v.api();
    const secrets = await admin.listSecrets();
    const agents = await admin.listAgents();
    const pending = requests.filter((q) => q.status === 'pending').map((q) => ({ secret: q.secret, agent: q.agent }));
    const saved = toCache(v.url, new Date().toISOString(), await admin.whoami(), secrets, agents, pending);
    const cacheDir = mkdtempSync(path.join(dir, 'cache-'));
    await writeCache(cacheDir, v.adminKey, saved);
    const read = await readCache(cacheDir, v.url, v.adminKey);
    expect(read.problem).toBeUndefined();
    expect(read.cache).toEqual(saved);
    expect(read.cache!.secrets.map((s) => s.name).sort()).toEqual([...held.keys()].sort());
    expect(read.cache!.pendingAccess!.map((p) => p.secret)).toEqual(expect.arrayContaining(wanted));
  });

  it('access requests carry the names exactly through the API and the CLI (--json and the table)', async () => {
    expect(requests.filter((q) => q.newSecret).map((q) => q.secret).sort()).toEqual([...wanted].sort());
    const listed = await run(['--json', 'access', 'requests', '--status', 'pending'], { token: developer });
    expect(listed.code, listed.err).toBe(0);
    expect((JSON.parse(listed.out) as AccessRequest[]).map((q) => q.secret).sort()).toEqual(requests.map((q) => q.secret).sort());
    const table = (await run(['access', 'requests'])).out.trimEnd().split('\n');
    expect(table).toHaveLength(requests.length + 1);
    for (const name of wanted) expect(table.some((l) => l.includes(` ${name} (new, kv)`))).toBe(true);
    // Approving one for a held secret names it quoted, exactly.
    const grantable = requests.find((q) => !q.newSecret)!;
    const approved = await run(['access', 'approve', grantable.id]);
    expect(approved.out).toBe(`Approved ${grantable.id}: 'booking-agent' can now read '${grantable.secret}'.\n`);
  });

  it('kept versions are listed by the name, and a rollback by the name restores the first value', async () => {
    const admin = v.api();
    const updated = [...held.entries()].filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].endsWith('-v2'));
    expect(updated.length).toBeGreaterThan(2);
    for (const [name] of updated) {
      expect((await admin.listSecretVersions(name)).map((x) => x.version)).toEqual([2, 1]);
    }
    const [name, value] = updated[0]!;
    const s = await admin.getSecret(name);
    await admin.rollbackSecret(name, 1, s.version);
    const agent = v.api((await admin.createAgentToken(AGENT)).token);
    expect((await agent.runtimeSecret(name)).value).toBe(value.replace(/-v2$/, ''));
    await admin.updateSecret(name, { value }); // as it was, for the tests after this one
  });

  it('secrets-vault run: a run token reads every name through the Python shim, exactly', async () => {
    writeFileSync(path.join(dir, 'names.json'), JSON.stringify([...held.keys()]));
    const code = 'import json, secrets_vault as sv\nnames = json.load(open("names.json", encoding="utf-8"))\nprint(json.dumps({n: sv.get_secret(n) for n in names}))';
    const r = await runIn(dir, ['run', '--agent', AGENT, '--', 'python3', '-c', code]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual(Object.fromEntries(held));
  });

  it('secrets-vault migrate: every name, value, version and request arrives in PostgreSQL and reads over HTTP', async () => {
    const url = await pgDatabase();
    const r = await run(['migrate', '--from', v.dataDir, '--to', url]);
    expect(r.code, r.err).toBe(0);
    const pgVault = await openVault({ dataDir: v.dataDir, databaseUrl: url, env: {} });
    const server = await serve(pgVault, { port: 0 });
    try {
      const admin = new VaultApi(undiciTransport(server.url), v.adminKey);
      expect((await admin.listSecrets()).map((s) => s.name).sort()).toEqual([...held.keys()].sort());
      expect((await admin.listAccessRequests()).map((q) => q.secret).sort()).toEqual(requests.map((q) => q.secret).sort());
      const agent = new VaultApi(undiciTransport(server.url), (await admin.createAgentToken(AGENT)).token);
      for (const [name, value] of held) expect((await agent.runtimeSecret(name)).value, name).toEqual(value);
      const twice = [...held.entries()].find(([, value]) => typeof value === 'string' && value.endsWith('-v2'))![0];
      expect((await admin.listSecretVersions(twice)).length).toBeGreaterThanOrEqual(2);
    } finally {
      await server.close();
      await pgVault.close();
    }
  }, 120_000);
});

/** The CLI with `cwd`, asynchronously (the vault under test runs in this process). */
function runIn(cwd: string, args: string[]): Promise<CliRun> {
  const env = { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey, PYTHONDONTWRITEBYTECODE: '1' };
  return runChildCli(CLI, args, env, '', { cwd, timeoutMs: 30_000 });
}

/** python3 with the built shim on its path, in the test's folder, offline (no vault in its environment). */
function runPython(code: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', code], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONPATH: path.resolve('dist/python'), PYTHONDONTWRITEBYTECODE: '1', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`python3 failed (${code}): ${err}`));
      else resolve({ code, out, err });
    });
  });
}
