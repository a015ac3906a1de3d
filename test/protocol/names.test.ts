// The naming contract every part shares: names as real accounts have them, the account's
// convention as advice, and the folds that make two names one to a person.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agentIdFold,
  checkAgentId,
  checkSecretName,
  conventionalName,
  followsConvention,
  isAnyName,
  MAX_NAME_LENGTH,
  nameFold,
  isNameTwin,
  nameSeparatorFold,
  nameTwinOf,
  nameLength,
  nameLooseFold,
} from '../../protocol/names';

describe('secret names in get_secret accounts', () => {
  it('accept what real accounts hold: capitals, spaces, punctuation, any script, emoji, combining marks, 128 characters', () => {
    for (const name of [
      'Prod API Credentials',
      'X_BEARER_TOKEN',
      'stripe_api_key',
      "it's a \"quoted\" \\ name",
      'a/b?c#d%e+f..g',
      '..',
      'naïve café',
      'e\u0301te\u0301',
      'مفتاح API',
      'מפתח',
      '😀 key',
      '鍵',
      'x'.repeat(MAX_NAME_LENGTH),
      '😀'.repeat(MAX_NAME_LENGTH),
      '::error::x',
    ]) {
      expect({ name, problem: checkSecretName(name, 'snake_case') }).toEqual({ name, problem: undefined });
      expect(isAnyName(name)).toBe(true);
    }
  });

  it('refuse control, invisible, separator and bidirectional-control characters, naming the code point and never the name', () => {
    const cases: [string, string][] = [
      ['a\u202eb', 'U+202E'],
      ['a\u2066b', 'U+2066'],
      ['a\u200bb', 'U+200B'],
      ['a\u2028b', 'U+2028'],
      ['a\u2029b', 'U+2029'],
      ['a\tb', 'U+0009'],
      ['a\nb', 'U+000A'],
      ['a\u0085b', 'U+0085'],
      ['a\ud800b', 'U+D800'],
      ['a\u{e0041}b', 'U+E0041'],
      ['a\u{e0000}b', 'U+E0000'],
      ['a\u2065b', 'U+2065'],
      ['a\ufeffb', 'U+FEFF'],
      ['a\ue000b', 'U+E000'],
      ['a\uffffb', 'U+FFFF'],
      // Letters and marks that show as nothing (safeText's invisible set): `admin\u3164` must not pass for `admin`.
      ['a\u034fb', 'U+034F'],
      ['admin\u3164', 'U+3164'],
      ['a\u115fb', 'U+115F'],
      ['a\u1160b', 'U+1160'],
      ['a\u17b4b', 'U+17B4'],
      ['a\u17b5b', 'U+17B5'],
      ['a\uffa0b', 'U+FFA0'],
    ];
    for (const [name, cp] of cases) {
      const problem = checkSecretName(name, 'snake_case');
      expect(problem).toContain(cp);
      expect(problem).not.toContain(name);
      expect(isAnyName(name)).toBe(false);
    }
  });

  it('refuse a space at either end, the empty name, and more than 128 characters (code points)', () => {
    expect(checkSecretName(' key', 'snake_case')).toBe('A secret name cannot start or end with a space.');
    expect(checkSecretName('key\u00a0', 'snake_case')).toBe('A secret name cannot start or end with a space.');
    expect(checkSecretName('', 'snake_case')).toBe('A secret name cannot be empty.');
    expect(checkSecretName('x'.repeat(MAX_NAME_LENGTH + 1), 'snake_case')).toBe('A secret name has at most 128 characters.');
    expect(checkSecretName('😀'.repeat(MAX_NAME_LENGTH + 1), 'snake_case')).toBe('A secret name has at most 128 characters.');
    expect(nameLength('😀e\u0301')).toBe(3);
  });

  it('advise snake_case: the conventional form of any name', () => {
    expect(followsConvention('Prod API Credentials', 'snake_case')).toBe(false);
    expect(followsConvention('stripe_api_key', 'snake_case')).toBe(true);
    expect(conventionalName('Prod API Credentials', 'snake_case')).toBe('prod_api_credentials');
    expect(conventionalName('X_BEARER_TOKEN', 'snake_case')).toBe('x_bearer_token');
    expect(conventionalName('apiKey', 'snake_case')).toBe('api_key');
    expect(conventionalName('HTTPServer token', 'snake_case')).toBe('http_server_token');
    expect(conventionalName('naïve café', 'snake_case')).toBe('naive_cafe');
    expect(conventionalName('2fa code', 'snake_case')).toBe('secret_2fa_code');
    expect(conventionalName('😀', 'snake_case')).toBeUndefined();
    expect(conventionalName('Prod API', 'UPPER_CASE')).toBe('PROD_API');
  });

  it('the conventional form, when there is one, always follows the convention and is a valid name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (name) => {
        for (const style of ['snake_case', 'UPPER_CASE'] as const) {
          const c = conventionalName(name, style);
          if (c === undefined) continue;
          expect(followsConvention(c, style)).toBe(true);
          expect(checkSecretName(c, style)).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('secret names in environment-style accounts', () => {
  it('stay environment variables', () => {
    expect(checkSecretName('X_BEARER_TOKEN', 'UPPER_CASE')).toBeUndefined();
    expect(checkSecretName('X'.repeat(MAX_NAME_LENGTH), 'UPPER_CASE')).toBeUndefined();
    expect(checkSecretName('stripe_key', 'UPPER_CASE')).toBe("This account uses environment-style names: did you mean 'STRIPE_KEY'?");
    expect(checkSecretName('Prod API', 'UPPER_CASE')).toMatch(/^This account uses environment-style names: an upper-case letter/);
    expect(checkSecretName('1X', 'UPPER_CASE')).toBeDefined();
  });
});

describe('folds', () => {
  it('make names that differ only in case, spacing or compatibility form one name', () => {
    expect(nameFold('Prod API Credentials')).toBe(nameFold('prod  api credentials'));
    expect(nameFold('ProdAPICredentials')).toBe(nameFold('Prod API Credentials'));
    expect(nameFold('ＡＰＩ key')).toBe(nameFold('API key'));
    expect(nameFold('stripe_key')).not.toBe(nameFold('stripe-key'));
    expect(isNameTwin('stripe_key', 'stripe-key')).toBe(true);
    expect(nameLooseFold('stripe-key')).toBe(nameLooseFold('Stripe Key'));
    expect(nameLooseFold('STRIPE_KEY')).toBe(nameLooseFold('stripe key'));
  });

  it("make '_', '-' and a space one separator, never none: twins by either fold", () => {
    const one = ['prod_api_credentials', 'Prod API Credentials', 'prod-api-credentials', 'PROD_API_CREDENTIALS', 'Prod  API_Credentials'];
    for (const a of one) for (const b of one) expect(isNameTwin(a, b)).toBe(true);
    expect(nameSeparatorFold('Prod API-Credentials')).toBe('prod_api_credentials');
    // Distinct environment variables stay distinct: a separator is kept, and a run of them is not one.
    expect(isNameTwin('A_B', 'AB')).toBe(false);
    expect(isNameTwin('X_API_KEY', 'XAPI_KEY')).toBe(false);
    expect(isNameTwin('A__B', 'A_B')).toBe(false);
    // The spacing rule of before still holds beside it.
    expect(isNameTwin('ProdAPICredentials', 'Prod API Credentials')).toBe(true);
    expect(nameTwinOf('prod-api-credentials', ['stripe_key', 'Prod API Credentials', 'prod_api_credentials'])).toBe('Prod API Credentials');
    expect(nameTwinOf('stripe_key', ['stripe_key_2'])).toBeUndefined();
    expect(nameTwinOf('stripe_key', ['x', 'stripe_key'])).toBe('stripe_key');
  });

  it('keep environment variables apart: two valid UPPER_CASE names are twins only when equal', () => {
    const env = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/);
    fc.assert(fc.property(env, env, (a, b) => (a === b) === isNameTwin(a, b)), { numRuns: 500 });
  });

  it('keep today’s names apart: two valid names of one style never fold together unless equal', () => {
    const snake = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/);
    fc.assert(fc.property(snake, snake, (a, b) => (a === b) === (nameFold(a) === nameFold(b)) && (a === b) === isNameTwin(a, b)), { numRuns: 500 });
  });
});

describe('agent ids', () => {
  it('accept Agent Studio project ids and today’s ids, case kept, 1 to 64 characters', () => {
    for (const id of ['PROJECT-WEVYLLDV', 'booking-agent', 'a', 'A_b-9', '9lives', 'x'.repeat(64)]) expect(checkAgentId(id)).toBeUndefined();
    for (const id of ['', '-x', '_x', 'x'.repeat(65), 'a b', 'a.b', 'a/b', 'é', 'a\u200b']) expect(checkAgentId(id)).toBeDefined();
    expect(agentIdFold('PROJECT-WEVYLLDV')).toBe(agentIdFold('project-wevylldv'));
  });
});
