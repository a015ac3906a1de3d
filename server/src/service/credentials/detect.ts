// Hard-coded credentials in string literals: run over the token buffer the scanner has just filled
// (no second lex). Each STRING token (Python: each run of implicitly concatenated ones) is one
// literal; f-strings and templates with placeholders are not literals and are skipped.
//
// Cost, per change of a document: one pass over the tokens with a few typed-array reads each;
// literals shorter than 8 characters stop there. Longer ones are read for the rules' prefixes (a
// table lookup per character, a prefix compare only at word starts) up to the first credential that
// passes its check, each rule's expression anchored where its prefix is; then, only when the literal
// stands after `=`, `:`, `==` or a key argument, the name it is assigned to is classified (cached)
// and, when secret-like, the value measured. Nothing is decoded unless escapes or concatenation
// make the source text differ from the value.

import {
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  IDENT,
  LINE,
  NUMBER,
  OP,
  OPEN,
  OP_ASSIGN,
  OP_CMP,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_POW,
  OP_WALRUS,
  PREFIX_SHIFT,
  STRING,
  S_BYTES,
  S_CLOSED,
  S_ESCAPE,
  S_FORMAT,
  S_RAW,
  S_TEMPLATE,
  S_TRIPLE,
  TokenBuffer,
  lowerBound,
  tokenIs,
} from '../scan/tokens';
import { SECRET_NAME_KEYWORDS } from '../scan/calls';
import { decodeJs, decodePython } from '../scan/literals';
import type { Span } from '../scan/types';
import { AUTHORIZATION, AWS_SECRET, AWS_SECRET_VALUE, SECRET, classifyName, type ContextKind } from '../../../../protocol/credentials/context';
import { formatIn, isDataUrl, MIN_LITERAL, NONE, PUBLIC_KEY, REJECTED } from '../../../../protocol/credentials/credentialIn';
import { isDocumentedExample, isReadableBase64 } from '../../../../protocol/credentials/formatChecks';
import { FORMAT_RULES } from '../../../../protocol/credentials/formats';
import { looksLikePassword, looksRandom } from '../../../../protocol/credentials/shape';

export interface HardcodedFinding {
  /** The whole literal, prefix and quotes included. */
  span: Span;
  /** Between the quotes. */
  contentSpan: Span;
  /** The rule's id, e.g. 'stripe-secret-key', 'context-secret'. */
  rule: string;
  /** Human name of the credential kind, for the message ("Stripe secret key"). Never any part of the value. */
  kind: string;
  /** The name the literal is assigned to or passed as (variable, dict key, keyword argument, property), for a suggested secret name; null when none. */
  context: string | null;
  /** True when the source text between the quotes is not the value itself (escapes, raw/bytes prefixes, implicit concatenation): a tool that moves the value must not copy the text. */
  escaped: boolean;
}

/** The comment that silences the diagnostic on its line: `# …` in Python, `// …` or a block comment in JS/TS. */
export const IGNORE_MARKER = 'secrets-vault: ignore hardcoded-secret';

/** A name longer than this, or with other characters than these, is not a name (a sentence used as a dict key). */
const NAME = /^[A-Za-z_$][\w$.-]{0,63}$/;


function contentStart(buf: TokenBuffer, t: number): number {
  const aux = buf.aux[t]!;
  return buf.start[t]! + ((aux >> PREFIX_SHIFT) & 3) + (aux & S_TRIPLE ? 3 : 1);
}

function contentEnd(buf: TokenBuffer, t: number): number {
  const aux = buf.aux[t]!;
  if (!(aux & S_CLOSED)) return buf.end[t]!;
  return Math.max(contentStart(buf, t), buf.end[t]! - (aux & S_TRIPLE ? 3 : 1));
}

function decodeToken(text: string, buf: TokenBuffer, t: number, python: boolean): string {
  const from = contentStart(buf, t);
  const to = contentEnd(buf, t);
  const aux = buf.aux[t]!;
  // Most literals are their own value: slice instead of decoding character by character.
  if (!(aux & S_ESCAPE) || (python && aux & S_RAW)) {
    if (!(aux & (S_FORMAT | S_TEMPLATE)) || !(aux & S_FORMAT ? hasDoubledBrace(text, from, to) : hasCarriageReturn(text, from, to))) {
      return text.slice(from, to);
    }
  } else if (!(aux & (S_RAW | S_FORMAT | S_TEMPLATE))) {
    const simple = decodeSimpleEscapes(text, from, to);
    if (simple !== null) return simple;
  }
  return python ? decodePython(text, from, to, aux) : decodeJs(text, from, to, aux);
}

function hasDoubledBrace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c === 123 || c === 125) && text.charCodeAt(i + 1) === c) return true;
  }
  return false;
}

function hasCarriageReturn(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 13) return true;
  return false;
}

/** `\n`, `\t`, `\r`, `\\`, `\'`, `\"` only (PEM keys written on one line): decoded by slices; null for any other escape. */
function decodeSimpleEscapes(text: string, from: number, to: number): string | null {
  let out = '';
  let chunk = from;
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) !== 92) continue;
    const e = text.charCodeAt(i + 1);
    const decoded = e === 110 ? '\n' : e === 116 ? '\t' : e === 114 ? '\r' : e === 92 || e === 39 || e === 34 ? String.fromCharCode(e) : null;
    if (decoded === null || i + 1 >= to) return null;
    out += text.slice(chunk, i) + decoded;
    i++;
    chunk = i + 1;
  }
  return out + text.slice(chunk, to);
}

/** The decoded value of the literal made of tokens [s, e). */
function decodeRun(text: string, buf: TokenBuffer, s: number, e: number, python: boolean): string {
  if (e === s + 1) return decodeToken(text, buf, s, python);
  let value = '';
  for (let t = s; t < e; t++) value += decodeToken(text, buf, t, python);
  return value;
}

/** Whether the text between the quotes differs from the value (or the literal has several parts). */
function isEscaped(text: string, buf: TokenBuffer, s: number, e: number): boolean {
  if (e > s + 1) return true;
  const aux = buf.aux[s]!;
  if (aux & (S_ESCAPE | S_RAW | S_BYTES)) return true;
  if (!(aux & (S_FORMAT | S_TEMPLATE))) return false;
  // f-strings: `{{` and `}}` stand for one brace; templates: a CR or CRLF is read as LF.
  const to = contentEnd(buf, s);
  for (let i = contentStart(buf, s); i < to; i++) {
    const c = text.charCodeAt(i);
    if (aux & S_FORMAT ? (c === 123 || c === 125) && text.charCodeAt(i + 1) === c : c === 13) return true;
  }
  return false;
}

// ---- Where a literal stands ----

const ENV_OBJECTS = ['environ', 'env'];
const ENV_READERS = ['get', 'setdefault', 'pop'];

function tokenIsAny(text: string, buf: TokenBuffer, t: number, words: readonly string[]): boolean {
  for (const w of words) if (tokenIs(text, buf, t, w)) return true;
  return false;
}

/**
 * Whether the literal at token `s` is a NAME rather than a value: the secret name in
 * `get_secret('x')` / `get_secret(secret_name='x')` / `get_secret(name='x')` (and `secret_vault(…)`), the variable name in `os.environ['X']`,
 * `os.environ.get('X')`, `os.getenv('X')`, `process.env['X']`.
 */
function isNamePosition(text: string, buf: TokenBuffer, s: number): boolean {
  const p = s - 1;
  if (p < 0) return false;
  const kind = buf.kind[p];
  if (kind === OPEN) {
    const bracket = buf.aux[p];
    if (bracket === CH_LBRACKET) return tokenIsAny(text, buf, p - 1, ENV_OBJECTS);
    if (bracket !== CH_LPAREN) return false;
    if (tokenIs(text, buf, p - 1, 'get_secret') || tokenIs(text, buf, p - 1, 'secret_vault') || tokenIs(text, buf, p - 1, 'getenv')) return true;
    return tokenIsAny(text, buf, p - 1, ENV_READERS) && buf.kind[p - 2] === OP && buf.aux[p - 2] === OP_DOT && tokenIsAny(text, buf, p - 3, ENV_OBJECTS);
  }
  if (kind === OP && buf.aux[p] === OP_ASSIGN && tokenIsAny(text, buf, p - 1, SECRET_NAME_KEYWORDS)) return namesByKeyword(text, buf, p - 1);
  return false;
}

/** Tokens looked at before a keyword for its call: past them, a literal is judged as a value. */
const KEYWORD_LOOKBACK = 256;

/**
 * Whether the keyword at token `kw` (`secret_name=` / `name=`) names the secret of a `get_secret(…)`
 * or `secret_vault(…)` call, as the reference finder reads it (scan/calls.ts argumentStart): every
 * argument before it is another keyword or `**kwargs` (a positional argument, or an earlier such
 * keyword, would be the name instead).
 */
function namesByKeyword(text: string, buf: TokenBuffer, kw: number): boolean {
  let t = kw - 1;
  let steps = 0;
  while (t >= 0 && steps++ < KEYWORD_LOOKBACK) {
    if (buf.kind[t] === OPEN) return buf.aux[t] === CH_LPAREN && (tokenIs(text, buf, t - 1, 'get_secret') || tokenIs(text, buf, t - 1, 'secret_vault'));
    if (buf.kind[t] !== OP || buf.aux[t] !== OP_COMMA) return false;
    // The argument before the comma at `t`: back to the comma or the bracket before it.
    let a = t - 1;
    while (a >= 0 && steps++ < KEYWORD_LOOKBACK) {
      const kind = buf.kind[a];
      if (kind === CLOSE && buf.match[a]! >= 0) a = buf.match[a]! - 1;
      else if (kind === OPEN || (kind === OP && buf.aux[a] === OP_COMMA)) break;
      else a--;
    }
    const first = a + 1;
    const keyword = buf.kind[first] === IDENT && first + 1 < t && buf.kind[first + 1] === OP && buf.aux[first + 1] === OP_ASSIGN;
    const splat = buf.kind[first] === OP && buf.aux[first] === OP_POW;
    if ((!keyword && !splat) || (keyword && tokenIsAny(text, buf, first, SECRET_NAME_KEYWORDS))) return false;
    t = a;
  }
  return false;
}

/** Keywords that end in `:` before a statement: `else: token = …` is not an annotation of `else`. */
const NOT_ANNOTATED = new Set(['else', 'try', 'finally', 'lambda', 'case', 'default', 'do', 'if', 'elif', 'while', 'for', 'with', 'except', 'class', 'def', 'return']);

function identAt(text: string, buf: TokenBuffer, t: number): string {
  return text.slice(buf.start[t]!, buf.end[t]!);
}

/** A short string literal used as a key or header name: its value, or null. */
function keyLiteral(text: string, buf: TokenBuffer, t: number, python: boolean): string | null {
  if (buf.end[t]! - buf.start[t]! > 70) return null;
  const value = decodeToken(text, buf, t, python);
  return NAME.test(value) ? value : null;
}

/** The name an assignment's target at token `q` gives: `x`, `self.x`, `x: str`, `d['k']`, `os.environ['K']`. */
function targetName(text: string, buf: TokenBuffer, q: number, python: boolean): string | null {
  const kind = buf.kind[q];
  if (kind !== IDENT && kind !== CLOSE) return null;
  // `name: Type = value` (Python annotation, TypeScript type): walk back over the type.
  let r = q;
  for (let steps = 0; steps < 16 && r >= 0; steps++) {
    const k = buf.kind[r];
    if (k === IDENT || (k === OP && (buf.aux[r] === OP_DOT || buf.aux[r] === 124))) r--;
    else if (k === CLOSE && buf.match[r]! >= 0) r = buf.match[r]! - 1;
    else break;
  }
  if (r > 0 && r < q && buf.kind[r] === OP && buf.aux[r] === OP_COLON && buf.kind[r - 1] === IDENT) {
    const name = identAt(text, buf, r - 1);
    if (!NOT_ANNOTATED.has(name) && annotationStart(text, buf, r - 2)) return name;
  }
  if (kind === IDENT) return identAt(text, buf, q);
  // `d['k'] = …`, `os.environ['K'] = …`: the key.
  if (buf.aux[q] === CH_LBRACKET + 2) {
    const open = buf.match[q]!;
    if (open >= 0 && open + 2 === q && buf.kind[open + 1] === STRING) return keyLiteral(text, buf, open + 1, python);
  }
  return null;
}

/** Keywords that declare a typed name in TypeScript (`private readonly apiKey: string = …`). */
const DECLARING = ['const', 'let', 'var', 'readonly', 'private', 'public', 'protected', 'static', 'declare', 'abstract', 'override', 'accessor', 'export'];

/**
 * What may stand before an annotated name: a line start, `(`, `{`, `,`, `.`, `;`, or a declaring
 * keyword. Not `if debug: token = …`, where `debug` follows `if`.
 */
function annotationStart(text: string, buf: TokenBuffer, t: number): boolean {
  if (t < 0) return true;
  const k = buf.kind[t];
  if (k === LINE || k === OPEN) return true;
  if (k === IDENT) return tokenIsAny(text, buf, t, DECLARING);
  return k === OP && (buf.aux[t] === OP_COMMA || buf.aux[t] === OP_DOT || buf.aux[t] === 59);
}

/**
 * The name a literal at token `s` is assigned to or passed as: `x = '…'`, `x: str = '…'`,
 * `f(x='…')`, `{'x': '…'}`, `{x: '…'}`, `d['x'] = '…'`, `x == '…'`, and the value after a string
 * first argument (`headers.set('Authorization', '…')`, `os.environ.get('API_KEY', '…')`).
 */
function contextName(text: string, buf: TokenBuffer, s: number, e: number, python: boolean): string | null {
  let p = s - 1;
  // `x = ("a" "b")`: parentheses that only group the literal.
  while (p > 0 && buf.kind[p] === OPEN && buf.aux[p] === CH_LPAREN && buf.match[p] === e && buf.kind[p - 1] === OP) {
    p--;
    e++;
  }
  if (p < 1 || buf.kind[p] !== OP) return null;
  const op = buf.aux[p];
  if (op === OP_ASSIGN || op === OP_WALRUS || op === OP_CMP) return targetName(text, buf, p - 1, python);
  if (op === OP_COLON) {
    const q = p - 1;
    const kind = buf.kind[q];
    if (kind === STRING) return keyLiteral(text, buf, q, python);
    if (kind === IDENT) {
      const name = identAt(text, buf, q);
      return NOT_ANNOTATED.has(name) ? null : name;
    }
    if (kind === CLOSE) return targetName(text, buf, q, python); // `[KEY]: '…'` (computed key)
    return null;
  }
  if (op === OP_COMMA && buf.kind[p - 1] === STRING && buf.kind[p - 2] === OPEN && buf.aux[p - 2] === CH_LPAREN) {
    return pairName(text, buf, p - 2, python) ?? keyLiteral(text, buf, p - 1, python);
  }
  return null;
}

/** Callees whose second argument is a password: requests' and httpx's `HTTPBasicAuth`, aiohttp's `BasicAuth`, `HTTPDigestAuth`, `HTTPProxyAuth`. */
const BASIC_AUTH_CALLEE = /^(?:HTTP)?(?:Basic|Digest|Proxy)Auth$/;
/** A Twilio account SID: its auth token is the argument after it (`Client(sid, token)`, `twilio(sid, token)`). */
const TWILIO_SID = /^AC[0-9a-f]{32}$/;

/**
 * The name of the parameter the second of two arguments is, from the first or from what the pair
 * is given to (`open` is the pair's `(`): the `password` of `auth=("user", "…")` (requests,
 * httpx), `session.auth = (…)` and `HTTPBasicAuth("user", "…")`; the `auth_token` after a Twilio
 * account SID (`Client(account_sid, auth_token)`). Null for other pairs.
 */
function pairName(text: string, buf: TokenBuffer, open: number, python: boolean): string | null {
  const before = open - 1;
  if (before >= 1 && buf.kind[before] === OP && buf.aux[before] === OP_ASSIGN && buf.kind[before - 1] === IDENT && tokenIs(text, buf, before - 1, 'auth')) {
    return 'password';
  }
  if (before >= 0 && buf.kind[before] === IDENT && BASIC_AUTH_CALLEE.test(identAt(text, buf, before))) return 'password';
  const first = open + 1;
  if (buf.end[first]! - buf.start[first]! <= 40 && TWILIO_SID.test(decodeToken(text, buf, first, python))) return 'auth_token';
  return null;
}

// ---- The context rule ----

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot|Digest|Key|ApiKey|SSWS)\s+(\S+)$/i;

/** The rule and kind a value under a name of kind `ctx` is reported as, or null when it is not a credential. */
function contextFinding(ctx: ContextKind, value: string): ContextKind | null {
  if (ctx === AUTHORIZATION) {
    const scheme = AUTH_SCHEME.exec(value);
    const credential = scheme ? scheme[1]! : value;
    return looksRandom(credential) && !isReadableBase64(credential) ? AUTHORIZATION : null;
  }
  if (ctx === AWS_SECRET) {
    if (AWS_SECRET_VALUE.test(value) && looksRandom(value)) return AWS_SECRET;
    return looksRandom(value) ? SECRET : null;
  }
  if (ctx.password) return looksLikePassword(value) ? ctx : null;
  // Base64 of `username:password`, of a sentence or of small JSON looks random; decoded, it is none.
  return looksRandom(value) && !isReadableBase64(value) ? ctx : null;
}

// ---- Ignore comments ----

/**
 * The 0-based lines that carry the ignore comment (`# secrets-vault: ignore hardcoded-secret`, or
 * its `//` / `/* … *\/` form in JS/TS) in a real comment: the marker must lie outside every token
 * (not in a string) and follow, on its line, a comment opener that lies outside every token too.
 */
export function ignoredLines(text: string, buf: TokenBuffer, python: boolean): Set<number> {
  const lines = new Set<number>();
  // One forward pass, however many markers a line repeats: lines are counted as the markers are
  // met, and each stretch of a line is searched for a comment opener once.
  let line = 0;
  let counted = 0;
  /** On the current line, [lineStart or the last marker, searchedTo) holds no opener; `opener`: one was found. */
  let searchedTo = 0;
  let opener = false;
  let at = text.indexOf(IGNORE_MARKER);
  while (at >= 0) {
    for (let i = counted; i < at; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        line++;
        searchedTo = i + 1;
        opener = false;
      }
    }
    counted = at;
    if (!insideToken(buf, at)) {
      if (!opener) {
        opener = commentOpenerIn(text, buf, searchedTo, at, python);
        searchedTo = at;
      }
      if (opener) lines.add(line);
    }
    at = text.indexOf(IGNORE_MARKER, at + IGNORE_MARKER.length);
  }
  return lines;
}

/** Whether `pos` lies inside a token (a string, a template, a regular expression). */
function insideToken(buf: TokenBuffer, pos: number): boolean {
  const last = lowerBound(buf.start, buf.count, pos + 1) - 1;
  return last >= 0 && buf.end[last]! > pos;
}

/** Whether text[from, to) holds a comment opener (`#`; `//` or `/*`) that lies outside every token. */
function commentOpenerIn(text: string, buf: TokenBuffer, from: number, to: number, python: boolean): boolean {
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p);
    const isOpener = python ? c === 35 : c === 47 && (text.charCodeAt(p + 1) === 47 || text.charCodeAt(p + 1) === 42);
    if (isOpener && !insideToken(buf, p)) return true;
  }
  return false;
}

/** Line breaks in [from, to): `\n`, `\r\n` and a lone `\r` each count once. */
function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

// ---- The pass ----

/**
 * Hard-coded credentials in the string literals of `text`, which `buf` holds lexed (by `lexPython`
 * or `lexJs`), in document order. A literal whose first or last line carries the ignore comment is
 * left out. Never reports any part of a value: findings carry spans, rule ids and names only.
 */
export function findHardcoded(text: string, buf: TokenBuffer, python: boolean): HardcodedFinding[] {
  const found: HardcodedFinding[] = [];
  // The lexer lists its STRING tokens: the rest of the stream is never walked.
  const strings = buf.strings;
  const count = buf.stringCount;
  let j = 0;
  while (j < count) {
    const t = strings[j++]!;
    let e = t + 1;
    // Python's implicit concatenation: STRING tokens in a row are one literal.
    if (python) {
      while (j < count && strings[j] === e) {
        j++;
        e++;
      }
    }
    const from = contentStart(buf, t);
    const to = contentEnd(buf, e - 1);
    if (to - from >= MIN_LITERAL) {
      const finding = examine(text, buf, t, e, python, from, to);
      if (finding !== null) found.push(finding);
    }
  }
  if (found.length > 0 && text.includes(IGNORE_MARKER)) return withoutIgnored(text, buf, python, found);
  return found;
}

function examine(text: string, buf: TokenBuffer, s: number, e: number, python: boolean, from: number, to: number): HardcodedFinding | null {
  // The source text is searched first. Escapes and concatenation can hide a credential there
  // (`"\x73k_live_…"`, `"sk_" "live_…"`) and `{{` in an f-string shifts positions: when the text
  // holds none, such literals are decoded and their value searched.
  if (isNamePosition(text, buf, s)) return null; // a NAME (`get_secret('…')`) is never a finding, whatever it looks like
  let value: string | null = null;
  let k = NONE;
  const single = e === s + 1;
  if (single) k = isDataUrl(text, from) ? NONE : formatIn(text, from, to, null);
  if (!single || (k < 0 && buf.aux[s]! & (S_ESCAPE | S_FORMAT | S_TEMPLATE))) {
    value = decodeRun(text, buf, s, e, python);
    // (An f-string or template without `{{` or CR decodes to its own text: nothing new to search.)
    if (!single || value.length !== to - from) {
      const decoded = isDataUrl(value, 0) ? NONE : formatIn(value, 0, value.length, value);
      if (decoded !== NONE) k = decoded;
    }
  }
  if (k === REJECTED || (k === NONE && buf.kind[s - 1] !== OP && buf.kind[s - 1] !== OPEN)) return null;
  if (k >= 0) {
    const rule = FORMAT_RULES[k]!;
    if (k === GOOGLE_API_KEY && inFirebaseConfig(text, buf, s)) return null;
    return finding(text, buf, s, e, rule.id, rule.kind, contextName(text, buf, s, e, python), from, to);
  }
  const name = contextName(text, buf, s, e, python);
  if (name === null) return null;
  const ctx = classifyName(name);
  if (ctx === null) return null;
  value ??= decodeRun(text, buf, s, e, python);
  // A provider's documented example is never a finding, whatever it is called, nor a key its
  // provider issues to be public.
  if (isDocumentedExample(value) || PUBLIC_KEY.test(value)) return null;
  const hit = contextFinding(ctx, value);
  if (hit === null) return null;
  // A field of a data record (an API's response in a test, a fixture, seed data: an object with an
  // `id` or a timestamp) is data: Shopify's checkout `token`, a line item's `key`.
  if (inDataRecord(text, buf, s)) return null;
  // `{"key": …, "value": …}`: an entry's name beside its value (a tag, a label, a setting), not a key.
  if ((name === 'key' || name === 'Key') && isEntryName(text, buf, s)) return null;
  return finding(text, buf, s, e, hit.id, hit.kind, name, from, to);
}


const GOOGLE_API_KEY = FORMAT_RULES.findIndex((r) => r.id === 'google-api-key');
/** Keys only a Firebase web app's configuration has beside its `apiKey`. */
const FIREBASE_CONFIG_KEYS = ['authDomain', 'messagingSenderId', 'storageBucket'];
/** Keys a data record has beside its fields, and a configuration does not (`id` only with a record's id value). */
const RECORD_KEYS = ['id', 'created_at', 'updated_at', 'createdAt', 'updatedAt'];
/** How far back the object around a literal is looked for, and how much of it is read, in tokens. */
const MAX_OBJECT_TOKENS = 2048;

/**
 * Whether the literal at token `s` is the API key of a Firebase web app's configuration (an
 * object with `authDomain` and its siblings): it only names the project and ships in every page;
 * Firebase's documentation says it is no secret.
 */
function inFirebaseConfig(text: string, buf: TokenBuffer, s: number): boolean {
  return someKey(buf, s, (t) => FIREBASE_CONFIG_KEYS.some((key) => keyIs(text, buf, t, key)));
}

/**
 * Whether the literal at token `s` is a field of a data record: an object with a record's `id`,
 * a timestamp, or two numeric references to other records (`product_id: 632910392`,
 * `variantId: 808950810`).
 */
function inDataRecord(text: string, buf: TokenBuffer, s: number): boolean {
  let references = 0;
  return someKey(buf, s, (t) => {
    for (const key of RECORD_KEYS) if (keyIs(text, buf, t, key)) return key !== 'id' || recordId(text, buf, t + 2);
    return buf.kind[t + 2] === NUMBER && FOREIGN_ID.test(keyText(text, buf, t)) && ++references >= 2;
  });
}

/**
 * Whether the literal at token `s` is a value in an object or dict (it follows a `:`) with a
 * top-level key (the token before a `:`) that `test` accepts.
 */
function someKey(buf: TokenBuffer, s: number, test: (key: number) => boolean): boolean {
  if (buf.kind[s - 1] !== OP || buf.aux[s - 1] !== OP_COLON) return false;
  let open = -1;
  for (let t = s - 1; t >= 0 && t > s - MAX_OBJECT_TOKENS; t--) {
    const kind = buf.kind[t];
    if (kind === CLOSE && buf.match[t]! >= 0) t = buf.match[t]!;
    else if (kind === OPEN) {
      if (buf.aux[t] === CH_LBRACE) open = t;
      break;
    }
  }
  const close = open >= 0 ? buf.match[open]! : -1;
  if (close < 0) return false;
  const last = Math.min(close - 1, open + MAX_OBJECT_TOKENS);
  for (let t = open + 1; t < last; t++) {
    if (buf.kind[t] === OPEN && buf.match[t]! > t) {
      t = buf.match[t]!;
      continue;
    }
    if (buf.kind[t + 1] === OP && buf.aux[t + 1] === OP_COLON && test(t)) return true;
  }
  return false;
}

/** Whether the literal at token `s` is the `key` of an object that has a `value` too (AWS's and Kubernetes' tags and labels). */
function isEntryName(text: string, buf: TokenBuffer, s: number): boolean {
  return someKey(buf, s, (t) => keyIs(text, buf, t, 'value') || keyIs(text, buf, t, 'Value'));
}

/** A key that names another record's id: `product_id`, `variantId`. */
const FOREIGN_ID = /^\w+(?:_id|Id|ID)$/;

/** The text of a key token: a name, or a string literal's content. */
function keyText(text: string, buf: TokenBuffer, t: number): string {
  if (buf.kind[t] === STRING) return text.slice(contentStart(buf, t), contentEnd(buf, t));
  return buf.kind[t] === IDENT ? text.slice(buf.start[t]!, buf.end[t]!) : '';
}

/** A record's id as a string: digits, hex (`c72185ef93b358d7`, a MongoDB ObjectId), or a UUID. */
const ID_VALUE = /^(?:[0-9]+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Whether the value at token `t` is a record's id: a number, digits, hex, a UUID, or null. A
 * configuration's `id` names something (`id: "my-provider"` in an OAuth provider's settings) and
 * makes no record.
 */
function recordId(text: string, buf: TokenBuffer, t: number): boolean {
  const kind = buf.kind[t];
  if (kind === NUMBER) return true;
  if (kind === IDENT) return tokenIs(text, buf, t, 'null') || tokenIs(text, buf, t, 'None');
  if (kind !== STRING || buf.end[t]! - buf.start[t]! > 40) return false;
  return ID_VALUE.test(text.slice(contentStart(buf, t), contentEnd(buf, t)));
}

/** Whether token `t` is the object key `word`: a name, or a plain string literal. */
function keyIs(text: string, buf: TokenBuffer, t: number, word: string): boolean {
  if (buf.kind[t] === IDENT) return tokenIs(text, buf, t, word);
  if (buf.kind[t] !== STRING) return false;
  const from = contentStart(buf, t);
  return contentEnd(buf, t) - from === word.length && text.startsWith(word, from);
}


function finding(text: string, buf: TokenBuffer, s: number, e: number, rule: string, kind: string, context: string | null, from: number, to: number): HardcodedFinding {
  return {
    span: { start: buf.start[s]!, end: buf.end[e - 1]! },
    contentSpan: { start: from, end: to },
    rule,
    kind,
    context,
    escaped: isEscaped(text, buf, s, e),
  };
}

function withoutIgnored(text: string, buf: TokenBuffer, python: boolean, found: HardcodedFinding[]): HardcodedFinding[] {
  const ignored = ignoredLines(text, buf, python);
  if (ignored.size === 0) return found;
  const kept: HardcodedFinding[] = [];
  let line = 0;
  let counted = 0;
  for (const f of found) {
    line += countLines(text, counted, f.span.start);
    counted = f.span.start;
    if (ignored.has(line)) continue;
    if (ignored.has(line + countLines(text, f.span.start, f.span.end))) continue;
    kept.push(f);
  }
  return kept;
}
