// Iteration, comprehensions, lambdas and constructor attributes at scale: every read resolves
// within the document's budget when the file is large only because it has many of them (the
// per-read work is memoised per table, comprehension group, shadowed name and class attribute).

import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { AnalysisBudget } from '../../../server/src/service/scan/budget';

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

  it('called in the file, it is closed over its calls; without a default or as a method, it stays dynamic', () => {
    const called = 'def get_creds(conv, name="crm_api"):\n    return conv.utils.get_secret(name)\n\ndef run(conv):\n    return get_creds(conv, "pay_api")\n';
    const [closed] = resolveAll(called, 'python').computed;
    expect(closed!.candidates?.map((c) => c.name)).toEqual(['pay_api']);
    expect(closed!.open).toBeUndefined();
    for (const text of [
      'def get_creds(conv, name):\n    return conv.utils.get_secret(name)\n',
      'class C:\n    def get(self, conv, name="crm_api"):\n        return conv.utils.get_secret(name)\n',
    ]) {
      const [read] = resolveAll(text, 'python').computed;
      expect(read!.candidates, text).toBeUndefined();
      expect(read!.unresolved?.text, text).toBe('name');
    }
  });
});
