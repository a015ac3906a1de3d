// The vault's HTTP edge, before any route: which Host and Origin headers it answers, how a request
// is authenticated (and failures counted), and problem responses written straight to a raw
// response (the run-time fast path and the edge check answer before fastify sees the request).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { PROBLEM_CONTENT_TYPE } from '../../../protocol/api';
import type { AuthenticateOptions, Authenticator, FailedAuthLimiter, Principal } from '../auth';
import { ProblemError, problems } from '../errors';

export interface EdgeOptions {
  /**
   * Host names the vault answers to besides IP addresses and `localhost` (a name, or `name:port`);
   * `*` accepts any Host. For a vault reached by name or behind a proxy that keeps the Host header.
   */
  allowedHosts?: readonly string[];
  /** Browser origins (`https://app.example.com`) whose requests are answered; `*` accepts any. */
  allowedOrigins?: readonly string[];
}

/**
 * Returns a check that refuses, before routing or authentication:
 * - a Host header naming anything but an IP address, `localhost`, the bound host or an allowed
 *   host: a DNS-rebinding page reaches 127.0.0.1 under its own name, and gets 403 here;
 * - a request from a web page: an `Origin` header not in the allowed origins, or (for the simple
 *   GETs a browser sends without Origin) `Sec-Fetch-Site: cross-site | same-site`.
 * No client of ours sends Origin or Sec-Fetch-* (undici's request, the CLI, the Python shim).
 */
export function edgeCheck(options: EdgeOptions & { boundHost?: string }): (req: IncomingMessage) => ProblemError | undefined {
  const hosts = new Set((options.allowedHosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean));
  if (options.boundHost) hosts.add(hostnameOf(options.boundHost.toLowerCase()));
  const anyHost = hosts.has('*');
  const origins = new Set((options.allowedOrigins ?? []).map(normaliseOrigin).filter(Boolean));
  const anyOrigin = origins.has('*');
  // Host values already accepted, exactly as sent: nearly every request repeats one (the run-time
  // fast path passes here too). Bounded, as the values come from callers.
  const seen = new Set<string>();
  return (req) => {
    const host = req.headers.host;
    // No Host at all is HTTP/1.0 from a program; browsers always send one.
    if (host !== undefined && !anyHost && !seen.has(host)) {
      const full = host.trim().toLowerCase();
      const name = hostnameOf(full);
      if (!(isIP(name) !== 0 || name === 'localhost' || hosts.has(name) || hosts.has(full))) return hostNotAllowed();
      if (seen.size < 64) seen.add(host);
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!anyOrigin && !origins.has(normaliseOrigin(origin))) return originNotAllowed();
    } else {
      const site = req.headers['sec-fetch-site'];
      if ((site === 'cross-site' || site === 'same-site') && !anyOrigin) return originNotAllowed();
    }
    return undefined;
  };
}

/** `name`, `name:port`, `[v6]:port` or `v6` to the bare host name (brackets and port removed). */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  const name = colon !== -1 && colon === host.lastIndexOf(':') ? host.slice(0, colon) : host;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function normaliseOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

function hostNotAllowed(): ProblemError {
  // The Host value is not echoed: it is whatever the caller wrote.
  return new ProblemError(
    403,
    'host_not_allowed',
    'Host not allowed',
    'The Host header names an address this vault does not serve. A vault reached by a name (or behind a proxy) must list it: serve --allowed-host NAME or SECRETS_VAULT_ALLOWED_HOSTS.',
  );
}

function originNotAllowed(): ProblemError {
  return new ProblemError(
    403,
    'origin_not_allowed',
    'Origin not allowed',
    'Requests from web pages are refused. To serve a browser application, list its origin: serve --allowed-origin ORIGIN or SECRETS_VAULT_ALLOWED_ORIGINS.',
  );
}

/**
 * The principal of a request, or a ProblemError: 401 with no credentials (not counted against
 * anyone), the principal for a valid token (whatever the failure counters say), 401 or 429 for a
 * presented token that is not valid.
 */
export async function authenticateRequest(
  auth: Authenticator,
  limiter: FailedAuthLimiter,
  req: IncomingMessage,
  options: AuthenticateOptions = {},
): Promise<Principal> {
  const header = req.headers.authorization;
  if (!header) throw problems.unauthorized();
  const principal = await auth.authenticate(header, options);
  if (principal) return principal;
  const wait = limiter.fail(req.socket.remoteAddress ?? '', header);
  if (wait > 0) {
    throw new ProblemError(
      429,
      'too_many_requests',
      'Too many failed attempts',
      `Too many failed authentications from this client or with this token prefix; try again in ${wait} s. Valid tokens are not affected.`,
    ).withRetryAfter(wait);
  }
  throw problems.unauthorized('The token is not valid: unknown, revoked or malformed.');
}

/** A run-time read over the token's rate, or over its minter's (all run tokens of one key together; see ReadRateLimiter.takeRead). */
export function readRateLimited(wait: number, by: 'token' | 'minter' = 'token'): ProblemError {
  const who = by === 'minter' ? 'The run tokens minted by this key have' : 'This token has';
  return new ProblemError(429, 'rate_limited', 'Too many reads', `${who} made too many run-time reads; try again in ${wait} s.`).withRetryAfter(wait);
}

/** A run token minted over the key's rate (see MintRateLimiter). */
export function mintRateLimited(wait: number): ProblemError {
  return new ProblemError(429, 'rate_limited', 'Too many run tokens', `This key has minted too many run tokens; try again in ${wait} s.`).withRetryAfter(wait);
}

/** Writes a problem to a raw response (outside fastify), with Retry-After when it has one. */
export function writeProblem(res: ServerResponse, problem: ProblemError): void {
  const body = JSON.stringify(problem.toProblem());
  const headers: Record<string, string | number> = { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) };
  if (problem.retryAfter !== undefined) headers['retry-after'] = String(problem.retryAfter);
  res.writeHead(problem.status, headers);
  res.end(body);
}
