// Naming rules and limits shared by the vault, the language server, the CLI and the webviews.
// One definition, so that the editor never accepts what the vault will reject.

import { firstUnsafeCodePoint } from './safeText';

export type NamingStyle = 'snake_case' | 'UPPER_CASE';
export const NAMING_STYLES: readonly NamingStyle[] = ['snake_case', 'UPPER_CASE'];

export const SNAKE_NAME_PATTERN = '^[a-z][a-z0-9_]{0,63}$';
export const UPPER_NAME_PATTERN = '^[A-Z][A-Z0-9_]{0,63}$';
/** Either style; the account's style is checked separately. */
export const ANY_NAME_PATTERN = '^(?:[a-z][a-z0-9_]{0,63}|[A-Z][A-Z0-9_]{0,63})$';
export const AGENT_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
/** Keys of a key/value secret: identifier-like, so that `['key']` and `.get('key')` read well. */
export const KEY_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$';

export const MAX_NAME_LENGTH = 64;
export const MAX_DESCRIPTION_LENGTH = 500;
/** Bytes (UTF-8) of a single value, or of all keys and values of a key/value secret together. */
export const MAX_VALUE_BYTES = 64 * 1024;
export const MAX_PAIRS = 100;
export const MAX_AGENTS_PER_SECRET = 1000;
export const MAX_AGENT_NAME_LENGTH = 100;

const SNAKE = new RegExp(SNAKE_NAME_PATTERN);
const UPPER = new RegExp(UPPER_NAME_PATTERN);
const AGENT = new RegExp(AGENT_ID_PATTERN);
const KEY = new RegExp(KEY_PATTERN);

export function namePattern(style: NamingStyle): RegExp {
  return style === 'UPPER_CASE' ? UPPER : SNAKE;
}

/**
 * Why `name` is not a valid secret name in an account of `style`, as a sentence a person can act
 * on, or `undefined` when it is valid.
 */
export function checkSecretName(name: string, style: NamingStyle): string | undefined {
  if (name.length === 0) return 'A secret name cannot be empty.';
  if (name.length > MAX_NAME_LENGTH) return `A secret name has at most ${MAX_NAME_LENGTH} characters.`;
  if (namePattern(style).test(name)) return undefined;
  if (style === 'UPPER_CASE') {
    return SNAKE.test(name)
      ? `This account uses environment-style names: did you mean '${name.toUpperCase()}'?`
      : 'Use an upper-case letter, then upper-case letters, digits or underscores (for example STRIPE_API_KEY).';
  }
  return UPPER.test(name)
    ? `This account uses snake_case names: did you mean '${name.toLowerCase()}'?`
    : 'Use a lower-case letter, then lower-case letters, digits or underscores (for example stripe_api_key).';
}

export function checkAgentId(id: string): string | undefined {
  if (AGENT.test(id)) return undefined;
  return 'An agent id is 1 to 63 lower-case letters, digits or hyphens, starting with a letter or digit.';
}

export function checkKey(key: string): string | undefined {
  if (KEY.test(key)) return undefined;
  return 'A key starts with a letter or underscore, then letters, digits, underscores, dots or hyphens (at most 64).';
}

export type SecretValue = string | Record<string, string>;

/** Size of a value as the vault counts it against MAX_VALUE_BYTES. */
export function valueBytes(value: SecretValue): number {
  if (typeof value === 'string') return utf8Length(value);
  let total = 0;
  for (const [k, v] of Object.entries(value)) total += utf8Length(k) + utf8Length(v);
  return total;
}

/** UTF-8 length without allocating; works in Node and in a webview (no Buffer there). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Why `value` cannot be stored, or `undefined`. Messages never quote the value: they may end up in
 * logs and error responses.
 */
export function checkSecretValue(value: SecretValue): { field: string; message: string } | undefined {
  if (typeof value === 'string') {
    if (value.length === 0) return { field: 'value', message: 'A value cannot be empty.' };
  } else {
    const keys = Object.keys(value);
    if (keys.length === 0) return { field: 'value', message: 'A key/value secret needs at least one pair.' };
    if (keys.length > MAX_PAIRS) return { field: 'value', message: `A key/value secret has at most ${MAX_PAIRS} pairs.` };
    for (const k of keys) {
      // A key holding control or invisible characters is named by code point, not quoted (issue 32).
      const unsafe = firstUnsafeCodePoint(k);
      if (unsafe) return { field: 'value', message: `A key must not contain control or invisible characters (one holds ${unsafe}).` };
      const problem = checkKey(k);
      if (problem) return { field: `value.${k}`, message: problem };
      if (value[k] === '') return { field: `value.${k}`, message: `The value of key '${k}' cannot be empty.` };
    }
  }
  if (valueBytes(value) > MAX_VALUE_BYTES) {
    return { field: 'value', message: `A value is at most ${MAX_VALUE_BYTES / 1024} KiB.` };
  }
  return undefined;
}
