// Calls whose result carries what goes into them (conversions, encoders, serialisers, string
// formatting, exception constructors), and methods that store their arguments in the receiver.
// A call that is none of these, no sink and no sanitiser is the value's intended use
// (`requests.get(url, headers=h)`, `client.login(token)`): its result carries nothing.
// Operators, literals, f-strings / templates, subscripts and methods of a tainted receiver
// propagate by the analysis itself (analysis.ts).

import type { CallSite, Languages } from './sinks';

export type PropagatorMatch =
  | { kind: 'call'; callees: readonly string[] }
  | { kind: 'callee-prefix'; prefixes: readonly string[] }
  /** A method of any receiver, tainted or not: its arguments flow into the result (`'{}'.format(token)`). */
  | { kind: 'method'; methods: readonly string[] }
  /** An exception class (`ValueError`, `AuthError`, `new Error`): its message is in the result. */
  | { kind: 'exception' };

export interface PropagatorEntry {
  id: string;
  languages: Languages;
  match: PropagatorMatch;
  /** The step's message, from the callee as written. */
  message: (callee: string) => string;
}

const passed = (callee: string): string => `passed through ${callee}()`;

export const PROPAGATORS: readonly PropagatorEntry[] = [
  {
    id: 'conversions',
    languages: 'python',
    match: { kind: 'call', callees: ['str', 'repr', 'ascii', 'format', 'bytes', 'bytearray'] },
    message: (c) => `converted with ${c}()`,
  },
  {
    id: 'containers',
    languages: 'python',
    match: { kind: 'call', callees: ['dict', 'list', 'tuple', 'set', 'frozenset', 'sorted', 'reversed', 'enumerate', 'zip', 'iter', 'next', 'filter', 'copy.copy', 'copy.deepcopy', 'dataclasses.asdict'] },
    message: passed,
  },
  {
    id: 'serialisers',
    languages: 'python',
    match: {
      kind: 'call',
      callees: [
        'json.dumps', 'json.loads', 'yaml.dump', 'yaml.safe_dump', 'pprint.pformat', 'pformat', 'shlex.quote', 'shlex.join',
        'urllib.parse.urlencode', 'urllib.parse.quote', 'urllib.parse.quote_plus', 'urllib.parse.unquote', 'parse.urlencode', 'parse.quote',
        'urlencode', 'quote', 'quote_plus', 'textwrap.shorten', 'textwrap.indent', 'textwrap.dedent',
      ],
    },
    message: passed,
  },
  {
    id: 'encoders',
    languages: 'python',
    match: { kind: 'callee-prefix', prefixes: ['base64.', 'binascii.hexlify', 'binascii.b2a_', 'codecs.encode', 'codecs.decode', 'b64encode', 'urlsafe_b64encode', 'b64decode', 'b32encode', 'b16encode'] },
    message: (c) => `encoded with ${c}()`,
  },
  {
    id: 'js-conversions',
    languages: 'javascript',
    match: {
      kind: 'call',
      callees: [
        'String', 'JSON.stringify', 'JSON.parse', 'encodeURIComponent', 'encodeURI', 'escape', 'btoa', 'atob', 'Buffer.from', 'Buffer.concat',
        'Object.assign', 'Object.entries', 'Object.values', 'Object.fromEntries', 'Array.from', 'Array.of', 'structuredClone',
        'util.format', 'util.inspect', 'format', 'inspect', 'formatWithOptions', 'util.formatWithOptions', 'querystring.stringify', 'qs.stringify', 'URL', 'URLSearchParams', 'Headers',
        'Promise.all', 'Promise.allSettled', 'Promise.any', 'Promise.race', 'Promise.resolve',
      ],
    },
    message: passed,
  },
  { id: 'format-methods', languages: 'both', match: { kind: 'method', methods: ['format', 'format_map', 'substitute', 'safe_substitute'] }, message: (c) => `formatted with ${c}()` },
  { id: 'join', languages: 'both', match: { kind: 'method', methods: ['join'] }, message: (c) => `joined with ${c}()` },
  { id: 'string-methods', languages: 'both', match: { kind: 'method', methods: ['replace', 'replaceAll', 'concat'] }, message: passed },
  { id: 'exceptions', languages: 'both', match: { kind: 'exception' }, message: (c) => `built into ${c}` },
];

/** Methods that store their arguments in the receiver (`headers.update({...})`, `parts.append(token)`). */
export const MUTATORS: readonly string[] = ['append', 'extend', 'insert', 'add', 'update', 'setdefault', 'appendleft', 'extendleft', 'push', 'unshift', 'set'];

/** Exception classes by name: `Exception`, `Error`, `ValueError`, `AuthFailedException`, `SystemExit`. */
const EXCEPTION_CLASS = /^(?:[A-Z]\w*)?(?:Error|Exception|Warning|Exit)$/;

export function isExceptionClass(name: string | null): boolean {
  if (name === null || name.length < 4) return false;
  // Most callees end otherwise: no regular expression run for them.
  const last = name.charCodeAt(name.length - 1);
  return (last === 114 || last === 110 || last === 103 || last === 116) && EXCEPTION_CLASS.test(name); // r n g t
}

function applies(languages: Languages, python: boolean): boolean {
  return languages === 'both' || (languages === 'python') === python;
}

/** PROPAGATORS indexed per language (built once). */
interface Index {
  calls: Map<string, PropagatorEntry>;
  prefixes: Array<[string, PropagatorEntry]>;
  methods: Map<string, PropagatorEntry>;
  exception: PropagatorEntry | null;
}

function index(python: boolean): Index {
  const out: Index = { calls: new Map(), prefixes: [], methods: new Map(), exception: null };
  for (const entry of PROPAGATORS) {
    if (!applies(entry.languages, python)) continue;
    const m = entry.match;
    if (m.kind === 'call') for (const c of m.callees) out.calls.set(c, entry);
    else if (m.kind === 'callee-prefix') for (const p of m.prefixes) out.prefixes.push([p, entry]);
    else if (m.kind === 'method') for (const x of m.methods) out.methods.set(x, entry);
    else out.exception = entry;
  }
  return out;
}

const INDEX = { python: index(true), javascript: index(false) };
const MUTATOR_SET = new Set(MUTATORS);

/** The step message when a call's result carries its arguments (and receiver), or null. `shown` is the callee as written. */
export function propagation(site: CallSite, shown: string): string | null {
  const ix = site.python ? INDEX.python : INDEX.javascript;
  const path = site.path;
  if (path !== null) {
    const entry = ix.calls.get(path);
    if (entry !== undefined) return entry.message(shown);
    for (const [p, e] of ix.prefixes) if (path.startsWith(p)) return e.message(shown);
  }
  if (site.method && site.name !== null) {
    const entry = ix.methods.get(site.name);
    if (entry !== undefined) return entry.message(`.${site.name}`);
  }
  if (ix.exception !== null && isExceptionClass(site.name)) return ix.exception.message(shown);
  return null;
}

export function isMutator(site: CallSite): boolean {
  return site.method && site.name !== null && MUTATOR_SET.has(site.name);
}
