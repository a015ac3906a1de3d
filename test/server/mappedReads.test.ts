// The read function passed to `map` (`map(conv.utils.get_secret, NAMES)`, an executor's
// `.map(get_secret, NAMES)`): a read of each element of the iterable, resolved as a loop over it
// is, checked name by name, and a source of the leak analysis (the map's result holds the values).
// Passed to `functools.partial` with a name, it reads that name.

import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { scan } from '../../server/src/service/analyze';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { doc, model, textOf } from './vaultFixture';

/** Each reference as `[c1, c2]` (its candidates), `?text` (unresolved) or its literal name. */
function reads(text: string): string[] {
  return scan(text, 'python').references.map((r) => (r.name !== null ? r.name : r.candidates ? `[${r.candidates.map((c) => c.name).join(', ')}]` : `?${r.unresolved?.text}`));
}

describe('map(get_secret, NAMES)', () => {
  it('reads each element of the iterable: a tuple, a list, a constant, a dict view, an executor', () => {
    const text = [
      'from concurrent.futures import ThreadPoolExecutor',
      'NAMES = ("crm_api", "pay_api")',
      'ROWS = {"a": "row_a", "b": "row_b"}',
      'def f(conv):',
      '    a = list(map(conv.utils.get_secret, NAMES))',
      '    b = list(map(conv.utils.get_secret, ["l_one", "l_two"]))',
      '    c = list(map(conv.utils.get_secret, ROWS.values()))',
      '    with ThreadPoolExecutor() as ex:',
      '        d = list(ex.map(conv.utils.get_secret, NAMES, timeout=5))',
      '    return a, b, c, d',
    ].join('\n');
    expect(reads(text)).toEqual(['[crm_api, pay_api]', '[l_one, l_two]', '[row_a, row_b]', '[crm_api, pay_api]']);
  });

  it('an imported get_secret mapped reads too; its span is the map call', () => {
    const text = 'from utils import get_secret\nNAMES = ["crm_api"]\nvalues = list(map(get_secret, NAMES))\n';
    const [ref] = scan(text, 'python').references;
    expect(ref?.candidates?.map((c) => c.name)).toEqual(['crm_api']);
    expect(text.slice(ref!.span.start, ref!.span.end)).toBe('map(get_secret, NAMES)');
    expect(text.slice(ref!.literal.contentSpan.start, ref!.literal.contentSpan.end)).toBe('NAMES');
  });

  it('stays dynamic over a parameter or a call result; passing the function elsewhere, or map without an iterable, reads nothing', () => {
    expect(reads('def f(conv, names):\n    return list(map(conv.utils.get_secret, names))\n')).toEqual(['?names']);
    expect(reads('def f(conv):\n    return list(map(conv.utils.get_secret, load()))\n')).toEqual(['?load()']);
    expect(reads('def f(conv):\n    return apply(conv.utils.get_secret, ["a"])\n')).toEqual([]);
    expect(reads('def f(conv):\n    return list(map(conv.utils.get_secret))\n')).toEqual([]);
    expect(reads('def f(conv):\n    return list(map(str, ["a"]))\n')).toEqual([]);
  });

  it('each name is checked: an unknown one is reported on its literal', () => {
    const d = doc('def f(conv):\n    return list(map(conv.utils.get_secret, ["stripe_key", "no_such_secret"]))\n');
    const found = computeDiagnostics(d.doc, d.result, model()).filter((x: Diagnostic) => x.code === 'unknown-secret');
    // On the read's argument, as every computed read's; its related information points at the literal.
    expect(found.map((x) => [textOf(d.doc, x.range), x.message])).toEqual([['["stripe_key", "no_such_secret"]', expect.stringContaining("'no_such_secret', which does not exist")]]);
    expect(found[0]!.relatedInformation?.some((r) => textOf(d.doc, r.location.range) === '"no_such_secret"')).toBe(true);
  });

  it("the map's result holds the values: printing them is a leak", () => {
    const text = 'def f(conv):\n    for v in map(conv.utils.get_secret, ["crm_api"]):\n        print(v)\n';
    const leaks = scan(text, 'python').leaks;
    expect(leaks.map((l) => l.sink)).toEqual(['print']);
  });
});

describe('functools.partial(get_secret, name)', () => {
  it('reads the name given there: positional or by keyword, through the module or imported, chosen by environment', () => {
    const text = [
      'import functools',
      'from functools import partial',
      'def f(conv):',
      '    a = functools.partial(conv.utils.get_secret, "crm_api")',
      '    b = partial(conv.utils.get_secret, secret_name="pay_api")',
      '    name = "live_api" if conv.env == "live" else "uat_api"',
      '    c = partial(conv.utils.get_secret, name)',
      '    return a(), b(), c()',
    ].join('\n');
    expect(reads(text)).toEqual(['crm_api', 'pay_api', '[live_api, uat_api]']);
    const [ref] = scan(text, 'python').references;
    expect(text.slice(ref!.span.start, ref!.span.end)).toBe('functools.partial(conv.utils.get_secret, "crm_api")');
    const chosen = scan(text, 'python').references[2]!;
    expect(chosen.candidates?.map((c) => [c.name, c.environments])).toEqual([
      ['live_api', ['live']],
      ['uat_api', ['sandbox', 'pre-release']],
    ]);
  });

  it('a partial that leaves the name to its calls, or of another function, reads nothing here', () => {
    expect(reads('from functools import partial\ndef f(conv):\n    read = partial(conv.utils.get_secret)\n    return read("x")\n')).toEqual([]);
    expect(reads('from functools import partial\ndef f(conv):\n    return partial(fetch, conv.utils.get_secret, "x")\n')).toEqual([]);
  });

  it('an unknown name is reported on its literal', () => {
    const d = doc('from functools import partial\ndef f(conv):\n    return partial(conv.utils.get_secret, "no_such_secret")()\n');
    const found = computeDiagnostics(d.doc, d.result, model()).filter((x: Diagnostic) => x.code === 'unknown-secret');
    expect(found.map((x) => textOf(d.doc, x.range))).toEqual(['no_such_secret']);
  });
});
