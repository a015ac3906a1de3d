// Whether a request to the vault may go through a proxy from the environment,
// one rule for the CLI, the extension and (in Python) the run-time shim. A proxy on a plain http://
// connection reads every header, the API key or agent token included, and every value: never. On
// https:// a proxy only relays a CONNECT tunnel (TLS stays end to end), so HTTPS_PROXY is used when
// the user opts in with SECRETS_VAULT_USE_PROXY=1, and not otherwise. The rule is explicit because
// undici's request() uses a process-wide dispatcher that anything in the process (VS Code's proxy
// support, another extension, NODE_USE_ENV_PROXY on newer Node) may replace with a proxying one.

export const USE_PROXY_VARIABLE = 'SECRETS_VAULT_USE_PROXY';

/** True when requests to `url` may use the environment's HTTPS proxy; false means a direct connection. */
export function vaultMayUseProxy(url: string, env: Readonly<Record<string, string | undefined>>): boolean {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return false;
  }
  return protocol === 'https:' && ['1', 'true', 'yes'].includes(env[USE_PROXY_VARIABLE] ?? '');
}
