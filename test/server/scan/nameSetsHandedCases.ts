// Corpus cases: a table handed to a function of the file (read there only: its names; changed there,
// in place or by a function it hands it on to: unknown, in both languages alike), a table changed
// through another name bound to it, a function's local table apart from another function's of the
// same name; `await` of a helper that returns the name; an attribute an instance made with no
// arguments inherits from a base of the file; a `@property` / getter returning the name (an abstract
// one in a base, each subclass giving its own); `self.conv.env` / `this.conv.env`; JavaScript's
// `reduce` callback over names. Each in Python and JavaScript / TypeScript; the variants that stay
// unknown after them.

import type { CorpusCase, WantCandidate } from './nameSetsCorpusCases';

const byEnv = (quote: string, live: string, sandbox: string): WantCandidate[] => [
  { name: live, literal: `${quote}${live}${quote}`, environments: ['live'] },
  { name: sandbox, literal: `${quote}${sandbox}${quote}`, environments: ['sandbox'] },
];

const PY_CONFIG = `CONFIG = {"live": "crm_live", "sandbox": "crm_sb"}\n\n\n`;
const TS_CONFIG = `const CONFIG: Record<string, string> = { live: 'crm_live', sandbox: 'crm_sb' };\n\n`;

export const HANDED_PYTHON_CASES: CorpusCase[] = [
  {
    title: 'a module table handed to a function of the file that only reads it',
    language: 'python',
    source: `${PY_CONFIG}def describe(table):
    return ", ".join(sorted(table))


def crm(conv):
    conv.log.info(describe(CONFIG))
    return conv.utils.get_secret(CONFIG[conv.env])
`,
    want: byEnv('"', 'crm_live', 'crm_sb'),
  },
  {
    title: 'a table handed to a function that hands it back to itself, reading it only',
    language: 'python',
    source: `${PY_CONFIG}def count(table, depth):
    return 0 if depth == 0 else count(table, depth - 1)


def crm(conv):
    count(CONFIG, 3)
    return conv.utils.get_secret(CONFIG[conv.env])
`,
    want: byEnv('"', 'crm_live', 'crm_sb'),
  },
  {
    title: 'a module table handed to a method through self that only reads it',
    language: 'python',
    source: `${PY_CONFIG}class Crm:
    def describe(self, table):
        return ", ".join(sorted(table))

    def key(self, conv):
        conv.log.info(self.describe(CONFIG))
        return conv.utils.get_secret(CONFIG[conv.env])
`,
    want: byEnv('"', 'crm_live', 'crm_sb'),
  },
  {
    title: "a function's local table, another function changing its own local of the same name",
    language: 'python',
    source: `def crm(conv):
    cfg = {"live": "crm_live", "sandbox": "crm_sb"}
    return conv.utils.get_secret(cfg[conv.env])


def payload(x):
    cfg = {}
    cfg["value"] = x
    return cfg
`,
    want: byEnv('"', 'crm_live', 'crm_sb'),
  },
  {
    title: 'await of a coroutine that returns the name',
    language: 'python',
    source: `async def secret_name(conv):
    return "crm_live" if conv.env == "live" else "crm_sb"


async def crm(conv):
    name = await secret_name(conv)
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'crm_live', literal: '"crm_live"', environments: ['live'] },
      { name: 'crm_sb', literal: '"crm_sb"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'an attribute an instance made with no arguments inherits from a base of the file',
    language: 'python',
    source: `class BaseClient:
    secret_name = "crm_api"


class CrmClient(BaseClient):
    timeout = 10


def crm(conv):
    client = CrmClient()
    return conv.utils.get_secret(client.secret_name)
`,
    want: [{ name: 'crm_api', literal: '"crm_api"', environments: null, when: [] }],
  },
  {
    title: "an attribute an instance's class gives over its base's",
    language: 'python',
    source: `class BaseClient:
    secret_name = "base_api"


class CrmClient(BaseClient):
    secret_name = "crm_api"


def crm(conv):
    client = CrmClient()
    return conv.utils.get_secret(client.secret_name)
`,
    want: [{ name: 'crm_api', literal: '"crm_api"', environments: null, when: [] }],
  },
  {
    title: 'an attribute set by the __init__ of a class that extends one from elsewhere, after its super call',
    language: 'python',
    source: `from base import Base


class Session(Base):
    def __init__(self, conv, name):
        super().__init__(conv)
        self.secret_name = name


def f(conv):
    s = Session(conv, "crm_api")
    return conv.utils.get_secret(s.secret_name)
`,
    want: [{ name: 'crm_api', literal: '"crm_api"', environments: null, when: [] }],
  },
  {
    title: 'a property returning the name, read through the instance in a method',
    language: 'python',
    source: `class StripeClient:
    @property
    def secret_name(self) -> str:
        return "stripe_key"

    def charge(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: [{ name: 'stripe_key', literal: '"stripe_key"', environments: null, when: [] }],
  },
  {
    title: 'an abstract property in the base, each subclass giving the name by a property or an attribute',
    language: 'python',
    source: `from abc import ABC, abstractmethod


class Client(ABC):
    @property
    @abstractmethod
    def secret_name(self) -> str:
        raise NotImplementedError

    def key(self, conv):
        return conv.utils.get_secret(self.secret_name)


class Stripe(Client):
    @property
    def secret_name(self) -> str:
        return "stripe_key"


class Twilio(Client):
    secret_name = "twilio_key"
`,
    want: [
      { name: 'stripe_key', literal: '"stripe_key"', environments: null, when: [] },
      { name: 'twilio_key', literal: '"twilio_key"', environments: null, when: [] },
    ],
  },
  {
    title: 'a cached property choosing the name by the environment, the conversation kept on self',
    language: 'python',
    source: `from functools import cached_property


class Crm:
    def __init__(self, conv):
        self.conv = conv

    @cached_property
    def secret_name(self):
        return "crm_live" if self.conv.env == "live" else "crm_sb"

    def key(self):
        return self.conv.utils.get_secret(self.secret_name)
`,
    want: [
      { name: 'crm_live', literal: '"crm_live"', environments: ['live'] },
      { name: 'crm_sb', literal: '"crm_sb"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a list of the same name that another function hands to a helper that appends is another list",
    language: 'python',
    source: `def add_backup(names):
    names.append("crm_backup")


def other():
    names = []
    add_backup(names)
    return names


def f(conv):
    names = ["crm_primary"]
    for n in names:
        conv.utils.get_secret(n)
`,
    want: [{ name: 'crm_primary', literal: '"crm_primary"', environments: null }],
  },
];

export const HANDED_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: "a module table handed to a method through self, a subclass's version of which changes it",
    language: 'python',
    source: `${PY_CONFIG}class Crm:
    def prepare(self, table):
        return len(table)

    def key(self, conv):
        self.prepare(CONFIG)
        return conv.utils.get_secret(CONFIG[conv.env])


class EuCrm(Crm):
    def prepare(self, table):
        table["live"] = "crm_eu"
`,
    want: { unresolved: ['self.prepare(CONFIG)'] },
  },
  {
    title: 'a method (not a property) read as an attribute',
    language: 'python',
    source: `class StripeClient:
    def secret_name(self):
        return "stripe_key"

    def charge(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: { unresolved: ['def secret_name'] },
  },
  {
    title: 'a module table handed to a function of the file that changes it in place',
    language: 'python',
    source: `${PY_CONFIG}def use_backup(table):
    table["live"] = "crm_backup"


def crm(conv):
    use_backup(CONFIG)
    return conv.utils.get_secret(CONFIG[conv.env])
`,
    want: { unresolved: ['use_backup(CONFIG)'] },
  },
  {
    title: 'a table handed by keyword to a function that updates it',
    language: 'python',
    source: `${PY_CONFIG}def override(region, table=None):
    table.update(live="crm_" + region)


def crm(conv):
    override("eu", table=CONFIG)
    return conv.utils.get_secret(CONFIG[conv.env])
`,
    want: { unresolved: ['override("eu", table=CONFIG)'] },
  },
  {
    title: 'a table handed to a function that hands it on to one that changes it',
    language: 'python',
    source: `${PY_CONFIG}def drop_live(t):
    del t["live"]


def prepare(table):
    drop_live(table)


def crm(conv):
    prepare(CONFIG)
    return conv.utils.get_secret(CONFIG[conv.env])
`,
    want: { unresolved: ['prepare(CONFIG)'] },
  },
  {
    title: 'a list of names handed to a function that appends to it, then iterated',
    language: 'python',
    source: `NAMES = ["crm_api", "billing_api"]


def add_backup(names):
    names.append("backup_api")


def load(conv):
    add_backup(NAMES)
    return [conv.utils.get_secret(n) for n in NAMES]
`,
    want: { unresolved: ['add_backup(NAMES)'] },
  },
  {
    title: 'a module table changed through another name bound to it',
    language: 'python',
    source: `${PY_CONFIG}overrides = CONFIG
overrides["live"] = "crm_backup"


def crm(conv):
    return conv.utils.get_secret(CONFIG[conv.env])
`,
    want: { unresolved: ['overrides["live"]'] },
  },
  {
    title: 'a local table changed by a function defined in its function',
    language: 'python',
    source: `def crm(conv):
    cfg = {"live": "crm_live", "sandbox": "crm_sb"}

    def use_backup():
        cfg["live"] = "crm_backup"

    use_backup()
    return conv.utils.get_secret(cfg[conv.env])
`,
    want: { unresolved: ['cfg["live"]'] },
  },
  {
    title: 'an attribute an instance inherits from a base imported from elsewhere',
    language: 'python',
    source: `from clients import RemoteClient


class CrmClient(RemoteClient):
    timeout = 10


def crm(conv):
    client = CrmClient()
    return conv.utils.get_secret(client.secret_name)
`,
    want: { unresolved: ['client.secret_name'] },
  },
  {
    title: "a function's own list handed to a helper of the file that appends to it, then looped over",
    language: 'python',
    source: `def add_backup(names):
    names.append("crm_backup")


def f(conv):
    names = ["crm_primary"]
    add_backup(names)
    for n in names:
        conv.utils.get_secret(n)
`,
    want: { unresolved: ['add_backup(names)'] },
  },
];

export const HANDED_JS_CASES: CorpusCase[] = [
  {
    title: 'a module table handed to a function of the file that only reads it',
    language: 'typescript',
    source: `${TS_CONFIG}function describe(table: Record<string, string>): string {
  return Object.keys(table).sort().join(', ');
}

export function crm(conv: Conversation) {
  conv.log.info(describe(CONFIG));
  return conv.utils.get_secret(CONFIG[conv.env]);
}
`,
    want: byEnv("'", 'crm_live', 'crm_sb'),
  },
  {
    title: 'a table handed to an arrow that hands it to a reader, and to a function that calls itself',
    language: 'javascript',
    source: `const CONFIG = { live: 'crm_live', sandbox: 'crm_sb' };

function count(table, depth) {
  return depth === 0 ? Object.keys(table).length : count(table, depth - 1);
}
const describe = (table) => count(table, 2);

export function crm(conv) {
  describe(CONFIG);
  return conv.utils.get_secret(CONFIG[conv.env]);
}
`,
    want: byEnv("'", 'crm_live', 'crm_sb'),
  },
  {
    title: 'a module table handed to a method through this that only reads it',
    language: 'typescript',
    source: `${TS_CONFIG}export class Crm {
  private describe(table: Record<string, string>): string {
    return Object.keys(table).join(', ');
  }

  key(conv: Conversation) {
    conv.log.info(this.describe(CONFIG));
    return conv.utils.get_secret(CONFIG[conv.env]);
  }
}
`,
    want: byEnv("'", 'crm_live', 'crm_sb'),
  },
  {
    title: 'await of an async function that returns the name',
    language: 'typescript',
    source: `async function secretName(conv: Conversation): Promise<string> {
  return conv.env === 'live' ? 'crm_live' : 'crm_sb';
}

export async function crm(conv: Conversation) {
  const name = await secretName(conv);
  return conv.utils.get_secret(name);
}
`,
    want: [
      { name: 'crm_live', literal: "'crm_live'", environments: ['live'] },
      { name: 'crm_sb', literal: "'crm_sb'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'await of a method called through this',
    language: 'typescript',
    source: `export class Crm {
  private async secretName(conv: Conversation): Promise<string> {
    return 'crm_api';
  }

  async key(conv: Conversation) {
    return conv.utils.get_secret(await this.secretName(conv));
  }
}
`,
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, when: [] }],
  },
  {
    title: 'a field an instance inherits from a base of the file (no constructor of its own)',
    language: 'typescript',
    source: `class BaseClient {
  protected readonly timeout = 10;
  constructor(public readonly secretName: string) {}
}

class CrmClient extends BaseClient {}

export function crm(conv: Conversation) {
  const client = new CrmClient('crm_api');
  return conv.utils.get_secret(client.secretName);
}
`,
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, when: [] }],
  },
  {
    title: "a field an instance's class declares over its base's",
    language: 'javascript',
    source: `class BaseClient {
  secretName = 'base_api';
}

class CrmClient extends BaseClient {
  secretName = 'crm_api';
}

export function crm(conv) {
  const client = new CrmClient();
  return conv.utils.get_secret(client.secretName);
}
`,
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, when: [] }],
  },
  {
    title: 'a field set by the constructor of a class that extends one from elsewhere, after its super call',
    language: 'javascript',
    source: `import { Base } from './base';

class Session extends Base {
  constructor(conv, name) {
    super(conv);
    this.secretName = name;
  }
}
export function f(conv) {
  const s = new Session(conv, 'crm_api');
  return conv.utils.get_secret(s.secretName);
}
`,
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, when: [] }],
  },
  {
    title: 'a getter returning the name, read through this',
    language: 'typescript',
    source: `export class StripeClient {
  get secretName(): string {
    return 'stripe_key';
  }

  charge(conv: Conversation) {
    return conv.utils.get_secret(this.secretName);
  }
}
`,
    want: [{ name: 'stripe_key', literal: "'stripe_key'", environments: null, when: [] }],
  },
  {
    title: 'an abstract getter in the base, each subclass giving the name by a getter or a field',
    language: 'typescript',
    source: `abstract class Client {
  abstract get secretName(): string;

  key(conv: Conversation) {
    return conv.utils.get_secret(this.secretName);
  }
}

export class Stripe extends Client {
  get secretName() {
    return 'stripe_key';
  }
}

export class Twilio extends Client {
  readonly secretName = 'twilio_key';
}
`,
    want: [
      { name: 'stripe_key', literal: "'stripe_key'", environments: null, when: [] },
      { name: 'twilio_key', literal: "'twilio_key'", environments: null, when: [] },
    ],
  },
  {
    title: "a getter an instance's class inherits, choosing the name by the environment",
    language: 'javascript',
    source: `class Base {
  constructor(conv) {
    this.conv = conv;
  }
  get secretName() {
    return this.conv.env === 'live' ? 'crm_live' : 'crm_sb';
  }
}
class Crm extends Base {}

export function key(conv) {
  const crm = new Crm(conv);
  return conv.utils.get_secret(crm.secretName);
}
`,
    want: [
      { name: 'crm_live', literal: "'crm_live'", environments: ['live'] },
      { name: 'crm_sb', literal: "'crm_sb'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "reduce's callback over a list of names, with a first value",
    language: 'typescript',
    source: `const NAMES = ['crm_api', 'billing_api'] as const;

export function load(conv: Conversation): Record<string, string> {
  return NAMES.reduce((acc, name) => ({ ...acc, [name]: conv.utils.get_secret(name) }), {});
}
`,
    want: [
      { name: 'crm_api', literal: "'crm_api'", environments: null, when: [] },
      { name: 'billing_api', literal: "'billing_api'", environments: null, when: [] },
    ],
  },
];

export const HANDED_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a module table handed to a method through this that changes it',
    language: 'typescript',
    source: `${TS_CONFIG}export class Crm {
  private useBackup(table: Record<string, string>): void {
    table.live = 'crm_backup';
  }

  key(conv: Conversation) {
    this.useBackup(CONFIG);
    return conv.utils.get_secret(CONFIG[conv.env]);
  }
}
`,
    want: { unresolved: ['CONFIG'] },
  },
  {
    title: "reduce's callback without a first value (the first name is the accumulator, never read)",
    language: 'javascript',
    source: `const NAMES = ['crm_api', 'billing_api'];

export function load(conv) {
  return NAMES.reduce((acc, name) => acc + conv.utils.get_secret(name));
}
`,
    want: { unresolved: ['name'] },
  },
  {
    title: 'a getter with a setter of the same name',
    language: 'typescript',
    source: `export class StripeClient {
  private name = 'stripe_key';
  get secretName(): string {
    return this.name;
  }
  set secretName(v: string) {
    this.name = v;
  }
  charge(conv: Conversation) {
    return conv.utils.get_secret(this.secretName);
  }
}
`,
    want: { unresolved: ['this.secretName'] },
  },
  {
    title: 'a method (not a getter) read as a field',
    language: 'javascript',
    source: `export class StripeClient {
  secretName() {
    return 'stripe_key';
  }
  charge(conv) {
    return conv.utils.get_secret(this.secretName);
  }
}
`,
    want: { unresolved: ['this.secretName'] },
  },
  {
    title: 'a module table handed to a function of the file that changes it in place',
    language: 'typescript',
    source: `${TS_CONFIG}function useBackup(table: Record<string, string>): void {
  table.live = 'crm_backup';
}

export function crm(conv: Conversation) {
  useBackup(CONFIG);
  return conv.utils.get_secret(CONFIG[conv.env]);
}
`,
    want: { unresolved: ['CONFIG'] },
  },
  {
    title: 'a table handed to a function that hands it on to one that changes it',
    language: 'javascript',
    source: `const CONFIG = { live: 'crm_live', sandbox: 'crm_sb' };

function dropLive(t) {
  delete t.live;
}
function prepare(table) {
  dropLive(table);
}

export function crm(conv) {
  prepare(CONFIG);
  return conv.utils.get_secret(CONFIG[conv.env]);
}
`,
    want: { unresolved: ['CONFIG'] },
  },
  {
    title: 'a table handed to a rest parameter',
    language: 'javascript',
    source: `const CONFIG = { live: 'crm_live', sandbox: 'crm_sb' };

function merge(...tables) {
  tables[0].live = 'crm_backup';
}

export function crm(conv) {
  merge(CONFIG);
  return conv.utils.get_secret(CONFIG[conv.env]);
}
`,
    want: { unresolved: ['CONFIG'] },
  },
  {
    title: 'a field of a class whose own constructor calls its base',
    language: 'typescript',
    source: `class BaseClient {
  constructor(public readonly secretName: string) {}
}

class CrmClient extends BaseClient {
  constructor() {
    super('crm_api');
  }
}

export function crm(conv: Conversation) {
  const client = new CrmClient();
  return conv.utils.get_secret(client.secretName);
}
`,
    want: { unresolved: ['client.secretName'] },
  },
];
