import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NameIndex, boundedDistance, isNearName, looseFold, oneEditApart, typoBound } from '../../server/src/service/model/nearest';
import { nameLooseFold } from '../../protocol/names';

/** Plain optimal-string-alignment distance, the reference the bounded one must agree with. */
function osa(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

function prefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

describe('did-you-mean', () => {
  it('counts typos: insertions, deletions, substitutions and swapped neighbours', () => {
    expect(boundedDistance('strpe_key', 'stripe_key', 3)).toBe(1);
    expect(boundedDistance('stirpe_key', 'stripe_key', 3)).toBe(1);
    expect(boundedDistance('stripe_kex', 'stripe_key', 3)).toBe(1);
    expect(boundedDistance('stripe_key', 'stripe_key', 3)).toBe(0);
    expect(boundedDistance('sendgrid', 'stripe_key', 3)).toBe(4);
  });

  it('agrees with the unbounded distance up to the bound', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, bound) => {
        expect(boundedDistance(a, b, bound)).toBe(Math.min(osa(a, b), bound + 1));
      }),
      { numRuns: 500 },
    );
  });

  it('says one edit apart exactly where the bounded distance says 1, in any case and beyond ASCII', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', '_', 'é', 'É', 'İ', 'ß', '1'), maxLength: 8 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(oneEditApart(a, b)).toBe(boundedDistance(a, b, 1) === 1);
      }),
      { numRuns: 3000 },
    );
    // Near pairs, which random ones seldom are: each edit of a word, and two edits.
    const base = 'Stripe_Key_1';
    const edits = (w: string) => [...w].flatMap((_, i) => [w.slice(0, i) + w.slice(i + 1), w.slice(0, i) + 'x' + w.slice(i + 1), w.slice(0, i) + 'q' + w.slice(i), w.slice(0, i) + w.charAt(i + 1) + w.charAt(i) + w.slice(i + 2)]);
    for (const one of edits(base)) {
      expect(oneEditApart(base, one), one).toBe(boundedDistance(base, one, 1) === 1);
      expect(oneEditApart(one.toUpperCase(), base), one).toBe(boundedDistance(one.toUpperCase(), base, 1) === 1);
      for (const two of edits(one).slice(0, 12)) expect(oneEditApart(base, two), two).toBe(boundedDistance(base, two, 1) === 1);
    }
  });

  it('finds the nearest names in a large vault and the same ones as a full search', () => {
    const names: string[] = [];
    for (let i = 0; i < 10_000; i++) names.push(`svc${i % 97}_${['api_key', 'token', 'client', 'webhook'][i % 4]}_${i}`);
    names.push('stripe_key', 'stripe_keys', 'strip_key');
    const index = new NameIndex(names);
    expect(index.nearest('strpe_key').map((m) => m.name)).toEqual(['stripe_key', 'strip_key', 'stripe_keys']);
    for (const query of ['svc3_tokne_3', 'svc12_api_key_1', 'webhok']) {
      const full = names
        .map((name) => ({ name, distance: osa(query, name) }))
        .filter((m) => m.distance <= typoBound(query.length) && m.name !== query)
        .map((m) => m.name)
        .sort();
      expect(
        index
          .nearest(query, 1000)
          .map((m) => m.name)
          .sort(),
      ).toEqual(full);
    }
  });

  it('the one-edit shortcut ranks exactly as comparing with every name would', () => {
    const rand = fc.sample(fc.integer({ min: 0, max: 2 ** 31 }), { numRuns: 1, seed: 7 })[0]!;
    let s = rand;
    const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const names = Array.from({ length: 3000 }, (_, i) => `${['stripe', 'slack', 'svc', 'google'][i % 4]}_${i % 211}_${['key', 'token', 'id'][i % 3]}`);
    const index = new NameIndex(names);
    const unique = [...new Set(names)];
    for (let q = 0; q < 100; q++) {
      const base = unique[Math.floor(next() * unique.length)]!;
      const at = Math.floor(next() * base.length);
      const typo = next() < 0.5 ? base.slice(0, at) + base.slice(at + 1) : base.slice(0, at) + 'x' + base.slice(at + 1);
      // boundedDistance agrees with the plain distance up to the bound (the property above).
      const bound = typoBound(typo.length);
      const brute = unique
        .filter((n) => n !== typo)
        // The same but for case, spacing or `_`/`-` counts as no edit at all.
        .map((name) => ({ name, distance: nameLooseFold(name) === nameLooseFold(typo) ? 0 : boundedDistance(typo, name, bound) }))
        .filter((m) => m.distance <= bound)
        .sort((a, b) => a.distance - b.distance || prefix(typo, b.name) - prefix(typo, a.name) || (a.name < b.name ? -1 : 1));
      expect(index.nearest(typo, 1), typo).toEqual(brute.slice(0, 1));
      expect(index.nearest(typo, 3), typo).toEqual(brute.slice(0, 3));
    }
  });

  it('suggests a name that differs only in case, spacing or _/-/space first, however many edits apart', () => {
    const index = new NameIndex(['Prod API Credentials', 'prod_api_credential', 'stripe-key', 'Stripe Key', 'zendesk']);
    // 8 edits from the vault's name, one from another: the fold wins.
    expect(index.nearest('prod_api_credentials', 2)).toEqual([
      { name: 'Prod API Credentials', distance: 0 },
      { name: 'prod_api_credential', distance: 1 },
    ]);
    expect(index.nearest('STRIPE_KEY', 3).map((m) => m.name)).toEqual(['Stripe Key', 'stripe-key']);
    expect(index.nearest('ＰＲＯＤ API credentials', 1)).toEqual([{ name: 'Prod API Credentials', distance: 0 }]);
    // Kept in place as names come and go.
    index.remove('Prod API Credentials');
    expect(index.nearest('prod_api_credentials', 1)).toEqual([{ name: 'prod_api_credential', distance: 1 }]);
    index.add('PROD-API-CREDENTIALS');
    expect(index.nearest('prod_api_credentials', 1)).toEqual([{ name: 'PROD-API-CREDENTIALS', distance: 0 }]);
    expect(isNearName('prod_api_credentials', 'Prod API Credentials')).toBe(true);
    expect(isNearName('prod_api_credentials', 'zendesk')).toBe(false);
  });

  it('the quick ASCII fold is nameLooseFold', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'aZ_- \t09.%\'"\\'.split('')), maxLength: 20 });
    fc.assert(fc.property(fc.oneof(ascii, fc.string({ unit: 'grapheme', maxLength: 12 })), (name) => looseFold(name) === nameLooseFold(name)), { numRuns: 500, seed: 33 });
  });

  it('suggests nothing far away, and never the name itself', () => {
    const index = new NameIndex(['stripe_key', 'zendesk']);
    expect(index.nearest('salesforce_password')).toEqual([]);
    expect(index.nearest('stripe_key')).toEqual([]);
    expect(index.nearest('zen')).toEqual([]);
  });
});
