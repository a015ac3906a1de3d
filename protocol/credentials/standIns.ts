// Stand-ins: values that hold the place of a credential rather than being one. A whole value
// that is a classic stand-in (`password`, `changeme`, `${API_KEY}`, `[REDACTED]`, `…_HERE`), a
// stand-in word or placeholder syntax anywhere in it (`<your-api-key>`, `{{token}}`, `%(pw)s`),
// fillers (`xxxx`, `000000`, `abcdef`), and for a provider format's random part a leaner test of its
// head and tail. shape.ts's one pass over a value (`measure`) runs the same word tables and symbol
// checks as it goes. Everything here runs on candidate credentials while the user types: lookup
// tables, no allocation.

interface WordTable {
  /** Words by first letter. */
  lists: (readonly string[] | null)[];
  /** 1 where a word starts with these two letters. */
  starts: Uint8Array;
  /** By character: 1 for the first letters of the words (either case), 2 for the symbols that may start a placeholder syntax. */
  trigger: Uint8Array;
}

/** Words for a case-insensitive look at each letter of a value. */
function byFirstLetter(words: readonly string[]): WordTable {
  const lists: (string[] | null)[] = new Array<string[] | null>(26).fill(null);
  const starts = new Uint8Array(26 * 27);
  const trigger = new Uint8Array(128);
  for (const ch of '.*${<>%:@') trigger[ch.charCodeAt(0)] = 2;
  for (const w of words) {
    (lists[w.charCodeAt(0) - 97] ??= []).push(w);
    starts[(w.charCodeAt(0) - 97) * 27 + letterIndex(w.charCodeAt(1))] = 1;
    trigger[w.charCodeAt(0)] = 1;
    trigger[w.charCodeAt(0) - 32] = 1;
  }
  return { lists, starts, trigger };
}

/** 0-25 for a letter (either case), 26 for anything else. */
export function letterIndex(c: number): number {
  const l = (c | 32) - 97;
  return l >= 0 && l < 26 ? l : 26;
}

/**
 * Words that mark a value as a stand-in, anywhere in it, case-insensitive: `<your-api-key>`,
 * `REPLACE_ME`, `changeme`, `dummy-token`, `not-a-real-key`, `test_secret`. Four letters or more,
 * so that random text rarely contains one (a given 4-letter word turns up in a random
 * 32-character base62 string about once in 10^5).
 */
export const VALUE_WORDS = byFirstLetter([
  'example',
  'sample',
  'placeholder',
  'changeme',
  'change_me',
  'change-me',
  'replace',
  'your',
  'dummy',
  'fake',
  'mock',
  'test',
  'todo',
  'fixme',
  'redacted',
  'insert',
  'notreal',
  'not_a_real',
  'not-a-real',
  'lorem',
  'ipsum',
]);

/**
 * In a provider format's random part, fewer words: `sk_test_` is a real prefix, and a long random
 * body should not be rejected for containing `test` or `mock` by chance.
 */
const BODY_WORDS = byFirstLetter(['example', 'your', 'dummy', 'fake', 'placeholder', 'redacted']);

export function wordAt(s: string, at: number, list: readonly string[]): boolean {
  for (let j = 0; j < list.length; j++) {
    const w = list[j]!;
    if (at + w.length > s.length) continue;
    let k = 1;
    while (k < w.length && (s.charCodeAt(at + k) | 32) === w.charCodeAt(k)) k++;
    if (k === w.length) return true;
  }
  return false;
}

/** After `{` at `at`: `{{`, or `{name}` (a format placeholder). */
function bracePlaceholder(s: string, at: number): boolean {
  let k = at + 1;
  if (s.charCodeAt(k) === 123) return true;
  while (k < s.length) {
    const c = s.charCodeAt(k) | 32;
    if (c === 125) return k > at + 1;
    if (!((c >= 97 && c <= 122) || c === 127)) return false; // letters and `_` (95 | 32 = 127)
    k++;
  }
  return false;
}

/** After `%` at `at`: `%(name)s` / `%(name)d`. */
function percentPlaceholder(s: string, at: number): boolean {
  if (s.charCodeAt(at + 1) !== 40) return false;
  const close = s.indexOf(')', at + 2);
  if (close < 0 || close > at + 66) return false;
  const t = s.charCodeAt(close + 1);
  return t === 115 || t === 100;
}

/**
 * The scan behind isPlaceholder: a stand-in word, a placeholder syntax (`${…}`, `{{…}}`,
 * `{name}`, `%(name)s`, `<…>`, `...`, `…`, `***`), the same character `repeat` times in a row
 * (`xxx`/`XXX` three times, case-sensitive), `sequence` characters in sequence (`abcdef`, `654321`).
 */
function standIn(s: string, from: number, n: number, words: WordTable, repeat: number, sequence: number): boolean {
  const starts = words.starts;
  const lists = words.lists;
  const trigger = words.trigger;
  let run = 1;
  let up = 1;
  let down = 1;
  let prev = -1;
  for (let i = from; i < n; i++) {
    const c = s.charCodeAt(i);
    const d = c - prev;
    if (d === 0) {
      if (++run >= repeat) return true;
      up = down = 1;
    } else if (d === 1) {
      if (++up >= sequence) return true;
      run = down = 1;
    } else if (d === -1) {
      if (++down >= sequence) return true;
      run = up = 1;
    } else run = up = down = 1;
    prev = c;
    if (c >= 128) {
      if (c === 0x2026) return true;
      continue;
    }
    const kind = trigger[c]!;
    if (kind === 0) {
      if (run >= 3 && (c === 120 || c === 88)) return true;
      continue;
    }
    if (kind === 1) {
      const l = (c | 32) - 97;
      if (i + 1 < n && starts[l * 27 + letterIndex(s.charCodeAt(i + 1))] === 1 && wordAt(s, i, lists[l]!)) return true;
      continue;
    }
    if (symbolStandIn(s, i, c, run)) return true;
  }
  return false;
}

/** At a symbol: `...`, `***`, `${`, `{{`, `{name}`, `<…>`, `%(name)s`. */
export function symbolStandIn(s: string, i: number, c: number, run: number): boolean {
  switch (c) {
    case 46: // ...
    case 42: // ***
      return run >= 3;
    case 36: // ${
      return i + 1 < s.length && s.charCodeAt(i + 1) === 123;
    case 123: // {{ or {name}
      return bracePlaceholder(s, i);
    case 60: // <…>
      return s.indexOf('>', i + 1) > i;
    case 37: // %(name)s
      return percentPlaceholder(s, i);
  }
  return false;
}

/** Whole values that are stand-ins or classic non-secrets (case-insensitive). */
const PLACEHOLDER_VALUES = new Set([
  'password',
  'passw0rd',
  'password1',
  'password123',
  'secret',
  'secret123',
  'admin',
  'admin123',
  'administrator',
  'root',
  'toor',
  'guest',
  'hunter2',
  'letmein',
  'qwerty',
  'qwerty123',
  'welcome',
  'welcome1',
  'default',
  'none',
  'null',
  'nil',
  'undefined',
  'true',
  'false',
  'foo',
  'bar',
  'baz',
  'foobar',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'access_token',
  'supersecret',
  'topsecret',
  'mysecret',
  'mypassword',
  'p@ssw0rd',
  'p@ssword',
  'pa55word',
  '%s',
  '%d',
]);

/** `$API_KEY` (a shell variable) and `OPENAI_API_KEY` (a variable's name) as whole values. */
const VARIABLE_VALUE = /^\$[A-Za-z_]\w*$|^[A-Z][A-Z0-9_]*_(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PWD)$/;

/** True for a value that stands in for a credential rather than being one. */
export function isPlaceholder(value: string): boolean {
  return wholePlaceholder(value) || standIn(value, 0, value.length, VALUE_WORDS, 5, 6);
}

/**
 * A redaction or placeholder marker: words in square or round brackets, or quoted (`[Filtered]`,
 * `[REDACTED]`, `(hidden)`, `'[Filtered]'` as a repr shows it). Sentry's and other scrubbers' tests
 * compare against these under `password`.
 */
const BRACKETED_WORDS = /^(['"]?)[[(][A-Za-z][A-Za-z _.-]*[\])]\1$/;

/** isPlaceholder's checks of the whole value: a classic stand-in, a variable, a bracketed marker, `…here`. */
export function wholePlaceholder(value: string): boolean {
  if (value.length <= 16 && PLACEHOLDER_VALUES.has(value.toLowerCase())) return true;
  const first = value.charCodeAt(0);
  if ((first === 91 || first === 40 || first === 39 || first === 34) && BRACKETED_WORDS.test(value)) return true;
  if ((first === 36 || (first >= 65 && first <= 90)) && VARIABLE_VALUE.test(value)) return true;
  if (value.length >= 4) {
    const tail = value.length - 4;
    if ((value.charCodeAt(tail) | 32) === 104 && (value.charCodeAt(tail + 1) | 32) === 101 && (value.charCodeAt(tail + 2) | 32) === 114 && (value.charCodeAt(tail + 3) | 32) === 101) {
      return true; // …_HERE, …here
    }
  }
  return false;
}

/**
 * For a provider format's random part: a stand-in word (`AKIA…EXAMPLE`, `sk_live_YOURKEY…`), a
 * filler (`xxxx`, the same character 6 times, `abababab`, 7 in sequence such as `abcdefg`), or a
 * truncation or template mark (`...`, `…`, `<`, `>`, `${`, `{`), in s[from, to). Judged on the
 * head and the tail (see BODY_HEAD): this runs on every candidate credential.
 */
export function isPlaceholderBody(s: string, from = 0, to = s.length): boolean {
  if (to - from <= BODY_HEAD + BODY_TAIL) return bodyStandIn(s, from, to);
  return bodyStandIn(s, from, from + BODY_HEAD) || bodyStandIn(s, to - BODY_TAIL, to);
}

/**
 * Random parts are judged by their head and tail: fillers and stand-in words show in the first
 * characters, truncations (`...`, `…`, `>`) at the end; no key becomes a stand-in only in its
 * middle, and the middle of a 150-character OpenAI key is not worth reading.
 */
const BODY_HEAD = 16;
const BODY_TAIL = 8;

// What a pair of adjacent ASCII characters says, for bodyStandIn: one table read per character
// instead of a subtraction, three comparisons and a word-table look-up. Indexed by
// (previous << 7) | current.
const PAIR_SAME = 1;
const PAIR_UP = 2;
const PAIR_DOWN = 4;
/** The pair starts one of BODY_WORDS (either case). */
const PAIR_WORD = 8;
/** The second character ends the test by itself: `<`, `>`, `{` (no format's alphabet has them). */
const PAIR_SYMBOL = 16;
const BODY_PAIRS = (() => {
  const t = new Uint8Array(128 * 128);
  for (let a = 0; a < 128; a++) {
    for (let b = 0; b < 128; b++) {
      let bits = b === a ? PAIR_SAME : b === a + 1 ? PAIR_UP : b === a - 1 ? PAIR_DOWN : 0;
      const l = (a | 32) - 97;
      if (BODY_WORDS.trigger[a] === 1 && l >= 0 && l < 26 && BODY_WORDS.starts[l * 27 + letterIndex(b)] === 1) bits |= PAIR_WORD;
      if (b === 60 || b === 62 || b === 123) bits |= PAIR_SYMBOL;
      t[(a << 7) | b] = bits;
    }
  }
  return t;
})();

/**
 * One lean pass for isPlaceholderBody over s[from, to): what `bodyStandInByCharacter` decides,
 * for ASCII text by pairs (see BODY_PAIRS). Random text has few pairs with any bit set, so most
 * characters cost a table read and two comparisons.
 */
export function bodyStandIn(s: string, from: number, to: number): boolean {
  if (from >= to) return false;
  let prev = s.charCodeAt(from);
  if (prev >= 128 || prev === 60 || prev === 62 || prev === 123) return bodyStandInByCharacter(s, from, to);
  let prev2 = -1;
  /** The kind of the current streak of same / ascending / descending pairs (0: none) and its length in characters. */
  let streak = 0;
  let length = 1;
  let alternating = 0;
  for (let i = from + 1; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return bodyStandInByCharacter(s, from, to);
    const bits = BODY_PAIRS[(prev << 7) | c]!;
    if (bits === 0) streak = 0;
    else {
      if (bits & PAIR_SYMBOL) return true;
      const kind = bits & 7;
      if (kind === 0) streak = 0;
      else if (kind === streak) {
        length++;
        if (kind === PAIR_SAME ? length >= 6 || (length >= 4 && (c === 120 || c === 88)) || (length >= 3 && (c === 46 || c === 42)) : length >= 7) return true;
      } else {
        streak = kind;
        length = 2;
      }
      if (bits & PAIR_WORD && wordAt(s, i - 1, BODY_WORDS.lists[(prev | 32) - 97]!)) return true;
    }
    if (c === prev2) {
      if (++alternating >= 6) return true;
    } else alternating = 0;
    prev2 = prev;
    prev = c;
  }
  return false;
}

/** bodyStandIn character by character: for text with non-ASCII characters (and the reference its pair table is tested against). */
export function bodyStandInByCharacter(s: string, from: number, to: number): boolean {
  const starts = BODY_WORDS.starts;
  const trigger = BODY_WORDS.trigger;
  let prev = -1;
  let prev2 = -1;
  let run = 1;
  let up = 1;
  let down = 1;
  let alternating = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const d = c - prev;
    if (d === 0) {
      if (++run >= 6 || (run >= 4 && (c === 120 || c === 88))) return true;
      up = down = 1;
    } else if (d === 1) {
      if (++up >= 7) return true;
      run = down = 1;
    } else if (d === -1) {
      if (++down >= 7) return true;
      run = up = 1;
    } else run = up = down = 1;
    alternating = c === prev2 ? alternating + 1 : 0;
    if (alternating >= 6) return true;
    prev2 = prev;
    prev = c;
    if (c >= 128) {
      if (c === 0x2026) return true;
      continue;
    }
    const kind = trigger[c]!;
    if (kind === 0) continue;
    if (kind === 1) {
      const l = (c | 32) - 97;
      if (i + 1 < to && starts[l * 27 + letterIndex(s.charCodeAt(i + 1))] === 1 && wordAt(s, i, BODY_WORDS.lists[l]!)) return true;
      continue;
    }
    // Symbols: `...`, `***`, `<…>`, `${`, `{` (no format's alphabet has braces or angle brackets).
    if (c === 60 || c === 62 || c === 123 || ((c === 46 || c === 42) && run >= 3) || (c === 36 && i + 1 < to && s.charCodeAt(i + 1) === 123)) return true;
  }
  return false;
}

/**
 * Each ASCII character as spellsStandIn reads it: a lowercase letter (leetspeak's digits and
 * symbols too: `s3cr3t`, `p@ssw0rd`, `t0k3n`), SEPARATOR, or 0 for a character no stand-in has.
 */
const SEPARATOR = 1;
const STAND_IN_CHARS = (() => {
  const t = new Uint8Array(128);
  for (let c = 97; c <= 122; c++) t[c] = t[c - 32] = c;
  const leet: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };
  for (const [k, v] of Object.entries(leet)) t[k.charCodeAt(0)] = v.charCodeAt(0);
  for (const sep of '-_./ #') t[sep.charCodeAt(0)] = SEPARATOR;
  return t;
})();
/** Words a stand-in password is made of. */
const STAND_IN_WORDS = new Set(['pass', 'password', 'passwd', 'pwd', 'pw', 'secret', 'token', 'key', 'user', 'admin', 'test', 'example', 'dummy', 'fake', 'changeme', 'my', 'word']);
/** The longest of them. */
const MAX_STAND_IN_WORD = 8;

/**
 * Whether a password is only stand-in words, read through leetspeak, with separators
 * (`s3cr3t_pw`, in openai-agents-python's tests; `p@ss_w0rd`, `my-t0k3n`, `MyToken`). A password
 * with anything else in it (`MyS3cretP4ss2024!`: digits that are no letters) is a password. One
 * pass; most values stop at their first character no stand-in has.
 */
export function spellsStandIn(s: string): boolean {
  const n = s.length;
  if (n > 64) return false;
  let word = '';
  let words = 0;
  let prevLower = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 32;
    const k = c < 128 ? STAND_IN_CHARS[c]! : 0;
    if (k === 0) return false;
    // A new word at a separator, and at an uppercase letter after a lowercase one (`myToken`).
    const upper = c >= 65 && c <= 90;
    if (k === SEPARATOR || (upper && prevLower)) {
      if (word.length > 0) {
        if (!STAND_IN_WORDS.has(word) && !standInWords(word)) return false;
        words++;
        word = '';
      }
    }
    prevLower = c >= 97 && c <= 122;
    if (k !== SEPARATOR) {
      word += String.fromCharCode(k);
      if (word.length > MAX_RUN_OF_WORDS) return false;
    }
  }
  return words > 0;
}

/** The longest run of stand-in words without a break that spellsStandIn splits (`secretpassword`). */
const MAX_RUN_OF_WORDS = 24;

/** Whether `word` is stand-in words run together (`pwpw`, `passpass`, `testpassword`). */
function standInWords(word: string): boolean {
  // ends[i]: word[0, i) splits into stand-in words.
  const ends = new Uint8Array(word.length + 1);
  ends[0] = 1;
  for (let i = 1; i <= word.length; i++) {
    for (let j = Math.max(0, i - MAX_STAND_IN_WORD); j < i && ends[i] === 0; j++) {
      if (ends[j] === 1 && STAND_IN_WORDS.has(word.slice(j, i))) ends[i] = 1;
    }
  }
  return ends[word.length] === 1;
}
