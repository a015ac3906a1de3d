// Where the vault URL, the token and each folder's agent come from, without vscode. Precedence,
// highest first (the CLI's order, with settings in the place of flags):
//   URL:   the `secretsVault.url` setting (when set) > SECRETS_VAULT_URL > secrets-vault.json `vault` > default
//   agent: the `secretsVault.agent` setting (when set) > secrets-vault.json `agent` > none
//          (folders.ts passes the settings only: a secrets-vault.json's agent, at any depth, is
//          weighed against the ADK projects by core/projects.ts, as `secrets-vault check` does)
//   token: the key stored by Sign In for this URL > SECRETS_VAULT_TOKEN (when it is meant for this URL)
// and no request at all over plain http:// to a host that is not loopback, unless the user allows it.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_VAULT_URL, WORKSPACE_CONFIG_FILE, type WorkspaceConfig } from '../../../protocol/api';
import { checkAgentId } from '../../../protocol/names';
import { parseWorkspaceConfig } from '../../../protocol/guards';
import { insecureHttpProblem } from '../../../protocol/urlPolicy';

export type UrlSource = 'setting' | 'environment' | 'file' | 'default';
export type AgentSource = 'setting' | 'file' | 'none';
export type TokenSource = 'stored' | 'environment' | 'none';

export interface ConfigEnv {
  SECRETS_VAULT_URL?: string | undefined;
  SECRETS_VAULT_TOKEN?: string | undefined;
}

export interface FolderConfigInput {
  /** Only values the user set (workspace folder, workspace or user scope), not the defaults. */
  settings: { url?: string | undefined; agent?: string | undefined };
  /** The folder's secrets-vault.json, when there is one. */
  file?: WorkspaceConfig | undefined;
  env: ConfigEnv;
}

export interface ResolvedFolderConfig {
  url: string;
  urlSource: UrlSource;
  agent: string | null;
  agentSource: AgentSource;
  /** Values that were ignored, as sentences for the log. */
  problems: string[];
}

/** The URL without trailing slashes, or undefined when it is not http(s). */
export function normalizeUrl(raw: string): string | undefined {
  const trimmed = raw.trim();
  try {
    const u = new URL(trimmed);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  } catch {
    return undefined;
  }
  return trimmed.replace(/\/+$/, '');
}

export function resolveFolderConfig(input: FolderConfigInput): ResolvedFolderConfig {
  const problems: string[] = [];
  const urlCandidates: [UrlSource, string | undefined, string][] = [
    ['setting', input.settings.url, 'The secretsVault.url setting'],
    ['environment', input.env.SECRETS_VAULT_URL, 'SECRETS_VAULT_URL'],
    ['file', input.file?.vault, `"vault" in ${WORKSPACE_CONFIG_FILE}`],
  ];
  let url: string = DEFAULT_VAULT_URL;
  let urlSource: UrlSource = 'default';
  for (const [source, raw, label] of urlCandidates) {
    if (raw === undefined || raw.trim() === '') continue;
    const normalized = normalizeUrl(raw);
    if (!normalized) {
      problems.push(`${label} is not an http(s) URL ('${raw}'); ignored.`);
      continue;
    }
    url = normalized;
    urlSource = source;
    break;
  }

  let agent: string | null = null;
  let agentSource: AgentSource = 'none';
  const agentCandidates: [AgentSource, string | undefined, string][] = [
    ['setting', input.settings.agent, 'The secretsVault.agent setting'],
    ['file', input.file?.agent, `"agent" in ${WORKSPACE_CONFIG_FILE}`],
  ];
  for (const [source, raw, label] of agentCandidates) {
    if (raw === undefined || raw.trim() === '') continue;
    const problem = checkAgentId(raw.trim());
    if (problem) {
      problems.push(`${label} ('${raw}') is not an agent id: ${problem}`);
      continue;
    }
    agent = raw.trim();
    agentSource = source;
    break;
  }
  return { url, urlSource, agent, agentSource, problems };
}

/**
 * The token to use for `url`. SECRETS_VAULT_TOKEN goes only to SECRETS_VAULT_URL, or to the default
 * URL when that is unset: a URL from a cloned folder's secrets-vault.json must never receive it.
 */
export function resolveToken(url: string, stored: string | undefined, env: ConfigEnv): { token: string | undefined; source: TokenSource } {
  if (stored) return { token: stored, source: 'stored' };
  const envToken = env.SECRETS_VAULT_TOKEN?.trim();
  if (envToken) {
    const envUrl = env.SECRETS_VAULT_URL ? normalizeUrl(env.SECRETS_VAULT_URL) : DEFAULT_VAULT_URL;
    if (envUrl === url) return { token: envToken, source: 'environment' };
  }
  return { token: undefined, source: 'none' };
}

/** How the user lifts the plain-http refusal: a machine-scoped setting, so no workspace can. */
export const ALLOW_INSECURE_HTTP_HOW = 'turn on the secretsVault.allowInsecureHttp setting (user settings)';

/**
 * Why the extension will not talk to `url`: plain http:// to a host that is not loopback would carry
 * the API key and secret values unencrypted. Undefined when it may.
 */
export function insecureUrlProblem(url: string, allowInsecureHttp: boolean): string | undefined {
  return insecureHttpProblem(url, allowInsecureHttp, ALLOW_INSECURE_HTTP_HOW);
}

/** Reads a folder's secrets-vault.json: its config, nothing when absent, or why it cannot be used. */
export async function readWorkspaceConfig(folderPath: string): Promise<{ config?: WorkspaceConfig; problem?: string }> {
  const file = path.join(folderPath, WORKSPACE_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { problem: `Cannot read ${file}: ${(e as Error).message}` };
  }
  return parseWorkspaceConfig(text, file);
}
