// The corpus's iteration cases (issue 51): names chosen by iterating containers of literals, in
// comprehensions and lambdas (scopes of their own), through `self` attributes set by `__init__`
// and constructor arguments; then the variants that must stay unknown. The expectations are
// written from the rules, not from a run. Each source has exactly one computed read.

import type { CorpusCase } from './nameSetsCorpusCases';

/** A handler class whose method reads the name its constructor is given (the constructor cases share it). */
const HANDLER = `class Handler:
    def __init__(self, secret_name):
        self.secret_name = secret_name

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name)
`;

const names = (...xs: string[]) => xs.map((x) => ({ name: x, literal: `"${x}"`, environments: null, when: [] }));

export const ITER_PYTHON_CASES: CorpusCase[] = [
  {
    title: 'a dict comprehension over a tuple of names',
    language: 'python',
    source: `def load(conv):
    return {n: conv.utils.get_secret(n) for n in ("crm_api", "pay_api")}
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a generator over a list of names',
    language: 'python',
    source: `def load(conv):
    return list(conv.utils.get_secret(n) for n in ["crm_api", "pay_api"])
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a comprehension variable shadowing an earlier loop's: the comprehension's names",
    language: 'python',
    source: `def load(conv):
    for n in ("old_a", "old_b"):
        print(n)
    return [conv.utils.get_secret(n) for n in ("crm_api", "pay_api")]
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a loop variable read after a comprehension that shadows it: the loop's names",
    language: 'python',
    source: `def load(conv):
    for n in ("crm_api", "pay_api"):
        seen = [n for n in ("old_a", "old_b")]
        conv.utils.get_secret(n)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a nested comprehension over rows of (label, [names])',
    language: 'python',
    source: `ROWS = [("crm", ["crm_api", "crm_key"]), ("pay", ["pay_api"])]

def load(conv):
    return [conv.utils.get_secret(n) for label, names in ROWS for n in names]
`,
    want: names('crm_api', 'crm_key', 'pay_api'),
  },
  {
    title: 'a for over a dict: its keys',
    language: 'python',
    source: `LIMITS = {"crm_api": 10, "pay_api": 20}

def load(conv):
    for name in LIMITS:
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a for over a dict's .items(), unpacked",
    language: 'python',
    source: `SECRETS = {"crm": "crm_api", "pay": "pay_api"}

def load(conv):
    for label, name in SECRETS.items():
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a for over a dict's .keys()",
    language: 'python',
    source: `LIMITS = {"crm_api": 10, "pay_api": 20}

def load(conv):
    for name in LIMITS.keys():
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a for over a dict's .values()",
    language: 'python',
    source: `SECRETS = {"crm": "crm_api", "pay": "pay_api"}

def load(conv):
    for name in SECRETS.values():
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a dict comprehension over a dict's .items()",
    language: 'python',
    source: `SECRETS = {"crm": "crm_api", "pay": "pay_api"}

def load(conv):
    return {label: conv.utils.get_secret(name) for label, name in SECRETS.items()}
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a loop unpacking rows of (label, name)',
    language: 'python',
    source: `ROWS = (("crm", "crm_api"), ("pay", "pay_api"))

def load(conv):
    for label, name in ROWS:
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'nested loops over rows of (label, [names])',
    language: 'python',
    source: `ROWS = [("crm", ["crm_api", "crm_key"]), ("pay", ["pay_api"])]

def load(conv):
    for label, group in ROWS:
        for name in group:
            conv.utils.get_secret(name)
`,
    want: names('crm_api', 'crm_key', 'pay_api'),
  },
  {
    title: 'a loop over part 1 of each row: `for name in row[1]`',
    language: 'python',
    source: `ROWS = [("crm", ["crm_api", "crm_key"]), ("pay", ["pay_api"])]

def load(conv):
    for row in ROWS:
        for name in row[1]:
            conv.utils.get_secret(name)
`,
    want: names('crm_api', 'crm_key', 'pay_api'),
  },
  {
    title: 'part 0 of each row read directly: `get_secret(row[0])`',
    language: 'python',
    source: `ROWS = (("crm_api", "CRM"), ("pay_api", "Payments"))

def load(conv):
    return {label: conv.utils.get_secret(row[0]) for row in ROWS for label in row[1:]}
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a loop over a list held at a key of a dict, and at the last index of a list',
    language: 'python',
    source: `SETTINGS = {"names": ["crm_api", "pay_api"], "retries": 3}

def load(conv):
    for name in SETTINGS["names"]:
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a loop over the last row of a list of rows',
    language: 'python',
    source: `GROUPS = [["old_api"], ["crm_api", "pay_api"]]

def load(conv):
    for name in GROUPS[-1]:
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a loop over enumerate() of a list of names',
    language: 'python',
    source: `NAMES = ["crm_api", "pay_api"]

def load(conv):
    for i, name in enumerate(NAMES):
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a loop over a set of names',
    language: 'python',
    source: `def load(conv):
    for name in {"crm_api", "pay_api"}:
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a lambda's parameter mapped over a tuple of names",
    language: 'python',
    source: `NAMES = ("crm_api", "pay_api")

def load(conv):
    return list(map(lambda n: conv.utils.get_secret(n), NAMES))
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a lambda bound to a name: its parameter is the argument of every call",
    language: 'python',
    source: `read = lambda conv, n: conv.utils.get_secret(n)

def load(conv):
    return read(conv, "crm_api"), read(conv, "pay_api")
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a lambda's parameter as sorted()'s key",
    language: 'python',
    source: `NAMES = ("crm_api", "pay_api")

def load(conv):
    return sorted(NAMES, key=lambda n: len(conv.utils.get_secret(n)))
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a name stored on self by __init__ from a literal, read in a method',
    language: 'python',
    source: `class Client:
    def __init__(self):
        self.secret_name = "crm_api"

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: names('crm_api'),
  },
  {
    title: 'a name stored on self by __init__ on conv.env, each in its environments',
    language: 'python',
    source: `class Client:
    def __init__(self, conv):
        if conv.env == "live":
            self.secret_name = "x_prod_api"
        else:
            self.secret_name = "x_uat_api"

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: [
      { name: 'x_prod_api', literal: '"x_prod_api"', environments: ['live'] },
      { name: 'x_uat_api', literal: '"x_uat_api"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a later assignment in __init__ overwrites an earlier one',
    language: 'python',
    source: `class Client:
    def __init__(self):
        self.secret_name = "old_api"
        self.secret_name = "crm_api"

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: names('crm_api'),
  },
  {
    title: "names handed to a class: a helper by environment, the constructor, a session helper's read",
    language: 'python',
    source: `def secret_for(conv):
    if conv.env == "live":
        return "x_prod_api"
    return "x_uat_api"


class Handler:
    def __init__(self, secret_name):
        self.secret_name = secret_name

    def _session(self, conv):
        return conv.utils.get_secret(self.secret_name)

    def run(self, conv):
        return self._session(conv)


def handle(conv):
    return Handler(secret_for(conv)).run(conv)
`,
    want: [
      { name: 'x_prod_api', literal: '"x_prod_api"', environments: ['live'] },
      { name: 'x_uat_api', literal: '"x_uat_api"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "an instance's attribute read outside its class: that construction's argument, not every call's",
    language: 'python',
    source: `class Session:
    def __init__(self, secret_name, retries=3):
        self.secret_name = secret_name


def other():
    return Session("pay_api")


def crm(conv):
    session = Session("crm_api")
    return conv.utils.get_secret(session.secret_name)
`,
    want: names('crm_api'),
  },
  {
    title: 'an instance chosen by a conditional between a construction and a name holding one: each one\'s field',
    language: 'python',
    source: `from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    secret_name: str = "crm_api"
    timeout: int = 10


DEFAULT = Provider()


def load(conv):
    live = Provider(secret_name="crm_prod_api", timeout=5) if conv.env == "live" else DEFAULT
    return conv.utils.get_secret(live.secret_name)
`,
    want: [
      { name: 'crm_api', literal: '"crm_api"', environments: ['sandbox', 'pre-release'] },
      { name: 'crm_prod_api', literal: '"crm_prod_api"', environments: ['live'] },
    ],
  },
  {
    title: "a dataclass's field given by keyword where the instance is made",
    language: 'python',
    source: `import dataclasses


@dataclasses.dataclass
class Provider:
    label: str
    secret_name: str


def load(conv):
    provider = Provider(label="CRM", secret_name="crm_prod_api" if conv.env == "live" else "crm_api")
    return conv.utils.get_secret(provider.secret_name)
`,
    want: [
      { name: 'crm_prod_api', literal: '"crm_prod_api"', environments: ['live'] },
      { name: 'crm_api', literal: '"crm_api"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a dataclass's default where the construction passes other fields",
    language: 'python',
    source: `from dataclasses import dataclass


@dataclass
class Provider:
    secret_name: str = "crm_api"
    timeout: int = 10


def load(conv):
    provider = Provider(timeout=5)
    return conv.utils.get_secret(provider.secret_name)
`,
    want: names('crm_api'),
  },
  {
    title: "a dataclass's fields passed by position, in the body's order (a ClassVar is not a field)",
    language: 'python',
    source: `from dataclasses import dataclass
from typing import ClassVar


@dataclass
class Provider:
    KIND: ClassVar[str] = "crm"
    label: str
    secret_name: str = "crm_api"


def load(conv):
    provider = Provider("CRM", "crm_prod_api" if conv.env == "live" else "crm_api")
    return conv.utils.get_secret(provider.secret_name)
`,
    want: [
      { name: 'crm_prod_api', literal: '"crm_prod_api"', environments: ['live'] },
      { name: 'crm_api', literal: '"crm_api"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a dataclass's default where the construction passes only the fields before it by position",
    language: 'python',
    source: `from dataclasses import dataclass


@dataclass
class Provider:
    label: str
    secret_name: str = "crm_api"


def load(conv):
    provider = Provider("CRM")
    return conv.utils.get_secret(provider.secret_name)
`,
    want: names('crm_api'),
  },
  {
    title: 'a constructor argument by keyword, at every call site',
    language: 'python',
    source: `${HANDLER}

def crm(conv):
    return Handler(secret_name="crm_api").token(conv)


def pay(conv):
    return Handler("pay_api").token(conv)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a loop over the list a dict chooses by conv.env: each name in the environment of its key',
    language: 'python',
    source: `NAMES = {"live": ["crm_prod", "pay_prod"], "sandbox": ["crm_dev"]}

def load(conv):
    for n in NAMES[conv.env]:
        conv.utils.get_secret(n)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'], when: [] },
      { name: 'pay_prod', literal: '"pay_prod"', environments: ['live'], when: [] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'], when: [] },
    ],
  },
  {
    title: 'a loop over .get(conv.env, []) through a name, the empty default giving nothing',
    language: 'python',
    source: `NAMES = {"live": ["crm_prod"], "sandbox": ["crm_dev"]}

def load(conv):
    chosen = NAMES.get(conv.env, [])
    return [conv.utils.get_secret(n) for n in chosen]
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'], when: [] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'], when: [] },
    ],
  },
  {
    title: "a loop over (NAMES.get(conv.env) or NAMES['sandbox']): the sandbox list where the key is missing",
    language: 'python',
    source: `NAMES = {"live": ["crm_prod"], "sandbox": ["crm_dev"]}

def load(conv):
    for n in NAMES.get(conv.env) or NAMES["sandbox"]:
        conv.utils.get_secret(n)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'zip() of two tuples, unpacked: the names at their places',
    language: 'python',
    source: `def load(conv):
    for name, label in zip(("crm_api", "pay_api"), ("CRM", "Payments")):
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'enumerate(zip(…)), unpacked twice',
    language: 'python',
    source: `NAMES = ["crm_api", "pay_api"]
LABELS = ["CRM", "Payments"]

def load(conv):
    for i, (label, name) in enumerate(zip(LABELS, NAMES)):
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'zip() stops at the shortest',
    language: 'python',
    source: `def load(conv):
    for name, label in zip(["crm_api", "pay_api", "old_api"], ["CRM", "Payments"]):
        conv.utils.get_secret(name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a list built by a comprehension, then iterated',
    language: 'python',
    source: `def load(conv):
    names = [f"{p}_api" for p in ("crm", "pay")]
    for n in names:
        conv.utils.get_secret(n)
`,
    want: [
      { name: 'crm_api', literal: ['"crm"', 'f"{p}_api"'], environments: null },
      { name: 'pay_api', literal: ['"pay"', 'f"{p}_api"'], environments: null },
    ],
  },
  {
    title: 'sorted() of a generator, iterated',
    language: 'python',
    source: `def load(conv):
    for n in sorted(p.lower() for p in ("CRM_API", "PAY_API")):
        conv.utils.get_secret(n)
`,
    want: [
      { name: 'crm_api', literal: '"CRM_API"', environments: null },
      { name: 'pay_api', literal: '"PAY_API"', environments: null },
    ],
  },
  {
    title: "a dict comprehension's values, iterated",
    language: 'python',
    source: `def load(conv):
    by_label = {p: p + "_api" for p in ("crm", "pay")}
    for n in by_label.values():
        conv.utils.get_secret(n)
`,
    want: [
      { name: 'crm_api', literal: ['"crm"', '"_api"'], environments: null },
      { name: 'pay_api', literal: ['"pay"', '"_api"'], environments: null },
    ],
  },
  {
    title: 'a list built by append and extend, one append under an environment test',
    language: 'python',
    source: `def load(conv):
    names = ["crm_api"]
    if conv.env == "live":
        names.append("crm_live_audit")
    names.extend(("pay_api", "sms_api"))
    return [conv.utils.get_secret(n) for n in names]
`,
    want: [
      { name: 'crm_api', literal: '"crm_api"', environments: null, when: [] },
      { name: 'crm_live_audit', literal: '"crm_live_audit"', environments: ['live'], when: [] },
      { name: 'pay_api', literal: '"pay_api"', environments: null, when: [] },
      { name: 'sms_api', literal: '"sms_api"', environments: null, when: [] },
    ],
  },
  {
    title: "a module's list appended to at the module's level, read in a function",
    language: 'python',
    source: `NAMES: list[str] = []
NAMES.append("crm_api")
NAMES.append("pay_api")

def load(conv):
    return {n: conv.utils.get_secret(n) for n in NAMES}
`,
    want: [
      { name: 'crm_api', literal: '"crm_api"', environments: null, when: [] },
      { name: 'pay_api', literal: '"pay_api"', environments: null, when: [] },
    ],
  },
  {
    title: "a list built by append beside another function's own list of the same name",
    language: 'python',
    source: `def labels():
    names = []
    names.append("not_a_secret")
    return names

def load(conv):
    names = ["crm_api"]
    names.append("pay_api")
    return [conv.utils.get_secret(n) for n in names]
`,
    want: [
      { name: 'crm_api', literal: '"crm_api"', environments: null, when: [] },
      { name: 'pay_api', literal: '"pay_api"', environments: null, when: [] },
    ],
  },
  {
    title: 'a list appended to in a loop over literals',
    language: 'python',
    source: `def load(conv):
    names = []
    for svc in ("crm", "pay"):
        names.append(f"{svc}_api")
    for n in names:
        conv.utils.get_secret(n)
`,
    want: [
      { name: 'crm_api', literal: '"crm"', environments: null, when: [] },
      { name: 'pay_api', literal: '"pay"', environments: null, when: [] },
    ],
  },
  {
    title: "a subclass's __init__ passing the name on through super().__init__, beside a construction of the base",
    language: 'python',
    source: `${HANDLER}

class CrmHandler(Handler):
    def __init__(self, conv):
        super().__init__("crm_api")
        self.conv = conv


def make(conv):
    return Handler("billing_api").token(conv), CrmHandler(conv)
`,
    want: names('crm_api', 'billing_api'),
  },
  {
    title: "super().__init__ passing the name by keyword, a conditional between two literals",
    language: 'python',
    source: `class Client:
    def __init__(self, conv, secret_name):
        self.key = conv.utils.get_secret(secret_name)


class Crm(Client):
    def __init__(self, conv, live):
        super().__init__(conv, secret_name="crm_prod" if live else "crm_dev")


def make(conv):
    return Crm(conv, conv.env == "live")
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: null },
      { name: 'crm_dev', literal: '"crm_dev"', environments: null },
    ],
  },
  {
    title: 'an object a classmethod factory makes (return cls(…)), its name chosen by the environment there',
    language: 'python',
    source: `class Client:
    def __init__(self, secret_name):
        self.secret_name = secret_name

    @classmethod
    def for_env(cls, conv):
        return cls("crm_prod" if conv.env == "live" else "crm_dev")


def make(conv):
    client = Client.for_env(conv)
    return conv.utils.get_secret(client.secret_name)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'an object a classmethod factory makes on one of two returns, each on its environment test',
    language: 'python',
    source: `class Client:
    def __init__(self, secret_name):
        self.secret_name = secret_name

    @classmethod
    def for_env(cls, conv):
        if conv.env == "live":
            return cls("crm_prod")
        return cls("crm_dev")


def make(conv):
    client = Client.for_env(conv)
    return conv.utils.get_secret(client.secret_name)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "an attribute of an object a factory makes, read in place (Settings.for_env(conv).secret)",
    language: 'python',
    source: `class Settings:
    def __init__(self, secret):
        self.secret = secret

    @classmethod
    def for_env(cls, conv):
        if conv.env == "live":
            return cls("crm_prod")
        return cls("crm_dev")


def make(conv):
    return conv.utils.get_secret(Settings.for_env(conv).secret)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a staticmethod factory's construction, read by the class's own method",
    language: 'python',
    source: `class Client:
    def __init__(self, secret_name):
        self.secret_name = secret_name

    @staticmethod
    def named(service):
        return Client(f"{service}_api")

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name)


def make(conv):
    return Client.named("crm").token(conv), Client("billing_api")
`,
    want: [
      { name: 'crm_api', literal: 'f"{service}_api"', environments: null, when: [] },
      { name: 'billing_api', literal: '"billing_api"', environments: null, when: [] },
    ],
  },
];

export const ITER_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: 'one element of a list built by a comprehension (which one is not followed)',
    language: 'python',
    source: `def load(conv):
    names = [p + "_api" for p in ("crm", "pay")]
    return conv.utils.get_secret(names[0])
`,
    want: { unresolved: ['names[0]', '[p + "_api" for p in ("crm", "pay")]'] },
  },
  {
    title: "rows built by a comprehension, unpacked (their parts would come apart)",
    language: 'python',
    source: `def load(conv):
    rows = [(p, p + "_api") for p in ("crm", "pay")]
    for label, name in rows:
        conv.utils.get_secret(label + name)
`,
    want: { unresolved: ['(p, p + "_api")', 'rows'] },
  },
  {
    title: 'zip() of a list chosen by conv.env (its places need not line up with the other)',
    language: 'python',
    source: `NAMES = {"live": ["crm_prod"], "sandbox": ["crm_dev", "pay_dev"]}

def load(conv):
    for name, label in zip(NAMES[conv.env], ("CRM", "Payments")):
        conv.utils.get_secret(name)
`,
    want: { unresolved: ['zip(NAMES[conv.env], ("CRM", "Payments"))'] },
  },
  {
    title: 'a row of a list chosen at run time, read by key',
    language: 'python',
    source: `ROWS = [{"name": "crm_api"}, {"name": "pay_api"}]

def load(conv, i):
    return conv.utils.get_secret(ROWS[i]["name"])
`,
    want: { unresolved: ['ROWS[i]["name"]'] },
  },
  {
    title: 'a list inside a dict that the file appends to',
    language: 'python',
    source: `SETTINGS = {"names": ["crm_api", "pay_api"]}
SETTINGS["names"].append(load_extra())

def load(conv):
    for name in SETTINGS["names"]:
        conv.utils.get_secret(name)
`,
    want: { unresolved: ['SETTINGS["names"].append(load_extra())'] },
  },
  {
    title: "a row's list that the file changes in place",
    language: 'python',
    source: `ROWS = [("crm", ["crm_api"]), ("pay", ["pay_api"])]
ROWS[0][1][0] = "other_api"

def load(conv):
    for label, names in ROWS:
        for name in names:
            conv.utils.get_secret(name)
`,
    want: { unresolved: ['ROWS[0][1][0]'] },
  },
  {
    title: "a dataclass whose constructor is given fields with field(): the order is not followed",
    language: 'python',
    source: `from dataclasses import dataclass, field


@dataclass
class Provider:
    secret_name: str = field(default="crm_api")


def load(conv):
    provider = Provider("pay_api")
    return conv.utils.get_secret(provider.secret_name)
`,
    want: { unresolved: ['provider.secret_name'] },
  },
  {
    title: "a dataclass with a base class passed fields by position (the base's fields come first)",
    language: 'python',
    source: `from dataclasses import dataclass


@dataclass
class Provider(BaseProvider):
    secret_name: str = "crm_api"


def load(conv):
    provider = Provider("pay_api")
    return conv.utils.get_secret(provider.secret_name)
`,
    want: { unresolved: ['provider.secret_name'] },
  },
  {
    title: 'a keyword-only dataclass given a field by position',
    language: 'python',
    source: `from dataclasses import dataclass


@dataclass(kw_only=True)
class Provider:
    secret_name: str = "crm_api"


def load(conv):
    provider = Provider("pay_api")
    return conv.utils.get_secret(provider.secret_name)
`,
    want: { unresolved: ['provider.secret_name'] },
  },
  {
    title: 'a class attribute of a plain class whose construction passes arguments',
    language: 'python',
    source: `class Provider:
    secret_name = "crm_api"


def load(conv):
    provider = Provider(secret_name="pay_api")
    return conv.utils.get_secret(provider.secret_name)
`,
    want: { unresolved: ['provider.secret_name'] },
  },
  {
    title: "an instance's attribute that the file also writes from outside",
    language: 'python',
    source: `class Session:
    def __init__(self, secret_name):
        self.secret_name = secret_name


def load(conv):
    session = Session("crm_api")
    session.secret_name = conv.state.get("name")
    return conv.utils.get_secret(session.secret_name)
`,
    want: { unresolved: ['session.secret_name'] },
  },
  {
    title: 'a loop over a missing key of a dict of lists',
    language: 'python',
    source: `SETTINGS = {"names": ["crm_api", "pay_api"]}

def load(conv):
    for name in SETTINGS["other"]:
        conv.utils.get_secret(name)
`,
    want: { unresolved: ['SETTINGS["other"]'] },
  },
  {
    title: 'a loop over rows at an index chosen at run time',
    language: 'python',
    source: `GROUPS = [["old_api"], ["crm_api"]]

def load(conv, i):
    for name in GROUPS[i]:
        conv.utils.get_secret(name)
`,
    want: { unresolved: ['GROUPS[i]'] },
  },
  {
    title: 'part 0 of a loop over plain names (a character, not a name)',
    language: 'python',
    source: `def load(conv):
    for k in ("crm_api", "pay_api"):
        conv.utils.get_secret(k[0])
`,
    want: { unresolved: ['"crm_api"'] },
  },
  {
    title: 'a loop over a parameter',
    language: 'python',
    source: `def load(conv, wanted):
    for name in wanted:
        conv.utils.get_secret(name)
`,
    want: { unresolved: ['wanted'] },
  },
  {
    title: "a loop over a call's result",
    language: 'python',
    source: `def wanted():
    return ("crm_api", "pay_api")

def load(conv):
    for name in wanted():
        conv.utils.get_secret(name)
`,
    want: { unresolved: ['wanted()'] },
  },
  {
    title: 'a loop over a dict built at run time',
    language: 'python',
    source: `def load(conv):
    table = {}
    table["crm_api"] = 1
    for name in table:
        conv.utils.get_secret(name)
`,
    want: { unresolved: ['table["crm_api"]'] },
  },
  {
    title: 'a comprehension over conv.state',
    language: 'python',
    source: `def load(conv):
    return [conv.utils.get_secret(n) for n in conv.state.names]
`,
    want: { unresolved: ['conv.state.names'] },
  },
  {
    title: 'a comprehension over a parameter',
    language: 'python',
    source: `def load(conv, wanted):
    return [conv.utils.get_secret(n) for n in wanted]
`,
    want: { unresolved: ['wanted'] },
  },
  {
    title: 'a loop variable changed in the loop',
    language: 'python',
    source: `def load(conv):
    for name in ("crm", "pay"):
        name = name + conv.state.suffix
        conv.utils.get_secret(name)
`,
    want: { unresolved: ['name'] },
  },
  {
    title: "a lambda's parameter with callers not followed",
    language: 'python',
    source: `read = lambda conv, n: conv.utils.get_secret(n)
`,
    want: { unresolved: ['n'] },
  },
  {
    title: 'a lambda bound to a name and passed on',
    language: 'python',
    source: `read = lambda conv, n: conv.utils.get_secret(n)
HANDLERS = [read]
`,
    want: { unresolved: ['read'] },
  },
  {
    title: 'a self attribute another method sets to a parameter nothing in the file gives',
    language: 'python',
    source: `class Client:
    def __init__(self):
        self.secret_name = "crm_api"

    def switch(self, other):
        self.secret_name = other

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: { unresolved: ['other'] },
  },
  {
    title: 'a constructor parameter of a class passed as a value',
    language: 'python',
    source: `${HANDLER}

def make(conv):
    factory = Handler
    return factory("crm_api").token(conv)
`,
    want: { unresolved: ['secret_name'] },
  },
  {
    title: 'a super().__init__ of a subclass with two bases (the next __init__ may be the other base\'s)',
    language: 'python',
    source: `${HANDLER}

class Logged:
    pass


class CrmHandler(Logged, Handler):
    def __init__(self):
        super().__init__("crm_api")


def make(conv):
    return CrmHandler().token(conv)
`,
    want: { unresolved: ['secret_name'] },
  },
  {
    title: 'an object a factory gives from a cache on one of its returns: not followed',
    language: 'python',
    source: `CACHE = {}


class Client:
    def __init__(self, secret_name):
        self.secret_name = secret_name

    @classmethod
    def for_env(cls, conv):
        if conv.env in CACHE:
            return CACHE[conv.env]
        return cls("crm_dev")


def make(conv):
    client = Client.for_env(conv)
    return conv.utils.get_secret(client.secret_name)
`,
    want: { unresolved: ['client.secret_name'] },
  },
  {
    title: 'a constructor parameter of a subclassed class',
    language: 'python',
    source: `${HANDLER}

class Other(Handler):
    pass


def make(conv):
    return Handler("crm_api").token(conv)
`,
    want: { unresolved: ['secret_name'] },
  },
  {
    title: 'a constructor parameter with no call site in the module',
    language: 'python',
    source: `${HANDLER}`,
    want: { unresolved: ['secret_name'] },
  },
  {
    title: 'a list appended to after the loop that reads it',
    language: 'python',
    source: `def load(conv):
    names = ["crm_api"]
    for n in names:
        conv.utils.get_secret(n)
    names.append("pay_api")
`,
    want: { unresolved: ['names.append("pay_api")'] },
  },
  {
    title: 'a list changed by insert (a change other than append / extend)',
    language: 'python',
    source: `def load(conv):
    names = ["crm_api"]
    names.insert(0, "pay_api")
    for n in names:
        conv.utils.get_secret(n)
`,
    want: { unresolved: ['names.insert(0, "pay_api")'] },
  },
  {
    title: "a module's list another function appends to",
    language: 'python',
    source: `NAMES = ["crm_api"]

def register(name):
    NAMES.append("pay_api")

def load(conv):
    for n in NAMES:
        conv.utils.get_secret(n)
`,
    want: { unresolved: ['NAMES.append("pay_api")'] },
  },
  {
    title: 'a list a nested function appends to',
    language: 'python',
    source: `def load(conv):
    names = ["crm_api"]
    def add():
        names.append("pay_api")
    add()
    for n in names:
        conv.utils.get_secret(n)
`,
    want: { unresolved: ['names.append("pay_api")'] },
  },
  {
    title: 'a list appended a parameter',
    language: 'python',
    source: `def load(conv, extra):
    names = ["crm_api"]
    names.append(extra)
    for n in names:
        conv.utils.get_secret(n)
`,
    want: { unresolved: ['extra'] },
  },
];

const envNames = (...xs: string[]) => xs.map((x) => ({ name: x, literal: `'${x}'`, environments: null, when: [] }));

export const ITER_JS_CASES: CorpusCase[] = [
  {
    title: 'an array built by .map() (the twin of a comprehension), then iterated',
    language: 'typescript',
    source: `export function load(conv: any): void {
  const names = ['crm', 'pay'].map((p) => \`\${p}_api\`);
  for (const n of names) conv.utils.get_secret(n);
}
`,
    want: [
      { name: 'crm_api', literal: ["'crm'", '`${p}_api`'], environments: null },
      { name: 'pay_api', literal: ["'pay'", '`${p}_api`'], environments: null },
    ],
  },
  {
    title: "Object.keys(T).map(function (k) { return …; }), then forEach over it",
    language: 'javascript',
    source: `const LABELS = { crm: 'CRM', pay: 'Payments' };
export function load(conv) {
  const names = Object.keys(LABELS).map(function (k) {
    return k.toUpperCase() + '_API';
  });
  names.forEach((n) => conv.utils.get_secret(n));
}
`,
    want: [
      { name: 'CRM_API', literal: ['crm', "'_API'"], environments: null },
      { name: 'PAY_API', literal: ['pay', "'_API'"], environments: null },
    ],
  },
  {
    title: 'for…of over the array an object chooses by conv.env: each name in the environment of its key',
    language: 'typescript',
    source: `const NAMES: Record<string, string[]> = { live: ['crm_prod', 'pay_prod'], sandbox: ['crm_dev'] };
export function load(conv: any): void {
  for (const n of NAMES[conv.env]) conv.utils.get_secret(n);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'], when: [] },
      { name: 'pay_prod', literal: "'pay_prod'", environments: ['live'], when: [] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'], when: [] },
    ],
  },
  {
    title: "for…of over (NAMES[conv.env] || NAMES.sandbox): the sandbox array where the key is missing",
    language: 'javascript',
    source: `const NAMES = { live: ['crm_prod'], sandbox: ['crm_dev'] };
export function load(conv) {
  for (const n of NAMES[conv.env] || NAMES.sandbox) conv.utils.get_secret(n);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'for…of over Object.entries(), destructured',
    language: 'javascript',
    source: `const KEYS = { crm: 'CRM_API_KEY', pay: 'PAY_API_KEY' };
for (const [label, name] of Object.entries(KEYS)) {
  console.log(label, Boolean(process.env[name]));
}
`,
    want: envNames('CRM_API_KEY', 'PAY_API_KEY'),
  },
  {
    title: 'for…of over Object.keys()',
    language: 'typescript',
    source: `const LIMITS = { CRM_API_KEY: 10, PAY_API_KEY: 20 } as const;
export function check(): void {
  for (const name of Object.keys(LIMITS)) {
    if (!process.env[name]) throw new Error('missing');
  }
}
`,
    want: [
      { name: 'CRM_API_KEY', literal: 'CRM_API_KEY', environments: null, when: [] },
      { name: 'PAY_API_KEY', literal: 'PAY_API_KEY', environments: null, when: [] },
    ],
  },
  {
    title: 'for…of unpacking rows of [label, name]',
    language: 'javascript',
    source: `const ROWS = [['crm', 'CRM_API_KEY'], ['pay', 'PAY_API_KEY']];
for (const [label, name] of ROWS) console.log(label, process.env[name]);
`,
    want: envNames('CRM_API_KEY', 'PAY_API_KEY'),
  },
  {
    title: "an arrow's parameter mapped over an array of names",
    language: 'typescript',
    source: `const NAMES = ['CRM_API_KEY', 'PAY_API_KEY'];
export const values = NAMES.map((name: string) => process.env[name]);
`,
    want: envNames('CRM_API_KEY', 'PAY_API_KEY'),
  },
  {
    title: "an arrow's parameter in forEach over an array literal",
    language: 'javascript',
    source: `['CRM_API_KEY', 'PAY_API_KEY'].forEach((name) => {
  if (!process.env[name]) console.warn('missing', name);
});
`,
    want: envNames('CRM_API_KEY', 'PAY_API_KEY'),
  },
  {
    title: "names handed to a class: new Handler(name) → the constructor's field → a method's read",
    language: 'typescript',
    source: `class Handler {
  private readonly secretName: string;
  constructor(secretName: string) {
    this.secretName = secretName;
  }
  read(): string | undefined {
    return process.env[this.secretName];
  }
}
export const crm = new Handler('CRM_API_KEY').read();
export const pay = new Handler('PAY_API_KEY').read();
`,
    want: envNames('CRM_API_KEY', 'PAY_API_KEY'),
  },
  {
    title: 'a field the constructor sets from a literal',
    language: 'javascript',
    source: `class Client {
  constructor() {
    this.keyName = 'CRM_API_KEY';
  }
  key() {
    return process.env[this.keyName];
  }
}
`,
    want: envNames('CRM_API_KEY'),
  },
  {
    title: 'nested for…of over rows of [label, [names]]',
    language: 'typescript',
    source: `const ROWS = [['crm', ['r1', 'r2']], ['pay', ['r3']]];
export function f(conv: any): void {
  for (const [label, names] of ROWS) for (const nm of names) conv.utils.get_secret(nm);
}
`,
    want: envNames('r1', 'r2', 'r3'),
  },
  {
    title: 'forEach over rows of [label, [names]], then over each row\'s names',
    language: 'typescript',
    source: `const ROWS = [['crm', ['r1', 'r2']], ['pay', ['r3']]];
export function f(conv: any): void {
  ROWS.forEach(([label, names]) => names.forEach((nm) => conv.utils.get_secret(nm)));
}
`,
    want: envNames('r1', 'r2', 'r3'),
  },
  {
    title: "for…of over a row's element by a fixed index (row[1])",
    language: 'javascript',
    source: `const ROWS = [['crm', ['r1', 'r2']], ['pay', ['r3']]];
export function f(conv) {
  for (const row of ROWS) for (const nm of row[1]) conv.utils.get_secret(nm);
}
`,
    want: envNames('r1', 'r2', 'r3'),
  },
  {
    title: "a row's element by a fixed index read directly (row[0])",
    language: 'javascript',
    source: `const NAMED = [['crm_api', 'CRM'], ['pay_api', 'Payments']];
export function f(conv) {
  for (const row of NAMED) conv.utils.get_secret(row[0]);
}
`,
    want: envNames('crm_api', 'pay_api'),
  },
  {
    title: "a row's field by name (row.name) over an array of objects",
    language: 'javascript',
    source: `const ROWS = [{ name: 'a1', label: 'A' }, { name: 'a2', label: 'B' }];
export function f(conv) {
  for (const row of ROWS) conv.utils.get_secret(row.name);
}
`,
    want: envNames('a1', 'a2'),
  },
  {
    title: "for…of over a table's member (CFG.names)",
    language: 'typescript',
    source: `const CFG = { names: ['c1', 'c2'] } as const;
export function f(conv: any): void {
  for (const n of CFG.names) conv.utils.get_secret(n);
}
`,
    want: envNames('c1', 'c2'),
  },
  {
    title: "for…of over a table's entry by a literal key (CFG['names'])",
    language: 'typescript',
    source: `const CFG = { names: ['c1', 'c2'] } as const;
export function f(conv: any): void {
  for (const n of CFG['names']) conv.utils.get_secret(n);
}
`,
    want: envNames('c1', 'c2'),
  },
  {
    title: 'an array element by a literal index (NAMES[1])',
    language: 'javascript',
    source: `const NAMES = ['c1', 'c2'];
export function f(conv) {
  return conv.utils.get_secret(NAMES[1]);
}
`,
    want: envNames('c2'),
  },
  {
    title: "an object's parameter property, from its own construction (not every construction's)",
    language: 'typescript',
    source: `class Session {
  constructor(private conv: any, readonly secretName: string) {}
}
export function f(conv: any) {
  const s = new Session(conv, 'crm_api');
  const other = new Session(conv, 'pay_api');
  return [conv.utils.get_secret(s.secretName), other];
}
`,
    want: envNames('crm_api'),
  },
  {
    title: "an object's field set by its constructor from a parameter (this.x = x), from its own construction",
    language: 'javascript',
    source: `class Session {
  constructor(conv, name) {
    this.conv = conv;
    this.secretName = name;
  }
}
export function f(conv) {
  const s = new Session(conv, 'crm_api');
  const other = new Session(conv, 'pay_api');
  return [conv.utils.get_secret(s.secretName), other];
}
`,
    want: envNames('crm_api'),
  },
  {
    title: "a class's static field",
    language: 'typescript',
    source: `class Plain {
  static NAME = 'plain_api';
  static readonly OTHER: string = 'other_api';
}
export function f(conv: any) {
  return conv.utils.get_secret(Plain.NAME);
}
`,
    want: envNames('plain_api'),
  },
  {
    title: 'an array built by push, one push under an environment test, mapped to reads',
    language: 'typescript',
    source: `export function load(conv: any) {
  const names: string[] = ['crm_api'];
  if (conv.env === 'live') names.push('crm_live_audit');
  names.push('pay_api', 'sms_api');
  return names.map((n) => conv.utils.get_secret(n));
}
`,
    want: [
      { name: 'crm_api', literal: "'crm_api'", environments: null, when: [] },
      { name: 'crm_live_audit', literal: "'crm_live_audit'", environments: ['live'], when: [] },
      { name: 'pay_api', literal: "'pay_api'", environments: null, when: [] },
      { name: 'sms_api', literal: "'sms_api'", environments: null, when: [] },
    ],
  },
  {
    title: "a module's array pushed to at the top level, read in a function",
    language: 'javascript',
    source: `const NAMES = [];
NAMES.push('crm_api');
export function load(conv) {
  for (const n of NAMES) conv.utils.get_secret(n);
}
`,
    want: envNames('crm_api'),
  },
];

export const ITER_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'an array pushed to after the loop that reads it',
    language: 'typescript',
    source: `export function load(conv: any) {
  const names = ['crm_api'];
  for (const n of names) conv.utils.get_secret(n);
  names.push('pay_api');
}
`,
    want: { unresolved: ["names.push('pay_api')"] },
  },
  {
    title: 'an array pushed to in a callback',
    language: 'javascript',
    source: `export function load(conv, extra) {
  const names = ['crm_api'];
  extra.forEach((x) => names.push(x));
  for (const n of names) conv.utils.get_secret(n);
}
`,
    want: { unresolved: ['names.push(x)'] },
  },
  {
    title: 'an array also changed by unshift',
    language: 'typescript',
    source: `export function load(conv: any) {
  const names = ['crm_api'];
  names.push('pay_api');
  names.unshift('sms_api');
  for (const n of names) conv.utils.get_secret(n);
}
`,
    want: { unresolved: ["names.unshift('sms_api')"] },
  },
  {
    title: 'an array pushed a spread',
    language: 'javascript',
    source: `export function load(conv, more) {
  const names = ['crm_api'];
  names.push(...more);
  for (const n of names) conv.utils.get_secret(n);
}
`,
    want: { unresolved: ['...more'] },
  },
  {
    title: 'one element of an array built by .map() (which one is not followed)',
    language: 'typescript',
    source: `export function load(conv: any) {
  const names = ['crm', 'pay'].map((p) => p + '_api');
  return conv.utils.get_secret(names[0]);
}
`,
    want: { unresolved: ['names[0]'] },
  },
  {
    title: 'rows built by .map(), destructured (their parts would come apart)',
    language: 'javascript',
    source: `export function load(conv) {
  const rows = ['crm', 'pay'].map((p) => [p, p + '_api']);
  for (const [label, name] of rows) conv.utils.get_secret(label + name);
}
`,
    want: { unresolved: ["[p, p + '_api']", 'rows', 'label'] },
  },
  {
    title: '.map() given a named function (its body is not followed)',
    language: 'javascript',
    source: `function toName(p) {
  return p + '_api';
}
export function load(conv) {
  const names = ['crm', 'pay'].map(toName);
  for (const n of names) conv.utils.get_secret(n);
}
`,
    want: { unresolved: ["['crm', 'pay'].map(toName)"] },
  },
  {
    title: 'an array inside an object that the file pushes to',
    language: 'typescript',
    source: `const CFG = { names: ['crm_api', 'pay_api'] };
CFG.names.push(process.argv[2]!);
export function load(conv: any) {
  for (const n of CFG.names) conv.utils.get_secret(n);
}
`,
    want: { unresolved: ['CFG'] },
  },
  {
    title: "a row's array that the file changes in place",
    language: 'javascript',
    source: `const ROWS = [['crm', ['crm_api']], ['pay', ['pay_api']]];
ROWS[0][1][0] = 'other_api';
export function load(conv) {
  for (const [label, names] of ROWS) for (const n of names) conv.utils.get_secret(n);
}
`,
    want: { unresolved: ['ROWS'] },
  },
  {
    title: 'a nested field the file writes',
    language: 'javascript',
    source: `const T = { crm: { key: 'crm_api' } };
T.crm.key = 'other_api';
export function load(conv) {
  return conv.utils.get_secret(T.crm.key);
}
`,
    want: { unresolved: ['T.crm.key'] },
  },
  {
    title: 'a field another method sets',
    language: 'javascript',
    source: `class Client {
  constructor() {
    this.keyName = 'CRM_API_KEY';
  }
  use(other) {
    this.keyName = other;
  }
  key() {
    return process.env[this.keyName];
  }
}
`,
    want: { unresolved: ['this.keyName'] },
  },
  {
    title: 'a constructor parameter of a class passed as a value',
    language: 'javascript',
    source: `export class Client {
  constructor(keyName) {
    this.keyName = keyName;
  }
  key() {
    return process.env[this.keyName];
  }
}
export const make = (Cls) => new Cls('CRM_API_KEY');
export const factory = Client;
`,
    want: { unresolved: ['keyName'] },
  },
  {
    title: 'for…of over a parameter',
    language: 'javascript',
    source: `export function check(names) {
  for (const name of names) console.log(process.env[name]);
}
`,
    want: { unresolved: ['name', 'names'] },
  },
  {
    title: "an arrow mapped over a call's result",
    language: 'javascript',
    source: `export const values = loadNames().map((name) => process.env[name]);
`,
    want: { unresolved: ['name'] },
  },
  {
    title: "an arrow's second parameter (the index)",
    language: 'javascript',
    source: `const NAMES = ['CRM_API_KEY'];
export const values = NAMES.map((name, i) => process.env[i]);
`,
    want: { unresolved: ['i'] },
  },
  {
    title: 'a row chosen at run time (ROWS[i])',
    language: 'typescript',
    source: `const ROWS = [['crm', ['r1', 'r2']], ['pay', ['r3']]];
export function f(conv: any, i: number): void {
  for (const nm of ROWS[i][1]) conv.utils.get_secret(nm);
}
`,
    want: { unresolved: ['ROWS[i]', 'ROWS[i][1]', 'nm'] },
  },
  {
    title: "a row's element chosen at run time (NAMED[i][0] in a counted loop)",
    language: 'javascript',
    source: `const NAMED = [['crm_api', 'CRM'], ['pay_api', 'Payments']];
export function f(conv) {
  for (let i = 0; i < NAMED.length; i++) conv.utils.get_secret(NAMED[i][0]);
}
`,
    want: { unresolved: ['NAMED[i][0]', 'NAMED[i]', 'i'] },
  },
  {
    title: 'a fixed index some row lacks',
    language: 'javascript',
    source: `const NAMED = [['crm_api', 'CRM'], ['pay_api']];
export function f(conv) {
  for (const row of NAMED) conv.utils.get_secret(row[1]);
}
`,
    want: { unresolved: ['row[1]'] },
  },
  {
    title: 'a key the table lacks',
    language: 'javascript',
    source: `const CFG = { names: ['c1', 'c2'] };
export function f(conv) {
  for (const n of CFG['other']) conv.utils.get_secret(n);
}
`,
    want: { unresolved: ["CFG['other']", 'n'] },
  },
  {
    title: "a row's names changed in the loop",
    language: 'typescript',
    source: `const ROWS = [['crm', ['r1', 'r2']], ['pay', ['r3']]];
export function f(conv: any, extra: string): void {
  for (const [label, names] of ROWS) {
    names.push(extra);
    for (const nm of names) conv.utils.get_secret(nm);
  }
}
`,
    want: { unresolved: ['names', 'nm'] },
  },
  {
    title: "an object's field assigned after its construction",
    language: 'typescript',
    source: `class Session {
  constructor(private conv: any, public secretName: string) {}
}
export function f(conv: any, other: string) {
  const s = new Session(conv, 'crm_api');
  s.secretName = other;
  return conv.utils.get_secret(s.secretName);
}
`,
    want: { unresolved: ['s.secretName'] },
  },
  {
    title: "an object's field another method assigns",
    language: 'javascript',
    source: `class Session {
  constructor(conv, name) {
    this.secretName = name;
  }
  use(other) {
    this.secretName = other;
  }
}
export function f(conv) {
  const s = new Session(conv, 'crm_api');
  return conv.utils.get_secret(s.secretName);
}
`,
    want: { unresolved: ['s.secretName'] },
  },
  {
    title: 'an object constructed from a spread',
    language: 'typescript',
    source: `class Session {
  constructor(private conv: any, readonly secretName: string) {}
}
export function f(conv: any, args: [any, string]) {
  const s = new Session(...args);
  return conv.utils.get_secret(s.secretName);
}
`,
    want: { unresolved: ['s.secretName'] },
  },
  {
    title: 'a static field assigned elsewhere',
    language: 'typescript',
    source: `class Plain {
  static NAME = 'plain_api';
}
Plain.NAME = process.env.OTHER_NAME ?? 'x';
export function f(conv: any) {
  return conv.utils.get_secret(Plain.NAME);
}
`,
    want: { unresolved: ['Plain.NAME'] },
  },
  {
    title: 'a static field of a class that extends another',
    language: 'typescript',
    source: `class Plain extends Base {
  static NAME = 'plain_api';
}
export function f(conv: any) {
  return conv.utils.get_secret(Plain.NAME);
}
`,
    want: { unresolved: ['Plain.NAME'] },
  },
];
