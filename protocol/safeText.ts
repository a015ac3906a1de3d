// One escaping rule for every human-readable output (CLI tables, the audit listing, `check --format
// text|github`, error messages): names, paths and details can come from a server or from a file
// someone else wrote, and raw control characters in them would forge lines (a newline, or a
// `::error` workflow command in GitHub Actions), hide text (ANSI escapes), reorder it (bidi
// controls) or make two different texts look
// the same (zero-width and tag characters: `admin\u200b`, a reason with a hidden instruction). Each
// such character is shown as a visible escape instead; everything else, backslashes included, is
// left as it is so that ordinary text reads unchanged. The patterns hold astral code points
// (`\u{e0000}`): compile them with the `u` flag (Ajv does).

/** C0 and C1 controls, DEL, the Unicode line and paragraph separators and the bidi controls. */
const CONTROL_SET = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
/**
 * Characters that show as nothing, one set for every field (issue 50): Unicode's default-ignorable
 * code points and the blanks beside them. The soft hyphen, the combining grapheme joiner, the
 * Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the Khmer inherent vowels, the Mongolian free
 * variation selectors and vowel separator (U+180B–U+180F), zero-width space, joiners and marks, the
 * word joiner and invisible operators (U+2060–U+206F), the braille blank (U+2800), the variation
 * selectors (U+FE00–U+FE0F, U+E0100–U+E01EF: `stripe_key\uFE0F` looks like `stripe_key`), the
 * byte-order mark, the interlinear annotation controls and the unassigned specials (U+FFF0–U+FFFB),
 * the shorthand format controls (U+1BCA0–U+1BCA3), the musical formatting controls
 * (U+1D173–U+1D17A) and the whole tag and supplementary-variation-selector plane part
 * U+E0000–U+E0FFF (tags can spell out hidden ASCII). Unassigned code points in these blocks count
 * too: a later Unicode may assign them, and every part must agree today.
 */
export const INVISIBLE_SET =
  '\\u00ad\\u034f\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b-\\u200f\\u2060-\\u206f\\u2800\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff0-\\ufffb' +
  '\\u{1bca0}-\\u{1bca3}\\u{1d173}-\\u{1d17a}\\u{e0000}-\\u{e0fff}';

const UNSAFE = new RegExp(`[${CONTROL_SET}${INVISIBLE_SET}]`, 'gu');

const UNSAFE_ONE = new RegExp(UNSAFE.source, 'u');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.codePointAt(0)!;
  if (code > 0xffff) return `\\u{${code.toString(16)}}`;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` with every control or invisible character shown as an escape (`\n`, `\t`, `\x1b`, `\u202e`, `\u200b`, `\u{e0041}`). */
export function safeText(s: string): string {
  // Printable ASCII holds nothing to escape: most text is all of it, and needs no regular expression.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return s.replace(UNSAFE, escapeOne);
  }
  return s;
}

const INVISIBLE = new RegExp(`[${INVISIBLE_SET}]`, 'gu');

/**
 * `s` with only the invisible characters shown as escapes (`\u200b`, `\u{e0041}`), line breaks kept:
 * for the editor's tree items, tooltips and hovers, where text a vault held before the rule (issue
 * 32) must not pass for other text.
 */
export function showInvisible(s: string): string {
  return s.replace(INVISIBLE, escapeOne);
}

/** Whether `s` holds a character that safeText would escape. */
export function hasUnsafeText(s: string): boolean {
  return UNSAFE_ONE.test(s);
}

/**
 * The first character safeText would escape, as `U+XXXX`, for a refusal that names it without
 * quoting the text (which may be a hidden instruction, or a credential typed into the wrong field).
 */
export function firstUnsafeCodePoint(s: string): string | undefined {
  const m = UNSAFE_ONE.exec(s);
  return m ? codePointName(m[0]) : undefined;
}

/** `U+200B`, `U+E0041`. */
export function codePointName(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The same set, as a JSON-schema pattern (`u` flag) for free-text fields that must never hold them. */
export const SAFE_TEXT_PATTERN = `^[^${CONTROL_SET}${INVISIBLE_SET}]*$`;

/**
 * The same rule for text where line breaks are fine (descriptions): a tab, a line feed or a carriage
 * return may be there; no other control, no bidi control (text that reorders itself, "Trojan
 * Source") and nothing invisible: nothing in it may look like other text.
 */
export const VISIBLE_TEXT_PATTERN = `^[^${CONTROL_SET.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f')}${INVISIBLE_SET}]*$`;

/** What JSON.stringify leaves raw but a terminal may act on (DEL, C1 controls, separators, bidi controls) or shows as nothing. */
const JSON_UNSAFE = new RegExp(`[\\u007f-\\u009f\\u061c\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069${INVISIBLE_SET}]`, 'gu');

/**
 * JSON.stringify, with the characters it leaves raw but a terminal may act on written as \u
 * escapes. Such characters can only occur inside JSON strings, where the escape means the same
 * character: any JSON parser reads exactly the same value.
 */
export function safeJson(value: unknown, space?: number): string {
  // An astral character (a tag) is written as its surrogate pair, the only \u form JSON has.
  const unit = (i: number, c: string) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return JSON.stringify(value, null, space).replace(JSON_UNSAFE, (c) => (c.length === 2 ? unit(0, c) + unit(1, c) : unit(0, c)));
}

/** Marks drawn on the character before (combining accents), and Hangul's medial and final jamo. */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u1160-\u11ff]/u;
/** East Asian wide and fullwidth characters, and emoji drawn as pictures: two terminal columns. */
const DOUBLE_WIDTH =
  /[\p{Emoji_Presentation}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{2fffd}\u{30000}-\u{3fffd}]/u;

/**
 * Columns a terminal gives `s` (after safeText, which has made every control visible): 0 for a
 * combining mark, 2 for a wide (CJK, fullwidth) character or an emoji, 1 otherwise. For tables that
 * line up when a name holds `日本語`, `🔑` or `é` written as e + U+0301; UTF-16 length is
 * off for each of those.
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const c of s) w += ZERO_WIDTH.test(c) ? 0 : DOUBLE_WIDTH.test(c) ? 2 : 1;
  return w;
}

/** `s` followed by spaces up to `width` terminal columns (padEnd counts UTF-16 units instead). */
export function padDisplay(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}
