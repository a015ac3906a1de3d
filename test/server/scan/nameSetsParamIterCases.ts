// Corpus cases: a loop (or comprehension, or array callback) over a parameter of a function of the
// file: the containers each call passes, on that call's tests, or its default when the function may
// be called from outside (the read is then open). A helper that reads a list of names it is handed
// (`read_all(conv, ["crm_id", "crm_secret"])`) is how real code shares the loop. Then the variants
// that stay unknown. Each source has exactly one computed read.

import type { CorpusCase } from './nameSetsCorpusCases';

export const PARAM_ITER_PYTHON_CASES: CorpusCase[] = [
  {
    title: 'a helper iterating the names its callers hand it (positional and by keyword)',
    language: 'python',
    source: `def read_all(conv, names):
    return {n: conv.utils.get_secret(n) for n in names}


def crm(conv):
    return read_all(conv, ["crm_id", "crm_secret"])


def pay(conv):
    return read_all(conv, names=("pay_key",))
`,
    want: [
      { name: 'crm_id', literal: '"crm_id"', environments: null },
      { name: 'crm_secret', literal: '"crm_secret"', environments: null },
      { name: 'pay_key', literal: '"pay_key"', environments: null },
    ],
  },
  {
    title: 'a module tuple handed to a helper that loops over it',
    language: 'python',
    source: `CRM_KEYS = ("crm_id", "crm_secret")


def read_all(conv, names):
    out = {}
    for n in names:
        out[n] = conv.utils.get_secret(n)
    return out


def crm(conv):
    return read_all(conv, CRM_KEYS)
`,
    want: [
      { name: 'crm_id', literal: '"crm_id"', environments: null },
      { name: 'crm_secret', literal: '"crm_secret"', environments: null },
    ],
  },
  {
    title: 'the list handed chosen by the environment at the call',
    language: 'python',
    source: `def read_all(conv, names):
    return [conv.utils.get_secret(n) for n in names]


def crm(conv):
    if conv.env == "live":
        return read_all(conv, ["crm_live"])
    return read_all(conv, ["crm_uat"])
`,
    want: [
      { name: 'crm_live', literal: '"crm_live"', environments: ['live'] },
      { name: 'crm_uat', literal: '"crm_uat"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a dict handed to a helper that reads its .items()' values",
    language: 'python',
    source: `def read_all(conv, table):
    return {label: conv.utils.get_secret(name) for label, name in table.items()}


def crm(conv):
    return read_all(conv, {"id": "crm_id", "secret": "crm_secret"})
`,
    want: [
      { name: 'crm_id', literal: '"crm_id"', environments: null },
      { name: 'crm_secret', literal: '"crm_secret"', environments: null },
    ],
  },
  {
    title: 'a method looping over the list another method hands it through self',
    language: 'python',
    source: `class Loader:
    def read_all(self, conv, names):
        return [conv.utils.get_secret(n) for n in names]

    def run(self, conv):
        return self.read_all(conv, ["crm_id"])
`,
    want: [{ name: 'crm_id', literal: '"crm_id"', environments: null }],
  },
  {
    title: 'a function nothing here calls, looping over its default tuple: the default, open',
    language: 'python',
    source: `def read_all(conv, names=("crm_id", "crm_secret")):
    return [conv.utils.get_secret(n) for n in names]
`,
    want: [
      { name: 'crm_id', literal: '"crm_id"', environments: null },
      { name: 'crm_secret', literal: '"crm_secret"', environments: null },
    ],
  },
];

export const PARAM_ITER_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a helper one of whose callers hands it its own parameter',
    language: 'python',
    source: `def read_all(conv, names):
    return [conv.utils.get_secret(n) for n in names]


def crm(conv, keys):
    return read_all(conv, keys)
`,
    want: { unresolved: ['keys'] },
  },
  {
    title: 'a helper nothing here calls and with no default',
    language: 'python',
    source: `def read_all(conv, names):
    return [conv.utils.get_secret(n) for n in names]
`,
    want: { unresolved: ['names'] },
  },
];

export const PARAM_ITER_JS_CASES: CorpusCase[] = [
  {
    title: 'a helper mapping over the names its callers hand it',
    language: 'typescript',
    source: `function readAll(conv: any, names: readonly string[]) {
  return names.map((n) => conv.utils.get_secret(n));
}

export function crm(conv: any) {
  return readAll(conv, ['crm_id', 'crm_secret']);
}

export function pay(conv: any) {
  return readAll(conv, ['pay_key']);
}
`,
    want: [
      { name: 'crm_id', literal: "'crm_id'", environments: null },
      { name: 'crm_secret', literal: "'crm_secret'", environments: null },
      { name: 'pay_key', literal: "'pay_key'", environments: null },
    ],
  },
  {
    title: 'a module array handed to a helper with a for…of loop',
    language: 'javascript',
    source: `const CRM_KEYS = ['crm_id', 'crm_secret'];

function readAll(conv, names) {
  const out = {};
  for (const n of names) out[n] = conv.utils.get_secret(n);
  return out;
}

export function crm(conv) {
  return readAll(conv, CRM_KEYS);
}
`,
    want: [
      { name: 'crm_id', literal: "'crm_id'", environments: null },
      { name: 'crm_secret', literal: "'crm_secret'", environments: null },
    ],
  },
  {
    title: "an object handed to a helper that reads its Object.values",
    language: 'javascript',
    source: `function readAll(conv, table) {
  return Object.values(table).map((name) => conv.utils.get_secret(name));
}

export function crm(conv) {
  return readAll(conv, { id: 'crm_id', secret: 'crm_secret' });
}
`,
    want: [
      { name: 'crm_id', literal: "'crm_id'", environments: null },
      { name: 'crm_secret', literal: "'crm_secret'", environments: null },
    ],
  },
  {
    title: 'the array handed chosen by the environment at the call',
    language: 'typescript',
    source: `function readAll(conv: any, names: string[]) {
  return names.map((n) => conv.utils.get_secret(n));
}

export function crm(conv: any) {
  if (conv.env === 'live') return readAll(conv, ['crm_live']);
  return readAll(conv, ['crm_uat']);
}
`,
    want: [
      { name: 'crm_live', literal: "'crm_live'", environments: ['live'] },
      { name: 'crm_uat', literal: "'crm_uat'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a function nothing here calls, mapping over its default array: the default, open',
    language: 'javascript',
    source: `function readAll(conv, names = ['crm_id', 'crm_secret']) {
  return names.map((n) => conv.utils.get_secret(n));
}
`,
    want: [
      { name: 'crm_id', literal: "'crm_id'", environments: null },
      { name: 'crm_secret', literal: "'crm_secret'", environments: null },
    ],
  },
];

export const PARAM_ITER_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a helper one of whose callers hands it its own parameter',
    language: 'javascript',
    source: `function readAll(conv, names) {
  return names.map((n) => conv.utils.get_secret(n));
}

export function crm(conv, keys) {
  return readAll(conv, keys);
}
`,
    want: { unresolved: ['keys'] },
  },
  {
    title: 'an exported helper with no default: its callers are elsewhere',
    language: 'javascript',
    source: `export function readAll(conv, names) {
  return names.map((n) => conv.utils.get_secret(n));
}
`,
    want: { unresolved: ['names'] },
  },
  {
    title: 'a helper that pushes onto the array it is handed',
    language: 'javascript',
    source: `function readAll(conv, names) {
  names.push('extra_key');
  return names.map((n) => conv.utils.get_secret(n));
}

export function crm(conv) {
  return readAll(conv, ['crm_id']);
}
`,
    want: { unresolved: ['names'] },
  },
];
