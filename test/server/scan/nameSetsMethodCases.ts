// Corpus cases: a name handed to a method of the file's own class (or of an object a constant
// holds) and read there: the method's parameter takes the argument of each call the file makes
// through `this` / `self` (or through the holder, `Keys.read(…)`), under the tests on the way to
// each call, the same in both languages. A method reached any other way (the class exported,
// another object's `.read(…)`) still shows the file's names, open to other callers'; passed on as a
// value, or overridden by a subclass, it stays unknown. A JavaScript constructor's parameter is read
// the same way, each `new Cls(…)` a call (Python's __init__: nameSetsIterCases.ts). Each source has
// exactly one computed read.

import type { CorpusCase } from './nameSetsCorpusCases';

const names = (quote: string, ...xs: string[]) => xs.map((x) => ({ name: x, literal: `${quote}${x}${quote}`, environments: null, when: [] }));

export const METHOD_PYTHON_CASES: CorpusCase[] = [
  {
    title: 'a method reading the name its class hands it, chosen by the environment at each call',
    language: 'python',
    source: `class Handler:
    def __init__(self, conv):
        self.conv = conv

    def read(self, name):
        return self.conv.utils.get_secret(name)

    def run(self):
        if self.conv.env == "live":
            return self.read("crm_live")
        return self.read("crm_sandbox")
`,
    want: [
      { name: 'crm_live', literal: '"crm_live"', environments: ['live'] },
      { name: 'crm_sandbox', literal: '"crm_sandbox"', environments: ['sandbox', 'pre-release'] },
    ],
    open: false,
  },
  {
    title: 'a static method called through its class',
    language: 'python',
    source: `class Keys:
    @staticmethod
    def read(conv, name):
        return conv.utils.get_secret(name)


def f(conv):
    return Keys.read(conv, "k1")
`,
    want: names('"', 'k1'),
  },
  {
    title: 'a method looping over the names its class hands it',
    language: 'python',
    source: `class Handler:
    def read_all(self, conv, names):
        return {n: conv.utils.get_secret(n) for n in names}

    def run(self, conv):
        return self.read_all(conv, ["a_key", "b_key"])
`,
    want: names('"', 'a_key', 'b_key'),
  },
  {
    title: 'a method of an object made with arguments (held by a name), given conv.env: its test of the parameter labels each name',
    language: 'python',
    source: `class Config:
    def __init__(self, prefix):
        self.prefix = prefix

    def secret_name(self, env):
        if env == "live":
            return f"{self.prefix}_live"
        return f"{self.prefix}_test"


def f(conv):
    config = Config("crm")
    return conv.utils.get_secret(config.secret_name(conv.env))
`,
    want: [
      { name: 'crm_live', literal: 'f"{self.prefix}_live"', environments: ['live'] },
      { name: 'crm_test', literal: 'f"{self.prefix}_test"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a method of an object made where it is called (Config().secret_name(…))',
    language: 'python',
    source: `class Config:
    def secret_name(self, env):
        return "crm_live" if str(env).lower() == "live" else "crm_test"


def f(conv):
    return conv.utils.get_secret(Config().secret_name(conv.env))
`,
    want: [
      { name: 'crm_live', literal: '"crm_live"', environments: ['live'] },
      { name: 'crm_test', literal: '"crm_test"', environments: ['sandbox', 'pre-release'] },
    ],
  },
];

export const METHOD_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a bound method passed on as a value: its arguments are not known',
    language: 'python',
    source: `class Handler:
    def read(self, conv, name):
        return conv.utils.get_secret(name)

    def run(self, conv):
        return list(map(self.read, ["a", "b"]))
`,
    want: { unresolved: ['name'] },
  },
];

const CONFIG_CLASS = `class Config {
  constructor(private readonly prefix: string) {}
  secretName(env: string): string {
    return env === 'live' ? \`\${this.prefix}_live\` : \`\${this.prefix}_test\`;
  }
}
`;

export const METHOD_JS_CASES: CorpusCase[] = [
  {
    title: 'a method reading the name its class hands it, chosen by the environment at each call',
    language: 'javascript',
    source: `class Handler {
  constructor(conv) {
    this.conv = conv;
  }

  read(name) {
    return this.conv.utils.get_secret(name);
  }

  run() {
    if (this.conv.env === 'live') return this.read('crm_live');
    return this.read('crm_sandbox');
  }
}
`,
    want: [
      { name: 'crm_live', literal: "'crm_live'", environments: ['live'] },
      { name: 'crm_sandbox', literal: "'crm_sandbox'", environments: ['sandbox', 'pre-release'] },
    ],
    open: false,
  },
  {
    title: 'a private TypeScript method of an exported class: the names shown, open to other callers',
    language: 'typescript',
    source: `export class Handler {
  constructor(private conv: Conversation) {}

  private read(name: string): string {
    return this.conv.utils.get_secret(name);
  }

  run(): string {
    return this.read('crm_key');
  }
}
`,
    want: names("'", 'crm_key'),
    open: true,
  },
  {
    title: 'a static method called through its class',
    language: 'javascript',
    source: `class Keys {
  static read(conv, name) {
    return conv.utils.get_secret(name);
  }
}

function f(conv) {
  return Keys.read(conv, 'k1');
}
`,
    want: names("'", 'k1'),
    open: false,
  },
  {
    title: 'a method of an object a constant holds, called twice',
    language: 'javascript',
    source: `const Keys = {
  read(conv, name) {
    return conv.utils.get_secret(name);
  },
};

function f(conv) {
  return [Keys.read(conv, 'k1'), Keys.read(conv, 'k2')];
}
`,
    want: names("'", 'k1', 'k2'),
    open: false,
  },
  {
    title: 'a method mapping over the names its class hands it',
    language: 'javascript',
    source: `class Handler {
  readAll(conv, names) {
    return names.map((n) => conv.utils.get_secret(n));
  }

  run(conv) {
    return this.readAll(conv, ['a_key', 'b_key']);
  }
}
`,
    want: names("'", 'a_key', 'b_key'),
  },
  {
    title: "a base class's method a subclass calls with its own name",
    language: 'javascript',
    source: `class Base {
  read(conv, name) {
    return conv.utils.get_secret(name);
  }

  run(conv) {
    return this.read(conv, 'crm_key');
  }
}

class Sub extends Base {
  go(conv) {
    return this.read(conv, 'sub_key');
  }
}
`,
    want: names("'", 'crm_key'),
    open: true,
  },
  {
    title: 'a method of an object a const holds, made by new, given conv.env: its test of the parameter labels each name',
    language: 'typescript',
    source: `${CONFIG_CLASS}export function f(conv: any) {
  const config = new Config('crm');
  return conv.utils.get_secret(config.secretName(conv.env));
}
`,
    want: [
      { name: 'crm_live', literal: '`${this.prefix}_live`', environments: ['live'] },
      { name: 'crm_test', literal: '`${this.prefix}_test`', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a method of an object made in place by new, given conv.env: the same as through a const',
    language: 'typescript',
    source: `${CONFIG_CLASS}export function f(conv: any) {
  return conv.utils.get_secret(new Config('crm').secretName(conv.env));
}
`,
    want: [
      { name: 'crm_live', literal: '`${this.prefix}_live`', environments: ['live'] },
      { name: 'crm_test', literal: '`${this.prefix}_test`', environments: ['sandbox', 'pre-release'] },
    ],
  },
  // A constructor's parameter is a method's: every `new Cls(…)` of the file is a call.
  {
    title: "a constructor's parameter with a default, one construction passing nothing",
    language: 'javascript',
    source: `class Client {
  constructor(conv, secretName = 'crm_api') {
    this.key = conv.utils.get_secret(secretName);
  }
}

function f(conv) {
  return [new Client(conv), new Client(conv, 'crm_backup')];
}
`,
    want: names("'", 'crm_api', 'crm_backup'),
    open: false,
  },
  {
    title: "a constructor's parameter, each construction under its environment test",
    language: 'javascript',
    source: `class Client {
  constructor(conv, secretName) {
    this.key = conv.utils.get_secret(secretName);
  }
}

function f(conv) {
  if (conv.env === 'live') return new Client(conv, 'crm_prod');
  return new Client(conv, 'crm_dev');
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'] },
    ],
    open: false,
  },
  {
    title: 'a field its constructor sets from a parameter with a default, read in a method',
    language: 'javascript',
    source: `class Client {
  constructor(conv, secretName = 'crm_api') {
    this.conv = conv;
    this.secretName = secretName;
  }

  read() {
    return this.conv.utils.get_secret(this.secretName);
  }
}

function f(conv) {
  return new Client(conv).read();
}
`,
    want: names("'", 'crm_api'),
    open: false,
  },
  {
    title: 'a parameter property with a default (TypeScript), the construction passing nothing',
    language: 'typescript',
    source: `class Client {
  constructor(private conv: Conversation, private readonly secretName: string = 'crm_api') {}

  read(): string {
    return this.conv.utils.get_secret(this.secretName);
  }
}

export function f(conv: Conversation): string {
  return new Client(conv).read();
}
`,
    want: names("'", 'crm_api'),
  },
  {
    title: "an exported class's constructor parameter: its default and the file's constructions, open to other modules'",
    language: 'javascript',
    source: `export class Client {
  constructor(conv, secretName = 'crm_api') {
    this.key = conv.utils.get_secret(secretName);
  }
}

export function backup(conv) {
  return new Client(conv, 'crm_backup');
}
`,
    want: names("'", 'crm_api', 'crm_backup'),
    open: true,
  },
  {
    title: "a constructor's parameter of a class a subclass extends: the file's constructions and the subclass's super(…)",
    language: 'javascript',
    source: `class Client {
  constructor(conv, secretName) {
    this.key = conv.utils.get_secret(secretName);
  }
}

class Crm extends Client {
  constructor(conv) {
    super(conv, 'crm_api');
  }
}

function f(conv) {
  return [new Client(conv, 'billing_api'), new Crm(conv)];
}
`,
    want: names("'", 'crm_api', 'billing_api'),
    open: false,
  },
  {
    title: "a constructor's parameter of a class extended by one without a constructor: the file's constructions, open",
    language: 'javascript',
    source: `class Client {
  constructor(conv, secretName) {
    this.key = conv.utils.get_secret(secretName);
  }
}

class Crm extends Client {}

function f(conv) {
  return [new Client(conv, 'billing_api'), new Crm(conv, 'crm_api')];
}
`,
    want: names("'", 'billing_api'),
    open: true,
  },
  {
    title: 'an object a factory function of the file makes, on each of its returns under its environment test',
    language: 'javascript',
    source: `class Client {
  constructor(secretName) {
    this.secretName = secretName;
  }
}

function makeClient(conv) {
  if (conv.env === 'live') return new Client('crm_prod');
  return new Client('crm_dev');
}

export function key(conv) {
  const client = makeClient(conv);
  return conv.utils.get_secret(client.secretName);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'an object an arrow factory makes from its argument (TypeScript)',
    language: 'typescript',
    source: `class Client {
  constructor(readonly secretName: string) {}
}

const makeClient = (service: string): Client => new Client(\`\${service}_api\`);

export function key(conv: Conversation): string {
  const client = makeClient('crm');
  return conv.utils.get_secret(client.secretName);
}
`,
    want: [{ name: 'crm_api', literal: '`${service}_api`', environments: null, when: [] }],
  },
];

export const METHOD_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'an object a factory gives from elsewhere on one of its returns: unknown',
    language: 'javascript',
    source: `class Client {
  constructor(secretName) {
    this.secretName = secretName;
  }
}

function makeClient(conv) {
  if (conv.env === 'live') return new Client('crm_prod');
  return loadClient(conv);
}

export function key(conv) {
  const client = makeClient(conv);
  return conv.utils.get_secret(client.secretName);
}
`,
    want: { unresolved: ['client.secretName'] },
  },
  {
    title: 'a method an object made in place inherits (not its class own): unknown',
    language: 'javascript',
    source: `class Base {
  secretName(env) {
    return env === 'live' ? 'crm_live' : 'crm_test';
  }
}
class Config extends Base {}
export function f(conv) {
  return conv.utils.get_secret(new Config().secretName(conv.env));
}
`,
    want: { unresolved: ['new Config().secretName(conv.env)'] },
  },
  {
    title: 'a method passed on as a value: its arguments are not known',
    language: 'javascript',
    source: `class Handler {
  read(conv, name) {
    return conv.utils.get_secret(name);
  }

  run(conv) {
    return ['a', 'b'].map(this.read);
  }
}
`,
    want: { unresolved: ['read'] },
  },
  {
    title: 'a method a subclass overrides: which one `this.read` calls is not known here',
    language: 'javascript',
    source: `class Base {
  read(conv, name) {
    return conv.utils.get_secret(name);
  }

  run(conv) {
    return this.read(conv, 'crm_key');
  }
}

class Sub extends Base {
  read(conv, name) {
    return 'x';
  }
}
`,
    want: { unresolved: ['name'] },
  },
];
