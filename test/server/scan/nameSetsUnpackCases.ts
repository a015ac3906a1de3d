// The corpus's unpacking and field cases (issue 51): a name taken apart from a written tuple or
// array (`a, b = "x", "y"`, `const [a, b] = ['x', 'y']`), a part of a row held by a constant or
// chosen by the environment, a class's instance field declared with its value, and the read
// function held by a local (`const gs = conv.utils.get_secret`, `const { get_secret } = conv.utils`),
// and a name returned by a method of a constant object or a static method (`Keys.name(conv)`, as
// Python's `@staticmethod`). Then the variants that must stay unknown. Expectations written from the rules, not from a run.

import type { CorpusCase } from './nameSetsCorpusCases';

const py = (...xs: string[]) => xs.map((x) => ({ name: x, literal: `"${x}"`, environments: null, when: [] }));
const js = (...xs: string[]) => xs.map((x) => ({ name: x, literal: `'${x}'`, environments: null, when: [] }));

export const UNPACK_PYTHON_CASES: CorpusCase[] = [
  {
    title: 'a name unpacked from a written tuple',
    language: 'python',
    source: `def load(conv):
    label, name = "CRM", "crm_api"
    return conv.utils.get_secret(name)
`,
    want: py('crm_api'),
  },
  {
    title: 'a name unpacked from nested parentheses and brackets',
    language: 'python',
    source: `def load(conv):
    (label, [first, second]) = ("crm", ["crm_api", "crm_key"])
    return conv.utils.get_secret(second)
`,
    want: py('crm_key'),
  },
  {
    title: "a name unpacked from a module constant's row",
    language: 'python',
    source: `ROW = ("crm", "crm_api")

def load(conv):
    label, name = ROW
    return conv.utils.get_secret(name)
`,
    want: py('crm_api'),
  },
  {
    title: 'a name unpacked in each branch of an environment test',
    language: 'python',
    source: `def load(conv):
    if conv.env == "live":
        name, label = "crm_prod_api", "prod"
    else:
        name, label = "crm_dev_api", "dev"
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'crm_prod_api', literal: '"crm_prod_api"', environments: ['live'] },
      { name: 'crm_dev_api', literal: '"crm_dev_api"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a list unpacked from a tuple, then iterated',
    language: 'python',
    source: `def load(conv):
    names, label = ["crm_api", "pay_api"], "all"
    for n in names:
        conv.utils.get_secret(n)
`,
    want: py('crm_api', 'pay_api'),
  },
  {
    title: 'the target before a starred one',
    language: 'python',
    source: `def load(conv):
    first, *rest = "crm_api", "pay_api", "sms_api"
    return conv.utils.get_secret(first)
`,
    want: py('crm_api'),
  },
  {
    title: 'a module-level unpacking read in a function',
    language: 'python',
    source: `CRM, PAY = "crm_api", "pay_api"

def load(conv):
    return conv.utils.get_secret(PAY)
`,
    want: py('pay_api'),
  },
  {
    title: 'a name __init__ sets, read under `if self.name:` (a test, not an annotation)',
    language: 'python',
    source: `class Client:
    def __init__(self, conv):
        self.conv = conv
        self.name = "crm_api"

    def token(self):
        if self.name:
            return self.conv.utils.get_secret(self.name)
`,
    want: [{ name: 'crm_api', literal: '"crm_api"', environments: null, when: [['self.name', true]] }],
  },
  {
    title: 'a name bound by a walrus in an if, chosen from a table by the environment',
    language: 'python',
    source: `NAMES = {"live": "crm_prod_api", "sandbox": "crm_dev_api"}

def load(conv):
    if (name := NAMES.get(conv.env)) is not None:
        return conv.utils.get_secret(name)
`,
    want: [
      { name: 'crm_prod_api', literal: '"crm_prod_api"', environments: ['live'] },
      { name: 'crm_dev_api', literal: '"crm_dev_api"', environments: ['sandbox'] },
    ],
  },
  {
    title: 'a name bound by a walrus in an early return, read after it',
    language: 'python',
    source: `def load(conv):
    if not (name := "crm_api"):
        return None
    return conv.utils.get_secret(name)
`,
    want: [{ name: 'crm_api', literal: '"crm_api"', environments: null }],
  },
  {
    title: 'the environment named by a walrus in a test, read as a value after the branch it decides',
    language: 'python',
    source: `def load(conv):
    if (env := conv.env.lower()) == "live":
        return conv.utils.get_secret("crm_live")
    return conv.utils.get_secret("crm_" + env)
`,
    want: [
      { name: 'crm_sandbox', literal: 'conv.env', environments: ['sandbox'] },
      { name: 'crm_pre-release', literal: 'conv.env', environments: ['pre-release'] },
    ],
  },
];

export const UNPACK_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a walrus in a while that builds the name from itself',
    language: 'python',
    source: `def load(conv, name):
    while (name := name + "_v2"):
        return conv.utils.get_secret(name)
`,
    want: { unresolved: ['name := name + "_v2"'] },
  },
  {
    title: 'a name __init__ sets that another method unpacks a pair into',
    language: 'python',
    source: `class Client:
    def __init__(self, conv):
        self.conv = conv
        self.name = "crm_api"

    def switch(self, pair):
        self.name, self.region = pair

    def token(self):
        return self.conv.utils.get_secret(self.name)
`,
    want: { unresolved: ['self.name'] },
  },
  {
    title: 'a name __init__ sets that another method binds with `with … as self.name`',
    language: 'python',
    source: `class Client:
    def __init__(self, conv):
        self.conv = conv
        self.name = "crm_api"

    def reload(self, path):
        with open(path) as self.name:
            pass

    def token(self):
        return self.conv.utils.get_secret(self.name)
`,
    want: { unresolved: ['self.name'] },
  },
  {
    title: 'a target after a starred one (its place depends on the length)',
    language: 'python',
    source: `def load(conv):
    *rest, last = "crm_api", "pay_api", "sms_api"
    return conv.utils.get_secret(last)
`,
    want: { unresolved: ['*rest, last = "crm_api", "pay_api", "sms_api"'] },
  },
  {
    title: 'names swapped in a loop (built from themselves)',
    language: 'python',
    source: `def load(conv):
    a, b = "crm_api", "pay_api"
    for _ in range(3):
        a, b = b, a
    return conv.utils.get_secret(a)
`,
    want: { unresolved: ['a, b = b, a'] },
  },
  {
    title: "unpacked from a call's result",
    language: 'python',
    source: `def load(conv):
    label, name = conv.state.pair()
    return conv.utils.get_secret(name)
`,
    want: { unresolved: ['conv.state.pair()'] },
  },
  {
    title: 'a chained unpacking',
    language: 'python',
    source: `def load(conv):
    a, b = c, d = "crm_api", "pay_api"
    return conv.utils.get_secret(b)
`,
    want: { unresolved: ['a, b = c, d = "crm_api", "pay_api"'] },
  },
  {
    title: 'more targets than the tuple has (a ValueError at run time)',
    language: 'python',
    source: `def load(conv):
    a, b = ("crm_api",)
    return conv.utils.get_secret(b)
`,
    want: { unresolved: ['("crm_api",)'] },
  },
];

export const UNPACK_JS_CASES: CorpusCase[] = [
  {
    title: 'names destructured from a written array',
    language: 'javascript',
    source: `export function load(conv) {
  const [label, name] = ['CRM', 'crm_api'];
  return conv.utils.get_secret(name);
}
`,
    want: js('crm_api'),
  },
  {
    title: "a name destructured from a constant's row",
    language: 'typescript',
    source: `const ROW = ['crm', 'crm_api'] as const;
export function load(conv: any) {
  const [label, name] = ROW;
  return conv.utils.get_secret(name);
}
`,
    want: js('crm_api'),
  },
  {
    title: 'a name destructured from the row the environment chooses',
    language: 'javascript',
    source: `const ROWS = { live: ['crm_prod_api', 'prod'], sandbox: ['crm_dev_api', 'dev'] };
export function load(conv) {
  const [name, label] = ROWS[conv.env];
  return conv.utils.get_secret(name);
}
`,
    want: [
      { name: 'crm_prod_api', literal: "'crm_prod_api'", environments: ['live'] },
      { name: 'crm_dev_api', literal: "'crm_dev_api'", environments: ['sandbox'] },
    ],
  },
  {
    title: "a class's instance field declared with its value",
    language: 'typescript',
    source: `class Client {
  private readonly secretName: string = 'crm_api';
  constructor(private conv: any) {}
  token() {
    return this.conv.utils.get_secret(this.secretName);
  }
}
export const make = (conv: any) => new Client(conv);
`,
    want: js('crm_api'),
  },
  {
    title: 'a field declared with a value that the constructor sets again (the constructor wins)',
    language: 'javascript',
    source: `class Client {
  secretName = 'unused_api';
  constructor(conv) {
    this.conv = conv;
    this.secretName = 'crm_api';
  }
  token() {
    return this.conv.utils.get_secret(this.secretName);
  }
}
`,
    want: js('crm_api'),
  },
];

const LIVE_DEV = (live: string, dev: string) => [
  { name: live, literal: `'${live}'`, environments: ['live'] },
  { name: dev, literal: `'${dev}'`, environments: ['sandbox', 'pre-release'] },
];

UNPACK_JS_CASES.push(
  {
    title: "a method of a constant object chooses the name by conv.env",
    language: 'javascript',
    source: `const Keys = {
  crm(conv) {
    return conv.env === 'live' ? 'crm_live_api' : 'crm_dev_api';
  },
};
export function load(conv) {
  return conv.utils.get_secret(Keys.crm(conv));
}
`,
    want: LIVE_DEV('crm_live_api', 'crm_dev_api'),
  },
  {
    title: "an arrow property of a constant object, given the base name",
    language: 'typescript',
    source: `const Names = { of: (base: string) => \`\${base}_api\`, count: 2 } as const;
export function load(conv: any) {
  return conv.utils.get_secret(Names.of('crm'));
}
`,
    want: [{ name: 'crm_api', literal: ["'crm'", '`${base}_api`'], environments: null }],
  },
  {
    title: 'a static method of a class chooses the name by conv.env',
    language: 'typescript',
    source: `class Keys {
  static crm(conv: any): string {
    if (conv.env === 'live') return 'crm_live_api';
    return 'crm_dev_api';
  }
}
export const load = (conv: any) => conv.utils.get_secret(Keys.crm(conv));
`,
    want: LIVE_DEV('crm_live_api', 'crm_dev_api'),
  },
);

export const UNPACK_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: "an object's method replaced in the file",
    language: 'javascript',
    source: `const Keys = { crm() { return 'crm_api'; } };
Keys.crm = () => 'other_api';
export function load(conv) {
  return conv.utils.get_secret(Keys.crm());
}
`,
    want: { unresolved: ['Keys.crm()'] },
  },
  {
    title: "a class's instance method called on the class (not static)",
    language: 'javascript',
    source: `class Keys { crm() { return 'crm_api'; } }
export function load(conv) {
  return conv.utils.get_secret(Keys.crm());
}
`,
    want: { unresolved: ['Keys.crm()'] },
  },
  {
    title: 'a let destructured, then assigned',
    language: 'javascript',
    source: `export function load(conv) {
  let [name] = ['crm_api'];
  name = conv.state.name;
  return conv.utils.get_secret(name);
}
`,
    want: { unresolved: ['name'] },
  },
  {
    title: "an element of a mapped array (which one is not followed)",
    language: 'javascript',
    source: `export function load(conv) {
  const [name] = ['crm', 'pay'].map((p) => p + '_api');
  return conv.utils.get_secret(name);
}
`,
    want: { unresolved: ['name'] },
  },
  {
    title: 'a rest element',
    language: 'javascript',
    source: `export function load(conv) {
  const [first, ...rest] = ['crm_api', 'pay_api'];
  return conv.utils.get_secret(rest);
}
`,
    want: { unresolved: ['rest'] },
  },
  {
    title: 'an object destructured as an array (it is not iterable)',
    language: 'javascript',
    source: `const ROW = { 0: 'crm_api' };
export function load(conv) {
  const [name] = ROW;
  return conv.utils.get_secret(name);
}
`,
    want: { unresolved: ['name'] },
  },
  {
    title: 'an instance field a method sets',
    language: 'javascript',
    source: `class Client {
  secretName = 'crm_api';
  use(name) { this.secretName = name; }
  token(conv) { return conv.utils.get_secret(this.secretName); }
}
`,
    want: { unresolved: ['this.secretName'] },
  },
];

// A name of an object pattern in a parameter, with its default (`function read(conv, { secretName =
// 'crm_api' } = {})`): the entry each call of the file passes, the default where the entry is missing
// or no object is passed; an exported function may be called with other names (open).
UNPACK_JS_CASES.push(
  {
    title: "an options parameter's name, passed by the file's call",
    language: 'javascript',
    source: `async function read(conv, { secretName = 'crm_api' } = {}) {
  return conv.utils.get_secret(secretName);
}
export function main(conv) {
  return read(conv, { secretName: 'crm_prod' });
}
`,
    want: js('crm_prod'),
    open: false,
  },
  {
    title: "an options parameter's default, where a call passes nothing or an object without it",
    language: 'javascript',
    source: `async function read(conv, { secretName = 'crm_api', region } = {}) {
  return conv.utils.get_secret(secretName);
}
export function main(conv) {
  read(conv, { region: 'eu' });
  return read(conv);
}
`,
    want: js('crm_api'),
  },
  {
    title: "an exported handler's options parameter: its default, and other callers may pass others",
    language: 'typescript',
    source: `interface Options { secretName?: string }
export async function handler(conv: any, { secretName = 'crm_api' }: Options = {}) {
  return conv.utils.get_secret(secretName);
}
`,
    want: js('crm_api'),
    open: true,
  },
  {
    title: "an options parameter renamed (key: local = default), given a name chosen by conv.env",
    language: 'javascript',
    source: `const read = async (conv, { secret: name = 'crm_api' } = {}) => conv.utils.get_secret(name);
export function main(conv) {
  return read(conv, { secret: conv.env === 'live' ? 'crm_live_api' : 'crm_dev_api' });
}
`,
    want: LIVE_DEV('crm_live_api', 'crm_dev_api'),
  },
  {
    title: "a method's options parameter, called through this with a shorthand entry",
    language: 'javascript',
    source: `class Handler {
  async read(conv, { name = 'crm_api' } = {}) {
    return conv.utils.get_secret(name);
  }
  async run(conv) {
    const name = 'crm_prod';
    return this.read(conv, { name });
  }
}
`,
    want: js('crm_prod'),
  },
  {
    title: 'an options parameter without defaults, given a constant object held by a name',
    language: 'javascript',
    source: `const OPTS = { secretName: 'crm_opts' };
function read(conv, { secretName }) {
  return conv.utils.get_secret(secretName);
}
export function main(conv) {
  return read(conv, OPTS);
}
`,
    want: js('crm_opts'),
  },
  {
    title: 'a constant object handed to a function that only takes names out of it (an options parameter) is not changed',
    language: 'javascript',
    source: `const OPTS = { names: ['crm_api'] };
function count({ names }) {
  return names.length;
}
export function main(conv) {
  count(OPTS);
  return conv.utils.get_secret(OPTS.names[0]);
}
`,
    want: js('crm_api'),
  },
  {
    title: 'a constant object handed to an options parameter whose name is changed there stays unknown',
    language: 'javascript',
    source: `const OPTS = { names: ['crm_api'] };
function add({ names }) {
  names.push('crm_other');
}
export function main(conv) {
  add(OPTS);
  return conv.utils.get_secret(OPTS.names[0]);
}
`,
    want: { unresolved: ['OPTS.names[0]'] },
  },
  {
    title: 'a constant object handed to an options parameter with a rest stays unknown',
    language: 'javascript',
    source: `const OPTS = { secretName: 'crm_api' };
function keep({ secretName, ...rest }) {
  return rest;
}
export function main(conv) {
  keep(OPTS);
  return conv.utils.get_secret(OPTS.secretName);
}
`,
    want: { unresolved: ['OPTS.secretName'] },
  },
  {
    title: 'an options parameter given an object spread from elsewhere stays unknown',
    language: 'javascript',
    source: `async function read(conv, { secretName = 'crm_api' } = {}) {
  return conv.utils.get_secret(secretName);
}
export function main(conv, extra) {
  return read(conv, { ...extra });
}
`,
    want: { unresolved: ['...extra'] },
  },
  {
    title: 'an options parameter without a default of its own, called without it, stays unknown (destructuring undefined throws)',
    language: 'javascript',
    source: `async function read(conv, { secretName = 'crm_api' }) {
  return conv.utils.get_secret(secretName);
}
export function main(conv) {
  return read(conv);
}
`,
    want: { unresolved: ['read(conv)'] },
  },
);
