// Corpus cases: a field read through the instance (`self.X`, `cls.X`, `this.X`) in a class that
// has subclasses in the file, or that inherits the field from a base of the file. Any class of the
// family may be what runs, so the read takes every value the class and its subclasses give the
// field, and, when the class itself gives none, the nearest base's. The same rule in both languages;
// a subclass that computes it from what is not known (a property or a getter returning a call), a
// base from elsewhere that may give it, or a write anywhere else keeps it unknown.

import type { CorpusCase } from './nameSetsCorpusCases';

const names = (quote: string, ...xs: string[]) => xs.map((x) => ({ name: x, literal: `${quote}${x}${quote}`, environments: null, when: [] }));

/** A dataclass whose field's default is a secret's name. */
const WEATHER_SETTINGS = `from dataclasses import dataclass


@dataclass
class Settings:
    api_key_secret: str = "weather_api"
`;

/** A dataclass with a default name, made with another in some branches. */
const CRM_SETTINGS = `from dataclasses import dataclass


@dataclass
class Settings:
    secret: str = "crm_default"
`;

/** A class whose `__init__` chooses the name by the environment it is given. */
const ENV_CONFIG = `class Config:
    def __init__(self, env):
        self.secret = "crm_prod" if env == "live" else "crm_dev"
`;

/** Its names: the production one live, the other elsewhere. */
const PROD_DEV = [
  { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
  { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox', 'pre-release'] },
];

export const CLASS_PYTHON_CASES: CorpusCase[] = [
  {
    title: 'a class attribute read as self.X that a subclass overrides: both values',
    language: 'python',
    source: `import os

class Tool:
    ENV_VAR = 'TOOL_CONFIG'

    def config(self):
        return os.environ.get(self.ENV_VAR)


class WxTool(Tool):
    ENV_VAR = 'WX_CONFIG'
`,
    want: names("'", 'TOOL_CONFIG', 'WX_CONFIG'),
  },
  {
    title: 'a base that only annotates the attribute, each subclass of it naming its secret',
    language: 'python',
    source: `from abc import ABC


class BaseAPI(ABC):
    secret_name: str

    def __init__(self, conv):
        self.api_key = conv.utils.get_secret(self.secret_name)


class Stripe(BaseAPI):
    secret_name = "stripe_key"


class Twilio(BaseAPI):
    secret_name = "twilio_key"


class StripeConnect(Stripe):
    secret_name = "stripe_connect_key"
`,
    want: names('"', 'stripe_key', 'twilio_key', 'stripe_connect_key'),
  },
  {
    title: "a subclass's __init__ setting the attribute, from its own construction's argument",
    language: 'python',
    source: `class Client:
    secret_name = "crm_api"

    def key(self, conv):
        return conv.utils.get_secret(self.secret_name)


class Backup(Client):
    def __init__(self, name):
        super().__init__()
        self.secret_name = name


def backup_key(conv):
    return Backup("crm_backup_api").key(conv)
`,
    want: names('"', 'crm_api', 'crm_backup_api'),
  },
  {
    title: 'read in a subclass: the attribute it inherits from a base of the module',
    language: 'python',
    source: `class Base:
    secret_name = "crm_api"


class Handler(Base):
    def key(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: names('"', 'crm_api'),
  },
  {
    title: "read in a subclass: what a base's __init__ sets",
    language: 'python',
    source: `class Base:
    def __init__(self):
        self.secret_name = "crm_api"


class Handler(Base):
    def key(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: names('"', 'crm_api'),
  },
  {
    title: 'cls.X in a classmethod of a subclassed class',
    language: 'python',
    source: `class Base:
    secret_name = "base_api"

    @classmethod
    def key(cls, conv):
        return conv.utils.get_secret(cls.secret_name)


class Child(Base):
    secret_name = "child_api"
`,
    want: names('"', 'base_api', 'child_api'),
  },
  {
    title: 'Cls.X names one class: its own value, not its subclasses',
    language: 'python',
    source: `class Base:
    secret_name = "base_api"


class Child(Base):
    secret_name = "child_api"


def f(conv):
    return conv.utils.get_secret(Base.secret_name)
`,
    want: names('"', 'base_api'),
  },
  {
    title: "a class's table by environment, read through self, that a subclass gives again",
    language: 'python',
    source: `class Crm:
    NAMES = {"live": "crm_prod", "sandbox": "crm_dev"}

    def key(self, conv):
        return conv.utils.get_secret(self.NAMES[conv.env])


class Billing(Crm):
    NAMES = {"live": "billing_prod", "sandbox": "billing_dev"}
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'] },
      { name: 'billing_prod', literal: '"billing_prod"', environments: ['live'] },
      { name: 'billing_dev', literal: '"billing_dev"', environments: ['sandbox'] },
    ],
  },
  {
    title: "a @property read through an instance made with arguments: its returns, self's fields from the construction",
    language: 'python',
    source: `class Settings:
    def __init__(self, env):
        self.env = env

    @property
    def secret_name(self):
        return "crm_prod" if self.env == "live" else "crm_dev"


def key(conv):
    settings = Settings(conv.env)
    return conv.utils.get_secret(settings.secret_name)
`,
    want: PROD_DEV,
  },
  {
    title: "a dataclass made in place, its field's default read off it",
    language: 'python',
    source: `${WEATHER_SETTINGS}

def key(conv):
    return conv.utils.get_secret(Settings().api_key_secret)
`,
    want: [{ name: 'weather_api', literal: '"weather_api"', environments: null }],
  },
  {
    title: 'a dataclass made in place with its field by keyword',
    language: 'python',
    source: `${WEATHER_SETTINGS}

def key(conv):
    return conv.utils.get_secret(Settings(api_key_secret="weather_live_api").api_key_secret)
`,
    want: [{ name: 'weather_live_api', literal: '"weather_live_api"', environments: null }],
  },
  {
    title: "an __init__ testing the environment it is given, the object made in place",
    language: 'python',
    source: `${ENV_CONFIG}

def key(conv):
    return conv.utils.get_secret(Config(conv.env).secret)
`,
    want: PROD_DEV,
  },
  {
    title: "an __init__ testing the environment it is given, the object held by a name",
    language: 'python',
    source: `class Config:
    def __init__(self, conv, env):
        self.conv = conv
        if env == "live":
            self.secret = "crm_prod"
        else:
            self.secret = "crm_dev"


def key(conv):
    config = Config(conv, str(conv.env).lower())
    return conv.utils.get_secret(config.secret)
`,
    want: PROD_DEV,
  },
  {
    title: "an __init__ testing the environment it is given, the class also named in annotations",
    language: 'python',
    source: `${ENV_CONFIG}

def make(conv) -> Config:
    config: Config = Config(conv.env)
    return config


def key(conv):
    return conv.utils.get_secret(Config(conv.env).secret)
`,
    want: PROD_DEV,
  },
  {
    title: "an __init__'s parameter tested, the class also passed as a value: the test is no environment's",
    language: 'python',
    source: `${ENV_CONFIG}
FACTORY = Config


def key(conv):
    return conv.utils.get_secret(Config(conv.env).secret)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: null, when: [['env == "live"', true]] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: null, when: [['env == "live"', false]] },
    ],
  },
  {
    title: 'a constructor parameter closed over the constructions, one in a function annotated to return the class',
    language: 'python',
    source: `class Handler:
    def __init__(self, secret_name):
        self.secret_name = secret_name

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name)


def make() -> Handler:
    return Handler("crm_api")
`,
    want: [{ name: 'crm_api', literal: '"crm_api"', environments: null }],
  },
  {
    title: "an __init__'s parameter tested, a subclass constructed elsewhere: the test is no environment's",
    language: 'python',
    source: `${ENV_CONFIG}

class LegacyConfig(Config):
    pass


def key(conv):
    config = Config(conv.env)
    return conv.utils.get_secret(config.secret)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: null, when: [['env == "live"', true]] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: null, when: [['env == "live"', false]] },
    ],
  },
  {
    title: 'an object made in each branch of an if on the environment, read by attribute',
    language: 'python',
    source: `${CRM_SETTINGS}

def key(conv):
    if conv.env == "live":
        settings = Settings(secret="crm_prod")
    else:
        settings = Settings(secret="crm_dev")
    return conv.utils.get_secret(settings.secret)
`,
    want: PROD_DEV,
  },
  {
    title: 'an object chosen by a conditional expression, one branch made with its default',
    language: 'python',
    source: `${CRM_SETTINGS}

def key(conv):
    settings = Settings(secret="crm_prod") if conv.env == "live" else Settings()
    return conv.utils.get_secret(settings.secret)
`,
    want: [
      { name: 'crm_default', literal: '"crm_default"', environments: ['sandbox', 'pre-release'] },
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
    ],
  },
  {
    title: "an object a helper of the module returns, by the environment, held by a name",
    language: 'python',
    source: `${CRM_SETTINGS}

def settings_for(conv):
    if conv.env == "live":
        return Settings(secret="crm_prod")
    return Settings(secret="crm_dev")


def key(conv):
    settings = settings_for(conv)
    return conv.utils.get_secret(settings.secret)
`,
    want: PROD_DEV,
  },
  {
    title: 'an object a helper returns for the environment it is given, read in place',
    language: 'python',
    source: `${CRM_SETTINGS}

def settings_for(env):
    return Settings(secret="crm_prod") if env == "live" else Settings(secret="crm_dev")


def key(conv):
    return conv.utils.get_secret(settings_for(str(conv.env).lower()).secret)
`,
    want: PROD_DEV,
  },
  {
    title: "a dict of objects by environment, an entry's attribute read by conv.env",
    language: 'python',
    source: `${CRM_SETTINGS}

SETTINGS = {"live": Settings(secret="crm_prod"), "sandbox": Settings(secret="crm_dev")}


def key(conv):
    return conv.utils.get_secret(SETTINGS[conv.env].secret)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'] },
    ],
  },
  {
    title: 'a dict of namedtuples by environment, a field read by conv.env',
    language: 'python',
    source: `from collections import namedtuple

Config = namedtuple("Config", "secret region")
CONFIGS = {"live": Config("crm_prod", "eu"), "pre-release": Config("crm_preprod", "eu")}


def key(conv):
    return conv.utils.get_secret(CONFIGS[conv.env].secret)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_preprod', literal: '"crm_preprod"', environments: ['pre-release'] },
    ],
  },
  {
    title: 'objects of a plain class made in the branches of a real-time configuration test',
    language: 'python',
    source: `class Client:
    def __init__(self, secret_name):
        self.secret_name = secret_name


def key(conv):
    if conv.real_time_config.get("use_v2"):
        client = Client("crm_v2")
    else:
        client = Client("crm_v1")
    return conv.utils.get_secret(client.secret_name)
`,
    want: [
      { name: 'crm_v2', literal: '"crm_v2"', environments: null, when: [['conv.real_time_config.get("use_v2")', true]] },
      { name: 'crm_v1', literal: '"crm_v1"', environments: null, when: [['conv.real_time_config.get("use_v2")', false]] },
    ],
  },
  {
    title: 'an attribute a method other than __init__ sets, read through self',
    language: 'python',
    source: `class Client:
    def connect(self, conv):
        self.conv = conv
        self.secret_name = "crm_api"

    def token(self):
        return self.conv.utils.get_secret(self.secret_name)
`,
    want: [{ name: 'crm_api', literal: '"crm_api"', environments: null }],
  },
  {
    title: 'an attribute __init__ sets and another method sets again: either',
    language: 'python',
    source: `class Client:
    def __init__(self, conv):
        self.conv = conv
        self.secret_name = "crm_api"

    def use_backup(self):
        self.secret_name = "crm_backup_api"

    def token(self):
        return self.conv.utils.get_secret(self.secret_name)
`,
    want: [
      { name: 'crm_api', literal: '"crm_api"', environments: null },
      { name: 'crm_backup_api', literal: '"crm_backup_api"', environments: null },
    ],
  },
  {
    title: 'a dict of names each holding an object, an entry\'s attribute read by conv.env',
    language: 'python',
    source: `${CRM_SETTINGS}

PROD = Settings(secret="crm_prod")
DEV = Settings(secret="crm_dev")
SETTINGS = {"live": PROD, "sandbox": DEV}


def key(conv):
    return conv.utils.get_secret(SETTINGS[conv.env].secret)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'] },
    ],
  },
  {
    title: 'one of two names holding objects, chosen by a conditional expression, read by attribute',
    language: 'python',
    source: `${CRM_SETTINGS}

LIVE = Settings(secret="crm_prod")
SANDBOX = Settings(secret="crm_dev")


def key(conv):
    cfg = LIVE if conv.env == "live" else SANDBOX
    return conv.utils.get_secret(cfg.secret)
`,
    want: PROD_DEV,
  },
];

export const CLASS_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a dict entry naming an object whose attribute a function sets stays unknown',
    language: 'python',
    source: `${CRM_SETTINGS}

PROD = Settings(secret="crm_prod")
SETTINGS = {"live": PROD}


def key(conv):
    return conv.utils.get_secret(SETTINGS[conv.env].secret)


def rotate():
    PROD.secret = "crm_rotated"
`,
    want: { unresolved: ['SETTINGS[conv.env].secret'] },
  },
  {
    title: 'a dict entry naming what a function of elsewhere returns stays unknown',
    language: 'python',
    source: `from settings import load

PROD = load("live")
SETTINGS = {"live": PROD}


def key(conv):
    return conv.utils.get_secret(SETTINGS[conv.env].secret)
`,
    want: { unresolved: ['SETTINGS[conv.env].secret'] },
  },
  {
    title: 'a @property returning what the construction was given, given an unknown',
    language: 'python',
    source: `class Settings:
    def __init__(self, name):
        self.name = name

    @property
    def secret_name(self):
        return self.name


def key(conv, name):
    settings = Settings(name)
    return conv.utils.get_secret(settings.secret_name)
`,
    want: { unresolved: ['name'] },
  },
  {
    title: "a class's table changed in place through self",
    language: 'python',
    source: `class Crm:
    NAMES = {"live": "crm_prod", "sandbox": "crm_dev"}

    def key(self, conv):
        return conv.utils.get_secret(self.NAMES[conv.env])

    def use(self, name):
        self.NAMES["live"] = name
`,
    want: { unresolved: ['NAMES["live"]', 'self.NAMES["live"] = name'] },
  },
  {
    title: "a class's table updated through self",
    language: 'python',
    source: `class Crm:
    NAMES = {"live": "crm_prod", "sandbox": "crm_dev"}

    def key(self, conv):
        return conv.utils.get_secret(self.NAMES[conv.env])

    def extend(self, more):
        self.NAMES.update(more)
`,
    want: { unresolved: ['NAMES.update(more)'] },
  },
  {
    title: 'a subclass that computes the attribute with a property',
    language: 'python',
    source: `class Base:
    secret_name = "base_api"

    def key(self, conv):
        return conv.utils.get_secret(self.secret_name)


class Child(Base):
    @property
    def secret_name(self):
        return compute()
`,
    want: { unresolved: ['self.secret_name', 'def secret_name', 'compute()'] },
  },
  {
    title: 'read in a subclass whose first base comes from elsewhere',
    language: 'python',
    source: `from lib import External


class Base:
    secret_name = "base_api"


class Child(External, Base):
    def key(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: { unresolved: ['self.secret_name'] },
  },
  {
    title: 'a subclassed attribute that a method also assigns a parameter nothing in the file gives',
    language: 'python',
    source: `class Base:
    secret_name = "base_api"

    def key(self, conv):
        return conv.utils.get_secret(self.secret_name)

    def swap(self, name):
        self.secret_name = name


class Child(Base):
    secret_name = "child_api"
`,
    want: { unresolved: ['name'] },
  },
  {
    title: 'an object made in one branch and returned by a function in the other',
    language: 'python',
    source: `${CRM_SETTINGS}

def key(conv):
    if conv.env == "live":
        settings = Settings(secret="crm_prod")
    else:
        settings = load_settings()
    return conv.utils.get_secret(settings.secret)
`,
    want: { unresolved: ['settings.secret'] },
  },
  {
    title: 'a dict of objects one entry of which is made by a call of something else',
    language: 'python',
    source: `${CRM_SETTINGS}

SETTINGS = {"live": Settings(secret="crm_prod"), "sandbox": load_settings()}


def key(conv):
    return conv.utils.get_secret(SETTINGS[conv.env].secret)
`,
    want: { unresolved: ['SETTINGS[conv.env].secret'] },
  },
  {
    title: 'a helper that returns None in one branch',
    language: 'python',
    source: `${CRM_SETTINGS}

def settings_for(conv):
    if conv.env == "live":
        return Settings(secret="crm_prod")
    return None


def key(conv):
    settings = settings_for(conv)
    return conv.utils.get_secret(settings.secret)
`,
    want: { unresolved: ['settings.secret'] },
  },
  {
    title: 'a conditional expression one branch of which is no construction',
    language: 'python',
    source: `${CRM_SETTINGS}

def key(conv):
    settings = Settings(secret="crm_prod") if conv.env == "live" else load_settings()
    return conv.utils.get_secret(settings.secret)
`,
    want: { unresolved: ['settings.secret'] },
  },
  {
    title: 'an attribute read off the result of a function made in place',
    language: 'python',
    source: `def key(conv):
    return conv.utils.get_secret(make_config().secret)
`,
    want: { unresolved: ['make_config().secret'] },
  },
  {
    title: 'an attribute a method sets and code outside the class sets too',
    language: 'python',
    source: `class Client:
    def connect(self):
        self.secret_name = "crm_api"

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name)


client = Client()
client.secret_name = "other_api"
`,
    want: { unresolved: ['self.secret_name'] },
  },
  {
    title: 'an attribute a function nested in a method sets',
    language: 'python',
    source: `class Client:
    def connect(self):
        def later():
            self.secret_name = "crm_api"
        return later

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name)
`,
    want: { unresolved: ['self.secret_name'] },
  },
  {
    title: 'an attribute a method other than __init__ sets, read off an object made without arguments',
    language: 'python',
    source: `class Client:
    def connect(self):
        self.secret_name = "crm_api"


def key(conv):
    client = Client()
    client.connect()
    return conv.utils.get_secret(client.secret_name)
`,
    want: { unresolved: ['client.secret_name'] },
  },
];

/** A TypeScript class whose parameter property holds the secret's name. */
const TS_CLIENT = `class Client {
  constructor(public secretName: string) {}
}
`;

export const CLASS_JS_CASES: CorpusCase[] = [
  {
    title: 'a let given an object in each branch of an if on the environment, read by field',
    language: 'typescript',
    source: `${TS_CLIENT}
export function key(conv: Conv) {
  let client: Client;
  if (conv.env === 'live') client = new Client('crm_prod');
  else client = new Client('crm_dev');
  return conv.utils.get_secret(client.secretName);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a let made with one object and given another where the environment is live',
    language: 'javascript',
    source: `class Client {
  constructor(secretName) {
    this.secretName = secretName;
  }
}

export function key(conv) {
  let client = new Client('crm_dev');
  if (conv.env === 'live') {
    client = new Client('crm_prod');
  }
  return conv.utils.get_secret(client.secretName);
}
`,
    want: [
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'] },
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
    ],
  },
  {
    title: 'an object chosen by a conditional of constructions on the environment, read by field',
    language: 'typescript',
    source: `${TS_CLIENT}
export function key(conv: Conv) {
  const client = conv.env === 'live' ? new Client('crm_prod') : new Client('crm_dev');
  return conv.utils.get_secret(client.secretName);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a getter testing a parameter property every construction gives conv.env: labelled by it",
    language: 'typescript',
    source: `class Settings {
  constructor(private readonly env: string) {}

  get secretName(): string {
    return this.env === 'live' ? 'crm_prod' : 'crm_dev';
  }
}

export function key(conv: any) {
  const settings = new Settings(conv.env);
  return conv.utils.get_secret(settings.secretName);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a field the constructor sets from its parameter, given String(conv.env).toLowerCase()',
    language: 'javascript',
    source: `class Client {
  constructor(conv, env) {
    this.conv = conv;
    this.env = env;
  }

  name() {
    return this.env === 'live' ? 'crm_prod' : 'crm_dev';
  }

  token() {
    return this.conv.utils.get_secret(this.name());
  }
}

export function key(conv) {
  return new Client(conv, String(conv.env).toLowerCase()).token();
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'the same field where one construction gives a literal: both names, no environment',
    language: 'typescript',
    source: `class Settings {
  constructor(private readonly env: string) {}

  get secretName(): string {
    return this.env === 'live' ? 'crm_prod' : 'crm_dev';
  }
}

export const preview = new Settings('sandbox');

export function key(conv: any) {
  const settings = new Settings(conv.env);
  return conv.utils.get_secret(settings.secretName);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: null },
      { name: 'crm_dev', literal: "'crm_dev'", environments: null },
    ],
  },
  {
    title: 'a field read through this that a subclass declares again: both values',
    language: 'typescript',
    source: `class Client {
  protected secretName = 'crm_api';

  key(conv: Conversation): string {
    return conv.utils.get_secret(this.secretName);
  }
}

class BackupClient extends Client {
  protected secretName = 'crm_backup_api';
}
`,
    want: names("'", 'crm_api', 'crm_backup_api'),
  },
  {
    title: 'an abstract field, each subclass naming its secret',
    language: 'typescript',
    source: `abstract class BaseApi {
  protected abstract readonly secretName: string;

  key(conv: Conversation): string {
    return conv.utils.get_secret(this.secretName);
  }
}

class Stripe extends BaseApi {
  protected readonly secretName = 'stripe_key';
}

class Twilio extends BaseApi {
  protected readonly secretName = 'twilio_key';
}

class StripeConnect extends Stripe {
  protected readonly secretName = 'stripe_connect_key';
}
`,
    want: names("'", 'stripe_key', 'twilio_key', 'stripe_connect_key'),
  },
  {
    title: "a subclass's constructor setting the field after super()",
    language: 'javascript',
    source: `class Client {
  secretName = 'crm_api';

  key(conv) {
    return conv.utils.get_secret(this.secretName);
  }
}

class BackupClient extends Client {
  constructor() {
    super();
    this.secretName = 'crm_backup_api';
  }
}
`,
    want: names("'", 'crm_api', 'crm_backup_api'),
  },
  {
    title: 'read in a subclass: the field it inherits from a base of the file',
    language: 'typescript',
    source: `class Base {
  secretName = 'crm_api';
}

class Handler extends Base {
  key(conv: Conversation): string {
    return conv.utils.get_secret(this.secretName);
  }
}
`,
    want: names("'", 'crm_api'),
  },
  {
    title: 'a field its own constructor sets after super(), in a class extending one from elsewhere',
    language: 'javascript',
    source: `class Client extends Base {
  constructor(keyName) {
    super();
    this.keyName = keyName;
  }
  key() {
    return process.env[this.keyName];
  }
}
export const k = new Client('CRM_API_KEY').key();
`,
    want: names("'", 'CRM_API_KEY'),
  },
  {
    title: "a class's object of names by environment, read through this, that a subclass declares again",
    language: 'typescript',
    source: `class Crm {
  protected readonly NAMES: Record<string, string> = { live: 'crm_prod', sandbox: 'crm_dev' };

  key(conv: Conversation): string {
    return conv.utils.get_secret(this.NAMES[conv.env]);
  }
}

class Billing extends Crm {
  protected readonly NAMES: Record<string, string> = { live: 'billing_prod', sandbox: 'billing_dev' };
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
      { name: 'billing_prod', literal: "'billing_prod'", environments: ['live'] },
      { name: 'billing_dev', literal: "'billing_dev'", environments: ['sandbox'] },
    ],
  },
  {
    title: "a class's static object of names by environment",
    language: 'javascript',
    source: `class Crm {
  static NAMES = { live: 'crm_prod', sandbox: 'crm_dev' };

  key(conv) {
    return conv.utils.get_secret(Crm.NAMES[conv.env]);
  }
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
    ],
  },
];

export const CLASS_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a let given a new object in a loop',
    language: 'typescript',
    source: `${TS_CLIENT}
export function key(conv: Conv, names: string[]) {
  let client = new Client('crm_dev');
  for (const name of names) client = new Client(name);
  return conv.utils.get_secret(client.secretName);
}
`,
    want: { unresolved: ['new Client(name)'] },
  },
  {
    title: 'a conditional one branch of which is no construction',
    language: 'typescript',
    source: `${TS_CLIENT}
export function key(conv: Conv) {
  const client = conv.env === 'live' ? new Client('crm_prod') : makeClient();
  return conv.utils.get_secret(client.secretName);
}
`,
    want: { unresolved: ['client.secretName'] },
  },
  {
    title: "a class's object of names changed in place through this",
    language: 'javascript',
    source: `class Crm {
  NAMES = { live: 'crm_prod', sandbox: 'crm_dev' };

  key(conv) {
    return conv.utils.get_secret(this.NAMES[conv.env]);
  }

  use(name) {
    this.NAMES.live = name;
  }
}
`,
    want: { unresolved: ['this.NAMES[conv.env]'] },
  },
  {
    title: "a class's static object of names given more by Object.assign",
    language: 'javascript',
    source: `class Crm {
  static NAMES = { live: 'crm_prod', sandbox: 'crm_dev' };

  key(conv) {
    return conv.utils.get_secret(Crm.NAMES[conv.env]);
  }
}

Object.assign(Crm.NAMES, loadOverrides());
`,
    want: { unresolved: ['Crm.NAMES[conv.env]'] },
  },
  {
    title: "a class's object of names changed through an alias",
    language: 'typescript',
    source: `class Crm {
  NAMES: Record<string, string> = { live: 'crm_prod', sandbox: 'crm_dev' };

  key(conv: Conversation): string {
    return conv.utils.get_secret(this.NAMES[conv.env]);
  }

  patch(name: string): void {
    const names = this.NAMES;
    names.live = name;
  }
}
`,
    want: { unresolved: ['this.NAMES[conv.env]'] },
  },
  {
    title: 'a subclass that computes the field with a getter',
    language: 'typescript',
    source: `class Base {
  secretName = 'base_api';

  key(conv: Conversation): string {
    return conv.utils.get_secret(this.secretName);
  }
}

class Child extends Base {
  get secretName(): string {
    return compute();
  }
}
`,
    want: { unresolved: ['compute()'] },
  },
  {
    title: 'read in a class whose own getter hides the field its base declares',
    language: 'typescript',
    source: `class Base {
  secretName = 'base_api';
}

class Child extends Base {
  get secretName(): string {
    return compute();
  }

  key(conv: Conversation): string {
    return conv.utils.get_secret(this.secretName);
  }
}
`,
    want: { unresolved: ['compute()'] },
  },
  {
    title: 'read in a subclass of a class from elsewhere',
    language: 'typescript',
    source: `import { External } from './external';

class Child extends External {
  key(conv: Conversation): string {
    return conv.utils.get_secret(this.secretName);
  }
}
`,
    want: { unresolved: ['this.secretName'] },
  },
  {
    title: 'a subclassed field that a method also assigns',
    language: 'javascript',
    source: `class Base {
  secretName = 'base_api';

  key(conv) {
    return conv.utils.get_secret(this.secretName);
  }

  swap(name) {
    this.secretName = name;
  }
}

class Child extends Base {
  secretName = 'child_api';
}
`,
    want: { unresolved: ['this.secretName'] },
  },
  {
    title: 'a class extended by a class expression',
    language: 'javascript',
    source: `class Base {
  secretName = 'base_api';

  key(conv) {
    return conv.utils.get_secret(this.secretName);
  }
}

export const Child = class extends Base {
  secretName = makeName();
};
`,
    want: { unresolved: ['this.secretName'] },
  },
];

// Objects of a class of the file in a table, or held by constants a choice names: each one's field.

/** A JavaScript class whose constructor sets the secret's name. */
const JS_SETTINGS = `class Settings {
  constructor(secret) {
    this.secret = secret;
  }
}`;
CLASS_JS_CASES.push(
  {
    title: "a table of objects by environment, an entry's field read by conv.env",
    language: 'javascript',
    source: `${JS_SETTINGS}
const SETTINGS = { live: new Settings('crm_prod'), sandbox: new Settings('crm_dev') };
export function key(conv) {
  return conv.utils.get_secret(SETTINGS[conv.env].secret);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
    ],
  },
  {
    title: 'a table of constants each holding an object (TypeScript parameter properties)',
    language: 'typescript',
    source: `class Settings {
  constructor(public readonly secret: string) {}
}
const PROD = new Settings('crm_prod');
const DEV = new Settings('crm_dev');
const SETTINGS: Record<string, Settings> = { live: PROD, sandbox: DEV };
export function key(conv: any) {
  return conv.utils.get_secret(SETTINGS[conv.env].secret);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
    ],
  },
  {
    title: 'one of two constants holding objects, chosen by a conditional, read by field',
    language: 'javascript',
    source: `${JS_SETTINGS}
const LIVE = new Settings('crm_prod');
const DEV = new Settings('crm_dev');
export function key(conv) {
  const settings = conv.env === 'live' ? LIVE : DEV;
  return conv.utils.get_secret(settings.secret);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a fixed entry of a table of objects, read by field (SETTINGS.live.secret)",
    language: 'javascript',
    source: `${JS_SETTINGS}
const SETTINGS = { live: new Settings('crm_prod'), sandbox: new Settings('crm_dev') };
export function key(conv) {
  return conv.utils.get_secret(SETTINGS.live.secret);
}
`,
    want: [{ name: 'crm_prod', literal: "'crm_prod'", environments: null, when: [] }],
  },
  {
    title: 'an object at a fixed key of the table conv.env chooses, read by field',
    language: 'javascript',
    source: `${JS_SETTINGS}
const ALL = { live: { crm: new Settings('crm_prod') }, sandbox: { crm: new Settings('crm_dev') } };
export function key(conv) {
  return conv.utils.get_secret(ALL[conv.env].crm.secret);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
    ],
  },
);

CLASS_JS_UNRESOLVED.push(
  {
    title: 'a fixed entry a table of objects lacks stays unknown',
    language: 'javascript',
    source: `${JS_SETTINGS}
const SETTINGS = { live: new Settings('crm_prod') };
export function key(conv) {
  return conv.utils.get_secret(SETTINGS.sandbox.secret);
}
`,
    want: { unresolved: ['SETTINGS.sandbox.secret'] },
  },
  {
    title: 'a table entry naming an object whose field a function sets stays unknown',
    language: 'javascript',
    source: `${JS_SETTINGS}
const PROD = new Settings('crm_prod');
const SETTINGS = { live: PROD };
export function key(conv) {
  return conv.utils.get_secret(SETTINGS[conv.env].secret);
}
export function rotate() {
  PROD.secret = 'crm_rotated';
}
`,
    want: { unresolved: ['SETTINGS[conv.env].secret'] },
  },
  {
    title: 'a table entry naming what a function of elsewhere returns stays unknown',
    language: 'javascript',
    source: `import { load } from './settings';
const PROD = load('live');
const SETTINGS = { live: PROD };
export function key(conv) {
  return conv.utils.get_secret(SETTINGS[conv.env].secret);
}
`,
    want: { unresolved: ['SETTINGS[conv.env].secret'] },
  },
);
