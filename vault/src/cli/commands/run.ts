// `run`: start a command as an agent, for a local run. A run token is minted with the
// user's key, handed to the command in its environment (with, in UPPER_CASE accounts, the agent's
// granted single values as variables), and revoked when the command ends, on Ctrl+C and SIGTERM
// too; if the CLI itself dies, the token's TTL bounds it. `account`: the setting that says who may.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { constants } from 'node:os';
import { Command } from 'commander';
import { RUN_TOKEN_MAX_TTL, RUN_TOKEN_MIN_TTL, WORKSPACE_CONFIG_FILE, type LocalRunsPolicy } from '../../../../protocol/api';
import { PROJECT_FILE } from '../../../../protocol/adkProject';
import { canonicalEnvironment } from '../../../../protocol/environments';
import { VaultApi, VaultApiError } from '../../../../protocol/client';
import { injectableValues, inheritedCredentialNames, isProcessControlName, skippedNamesWarnings } from '../../../../protocol/processEnv';
import { safeJson } from '../../../../protocol/safeText';
import { CliError, EXIT, human, info, out } from '../io';
import { apiFailure, findWorkspaceConfig, resolveVaultUrl, undiciTransport } from '../remote';
import type { CommandContext } from './commandContext';
import { pythonShimDir } from '../pythonShim';

/** `90`, `90s`, `15m`, `2h` to seconds; refuses anything else and anything outside the vault's bounds. */
export function parseTtl(text: string): number {
  const m = /^(\d{1,6})([smh]?)$/.exec(text.trim());
  if (!m) throw new CliError(`--ttl '${text}' is not a duration: use seconds (900), or 90s, 15m, 2h.`, EXIT.usage);
  const seconds = Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
  if (seconds < RUN_TOKEN_MIN_TTL || seconds > RUN_TOKEN_MAX_TTL) {
    throw new CliError(`--ttl must be from 1m to 12h (${RUN_TOKEN_MIN_TTL} to ${RUN_TOKEN_MAX_TTL} seconds); got '${text}'.`, EXIT.usage);
  }
  return seconds;
}

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** `--env`: conv.env of the run (sandbox, pre-release, live or another environment's name; pre_release is pre-release). */
export function parseRunEnvironment(text: string): string {
  const env = canonicalEnvironment(text.trim());
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(env)) {
    throw new CliError(`--env '${text}' is not an environment: use sandbox, pre-release, live or another name of letters, digits, _ and -.`, EXIT.usage);
  }
  return env;
}

/**
 * The command `run` starts: the one given after --, or for --function the shim's caller
 * (`python3 -m secrets_vault call FILE:NAME [--args JSON]`), checked before a token is minted.
 */
function commandToRun(given: string[], o: { function?: string; args?: string; state?: string; python: string }): string[] {
  if (o.function === undefined) {
    if (o.args !== undefined) throw new CliError('--args goes with --function.', EXIT.usage);
    if (o.state !== undefined) throw new CliError('--state goes with --function.', EXIT.usage);
    if (given.length === 0) throw new CliError('Give a command after -- (secrets-vault run --agent ID -- python3 main.py), or --function FILE:NAME.', EXIT.usage);
    return given;
  }
  if (given.length > 0) throw new CliError('Give either --function FILE:NAME or a command after --, not both.', EXIT.usage);
  if (!/^.+:[A-Za-z_][A-Za-z0-9_]*$/.test(o.function)) {
    throw new CliError(`--function '${o.function}' is not FILE:NAME (a Python file and the name of a function in it).`, EXIT.usage);
  }
  if (o.args !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(o.args);
    } catch {
      throw new CliError('--args is not valid JSON: give an object ({"date": "2026-12-01"}) or an array.', EXIT.usage);
    }
    if (typeof parsed !== 'object' || parsed === null) throw new CliError('--args must be a JSON object (keyword arguments) or array (positional).', EXIT.usage);
  }
  if (!pythonShimDir()) throw new CliError('The Python shim (secrets_vault) is missing from this installation: run npm run build.', EXIT.failure);
  if (o.state !== undefined && !existsSync(o.state)) throw new CliError(`--state: no such file: ${o.state}`, EXIT.usage);
  return [
    o.python, '-m', 'secrets_vault', 'call', o.function,
    ...(o.args !== undefined ? ['--args', o.args] : []),
    ...(o.state !== undefined ? ['--state', path.resolve(o.state)] : []),
  ];
}

/** The folder a run's settings come from: the --function file's, else the current one. */
function runFolder(fn: string | undefined): string {
  const file = fn === undefined ? undefined : fn.slice(0, fn.lastIndexOf(':') > 0 ? fn.lastIndexOf(':') : fn.length);
  return file === undefined ? process.cwd() : path.dirname(path.resolve(file));
}

/**
 * The names a run injects besides the credential-shaped ones: each --inject, and the nearest
 * secrets-vault.json's "inject". A name that controls a process cannot be opted into: --inject
 * refuses it before anything is minted; the file's is skipped with the run's warning.
 */
export function optedInNames(given: readonly string[], dir: string): string[] {
  const refused = given.filter((n) => isProcessControlName(n));
  if (refused.length > 0) {
    throw new CliError(human`--inject ${refused.join(', ')}: such a variable controls how a process runs (its loader, interpreter, shell, tools or connections) and is never injected.`, EXIT.usage);
  }
  return [...given, ...(findWorkspaceConfig(dir)?.config.inject ?? [])];
}

/** The agent of the --function file's folder (else the current folder's), or a usage error saying how to name one. */
async function agentOfFolder(fn: string | undefined): Promise<string> {
  const dir = runFolder(fn);
  // The YAML parser loads only when no --agent is given.
  const { folderAgent } = await import('../folderAgent');
  const found = folderAgent(dir);
  if (found === null) {
    throw new CliError(`No agent to run as: give --agent, or run in a folder whose ${WORKSPACE_CONFIG_FILE} names one ("agent", as Choose Agent writes it) or inside an ADK project (${PROJECT_FILE}).`, EXIT.usage);
  }
  info(human`secrets-vault: running as ${found.agent} (from ${path.relative(process.cwd(), found.from) || found.from}).`);
  return found.agent;
}

export function registerRunCommands(cli: Command, ctx: CommandContext): void {
  const { g, api } = ctx;
  cli
    .command('run')
    .description("run a command as an agent: a short-lived run token (and, in UPPER_CASE accounts, the agent's granted values) in its environment, revoked when it ends")
    .option('--agent <id>', "the agent to run as (default: the folder's, as the editor and check decide it: the nearest secrets-vault.json's \"agent\", else the nearest project.yaml's project_id; of the --function file's folder, else the current one)")
    .option('--ttl <duration>', 'run token lifetime: 900, 90s, 15m, 2h (1m to 12h)', '15m')
    .option('--function <file:name>', "call a Python function NAME(conv, …) from FILE with the agent's secrets and print its return value (instead of a command)")
    .option('--args <json>', 'with --function: its arguments, a JSON object (keywords) or array (positional)')
    .option('--env <environment>', 'conv.env of the run (SECRETS_VAULT_ENV): sandbox, pre-release, live or another name; default sandbox')
    .option('--state <file>', "with --function: conv.state's initial keys, a JSON file (the keys it changed are printed after the run)")
    .option('--python <exe>', 'with --function: the Python interpreter', 'python3')
    .option('--inject <name>', "UPPER_CASE accounts: also inject this granted secret, whose name does not look like a credential (repeatable; the nearest secrets-vault.json's \"inject\" list adds to it); never a name that controls a process", (v: string, all: string[]) => [...all, v], [] as string[])
    .argument('[command...]', 'the command and its arguments, after --')
    .action(async (given: string[], o: { agent?: string; ttl: string; function?: string; args?: string; env?: string; state?: string; python: string; inject: string[] }) => {
      const ttl = parseTtl(o.ttl);
      const environment = o.env !== undefined ? parseRunEnvironment(o.env) : undefined;
      const command = commandToRun(given, o);
      const optIn = optedInNames(o.inject, runFolder(o.function));
      const agent = o.agent ?? (await agentOfFolder(o.function));
      const user = api();
      const url = resolveVaultUrl(g()).url;
      const minted = await user.mintRunToken(agent, ttl);
      const revoke = once(async () => {
        try {
          await user.revokeRunToken(agent, minted.id);
        } catch (e) {
          const why = e instanceof VaultApiError ? apiFailure(e).message : e instanceof Error ? e.message : String(e);
          info(human`secrets-vault: could not revoke the run token ${minted.id} (${why}); it expires at ${minted.expiresAt}.`);
        }
      });
      let injected: Record<string, string> = {};
      try {
        const settings = await user.accountSettings();
        if (settings.namingStyle === 'UPPER_CASE') injected = (await new VaultApi(undiciTransport(url), minted.token).runtimeEnv()).env;
      } catch (e) {
        await revoke();
        throw e;
      }
      // Injection by allowlist (protocol/processEnv.ts): a credential-shaped name, or one opted into;
      // never one that controls a process (PATH, LD_PRELOAD, PS0…). The others are named in a warning.
      const { inject, skipped } = injectableValues(injected, optIn);
      for (const warning of skippedNamesWarnings(skipped)) info(human`secrets-vault: warning: ${warning}`);
      // The user's own key never reaches the command: SECRETS_VAULT_TOKEN is the run token, and no other
      // SECRETS_VAULT_* credential of this process's environment (a master key, a database URL) is passed on.
      const inherited: NodeJS.ProcessEnv = { ...process.env };
      for (const name of inheritedCredentialNames(inherited)) delete inherited[name];
      const env: NodeJS.ProcessEnv = { ...inherited, ...inject, SECRETS_VAULT_URL: url, SECRETS_VAULT_TOKEN: minted.token, SECRETS_VAULT_AGENT: agent };
      // conv.env for the shim: --env, else what this process's environment says (else the shim's sandbox).
      if (environment !== undefined) env.SECRETS_VAULT_ENV = environment;
      // The Python shim (`from secrets_vault import get_secret, Conv`) comes first on PYTHONPATH.
      const shim = pythonShimDir();
      if (shim) env.PYTHONPATH = [shim, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
      const code = await new Promise<number>((resolve) => {
        const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
        const forward = (signal: NodeJS.Signals) => () => {
          child.kill(signal);
        };
        const handlers = FORWARDED.map((s) => [s, forward(s)] as const);
        for (const [s, h] of handlers) process.on(s, h);
        const done = (c: number) => {
          for (const [s, h] of handlers) process.off(s, h);
          resolve(c);
        };
        child.on('error', (e: NodeJS.ErrnoException) => {
          info(human`secrets-vault: could not start '${command[0]}': ${e.message}`);
          done(e.code === 'ENOENT' ? 127 : 126);
        });
        child.on('exit', (c, signal) => done(c ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
      });
      await revoke();
      process.exitCode = code;
    });

  const account = cli.command('account').description("the account's settings: who may run as an agent (local-runs), values kept per secret (versions-kept)");
  account
    .command('show')
    .action(async () => {
      const s = await api().accountSettings();
      if (g().json) return out(safeJson(s));
      out(human`Account ${s.id} (${s.name}): naming ${s.namingStyle}; local runs: ${s.localRuns}; versions kept: ${s.versionsKept}`);
    });
  account
    .command('set')
    .argument('<setting>', 'local-runs | versions-kept')
    .argument('<value>', 'local-runs: admins | developers; versions-kept: 1 to 100 (lowering it deletes older values at once)')
    .action(async (setting: string, value: string) => {
      if (setting === 'versions-kept') {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 100) throw new CliError(`versions-kept must be a whole number from 1 to 100, not '${value}'.`, EXIT.usage);
        const s = await api().updateAccountSettings({ versionsKept: n });
        if (g().json) return out(safeJson(s));
        return out(human`Each secret now keeps its last ${s.versionsKept} value(s), the current one included.`);
      }
      if (setting !== 'local-runs') throw new CliError(`Unknown setting '${setting}': local-runs or versions-kept.`, EXIT.usage);
      if (value !== 'admins' && value !== 'developers') {
        throw new CliError(`local-runs must be 'admins' or 'developers', not '${value}'.`, EXIT.usage);
      }
      const s = await api().updateAccountSettings({ localRuns: value as LocalRunsPolicy });
      if (g().json) return out(safeJson(s));
      out(human`Local runs (secrets-vault run) are now allowed to: ${s.localRuns}.`);
    });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}
