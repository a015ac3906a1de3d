// How the CLI reaches a running vault: URL and token from flags, the environment or
// secrets-vault.json, and an undici transport for protocol/client.ts.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { DEFAULT_VAULT_URL, WORKSPACE_CONFIG_FILE, type WorkspaceConfig } from '../../../protocol/api';
import { unreachable, VaultApi, VaultApiError, type HttpTransport } from '../../../protocol/client';
import { CliError, EXIT } from './io';

export interface RemoteOptions {
  url?: string;
  tokenFile?: string;
}

/** The nearest secrets-vault.json from `dir` upwards, as the extension reads it too. */
export function findWorkspaceConfig(dir: string): { file: string; config: WorkspaceConfig } | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const file = path.join(d, WORKSPACE_CONFIG_FILE);
    if (existsSync(file)) {
      try {
        return { file, config: JSON.parse(readFileSync(file, 'utf8')) as WorkspaceConfig };
      } catch {
        throw new CliError(`${file} is not valid JSON.`, EXIT.usage);
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

export function resolveUrl(options: RemoteOptions, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const url = options.url ?? env.SECRETS_VAULT_URL ?? findWorkspaceConfig(cwd)?.config.vault ?? DEFAULT_VAULT_URL;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new CliError(`'${url}' is not an http(s) URL.`, EXIT.usage);
  }
  return url.replace(/\/+$/, '');
}

export function resolveToken(options: RemoteOptions, env: NodeJS.ProcessEnv = process.env): string {
  if (options.tokenFile) {
    let token: string;
    try {
      token = readFileSync(options.tokenFile, 'utf8').trim();
    } catch {
      throw new CliError(`Cannot read the token file ${options.tokenFile}.`, EXIT.usage);
    }
    warnIfShared(options.tokenFile);
    return token;
  }
  const token = env.SECRETS_VAULT_TOKEN;
  if (!token) {
    throw new CliError(
      'No token: set SECRETS_VAULT_TOKEN to an API key (svu_…) or agent token (sva_…), or pass --token-file FILE.',
      EXIT.usage,
    );
  }
  return token.trim();
}

/** A token file others can read is a leaked token waiting to happen: say so (the command still runs). */
function warnIfShared(file: string): void {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    process.stderr.write(
      `secrets-vault: warning: the token file ${file} is accessible to other users (mode ${mode.toString(8).padStart(4, '0')}); run 'chmod 600 ${file}'.\n`,
    );
  }
}

export function undiciTransport(base: string): HttpTransport {
  return async (req) => {
    try {
      const res = await request(base + req.path, {
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal: req.signal ?? null,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const text = await res.body.text();
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      return { status: res.statusCode, headers, text };
    } catch (e) {
      throw unreachable(base, e);
    }
  };
}

export function remoteApi(options: RemoteOptions): VaultApi {
  return new VaultApi(undiciTransport(resolveUrl(options)), resolveToken(options));
}

/** Turns an API failure into a message and an exit code a script can branch on. */
export function apiFailure(e: VaultApiError): CliError {
  const p = e.problem;
  const text = p.detail ?? p.title;
  switch (e.status) {
    case 0:
      return new CliError(`${text} Is 'secrets-vault serve' running?`, EXIT.unreachable);
    case 401:
      return new CliError(`Not authenticated: ${text}`, EXIT.auth);
    case 403:
      return new CliError(`Forbidden: ${text}`, EXIT.auth);
    case 409:
    case 412:
      return new CliError(`Conflict: ${text}`, EXIT.conflict);
    case 429:
      return new CliError(`${text}`, EXIT.auth);
    default:
      return new CliError(`${p.title}${p.field ? ` (${p.field})` : ''}: ${text}`, EXIT.failure);
  }
}
