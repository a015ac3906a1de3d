// The environments a function runs in (`conv.env`) and how code spells them: defined once here for
// the language server's labels, `check --environment`, the MCP server's tools and runs as an agent.

import { hasUnsafeText } from './safeText';

/** The environments Agent Studio deploys to, in promotion order, as `conv.env` holds them; code may test others (`draft`). */
export const ENVIRONMENTS = ['sandbox', 'pre-release', 'live'] as const;

export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Other spellings of an environment and the one they mean: real-time configuration folders and SMS
 * templates write `pre_release`.
 */
const SPELLINGS: ReadonlyMap<string, Environment> = new Map([['pre_release', 'pre-release']]);

/** Each environment's spellings, its own first (the ones a test of `conv.env` may compare with). */
const SPELLED: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>();
  for (const e of ENVIRONMENTS) out.set(e, [e]);
  for (const [spelling, e] of SPELLINGS) out.get(e)!.push(spelling);
  return out;
})();

/** An environment as the labels write it: `pre_release` is `pre-release`; any other name as written. */
export function canonicalEnvironment(value: string): string {
  return SPELLINGS.get(value) ?? value;
}

/**
 * The environment a literal compared with `conv.env` names. `caseFolded`: the code changed the
 * case of `conv.env` before comparing (`.upper()`, `.lower()`, `toUpperCase()`), so the literal is
 * read case-insensitively (`'LIVE'` is `live`).
 */
export function environmentOfLiteral(literal: string, caseFolded: boolean): string {
  return canonicalEnvironment(caseFolded ? literal.toLowerCase() : literal);
}

/** The ways code may spell `env` (itself first): `pre-release` also `pre_release`. */
export function environmentSpellings(env: string): readonly string[] {
  return SPELLED.get(env) ?? [env];
}

/**
 * Whether `conv.env` in `env` starts with `prefix` in one of its spellings (`startswith('pre')`),
 * case-insensitively when the code folded its case.
 */
export function environmentStartsWith(env: string, prefix: string, caseFolded: boolean): boolean {
  const p = caseFolded ? prefix.toLowerCase() : prefix;
  for (const s of environmentSpellings(env)) if ((caseFolded ? s.toLowerCase() : s).startsWith(p)) return true;
  return false;
}

/** Whether `conv.env` in `env` is a substring of `text` in one of its spellings (`conv.env in 'sandbox live'`). */
export function environmentWithin(env: string, text: string, caseFolded: boolean): boolean {
  const t = caseFolded ? text.toLowerCase() : text;
  for (const s of environmentSpellings(env)) if (t.includes(caseFolded ? s.toLowerCase() : s)) return true;
  return false;
}

/** An environment's name as a choice may give it: up to 64 letters, digits, `_` and `-`. */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `v` is 'all' or an environment's name (the editor's choice, `check --environment`, the MCP tools' argument). */
export const isEnvironmentChoice = (v: unknown): v is string => typeof v === 'string' && ENVIRONMENT_NAME.test(v);

/**
 * A choice as people type it (`--environment`, `--env`, the MCP tools, the editor's setting): 'all'
 * or the environment it names, surrounding spaces ignored and other spellings read as the
 * environment they mean (`pre_release` is `pre-release`); null when it is not a name.
 */
export function environmentChoiceOf(value: string): string | null {
  const v = value.trim();
  if (!isEnvironmentChoice(v)) return null;
  return v === 'all' ? 'all' : canonicalEnvironment(v);
}

/** The environments for people: `sandbox, pre-release, live`. */
export const ENVIRONMENTS_TEXT = ENVIRONMENTS.join(', ');

/** The request header in which a run-time reader says the environment it runs in (kept with the vault's last read). */
export const READER_ENVIRONMENT_HEADER = 'x-secrets-vault-environment';

/**
 * The environment a run-time reader says it runs in (READER_ENVIRONMENT_HEADER), as the vault keeps
 * it: one of ENVIRONMENTS in any of its spellings (`pre_release`), surrounding spaces ignored;
 * anything else (absent, another name, control or invisible characters, several values) is null.
 * Never refused and never echoed: a reader's claim is metadata, not a reason to fail a read.
 */
export function readerEnvironment(header: string | string[] | undefined): Environment | null {
  if (typeof header !== 'string' || header.length > 64 || hasUnsafeText(header)) return null;
  const choice = environmentChoiceOf(header);
  return choice !== null && (ENVIRONMENTS as readonly string[]).includes(choice) ? (choice as Environment) : null;
}
