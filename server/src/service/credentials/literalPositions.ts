// Where a literal stands, for the credential detector, as the language's front end read it:
// whether it is a secret's NAME (never a finding), and the name a value is given to (a variable, a
// keyword, a dict key, the parameter of a pair: scan/literalContexts.ts), which the context rule
// classifies and Move to vault names the secret after.

import { IDENT, STRING, type TokenBuffer, tokenIs } from '../scan/tokens';
import { LC_ARGUMENT, type LiteralContexts } from '../scan/literalContexts';
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

/** A short string literal used as a key or header name: its value, or null. */
function keyLiteral(text: string, buf: TokenBuffer, t: number, python: boolean): string | null {
  if (buf.end[t]! - buf.start[t]! > 70) return null;
  const value = decodeToken(text, buf, t, python);
  return NAME.test(value) ? value : null;
}

/**
 * The name the value recorded at `i` of `contexts` (the front end's reading: scan/literalContexts.ts)
 * is given to: the identifier (a variable, attribute, keyword, parameter, field, key), or the key
 * literal (`{'x-api-key': …}`, `d['k'] = …`, `headers.set('K', …)`), or the parameter a pair's
 * second element is (`auth=('user', …)`).
 */
export function contextName(text: string, buf: TokenBuffer, contexts: LiteralContexts, i: number, python: boolean): string | null {
  const name = contexts.name[i]!;
  if (contexts.kind[i] === LC_ARGUMENT) return pairName(text, buf, contexts, i, python) ?? keyLiteral(text, buf, name, python);
  return buf.kind[name] === STRING ? keyLiteral(text, buf, name, python) : text.slice(buf.start[name]!, buf.end[name]!);
}

/** Callees whose second argument is a password: requests' and httpx's `HTTPBasicAuth`, aiohttp's `BasicAuth`, `HTTPDigestAuth`, `HTTPProxyAuth`. */
const BASIC_AUTH_CALLEE = /^(?:HTTP)?(?:Basic|Digest|Proxy)Auth$/;
/** A Twilio account SID: its auth token is the argument after it (`Client(sid, token)`, `twilio(sid, token)`). */
const TWILIO_SID = /^AC[0-9a-f]{32}$/;

/**
 * The name of the parameter the second of two arguments is (recorded at `i` of `contexts`), from
 * the first, from what the pair is given to, or from its callee: the `password` of
 * `auth=("user", "…")` (requests, httpx), `session.auth = (…)` and `HTTPBasicAuth("user", "…")`;
 * the `auth_token` after a Twilio account SID (`Client(account_sid, auth_token)`). Null for other
 * pairs.
 */
function pairName(text: string, buf: TokenBuffer, contexts: LiteralContexts, i: number, python: boolean): string | null {
  const first = contexts.name[i]!;
  // The pair's group (its `(`, right before its first argument) as a value given to `auth`.
  const given = contexts.indexOf(first - 1);
  if (given >= 0) {
    const name = contexts.name[given]!;
    if (buf.kind[name] === IDENT && tokenIs(text, buf, name, 'auth')) return 'password';
  }
  const callee = contexts.callee[i]!;
  if (callee >= 0 && BASIC_AUTH_CALLEE.test(text.slice(buf.start[callee]!, buf.end[callee]!))) return 'password';
  if (buf.end[first]! - buf.start[first]! <= 40 && TWILIO_SID.test(decodeToken(text, buf, first, python))) return 'auth_token';
  return null;
}
