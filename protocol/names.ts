// Naming rules and limits shared by the vault, the language server, the CLI and the webviews.
// One definition, so that the editor never accepts what the vault will reject.

import { firstUnsafeCodePoint, INVISIBLE_SET } from './safeText';

export type NamingStyle = 'snake_case' | 'UPPER_CASE';
export const NAMING_STYLES: readonly NamingStyle[] = ['snake_case', 'UPPER_CASE'];

/**
 * Names as real accounts have them. In an account that reads secrets with `get_secret`
 * a name is printable text: letters of any case and script, digits, spaces and punctuation, 1 to
 * MAX_NAME_LENGTH characters (code points), with no control, format (zero-width, bidirectional
 * controls, tag characters), surrogate, private-use or non-character code point, no line or
 * paragraph separator, and no space at either end. snake_case is that account's convention: advice
 * (`naming-convention`, information), never a rule. In an environment-style account a name becomes
 * an environment variable, so there the rule stays strict.
 */
export const MAX_NAME_LENGTH = 128;
/** The convention of `get_secret` accounts (advice only). */
export const SNAKE_NAME_PATTERN = '^[a-z][a-z0-9_]{0,127}$';
/** The rule of environment-style accounts. */
export const UPPER_NAME_PATTERN = '^[A-Z][A-Z0-9_]{0,127}$';
/**
 * What no name may hold: the characters a person cannot see or that reorder text ("Trojan Source").
 * Besides the categories, every character the other text fields refuse as invisible (safeText.ts
 * INVISIBLE_SET, one set: the fillers, variation selectors, the braille blank, whole blocks with
 * their unassigned code points), so that `admin\u3164` or `stripe_key\uFE0F` cannot pass for
 * another name.
 */
const NOT_IN_NAME = `\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Zl}\\p{Zp}\\u{fdd0}-\\u{fdef}\\u{fffe}\\u{ffff}${INVISIBLE_SET}`;
/**
 * A name some account may hold (JSON-schema pattern, `u` flag; the length is checked apart, in code
 * points): printable, no space at either end. Environment-style names are a subset.
 */
export const ANY_NAME_PATTERN = `^(?!\\s)[^${NOT_IN_NAME}]+(?<!\\s)$`;
/**
 * An agent id: Agent Studio's project ids (`PROJECT-WEVYLLDV`) and ids like `booking-agent`. Case
 * matters and is kept; two ids that differ only in case are refused as a conflict (agentIdFold).
 */
export const AGENT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
export const MAX_AGENT_ID_LENGTH = 64;
/** Keys of a key/value secret: identifier-like, so that `['key']` and `.get('key')` read well. */
export const KEY_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$';

export const MAX_DESCRIPTION_LENGTH = 500;
/** Bytes (UTF-8) of a single value, or of all keys and values of a key/value secret together. */
export const MAX_VALUE_BYTES = 64 * 1024;
export const MAX_PAIRS = 100;
export const MAX_AGENTS_PER_SECRET = 1000;
export const MAX_AGENT_NAME_LENGTH = 100;

const SNAKE = new RegExp(SNAKE_NAME_PATTERN);
const UPPER = new RegExp(UPPER_NAME_PATTERN);
const ANY = new RegExp(ANY_NAME_PATTERN, 'u');
const FIRST_NOT_IN_NAME = new RegExp(`[${NOT_IN_NAME}]`, 'u');
const AGENT = new RegExp(AGENT_ID_PATTERN);
const KEY = new RegExp(KEY_PATTERN);

/** The account's rule (environment style) or convention (`get_secret` style). */
export function namePattern(style: NamingStyle): RegExp {
  return style === 'UPPER_CASE' ? UPPER : SNAKE;
}

/** Length in characters as a person counts them here: code points, not UTF-16 units. */
export function nameLength(name: string): number {
  let n = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < name.length && (name.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
}

/** Whether some account could hold a secret named `name` (either style). */
export function isAnyName(name: string): boolean {
  return ANY.test(name) && nameLength(name) <= MAX_NAME_LENGTH;
}

/**
 * Why `name` is not a valid secret name in an account of `style`, as a sentence a person can act
 * on, or `undefined` when it is valid. A name that breaks the rule is described, never quoted, but
 * for the environment-style suggestion (an identifier, which the rule has checked).
 */
export function checkSecretName(name: string, style: NamingStyle): string | undefined {
  if (name.length === 0) return 'A secret name cannot be empty.';
  if (nameLength(name) > MAX_NAME_LENGTH) return `A secret name has at most ${MAX_NAME_LENGTH} characters.`;
  if (style === 'UPPER_CASE') {
    if (UPPER.test(name)) return undefined;
    return SNAKE.test(name)
      ? `This account uses environment-style names: did you mean '${name.toUpperCase()}'?`
      : 'This account uses environment-style names: an upper-case letter, then upper-case letters, digits or underscores (for example STRIPE_API_KEY).';
  }
  if (ANY.test(name)) return undefined;
  const bad = FIRST_NOT_IN_NAME.exec(name);
  if (bad) {
    return `A secret name cannot hold control, invisible, separator or bidirectional-control characters (it holds ${codePoint(bad[0])}).`;
  }
  return 'A secret name cannot start or end with a space.';
}

/**
 * Whether `name` follows the account's convention: snake_case in `get_secret` accounts (advice: the
 * create form suggests it, the editor reports `naming-convention` as information); in
 * environment-style accounts the rule is the convention.
 */
export function followsConvention(name: string, style: NamingStyle): boolean {
  return namePattern(style).test(name);
}

/**
 * The name in the account's convention (`Prod API Credentials` → `prod_api_credentials`,
 * `apiKey` → `api_key`, `2fa code` → `secret_2fa_code`), or undefined when nothing of it is left (a name of symbols only).
 */
export function conventionalName(name: string, style: NamingStyle): string | undefined {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (words === '') return undefined;
  // A name starts with a letter: `2fa code` → `secret_2fa_code`.
  const lettered = /^[0-9]/.test(words) ? `secret_${words}` : words;
  const out = (style === 'UPPER_CASE' ? lettered.toUpperCase() : lettered.toLowerCase()).slice(0, MAX_NAME_LENGTH).replace(/_+$/, '');
  return namePattern(style).test(out) ? out : undefined;
}

/**
 * Two names a person would take for one: differing only in case, in spacing or in Unicode
 * compatibility form (`Prod API` and `prod  api`, `ＡＰＩ` and `API`). A new name whose fold is an
 * existing name's is refused (409), naming the existing one. See also nameSeparatorFold: a name
 * is a twin of another when either fold matches (isNameTwin).
 */
export function nameFold(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/**
 * Letters of other scripts drawn like a Latin letter, and Latin letters drawn like another, mapped to
 * that letter: the common part of Unicode's confusables (UTS #39) for the scripts names are written
 * in. Capitals are mapped before the name is lower-cased (Cyrillic Н is Latin H, though н is not h),
 * small letters after. Not the whole table (about 6,000 entries, most between scripts no one mixes
 * in a secret's name): `rn` and `m`, or `l` and `1`, stay apart.
 */
const CONFUSABLE_CAPITALS: Record<string, string> = {
  // Cyrillic
  'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T',
  'Х': 'X', 'У': 'Y', 'Ү': 'Y', 'Ѕ': 'S', 'І': 'I', 'Ј': 'J', 'Ԛ': 'Q', 'Ԝ': 'W', 'Һ': 'H', 'Ӏ': 'I',
  // Greek
  'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
  'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'Ϲ': 'C', 'Ϳ': 'J',
};
const CONFUSABLE_SMALL: Record<string, string> = {
  // Cyrillic
  'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ј': 'j',
  'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l', 'ү': 'y', 'ԁ': 'd', 'ɡ': 'g',
  // Greek
  'α': 'a', 'ο': 'o', 'ν': 'v', 'ι': 'i', 'ρ': 'p', 'υ': 'u', 'χ': 'x', 'ϲ': 'c', 'ϳ': 'j', 'κ': 'k',
  // Latin letters drawn as others: dotless i, Latin alpha, iota, script g
  'ı': 'i', 'ɑ': 'a', 'ɩ': 'i', 'ȷ': 'j',
};
const INVISIBLE_CHARS = new RegExp(`[${INVISIBLE_SET}\\p{Cf}]`, 'gu');
const mapChars = (s: string, table: Record<string, string>) => s.replace(/[^\x00-\x7f]/gu, (c) => table[c] ?? c);

/**
 * A name's confusable skeleton (after UTS #39): compatibility-decomposed, with what shows as nothing
 * removed (a name a vault held before the rule may hold some), letters of other scripts that look
 * like Latin ones mapped to them, lower case, composed again, and `_`, `-` and spaces one separator
 * (a run of whitespace one space first). `strіpe_key` (Cyrillic і), `STRIPE-KEY`, `stripe_key\uFE0F`
 * and `stripe_key` share one. Two names with one skeleton are one name to the twin check (409).
 */
export function nameSkeleton(name: string): string {
  const bare = name.normalize('NFKD').replace(INVISIBLE_CHARS, '');
  return mapChars(mapChars(bare, CONFUSABLE_CAPITALS).toLowerCase(), CONFUSABLE_SMALL)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .replace(/[ _-]/g, '_');
}

/**
 * The other way two names are one to a person: `_`, `-` and a space are the same separator
 * (`prod_api_credentials`, `Prod API Credentials`, `prod-api-credentials`, `PROD_API_CREDENTIALS`).
 * A separator is kept, never removed, so that distinct environment variables stay apart (`A_B` and
 * `AB`, `A__B` and `A_B`); a run of whitespace is one space first, as in nameFold.
 */
export function nameSeparatorFold(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').replace(/[ _-]/g, '_');
}

/** Why a twin is refused, as the vault, the CLI and the forms say it. */
export const NAME_TWIN_RULE = "names that differ only in case, spacing, '_' or '-', or in letters that look alike are one name";

/** Whether `a` and `b` are one name to a person (and a new one is refused beside the other): equal in any fold, or in skeleton (nameSkeleton). */
export function isNameTwin(a: string, b: string): boolean {
  return nameFold(a) === nameFold(b) || nameSeparatorFold(a) === nameSeparatorFold(b) || nameSkeleton(a) === nameSkeleton(b);
}

/** The name of `names` that `name` is one with to a person (itself when held), if any; the first in order. */
export function nameTwinOf(name: string, names: Iterable<string>): string | undefined {
  const fold = nameFold(name);
  const sep = nameSeparatorFold(name);
  const skeleton = nameSkeleton(name);
  for (const n of names) if (n === name || nameFold(n) === fold || nameSeparatorFold(n) === sep || nameSkeleton(n) === skeleton) return n;
  return undefined;
}

/** Looser, for did-you-mean: `_`, `-` and spaces count as the same too (`stripe-key` for `stripe_key`). */
export function nameLooseFold(name: string): string {
  return nameFold(name).replace(/[_-]+/g, '');
}

export function checkAgentId(id: string): string | undefined {
  if (AGENT.test(id)) return undefined;
  return `An agent id is 1 to ${MAX_AGENT_ID_LENGTH} letters, digits, hyphens or underscores, starting with a letter or digit (for example PROJECT-WEVYLLDV or booking-agent).`;
}

/** Agent ids that differ only in case are one agent to a person: a second is refused (409). */
export function agentIdFold(id: string): string {
  return id.toLowerCase();
}

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
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
      // A key holding control or invisible characters is named by code point, not quoted.
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
