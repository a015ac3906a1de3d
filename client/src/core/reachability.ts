// Why the vault cannot be reached, told apart from "it answers, sign in": a network failure
// classified by its error code (undici and Node put it on the error or its `cause`), or the answer
// of the vault's public health endpoint when something answers that is not a Secrets Vault. Pure,
// so that the status item, the sidebar and the notification all say the same thing.

import { DEFAULT_VAULT_URL } from '../../../protocol/api';

export type UnreachableKind =
  | 'refused'
  | 'timeout'
  | 'dns'
  | 'tls-untrusted'
  | 'tls-expired'
  | 'tls-host'
  | 'tls'
  | 'not-a-vault'
  | 'http'
  | 'network';

export interface UnreachableReason {
  kind: UnreachableKind;
  /** What the error said (its code and message), for the log and the tooltip. */
  detail: string;
}

const CODES: Record<string, UnreachableKind> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls-untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls-untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls-untrusted',
  CERT_UNTRUSTED: 'tls-untrusted',
  CERT_SIGNATURE_FAILURE: 'tls-untrusted',
  CERT_REVOKED: 'tls-untrusted',
  CERT_HAS_EXPIRED: 'tls-expired',
  CERT_NOT_YET_VALID: 'tls-expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls-host',
  HOSTNAME_MISMATCH: 'tls-host',
  EPROTO: 'tls',
};

/** The errors of a failure: the error, its causes, and an AggregateError's members (happy eyeballs). */
function chain(e: unknown): Array<{ code?: unknown; name?: unknown; message?: unknown }> {
  const out: Array<{ code?: unknown; name?: unknown; message?: unknown }> = [];
  const seen = new Set<unknown>();
  const visit = (x: unknown) => {
    if (!x || typeof x !== 'object' || seen.has(x) || out.length > 16) return;
    seen.add(x);
    out.push(x as { code?: unknown });
    const { cause, errors } = x as { cause?: unknown; errors?: unknown };
    visit(cause);
    if (Array.isArray(errors)) for (const m of errors) visit(m);
  };
  visit(e);
  return out;
}

/** The reason a request failed below HTTP (no response at all), from the error's codes. */
export function classifyNetworkError(e: unknown): UnreachableReason {
  const errors = chain(e);
  const described = errors
    .map((x) => [typeof x.code === 'string' ? x.code : '', typeof x.message === 'string' ? x.message : ''].filter(Boolean).join(': '))
    .filter(Boolean);
  const detail = described.slice(-1)[0] ?? (e instanceof Error ? e.message : String(e));
  // The innermost known code decides: undici wraps the socket's error in its own.
  for (const x of [...errors].reverse()) {
    const code = typeof x.code === 'string' ? x.code : '';
    const kind = CODES[code] ?? (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') ? 'tls' : undefined);
    if (kind) return { kind, detail };
    if (x.name === 'TimeoutError') return { kind: 'timeout', detail };
  }
  return { kind: 'network', detail };
}

/**
 * What the answer of `GET /v1/health` (public: no token needed) says about the URL: a Secrets Vault
 * answers 200 with `{ status: 'ok', version }`; a server error is an HTTP failure; anything else
 * (a web page, another API) is not a Secrets Vault.
 */
export function healthVerdict(status: number, text: string): 'vault' | UnreachableReason {
  if (status === 200) {
    try {
      const body = JSON.parse(text) as { status?: unknown; version?: unknown };
      if (body && body.status === 'ok' && typeof body.version === 'string') return 'vault';
    } catch {
      // Not JSON: not ours.
    }
    return { kind: 'not-a-vault', detail: 'GET /v1/health answered 200 without a Secrets Vault health document' };
  }
  if (status >= 500) return { kind: 'http', detail: `HTTP ${status} from GET /v1/health` };
  return { kind: 'not-a-vault', detail: `HTTP ${status} from GET /v1/health` };
}

/** A few words for the status bar: `refused`, `timed out`, … */
export function shortReason(r: UnreachableReason): string {
  switch (r.kind) {
    case 'refused':
      return 'connection refused';
    case 'timeout':
      return 'timed out';
    case 'dns':
      return 'host not found';
    case 'tls-untrusted':
      return 'certificate not trusted';
    case 'tls-expired':
      return 'certificate expired';
    case 'tls-host':
      return 'certificate for another host';
    case 'tls':
      return 'TLS failed';
    case 'not-a-vault':
      return 'not a Secrets Vault';
    case 'http':
      return r.detail.match(/HTTP \d+/)?.[0] ?? 'HTTP error';
    case 'network':
      return 'network error';
  }
}

/** The sentence after "Cannot reach the vault at URL: ". */
export function longReason(r: UnreachableReason): string {
  switch (r.kind) {
    case 'refused':
      return 'the connection was refused (nothing listens there: the vault is stopped, or the port is wrong)';
    case 'timeout':
      return 'the connection timed out';
    case 'dns':
      return 'its host name was not found';
    case 'tls-untrusted':
      return 'its TLS certificate is not trusted (self-signed, or signed by an authority this machine does not trust)';
    case 'tls-expired':
      return 'its TLS certificate has expired (or is not yet valid)';
    case 'tls-host':
      return 'its TLS certificate is for another host name';
    case 'tls':
      return `the TLS handshake failed (${r.detail})`;
    case 'not-a-vault':
      return `something answers there, but it is not a Secrets Vault (${r.detail})`;
    case 'http':
      return `it answers with an error (${r.detail})`;
    case 'network':
      return `the connection failed (${r.detail})`;
  }
}

/** The whole sentence, naming the URL. */
export function unreachableText(url: string, r: UnreachableReason): string {
  return `Cannot reach the vault at ${url}: ${longReason(r)}.`;
}

/** The demo vault's URL (what `npm start` and `secrets-vault demo` serve): the sidebar says how to start it. */
export function isDemoUrl(url: string): boolean {
  return url.trim().replace(/\/+$/, '') === DEFAULT_VAULT_URL || url.trim().replace(/\/+$/, '') === 'http://localhost:8787';
}

/** How to start the demo vault, when the URL is its. */
export const START_DEMO_HOW = 'This is the demo vault’s address: start it with `npm start` in the Secrets Vault repository (the vault and an editor), or `npx secrets-vault demo` there (the vault only).';

/**
 * The check of a URL typed into Change URL: an http(s) URL with a host, no credentials, query or
 * fragment; undefined when it is fine.
 */
export function vaultUrlProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'Type the vault’s URL, e.g. https://vault.example.com or http://127.0.0.1:8787.';
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    return 'Not a URL: type it with its scheme, e.g. https://vault.example.com.';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'The vault’s URL starts with https:// (or http:// on this machine).';
  if (u.username || u.password) return 'Leave the credentials out of the URL: Sign In keeps the API key in the OS keychain.';
  if (u.search || u.hash) return 'The vault’s URL has no query or fragment.';
  return undefined;
}
