// How the CLI reaches a running vault: URL and token from flags, the environment or
// secrets-vault.json, and an undici transport for protocol/client.ts. The token goes only where the
// user said (the extension's rule): a URL that only secrets-vault.json names needs --trust-config-url.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from './undici';
import { DEFAULT_VAULT_URL, WORKSPACE_CONFIG_FILE, type WorkspaceConfig } from '../../../protocol/api';
import { unreachable, VaultApi, VaultApiError, type HttpTransport } from '../../../protocol/client';
import { parseWorkspaceConfig } from '../../../protocol/guards';
import { vaultMayUseProxy } from '../../../protocol/proxyPolicy';
import { insecureHttpProblem } from '../../../protocol/urlPolicy';
import { CliError, EXIT, human } from './io';

export interface RemoteOptions {
  url?: string;
  tokenFile?: string;
  /** Send the token to a URL that only secrets-vault.json names. */
  trustConfigUrl?: boolean;
  /** Allow plain http:// to a host that is not loopback. */
  allowInsecureHttp?: boolean;
}

/** Where the vault URL came from: only 'file' is chosen by someone other than the user. */
export type UrlSource = 'flag' | 'environment' | 'file' | 'default';

export interface ResolvedUrl {
  url: string;
  source: UrlSource;
  /** The secrets-vault.json that named the URL, when source is 'file'. */
  file?: string;
}

/** The nearest secrets-vault.json from `dir` upwards, as the extension reads it too. */
export function findWorkspaceConfig(dir: string): { file: string; config: WorkspaceConfig } | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const file = path.join(d, WORKSPACE_CONFIG_FILE);
    if (existsSync(file)) {
      const { config, problem } = parseWorkspaceConfig(readFileSync(file, 'utf8'), file);
      if (!config) throw new CliError(problem ?? `${file} cannot be used.`, EXIT.usage);
      if (problem) process.stderr.write(human`secrets-vault: warning: ${problem}\n`);
      return { file, config };
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** The vault URL (flag > SECRETS_VAULT_URL > nearest secrets-vault.json > default) and its source. */
export function resolveVaultUrl(options: RemoteOptions, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ResolvedUrl {
  let found: { raw: string; source: UrlSource; file?: string };
  if (options.url !== undefined) found = { raw: options.url, source: 'flag' };
  else if (env.SECRETS_VAULT_URL !== undefined) found = { raw: env.SECRETS_VAULT_URL, source: 'environment' };
  else {
    const ws = findWorkspaceConfig(cwd);
    const vault = ws?.config.vault;
    found = vault !== undefined && ws ? { raw: String(vault), source: 'file', file: ws.file } : { raw: DEFAULT_VAULT_URL, source: 'default' };
  }
  const url = normalizeUrl(found.raw);
  if (url === undefined) {
    throw new CliError(`'${found.raw}'${found.file ? ` (in ${found.file})` : ''} is not an http(s) URL.`, EXIT.usage);
  }
  return { url, source: found.source, ...(found.file ? { file: found.file } : {}) };
}

export function resolveUrl(options: RemoteOptions, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolveVaultUrl(options, env, cwd).url;
}

function normalizeUrl(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  } catch {
    return undefined;
  }
  return raw.replace(/\/+$/, '');
}

/**
 * Refuses to send the user's token where it must not go: to a URL that only a secrets-vault.json
 * names (a cloned repository or a pull request can edit that file) unless the user vouches for it,
 * and over plain http:// to another machine unless the user allows that. Returns nothing: it throws
 * a usage error that says how to proceed.
 */
export function assertTokenMayGo(target: ResolvedUrl, tokenFrom: string, options: RemoteOptions, env: NodeJS.ProcessEnv = process.env): void {
  if (target.source === 'file' && !options.trustConfigUrl) {
    // The URL the token would go to without the file (as the extension decides for
    // SECRETS_VAULT_TOKEN): a file naming that very URL changes nothing.
    const chosen = env.SECRETS_VAULT_URL !== undefined ? normalizeUrl(env.SECRETS_VAULT_URL) : DEFAULT_VAULT_URL;
    if (chosen !== target.url) {
      throw new CliError(
        `Not sending the token from ${tokenFrom} to ${target.url}: that URL comes only from ${target.file}, which anyone who can change the repository can edit. ` +
          `If you trust it, pass --trust-config-url, or name the vault yourself with --url ${target.url} or SECRETS_VAULT_URL=${target.url}.`,
        EXIT.usage,
      );
    }
  }
  const insecure = insecureHttpProblem(target.url, Boolean(options.allowInsecureHttp), 'pass --allow-insecure-http');
  if (insecure) throw new CliError(insecure, EXIT.usage);
}

function resolveTokenWithSource(options: RemoteOptions, env: NodeJS.ProcessEnv): { token: string; from: string } {
  if (options.tokenFile) {
    let token: string;
    try {
      token = readFileSync(options.tokenFile, 'utf8').trim();
    } catch {
      throw new CliError(`Cannot read the token file ${options.tokenFile}.`, EXIT.usage);
    }
    warnIfShared(options.tokenFile);
    return { token, from: `the token file ${options.tokenFile}` };
  }
  const token = env.SECRETS_VAULT_TOKEN;
  if (!token) {
    throw new CliError(
      'No token: set SECRETS_VAULT_TOKEN to an API key (svu_…) or agent token (sva_…), or pass --token-file FILE.',
      EXIT.usage,
    );
  }
  return { token: token.trim(), from: 'SECRETS_VAULT_TOKEN' };
}

/** A token file others can read is a leaked token waiting to happen: say so (the command still runs). */
function warnIfShared(file: string): void {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    process.stderr.write(
      human`secrets-vault: warning: the token file ${file} is accessible to other users (mode ${mode.toString(8).padStart(4, '0')}); run 'chmod 600 ${file}'.\n`,
    );
  }
}

let direct: Agent | undefined;
let proxied: EnvHttpProxyAgent | undefined;

/**
 * The dispatcher for requests to `base`, never undici's process-wide one: a direct connection,
 * or for https:// with SECRETS_VAULT_USE_PROXY=1 the environment's proxy (protocol/proxyPolicy.ts).
 */
export function vaultDispatcher(base: string, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  if (vaultMayUseProxy(base, env)) return (proxied ??= new EnvHttpProxyAgent());
  return (direct ??= new Agent());
}

export function undiciTransport(base: string): HttpTransport {
  const dispatcher = vaultDispatcher(base);
  const { origin, prefix } = splitBase(base);
  return async (req) => {
    try {
      // The path goes out as protocol/client.ts encoded it: undici's request(url) would parse it as
      // a URL first and collapse a segment `..` or `%2E%2E` (a secret named `..`) into a step up.
      const res = await dispatcher.request({
        origin,
        path: prefix + req.path,
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

/** The origin of a vault URL, and the path it is served under (`https://host/vault` → `/vault`). */
export function splitBase(base: string): { origin: string; prefix: string } {
  const u = new URL(base);
  return { origin: u.origin, prefix: u.pathname.replace(/\/+$/, '') };
}

/**
 * The API client for the vault the user chose, with the token checked against where it would go.
 * `wrap` may decorate the transport (the MCP server adds its client marker and refuses run-time paths).
 */
export function remoteApi(
  options: RemoteOptions,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  wrap: (t: HttpTransport) => HttpTransport = (t) => t,
): VaultApi {
  const target = resolveVaultUrl(options, env, cwd);
  const { token, from } = resolveTokenWithSource(options, env);
  assertTokenMayGo(target, from, options, env);
  return new VaultApi(wrap(undiciTransport(target.url)), token);
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
