// Corpus cases: a helper another module of the project defines whose returned name is built from
// its parameters (`def name_for(conv, service): return f"{service}_prod" if conv.env == "live" else
// f"{service}_uat"`), called with the argument that fills it. The module gives it as a template
// (`name_for(conv, service)`, its parameter marked in each name: evaluate/templates.ts) that the
// call fills with its arguments' values. Then the variants that must stay unknown: a helper that
// tests, looks up or changes its parameter (no template), and a call that leaves out a marked
// parameter that has no default (one left to its default takes the default's names). The same in
// JavaScript / TypeScript (an exported function or arrow).

import { mark } from '../../../server/src/service/evaluate/templates';
import type { CorpusCase, ImportedModule } from './nameSetsCorpusCases';

const NAMES_PY = `import os


def name_for(conv, service):
    return f"{service}_prod" if conv.env == "live" else f"{service}_uat"


def key_name(prefix):
    return prefix + "_api_key"


def regional(conv, service, *, region):
    env = str(conv.env or "").lower()
    tier = "prod" if env == "live" else "uat"
    return f"{service}_{region}_{tier}"


def checked_name(conv, service):
    if service == "crm":
        return "crm_api"
    return service + "_api"


def shouted(service):
    return (service + "_key").upper()


def with_default(conv, service="crm"):
    return f"{service}_prod" if conv.env == "live" else f"{service}_uat"
`;

const NAMES_PY_MODULE: ImportedModule = {
  uri: 'file:///proj/functions/secret_names.py',
  text: NAMES_PY,
  names: {
    'name_for(conv, service)': [
      { name: `${mark(1)}_prod`, literal: 'f"{service}_prod"', environments: ['live'] },
      { name: `${mark(1)}_uat`, literal: 'f"{service}_uat"', environments: ['sandbox', 'pre-release'] },
    ],
    'key_name(prefix)': [{ name: `${mark(0)}_api_key`, literal: 'prefix', environments: null }],
    'regional(conv, service, *, region)': [
      { name: `${mark(1)}_${mark(2)}_prod`, literal: 'f"{service}_{region}_{tier}"', environments: ['live'] },
      { name: `${mark(1)}_${mark(2)}_uat`, literal: 'f"{service}_{region}_{tier}"', environments: ['sandbox', 'pre-release'] },
    ],
    'with_default(conv, service)': [
      { name: `${mark(1)}_prod`, literal: 'f"{service}_prod"', environments: ['live'] },
      { name: `${mark(1)}_uat`, literal: 'f"{service}_uat"', environments: ['sandbox', 'pre-release'] },
    ],
    'with_default(conv, service) default 1': [{ name: 'crm', literal: '"crm"', environments: null }],
  },
};

const MODULES = { 'functions.secret_names': NAMES_PY_MODULE };

export const TEMPLATE_PYTHON_CASES: CorpusCase[] = [
  {
    title: 'a helper another module defines that joins its parameter into a name chosen by conv.env, given a literal',
    language: 'python',
    source: `from functions.secret_names import name_for


def crm_lookup(conv, flow, phone_number: str):
    token = conv.utils.get_secret(name_for(conv, "crm"))
    return {"ok": bool(token)}
`,
    modules: MODULES,
    want: [
      { name: 'crm_prod', literal: '"crm"', environments: ['live'] },
      { name: 'crm_uat', literal: '"crm"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "another module's name-joining helper called through its module, the parameter by keyword",
    language: 'python',
    source: `from functions import secret_names


def refund(conv, flow):
    name = secret_names.name_for(conv, service="stripe")
    return conv.utils.get_secret(name)
`,
    modules: MODULES,
    want: [
      { name: 'stripe_prod', literal: '"stripe"', environments: ['live'] },
      { name: 'stripe_uat', literal: '"stripe"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "another module's helper given a name this function chooses by conv.env",
    language: 'python',
    source: `from functions.secret_names import key_name


def book(conv):
    prefix = "opentable_live" if conv.env == "live" else "opentable_test"
    return conv.utils.get_secret(key_name(prefix))
`,
    modules: MODULES,
    want: [
      { name: 'opentable_live_api_key', literal: '"opentable_live"', environments: ['live'] },
      { name: 'opentable_test_api_key', literal: '"opentable_test"', environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "another module's helper joining two parameters, one keyword-only, with a tier it chooses by a normalised conv.env",
    language: 'python',
    source: `from functions.secret_names import regional


def dispatch(conv, flow):
    return conv.utils.get_secret(regional(conv, "fieldpro", region="eu"))
`,
    modules: MODULES,
    want: [
      { name: 'fieldpro_eu_prod', literal: ['"fieldpro"', '"eu"'], environments: ['live'] },
      { name: 'fieldpro_eu_uat', literal: ['"fieldpro"', '"eu"'], environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a call that leaves another module's joined parameter to its default there: the default's names",
    language: 'python',
    source: `from functions.secret_names import with_default


def crm(conv):
    return conv.utils.get_secret(with_default(conv))
`,
    modules: MODULES,
    want: [
      { name: 'crm_prod', literal: '"crm"', environments: ['live'], module: 'functions.secret_names' },
      { name: 'crm_uat', literal: '"crm"', environments: ['sandbox', 'pre-release'], module: 'functions.secret_names' },
    ],
  },
];

export const TEMPLATE_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: "a call that leaves out another module's joined parameter, which has no default",
    language: 'python',
    source: `from functions.secret_names import name_for


def crm(conv):
    return conv.utils.get_secret(name_for(conv))
`,
    modules: MODULES,
    want: { unresolved: ['name_for(conv)'] },
  },
  {
    title: 'a helper another module defines that tests its parameter gives no template',
    language: 'python',
    source: `from functions.secret_names import checked_name


def crm(conv):
    return conv.utils.get_secret(checked_name(conv, "crm"))
`,
    modules: MODULES,
    want: { unresolved: ['checked_name(conv, "crm")'] },
  },
  {
    title: 'a helper another module defines that changes the joined name by case gives no template',
    language: 'python',
    source: `from functions.secret_names import shouted


def crm(conv):
    return conv.utils.get_secret(shouted("crm"))
`,
    modules: MODULES,
    want: { unresolved: ['shouted("crm")'] },
  },
];

const NAMES_TS = `export const nameFor = (conv: Conversation, service: string): string =>
  conv.env === 'live' ? \`\${service}_prod\` : \`\${service}_uat\`;

export function keyName(prefix: string): string {
  return prefix + '_api_key';
}

export function regionalName(conv: Conversation, service: string, region = 'eu'): string {
  return \`\${service}_\${region}_key\`;
}

export function checkedName(conv: Conversation, service: string): string {
  if (service === 'crm') return 'crm_api';
  return \`\${service}_api\`;
}
`;

const NAMES_TS_MODULE: ImportedModule = {
  uri: 'file:///web/secretNames.ts',
  text: NAMES_TS,
  names: {
    'nameFor(conv, service)': [
      { name: `${mark(1)}_prod`, literal: '`${service}_prod`', environments: ['live'] },
      { name: `${mark(1)}_uat`, literal: '`${service}_uat`', environments: ['sandbox', 'pre-release'] },
    ],
    'keyName(prefix)': [{ name: `${mark(0)}_api_key`, literal: 'prefix', environments: null }],
    'regionalName(conv, service, region)': [{ name: `${mark(1)}_${mark(2)}_key`, literal: '`${service}_${region}_key`', environments: null }],
    'regionalName(conv, service, region) default 2': [{ name: 'eu', literal: "'eu'", environments: null }],
  },
};

const TS_MODULES = { './secretNames': NAMES_TS_MODULE };

export const TEMPLATE_JS_CASES: CorpusCase[] = [
  {
    title: 'an exported arrow that joins its parameter into a name chosen by conv.env, called with a literal',
    language: 'typescript',
    source: `import { nameFor } from './secretNames';

export async function crmLookup(conv: Conversation): Promise<string> {
  return conv.utils.get_secret(nameFor(conv, 'crm'));
}
`,
    modules: TS_MODULES,
    want: [
      { name: 'crm_prod', literal: "'crm'", environments: ['live'] },
      { name: 'crm_uat', literal: "'crm'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a namespace import's name-joining function given a name this function chooses by conv.env",
    language: 'javascript',
    source: `import * as names from './secretNames';

export async function book(conv) {
  const prefix = conv.env === 'live' ? 'opentable_live' : 'opentable_test';
  return conv.utils.get_secret(names.keyName(prefix));
}
`,
    modules: TS_MODULES,
    want: [
      { name: 'opentable_live_api_key', literal: "'opentable_live'", environments: ['live'] },
      { name: 'opentable_test_api_key', literal: "'opentable_test'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a call that leaves an exported function's joined parameter to its default: the default's names",
    language: 'typescript',
    source: `import { regionalName } from './secretNames';

export async function dispatch(conv: Conversation): Promise<string> {
  return conv.utils.get_secret(regionalName(conv, 'fieldpro'));
}
`,
    modules: TS_MODULES,
    want: [{ name: 'fieldpro_eu_key', literal: ["'fieldpro'", "'eu'"], environments: null }],
  },
];

export const TEMPLATE_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'an exported function that tests its parameter gives no template',
    language: 'typescript',
    source: `import { checkedName } from './secretNames';

export async function crm(conv: Conversation): Promise<string> {
  return conv.utils.get_secret(checkedName(conv, 'crm'));
}
`,
    modules: TS_MODULES,
    want: { unresolved: ["checkedName(conv, 'crm')"] },
  },
  {
    title: "a call that leaves an exported function's joined parameter out",
    language: 'typescript',
    source: `import { nameFor } from './secretNames';

export async function crm(conv: Conversation): Promise<string> {
  return conv.utils.get_secret(nameFor(conv));
}
`,
    modules: TS_MODULES,
    want: { unresolved: ['nameFor(conv)'] },
  },
];
