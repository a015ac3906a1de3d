// What a local run as an agent is made of, with no VS Code in it (so it is tested with plain
// vitest): the arguments a person types, the skeleton offered the first time, the environment the
// function gets (vault URL, run token, the Python shim first on PYTHONPATH, `conv.env` as
// SECRETS_VAULT_ENV, and in UPPER_CASE accounts the granted values), the shim's command line and the debug configuration. The run token
// and injected values live only in the returned objects, which go to a child process, a terminal
// or a debug adapter; nothing here logs or stores them.

import { inheritedCredentialNames, injectableValues } from '../../../protocol/processEnv';
import { EDITOR_ENVIRONMENTS, runEnvironmentFor, type EditorEnvironment, type EnvironmentChoice } from './environment';

/** Arguments as typed: empty (call with conv alone), or a JSON object (keywords) or array (positional). */
export type ParsedArgs = { ok: true; json: string | undefined } | { ok: false; error: string };

export function parseRunArgs(text: string): ParsedArgs {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, json: undefined };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof value !== 'object' || value === null) {
    return { ok: false, error: 'Give a JSON object of keyword arguments ({"date": "2026-12-01"}) or an array of positional ones.' };
  }
  // Compact, so the command line and the remembered text are the same whatever the spacing typed.
  return { ok: true, json: JSON.stringify(value) };
}

/**
 * The text of a def's parameter list, from `def name(` to its closing `)` (the header may span
 * lines); undefined when `source` has no such header.
 */
export function parameterText(source: string, name: string): string | undefined {
  const head = new RegExp(`(?:^|\\n)[ \\t]*(?:async[ \\t]+)?def[ \\t]+${name}[ \\t]*\\(`).exec(source);
  if (!head) return undefined;
  let depth = 1;
  let quote: string | undefined;
  const from = head.index + head[0].length;
  for (let i = from; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0) return source.slice(from, i);
    }
  }
  return undefined;
}

/** Splits a parameter list at its top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.replace(/#[^\n]*/g, '').trim()).filter(Boolean);
}

/** A JSON placeholder for a parameter's annotation. */
function placeholder(annotation: string | undefined): unknown {
  const a = (annotation ?? '').replace(/\s+/g, '');
  if (/^(int|float|complex)$/.test(a)) return 0;
  if (a === 'bool') return false;
  if (/^(list|List|tuple|Tuple|set|Set|Sequence)\b/.test(a)) return [];
  if (/^(dict|Dict|Mapping)\b/.test(a)) return {};
  return '';
}

/**
 * What the arguments box offers the first time for `def name(conv, origin: str, adults: int = 1)`:
 * the required parameters after `conv` as JSON keywords (`{"origin": ""}`), `{}` when there are none.
 * A flow function's or function step's `flow` (its second parameter, which the shim passes) is left
 * out too.
 */
export function argsSkeleton(source: string, name: string): string {
  const params = parameterText(source, name);
  if (params === undefined) return '{}';
  const skeleton: Record<string, unknown> = {};
  for (const [i, part] of splitTopLevel(params).entries()) {
    if (i === 0) continue; // conv
    if (i === 1 && /^flow\s*(?::|$)/.test(part)) continue;
    if (part === '/' || part === '*' || part.startsWith('*')) continue;
    if (part.includes('=')) continue; // has a default
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*(.+))?$/s.exec(part);
    if (m) skeleton[m[1]!] = placeholder(m[2]);
  }
  return JSON.stringify(skeleton);
}

export interface RunEnvironmentInput {
  url: string;
  token: string;
  /** The folder holding the `secrets_vault` package (the extension's dist/python). */
  shimDir: string;
  /** PYTHONPATH as the extension host has it. */
  pythonPath: string | undefined;
  /** UPPER_CASE accounts: the agent's granted single values, as the platform injects them. */
  injected: Readonly<Record<string, string>>;
  /** Names the run opts into beyond the credential-shaped ones (secrets-vault.json's "inject"). */
  optIn: readonly string[];
  /** The user allowed plain http:// to another machine (the shim refuses it otherwise). */
  allowInsecureHttp: boolean;
  /** Path separator for PYTHONPATH (':' on POSIX, ';' on Windows). */
  delimiter: string;
  /** The Agent Studio environment the function sees as `conv.env` (core/environment.ts runEnvironmentFor). */
  environment: string;
}

/**
 * The variables a run adds to (or replaces in) the environment it inherits. Of the granted values,
 * only those protocol/processEnv.ts lets in: a credential-shaped name, or one opted into that
 * controls no process (PATH, NODE_OPTIONS, LD_PRELOAD, PS0… never), whatever the caller passes; the
 * caller warns with injectableValues' skipped names.
 */
export function runEnvironment(input: RunEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {
    ...injectableValues(input.injected, input.optIn).inject,
    SECRETS_VAULT_URL: input.url,
    SECRETS_VAULT_TOKEN: input.token,
    PYTHONPATH: [input.shimDir, input.pythonPath].filter(Boolean).join(input.delimiter),
    // Output reaches the terminal as it is printed, not when a buffer fills.
    PYTHONUNBUFFERED: '1',
    // The shim's Conv reads it as conv.env.
    SECRETS_VAULT_ENV: input.environment,
  };
  if (input.allowInsecureHttp) env.SECRETS_VAULT_ALLOW_INSECURE_HTTP = '1';
  return env;
}

/**
 * The whole environment of a run's child process: the extension host's without its SECRETS_VAULT_*
 * credentials (a key in SECRETS_VAULT_TOKEN, a master key), then the run's variables.
 */
export function childEnvironment(host: Readonly<Record<string, string | undefined>>, run: Readonly<Record<string, string>>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...host };
  for (const name of inheritedCredentialNames(host)) delete env[name];
  return { ...env, ...run };
}

/**
 * A terminal's `env`, which VS Code merges into the extension host's environment: the run's
 * variables, and null (which removes a variable) for the host's SECRETS_VAULT_* credentials.
 */
export function terminalEnvironment(host: Readonly<Record<string, string | undefined>>, run: Readonly<Record<string, string>>): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  for (const name of inheritedCredentialNames(host)) env[name] = null;
  return { ...env, ...run };
}

/**
 * Why Run, Debug or Open Terminal as Agent refuses in Restricted Mode, or undefined in a trusted
 * workspace: each runs the workspace's code (or a shell in it, with its .envrc, its tasks, its
 * PATH tricks) with a run token and the agent's secrets in its environment.
 */
export function restrictedModeRefusal(trusted: boolean, what: string): string | undefined {
  if (trusted) return undefined;
  return `${what} is not available in Restricted Mode: it would run this workspace's code with the agent's run token and secrets in its environment. Trust the workspace first (Manage Workspace Trust).`;
}

/**
 * The environment an ADK function's run gets: the one chosen in the editor, else (with all of them
 * checked) the one picked for this run; undefined when the person must be asked. `remembered` is
 * what they picked for the same function earlier in the session, offered first.
 */
export function adkRunEnvironment(choice: EnvironmentChoice, picked: EditorEnvironment | undefined): { env: EditorEnvironment; note: string } | undefined {
  if (choice !== 'all') return runEnvironmentFor(choice);
  if (picked === undefined) return undefined;
  return { env: picked, note: `conv.env is '${picked}' (picked for this run; the editor checks all environments)` };
}

/** The per-run picker's environments, the one picked last for this function first. */
export function adkEnvironmentPickItems(remembered: EditorEnvironment | undefined): Array<{ label: string; description?: string; env: EditorEnvironment }> {
  const order = remembered ? [remembered, ...EDITOR_ENVIRONMENTS.filter((e) => e !== remembered)] : [...EDITOR_ENVIRONMENTS];
  return order.map((env) => (env === remembered ? { label: env, description: 'last run', env } : { label: env, env }));
}

/** `python -m secrets_vault call FILE:NAME [--args JSON]`: the shim calls NAME(conv, …) and prints what it returns. */
export function callCommand(python: string, file: string, name: string, argsJson: string | undefined): string[] {
  return [python, '-m', 'secrets_vault', 'call', `${file}:${name}`, ...(argsJson !== undefined ? ['--args', argsJson] : [])];
}

/** Marks a debug session as ours, so its end revokes the run token it was started with. */
export const RUN_MARKER = 'secretsVaultRun';

export interface DebugPlan {
  /** The debugger's type: `debugpy` (the Python Debugger extension) or `python` (older Python extensions). */
  type: string;
  file: string;
  name: string;
  agent: string;
  argsJson: string | undefined;
  cwd: string;
  python: string;
  env: Record<string, string>;
  runId: string;
}

/** A launch configuration that runs the shim's `call` as a module under the Python debugger. */
export function debugConfiguration(plan: DebugPlan): { type: string; name: string; request: 'launch'; [key: string]: unknown } {
  return {
    type: plan.type,
    name: `Debug ${plan.name} as ${plan.agent}`,
    request: 'launch',
    module: 'secrets_vault',
    args: ['call', `${plan.file}:${plan.name}`, ...(plan.argsJson !== undefined ? ['--args', plan.argsJson] : [])],
    cwd: plan.cwd,
    python: plan.python,
    env: plan.env,
    // The function's own code, not the shim's: breakpoints in the function stop; the shim is stepped over.
    justMyCode: true,
    // The Debug Console, not a terminal: a terminal's environment (the run token) could outlive the session.
    console: 'internalConsole',
    [RUN_MARKER]: plan.runId,
  };
}

/** Text for a terminal: xterm needs CR LF where a program writes LF. */
export function terminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** "0.42 s", "12 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
