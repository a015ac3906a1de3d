// Proxies and child environments. A recording proxy on
// 127.0.0.1 stands where HTTP_PROXY, http_proxy, ALL_PROXY or a replaced undici dispatcher would
// send a request: the Python shim, the built CLI and the extension's transport must send it nothing
// for an http:// vault. A URL with user info is refused by the shim before any request. In an
// environment-style account the vault refuses to create a secret named after a variable that
// controls a process; such secrets planted in the store (as from before the rule) are not injected
// by `secrets-vault run` (a real child reports what it got), nor is a name that does not look like
// a credential unless the run opts into it; and the CLI's own
// SECRETS_VAULT_* credentials do not reach the child. The CLI's output goes to the leak search.

import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import path from 'node:path';
import { EnvHttpProxyAgent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultApi } from '../../../protocol/client';
import { undiciTransport as editorTransport } from '../../../client/src/vault/transport';
import { REVIEW_NAMES } from '../../helpers/processEnvNames';
import { startRecordingProxy, type RecordingProxy } from '../../helpers/recordingProxy';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { keepLog, sentinel } from '../helpers/leakwatch';
import { inProcessVault, runCli, type InProcessVault } from '../helpers/vaults';

const S = 'proxies and child environments';
const SHIM = path.resolve('vault/python');

/** A check that throws before it tallies still shows in the closing table, as one failed case. */
function guarded(check: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await check();
    } catch (e) {
      tally(S, 1, 1);
      throw e;
    }
  };
}

/** python3 with the shim from source, reading `name`; prints {"ok": true} or the error's class. */
function shimRead(url: string, token: string, name: string, env: Record<string, string>): Promise<{ json: Record<string, unknown>; text: string }> {
  const code = `
import json, secrets_vault as sv
try:
    sv.get_secret(${JSON.stringify(name)})
    print(json.dumps({"ok": True}))
except sv.SecretsVaultError as e:
    print(json.dumps({"cls": type(e).__name__}))
`;
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', code], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONPATH: SHIM, PYTHONDONTWRITEBYTECODE: '1', SECRETS_VAULT_URL: url, SECRETS_VAULT_TOKEN: token, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      keepLog(out + err);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(out.trim().split('\n').pop() ?? '') as Record<string, unknown>;
      } catch {
        json = { unparsed: true };
      }
      resolve({ json, text: out + err });
    });
  });
}

export function registerEgress(): void {
  describe('proxies and child environments', () => {
    let v: InProcessVault;
    let proxy: RecordingProxy;
    let agentToken: string;
    const values: Record<string, string> = {};
    // The first round's names, and those the third review found injected (PS0 runs before every
    // command of an interactive bash, LESSOPEN runs a filter, RUSTC_WRAPPER wraps the compiler…).
    const HOSTILE = [
      'NODE_OPTIONS', 'PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'PYTHONSTARTUP', 'PYTHONPATH', 'BASH_ENV', 'ENV', 'IFS', 'PS4', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'SECRETS_VAULT_URL', 'SECRETS_VAULT_USE_PROXY', 'HOME', 'JAVA_TOOL_OPTIONS', 'PERL5OPT', 'RUBYOPT', 'GIT_SSH_COMMAND',
      ...REVIEW_NAMES,
    ];
    /** Granted, named like no credential: injected only when a run opts into it. */
    const PLAIN = 'EGRESS_REGION';

    beforeAll(async () => {
      // Created while the account is snake_case, then the account made UPPER_CASE in its store: an
      // environment-style account refuses these names (checked below), so this is how they exist.
      v = await inProcessVault({ naming: 'snake_case' });
      proxy = await startRecordingProxy();
      await call(v.url, 'POST', '/v1/agents', { token: v.adminKey, body: { id: 'egress-agent' } });
      for (const name of [...HOSTILE, 'EGRESS_KEY', PLAIN]) {
        values[name] = sentinel();
        const r = await call(v.url, 'POST', '/v1/secrets', { token: v.adminKey, body: { name, value: values[name], agents: ['egress-agent'] } });
        expect(r.status, name).toBe(201);
      }
      const db = new Database(path.join(v.dataDir, 'vault.db'));
      db.prepare("UPDATE accounts SET naming_style = 'UPPER_CASE'").run();
      db.close();
      agentToken = (await call(v.url, 'POST', '/v1/agents/egress-agent/tokens', { token: v.adminKey, body: {} })).json.token as string;
    });
    afterAll(async () => {
      await proxy?.stop();
      await v?.finish();
    });

    it('the shim never sends an http:// read through a proxy from the environment', guarded(async () => {
      const envs: Record<string, string>[] = [
        { HTTP_PROXY: proxy.url },
        { http_proxy: proxy.url },
        { ALL_PROXY: proxy.url, all_proxy: proxy.url },
        { HTTP_PROXY: proxy.url, http_proxy: proxy.url, HTTPS_PROXY: proxy.url, SECRETS_VAULT_USE_PROXY: '1' },
      ];
      let failed = 0;
      for (const env of envs) {
        proxy.seen.length = 0;
        const r = await shimRead(v.url, agentToken, 'EGRESS_KEY', env);
        const ok = r.json.ok === true && proxy.seen.length === 0 && !r.text.includes(agentToken);
        if (!ok) failed++;
        expect({ env: Object.keys(env), json: r.json, proxied: proxy.seen.map((s) => `${s.method} ${s.target}`) }).toEqual({ env: Object.keys(env), json: { ok: true }, proxied: [] });
      }
      tally(S, envs.length, failed, 'recording proxy, user-info URLs, process-control names, key in the child');
    }));

    it('the shim refuses a vault URL with user info before any request', guarded(async () => {
      const port = new URL(v.url).port;
      const urls = [`http://user:pw@127.0.0.1:${port}`, `http://${agentToken}@127.0.0.1:${port}`, 'https://u:p@vault.invalid'];
      let failed = 0;
      for (const url of urls) {
        const before = proxy.seen.length;
        const r = await shimRead(url, agentToken, 'EGRESS_KEY', { HTTP_PROXY: proxy.url });
        const ok = r.json.cls === 'ConfigurationError' && proxy.seen.length === before && !r.text.includes(agentToken);
        if (!ok) failed++;
        expect(r.json).toEqual({ cls: 'ConfigurationError' });
        expect(r.text).not.toContain(agentToken);
      }
      tally(S, urls.length, failed);
    }));

    it('the built CLI and the extension transport go direct, whatever the proxy variables or the global dispatcher say', guarded(async () => {
      proxy.seen.length = 0;
      const cli = await runCli(['whoami'], {
        env: { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey, HTTP_PROXY: proxy.url, http_proxy: proxy.url, HTTPS_PROXY: proxy.url, ALL_PROXY: proxy.url, NODE_USE_ENV_PROXY: '1', SECRETS_VAULT_USE_PROXY: '1' },
        timeoutMs: 20_000,
      });
      keepLog(cli.stdout + cli.stderr);
      const cliOk = cli.code === 0 && proxy.seen.length === 0;
      const original = getGlobalDispatcher();
      setGlobalDispatcher(new EnvHttpProxyAgent({ httpProxy: proxy.url, httpsProxy: proxy.url }));
      let editorOk = false;
      try {
        const who = await new VaultApi(editorTransport(v.url), v.adminKey).whoami();
        editorOk = who.principal.type === 'user' && proxy.seen.length === 0;
      } finally {
        setGlobalDispatcher(original);
      }
      tally(S, 2, (cliOk ? 0 : 1) + (editorOk ? 0 : 1));
      expect({ cli: cli.code, editorOk, proxied: proxy.seen.map((s) => `${s.method} ${s.target}`) }).toEqual({ cli: 0, editorOk: true, proxied: [] });
    }));

    it('an environment-style account refuses to create a secret named after a variable that controls a process', guarded(async () => {
      let failed = 0;
      for (const name of HOSTILE) {
        const r = await call(v.url, 'POST', '/v1/secrets', { token: v.adminKey, body: { name: `${name}`, value: sentinel() } });
        // Each exists already (planted), so a refusal of another kind would be 409: 400 process_control_name comes first.
        if (!(r.status === 400 && (r.json as { code?: string }).code === 'process_control_name')) failed++;
      }
      tally(S, HOSTILE.length, failed);
      expect(failed).toBe(0);
    }));

    it('secrets-vault run injects no process-control name and passes on none of the CLI\'s SECRETS_VAULT_* credentials', guarded(async () => {
      const master = sentinel();
      const child = `
        const values = ${JSON.stringify(values)};
        const names = ${JSON.stringify(HOSTILE)};
        console.log(JSON.stringify({
          injected: names.filter((n) => process.env[n] === values[n]),
          safe: process.env.EGRESS_KEY === values.EGRESS_KEY,
          plain: process.env.EGRESS_REGION === values.EGRESS_REGION,
          master: Object.values(process.env).some((x) => x === ${JSON.stringify(master)}),
          token: (process.env.SECRETS_VAULT_TOKEN || '').slice(0, 4),
        }));`;
      const r = await runCli(['run', '--agent', 'egress-agent', '--', process.execPath, '-e', child], {
        env: { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey, SECRETS_VAULT_MASTER_KEY: master, SECRETS_VAULT_DATABASE_URL: `postgres://u:${master}@127.0.0.1/x` },
        timeoutMs: 30_000,
      });
      // The child's report holds no value (names and booleans); the warning only names.
      keepLog(r.stdout + r.stderr);
      let seen: { injected: string[]; safe: boolean; plain: boolean; master: boolean; token: string } | undefined;
      try {
        seen = JSON.parse(r.stdout.trim()) as typeof seen;
      } catch {
        seen = undefined;
      }
      const injected = new Set(seen?.injected ?? HOSTILE);
      let failed = 0;
      for (const name of HOSTILE) {
        const ok = !injected.has(name) && r.stderr.includes(name);
        if (!ok) failed++;
      }
      const restOk = seen?.safe === true && seen.plain === false && r.stderr.includes(`Not injected: ${PLAIN}.`) && seen.master === false && seen.token === 'sva_' && r.code === 0;
      if (!restOk) failed++;
      tally(S, HOSTILE.length + 1, failed);
      expect(r.code, r.stderr).toBe(0);
      expect(seen).toEqual({ injected: [], safe: true, plain: false, master: false, token: 'sva_' });
      expect(r.stderr).toContain('secrets-vault: warning: Not injected: ');
      for (const name of HOSTILE) expect(r.stderr).toContain(name);
    }));
  });
}
