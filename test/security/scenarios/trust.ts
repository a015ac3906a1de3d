// Trust and output: where the CLI and the extension send the user's
// token, and what reaches the audit and a terminal or CI log of text the vault's users did not
// write. The attacker's server is a fake on 127.0.0.1 that logs every connection and every
// Authorization header; the CLI is the built bundle (dist/), run as CI runs it.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultApi } from '../../../protocol/client';
import { isAnyName } from '../../../protocol/names';
import { VaultConnection } from '../../../client/src/vault/connection';
import { undiciTransport as extensionTransport } from '../../../client/src/vault/transport';
import { startFakeVault, type FakeVault } from '../../helpers/fakeVault';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { sentinel } from '../helpers/leakwatch';
import { routeTable } from '../helpers/routes';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/vault/cli.js');
/** What a terminal or a CI runner would act on if it arrived raw (tab and newline are checked apart). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Text an attacker puts in names, paths, file names and server answers: each holds a character no name or id may have. */
const HOSTILE = ['\n', 'q\nv99\tALICE admin runtime.read x success', '\u001b[8m', '\u001b]0;title\u0007', '\r::error::pwned', '\t', '\u0000', '\u0085', '\u202e', '\u2028', 'a b', 'a.b', 'x%y'];

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function runCli(args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  });
}

export function registerTrust(): void {
  describe('trust: tokens and output', () => {
    let v: InProcessVault;
    let fake: FakeVault;
    let dir: string;
    let repo: string;
    let snapshot: string;
    // A token the leak search would find anywhere it ends up; only the fake server may see it, and
    // only when the user said so.
    const token = `svu_${sentinel()}`;

    beforeAll(async () => {
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
      v = await inProcessVault();
      fake = await startFakeVault();
      dir = mkdtempSync(path.join(tmpdir(), 'sv-sec-trust-'));
      repo = path.join(dir, 'repo');
      mkdirSync(path.join(repo, 'pkg/sub'), { recursive: true });
      // The pull request's edit: the repository's vault is now the attacker's server.
      writeFileSync(path.join(repo, 'secrets-vault.json'), JSON.stringify({ vault: fake.url, agent: 'booking-agent' }));
      writeFileSync(path.join(repo, 'pkg/app.py'), "conv.utils.get_secret('stripe_api_key')\n");
      snapshot = path.join(dir, 'snapshot.json');
      writeFileSync(snapshot, JSON.stringify({ version: 1, generatedAt: '2026-01-01T00:00:00.000Z', vault: v.url, namingStyle: 'snake_case', secrets: [], agents: [{ id: 'booking-agent', name: 'Booking' }] }));
    }, 120_000);
    afterAll(async () => {
      await fake?.close();
      await v?.finish();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('a URL that only secrets-vault.json names never gets the token (CLI, every command that calls the vault)', async () => {
      const tokenFile = path.join(dir, 'token');
      writeFileSync(tokenFile, token, { mode: 0o600 });
      const attempts: [string[], string, Record<string, string>][] = [
        [['check'], repo, { SECRETS_VAULT_TOKEN: token }],
        [['check', '--format', 'github'], path.join(repo, 'pkg'), { SECRETS_VAULT_TOKEN: token }],
        [['snapshot'], repo, { SECRETS_VAULT_TOKEN: token }],
        [['secrets', 'list'], path.join(repo, 'pkg/sub'), { SECRETS_VAULT_TOKEN: token }],
        [['whoami'], repo, { SECRETS_VAULT_TOKEN: token }],
        [['keys', 'create', 'x'], repo, { SECRETS_VAULT_TOKEN: token }],
        [['--token-file', tokenFile, 'audit'], repo, {}],
        [['--token-file', tokenFile, 'runtime', 'env'], repo, {}],
      ];
      const failures: string[] = [];
      for (const [args, cwd, env] of attempts) {
        const before = fake.connections();
        const r = await runCli(args, cwd, env);
        const connections = fake.connections() - before;
        if (connections !== 0 || r.code !== 2 || !r.err.includes('--trust-config-url') || r.err.includes(token)) {
          failures.push(`${args.join(' ')}: ${connections} connection(s), exit ${r.code}, ${r.err.trim()}`);
        }
      }
      const leaked = fake.requests().filter((q) => q.authorization?.includes(token));
      tally('trust: token vs repository URL', attempts.length, failures.length + leaked.length, 'check, snapshot and admin commands; env and --token-file');
      expect(failures).toEqual([]);
      expect(leaked).toEqual([]);
    }, 120_000);

    it('the token goes where the user said: --trust-config-url, the same URL in SECRETS_VAULT_URL, --url', async () => {
      const cases: [string[], Record<string, string>][] = [
        [['--trust-config-url', 'whoami'], { SECRETS_VAULT_TOKEN: token }],
        [['whoami'], { SECRETS_VAULT_TOKEN: token, SECRETS_VAULT_URL: fake.url }],
        [['--url', fake.url, 'whoami'], { SECRETS_VAULT_TOKEN: token }],
      ];
      let failed = 0;
      for (const [args, env] of cases) {
        const before = fake.requests().length;
        await runCli(args, repo, env);
        const sent = fake.requests().slice(before).map((q) => q.authorization);
        if (sent.length !== 1 || sent[0] !== `Bearer ${token}`) failed++;
      }
      // And a vault the user names wins over the repository's file, which then hears nothing.
      const before = fake.connections();
      const real = await runCli(['--json', 'whoami'], repo, { SECRETS_VAULT_TOKEN: v.adminKey, SECRETS_VAULT_URL: v.url });
      if (real.code !== 0 || fake.connections() !== before) failed++;
      tally('trust: token where the user said', cases.length + 1, failed);
      expect(failed).toBe(0);
    }, 120_000);

    it('check --snapshot makes no connection at all', async () => {
      const before = fake.connections();
      const r = await runCli(['check', '--snapshot', snapshot], repo, { SECRETS_VAULT_TOKEN: token });
      const ok = fake.connections() === before && r.code === 1 && r.out.includes("Secret 'stripe_api_key' does not exist");
      tally('trust: check --snapshot offline', 1, ok ? 0 : 1);
      expect({ connections: fake.connections() - before, code: r.code, err: r.err }).toEqual({ connections: 0, code: 1, err: '' });
    }, 60_000);

    it('plain http:// to a host that is not loopback is refused by the CLI and the extension before connecting', async () => {
      // 0.0.0.0 is not loopback by name, yet reaches the fake on 127.0.0.1: a refusal that still
      // connected would be counted.
      const url = `http://0.0.0.0:${fake.port}`;
      const failures: string[] = [];
      const expectNone = async (what: string, fn: () => Promise<unknown>) => {
        const before = fake.connections();
        await fn();
        if (fake.connections() !== before) failures.push(`${what}: connected`);
      };
      await expectNone('CLI --url', async () => {
        const r = await runCli(['--url', url, 'whoami'], dir, { SECRETS_VAULT_TOKEN: token });
        if (r.code !== 2 || !r.err.includes('--allow-insecure-http')) failures.push(`CLI --url: exit ${r.code}`);
      });
      await expectNone('CLI SECRETS_VAULT_URL', async () => {
        const r = await runCli(['secrets', 'list'], dir, { SECRETS_VAULT_TOKEN: token, SECRETS_VAULT_URL: url });
        if (r.code !== 2) failures.push(`CLI SECRETS_VAULT_URL: exit ${r.code}`);
      });
      await expectNone('extension transport', () => new VaultApi(extensionTransport(url), token).whoami().catch(() => undefined));
      await expectNone('extension connection', async () => {
        const conn = new VaultConnection({ url, token });
        await conn.start();
        if (conn.state.state !== 'forbidden') failures.push(`extension connection: ${conn.state.state}`);
        await conn.dispose();
      });
      // Positive control: allowed explicitly, the same requests do connect.
      const before = fake.connections();
      await runCli(['--url', url, '--allow-insecure-http', 'whoami'], dir, { SECRETS_VAULT_TOKEN: token });
      await new VaultApi(extensionTransport(url, { allowInsecureHttp: true }), token).whoami().catch(() => undefined);
      if (fake.connections() - before !== 2) failures.push('allowed: did not connect');
      tally('trust: insecure http refused', 5, failures.length, 'CLI flag and env, extension transport and connection, allowed control');
      expect(failures).toEqual([]);
    }, 120_000);

    it('a name or id in a URL path that no name can be is 400 on every route that takes one, and the audit stays clean', async () => {
      const api = v.api();
      await api.createAgent({ id: 'trust-agent' });
      await api.createSecret({ name: 'trust_probe', value: sentinel(), agents: ['trust-agent'] });
      const agentToken = (await api.createAgentToken('trust-agent')).token;
      const valid: Record<string, string> = { name: 'trust_probe', agent: 'trust-agent', id: 'trust-agent' };
      const routes = (await routeTable(v.url, v.server.app)).filter((r) => r.params.length > 0);
      const auditSize = async () => (await api.audit({ limit: 500 })).records.length;
      const before = await auditSize();
      const failures: string[] = [];
      let cases = 0;
      for (const route of routes) {
        for (const param of route.params) {
          for (const bad of HOSTILE) {
            // `a b`, `a.b` and `x%y` are secret names (still not ids): those go to the names scenario.
            if (param === 'name' && isAnyName(bad)) continue;
            const p = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(name === param ? bad : valid[name]!));
            for (const who of route.path.startsWith('/v1/runtime/') ? [v.adminKey, agentToken] : [v.adminKey]) {
              cases++;
              const r = await call(v.url, route.method, p, { token: who, ...(route.method === 'PATCH' || route.method === 'PUT' ? { body: { agents: [], description: 'd' } } : {}) });
              if (r.status !== 400 || !String(r.headers['content-type']).startsWith('application/problem+json') || r.text.includes('ALICE')) {
                failures.push(`${route.method} ${p}: ${r.status} ${r.text.slice(0, 120)}`);
              }
            }
          }
        }
      }
      // Names that arrive in a body and are audited even when the call is refused (a developer's
      // create), and display names that become audit actors or table cells.
      const developer = (await api.createUserKey({ name: 'trust dev', role: 'developer' })).token;
      for (const bad of HOSTILE.filter((h) => /[\u0000-\u001f\u007f-\u009f\u2028\u202e]/.test(h))) {
        for (const [path, token, body] of [
          ['/v1/secrets', developer, { name: bad, value: 'x' }],
          ['/v1/agents', developer, { id: bad }],
          ['/v1/keys', v.adminKey, { name: bad, role: 'developer' }],
          ['/v1/agents/trust-agent/tokens', v.adminKey, { name: bad }],
        ] as [string, string, object][]) {
          cases++;
          const r = await call(v.url, 'POST', path, { token, body });
          if (r.status !== 400) failures.push(`POST ${path} ${JSON.stringify(body)}: ${r.status}`);
        }
      }
      const after = await api.audit({ limit: 500 });
      const unsafe = after.records.filter((rec) => [rec.actor, rec.target, rec.detail].some((t) => RAW_CONTROL.test(t) || /[\t\n]/.test(t)));
      // One record: the developer key made above; nothing from the refused calls.
      if (after.records.length !== before + 1) failures.push(`the audit grew by ${after.records.length - before} record(s), not 1`);
      tally('trust: control characters in paths', cases, failures.length + unsafe.length, `${routes.length} routes with parameters x ${HOSTILE.length} names, and create bodies`);
      expect(failures).toEqual([]);
      expect(unsafe).toEqual([]);
    }, 300_000);

    it('every human-readable CLI output escapes what a server or a file says', async () => {
      const evilText = HOSTILE.join('|');
      const meta = { name: evilText, description: evilText, kind: 'kv', keys: [evilText], agents: [evilText], version: 1, createdAt: evilText, updatedAt: evilText, updatedBy: evilText };
      const evil = await startFakeVault({
        'GET /v1/whoami': { json: { account: { id: 'acc', name: evilText, namingStyle: 'snake_case' }, principal: { type: 'user', id: 'k', name: evilText, role: 'admin' } } },
        'GET /v1/agents': { json: { agents: [{ id: evilText, name: evilText, description: evilText, createdAt: evilText }] } },
        'GET /v1/keys': { json: { keys: [{ id: evilText, name: evilText, role: 'admin', createdAt: evilText, revokedAt: null }] } },
        'GET /v1/secrets': { json: { secrets: [meta] } },
        'GET /v1/secrets/x': { json: meta },
        'GET /v1/audit': { json: { records: [{ id: 'a1', time: evilText, accountId: 'acc', actor: evilText, actorType: 'agent', action: evilText, target: evilText, outcome: 'denied', detail: evilText }], next: null } },
        'PUT /v1/secrets/x/access/a': { json: meta },
        'DELETE /v1/keys/x': { status: 404, json: { type: 'about:blank', title: evilText, status: 404, code: 'not_found', detail: evilText } },
      });
      const failures: string[] = [];
      const commands = [['whoami'], ['agents', 'list'], ['keys', 'list'], ['secrets', 'list'], ['secrets', 'get', 'x'], ['audit'], ['access', 'grant', 'x', 'a'], ['keys', 'revoke', 'x']];
      try {
        for (const args of commands) {
          const r = await runCli(args, dir, { SECRETS_VAULT_TOKEN: token, SECRETS_VAULT_URL: evil.url });
          const text = r.out + r.err;
          const forged = text.split('\n').filter((l) => /^\s*(::|##\[)/.test(l) || l.includes('\t'));
          if (RAW_CONTROL.test(text) || forged.length > 0 || !text.includes('\\x1b[8m')) failures.push(`${args.join(' ')}: ${JSON.stringify(text.slice(0, 200))}`);
        }
        // check: hostile file names and string escapes, in the text and GitHub outputs.
        const project = path.join(dir, 'hostile-project');
        const files = ['evil\n::error title=pwned::gotcha.py', '::warning::masked.py', ' ##[error]old-style.py', 'ansi\u001b[2J.py'];
        mkdirSync(project, { recursive: true });
        for (const f of files) writeFileSync(path.join(project, f), "conv.utils.get_secret('nope')\n");
        writeFileSync(path.join(project, 'esc.py'), "conv.utils.get_secret('a\\n::error::injected\\x1b[8m\\u202e')\n");
        for (const format of ['text', 'github']) {
          const r = await runCli(['check', '--snapshot', snapshot, '--format', format], project, {});
          const lines = r.out.split('\n');
          // Text: no line is a workflow command. GitHub: exactly one command per finding, all ours.
          const commands = lines.filter((l) => /^\s*(::|##\[)/.test(l));
          const ours = commands.filter((l) => /^::error file=[^\n]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=secrets-vault [a-z-]+::/.test(l));
          const wanted = format === 'text' ? 0 : files.length + 1;
          if (r.code !== 1 || RAW_CONTROL.test(r.out) || commands.length !== wanted || ours.length !== wanted) {
            failures.push(`check --format ${format}: exit ${r.code}, ${commands.length} command line(s): ${JSON.stringify(r.out.slice(0, 300))}`);
          }
        }
      } finally {
        await evil.close();
      }
      tally('trust: output escaping', commands.length + 2, failures.length, 'CLI tables, lines, errors; check text and github');
      expect(failures).toEqual([]);
    }, 180_000);
  });
}
