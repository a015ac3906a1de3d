import { describe, expect, it } from 'vitest';
import { WordPrefixIndex, matchesWordStart } from '../../server/src/service/model/wordPrefixIndex';

describe('word prefix index', () => {
  const names = ['api_api_key', 'google_oauth', 'oauth_app', 'stripe_key', 'stripe_keys', 'x_'];
  const index = new WordPrefixIndex(names);
  const find = (typed: string, cap = 100) => index.lookup(typed, cap)?.map((i) => names[i]).sort();

  it('finds names by their start or the start of a word, each once', () => {
    expect(find('oauth')).toEqual(['google_oauth', 'oauth_app']);
    expect(find('api')).toEqual(['api_api_key']);
    expect(find('ap')).toEqual(['api_api_key', 'oauth_app']);
    expect(find('stripe_k')).toEqual(['stripe_key', 'stripe_keys']);
    expect(find('key')).toEqual(['api_api_key', 'stripe_key', 'stripe_keys']);
    expect(find('auth')).toEqual([]);
    expect(find('')).toHaveLength(names.length);
  });

  it('gives up when more word starts match than the cap', () => {
    expect(index.lookup('', 3)).toBeUndefined();
    expect(index.lookup('stripe', 2)).toEqual([3, 4]);
    expect(index.lookup('stripe', 1)).toBeUndefined();
  });

  it('agrees with the plain check on every name', () => {
    for (const typed of ['', 'a', 'ap', 'api_k', 'o', 'oa', 'k', 'x', 'x_', 'z']) {
      expect(find(typed), typed).toEqual(names.filter((n) => matchesWordStart(n, typed)).sort());
    }
  });
});
