// The stdio configuration "Set Up for Another Assistant…" writes: the command line only, never a key.

import { describe, expect, it } from 'vitest';
import { mcpCommandLine, mergeMcpConfig } from '../../client/src/core/mcpSetup';
import { createSecretLink, parseCreateSecretLink } from '../../protocol/assistantClient';

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

  it("propose_secret's link carries the name, agent and keys, and the editor reads back exactly those", () => {
    const link = new URL(createSecretLink({ name: 'crm login', agent: 'booking-agent', keys: ['id', 'secret'] }));
    expect(link.protocol).toBe('vscode:');
    expect(parseCreateSecretLink(link.pathname, link.search.slice(1))).toEqual({ name: 'crm login', agent: 'booking-agent', keys: ['id', 'secret'] });
    expect(parseCreateSecretLink('/create-secret', 'name=x&value=hunter2')).toEqual({ name: 'x' });
    expect(parseCreateSecretLink('/other', 'name=x')).toBeUndefined();
    expect(parseCreateSecretLink('/create-secret', '')).toBeUndefined();
  });
});
