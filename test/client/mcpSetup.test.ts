// The stdio configuration "Set Up for Another Assistant…" writes: the command line only, never a key.

import { describe, expect, it } from 'vitest';
import { mcpCommandLine, mergeMcpConfig } from '../../client/src/core/mcpSetup';
import { MAX_REMEMBERED, UsedLinks } from '../../client/src/usedLinks';

describe('the assistant configuration', () => {
  it('is the command line, with the token file when one is named and nothing of the key', () => {
    expect(mcpCommandLine({ url: 'http://127.0.0.1:8787' })).toBe('secrets-vault mcp --url http://127.0.0.1:8787');
    expect(mcpCommandLine({ url: 'https://vault.example.com', tokenFile: '/home/me/my keys/vault.token' })).toBe(
      "secrets-vault mcp --url https://vault.example.com --token-file '/home/me/my keys/vault.token'",
    );
  });

  it("keeps the file's other servers and fields, replaces its own entry, and refuses a file that is not a JSON object", () => {
    const existing = JSON.stringify({ mcpServers: { other: { command: 'x' }, 'secrets-vault': { command: 'old' } }, extra: 1 });
    const merged = JSON.parse(mergeMcpConfig(existing, { url: 'http://127.0.0.1:8787' }));
    expect(merged).toEqual({
      mcpServers: { other: { command: 'x' }, 'secrets-vault': { type: 'stdio', command: 'secrets-vault', args: ['mcp', '--url', 'http://127.0.0.1:8787'] } },
      extra: 1,
    });
    expect(JSON.parse(mergeMcpConfig(undefined, { url: 'http://127.0.0.1:8787' })).mcpServers['secrets-vault'].args).toEqual(['mcp', '--url', 'http://127.0.0.1:8787']);
    expect(() => mergeMcpConfig('[1]', { url: 'http://x' })).toThrow(/not a JSON object/);
    expect(() => mergeMcpConfig('{"mcpServers": 3}', { url: 'http://x' })).toThrow(/mcpServers/);
    expect(() => mergeMcpConfig('{oops', { url: 'http://x' })).toThrow();
  });

  it('a link opens once: its nonce is claimed the first time, refused after, also by a later window on the same state', async () => {
    const saved = new Map<string, unknown>();
    const store = {
      get: <T>(key: string, defaultValue: T): T => (saved.has(key) ? (saved.get(key) as T) : defaultValue),
      update: (key: string, value: unknown) => {
        saved.set(key, value);
        return Promise.resolve();
      },
    };
    const links = new UsedLinks(store);
    const first = links.claim('aaaaaaaaaaaaaaaaaaaa');
    expect(first.first).toBe(true);
    await first.saved;
    expect(links.claim('aaaaaaaaaaaaaaaaaaaa').first).toBe(false);
    expect(links.claim('bbbbbbbbbbbbbbbbbbbb').first).toBe(true);
    // Another window (or a restart) reads the same global state.
    const later = new UsedLinks(store);
    expect(later.claim('aaaaaaaaaaaaaaaaaaaa').first).toBe(false);
    expect(later.claim('bbbbbbbbbbbbbbbbbbbb').first).toBe(false);
    // Kept to the most recent MAX_REMEMBERED.
    for (let i = 0; i < MAX_REMEMBERED + 5; i++) later.claim(`nonce-${String(i).padStart(16, '0')}`);
    expect((saved.get('secretsVault.usedCreateSecretLinks') as string[]).length).toBe(MAX_REMEMBERED);
    // A store that holds something else is read as nothing used.
    expect(new UsedLinks({ get: <T>(_k: string, _d: T) => 42 as unknown as T, update: () => Promise.resolve() }).claim('cccccccccccccccccccc').first).toBe(true);
  });
});
