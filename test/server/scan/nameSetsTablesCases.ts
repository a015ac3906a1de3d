// The corpus's cases of tables of tables and constants of the environment (issue 51), JavaScript and
// TypeScript with their Python twins: an inner table chosen by `conv.env` (or any key), then read
// by a key, through a member, an index, a name bound to it, a destructuring, a default after it;
// and TypeScript enums (and `as const` objects) as the environment's constants and as secret
// names. Each name carries the environments of the key that chose it, as the Python twin's does.
// The expectations are written from the rules, not from a run. Each source has exactly one
// computed read.

import type { CorpusCase, WantCandidate } from './nameSetsCorpusCases';

const CONFIG_JS = "const CONFIG = { live: { crm: 'crm_prod' }, sandbox: { crm: 'crm_dev' } };\n";
const CONFIG_PY = "CONFIG = {'live': {'crm': 'crm_prod'}, 'sandbox': {'crm': 'crm_dev'}}\n\n";

/** crm_prod where conv.env is live, crm_dev where it is sandbox: no name in pre-release (the key is missing). */
const BY_ENV: WantCandidate[] = [
  { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'], when: [] },
  { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'], when: [] },
];

/** BY_ENV chosen through an alias of conv.env (its tests not compared). */
const BY_ENV_ALIAS: WantCandidate[] = BY_ENV.map(({ when: _, ...w }) => w);

/** As BY_ENV, and the sandbox table (or a default) where the key is missing. */
const SANDBOX_DEFAULT: WantCandidate[] = [
  { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'], when: [] },
  { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox', 'pre-release'], when: [] },
];

const NAMED_DEFAULT: WantCandidate[] = [...BY_ENV, { name: 'crm_default', literal: "'crm_default'", environments: ['pre-release'], when: [] }];

/** x_prod where the environment constant's test holds (live), x_dev elsewhere. */
const PROD_DEV: WantCandidate[] = [
  { name: 'x_prod', literal: "'x_prod'", environments: ['live'] },
  { name: 'x_dev', literal: "'x_dev'", environments: ['sandbox', 'pre-release'] },
];

const UNLABELLED: WantCandidate[] = [
  { name: 'x_prod', literal: "'x_prod'", environments: null },
  { name: 'x_dev', literal: "'x_dev'", environments: null },
];

/** A TypeScript helper choosing a name by a test on the environment, and the read of its result. */
const envHelper = (declarations: string, test: string) => `${declarations}
function secretName(conv: Conv): string {
  if (${test}) return 'x_prod';
  return 'x_dev';
}
export const read = (conv: Conv) => conv.utils.get_secret(secretName(conv));
`;

/** The Python twin of envHelper: an Enum of these bases compared with conv.env. */
const pyEnvHelper = (bases: string) => `from enum import Enum

class Env(${bases}):
    LIVE = 'live'
    SANDBOX = 'sandbox'

def secret_name(conv):
    if conv.env == Env.LIVE:
        return 'x_prod'
    return 'x_dev'

def read(conv):
    return conv.utils.get_secret(secret_name(conv))
`;

const ENV_ENUM = "enum Env { Live = 'live', Sandbox = 'sandbox' }";

export const TABLES_JS_CASES: CorpusCase[] = [
  {
    title: 'a table made by Object.fromEntries of literal pairs, read by conv.env',
    language: 'javascript',
    source: `const NAMES = Object.fromEntries([
  ['live', 's_prod'],
  ['sandbox', 's_dev'],
]);
export function read(conv) {
  return conv.utils.get_secret(NAMES[conv.env] ?? 's_fallback');
}
`,
    want: [
      { name: 's_prod', literal: "'s_prod'", environments: ['live'] },
      { name: 's_dev', literal: "'s_dev'", environments: ['sandbox'] },
      { name: 's_fallback', literal: "'s_fallback'", environments: ['pre-release'] },
    ],
  },
  {
    title: 'a value test: `if (!name)` after a let chosen by conv.env holds where the key is missing',
    language: 'typescript',
    source: `const NAMES: Record<string, string> = { live: 's_prod', sandbox: 's_dev' };
export function read(conv: Conv) {
  let name = NAMES[conv.env];
  if (!name) name = 's_fallback';
  return conv.utils.get_secret(name);
}
`,
    want: [
      { name: 's_prod', literal: "'s_prod'", environments: ['live'] },
      { name: 's_dev', literal: "'s_dev'", environments: ['sandbox'] },
      { name: 's_fallback', literal: "'s_fallback'", environments: ['pre-release'] },
    ],
  },
  {
    title: 'a value test: `name === undefined` after a let chosen by conv.env, as the default',
    language: 'javascript',
    source: `const NAMES = { live: 's_prod' };
export function read(conv) {
  let name = NAMES[conv.env];
  if (name === undefined) {
    name = 's_dev';
  }
  return conv.utils.get_secret(name);
}
`,
    want: [
      { name: 's_prod', literal: "'s_prod'", environments: ['live'] },
      { name: 's_dev', literal: "'s_dev'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'tables of tables: CONFIG[conv.env].crm, each name in the environment of its key',
    language: 'javascript',
    source: `${CONFIG_JS}export const read = (conv) => conv.utils.get_secret(CONFIG[conv.env].crm);\n`,
    want: BY_ENV,
  },
  {
    title: "tables of tables: CONFIG[conv.env]['crm']",
    language: 'typescript',
    source: `${CONFIG_JS}export const read = (conv: Conv) => conv.utils.get_secret(CONFIG[conv.env]['crm']);\n`,
    want: BY_ENV,
  },
  {
    title: 'tables of tables: a name bound to the inner table (const cfg = CONFIG[conv.env]), then cfg.crm',
    language: 'javascript',
    source: `${CONFIG_JS}export function read(conv) {
  const cfg = CONFIG[conv.env];
  return conv.utils.get_secret(cfg.crm);
}
`,
    want: BY_ENV,
  },
  {
    title: 'tables of tables: a default table where the key is missing, (CONFIG[conv.env] ?? CONFIG.sandbox).crm',
    language: 'typescript',
    source: `${CONFIG_JS}export const read = (conv: Conv) => conv.utils.get_secret((CONFIG[conv.env] ?? CONFIG.sandbox).crm);\n`,
    want: SANDBOX_DEFAULT,
  },
  {
    title: "tables of tables: || with an index default, (CONFIG[conv.env] || CONFIG['sandbox'])['crm']",
    language: 'javascript',
    source: `${CONFIG_JS}export const read = (conv) => conv.utils.get_secret((CONFIG[conv.env] || CONFIG['sandbox'])['crm']);\n`,
    want: SANDBOX_DEFAULT,
  },
  {
    title: 'tables of tables: an optional chain, CONFIG[conv.env]?.crm',
    language: 'javascript',
    source: `${CONFIG_JS}export const read = (conv) => conv.utils.get_secret(CONFIG[conv.env]?.crm);\n`,
    want: BY_ENV,
  },
  {
    title: "tables of tables: an optional chain then a default name, CONFIG[conv.env]?.crm ?? 'crm_default'",
    language: 'typescript',
    source: `${CONFIG_JS}export const read = (conv: Conv) => conv.utils.get_secret(CONFIG[conv.env]?.crm ?? 'crm_default');\n`,
    want: NAMED_DEFAULT,
  },
  {
    title: 'tables of tables: destructured, const { crm } = CONFIG[conv.env]',
    language: 'typescript',
    source: `${CONFIG_JS}export function read(conv: Conv) {
  const { crm } = CONFIG[conv.env];
  return conv.utils.get_secret(crm);
}
`,
    want: BY_ENV,
  },
  {
    title: "tables of tables: destructured with a new name and a default, const { crm: name = 'crm_default' } = CONFIG[conv.env] ?? {}",
    language: 'javascript',
    source: `${CONFIG_JS}export function read(conv) {
  const { crm: name = 'crm_default' } = CONFIG[conv.env] ?? {};
  return conv.utils.get_secret(name);
}
`,
    want: NAMED_DEFAULT,
  },
  {
    title: 'tables of tables: three levels, process.env[CONFIG[conv.env].crm.key]',
    language: 'typescript',
    source: `const CONFIG = { live: { crm: { key: 'CRM_PROD' } }, sandbox: { crm: { key: 'CRM_DEV' } } };
export const key = (conv: Conv) => process.env[CONFIG[conv.env].crm.key];
`,
    want: [
      { name: 'CRM_PROD', literal: "'CRM_PROD'", environments: ['live'], when: [] },
      { name: 'CRM_DEV', literal: "'CRM_DEV'", environments: ['sandbox'], when: [] },
    ],
  },
  {
    title: 'tables of tables: the inner key chosen at run time too, CONFIG[conv.env][key]',
    language: 'javascript',
    source: `const CONFIG = { live: { crm: 'crm_prod', pay: 'pay_prod' }, sandbox: { crm: 'crm_dev' } };
export const read = (conv, key) => conv.utils.get_secret(CONFIG[conv.env][key]);
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'pay_prod', literal: "'pay_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
    ],
  },
  {
    title: 'tables of tables: chosen by something else than the environment, CONFIG[region].crm',
    language: 'typescript',
    source: `${CONFIG_JS}export const read = (conv: Conv, region: string) => conv.utils.get_secret(CONFIG[region].crm);\n`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: null },
      { name: 'crm_dev', literal: "'crm_dev'", environments: null },
    ],
  },
  {
    title: 'tables of tables: chosen by an alias of conv.env, lower-cased as the templates write it',
    language: 'typescript',
    source: `${CONFIG_JS}export function read(conv: Conv) {
  const env = String(conv.env ?? '').toLowerCase();
  const cfg = CONFIG[env];
  return conv.utils.get_secret(cfg.crm);
}
`,
    // The tests are on `env`, an alias of conv.env: its environments say them (the corpus leaves out only tests written on conv.env).
    want: BY_ENV_ALIAS,
  },
  {
    title: 'tables of tables: each element of the chosen inner list, for (const n of CONFIG[conv.env].names)',
    language: 'javascript',
    source: `const CONFIG = { live: { names: ['a_prod', 'b_prod'] }, sandbox: { names: ['a_dev'] } };
export function read(conv) {
  for (const n of CONFIG[conv.env].names) conv.utils.get_secret(n);
}
`,
    want: [
      { name: 'a_prod', literal: "'a_prod'", environments: ['live'], when: [] },
      { name: 'b_prod', literal: "'b_prod'", environments: ['live'], when: [] },
      { name: 'a_dev', literal: "'a_dev'", environments: ['sandbox'], when: [] },
    ],
  },
  {
    title: 'tables of tables: an inner table taken by its key, const { live } = CONFIG, then live.crm',
    language: 'javascript',
    source: `${CONFIG_JS}export function read(conv) {
  const { live } = CONFIG;
  return conv.utils.get_secret(live.crm);
}
`,
    want: [{ name: 'crm_prod', literal: "'crm_prod'", environments: null, when: [] }],
  },
  {
    title: "tables of tables: a name handed to a function (track(CONFIG.live.crm)) is a string: the table stays followed",
    language: 'javascript',
    source: `${CONFIG_JS}track(CONFIG.live.crm, CONFIG['sandbox']['crm']);
export const read = (conv) => conv.utils.get_secret(CONFIG[conv.env].crm);
`,
    want: BY_ENV,
  },
  // TypeScript enums and `as const` objects: constants of the environment, and secret names.
  { title: 'an enum member handed to a function is a string: the enum stays a constant', language: 'typescript', source: envHelper(`${ENV_ENUM}
report(Env.Live);`, 'conv.env === Env.Live'), want: PROD_DEV },
  { title: 'an enum member compared with conv.env (conv.env === Env.Live)', language: 'typescript', source: envHelper(ENV_ENUM, 'conv.env === Env.Live'), want: PROD_DEV },
  {
    title: 'an enum member as a switch case (case Env.Live:)',
    language: 'typescript',
    source: `${ENV_ENUM}
function secretName(conv: Conv): string {
  switch (conv.env) {
    case Env.Live:
      return 'x_prod';
    default:
      return 'x_dev';
  }
}
export const read = (conv: Conv) => conv.utils.get_secret(secretName(conv));
`,
    want: PROD_DEV,
  },
  { title: 'a const enum member compared with conv.env', language: 'typescript', source: envHelper("const enum Env { Live = 'live', Sandbox = 'sandbox' }", 'conv.env === Env.Live'), want: PROD_DEV },
  { title: 'a member of an as const object compared with conv.env', language: 'typescript', source: envHelper("const ENV = { live: 'live', sandbox: 'sandbox' } as const;", 'conv.env === ENV.live'), want: PROD_DEV },
  {
    title: 'an enum member on the left, !==',
    language: 'typescript',
    source: envHelper(ENV_ENUM, 'Env.Live !== conv.env'),
    want: [
      { name: 'x_prod', literal: "'x_prod'", environments: ['sandbox', 'pre-release'] },
      { name: 'x_dev', literal: "'x_dev'", environments: ['live'] },
    ],
  },
  {
    title: 'a declare enum: its declared members are followed, as TypeScript types them',
    language: 'typescript',
    source: envHelper("declare enum Env { Live = 'live', Sandbox = 'sandbox' }", 'conv.env === Env.Live'),
    want: PROD_DEV,
  },
  { title: 'a numeric enum member never equals a string: unlabelled', language: 'typescript', source: envHelper('enum Env { Live, Sandbox }', 'conv.env === Env.Live'), want: UNLABELLED },
  { title: 'an enum member given a number: unlabelled', language: 'typescript', source: envHelper('enum Env { Live = 0, Sandbox = 1 }', 'conv.env === Env.Live'), want: UNLABELLED },
  {
    title: 'an enum merged across declarations (its members may be declared elsewhere too): unlabelled',
    language: 'typescript',
    source: envHelper("enum Env { Live = 'live' }\nenum Env { Sandbox = 'sandbox' }", 'conv.env === Env.Live'),
    want: UNLABELLED,
  },
  {
    title: 'an enum member as the secret name (Secrets.Crm)',
    language: 'typescript',
    source: "enum Secrets { Crm = 'crm_key', Pay = 'pay_key' }\nexport const read = (conv: Conv) => conv.utils.get_secret(Secrets.Crm);\n",
    want: [{ name: 'crm_key', literal: "'crm_key'", environments: null, when: [] }],
  },
  {
    title: "a const enum member as the environment variable's name (process.env[Keys.Stripe])",
    language: 'typescript',
    source: "const enum Keys { Stripe = 'STRIPE_KEY' }\nexport const key = process.env[Keys.Stripe];\n",
    want: [{ name: 'STRIPE_KEY', literal: "'STRIPE_KEY'", environments: null, when: [] }],
  },
  {
    title: 'an object with computed keys: a TypeScript string enum member, a const bound to a string',
    language: 'typescript',
    source: `enum Env {
  Live = 'live',
  Sandbox = 'sandbox',
}
const PRE = 'pre-release';
const NAMES: Record<string, string> = { [Env.Live]: 'crm_prod', [Env.Sandbox]: 'crm_dev', [PRE]: 'crm_pre' };
export function read(conv: any) {
  return conv.utils.get_secret(NAMES[conv.env]);
}
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
      { name: 'crm_pre', literal: "'crm_pre'", environments: ['pre-release'] },
    ],
  },
];

export const TABLES_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a table made by Object.fromEntries of pairs mapped from another: not followed',
    language: 'javascript',
    source: `const BASE = { live: 's_prod', sandbox: 's_dev' };
const NAMES = Object.fromEntries(Object.entries(BASE).map(toV2));
export function read(conv) {
  return conv.utils.get_secret(NAMES[conv.env]);
}
`,
    want: { unresolved: ['Object.fromEntries(Object.entries(BASE).map(toV2))'] },
  },
  {
    title: "an object with a computed key that is no known string",
    language: 'javascript',
    source: `const NAMES = { [envKey()]: 'crm_prod', sandbox: 'crm_dev' };
export function read(conv) {
  return conv.utils.get_secret(NAMES[conv.env]);
}
`,
    want: { unresolved: ['[envKey()]'] },
  },
  {
    title: 'tables of tables: an inner table changed in place (CONFIG.live.crm = …)',
    language: 'javascript',
    source: `${CONFIG_JS}CONFIG.live.crm = load();
export const read = (conv) => conv.utils.get_secret(CONFIG[conv.env].crm);
`,
    want: { unresolved: ['CONFIG[conv.env].crm', 'CONFIG', 'CONFIG[conv.env]'] },
  },
  {
    title: 'tables of tables: the outer table given an entry at run time (CONFIG[k] = …)',
    language: 'typescript',
    source: `${CONFIG_JS}export function add(k: string) {
  CONFIG[k] = { crm: 'crm_other' };
}
export const read = (conv: Conv) => conv.utils.get_secret(CONFIG[conv.env]['crm']);
`,
    want: { unresolved: ["CONFIG[conv.env]['crm']", 'CONFIG', 'CONFIG[conv.env]'] },
  },
  {
    title: 'tables of tables: the table handed to a function that may change it',
    language: 'javascript',
    source: `${CONFIG_JS}configure(CONFIG);
export const read = (conv) => conv.utils.get_secret(CONFIG[conv.env].crm);
`,
    want: { unresolved: ['CONFIG[conv.env].crm', 'CONFIG', 'CONFIG[conv.env]'] },
  },
  {
    title: 'tables of tables: an inner table handed to a function by its path (configure(CONFIG.live))',
    language: 'typescript',
    source: `${CONFIG_JS}configure(CONFIG.live);
export const read = (conv: Conv) => conv.utils.get_secret(CONFIG[conv.env].crm);
`,
    want: { unresolved: ['CONFIG[conv.env].crm', 'CONFIG', 'CONFIG[conv.env]'] },
  },
  {
    title: 'tables of tables: an inner table handed to a function that may change it',
    language: 'typescript',
    source: `${CONFIG_JS}export function read(conv: Conv) {
  const cfg = CONFIG[conv.env];
  applyOverrides(cfg);
  return conv.utils.get_secret(cfg.crm);
}
`,
    want: { unresolved: ['cfg.crm', 'cfg'] },
  },
  {
    title: 'tables of tables: an inner table changed through a name it was given in another function',
    language: 'javascript',
    source: `${CONFIG_JS}export function override(conv) {
  const cfg = CONFIG[conv.env];
  cfg.crm = conv.state.crm;
}
export const read = (conv) => conv.utils.get_secret(CONFIG[conv.env].crm);
`,
    want: { unresolved: ['CONFIG[conv.env].crm', 'CONFIG', 'CONFIG[conv.env]'] },
  },
  {
    title: 'tables of tables: an inner table destructured and changed, or the table stored on another object',
    language: 'typescript',
    source: `${CONFIG_JS}export function override(conv: Conv, holder: Holder) {
  const { live } = CONFIG;
  live.crm = conv.state.crm;
  holder.config = CONFIG;
}
export const read = (conv: Conv) => conv.utils.get_secret(CONFIG[conv.env].crm);
`,
    want: { unresolved: ['CONFIG[conv.env].crm', 'CONFIG', 'CONFIG[conv.env]'] },
  },
  {
    title: 'tables of tables: the chosen table changed through its name (cfg.crm = …)',
    language: 'javascript',
    source: `${CONFIG_JS}export function read(conv) {
  const cfg = CONFIG[conv.env];
  cfg.crm = conv.state.crm;
  return conv.utils.get_secret(cfg.crm);
}
`,
    want: { unresolved: ['cfg.crm', 'cfg'] },
  },
  {
    title: 'tables of tables: a let given another table on a path',
    language: 'typescript',
    source: `${CONFIG_JS}export function read(conv: Conv, override: boolean) {
  let cfg = CONFIG[conv.env];
  if (override) cfg = loadConfig();
  return conv.utils.get_secret(cfg.crm);
}
`,
    want: { unresolved: ['cfg.crm', 'cfg', 'loadConfig()'] },
  },
  {
    title: 'tables of tables: a destructured let given another value',
    language: 'javascript',
    source: `${CONFIG_JS}export function read(conv) {
  let { crm } = CONFIG[conv.env];
  crm = conv.state.crm;
  return conv.utils.get_secret(crm);
}
`,
    want: { unresolved: ['crm', 'conv.state.crm'] },
  },
  {
    title: 'tables of tables: a table of the request',
    language: 'typescript',
    source: 'export const read = (conv: Conv, req: Req) => conv.utils.get_secret(req.body[conv.env].crm);\n',
    want: { unresolved: ['req.body[conv.env].crm', 'req.body[conv.env]', 'req.body'] },
  },
  {
    title: 'an enum member compared with conv.env, then the name built at run time',
    language: 'typescript',
    source: `${ENV_ENUM}
export const read = (conv: Conv) => conv.utils.get_secret(conv.env === Env.Live ? conv.state.prodName : 'x_dev');
`,
    want: { unresolved: ['conv.state.prodName'] },
  },
];

export const TABLES_PYTHON_CASES: CorpusCase[] = [
  {
    title: 'a value test: `if not name:` after NAMES.get(conv.env) holds where the key is missing',
    language: 'python',
    source: `NAMES = {'live': 's_prod', 'sandbox': 's_dev'}

def read(conv):
    name = NAMES.get(conv.env)
    if not name:
        name = 's_fallback'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 's_prod', literal: "'s_prod'", environments: ['live'] },
      { name: 's_dev', literal: "'s_dev'", environments: ['sandbox'] },
      { name: 's_fallback', literal: "'s_fallback'", environments: ['pre-release'] },
    ],
  },
  {
    title: 'a value test: `if name is None:` after NAMES.get(conv.env), as the default',
    language: 'python',
    source: `NAMES = {'live': 's_prod'}

def read(conv):
    name = NAMES.get(conv.env)
    if name is None:
        name = 's_dev'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 's_prod', literal: "'s_prod'", environments: ['live'] },
      { name: 's_dev', literal: "'s_dev'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a value test on a name whose values any environment may take is no test of the environment',
    language: 'python',
    source: `NAMES = {'live': 's_prod'}

def read(conv):
    name = NAMES.get(conv.env) if conv.state.get('tenant') else None
    if name is None:
        name = 's_default'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 's_prod', literal: "'s_prod'", environments: ['live'] },
      { name: 's_default', literal: "'s_default'", environments: null },
    ],
  },
  {
    title: "tables of tables (the twin of JavaScript's): CONFIG[conv.env]['crm']",
    language: 'python',
    source: `${CONFIG_PY}def read(conv):
    return conv.utils.get_secret(CONFIG[conv.env]['crm'])
`,
    want: BY_ENV,
  },
  {
    title: "tables of tables (the twin of JavaScript's): a name bound to the inner table",
    language: 'python',
    source: `${CONFIG_PY}def read(conv):
    cfg = CONFIG[conv.env]
    return conv.utils.get_secret(cfg['crm'])
`,
    want: BY_ENV,
  },
  {
    title: "tables of tables (the twin of JavaScript's ?? CONFIG.sandbox): CONFIG.get(conv.env, CONFIG['sandbox'])['crm']",
    language: 'python',
    source: `${CONFIG_PY}def read(conv):
    return conv.utils.get_secret(CONFIG.get(conv.env, CONFIG['sandbox'])['crm'])
`,
    want: SANDBOX_DEFAULT,
  },
  {
    title: "tables of tables (the twin of JavaScript's ?.crm ?? 'crm_default'): .get(conv.env, {}).get('crm', 'crm_default')",
    language: 'python',
    source: `${CONFIG_PY}def read(conv):
    return conv.utils.get_secret(CONFIG.get(conv.env, {}).get('crm', 'crm_default'))
`,
    want: NAMED_DEFAULT,
  },
  {
    title: "tables of tables (the twin of JavaScript's): three levels",
    language: 'python',
    source: `CONFIG = {'live': {'crm': {'key': 'CRM_PROD'}}, 'sandbox': {'crm': {'key': 'CRM_DEV'}}}

def read(conv):
    return conv.utils.get_secret(CONFIG[conv.env]['crm']['key'])
`,
    want: [
      { name: 'CRM_PROD', literal: "'CRM_PROD'", environments: ['live'], when: [] },
      { name: 'CRM_DEV', literal: "'CRM_DEV'", environments: ['sandbox'], when: [] },
    ],
  },
  {
    title: "tables of tables (the twin of JavaScript's): the inner key chosen at run time too",
    language: 'python',
    source: `CONFIG = {'live': {'crm': 'crm_prod', 'pay': 'pay_prod'}, 'sandbox': {'crm': 'crm_dev'}}

def read(conv, key):
    return conv.utils.get_secret(CONFIG[conv.env][key])
`,
    want: [
      { name: 'crm_prod', literal: "'crm_prod'", environments: ['live'] },
      { name: 'pay_prod', literal: "'pay_prod'", environments: ['live'] },
      { name: 'crm_dev', literal: "'crm_dev'", environments: ['sandbox'] },
    ],
  },
  {
    title: "tables of tables (the twin of JavaScript's): chosen by an alias of conv.env",
    language: 'python',
    source: `${CONFIG_PY}def read(conv):
    env = str(conv.env or '').lower()
    cfg = CONFIG[env]
    return conv.utils.get_secret(cfg['crm'])
`,
    want: BY_ENV_ALIAS,
  },
  {
    title: "tables of tables (the twin of JavaScript's || with an index default): (CONFIG.get(conv.env) or CONFIG['sandbox'])['crm']",
    language: 'python',
    source: `${CONFIG_PY}def read(conv):
    return conv.utils.get_secret((CONFIG.get(conv.env) or CONFIG['sandbox'])['crm'])
`,
    want: SANDBOX_DEFAULT,
  },
  {
    title: "tables of tables: a name bound to a selection with an `or` default, then read by key",
    language: 'python',
    source: `${CONFIG_PY}def read(conv):
    cfg = CONFIG.get(conv.env) or CONFIG['sandbox']
    return conv.utils.get_secret(cfg['crm'])
`,
    want: SANDBOX_DEFAULT,
  },
  {
    title: "tables of tables: an empty inner table is falsy, the `or` default's there",
    language: 'python',
    source: `CONFIG = {'live': {'crm': 'crm_prod'}, 'sandbox': {'crm': 'crm_dev'}, 'pre-release': {}}

def read(conv):
    return conv.utils.get_secret((CONFIG[conv.env] or CONFIG['sandbox'])['crm'])
`,
    want: SANDBOX_DEFAULT,
  },
  {
    title: "tables of tables: an empty inner table's key read with .get and a default",
    language: 'python',
    source: `CONFIG = {'live': {'crm': 'crm_prod'}, 'sandbox': {'crm': 'crm_dev'}, 'pre-release': {}}

def read(conv):
    return conv.utils.get_secret(CONFIG[conv.env].get('crm', 'crm_default'))
`,
    want: NAMED_DEFAULT,
  },
  {
    title: "a str Enum member compared with conv.env (the twin of TypeScript's string enum)",
    language: 'python',
    source: pyEnvHelper('str, Enum'),
    want: PROD_DEV,
  },
  {
    title: "a plain Enum member never equals a string (the twin of TypeScript's numeric enum): unlabelled",
    language: 'python',
    source: pyEnvHelper('Enum'),
    want: UNLABELLED,
  },
  {
    title: 'a dict comprehension keyed by the environment, its value an f-string of it, read by conv.env',
    language: 'python',
    source: `NAMES = {env: f"crm_{env}_key" for env in ("sandbox", "live")}

def read(conv):
    return conv.utils.get_secret(NAMES[conv.env])
`,
    want: [
      { name: 'crm_sandbox_key', literal: 'f"crm_{env}_key"', environments: ['sandbox'] },
      { name: 'crm_live_key', literal: 'f"crm_{env}_key"', environments: ['live'] },
    ],
  },
  {
    title: 'a dict comprehension over (environment, name) rows, read with .get and a default',
    language: 'python',
    source: `ROWS = [("live", "pay_prod"), ("sandbox", "pay_dev")]
BY_ENV = {env: name for env, name in ROWS}

def read(conv):
    return conv.utils.get_secret(BY_ENV.get(conv.env, "pay_default"))
`,
    want: [
      { name: 'pay_prod', literal: '"pay_prod"', environments: ['live'] },
      { name: 'pay_dev', literal: '"pay_dev"', environments: ['sandbox'] },
      { name: 'pay_default', literal: '"pay_default"', environments: ['pre-release'] },
    ],
  },
  {
    title: 'a dict comprehension over rows that are dicts, keyed by an entry, read by a lower-cased environment',
    language: 'python',
    source: `PROVIDERS = [{"env": "live", "secret": "crm_prod"}, {"env": "sandbox", "secret": "crm_dev"}]
SECRETS = {p["env"]: p["secret"] for p in PROVIDERS}

def read(conv):
    return conv.utils.get_secret(SECRETS[str(conv.env).lower()])
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'] },
    ],
  },
  {
    title: "a dict comprehension whose key is written once for every element: the last element's value (as a dict keeps)",
    language: 'python',
    source: `NAMES = {"crm": name for name in ("crm_old", "crm_new")}

def read(conv):
    return conv.utils.get_secret(NAMES["crm"])
`,
    want: [{ name: 'crm_new', literal: '"crm_new"', environments: null }],
  },
  {
    title: 'a dict keyed by constants: a module name bound to a string, a str Enum member, a class attribute',
    language: 'python',
    source: `from enum import Enum

LIVE = "live"

class Env(str, Enum):
    SANDBOX = "sandbox"

class Stages:
    PRE = "pre-release"

NAMES = {LIVE: "crm_prod", Env.SANDBOX: "crm_dev", Stages.PRE: "crm_pre"}

def read(conv):
    return conv.utils.get_secret(NAMES[conv.env])
`,
    want: [
      { name: 'crm_prod', literal: '"crm_prod"', environments: ['live'] },
      { name: 'crm_dev', literal: '"crm_dev"', environments: ['sandbox'] },
      { name: 'crm_pre', literal: '"crm_pre"', environments: ['pre-release'] },
    ],
  },
];

export const TABLES_PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a dict keyed by a name bound more than once (which string it is depends on the path)',
    language: 'python',
    source: `LIVE = "live"
if FLAG:
    LIVE = "production"
NAMES = {LIVE: "crm_prod", "sandbox": "crm_dev"}

def read(conv):
    return conv.utils.get_secret(NAMES[conv.env])
`,
    want: { unresolved: ['LIVE'] },
  },
  {
    title: 'a dict comprehension with a filter (which entries it keeps is not followed)',
    language: 'python',
    source: `ENVS = ("sandbox", "live")
NAMES = {e: f"crm_{e}" for e in ENVS if on(e)}

def read(conv):
    return conv.utils.get_secret(NAMES[conv.env])
`,
    want: { unresolved: ['{e: f"crm_{e}" for e in ENVS if on(e)}'] },
  },
  {
    title: "a dict comprehension whose key is not one known string",
    language: 'python',
    source: `NAMES = {load_key(env): env for env in ("sandbox", "live")}

def read(conv):
    return conv.utils.get_secret(NAMES[conv.env])
`,
    want: { unresolved: ['load_key(env)', 'load_key'] },
  },
  {
    title: "tables of tables (the twin of JavaScript's): an inner table changed in place",
    language: 'python',
    source: `${CONFIG_PY}CONFIG['live']['crm'] = load()

def read(conv):
    return conv.utils.get_secret(CONFIG[conv.env]['crm'])
`,
    want: { unresolved: ["CONFIG['live']['crm']"] },
  },
  {
    title: "tables of tables (the twin of JavaScript's): a name given another table on a path",
    language: 'python',
    source: `${CONFIG_PY}def read(conv, override):
    cfg = CONFIG[conv.env]
    if override:
        cfg = load_config()
    return conv.utils.get_secret(cfg['crm'])
`,
    // The table on the other path is what is unknown (each path's tables are followed).
    want: { unresolved: ["cfg['crm']", 'load_config()'] },
  },
];
