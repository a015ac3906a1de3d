// Which keys of a key/value secret hold a credential. Key/value secrets group configuration with
// credentials (`BASE_URL` beside `API_KEY`, a host beside a password); a value that reaches a log is
// a leak only when it is a credential. An admin marks a key (SecretMetadata.keySensitivity); a key
// without a mark takes the default its name implies, so that `BASE_URL`, `EMAIL_ADDRESS` or
// `ACCOUNT_ID` are configuration and everything else stays sensitive. Shared by the vault (which
// validates marks), the forms (which show the default), the language service (secret-in-log, hover)
// and the sidebar.

/** An admin's mark on one key. */
export type KeySensitivity = 'sensitive' | 'not-sensitive';

export const KEY_SENSITIVITIES: readonly KeySensitivity[] = ['sensitive', 'not-sensitive'];

/** Words that make a key a credential whatever else it says (`CLIENT_SECRET`, `PRIVATE_KEY_ID`). */
const CREDENTIAL_WORDS = new Set([
  'secret', 'secrets', 'token', 'tokens', 'password', 'passwd', 'pwd', 'pass', 'passphrase', 'key', 'keys', 'apikey',
  'credential', 'credentials', 'creds', 'private', 'auth', 'authorization', 'bearer', 'signature', 'signing', 'sig',
  'cert', 'certificate', 'pem', 'pin', 'otp', 'totp', 'salt', 'hmac', 'dsn', 'cookie', 'session', 'jwt', 'hash',
  'webhook', 'encryption', 'cipher', 'seed', 'mnemonic', 'connection', 'conn', 'connstr',
]);

/** Services whose URL usually carries a password (`DATABASE_URL=postgres://user:pass@host`). */
const CONNECTION_WORDS = new Set([
  'database', 'db', 'postgres', 'postgresql', 'pg', 'mysql', 'mariadb', 'mongo', 'mongodb', 'redis', 'amqp',
  'rabbitmq', 'rabbit', 'kafka', 'broker', 'smtp', 'ftp', 'sftp', 'ldap', 'sql', 'mssql', 'elasticsearch',
  'elastic', 'memcached', 'nats', 'jdbc', 'odbc',
]);

/** Words that say a key holds an address or an identifier, not a credential. */
const CONFIGURATION_WORDS = new Set([
  'url', 'uri', 'urls', 'endpoint', 'endpoints', 'host', 'hostname', 'hosts', 'domain', 'server', 'port', 'base',
  'path', 'region', 'zone', 'location', 'email', 'mail', 'address', 'addr', 'phone', 'number', 'id', 'ids',
  'account', 'user', 'username', 'login', 'tenant', 'org', 'organisation', 'organization', 'workspace', 'project',
  'bucket', 'environment', 'env', 'version', 'locale', 'language', 'timezone', 'tz', 'name', 'sender', 'from',
  'scope', 'scopes', 'audience', 'issuer', 'realm', 'channel', 'queue', 'topic', 'table', 'index', 'dataset',
  'model', 'deployment', 'instance', 'site', 'sid', 'uuid', 'guid', 'app', 'application', 'client', 'api', 'service',
  'callback', 'redirect', 'public',
]);

/** The words of a key: `BASE_URL`, `baseUrl`, `base-url` and `Base URL` are all [base, url]. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * The sensitivity a key has without a mark: not sensitive when its name says it is an address or an
 * identifier (every word is one of those, or a number) and nothing in it names a credential or a
 * service whose URL carries a password; sensitive otherwise (an unknown name is a credential).
 */
export function defaultKeySensitivity(key: string): KeySensitivity {
  const words = keyWords(key);
  if (words.length === 0) return 'sensitive';
  let configuration = false;
  for (const w of words) {
    if (CREDENTIAL_WORDS.has(w) || CONNECTION_WORDS.has(w)) return 'sensitive';
    if (CONFIGURATION_WORDS.has(w)) configuration = true;
    else if (!/^\d+$/.test(w)) return 'sensitive';
  }
  return configuration ? 'not-sensitive' : 'sensitive';
}

/** A key's sensitivity: its mark when it has one, else the default its name implies. */
export function keySensitivity(key: string, marks?: Readonly<Record<string, KeySensitivity>> | null): KeySensitivity {
  const mark = marks && Object.prototype.hasOwnProperty.call(marks, key) ? marks[key] : undefined;
  return mark ?? defaultKeySensitivity(key);
}

export function isKeySensitive(key: string, marks?: Readonly<Record<string, KeySensitivity>> | null): boolean {
  return keySensitivity(key, marks) === 'sensitive';
}

/** The keys of a key/value secret that hold a credential (a single value is always one). */
export function sensitiveKeys(keys: readonly string[], marks?: Readonly<Record<string, KeySensitivity>> | null): string[] {
  return keys.filter((k) => isKeySensitive(k, marks));
}

/** Whether a key/value secret's whole value exposes a credential: when any of its keys is sensitive. */
export function anyKeySensitive(keys: readonly string[], marks?: Readonly<Record<string, KeySensitivity>> | null): boolean {
  return keys.length === 0 || keys.some((k) => isKeySensitive(k, marks));
}

/** Whether two sets of marks are the same (absent and empty are: no mark). */
export function sameKeyMarks(a?: Readonly<Record<string, KeySensitivity>> | null, b?: Readonly<Record<string, KeySensitivity>> | null): boolean {
  const x = Object.entries(a ?? {});
  return x.length === Object.keys(b ?? {}).length && x.every(([k, m]) => b != null && Object.prototype.hasOwnProperty.call(b, k) && b[k] === m);
}
