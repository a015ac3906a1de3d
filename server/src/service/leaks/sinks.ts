// THE table of sinks (where a secret's value must not go: the output, a log, an exception's
// message, what a function returns to be shown) and of sanitisers (what makes a value safe to
// show: its length, a hash, a comparison, a mask). The analysis asks only the functions at the
// bottom of this file; adding a sink or a sanitiser is adding a row here.
//
// Messages name a call sink as written (`logger.warning`, `self.log.info`, `console.error`); a
// statement sink as `raise ValueError`, `throw new Error`, `assert`; a display function's
// return as `return from show_token`.

export type Languages = 'python' | 'javascript' | 'both';

/** How a sink is recognised. */
export type SinkMatch =
  /** A call of one of these callees, as written (`print`, `sys.stdout.write`). */
  | { kind: 'call'; callees: readonly string[] }
  /**
   * A method of one of these receivers (`logging.info`, `console.*`, `conv.log.*`). A receiver
   * written `*.x` also matches `x` at the end of a longer path (`self.conv.log`).
   */
  | { kind: 'method'; receivers: readonly string[]; methods: readonly string[] | 'any' }
  /**
   * A logging method of a logger: a receiver whose last name says so (LOGGER_NAMES), a name
   * assigned a logger factory's result in the document, or the factory's result itself
   * (`logging.getLogger(__name__).info(…)`).
   */
  | { kind: 'logger'; methods: readonly string[] }
  /** The message of an exception raised or thrown there, or of a failed assert. */
  | { kind: 'statement'; keyword: 'raise' | 'assert' | 'throw' }
  /** What a function whose name says it is shown returns (see DISPLAY_FUNCTIONS). */
  | { kind: 'return' };

export interface SinkEntry {
  id: string;
  /** What it is, for people: documentation and test names. */
  label: string;
  languages: Languages;
  match: SinkMatch;
}

const LOG_METHODS = ['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'trace'];

export const SINKS: readonly SinkEntry[] = [
  { id: 'print', label: 'print() and pprint()', languages: 'python', match: { kind: 'call', callees: ['print', 'pprint', 'pprint.pprint', 'pprint.pp'] } },
  {
    id: 'stdio',
    label: 'writes to the standard output or error',
    languages: 'python',
    match: { kind: 'call', callees: ['sys.stdout.write', 'sys.stderr.write', 'sys.stdout.writelines', 'sys.stderr.writelines'] },
  },
  { id: 'warnings', label: 'warnings.warn()', languages: 'python', match: { kind: 'call', callees: ['warnings.warn'] } },
  { id: 'logging', label: 'the logging module', languages: 'python', match: { kind: 'method', receivers: ['logging'], methods: LOG_METHODS } },
  { id: 'logger', label: 'a logger', languages: 'both', match: { kind: 'logger', methods: LOG_METHODS } },
  { id: 'conv-log', label: 'the agent log (conv.log)', languages: 'both', match: { kind: 'method', receivers: ['conv.log', '*.conv.log'], methods: 'any' } },
  // The platform's own logger in agent functions (`import plog`; no local package), with `error=e` fields.
  { id: 'plog', label: 'the platform logger (plog)', languages: 'python', match: { kind: 'method', receivers: ['plog'], methods: LOG_METHODS } },
  { id: 'console', label: 'console (JavaScript; rich.Console in Python)', languages: 'both', match: { kind: 'method', receivers: ['console'], methods: 'any' } },
  { id: 'process-stdio', label: 'process.stdout / process.stderr', languages: 'javascript', match: { kind: 'call', callees: ['process.stdout.write', 'process.stderr.write'] } },
  { id: 'raise', label: "an exception's message (raise)", languages: 'python', match: { kind: 'statement', keyword: 'raise' } },
  { id: 'assert', label: "an assert's message", languages: 'python', match: { kind: 'statement', keyword: 'assert' } },
  { id: 'throw', label: "an exception's message (throw)", languages: 'javascript', match: { kind: 'statement', keyword: 'throw' } },
  { id: 'display-return', label: 'the return value of a function that shows it', languages: 'both', match: { kind: 'return' } },
];

/**
 * Names of functions whose return value is shown: the first word one of `prefixes`
 * (`show_token`, `displayStatus`, `render`), the last of two or more words one of `suffixes`
 * (`error_message`, `format_login_message`, `buildSummary`), or one of `names`. Words are split
 * at underscores and lower-to-upper case changes.
 */
export const DISPLAY_FUNCTIONS = {
  prefixes: ['show', 'display', 'render', 'print', 'describe'],
  suffixes: ['message', 'summary'],
  names: ['__str__', '__repr__', '__format__', 'toString'],
} as const;

/** ASCII letters, in either case, that one of `words` starts (`at` 0) or ends (`at` -1) with. */
function letterTable(words: readonly string[], at: 0 | -1): Uint8Array {
  const table = new Uint8Array(128);
  for (const w of words) {
    const c = w.charCodeAt(at === 0 ? 0 : w.length - 1) | 32;
    table[c] = 1;
    table[c - 32] = 1;
  }
  return table;
}

/** What a display function's name starts or ends with, for a quick no. */
const PREFIX_FIRST_LETTERS = letterTable(DISPLAY_FUNCTIONS.prefixes, 0);
export const SUFFIX_LAST_LETTERS = letterTable(DISPLAY_FUNCTIONS.suffixes, -1);
/** The first characters of DISPLAY_FUNCTIONS.names, as written (`_`, `t`): most names start with none, and are not compared with them. */
const NAME_FIRST_LETTERS = (() => {
  const table = new Uint8Array(128);
  for (const n of DISPLAY_FUNCTIONS.names) table[n.charCodeAt(0)] = 1;
  return table;
})();

/**
 * A receiver is a logger when its last name, without leading underscores and in lower case, is
 * one of `names` or ends with one of `suffixes` (`logger`, `self._log`, `LOGGER`, `audit_logger`,
 * `appLogger`), or when the document assigns it the result of one of `factories`.
 */
export const LOGGER_NAMES = {
  names: ['log', 'logger'],
  suffixes: ['logger', '_log'],
  factories: ['logging.getLogger', 'getLogger', 'structlog.get_logger', 'get_logger', 'winston.createLogger', 'bunyan.createLogger', 'createLogger', 'pino'],
} as const;

/**
 * HTTP requests whose response records the URL it was sent to: a secret in that URL (an API key as
 * a query parameter) is in the response's `url` too, and logging it leaks the key as logging the
 * URL does. `callees` as written; `methods` of a receiver whose last name ends with one of
 * `receivers` (`session.get(…)`, `self.client.post(…)`); the URL is the first positional argument
 * or the `url` keyword, with what `queryKeywords` add to its query.
 */
export const REQUESTS = {
  python: {
    callees: ['requests.get', 'requests.post', 'requests.put', 'requests.patch', 'requests.delete', 'requests.head', 'requests.options', 'httpx.get', 'httpx.post', 'httpx.put', 'httpx.patch', 'httpx.delete', 'httpx.head', 'urlopen', 'urllib.request.urlopen'],
    methods: ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'],
    receivers: ['session', 'client'],
    /** Keyword arguments that become the URL's query (`requests.get(url, params={"key": …})`). */
    queryKeywords: ['params'],
  },
  javascript: {
    callees: ['fetch', 'axios', 'axios.get', 'axios.post', 'axios.put', 'axios.patch', 'axios.delete', 'got', 'ky', 'ky.get', 'ky.post'],
    methods: [],
    receivers: [],
    queryKeywords: [],
  },
  /** What a response says about its request: its URL. */
  responseAttributes: ['url'],
} as const;

/** Whether a call sends an HTTP request whose response records its URL (see REQUESTS). */
export function isRequestCall(site: CallSite): boolean {
  const table = site.python ? REQUESTS.python : REQUESTS.javascript;
  if (site.path !== null && (table.callees as readonly string[]).includes(site.path)) return true;
  if (!site.method || site.name === null || site.receiver === null || !(table.methods as readonly string[]).includes(site.name)) return false;
  const last = site.receiver.slice(site.receiver.lastIndexOf('.') + 1).toLowerCase();
  return table.receivers.some((r) => last.endsWith(r));
}

/** Keyword arguments of a sink call that do not carry what is written (`print(x, file=sys.stderr)`). */
export const NOT_CONTENT_KEYWORDS: readonly string[] = ['file', 'flush', 'exc_info', 'stack_info', 'stacklevel'];

/** How a sanitiser is recognised. */
export type SanitiserMatch =
  /** A call of one of these callees, as written. */
  | { kind: 'call'; callees: readonly string[] }
  /** A call of a callee that starts with one of these (`hashlib.`, `crypto.createHash`). */
  | { kind: 'callee-prefix'; prefixes: readonly string[] }
  /** A function or method whose last name contains one of these, in any case (`mask_secret`, `redactToken`). */
  | { kind: 'name-contains'; words: readonly string[] }
  /** A method of any receiver: its result says something about the value, not the value. */
  | { kind: 'method'; methods: readonly string[] }
  /** A property read (`token.length`). */
  | { kind: 'property'; names: readonly string[] }
  /** A comparison: its result is a boolean. */
  | { kind: 'operator'; operators: readonly string[] }
  /** A prefix operator with a boolean or type-name result. */
  | { kind: 'prefix-operator'; operators: readonly string[] };

export interface SanitiserEntry {
  id: string;
  label: string;
  languages: Languages;
  match: SanitiserMatch;
}

const PREDICATE_METHODS = [
  'startswith', 'endswith', 'isdigit', 'isalpha', 'isalnum', 'isascii', 'isspace', 'islower', 'isupper', 'isnumeric',
  'isdecimal', 'isidentifier', 'istitle', 'isprintable', 'count', 'find', 'rfind', 'index', 'rindex', 'keys', '__len__', '__bool__', '__hash__',
];

export const SANITISERS: readonly SanitiserEntry[] = [
  {
    id: 'builtins',
    label: 'len(), bool(), hash(), isinstance() and other built-ins that say something about a value',
    languages: 'python',
    match: { kind: 'call', callees: ['len', 'bool', 'hash', 'isinstance', 'issubclass', 'callable', 'hasattr', 'id', 'type'] },
  },
  { id: 'hashlib', label: 'hashing (hashlib, hmac)', languages: 'python', match: { kind: 'callee-prefix', prefixes: ['hashlib.', 'hmac.'] } },
  {
    id: 'hash-functions',
    label: 'hash functions imported by name, constant-time comparison, checksums',
    languages: 'python',
    match: { kind: 'call', callees: ['sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'md5', 'blake2b', 'blake2s', 'compare_digest', 'secrets.compare_digest', 'zlib.crc32', 'binascii.crc32'] },
  },
  {
    id: 'js-builtins',
    label: 'Boolean(), Object.keys() and hashing (crypto.createHash(…)…digest())',
    languages: 'javascript',
    match: { kind: 'call', callees: ['Boolean', 'isNaN', 'Object.keys', 'createHash', 'createHmac', 'timingSafeEqual'] },
  },
  { id: 'js-crypto', label: 'node:crypto hashing', languages: 'javascript', match: { kind: 'callee-prefix', prefixes: ['crypto.createHash', 'crypto.createHmac', 'crypto.timingSafeEqual', 'crypto.subtle.digest'] } },
  {
    id: 'mask',
    label: 'mask, redact and fingerprint helpers (and hexdigest(), digest())',
    languages: 'both',
    match: { kind: 'name-contains', words: ['mask', 'redact', 'fingerprint', 'hash', 'digest', 'obfuscat', 'censor'] },
  },
  { id: 'predicates', label: 'string predicates and searches (startswith(), count(), keys())', languages: 'python', match: { kind: 'method', methods: PREDICATE_METHODS } },
  {
    id: 'js-predicates',
    label: 'string predicates and searches (startsWith(), includes(), indexOf())',
    languages: 'javascript',
    match: { kind: 'method', methods: ['startsWith', 'endsWith', 'includes', 'indexOf', 'lastIndexOf', 'search', 'test', 'localeCompare', 'has'] },
  },
  { id: 'length', label: '.length', languages: 'javascript', match: { kind: 'property', names: ['length'] } },
  { id: 'comparison', label: 'comparisons', languages: 'python', match: { kind: 'operator', operators: ['==', '!=', '<', '>', '<=', '>=', 'in', 'not in', 'is', 'is not'] } },
  { id: 'js-comparison', label: 'comparisons', languages: 'javascript', match: { kind: 'operator', operators: ['==', '!=', '===', '!==', '<', '>', '<=', '>=', 'in', 'instanceof'] } },
  { id: 'not', label: 'not', languages: 'python', match: { kind: 'prefix-operator', operators: ['not'] } },
  { id: 'js-not', label: '!, typeof, void, delete', languages: 'javascript', match: { kind: 'prefix-operator', operators: ['!', 'typeof', 'void', 'delete'] } },
];

// ---- what the analysis asks ----

/** A call as the analysis sees it. */
export interface CallSite {
  python: boolean;
  /** The callee's dotted path when it is names only: `print`, `logging.info`, `self.logger.warning`. */
  path: string | null;
  /** The callee's last name (the method for `x.name(…)`); null when the callee is not a name. */
  name: string | null;
  /** Whether it is `receiver.name(…)`. */
  method: boolean;
  /** The receiver's dotted path when it is names only. */
  receiver: string | null;
  /** The receiver is the result of a logger factory (`logging.getLogger(__name__).info(…)`). */
  receiverIsLogger: boolean;
  /** Names the document assigns a logger factory's result to. */
  loggers: ReadonlySet<string>;
}

function applies(languages: Languages, python: boolean): boolean {
  return languages === 'both' || (languages === 'python') === python;
}

function receiverMatches(receivers: readonly string[], receiver: string): boolean {
  for (const r of receivers) {
    if (r.startsWith('*.') ? receiver === r.slice(2) || receiver.endsWith(r.slice(1)) : receiver === r) return true;
  }
  return false;
}

export function isLoggerName(path: string, loggers: ReadonlySet<string>): boolean {
  if (loggers.has(path)) return true;
  const last = path.slice(path.lastIndexOf('.') + 1).replace(/^_+/, '').toLowerCase();
  return LOGGER_NAMES.names.includes(last as never) || LOGGER_NAMES.suffixes.some((s) => last.endsWith(s));
}

export function isLoggerFactory(path: string | null): boolean {
  return path !== null && (LOGGER_NAMES.factories as readonly string[]).includes(path);
}

/** The tables above, indexed per language for the questions below (built once). */
interface Index {
  sinkCalls: Map<string, SinkEntry>;
  sinkMethods: Array<{ receivers: readonly string[]; methods: ReadonlySet<string> | null; entry: SinkEntry }>;
  loggerMethods: ReadonlySet<string>;
  loggerEntry: SinkEntry | null;
  sanitiserCalls: ReadonlySet<string>;
  sanitiserPrefixes: readonly string[];
  sanitiserWords: readonly string[];
  sanitiserMethods: ReadonlySet<string>;
  sanitiserProperties: ReadonlySet<string>;
}

function index(python: boolean): Index {
  const out: Index = {
    sinkCalls: new Map(),
    sinkMethods: [],
    loggerMethods: new Set(),
    loggerEntry: null,
    sanitiserCalls: new Set(),
    sanitiserPrefixes: [],
    sanitiserWords: [],
    sanitiserMethods: new Set(),
    sanitiserProperties: new Set(),
  };
  for (const entry of SINKS) {
    if (!applies(entry.languages, python)) continue;
    const m = entry.match;
    if (m.kind === 'call') for (const c of m.callees) out.sinkCalls.set(c, entry);
    else if (m.kind === 'method') out.sinkMethods.push({ receivers: m.receivers, methods: m.methods === 'any' ? null : new Set(m.methods), entry });
    else if (m.kind === 'logger') {
      out.loggerMethods = new Set(m.methods);
      out.loggerEntry = entry;
    }
  }
  const calls = new Set<string>();
  const prefixes: string[] = [];
  const words: string[] = [];
  const methods = new Set<string>();
  const properties = new Set<string>();
  for (const entry of SANITISERS) {
    if (!applies(entry.languages, python)) continue;
    const m = entry.match;
    if (m.kind === 'call') m.callees.forEach((c) => calls.add(c));
    else if (m.kind === 'callee-prefix') prefixes.push(...m.prefixes);
    else if (m.kind === 'name-contains') words.push(...m.words);
    else if (m.kind === 'method') m.methods.forEach((x) => methods.add(x));
    else if (m.kind === 'property') m.names.forEach((x) => properties.add(x));
  }
  return { ...out, sanitiserCalls: calls, sanitiserPrefixes: prefixes, sanitiserWords: words, sanitiserMethods: methods, sanitiserProperties: properties };
}

const INDEX = { python: index(true), javascript: index(false) };

/** The sink a call is, or null. */
export function sinkOf(site: CallSite): SinkEntry | null {
  const ix = site.python ? INDEX.python : INDEX.javascript;
  if (site.path !== null) {
    const entry = ix.sinkCalls.get(site.path);
    if (entry !== undefined) return entry;
  }
  if (!site.method || site.name === null) return null;
  if (site.receiver !== null) {
    for (const m of ix.sinkMethods) if ((m.methods === null || m.methods.has(site.name)) && receiverMatches(m.receivers, site.receiver)) return m.entry;
  }
  if (ix.loggerMethods.has(site.name) && (site.receiverIsLogger || (site.receiver !== null && isLoggerName(site.receiver, site.loggers)))) return ix.loggerEntry;
  return null;
}

/** Whether a call's result says something about its arguments without carrying them. */
export function isSanitiserCall(site: CallSite): boolean {
  const ix = site.python ? INDEX.python : INDEX.javascript;
  const path = site.path;
  if (path !== null) {
    if (ix.sanitiserCalls.has(path)) return true;
    for (let i = 0; i < ix.sanitiserPrefixes.length; i++) if (path.startsWith(ix.sanitiserPrefixes[i]!)) return true;
  }
  if (site.name === null) return false;
  if (site.method && ix.sanitiserMethods.has(site.name)) return true;
  return containsWord(site.name, ix.sanitiserWords);
}

/** Lower-case ASCII letters, as `c | 32` makes them, that a sanitiser word starts with. */
const SANITISER_FIRSTS = (() => {
  const t = new Uint8Array(128);
  for (const e of SANITISERS) if (e.match.kind === 'name-contains') for (const w of e.match.words) t[w.charCodeAt(0)] = 1;
  return t;
})();

/**
 * Whether `name` in lower case contains one of `words` (lower-case ASCII): one pass over the name,
 * read in place (no lower-cased copy of every callee), each word tried where its first letter
 * stands. A name with other than ASCII characters is lowered as a string: its lower case may hold
 * ASCII letters it does not (the Kelvin sign's is `k`).
 */
function containsWord(name: string, words: readonly string[]): boolean {
  const n = name.length;
  for (let i = 0; i < n; i++) {
    let c = name.charCodeAt(i);
    if (c >= 128) {
      const lower = name.toLowerCase();
      return words.some((w) => lower.includes(w));
    }
    if (c >= 65 && c <= 90) c |= 32;
    if (SANITISER_FIRSTS[c] === 0) continue;
    for (let j = 0; j < words.length; j++) {
      const w = words[j]!;
      if (w.charCodeAt(0) !== c || i + w.length > n) continue;
      let k = 1;
      for (; k < w.length; k++) {
        let d = name.charCodeAt(i + k);
        if (d >= 65 && d <= 90) d |= 32;
        if (d !== w.charCodeAt(k)) break;
      }
      if (k === w.length) return true;
    }
  }
  return false;
}

export function isSanitiserProperty(name: string, python: boolean): boolean {
  return (python ? INDEX.python : INDEX.javascript).sanitiserProperties.has(name);
}

const operatorWords = (python: boolean, kind: 'operator' | 'prefix-operator'): Set<string> => {
  const out = new Set<string>();
  for (const e of SANITISERS) {
    if (e.match.kind !== kind || !applies(e.languages, python)) continue;
    for (const op of e.match.operators) for (const w of op.split(' ')) if (/^[a-z]+$/.test(w)) out.add(w);
  }
  return out;
};

const COMPARISON_WORDS = { python: operatorWords(true, 'operator'), javascript: operatorWords(false, 'operator') };
const NEGATION_WORDS = { python: operatorWords(true, 'prefix-operator'), javascript: operatorWords(false, 'prefix-operator') };

/** A word that makes a comparison (`in`, `is`, `not` of `not in`; `instanceof`). */
export function isComparisonWord(word: string, python: boolean): boolean {
  return (python ? COMPARISON_WORDS.python : COMPARISON_WORDS.javascript).has(word);
}

/** A prefix word whose result is not the value (`not`; `typeof`, `void`, `delete`). */
export function isNegationWord(word: string, python: boolean): boolean {
  return (python ? NEGATION_WORDS.python : NEGATION_WORDS.javascript).has(word);
}

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split('_')
    .filter((w) => w !== '');
}

/** Whether a function's name says that what it returns is shown (see DISPLAY_FUNCTIONS). */
export function isDisplayFunction(name: string | null): boolean {
  return name !== null && isDisplayFunctionAt(name, 0, name.length);
}

/**
 * isDisplayFunction for the name text[start, end), read in place (no string made): the same words
 * (split at underscores and where a lowercase letter or digit meets an uppercase one), the same
 * answer. A name with other than ASCII characters is split as a string.
 */
export function isDisplayFunctionAt(text: string, start: number, end: number): boolean {
  const c0 = text.charCodeAt(start);
  if (c0 < 128 && NAME_FIRST_LETTERS[c0] === 1) for (const name of DISPLAY_FUNCTIONS.names) if (end - start === name.length && text.startsWith(name, start)) return true;
  let s = start;
  while (s < end && text.charCodeAt(s) === 95) s++;
  let z = end;
  while (z > s && text.charCodeAt(z - 1) === 95) z--;
  if (s >= z) return false;
  // Most names are neither: their first letter starts no prefix and their last ends no suffix.
  const first = text.charCodeAt(s);
  const last = text.charCodeAt(z - 1);
  if (first < 128 && last < 128 && PREFIX_FIRST_LETTERS[first] === 0 && SUFFIX_LAST_LETTERS[last] === 0) return false;
  for (let i = s; i < z; i++) if (text.charCodeAt(i) >= 128) return displayName(text.slice(start, end));
  // The first word: up to the first boundary.
  let e1 = s + 1;
  while (e1 < z && !boundaryAt(text, e1)) e1++;
  for (const prefix of DISPLAY_FUNCTIONS.prefixes) if (sameWord(text, s, e1, prefix)) return true;
  if (e1 >= z) return false; // one word
  // The last word: back to the boundary before it.
  let w = z - 1;
  while (w > s && !boundaryAt(text, w)) w--;
  const from = text.charCodeAt(w) === 95 ? w + 1 : w;
  for (const suffix of DISPLAY_FUNCTIONS.suffixes) if (sameWord(text, from, z, suffix)) return true;
  return false;
}

/** Whether a word of a name starts at `i` (after an underscore, or a lowercase letter or digit before an uppercase one) or `i` is an underscore. */
function boundaryAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 95) return true;
  if (c < 65 || c > 90) return false;
  const p = text.charCodeAt(i - 1);
  return (p >= 97 && p <= 122) || (p >= 48 && p <= 57);
}

/** Whether text[from, to) is `word` (lowercase letters) in any case. */
function sameWord(text: string, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    const c = text.charCodeAt(from + k);
    const w = word.charCodeAt(k);
    if (c !== w && c !== w - 32) return false;
  }
  return true;
}

/** isDisplayFunction by splitting the name into a list of words. */
function displayName(name: string): boolean {
  if ((DISPLAY_FUNCTIONS.names as readonly string[]).includes(name)) return true;
  const w = words(name);
  if (w.length === 0) return false;
  if ((DISPLAY_FUNCTIONS.prefixes as readonly string[]).includes(w[0]!)) return true;
  return w.length >= 2 && (DISPLAY_FUNCTIONS.suffixes as readonly string[]).includes(w[w.length - 1]!);
}

/**
 * Names one of which every sink in SINKS has as a word of its own where it is used: a call sink's
 * last name (`print`, `write`, `warn`), a sink method (`info`, `error`…), a sink receiver's last
 * name (`console`, `log`, `logging`), or its keyword (`raise`, `assert`, `throw`). Code without any
 * of them, and without a function named for showing (DISPLAY_FUNCTIONS), reaches no sink.
 */
export function sinkWords(python: boolean): ReadonlySet<string> {
  return python ? SINK_WORDS.python : SINK_WORDS.javascript;
}

function collectSinkWords(python: boolean): ReadonlySet<string> {
  const out = new Set<string>();
  const last = (path: string) => path.slice(path.lastIndexOf('.') + 1);
  for (const entry of SINKS) {
    if (!applies(entry.languages, python)) continue;
    const m = entry.match;
    if (m.kind === 'call') m.callees.forEach((c) => out.add(last(c)));
    else if (m.kind === 'method') {
      m.receivers.forEach((r) => out.add(last(r)));
      if (m.methods !== 'any') m.methods.forEach((x) => out.add(x));
    } else if (m.kind === 'logger') m.methods.forEach((x) => out.add(x));
    else if (m.kind === 'statement') out.add(m.keyword);
  }
  return out;
}

const SINK_WORDS = { python: collectSinkWords(true), javascript: collectSinkWords(false) };
