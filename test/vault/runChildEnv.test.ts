// The environment `secrets-vault run` gives its command, with the
// built CLI and a real child process in an environment-style account: secrets named after variables
// that control a process (NODE_OPTIONS, PATH, LD_PRELOAD, PS0, PYTHONSTARTUP, BASH_ENV, *_PROXY,
// SECRETS_VAULT_*), planted in the store as if from before the vault refused them, are not
// injected, even when opted into, and the warning names them without a value; a name that does not
// look like a credential is injected only when the run opts into it (--inject, or "inject" in
// secrets-vault.json); other SECRETS_VAULT_*
// credentials of the CLI's environment do not reach the child; and what the child can read of the
// CLI's own environment through /proc/<pid>/environ, measured with the key in SECRETS_VAULT_TOKEN and
// with --token-file.

import { execFileSync } from 'node:child_process';
import { runChildCli, type CliRun } from '../helpers/childCli';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantInUpperCaseAccount } from '../helpers/plantedSecrets';
import { startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
let v: TestVault;
let dir: string;
let evil: string;

const HOSTILE: Record<string, string> = {
  NODE_OPTIONS: '', // set in beforeAll: --require of a file that prints PWNED
  PATH: '/nonexistent-sv-path',
  LD_PRELOAD: '/nonexistent-sv.so',
  PS0: '$(touch /tmp/sv-ps0-pwned)',
  MAILPATH: '/nonexistent-sv-mail',
  LESSOPEN: '|/nonexistent-sv-lessopen %s',
  RUSTC_WRAPPER: '/nonexistent-sv-wrapper',
  PYTHONSTARTUP: '/nonexistent-sv-startup.py',
  BASH_ENV: '/nonexistent-sv-bashenv',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  SECRETS_VAULT_USE_PROXY: '1',
  SECRETS_VAULT_ALLOW_INSECURE_HTTP: '1',
};
const SAFE_VALUE = 'sk-safe-injected-7f3e1a';
/** A granted name that is no credential's: injected only when the run opts into it. */
const REGION_VALUE = 'eu-west-1-region-5d2c';
const MASTER = 'sv-master-key-of-the-users-own-vault-0c1d';

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  dir = mkdtempSync(path.join(tmpdir(), 'sv-runenv-'));
  evil = path.join(dir, 'evil.js');
  writeFileSync(evil, 'process.stdout.write("PWNED\\n");');
  HOSTILE.NODE_OPTIONS = `--require ${evil}`;
  // Planted: an environment-style account refuses these names (400 process_control_name), so they
  // are created while the account is snake_case and the account is then made UPPER_CASE in its store,
  // as an account whose secrets predate the rule is.
  v = await startTestVault({ naming: 'snake_case' });
  await plantInUpperCaseAccount(v, 'env-agent', { ...HOSTILE, SAFE_KEY: SAFE_VALUE, REGION: REGION_VALUE });
}, 120_000);
afterAll(async () => {
  await v?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The child prints, as JSON, the hostile names it has with the hostile value (never a value), whether
// SAFE_KEY is the vault's value, whether the CLI's other credentials reached it, and whether the
// CLI's (its parent's) /proc/PID/environ holds the user's key.
const CHILD = `
  const fs = require('fs');
  const hostile = ${JSON.stringify(HOSTILE)};
  const env = process.env;
  let parentHasKey = null;
  try { parentHasKey = fs.readFileSync('/proc/' + process.ppid + '/environ', 'latin1').split('\\0').includes('SECRETS_VAULT_TOKEN=' + process.argv[1]); } catch {}
  console.log(JSON.stringify({
    injected: Object.keys(hostile).filter((k) => env[k] === hostile[k]),
    safe: env.SAFE_KEY === ${JSON.stringify(SAFE_VALUE)},
    region: env.REGION === ${JSON.stringify(REGION_VALUE)},
    master: 'SECRETS_VAULT_MASTER_KEY' in env,
    database: 'SECRETS_VAULT_DATABASE_URL' in env,
    token: (env.SECRETS_VAULT_TOKEN || '').slice(0, 4),
    parentHasKey,
  }));`;

interface Seen {
  injected: string[];
  safe: boolean;
  region: boolean;
  master: boolean;
  database: boolean;
  token: string;
  parentHasKey: boolean | null;
}

function run(args: string[], env: Record<string, string | undefined>, input = ''): Promise<CliRun> {
  return runChildCli(CLI, args, env, input, { timeoutMs: 30_000 });
}

describe('secrets-vault run: the child environment', () => {
  it('process-control names are not injected; the warning names them, never a value; other names are', async () => {
    const r = await run(['run', '--agent', 'env-agent', '--', process.execPath, '-e', CHILD, v.adminKey], {
      PATH: process.env.PATH,
      SECRETS_VAULT_URL: v.url,
      SECRETS_VAULT_TOKEN: v.adminKey,
      SECRETS_VAULT_MASTER_KEY: MASTER,
      SECRETS_VAULT_DATABASE_URL: `postgres://sv:${MASTER}@127.0.0.1/sv`,
    });
    expect(r.code, r.err).toBe(0);
    // Before the fix: NODE_OPTIONS ran evil.js ("PWNED") and every hostile name was injected.
    expect(r.out).not.toContain('PWNED');
    const seen = JSON.parse(r.out.trim()) as Seen;
    expect(seen).toMatchObject({ injected: [], safe: true, region: false, master: false, database: false, token: 'sva_' });
    const names = Object.keys(HOSTILE).sort();
    expect(r.err).toContain(`secrets-vault: warning: Not injected: ${names.join(', ')}.`);
    expect(r.err).toContain('secrets-vault: warning: Not injected: REGION. Runs inject only names that look like credentials');
    expect(r.err).toContain('--inject NAME');
    for (const value of [...Object.values(HOSTILE), SAFE_VALUE, REGION_VALUE, MASTER, v.adminKey]) expect(r.err).not.toContain(value);
  });

  it('a run opts into a name with --inject or secrets-vault.json; a process-control name cannot be opted into', async () => {
    const env = { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey };
    const flag = await run(['run', '--agent', 'env-agent', '--inject', 'REGION', '--', process.execPath, '-e', CHILD, v.adminKey], env);
    expect(flag.code, flag.err).toBe(0);
    expect(JSON.parse(flag.out.trim())).toMatchObject({ injected: [], safe: true, region: true });
    expect(flag.err).not.toContain('REGION');
    // --inject of a process-control name: refused before a token is minted.
    const refused = await run(['run', '--agent', 'env-agent', '--inject', 'PS0', '--', process.execPath, '-e', CHILD, v.adminKey], env);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--inject PS0: such a variable controls how a process runs');
    expect(refused.out).toBe('');
    // The project's list: REGION is injected; PS0 and LD_PRELOAD listed there are still skipped, and said so.
    const project = mkdtempSync(path.join(dir, 'project-'));
    writeFileSync(path.join(project, 'secrets-vault.json'), JSON.stringify({ inject: ['REGION', 'PS0', 'LD_PRELOAD'] }));
    const listed = await runChildCli(CLI, ['run', '--agent', 'env-agent', '--', process.execPath, '-e', CHILD, v.adminKey], env, '', { timeoutMs: 30_000, cwd: project });
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out.trim())).toMatchObject({ injected: [], safe: true, region: true });
    expect(listed.err).toMatch(/Not injected: [^\n]*LD_PRELOAD[^\n]*PS0[^\n]*even when opted into/);
    expect(existsSync('/tmp/sv-ps0-pwned')).toBe(false);
  });

  it('secrets create refuses a name that controls a process before asking for the value, and warns for one a run injects only when opted into', async () => {
    const env = { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey };
    const refused = await run(['secrets', 'create', 'LD_AUDIT'], env, 'ld-audit-value-93e1\n');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('LD_AUDIT controls how a process runs');
    expect(refused.err).not.toContain('ld-audit-value-93e1');
    // The vault refuses it too, whoever asks.
    const direct = await v.http('POST', '/v1/secrets', { token: v.adminKey, body: { name: 'PS0', value: 'x' } });
    expect(direct.status).toBe(400);
    expect(direct.json).toMatchObject({ code: 'process_control_name', field: 'name' });
    const region = await run(['secrets', 'create', 'DEPLOY_REGION'], env, 'eu-west-2\n');
    expect(region.code, region.err).toBe(0);
    expect(region.err).toContain('secrets-vault: warning: Runs inject only credential-shaped names');
    expect(region.err).toContain('DEPLOY_REGION would be skipped unless a run opts into it');
    expect(region.err).not.toContain('eu-west-2');
    const plain = await run(['secrets', 'create', 'PLAIN_KEY'], env, 'plain-value-93e1\n');
    expect(plain.code, plain.err).toBe(0);
    expect(plain.err).toBe('');
  });

  it("/proc/PID/environ of the CLI: holds the key given in SECRETS_VAULT_TOKEN (the documented boundary); not one given with --token-file", async () => {
    if (!existsSync('/proc/self/environ')) return; // Linux only
    const fromEnv = await run(['run', '--agent', 'env-agent', '--', process.execPath, '-e', CHILD, v.adminKey], {
      PATH: process.env.PATH,
      SECRETS_VAULT_URL: v.url,
      SECRETS_VAULT_TOKEN: v.adminKey,
    });
    expect(fromEnv.code, fromEnv.err).toBe(0);
    // A process's initial environment cannot be changed from Node: deleting it from process.env does not
    // change /proc/PID/environ. This is measured here so that docs/security.md's statement stays true.
    expect((JSON.parse(fromEnv.out.trim()) as Seen).parentHasKey).toBe(true);

    const keyFile = path.join(dir, 'key');
    writeFileSync(keyFile, v.adminKey, { mode: 0o600 });
    const fromFile = await run(['--token-file', keyFile, 'run', '--agent', 'env-agent', '--', process.execPath, '-e', CHILD, v.adminKey], {
      PATH: process.env.PATH,
      SECRETS_VAULT_URL: v.url,
    });
    expect(fromFile.code, fromFile.err).toBe(0);
    const seen = JSON.parse(fromFile.out.trim()) as Seen;
    expect(seen.parentHasKey).toBe(false);
    expect(seen.token).toBe('sva_');
  });
});
