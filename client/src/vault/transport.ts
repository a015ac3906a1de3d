// The extension's HTTP transport for protocol/client.ts: undici with timeouts, and every connection
// failure mapped to the same "unreachable" error (status 0) the rest of the extension branches on.
// Every request of the extension goes through here, so this is where plain http:// to another
// machine is refused.

import { Agent, EnvHttpProxyAgent, type Dispatcher } from './undici';
import { unreachable, VaultApiError, type HttpTransport } from '../../../protocol/client';
import { vaultMayUseProxy } from '../../../protocol/proxyPolicy';
import { insecureUrlProblem } from '../core/connectionConfig';

export interface TransportOptions {
  /** Time to the response headers, and between body chunks. */
  timeoutMs?: number;
  /** Allow plain http:// to a host that is not loopback (the secretsVault.allowInsecureHttp setting). */
  allowInsecureHttp?: boolean;
}

/** The refusal of an insecure URL, before any connection is made. */
export function insecureRefusal(detail: string): VaultApiError {
  return new VaultApiError(0, { type: 'about:blank', title: 'Insecure connection refused', status: 0, code: 'internal', detail });
}

let direct: Agent | undefined;
let proxied: EnvHttpProxyAgent | undefined;

/**
 * The dispatcher for every request to the vault at `url`, never undici's process-wide one (which
 * VS Code or another extension in the same host may replace with a proxying one): a direct
 * connection, or for https:// with SECRETS_VAULT_USE_PROXY=1 the environment's proxy, through a
 * CONNECT tunnel (protocol/proxyPolicy.ts).
 */
export function vaultDispatcher(url: string, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  if (vaultMayUseProxy(url, env)) return (proxied ??= new EnvHttpProxyAgent());
  return (direct ??= new Agent());
}

export function undiciTransport(base: string, options: TransportOptions = {}): HttpTransport {
  const timeout = options.timeoutMs ?? 15_000;
  const root = base.replace(/\/+$/, '');
  const refused = insecureUrlProblem(root, options.allowInsecureHttp ?? false);
  const dispatcher = vaultDispatcher(root);
  return async (req) => {
    if (refused) throw insecureRefusal(refused);
    try {
      // The path goes out as protocol/client.ts encoded it: undici's request(url) would parse it as
      // a URL first and collapse a segment `..` or `%2E%2E` (a secret named `..`) into a step up.
      const base = new URL(root);
      const res = await dispatcher.request({
        origin: base.origin,
        path: base.pathname.replace(/\/+$/, '') + req.path,
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal: req.signal ?? null,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const text = await res.body.text();
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      return { status: res.statusCode, headers, text };
    } catch (e) {
      // The cause stays on the error: core/reachability.ts tells refused from TLS from timed out by it.
      const error = unreachable(root, e);
      error.cause = e;
      throw error;
    }
  };
}
