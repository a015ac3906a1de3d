// Corpus cases: tables chosen by a helper of the file (`cfg = get_config(conv)`, whose returns
// select a table by environment), by a conditional (`LIVE if conv.env == "live" else SANDBOX`,
// `conv.env === 'live' ? LIVE : SANDBOX`) or in each branch of an `if`; and a function defined in a
// function, closed over its calls there; a loop over a Python Enum; a TypeScript parameter typed by a
// union of string literals.
// Each in Python and, where the idiom exists, in JavaScript / TypeScript; the variants that stay
// unknown after them.

import type { CorpusCase, WantCandidate } from './nameSetsCorpusCases';

/** crm_live_key in live, crm_dev_key elsewhere. */
const LIVE_OR_DEV = (quote: string): WantCandidate[] => [
  { name: 'crm_live_key', literal: `${quote}crm_live_key${quote}`, environments: ['live'] },
  { name: 'crm_dev_key', literal: `${quote}crm_dev_key${quote}`, environments: ['sandbox', 'pre-release'] },
];

const PY_SETTINGS = `ENV_SECRETS = {
    "live": {"api_key": "crm_live_key", "base_url": "https://crm.example.com"},
    "sandbox": {"api_key": "crm_dev_key", "base_url": "https://sandbox.crm.example.com"},
}

`;

const TS_SETTINGS = `const ENV_SECRETS: Record<string, { apiKey: string; baseUrl: string }> = {
  live: { apiKey: 'crm_live_key', baseUrl: 'https://crm.example.com' },
  sandbox: { apiKey: 'crm_dev_key', baseUrl: 'https://sandbox.crm.example.com' },
};

`;

export const HELPER_PYTHON_CASES: CorpusCase[] = [
  {
    title: "a helper returning the environment's settings table, its key read at the call",
    language: 'python',
    source: `from _gen import *  # <AUTO GENERATED>

${PY_SETTINGS}def get_config(conv: Conversation) -> dict:
    env = str(conv.env or "").lower()
    return ENV_SECRETS.get(env, ENV_SECRETS["sandbox"])


def crm_lookup(conv: Conversation, phone: str):
    cfg = get_config(conv)
    return conv.utils.get_secret(cfg["api_key"])
`,
    want: LIVE_OR_DEV('"'),
  },
  {
    title: "a helper taking the environment, its table's .get at the call",
    language: 'python',
    source: `${PY_SETTINGS}def settings_for(env):
    return ENV_SECRETS.get(env) or ENV_SECRETS["sandbox"]


def crm_lookup(conv):
    return conv.utils.get_secret(settings_for(conv.env).get("api_key"))
`,
    want: LIVE_OR_DEV('"'),
  },
  {
    title: 'a method returning a table literal in each branch',
    language: 'python',
    source: `class Crm:
    def settings(self, conv):
        if conv.env == "live":
            return {"api_key": "crm_live_key"}
        return {"api_key": "crm_dev_key"}

    def key(self, conv):
        return conv.utils.get_secret(self.settings(conv)["api_key"])
`,
    want: LIVE_OR_DEV('"'),
  },
  {
    title: 'a conditional choosing one of two tables',
    language: 'python',
    source: `LIVE = {"api_key": "crm_live_key"}
SANDBOX = {"api_key": "crm_dev_key"}


def crm_lookup(conv):
    cfg = LIVE if conv.env == "live" else SANDBOX
    return conv.utils.get_secret(cfg["api_key"])
`,
    want: LIVE_OR_DEV('"'),
  },
  {
    title: 'a table given in each branch of an if',
    language: 'python',
    source: `LIVE = {"api_key": "crm_live_key"}
SANDBOX = {"api_key": "crm_dev_key"}


def crm_lookup(conv):
    if conv.env == "live":
        cfg = LIVE
    else:
        cfg = SANDBOX
    return conv.utils.get_secret(cfg["api_key"])
`,
    want: LIVE_OR_DEV('"'),
  },
  {
    title: 'a function defined in the function that calls it',
    language: 'python',
    source: `def load(conv):
    def fetch(name):
        return conv.utils.get_secret(name)

    return fetch("crm_api"), fetch("billing_api")
`,
    want: [
      { name: 'crm_api', literal: '"crm_api"', environments: null, when: [] },
      { name: 'billing_api', literal: '"billing_api"', environments: null, when: [] },
    ],
  },
  {
    title: 'a comprehension over an Enum of strings: each member',
    language: 'python',
    source: `from enum import Enum


class SecretNames(str, Enum):
    CRM = "crm_api"
    BILLING = "billing_api"


def load(conv):
    return {s.name: conv.utils.get_secret(s) for s in SecretNames}
`,
    want: [
      { name: 'crm_api', literal: '"crm_api"', environments: null, when: [] },
      { name: 'billing_api', literal: '"billing_api"', environments: null, when: [] },
    ],
  },
  {
    title: "a loop over an Enum, each member's .value",
    language: 'python',
    source: `from enum import Enum


class SecretNames(Enum):
    CRM = "crm_api"
    BILLING = "billing_api"


def load(conv):
    for s in SecretNames:
        conv.utils.get_secret(s.value)
`,
    want: [
      { name: 'crm_api', literal: '"crm_api"', environments: null, when: [] },
      { name: 'billing_api', literal: '"billing_api"', environments: null, when: [] },
    ],
  },
  {
    title: "a method given conv.env through self, testing its parameter: the test is of the environment",
    language: 'python',
    source: `class Crm:
    def name_for(self, env):
        if env == "live":
            return "crm_live_key"
        return "crm_dev_key"

    def key(self, conv):
        return conv.utils.get_secret(self.name_for(conv.env))
`,
    want: LIVE_OR_DEV('"'),
  },
  {
    title: 'the same method given something else: its test is not of the environment',
    language: 'python',
    source: `class Crm:
    def name_for(self, env):
        if env == "live":
            return "crm_live_key"
        return "crm_dev_key"

    def key(self, conv):
        return conv.utils.get_secret(self.name_for(conv.state["tier"]))
`,
    want: [
      { name: 'crm_live_key', literal: '"crm_live_key"', environments: null },
      { name: 'crm_dev_key', literal: '"crm_dev_key"', environments: null },
    ],
  },
  {
    title: "a module's name a helper sets with global, read in another function: the helper's values",
    language: 'python',
    source: `_SECRET_NAME = None


def _init(conv):
    global _SECRET_NAME
    _SECRET_NAME = "crm_prod" if str(conv.env).lower() == "live" else "crm_test"


def crm(conv):
    _init(conv)
    return conv.utils.get_secret(_SECRET_NAME)
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_test', literal: '"crm_test"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a module's constant another function rebinds with global: both values (it was the module's alone)",
    language: 'python',
    source: `SECRET_NAME = "crm_default"


def use_backup():
    global SECRET_NAME
    SECRET_NAME = "crm_backup"


def crm(conv):
    return conv.utils.get_secret(SECRET_NAME)
`,
    want: [
      { name: 'crm_default', literal: '"crm_default"', environments: null },
      { name: 'crm_backup', literal: '"crm_backup"', environments: null },
    ],
  },
];

export const HELPER_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: "a loop over an Enum that is not of strings, its members passed as they are",
    language: 'python',
    source: `from enum import Enum


class SecretNames(Enum):
    CRM = "crm_api"


def load(conv):
    for s in SecretNames:
        conv.utils.get_secret(s)
`,
    want: { unresolved: ['SecretNames', 's'] },
  },
  {
    title: "a loop over an Enum whose values are auto()",
    language: 'python',
    source: `from enum import Enum, auto


class SecretNames(Enum):
    CRM = auto()


def load(conv):
    for s in SecretNames:
        conv.utils.get_secret(s.value)
`,
    want: { unresolved: ['auto()', 's.value'] },
  },
  {
    title: 'a helper returning what it loads',
    language: 'python',
    source: `def get_config(conv):
    return load_config(conv)


def crm_lookup(conv):
    cfg = get_config(conv)
    return conv.utils.get_secret(cfg["api_key"])
`,
    want: { unresolved: ['load_config(conv)', 'get_config(conv)', 'cfg["api_key"]'] },
  },
  {
    title: "a helper's table changed at the call",
    language: 'python',
    source: `def get_config(conv):
    return {"api_key": "crm_dev_key"}


def crm_lookup(conv):
    cfg = get_config(conv)
    cfg["api_key"] = conv.state["key_name"]
    return conv.utils.get_secret(cfg["api_key"])
`,
    want: { unresolved: ['cfg["api_key"]', 'cfg'] },
  },
  {
    title: 'a table in one branch, something loaded in the other',
    language: 'python',
    source: `LIVE = {"api_key": "crm_live_key"}


def crm_lookup(conv):
    if conv.env == "live":
        cfg = LIVE
    else:
        cfg = load()
    return conv.utils.get_secret(cfg["api_key"])
`,
    want: { unresolved: ['load()', 'cfg["api_key"]'] },
  },
  {
    title: 'a function defined in a function and handed out',
    language: 'python',
    source: `def load(conv, register):
    def fetch(name):
        return conv.utils.get_secret(name)

    register(fetch)
    return fetch("crm_api")
`,
    want: { unresolved: ['name'] },
  },
  {
    title: 'a function defined in a function whose name is given another value',
    language: 'python',
    source: `def load(conv, other):
    def fetch(name):
        return conv.utils.get_secret(name)

    first = fetch("crm_api")
    fetch = other
    return first, fetch("billing_api")
`,
    want: { unresolved: ['name'] },
  },
];

export const HELPER_JS_CASES: CorpusCase[] = [
  {
    title: "a helper returning the environment's settings object, its key read at the call",
    language: 'typescript',
    source: `${TS_SETTINGS}function getConfig(conv: Conversation) {
  return ENV_SECRETS[conv.env] ?? ENV_SECRETS.sandbox;
}

export function crmLookup(conv: Conversation, phone: string) {
  const cfg = getConfig(conv);
  return conv.utils.get_secret(cfg.apiKey);
}
`,
    want: LIVE_OR_DEV("'"),
  },
  {
    title: 'an arrow helper choosing an object by a conditional',
    language: 'javascript',
    source: `const settings = (conv) => (conv.env === 'live' ? { apiKey: 'crm_live_key' } : { apiKey: 'crm_dev_key' });

export function crmLookup(conv) {
  return conv.utils.get_secret(settings(conv).apiKey);
}
`,
    want: LIVE_OR_DEV("'"),
  },
  {
    title: 'a conditional choosing one of two objects',
    language: 'typescript',
    source: `const LIVE = { apiKey: 'crm_live_key' };
const SANDBOX = { apiKey: 'crm_dev_key' };

export function crmLookup(conv: Conversation) {
  const cfg = conv.env === 'live' ? LIVE : SANDBOX;
  return conv.utils.get_secret(cfg.apiKey);
}
`,
    want: LIVE_OR_DEV("'"),
  },
  {
    title: 'a let given an object in each branch of an if',
    language: 'typescript',
    source: `const LIVE = { apiKey: 'crm_live_key' };
const SANDBOX = { apiKey: 'crm_dev_key' };

export function crmLookup(conv: Conversation) {
  let cfg;
  if (conv.env === 'live') {
    cfg = LIVE;
  } else {
    cfg = SANDBOX;
  }
  return conv.utils.get_secret(cfg.apiKey);
}
`,
    want: LIVE_OR_DEV("'"),
  },
  {
    title: 'a method called through this, given conv.env, testing its parameter',
    language: 'typescript',
    source: `class Crm {
  private nameFor(env: string): string {
    if (env === 'live') return 'crm_live_key';
    return 'crm_dev_key';
  }

  key(conv: Conversation): string {
    return conv.utils.get_secret(this.nameFor(conv.env));
  }
}
`,
    want: LIVE_OR_DEV("'"),
  },
  {
    title: 'an exported function whose parameter is a union of string literals',
    language: 'typescript',
    source: `export function apiKey(conv: Conversation, name: 'crm_api' | 'billing_api'): string {
  return conv.utils.get_secret(name);
}
`,
    want: [
      { name: 'crm_api', literal: "'crm_api'", environments: null, when: [] },
      { name: 'billing_api', literal: "'billing_api'", environments: null, when: [] },
    ],
  },
  {
    title: 'a parameter typed by a type alias of the file, written one member a line',
    language: 'typescript',
    source: `export type SecretName =
  | 'crm_api'
  | 'billing_api';

export const apiKey = (conv: Conversation, name?: SecretName) => conv.utils.get_secret(name);
`,
    want: [
      { name: 'crm_api', literal: "'crm_api'", environments: null, when: [] },
      { name: 'billing_api', literal: "'billing_api'", environments: null, when: [] },
    ],
  },
  {
    title: "a literal-typed parameter of a function the file alone calls: its calls' names",
    language: 'typescript',
    source: `function apiKey(conv: Conversation, name: 'crm_api' | 'billing_api'): string {
  return conv.utils.get_secret(name);
}

export const crm = (conv: Conversation) => apiKey(conv, 'crm_api');
`,
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, when: [] }],
  },
  {
    title: "an exported function's options parameter typed with optional keys: its default, open to other callers",
    language: 'typescript',
    source: `export async function readKey(conv: Conversation, { secretName = 'crm_api' }: { secretName?: string; region?: string } = {}): Promise<string> {
  return conv.utils.get_secret(secretName);
}
`,
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null }],
    open: true,
  },
  {
    title: "a Set of environments tested with .has(conv.env): each name in the environments on its side",
    language: 'typescript',
    source: `const PROD_ENVS = new Set<string>(['live', 'pre-release']);

export function crmKey(conv: Conversation): string {
  const name = PROD_ENVS.has(conv.env) ? 'crm_prod_api' : 'crm_uat_api';
  return conv.utils.get_secret(name);
}
`,
    want: [
      { name: 'crm_prod_api', literal: "'crm_prod_api'", environments: ['pre-release', 'live'] },
      { name: 'crm_uat_api', literal: "'crm_uat_api'", environments: ['sandbox'] },
    ],
  },
];

export const HELPER_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a method called through this that a subclass declares again',
    language: 'javascript',
    source: `class Crm {
  secretName() {
    return 'crm_api';
  }

  key(conv) {
    return conv.utils.get_secret(this.secretName());
  }
}

class Billing extends Crm {
  secretName() {
    return compute();
  }
}
`,
    want: { unresolved: ['this.secretName()'] },
  },
  {
    title: 'a let given another object in a loop',
    language: 'typescript',
    source: `const LIVE = { apiKey: 'crm_live_key' };

export function crmLookup(conv: Conversation, candidates: Array<{ apiKey: string }>) {
  let cfg = LIVE;
  for (const c of candidates) cfg = c;
  return conv.utils.get_secret(cfg.apiKey);
}
`,
    want: { unresolved: ['cfg.apiKey', 'cfg = c', 'c'] },
  },
  {
    title: 'a parameter whose union also admits any string',
    language: 'typescript',
    source: `export function apiKey(conv: Conversation, name: 'crm_api' | string): string {
  return conv.utils.get_secret(name);
}
`,
    want: { unresolved: ['name'] },
  },
  {
    title: 'a parameter typed by an alias of string',
    language: 'typescript',
    source: `type SecretName = string;

export function apiKey(conv: Conversation, name: SecretName): string {
  return conv.utils.get_secret(name);
}
`,
    want: { unresolved: ['name'] },
  },
  {
    title: 'a helper returning what it fetches',
    language: 'typescript',
    source: `function getConfig(conv: Conversation) {
  return fetchConfig(conv);
}

export function crmLookup(conv: Conversation) {
  const cfg = getConfig(conv);
  return conv.utils.get_secret(cfg.apiKey);
}
`,
    want: { unresolved: ['cfg.apiKey', 'fetchConfig(conv)'] },
  },
  {
    title: "a helper's object changed at the call",
    language: 'javascript',
    source: `function getConfig(conv) {
  return { apiKey: 'crm_dev_key' };
}

export function crmLookup(conv) {
  const cfg = getConfig(conv);
  cfg.apiKey = conv.state.keyName;
  return conv.utils.get_secret(cfg.apiKey);
}
`,
    want: { unresolved: ['cfg.apiKey'] },
  },
];
