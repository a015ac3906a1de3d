// Environment injection by allowlist (issue 50, point 2): whoever can create a secret named after a
// variable that runs code (PS0, LESSOPEN, RUSTC_WRAPPER, VIMINIT, DOTNET_STARTUP_HOOKS, …) ran it on
// every machine that runs as the agent. Each name the review found, and the classic ones, is planted
// in an UPPER_CASE account of a real vault over HTTP (test/helpers/plantedSecrets.ts) and the built
// CLI's `secrets-vault run` starts a real child: the name is never in the child's environment, not
// by default, not when secrets-vault.json opts into it, and `--inject NAME` is refused before a token
// is minted; the warning names it and carries no value; a credential name (STRIPE_API_KEY) is injected.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChildCli } from '../../helpers/childCli';
import { plantInUpperCaseAccount } from '../../helpers/plantedSecrets';
import { REVIEW_NAMES } from '../../helpers/processEnvNames';
import { startTestVault, type TestVault } from '../../helpers/vault';
import { tally } from '../helpers/ledger';

const S = 'injection: names that run code never reach a run';
const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/vault/cli.js');

/** The review's names (issue 50, point 2) and the classic ones before them. */
export const INJECTION_NAMES = [...new Set([...REVIEW_NAMES, 'LD_PRELOAD', 'BASH_ENV', 'NODE_OPTIONS', 'PYTHONSTARTUP', 'PROMPT_COMMAND'])];
const valueOf = (name: string) => `planted-${name.toLowerCase().replace(/[^a-z0-9]/g, '-')}-9b41e7`;
/** The warning for names never injected: the names, then why (even when opted into). */
const NEVER = /Not injected: ([^\n]*?)\. These variables control how a process runs[^\n]*even when opted into/;
const STRIPE_VALUE = 'sk_test_injection_scenario_51c8';

// The child prints the planted names it has with the planted value (never a value), and whether STRIPE_API_KEY is the vault's.
const CHILD = `
  const planted = ${JSON.stringify(Object.fromEntries(INJECTION_NAMES.map((n) => [n, valueOf(n)])))};
  console.log(JSON.stringify({
    injected: Object.keys(planted).filter((k) => process.env[k] === planted[k]),
    stripe: process.env.STRIPE_API_KEY === ${JSON.stringify(STRIPE_VALUE)},
  }));`;

export function registerInjection(): void {
  describe(S, () => {
    let v: TestVault;
    let dir: string;

    beforeAll(async () => {
      await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
      dir = mkdtempSync(path.join(tmpdir(), 'sv-sec-inject-'));
      v = await startTestVault({ naming: 'snake_case' });
      const secrets: Record<string, string> = Object.fromEntries(INJECTION_NAMES.map((n) => [n, valueOf(n)]));
      await plantInUpperCaseAccount(v, 'env-agent', { ...secrets, STRIPE_API_KEY: STRIPE_VALUE });
    }, 120_000);
    afterAll(async () => {
      await v?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it(`${INJECTION_NAMES.length} names: not injected by default, nor opted into by secrets-vault.json, nor by --inject; STRIPE_API_KEY is`, async () => {
      const env = { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey };
      const run = (args: string[], cwd = dir) => runChildCli(CLI, ['run', '--agent', 'env-agent', ...args, '--', process.execPath, '-e', CHILD], env, '', { timeoutMs: 30_000, cwd });
      const values = [...INJECTION_NAMES.map(valueOf), STRIPE_VALUE, v.adminKey];
      const noValue = (text: string) => values.every((x) => !text.includes(x));
      const failures: string[] = [];
      const seen = (out: string) => {
        try {
          return JSON.parse(out.trim()) as { injected: string[]; stripe: boolean };
        } catch {
          return { injected: ['(no output)'], stripe: false };
        }
      };

      // By default: each name skipped, named in the "never" warning; STRIPE_API_KEY injected.
      const plain = await run([]);
      const byDefault = seen(plain.out);
      const never = NEVER.exec(plain.err)?.[1]?.split(', ') ?? [];
      for (const name of INJECTION_NAMES) if (byDefault.injected.includes(name) || !never.includes(name)) failures.push(`default: ${name}`);
      if (plain.code !== 0 || !byDefault.stripe) failures.push('default: STRIPE_API_KEY not injected');
      if (!noValue(plain.err + plain.out)) failures.push('default: a value in the output');

      // Opted into by the project's list: still skipped, and said so.
      const project = mkdtempSync(path.join(dir, 'project-'));
      writeFileSync(path.join(project, 'secrets-vault.json'), JSON.stringify({ inject: INJECTION_NAMES }));
      const listed = await run([], project);
      const byList = seen(listed.out);
      const neverListed = NEVER.exec(listed.err)?.[1]?.split(', ') ?? [];
      for (const name of INJECTION_NAMES) if (byList.injected.includes(name) || !neverListed.includes(name)) failures.push(`secrets-vault.json: ${name}`);
      if (listed.code !== 0 || !byList.stripe) failures.push('secrets-vault.json: STRIPE_API_KEY not injected');
      if (!noValue(listed.err + listed.out)) failures.push('secrets-vault.json: a value in the output');

      // --inject NAME: refused before a token is minted; the child never runs.
      for (const name of INJECTION_NAMES) {
        const r = await run(['--inject', name]);
        const ok = r.code === 2 && r.out === '' && r.err.includes(`--inject ${name}: such a variable controls how a process runs`) && noValue(r.err);
        if (!ok) failures.push(`--inject ${name}: exit ${r.code}, ${seen(r.out).injected.includes(name) ? 'injected' : 'not injected'}`);
      }

      tally(S, INJECTION_NAMES.length * 3 + 2, failures.length, `${INJECTION_NAMES.length} names × default, secrets-vault.json, --inject; STRIPE_API_KEY injected`);
      expect(failures).toEqual([]);
      expect(byDefault).toEqual({ injected: [], stripe: true });
    }, 300_000);
  });
}
