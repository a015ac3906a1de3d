// The credential formats the `hardcoded-secret` diagnostic knows, in one table, each written from
// its provider's documented token format (prefix, length, alphabet, checksum). A literal is
// reported under the first credential found in it that passes its rule's check (generic rules, a
// URL's password or an Authorization value, only when it holds no specific one); then, if none,
// under the context rules at the end of this file (a random-looking value under a secret-like
// name). `kind` is the human name a message uses; it never includes any part of the value.

import { AGENT_TOKEN_PREFIX, USER_TOKEN_PREFIX } from '../../../../protocol/api';
import { base62ChecksumOk, base64Includes, decodeBase64, decodeBase64Text } from './encoding';
import { providedHmac } from './hmac';
import { isPlaceholder, isPlaceholderBody, looksRandom, spellsStandIn } from './shape';

/** A format as written in the table below; FORMAT_RULES holds them completed (see `complete`). */
export interface FormatRuleSpec {
  /** Stable id: diagnostics data, corpus labels (`# expect: stripe-secret-key`), tests. */
  id: string;
  /** What the credential is, for the message: "Stripe secret key". */
  kind: string;
  /** Where the format is documented. */
  docs: string;
  /**
   * What every match starts with, at the start of a word (after a character that is not a letter
   * or digit): the first, cheap look at each literal. Prefixes that start with a symbol
   * (`-----BEGIN `, `://`) are looked for anywhere.
   */
  prefixes: readonly string[];
  /**
   * The credential, with the random part as group 1: sticky, tried where a prefix was seen; or,
   * with `search`, global and searched through the whole value from its start.
   */
  pattern: RegExp;
  search?: boolean;
  /**
   * A rule that says less than a provider's format (a URL with a password, an Authorization
   * value): a specific credential in the same literal is reported instead.
   */
  generic?: boolean;
  /**
   * A further check on the match value[start, end), whose prefix is `prefix` characters long
   * (checksum, key material); default `plainMatch`: no documented example, and the random part
   * after the prefix no stand-in. Runs without the pattern's groups, so without allocating.
   */
  check?: (value: string, start: number, end: number, prefix: number) => boolean;
  /** Instead of `check`, for checks that need the groups (of a sticky or searched match). */
  verify?: (m: RegExpExecArray, value: string) => boolean;
  /**
   * A failed check says only that the value is no credential of this kind (a checksum that does
   * not add up: a hand-made token, or a mistyped one), not that it is a stand-in: the value is
   * then judged by the name it is assigned to, as any value without a format is. Default: a
   * failed check makes it a look-alike, which no name makes a finding.
   */
  nameMayTell?: boolean;
}

/**
 * A rule with every field present, in one order: the detector reads these fields for every
 * candidate, and objects of one shape keep those reads monomorphic (fast).
 */
export interface FormatRule {
  id: string;
  kind: string;
  docs: string;
  prefixes: readonly string[];
  pattern: RegExp;
  search: boolean;
  generic: boolean;
  check: (value: string, start: number, end: number, prefix: number) => boolean;
  verify: ((m: RegExpExecArray, value: string) => boolean) | null;
  nameMayTell: boolean;
}

function complete(spec: FormatRuleSpec): FormatRule {
  return {
    id: spec.id,
    kind: spec.kind,
    docs: spec.docs,
    prefixes: spec.prefixes,
    pattern: spec.pattern,
    search: spec.search ?? false,
    generic: spec.generic ?? false,
    check: spec.check ?? plainMatch,
    verify: spec.verify ?? null,
    nameMayTell: spec.nameMayTell ?? false,
  };
}

/**
 * Keys and tokens that providers publish in their documentation: sample values, never findings.
 * (The generic check also rejects any random part containing EXAMPLE, xxxx, your, …)
 */
export const DOCUMENTED_EXAMPLES: ReadonlySet<string> = new Set([
  // AWS, "Managing access keys" and the CLI configuration guide.
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  // Amazon S3's "Signing and authenticating REST requests" (signature version 2) examples.
  '44CF9590006BF252F707',
  'OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV',
  // GitHub's OAuth documentation (its checksum does not add up either). Joined at run time: as one
  // literal it would put a token-shaped string in the bundle, and the secret scan that
  // `vsce package` runs refuses to package one.
  ['gho', '16C7e42F292c6912E7710c838347Ae178B4a'].join('_'),
  // Slack's "Verifying requests from Slack": the signing secret of its worked example.
  '8f742231b10e8888abcd99yyyzzz85a5',
  // FastAPI's OAuth2/JWT tutorial: the signing key its docs generate with `openssl rand -hex 32`.
  '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7',
  // Stripe's API reference: the sample test-mode keys shown to signed-out readers.
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'pk_test_TYooMQauvdEDq54NiTphI7jx',
  'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
  'pk_test_6pRNASCoBOKtIshFeQd4XMUh',
  // RFC 6455's WebSocket GUID, a protocol constant (aiohttp's `WS_KEY`).
  '258EAFA5-E914-47DA-95CA-C5AB0DC85B11',
  // The TOTP secret of Google Authenticator's Key Uri Format page, in every 2FA tutorial.
  'JBSWY3DPEHPK3PXP',
  // RFC 6749 (OAuth 2.0)'s examples, in every OAuth library's tests and docs: the access and
  // refresh tokens of its token responses, its authorization code, its client's secret.
  '2YotnFZFEjr1zCsicMWpAA',
  'tGzv3JOkF0XG5Qx2TlKWIA',
  'SplxlOBeZQQYbYS6WxSbIA',
  '7Fjfp0ZBr1KtDRbnfVdmIw',
]);

/** The documented examples by length: most matches have a length none has, and the rest compare in place. */
const EXAMPLES_BY_LENGTH = (() => {
  const t: (string[] | null)[] = new Array<string[] | null>(256).fill(null);
  for (const x of DOCUMENTED_EXAMPLES) (t[x.length] ??= []).push(x);
  return t;
})();

/** Whether s[start, end) is one of the providers' documented examples (compared without a slice). */
function isDocumentedExampleAt(s: string, start: number, end: number): boolean {
  const n = end - start;
  const list = n < 256 ? EXAMPLES_BY_LENGTH[n] : null;
  if (list === null || list === undefined) return false;
  for (let k = 0; k < list.length; k++) if (s.startsWith(list[k]!, start)) return true;
  return false;
}

/** Whether a match is one of the providers' documented examples. */
export function isDocumentedExample(match: string): boolean {
  return isDocumentedExampleAt(match, 0, match.length);
}

/** The default check: the match is no documented example, and what follows the prefix no stand-in. */
export function plainMatch(value: string, start: number, end: number, prefix: number): boolean {
  return !isDocumentedExampleAt(value, start, end) && !isPlaceholderBody(value, start + prefix, end);
}

/**
 * GitHub classic tokens and npm tokens: prefix, 30 random base62 characters, a 6-character CRC-32.
 * The checksum comes first: without it the value is no such token (the rules say `nameMayTell`:
 * a hand-made one under a name like `github_token` is still judged as any value there), and a
 * filler with a valid checksum is someone's deliberate fake.
 */
function checksummed(value: string, start: number, end: number, prefix: number): boolean {
  return base62ChecksumOk(value, start + prefix, end) && !isPlaceholderBody(value, start + prefix, end - 6);
}

/**
 * A PEM private key block with key material: after the BEGIN line (and any `Proc-Type:` headers of
 * an encrypted key), at least 64 base64 characters. A bare header (a marker constant used to parse
 * PEM files) or a truncated sample (`MIIEv...`) is not a key.
 */
export const MIN_PEM_BODY = 64;

/**
 * After the BEGIN line: optional encryption headers, then base64 and line breaks (real or `\n`
 * escapes) up to the END line, or the end of the literal (its value's end, or its closing quote
 * when run on the document text). Both runs are atomic (`(?=(…))\1`: a lookahead is never
 * re-entered): the headers' and the body's alphabets share whitespace, and with backtracking a
 * literal of 20,000 spaces after a BEGIN line took seconds to reject, on every keystroke.
 */
const PEM_REST = /(?=((?:\s|\\[nr]|(?:Proc-Type|DEK-Info):[^\n\\]*)*))\1(?=((?:[A-Za-z0-9+/=]|\s|\\[nr])*))\2(?:-----END|$|(?=["'`]))/y;
/** One line of key material: PEM lines are 64 characters (OpenSSH's 70). */
const PEM_LINE = /[A-Za-z0-9+/=]{48,}/;

function pemBody(value: string, _start: number, end: number): boolean {
  PEM_REST.lastIndex = end;
  const rest = PEM_REST.exec(value);
  if (rest === null || rest[2]!.length < MIN_PEM_BODY || !PEM_LINE.test(rest[2]!)) return false;
  // Base64 of key material (DER, or an encrypted key's ciphertext) has both letter cases in any
  // line: a body in one case (`eeiuf9ehfiuehf98…`) was typed to stand in for one.
  return /[A-Z]/.test(rest[2]!) && /[a-z]/.test(rest[2]!);
}

/**
 * A 1Password service account token: its base64 decodes to the account's sign-in details, with
 * its secret key (`secretKey`) or SRP verifier (`srpX`). Other `ops_eyJ…` text is no such token.
 */
function onePasswordAccount(value: string, start: number, end: number, prefix: number): boolean {
  const payload = start + 'ops_'.length;
  return (base64Includes(value, payload, end, '"secretKey"') || base64Includes(value, payload, end, '"srpX"')) && plainMatch(value, start, end, prefix);
}

/** The payload of the jwt.io sample token (subject 1234567890, name John Doe), base64url, as far as both versions agree. */
const JWT_IO_PAYLOAD = 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi';

/**
 * The shortest signature taken. The smallest real one, HMAC-SHA256's, has 43 base64url
 * characters; under 16 there is none (`.sig`, `.signature`, a truncated sample), only a fixture.
 */
const MIN_JWT_SIGNATURE = 16;

/**
 * A JWT: three base64url parts; the header decodes to a JSON object with "alg" (the pattern
 * makes header and payload start with `eyJ`, i.e. `{"`). The jwt.io sample is documentation. A
 * token without a real signature is a look-alike: an unsigned one (`alg: none`, nothing after the
 * last dot) anyone can make, and a test's token signed with a word (`….signature`) or a stand-in
 * is a fixture, whatever name it is under.
 */
function jwtOk(m: RegExpExecArray): boolean {
  const s = m.input;
  const headerEnd = m.index + m[1]!.length;
  // Header and payload are decoded once each (as bytes, Latin-1): every check below reads them.
  const header = decodeBase64(s, m.index, headerEnd);
  if (header === null || !header.includes('"alg"')) return false;
  if (m[2]!.startsWith(JWT_IO_PAYLOAD)) return false;
  const signature = m[3]!;
  if (signature.length < MIN_JWT_SIGNATURE || isPlaceholderBody(signature) || WORDY_SIGNATURE.test(signature)) return false;
  const payloadEnd = headerEnd + 1 + m[2]!.length;
  const payload = decodeBase64(s, headerEnd + 1, payloadEnd);
  if (payload !== null && (isSupabaseAnonKey(payload) || expired(payload))) return false;
  return !signedWithPublishedKey(header, s.slice(m.index, payloadEnd), signature);
}

/** A JWT's expiry claim: seconds since 1970 (or milliseconds, as some libraries write it). */
const EXP_CLAIM = /"exp"\s*:\s*(\d{1,13})(?:\.\d+)?(?!\d)/;

/**
 * Whether a JWT's decoded payload has an `exp` claim in the past: every verifier refuses such a
 * token (RFC 7519 section 4.1.4), so it is no credential but a test's fixture
 * (djangorestframework-simplejwt's tokens expire in 2000) or a sample that has lapsed. The payload
 * is bytes, not text: one with a non-ASCII claim (`"name":"José"`) still has its `exp`.
 */
function expired(payload: string): boolean {
  const exp = EXP_CLAIM.exec(payload);
  if (exp === null) return false;
  const value = Number(exp[1]);
  // Seconds stay under 10^11 until the year 5138: a larger value is in milliseconds.
  return (value >= 1e11 ? value : value * 1000) < Date.now();
}

/**
 * HMAC keys that documentation publishes for signing JWTs: PyJWT's and most tutorials' `secret`,
 * jwt.io's default, and the key FastAPI's OAuth2 tutorial generates. Anyone who has read the page
 * can make a token signed with one, so such a token is a test's fixture (PyJWT's tests, FastAPI's),
 * not a credential.
 */
const PUBLISHED_JWT_KEYS = ['secret', 'your-256-bit-secret', '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7'];
/** An HMAC algorithm in a JWT's header (in any case: PyJWT's tests sign `hs256` tokens too); group 1 the hash's size. */
const HMAC_ALGORITHM = /"alg"\s*:\s*"HS(256|384|512)"/i;

/** A signature's length in base64url without padding (RFC 7515): 32, 48 or 64 bytes. */
const HMAC_SIGNATURE_LENGTH: Record<string, number> = { '256': 43, '384': 64, '512': 86 };

/**
 * Whether an HMAC-signed JWT (its decoded header, the signed text `header.payload`, and its
 * signature) verifies with one of the published keys (a few µs a key: only JWTs whose signature
 * has the hash's length get here). False when the host gave no HMAC (see hmac.ts).
 */
function signedWithPublishedKey(header: string, signed: string, signature: string): boolean {
  const hmac = providedHmac();
  if (hmac === null) return false;
  const alg = HMAC_ALGORITHM.exec(header);
  if (alg === null || signature.length !== HMAC_SIGNATURE_LENGTH[alg[1]!]) return false;
  const hash = alg[1] === '256' ? 'sha256' : alg[1] === '384' ? 'sha384' : 'sha512';
  for (const key of PUBLISHED_JWT_KEYS) if (hmac(hash, key, signed) === signature) return true;
  return false;
}

/**
 * Supabase's anon key: a JWT for the `anon` role, which Supabase's documentation says is safe to
 * ship in a browser (row-level security guards the data). Public by design, like a Stripe
 * publishable key; its `service_role` sibling is a secret and stays a finding, except the local
 * development keys every `supabase start` prints (issuer `supabase-demo`). `payload` is decoded.
 */
function isSupabaseAnonKey(payload: string): boolean {
  // The keys of `supabase start` (issuer supabase-demo) are the same for everyone, printed by the CLI.
  if (payload.includes('"iss":"supabase-demo"')) return true;
  return payload.includes('"iss":"supabase"') && payload.includes('"role":"anon"');
}

/**
 * A signature spelled in words (`test-signature-value`, `invalidsignature`): letters only, and
 * either lowercase or joined by `-` / `_`. A real one is random base64url: 43 or more characters
 * with digits and both cases, all but never letters alone.
 */
const WORDY_SIGNATURE = /^(?:[a-z]+|[A-Za-z]+(?:[-_]+[A-Za-z]+)+)$/;

/**
 * `scheme://user:password@host`: a password that is no stand-in (see standInPassword). A long
 * random user name with a dummy password is a token passed as the user
 * (`https://<token>:x-oauth-basic@github.com`).
 */
function urlPasswordOk(m: RegExpExecArray): boolean {
  const user = m[2] ?? '';
  const password = m[3] ?? '';
  if (password.length >= 3 && !standInPassword(password, percentDecoded(password), user)) return true;
  return user.length >= 20 && !urlStandIn(user) && looksRandom(user);
}

const URL_STAND_INS = new Set(['pass', 'pwd', 'passwd', 'pw', 'secret', 'x', 'x-oauth-basic', 'token', 'user', 'username', 'apikey']);

function urlStandIn(s: string): boolean {
  return URL_STAND_INS.has(s.toLowerCase()) || isPlaceholder(s) || /^[:%$*{<[]/.test(s);
}

/**
 * Passwords that documentation made famous, by user (`*`: under any user). Everyone who has read
 * the documentation knows them, so code that holds them holds an example, not a credential.
 */
const DOCUMENTED_PASSWORDS = new Map<string, readonly string[]>([
  // RFC 2617's and RFC 7617's Basic example.
  ['aladdin', ['opensesame']],
  // Oracle's demo schema, the user of every SQLAlchemy example URL (`postgresql://scott:tiger@…`).
  ['scott', ['tiger']],
  // Stand-in names.
  ['john', ['doe']],
  ['jane', ['doe']],
  // RFC 6749's client (`Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW`) and resource owner.
  ['s6bhdrkqt3', ['gx1fbat3bv']],
  ['johndoe', ['a3ddj3w']],
  // Redis' example `requirepass` (redis.conf) and xkcd 936's passphrase.
  ['*', ['foobared', 'correcthorsebatterystaple']],
]);

/** Whether `user:password` is a documented example (case and spaces aside: `Aladdin:open sesame`). */
function isDocumentedPassword(user: string, password: string): boolean {
  const normal = password.toLowerCase().replace(/[ _-]/g, '');
  return DOCUMENTED_PASSWORDS.get(user.toLowerCase())?.includes(normal) === true || DOCUMENTED_PASSWORDS.get('*')!.includes(normal);
}

/** Rows of keys, and the alphabet: a run along one of them is typed without thinking. */
const KEY_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz'];
/** The shortest run, and the most runs, in a password of keys pressed in a row. */
const MIN_KEY_RUN = 3;
const MAX_KEY_RUNS = 2;

/**
 * Keys pressed in a row: one key held (`1111`, `aaaa`), or one or two runs of 3+ keys along a row
 * of the keyboard or the alphabet (`1234`, `asdf`, `qwerty`, `asd123`, `abc123`: node-postgres'
 * and sequelize's tests).
 */
function isKeyRun(password: string): boolean {
  if (/^(.)\1+$/.test(password)) return true;
  const s = password.toLowerCase();
  let runs = 1;
  let length = 1;
  for (let i = 1; i < s.length; i++) {
    if (follows(s.charCodeAt(i - 1), s.charCodeAt(i))) {
      length++;
      continue;
    }
    if (length < MIN_KEY_RUN || ++runs > MAX_KEY_RUNS) return false;
    length = 1;
  }
  return length >= MIN_KEY_RUN;
}

/** Whether key `b` comes right after key `a` on a row of KEY_ROWS. */
function follows(a: number, b: number): boolean {
  for (const row of KEY_ROWS) {
    const at = row.indexOf(String.fromCharCode(a));
    if (at >= 0 && row.charCodeAt(at + 1) === b) return true;
  }
  return false;
}

/** A credential's own name inside a password's letters (`pass#pass`, `pa ssword`, `withPwd`). */
const CREDENTIAL_WORD = /pass|pwd|secret|token/;
/** A phrase: words and spaces only (`open sesame`, RFC 7617's example). */
const PHRASE = /^[A-Za-z]+(?: [A-Za-z]+)+$/;

/**
 * Whether the password of a `user:password` pair (in a URL, or a Basic credential) is a stand-in:
 * a documented example (`scott:tiger`, `aladdin:opensesame`), a placeholder (`password`,
 * `changeme`, `${DB_PASSWORD}`, `%s`, `***`), the user name again
 * (`postgres:postgres@`, `guest:guest@`, the defaults of local development images), keys pressed
 * in a row (`1234`, aiohttp's tests), a phrase, or,
 * without a digit, letters that spell a credential's name (`pass%2Fword`, `pass%23pass`,
 * `withPwd`, `token_rotation_secret`: from the tests of python-slack-sdk, requests and
 * stripe-python). `decoded` is the password with its percent escapes decoded (for a Basic
 * credential, the password itself).
 */
function standInPassword(password: string, decoded: string, user: string): boolean {
  if (isDocumentedPassword(user, decoded)) return true;
  if (password === user || decoded === user || urlStandIn(password) || (decoded !== password && urlStandIn(decoded)) || PHRASE.test(decoded)) return true;
  if (spellsStandIn(decoded) || isKeyRun(decoded)) return true;
  if (/[0-9]/.test(decoded)) return false;
  return CREDENTIAL_WORD.test(decoded.toLowerCase().replace(/[^a-z]/g, ''));
}

/** A field of decoded JSON with a string value: its name and value. */
const JSON_FIELD = /"([^"\\]{1,64})"\s*:\s*"((?:[^"\\]|\\.){0,256})"/g;
/** Field names that make decoded JSON a credential's container (a service account, a token response). */
const SECRET_FIELD = /key|secret|pass|private|credential/i;

/** Whether small decoded JSON holds a credential: a random-looking string, or a value of 8+ characters under a secret's field name. */
function jsonHoldsSecret(json: string): boolean {
  for (const m of json.matchAll(JSON_FIELD)) {
    const value = m[2]!;
    if ((value.length >= 8 && SECRET_FIELD.test(m[1]!)) || looksRandom(value)) return true;
  }
  return false;
}

/**
 * Whether `value` is base64 of readable text, not of a key's random bytes: a Basic credential
 * without its scheme (base64 of `user:password`, as kept in a constant such as
 * `BASIC_AUTH_ENCODING`) whose password is a stand-in (`username:password`), a sentence (`you're
 * not supposed to decode this!`, botocore's test token) or small JSON that holds no credential
 * (`{"NextToken": "foo"}`, a pagination token). False for anything else: random bytes, a real
 * password, JSON that holds a key.
 */
export function isReadableBase64(value: string): boolean {
  if (value.length < 6 || value.length > 256) return false;
  // A JWT's header with its dot (`eyJhbGciOiJSUzI1NiJ9.`, a test building a token): small JSON too.
  const decoded = decodeBase64Text(value, 0, value.charCodeAt(value.length - 1) === 46 ? value.length - 1 : value.length);
  if (decoded === null) return false;
  const c = decoded.charCodeAt(0);
  if (c === 123 || c === 91) return !jsonHoldsSecret(decoded);
  const colon = decoded.indexOf(':');
  if (colon > 0 && colon < decoded.length - 1 && !decoded.includes(' ', colon)) {
    const password = decoded.slice(colon + 1);
    return standInPassword(password, password, decoded.slice(0, colon));
  }
  return SENTENCE.test(decoded);
}

/** Words with spaces between them (two or more: `hello world`), and what punctuation a sentence has. */
const SENTENCE = /^[A-Za-z][A-Za-z']*(?:[ ,;:-]+[A-Za-z][A-Za-z']*)+[.!?]?$/;

/** A URL component with its percent escapes decoded; itself when they are not valid UTF-8. */
function percentDecoded(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `Bearer <token>` / `Basic <base64 of user:password>` as a whole literal (or after `Authorization: `). */
function authorizationOk(m: RegExpExecArray, value: string): boolean {
  if (m.index > 0 && !/^Authorization:\s*$/i.test(value.slice(0, m.index))) return false;
  const credential = m[2]!;
  if ((m[1]!.charCodeAt(1) | 32) === 97) {
    // Basic
    const decoded = decodeBase64(credential);
    if (decoded === null) return false;
    const colon = decoded.indexOf(':');
    if (colon <= 0 || colon >= decoded.length - 1) return false;
    const password = decoded.slice(colon + 1);
    return !standInPassword(password, password, decoded.slice(0, colon));
  }
  return looksRandom(credential) && !isReadableBase64(credential);
}

// Boundaries: a credential is not part of a longer word.
const B = '(?<![A-Za-z0-9_])';
const E = '(?![A-Za-z0-9_])';
const E_URLSAFE = '(?![A-Za-z0-9_-])';

function re(source: string): RegExp {
  return new RegExp(source, 'y');
}

const TABLE: readonly FormatRuleSpec[] = [
  {
    id: 'pem-private-key',
    kind: 'PEM private key',
    docs: 'RFC 7468 (textual encodings of PKCS #8, RSA, EC, OpenSSH, PGP private keys)',
    prefixes: ['-----BEGIN '],
    pattern: re('-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----'),
    check: pemBody,
  },
  {
    id: 'secrets-vault-user-key',
    kind: 'Secrets Vault user API key',
    docs: 'protocol/api.ts (USER_TOKEN_PREFIX): prefix + 43 base64url characters',
    prefixes: [USER_TOKEN_PREFIX],
    pattern: re(`${B}${USER_TOKEN_PREFIX}([A-Za-z0-9_-]{43})${E_URLSAFE}`),
  },
  {
    id: 'secrets-vault-agent-token',
    kind: 'Secrets Vault agent token',
    docs: 'protocol/api.ts (AGENT_TOKEN_PREFIX): prefix + 43 base64url characters',
    prefixes: [AGENT_TOKEN_PREFIX],
    pattern: re(`${B}${AGENT_TOKEN_PREFIX}([A-Za-z0-9_-]{43})${E_URLSAFE}`),
  },
  {
    id: 'stripe-secret-key',
    kind: 'Stripe secret key',
    docs: 'https://docs.stripe.com/keys (sk_live_ / sk_test_, then 24 to 247 alphanumerics)',
    prefixes: ['sk_live_', 'sk_test_'],
    pattern: re(`${B}sk_(?:live|test)_([0-9A-Za-z]{24,247})${E}`),
  },
  {
    id: 'stripe-restricted-key',
    kind: 'Stripe restricted key',
    docs: 'https://docs.stripe.com/keys#limit-access (rk_live_ / rk_test_)',
    prefixes: ['rk_live_', 'rk_test_'],
    pattern: re(`${B}rk_(?:live|test)_([0-9A-Za-z]{24,247})${E}`),
  },
  {
    id: 'stripe-webhook-secret',
    // Stripe's format, and Standard Webhooks' (Svix, OpenAI and others: whsec_ + the base64 of the
    // key): the prefix says a webhook signing secret, not whose, so the kind names no provider.
    kind: 'webhook signing secret',
    docs: 'https://docs.stripe.com/webhooks#verify-events and https://www.standardwebhooks.com/ (whsec_ + 32 or more base62, or base64, characters)',
    prefixes: ['whsec_'],
    pattern: re(`${B}whsec_([0-9A-Za-z+/]{32,88}={0,2})(?![A-Za-z0-9+/=_])`),
  },
  {
    id: 'aws-access-key-id',
    kind: 'AWS access key ID',
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids (AKIA long-term, ASIA temporary; then 16 of A-Z2-7)',
    prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: re(`(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)([A-Z2-7]{16})(?![A-Za-z0-9])`),
  },
  {
    id: 'github-pat',
    kind: 'GitHub personal access token',
    docs: 'https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ (ghp_ + 30 base62 + CRC-32 in 6 base62)',
    prefixes: ['ghp_'],
    pattern: re(`${B}ghp_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'github-oauth-token',
    kind: 'GitHub OAuth access token',
    docs: 'https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ (gho_)',
    prefixes: ['gho_'],
    pattern: re(`${B}gho_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'github-app-token',
    kind: 'GitHub App token',
    docs: 'https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ (ghu_ user-to-server, ghs_ server-to-server)',
    prefixes: ['ghu_', 'ghs_'],
    pattern: re(`${B}gh[us]_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'github-refresh-token',
    kind: 'GitHub refresh token',
    docs: 'https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ (ghr_)',
    prefixes: ['ghr_'],
    pattern: re(`${B}ghr_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'github-fine-grained-pat',
    kind: 'GitHub fine-grained personal access token',
    docs: 'https://github.blog/security/application-security/introducing-fine-grained-personal-access-tokens-for-github/ (github_pat_ + 22 + _ + 59)',
    prefixes: ['github_pat_'],
    pattern: re(`${B}github_pat_([A-Za-z0-9]{22}_[A-Za-z0-9]{59})${E}`),
  },
  {
    id: 'gitlab-pat',
    kind: 'GitLab personal access token',
    docs: 'https://docs.gitlab.com/security/tokens/#token-prefixes (glpat- + 20 or more; routable tokens add .01.<suffix>)',
    prefixes: ['glpat-'],
    pattern: re(`${B}glpat-([A-Za-z0-9_-]{20,})(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,12})?${E_URLSAFE}`),
  },
  {
    id: 'gitlab-token',
    kind: 'GitLab token',
    docs: 'https://docs.gitlab.com/security/tokens/#token-prefixes (deploy, runner, pipeline trigger, CI job, feed, OAuth, SCIM, incoming mail, agent)',
    prefixes: ['gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glft-', 'gloas-', 'glsoat-', 'glimt-', 'glagent-'],
    pattern: re(`${B}gl(?:dt|rt|ptt|cbt|ft|oas|soat|imt|agent)-([A-Za-z0-9_-]{20,})${E_URLSAFE}`),
  },
  {
    id: 'slack-webhook',
    kind: 'Slack webhook URL',
    docs: 'https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks (hooks.slack.com/services/T…/B…/secret)',
    prefixes: ['https://hooks.slack.com/'],
    pattern: re('https://hooks\\.slack\\.com/(?:services|workflows|triggers)/(T[A-Z0-9]{6,12}/[AB][A-Z0-9]{6,12}/[A-Za-z0-9]{20,40})(?![A-Za-z0-9])'),
  },
  {
    id: 'slack-token',
    kind: 'Slack token',
    docs: 'https://docs.slack.dev/authentication/tokens (xoxb- bot, xoxp- user, xoxa-/xoxr- refresh, xoxe- config, xapp- app-level); https://docs.slack.dev/authentication/using-token-rotation (expiring access tokens: xoxe.xoxb-, xoxe.xoxp-)',
    prefixes: ['xoxa-', 'xoxb-', 'xoxe-', 'xoxe.', 'xoxo-', 'xoxp-', 'xoxr-', 'xoxs-', 'xapp-'],
    pattern: re(`${B}(?:xox[abeoprs]-(?:[0-9]{1,16}-){1,3}([A-Za-z0-9]{16,64})|xapp-[0-9]-[A-Z0-9]{8,16}-[0-9]{8,16}-([A-Za-z0-9]{32,64})|xoxe\\.xox[bp]-[0-9]-([A-Za-z0-9]{40,400}))${E_URLSAFE}`),
  },
  {
    id: 'anthropic-api-key',
    kind: 'Anthropic API key',
    docs: 'https://docs.anthropic.com/en/api/overview (sk-ant-api03- / sk-ant-admin01-, base64url)',
    prefixes: ['sk-ant-'],
    pattern: re(`${B}sk-ant-(?:api|admin)[0-9]{2}-([A-Za-z0-9_-]{32,})${E_URLSAFE}`),
  },
  {
    id: 'openai-api-key',
    kind: 'OpenAI API key',
    docs: 'https://platform.openai.com/docs/api-reference/authentication (sk-, sk-proj-, sk-svcacct-, sk-admin-; T3BlbkFJ is base64 of "OpenAI")',
    prefixes: ['sk-'],
    pattern: re(`${B}sk-(?:(?:(?:proj|svcacct|admin)-)?([A-Za-z0-9_-]{16,}?T3BlbkFJ[A-Za-z0-9_-]{16,})|(?:proj|svcacct|admin)-([A-Za-z0-9_-]{40,}))${E_URLSAFE}`),
  },
  {
    id: 'google-api-key',
    kind: 'Google API key',
    docs: 'https://cloud.google.com/docs/authentication/api-keys (AIza + 35 of A-Za-z0-9_-)',
    prefixes: ['AIza'],
    pattern: re(`${B}AIza([0-9A-Za-z_-]{35})${E_URLSAFE}`),
  },
  {
    id: 'google-oauth-client-secret',
    kind: 'Google OAuth client secret',
    docs: 'Google Cloud OAuth clients: secrets issued since 2021 are GOCSPX- + 28 of A-Za-z0-9_-',
    prefixes: ['GOCSPX-'],
    pattern: re(`${B}GOCSPX-([A-Za-z0-9_-]{28})${E_URLSAFE}`),
  },
  {
    id: 'twilio-account-sid',
    kind: 'Twilio account SID',
    docs: 'https://www.twilio.com/docs/glossary/what-is-a-sid (AC + 32 lowercase hex)',
    prefixes: ['AC'],
    pattern: re('(?<![A-Za-z0-9])AC([0-9a-f]{32})(?![A-Za-z0-9])'),
  },
  {
    id: 'twilio-api-key',
    kind: 'Twilio API key',
    docs: 'https://www.twilio.com/docs/iam/api-keys (SK + 32 lowercase hex)',
    prefixes: ['SK'],
    pattern: re('(?<![A-Za-z0-9])SK([0-9a-f]{32})(?![A-Za-z0-9])'),
  },
  {
    id: 'sendgrid-api-key',
    kind: 'SendGrid API key',
    docs: 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys (SG. + 22 + . + 43)',
    prefixes: ['SG.'],
    pattern: re(`${B}SG\\.([A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})${E_URLSAFE}`),
  },
  {
    id: 'npm-token',
    kind: 'npm access token',
    docs: 'https://github.blog/2021-09-23-announcing-npms-new-access-token-format/ (npm_ + 30 base62 + CRC-32 in 6 base62)',
    prefixes: ['npm_'],
    pattern: re(`${B}npm_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'huggingface-token',
    kind: 'Hugging Face access token',
    docs: 'https://huggingface.co/docs/hub/security-tokens (hf_ + 34 letters)',
    prefixes: ['hf_'],
    pattern: re(`${B}hf_([A-Za-z]{34})${E}`),
  },
  // Model providers an agent calls. Their documentation gives the prefix; the lengths are those of
  // issued keys, as the open scanners (gitleaks, Kingfisher, Nosey Parker) also take them.
  {
    id: 'groq-api-key',
    kind: 'Groq API key',
    docs: 'https://console.groq.com/docs/quickstart (gsk_ + 52 alphanumerics)',
    prefixes: ['gsk_'],
    pattern: re(`${B}gsk_([A-Za-z0-9]{52})${E}`),
  },
  {
    id: 'replicate-api-token',
    kind: 'Replicate API token',
    docs: 'https://replicate.com/docs/topics/security/api-tokens (r8_ + 37 alphanumerics)',
    prefixes: ['r8_'],
    pattern: re(`${B}r8_([A-Za-z0-9]{37})${E}`),
  },
  {
    id: 'perplexity-api-key',
    kind: 'Perplexity API key',
    docs: 'https://docs.perplexity.ai/guides/getting-started (pplx- + 48 alphanumerics)',
    prefixes: ['pplx-'],
    pattern: re(`${B}pplx-([A-Za-z0-9]{48})${E_URLSAFE}`),
  },
  {
    id: 'xai-api-key',
    kind: 'xAI API key',
    docs: 'https://docs.x.ai/docs/overview (xai- + 70 to 85 alphanumerics, 80 in keys issued today)',
    prefixes: ['xai-'],
    pattern: re(`${B}xai-([A-Za-z0-9]{70,85})${E_URLSAFE}`),
  },
  // The rest of secretlint's recommended preset: services an agent's functions call.
  {
    id: 'shopify-token',
    kind: 'Shopify access token or shared secret',
    docs: 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens (shpat_, shpca_, shppa_ access tokens and shpss_ shared secrets + 32 hex; up to 64 alphanumerics taken)',
    prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: re(`${B}shp(?:at|ca|pa|ss)_([A-Za-z0-9]{32,64})${E}`),
  },
  {
    id: 'linear-api-key',
    kind: 'Linear API key',
    docs: 'https://linear.app/developers/graphql#personal-api-keys (lin_api_ + 40 alphanumerics; 32 to 128 taken)',
    prefixes: ['lin_api_'],
    pattern: re(`${B}lin_api_([A-Za-z0-9]{32,128})${E}`),
  },
  {
    id: '1password-service-account-token',
    kind: '1Password service account token',
    docs: 'https://developer.1password.com/docs/service-accounts/ (ops_ + base64 of a JSON object with the account\'s secret key and SRP verifier)',
    prefixes: ['ops_eyJ'],
    pattern: re(`${B}ops_(eyJ[A-Za-z0-9+/_-]{60,8192}={0,2})(?![A-Za-z0-9+/=_-])`),
    check: onePasswordAccount,
  },
  {
    id: 'django-secret-key',
    kind: 'Django secret key',
    docs: 'django.core.management.utils.get_random_secret_key: django-insecure- + 50 of a-z0-9!@#$%^&*(-_=+)',
    prefixes: ['django-insecure-'],
    pattern: re('(?<![A-Za-z0-9_-])django-insecure-([a-z0-9!@#$%^&*(\\-_=+)]{50})(?![a-z0-9!@#$%^&*(\\-_=+)])'),
  },
  {
    id: 'jwt',
    kind: 'JSON Web Token',
    docs: 'RFC 7519: base64url(header).base64url(payload).signature, the header a JSON object with "alg"',
    prefixes: ['eyJ'],
    pattern: re(`${B}(eyJ[A-Za-z0-9_-]{8,})\\.(eyJ[A-Za-z0-9_-]{8,})\\.([A-Za-z0-9_-]*)${E_URLSAFE}`),
    verify: jwtOk,
  },
  {
    id: 'url-password',
    kind: 'URL with a password',
    docs: 'RFC 3986 section 3.2.1 (userinfo: user:password@host, deprecated)',
    prefixes: ['://'],
    search: true,
    generic: true,
    pattern: new RegExp('(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{1,20})://([^\\s:/?#@\'"`]*):([^\\s/?#@\'"`]+)@(?=[A-Za-z0-9\\[])', 'g'),
    verify: urlPasswordOk,
  },
  {
    id: 'authorization-header',
    kind: 'Authorization header credential',
    docs: 'RFC 9110 section 11.6.2 / RFC 6750 (Bearer) / RFC 7617 (Basic)',
    prefixes: ['Bearer ', 'bearer ', 'Basic ', 'basic '],
    generic: true,
    pattern: re('([Bb]earer|[Bb]asic) +([A-Za-z0-9._~+/-]{16,}=*)\\s*$'),
    verify: authorizationOk,
  },
];

/**
 * Every credential format. A literal's credentials are found in text order; the table's order
 * decides only between generic rules, and its prefixes by length (`sk-ant-` before `sk-`).
 */
export const FORMAT_RULES: readonly FormatRule[] = TABLE.map(complete);

export interface Prefix {
  text: string;
  /** Index in FORMAT_RULES. */
  rule: number;
  /** Looked for at any position, not only at the start of a word. */
  anywhere: boolean;
}

/**
 * Prefixes by their first two characters (both ASCII), at `(first << 7) | second`, longest first
 * (`sk-ant-` before `sk-`); null where none starts so. One read says whether anything can start at
 * a position, and names the one or two prefixes to compare there.
 */
export const PREFIXES_BY_PAIR: readonly (readonly Prefix[] | null)[] = (() => {
  const table: (Prefix[] | null)[] = new Array<Prefix[] | null>(128 * 128).fill(null);
  FORMAT_RULES.forEach((rule, index) => {
    for (const text of rule.prefixes) {
      const anywhere = !/[A-Za-z0-9]/.test(text[0]!);
      (table[(text.charCodeAt(0) << 7) | text.charCodeAt(1)] ??= []).push({ text, rule: index, anywhere });
    }
  });
  for (const list of table) list?.sort((a, b) => b.text.length - a.text.length);
  return table;
})();

/** 1 for the characters some prefix starts with. */
export const PREFIX_FIRST: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (const rule of FORMAT_RULES) for (const text of rule.prefixes) t[text.charCodeAt(0)] = 1;
  return t;
})();

// ---- Context: a random-looking value under a secret-like name ----

/**
 * What a value is by the name it is assigned to or passed as (see `classify`): the rule it is
 * reported under and the kind its message names.
 */
export interface ContextKind {
  id: string;
  kind: string;
  /** Passwords have a lower bar (8 characters, three classes) than keys and tokens (16, random). */
  password: boolean;
}

export const CONTEXT_RULE_ID = 'context-secret';
export const AWS_SECRET_RULE_ID = 'aws-secret-access-key';

export const AUTHORIZATION: ContextKind = { id: 'authorization-header', kind: 'Authorization header credential', password: false };
export const PASSWORD: ContextKind = { id: CONTEXT_RULE_ID, kind: 'password', password: true };
export const PRIVATE_KEY: ContextKind = { id: CONTEXT_RULE_ID, kind: 'private key', password: false };
export const SECRET: ContextKind = { id: CONTEXT_RULE_ID, kind: 'secret', password: false };
export const TOKEN: ContextKind = { id: CONTEXT_RULE_ID, kind: 'token', password: false };
export const API_KEY: ContextKind = { id: CONTEXT_RULE_ID, kind: 'API key', password: false };
export const CREDENTIAL: ContextKind = { id: CONTEXT_RULE_ID, kind: 'credential', password: false };

/** AWS secret access keys have no prefix: 40 base64 characters under a name saying what they are. */
export const AWS_SECRET: ContextKind = { id: AWS_SECRET_RULE_ID, kind: 'AWS secret access key', password: false };
export const AWS_SECRET_VALUE = /^[A-Za-z0-9/+]{40}$/;

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode', 'pw']);
const TOKEN_WORDS = new Set(['token', 'bearer', 'accesstoken', 'authtoken', 'apitoken', 'refreshtoken', 'idtoken', 'pat']);
const SECRET_WORDS = new Set(['secret', 'clientsecret', 'secretkey', 'appsecret']);
const CREDENTIAL_WORDS = new Set(['credential', 'credentials', 'cred', 'creds', 'auth']);
/** In one-word names ending in `key` (`apikey`, `secretKey` is two words): what comes before it (not `monkey`). */
const KEY_QUALIFIERS = new Set(['', 'api', 'access', 'secret', 'private', 'signing', 'sign', 'encryption', 'master', 'license', 'licence', 'app', 'client', 'auth', 'service', 'account', 'admin', 'root', 'session', 'hmac', 'jwt', 'webhook', 'crypt', 'crypto', 'cipher', 'subscription', 'developer', 'dev', 'consumer', 'write', 'read', 'ingest', 'server', 'x']);

/**
 * Words that make a name something other than a secret wherever they appear: the public half of a
 * key pair, pagination, cache, sort and lookup keys, digests of secrets, counters, stand-ins.
 * Any other `*_key`, `*Key` is secret-like (`stripe_key`, `mapsKey`): the value decides.
 */
const NEUTRALISING_WORDS = new Set([
  'public',
  'publishable',
  'pub',
  'csrf',
  'xsrf',
  'page',
  'pagination',
  'continuation',
  'cursor',
  'cache',
  'cached',
  // Ciphertext: a JWE's `encrypted_key`, a key wrapped under another key.
  'encrypted',
  'wrapped',
  'sort',
  'partition',
  'foreign',
  'idempotency',
  'dedup',
  'dedupe',
  'hash',
  'hashed',
  'digest',
  'checksum',
  'fingerprint',
  'sha',
  'sha1',
  'sha256',
  'sha512',
  'md5',
  'max',
  'min',
  'num',
  'tokenizer',
  'i18n',
  'translation',
  'shortcut',
  'hotkey',
  'keyboard',
  'lookup',
  'dict',
  'map',
  'row',
  'redis',
  'group',
  'shard',
  'routing',
  'message',
  'event',
  'record',
  'composite',
  'natural',
  'unique',
  'surrogate',
  'join',
  'range',
  'order',
  'state',
  'context',
  'registry',
  'column',
  'attribute',
  'attr',
  'json',
  'yaml',
  'query',
  'form',
  'sample',
  'example',
  'placeholder',
  'mock',
  'fake',
  'dummy',
]);

/** Last words that make a name about a secret rather than the secret itself: its id, name, URL, file, field. */
const NON_SECRET_LAST = new Set([
  'id',
  'ids',
  'name',
  'names',
  'url',
  'uri',
  'urls',
  'endpoint',
  'path',
  'paths',
  'file',
  'filename',
  'dir',
  'directory',
  'type',
  'types',
  'kind',
  'prefix',
  'suffix',
  'field',
  'fields',
  'env',
  'var',
  'variable',
  'label',
  'hint',
  'prompt',
  'placeholder',
  'format',
  'pattern',
  'regex',
  'regexp',
  're',
  'rx',
  'template',
  'version',
  'algorithm',
  'alg',
  'scheme',
  'mode',
  'method',
  'policy',
  'location',
  'host',
  'port',
  'description',
  'desc',
  'help',
  'message',
  'msg',
  'error',
  'err',
  'text',
  'title',
  'column',
  'param',
  'params',
  'arg',
  'header',
  'headers',
  'length',
  'len',
  'size',
  'count',
  'ttl',
  'timeout',
  'expiry',
  'expires',
  'expiration',
  'at',
  'rotation',
  'provider',
  'store',
  'manager',
  'arn',
  'region',
  'index',
  'chars',
  'charset',
  'alphabet',
  'link',
  'docs',
  'enabled',
  'required',
  'valid',
  'status',
  'state',
  'source',
  'ref',
  'reference',
  'usage',
  'scope',
  'scopes',
  'audience',
  'issuer',
  'option',
  'options',
  'config',
  'setting',
  'settings',
  'namespace',
  'ns',
]);

/**
 * First words that make a name a yes-or-no question about a credential (`has_encrypt_password`,
 * `isApiKey`, `use_token`): its value is a flag or a description of one, not the credential.
 */
const PREDICATE_FIRST = new Set(['is', 'has', 'have', 'should', 'can', 'needs', 'need', 'supports', 'allow', 'allows', 'enable', 'enables', 'disable', 'require', 'requires', 'use', 'uses']);

/**
 * Words before a last `key` that make it the key of a record or a lookup, not a credential: the
 * key a task or a job is cached or deduplicated under (`task_key`, `dynamic_key`), a tag's or a
 * label's key, a trace context's (`LABELS_TRACEPARENT_KEY`), a lock's name.
 */
const IDENTIFYING_KEY_QUALIFIERS = new Set(['task', 'job', 'dynamic', 'tag', 'label', 'labels', 'trace', 'traceparent', 'span', 'lock', 'item', 'step', 'flow', 'object']);

/** Trailing words that say nothing about what a value is (`api_key_value`, `token_prod`, `secret_v2`). */
const TRAILING_NEUTRAL = new Set(['value', 'val', 'str', 'string', 'raw', 'b64', 'base64', 'hex', 'bytes', 'default', 'fallback', 'prod', 'production', 'live', 'dev', 'staging', 'old', 'new', 'current', 'v', 'main', 'primary']);

/** Splits a name into lowercase words: `OPENAI_API_KEY`, `clientSecret`, `X-Api-Key`, `APIKey2`. */
export function nameWords(name: string): string[] {
  const out: string[] = [];
  const parts = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  for (const part of parts) {
    if (part === '') continue;
    const word = /^\d+$/.test(part) ? part : part.replace(/\d+$/, '');
    out.push(word);
  }
  return out;
}

/**
 * The kind of credential a name holds, from its words (`OPENAI_API_KEY` → openai, api, key;
 * `clientSecret` → client, secret), first match wins: an Authorization header; AWS's secret access
 * key; a password; a private key; a secret; a token; any `*_key`/`*Key` (an API key); a
 * credential. Null when a word neutralises the name (`public_key`, `page_token`, `password_hash`)
 * or its last word says it is about a secret, not one (`secret_name`, `token_url`, `api_key_id`).
 */
function classify(name: string): ContextKind | null {
  const words = nameWords(name);
  if (words.length === 0) return null;
  if (words.length === 1 && words[0] === 'authorization') return AUTHORIZATION;
  for (const w of words) if (NEUTRALISING_WORDS.has(w)) return null;
  if (words.length > 1 && PREDICATE_FIRST.has(words[0]!)) return null;
  let end = words.length;
  while (end > 1 && TRAILING_NEUTRAL.has(words[end - 1]!)) end--;
  const last = words[end - 1]!;
  if (NON_SECRET_LAST.has(last)) return null;
  if ((last === 'key' || last === 'keys') && end > 1 && IDENTIFYING_KEY_QUALIFIERS.has(words[end - 2]!)) return null;
  const has = (set: ReadonlySet<string>) => words.slice(0, end).some((w) => set.has(w));
  if (words.includes('aws') && words.includes('secret')) return AWS_SECRET;
  if (words.includes('secret') && words.includes('access') && last === 'key') return AWS_SECRET;
  if (words.includes('authorization')) return AUTHORIZATION;
  if (has(PASSWORD_WORDS)) return PASSWORD;
  if ((last === 'key' || last === 'privatekey') && words.includes('private')) return PRIVATE_KEY;
  if (last === 'privatekey') return PRIVATE_KEY;
  if (has(SECRET_WORDS) || words.includes('secrets')) return SECRET;
  if (has(TOKEN_WORDS) || words.includes('tokens')) return TOKEN;
  if (last === 'key' || last === 'keys') return API_KEY;
  if (last.endsWith('key') && KEY_QUALIFIERS.has(last.slice(0, -3))) return API_KEY;
  if (has(CREDENTIAL_WORDS)) return CREDENTIAL;
  return null;
}

const SECRETISH = /key|token|secret|pass|pwd|pw|cred|auth|bearer|pat/i;
const classified = new Map<string, ContextKind | null>();

/** What credential a value under `name` would be, or null for a name that does not hold one. */
export function classifyName(name: string): ContextKind | null {
  if (!SECRETISH.test(name)) return null;
  let kind = classified.get(name);
  if (kind === undefined) {
    if (classified.size > 4096) classified.clear();
    kind = classify(name);
    classified.set(name, kind);
  }
  return kind;
}
