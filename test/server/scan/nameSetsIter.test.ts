// Iteration, comprehensions, lambdas and constructor attributes at scale: every read resolves
// within the document's budget when the file is large only because it has many of them (the
// per-read work is memoised per table, comprehension group, shadowed name and class attribute).
// Then the parameters callers outside the file may pass (open), and an ADK resource function's.

import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { AnalysisBudget } from '../../../server/src/service/scan/budget';
import type { ImportLookup } from '../../../server/src/service/scan/types';
import { platformFunctionOf } from '../../../protocol/adkProject';

function resolveAll(text: string, language: 'python' | 'javascript') {
  const budget = new AnalysisBudget(text.length);
  const computed = scanOrThrow(text, language, undefined, budget).references.filter((r) => r.name === null);
  return { computed, budget };
}

describe('name sets through iteration and classes, at scale', () => {
  it('1,000 functions, each a comprehension over one table of rows: all resolve', () => {
    const parts = ['ROWS = [("crm", ["crm_api", "crm_key"]), ("pay", ["pay_api"])]\n\n'];
    // A read costs what a table's read does (about 330 steps against 220): as dense as an ordinary file's.
    for (let i = 0; i < 1000; i++) parts.push(`def read_${i}(conv):\n    \"\"\"Every credential of the rows.\"\"\"\n    return [conv.utils.get_secret(n) for label, names in ROWS for n in names]\n\n`);
    const { computed, budget } = resolveAll(parts.join(''), 'python');
    expect(computed).toHaveLength(1000);
    for (const r of computed) expect(r.candidates?.map((c) => c.name)).toEqual(['crm_api', 'crm_key', 'pay_api']);
    expect(budget.spent).toBeLessThanOrEqual(budget.limit + budget.linear);
  });

  it("1,000 methods reading the attribute their class's __init__ sets from its constructor's argument: all resolve", () => {
    const parts = ['class Handler:\n    def __init__(self, secret_name):\n        self.secret_name = secret_name\n\n'];
    for (let i = 0; i < 1000; i++) parts.push(`    def read_${i}(self, conv):\n        return conv.utils.get_secret(self.secret_name)\n\n`);
    parts.push('def run(conv):\n    return Handler("crm_api").read_0(conv)\n');
    const { computed } = resolveAll(parts.join(''), 'python');
    expect(computed).toHaveLength(1000);
    for (const r of computed) expect(r.candidates?.map((c) => c.name)).toEqual(['crm_api']);
  });

  it('2,000 callbacks over one array of names: all resolve', () => {
    const parts = ["const NAMES = ['CRM_API_KEY', 'PAY_API_KEY'];\n"];
    for (let i = 0; i < 2000; i++) parts.push(`export const v${i} = NAMES.map((n) => process.env[n]);\n`);
    const { computed } = resolveAll(parts.join(''), 'javascript');
    expect(computed).toHaveLength(2000);
    for (const r of computed) expect(r.candidates?.map((c) => c.name)).toEqual(['CRM_API_KEY', 'PAY_API_KEY']);
  });

  it('nested comprehensions and lambdas: each name is the innermost binding it is read under', () => {
    const text = `def f(conv):
    return [[conv.utils.get_secret(n) for n in ("inner_a", "inner_b")] for n in ("outer_a",)]

def g(conv):
    return list(map(lambda n: [conv.utils.get_secret(n) for m in ("x",)], ("lam_a", "lam_b")))
`;
    const { computed } = resolveAll(text, 'python');
    expect(computed.map((r) => r.candidates?.map((c) => c.name))).toEqual([
      ['inner_a', 'inner_b'],
      ['lam_a', 'lam_b'],
    ]);
  });
});

describe('a parameter callers outside the file may pass (open)', () => {
  it("a module-level function nothing here calls: its default is checked, and the read says others may be passed", () => {
    const text = 'def get_creds(conv, name="crm_api"):\n    return conv.utils.get_secret(name)\n';
    const [read] = resolveAll(text, 'python').computed;
    expect(read!.candidates?.map((c) => c.name)).toEqual(['crm_api']);
    expect(read!.open).toEqual({ text: 'name', span: { start: text.indexOf('name='), end: text.indexOf('name=') + 4 } });
    expect(read!.unresolved).toBeUndefined();
  });

  it('called in the file, it is closed over its calls; without a default, or in a class inside a function, it stays dynamic', () => {
    const called = 'def get_creds(conv, name="crm_api"):\n    return conv.utils.get_secret(name)\n\ndef run(conv):\n    return get_creds(conv, "pay_api")\n';
    const [closed] = resolveAll(called, 'python').computed;
    expect(closed!.candidates?.map((c) => c.name)).toEqual(['pay_api']);
    expect(closed!.open).toBeUndefined();
    for (const text of [
      'def get_creds(conv, name):\n    return conv.utils.get_secret(name)\n',
      'class C:\n    def get(self, conv, name):\n        return conv.utils.get_secret(name)\n',
      'def make():\n    class C:\n        def get(self, conv, name="crm_api"):\n            return conv.utils.get_secret(name)\n    return C\n',
    ]) {
      const [read] = resolveAll(text, 'python').computed;
      expect(read!.candidates, text).toBeUndefined();
      expect(read!.unresolved?.text, text).toBe('name');
    }
  });

  it('a method nothing here calls is open over its default, as a function is; called through self, it is closed over its calls', () => {
    const text = 'class Client:\n    def read(self, conv, name="crm_api"):\n        return conv.utils.get_secret(name)\n';
    const [read] = resolveAll(text, 'python').computed;
    expect(read!.candidates?.map((c) => c.name)).toEqual(['crm_api']);
    expect(read!.open?.text).toBe('name');
    const called = text + '\n    def run(self, conv):\n        return self.read(conv, "pay_api")\n';
    const [closed] = resolveAll(called, 'python').computed;
    expect(closed!.candidates?.map((c) => c.name)).toEqual(['pay_api']);
    expect(closed!.open).toBeUndefined();
  });

  it('JavaScript and TypeScript: exported, uncalled, a method, a callback with a default are open; a local function called here is closed', () => {
    const cases: Array<[string, string[] | null, boolean]> = [
      ["export function key(name = 'CRM_KEY') {\n  return process.env[name];\n}\n", ['CRM_KEY'], true],
      // Exported and called here: the file's calls are checked, and others may pass other names.
      ["export function key(name: string) {\n  return process.env[name];\n}\nexport const pay = key('PAY_KEY');\n", ['PAY_KEY'], true],
      ["function key(name = 'CRM_KEY') {\n  return process.env[name];\n}\n", ['CRM_KEY'], true],
      ["class Client {\n  read(name = 'CRM_KEY') {\n    return process.env[name];\n  }\n}\n", ['CRM_KEY'], true],
      ["export const handler = (name = 'CRM_KEY') => process.env[name];\n", ['CRM_KEY'], true],
      ["function key(name) {\n  return process.env[name];\n}\nexport const pay = key('PAY_KEY');\n", ['PAY_KEY'], false],
      // No default and no call: dynamic, naming the parameter.
      ["class Client {\n  read(name: string) {\n    return process.env[name];\n  }\n}\n", null, false],
      ["export function key(name) {\n  return process.env[name];\n}\n", null, false],
    ];
    for (const [text, names, open] of cases) {
      for (const language of ['javascript', 'typescript'] as const) {
        if (language === 'javascript' && text.includes(': string')) continue;
        const refs = scanOrThrow(text, language).references.filter((r) => r.name === null);
        expect(refs, text).toHaveLength(1);
        const [read] = refs;
        expect(read!.candidates?.map((c) => c.name) ?? null, text).toEqual(names);
        expect(read!.open?.text, text).toBe(open ? 'name' : undefined);
        if (names === null) expect(read!.unresolved?.text, text).toBe('name');
      }
    }
  });
});

describe("an ADK resource function's parameters come from the platform", () => {
  const lookup = (platformFunction?: string): ImportLookup => Object.assign(() => undefined, platformFunction === undefined ? {} : { platformFunction });

  it('a get_secret(param) in the function named like its file is dynamic, saying the platform passes it, default or call notwithstanding', () => {
    const text = 'from _gen import *  # <AUTO GENERATED>\n\n\ndef lookup_order(conv, flow, secret="oms_live_token"):\n    return conv.utils.get_secret(secret)\n\n\ndef helper(conv):\n    return lookup_order(conv, None, "oms_test_token")\n';
    const [read] = scanOrThrow(text, 'python', lookup('lookup_order')).references.filter((r) => r.name === null);
    expect(read!.candidates).toBeUndefined();
    expect(read!.unresolved).toMatchObject({ text: 'secret', platform: 'lookup_order' });
    // The same file anywhere else (a helper module): closed over its call.
    const [elsewhere] = scanOrThrow(text, 'python', lookup()).references.filter((r) => r.name === null);
    expect(elsewhere!.candidates?.map((c) => c.name)).toEqual(['oms_test_token']);
    // A helper of the resource file keeps the ordinary rule (open over its default).
    const helperText = 'def take_payment(conv):\n    return 1\n\n\ndef creds(conv, name="stripe_live_key"):\n    return conv.utils.get_secret(name)\n';
    const [helper] = scanOrThrow(helperText, 'python', lookup('take_payment')).references.filter((r) => r.name === null);
    expect(helper!.candidates?.map((c) => c.name)).toEqual(['stripe_live_key']);
    expect(helper!.open?.text).toBe('name');
  });

  it('a loop over a parameter of the function the platform calls is dynamic too, whatever its default or calls; elsewhere closed over them', () => {
    const text = 'from _gen import *  # <AUTO GENERATED>\n\n\ndef fetch_all(conv, flow, names=("crm_id", "crm_secret")):\n    return [conv.utils.get_secret(n) for n in names]\n\n\ndef helper(conv):\n    return fetch_all(conv, None, ["crm_test"])\n';
    const [read] = scanOrThrow(text, 'python', lookup('fetch_all')).references.filter((r) => r.name === null);
    expect(read!.candidates).toBeUndefined();
    expect(read!.unresolved).toMatchObject({ text: 'names', platform: 'fetch_all' });
    const [elsewhere] = scanOrThrow(text, 'python', lookup()).references.filter((r) => r.name === null);
    expect(elsewhere!.candidates?.map((c) => c.name)).toEqual(['crm_test']);
  });

  it('which files are resources: functions/<name>.py and a flow\'s functions/ and function_steps/, not helpers deeper down', () => {
    expect(platformFunctionOf('functions/take_payment.py')).toBe('take_payment');
    expect(platformFunctionOf('flows/Order Status/functions/lookup_order.py')).toBe('lookup_order');
    expect(platformFunctionOf('flows\\Order Status\\function_steps\\confirm.py')).toBe('confirm');
    expect(platformFunctionOf('functions/utils/api.py')).toBeNull();
    expect(platformFunctionOf('flows/Order Status/helpers.py')).toBeNull();
    expect(platformFunctionOf('functions/README.md')).toBeNull();
    expect(platformFunctionOf('scripts/deploy.py')).toBeNull();
  });
});
