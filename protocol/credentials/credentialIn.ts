// Whether a text is a credential: the format table's search (formatIn, shared with the language
// service's pass over a document's literals in server/src/service/credentials/detect.ts) and the
// verdict on a text found where a NAME goes (credentialIn), which the language service, `check`
// and the vault (names, keys and reasons it refuses to echo) all judge by. Pure: no I/O.

import { CREDENTIAL } from './secretLikeNames';
import { isDocumentedExample, isReadableBase64 } from './formatChecks';
import { FORMAT_RULES, PREFIXES_BY_PAIR, PREFIX_FIRST, type FormatRule } from './formats';
import { looksDrawnName, looksRandom } from './shape';

/** Shorter literals are never looked at: the shortest credential taken (a password) has 8 characters. */
export const MIN_LITERAL = 8;

/** CHAR_CLASS bits, one read for both: a letter or digit (a prefix at a word start follows none); where a rule's prefix starts. 0: neither (all of non-ASCII). */
const ALPHANUMERIC = 1, PREFIX_START = 2;
const CHAR_CLASS = (() => {
  const t = new Uint8Array(65536);
  for (let c = 48; c < 123; c++) if (c <= 57 || (c >= 65 && c <= 90) || c >= 97) t[c] = ALPHANUMERIC;
  for (let c = 0; c < 128; c++) if (PREFIX_FIRST[c] === 1) t[c]! |= PREFIX_START;
  return t;
})();

/** Prefixes this long say which provider a value claims to be from; shorter ones (`AC`, `sk-`, `eyJ`) start random text too often. */
const MIN_TELLING_PREFIX = 4;

/**
 * The most places in one literal where a rule's expression is tried. Each try may read the rest of
 * the literal (a key's alphabet runs to its end), so without a bound a literal of repeated
 * prefixes (`eyJ-eyJ-…`, 60,000 characters) cost seconds on every keystroke. Real literals hold one
 * or two prefixes; past this many, the literal is a pattern, not a credential.
 */
const MAX_TRIES = 16;

/** formatIn's answer when no rule's pattern matched. */
export const NONE = -1;
/** formatIn's answer when a pattern matched but its check rejected it (a bad checksum, a filler, a documented example). */
export const REJECTED = -2;

/**
 * The format rule a literal holds a credential of: looks for the rules' prefixes in s[from, to)
 * (the literal's source text, or its decoded value) at word starts (anywhere for prefixes that
 * start with a symbol), and tries each rule where its prefix is, in text order. The first specific
 * credential that passes its check ends the search, so a key's random part is never scanned
 * character by character. Generic rules (a URL's password, an Authorization value) give way to a
 * specific one later in the literal (`Bearer ghp_…` is a GitHub token). `value` is s[from, to)
 * when the caller has it; otherwise it is sliced at the first prefix seen.
 * Returns the rule's index, NONE, or REJECTED when every match failed its check: a look-alike,
 * which no context makes a finding either.
 */
export function formatIn(s: string, from: number, to: number, value: string | null): number {
  // Generic rules are checked last, and only when no specific credential is found: their checks
  // (is the rest random?) cost more, and `Bearer <a GitHub token>` is reported as the token.
  let generic1 = NONE;
  let genericAt1 = 0;
  let generic2 = NONE;
  let genericAt2 = 0;
  let rejected = false;
  let tries = 0;
  let wordStart = true;
  let i = from;
  scan: while (i < to) {
    const c = s.charCodeAt(i);
    const cls = CHAR_CLASS[c]!;
    if (cls === 0) { // between words, and no prefix starts here
      wordStart = true;
      i++;
      continue;
    }
    const second = cls & PREFIX_START ? s.charCodeAt(i + 1) : 128;
    const list = second < 128 ? PREFIXES_BY_PAIR[(c << 7) | second]! : null;
    if (list !== null) {
      for (let p = 0; p < list.length; p++) {
        const prefix = list[p]!;
        if ((!wordStart && !prefix.anywhere) || (prefix.text.length > 2 && !s.startsWith(prefix.text, i))) continue;
        const k = prefix.rule;
        if (k === URL_RULE && !atSignBefore(s, i, to)) break;
        const rule = FORMAT_RULES[k]!;
        if (rule.generic) {
          if (generic1 === NONE) {
            generic1 = k;
            genericAt1 = i - from;
          } else if (generic2 === NONE && k !== generic1) {
            generic2 = k;
            genericAt2 = i - from;
          }
          break;
        }
        if (++tries > MAX_TRIES) break scan;
        // Rules without `verify` run on the document text itself: their patterns end at a literal's
        // quotes as they would at the end of its value, and no slice is made.
        let verdict: number;
        if (rule.verify === null) verdict = tryRule(rule, s, i, prefix.text.length);
        else {
          value ??= s.slice(from, to);
          verdict = tryRule(rule, value, i - from, prefix.text.length);
        }
        if (verdict === MATCHED) return k;
        if (verdict === FAILED) {
          rejected = true;
          break;
        }
        // In the format, but its check (a checksum) says it is none: nothing to report by format,
        // nor a look-alike; its name may still make it a finding.
        if (verdict === UNPROVEN) break;
        // A value that starts with a provider's prefix (4+ characters) but is not in its format is a
        // look-alike too (`xoxe.xoxp-1-initial`, `ghp_` and 30 characters): not a random key by its name.
        if (i === from && prefix.text.length >= MIN_TELLING_PREFIX) rejected = true;
        // No match: a shorter prefix at the same place may still be another rule's (`sk-ant-`, `sk-`).
      }
    }
    // Inside a word nothing starts: skip to its end (most characters of a literal end here).
    i++;
    if (cls & ALPHANUMERIC) {
      while (i < to) {
        if ((CHAR_CLASS[s.charCodeAt(i)]! & ALPHANUMERIC) === 0) break;
        i++;
      }
      wordStart = false;
    } else wordStart = true;
  }
  // A specific credential's look-alike (a JWT signed with a published key, an unsigned one) is
  // not reported as the URL or Authorization value it stands in either.
  if (generic1 !== NONE && !rejected) {
    value ??= s.slice(from, to);
    // In table order when both kinds occur.
    if (generic2 !== NONE && generic2 < generic1) {
      const verdict = tryRule(FORMAT_RULES[generic2]!, value, genericAt2, 0);
      if (verdict === MATCHED) return generic2;
      if (verdict === FAILED) rejected = true;
      generic2 = NONE;
    }
    const verdict = tryRule(FORMAT_RULES[generic1]!, value, genericAt1, 0);
    if (verdict === MATCHED) return generic1;
    if (verdict === FAILED) rejected = true;
    if (generic2 !== NONE) {
      const second = tryRule(FORMAT_RULES[generic2]!, value, genericAt2, 0);
      if (second === MATCHED) return generic2;
      if (second === FAILED) rejected = true;
    }
  }
  return rejected ? REJECTED : NONE;
}

const URL_RULE = FORMAT_RULES.findIndex((r) => r.id === 'url-password');

/** An `@` in s[from + 3, to) before any `/`, whitespace or quote: user information after `://`. */
function atSignBefore(s: string, from: number, to: number): boolean {
  for (let i = from + 3; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 64) return true;
    if (c === 47 || c === 32 || c === 34 || c === 39 || c === 10) return false;
  }
  return false;
}

const NO_MATCH = 0;
const MATCHED = 1;
const FAILED = 2;
/** The check failed on a rule that says `nameMayTell`. */
const UNPROVEN = 3;

/** Runs a rule's pattern where its prefix (`prefix` characters) is, or for a search rule through the value, and its check. */
function tryRule(rule: FormatRule, value: string, at: number, prefix: number): number {
  const pattern = rule.pattern;
  const verify = rule.verify;
  if (verify === null) {
    pattern.lastIndex = at;
    if (!pattern.test(value)) return NO_MATCH;
    if (rule.check(value, at, pattern.lastIndex, prefix)) return MATCHED;
    return rule.nameMayTell ? UNPROVEN : FAILED;
  }
  let verdict = NO_MATCH;
  pattern.lastIndex = rule.search ? 0 : at;
  let m: RegExpExecArray | null;
  for (let tries = 0; tries < MAX_TRIES && (m = pattern.exec(value)) !== null; tries++) {
    if (verify(m, value)) return MATCHED;
    verdict = FAILED;
    if (!rule.search) break;
  }
  return verdict;
}

/**
 * Keys made to ship in a web page or an app: Stripe's publishable keys and PostHog's project API
 * keys (`phc_`, write-only). Under a name like `api_key` they are still no secret.
 */
export const PUBLIC_KEY = /^(?:pk_(?:live|test)_[0-9A-Za-z]{24,}|phc_[0-9A-Za-z]{32,})$/;

/** A `data:` URL (an image, a font) at `at`: base64 payloads look random and are never credentials. */
export function isDataUrl(s: string, at: number): boolean {
  return s.charCodeAt(at) === 100 && s.startsWith('data:', at);
}

/** What credentialIn says of a text that is a credential: the rule and the kind, never any part of the text. */
export interface CredentialVerdict {
  rule: string;
  kind: string;
  /** True when a provider's format matched; false when only the random shape says so. */
  byFormat: boolean;
}

/**
 * Whether `text`, found where a NAME goes (a secret's name or key, the variable or dict key a
 * literal is assigned to), is itself a credential: a provider's format in it, read as a literal's
 * value is (formatIn), or the whole of it random as the context rule takes a key (looksRandom) or
 * as no name a person writes is (looksDrawnName).
 * A look-alike, a documented example or a public key is not, as in findHardcoded. Names are
 * short: one pass over the text; callers that judge a name per reference cache the answer.
 */
export function credentialIn(text: string): CredentialVerdict | null {
  if (text.length < MIN_LITERAL) return null;
  const k = isDataUrl(text, 0) ? NONE : formatIn(text, 0, text.length, text);
  if (k >= 0) {
    const rule = FORMAT_RULES[k]!;
    return { rule: rule.id, kind: rule.kind, byFormat: true };
  }
  if (k === REJECTED || isDocumentedExample(text) || PUBLIC_KEY.test(text)) return null;
  if (longestPart(text) < MIN_RANDOM_PART) return null;
  return (looksRandom(text) || looksDrawnName(text)) && !isReadableBase64(text) ? { rule: CREDENTIAL.id, kind: CREDENTIAL.kind, byFormat: false } : null;
}

/**
 * A name is words and numbers joined by `_`, `-`, `.` or spaces (`svc00004_api_key`, a bench's
 * names, looks random to the value test as a whole); a drawn key has a long run without them
 * (a hex or base62 key none, a base64url one rarely more than two).
 */
const MIN_RANDOM_PART = 12;

function longestPart(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 95 || c === 45 || c === 46 || c === 32) run = 0;
    else if (++run > longest) longest = run;
  }
  return longest;
}
