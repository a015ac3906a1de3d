import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_VAULT_URL } from '../../protocol/api';
import { readWorkspaceConfig, resolveFolderConfig, resolveToken } from '../../client/src/core/connectionConfig';

describe('resolving a folder’s vault and agent', () => {
  it('uses the default URL and no agent when nothing is set', () => {
    expect(resolveFolderConfig({ settings: {}, env: {} })).toEqual({
      url: DEFAULT_VAULT_URL,
      urlSource: 'default',
      agent: null,
      agentSource: 'none',
      problems: [],
    });
  });

  it('ranks setting over environment over file for the URL, and setting over file for the agent', () => {
    const file = { vault: 'http://127.0.0.1:9001/', agent: 'file-agent' };
    const env = { SECRETS_VAULT_URL: 'http://127.0.0.1:9002' };
    expect(resolveFolderConfig({ settings: {}, file, env: {} })).toMatchObject({
      url: 'http://127.0.0.1:9001',
      urlSource: 'file',
      agent: 'file-agent',
      agentSource: 'file',
    });
    expect(resolveFolderConfig({ settings: {}, file, env })).toMatchObject({ url: 'http://127.0.0.1:9002', urlSource: 'environment' });
    expect(resolveFolderConfig({ settings: { url: 'https://vault.example/', agent: 'set-agent' }, file, env })).toMatchObject({
      url: 'https://vault.example',
      urlSource: 'setting',
      agent: 'set-agent',
      agentSource: 'setting',
    });
  });

  it('skips invalid values with a problem and falls through to the next source', () => {
    const r = resolveFolderConfig({
      settings: { url: 'ftp://nope', agent: 'Not An Agent' },
      file: { vault: 'http://127.0.0.1:9001', agent: 'booking-agent' },
      env: {},
    });
    expect(r).toMatchObject({ url: 'http://127.0.0.1:9001', urlSource: 'file', agent: 'booking-agent', agentSource: 'file' });
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toContain('secretsVault.url');
    expect(r.problems[1]).toContain('secretsVault.agent');
  });

  it('an Agent Studio id from a setting or secrets-vault.json is kept exactly, its case included', () => {
    expect(resolveFolderConfig({ settings: { agent: ' PROJECT-WEVYLLDV ' }, file: undefined, env: {} })).toMatchObject({ agent: 'PROJECT-WEVYLLDV', agentSource: 'setting', problems: [] });
    expect(resolveFolderConfig({ settings: {}, file: { agent: 'Project_Demo-01' }, env: {} })).toMatchObject({ agent: 'Project_Demo-01', agentSource: 'file', problems: [] });
    // Still not an id: a space, a leading hyphen, 65 characters.
    for (const bad of ['PROJECT WEVYLLDV', '-PROJECT', 'P'.repeat(65)]) {
      const r = resolveFolderConfig({ settings: { agent: bad }, file: undefined, env: {} });
      expect(r.agent).toBeNull();
      expect(r.problems[0]).toContain('is not an agent id');
    }
  });

  it('treats blank settings as unset', () => {
    expect(resolveFolderConfig({ settings: { url: '  ', agent: '' }, file: { agent: 'a1' }, env: {} })).toMatchObject({
      urlSource: 'default',
      agent: 'a1',
    });
  });
});

describe('choosing the token', () => {
  const url = 'http://127.0.0.1:8787';
  it('prefers the key stored by Sign In', () => {
    expect(resolveToken(url, 'svu_stored', { SECRETS_VAULT_TOKEN: 'svu_env' })).toEqual({ token: 'svu_stored', source: 'stored' });
  });
  it('uses SECRETS_VAULT_TOKEN when no key is stored and it is meant for this URL', () => {
    expect(resolveToken(url, undefined, { SECRETS_VAULT_TOKEN: 'svu_env' })).toEqual({ token: 'svu_env', source: 'environment' });
    expect(resolveToken(url, undefined, { SECRETS_VAULT_TOKEN: 'svu_env', SECRETS_VAULT_URL: `${url}/` })).toEqual({
      token: 'svu_env',
      source: 'environment',
    });
  });
  it('does not send an environment token to another vault', () => {
    expect(resolveToken(url, undefined, { SECRETS_VAULT_TOKEN: 'svu_env', SECRETS_VAULT_URL: 'http://127.0.0.1:9999' })).toEqual({
      token: undefined,
      source: 'none',
    });
    // Without SECRETS_VAULT_URL the token is for the default vault only, not for a URL a folder names.
    expect(resolveToken('http://attacker.example', undefined, { SECRETS_VAULT_TOKEN: 'svu_env' })).toEqual({ token: undefined, source: 'none' });
  });
});

describe('secrets-vault.json', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('is read from the folder root, absent is fine, and bad content is explained', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sv-config-'));
    expect(await readWorkspaceConfig(dir)).toEqual({});
    writeFileSync(path.join(dir, 'secrets-vault.json'), JSON.stringify({ vault: 'http://127.0.0.1:8787', agent: 'booking-agent' }));
    expect(await readWorkspaceConfig(dir)).toEqual({ config: { vault: 'http://127.0.0.1:8787', agent: 'booking-agent' } });
    writeFileSync(path.join(dir, 'secrets-vault.json'), '{ "vault": ');
    expect((await readWorkspaceConfig(dir)).problem).toContain('not valid JSON');
    writeFileSync(path.join(dir, 'secrets-vault.json'), JSON.stringify({ vault: 8787, agent: 'a1' }));
    const r = await readWorkspaceConfig(dir);
    expect(r.config).toEqual({ agent: 'a1' });
    expect(r.problem).toContain('"vault" must be a string');
    writeFileSync(path.join(dir, 'secrets-vault.json'), '[]');
    expect((await readWorkspaceConfig(dir)).problem).toContain('must hold an object');
  });
});
