// The JavaScript / TypeScript name-set resolver through the scanner, as the language server runs it:
// a computed read (`process.env[…]`, `x.get_secret(…)`) gets the exact set of names it can take,
// each with the literal it is written in, the tests that choose it and its environments, or stays
// unknown and names the part that is. Spans are checked by slicing the text.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { codeActions } from '../../../server/src/service/features/codeActions';
import { computeDiagnostics } from '../../../server/src/service/features/diagnostics';
import { jsModuleNames, resolverErrors } from '../../../server/src/service/javascript/jsNameSets';
import { envModel } from '../computedNamesHelpers';
import { BOOKING, doc, textOf } from '../vaultFixture';
import type { SecretReference } from '../../../server/src/service/scan/types';

type Lang = 'javascript' | 'typescript';

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The one read whose name is not a literal. */
function computed(source: string, language: Lang = 'typescript'): SecretReference {
  const reads = scanOrThrow(source, language).references.filter((r) => r.name === null);
  expect(reads).toHaveLength(1);
  return reads[0]!;
}

/** Each candidate as [name, its literal as written, its environments, its tests as [text, holds, the text at the span]]. */
function candidates(source: string, language: Lang = 'typescript'): unknown[] {
  const read = computed(source, language);
  expect(read.unresolved).toBeUndefined();
  return (read.candidates ?? []).map((c) => [
    c.name,
    source.slice(c.literal.start, c.literal.end),
    c.environments,
    c.when.map((w) => [w.text, w.holds, collapse(source.slice(w.span.start, w.span.end))]),
  ]);
}

/** The part a read that does not resolve names, checked against its span. */
function unresolved(source: string, language: Lang = 'typescript'): string {
  const read = computed(source, language);
  expect(read.candidates).toBeUndefined();
  const part = read.unresolved!;
  expect(part).toBeDefined();
  expect(collapse(source.slice(part.span.start, part.span.end))).toBe(part.text.endsWith('…') ? collapse(source.slice(part.span.start, part.span.end)) : part.text);
  return part.text;
}

const IN_LIVE = ['live'];
const OUTSIDE_LIVE = ['sandbox', 'pre-release'];

describe('JS name sets: expressions', () => {
  it('a const bound to a literal, a template without placeholders, parentheses', () => {
    expect(candidates("const NAME = 'acme_api';\nprocess.env[NAME];")).toEqual([['acme_api', "'acme_api'", null, []]]);
    expect(candidates('const NAME = `acme_api`;\nprocess.env[(NAME)];')).toEqual([['acme_api', '`acme_api`', null, []]]);
  });

  it('+ of known parts, and a template whose placeholders resolve', () => {
    expect(candidates("const PREFIX = 'ACME_';\nprocess.env[PREFIX + 'API_KEY'];")).toEqual([['ACME_API_KEY', "'ACME_'", null, []]]);
    expect(candidates("const SVC = 'acme';\nprocess.env[`${SVC}_${'token'}`];")).toEqual([['acme_token', '`${SVC}_${\'token\'}`', null, []]]);
    expect(candidates("const v = 2;\nprocess.env['API_V' + 2];")).toEqual([['API_V2', "'API_V'", null, []]]);
  });

  it('a conditional on conv.env: each name in the environments it is taken in', () => {
    const source = "export function f(conv) {\n  return process.env[conv.env === 'live' ? 'x_prod_api' : 'x_uat_api'];\n}";
    expect(candidates(source, 'javascript')).toEqual([
      ['x_prod_api', "'x_prod_api'", IN_LIVE, [["conv.env === 'live'", true, "conv.env === 'live'"]]],
      ['x_uat_api', "'x_uat_api'", OUTSIDE_LIVE, [["conv.env === 'live'", false, "conv.env === 'live'"]]],
    ]);
  });

  it('!==, includes, !, && / ||, toLowerCase and pre_release', () => {
    expect(candidates("process.env[conv.env !== 'live' ? 'uat' : 'prod'];").map((c) => (c as unknown[])[2])).toEqual([OUTSIDE_LIVE, IN_LIVE]);
    expect(candidates("process.env[['sandbox', 'pre_release'].includes(conv.env) ? 'uat' : 'prod'];").map((c) => (c as unknown[])[2])).toEqual([OUTSIDE_LIVE, IN_LIVE]);
    expect(candidates("process.env[!(conv.env.toLowerCase() == 'live') ? 'uat' : 'prod'];").map((c) => (c as unknown[])[2])).toEqual([OUTSIDE_LIVE, IN_LIVE]);
    expect(candidates("process.env[conv.env === 'sandbox' || conv.env === 'pre-release' ? 'uat' : 'prod'];").map((c) => (c as unknown[])[2])).toEqual([OUTSIDE_LIVE, IN_LIVE]);
  });

  it('another environment the file tests (draft) joins the others; a branch no environment takes is dropped', () => {
    const source = "const env = conv.env;\nconst name = env === 'draft' ? 'x_draft' : env === 'live' ? 'x_prod' : 'x_uat';\nprocess.env[name];";
    expect(candidates(source).map((c) => [(c as unknown[])[0], (c as unknown[])[2]])).toEqual([
      ['x_draft', ['draft']],
      ['x_prod', ['live']],
      ['x_uat', OUTSIDE_LIVE],
    ]);
    const dead = "process.env[conv.env === 'live' ? (conv.env === 'sandbox' ? 'never' : 'prod') : 'uat'];";
    expect(candidates(dead).map((c) => (c as unknown[])[0])).toEqual(['prod', 'uat']);
  });

  it('a conditional on anything else is labelled with its test, whitespace collapsed', () => {
    expect(candidates("process.env[conv.state.useV2 &&\n    flags.on ? 'acme_v2' : 'acme'];")).toEqual([
      ['acme_v2', "'acme_v2'", null, [['conv.state.useV2 && flags.on', true, 'conv.state.useV2 && flags.on']]],
      ['acme', "'acme'", null, [['conv.state.useV2 && flags.on', false, 'conv.state.useV2 && flags.on']]],
    ]);
  });

  it('|| and ?? defaults: the default only where the left side may be missing or empty', () => {
    expect(candidates("process.env['acme' || 'never'];")).toEqual([['acme', "'acme'", null, []]]);
    expect(candidates("process.env['' || 'fallback'];")).toEqual([['fallback', "'fallback'", null, []]]);
    // An empty name is no name: nothing is left to check.
    expect(unresolved("process.env['' ?? 'never'];")).toBe("'' ?? 'never'");
  });

  it('as const, satisfies and the non-null assertion are see-through', () => {
    expect(candidates("const N = 'acme' as const;\nprocess.env[N!];")).toEqual([['acme', "'acme'", null, []]]);
    expect(candidates("const N = ('acme' satisfies string);\nprocess.env[N as string];")).toEqual([['acme', "'acme'", null, []]]);
  });

  it('toUpperCase() and String(x) change or keep the names', () => {
    expect(candidates("const svc = flag ? 'acme' : 'other';\nprocess.env[String(svc).toUpperCase() + '_KEY'];").map((c) => (c as unknown[])[0])).toEqual(['ACME_KEY', 'OTHER_KEY']);
  });

  it('get_secret member calls resolve too', () => {
    expect(candidates("const n = conv.env == 'live' ? 'p' : 'u';\nawait conv.utils.get_secret(n);", 'javascript').map((c) => (c as unknown[])[0])).toEqual(['p', 'u']);
  });
});

describe('JS name sets: tables', () => {
  it('an object indexed by conv.env: each value in its key\'s environment', () => {
    const source = "const NAMES = { live: 'x_prod_api', sandbox: 'x_dev_api', 'pre_release': 'x_pre_api' };\nexport const f = (conv) => process.env[NAMES[conv.env]];";
    expect(candidates(source, 'javascript')).toEqual([
      ['x_prod_api', "'x_prod_api'", ['live'], [["conv.env === 'live'", true, 'live']]],
      ['x_dev_api', "'x_dev_api'", ['sandbox'], [["conv.env === 'sandbox'", true, 'sandbox']]],
      ['x_pre_api', "'x_pre_api'", ['pre-release'], [["conv.env === 'pre_release'", true, "'pre_release'"]]],
    ]);
  });

  it('NAMES[conv.env] ?? a default: the default in the environments with no key', () => {
    const source = "const NAMES = { live: 'x_prod_api' } as const;\nprocess.env[NAMES[conv.env] ?? 'x_uat_api'];";
    expect(candidates(source)).toEqual([
      ['x_prod_api', "'x_prod_api'", IN_LIVE, [["conv.env === 'live'", true, 'live']]],
      ['x_uat_api', "'x_uat_api'", OUTSIDE_LIVE, [['!(conv.env in NAMES)', true, 'conv.env']]],
    ]);
  });

  it('a typed table indexed by anything: every value, labelled with its key; a default when the key is none', () => {
    const source = "const NAMES: Record<string, string> = {\n  primary: 'acme_primary',\n  backup: 'acme_backup',\n};\nfunction key(region: string) { return process.env[NAMES[region] || 'acme_default']; }";
    expect(candidates(source)).toEqual([
      ['acme_primary', "'acme_primary'", null, [["region === 'primary'", true, 'primary']]],
      ['acme_backup', "'acme_backup'", null, [["region === 'backup'", true, 'backup']]],
      ['acme_default', "'acme_default'", null, [['!(region in NAMES)', true, 'region']]],
    ]);
  });

  it('a known key picks its entry; a member reads one entry; an array table by anything', () => {
    expect(candidates("const T = { a: 'x_a', b: 'x_b' };\nconst k = flag ? 'a' : 'c';\nprocess.env[T[k] ?? 'x_none'];").map((c) => (c as unknown[])[0])).toEqual(['x_a', 'x_none']);
    expect(candidates("const T = Object.freeze({ live: 'x_live' });\nprocess.env[T.live];")).toEqual([['x_live', "'x_live'", null, []]]);
    expect(candidates("const KEYS = ['k1', 'k2'] as const;\nprocess.env[KEYS[i]];").map((c) => (c as unknown[]).slice(0, 2))).toEqual([
      ['k1', "'k1'"],
      ['k2', "'k2'"],
    ]);
  });

  it('TypeScript: a table indexed by conv.env cast with as keyof typeof, and an enum of names', () => {
    const source = "const NAMES = { live: 'x_prod', sandbox: 'x_dev' } as const;\nprocess.env[NAMES[conv.env as keyof typeof NAMES]];";
    expect(candidates(source).map((c) => [(c as unknown[])[0], (c as unknown[])[2]])).toEqual([
      ['x_prod', ['live']],
      ['x_dev', ['sandbox']],
    ]);
    const enumSource = "const enum Secret {\n  Live = 'x_prod',\n  Uat = 'x_uat',\n}\nprocess.env[conv.env === 'live' ? Secret.Live : Secret.Uat];";
    expect(candidates(enumSource)).toEqual([
      ['x_prod', "'x_prod'", IN_LIVE, [["conv.env === 'live'", true, "conv.env === 'live'"]]],
      ['x_uat', "'x_uat'", OUTSIDE_LIVE, [["conv.env === 'live'", false, "conv.env === 'live'"]]],
    ]);
    expect(unresolved('enum Level { Low, High }\nprocess.env[Level[k]];')).toBe('Low');
  });

  it('a Map of names read with get, and a default after it', () => {
    const source = "const NAMES = new Map<string, string>([\n  ['live', 'x_prod'],\n  ['sandbox', 'x_dev'],\n]);\nprocess.env[NAMES.get(conv.env) ?? 'x_uat'];";
    expect(candidates(source)).toEqual([
      ['x_prod', "'x_prod'", IN_LIVE, [["conv.env === 'live'", true, "'live'"]]],
      ['x_dev', "'x_dev'", ['sandbox'], [["conv.env === 'sandbox'", true, "'sandbox'"]]],
      ['x_uat', "'x_uat'", ['pre-release'], [['!(conv.env in NAMES)', true, 'conv.env']]],
    ]);
    expect(unresolved("process.env[conv.state.get('api')];")).toBe("conv.state.get('api')");
    expect(unresolved("process.env[req.query['name']];")).toBe("req.query['name']");
  });

  it('a table changed in place, spread or with a computed key that is no known string is not followed', () => {
    expect(unresolved("const T = { a: 'x' };\nT.b = 'y';\nprocess.env[T[k]];")).toBe('T');
    expect(unresolved("const T = { ...BASE, a: 'x' };\nprocess.env[T[k]];")).toBe('...BASE');
    expect(unresolved("const T = { [K]: 'x' };\nprocess.env[T[k]];")).toBe('[K]');
  });
});

describe('JS name sets: functions and parameters', () => {
  it('a helper whose returns resolve, each under the tests on its way (conv.env passed in)', () => {
    const source =
      "function secretName(env: string): string {\n  if (env === 'live') return 'x_prod_api';\n  return 'x_uat_api';\n}\nexport async function run(conv: Conv) {\n  return process.env[secretName(conv.env)];\n}";
    expect(candidates(source)).toEqual([
      ['x_prod_api', "'x_prod_api'", IN_LIVE, [["env === 'live'", true, "env === 'live'"]]],
      ['x_uat_api', "'x_uat_api'", OUTSIDE_LIVE, [["env === 'live'", false, "env === 'live'"]]],
    ]);
  });

  it('an arrow bound to a const, with an expression body and a parameter bound to the call\'s argument', () => {
    const source = "const pick = (live: boolean) => live ? 'acme_prod' : 'acme_uat';\nprocess.env[pick(flag)];";
    expect(candidates(source)).toEqual([
      ['acme_prod', "'acme_prod'", null, [['live', true, 'live']]],
      ['acme_uat', "'acme_uat'", null, [['live', false, 'live']]],
    ]);
    expect(candidates("const name = (svc) => `${svc}_token`;\nprocess.env[name('acme')];", 'javascript')).toEqual([['acme_token', '`${svc}_token`', null, []]]);
  });

  it('a parameter read inside its function: every call site\'s argument', () => {
    const source = "function read(name) {\n  return process.env[name];\n}\nread('acme_a');\nread(flag ? 'acme_b' : 'acme_a');\nread(B);\nconst B = 'acme_c';";
    expect(candidates(source, 'javascript')).toEqual([
      ['acme_a', "'acme_a'", null, []],
      ['acme_b', "'acme_b'", null, [['flag', true, 'flag']]],
      ['acme_c', "'acme_c'", null, []],
    ]);
  });

  it('a default parameter value counts where a call leaves it out', () => {
    expect(candidates("function read(name = 'acme_default') { return process.env[name]; }\nread();\nread('acme_x');", 'javascript').map((c) => (c as unknown[])[0])).toEqual(['acme_default', 'acme_x']);
  });

  it('a parameter holding conv.env at every call labels the tests on it with environments', () => {
    const source = "function read(env) {\n  return process.env[env === 'live' ? 'p' : 'u'];\n}\nexport function a(conv) { return read(conv.env); }";
    expect(candidates(source, 'javascript').map((c) => [(c as unknown[])[0], (c as unknown[])[2]])).toEqual([
      ['p', IN_LIVE],
      ['u', OUTSIDE_LIVE],
    ]);
  });

  it('a block-bodied arrow with if / else returns', () => {
    const source = "const pick = (conv) => {\n  if (conv.env === 'live') {\n    return 'p';\n  } else {\n    return 'u';\n  }\n};\nprocess.env[pick(c)];";
    expect(candidates(source, 'javascript').map((c) => [(c as unknown[])[0], (c as unknown[])[2]])).toEqual([
      ['p', IN_LIVE],
      ['u', OUTSIDE_LIVE],
    ]);
  });
});

describe('JS name sets: let and var', () => {
  it('assigned in an if / else if / else chain before the read', () => {
    const source =
      "export function run(conv) {\n  let name;\n  if (conv.env === 'live') {\n    name = 'x_prod';\n  } else if (conv.env === 'pre-release') name = 'x_pre';\n  else {\n    name = 'x_dev';\n  }\n  return process.env[name];\n}";
    expect(candidates(source, 'javascript')).toEqual([
      ['x_prod', "'x_prod'", IN_LIVE, [["conv.env === 'live'", true, "conv.env === 'live'"]]],
      ['x_pre', "'x_pre'", ['pre-release'], [["conv.env === 'live'", false, "conv.env === 'live'"], ["conv.env === 'pre-release'", true, "conv.env === 'pre-release'"]]],
      ['x_dev', "'x_dev'", ['sandbox'], [["conv.env === 'live'", false, "conv.env === 'live'"], ["conv.env === 'pre-release'", false, "conv.env === 'pre-release'"]]],
    ]);
  });

  it('a default overridden in one branch; a var never reassigned', () => {
    const source = "var name = 'x_uat';\nif (conv.env === 'live') name = 'x_prod';\nprocess.env[name];";
    expect(candidates(source, 'javascript').map((c) => [(c as unknown[])[0], (c as unknown[])[2]])).toEqual([
      ['x_uat', OUTSIDE_LIVE],
      ['x_prod', IN_LIVE],
    ]);
    expect(candidates("let n = 'acme';\nprocess.env[n];", 'javascript')).toEqual([['acme', "'acme'", null, []]]);
  });
});

describe('JS name sets: loops over tables', () => {
  it('for…of an array of names, Object.values and Object.keys of a table', () => {
    expect(candidates("const KEYS = ['acme_a', 'acme_b'] as const;\nfor (const k of KEYS) {\n  check(process.env[k]);\n}")).toEqual([
      ['acme_a', "'acme_a'", null, []],
      ['acme_b', "'acme_b'", null, []],
    ]);
    expect(candidates("const T = { a: 'acme_x', b: 'acme_y' };\nfor (const v of Object.values(T)) process.env[v];").map((c) => (c as unknown[])[0])).toEqual(['acme_x', 'acme_y']);
    expect(candidates("const T = { 'acme_x': 1, acme_y: 2 };\nfor (const k of Object.keys(T)) process.env[k];").map((c) => (c as unknown[]).slice(0, 2))).toEqual([
      ['acme_x', "'acme_x'"],
      ['acme_y', 'acme_y'],
    ]);
  });

  it('for…of an object, of an unknown list, or outside the loop stays unknown', () => {
    expect(unresolved("const T = { a: 'x' };\nfor (const k of T) process.env[k];")).toBe('T');
    expect(unresolved('for (const k of list) process.env[k];')).toBe('list');
    // The loop's variable is seen in the loop only.
    expect(candidates("const k = 'outer';\nfor (const k of list) {}\nprocess.env[k];")).toEqual([['outer', "'outer'", null, []]]);
  });
});

describe('JS name sets: switch', () => {
  it('a let assigned in the clauses of a switch on conv.env, with a default', () => {
    const source =
      "export function run(conv) {\n  let name = 'x_uat';\n  switch (conv.env) {\n    case 'live':\n      name = 'x_prod';\n      break;\n    case 'sandbox':\n    case 'draft':\n      name = 'x_dev';\n      break;\n    default:\n      name = 'x_other';\n  }\n  return process.env[name];\n}";
    expect(candidates(source, 'javascript')).toEqual([
      ['x_prod', "'x_prod'", IN_LIVE, [["conv.env === 'live'", true, "'live'"]]],
      ['x_dev', "'x_dev'", ['sandbox', 'draft'], [["conv.env === 'live'", false, "'live'"], ["conv.env === 'sandbox' || conv.env === 'draft'", true, "'sandbox': case 'draft'"]]],
      ['x_other', "'x_other'", ['pre-release'], [["conv.env === 'live'", false, "'live'"], ["conv.env === 'sandbox' || conv.env === 'draft'", false, "'sandbox': case 'draft'"]]],
    ]);
  });

  it('without a default the value before the switch stays where no label holds', () => {
    const source = "let name = 'x_uat';\nswitch (conv.env) { case 'live': name = 'x_prod'; break; }\nprocess.env[name];";
    expect(candidates(source, 'javascript').map((c) => [(c as unknown[])[0], (c as unknown[])[2]])).toEqual([
      ['x_uat', OUTSIDE_LIVE],
      ['x_prod', IN_LIVE],
    ]);
  });

  it('a helper returning from the clauses of a switch on a flag', () => {
    const source = "function pick(kind) {\n  switch (kind) {\n    case 'a': return 'acme_a';\n    default: return 'acme_b';\n  }\n}\nprocess.env[pick(k)];";
    expect(candidates(source, 'javascript')).toEqual([
      ['acme_a', "'acme_a'", null, [["kind === 'a'", true, "'a'"]]],
      ['acme_b', "'acme_b'", null, [["kind === 'a'", false, "'a'"]]],
    ]);
  });

  it('a clause that falls into the next is not followed', () => {
    expect(unresolved("let n = 'a';\nswitch (k) { case 1: n = 'b'; case 2: n = 'c'; break; }\nprocess.env[n];")).toBe("n = 'b'");
  });

  it('a test through a parameter adds its environments to the file\'s', () => {
    const source = "function pick(env) {\n  if (env === 'live') return 'p';\n  if (['draft'].includes(env)) return 'd';\n  return 'u';\n}\nprocess.env[pick(conv.env)];";
    expect(candidates(source, 'javascript').map((c) => [(c as unknown[])[0], (c as unknown[])[2]])).toEqual([
      ['p', IN_LIVE],
      ['d', ['draft']],
      ['u', OUTSIDE_LIVE],
    ]);
  });
});

describe('JS name sets: what stays unknown names the part', () => {
  it('input, unknown calls and members', () => {
    expect(unresolved('process.env[req.query.name];')).toBe('req.query.name');
    expect(unresolved("process.env[flag ? 'a' : lookup(x)];")).toBe('lookup(x)');
    expect(unresolved("process.env['acme_' + region];")).toBe('region');
    expect(unresolved('process.env[`acme_${region}`];')).toBe('region');
    expect(unresolved('import { NAME } from "./names";\nprocess.env[NAME];')).toBe('NAME');
  });

  it('a let reassigned from input, in a loop or after the read', () => {
    expect(unresolved("let n = 'a';\nn = input.name;\nprocess.env[n];")).toBe('input.name');
    expect(unresolved("let n = 'a';\nfor (const x of xs) n = x;\nprocess.env[n];")).toBe('x');
    expect(unresolved("let n = 'a';\nconst f = () => process.env[n];\nn = 'b';")).toBe("n = 'b'");
  });

  it('a parameter with one unknown call site, passed on, or never called', () => {
    expect(unresolved("function read(name) { return process.env[name]; }\nread('a');\nread(req.body.name);")).toBe('req.body.name');
    expect(unresolved("function read(name) { return process.env[name]; }\nread('a');\nhandlers.push(read);")).toBe('read');
    expect(unresolved('function read(name) { return process.env[name]; }')).toBe('name');
    // A callback's parameter over a container that does not resolve (over literals it does: the corpus).
    expect(unresolved("const read = (name) => process.env[name];\nlist.map((n) => read(n));")).toBe('list');
  });

  it('a parameter assigned in its function is not the argument any more', () => {
    expect(unresolved("function read(name) {\n  name = name + '_X';\n  return process.env[name];\n}\nread('a');")).toBe('name');
    expect(unresolved("function read(env) {\n  env = other;\n  return process.env[env === 'live' ? 'p' : 'u' + env];\n}\nread(conv.env);")).toBe('env');
  });

  it('an exported function may be called from another module with anything: its calls here are checked, and the read is open', () => {
    for (const source of ["export function read(name) { return process.env[name]; }\nread('a');", "export const read = (name) => process.env[name];\nread('a');"]) {
      const read = computed(source, 'typescript');
      expect(read.candidates?.map((c) => c.name)).toEqual(['a']);
      expect(read.open?.text).toBe('name');
    }
    // Nothing shown (no call here, no default): unknown, naming the parameter.
    expect(unresolved('export function read(name) { return process.env[name]; }')).toBe('name');
  });

  it('writes the resolver must not miss: the target of a loop, a destructuring, an array changed by a method', () => {
    expect(unresolved("let n = 'a';\nfor (n of list) {}\nprocess.env[n];")).toBe('n of list');
    expect(unresolved("let n = 'a';\n[n] = input;\nprocess.env[n];")).toBe('n');
    // Pushed to: its elements are iterated, never indexed (which one `i` picks is not followed).
    expect(unresolved("const KEYS = ['a'];\nKEYS.push(input);\nprocess.env[KEYS[i]];")).toBe('KEYS[i]');
    expect(unresolved("const T = { a: 'x' };\nObject.assign(T, input);\nprocess.env[T[k]];")).toBe('T');
  });

  it('a var is seen in its whole function, so it hides an outer constant of the same name', () => {
    expect(candidates("const n = 'outer';\nfunction f(flag) {\n  if (flag) { var n = 'inner'; }\n  return process.env[n];\n}").map((c) => (c as unknown[])[0])).toEqual(['inner']);
  });

  it('a shadowing binding hides the outer constant', () => {
    expect(unresolved("const NAME = 'acme';\nfunction f({ NAME }) { return process.env[NAME]; }")).toBe('NAME');
    expect(unresolved("const NAME = 'acme';\nitems.forEach((NAME) => process.env[NAME]);")).toBe('items');
    expect(unresolved("const NAME = 'acme';\ntry {} catch (NAME) { process.env[NAME]; }")).toBe('NAME');
  });

  it('recursion and cycles stop', () => {
    expect(unresolved('function f(n) { return n ? f(n) : f(n); }\nprocess.env[f(x)];')).toBe('f(n)');
    expect(unresolved('const a = b;\nconst b = a;\nprocess.env[a];')).toBe('a');
  });

  it('a long part is capped', () => {
    const text = unresolved(`process.env[${'someObject.'.repeat(10)}name];`);
    expect(text.length).toBe(60);
    expect(text.endsWith('…')).toBe(true);
  });

  it('half-typed code is neither resolved nor marked unknown', () => {
    const read = scanOrThrow("process.env[flag ? 'a", 'typescript').references[0]!;
    expect(read.candidates).toBeUndefined();
    expect(read.unresolved).toBeUndefined();
  });
});

describe('JS name sets: which parameters an exported function\'s template marks', () => {
  /** The template jsModuleNames gives `export function f(conv, p) { <body> }`: each name with its marks as <k>; null when it gives none. */
  const template = (body: string, params = 'conv, p'): string[] | null => {
    const names = jsModuleNames(`export function f(${params}) {\n${body}\n}\n`, true);
    const key = [...names.keys()].find((k) => k.startsWith('f(') && k !== 'f()');
    return key === undefined ? null : names.get(key)!.map((c) => c.name.replace(/\uE000p(\d+)P\uE001/g, '<$1>'));
  };

  it('a parameter only joined into what the function returns', () => {
    expect(template('return `${p}_api`;')).toEqual(['<1>_api']);
    expect(template("return 'x_' + p + '_key';")).toEqual(['x_<1>_key']);
    expect(template("return String(p) + '_key';")).toEqual(['<1>_key']);
    expect(template("return conv.env === 'live' ? `${p}_prod` : (p + '_uat');")?.sort()).toEqual(['<1>_prod', '<1>_uat']);
    expect(template("if (conv.env === 'live') return `${p}_live`;\nreturn 'shared_test';")).toEqual(['<1>_live', 'shared_test']);
    const arrow = jsModuleNames("export const g = (conv, service: string) => `${service}_${conv.env === 'live' ? 'prod' : 'uat'}`;\n", true);
    expect([...arrow.keys()]).toEqual(['g(conv, service)']);
  });

  it('no template where the parameter is tested, looked up, changed, passed on or spread', () => {
    for (const body of [
      "return p.toLowerCase() + '_key';",
      "return (p + '_key').toUpperCase();",
      "return p.slice(0, 3) + '_key';",
      'return NAMES[p];',
      "return p === 'crm' ? 'a_key' : p;",
      "return p ? 'a_key' : 'b_key';",
      "return p ?? 'default_key';",
      "return p || 'default_key';",
      'return tag`${p}_key`;',
      "return (p as string) + '_key';",
      "return helper(p) + '_key';",
      "return [p][0] + '_key';",
      "return { p }.p + '_key';",
      "const q = p.trim();\nreturn q + '_key';",
      "console.log(p);\nreturn p + '_key';",
      "p = p.trim();\nreturn p + '_key';",
    ]) {
      expect(template(body), body).toBeNull();
    }
    // Each read is checked along its expression: 20,000 of them would take that many walks of it.
    expect(template(`return ${'p + '.repeat(20_000)}'_key';`)).toBeNull();
    expect(template("return `${p}_key`;", 'conv, ...p')).toBeNull();
    expect(template("return `${p}_key`;", '{ p }')).toBeNull();
  });
});

describe('JS name sets: bounds', () => {
  it('a product over 64 names stays unknown', () => {
    const parts = Array.from({ length: 7 }, (_, i) => `const p${i} = f ? 'a${i}' : 'b${i}';`).join('\n');
    const sum = Array.from({ length: 7 }, (_, i) => `p${i}`).join(' + ');
    expect(unresolved(`${parts}\nprocess.env[${sum}];`)).toBe(sum);
  });

  it('a name bound in thousands of functions resolves at every read, within the budget', () => {
    const fns = Array.from({ length: 3000 }, (_, i) => `function f${i}(conv, name) { return process.env[name]; }\nf${i}(conv, 'acme_${i}');`);
    const reads = scanOrThrow(fns.join('\n'), 'javascript').references.filter((r) => r.name === null);
    expect(reads).toHaveLength(3000);
    expect(reads[0]!.candidates?.map((c) => c.name)).toEqual(['acme_0']);
    for (const [i, r] of reads.entries()) expect(r.candidates?.map((c) => c.name)).toEqual([`acme_${i}`]);
  });

  it('a chain of constants doubling at each step stays within the step budget', () => {
    const lines = ["const c0 = 'x';"];
    for (let i = 1; i < 200; i++) lines.push(`const c${i} = c${i - 1} + c${i - 1};`);
    const read = computed(`${lines.join('\n')}\nprocess.env[c199];`);
    expect(read.candidates ?? read.unresolved).toBeDefined();
  });
});

describe('JS name sets: half-typed code', () => {
  const sources = [
    "const NAMES = { live: 'x_prod_api', sandbox: 'x_dev_api' } as const;\nexport const f = (conv) => process.env[NAMES[conv.env] ?? `x_${'uat'}_api`];",
    "function pick(env: string): string {\n  if (env === 'live') { return 'p'; } else if (['a', 'b'].includes(env)) return 'q';\n  return flag ? 'r' : 's';\n}\nprocess.env[pick(conv.env)];\nread(pick(x));",
    "let name;\nif (conv.env === 'live') name = 'x_prod';\nelse { name = 'x_uat'; }\nconst g = (n = name) => process.env[n + '_KEY'];\ng(); g('other');",
    "class A { m(a, b) { return process.env[a || b]; } }\nconst T = Object.freeze(['k1', 'k2']);\nconn.get_secret(T[i]!.toUpperCase());",
  ];
  it('scans every prefix without an internal error, with every span inside the text', () => {
    const errors = resolverErrors.count;
    for (const source of sources) {
      for (let n = 0; n <= source.length; n++) {
        const text = source.slice(0, n);
        for (const language of ['javascript', 'typescript'] as const) {
          for (const read of scanOrThrow(text, language).references) {
            for (const c of read.candidates ?? []) {
              expect(c.literal.start >= 0 && c.literal.end <= text.length && c.literal.start < c.literal.end).toBe(true);
              for (const w of c.when) expect(w.span.end <= text.length).toBe(true);
            }
            if (read.unresolved) expect(read.unresolved.span.end <= text.length && read.unresolved.text.length > 0).toBe(true);
          }
        }
      }
    }
    expect(resolverErrors.count).toBe(errors);
  });

  it('reads random token soup without an internal error', () => {
    const words = [
      'process.env[', 'x.get_secret(', ']', ')', '(', '{', '}', '[', "'a'", '`t${', '}`', '?', ':', '??', '||', '&&', '+', '=', '==',
      '===', '!', ',', ';', '\n', 'const', 'let', 'var', 'function', 'f', 'g', 'n', 'conv.env', '=>', 'return', 'if', 'else',
      'switch', 'case', 'default', 'break', 'as const', 'NAMES', '.includes(', 'Object.freeze(', 'async', 'class', 'import', 'catch',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const errors = resolverErrors.count;
    for (let i = 0; i < 1500; i++) {
      const n = 5 + Math.floor(next() * 60);
      let text = '';
      for (let k = 0; k < n; k++) text += words[Math.floor(next() * words.length)] + (next() < 0.3 ? '' : ' ');
      text = text.replace(/\\n/g, '\n');
      scanOrThrow(text, next() < 0.5 ? 'javascript' : 'typescript');
    }
    expect(resolverErrors.count).toBe(errors);
  });
});

describe('JS name sets in the checks the editor shows', () => {
  const source =
    "const NAMES = { live: 'x_prod_api', sandbox: 'narvar_staging_api' } as const;\nexport async function run(conv: Conv) {\n  return conv.utils.get_secret(NAMES[conv.env] ?? 'x_uat_api');\n}\n";

  it('each failing name of a TypeScript read is reported with its environments; the fix edits its literal', () => {
    const d = doc(source, `${BOOKING}/functions/run.ts`, 'typescript');
    const found = computeDiagnostics(d.doc, d.result, envModel());
    expect(found.map((x) => [x.code, textOf(d.doc, x.range), x.message])).toEqual([
      ['unknown-secret', "NAMES[conv.env] ?? 'x_uat_api'", "In live: reads 'x_prod_api', which does not exist in the vault. Did you mean 'x_prod_apis'?"],
      ['not-granted', "NAMES[conv.env] ?? 'x_uat_api'", "In sandbox: reads 'narvar_staging_api', which is not granted to agent 'booking-agent' (granted to: support-agent)."],
    ]);
    const change = codeActions(d.doc, d.result, envModel(), [found[0]!]).find((a) => a.title === "Change to 'x_prod_apis'")!;
    const edit = change.edit!.changes![d.doc.uri]![0]!;
    expect([textOf(d.doc, edit.range), edit.newText]).toEqual(['x_prod_api', 'x_prod_apis']);
    // With sandbox chosen, only the sandbox name's problem.
    expect(computeDiagnostics(d.doc, d.result, envModel({ environment: 'sandbox' })).map((x) => x.code)).toEqual(['not-granted']);
  });
});

describe('JS name sets on real code', () => {
  function* sources(dir: string): Generator<string> {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) yield* sources(p);
      } else if (/\.(ts|tsx|js|mjs)$/.test(entry.name)) yield p;
    }
  }
  const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');

  it("reads the repository's own TypeScript and JavaScript without an internal error", () => {
    const errors = resolverErrors.count;
    let files = 0;
    for (const dir of ['server/src', 'client/src', 'vault/src', 'webview/src', 'protocol', 'scripts', 'test', 'bench']) {
      for (const file of sources(path.join(root, dir))) {
        scanOrThrow(readFileSync(file, 'utf8'), /\.m?js$/.test(file) ? 'javascript' : 'typescript');
        files++;
      }
    }
    expect(files).toBeGreaterThan(300);
    expect(resolverErrors.count).toBe(errors);
  });

  it("pg's connection parameters: PG + each key its helper is called with, upper-cased", () => {
    const file = path.join(root, 'node_modules/pg/lib/connection-parameters.js');
    const text = readFileSync(file, 'utf8');
    const reads = scanOrThrow(text, 'javascript').references.filter((r) => r.name === null);
    const byKey = reads.find((r) => text.slice(r.literal.span.start, r.literal.span.end).startsWith("'PG' +"))!;
    expect(byKey.candidates?.slice(0, 4).map((c) => c.name)).toEqual(['PGUSER', 'PGDATABASE', 'PGPORT', 'PGHOST']);
    // Each name's literal is the key at its call (`val('user', config)`), the part that varies.
    expect(byKey.candidates?.slice(0, 2).map((c) => text.slice(c.literal.start, c.literal.end))).toEqual(["'user'", "'database'"]);
    // `process.env[envVar]` after `envVar = …` in the same function: the argument is gone.
    const byParameter = reads.find((r) => text.slice(r.literal.span.start, r.literal.span.end) === 'envVar')!;
    expect(byParameter.unresolved?.text).toBe('envVar');
  });
});
