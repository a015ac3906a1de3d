// JavaScript / TypeScript idioms the front end follows (issue 51): `process.env` destructured or held
// by another name, TypeScript parameter properties, iteration over literals, `&&` / `||` and flags
// on `conv.env`, and `conv.env` as a value. Expected names, spans and environment labels are
// written from the rules, not copied from the output; each idiom has variants that must stay
// unknown (another object, a value built at run time, a flag given another value).

import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { complete } from '../../../server/src/service/features/completion';
import { computeDiagnostics } from '../../../server/src/service/features/diagnostics';
import { hover } from '../../../server/src/service/features/hover';
import { resolverErrors } from '../../../server/src/service/javascript/jsNameSets';
import { VaultModel } from '../../../server/src/service/model/model';
import { BOOKING, doc, envSnapshot, snapshot, textOf } from '../vaultFixture';

type Lang = 'javascript' | 'typescript';

/** Each environment read as [its name, the text its literal covers, the text its span covers]; writes apart. */
function envReads(source: string, language: Lang = 'typescript'): { reads: unknown[]; writes: unknown[] } {
  const r = scanOrThrow(source, language);
  const show = (x: (typeof r.references)[number]) => [x.name, source.slice(x.literal.span.start, x.literal.span.end), source.slice(x.span.start, x.span.end)];
  return { reads: r.references.filter((x) => x.form === 'env').map(show), writes: r.writes.map(show) };
}

/** Each read as `name` (literal, with `@envs` when labelled) or `[cand@envs, …]` (computed) or `?text` (unknown). */
function reads(source: string, language: Lang = 'typescript'): string[] {
  return scanOrThrow(source, language).references.map((x) => {
    if (x.name !== null) return x.environments ? `${x.name}@${x.environments.join('|')}` : x.name;
    if (x.candidates) return `[${x.candidates.map((c) => (c.environments ? `${c.name}@${c.environments.join('|')}` : c.name)).join(', ')}]`;
    return `?${x.unresolved?.text}`;
  });
}

const NOT_LIVE = 'sandbox|pre-release';

describe('process.env destructured and held by other names', () => {
  it('each key of a pattern over process.env is a read of that name, its span on the key', () => {
    const source = "const { API_KEY, OTHER = 'x', THIRD: alias, 'QUOTED_KEY': q, NESTED: { inner }, ...rest } = process.env;";
    expect(envReads(source).reads).toEqual([
      ['API_KEY', 'API_KEY', 'API_KEY'],
      ['OTHER', 'OTHER', 'OTHER'],
      ['THIRD', 'THIRD', 'THIRD'],
      ['QUOTED_KEY', "'QUOTED_KEY'", "'QUOTED_KEY'"],
      ['NESTED', 'NESTED', 'NESTED'],
    ]);
    // An assignment to a pattern, `let` and `var` alike; `process.env?.X` as `process.env.X`.
    expect(envReads('let A; ({ A } = process.env);\nvar { B } = process.env;\nprocess.env?.C;').reads.map((x) => (x as string[])[0])).toEqual(['A', 'B', 'C']);
  });

  it('a const holding process.env: its members, subscripts and patterns are reads; its assignments writes', () => {
    const source = "const env = process.env;\nenv.ALIAS_ONE;\nenv['ALIAS_TWO'];\nenv?.ALIAS_THREE;\nconst { ALIAS_FOUR } = env;\nenv.WRITTEN = 'x';\ndelete env.DELETED;";
    expect(envReads(source)).toEqual({
      reads: [
        ['ALIAS_ONE', 'ALIAS_ONE', 'env.ALIAS_ONE'],
        ['ALIAS_TWO', "'ALIAS_TWO'", "env['ALIAS_TWO']"],
        ['ALIAS_THREE', 'ALIAS_THREE', 'env?.ALIAS_THREE'],
        ['ALIAS_FOUR', 'ALIAS_FOUR', 'ALIAS_FOUR'],
      ],
      writes: [
        ['WRITTEN', 'WRITTEN', 'env.WRITTEN'],
        ['DELETED', 'DELETED', 'env.DELETED'],
      ],
    });
  });

  it('env taken from process: a pattern, an import of env, an import of process by any name', () => {
    expect(envReads('const { env } = process;\nenv.FROM_PATTERN;').reads).toEqual([['FROM_PATTERN', 'FROM_PATTERN', 'env.FROM_PATTERN']]);
    expect(envReads('const { env: e } = process;\ne.RENAMED;').reads).toEqual([['RENAMED', 'RENAMED', 'e.RENAMED']]);
    expect(envReads("import { env } from 'process';\nenv.IMPORTED;").reads).toEqual([['IMPORTED', 'IMPORTED', 'env.IMPORTED']]);
    expect(envReads("import { argv, env as penv } from 'node:process';\npenv['IMPORTED_AS'];").reads).toEqual([['IMPORTED_AS', "'IMPORTED_AS'", "penv['IMPORTED_AS']"]]);
    expect(envReads("import process from 'node:process';\nprocess.env.DEFAULT_IMPORT;").reads).toEqual([['DEFAULT_IMPORT', 'DEFAULT_IMPORT', 'process.env.DEFAULT_IMPORT']]);
    expect(envReads("import proc from 'node:process';\nproc.env.OTHER_NAME;").reads).toEqual([['OTHER_NAME', 'OTHER_NAME', 'proc.env.OTHER_NAME']]);
    expect(envReads("import * as p from 'process';\nconst { NS_KEY } = p.env;").reads).toEqual([['NS_KEY', 'NS_KEY', 'NS_KEY']]);
  });

  it('TypeScript annotations on the name or the pattern', () => {
    const source = 'const env: NodeJS.ProcessEnv = process.env;\nenv.TYPED_ALIAS;\nconst { TYPED_KEY }: Record<string, string | undefined> = process.env;\nconst { env: e }: typeof process = process;\ne.VIA_PROCESS;';
    expect(envReads(source).reads.map((x) => (x as string[])[0])).toEqual(['TYPED_ALIAS', 'TYPED_KEY', 'VIA_PROCESS']);
  });

  it('a computed name through a name holding process.env resolves as process.env[…] does', () => {
    expect(reads("const env = process.env;\nconst NAME = 'COMPUTED_KEY';\nenv[NAME];")).toEqual(['[COMPUTED_KEY]']);
  });

  it('a value read through a name holding process.env is a source of the leak analysis, as process.env.X is', () => {
    const leaks = scanOrThrow('const env = process.env;\nconst t = env.ALIAS_TOKEN;\nconsole.log(t);\nconsole.log(process.env.BASELINE);', 'typescript').leaks;
    expect(leaks.map((l) => [l.sink, l.origins.map((o) => o.source.name)])).toEqual([
      ['console.log', ['ALIAS_TOKEN']],
      ['console.log', ['BASELINE']],
    ]);
  });

  it('a name destructured from process.env holds its value: logging it is a leak; one from another object is not', () => {
    const text = "const { API_TOKEN, OTHER: renamed, 'QUOTED': q } = process.env;\nconsole.log(API_TOKEN);\nconsole.log(renamed, q);\nconst { NOT_ENV } = settings;\nconsole.log(NOT_ENV);";
    const leaks = scanOrThrow(text, 'typescript').leaks;
    expect(leaks.map((l) => [l.sink, l.origins.map((o) => o.source.name)])).toEqual([
      ['console.log', ['API_TOKEN']],
      ['console.log', ['OTHER', 'QUOTED']],
    ]);
  });

  it('stays no read: another object, a let, a shadowing parameter, another module, a member of process.env destructured', () => {
    const none = [
      'const { A_KEY } = settings;',
      'const { env } = other;\nenv.B_KEY;',
      'const { env } = process.other;\nenv.C_KEY;',
      'let env = process.env;\nenv = {};\nenv.D_KEY;',
      'const env = process.env || {};\nenv.E_KEY;',
      "import { env } from 'my-config';\nenv.F_KEY;",
      'const { G_KEY } = process.env.nested.deeper;',
      'const env = process.env;\nfunction f(env) { return env.H_KEY; }',
      'const env = process.env;\n{ const env = {}; env.I_KEY; }',
      'obj.env.J_KEY;\nconst { K_KEY } = obj.process.env;',
    ];
    for (const source of none) {
      const names = envReads(source).reads.map((x) => (x as string[])[0]);
      expect(names.filter((n) => n !== 'nested'), source).toEqual([]);
    }
  });

  it('completes, hovers and checks the names, in an environment-style account', () => {
    const env = VaultModel.fromSnapshot(envSnapshot());
    const typed = doc("const env = process.env;\nconst t = env['|", `${BOOKING}/a.ts`, 'typescript');
    const list = complete(typed.doc, typed.result, env, typed.cursor, { editRangeDefault: true, dataDefault: true });
    expect(list?.items.map((i) => i.label)).toContain('X_BEARER_TOKEN');
    // Inside a pattern over process.env, the key being typed is completed in place.
    const inPattern = doc('const { STRIPE_API_KEY, X_| } = process.env;', `${BOOKING}/a.ts`, 'typescript');
    const keys = complete(inPattern.doc, inPattern.result, env, inPattern.cursor, { editRangeDefault: true, dataDefault: true });
    expect(keys?.items.map((i) => i.label)).toContain('X_BEARER_TOKEN');
    expect(textOf(inPattern.doc, keys!.itemDefaults!.editRange as Parameters<typeof textOf>[1])).toBe('X_');
    const source = "const { X_BEARER_TOKEN, STRIPE_API_KEY } = process.env;\nconst env = process.env;\nenv.MISSING_TOKEN;\n";
    const d = doc(source, `${BOOKING}/a.ts`, 'typescript');
    expect(computeDiagnostics(d.doc, d.result, env).map((x) => `${x.code}:${textOf(d.doc, x.range)}`)).toEqual(['not-granted:STRIPE_API_KEY', 'unknown-secret:MISSING_TOKEN']);
    const h = hover(d.doc, d.result, env, source.indexOf('X_BEARER_TOKEN') + 2);
    expect((h?.contents as { value: string }).value).toContain('X\\_BEARER\\_TOKEN** (single value)\n\nX API');
  });
});

describe('TypeScript parameter properties', () => {
  it('this.X of a parameter property is the argument of every new Cls(…)', () => {
    const source = "class H {\n  constructor(private readonly name: string, public other = 'd') {}\n  read(conv) { return conv.utils.get_secret(this.name); }\n}\nnew H('ctor_js');\nnew H('ctor_two', 'x');";
    expect(reads(source)).toEqual(['[ctor_js, ctor_two]']);
  });

  it('a name handed on from constructor to constructor: the handler passes its parameter to a session class, typed fields and annotations aside', () => {
    const source = [
      'function secretName(conv: Conv): string {',
      "  const env = String(conv.env ?? '').toLowerCase();",
      "  if (env === 'live') return 'salesforce_prod';",
      "  return 'salesforce_sandbox';",
      '}',
      'class Session {',
      '  constructor(private conv: Conv, private secretName: string) {}',
      '  creds(): Creds { return this.conv.utils.get_secret(this.secretName); }',
      '}',
      'class Handler {',
      '  private session: Session;',
      '  constructor(conv: Conv, secretName: string) { this.session = new Session(conv, secretName); }',
      '  lookup(): Session { return this.session as Session; }',
      '}',
      'export function lookupAccount(conv: Conv) { return new Handler(conv, secretName(conv)).lookup(); }',
    ].join('\n');
    expect(reads(source)).toEqual([`[salesforce_prod@live, salesforce_sandbox@${NOT_LIVE}]`]);
  });

  it('the class passed as a value: the file\'s constructions, open to other callers; a constructor argument that is a parameter of an exported function stays unknown', () => {
    const passed = scanOrThrow("class S {\n  constructor(private name: string) {}\n  read(conv) { return conv.utils.get_secret(this.name); }\n}\nexport const registry = { handler: S };\nnew S('x');", 'typescript').references;
    expect(passed.map((x) => [x.candidates?.map((c) => c.name), x.open !== undefined])).toEqual([[['x'], true]]);
    expect(reads("class S {\n  constructor(private name: string) {}\n  read(conv) { return conv.utils.get_secret(this.name); }\n}\nclass H {\n  constructor(name: string) { new S(name); }\n}\nexport function f(other: string) { return new H(other); }")).toEqual(['?other']);
  });

  it('stays unknown: a plain parameter, an argument known only at run time, a field set elsewhere', () => {
    expect(reads("class H {\n  constructor(name: string) {}\n  read(conv) { return conv.utils.get_secret(this.name); }\n}\nnew H('x');")).toEqual(['?this.name']);
    expect(reads("class H {\n  constructor(private name: string) {}\n  read(conv) { return conv.utils.get_secret(this.name); }\n}\nnew H(pick());")).toEqual(['?pick()']);
    expect(reads("class H {\n  constructor(private name: string) {}\n  rename() { this.name = 'other'; }\n  read(conv) { return conv.utils.get_secret(this.name); }\n}\nnew H('x');")).toEqual(['?this.name']);
  });
});

describe('iteration over literals', () => {
  it('map, forEach (arrow or function), for…of and Object.values over a literal: each element', () => {
    const source = [
      "['l1', 'l2'].map((n) => conv.utils.get_secret(n));",
      "['f1', 'f2'].forEach(function (n) { conv.utils.get_secret(n); });",
      "for (const n of ['a', 'b']) conv.utils.get_secret(n);",
      "Object.values({ a: 'x', b: 'y' }).map((v) => conv.utils.get_secret(v));",
      "for (const k of Object.keys({ k1: 1, k2: 2 })) conv.utils.get_secret(k);",
    ].join('\n');
    expect(reads(source, 'javascript')).toEqual(['[l1, l2]', '[f1, f2]', '[a, b]', '[x, y]', '[k1, k2]']);
  });

  it('an array literal after return, =, =>, await or an operator: each element; an index after a call or a name is no literal', () => {
    const source = [
      "export function f(conv) { return ['r1', 'r2'].map((n) => conv.utils.get_secret(n)); }",
      "export const g = (conv) => ['a1'].forEach((n) => conv.utils.get_secret(n));",
      "export async function h(conv) { const out = await ['w1'].map((n) => conv.utils.get_secret(n)); return out; }",
      "export function i(conv) { const v = foo()\n['z1'].map((n) => conv.utils.get_secret(n)); }",
      "export function j(conv, rows) { return rows[0].map((n) => conv.utils.get_secret(n)); }",
    ].join('\n');
    expect(reads(source, 'javascript')).toEqual(['[r1, r2]', '[a1]', '[w1]', '?n', '?n']);
  });

  it("a callback's destructured parameter takes its place in each row: Object.entries(T).forEach(([k, v]) => …), rows of pairs", () => {
    const source = [
      "const T = { a: 'oe_a', b: 'oe_b' };",
      "const ROWS = [['crm', 'row_crm'], ['pay', 'row_pay']];",
      'export function f(conv) { Object.entries(T).forEach(([k, v]) => conv.utils.get_secret(v)); }',
      'export function g(conv: Conv) { return ROWS.map(([label, name]: [string, string]) => conv.utils.get_secret(name)); }',
      'export function h(conv) { Object.entries(T).forEach(([k, v]) => conv.utils.get_secret(k)); }',
      // Not a callback over rows: a destructured parameter called directly is not followed.
      "export function i(conv) { const fn = ([a, b]) => conv.utils.get_secret(b); return fn(['x', 'y']); }",
    ].join('\n');
    expect(reads(source)).toEqual(['[oe_a, oe_b]', '[row_crm, row_pay]', '[a, b]', '?b']);
  });

  it("for…in over an object takes its keys, as Python's `for k in {…}` does; over an array, its indexes are no names", () => {
    const source = [
      'const SERVICES = { crm_api: 1, erp_api: 2 };',
      "const LIST = ['l_one', 'l_two'];",
      'export function f(conv) {',
      '  for (const k in { kin_one: 1, kin_two: 2 }) conv.utils.get_secret(k);',
      '  for (let k in SERVICES) { conv.utils.get_secret(k); }',
      '  for (const i in LIST) conv.utils.get_secret(i);',
      '  for (const k in SERVICES) conv.utils.get_secret(k.v);',
      '}',
    ].join('\n');
    expect(reads(source, 'javascript')).toEqual(['[kin_one, kin_two]', '[crm_api, erp_api]', '?LIST', '?k.v']);
    const python = 'SERVICES = {"crm_api": 1, "erp_api": 2}\ndef f(conv):\n    for k in {"kin_one": 1, "kin_two": 2}:\n        conv.utils.get_secret(k)\n    for k in SERVICES:\n        conv.utils.get_secret(k)\n';
    expect(scanOrThrow(python, 'python').references.map((x) => x.candidates?.map((c) => c.name).join(', '))).toEqual(['kin_one, kin_two', 'crm_api, erp_api']);
  });

  it('stays unknown: an array built at run time, one changed in place, a call result', () => {
    // Built by push: the element pushed is what is not known.
    expect(reads('const names = [];\nnames.push(next());\nnames.map((n) => conv.utils.get_secret(n));')).toEqual(['?next()']);
    expect(reads("const names = ['a'];\nnames.push(next());\nfor (const n of names) conv.utils.get_secret(n);")).toEqual(['?next()']);
    expect(reads("const names = ['a'];\nnames.splice(0, 1, next());\nfor (const n of names) conv.utils.get_secret(n);")).toEqual(['?names']);
    expect(reads('loadNames().forEach((n) => conv.utils.get_secret(n));')).toEqual(['?n']);
  });
});

describe('&&, || and flags on conv.env label the reads they guard', () => {
  it('&& and || before a read; !, parentheses, if tests and conditionals', () => {
    const source = [
      'function f(conv) {',
      "  conv.env === 'live' && conv.utils.get_secret('and_live');",
      "  conv.env === 'live' || conv.utils.get_secret('or_not_live');",
      "  !(conv.env === 'live') && conv.utils.get_secret('not_live');",
      "  (conv.env === 'sandbox' || conv.env === 'pre-release') && conv.utils.get_secret('grouped');",
      "  if (conv.env !== 'live' && conv.utils.get_secret('in_test')) {}",
      "  const v = conv.env === 'live' ? conv.env === 'live' && conv.utils.get_secret('t_live') : conv.utils.get_secret('t_else');",
      "  other && conv.utils.get_secret('unrelated');",
      '}',
    ].join('\n');
    expect(reads(source, 'javascript')).toEqual(['and_live@live', `or_not_live@${NOT_LIVE}`, `not_live@${NOT_LIVE}`, `grouped@${NOT_LIVE}`, `in_test@${NOT_LIVE}`, 't_live@live', `t_else@${NOT_LIVE}`, 'unrelated']);
  });

  it('a computed read after && is labelled too', () => {
    expect(reads("function f(conv) { const N = { a: 'x_a' }; return conv.env === 'live' && conv.utils.get_secret(N.a); }")).toEqual(['[x_a@live]']);
  });

  it('a const flag and a helper returning a test: as the test itself', () => {
    const source = [
      'function isProd(conv) { return conv.env === "live"; }',
      'function notLive(conv) { if (conv.env === "live") return false; return true; }',
      'function f(conv) {',
      "  const isLive = conv.env === 'live';",
      "  if (isLive) conv.utils.get_secret('flag_live');",
      "  if (!isLive) conv.utils.get_secret('flag_not_live');",
      "  isLive ? conv.utils.get_secret('c_live') : conv.utils.get_secret('c_else');",
      "  if (isProd(conv)) conv.utils.get_secret('helper_live');",
      "  if (notLive(conv)) conv.utils.get_secret('helper_not_live');",
      '}',
    ].join('\n');
    expect(reads(source, 'javascript')).toEqual(['flag_live@live', `flag_not_live@${NOT_LIVE}`, 'c_live@live', `c_else@${NOT_LIVE}`, 'helper_live@live', `helper_not_live@${NOT_LIVE}`]);
  });

  it('stays unlabelled: a flag given another value, a flag of something else, a helper that tests something else', () => {
    const source = [
      'function other(conv) { return conv.state.on; }',
      'function f(conv) {',
      "  let isLive = conv.env === 'live';",
      '  isLive = conv.state.forced;',
      "  if (isLive) conv.utils.get_secret('reassigned');",
      '  const big = size > 3;',
      "  if (big) conv.utils.get_secret('not_env');",
      "  if (other(conv)) conv.utils.get_secret('helper_other');",
      '}',
    ].join('\n');
    expect(reads(source, 'javascript')).toEqual(['reassigned', 'not_env', 'helper_other']);
  });

  it('a helper returning conv.env as the templates write it, held by a const: as deep as Python follows it', () => {
    const helper = "function environment(conv) { return String(conv.env ?? 'sandbox').trim().toLowerCase(); }";
    const source = [
      helper,
      'function f(conv) {',
      '  const env = environment(conv);',
      "  if (env === 'live') conv.utils.get_secret('h_live');",
      "  const isLive = env === 'live';",
      "  if (!isLive) conv.utils.get_secret('h_not_live');",
      "  conv.utils.get_secret(env.startsWith('live') ? 'h_prod' : 'h_dev');",
      '}',
    ].join('\n');
    expect(reads(source, 'javascript')).toEqual(['h_live@live', `h_not_live@${NOT_LIVE}`, `[h_prod@live, h_dev@${NOT_LIVE}]`]);
    // The Python twin, for the same labels.
    const python = [
      'def environment(conv):',
      "    return str(conv.env or 'sandbox').strip().lower()",
      'def f(conv):',
      '    env = environment(conv)',
      "    if env == 'live': conv.utils.get_secret('h_live')",
      "    is_live = env == 'live'",
      "    if not is_live: conv.utils.get_secret('h_not_live')",
      "    conv.utils.get_secret('h_prod' if env.startswith('live') else 'h_dev')",
    ].join('\n');
    expect(scanOrThrow(python, 'python').references.map((x) => x.name ?? `[${x.candidates!.map((c) => `${c.name}@${c.environments!.join('|')}`).join(', ')}]`)).toEqual(['h_live', 'h_not_live', `[h_prod@live, h_dev@${NOT_LIVE}]`]);
    expect(scanOrThrow(python, 'python').references.slice(0, 2).map((x) => x.environments?.join('|'))).toEqual(['live', NOT_LIVE]);
  });
});

describe('conv.env as a value', () => {
  it('a template, +, toUpperCase and replace: one candidate per environment, labelled', () => {
    const source = [
      'function f(conv) {',
      '  conv.utils.get_secret(`tpl_${conv.env}`);',
      "  conv.utils.get_secret('up_' + conv.env.toUpperCase());",
      "  conv.utils.get_secret(conv.env.replace('-', '_'));",
      "  process.env[`KEY_${conv.env.toUpperCase().replaceAll('-', '_')}`];",
      '}',
    ].join('\n');
    expect(reads(source, 'javascript')).toEqual([
      '[tpl_sandbox@sandbox, tpl_pre-release@pre-release, tpl_live@live]',
      '[up_SANDBOX@sandbox, up_PRE-RELEASE@pre-release, up_LIVE@live]',
      '[sandbox@sandbox, pre_release@pre-release, live@live]',
      '[KEY_SANDBOX@sandbox, KEY_PRE_RELEASE@pre-release, KEY_LIVE@live]',
    ]);
  });

  it('through a const or a parameter that holds conv.env, with the environments the file tests for, under the tests around the read', () => {
    const source = [
      'const name = (env) => `svc_${env}`;',
      'function f(conv) {',
      '  const env = conv.env;',
      "  conv.utils.get_secret('tpl_' + env);",
      "  if (conv.env === 'draft') return;",
      '  conv.utils.get_secret(name(conv.env));',
      '}',
    ].join('\n');
    expect(reads(source, 'javascript')).toEqual([
      '[tpl_sandbox@sandbox, tpl_pre-release@pre-release, tpl_live@live, tpl_draft@draft]',
      '[svc_sandbox@sandbox, svc_pre-release@pre-release, svc_live@live]',
    ]);
  });

  it('each candidate names conv.env as what chooses it', () => {
    const source = 'function f(conv) { return conv.utils.get_secret(`tpl_${conv.env}`); }';
    const read = scanOrThrow(source, 'javascript').references[0]!;
    expect(read.candidates?.map((c) => [c.name, source.slice(c.literal.start, c.literal.end), c.when.map((w) => w.text)])).toEqual([
      ['tpl_sandbox', 'conv.env', ["conv.env === 'sandbox'"]],
      ['tpl_pre-release', 'conv.env', ["conv.env === 'pre-release'"]],
      ['tpl_live', 'conv.env', ["conv.env === 'live'"]],
    ]);
  });

  it('stays unknown: another object`s env, a replace with a pattern that is not a literal, a const given conv.env of a let', () => {
    expect(reads('function f(conv, other) { return conv.utils.get_secret(`tpl_${other.env}`); }')).toEqual(['?other.env']);
    expect(reads('function f(conv) { return conv.utils.get_secret(conv.env.replace(pattern, "_")); }')).toEqual(['?conv.env.replace(pattern, "_")']);
    expect(reads("function f(conv) { let e = conv.env; e = load(); return conv.utils.get_secret('x_' + e); }")).toEqual(['?load()']);
  });
});

describe('tables of tables and TypeScript enums, as their Python twins', () => {
  /** Each candidate of the one computed read as name@environments{tests, `==` for `===`}. */
  const twin = (source: string, language: 'python' | Lang): string[] => {
    const read = scanOrThrow(source, language).references.find((x) => x.name === null)!;
    return (read.candidates ?? []).map((c) => `${c.name}@${(c.environments ?? []).join('|')}{${c.when.map((w) => w.text.replace('===', '==').replace(/"/g, "'")).join('; ')}}`);
  };

  it('a table of tables chosen by conv.env, then by a key chosen at run time: the same names, environments and tests', () => {
    const js = "const CONFIG = { live: { crm: 'crm_prod', pay: 'pay_prod' }, sandbox: { crm: 'crm_dev' } };\nexport const read = (conv, key) => conv.utils.get_secret(CONFIG[conv.env][key]);\n";
    const py = "CONFIG = {'live': {'crm': 'crm_prod', 'pay': 'pay_prod'}, 'sandbox': {'crm': 'crm_dev'}}\ndef read(conv, key):\n    return conv.utils.get_secret(CONFIG[conv.env][key])\n";
    const want = ["crm_prod@live{conv.env == 'live'; key == 'crm'}", "pay_prod@live{conv.env == 'live'; key == 'pay'}", "crm_dev@sandbox{conv.env == 'sandbox'; key == 'crm'}"];
    expect(twin(js, 'javascript')).toEqual(want);
    expect(twin(py, 'python')).toEqual(want);
  });

  it('chosen through an alias of conv.env, lower-cased: the tests are on the alias, in both', () => {
    const js = "const CONFIG = { live: { crm: 'crm_prod' }, sandbox: { crm: 'crm_dev' } };\nexport function read(conv) {\n  const env = String(conv.env ?? '').toLowerCase();\n  return conv.utils.get_secret(CONFIG[env].crm);\n}\n";
    const py = "CONFIG = {'live': {'crm': 'crm_prod'}, 'sandbox': {'crm': 'crm_dev'}}\ndef read(conv):\n    env = str(conv.env or '').lower()\n    return conv.utils.get_secret(CONFIG[env]['crm'])\n";
    const want = ["crm_prod@live{env == 'live'}", "crm_dev@sandbox{env == 'sandbox'}"];
    expect(twin(js, 'typescript')).toEqual(want);
    expect(twin(py, 'python')).toEqual(want);
  });

  it("a default where the key is missing names the missing key's test", () => {
    const js = "const CONFIG = { live: { crm: 'crm_prod' }, sandbox: { crm: 'crm_dev' } };\nexport const read = (conv) => conv.utils.get_secret(CONFIG[conv.env]?.crm ?? 'crm_default');\n";
    expect(twin(js, 'javascript')).toEqual(["crm_prod@live{conv.env == 'live'}", "crm_dev@sandbox{conv.env == 'sandbox'}", 'crm_default@pre-release{!(conv.env in CONFIG)}']);
  });

  it('a literal read in a branch on an enum member, an if or a switch case, takes its environments; a numeric member none', () => {
    const source = [
      "enum Env { Live = 'live', Sandbox = 'sandbox' }",
      'enum Level { Live, Sandbox }',
      'export function f(conv: Conv) {',
      "  if (conv.env === Env.Live) conv.utils.get_secret('if_live');",
      '  switch (conv.env) {',
      '    case Env.Sandbox:',
      "      conv.utils.get_secret('case_sandbox');",
      '      break;',
      '    default:',
      "      conv.utils.get_secret('case_other');",
      '  }',
      "  if (conv.env === Level.Live) conv.utils.get_secret('numeric');",
      '}',
    ].join('\n');
    expect(reads(source)).toEqual(['if_live@live', 'case_sandbox@sandbox', 'case_other@pre-release|live', 'numeric']);
  });
});

it('runs without an internal error', () => {
  expect(resolverErrors.count).toBe(0);
});

describe('the read function held by a local (as Python follows `gs = conv.utils.get_secret`)', () => {
  /** Each get_secret read as [name or candidates, the text its span covers]. */
  const calls = (source: string, language: Lang = 'typescript') =>
    scanOrThrow(source, language)
      .references.filter((x) => x.form === 'get_secret')
      .map((x) => [x.name ?? `[${(x.candidates ?? []).map((c) => c.name).join(', ')}]`, source.slice(x.span.start, x.span.end)]);

  it('a const holding it, destructured from conv.utils, renamed, or called optionally: each call is a read spanning the call', () => {
    expect(calls("function f(conv) {\n  const gs = conv.utils.get_secret;\n  return gs('crm_api');\n}")).toEqual([['crm_api', "gs('crm_api')"]]);
    expect(calls("function f(conv) {\n  const { get_secret } = conv.utils;\n  return get_secret('crm_api');\n}", 'javascript')).toEqual([['crm_api', "get_secret('crm_api')"]]);
    expect(calls("function f(ctx: any) {\n  const { get_secret: read, other } = ctx.conv.utils;\n  return [read('pay_api'), other('no')];\n}")).toEqual([['pay_api', "read('pay_api')"]]);
    expect(calls("const NAMES = ['crm_api', 'pay_api'];\nfunction f(conv) {\n  const read = conv.utils.get_secret;\n  return NAMES.map((n) => read?.(n));\n}")).toEqual([['[crm_api, pay_api]', 'read?.(n)']]);
    // Bound to its object: the bound function reads as the method does (a bind followed by anything else does not).
    expect(calls("function f(conv) {\n  const read = conv.utils.get_secret.bind(conv.utils);\n  return read('crm_api');\n}")).toEqual([['crm_api', "read('crm_api')"]]);
    expect(calls("function f(conv) {\n  const read = conv.utils.get_secret.bind(conv.utils).call;\n  return read('crm_api');\n}")).toEqual([]);
  });

  it('not followed: a let (it may be given another function), a parameter of the same name, the function passed on unread', () => {
    expect(calls("function f(conv) {\n  let gs = conv.utils.get_secret;\n  gs = log;\n  return gs('crm_api');\n}")).toEqual([]);
    expect(calls("function f(conv) {\n  const gs = conv.utils.get_secret;\n  function g(gs) { return gs('inner'); }\n  return gs('outer');\n}")).toEqual([['outer', "gs('outer')"]]);
    expect(calls("function f(conv) {\n  const { get_secret } = conv.utils;\n  return wrap(get_secret);\n}")).toEqual([]);
  });
});

describe('conv.env kept on the object (as Python follows `self.env = conv.env`)', () => {
  const cls = (ctor: string, extra = '') =>
    `class Payments {\n  private env: string;\n  constructor(private conv: any) {\n    ${ctor}\n  }\n${extra}  key() {\n    if (this.env === 'live') return this.conv.utils.get_secret('pay_live');\n    return this.conv.utils.get_secret('pay_dev');\n  }\n}\n`;

  it("this.X that the constructor alone sets to conv.env (or a form of it) labels the branches it tests", () => {
    expect(reads(cls('this.env = conv.env;'))).toEqual(['pay_live@live', `pay_dev@${NOT_LIVE}`]);
    expect(reads(cls("this.env = String(conv.env ?? '').toLowerCase();"))).toEqual(['pay_live@live', `pay_dev@${NOT_LIVE}`]);
    expect(reads(`class C {\n  constructor(conv) { this.conv = conv; this.env = conv.env; }\n  key() { return this.env === 'live' ? this.conv.utils.get_secret('a_live') : this.conv.utils.get_secret('a_dev'); }\n}`, 'javascript')).toEqual(['a_live@live', `a_dev@${NOT_LIVE}`]);
  });

  it('not an environment test: the field written anywhere else, set to something else, or a class that extends another', () => {
    expect(reads(cls('this.env = conv.env;', '  use(e: string) { this.env = e; }\n'))).toEqual(['pay_live', 'pay_dev']);
    expect(reads(cls("this.env = conv.state.mode; const e = conv.env;"))).toEqual(['pay_live', 'pay_dev']);
    expect(reads(cls('this.env = conv.env;').replace('class Payments {', 'class Payments extends Base {'))).toEqual(['pay_live', 'pay_dev']);
  });
});

describe("keys read from a secret's value (as Python's creds['k'] and creds.get('k'))", () => {
  /** Each get_secret read as `name: key, key` with its keys as read. */
  const keyed = (source: string, language: Lang = 'typescript') =>
    scanOrThrow(source, language)
      .references.filter((x) => x.form === 'get_secret')
      .map((x) => `${x.name}: ${x.keys.map((k) => `${k.key}(${k.via})`).join(', ')}`);

  it('on the call, through a const (awaited too) and as the keys of a pattern; optional chains alike', () => {
    expect(keyed("function f(conv) {\n  return [conv.utils.get_secret('db')['user'], conv.utils.get_secret('api').token, conv.utils.get_secret('x')?.['k']];\n}")).toEqual([
      'db: user(subscript)',
      'api: token(property)',
      'x: k(subscript)',
    ]);
    expect(keyed("async function f(conv) {\n  const db = await conv.utils.get_secret('db');\n  return db['user'] + db.password + db?.host + db?.['port'];\n}")).toEqual(['db: user(subscript), password(property), host(property), port(subscript)']);
    expect(keyed("function f(conv) {\n  const { user, password: pw, 'api-key': k } = conv.utils.get_secret('db');\n  return [user, pw, k];\n}", 'javascript')).toEqual(['db: user(property), password(property), api-key(subscript)']);
    expect(keyed("function f(conv) {\n  const read = conv.utils.get_secret;\n  return read('db').user;\n}")).toEqual(['db: user(property)']);
    // A const holding the value, destructured afterwards (awaited too; an annotation on the pattern).
    expect(keyed("async function f(conv) {\n  const db = await conv.utils.get_secret('db');\n  const { user, password: pw, 'api-key': k } = db;\n  const { host }: Db = db;\n  return [user, pw, k, host, db.port];\n}")).toEqual([
      'db: user(property), password(property), api-key(subscript), host(property), port(property)',
    ]);
  });

  it("through a field a constructor or method sets to the value: this.X's keys in the class's methods", () => {
    const cls = (more: string) =>
      `class Crm {\n  private readonly creds: Creds;\n  constructor(conv) {\n    this.creds = conv.utils.get_secret('crm_oauth');\n  }\n${more}  cid() {\n    const { username } = this.creds;\n    return [this.creds.client_id, this.creds['client_secret'], this.creds.trim()];\n  }\n}\n`;
    expect(keyed(cls(''))).toEqual(['crm_oauth: username(property), client_id(property), client_secret(subscript)']);
    // Written again anywhere, on any object: anything may be there.
    for (const write of ['  reset() { this.creds = {}; }\n', '  add(x) { this.creds += x; }\n', '  other(o) { o.creds = {}; }\n']) expect(keyed(cls(write)), write).toEqual(['crm_oauth: ']);
    // Another class's this.creds is another object.
    expect(keyed(`${cls('')}class Other {\n  cid() { return this.creds.other; }\n}\n`)).toEqual(['crm_oauth: username(property), client_id(property), client_secret(subscript)']);
  });

  it('through a helper of the file whose every return is a read: on the call, through a const, as a pattern; an arrow; a method through this', () => {
    const sorted = (list: string[]) => list.map((x) => x.replace(/: (.*)$/, (_, k: string) => `: ${k.split(', ').sort().join(', ')}`));
    expect(sorted(keyed("function creds(conv) {\n  return conv.utils.get_secret('db');\n}\nexport function f(conv) {\n  const c = creds(conv);\n  return [c.user, c['password'], creds(conv).host];\n}\n"))).toEqual([
      'db: host(property), password(subscript), user(property)',
    ]);
    expect(keyed("const creds = (conv) => conv.utils.get_secret('db');\nexport async function f(conv) {\n  const c = await creds(conv);\n  const { user } = c;\n  return user;\n}\n")).toEqual(['db: user(property)']);
    expect(keyed("class Client {\n  constructor(conv) { this.conv = conv; }\n  creds() { return this.conv.utils.get_secret('crm'); }\n  call() {\n    const c = this.creds();\n    return c.client_id;\n  }\n}\n")).toEqual(['crm: client_id(property)']);
    // A return per environment: both reads; a name computed by conv.env: each candidate's.
    expect(keyed("function creds(conv) {\n  if (conv.env === 'live') {\n    return conv.utils.get_secret('db_live');\n  }\n  return conv.utils.get_secret('db_test');\n}\nexport async function f(conv) {\n  const { user } = await creds(conv);\n  return user;\n}\n")).toEqual(['db_live: user(property)', 'db_test: user(property)']);
    const computed = scanOrThrow("function creds(conv) {\n  const n = conv.env === 'live' ? 'db_live' : 'db_test';\n  return conv.utils.get_secret(n);\n}\nexport function f(conv) {\n  return creds(conv).user;\n}\n", 'javascript').references;
    expect(computed.map((r) => [r.candidates?.map((c) => c.name), r.keys.map((k) => k.key)])).toEqual([[['db_live', 'db_test'], ['user']]]);
  });

  it('a helper is not followed where what it returns is not one known secret for every caller', () => {
    const call = 'export function f(conv) {\n  const c = creds(conv);\n  return c.user;\n}\n';
    // Its name from a parameter, another return, a let that may be given another function.
    expect(keyed(`function creds(conv, name) {\n  return conv.utils.get_secret(name);\n}\n${call}creds(conv, 'api');\n`)).toEqual(['null: ']);
    expect(keyed(`function creds(conv) {\n  if (conv.env === 'live') return conv.utils.get_secret('db');\n  return {};\n}\n${call}`)).toEqual(['db: ']);
    expect(keyed(`let creds = (conv) => conv.utils.get_secret('db');\n${call}`)).toEqual(['db: ']);
    // Another object's method of the same name; a const given something else after the call.
    expect(keyed("class A {\n  creds() { return conv.utils.get_secret('db'); }\n}\nfunction f(o) {\n  const c = o.creds();\n  return c.nope;\n}\n")).toEqual(['db: ']);
  });

  it('no key from a pattern: a let pattern, a value after the name, another value of the same name', () => {
    expect(keyed("function f(conv) {\n  const db = conv.utils.get_secret('db');\n  let { user } = db;\n  const { pw } = db || {};\n  const { other } = g(db);\n  return [user, pw, other];\n}")).toEqual(['db: ']);
    expect(keyed("function f(conv) {\n  const db = conv.utils.get_secret('db');\n  function g(db) { const { inner } = db; return inner; }\n  return g;\n}")).toEqual(['db: ']);
  });

  it('no key: a method call, a string property, a write, a let, a name shadowed, another value of the same name', () => {
    expect(keyed("function f(conv) {\n  const t = conv.utils.get_secret('tok');\n  return t.trim() + t.length + t?.slice(1) + conv.utils.get_secret('tok').toUpperCase();\n}")).toEqual(['tok: ', 'tok: ']);
    expect(keyed("function f(conv) {\n  const c = conv.utils.get_secret('db');\n  c['set'] = 1;\n  c.other = 2;\n  c.count += 1;\n  return c.user;\n}")).toEqual(['db: user(property)']);
    expect(keyed("function f(conv) {\n  let c = conv.utils.get_secret('db');\n  c = {};\n  return c.user;\n}")).toEqual(['db: ']);
    expect(keyed("function f(conv) {\n  const c = conv.utils.get_secret('db');\n  function g(c) { return c.inner; }\n  return c.outer;\n}")).toEqual(['db: outer(property)']);
    expect(keyed("function f(conv) {\n  const c = conv.utils.get_secret('db') || {};\n  return c.user;\n}")).toEqual(['db: ']);
  });

  it('completes a key in the literal, reports an unknown key and a key of a single value, and hovers the key', () => {
    const m = VaultModel.fromSnapshot(snapshot());
    const typed = doc("function f(conv) {\n  return conv.utils.get_secret('google_oauth')['|", `${BOOKING}/a.ts`, 'typescript');
    const list = complete(typed.doc, typed.result, m, typed.cursor, { editRangeDefault: true, dataDefault: true });
    expect(list?.items.map((i) => i.label)).toEqual(['client_id', 'client_secret']);
    const source = "function f(conv) {\n  const g = conv.utils.get_secret('google_oauth');\n  return [g.client_id, g.client_secert, conv.utils.get_secret('stripe_key').user];\n}\n";
    const d = doc(source, `${BOOKING}/a.ts`, 'typescript');
    const found = computeDiagnostics(d.doc, d.result, m).map((x) => `${x.code}:${textOf(d.doc, x.range)}`);
    expect(found).toContain('unknown-key:client_secert');
    expect(found).toContain('not-a-mapping:user');
    expect(found.filter((x) => x.includes('client_id'))).toEqual([]);
    // JavaScript gives undefined where Python raises: the message says so.
    expect(computeDiagnostics(d.doc, d.result, m).find((x) => x.code === 'not-a-mapping')?.message).toBe(
      "Secret 'stripe_key' is a single value: get_secret returns a string, so .user is undefined at run time.",
    );
    const h = hover(d.doc, d.result, m, source.indexOf('client_id') + 2);
    expect((h?.contents as { value: string }).value).toContain('client_id');
  });
});

describe('quick fixes on a key read as a property', () => {
  it("did-you-mean keeps `.k` for an identifier and writes ['k'] for any other key; a single value's `.k` is removed", async () => {
    const { codeActions } = await import('../../../server/src/service/features/codeActions');
    const m = VaultModel.fromSnapshot(snapshot({ secrets: [
      { name: 'google_oauth', description: '', kind: 'kv', keys: ['client_id', 'client-secret'], agents: ['booking-agent'] },
      { name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['booking-agent'] },
    ] }));
    const source = "function f(conv) {\n  const g = conv.utils.get_secret('google_oauth');\n  return [g.client_di, g?.client_secret, conv.utils.get_secret('stripe_key').user];\n}\n";
    const d = doc(source, `${BOOKING}/a.ts`, 'typescript');
    const diags = computeDiagnostics(d.doc, d.result, m);
    const fix = (text: string) => {
      const diag = diags.find((x) => textOf(d.doc, x.range) === text)!;
      expect(diag, text).toBeDefined();
      const action = codeActions(d.doc, d.result, m, [diag])[0]!;
      const edit = Object.values(action.edit!.changes!)[0]![0]!;
      return `${action.title} => ${textOf(d.doc, edit.range)} -> ${edit.newText}`;
    };
    expect(fix('client_di')).toBe("Change to 'client_id' => client_di -> client_id");
    expect(fix('client_secret')).toBe(`Change to 'client-secret' => ?.client_secret -> ?.["client-secret"]`);
    expect(fix('user')).toBe("Read 'stripe_key' as a string => .user -> ");
  });
});
