// Corpus cases: a JavaScript / TypeScript read of a name imported from another module of the
// project by its relative path (`import { CRM_KEY } from './names'`), under an alias too, and one
// the module chooses by the environment: the module's exported constants, as the session's lookup
// hands them (jsModuleNames), and through a namespace import (`names.CRM_KEY`). A name the module
// lacks and a package's stay unknown. Each source has exactly one computed read. Then, in both
// languages, a dict (object) of names another module defines, read by key, and a helper it defines
// whose returns do not depend on what it is given, called: the module gives them as `SECRETS["live"]`
// and `stripe_name()` (pythonModuleNames, jsModuleNames).

import type { CorpusCase } from './nameSetsCorpusCases';

const NAMES_TS = `export const CRM_KEY = 'crm_api';
export const PAY_KEY = process.env.REGION === 'eu' ? 'pay_eu' : 'pay_us';
`;

const NAMES_MODULE = {
  uri: 'file:///web/names.ts',
  text: NAMES_TS,
  names: {
    CRM_KEY: [{ name: 'crm_api', literal: "'crm_api'", environments: null }],
    PAY_KEY: [
      { name: 'pay_eu', literal: "'pay_eu'", environments: null },
      { name: 'pay_us', literal: "'pay_us'", environments: null },
    ],
  },
};

export const IMPORT_JS_CASES: CorpusCase[] = [
  {
    title: 'a constant imported from a module of the project by its relative path',
    language: 'typescript',
    source: `import { CRM_KEY } from './names';

export function hook(conv: Conversation): string {
  return conv.utils.get_secret(CRM_KEY);
}
`,
    modules: { './names': NAMES_MODULE },
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, module: './names' }],
  },
  {
    title: 'an imported constant under an alias that its module chooses',
    language: 'javascript',
    source: `import { PAY_KEY as key } from './names';

export function pay(conv) {
  return conv.utils.get_secret(key);
}
`,
    modules: { './names': NAMES_MODULE },
    want: [
      { name: 'pay_eu', literal: "'pay_eu'", environments: null, module: './names' },
      { name: 'pay_us', literal: "'pay_us'", environments: null, module: './names' },
    ],
  },
  {
    title: 'a constant read through a namespace import of the module',
    language: 'typescript',
    source: `import * as names from './names';

export function hook(conv: Conversation): string {
  return conv.utils.get_secret(names.CRM_KEY);
}
`,
    modules: { './names': NAMES_MODULE },
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, module: './names' }],
  },
];

export const IMPORT_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a name the module does not export',
    language: 'typescript',
    source: `import { MISSING } from './names';

export function hook(conv: Conversation): string {
  return conv.utils.get_secret(MISSING);
}
`,
    modules: { './names': NAMES_MODULE },
    want: { unresolved: ['MISSING'] },
  },
  {
    title: 'a name the module does not export, read through a namespace import',
    language: 'typescript',
    source: `import * as names from './names';

export function hook(conv: Conversation): string {
  return conv.utils.get_secret(names.MISSING);
}
`,
    modules: { './names': NAMES_MODULE },
    want: { unresolved: ['names.MISSING'] },
  },
  {
    title: "a package's constant",
    language: 'javascript',
    source: `import { CRM_KEY } from 'crm-sdk';

export function hook(conv) {
  return conv.utils.get_secret(CRM_KEY);
}
`,
    want: { unresolved: ['CRM_KEY'] },
  },
];

const CONFIG_PY = `SECRETS = {
    "live": "stripe_live",
    "sandbox": "stripe_test",
    "pre-release": "stripe_test",
}


def stripe_name(conv) -> str:
    env = str(conv.env or "").lower()
    if env == "live":
        return "stripe_live"
    return "stripe_test"


def name_for(conv, service):
    return f"{service}_prod" if conv.env == "live" else f"{service}_test"
`;

const BY_ENV = (module: string) => [
  { name: 'stripe_live', literal: '"stripe_live"', environments: ['live'], module },
  { name: 'stripe_test', literal: '"stripe_test"', environments: ['sandbox', 'pre-release'], module },
];

const CONFIG_PY_MODULE = {
  uri: 'file:///proj/functions/config.py',
  text: CONFIG_PY,
  names: {
    'SECRETS["live"]': [{ name: 'stripe_live', literal: '"stripe_live"', environments: null }],
    'SECRETS["sandbox"]': [{ name: 'stripe_test', literal: '"stripe_test"', environments: null }],
    'SECRETS["pre-release"]': [{ name: 'stripe_test', literal: '"stripe_test"', environments: null }],
    'stripe_name()': [
      { name: 'stripe_live', literal: '"stripe_live"', environments: ['live'] },
      { name: 'stripe_test', literal: '"stripe_test"', environments: ['sandbox', 'pre-release'] },
    ],
  },
};

export const IMPORT_PYTHON_CASES: CorpusCase[] = [
  {
    title: "another module's dict of names read by conv.env where it is imported",
    language: 'python',
    source: `from functions.config import SECRETS


def take_payment(conv, amount):
    return conv.utils.get_secret(SECRETS[conv.env])
`,
    modules: { 'functions.config': CONFIG_PY_MODULE },
    want: BY_ENV('functions.config'),
  },
  {
    title: "another module's dict of names, the module imported whole, .get with a default",
    language: 'python',
    source: `from functions import config


def take_payment(conv, amount):
    return conv.utils.get_secret(config.SECRETS.get(conv.env, "stripe_test"))
`,
    modules: { 'functions.config': CONFIG_PY_MODULE },
    want: BY_ENV('functions.config'),
  },
  {
    title: 'a helper another module defines, choosing by a normalised conv.env, called where it is imported',
    language: 'python',
    source: `from functions.config import stripe_name


def take_payment(conv, amount):
    key = conv.utils.get_secret(stripe_name(conv))
    return {"ok": bool(key)}
`,
    modules: { 'functions.config': CONFIG_PY_MODULE },
    want: BY_ENV('functions.config'),
  },
  {
    title: "a helper another module defines, called through the module imported whole",
    language: 'python',
    source: `from functions import config


def take_payment(conv, amount):
    name = config.stripe_name(conv)
    return conv.utils.get_secret(name)
`,
    modules: { 'functions.config': CONFIG_PY_MODULE },
    want: BY_ENV('functions.config'),
  },
];

// A helper whose return joins its parameters into the name is followed now (nameSetsTemplateCases.ts).
export const IMPORT_PYTHON_UNRESOLVED: CorpusCase[] = [];

const CONFIG_TS = `export const SECRETS = {
  live: 'stripe_live',
  sandbox: 'stripe_test',
  'pre-release': 'stripe_test',
} as const;

export function stripeName(conv: Conversation): string {
  const env = String(conv.env || '').toLowerCase();
  if (env === 'live') return 'stripe_live';
  return 'stripe_test';
}

export const nameFor = (conv: Conversation, service: string) => (conv.env === 'live' ? \`\${service}_prod\` : \`\${service}_test\`);
`;

const TS_BY_ENV = [
  { name: 'stripe_live', literal: "'stripe_live'", environments: ['live'], module: './config' },
  { name: 'stripe_test', literal: "'stripe_test'", environments: ['sandbox', 'pre-release'], module: './config' },
];

const CONFIG_TS_MODULE = {
  uri: 'file:///web/config.ts',
  text: CONFIG_TS,
  names: {
    'SECRETS["live"]': [{ name: 'stripe_live', literal: "'stripe_live'", environments: null }],
    'SECRETS["sandbox"]': [{ name: 'stripe_test', literal: "'stripe_test'", environments: null }],
    'SECRETS["pre-release"]': [{ name: 'stripe_test', literal: "'stripe_test'", environments: null }],
    'stripeName()': [
      { name: 'stripe_live', literal: "'stripe_live'", environments: ['live'] },
      { name: 'stripe_test', literal: "'stripe_test'", environments: ['sandbox', 'pre-release'] },
    ],
  },
};

IMPORT_JS_CASES.push(
  {
    title: "another module's object of names read by conv.env where it is imported",
    language: 'typescript',
    source: `import { SECRETS } from './config';

export async function charge(conv: Conversation): Promise<string> {
  return conv.utils.get_secret(SECRETS[conv.env]);
}
`,
    modules: { './config': CONFIG_TS_MODULE },
    want: TS_BY_ENV,
  },
  {
    title: "another module's object of names through a namespace import, with a default",
    language: 'javascript',
    source: `import * as config from './config';

export function charge(conv) {
  return conv.utils.get_secret(config.SECRETS[conv.env] ?? 'stripe_test');
}
`,
    modules: { './config': CONFIG_TS_MODULE },
    want: TS_BY_ENV,
  },
  {
    title: 'a helper another module exports, choosing by a normalised conv.env, called where it is imported',
    language: 'typescript',
    source: `import { stripeName } from './config';

export async function charge(conv: Conversation): Promise<string> {
  const name = stripeName(conv);
  return conv.utils.get_secret(name);
}
`,
    modules: { './config': CONFIG_TS_MODULE },
    want: TS_BY_ENV,
  },
);

IMPORT_JS_UNRESOLVED.push({
  title: 'a helper another module exports whose return depends on its parameters',
  language: 'typescript',
  source: `import { nameFor } from './config';

export function crm(conv: Conversation): string {
  return conv.utils.get_secret(nameFor(conv, 'crm'));
}
`,
  modules: { './config': CONFIG_TS_MODULE },
  want: { unresolved: ["nameFor(conv, 'crm')"] },
});
