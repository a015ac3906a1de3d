// The Python name-set resolver through the scanner (scanOrThrow): the exact candidates of a computed
// read (names, the literal each is written in, the environments it is taken in, the tests that
// choose it, with spans checked by slicing the text), and the part named when it does not resolve.

import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { mark } from '../../../server/src/service/evaluate/templates';
import { pythonModuleNames } from '../../../server/src/service/python/nameSets';
import type { ImportLookup, SecretReference } from '../../../server/src/service/scan/types';

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The computed reads of `text`. */
function computed(text: string, imports?: ImportLookup): SecretReference[] {
  return scanOrThrow(text, 'python', imports).references.filter((r) => r.name === null);
}

/** The one computed read of `text`: each candidate as [name, literal as written, environments, tests]. */
function names(text: string, imports?: ImportLookup): unknown[] {
  const reads = computed(text, imports);
  expect(reads.length).toBe(1);
  const read = reads[0]!;
  expect(read.unresolved).toBeUndefined();
  return (read.candidates ?? []).map((c) => {
    const when = c.when.map((w) => {
      // Every test's span holds its text (a table key: the key; a match case: the pattern).
      // (A sequence's index: the element.)
      const at = collapse(text.slice(w.span.start, w.span.end));
      if (!/ == \d+$/.test(w.text)) expect(w.text.includes(at) || at.includes(w.text), `${w.text} at ${at}`).toBe(true);
      return w.holds ? w.text : `not ${w.text}`;
    });
    return [c.name, c.uri === undefined ? text.slice(c.literal.start, c.literal.end) : `${c.uri}:${c.literal.start}`, c.environments, when];
  });
}

/** The part named by the one computed read of `text`, checked against its span. */
function unresolved(text: string, imports?: ImportLookup): string {
  const reads = computed(text, imports);
  expect(reads.length).toBe(1);
  const read = reads[0]!;
  expect(read.candidates).toBeUndefined();
  expect(read.unresolved).toBeDefined();
  const written = collapse(text.slice(read.unresolved!.span.start, read.unresolved!.span.end));
  const part = read.unresolved!.text;
  // Long parts are cut at 60 characters, with '…'.
  if (part.endsWith('…')) expect(written.startsWith(part.slice(0, -1)) && part.length <= 60).toBe(true);
  else expect(written).toBe(part);
  return part;
}

const fn = (body: string) => `def f(conv, flag, key):\n${body.replace(/^/gm, '    ')}\n`;

describe('name sets: expressions', () => {
  it('resolves literals, implicit concatenation, f-strings without placeholders and parentheses', () => {
    expect(names(fn("name = ('acme_' 'api')\nconv.utils.get_secret(name)"))).toEqual([['acme_api', "'acme_' 'api'", null, []]]);
    expect(names(fn("n = (f'acme_api')\nconv.utils.get_secret(n)"))).toEqual([['acme_api', "f'acme_api'", null, []]]);
  });

  it('concatenates known parts as a product, the varying part carrying the literal', () => {
    expect(names(fn("p = 'acme'\nconv.utils.get_secret(p + '_' + ('live' if flag else 'uat') + '_api')"))).toEqual([
      ['acme_live_api', "'live'", null, ['flag']],
      ['acme_uat_api', "'uat'", null, ['not flag']],
    ]);
  });

  it('gives up beyond 64 combinations', () => {
    const pick = (n: number) => `(${Array.from({ length: 8 }, (_, i) => `'${n}${i}' if k${n} == ${i} else`).join(' ')} 'z')`;
    const text = fn(`conv.utils.get_secret(${pick(1)} + ${pick(2)} + ${pick(3)})`);
    expect(unresolved(text)).toContain("'1");
  });

  it('labels a conditional expression on conv.env with its environments, the else side with the rest', () => {
    expect(names(fn("conv.utils.get_secret('x_prod_api' if conv.env == 'live' else 'x_uat_api')"))).toEqual([
      ['x_prod_api', "'x_prod_api'", ['live'], ["conv.env == 'live'"]],
      ['x_uat_api', "'x_uat_api'", ['sandbox', 'pre-release'], ["not conv.env == 'live'"]],
    ]);
  });

  it("reads == / != / in / not in, .lower(), str(), not, and/or, a local bound to conv.env, and pre_release as pre-release", () => {
    const envs = (test: string) => (names(fn(`conv.utils.get_secret('a' if ${test} else 'b')`)) as Array<[string, string, string[] | null]>).map((c) => [c[0], c[2]]);
    expect(envs("conv.env != 'live'")).toEqual([['a', ['sandbox', 'pre-release']], ['b', ['live']]]);
    expect(envs("conv.env.lower() in ('sandbox', 'pre_release')")).toEqual([['a', ['sandbox', 'pre-release']], ['b', ['live']]]);
    expect(envs("str(conv.env) not in ['live']")).toEqual([['a', ['sandbox', 'pre-release']], ['b', ['live']]]);
    expect(envs("not conv.env == 'sandbox'")).toEqual([['a', ['pre-release', 'live']], ['b', ['sandbox']]]);
    expect(envs("conv.env == 'sandbox' or conv.env == 'live'")).toEqual([['a', ['sandbox', 'live']], ['b', ['pre-release']]]);
    expect(envs("'live' == conv.env")).toEqual([['a', ['live']], ['b', ['sandbox', 'pre-release']]]);
    expect(names(fn("env = conv.env.strip()\nconv.utils.get_secret('a' if env == 'live' else 'b')"))).toEqual([
      ['a', "'a'", ['live'], ["env == 'live'"]],
      ['b', "'b'", ['sandbox', 'pre-release'], ["not env == 'live'"]],
    ]);
  });

  it('adds the other environments the file tests (draft) and drops a branch no environment takes', () => {
    expect(names(fn("if conv.env == 'draft':\n    return\nconv.utils.get_secret('a' if conv.env != 'live' else 'b')"))).toEqual([
      ['a', "'a'", ['sandbox', 'pre-release'], ["not conv.env == 'draft'", "conv.env != 'live'"]],
      ['b', "'b'", ['live'], ["not conv.env == 'draft'", "not conv.env != 'live'"]],
    ]);
    expect(names(fn("conv.utils.get_secret('a' if conv.env == 'live' else ('b' if conv.env != 'live' else 'never'))")).map((c) => (c as string[])[0])).toEqual(['a', 'b']);
  });

  it("`or` takes the default where the left side may be empty: a .get without default, '' or None", () => {
    expect(names(fn("NAMES = {'live': 'x_prod'}\nconv.utils.get_secret(NAMES.get(conv.env) or 'x_uat')"))).toEqual([
      ['x_prod', "'x_prod'", ['live'], ["conv.env == 'live'"]],
      ['x_uat', "'x_uat'", ['sandbox', 'pre-release'], ['conv.env not in NAMES']],
    ]);
    expect(names(fn("conv.utils.get_secret('x_a' or 'x_b')"))).toEqual([['x_a', "'x_a'", null, []]]);
    expect(names(fn("n = None\nif flag:\n    n = 'x_a'\nconv.utils.get_secret(n or 'x_b')"))).toEqual([
      ['x_a', "'x_a'", null, ['flag']],
      ['x_b', "'x_b'", null, ['not flag']],
    ]);
  });

  it('resolves f-string placeholders, but not one with a conversion or format spec', () => {
    expect(names("P = 'acme'\n" + fn("conv.utils.get_secret(f'{P}_{\"live\" if conv.env == \"live\" else \"uat\"}_api')"))).toEqual([
      ['acme_live_api', '"live"', ['live'], ['conv.env == "live"']],
      ['acme_uat_api', '"uat"', ['sandbox', 'pre-release'], ['not conv.env == "live"']],
    ]);
    expect(names("P = 'acme'\n" + fn("conv.utils.get_secret(f'{{x}}{ P }')"))).toEqual([['{x}acme', "f'{{x}}{ P }'", null, []]]);
    expect(unresolved("P = 'acme'\n" + fn("conv.utils.get_secret(f'{P!r}_api')"))).toBe('P');
    expect(unresolved("P = 'acme'\n" + fn("conv.utils.get_secret(f'{P:>8}')"))).toBe('P');
  });

  it('a chain deeper than the depth limit stays unknown, naming the name where it stops', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `n${i + 1} = n${i} + ''`).join('\n');
    expect(names(fn(`n0 = 'a'\n${chain.split('\n').slice(0, 5).join('\n')}\nconv.utils.get_secret(n5)`))).toEqual([['a', "'a'", null, []]]);
    expect(unresolved(fn(`n0 = 'a'\n${chain}\nconv.utils.get_secret(n40)`))).toMatch(/^n\d+$/);
  });

  it('applies str() and string methods', () => {
    expect(names(fn("conv.utils.get_secret(str(' Acme_API '.strip().lower()))"))).toEqual([['acme_api', "' Acme_API '", null, []]]);
  });
});

describe('name sets: tables', () => {
  it('a dict indexed by conv.env: each value in its key, .get default in the rest', () => {
    const text = "NAMES = {\n    'live': 'x_prod_api',\n    'pre_release': 'x_pre_api',\n}\n\n" + fn("conv.utils.get_secret(NAMES.get(conv.env, 'x_sandbox_api'))");
    expect(names(text)).toEqual([
      ['x_prod_api', "'x_prod_api'", ['live'], ["conv.env == 'live'"]],
      ['x_pre_api', "'x_pre_api'", ['pre-release'], ["conv.env == 'pre_release'"]],
      ['x_sandbox_api', "'x_sandbox_api'", ['sandbox'], ['conv.env not in NAMES']],
    ]);
    expect(names("NAMES = {'live': 'a', 'draft': 'b'}\n" + fn('conv.utils.get_secret(NAMES[conv.env])'))).toEqual([
      ['a', "'a'", ['live'], ["conv.env == 'live'"]],
      ['b', "'b'", ['draft'], ["conv.env == 'draft'"]],
    ]);
  });

  it('a table of tables: the inner table each environment selects, then its key', () => {
    const config = "CONFIG = {'live': {'api': 'x_live'}, 'sandbox': {'api': 'x_sb'}}\n";
    expect(names(config + fn("conv.utils.get_secret(CONFIG[conv.env]['api'])"))).toEqual([
      ['x_live', "'x_live'", ['live'], ["conv.env == 'live'"]],
      ['x_sb', "'x_sb'", ['sandbox'], ["conv.env == 'sandbox'"]],
    ]);
    expect(names(config + fn("conv.utils.get_secret(CONFIG.get(conv.env, {}).get('api', 'x_def'))"))).toEqual([
      ['x_live', "'x_live'", ['live'], ["conv.env == 'live'"]],
      ['x_sb', "'x_sb'", ['sandbox'], ["conv.env == 'sandbox'"]],
      ['x_def', "'x_def'", ['pre-release'], ['conv.env not in CONFIG']],
    ]);
    expect(names(config + fn('conv.utils.get_secret(CONFIG[conv.env][key])'))).toEqual([
      ['x_live', "'x_live'", ['live'], ["conv.env == 'live'", "key == 'api'"]],
      ['x_sb', "'x_sb'", ['sandbox'], ["conv.env == 'sandbox'", "key == 'api'"]],
    ]);
    expect(unresolved(fn("conv.utils.get_secret(conv.state['cfg'][conv.env])"))).toBe("conv.state['cfg'][conv.env]");
  });

  it('a name holding the inner table (cfg = CONFIG[conv.env], .get with a default table): then its key', () => {
    const config = "CONFIG = {'live': {'api': 'x_live'}, 'sandbox': {'api': 'x_sb'}}\n";
    expect(names(config + fn("cfg = CONFIG[conv.env]\nconv.utils.get_secret(cfg['api'])"))).toEqual([
      ['x_live', "'x_live'", ['live'], ["conv.env == 'live'"]],
      ['x_sb', "'x_sb'", ['sandbox'], ["conv.env == 'sandbox'"]],
    ]);
    expect(names(config + fn("cfg = CONFIG.get(conv.env, CONFIG['sandbox'])\nconv.utils.get_secret(cfg.get('api'))")).map((c) => { const [n, , envs] = c as [string, string, string[] | null]; return [n, envs]; })).toEqual([
      ['x_live', ['live']],
      ['x_sb', ['sandbox', 'pre-release']],
    ]);
    expect(names(config + fn("crm = CONFIG['live']\nconv.utils.get_secret(crm['api'])"))).toEqual([['x_live', "'x_live'", null, []]]);
    // Changed in place, or given another value on some path: unknown.
    expect(unresolved(config + fn("cfg = CONFIG[conv.env]\ncfg['api'] = load()\nconv.utils.get_secret(cfg['api'])"))).toBe("cfg['api']");
    // Each path's tables are followed: the unknown one is the call.
    expect(unresolved(config + fn("cfg = CONFIG[conv.env]\nif flag:\n    cfg = load()\nconv.utils.get_secret(cfg['api'])"))).toBe('load()');
  });

  it('a table indexed by anything else: every value, labelled with its key; a known key picks one', () => {
    expect(names(fn("T = {'eu': 'x_eu', 'us': 'x_us'}\nconv.utils.get_secret(T[key])"))).toEqual([
      ['x_eu', "'x_eu'", null, ["key == 'eu'"]],
      ['x_us', "'x_us'", null, ["key == 'us'"]],
    ]);
    expect(names(fn("T = {'eu': 'x_eu', 'us': 'x_us'}\nREGION = 'us'\nconv.utils.get_secret(T[REGION])"))).toEqual([['x_us', "'x_us'", null, []]]);
    expect(names(fn("T = ('x_a', 'x_b')\nconv.utils.get_secret(T[1])"))).toEqual([['x_b', "'x_b'", null, []]]);
    expect(names(fn("T = ['x_a', 'x_b']\nconv.utils.get_secret(T[key])"))).toEqual([
      ['x_a', "'x_a'", null, ['key == 0']],
      ['x_b', "'x_b'", null, ['key == 1']],
    ]);
  });

  it('a table that is not all literals, or not a table, stays unknown', () => {
    expect(unresolved(fn("T = {'eu': 'x_eu', **conv.state}\nconv.utils.get_secret(T[key])"))).toBe('**conv.state');
    expect(unresolved(fn("conv.utils.get_secret(conv.state['secret_name'])"))).toBe("conv.state['secret_name']");
    expect(unresolved(fn("conv.utils.get_secret(conv.state.get('name', 'x'))"))).toBe("conv.state.get('name', 'x')");
  });
});

describe('name sets: names and branches', () => {
  it('joins the definitions of an if/elif/else chain with their tests', () => {
    const text = fn("if conv.env == 'live':\n    name = 'x_prod_api'\nelif conv.env in ('pre-release',):\n    name = 'x_pre_api'\nelse:\n    name = 'x_sb_api'\ncreds = conv.utils.get_secret(name)\nreturn creds['API_KEY']");
    expect(names(text)).toEqual([
      ['x_prod_api', "'x_prod_api'", ['live'], ["conv.env == 'live'"]],
      ['x_pre_api', "'x_pre_api'", ['pre-release'], ["not conv.env == 'live'", "conv.env in ('pre-release',)"]],
      ['x_sb_api', "'x_sb_api'", ['sandbox'], ["not conv.env == 'live'", "not conv.env in ('pre-release',)"]],
    ]);
    // Keys read from the result stay on the read, for every candidate.
    expect(computed(text)[0]!.keys.map((k) => k.key)).toEqual(['API_KEY']);
  });

  it('a definition the branches leave alone keeps no test; one an if replaces keeps the else side', () => {
    expect(names(fn("name = 'x_a'\nif flag:\n    print(1)\nelse:\n    pass\nconv.utils.get_secret(name)"))).toEqual([['x_a', "'x_a'", null, []]]);
    expect(names(fn("name = 'x_uat'\nif conv.env == 'live':\n    name = 'x_prod'\nconv.utils.get_secret(name)"))).toEqual([
      ['x_uat', "'x_uat'", ['sandbox', 'pre-release'], ["not conv.env == 'live'"]],
      ['x_prod', "'x_prod'", ['live'], ["conv.env == 'live'"]],
    ]);
  });

  it('labels a branch on anything else with its text', () => {
    expect(names(fn("if conv.state.get('new_api'):\n    n = 'x_v2'\nelse:\n    n = 'x_v1'\nconv.utils.get_secret(n)"))).toEqual([
      ['x_v2', "'x_v2'", null, ["conv.state.get('new_api')"]],
      ['x_v1', "'x_v1'", null, ["not conv.state.get('new_api')"]],
    ]);
  });

  it('reads match statements on conv.env: literal and | cases, the wildcard taking the rest', () => {
    const text = fn("match conv.env:\n    case 'live':\n        n = 'x_prod'\n    case 'draft' | 'sandbox':\n        n = 'x_dev'\n    case _:\n        n = 'x_pre'\nconv.utils.get_secret(n)");
    expect(names(text)).toEqual([
      ['x_prod', "'x_prod'", ['live'], ["conv.env == 'live'"]],
      ['x_dev', "'x_dev'", ['sandbox', 'draft'], ["not conv.env == 'live'", "conv.env matches 'draft' | 'sandbox'"]],
      ['x_pre', "'x_pre'", ['pre-release'], ["not conv.env == 'live'", "not conv.env matches 'draft' | 'sandbox'"]],
    ]);
  });

  it('follows try/except, with and augmented assignment', () => {
    expect(names(fn("try:\n    n = 'x_a'\nexcept KeyError:\n    n = 'x_b'\nn += '_api'\nconv.utils.get_secret(n)"))).toEqual([
      ['x_a_api', "'x_a'", null, []],
      ['x_b_api', "'x_b'", null, []],
    ]);
  });

  it('module constants, class attributes (Cls.X, self.X) and a for over a literal tuple', () => {
    expect(names("API = 'x_api'\n" + fn('conv.utils.get_secret(API)'))).toEqual([['x_api', "'x_api'", null, []]]);
    const cls = "class Acme:\n    SECRET = 'acme_api'\n    def read(self, conv):\n        return conv.utils.get_secret(self.SECRET)\n";
    expect(names(cls)).toEqual([['acme_api', "'acme_api'", null, []]]);
    expect(names("class Acme:\n    SECRET = 'acme_api'\n" + fn('conv.utils.get_secret(Acme.SECRET)'))).toEqual([['acme_api', "'acme_api'", null, []]]);
    expect(names(fn("for n in ('x_a', 'x_b'):\n    conv.utils.get_secret(n)"))).toEqual([
      ['x_a', "'x_a'", null, []],
      ['x_b', "'x_b'", null, []],
    ]);
  });
});

describe('name sets: functions', () => {
  it("a helper's returns, with the path to each return", () => {
    const text = "def _secret_name(conv):\n    if conv.env == 'live':\n        return 'x_prod_api'\n    return 'x_uat_api'\n\n" + fn('conv.utils.get_secret(_secret_name(conv))');
    expect(names(text)).toEqual([
      ['x_prod_api', "'x_prod_api'", ['live'], ["conv.env == 'live'"]],
      ['x_uat_api', "'x_uat_api'", ['sandbox', 'pre-release'], ["not conv.env == 'live'"]],
    ]);
  });

  it('a parameter every call passes conv.env for is a test of the environment', () => {
    const text =
      "def secret_for(env):\n    if env == 'live':\n        return 'x_prod'\n    return 'x_uat'\n\n" +
      fn('conv.utils.get_secret(secret_for(conv.env))') +
      "\ndef g(conv):\n    return conv.utils.get_secret(secret_for(env=conv.env.lower()))\n";
    for (const read of computed(text)) {
      expect(read.candidates!.map((c) => [c.name, c.environments])).toEqual([
        ['x_prod', ['live']],
        ['x_uat', ['sandbox', 'pre-release']],
      ]);
    }
    // One call with something else: the test is on a name like any other.
    const other = text + "\ndef h(conv):\n    return secret_for(conv.state['env'])\n";
    expect(computed(other)[0]!.candidates!.map((c) => [c.name, c.environments, c.when.map((w) => w.text)])).toEqual([
      ['x_prod', null, ["env == 'live'"]],
      ['x_uat', null, ["env == 'live'"]],
    ]);
  });

  it("a helper's parameters bound to this call's arguments", () => {
    const text = "def name_for(service, suffix='api'):\n    return service + '_' + suffix\n\n" + fn("conv.utils.get_secret(name_for('acme'))");
    expect(names(text)).toEqual([['acme_api', "'acme'", null, []]]);
  });

  it('a parameter: the union of the arguments at every call site, positional, keyword or default', () => {
    const text =
      "def fetch(conv, secret_name='x_default'):\n    return conv.utils.get_secret(secret_name)\n\n" +
      "def a(conv):\n    fetch(conv, 'x_one')\n    fetch(conv, secret_name='x_two')\n    fetch(conv)\n";
    expect(names(text)).toEqual([
      ['x_default', "'x_default'", null, []],
      ['x_one', "'x_one'", null, []],
      ['x_two', "'x_two'", null, []],
    ]);
    const method = "class C:\n    def get(self, conv, n):\n        return conv.utils.get_secret(n)\n    def run(self, conv):\n        return self.get(conv, 'x_m')\n";
    expect(names(method)).toEqual([['x_m', "'x_m'", null, []]]);
  });

  it('stays unknown: a conv.state value, an unknown call, one unknown call site, input, a loop-built name, no call site, recursion', () => {
    expect(unresolved(fn("name = conv.state['vendor']\nconv.utils.get_secret(name)"))).toBe("conv.state['vendor']");
    expect(unresolved(fn('conv.utils.get_secret(lookup_name(conv))'))).toBe('lookup_name(conv)');
    expect(unresolved("def fetch(conv, n):\n    return conv.utils.get_secret(n)\n\ndef a(conv):\n    fetch(conv, 'x')\n    fetch(conv, conv.state['n'])\n")).toBe("conv.state['n']");
    expect(unresolved(fn("name = 'x'\nname = input()\nconv.utils.get_secret(name)"))).toBe('input()');
    expect(unresolved(fn("name = 'acme'\nfor part in conv.state['parts']:\n    name += '_' + part\nconv.utils.get_secret(name)"))).toBe('name');
    expect(unresolved('def fetch(conv, n):\n    return conv.utils.get_secret(n)\n')).toBe('n');
    expect(unresolved("def fetch(conv, n):\n    return conv.utils.get_secret(n)\n\ndef a(conv):\n    fetch(conv, 'x')\n    run(fetch)\n")).toBe('n');
    expect(unresolved("def r(n):\n    return r(n + 'x')\n\n" + fn('conv.utils.get_secret(r(key))'))).toBeTruthy();
    expect(unresolved(fn("conv.utils.get_secret(f'{key}_api')"))).toBe('key');
    expect(unresolved(fn('a, name = conv.pair()\nconv.utils.get_secret(name)'))).toBe('conv.pair()');
  });
});

describe('name sets: imports', () => {
  const text = 'from .config import SECRET_NAME as NAME\n\n' + fn('conv.utils.get_secret(NAME)');

  it("asks the lookup for the module's names, and names the import without one", () => {
    const lookup: ImportLookup = (m) => (m === '.config' ? new Map([['SECRET_NAME', [{ name: 'x_cfg', literal: { start: 7, end: 14 }, uri: 'file:///p/config.py', when: [], environments: ['live'] }]]]) : undefined);
    expect(names(text, lookup)).toEqual([['x_cfg', 'file:///p/config.py:7', ['live'], []]]);
    expect(unresolved(text)).toBe('NAME');
  });

  it('a lookup that reads another module while this one is resolving leaves this scan intact', () => {
    const other = "PREFIX = 'acme'\nif True:\n    pass\nAPI = PREFIX + '_api'\n";
    const lookup: ImportLookup = (m) => (m === '.names' ? new Map([...pythonModuleNames(other)].map(([k, v]) => [k, v.map((c) => ({ ...c, uri: 'file:///p/names.py' }))])) : undefined);
    const text =
      'from .names import API\n\n' +
      fn("a = conv.utils.get_secret(API)\nif conv.env == 'live':\n    n = 'x_prod'\nelse:\n    n = 'x_uat'\nb = conv.utils.get_secret(n)\nreturn b['k']");
    const reads = computed(text, lookup);
    expect(reads.map((r) => r.candidates?.map((c) => [c.name, c.environments]))).toEqual([
      [['acme_api', null]],
      [
        ['x_prod', ['live']],
        ['x_uat', ['sandbox', 'pre-release']],
      ],
    ]);
    expect(reads[1]!.keys.map((k) => k.key)).toEqual(['k']);
  });

  it("pythonModuleNames: a module's constants that resolve", () => {
    const mod = "import os\nPREFIX = 'acme'\nAPI = PREFIX + '_api'\nOTHER = os.environ['X']\nCHOICE = 'x_a' if os.getenv('A') else 'x_b'\n";
    const got = pythonModuleNames(mod);
    expect([...got.keys()]).toEqual(['PREFIX', 'API', 'CHOICE']);
    expect(got.get('API')!.map((c) => [c.name, mod.slice(c.literal.start, c.literal.end)])).toEqual([['acme_api', "'acme'"]]);
    expect(got.get('CHOICE')!.map((c) => c.name)).toEqual(['x_a', 'x_b']);
  });
});

describe('name sets: a dict another module defines', () => {
  const config = 'SECRETS = {\n    "live": "stripe_live",\n    "sandbox": "stripe_test",\n    "pre-release": "stripe_test",\n}\nPARTIAL = {"live": "a", "sandbox": os.environ["B"]}\nGROWN = {"live": "a"}\nGROWN["sandbox"] = "b"\n';
  const uri = 'file:///p/config.py';
  const exported = new Map([...pythonModuleNames(config)].map(([k, v]) => [k, v.map((c) => ({ ...c, uri }))]));
  const lookup: ImportLookup = (m) => (m === '.config' || m === 'functions.config' ? exported : undefined);
  /** The one computed read's candidates as [name, literal in config.py, environments, tests]; each test at the entry's value there. */
  const picked = (text: string) => {
    const reads = computed(text, lookup);
    expect(reads.length).toBe(1);
    expect(reads[0]!.unresolved).toBeUndefined();
    return reads[0]!.candidates!.map((c) => {
      for (const w of c.when) expect(config.slice(w.span.start, w.span.end)).toBe(config.slice(c.literal.start, c.literal.end));
      return [c.name, c.uri, config.slice(c.literal.start, c.literal.end), c.environments, c.when.map((w) => w.text)];
    });
  };
  const byEnv = [
    ['stripe_live', uri, '"stripe_live"', ['live'], ['conv.env == "live"']],
    // (One candidate per name: the first entry's test, as for a dict of this file.)
    ['stripe_test', uri, '"stripe_test"', ['sandbox', 'pre-release'], ['conv.env == "sandbox"']],
  ];

  it("pythonModuleNames gives a dict's entries, only when it knows every one and nothing changes it", () => {
    expect([...exported.keys()]).toEqual(['SECRETS["live"]', 'SECRETS["sandbox"]', 'SECRETS["pre-release"]']);
  });

  it('read by conv.env: imported by name, under another name, whole with its module, or with *', () => {
    expect(picked('from .config import SECRETS\n\n' + fn('return conv.utils.get_secret(SECRETS[conv.env])'))).toEqual(byEnv);
    expect(picked('from .config import SECRETS as S\n\n' + fn('return conv.utils.get_secret(S[conv.env])'))).toEqual(byEnv);
    expect(picked('from functions import config\n\n' + fn('return conv.utils.get_secret(config.SECRETS[conv.env])'))).toEqual(byEnv);
    expect(picked('import functions.config as config\n\n' + fn('return conv.utils.get_secret(config.SECRETS[conv.env])'))).toEqual(byEnv);
    expect(picked('from .config import *\n\n' + fn('return conv.utils.get_secret(SECRETS[conv.env])'))).toEqual(byEnv);
  });

  it('.get with a default, and a literal key', () => {
    const got = picked('from .config import SECRETS\n\n' + fn('return conv.utils.get_secret(SECRETS.get(conv.env, "stripe_live"))'));
    expect(got.map((c) => [c[0], c[3]])).toEqual([
      ['stripe_live', ['live']],
      ['stripe_test', ['sandbox', 'pre-release']],
    ]);
    expect(picked('from .config import SECRETS\n\n' + fn('return conv.utils.get_secret(SECRETS["sandbox"])')).map((c) => c[0])).toEqual(['stripe_test']);
  });

  it('stays unknown: a dict with an entry not known, one changed after it is made, one this file changes, or no lookup', () => {
    expect(unresolved('from .config import PARTIAL\n\n' + fn('return conv.utils.get_secret(PARTIAL[conv.env])'), lookup)).toBe('PARTIAL[conv.env]');
    expect(unresolved('from .config import GROWN\n\n' + fn('return conv.utils.get_secret(GROWN[conv.env])'), lookup)).toBe('GROWN[conv.env]');
    expect(unresolved('from .config import SECRETS\nSECRETS["live"] = "other"\n\n' + fn('return conv.utils.get_secret(SECRETS[conv.env])'), lookup)).toContain('SECRETS');
    expect(unresolved('from .config import SECRETS\n\n' + fn('return conv.utils.get_secret(SECRETS[conv.env])'))).toBe('SECRETS[conv.env]');
  });
});

describe('name sets: a helper another module defines', () => {
  const helpers = [
    'def stripe_name(conv: Conversation) -> str:',
    '    env = str(conv.env or "").strip().lower()',
    '    if env == "live":',
    '        return "stripe_live"',
    '    return "stripe_test"',
    '',
    'async def crm_name(conv):',
    '    return "crm_prod" if conv.env == "live" else "crm_test"',
    '',
    'def name_for(conv, service):',
    '    return f"{service}_prod" if conv.env == "live" else f"{service}_test"',
    '',
    'def client(conv):',
    '    return requests.Session()',
    '',
  ].join('\n');
  const uri = 'file:///p/helpers.py';
  const exported = new Map([...pythonModuleNames(helpers)].map(([k, v]) => [k, v.map((c) => ({ ...c, uri }))]));
  const lookup: ImportLookup = (m) => (m === '.helpers' || m === 'functions.helpers' ? exported : undefined);
  const picked = (text: string) => {
    const reads = computed(text, lookup);
    expect(reads.length).toBe(1);
    expect(reads[0]!.unresolved).toBeUndefined();
    return reads[0]!.candidates!.map((c) => [c.name, c.uri, helpers.slice(c.literal.start, c.literal.end), c.environments]);
  };
  const stripe = [
    ['stripe_live', uri, '"stripe_live"', ['live']],
    ['stripe_test', uri, '"stripe_test"', ['sandbox', 'pre-release']],
  ];

  it('pythonModuleNames gives a function as f() when no return depends on what it is given, as a template when its returns join a parameter', () => {
    expect([...exported.keys()]).toEqual(['stripe_name()', 'crm_name()', 'name_for(conv, service)']);
    expect(exported.get('name_for(conv, service)')!.map((c) => [c.name, c.environments])).toEqual([
      [`${mark(1)}_prod`, ['live']],
      [`${mark(1)}_test`, ['sandbox', 'pre-release']],
    ]);
  });

  it('a template filled with the call: a literal, a keyword, a name chosen by conv.env here', () => {
    const filledIn = (text: string) => computed(text, lookup)[0]!.candidates!.map((c) => [c.name, c.uri, text.slice(c.literal.start, c.literal.end), c.environments]);
    expect(filledIn('from .helpers import name_for\n\n' + fn('return conv.utils.get_secret(name_for(conv, "crm"))'))).toEqual([
      ['crm_prod', undefined, '"crm"', ['live']],
      ['crm_test', undefined, '"crm"', ['sandbox', 'pre-release']],
    ]);
    expect(filledIn('from functions import helpers\n\n' + fn('return conv.utils.get_secret(helpers.name_for(conv, service="crm"))')).map((c) => c[0])).toEqual(['crm_prod', 'crm_test']);
    // Both chosen by conv.env: live joins live only.
    expect(filledIn('from .helpers import name_for\n\n' + fn('svc = "pay_eu" if conv.env == "live" else "pay_sandbox"\nreturn conv.utils.get_secret(name_for(conv, svc))'))).toEqual([
      ['pay_eu_prod', undefined, '"pay_eu"', ['live']],
      ['pay_sandbox_test', undefined, '"pay_sandbox"', ['sandbox', 'pre-release']],
    ]);
  });

  it('called where it is imported: by name, with its module, with *, awaited, through a name', () => {
    expect(picked('from .helpers import stripe_name\n\n' + fn('return conv.utils.get_secret(stripe_name(conv))'))).toEqual(stripe);
    expect(picked('from functions import helpers\n\n' + fn('return conv.utils.get_secret(helpers.stripe_name(conv))'))).toEqual(stripe);
    expect(picked('from .helpers import *\n\n' + fn('name = stripe_name(conv)\nreturn conv.utils.get_secret(name)'))).toEqual(stripe);
    expect(picked('from .helpers import crm_name\n\nasync def f(conv):\n    return conv.utils.get_secret(await crm_name(conv))\n').map((c) => [c[0], c[3]])).toEqual([
      ['crm_prod', ['live']],
      ['crm_test', ['sandbox', 'pre-release']],
    ]);
  });

  it('stays unknown: a template given an unknown argument, a helper that returns no name, or no lookup', () => {
    expect(unresolved('from .helpers import name_for\n\n' + fn('return conv.utils.get_secret(name_for(conv, conv.state.service))'), lookup)).toBe('conv.state.service');
    expect(unresolved('from .helpers import client\n\n' + fn('return conv.utils.get_secret(client(conv))'), lookup)).toBe('client(conv)');
    expect(unresolved('from .helpers import stripe_name\n\n' + fn('return conv.utils.get_secret(stripe_name(conv))'))).toBe('stripe_name(conv)');
  });
});

describe('name sets: which parameters a template marks', () => {
  /** The template pythonModuleNames gives `def f(conv, p): <body>`: each name with its marks as <k>; null when it gives none. */
  const template = (body: string, params = 'conv, p'): string[] | null => {
    const names = pythonModuleNames(`def f(${params}):\n${body.replace(/^/gm, '    ')}\n`);
    const key = [...names.keys()].find((k) => k.startsWith('f(') && k !== 'f()');
    return key === undefined ? null : names.get(key)!.map((c) => c.name.replace(/\uE000p(\d+)P\uE001/g, '<$1>'));
  };

  it('a parameter only joined into what the function returns', () => {
    expect(template('return f"{p}_api"')).toEqual(['<1>_api']);
    expect(template('return "x_" + p + "_key"')).toEqual(['x_<1>_key']);
    expect(template('return str(p) + "_key"')).toEqual(['<1>_key']);
    expect(template('return (p + "_prod") if conv.env == "live" else (p + "_uat")')).toEqual(['<1>_prod', '<1>_uat']);
    expect(template('return f"{p}_{\'prod\' if conv.env == \'live\' else \'uat\'}"')).toEqual(['<1>_prod', '<1>_uat']);
    expect(template('if conv.env == "live":\n    return f"{p}_live"\nreturn "shared_test"')).toEqual(['<1>_live', 'shared_test']);
    expect(template('return p')).toEqual(['<1>']);
    expect(template('return f"{a}_{b}"', 'a, *, b')).toEqual(['<0>_<1>']);
    // A keyword argument's name, or another object's attribute, is not a read of the parameter.
    expect(template('log(p=1)\nreturn f"{p}_{conv.p}"')).toEqual(null);
  });

  it('no template where the parameter is tested, looked up, changed, passed on or rebound', () => {
    for (const body of [
      'return p.lower() + "_key"',
      'return (p + "_key").upper()',
      'return p[:3] + "_key"',
      'return NAMES[p]',
      'return NAMES.get(p, "x") + ""',
      'return "a_key" if p == "crm" else p',
      'return "a_key" if p else "b_key"',
      'return p or "default_key"',
      'return f"{p!r}_key"',
      'return f"{p:>8}_key"',
      'return f"{p=}"',
      'return "%s_key" % p',
      'return "{}_key".format(p)',
      'return helper(p) + "_key"',
      'return [p][0]',
      'return (lambda: p)()',
      'return "".join(c for c in p)',
      'p = p.strip()\nreturn p + "_key"',
      'log.info(p)\nreturn p + "_key"',
      'def inner():\n    return p + "_key"\nreturn inner()',
    ]) {
      expect(template(body), body).toBeNull();
    }
    // Each read is checked along its expression: a return of 20,000 of them would take that many walks of it.
    expect(template(`return ${'p + '.repeat(20_000)}"_key"`)).toBeNull();
    expect(template(`return ${'p + '.repeat(60)}"_key"`)).toEqual([`${'<1>'.repeat(60)}_key`]);
    expect(template('return f"{p}_key"', 'conv, p, *rest')).toBeNull();
    expect(template('return f"{p}_key"', 'conv, p, **options')).toBeNull();
  });
});

describe('name sets: an ADK function', () => {
  it('resolves a realistic function choosing its secret by conv.env and reads keys of every candidate', () => {
    const text = `from _gen import *  # <AUTO GENERATED>

NARVAR = {
    "live": "narvar_prod_api",
    "pre-release": "narvar_staging_api",
}


def narvar_order_status(conv: Conversation, order_id: str):
    secret = NARVAR.get(conv.env, "narvar_staging_api")
    creds = conv.utils.get_secret(secret)
    headers = {"Authorization": f"Basic {creds['API_KEY']}"}
    return headers
`;
    expect(names(text)).toEqual([
      ['narvar_prod_api', '"narvar_prod_api"', ['live'], ['conv.env == "live"']],
      ['narvar_staging_api', '"narvar_staging_api"', ['sandbox', 'pre-release'], ['conv.env == "pre-release"']],
    ]);
    expect(computed(text)[0]!.keys.map((k) => k.key)).toEqual(['API_KEY']);
  });

  it('never throws on half-typed code', () => {
    const base = fn("name = NAMES.get(conv.env, 'x') if flag else ('a' + \nmatch conv.env:\n    case 'live' | :\n        n = \nconv.utils.get_secret(n or name + ) ");
    for (let i = 0; i <= base.length; i += 3) expect(() => scanOrThrow(base.slice(0, i), 'python')).not.toThrow();
  });
});

describe('name sets: large documents', () => {
  // Shapes that would be quadratic if each read walked its function again (the suite's time limit is the check).
  it('5,000 reads in one function, each choosing by conv.env after 5,000 statements: all resolve', () => {
    const body = Array.from({ length: 5000 }, (_, i) => `if conv.env == 'live':\n    n${i} = 'x${i}_prod'\nelse:\n    n${i} = 'x${i}_uat'\nconv.utils.get_secret(n${i})`).join('\n');
    const reads = computed(fn(body));
    expect(reads.length).toBe(5000);
    expect(reads.filter((r) => r.candidates?.length === 2).length).toBe(5000);
    expect(reads[4999]!.candidates!.map((c) => [c.name, c.environments])).toEqual([
      ['x4999_prod', ['live']],
      ['x4999_uat', ['sandbox', 'pre-release']],
    ]);
  });

  it('2,000 helpers and 2,000 module tables, each read once: all resolve', () => {
    const parts = Array.from(
      { length: 2000 },
      (_, i) => `T${i} = {'live': 'a${i}', 'sandbox': 'b${i}'}\n\ndef h${i}(conv):\n    return T${i}.get(conv.env, 'c${i}')\n\ndef f${i}(conv):\n    return conv.utils.get_secret(h${i}(conv))\n`,
    );
    const reads = computed(parts.join('\n'));
    expect(reads.length).toBe(2000);
    expect(reads.every((r) => r.candidates?.length === 3)).toBe(true);
  });
});


describe('an Enum of names', () => {
  it("a member's .value is the literal the member is written as; a StrEnum's member is it too", () => {
    const enumHead = 'import enum\nclass Names(str, enum.Enum):\n    CRM = "crm_api"\n    PAY = "pay_api"\n\n';
    expect(names(`${enumHead}def f(conv):\n    return conv.utils.get_secret(Names.CRM.value)\n`)).toEqual([['crm_api', '"crm_api"', null, []]]);
    expect(names(`${enumHead}def f(conv):\n    return conv.utils.get_secret(Names.PAY)\n`)).toEqual([['pay_api', '"pay_api"', null, []]]);
  });

  it('.value of a class that is no Enum, or of a member set elsewhere, stays unknown', () => {
    expect(unresolved('class Plain:\n    CRM = "crm_api"\n\ndef f(conv):\n    return conv.utils.get_secret(Plain.CRM.value)\n')).toBe('Plain.CRM.value');
    expect(unresolved('from enum import Enum\nclass Names(Enum):\n    CRM = "crm_api"\n\nNames.CRM = other()\n\ndef f(conv):\n    return conv.utils.get_secret(Names.CRM.value)\n')).toBe('Names.CRM');
  });
});

describe('a closure reads its enclosing function\'s name', () => {
  it('as it reaches the def when nothing binds it after (the value the closure is called with)', () => {
    const text = 'def handler(conv):\n    secret_name = "x_live" if conv.env == "live" else "x_sb"\n    def _fetch():\n        return conv.utils.get_secret(secret_name)\n    return _fetch()\n';
    expect(names(text)).toEqual([
      ['x_live', '"x_live"', ['live'], ['conv.env == "live"']],
      ['x_sb', '"x_sb"', ['sandbox', 'pre-release'], ['not conv.env == "live"']],
    ]);
    expect(names('def h(conv):\n    names = ["a1", "a2"]\n    def each():\n        return [conv.utils.get_secret(n) for n in names]\n    return each()\n').map((c) => (c as unknown[])[0])).toEqual(['a1', 'a2']);
  });

  it('stays unknown when the enclosing function binds it after the def (the call may see either)', () => {
    expect(unresolved('def h(conv):\n    def inner():\n        return conv.utils.get_secret(name)\n    name = "late"\n    return inner()\n')).toBe('name');
    expect(unresolved('def h(conv, flag):\n    name = "early"\n    def inner():\n        return conv.utils.get_secret(name)\n    if flag:\n        name = load()\n    return inner()\n')).toBe('name');
  });
});
