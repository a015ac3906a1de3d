// One escaping rule for every human-readable output (CLI tables, the audit listing, `check --format
// text|github`, error messages): names, paths and details can come from a server or from a file
// someone else wrote, and raw control characters in them would forge lines (a newline, or a
// `::error` workflow command in GitHub Actions), hide text (ANSI escapes) or reorder it (bidi
// controls). Each such character is shown as a visible escape instead; everything else, backslashes
// included, is left as it is so that ordinary text reads unchanged.

/** C0 and C1 controls, DEL, the Unicode line and paragraph separators and the bidi controls. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const UNSAFE_ONE = new RegExp(UNSAFE.source);

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` with every control character shown as an escape (`\n`, `\t`, `\x1b`, `\u202e`). */
export function safeText(s: string): string {
  return s.replace(UNSAFE, escapeOne);
}

/** Whether `s` holds a character that safeText would escape. */
export function hasUnsafeText(s: string): boolean {
  return UNSAFE_ONE.test(s);
}

/** The same set, as a JSON-schema pattern for free-text fields that must never hold them. */
export const SAFE_TEXT_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$';

/** What JSON.stringify leaves raw but a terminal may act on: DEL, C1 controls, separators, bidi controls. */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON.stringify, with the characters it leaves raw but a terminal may act on written as \u
 * escapes. Such characters can only occur inside JSON strings, where the escape means the same
 * character: any JSON parser reads exactly the same value.
 */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
