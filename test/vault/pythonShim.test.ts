// The Python runtime shim (vault/python/secrets_vault, shipped as dist/python/secrets_vault) run as a
// function author runs it: a real python3 against a real vault over HTTP on 127.0.0.1, and pytest
// with the shim's plugin on a small test file in a temporary folder, online and from a snapshot.

import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { ReadRateLimiter } from '../../vault/src/auth';
import { pythonShimDir } from '../../vault/src/cli/pythonShim';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recordingProxy';
import { selfSignedCert } from '../helpers/tls';
import { startTestVault, type TestVault } from '../helpers/vault';
import fc from 'fast-check';
import { isAnyName } from '../../protocol/names';
import { INVISIBLE_CODE_POINTS } from '../helpers/invisible';
import { distinctByFold, secretNameArb, TRICKY_NAMES } from '../helpers/names';

const SHIM = path.resolve('dist/python');
const SINGLE_VALUE = 'sk_live_shimSingleValue0123456789';
const KV_VALUE = { user: 'shim-db-user', password: 'shimDbPassw0rd-9876' };
const OTHER_VALUE = 'other-agent-only-value-5555';

let v: TestVault;
let token: string;
let dir: string;

interface PyRun {
  code: number | null;
  out: string;
  err: string;
}

// Asynchronous on purpose: the vault under test runs in this process, so a blocking spawn would deadlock.
function py(args: string[], options: { env?: Record<string, string>; cwd?: string; token?: string | null; url?: string } = {}): Promise<PyRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PYTHONPATH: SHIM,
      PYTHONDONTWRITEBYTECODE: '1',
      // pytest must not pick up plugins or settings from this machine's environment
      PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1',
      SECRETS_VAULT_URL: options.url ?? v.url,
      ...(options.token === null ? {} : { SECRETS_VAULT_TOKEN: options.token ?? token }),
      ...options.env,
    };
    const child = spawn('python3', args, { env, cwd: options.cwd ?? dir });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** Runs a Python snippet that prints one JSON line and returns it parsed. */
async function pyJson(code: string, options: Parameters<typeof py>[1] = {}): Promise<{ run: PyRun; json: Record<string, unknown> }> {
  const run = await py(['-c', code], options);
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(run.out.trim().split('\n').pop() ?? '') as Record<string, unknown>;
  } catch {
    throw new Error(`python printed no JSON: code ${run.code}\n${run.out}\n${run.err}`);
  }
  return { run, json };
}

const fingerprint = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 8);

/** Every output of a run: the token and the values must never be in any of it. */
function expectNoLeak(run: PyRun, extra: string[] = []): void {
  for (const s of [token, ...extra]) {
    expect(run.out).not.toContain(s);
    expect(run.err).not.toContain(s);
  }
}

const TRY_READ = (name: string) => `
import json, secrets_vault as sv
try:
    sv.get_secret(${JSON.stringify(name)})
    print(json.dumps({"ok": True}))
except sv.SecretsVaultError as e:
    print(json.dumps({"cls": type(e).__name__, "msg": str(e), "notFound": isinstance(e, sv.SecretNotFound), "retry": getattr(e, "retry_after", None)}))
`;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  dir = mkdtempSync(path.join(tmpdir(), 'sv-shim-'));
  v = await startTestVault();
  const api = v.api();
  await api.createAgent({ id: 'shim-agent' });
  await api.createAgent({ id: 'other-agent' });
  await api.createSecret({ name: 'stripe_key', value: SINGLE_VALUE, agents: ['shim-agent'] });
  await api.createSecret({ name: 'db_creds', value: KV_VALUE, agents: ['shim-agent'] });
  await api.createSecret({ name: 'other_secret', value: OTHER_VALUE, agents: ['other-agent'] });
  token = (await api.createAgentToken('shim-agent')).token;
  expect(token.startsWith('sva_')).toBe(true);
});
afterAll(async () => {
  await v?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the Python shim, online', () => {
  it('the build ships the shim where the CLI finds it (dist/python beside dist/vault; vault/python from source)', () => {
    expect(pythonShimDir(path.resolve('dist/vault'))).toBe(SHIM);
    expect(pythonShimDir(path.resolve('vault/src/cli'))).toBe(path.resolve('vault/python'));
    expect(pythonShimDir(tmpdir())).toBeUndefined();
    // Standard library only: without site-packages (-S) and isolated from the environment (-I),
    // every module but the pytest plugin still imports.
    const stdlibOnly = spawnSync('python3', ['-I', '-S', '-c', `import sys; sys.path.insert(0, ${JSON.stringify(SHIM)}); import secrets_vault, secrets_vault.__main__, secrets_vault.snapshot; print("ok")`], { encoding: 'utf8' });
    expect(stdlibOnly.stderr).toBe('');
    expect(stdlibOnly.stdout.trim()).toBe('ok');
    for (const f of ['__init__.py', '__main__.py', 'pytest_plugin.py', 'snapshot.py']) {
      expect(readFileSync(path.join(SHIM, 'secrets_vault', f), 'utf8')).toBe(readFileSync(path.resolve('vault/python/secrets_vault', f), 'utf8'));
    }
    const r = spawnSync('python3', ['-c', 'import secrets_vault, sys; print(secrets_vault.__file__)'], { env: { PATH: process.env.PATH ?? '', PYTHONPATH: SHIM, PYTHONDONTWRITEBYTECODE: '1' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(path.join(SHIM, 'secrets_vault', '__init__.py'));
  });

  it('get_secret returns a str for a single value and a dict for key/value pairs, through Conv too', async () => {
    const { run, json } = await pyJson(`
import json, hashlib
from secrets_vault import get_secret, Conv
s = get_secret("stripe_key")
d = Conv().utils.get_secret("db_creds")
fp = lambda x: hashlib.sha256(x.encode()).hexdigest()[:8]
print(json.dumps({"sType": type(s).__name__, "s": fp(s), "dType": type(d).__name__, "keys": sorted(d), "user": fp(d["user"]), "password": fp(d["password"])}))
`);
    expect(run.code).toBe(0);
    expect(json).toEqual({ sType: 'str', s: fingerprint(SINGLE_VALUE), dType: 'dict', keys: ['password', 'user'], user: fingerprint(KV_VALUE.user), password: fingerprint(KV_VALUE.password) });
    expectNoLeak(run, [SINGLE_VALUE, KV_VALUE.password]);
  });

  it('a missing and an ungranted name raise the same class with the same message form, naming no value', async () => {
    const missing = (await pyJson(TRY_READ('no_such_secret'))).json;
    const ungranted = await pyJson(TRY_READ('other_secret'));
    expect(missing.cls).toBe('MissingAccess');
    expect(ungranted.json.cls).toBe('MissingAccess');
    expect(missing.notFound).toBe(true); // MissingAccess is a SecretNotFound: either except clause catches it
    expect(missing.msg).toBe("Agent 'shim-agent' may not read that secret: it does not exist or is not granted to this agent.");
    expect(ungranted.json.msg).toBe("Agent 'shim-agent' may not read that secret: it does not exist or is not granted to this agent.");
    expectNoLeak(ungranted.run, [OTHER_VALUE]);
  });

  it('an expired secret raises SecretExpired (a MissingAccess, so existing handlers still catch it), naming no value', async () => {
    const api = v.api();
    await api.createSecret({ name: 'expiring_key', value: 'expiring-value-7d3a', agents: ['shim-agent'] });
    expect((await pyJson(TRY_READ('expiring_key'))).json.ok).toBe(true);
    const meta = await api.getSecret('expiring_key');
    await api.updateSecret('expiring_key', { expiresAt: '2020-01-01T00:00:00Z' }, meta.version);
    const { run, json } = await pyJson(TRY_READ('expiring_key'));
    expect(json.cls).toBe('SecretExpired');
    expect(json.notFound).toBe(true);
    expect(json.msg).toMatch(/expiring_key.*expired/);
    expectNoLeak(run, ['expiring-value-7d3a']);
    const isMissingAccess = await pyJson('import json, secrets_vault as sv\nprint(json.dumps({"ok": issubclass(sv.SecretExpired, sv.MissingAccess)}))');
    expect(isMissingAccess.json.ok).toBe(true);
    await api.deleteSecret('expiring_key');
  });

  it('a revoked token gets a clear 401 error that names it expired or revoked, without the token', async () => {
    const api = v.api();
    await api.createAgent({ id: 'gone-agent' });
    await api.grant('stripe_key', 'gone-agent');
    const gone = (await api.createAgentToken('gone-agent')).token;
    expect((await pyJson(TRY_READ('stripe_key'), { token: gone })).json.ok).toBe(true);
    await api.deleteAgent('gone-agent'); // its tokens die with it
    const { run, json } = await pyJson(TRY_READ('stripe_key'), { token: gone });
    expect(json.cls).toBe('TokenRejected');
    expect(json.msg).toMatch(/expired, revoked/);
    expect(json.msg).toContain(v.url);
    expect(run.out + run.err).not.toContain(gone);
  });

  it('no token, a bad URL, a refused connection and plain http to another host are clear errors naming no token', async () => {
    const noToken = (await pyJson(TRY_READ('stripe_key'), { token: null })).json;
    expect(noToken).toMatchObject({ cls: 'ConfigurationError' });
    expect(noToken.msg).toContain('SECRETS_VAULT_TOKEN');
    // A port nothing listens on: this vault's port after a throwaway vault has stopped.
    const dead = await startTestVault();
    const deadUrl = dead.url;
    await dead.stop();
    const refused = await pyJson(TRY_READ('stripe_key'), { url: deadUrl });
    expect(refused.json.cls).toBe('VaultUnavailable');
    expect(refused.json.msg).toContain(`Cannot reach the vault at ${deadUrl}`);
    expectNoLeak(refused.run);
    const remote = (await pyJson(TRY_READ('stripe_key'), { url: 'http://vault.example.com:8787' })).json;
    expect(remote.cls).toBe('ConfigurationError');
    expect(remote.msg).toMatch(/Refusing plain http:\/\/ to vault\.example\.com/);
  });

  it('a URL with user info is refused before any request or name lookup, and the message does not quote it', async () => {
    const seen: string[] = [];
    const listener = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"stripe_key","value":"x"}');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    try {
      for (const url of [`http://user:pw-4411@127.0.0.1:${port}`, `http://only-user@127.0.0.1:${port}`, 'https://user:pw-4411@vault.invalid:8443']) {
        const { run, json } = await pyJson(TRY_READ('stripe_key'), { url });
        // A ConfigurationError (not VaultUnavailable): refused before a connection, so before a lookup.
        expect(json.cls).toBe('ConfigurationError');
        expect(json.msg).toMatch(/must not carry a user name or password/);
        expect(json.msg).not.toContain('pw-4411');
        expect(json.msg).not.toContain('only-user');
        expectNoLeak(run, ['pw-4411']);
      }
      expect(seen).toEqual([]);
    } finally {
      listener.close();
    }
  });

  it('429 raises RateLimited with the Retry-After seconds', async () => {
    const limited = await startTestVault({ serve: { readLimiter: new ReadRateLimiter(0.001, 1) } });
    try {
      const api = limited.api();
      await api.createAgent({ id: 'busy-agent' });
      await api.createSecret({ name: 'busy', value: 'busy-value-1234', agents: ['busy-agent'] });
      const busy = (await api.createAgentToken('busy-agent')).token;
      const code = `
import json, secrets_vault as sv
sv.get_secret("busy")
try:
    sv.get_secret("busy")
    print(json.dumps({"ok": True}))
except sv.RateLimited as e:
    print(json.dumps({"cls": type(e).__name__, "msg": str(e), "retry": e.retry_after}))
`;
      const { run, json } = await pyJson(code, { token: busy, url: limited.url });
      expect(json.cls).toBe('RateLimited');
      expect(typeof json.retry).toBe('number');
      expect(json.retry as number).toBeGreaterThan(0);
      expect(json.msg).toContain(`Retry after ${String(json.retry)} s`);
      expect(run.out + run.err).not.toContain(busy);
    } finally {
      await limited.stop();
    }
  });

  it('https: the certificate is verified (a self-signed one is refused unless trusted via SSL_CERT_FILE)', async () => {
    const tlsDir = path.join(dir, 'tls');
    mkdirSync(tlsDir);
    const { cert, key } = selfSignedCert(tlsDir);
    const secure = await startTestVault({ serve: { tls: { cert: readFileSync(cert), key: readFileSync(key) } } });
    const dispatcher = new Agent({ connect: { ca: readFileSync(cert) } });
    try {
      expect(secure.url).toMatch(/^https:/);
      const call = async (pathname: string, body: unknown) => {
        const res = await request(secure.url + pathname, { method: 'POST', headers: { authorization: `Bearer ${secure.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body), dispatcher });
        return (await res.body.json()) as { token?: string };
      };
      await call('/v1/agents', { id: 'tls-agent' });
      await call('/v1/secrets', { name: 'tls_secret', value: 'tls-secret-value-4242', agents: ['tls-agent'] });
      const tlsToken = (await call('/v1/agents/tls-agent/tokens', {})).token!;
      const untrusted = await pyJson(TRY_READ('tls_secret'), { token: tlsToken, url: secure.url });
      expect(untrusted.json.cls).toBe('VaultUnavailable');
      expect(untrusted.json.msg).toMatch(/CERTIFICATE_VERIFY_FAILED|certificate verify failed/);
      const trusted = await pyJson(TRY_READ('tls_secret'), { token: tlsToken, url: secure.url, env: { SSL_CERT_FILE: cert } });
      expect(trusted.json).toEqual({ ok: true });
      for (const r of [untrusted.run, trusted.run]) expect(r.out + r.err).not.toContain(tlsToken);
    } finally {
      await dispatcher.close();
      await secure.stop();
    }
  });

  it('a redirect is not followed: the token goes only to SECRETS_VAULT_URL', async () => {
    const seen: (string | undefined)[] = [];
    const listen = (server: Server) => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
    const elsewhere = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"stripe_key","value":"x"}');
    });
    const elsewhereUrl = await listen(elsewhere);
    const redirector = createServer((req, res) => res.writeHead(302, { location: elsewhereUrl + (req.url ?? '/') }).end());
    const redirectorUrl = await listen(redirector);
    try {
      const { run, json } = await pyJson(TRY_READ('stripe_key'), { url: redirectorUrl });
      expect(json.cls).toBe('VaultUnavailable');
      expect(json.msg).toContain('redirect (302)');
      expect(seen).toEqual([]);
      expectNoLeak(run);
    } finally {
      elsewhere.close();
      redirector.close();
    }
  });

  it('python -m secrets_vault call FILE:NAME runs a function with conv and prints its JSON result', async () => {
    const file = path.join(dir, 'fns.py');
    writeFileSync(
      file,
      `import hashlib

def fingerprint(conv, name, key=None):
    value = conv.utils.get_secret(name)
    if key is not None:
        value = value[key]
    return {"name": name, "sha256_8": hashlib.sha256(value.encode()).hexdigest()[:8]}

def positional(conv, a, b):
    return [a, b]

def not_json(conv):
    return {1, 2}

async def coroutine(conv, name):
    return len(conv.utils.get_secret(name))
`,
    );
    const single = await py(['-m', 'secrets_vault', 'call', `${file}:fingerprint`, '--args', '{"name":"stripe_key"}']);
    expect(single.code).toBe(0);
    expect(JSON.parse(single.out)).toEqual({ name: 'stripe_key', sha256_8: fingerprint(SINGLE_VALUE) });
    const kv = await py(['-m', 'secrets_vault', 'call', `${file}:fingerprint`, '--args', '{"name":"db_creds","key":"password"}']);
    expect(JSON.parse(kv.out)).toEqual({ name: 'db_creds', sha256_8: fingerprint(KV_VALUE.password) });
    const pos = await py(['-m', 'secrets_vault', 'call', `${file}:positional`, '--args', '[1, "two"]']);
    expect(JSON.parse(pos.out)).toEqual([1, 'two']);
    const repr = await py(['-m', 'secrets_vault', 'call', `${file}:not_json`]);
    expect(repr.out.trim()).toBe('{1, 2}');
    const coro = await py(['-m', 'secrets_vault', 'call', `${file}:coroutine`, '--args', '{"name":"stripe_key"}']);
    expect(coro.out.trim()).toBe(String(SINGLE_VALUE.length));
    for (const r of [single, kv, pos, repr]) expectNoLeak(r, [SINGLE_VALUE, KV_VALUE.password]);

    const ungranted = await py(['-m', 'secrets_vault', 'call', `${file}:fingerprint`, '--args', '{"name":"other_secret"}']);
    expect(ungranted.code).toBe(1);
    // The runtime stand-in's MissingAccess (the platform's, with its constructor arguments), a secrets_vault.MissingAccess too.
    expect(ungranted.err).toContain("secrets_vault.adk.MissingAccess: Agent 'shim-agent' may not read that secret: it does not exist or is not granted to this agent.");
    expectNoLeak(ungranted, [OTHER_VALUE]);

    const usage = [
      await py(['-m', 'secrets_vault', 'call', 'no-colon']),
      await py(['-m', 'secrets_vault', 'call', `${file}:missing_fn`]),
      await py(['-m', 'secrets_vault', 'call', `${path.join(dir, 'nope.py')}:f`]),
      await py(['-m', 'secrets_vault', 'call', `${file}:fingerprint`, '--args', '{bad json']),
      await py(['-m', 'secrets_vault', 'call', `${file}:fingerprint`, '--args', '"a string"']),
    ];
    expect(usage.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(usage[0]!.err).toContain('expected FILE:NAME');
    expect(usage[1]!.err).toContain("has no function 'missing_fn'");
    expect(usage[2]!.err).toContain('no such file');
    expect(usage[3]!.err).toContain('--args is not valid JSON');
    expect(usage[4]!.err).toContain('must be a JSON object');
  });

  it('conv.env is SECRETS_VAULT_ENV (as Run as agent sets it), sandbox without it, so a function choosing its secret by conv.env takes that branch', async () => {
    const file = path.join(dir, 'by_env.py');
    writeFileSync(
      file,
      `def pick(conv):
    if conv.env == 'live':
        name = 'stripe_key'
    elif conv.env == 'pre-release':
        name = 'db_creds'
    else:
        name = 'other_secret'
    value = conv.utils.get_secret(name)
    return {"env": conv.env, "name": name, "kind": type(value).__name__}
`,
    );
    const live = await py(['-m', 'secrets_vault', 'call', `${file}:pick`], { env: { SECRETS_VAULT_ENV: 'live' } });
    expect(live.code).toBe(0);
    expect(JSON.parse(live.out)).toEqual({ env: 'live', name: 'stripe_key', kind: 'str' });
    const pre = await py(['-m', 'secrets_vault', 'call', `${file}:pick`], { env: { SECRETS_VAULT_ENV: 'pre-release' } });
    expect(JSON.parse(pre.out)).toEqual({ env: 'pre-release', name: 'db_creds', kind: 'dict' });
    // No SECRETS_VAULT_ENV (or an empty one): sandbox, whose name this agent is not granted.
    for (const env of [{}, { SECRETS_VAULT_ENV: ' ' }] as Record<string, string>[]) {
      const sandbox = await py(['-m', 'secrets_vault', 'call', `${file}:pick`], { env });
      expect(sandbox.code).toBe(1);
      expect(sandbox.err).toContain("may not read that secret");
      expectNoLeak(sandbox, [OTHER_VALUE]);
    }
    for (const r of [live, pre]) expectNoLeak(r, [SINGLE_VALUE, KV_VALUE.password]);
    // A Conv made by hand names its environment, or takes the variable's.
    const { json } = await pyJson('import json, secrets_vault as sv\nprint(json.dumps([sv.Conv().env, sv.Conv(env="live").env]))', { env: { SECRETS_VAULT_ENV: 'pre-release' } });
    expect(json).toEqual(['pre-release', 'live']);
    // The vault kept each read with the environment the shim told it (SECRETS_VAULT_ENV).
    const reads = new Map((await v.api().agentReads('shim-agent')).reads.map((r) => [r.secret, r.environment]));
    expect([reads.get('stripe_key'), reads.get('db_creds')]).toEqual(['live', 'pre-release']);
    // A value no header may carry is not sent (the read still works, with no environment).
    const odd = await pyJson('import json, secrets_vault as sv\nsv.get_secret("db_creds")\nprint(json.dumps({"ok": True}))', { env: { SECRETS_VAULT_ENV: 'live\r\nX-Injected: 1' } });
    expect(odd.json).toEqual({ ok: true });
    expect((await v.api().getSecret('db_creds')).lastReads).toEqual([{ agent: 'shim-agent', at: expect.any(String), environment: null }]);
  });
});

describe('the Python shim and proxies from the environment', () => {
  let proxy: RecordingProxy;
  beforeAll(async () => {
    proxy = await startRecordingProxy();
  });
  afterAll(() => proxy?.stop());

  it('http:// never goes through a proxy, whatever HTTP_PROXY, http_proxy or ALL_PROXY say', async () => {
    const envs: Record<string, string>[] = [{ HTTP_PROXY: proxy.url }, { http_proxy: proxy.url }, { ALL_PROXY: proxy.url, all_proxy: proxy.url }, { HTTP_PROXY: proxy.url, http_proxy: proxy.url, SECRETS_VAULT_USE_PROXY: '1' }];
    for (const env of envs) {
      proxy.seen.length = 0;
      const { run, json } = await pyJson(TRY_READ('stripe_key'), { env });
      // Read directly from the vault; before the fix the proxy got "GET http://127.0.0.1:…" with "Authorization: Bearer sva_…".
      expect(json).toEqual({ ok: true });
      expect(proxy.seen).toEqual([]);
      expectNoLeak(run, [SINGLE_VALUE]);
    }
  });

  it('https:// uses HTTPS_PROXY only with SECRETS_VAULT_USE_PROXY=1, and then as a CONNECT tunnel that never sees the token', async () => {
    const tlsDir = mkdtempSync(path.join(dir, 'proxy-tls-'));
    const { cert, key } = selfSignedCert(tlsDir);
    const secure = await startTestVault({ serve: { tls: { cert: readFileSync(cert), key: readFileSync(key) } } });
    const dispatcher = new Agent({ connect: { ca: readFileSync(cert) } });
    try {
      const call = async (pathname: string, body: unknown) => {
        const res = await request(secure.url + pathname, { method: 'POST', headers: { authorization: `Bearer ${secure.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body), dispatcher });
        return (await res.body.json()) as { token?: string };
      };
      await call('/v1/agents', { id: 'tls-agent' });
      await call('/v1/secrets', { name: 'tls_secret', value: 'tls-proxied-value-5150', agents: ['tls-agent'] });
      const tlsToken = (await call('/v1/agents/tls-agent/tokens', {})).token!;
      const base = { token: tlsToken, url: secure.url };
      const proxied = { SSL_CERT_FILE: cert, HTTPS_PROXY: proxy.url, https_proxy: proxy.url, HTTP_PROXY: proxy.url };

      proxy.seen.length = 0;
      const direct = await pyJson(TRY_READ('tls_secret'), { ...base, env: proxied });
      expect(direct.json).toEqual({ ok: true });
      expect(proxy.seen).toEqual([]);

      const optedIn = await pyJson(TRY_READ('tls_secret'), { ...base, env: { ...proxied, SECRETS_VAULT_USE_PROXY: '1' } });
      expect(optedIn.json).toEqual({ ok: true });
      const port = new URL(secure.url).port;
      expect(proxy.seen.map((r) => `${r.method} ${r.target}`)).toEqual([`CONNECT 127.0.0.1:${port}`]);
      for (const r of proxy.seen) {
        expect(r.authorization).toBeUndefined();
        expect(r.raw).not.toContain(tlsToken);
      }
      for (const r of [direct.run, optedIn.run]) expectNoLeak(r, [tlsToken, 'tls-proxied-value-5150']);
    } finally {
      await dispatcher.close();
      await secure.stop();
    }
  });
});

const PYTEST_FILE = `
import pytest
from secrets_vault import MissingAccess, SecretNotFound

def test_single(conv):
    value = conv.utils.get_secret("stripe_key")
    assert isinstance(value, str) and value

def test_kv_keys(conv):
    creds = conv.utils.get_secret("db_creds")
    assert sorted(creds) == ["password", "user"]

def test_wrong_key(conv):
    conv.utils.get_secret("db_creds")["passwd"]

def test_ungranted(conv):
    conv.utils.get_secret("other_secret")

def test_ungranted_expected(conv):
    with pytest.raises(MissingAccess):
        conv.utils.get_secret("no_such_secret")

def test_invalid_name(conv):
    with pytest.raises(SecretNotFound) as e:
        conv.utils.get_secret("sk-live-looks-like-a-value\\t")
    print("INVALID", type(e.value).__name__, str(e.value))

def test_placeholder_shape(conv):
    import hashlib
    fp = lambda x: hashlib.sha256(x.encode()).hexdigest()[:8]
    s = conv.utils.get_secret("stripe_key")
    d = conv.utils.get_secret("db_creds")
    # fingerprints, not values: the test's output must not hold one either
    print("SHAPE", fp(s), fp(d["user"]))
`;

// A name with a control character (a tab): no account can hold it (names are printable text), and the
// message says why without repeating it.
const INVALID_NAME_LINE = 'INVALID SecretNotFound get_secret() was given a name no secret can have (27 characters): it holds a control, invisible, separator or bidirectional-control character (U+0009).';

/** pytest's per-test outcomes from -rA's short summary: { test_name: PASSED|FAILED|ERROR }. */
function outcomes(out: string): Record<string, string> {
  const r: Record<string, string> = {};
  for (const m of out.matchAll(/^(PASSED|FAILED|ERROR) \S*::(\w+)/gm)) r[m[2]!] = m[1]!;
  return r;
}

describe('the pytest plugin', () => {
  beforeAll(() => {
    const r = spawnSync('python3', ['-m', 'pytest', '--version'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`python3 -m pytest is not installed (Debian: python3-pytest): ${r.stderr}`);
    writeFileSync(path.join(dir, 'test_fn.py'), PYTEST_FILE);
  });

  const pytest = (args: string[], options: Parameters<typeof py>[1] = {}) =>
    py(['-m', 'pytest', '-p', 'secrets_vault.pytest_plugin', '-p', 'no:cacheprovider', '-rA', '-s', 'test_fn.py', ...args], options);

  it('online (a token in the environment): real values, an ungranted read fails with MissingAccess', async () => {
    const run = await pytest([]);
    expect(outcomes(run.out)).toEqual({
      test_single: 'PASSED',
      test_kv_keys: 'PASSED',
      test_wrong_key: 'FAILED',
      test_ungranted: 'FAILED',
      test_ungranted_expected: 'PASSED',
      test_invalid_name: 'PASSED',
      test_placeholder_shape: 'PASSED',
    });
    expect(run.out).toContain("MissingAccess: Agent 'shim-agent' may not read that secret: it does not exist or is not granted to this agent.");
    expect(run.out).toContain("KeyError: 'passwd'");
    expect(run.out).toContain(INVALID_NAME_LINE);
    expect(run.out).not.toContain('sk-live-looks-like-a-value');
    // Fingerprints of the real values: online reads are the vault's.
    expect(run.out).toContain(`SHAPE ${fingerprint(SINGLE_VALUE)} ${fingerprint(KV_VALUE.user)}`);
    expectNoLeak(run, [SINGLE_VALUE, KV_VALUE.user, KV_VALUE.password, OTHER_VALUE]);
  });

  it('offline (--secrets-snapshot): placeholders with the real keys, access from the snapshot, no network', async () => {
    const snapshot = {
      version: 1,
      generatedAt: new Date().toISOString(),
      vault: v.url,
      namingStyle: 'snake_case',
      agent: 'shim-agent',
      secrets: (await v.api().listSecrets()).map((s) => ({ name: s.name, description: s.description, kind: s.kind, keys: s.keys, agents: s.agents })),
      agents: (await v.api().listAgents()).map((a) => ({ id: a.id, name: a.name })),
    };
    writeFileSync(path.join(dir, 'snap.json'), JSON.stringify(snapshot));
    // No token and a URL where nothing listens: any network use would fail the granted reads.
    const offline = { token: null, url: 'http://127.0.0.1:9' } as const;
    const run = await pytest(['--secrets-snapshot', 'snap.json'], offline);
    expect(outcomes(run.out)).toEqual({
      test_single: 'PASSED',
      test_kv_keys: 'PASSED',
      test_wrong_key: 'FAILED',
      test_ungranted: 'FAILED',
      test_ungranted_expected: 'PASSED',
      test_invalid_name: 'PASSED',
      test_placeholder_shape: 'PASSED',
    });
    expect(run.out).toContain(`SHAPE ${fingerprint('<placeholder:stripe_key>')} ${fingerprint('<placeholder:db_creds.user>')}`);
    expect(run.out).toContain("MissingAccess: Agent 'shim-agent' may not read that secret: it does not exist or is not granted to this agent.");
    expect(run.out).toContain("KeyError: 'passwd'");
    expect(run.out).toContain(INVALID_NAME_LINE); // the same error as online
    expect(run.out).not.toContain('sk-live-looks-like-a-value');

    // --secrets-agent overrides the snapshot's agent: other-agent may read other_secret only.
    const other = await pytest(['--secrets-snapshot', 'snap.json', '--secrets-agent', 'other-agent'], offline);
    expect(outcomes(other.out)).toMatchObject({ test_single: 'FAILED', test_ungranted: 'PASSED' });
    expect(other.out).toContain("MissingAccess: Agent 'other-agent' may not read that secret: it does not exist or is not granted to this agent.");

    // Without an agent in the snapshot, secrets-vault.json's "agent" applies.
    const { agent: _agent, ...anonymous } = snapshot;
    writeFileSync(path.join(dir, 'snap-noagent.json'), JSON.stringify(anonymous));
    writeFileSync(path.join(dir, 'secrets-vault.json'), JSON.stringify({ agent: 'other-agent' }));
    const fromConfig = await pytest(['--secrets-snapshot', 'snap-noagent.json', '--rootdir', dir], offline);
    rmSync(path.join(dir, 'secrets-vault.json'));
    expect(outcomes(fromConfig.out)).toMatchObject({ test_single: 'FAILED', test_ungranted: 'PASSED' });

    for (const r of [run, other, fromConfig]) expectNoLeak(r, [SINGLE_VALUE, KV_VALUE.user, KV_VALUE.password, OTHER_VALUE]);
  });

  it('a bad snapshot, an unknown agent or no vault at all are clear errors', async () => {
    writeFileSync(path.join(dir, 'bad.json'), '{"version": 7}');
    const bad = await pytest(['--secrets-snapshot', 'bad.json'], { token: null });
    expect(bad.out).toContain('is not a secrets-vault snapshot: unsupported version 7 (expected 1)');
    expect(Object.values(outcomes(bad.out)).every((o) => o === 'ERROR' || o === 'PASSED')).toBe(true);
    expect(outcomes(bad.out).test_single).toBe('ERROR');
    const unknown = await pytest(['--secrets-snapshot', 'snap.json', '--secrets-agent', 'nobody'], { token: null });
    expect(unknown.out).toContain("has no agent 'nobody' (agents: other-agent, shim-agent)");
    const none = await pytest([], { token: null });
    expect(outcomes(none.out).test_single).toBe('ERROR');
    expect(none.out).toContain("run pytest under 'secrets-vault run'");
  });
});

describe('the Python shim and names as real accounts have them', () => {
  /** Runs check_name and path_segment over many names in one python process. */
  async function pyNames(names: string[]): Promise<{ ok: boolean; cn: boolean; seg: string }[]> {
    writeFileSync(path.join(dir, 'names.json'), JSON.stringify(names));
    const run = await py([
      '-c',
      `
import json, unicodedata, secrets_vault as sv
out = []
for n in json.load(open("names.json", encoding="utf-8")):
    try:
        sv.check_name(n); ok = True
    except sv.SecretNotFound:
        ok = False
    # A character this Python's Unicode tables do not know yet (Cn) may be one Node's newer tables call a format character.
    out.append({"ok": ok, "cn": any(unicodedata.category(c) == "Cn" for c in n), "seg": sv.path_segment(n) if ok else ""})
print(json.dumps(out))
`,
    ]);
    expect(run.code, run.err).toBe(0);
    return JSON.parse(run.out) as { ok: boolean; cn: boolean; seg: string }[];
  }

  it('check_name accepts exactly the names the contract accepts (protocol/names.ts isAnyName), and path_segment is one segment that decodes to the name', async () => {
    const generated = [
      ...TRICKY_NAMES,
      ...fc.sample(secretNameArb, 300),
      ...fc.sample(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 6 }), 400),
      ...fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), 300),
      ' leading', 'trailing ', '\u00a0nbsp', 'a\u202eb', 'a\u2066b', 'zw\u200bsp', 'tag\u{e0041}', 'line\u2028sep', 'para\u2029sep', 'ctl\u001b[31m', 'del\u007f', 'nul\u0000',
      'pua\ue000', 'nonchar\ufdd0', 'x'.repeat(129), '🔑'.repeat(129), '', 'admin\u3164', 'a\u034fb', '\u115fx', 'x\uffa0', 'k\u17b4',
      ...INVISIBLE_CODE_POINTS.map((c) => `stripe_key${c}`),
    ];
    const got = await pyNames(generated);
    const wrong: string[] = [];
    generated.forEach((n, i) => {
      const g = got[i]!;
      if (g.cn) return; // Unicode versions differ: not the shim's rule
      if (g.ok !== isAnyName(n)) wrong.push(`${JSON.stringify(n)}: python ${g.ok}, contract ${isAnyName(n)}`);
      if (g.ok && (decodeURIComponent(g.seg) !== n || g.seg.includes('/') || /^\.{1,2}$/.test(g.seg))) wrong.push(`${JSON.stringify(n)}: segment ${g.seg}`);
    });
    expect(wrong).toEqual([]);
    // Both verdicts occur, so the comparison compares something.
    expect(got.filter((g) => g.ok).length).toBeGreaterThan(300);
    expect(got.filter((g) => !g.ok).length).toBeGreaterThan(20);
  });

  it('get_secret reads generated names (path characters, quotes, emoji, right-to-left, combining marks, 128 characters) exactly, over a real vault', async () => {
    const api = v.api();
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(secretNameArb, { minLength: 1, maxLength: 6 }), async (drawn) => {
        round++;
        const names = distinctByFold(drawn);
        // Each value names its round and index, so a read that reached another secret shows.
        const values = names.map((_, i) => `shim-prop-${round}-${i}-value`);
        try {
          for (const [i, name] of names.entries()) await api.createSecret({ name, value: values[i]!, agents: ['shim-agent'] });
          writeFileSync(path.join(dir, 'names.json'), JSON.stringify(names));
          const { run, json } = await pyJson(`
import json, hashlib, secrets_vault as sv
names = json.load(open("names.json", encoding="utf-8"))
print(json.dumps({"got": [hashlib.sha256(sv.get_secret(n).encode()).hexdigest()[:8] for n in names]}))
`);
          expect(run.code, run.err).toBe(0);
          expect(json.got).toEqual(values.map(fingerprint));
          expectNoLeak(run, values);
        } finally {
          for (const name of names) await api.deleteSecret(name).catch(() => undefined);
        }
      }),
      { numRuns: 12 },
    );
  });

  it('an ungranted odd name is refused without quoting it (the vault quotes no name it refuses), and a hostile detail cannot reach the terminal raw', async () => {
    await v.api().createSecret({ name: "Prod API 'Credentials' / ..", value: 'odd-ungranted-value', agents: ['other-agent'] });
    const refused = await pyJson(TRY_READ("Prod API 'Credentials' / .."));
    expect(refused.json.cls).toBe('MissingAccess');
    expect(refused.json.msg).toContain('may not read that secret');
    expect(refused.json.msg).not.toContain('Credentials');
    expectNoLeak(refused.run, ['odd-ungranted-value']);
    // A server (or a proxy) whose problem detail holds terminal escapes and bidi controls.
    const hostile = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Forbidden', code: 'forbidden', detail: 'no \u001b[2J\u001b]0;pwned\u0007 read \u202eevil\u202c\n::error::x' }));
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
      const r = await pyJson(TRY_READ('a name'), { url });
      expect(r.json.cls).toBe('MissingAccess');
      expect(r.json.msg).toBe('no \\x1b[2J\\x1b]0;pwned\\x07 read \\u202eevil\\u202c\\n::error::x');
    } finally {
      await new Promise<void>((resolve) => hostile.close(() => resolve()));
    }
  });
});
