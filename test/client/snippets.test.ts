import { describe, expect, it } from 'vitest';
import { renderSnippet } from '../../client/src/core/snippets';

describe('snippets', () => {
  it('reads a snake_case secret with get_secret, and a key with a subscript', () => {
    expect(renderSnippet({ name: 'stripe_api_key', kind: 'single', namingStyle: 'snake_case' })).toBe(
      "conv.utils.get_secret('stripe_api_key')",
    );
    expect(renderSnippet({ name: 'amadeus_flights', key: 'client_id', kind: 'kv', namingStyle: 'snake_case', languageId: 'python' })).toBe(
      "conv.utils.get_secret('amadeus_flights')['client_id']",
    );
  });

  it('uses the environment in environment-style accounts, by language', () => {
    const base = { name: 'X_BEARER_TOKEN', kind: 'single' as const, namingStyle: 'UPPER_CASE' as const };
    expect(renderSnippet({ ...base, languageId: 'python' })).toBe("os.environ['X_BEARER_TOKEN']");
    expect(renderSnippet(base)).toBe("os.environ['X_BEARER_TOKEN']");
    for (const languageId of ['javascript', 'typescript', 'javascriptreact', 'typescriptreact']) {
      expect(renderSnippet({ ...base, languageId })).toBe('process.env.X_BEARER_TOKEN');
    }
  });

  it('reads key/value secrets with get_secret even in environment-style accounts (the runtime injects single values only)', () => {
    expect(renderSnippet({ name: 'ZENDESK', kind: 'kv', namingStyle: 'UPPER_CASE', languageId: 'typescript' })).toBe(
      "conv.utils.get_secret('ZENDESK')",
    );
    expect(renderSnippet({ name: 'ZENDESK', key: 'api_token', kind: 'kv', namingStyle: 'UPPER_CASE' })).toBe(
      "conv.utils.get_secret('ZENDESK')['api_token']",
    );
  });

  it('honours templates from settings, ignoring blank ones', () => {
    const templates = { getSecret: 'secrets.get("${name}")', getSecretKey: '', jsEnv: "process.env['${name}']" };
    expect(renderSnippet({ name: 'a_b', kind: 'single', namingStyle: 'snake_case', templates })).toBe('secrets.get("a_b")');
    expect(renderSnippet({ name: 'a_b', key: 'k', kind: 'kv', namingStyle: 'snake_case', templates })).toBe(
      "conv.utils.get_secret('a_b')['k']",
    );
    expect(renderSnippet({ name: 'A_B', kind: 'single', namingStyle: 'UPPER_CASE', languageId: 'javascript', templates })).toBe(
      "process.env['A_B']",
    );
  });

  it("a name goes into the template's string escaped for its quote, so the code reads exactly that name", () => {
    const base = { kind: 'single' as const, namingStyle: 'snake_case' as const };
    expect(renderSnippet({ ...base, name: 'Prod API Credentials' })).toBe("conv.utils.get_secret('Prod API Credentials')");
    expect(renderSnippet({ ...base, name: "Bob's \\ key" })).toBe("conv.utils.get_secret('Bob\\'s \\\\ key')");
    expect(renderSnippet({ ...base, name: "Bob's", key: 'client_id', kind: 'kv' })).toBe("conv.utils.get_secret('Bob\\'s')['client_id']");
    // Double quotes, f-strings (braces doubled) and JavaScript template literals, from settings.
    expect(renderSnippet({ ...base, name: 'say "hi"', templates: { getSecret: 'get_secret("${name}")' } })).toBe('get_secret("say \\"hi\\"")');
    expect(renderSnippet({ ...base, name: "{x}'s", templates: { getSecret: "get_secret(f'${name}')" } })).toBe("get_secret(f'{{x}}\\'s')");
    expect(renderSnippet({ ...base, name: 'a`${b}', languageId: 'typescript', templates: { getSecret: 'getSecret(`${name}`)' } })).toBe('getSecret(`a\\`\\${b}`)');
    // A raw string cannot hold its own quote: said, not written broken.
    expect(() => renderSnippet({ ...base, name: "Bob's", templates: { getSecret: "get_secret(r'${name}')" } })).toThrow(/raw string/);
    // Outside quotes (a placeholder as an identifier), nothing is added.
    expect(renderSnippet({ name: 'X_TOKEN', kind: 'single', namingStyle: 'UPPER_CASE', languageId: 'javascript' })).toBe('process.env.X_TOKEN');
  });

  it('fills every placeholder, and leaves other dollar signs alone', () => {
    const templates = { getSecretKey: '${name}.${key} / ${name} $x ${other}' };
    expect(renderSnippet({ name: 'n', key: 'k', kind: 'kv', namingStyle: 'snake_case', templates })).toBe('n.k / n $x ${other}');
  });
});
