// Context: a random-looking value under a secret-like name. A literal without any known format
// is judged by the name it is assigned to or passed as: the name's words say what credential it
// would be (a password, a token, an API key…) or that it holds none (`public_key`, `token_url`).

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
