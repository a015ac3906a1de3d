// Where a literal stands, for the credential detector: whether it is a secret's NAME (never a
// finding), as the language's front end read it, and the name a value is assigned to or passed as (a
// variable, a keyword, a dict key, the parameter of a pair), which the context rule classifies and
// Move to vault names the secret after. The second is still read from the neighbouring tokens.

import {
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  IDENT,
  LINE,
  OP,
  OPEN,
  OP_ASSIGN,
  OP_CMP,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_WALRUS,
  STRING,
  TokenBuffer,
  tokenIs,
} from '../scan/tokens';
import type { ReferenceScan, SecretReference, Span } from '../scan/types';
import { decodeToken } from './literalDecoding';

/** The start offsets of the literals a front end read as names, sorted; `count` of `starts` are in use. */
export interface NameLiterals {
  starts: Int32Array;
  count: number;
}

/** One buffer, reused from one analysis to the next (read by findHardcoded before the next). */
const shared: NameLiterals = { starts: new Int32Array(256), count: 0 };

function add(names: NameLiterals, span: Span): void {
  if (names.count === names.starts.length) {
    const grown = new Int32Array(names.starts.length * 2);
    grown.set(names.starts);
    names.starts = grown;
  }
  names.starts[names.count++] = span.start;
}

/**
 * The literals the front end (python/pythonRefs*.ts, javascript/jsRefs.ts) read as NAMES rather
 * than values, whatever they look like: each read's name literal (`get_secret('x')`, through an
 * alias, by `secret_name=`; `os.environ['X']`, `process.env['X']`, destructured or aliased), each
 * environment write's, each literal a computed name may take (its candidates in this document), and
 * each key read from a secret. Sorted by start, in the shared buffer: read it before the next call.
 */
export function nameLiterals(scan: ReferenceScan): NameLiterals {
  shared.count = 0;
  addNames(shared, scan.references);
  addNames(shared, scan.writes);
  shared.starts.subarray(0, shared.count).sort();
  return shared;
}

function addNames(names: NameLiterals, refs: readonly SecretReference[]): void {
  for (const ref of refs) {
    add(names, ref.literal.span);
    if (ref.candidates) for (const c of ref.candidates) if (c.uri === undefined) add(names, c.literal);
    for (const k of ref.keys) add(names, k.literal.span);
  }
}

/** A name longer than this, or with other characters than these, is not a name (a sentence used as a dict key). */
const NAME = /^[A-Za-z_$][\w$.-]{0,63}$/;

function tokenIsAny(text: string, buf: TokenBuffer, t: number, words: readonly string[]): boolean {
  for (const w of words) if (tokenIs(text, buf, t, w)) return true;
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
 * The name the literal of tokens [first, end) is assigned to or passed as: `x = '…'`, `x: str = '…'`,
 * `f(x='…')`, `{'x': '…'}`, `{x: '…'}`, `d['x'] = '…'`, `x == '…'`, and the value after a string
 * first argument (`headers.set('Authorization', '…')`, `os.environ.get('API_KEY', '…')`).
 */
export function contextName(text: string, buf: TokenBuffer, first: number, end: number, python: boolean): string | null {
  let p = first - 1;
  let e = end;
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
