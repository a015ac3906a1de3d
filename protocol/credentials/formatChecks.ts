// The checks a credential format's match must pass beyond its pattern (see formats.ts): no
// documented example, no stand-in after the prefix, a checksum that adds up, key material in a
// PEM block, a JWT that is signed, unexpired and not published, a URL's or a Basic credential's
// password that is no stand-in, an Authorization value that is random. Also whether base64 holds
// readable text rather than a key's bytes.

import { base62ChecksumOk, base64Includes, decodeBase64, decodeBase64Text } from './encoding';
import { providedHmac } from './hmac';
import { looksRandom } from './shape';
import { isPlaceholder, isPlaceholderBody, spellsStandIn } from './standIns';

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
export function checksummed(value: string, start: number, end: number, prefix: number): boolean {
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

export function pemBody(value: string, _start: number, end: number): boolean {
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
export function onePasswordAccount(value: string, start: number, end: number, prefix: number): boolean {
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
export function jwtOk(m: RegExpExecArray): boolean {
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
export function urlPasswordOk(m: RegExpExecArray): boolean {
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
export function authorizationOk(m: RegExpExecArray, value: string): boolean {
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
