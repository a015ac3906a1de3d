// The corpus's cases of rows that are dicts or objects (issue 51): a loop over a list of dicts read
// by key (`p["secret"]`, `p.get("secret")`) in Python, as JavaScript / TypeScript already read
// `p.secret`; the same rows taken apart by an object pattern (`for (const { secret } of ROWS)`);
// lists joined with `+` (an array spread into another); tables made by `dict(live=…, sandbox=…)`.
// Then the variants that must stay unknown. Written from the rules, not from a run; each source
// has exactly one computed read. `next(…)` of a generator is here too.

import type { CorpusCase } from './nameSetsCorpusCases';

const names = (...xs: string[]) => xs.map((x) => ({ name: x, literal: `"${x}"`, environments: null, when: [] }));
const quoted = (...xs: string[]) => xs.map((x) => ({ name: x, literal: `'${x}'`, environments: null, when: [] }));
/** The two rows most cases here read: crm_prod in live, crm_dev in sandbox, their literals in quotes `q`. */
const liveAndSandbox = (q: string) => [
  { name: 'crm_prod', literal: `${q}crm_prod${q}`, environments: ['live'] },
  { name: 'crm_dev', literal: `${q}crm_dev${q}`, environments: ['sandbox'] },
];

const PROVIDERS = `PROVIDERS = [
    {"label": "CRM", "secret": "crm_api"},
    {"label": "Payments", "secret": "pay_api"},
]
`;

const ENV_DATACLASS_ROWS = `from dataclasses import dataclass

@dataclass
class Provider:
    env: str
    secret: str

PROVIDERS = [Provider("live", "crm_prod"), Provider("sandbox", "crm_dev")]
`;

export const ROW_PYTHON_CASES: CorpusCase[] = [
  {
    title: 'a loop over a list of dicts, each read by its key',
    language: 'python',
    source: `${PROVIDERS}
def load(conv):
    for p in PROVIDERS:
        conv.utils.get_secret(p["secret"])
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a comprehension over a list of dicts, read with .get',
    language: 'python',
    source: `${PROVIDERS}
def load(conv):
    return {p["label"]: conv.utils.get_secret(p.get("secret")) for p in PROVIDERS}
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: ".get with a default, where a row lacks the key: the default there",
    language: 'python',
    source: `ROWS = [{"secret": "crm_api"}, {"label": "legacy"}]

def load(conv):
    for row in ROWS:
        conv.utils.get_secret(row.get("secret", "legacy_api"))
`,
    want: names('crm_api', 'legacy_api'),
  },
  {
    title: 'the values of a dict of dicts, unpacked from .items()',
    language: 'python',
    source: `SERVICES = {"crm": {"secret": "crm_api"}, "pay": {"secret": "pay_api"}}

def load(conv):
    for label, service in SERVICES.items():
        conv.utils.get_secret(service["secret"])
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'rows that are an entry of a config dict',
    language: 'python',
    source: `CONFIG = {"providers": [{"secret": "crm_api"}, {"secret": "pay_api"}], "timeout": 10}

def load(conv):
    for p in CONFIG["providers"]:
        conv.utils.get_secret(p["secret"])
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "a parameter given a dict by the file's calls",
    language: 'python',
    source: `def connect(conv, provider):
    return conv.utils.get_secret(provider["secret"])

def run(conv):
    connect(conv, {"label": "CRM", "secret": "crm_api"})
    connect(conv, {"label": "Payments", "secret": "pay_api"})
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a loop over two lists joined with +',
    language: 'python',
    source: `BASE = ["crm_api"]
ALL = BASE + ["pay_api"]

def load(conv):
    for n in ALL:
        conv.utils.get_secret(n)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'rows joined with + and unpacked',
    language: 'python',
    source: `ROWS = [("CRM", "crm_api")] + [("Payments", "pay_api")]

def load(conv):
    for label, n in ROWS:
        conv.utils.get_secret(n)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'a table made by dict() with keywords, chosen by conv.env',
    language: 'python',
    source: `def load(conv):
    return conv.utils.get_secret(dict(live="crm_prod", sandbox="crm_dev")[conv.env])
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'], when: [] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'], when: [] },
    ],
  },
  {
    title: "a module's dict() table read with .get and a default",
    language: 'python',
    source: `NAMES = dict(live="crm_prod", sandbox="crm_dev")

def load(conv):
    return conv.utils.get_secret(NAMES.get(conv.env, "crm_dev"))
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'], when: [] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox', 'pre-release'], when: [] },
    ],
  },
  {
    title: 'a dict() table read by a literal key',
    language: 'python',
    source: `NAMES = dict(crm="crm_api", pay="pay_api")

def load(conv):
    return conv.utils.get_secret(NAMES["pay"])
`,
    want: names('pay_api'),
  },
  {
    title: 'next() of a generator over rows of dicts (any element: its filter is not followed)',
    language: 'python',
    source: `${PROVIDERS}
def load(conv):
    return conv.utils.get_secret(next(p["secret"] for p in PROVIDERS if p["label"] == "CRM"))
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'next() with a default, of a parenthesised generator whose filter ends with a call',
    language: 'python',
    source: `NAMES = ("crm_api", "pay_api")

def load(conv):
    return conv.utils.get_secret(next((n for n in NAMES if n.startswith("crm")), "legacy_api"))
`,
    want: names('crm_api', 'pay_api', 'legacy_api'),
  },
  {
    title: 'next(iter(…)) of a tuple of names',
    language: 'python',
    source: `NAMES = ("crm_api", "pay_api")

def load(conv):
    return conv.utils.get_secret(next(iter(NAMES)))
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "rows chosen by comparing an entry with the environment: each row's name in its environment",
    language: 'python',
    source: `ROWS = [
    {"env": "live", "secret": "crm_prod"},
    {"env": "sandbox", "secret": "crm_dev"},
]

def load(conv):
    for row in ROWS:
        if row["env"] == conv.env:
            return conv.utils.get_secret(row["secret"])
`,
    want: liveAndSandbox('"'),
  },
  {
    title: 'the same test written the other way round, on a lower-cased alias, as part of an and',
    language: 'python',
    source: `ROWS = [
    {"env": "live", "secret": "crm_prod"},
    {"env": "pre-release", "secret": "crm_pre"},
]

def load(conv):
    env = str(conv.env or "").lower()
    for row in ROWS:
        if row.get("enabled", True) and env == row.get("env"):
            return conv.utils.get_secret(row["secret"])
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_pre', literal: '"crm_pre"', environments: ['pre-release'] },
    ],
  },
  {
    title: "a read in the else of such a test, and a row whose entry is no literal: no environment",
    language: 'python',
    source: `ROWS = [
    {"env": "live", "secret": "crm_prod"},
    {"env": LEGACY_ENV, "secret": "crm_legacy"},
]

def load(conv):
    for row in ROWS:
        if row["env"] == conv.env:
            continue
        else:
            conv.utils.get_secret(row["secret"])
`,
    want: names('crm_prod', 'crm_legacy'),
  },
  {
    title: 'such a comparison as an operand of or (always true there): no environment',
    language: 'python',
    source: `ROWS = [
    {"env": "live", "secret": "crm_prod"},
    {"env": "sandbox", "secret": "crm_dev"},
]

def load(conv):
    for row in ROWS:
        if row["env"] == conv.env or "sandbox":
            conv.utils.get_secret(row["secret"])
`,
    want: names('crm_prod', 'crm_dev'),
  },
  {
    title: "next() of a generator whose if clause compares the row with the environment: each row's name there",
    language: 'python',
    source: `ROWS = [
    {"env": "live", "secret": "crm_prod"},
    {"env": "sandbox", "secret": "crm_dev"},
]

def load(conv):
    return conv.utils.get_secret(next(r["secret"] for r in ROWS if r.get("enabled", True) if r["env"] == conv.env))
`,
    want: liveAndSandbox('"'),
  },
  {
    title: 'a loop unpacking (environment, name) rows, the name read under an if on a test of something else',
    language: 'python',
    source: `ROWS = [("live", "crm_prod"), ("sandbox", "crm_dev")]

def load(conv, enabled):
    for env, name in ROWS:
        if enabled:
            conv.utils.get_secret(name)
`,
    want: ['crm_prod', 'crm_dev'].map((x) => ({ name: x, literal: `"${x}"`, environments: null, when: [['enabled', true] as const] })),
  },
  {
    title: "a loop unpacking (environment, name) rows, the environment compared with conv.env: each row's name there",
    language: 'python',
    source: `ROWS = [("live", "crm_prod"), ("sandbox", "crm_dev")]

def load(conv):
    for env, name in ROWS:
        if env == conv.env:
            return conv.utils.get_secret(name)
`,
    want: liveAndSandbox('"'),
  },
  {
    title: "a dict's .items() unpacked, conv.env compared with the key (written first): each value there",
    language: 'python',
    source: `NAMES = {"live": "crm_prod", "pre-release": "crm_pre"}

def load(conv):
    for env, name in NAMES.items():
        if str(conv.env).lower() == env:
            return conv.utils.get_secret(secret_name=name)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_pre', literal: '"crm_pre"', environments: ['pre-release'] },
    ],
  },
  {
    title: "a row indexed by place, row[0] compared with the environment, row[1] read: each row's name there",
    language: 'python',
    source: `ROWS = (("live", "crm_prod"), ("sandbox", "crm_dev"))

def load(conv):
    for row in ROWS:
        if row[0] == conv.env:
            return conv.utils.get_secret(row[1])
`,
    want: liveAndSandbox('"'),
  },
  {
    title: 'next() of a bare generator unpacking rows (its target list has a comma), filtered by the environment',
    language: 'python',
    source: `ROWS = [("live", "crm_prod"), ("sandbox", "crm_dev")]

def load(conv):
    return conv.utils.get_secret(next(n for e, n in ROWS if e == conv.env))
`,
    want: liveAndSandbox('"'),
  },
  {
    title: 'next() of a parenthesised generator over .items(), filtered by the environment, with a default',
    language: 'python',
    source: `NAMES = {"live": "crm_prod", "sandbox": "crm_dev"}

def load(conv):
    name = next((n for e, n in NAMES.items() if e == conv.env), "crm_legacy")
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'] },
      { name: 'crm_legacy', literal: '"crm_legacy"', environments: null },
    ],
  },
  {
    title: 'the row next() finds by its environment, held by a name and read by key: each row where its env is',
    language: 'python',
    source: `ROWS = [{"env": "live", "secret": "crm_prod"}, {"env": "sandbox", "secret": "crm_dev"}]

def load(conv):
    row = next(r for r in ROWS if r["env"] == conv.env)
    return conv.utils.get_secret(row["secret"])
`,
    want: liveAndSandbox('"'),
  },
  {
    title: 'the row next() finds through an alias of the environment, with a dict default, read by .get()',
    language: 'python',
    source: `ROWS = [{"env": "live", "secret": "crm_prod"}, {"env": "sandbox", "secret": "crm_dev"}]

def load(conv):
    env = str(conv.env or "").lower()
    row = next((r for r in ROWS if r["env"] == env), {"secret": "crm_legacy"})
    return conv.utils.get_secret(row.get("secret"))
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'] },
      { name: 'crm_legacy', literal: '"crm_legacy"', environments: null },
    ],
  },
  {
    title: 'the row next() finds by another test, held by a name: any row (the filter is not followed)',
    language: 'python',
    source: `${PROVIDERS}
def load(conv):
    p = next(x for x in PROVIDERS if x["label"] == "CRM")
    return conv.utils.get_secret(p["secret"])
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: 'the environment of another loop (the same rows, nested) or one rebound in the body: no environment',
    language: 'python',
    source: `ROWS = [("live", "crm_prod"), ("sandbox", "crm_dev")]

def load(conv):
    for a, x in ROWS:
        for b, y in ROWS:
            if a == conv.env:
                conv.utils.get_secret(y)
`,
    want: names('crm_prod', 'crm_dev'),
  },
  {
    title: 'rows that are instances of a NamedTuple class, made by place and by keyword, read by attribute',
    language: 'python',
    source: `from typing import NamedTuple

class Provider(NamedTuple):
    label: str
    secret: str

PROVIDERS = [Provider("CRM", "crm_api"), Provider(label="Payments", secret="pay_api")]

def load(conv):
    for p in PROVIDERS:
        conv.utils.get_secret(p.secret)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "rows that are dataclass instances, one taking the field's default, read in a comprehension",
    language: 'python',
    source: `from dataclasses import dataclass

@dataclass(frozen=True)
class Provider:
    label: str
    secret: str = "legacy_api"

PROVIDERS = (Provider("CRM", "crm_api"), Provider(label="Old"))

def load(conv):
    return [conv.utils.get_secret(p.secret) for p in PROVIDERS]
`,
    want: names('legacy_api', 'crm_api'),
  },
  {
    title: "the values of a dict of instances of a class whose __init__ stores its parameter, from .items()",
    language: 'python',
    source: `class Service:
    def __init__(self, secret_name, timeout=10):
        self.secret_name = secret_name
        self.timeout = timeout

SERVICES = {"crm": Service("crm_api"), "pay": Service(secret_name="pay_api", timeout=5)}

def load(conv):
    for label, service in SERVICES.items():
        conv.utils.get_secret(service.secret_name)
`,
    want: names('crm_api', 'pay_api'),
  },
  {
    title: "rows that are dataclass instances, tested by their env attribute: each row's name there",
    language: 'python',
    source: `from dataclasses import dataclass

@dataclass
class Provider:
    env: str
    secret: str

PROVIDERS = [Provider("live", "crm_prod"), Provider(env="sandbox", secret="crm_dev")]

def load(conv):
    for p in PROVIDERS:
        if p.env == conv.env:
            return conv.utils.get_secret(p.secret)
`,
    want: liveAndSandbox('"'),
  },
  {
    title: 'the instance next() finds by its environment, held by a name, read by attribute: each row where its env is',
    language: 'python',
    source: `${ENV_DATACLASS_ROWS}
def load(conv):
    p = next(x for x in PROVIDERS if x.env == conv.env)
    return conv.utils.get_secret(p.secret)
`,
    want: liveAndSandbox('"'),
  },
  {
    title: 'the instance next() finds, None when there is none, read where it is not None',
    language: 'python',
    source: `${ENV_DATACLASS_ROWS}
def load(conv):
    p = next((x for x in PROVIDERS if x.env == conv.env), None)
    if p is not None:
        return conv.utils.get_secret(p.secret)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'], when: [['p is not None', true]] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'], when: [['p is not None', true]] },
    ],
  },
  {
    title: 'rows made by a collections.namedtuple (fields as a list), tested by one attribute, read by another',
    language: 'python',
    source: `from collections import namedtuple

Provider = namedtuple("Provider", ["env", "secret"])
PROVIDERS = [Provider("live", "crm_prod"), Provider("sandbox", "crm_dev")]

def load(conv):
    for p in PROVIDERS:
        if p.env == conv.env:
            return conv.utils.get_secret(p.secret)
`,
    want: liveAndSandbox('"'),
  },
  {
    title: 'rows made by collections.namedtuple with its fields in one string, one row by keywords, found by next()',
    language: 'python',
    source: `import collections

Provider = collections.namedtuple("Provider", "env, secret")
PROVIDERS = (Provider("live", "crm_prod"), Provider(env="sandbox", secret="crm_dev"))

def load(conv):
    p = next(x for x in PROVIDERS if x.env == conv.env)
    return conv.utils.get_secret(p.secret)
`,
    want: liveAndSandbox('"'),
  },
  {
    title: 'one object made by a collections.namedtuple, held by a module name, read by field',
    language: 'python',
    source: `from collections import namedtuple

Provider = namedtuple("Provider", "label secret")
CRM = Provider("CRM", "crm_api")

def load(conv):
    return conv.utils.get_secret(CRM.secret)
`,
    want: names('crm_api'),
  },
];

export const ROW_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: 'one object made by a namedtuple, read by an attribute that is no field: unknown',
    language: 'python',
    source: `from collections import namedtuple

Provider = namedtuple("Provider", "label secret")
CRM = Provider("CRM", "crm_api")

def load(conv):
    return conv.utils.get_secret(CRM.name)
`,
    want: { unresolved: ['CRM.name'] },
  },
  {
    title: 'rows made by a namedtuple with defaults (not followed): unknown',
    language: 'python',
    source: `from collections import namedtuple

Provider = namedtuple("Provider", "env secret", defaults=["crm_any"])
PROVIDERS = [Provider("live"), Provider("sandbox", "crm_dev")]

def load(conv):
    for p in PROVIDERS:
        conv.utils.get_secret(p.secret)
`,
    want: { unresolved: ['p.secret'] },
  },
  {
    title: 'a namedtuple row made without the field read: unknown',
    language: 'python',
    source: `from collections import namedtuple

Provider = namedtuple("Provider", "env secret")
PROVIDERS = [Provider("live", "crm_prod"), Provider("sandbox")]

def load(conv):
    for p in PROVIDERS:
        conv.utils.get_secret(p.secret)
`,
    want: { unresolved: ['Provider("sandbox")'] },
  },
  {
    title: 'the instance next() finds, with another instance as its default: unknown (the default is not followed)',
    language: 'python',
    source: `${ENV_DATACLASS_ROWS}
def load(conv):
    p = next((x for x in PROVIDERS if x.env == conv.env), Provider("any", "crm_any"))
    return conv.utils.get_secret(p.secret)
`,
    want: { unresolved: ['p.secret'] },
  },
  {
    title: 'the row next() finds by its environment where one row has no env: unknown (its test cannot be told)',
    language: 'python',
    source: `ROWS = [{"env": "live", "secret": "crm_prod"}, {"secret": "crm_dev"}]

def load(conv):
    row = next(r for r in ROWS if r.get("env") == conv.env)
    return conv.utils.get_secret(row["secret"])
`,
    want: { unresolved: ['next(r for r in ROWS if r.get("env") == conv.env)'] },
  },
  {
    title: 'the row next() gives, given another value on one branch: unknown',
    language: 'python',
    source: `ROWS = [{"env": "live", "secret": "crm_prod"}, {"env": "sandbox", "secret": "crm_dev"}]

def load(conv, flag):
    row = next(r for r in ROWS if r["env"] == conv.env)
    if flag:
        row = make_row()
    return conv.utils.get_secret(row["secret"])
`,
    want: { unresolved: ['make_row()'] },
  },
  {
    title: 'rows of instances, one of them made by a call that is no class of the module',
    language: 'python',
    source: `class Service:
    def __init__(self, secret_name):
        self.secret_name = secret_name

SERVICES = [Service("crm_api"), make_service()]

def load(conv):
    for service in SERVICES:
        conv.utils.get_secret(service.secret_name)
`,
    want: { unresolved: ['service.secret_name'] },
  },
  {
    title: "rows of instances whose attribute is written elsewhere (service.secret_name = …)",
    language: 'python',
    source: `class Service:
    def __init__(self, secret_name):
        self.secret_name = secret_name

SERVICES = [Service("crm_api")]

def load(conv):
    for service in SERVICES:
        service.secret_name = conv.state.get("override")
        conv.utils.get_secret(service.secret_name)
`,
    want: { unresolved: ['service.secret_name'] },
  },
  {
    title: 'rows made by collections.namedtuple (a call, not a class of the module): read by field since the namedtuple is followed',
    language: 'python',
    source: `from collections import namedtuple

Provider = namedtuple("Provider", "label secret")
PROVIDERS = [Provider("CRM", "crm_api")]

def load(conv):
    for p in PROVIDERS:
        conv.utils.get_secret(p.secret)
`,
    want: names('crm_api'),
  },
  {
    title: 'next() of what a function of another module yields',
    language: 'python',
    source: `from .names import candidates

def load(conv):
    return conv.utils.get_secret(next(candidates(conv)))
`,
    want: { unresolved: ['candidates(conv)', 'candidates'] },
  },
  {
    title: 'a dict() table iterated (its keys are keywords, not values of the file)',
    language: 'python',
    source: `NAMES = dict(crm_api="CRM", pay_api="Payments")

def load(conv):
    for n in NAMES:
        conv.utils.get_secret(n)
`,
    want: { unresolved: ['dict(crm_api="CRM", pay_api="Payments")', 'NAMES'] },
  },
  {
    title: 'a dict() built from another mapping (its other keys are not followed)',
    language: 'python',
    source: `NAMES = dict(BASE, live="crm_prod")

def load(conv):
    return conv.utils.get_secret(NAMES[conv.env])
`,
    want: { unresolved: ['BASE'] },
  },
  {
    title: 'rows that are tuples read by a string key (a TypeError at run time)',
    language: 'python',
    source: `ROWS = [("CRM", "crm_api")]

def load(conv):
    for p in ROWS:
        conv.utils.get_secret(p["secret"])
`,
    want: { unresolved: ['p["secret"]'] },
  },
  {
    title: 'a subscript by a key one row lacks (a KeyError there)',
    language: 'python',
    source: `ROWS = [{"secret": "crm_api"}, {"label": "legacy"}]

def load(conv):
    for row in ROWS:
        conv.utils.get_secret(row["secret"])
`,
    want: { unresolved: ['row["secret"]'] },
  },
  {
    title: 'a row read by a key chosen at run time',
    language: 'python',
    source: `${PROVIDERS}
def load(conv, field):
    for p in PROVIDERS:
        conv.utils.get_secret(p[field])
`,
    want: { unresolved: ['p[field]', 'p'] },
  },
  {
    title: "a parameter of a function nobody in the file calls (the platform's argument)",
    language: 'python',
    source: `def load(conv, provider):
    return conv.utils.get_secret(provider["secret"])
`,
    want: { unresolved: ['provider'] },
  },
  {
    title: 'one element of a joined list (which part it falls in is not followed)',
    language: 'python',
    source: `BASE = ["crm_api"]
ALL = BASE + ["pay_api"]

def load(conv):
    return conv.utils.get_secret(ALL[1])
`,
    want: { unresolved: ['ALL[1]', 'BASE +', 'BASE + ["pay_api"]'] },
  },
  {
    title: 'a loop over a list joined with a name the file does not bind',
    language: 'python',
    source: `def load(conv):
    for n in ["crm_api"] + EXTRA:
        conv.utils.get_secret(n)
`,
    want: { unresolved: ['EXTRA'] },
  },
];

const OBJECTS = `const PROVIDERS = [
  { label: 'CRM', secret: 'crm_api' },
  { label: 'Payments', secret: 'pay_api' },
];
`;

const ENV_CLASS_ROWS = `class Provider {
  constructor(public env: string, public secret: string) {}
}
const PROVIDERS = [new Provider('live', 'crm_prod'), new Provider('sandbox', 'crm_dev')];
`;

export const ROW_JS_CASES: CorpusCase[] = [
  {
    title: 'for…of taking a key of each object (an object pattern)',
    language: 'typescript',
    source: `${OBJECTS}
export function load(conv: any) {
  for (const { secret } of PROVIDERS) conv.utils.get_secret(secret);
}
`,
    want: quoted('crm_api', 'pay_api'),
  },
  {
    title: 'for…of taking a key under another name',
    language: 'javascript',
    source: `${OBJECTS}
export function load(conv) {
  for (const { label, secret: name } of PROVIDERS) conv.utils.get_secret(name);
}
`,
    want: quoted('crm_api', 'pay_api'),
  },
  {
    title: "a callback's object pattern over the rows",
    language: 'typescript',
    source: `${OBJECTS}
export const tokens = (conv: any) => PROVIDERS.map(({ secret }) => conv.utils.get_secret(secret));
`,
    want: quoted('crm_api', 'pay_api'),
  },
  {
    title: 'an array spread into another, iterated',
    language: 'typescript',
    source: `const BASE = ['crm_api'];
const ALL = [...BASE, 'pay_api'];
export function load(conv: any) {
  for (const n of ALL) conv.utils.get_secret(n);
}
`,
    want: quoted('crm_api', 'pay_api'),
  },
  {
    title: 'an element after a spread, by its index',
    language: 'javascript',
    source: `const BASE = ['crm_api', 'crm_key'];
const ALL = [...BASE, 'pay_api'];
export function load(conv) {
  return conv.utils.get_secret(ALL[2]);
}
`,
    want: quoted('pay_api'),
  },
  {
    title: "rows chosen by comparing an entry with the environment: each row's name in its environment",
    language: 'typescript',
    source: `const ROWS = [
  { env: 'live', secret: 'crm_prod' },
  { env: 'sandbox', secret: 'crm_dev' },
];
export function load(conv: any) {
  for (const row of ROWS) {
    if (row.env === conv.env) return conv.utils.get_secret(row.secret);
  }
}
`,
    want: liveAndSandbox("'"),
  },
  {
    title: "the same test written the other way round on a lower-cased alias, in an &&, without braces",
    language: 'javascript',
    source: `const ROWS = [
  { env: 'live', secret: 'crm_prod' },
  { env: 'pre-release', secret: 'crm_pre' },
];
export function load(conv) {
  const env = String(conv.env).toLowerCase();
  for (const row of ROWS) if (row.enabled !== false && env === row['env']) return conv.utils.get_secret(row['secret']);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_pre', literal: "'crm_pre'", environments: ['pre-release'] },
    ],
  },
  {
    title: 'a read in the else of such a test: no environment',
    language: 'typescript',
    source: `const ROWS = [
  { env: 'live', secret: 'crm_prod' },
  { env: 'sandbox', secret: 'crm_dev' },
];
export function load(conv: any) {
  for (const row of ROWS) {
    if (row.env === conv.env) continue;
    else conv.utils.get_secret(row.secret);
  }
}
`,
    want: quoted('crm_prod', 'crm_dev'),
  },
  {
    title: 'a table chosen by conv.env inside a loop body: the test on the way is kept',
    language: 'typescript',
    source: `const NAMES = { live: 'crm_prod', sandbox: 'crm_dev' };
export function load(conv: any, items: string[]) {
  for (const item of items) {
    if (conv.env === 'live') conv.utils.get_secret(NAMES[conv.env]);
  }
}
`,
    want: [{ name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] }],
  },
  {
    title: 'such a comparison as an operand of || (always true there): no environment',
    language: 'typescript',
    source: `const ROWS = [
  { env: 'live', secret: 'crm_prod' },
  { env: 'sandbox', secret: 'crm_dev' },
];
export function load(conv: any) {
  for (const row of ROWS) {
    if (row.env === conv.env || 'sandbox') conv.utils.get_secret(row.secret);
  }
}
`,
    want: quoted('crm_prod', 'crm_dev'),
  },
  {
    title: ".find() of the row whose entry is the environment, held by a const, with a default: each row's name there",
    language: 'typescript',
    source: `const ROWS = [
  { env: 'live', secret: 'crm_prod' },
  { env: 'sandbox', secret: 'crm_dev' },
];
export function load(conv: any) {
  const row = ROWS.find((r) => r.env === conv.env);
  return conv.utils.get_secret(row?.secret ?? 'crm_legacy');
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
      { name: 'crm_legacy', literal: "'crm_legacy'", environments: null },
    ],
  },
  {
    title: ".find() with a destructured parameter, written in place and read with !: the row's name where its env is",
    language: 'typescript',
    source: `const ROWS = [{ env: 'live', secret: 'crm_prod' }];
export function load(conv: any) {
  return conv.utils.get_secret(ROWS.find(({ env }) => env === conv.env)!.secret);
}
`,
    want: [{ name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] }],
  },
  {
    title: '.find() by another test, read with !: any row (the test is not followed)',
    language: 'javascript',
    source: `const ROWS = [
  { label: 'CRM', secret: 'crm_api' },
  { label: 'Payments', secret: 'pay_api' },
];
export function load(conv) {
  return conv.utils.get_secret(ROWS.find(function (r) { return r.label === 'CRM'; }).secret);
}
`,
    want: quoted('crm_api', 'pay_api'),
  },
  {
    title: "a loop taking [environment, name] rows apart, the environment compared with conv.env: each row's name there",
    language: 'typescript',
    source: `const ROWS: Array<[string, string]> = [['live', 'crm_prod'], ['sandbox', 'crm_dev']];
export function load(conv: any) {
  for (const [env, name] of ROWS) {
    if (env === conv.env) return conv.utils.get_secret(name);
  }
}
`,
    want: liveAndSandbox("'"),
  },
  {
    title: "Object.entries of a table, conv.env compared with the key: each value there",
    language: 'javascript',
    source: `const NAMES = { live: 'crm_prod', 'pre-release': 'crm_pre' };
export function load(conv) {
  for (const [env, name] of Object.entries(NAMES)) {
    if (String(conv.env).toLowerCase() === env) return conv.utils.get_secret(name);
  }
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_pre', literal: "'crm_pre'", environments: ['pre-release'] },
    ],
  },
  {
    title: "row[0] compared with the environment, row[1] read: each row's name there",
    language: 'javascript',
    source: `const ROWS = [['live', 'crm_prod'], ['sandbox', 'crm_dev']];
export function load(conv) {
  for (const row of ROWS) if (row[0] === conv.env) conv.utils.get_secret(row[1]);
}
`,
    want: liveAndSandbox("'"),
  },
  {
    title: "an object pattern in for…of, its env compared with the environment: each row's secret there",
    language: 'javascript',
    source: `const SERVICES = [{ env: 'live', secret: 'pay_prod' }, { env: 'sandbox', secret: 'pay_dev' }];
export function load(conv) {
  for (const { env, secret } of SERVICES) if (env === conv.env) conv.utils.get_secret(secret);
}
`,
    want: [
      { name: 'pay_prod', literal: "'pay_prod'", environments: ['live'] },
      { name: 'pay_dev', literal: "'pay_dev'", environments: ['sandbox'] },
    ],
  },
  {
    title: ".find() whose callback takes an array row apart (([env]) =>): each row's name there",
    language: 'typescript',
    source: `const ROWS = [['live', 'crm_prod'], ['sandbox', 'crm_dev']];
export function load(conv: any) {
  const row = ROWS.find(([env]) => env === conv.env)!;
  return conv.utils.get_secret(row[1]);
}
`,
    want: liveAndSandbox("'"),
  },
  {
    title: ".find() whose callback takes an object row apart, typed (({ env }: Row) =>): each row's secret there",
    language: 'typescript',
    source: `const SERVICES = [{ env: 'live', secret: 'pay_prod' }, { env: 'sandbox', secret: 'pay_dev' }];
type Row = { env: string; secret: string };
export function load(conv: any) {
  const service = SERVICES.find(({ env }: Row) => env === conv.env)!;
  return conv.utils.get_secret(service.secret);
}
`,
    want: [
      { name: 'pay_prod', literal: "'pay_prod'", environments: ['live'] },
      { name: 'pay_dev', literal: "'pay_dev'", environments: ['sandbox'] },
    ],
  },
  {
    title: 'the environment of another loop over the same rows: no environment',
    language: 'javascript',
    source: `const ROWS = [['live', 'crm_prod'], ['sandbox', 'crm_dev']];
export function load(conv) {
  for (const [a, x] of ROWS) for (const [b, y] of ROWS) if (a === conv.env) conv.utils.get_secret(y);
}
`,
    want: quoted('crm_prod', 'crm_dev'),
  },
  {
    title: 'a comparison of the row part under ||: no environment',
    language: 'javascript',
    source: `const ROWS = [['live', 'crm_prod'], ['sandbox', 'crm_dev']];
export function load(conv) {
  for (const [env, name] of ROWS) if (env === conv.env || !name) conv.utils.get_secret(name);
}
`,
    want: quoted('crm_prod', 'crm_dev'),
  },
  {
    title: 'rows that are objects made by a class whose constructor stores its parameters, read by field',
    language: 'javascript',
    source: `class Provider {
  constructor(label, secret) {
    this.label = label;
    this.secret = secret;
  }
}
const PROVIDERS = [new Provider('CRM', 'crm_api'), new Provider('Payments', 'pay_api')];
export function load(conv) {
  for (const p of PROVIDERS) conv.utils.get_secret(p.secret);
}
`,
    want: quoted('crm_api', 'pay_api'),
  },
  {
    title: "rows made by a class with TypeScript parameter properties, tested by their env field: each row's name there",
    language: 'typescript',
    source: `class Provider {
  constructor(readonly env: string, private readonly secret: string) {}
}
const PROVIDERS: Provider[] = [new Provider('live', 'crm_prod'), new Provider('sandbox', 'crm_dev')];
export function load(conv: any) {
  for (const p of PROVIDERS) {
    if (p.env === conv.env) return conv.utils.get_secret(p.secret);
  }
}
`,
    want: liveAndSandbox("'"),
  },
  {
    title: 'a part of the row given another value in the body (for (let [env, name] …) { env = … }): no environment',
    language: 'javascript',
    source: `const ROWS = [['live', 'crm_prod'], ['sandbox', 'crm_dev']];
export function load(conv) {
  for (let [env, name] of ROWS) {
    env = String(env).trim();
    if (env === conv.env) conv.utils.get_secret(name);
  }
}
`,
    want: ['crm_prod', 'crm_dev'].map((x) => ({ name: x, literal: `'${x}'`, environments: null })),
  },
  {
    title: 'the instance .find() finds by its environment, held by a const with !, read by field: each row where its env is',
    language: 'typescript',
    source: `${ENV_CLASS_ROWS}
export function load(conv: any) {
  const p = PROVIDERS.find((x) => x.env === conv.env)!;
  return conv.utils.get_secret(p.secret);
}
`,
    want: liveAndSandbox("'"),
  },
  {
    title: 'the instance .find() finds, read with ?. and a default',
    language: 'typescript',
    source: `${ENV_CLASS_ROWS}
export function load(conv: any) {
  const p = PROVIDERS.find((x) => x.env === conv.env);
  return conv.utils.get_secret(p?.secret ?? 'crm_legacy');
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
      { name: 'crm_legacy', literal: "'crm_legacy'", environments: null },
    ],
  },
];

export const ROW_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'the instance .find() finds, held by a let given another value: unknown',
    language: 'typescript',
    source: `${ENV_CLASS_ROWS}
export function load(conv: any, other: Provider) {
  let p = PROVIDERS.find((x) => x.env === conv.env)!;
  if (other) p = other;
  return conv.utils.get_secret(p.secret);
}
`,
    want: { unresolved: ['p.secret'] },
  },
  {
    title: 'rows of objects, one of them made by a call that is no construction',
    language: 'javascript',
    source: `class Provider {
  constructor(secret) {
    this.secret = secret;
  }
}
const PROVIDERS = [new Provider('crm_api'), makeProvider()];
export function load(conv) {
  for (const p of PROVIDERS) conv.utils.get_secret(p.secret);
}
`,
    want: { unresolved: ['p.secret'] },
  },
  {
    title: "rows of objects whose field the loop's body writes",
    language: 'javascript',
    source: `class Provider {
  constructor(secret) {
    this.secret = secret;
  }
}
const PROVIDERS = [new Provider('crm_api')];
export function load(conv) {
  for (const p of PROVIDERS) {
    p.secret = conv.state.override;
    conv.utils.get_secret(p.secret);
  }
}
`,
    want: { unresolved: ['p.secret'] },
  },
  {
    title: 'a spread of an array pushed onto elsewhere',
    language: 'typescript',
    source: `const BASE: string[] = [];
BASE.push(process.env.EXTRA_NAME!);
const ALL = [...BASE, 'pay_api'];
export function load(conv: any) {
  for (const n of ALL) conv.utils.get_secret(n);
}
`,
    want: { unresolved: ['BASE'] },
  },
  {
    title: 'a spread of a name the file does not bind',
    language: 'typescript',
    source: `const ALL = [...EXTRA, 'pay_api'];
export function load(conv: any) {
  for (const n of ALL) conv.utils.get_secret(n);
}
`,
    want: { unresolved: ['EXTRA'] },
  },
  {
    title: 'an object pattern over rows one of which lacks the key',
    language: 'typescript',
    source: `const ROWS = [{ secret: 'crm_api' }, { label: 'legacy' }];
export function load(conv: any) {
  for (const { secret } of ROWS) conv.utils.get_secret(secret);
}
`,
    want: { unresolved: ["{ label: 'legacy' }", 'secret'] },
  },
  {
    title: 'an object pattern over rows that are arrays',
    language: 'typescript',
    source: `const ROWS = [['CRM', 'crm_api']];
export function load(conv: any) {
  for (const { secret } of ROWS) conv.utils.get_secret(secret);
}
`,
    want: { unresolved: ["['CRM', 'crm_api']", 'secret'] },
  },
  {
    title: 'an object pattern with a default (not followed)',
    language: 'typescript',
    source: `${OBJECTS}
export function load(conv: any) {
  for (const { secret = 'x_api' } of PROVIDERS) conv.utils.get_secret(secret);
}
`,
    want: { unresolved: ['secret'] },
  },
];
