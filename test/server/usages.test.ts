import { describe, expect, it } from 'vitest';
import { addUsageCounts, findReads, findUsages, referencesAt } from '../../server/src/service/features/usages';
import { BOOKING, doc, textOf } from './vaultFixture';

describe('usages', () => {
  const a = doc("g = conv.utils.get_secret('google_oauth')\ng['client_id']\nconv.utils.get_secret('stripe_key')\n", `${BOOKING}/a.py`);
  const b = doc(
    "import os\nx = conv.utils.get_secret('google_oauth').get('client_secret')\nos.environ['STRIPE_KEY']\n# conv.utils.get_secret('google_oauth')\n",
    `${BOOKING}/b.py`,
  );

  it('lists every reference to a secret across documents, on the name', () => {
    const found = findUsages([a, b], 'snake_case', 'google_oauth');
    expect(found.map((l) => `${l.uri.slice(BOOKING.length)}:${l.range.start.line}`)).toEqual(['/a.py:0', '/b.py:1']);
    expect(textOf(a.doc, found[0]!.range)).toBe('google_oauth');
  });

  it('lists the reads of a name whatever environment takes it, each with its environments', () => {
    const c = doc(
      "def f(conv):\n    name = 'google_oauth' if conv.env == 'sandbox' else 'other_oauth'\n    conv.utils.get_secret(name)['client_id']\n",
      `${BOOKING}/c.py`,
    );
    const reads = findReads([a, b, c], 'snake_case', 'google_oauth');
    expect(reads.map((r) => [r.uri.slice(BOOKING.length), r.range.start.line, r.environments])).toEqual([
      ['/a.py', 0, null],
      ['/b.py', 1, null],
      ['/c.py', 1, ['sandbox']],
    ]);
    expect(textOf(c.doc, reads[2]!.range)).toBe('google_oauth');
    expect(findReads([c], 'snake_case', 'other_oauth').map((r) => r.environments)).toEqual([['pre-release', 'live']]);
    // Find Usages lists the same places; a key is read through the computed name too.
    expect(findUsages([a, b, c], 'snake_case', 'google_oauth')).toEqual(reads.map(({ uri, range }) => ({ uri, range })));
    expect(findUsages([c], 'snake_case', 'google_oauth', 'client_id').map((l) => textOf(c.doc, l.range))).toEqual(['client_id']);
  });

  it("a literal read in a branch on conv.env is listed with the branch's environments", () => {
    const d = doc('def f(conv):\n    if conv.env == "sandbox":\n        return conv.utils.get_secret("x_uat_api")\n    return conv.utils.get_secret("x_prod_api")\n', `${BOOKING}/d.py`);
    expect(findReads([d], 'snake_case', 'x_uat_api').map((r) => r.environments)).toEqual([['sandbox']]);
    expect(findReads([d], 'snake_case', 'x_prod_api').map((r) => r.environments)).toEqual([['pre-release', 'live']]);
  });

  it('with a key, only the references that read it', () => {
    const found = findUsages([a, b], 'snake_case', 'google_oauth', 'client_secret');
    expect(found.map((l) => [l.uri, textOf(b.doc, l.range)])).toEqual([[`${BOOKING}/b.py`, 'client_secret']]);
    expect(findUsages([a, b], 'snake_case', 'google_oauth', 'nope')).toEqual([]);
  });

  it('counts environment reads only in environment-style accounts', () => {
    const counts = new Map<string, number>();
    for (const d of [a, b]) addUsageCounts(counts, d.result, 'snake_case');
    expect(Object.fromEntries(counts)).toEqual({ google_oauth: 2, stripe_key: 1 });
    const env = new Map<string, number>();
    addUsageCounts(env, b.result, 'UPPER_CASE');
    expect(Object.fromEntries(env)).toEqual({ google_oauth: 1, STRIPE_KEY: 1 });
    expect(findUsages([b], 'snake_case', 'STRIPE_KEY')).toEqual([]);
  });

  it('answers Find All References on a name or a key, and nothing elsewhere', () => {
    const onName = a.doc.getText().indexOf('google_oauth') + 3;
    const names = referencesAt(a, onName, [a, b], 'snake_case');
    expect(names?.map((l) => `${l.uri.slice(BOOKING.length)}:${l.range.start.line}`)).toEqual(['/a.py:0', '/b.py:1']);
    const onKey = b.doc.getText().indexOf('client_secret') + 2;
    const keys = referencesAt(b, onKey, [a, b], 'snake_case');
    expect(keys?.map((l) => textOf(b.doc, l.range))).toEqual(['client_secret']);
    expect(referencesAt(a, 2, [a, b], 'snake_case')).toBeUndefined();
    // a string in a comment is not a reference, so no references from there
    const inComment = b.doc.getText().lastIndexOf('google_oauth') + 1;
    expect(referencesAt(b, inComment, [a, b], 'snake_case')).toBeUndefined();
  });
});
