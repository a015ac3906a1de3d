// Environments are values (issue 51): every expression that preserves `conv.env` (str(), `or` a
// default, .lower() / .upper() / .strip(), getattr(conv, "env"), an alias, a helper that returns it;
// String(), `??` / `||`, toLowerCase() / toUpperCase() / trim(), a `let`, `const { env } = conv`, a
// helper in JavaScript and TypeScript), tested with == / != / in / not in, match / switch, a table
// keyed by it or startswith, labels the names it chooses with the environments it admits. One table per language: each idiom, the names of its
// one computed read and their environments; the variants that must stay unlabelled (null). Then
// reads written with a literal name inside such a branch, each labelled with the branch's environments.

import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { environmentChoiceOf, environmentOfLiteral, environmentStartsWith, ENVIRONMENTS } from '../../../protocol/environments';

type Labels = Array<[string, string[] | null]>;

/** The one computed read of `text`: each name it may take and the environments that take it. */
function labels(text: string, language: 'python' | 'typescript' | 'javascript'): Labels {
  const reads = scanOrThrow(text, language).references.filter((r) => r.name === null);
  expect(reads).toHaveLength(1);
  expect(reads[0]!.unresolved).toBeUndefined();
  return (reads[0]!.candidates ?? []).map((c) => [c.name, c.environments]);
}

const py = (body: string, before = '') => `${before}def f(conv, flag):\n${body.replace(/^/gm, '    ')}\n`;
const pick = (test: string) => `name = "x_other"\nif ${test}:\n    name = "x_taken"\nreturn conv.utils.get_secret(name)`;

const pyClass = (init: string, method: string, other = '') =>
  `class Handler:\n    def __init__(self, conv):\n        self.conv = conv\n${init.replace(/^/gm, '        ')}\n${other}\n    def name(self):\n${method.replace(/^/gm, '        ')}\n`;

const LIVE = ['live'];
const NOT_LIVE = ['sandbox', 'pre-release'];
const SB_ONLY = ['sandbox'];

const PYTHON: Array<[string, string, Labels]> = [
  // The template: normalised once, tested in a helper that returns the name.
  [
    'str(conv.env or "").lower() in a helper that returns the name',
    'def secret_name(conv):\n    env = str(conv.env or "").lower()\n    if env == "live":\n        return "x_prod"\n    return "x_uat"\n\n' + py('return conv.utils.get_secret(secret_name(conv))'),
    [['x_prod', LIVE], ['x_uat', NOT_LIVE]],
  ],
  ['str(conv.env).lower() == "live"', py(pick('str(conv.env).lower() == "live"')), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['.upper() == "LIVE": compared case-insensitively', py(pick('conv.env.upper() == "LIVE"')), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['.strip() != "live"', py(pick('conv.env.strip() != "live"')), [['x_other', LIVE], ['x_taken', NOT_LIVE]]],
  ['(conv.env or "sandbox") == "sandbox": the default adds no environment', py(pick('(conv.env or "sandbox") == "sandbox"')), [['x_other', ['pre-release', 'live']], ['x_taken', ['sandbox']]]],
  ['a module alias', py(pick('ENV == "live"'), 'conv = current()\nENV = str(conv.env).strip()\n'), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['a local alias reassigned through itself', py(`env = conv.env\nenv = env.strip().lower()\n${pick('env == "live"')}`), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['an alias in the enclosing function', py(`env = conv.env.lower()\ndef inner():\n${pick('env == "live"').replace(/^/gm, '    ')}\nreturn inner()`), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['a helper that returns it', py(pick('get_env(conv) == "live"'), 'def get_env(conv):\n    return str(conv.env).lower()\n\n'), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['in a tuple, pre_release spelled the other way', py(pick('conv.env in ("sandbox", "pre_release")')), [['x_other', LIVE], ['x_taken', NOT_LIVE]]],
  ['not in a list, through an alias', py(`env = conv.env\n${pick('env not in ["live"]')}`), [['x_other', LIVE], ['x_taken', NOT_LIVE]]],
  ['in a set', py(pick('conv.env.lower() in {"live", "draft"}')), [['x_other', NOT_LIVE], ['x_taken', ['live', 'draft']]]],
  ['in a string: a substring of it', py(pick('conv.env in "sandbox live"')), [['x_other', ['pre-release']], ['x_taken', ['sandbox', 'live']]]],
  [
    'match with | alternatives on an alias',
    py('env = str(conv.env or "").lower()\nmatch env:\n    case "live":\n        n = "x_prod"\n    case "draft" | "sandbox":\n        n = "x_dev"\n    case _:\n        n = "x_pre"\nreturn conv.utils.get_secret(n)'),
    [['x_prod', LIVE], ['x_dev', ['sandbox', 'draft']], ['x_pre', ['pre-release']]],
  ],
  ['NAMES[env]', py('env = str(conv.env).lower()\nreturn conv.utils.get_secret(NAMES[env])', 'NAMES = {"live": "x_prod", "sandbox": "x_sb"}\n'), [['x_prod', LIVE], ['x_sb', ['sandbox']]]],
  ['NAMES.get(env, default) keyed in capitals after .upper()', py('env = conv.env.strip().upper()\nreturn conv.utils.get_secret(NAMES.get(env, "x_def"))', 'NAMES = {"LIVE": "x_prod", "SANDBOX": "x_sb"}\n'), [['x_prod', LIVE], ['x_sb', ['sandbox']], ['x_def', ['pre-release']]]],
  [
    'another environment (draft) tested through an alias joins the others',
    py('env = conv.env.lower()\nif env == "live":\n    n = "a"\nelif env == "draft":\n    n = "b"\nelse:\n    n = "c"\nreturn conv.utils.get_secret(n)'),
    [['a', LIVE], ['b', ['draft']], ['c', NOT_LIVE]],
  ],
  ['.startswith("pre")', py(pick('conv.env.startswith("pre")')), [['x_other', ['sandbox', 'live']], ['x_taken', ['pre-release']]]],
  ['.startswith of a tuple, pre_ matching the other spelling', py(pick('conv.env.startswith(("pre_", "sand"))')), [['x_other', LIVE], ['x_taken', NOT_LIVE]]],
  // Compared with a constant that stands for literals: the module's, a class's, an Enum member, a tuple of them.
  ['== a module constant', py(pick('conv.env == LIVE'), 'LIVE = "live"\n'), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['a constant on the left, != through an alias', py(`env = str(conv.env or "").lower()\n${pick('PROD_ENV != env')}`, 'PROD_ENV = "live"\n'), [['x_other', LIVE], ['x_taken', NOT_LIVE]]],
  ['in a tuple constant', py(pick('conv.env in LIVE_ENVIRONMENTS'), 'LIVE_ENVIRONMENTS = ("live", "pre_release")\n'), [['x_other', SB_ONLY], ['x_taken', ['pre-release', 'live']]]],
  ['not in a list constant', py(pick('conv.env not in UAT'), 'UAT = ["sandbox", "pre-release"]\n'), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['== an Enum member', py(pick('conv.env == Env.LIVE'), 'import enum\nclass Env(str, enum.Enum):\n    LIVE = "live"\n    SANDBOX = "sandbox"\n\n'), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['== a class attribute', py(pick('conv.env == Settings.PROD'), 'class Settings:\n    PROD = "live"\n\n'), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  // A walrus names the environment where it is tested; the name is an alias after it.
  ['a walrus naming str(conv.env).lower(), compared where it is bound', py('name = "x_other"\nif (env := str(conv.env).lower()) == "live":\n    name = "x_taken"\nreturn conv.utils.get_secret(name)'), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ["the walrus's name, tested later", py(`if (env := conv.env.lower()):\n    pass\n${pick('env == "live"')}`), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  // Set once by __init__ and read in a method: a flag on self, an alias on self under any name.
  ['self.is_live = … == "live" in __init__, a conditional in a method', pyClass('self.is_live = str(conv.env).lower() == "live"', 'return self.conv.utils.get_secret("x_taken" if self.is_live else "x_other")'), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ['self.environment = (conv.env or "").strip() in __init__, tested in a method', pyClass('self.environment = (conv.env or "").strip()', `${pick('self.environment == "live"').replace('return conv', 'return self.conv')}`), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['self.conv.env == "live" in a method, the conversation kept by __init__', pyClass('', 'return self.conv.utils.get_secret("x_taken" if self.conv.env == "live" else "x_other")'), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  // A table of the environments looked up as the test: it holds where the key's value is truthy.
  ['IS_PROD[env] of a module dict of flags', py(`env = str(conv.env).lower()\n${pick('IS_PROD[env]')}`, 'IS_PROD = {"live": True, "sandbox": False, "pre-release": 0}\n'), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['not {…}.get(conv.env, True): the default for the environments with no key', py(pick('not {"sandbox": False, "live": "yes"}.get(conv.env, True)')), [['x_other', ['pre-release', 'live']], ['x_taken', SB_ONLY]]],
  ['getattr(conv, "env", None) or "sandbox" bound to an alias', py(`env = getattr(conv, "env", None) or "sandbox"\n${pick('env == "live"')}`), [['x_other', NOT_LIVE], ['x_taken', LIVE]]],
  ['getattr(conv, "env", "").lower() != "live"', py(pick('getattr(conv, "env", "").lower() != "live"')), [['x_other', LIVE], ['x_taken', NOT_LIVE]]],
  // Unlabelled: not a test the environments decide.
  ['getattr of another attribute stays unlabelled', py(pick('getattr(conv, "region", "") == "live"')), [['x_other', null], ['x_taken', null]]],
  ['getattr with a name for the attribute stays unlabelled', py(pick('getattr(conv, ATTR, "") == "live"'), 'ATTR = "env"\n'), [['x_other', null], ['x_taken', null]]],
  ['a table of flags changed in place stays unlabelled', py(pick('IS_PROD.get(conv.env)'), 'IS_PROD = {"live": True}\nIS_PROD["sandbox"] = True\n'), [['x_other', null], ['x_taken', null]]],
  ['a table whose value is not a literal stays unlabelled', py(pick('IS_PROD.get(conv.env)'), 'IS_PROD = {"live": is_prod()}\n'), [['x_other', null], ['x_taken', null]]],
  ['a default that is not a literal stays unlabelled', py(pick('IS_PROD.get(conv.env, load())'), 'IS_PROD = {"live": True}\n'), [['x_other', null], ['x_taken', null]]],
  ["a plain Enum's member stays unlabelled (it never equals a string)", py(pick('conv.env == Env.LIVE'), 'import enum\nclass Env(enum.Enum):\n    LIVE = "live"\n\n'), [['x_other', null], ['x_taken', null]]],
  ['a constant given another value stays unlabelled', py(pick('conv.env == LIVE'), 'LIVE = "live"\nif flag():\n    LIVE = load()\n'), [['x_other', null], ['x_taken', null]]],
  ["a function's own name stays unlabelled (each call may give another)", py(`target = "live"\n${pick('conv.env == target')}`), [['x_other', null], ['x_taken', null]]],
  ['a parameter stays unlabelled', `def g(conv, target):\n${pick('conv.env == target').replace(/^/gm, '    ')}\n\ng(c, "live")\n`, [['x_other', null], ['x_taken', null]]],
  ['.endswith("e") stays unlabelled', py(pick('conv.env.endswith("e")')), [['x_other', null], ['x_taken', null]]],
  ['compared with a name, not a literal', py(pick('conv.env == TARGET'), 'TARGET = load()\n'), [['x_other', null], ['x_taken', null]]],
  ['an alias also given another value', py(`env = conv.env\nif flag:\n    env = env + "-eu"\n${pick('env == "live"')}`), [['x_other', null], ['x_taken', null]]],
  ['a default that is not a literal', py(pick('(conv.env or fallback()) == "live"')), [['x_other', null], ['x_taken', null]]],
  ['a helper with another return', py(pick('get_env(conv) == "live"'), 'def get_env(conv):\n    if conv.state.get("eu"):\n        return "eu"\n    return conv.env\n\n'), [['x_other', null], ['x_taken', null]]],
  ['another attribute of conv', py(pick('conv.sip_env == "live"')), [['x_other', null], ['x_taken', null]]],
  ['a flag on self set in a branch of __init__ stays unlabelled', pyClass('if conv.state.get("force"):\n    self.is_live = True\nelse:\n    self.is_live = conv.env == "live"', 'return self.conv.utils.get_secret("x_taken" if self.is_live else "x_other")'), [['x_taken', null], ['x_other', null]]],
  ['a flag on self another method writes stays unlabelled', pyClass('self.is_live = conv.env == "live"', 'return self.conv.utils.get_secret("x_taken" if self.is_live else "x_other")', '\n    def force(self):\n        self.is_live = True\n'), [['x_taken', null], ['x_other', null]]],
  ['an alias on self a method unpacks into stays unlabelled', pyClass('self.environment = conv.env', `${pick('self.environment == "live"').replace('return conv', 'return self.conv')}`, '\n    def switch(self, pair):\n        self.environment, self.region = pair\n'), [['x_other', null], ['x_taken', null]]],
];

const js = (body: string, before = '') => `${before}export function f(conv, flag) {\n${body}\n}\n`;
const jsClass = (ctor: string, method: string, other = '') =>
  `export class Handler {\n  constructor(conv) {\n    this.conv = conv;\n    ${ctor}\n  }\n${other}  name() {\n    ${method}\n  }\n}\n`;
const jsPick = (test: string) => `  return conv.utils.get_secret(${test} ? 'x_taken' : 'x_other');`;

const JAVASCRIPT: Array<[string, string, Labels]> = [
  ["String(conv.env ?? '').toLowerCase() bound to a const", js(`  const env = String(conv.env ?? '').toLowerCase();\n${jsPick("env === 'live'")}`), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ["(conv.env || '').toLowerCase() === 'live'", js(jsPick("(conv.env || '').toLowerCase() === 'live'")), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ["toUpperCase() === 'LIVE': compared case-insensitively", js(jsPick("conv.env.toUpperCase() === 'LIVE'")), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ["trim() !== 'live'", js(jsPick("conv.env.trim() !== 'live'")), [['x_taken', NOT_LIVE], ['x_other', LIVE]]],
  ["(conv.env || 'sandbox') === 'sandbox'", js(jsPick("(conv.env || 'sandbox') === 'sandbox'")), [['x_taken', ['sandbox']], ['x_other', ['pre-release', 'live']]]],
  ['a let reassigned through itself', js(`  let env = conv.env;\n  env = env.trim().toLowerCase();\n${jsPick("env === 'live'")}`), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ['a helper function', js(jsPick("getEnv(conv) === 'live'"), 'function getEnv(conv) {\n  return String(conv.env).toLowerCase();\n}\n'), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ['an arrow helper', js(jsPick("envOf(conv) !== 'live'"), 'const envOf = (conv) => (conv.env ?? \'\').trim();\n'), [['x_taken', NOT_LIVE], ['x_other', LIVE]]],
  ["['sandbox', 'pre_release'].includes(env)", js(`  const env = conv.env.toLowerCase();\n${jsPick("['sandbox', 'pre_release'].includes(env)")}`), [['x_taken', NOT_LIVE], ['x_other', LIVE]]],
  ['!UAT.includes(conv.env) of a const list', js(jsPick('!UAT.includes(conv.env)'), "const UAT = ['sandbox', 'pre-release'];\n"), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  [
    'switch with a fall-through',
    js("  let n = 'x_pre';\n  switch (String(conv.env).toLowerCase()) {\n    case 'live':\n      n = 'x_prod';\n      break;\n    case 'draft':\n    case 'sandbox':\n      n = 'x_dev';\n      break;\n  }\n  return conv.utils.get_secret(n);"),
    [['x_pre', ['pre-release']], ['x_prod', LIVE], ['x_dev', ['sandbox', 'draft']]],
  ],
  ["NAMES[env] ?? 'x_def'", js("  const env = (conv.env || '').toLowerCase();\n  return conv.utils.get_secret(NAMES[env] ?? 'x_def');", "const NAMES = { live: 'x_prod', sandbox: 'x_sb' };\n"), [['x_prod', LIVE], ['x_sb', ['sandbox']], ['x_def', ['pre-release']]]],
  [
    'another environment (draft) tested through a helper joins the others',
    js("  let n = 'c';\n  if (getEnv(conv) === 'live') n = 'a';\n  else if (getEnv(conv) === 'draft') n = 'b';\n  return conv.utils.get_secret(n);", 'function getEnv(conv) {\n  return conv.env.toLowerCase();\n}\n'),
    [['c', NOT_LIVE], ['a', LIVE], ['b', ['draft']]],
  ],
  ["startsWith('pre')", js(jsPick("conv.env.startsWith('pre')")), [['x_taken', ['pre-release']], ['x_other', ['sandbox', 'live']]]],
  ['=== a const of the module', js(jsPick('conv.env === LIVE'), "const LIVE = 'live';\n"), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ['a member of a const object, on the left', js(jsPick('ENVS.prod !== conv.env'), "const ENVS = { prod: 'live', dev: 'sandbox' } as const;\n".replace(' as const', '')), [['x_taken', NOT_LIVE], ['x_other', LIVE]]],
  ['IS_PROD[env] of a const object of flags', js(`  const env = String(conv.env).toLowerCase();\n${jsPick('IS_PROD[env]')}`, "const IS_PROD = { live: true, sandbox: false, 'pre-release': 0 };\n"), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ['!{…}[conv.env] of an object written there: a missing key is undefined', js(jsPick("!{ sandbox: '', live: 'yes' }[conv.env]")), [['x_taken', NOT_LIVE], ['x_other', LIVE]]],
  ['this.conv.env in a method, the conversation kept by the constructor', jsClass('', "return this.conv.utils.get_secret(this.conv.env === 'live' ? 'x_taken' : 'x_other');"), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ["this.isLive = … === 'live' in the constructor, a conditional in a method", jsClass("this.isLive = String(conv.env).toLowerCase() === 'live';", "return this.conv.utils.get_secret(this.isLive ? 'x_taken' : 'x_other');"), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ['const { env } = conv', js(`  const { env } = conv;\n${jsPick("env === 'live'")}`), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ["const { env: environment = 'sandbox' } = conv, lower-cased", js(`  const { env: environment = 'sandbox' } = conv;\n${jsPick("environment.toLowerCase() !== 'live'")}`), [['x_taken', NOT_LIVE], ['x_other', LIVE]]],
  ["conv['env'] === 'live': the property by its name", js(jsPick("conv['env'] === 'live'")), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ['String(conv?.["env"]).toLowerCase() bound to a const', js(`  const env = String(conv?.["env"]).toLowerCase();\n${jsPick("env !== 'live'")}`), [['x_taken', NOT_LIVE], ['x_other', LIVE]]],
  ["this.conv['env'] in a method", jsClass('', "return this.conv.utils.get_secret(this.conv['env'] === 'live' ? 'x_taken' : 'x_other');"), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  ['a helper called under the test: its parameter takes each call\'s name on that call\'s tests', js(`  if (conv.env === 'live') return readOne(conv, 'x_taken');\n  return readOne(conv, 'x_other');`, 'function readOne(conv, name) {\n  return conv.utils.get_secret(name);\n}\n\n'), [['x_taken', LIVE], ['x_other', NOT_LIVE]]],
  // Unlabelled.
  ['const { env } of another object stays unlabelled', js(`  const { env } = settings;\n${jsPick("env === 'live'")}`), [['x_taken', null], ['x_other', null]]],
  ['let { env } = conv, given another value, stays unlabelled', js(`  let { env } = conv;\n  if (flag) env = 'live';\n${jsPick("env === 'live'")}`), [['x_taken', null], ['x_other', null]]],
  ["conv['region'] stays unlabelled", js(jsPick("conv['region'] === 'live'")), [['x_taken', null], ['x_other', null]]],
  ['a table of flags changed in place stays unlabelled', js(jsPick('IS_PROD[conv.env]'), 'const IS_PROD = { live: true };\nIS_PROD.sandbox = true;\n'), [['x_taken', null], ['x_other', null]]],
  ['a table whose value is not a literal stays unlabelled', js(jsPick('IS_PROD[conv.env]'), 'const IS_PROD = { live: isProd() };\n'), [['x_taken', null], ['x_other', null]]],
  ['a let of the module stays unlabelled', js(jsPick('conv.env === LIVE'), "let LIVE = 'live';\n"), [['x_taken', null], ['x_other', null]]],
  ["a function's own const stays unlabelled", js(`  const target = 'live';\n${jsPick('conv.env === target')}`), [['x_taken', null], ['x_other', null]]],
  ["endsWith('e') stays unlabelled", js(jsPick("conv.env.endsWith('e')")), [['x_taken', null], ['x_other', null]]],
  ['compared with a name, not a literal', js(jsPick('conv.env === TARGET'), 'const TARGET = load();\n'), [['x_taken', null], ['x_other', null]]],
  ["a let also given another value", js(`  let env = conv.env;\n  if (flag) env = env + '-eu';\n${jsPick("env === 'live'")}`), [['x_taken', null], ['x_other', null]]],
  ['a default that is not a literal', js(jsPick("(conv.env ?? fallback()) === 'live'")), [['x_taken', null], ['x_other', null]]],
  ['a helper with another return', js(jsPick("getEnv(conv) === 'live'"), "function getEnv(conv) {\n  if (conv.state.eu) return 'eu';\n  return conv.env;\n}\n"), [['x_taken', null], ['x_other', null]]],
  ['a flag on this another method writes stays unlabelled', jsClass("this.isLive = conv.env === 'live';", "return this.conv.utils.get_secret(this.isLive ? 'x_taken' : 'x_other');", '  force() {\n    this.isLive = true;\n  }\n'), [['x_taken', null], ['x_other', null]]],
  ['a flag on this set in a branch of the constructor stays unlabelled', jsClass("if (conv.state.force) this.isLive = true;\n    else this.isLive = conv.env === 'live';", "return this.conv.utils.get_secret(this.isLive ? 'x_taken' : 'x_other');"), [['x_taken', null], ['x_other', null]]],
];

describe('environments are values: Python', () => {
  for (const [idiom, text, expected] of PYTHON) it(idiom, () => expect(labels(text, 'python')).toEqual(expected));
});

describe('environments are values: JavaScript and TypeScript', () => {
  for (const [idiom, text, expected] of JAVASCRIPT) {
    it(idiom, () => {
      expect(labels(text, 'typescript')).toEqual(expected);
      expect(labels(text, 'javascript')).toEqual(expected);
    });
  }
});

// Reads written with a literal name inside a branch (issue 51): each read of the text, in order,
// with the environments of the branch it is in (null: every environment, unlabelled).
type ReadLabels = Array<[string | null, string[] | null]>;

function readLabels(text: string, language: 'python' | 'typescript' | 'javascript'): ReadLabels {
  return scanOrThrow(text, language).references.map((r) => [r.name, r.environments ?? null]);
}

const read = (name: string) => `return conv.utils.get_secret("${name}")`;
const SB = ['sandbox'];

const PYTHON_READS: Array<[string, string, ReadLabels]> = [
  ['if on an alias of conv.env, the read after it', py(`env = conv.env\nif env == "sandbox":\n    ${read('x_sb')}\n${read('x_live')}`), [['x_sb', SB], ['x_live', ['pre-release', 'live']]]],
  ['str(conv.env).lower() == "live", if / else', py(`if str(conv.env).lower() == "live":\n    ${read('x_live')}\nelse:\n    ${read('x_uat')}`), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['conv.env in (…), elif, and the last else', py(`if conv.env in ("sandbox", "pre_release"):\n    ${read('x_uat')}\nelif conv.env == "live":\n    ${read('x_live')}\nelse:\n    ${read('x_other')}`), [['x_uat', NOT_LIVE], ['x_live', LIVE], ['x_other', null]]],
  ['match conv.env: case "live": / case _:', py(`match conv.env:\n    case "live":\n        ${read('x_live')}\n    case _:\n        ${read('x_uat')}`), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['if conv.env != "live": … else: …, by secret_name=', py(`if conv.env != "live":\n    x = conv.utils.get_secret(secret_name="x_uat")\nelse:\n    x = conv.utils.get_secret(secret_name="x_live")\nreturn x`), [['x_uat', NOT_LIVE], ['x_live', LIVE]]],
  ['an early return, then the read after it', py(`if conv.env != "live":\n    ${read('x_sb')}\n${read('x_live')}`), [['x_sb', NOT_LIVE], ['x_live', LIVE]]],
  ['nested branches: their environments intersect', py(`if conv.env != "live":\n    if conv.env.startswith("pre"):\n        ${read('x_pre')}\n    ${read('x_sb')}`), [['x_pre', ['pre-release']], ['x_sb', SB]]],
  ['a conditional expression of two reads', py(`return conv.utils.get_secret("x_live") if conv.env == "live" else conv.utils.get_secret("x_uat")`), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['if self.is_live: in a method, __init__ setting it', pyClass('self.is_live = conv.env == "live"', 'if self.is_live:\n    return self.conv.utils.get_secret("x_live")\nreturn self.conv.utils.get_secret("x_uat")'), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['a walrus in the if, the read in its branch', py(`if (env := str(conv.env or "").lower()) != "live":\n    ${read('x_uat')}\n${read('x_live')}`), [['x_uat', NOT_LIVE], ['x_live', LIVE]]],
  ['a helper that returns conv.env, tested in an if', py(`if get_env(conv) == "sandbox":\n    ${read('x_sb')}`, 'def get_env(conv):\n    return str(conv.env).lower()\n\n'), [['x_sb', SB]]],
  ['os.environ read in a branch', py(`if conv.env == "live":\n    return os.environ["X_LIVE"]`, 'import os\n'), [['X_LIVE', LIVE]]],
  ['compared with constants: an Enum member, a tuple of the module', py(`if conv.env == Env.LIVE:\n    ${read('x_live')}\nif conv.env in UAT:\n    ${read('x_uat')}`, 'from enum import Enum\nUAT = ("sandbox", "pre_release")\nclass Env(str, Enum):\n    LIVE = "live"\n\n'), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['if self.conv.env == "live": in a method', pyClass('', 'if self.conv.env == "live":\n    return self.conv.utils.get_secret("x_live")\nreturn self.conv.utils.get_secret("x_uat")'), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['getattr(conv, "env", "") == "live", if / else', py(`if getattr(conv, "env", "") == "live":\n    ${read('x_live')}\nelse:\n    ${read('x_uat')}`), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['a static method of a class that returns conv.env lowered', py(`if Env.current(conv) == "live":\n    ${read('x_live')}\n${read('x_uat')}`, 'class Env:\n    @staticmethod\n    def current(conv):\n        return (conv.env or "sandbox").strip().lower()\n\n'), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['self.env() of a method returning self.conv.env', pyClass('', 'if self.env() == "live":\n    return self.conv.utils.get_secret("x_live")\nreturn self.conv.utils.get_secret("x_uat")', '    def env(self):\n        return str(self.conv.env).lower()\n'), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['a static method that is a flag (returns conv.env == "live")', py(`if Env.is_live(conv):\n    ${read('x_live')}\n${read('x_uat')}`, 'class Env:\n    @staticmethod\n    def is_live(conv):\n        return conv.env == "live"\n\n'), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  // Unlabelled: not a test the environments decide, or a function called from a branch.
  ['a static method returning something else stays unlabelled', py(`if Env.current(conv) == "live":\n    ${read('x_live')}`, 'class Env:\n    @staticmethod\n    def current(conv):\n        return conv.state.get("env")\n\n'), [['x_live', null]]],
  ['a test of conv.state stays unlabelled', py(`if conv.state.get("env") == "live":\n    ${read('x_live')}`), [['x_live', null]]],
  ['compared with a name, not a literal', py(`if conv.env == TARGET:\n    ${read('x_live')}`, 'TARGET = load()\n'), [['x_live', null]]],
  ['a function called only from a branch stays unlabelled', py(`if conv.env == "live":\n    return helper(conv)`, `def helper(conv):\n    ${read('x_live')}\n\n`), [['x_live', null]]],
  ['a loop that may break before the read stays unlabelled by its test', py(`for k in ks:\n    if conv.env == "live":\n        break\n${read('x_any')}`), [['x_any', null]]],
];

const JAVASCRIPT_READS: Array<[string, string, ReadLabels]> = [
  ["if (conv.env === 'live') … else …", js(`  if (conv.env === 'live') {\n    ${read('x_live')};\n  } else {\n    ${read('x_uat')};\n  }`), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['an early return, then the read after it', js(`  if (String(conv.env).toLowerCase() !== 'live') ${read('x_uat')};\n  ${read('x_live')};`), [['x_uat', NOT_LIVE], ['x_live', LIVE]]],
  ["switch (conv.env) with case 'sandbox' and default", js(`  switch (conv.env) {\n    case 'sandbox':\n      ${read('x_sb')};\n    default:\n      ${read('x_other')};\n  }`), [['x_sb', SB], ['x_other', ['pre-release', 'live']]]],
  ['a conditional expression of two reads', js(`  return conv.env === 'live' ? conv.utils.get_secret('x_live') : conv.utils.get_secret('x_uat');`), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ["['sandbox', 'pre_release'].includes(env) on a const alias", js(`  const env = (conv.env ?? '').toLowerCase();\n  if (['sandbox', 'pre_release'].includes(env)) {\n    ${read('x_uat')};\n  }`), [['x_uat', NOT_LIVE]]],
  ['compared with a const of the module', js(`  if (conv.env !== PROD) ${read('x_uat')};\n  ${read('x_live')};`, "const PROD = 'live';\n"), [['x_uat', NOT_LIVE], ['x_live', LIVE]]],
  ['process.env read in a branch', js(`  if (conv.env === 'live') return process.env.X_LIVE;`), [['X_LIVE', LIVE]]],
  ['if (this.isLive) in a method, the constructor setting it', jsClass("this.isLive = conv.env === 'live';", "if (this.isLive) return this.conv.utils.get_secret('x_live');\n    return this.conv.utils.get_secret('x_uat');"), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ["if (this.conv.env === 'live') in a method", jsClass('', "if (this.conv.env === 'live') return this.conv.utils.get_secret('x_live');\n    return this.conv.utils.get_secret('x_uat');"), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['const { env } = conv, if / else', js(`  const { env } = conv;\n  if (env === 'live') {\n    ${read('x_live')};\n  } else {\n    ${read('x_uat')};\n  }`), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ["inside a for…of body: if (conv.env === 'live') … else …", js(`  for (const k of keys) {
    if (conv.env === 'live') {
      ${read('x_live')};
    } else ${read('x_uat')};
  }`), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['an early return inside a while body, then the read after it in the body', js(`  while (more()) {
    if (conv.env !== 'live') ${read('x_uat')};
    ${read('x_live')};
  }`), [['x_uat', NOT_LIVE], ['x_live', LIVE]]],
  ['a do … while body', js(`  do {
    if (conv.env === 'sandbox') ${read('x_sb')};
  } while (more());`), [['x_sb', SB]]],
  ['a static method of a class that returns conv.env lowered', js(`  if (Env.current(conv) === 'live') ${read('x_live')};\n  ${read('x_uat')};`, "class Env {\n  static current(conv) {\n    return String(conv.env ?? '').toLowerCase();\n  }\n}\n"), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  ['a static method that is a flag (returns a test of conv.env)', js(`  if (Env.isLive(conv)) ${read('x_live')};\n  ${read('x_uat')};`, "class Env {\n  static isLive(conv) {\n    return conv.env === 'live';\n  }\n}\n"), [['x_live', LIVE], ['x_uat', NOT_LIVE]]],
  // Unlabelled.
  ['a method a subclass gives again stays unlabelled', jsClass('', "if (this.envName() === 'live') return this.conv.utils.get_secret('x_live');\n    return this.conv.utils.get_secret('x_uat');", '  envName() {\n    return this.conv.env;\n  }\n') + "class Preview extends Handler {\n  envName() {\n    return 'live';\n  }\n}\n", [['x_live', null], ['x_uat', null]]],
  ['a loop that may break before the read stays unlabelled by its test', js(`  for (const k of keys) {
    if (conv.env === 'live') break;
  }
  ${read('x_any')};`), [['x_any', null]]],
  ['a test of conv.state stays unlabelled', js(`  if (conv.state.env === 'live') ${read('x_live')};`), [['x_live', null]]],
  ['a function called only from a branch stays unlabelled', js(`  if (conv.env === 'live') return helper(conv);`, `function helper(conv) {\n  ${read('x_live')};\n}\n`), [['x_live', null]]],
  ['a file with no conv.env is not looked at', js(`  if (env === 'live') ${read('x_live')};`), [['x_live', null]]],
];

describe('reads written with a literal name take the environments of their branch: Python', () => {
  for (const [idiom, text, expected] of PYTHON_READS) it(idiom, () => expect(readLabels(text, 'python')).toEqual(expected));
});

describe('reads written with a literal name take the environments of their branch: JavaScript and TypeScript', () => {
  for (const [idiom, text, expected] of JAVASCRIPT_READS) {
    it(idiom, () => {
      expect(readLabels(text, 'typescript')).toEqual(expected);
      expect(readLabels(text, 'javascript')).toEqual(expected);
    });
  }
});

describe('protocol/environments.ts: the environments and their spellings, once', () => {
  it('pre_release is pre-release wherever a choice or a literal names it; other names as written', () => {
    expect(ENVIRONMENTS).toEqual(['sandbox', 'pre-release', 'live']);
    expect(environmentChoiceOf(' pre_release ')).toBe('pre-release');
    expect(environmentChoiceOf('all')).toBe('all');
    expect(environmentChoiceOf('draft')).toBe('draft');
    expect(environmentChoiceOf('live env')).toBeNull();
    expect(environmentOfLiteral('PRE_RELEASE', true)).toBe('pre-release');
    expect(environmentOfLiteral('LIVE', false)).toBe('LIVE');
    expect(environmentStartsWith('pre-release', 'pre_', false)).toBe(true);
    expect(environmentStartsWith('live', 'L', false)).toBe(false);
    expect(environmentStartsWith('live', 'L', true)).toBe(true);
  });
});

describe('Python: a file names at most 64 environments (a set of them is one 32-bit integer, two past the first 32)', () => {
  const table = (keys: number, read = 'T[conv.env]') => {
    const entries = Array.from({ length: keys }, (_, k) => `    "e${k}": "name_${k}",`).join('\n');
    return `T = {\n${entries}\n}\n\ndef f(conv):\n    return conv.utils.get_secret(${read})\n`;
  };

  it('61 keys beside sandbox, pre-release and live: every name, each with its environment', () => {
    const [read] = scanOrThrow(table(61), 'python').references;
    expect(read!.unresolved).toBeUndefined();
    expect(read!.candidates!.map((c) => [c.name, c.environments])).toEqual(Array.from({ length: 61 }, (_, k) => [`name_${k}`, [`e${k}`]]));
  });

  it("a default past the 32nd: the environments the table's keys leave, sandbox, pre-release and live", () => {
    const [read] = scanOrThrow(table(40, 'T.get(conv.env, "fallback")'), 'python').references;
    expect(read!.unresolved).toBeUndefined();
    const byName = new Map(read!.candidates!.map((c) => [c.name, c.environments]));
    expect(byName.get('fallback')).toEqual(['sandbox', 'pre-release', 'live']);
    expect(byName.get('name_35')).toEqual(['e35']);
  });

  it('one more is too large to follow, and the read says so', () => {
    const [read] = scanOrThrow(table(62), 'python').references;
    expect(read!.candidates).toBeUndefined();
    expect(read!.unresolved).toMatchObject({ text: 'T[conv.env]', tooLarge: true });
  });
});
