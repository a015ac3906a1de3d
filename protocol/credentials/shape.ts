// What a value looks like: random enough to be a credential (entropy, the share of it that reads
// as English words, a drawn name, a repetition), or a word, a sentence, a path, a date, an
// address. Used by the context rule (a literal under a secret-like name) and by the formats'
// checks; what stands in for a credential is standIns.ts's, and `measure` looks for it in the same
// pass. The thresholds are tuned on test/fixtures/hardcoded and on random samples
// (test/server/hardcoded.test.ts); each says why it has its value. Everything here runs on
// candidate credentials while the user types: one pass over a value for most checks, lookup
// tables, no allocation.

import { letterIndex, spellsStandIn, symbolStandIn, VALUE_WORDS, wholePlaceholder, wordAt } from './standIns';

/**
 * Shortest value the context rule takes for a key, token or secret. Generated keys are 20+
 * characters (most 32+); below 16, too many identifiers and short codes look random.
 */
export const MIN_SECRET_LENGTH = 16;
/** Shortest value taken as a hard-coded password (under a password-like name only). */
export const MIN_PASSWORD_LENGTH = 8;
/** Longer values under a secret-like name are documents (JSON, certificates' public parts), not one credential. */
export const MAX_SECRET_LENGTH = 1024;

/**
 * Shannon entropy floors, in bits per character. Random hex scores 3.2 at 16 characters (2.5 in
 * the lowest 0.1%) and 3.6 at 32 (3.1 in the lowest 0.1%); fillers such as `deadbeefcafebabe`
 * score 2.0-2.5. Random base62/base64 scores 3.7 at 16 characters and 4.6+ at 32, but so do
 * identifiers (2.8-3.9), so for them the floor is only a first cut and `wordShare` decides.
 */
export const MIN_ENTROPY_SHORT_HEX = 2.6;
export const MIN_ENTROPY_HEX = 3.0;
export const MIN_ENTROPY = 3.2;

/** The `wordShare` above which a value is read as words (`mySecretValue2024`), not random. */
export const MAX_WORD_SHARE = 0.5;

/** c * log2(c) for counts up to MAX_SECRET_LENGTH: entropy without a logarithm per character. */
const C_LOG_C = (() => {
  const t = new Float64Array(MAX_SECRET_LENGTH + 1);
  for (let c = 1; c <= MAX_SECRET_LENGTH; c++) t[c] = c * Math.log2(c);
  return t;
})();

const counts = new Int32Array(129);

/** Shannon entropy of `s` in bits per character (characters above 127 share one bucket). */
export function entropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    counts[c < 128 ? c : 128]!++;
  }
  // H = log2(n) - (1/n) * sum(c * log2(c))
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const k = c < 128 ? c : 128;
    const count = counts[k]!;
    if (count === 0) continue;
    sum += count <= MAX_SECRET_LENGTH ? C_LOG_C[count]! : count * Math.log2(count);
    counts[k] = 0;
  }
  return Math.log2(n) - sum / n;
}

const LOWER = 1;
const UPPER = 2;
const DIGIT = 4;
const SYMBOL = 8;
/** `measure` bits beyond the four classes: whitespace somewhere; a character that is not a hex digit. */
const SPACE = 16;
const NOT_HEX = 32;

const PROFILE = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if (c >= 97 && c <= 122) t[c] = LOWER | (c > 102 ? NOT_HEX : 0);
    else if (c >= 65 && c <= 90) t[c] = UPPER | (c > 70 ? NOT_HEX : 0);
    else if (c >= 48 && c <= 57) t[c] = DIGIT;
    else if (c === 32 || (c >= 9 && c <= 13)) t[c] = SYMBOL | SPACE | NOT_HEX;
    else t[c] = SYMBOL | NOT_HEX;
  }
  return t;
})();

function classCount(set: number): number {
  return (set & 1) + ((set >> 1) & 1) + ((set >> 2) & 1) + ((set >> 3) & 1);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return s.length === 36 && UUID.test(s);
}

/**
 * About the 170 most frequent letter pairs of English (from Peter Norvig's counts over Google
 * Books): a quarter of the 676 pairs, but most of the pairs in words. Identifiers and phrases are
 * made of them; random text hits them no more often than chance.
 */
const COMMON_PAIRS = (() => {
  const table = new Uint8Array(26 * 26);
  const pairs = `
  th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co
  me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us
  ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa
  im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke
  fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du
  ga qu ue ff ba ey ls va um pp
  `;
  for (const pair of pairs.trim().split(/\s+/)) table[(pair.charCodeAt(0) - 97) * 26 + pair.charCodeAt(1) - 97] = 1;
  return table;
})();

/** Fewer letter pairs than this and a value has too few letters to read as words or not. */
const MIN_PAIRS = 4;

/** Words shorter than this are not counted: random text is made of short "words". */
const MIN_WORD = 3;

/**
 * How much a value reads as words: of the adjacent letter pairs within its words, the share that
 * are common English pairs in a word of 3+ letters. A word is a capitalised or lowercase run or a
 * run of capitals (`mySecretKey` → my, Secret, Key; `HTTPServer` → HTTP, Server); digits and
 * symbols end a word. Identifiers and phrases score 0.6-1; random base62, whose "words" are mostly
 * one or two letters, scores 0.5 or less in about 98% of 16-character strings and over 99% at 32.
 * 0 when there are fewer than 4 pairs to judge. (`measure` computes the same in its pass.)
 */
export function wordShare(s: string): number {
  let pairs = 0;
  let common = 0;
  let wordPairs = 0;
  let wordCommon = 0;
  let wordLength = 0;
  let prev = -1; // the previous letter of the current word (0-25), or -1
  let prevClass = 0; // 1 lower, 2 upper, 0 other
  const n = s.length;
  let c = n > 0 ? s.charCodeAt(0) : 0;
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
    const cls = c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : 0;
    // A word ends before a non-letter, before a capital after a lowercase letter, and before the
    // last capital of a run that a lowercase letter follows (`HTTPServer`: HTTP | Server).
    if (cls === 0 || (cls === 2 && (prevClass === 1 || (wordLength > 1 && next >= 97 && next <= 122)))) {
      pairs += wordPairs;
      if (wordLength >= MIN_WORD) common += wordCommon;
      wordPairs = 0;
      wordCommon = 0;
      wordLength = 0;
      prev = -1;
    }
    if (cls !== 0) {
      const letter = (c | 32) - 97;
      if (prev >= 0) {
        wordPairs++;
        wordCommon += COMMON_PAIRS[prev * 26 + letter]!;
      }
      prev = letter;
      wordLength++;
    }
    prevClass = cls;
    c = next;
  }
  pairs += wordPairs;
  if (wordLength >= MIN_WORD) common += wordCommon;
  return pairs < MIN_PAIRS ? 0 : common / pairs;
}

/** A URL (credentials in URLs are the url-password rule's), a data URL, an ARN, a URN (`urn:uuid:…`, a WebDAV lock token), a resource name. */
const NOT_A_VALUE = /^(?:[a-z][a-z0-9+.-]*:\/\/|data:|mailto:|arn:|urn:|projects\/)/;
/** A Python import path with an attribute (`pkg.module:Name`, `._path.svnwc:SvnAuth`: lazy imports, entry points). */
const IMPORT_PATH = /^\.{0,2}[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;
/**
 * Regular-expression syntax: a character class, a `(?` group, a counted repeat, a class escape
 * (`HEX_PAT = "[0-9A-Fa-f]{1,4}"`: `_pat` is a pattern as often as a personal access token). No
 * key or token alphabet (base64, base64url, base62, base32, hex, Django's) has `[`, `{`, `(?` or `\`.
 */
const REGEX_SYNTAX = /\[[^\]]*\]|\(\?[:=!<]|\{\d+(?:,\d*)?\}|\\[dwsbDWSB]/;
/** A date and time (ISO 8601, RFC 3339, SQL): `2016-07-12T17:56:26.804Z`, `2024-01-31 09:30:00`. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
/** An IPv6 address (`fe80:0000:0000:0000:0204:61ff:fe9d:f156`, `2001:db8::1`) or a MAC address (`00:1a:2b:3c:4d:5e`): hex groups between colons. */
const NETWORK_ADDRESS = /^[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}$/;
/** An email address; a dotted name (`com.example.app`, `api.example.com`). */
const EMAIL = /^[\w.+-]+@[\w-]+\.[\w.]+$/;
const DOTTED = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*){2,}$/;

/** Starts like a file path. Base64 may start with `/` too: a path also reads as words or ends in an extension. */
const PATH_START = /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/;
const EXTENSION = /\.[A-Za-z0-9]{1,5}$/;

// What `measure` found, beyond the profile bits: `:`, `@`, `.` somewhere (which decide whether
// the URL, email and path expressions need to run at all).
const COLON = 64;
const AT = 128;
const DOT = 256;

/** Distinct characters seen by `measure`, to compute entropy and reset the counts without a pass over 128 entries. */
const distinctChars = new Int32Array(129);
let distinctCount = 0;

/** A `measure` bit: the value has a stand-in word, a placeholder syntax, a filler (see standIn). */
const STAND_IN = 512;

/**
 * One pass over a value: its profile bits (plus COLON, AT, DOT, and STAND_IN as isPlaceholder's
 * scan would find) and its character counts.
 */
function measure(s: string): number {
  let set = 0;
  distinctCount = 0;
  const n = s.length;
  const starts = VALUE_WORDS.starts;
  const trigger = VALUE_WORDS.trigger;
  let run = 1;
  let up = 1;
  let down = 1;
  let runsOfFour = 0;
  let longestRun = 1;
  let longestSequence = 1;
  let prev = -1;
  // wordShare's state (see there), computed in the same pass.
  let pairs = 0;
  let common = 0;
  let wordPairs = 0;
  let wordCommon = 0;
  let wordLength = 0;
  let prevLetter = -1;
  let prevClass = 0;
  let c = n > 0 ? s.charCodeAt(0) : 0;
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
    const d = c - prev;
    if (d === 0) {
      if (++run > longestRun) longestRun = run;
      up = down = 1;
    } else if (d === 1) {
      if (++up > longestSequence) longestSequence = up;
      // Two runs of 4 counted up (`1234abcd-1234-abcd-…`): typed, not drawn.
      if (up === 4 && ++runsOfFour >= 2) set |= STAND_IN;
      run = down = 1;
    } else if (d === -1) {
      if (++down > longestSequence) longestSequence = down;
      run = up = 1;
    } else run = up = down = 1;
    prev = c;
    const k = c < 128 ? c : 128;
    const before = counts[k]!;
    counts[k] = before + 1;
    if (before === 0) distinctChars[distinctCount++] = k;
    const cls = c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : 0;
    if (cls === 0 || (cls === 2 && (prevClass === 1 || (wordLength > 1 && next >= 97 && next <= 122)))) {
      pairs += wordPairs;
      if (wordLength >= MIN_WORD) common += wordCommon;
      wordPairs = 0;
      wordCommon = 0;
      wordLength = 0;
      prevLetter = -1;
    }
    prevClass = cls;
    if (cls !== 0) {
      const letter = (c | 32) - 97;
      if (prevLetter >= 0) {
        wordPairs++;
        wordCommon += COMMON_PAIRS[prevLetter * 26 + letter]!;
      }
      prevLetter = letter;
      wordLength++;
      set |= PROFILE[c]!;
      if (trigger[c] === 1 && i + 1 < n && starts[letter * 27 + letterIndex(next)] === 1 && wordAt(s, i, VALUE_WORDS.lists[letter]!)) set |= STAND_IN;
      else if (run >= 3 && (c === 120 || c === 88)) set |= STAND_IN;
    } else if (c >= 128) {
      set |= c === 0xa0 ? SYMBOL | SPACE | NOT_HEX : c === 0x2026 ? SYMBOL | NOT_HEX | STAND_IN : SYMBOL | NOT_HEX;
    } else {
      set |= PROFILE[c]!;
      if (trigger[c] === 2) {
        if (c === 58) set |= COLON;
        else if (c === 64) set |= AT;
        else if (c === 46) set |= DOT;
        if (symbolStandIn(s, i, c, run)) set |= STAND_IN;
      }
    }
    c = next;
  }
  pairs += wordPairs;
  if (wordLength >= MIN_WORD) common += wordCommon;
  measuredWords = pairs < MIN_PAIRS ? 0 : common / pairs;
  // The same character again and again (`sk_live_00000000`) or characters in sequence (`abcdef`,
  // `654321`) are a filler, but a drawn key has such runs by chance: in 64 random hex digits a run
  // of 5 comes once in about 1,100 keys, of 7 once in about 260,000. So the length that counts
  // depends on the alphabet: 7 for hex digits; for the ≥ 36 characters of anything else 5 the same
  // (once in about 25,000 keys of 64) and 6 in sequence.
  const hex = !(set & NOT_HEX);
  if (longestRun >= (hex ? FILLER_HEX : FILLER_RUN) || longestSequence >= (hex ? FILLER_HEX : FILLER_SEQUENCE)) set |= STAND_IN;
  return set;
}

/** The same character this many times in a row, or this many in sequence, is a filler (see the end of `measure`). */
const FILLER_RUN = 5;
const FILLER_SEQUENCE = 6;
const FILLER_HEX = 7;

/** The wordShare of the value `measure` last read. */
let measuredWords = 0;

/** Entropy from the counts `measure` left (and clears them). */
function measuredEntropy(n: number): number {
  let sum = 0;
  for (let j = 0; j < distinctCount; j++) {
    const k = distinctChars[j]!;
    const count = counts[k]!;
    sum += count <= MAX_SECRET_LENGTH ? C_LOG_C[count]! : count * Math.log2(count);
    counts[k] = 0;
  }
  distinctCount = 0;
  return n === 0 ? 0 : Math.log2(n) - sum / n;
}

function clearCounts(): void {
  for (let j = 0; j < distinctCount; j++) counts[distinctChars[j]!] = 0;
  distinctCount = 0;
}

/** For a value `measure` has just read. */
function notAValue(value: string, set: number): boolean {
  const first = value.charCodeAt(0);
  if (set & COLON && (NOT_A_VALUE.test(value) || TIMESTAMP.test(value) || NETWORK_ADDRESS.test(value))) return true;
  if (set & AT && EMAIL.test(value)) return true;
  if (set & DOT && first >= 97 && first <= 122 && DOTTED.test(value)) return true;
  if ((first === 47 || first === 46 || first === 126 || value.charCodeAt(1) === 58) && PATH_START.test(value)) {
    return EXTENSION.test(value) || measuredWords > MAX_WORD_SHARE;
  }
  if (set & SYMBOL && PERCENT_ENCODED.test(value)) return true;
  if (set & SYMBOL && set & DIGIT && DATE_SEGMENT.test(value)) return true;
  if (set & SYMBOL && first >= 48 && first <= 57 && TRACEPARENT.test(value)) return true;
  if (set & SYMBOL && value.includes('&') && FORM_ENCODED.test(value)) return true;
  return false;
}

/** A W3C Trace Context `traceparent` (version, trace id, parent id, flags): where a request is in a trace. */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A form-encoded body or a query string (`grant_type=password&username=…`): fields, not one value. */
const FORM_ENCODED = /^[\w.\-[\]]+=[^&\s]*(?:&[\w.\-[\]]+=[^&\s]*)+$/;

/**
 * A date as its own segment (`0002_auto_20160226_1747`, a Django migration's name;
 * `backup-2024-01-31`; `release_20241022`): a name made at a time, not drawn at random.
 */
const DATE_SEGMENT = /(?:^|[-_.])(?:19|20)\d\d(-?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?=$|[-_.T])/;

/**
 * Text in URL encoding: two or more `%XX` escapes of non-ASCII or control bytes (`%C3%A7%C3%B6s`,
 * an S3 object's key in botocore's tests). A password may hold a `%`, rarely such escapes.
 */
const PERCENT_ENCODED = /%(?:[89A-Fa-f][0-9A-Fa-f]|[01][0-9A-Fa-f]).*%(?:[89A-Fa-f][0-9A-Fa-f]|[01][0-9A-Fa-f])/;

/** Whether a value under a secret-like name looks like a generated key, token or secret. */
export function looksRandom(value: string): boolean {
  const n = value.length;
  if (n < MIN_SECRET_LENGTH || n > MAX_SECRET_LENGTH) return false;
  const set = measure(value);
  const random = randomWithProfile(value, set);
  clearCounts();
  return random;
}

/** The random test on a measured value (its counts still in place: entropy reads and clears them). */
function randomWithProfile(value: string, set: number): boolean {
  const n = value.length;
  if (set & (SPACE | STAND_IN) || (set & 15) === DIGIT) return false; // a phrase; a stand-in; a number (account, phone, timestamp)
  if (set & SYMBOL && REGEX_SYNTAX.test(value)) return false; // a regular expression
  if (set & COLON && set & DOT && IMPORT_PATH.test(value)) return false; // `pkg.module:Name`
  if (notAValue(value, set) || wholePlaceholder(value)) return false;
  if (!(set & NOT_HEX) && (set & (LOWER | UPPER)) !== (LOWER | UPPER)) {
    return !bytesCountUp(value) && measuredEntropy(n) >= (n < 24 ? MIN_ENTROPY_SHORT_HEX : MIN_ENTROPY_HEX) && !repeatsItself(value);
  }
  if (isUuid(value)) return true;
  if (classCount(set & (LOWER | UPPER | DIGIT)) < 2) return false; // one letter case and no digits: a word or a phrase
  if (measuredEntropy(n) < MIN_ENTROPY) return false;
  return measuredWords <= MAX_WORD_SHARE && !repeatsItself(value);
}

/**
 * Whether a NAME (where a person writes words: a dict key, a secret's name) was drawn at random:
 * 20+ letters of both cases and digits and nothing else, with a drawn key's entropy, and broken up
 * as words are not: digits between letters in 3+ places and 3+ capitals followed by a capital or
 * a digit; or 6+ lowercase runs of one or two letters inside it; or that many short runs and
 * one-character words together. looksRandom turns away about one in 250 random base62 keys of 32
 * characters whose letters happen to read as words (`CTtAesoolfof9zjIN3KntqK1lKfFelcE`); as a
 * value that is the price of not flagging phrases, but as a name the cost is the other way round
 * (a credential quoted as a secret's name). Names people write keep their words whole
 * (`utf8ToBase64AndSha256Hex`, `IPv4AndIPv6AllowListV2`: at most 3 short runs and 6 one-character
 * words), and this catches all but about one in 3,700 of those keys.
 */
export function looksDrawnName(s: string): boolean {
  const n = s.length;
  if (n < MIN_DRAWN_NAME || n > MAX_SECRET_LENGTH) return false;
  let digitsInside = 0;
  let oddCapitals = 0;
  let shortLower = 0;
  let lowerRun = 0;
  let lower = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const next = i + 1 < n ? s.charCodeAt(i + 1) : -1;
    if (c >= 97 && c <= 122) {
      lower++;
      lowerRun++;
      continue;
    }
    if (lowerRun > 0 && lowerRun <= 2) shortLower++;
    lowerRun = 0;
    if (c >= 65 && c <= 90) {
      if ((next >= 65 && next <= 90) || (next >= 48 && next <= 57)) oddCapitals++;
    } else if (c >= 48 && c <= 57) {
      const prev = i > 0 ? s.charCodeAt(i - 1) : -1;
      if (isLetterCode(prev)) {
        let j = i + 1;
        while (j < n && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
        if (j < n && isLetterCode(s.charCodeAt(j))) digitsInside++;
      }
    } else return false;
  }
  if (lower === 0 || lower === n) return false;
  if (!((digitsInside >= 3 && oddCapitals >= 3) || shortLower >= 6 || (shortLower >= 3 && shortLower + oneCharacterWords(s) >= 11))) return false;
  measure(s);
  const drawn = measuredEntropy(n) >= MIN_ENTROPY && !repeatsItself(s);
  clearCounts();
  return drawn;
}

/** Words of one character when `s` is read as camelCase words, acronyms and numbers. */
function oneCharacterWords(s: string): number {
  let count = 0;
  for (const w of s.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g) ?? []) if (w.length === 1) count++;
  return count;
}

const MIN_DRAWN_NAME = 20;

function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** The fewest characters a repetition must cover: a drawn key repeats 8 of its own by chance about once in 10^14. */
const MIN_REPEAT = 8;

/**
 * Whether `value` is a shorter part repeated (`8slRzzty6dKMaFCP8slRzzty6dKMaFCP`, the last time
 * cut short or not: `8slRzzty6dKMaFCP8slRzzty`), over MIN_REPEAT characters or more: a test's key
 * made longer by hand. A drawn key does not repeat its start.
 */
export function repeatsItself(value: string): boolean {
  const n = value.length;
  if (n < 2 * 4) return false;
  const head = value.slice(0, 4);
  for (let p = value.indexOf(head, 1); p > 0 && n - p >= Math.min(MIN_REPEAT, p); p = value.indexOf(head, p + 1)) {
    if (value.startsWith(value.slice(p), 0)) return true;
  }
  return false;
}

/** Bytes in a row that count up make a hex value a test's key (`000102…1f`), not a drawn one. */
const MIN_COUNTED_BYTES = 8;

/**
 * Whether hex `value` holds MIN_COUNTED_BYTES bytes in a row, each one more than the one before
 * (`0102030405060708090a0b…`, nextjs-auth0's test secret): a key typed as a sequence.
 */
function bytesCountUp(value: string): boolean {
  let run = 1;
  let prev = -2;
  for (let i = 0; i + 1 < value.length; i += 2) {
    const byte = parseInt(value.slice(i, i + 2), 16);
    run = byte === prev + 1 ? run + 1 : 1;
    if (run >= MIN_COUNTED_BYTES) return true;
    prev = byte;
  }
  return false;
}

/** Above this `wordShare`, a value without a symbol reads as an identifier, not a password. */
const MAX_PASSWORD_WORD_SHARE = 0.75;

/** Words joined by separators (`BOOKING_SERVICE_TOKEN_V2`, `application/json`): a name, not a password. */
const SEPARATED_WORDS = /^[A-Za-z0-9]+(?:[-_./:;=][A-Za-z0-9]+)+$/;

/**
 * Whether a value under a password-like name is a real password: 8+ characters, no spaces, not a
 * stand-in, not words joined by separators, and either three character classes (`Tr0ub4dor&3`,
 * `BookingAgent2024!`: weak passwords are still passwords) or random-looking.
 */
export function looksLikePassword(value: string): boolean {
  const n = value.length;
  if (n < MIN_PASSWORD_LENGTH || n > MAX_SECRET_LENGTH || spellsStandIn(value)) return false;
  const set = measure(value);
  const password = passwordWithProfile(value, set);
  clearCounts();
  return password;
}

function passwordWithProfile(value: string, set: number): boolean {
  const n = value.length;
  if (set & (SPACE | STAND_IN) || (set & 15) === DIGIT) return false;
  if (notAValue(value, set) || wholePlaceholder(value)) return false;
  const words = measuredWords;
  if (words > MAX_WORD_SHARE && SEPARATED_WORDS.test(value)) return false;
  const kinds = classCount(set & 15);
  // camelCase words and digits (`passwordResetTokenTTL3600`) are identifiers; with a symbol they are a password.
  if (kinds >= 3 && (set & SYMBOL || words <= MAX_PASSWORD_WORD_SHARE)) return true;
  if (n >= MIN_SECRET_LENGTH) return randomWithProfile(value, set);
  return n >= 12 && kinds >= 2 && words <= MAX_WORD_SHARE && measuredEntropy(n) >= MIN_ENTROPY;
}
