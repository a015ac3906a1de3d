// Python environment idioms of issue 51, written from the rules (not from a run): a read in a
// short-circuit operand is taken where the operands before it hold (`and`) or fail (`or`); a flag
// bound once to a test of `conv.env`, or a helper that returns one, labels what it guards; and
// `conv.env` is a value: formatted or concatenated into a name, it gives one name per environment
// of the file, each labelled with its environment. Then the variants that must stay unlabelled or
// dynamic.

import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { computeDiagnostics } from '../../../server/src/service/features/diagnostics';
import { codeActions } from '../../../server/src/service/features/codeActions';
import { doc, textOf } from '../vaultFixture';
import { envModel } from '../computedNamesHelpers';

const py = (body: string, before = '') => `${before}def f(conv, flag):\n${body.replace(/^/gm, '    ')}\n`;

const LIVE = ['live'];
const NOT_LIVE = ['sandbox', 'pre-release'];
const SANDBOX = ['sandbox'];

/** Each literal read of `text`: its name and the environments it is labelled with (null: all). */
function literalLabels(text: string): Array<[string, string[] | null]> {
  return scanOrThrow(text, 'python')
    .references.filter((r) => r.name !== null)
    .map((r) => [r.name!, r.environments ?? null]);
}

/** The one computed read of `text`: each name it may take and its environments. */
function computedLabels(text: string): Array<[string, string[] | null]> {
  const reads = scanOrThrow(text, 'python').references.filter((r) => r.name === null);
  expect(reads).toHaveLength(1);
  expect(reads[0]!.unresolved).toBeUndefined();
  return (reads[0]!.candidates ?? []).map((c) => [c.name, c.environments]);
}

/** The one computed read of `text` stays dynamic: the part that does not resolve. */
function dynamicPart(text: string): string {
  const reads = scanOrThrow(text, 'python').references.filter((r) => r.name === null);
  expect(reads).toHaveLength(1);
  expect(reads[0]!.candidates).toBeUndefined();
  return reads[0]!.unresolved!.text;
}

const get = (name: string) => `conv.utils.get_secret("${name}")`;

const SHORT_CIRCUIT: Array<[string, string, Array<[string, string[] | null]>]> = [
  ['return A and read', py(`return conv.env == "sandbox" and ${get('x_sb')}`), [['x_sb', SANDBOX]]],
  ['if A and read: (in the if test)', py(`if conv.env == "live" and ${get('x')}:\n    pass`), [['x', LIVE]]],
  ['A or read: read when A fails', py(`v = conv.env == "live" or ${get('y')}`), [['y', NOT_LIVE]]],
  ['in a tuple, or read', py(`v = conv.env in ("sandbox", "pre-release") or ${get('l')}`), [['l', LIVE]]],
  ['a read in the left operand is not conditioned by the right', py(`v = ${get('z')} and conv.env == "live"`), [['z', null]]],
  ['nested and / or in parentheses', py(`v = conv.env != "live" and (conv.env == "sandbox" or ${get('p')})`), [['p', ['pre-release']]]],
  ['not A and read', py(`v = not (conv.env == "live") and ${get('q')}`), [['q', NOT_LIVE]]],
  ['inside a conditional expression\'s test', py(`v = "a" if (conv.env == "live" and ${get('c')}) else "b"`), [['c', LIVE]]],
  ['inside a conditional expression\'s branch, the other test not of conv.env', py(`v = (conv.env == "sandbox" and ${get('s')}) if flag else None`), [['s', SANDBOX]]],
  ['A and read or other: the other is read when either part fails', py(`return conv.env == "live" and ${get('a')} or ${get('b')}`), [['a', LIVE], ['b', null]]],
  ['a left operand that is not a test of conv.env labels nothing', py(`return flag and ${get('w')}`), [['w', null]]],
  ['through an alias', py(`env = str(conv.env or "").lower()\nreturn env == "live" and ${get('al')}`), [['al', LIVE]]],
];

const FLAGS: Array<[string, string, Array<[string, string[] | null]>]> = [
  ['if is_live / if not is_live', py(`is_live = conv.env == "live"\nif is_live:\n    return ${get('x_live')}\nif not is_live:\n    return ${get('x_other')}`), [['x_live', LIVE], ['x_other', NOT_LIVE]]],
  ['x if is_live else y', py(`is_live = conv.env == "live"\nreturn ${get('a')} if is_live else ${get('b')}`), [['a', LIVE], ['b', NOT_LIVE]]],
  ['is_live and read', py(`is_live = conv.env == "live"\nreturn is_live and ${get('c')}`), [['c', LIVE]]],
  ['through an alias, `in (...)`', py(`env = str(conv.env or "").lower()\nis_prod = env in ("live",)\nif is_prod:\n    return ${get('p')}`), [['p', LIVE]]],
  ['.startswith', py(`is_pre = conv.env.startswith("pre")\nif is_pre:\n    return ${get('pre')}`), [['pre', ['pre-release']]]],
  ['!=', py(`is_test = conv.env != "live"\nif is_test:\n    return ${get('t')}`), [['t', NOT_LIVE]]],
  ['a module-level flag read in a function', `conv = current()\nIS_LIVE = conv.env == "live"\n\n${py(`if IS_LIVE:\n    return ${get('m')}`)}`, [['m', LIVE]]],
  ['a helper that returns the test', py(`if is_prod(conv):\n    return ${get('h')}`, 'def is_prod(conv):\n    return conv.env == "live"\n\n'), [['h', LIVE]]],
  ['a helper testing an alias, negated', py(`if not is_sandbox(conv):\n    return ${get('ns')}`, 'def is_sandbox(conv):\n    env = conv.env.lower()\n    return env == "sandbox"\n\n'), [['ns', ['pre-release', 'live']]]],
  // Unlabelled: not a flag the environments decide.
  ['a flag reassigned in a branch', py(`is_live = conv.env == "live"\nif flag:\n    is_live = False\nif is_live:\n    return ${get('r')}`), [['r', null]]],
  ['a flag computed from something else', py(`is_live = check(conv)\nif is_live:\n    return ${get('o')}`), [['o', null]]],
  ['a flag testing another attribute', py(`is_live = conv.sip_env == "live"\nif is_live:\n    return ${get('sip')}`), [['sip', null]]],
  ['a flag that is a parameter', py(`if flag:\n    return ${get('param')}`), [['param', null]]],
  ['a helper whose returns differ', py(`if is_prod(conv):\n    return ${get('d')}`, 'def is_prod(conv):\n    if conv.state.get("eu"):\n        return conv.env == "sandbox"\n    return conv.env == "live"\n\n'), [['d', null]]],
  ['a helper that returns something else too', py(`if is_prod(conv):\n    return ${get('e')}`, 'def is_prod(conv):\n    if conv.state.get("eu"):\n        return True\n    return conv.env == "live"\n\n'), [['e', null]]],
];

const ALL = [
  ['crm_sandbox', SANDBOX],
  ['crm_pre-release', ['pre-release']],
  ['crm_live', LIVE],
] as Array<[string, string[]]>;

const VALUES: Array<[string, string, Array<[string, string[] | null]>]> = [
  ['an f-string', py('return conv.utils.get_secret(f"crm_{conv.env}")'), ALL],
  ['+ an alias', py('env = str(conv.env or "").lower()\nreturn conv.utils.get_secret("crm_" + env)'), ALL],
  ['str.format of an alias', py('env = conv.env\nreturn conv.utils.get_secret("crm_{}".format(env))'), ALL],
  ['str.format by keyword', py('return conv.utils.get_secret("crm_{env}".format(env=conv.env.strip()))'), ALL],
  ['str.format by position', py('return conv.utils.get_secret("{1}_{0}".format(conv.env, "crm"))'), ALL],
  ['% of one', py('return conv.utils.get_secret("crm_%s" % conv.env)'), ALL],
  ['% of a tuple, %% kept', py('return conv.utils.get_secret("crm_%s_%s%%" % (conv.env, "key"))'), [['crm_sandbox_key%', SANDBOX], ['crm_pre-release_key%', ['pre-release']], ['crm_live_key%', LIVE]]],
  ['% of a dict literal by key, a key written twice holding its last value', py('return conv.utils.get_secret("%(app)s_%(env)s" % {"env": "x", "app": "crm", "env": conv.env})'), ALL],
  ['.upper()', py('return conv.utils.get_secret(conv.env.upper())'), [['SANDBOX', SANDBOX], ['PRE-RELEASE', ['pre-release']], ['LIVE', LIVE]]],
  ['.replace("-", "_")', py('return conv.utils.get_secret("crm_" + conv.env.replace("-", "_"))'), [['crm_sandbox', SANDBOX], ['crm_pre_release', ['pre-release']], ['crm_live', LIVE]]],
  ['another environment the file tests for joins', py('if conv.env == "draft":\n    pass\nreturn conv.utils.get_secret(f"crm_{conv.env}")'), [...ALL, ['crm_draft', ['draft']]]],
  ['inside a branch: that branch\'s environments only', py('if conv.env == "live":\n    return conv.utils.get_secret("crm_" + conv.env)\nreturn None'), [['crm_live', LIVE]]],
  ['through a parameter every call passes it to', py('return g(conv, conv.env)', 'def g(conv, env):\n    return conv.utils.get_secret("crm_" + env)\n\n'), ALL],
  ['a table keyed by the value and a name built from it', py('return conv.utils.get_secret(PREFIX[conv.env] + "_" + conv.env)', 'PREFIX = {"live": "prod", "sandbox": "dev"}\n'), [['prod_live', LIVE], ['dev_sandbox', SANDBOX]]],
];

const DYNAMIC: Array<[string, string, string]> = [
  ['formatted into an unknown template', py('return conv.utils.get_secret(TEMPLATE.format(conv.env))'), 'TEMPLATE'],
  ['a format field that converts', py('return conv.utils.get_secret("crm_{!r}".format(conv.env))'), '"crm_{!r}".format(conv.env)'],
  ['a printf conversion other than %s', py('return conv.utils.get_secret("crm_%d" % conv.env)'), '"crm_%d" % conv.env'],
  ['a %(key)s field the dict does not have', py('return conv.utils.get_secret("crm_%(env)s" % {"environment": conv.env})'), '"crm_%(env)s" % {"environment": conv.env}'],
  ['%s fields filled from a dict', py('return conv.utils.get_secret("crm_%s_%(env)s" % {"env": conv.env})'), '"crm_%s_%(env)s" % {"env": conv.env}'],
  ['too few values for the %s fields', py('return conv.utils.get_secret("crm_%s_%s" % conv.env)'), '"crm_%s_%s" % conv.env'],
  ['a replace of an unknown text', py('return conv.utils.get_secret("crm_" + conv.env.replace(flag, "_"))'), 'conv.env.replace(flag, "_")'],
  ['the file compares conv.env with a name: its environments are not all known', py('if conv.env == TARGET:\n    pass\nreturn conv.utils.get_secret(f"crm_{conv.env}")'), 'conv.env'],
  ['another attribute of conv', py('return conv.utils.get_secret(f"crm_{conv.sip_env}")'), 'conv.sip_env'],
  ["another object's env (a settings module's): no name per environment", py('return conv.utils.get_secret(f"{settings.env}_db_password")'), 'settings.env'],
];

describe('Python environments: short-circuit operands (literal reads)', () => {
  for (const [title, text, expected] of SHORT_CIRCUIT) it(title, () => expect(literalLabels(text)).toEqual(expected));
  it('labels a computed read\'s names the same way', () => {
    expect(computedLabels(py(`n = "a" if flag else "b"\nreturn conv.env == "live" and conv.utils.get_secret(n)`))).toEqual([['a', LIVE], ['b', LIVE]]);
    expect(computedLabels(py(`n = "a" if flag else "b"\nreturn conv.env == "live" or conv.utils.get_secret(n)`))).toEqual([['a', NOT_LIVE], ['b', NOT_LIVE]]);
  });
  it('a default before the read (`cache.get(n) or get_secret(n)`) is no test of the read\'s names', () => {
    const [read] = scanOrThrow(py('n = "x_api"\nreturn flag.get(n) or conv.utils.get_secret(n)'), 'python').references;
    expect(read!.candidates?.map((c) => [c.name, c.environments, c.when])).toEqual([['x_api', null, []]]);
  });
});

describe('Python environments: flags and helpers that test conv.env', () => {
  for (const [title, text, expected] of FLAGS) it(title, () => expect(literalLabels(text)).toEqual(expected));
  it('labels a computed read guarded by a flag', () => {
    expect(computedLabels(py(`is_live = conv.env == "live"\nn = "x_prod" if is_live else "x_uat"\nreturn conv.utils.get_secret(n)`))).toEqual([['x_prod', LIVE], ['x_uat', NOT_LIVE]]);
  });
});

describe('Python environments as values', () => {
  for (const [title, text, expected] of VALUES) it(title, () => expect(computedLabels(text)).toEqual(expected));
  for (const [title, text, part] of DYNAMIC) it(`stays dynamic: ${title}`, () => expect(dynamicPart(text)).toBe(part));
});

describe('Python environments as values, in the editor', () => {
  it('reports each environment\'s name where conv.env is read, and offers no edit of conv.env itself', () => {
    const d = doc(py('return conv.utils.get_secret(f"x_{conv.env}_api")'));
    const model = envModel({ role: 'admin' });
    const diagnostics = computeDiagnostics(d.doc, d.result, model);
    expect(diagnostics.map((x) => [x.code, String(x.message).split(',')[0], textOf(d.doc, x.range)])).toEqual([
      ['unknown-secret', "In sandbox: reads 'x_sandbox_api'", 'f"x_{conv.env}_api"'],
      ['unknown-secret', "In pre-release: reads 'x_pre-release_api'", 'f"x_{conv.env}_api"'],
      ['unknown-secret', "In live: reads 'x_live_api'", 'f"x_{conv.env}_api"'],
    ]);
    // `conv.env` is no literal to rewrite: the fixes create the secret, none edits the code.
    const actions = codeActions(d.doc, d.result, model, diagnostics);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.edit !== undefined)).toEqual([]);
  });
});
