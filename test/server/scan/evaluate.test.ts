// The language-neutral evaluator core (server/src/service/evaluate/), on its own: the sets of
// environments past the first 32 (two numbers), the string-method table's spellings, the bounded
// product, candidates made of alternatives, and what a failure quotes. Both front ends read their
// languages into these; their own tests (nameSets*, jsNameSets*) cover the languages.

import { describe, expect, it } from 'vitest';
import { toCandidates, forgetNames } from '../../../server/src/service/evaluate/candidates';
import { join, stringMethod, under } from '../../../server/src/service/evaluate/combine';
import { complement, environmentNames, environmentSet, intersect, noEnvironment, union, universeFrom } from '../../../server/src/service/evaluate/envSet';
import { newShared, type Evaluation, Unresolved, MAX_ENVIRONMENTS, MAX_NAMES } from '../../../server/src/service/evaluate/evaluation';
import { type Alternative, type Cond, type EnvSet, NO_CONDS } from '../../../server/src/service/evaluate/values';
import { TokenBuffer } from '../../../server/src/service/scan/tokens';
import { lexPython } from '../../../server/src/service/python/pythonLexer';
import { scanOrThrow } from '../../../server/src/service/analyze';

/** An evaluation over `text` whose universe is ENVIRONMENTS and `others`. */
function evaluation(text: string, others: string[] = []): Evaluation {
  const buf = new TokenBuffer();
  lexPython(text, buf);
  return {
    src: { text, buf },
    universe: null,
    universeIndex: null,
    findUniverse: () => {
      const u = universeFrom();
      for (const env of others) u.add(env);
      return u.list;
    },
    steps: 1_000_000,
    shared: newShared(),
  };
}

function alt(name: string | null, start: number, env: EnvSet | null = null, when: readonly Cond[] = NO_CONDS): Alternative {
  return { name, literal: { start, end: start + 1 }, when, env };
}

describe('evaluate/: the evaluator both front ends share', () => {
  it('keeps sets of environments past the first 32 exact, in the universe order', () => {
    const many = Array.from({ length: 40 }, (_, k) => `env_${k}`);
    const r = evaluation('x', many);
    const live = environmentSet(r, 'live');
    const far = environmentSet(r, 'env_38'); // the 42nd environment: in the second number
    const both = union(live, far);
    expect(typeof far).toBe('object');
    expect(environmentNames(r, both)).toEqual(['live', 'env_38']);
    expect(environmentNames(r, intersect(both, far)!)).toEqual(['env_38']);
    expect(noEnvironment(intersect(live, far)!)).toBe(true);
    const rest = complement(r, both);
    expect(environmentNames(r, rest)).toHaveLength(3 + 40 - 2);
    expect(environmentNames(r, rest)).not.toContain('env_38');
    // A new one is added at the universe's end; past MAX_ENVIRONMENTS the read is too large.
    expect(environmentNames(r, environmentSet(r, 'staging'))).toEqual(['staging']);
    for (let k = r.universe!.length; k < MAX_ENVIRONMENTS; k++) environmentSet(r, `more_${k}`);
    expect(() => environmentSet(r, 'one_too_many')).toThrow(Unresolved);
    // The spellings of one environment are one.
    expect(environmentSet(r, 'pre_release')).toEqual(environmentSet(r, 'pre-release'));
  });

  it('changes names by one table of string methods, in each language its own spelling', () => {
    expect(stringMethod('python', 'lower')!('CRM_Key')).toBe('crm_key');
    expect(stringMethod('javascript', 'toLowerCase')!('CRM_Key')).toBe('crm_key');
    expect(stringMethod('python', 'casefold')!('X')).toBe('x');
    expect(stringMethod('javascript', 'trim')!(' x ')).toBe('x');
    expect(stringMethod('python', 'rstrip')!(' x ')).toBe(' x');
    // Each language's own names only.
    expect(stringMethod('javascript', 'lower')).toBeUndefined();
    expect(stringMethod('python', 'toLowerCase')).toBeUndefined();
    expect(stringMethod('python', 'valueOf')).toBeUndefined();
  });

  it('joins names by one rule: bounded by MAX_NAMES, the combinations no environment takes dropped, tests once, the literal of the part that varies', () => {
    const r = evaluation('x');
    const live = environmentSet(r, 'live');
    const sandbox = environmentSet(r, 'sandbox');
    const joined = join(r, [[alt('crm_', 0, live), alt('crm_', 1, sandbox)], [alt('prod', 2, live), alt('dev', 3, sandbox)]], 0, 1);
    expect(joined.map((a) => a.name)).toEqual(['crm_prod', 'crm_dev']);
    // The part that tells the names apart is the second: its literals.
    expect(joined.map((a) => a.literal!.start)).toEqual([2, 3]);
    // A part the same in every value is not what varies: the literal is the last part that does.
    const suffix = join(r, [[alt('x_', 0)], [alt('prod', 2), alt('uat', 3)], [alt('_api', 5), alt('_api', 6)]], 0, 1);
    expect(suffix.map((a) => [a.name, a.literal!.start])).toEqual([['x_prod_api', 2], ['x_prod_api', 2], ['x_uat_api', 3], ['x_uat_api', 3]]);
    // None of them varies: the first part's.
    expect(join(r, [[alt('x_', 0)], [alt('api', 4)]], 0, 1).map((a) => [a.name, a.literal!.start])).toEqual([['x_api', 0]]);
    // A test both parts passed is listed once, in the order written; a part that is no string makes no name.
    const c: Cond = { text: 'flag', span: { start: 7, end: 8 }, holds: true, env: null };
    const d: Cond = { text: 'other', span: { start: 9, end: 10 }, holds: false, env: null };
    const tested = join(r, [[alt('a_', 0, null, [c]), alt(null, 1)], [alt('b', 2, null, [d, c])]], 0, 1);
    expect(tested.map((a) => [a.name, a.when.map((w) => w.text)])).toEqual([['a_b', ['flag', 'other']]]);
    const wide = Array.from({ length: 9 }, (_, k) => alt(`p${k}`, k));
    expect(9 * 9).toBeGreaterThan(MAX_NAMES);
    expect(() => join(r, [wide, wide], 0, 1)).toThrow(Unresolved);
    expect(join(r, [wide, wide.slice(0, 7)], 0, 1)).toHaveLength(63);
    const under1 = under([alt('a', 0, live), alt('b', 1, sandbox)], { text: 'env == "live"', span: { start: 5, end: 6 }, holds: true, env: live }, live);
    expect(under1.map((a) => [a.name, a.when.length])).toEqual([['a', 1]]);
  });

  it('makes one candidate per name, its environments joined, in the order written, without the sets', () => {
    const r = evaluation('x');
    const live = environmentSet(r, 'live');
    const sandbox = environmentSet(r, 'sandbox');
    const cond: Cond = { text: 'conv.env == "live"', span: { start: 0, end: 3 }, holds: true, env: live };
    const out = toCandidates(r, [alt('b_key', 9, live, [cond]), alt('a_key', 4, sandbox), alt('b_key', 12, sandbox), alt(null, 1), alt('', 2)], false);
    forgetNames();
    expect(out).toEqual([
      { name: 'a_key', literal: { start: 4, end: 5 }, when: [], environments: ['sandbox'] },
      { name: 'b_key', literal: { start: 9, end: 10 }, when: [{ text: 'conv.env == "live"', span: { start: 0, end: 3 }, holds: true }], environments: ['sandbox', 'live'] },
    ]);
  });

  it('quotes the part that does not resolve from the tokens, collapsed and capped; a budget run out as too complex', () => {
    const text = 'name = lookup(\n    conv.env,   "x" + "y" * 40 + "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")\n';
    const r = evaluation(text);
    const buf = r.src.buf;
    const lookup = buf.start.indexOf(text.indexOf('lookup'));
    const err = new Unresolved(r.src, lookup, buf.count - 1, false);
    expect(err.part.text.startsWith('lookup( conv.env, "x" + "y"')).toBe(true);
    expect(err.part.text.length).toBeLessThanOrEqual(60);
    expect(err.part.text.endsWith('…')).toBe(true);
    expect(err.part.span.start).toBe(text.indexOf('lookup'));
    expect(err.tooLarge).toBe(false);
    const over = new Unresolved(r.src, lookup, lookup + 1, true);
    expect([over.tooLarge, over.part.text]).toEqual([true, 'too complex']);
  });
});

/** The computed read of `text`: its candidates as [name, literal as written, every test (`===` as `==`), environments], or how it stays unknown. */
function joinedRead(text: string, language: 'python' | 'typescript'): unknown {
  const read = scanOrThrow(text, language).references.find((x) => x.name === null)!;
  if (read.candidates === undefined) return read.unresolved?.tooLarge ? 'too large' : `unknown: ${read.unresolved?.text}`;
  return read.candidates.map((c) => [
    c.name.toLowerCase(),
    text.slice(c.literal.start, c.literal.end).toLowerCase(),
    c.when.map((w) => `${w.holds ? '' : 'not '}${w.text.replace('===', '==')}`),
    c.environments,
  ]);
}

describe('Python and JavaScript: one rule of joined names, one budget', () => {
  it('join names alike: the literal of the part that varies, a test of the environment once', () => {
    const python = `def f(conv):
    tier = 'prod' if conv.env == 'live' else 'uat'
    suffix = '_api' if conv.env == 'live' else '_api'
    return conv.utils.get_secret(f'x_{tier}{suffix}')
`;
    const typescript = `export function f(conv: Conv) {
  const tier = conv.env === 'live' ? 'PROD' : 'UAT';
  const suffix = conv.env === 'live' ? '_API' : '_API';
  return process.env[\`X_\${tier}\${suffix}\`];
}
`;
    const want = [
      ['x_prod_api', "'prod'", ["conv.env == 'live'"], ['live']],
      ['x_uat_api', "'uat'", ["not conv.env == 'live'"], ['sandbox', 'pre-release']],
    ];
    expect(joinedRead(python, 'python')).toEqual(want);
    expect(joinedRead(typescript, 'typescript')).toEqual(want);
  });

  it('give up at the same depth and the same size of table, in the one unit of steps', () => {
    const chain = (k: number, language: 'python' | 'typescript'): string => {
      const lines = [language === 'python' ? "n0 = 'x_api'" : "const n0 = 'x_api';"];
      for (let i = 1; i <= k; i++) lines.push(language === 'python' ? `n${i} = n${i - 1}` : `const n${i} = n${i - 1};`);
      return lines.join('\n') + (language === 'python' ? `\ndef f(conv):\n    return conv.utils.get_secret(n${k})\n` : `\nexport const v = process.env[n${k}];\n`);
    };
    const table = (k: number, language: 'python' | 'typescript'): string => {
      const entries = Array.from({ length: k }, (_, i) => (language === 'python' ? `'k${i}': 'x${i}_api'` : `k${i}: 'x${i}_api'`)).join(', ');
      return language === 'python' ? `T = {${entries}}\ndef f(conv):\n    return conv.utils.get_secret(T['k7'])\n` : `const T = {${entries}};\nexport const v = process.env[T['k7']];\n`;
    };
    for (const language of ['python', 'typescript'] as const) {
      // MAX_DEPTH: a name 30 assignments from its literal is followed; 31 is one too deep.
      expect(joinedRead(chain(30, language), language), language).toEqual([['x_api', "'x_api'", [], null]]);
      expect(joinedRead(chain(31, language), language), language).toEqual("unknown: 'x_api'");
      // STEPS_PER_READ: a table of 3,000 entries is read; one of 5,000 is too large to follow.
      expect(joinedRead(table(3000, language), language), language).toEqual([['x7_api', "'x7_api'", [], null]]);
      expect(joinedRead(table(5000, language), language), language).toBe('too large');
    }
  });
});
