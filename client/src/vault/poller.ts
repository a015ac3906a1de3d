// Conditional fetches of the metadata listings, for the connection's own listing (fetched once per
// connection; the refetch the event stream asks for on opening is answered 304) and for the polling
// fallback when the vault offers no event stream. When the vault sends an ETag, If-None-Match lets
// it answer 304 with no body; when it does not, the body is compared with the last one, so that an
// unchanged listing never rebuilds the views or re-checks every document.

import type { AccessRequest, AccessRequestList, Agent, AgentList, SecretList, SecretMetadata } from '../../../protocol/api';
import { VaultApiError, type HttpResponse, type HttpTransport } from '../../../protocol/client';

export interface PollResult {
  /** Undefined when this listing is unchanged. */
  secrets?: SecretMetadata[];
  agents?: Agent[];
  /** The pending access requests; undefined when unchanged, or when the vault has none to list (older vaults). */
  requests?: AccessRequest[];
}

/** The pending access requests: the account's own listing (both roles may read it), with its ETag like the others. */
export const PENDING_REQUESTS_PATH = '/v1/access-requests?status=pending';

interface Cached {
  etag: string | undefined;
  /** Kept only when the vault sends no ETag: a 10,000-secret listing is megabytes. */
  text: string | undefined;
}

export class ConditionalFetcher {
  private readonly cache = new Map<string, Cached>();
  /** Requests the vault answered 304, for tests and the log. */
  notModified = 0;
  /** Requests answered with a body. */
  bodies = 0;

  constructor(
    private readonly transport: HttpTransport,
    private readonly token: string,
  ) {}

  /** The body, or `undefined` when it is unchanged since the last call for the same path. */
  async get(path: string): Promise<string | undefined> {
    const cached = this.cache.get(path);
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.token}` };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    const res = await this.transport({ method: 'GET', path, headers });
    if (res.status === 304 && cached) {
      this.notModified++;
      return undefined;
    }
    if (res.status < 200 || res.status >= 300) throw errorOf(res);
    this.bodies++;
    const etag = res.headers.etag;
    // Read again: another request for the same path may have finished while this one was out.
    // Both can get a body (they left with the same old ETag); the same ETag, or the same text
    // without one, is the same listing, and only the first to arrive is news.
    const latest = this.cache.get(path);
    this.cache.set(path, { etag, text: etag ? undefined : res.text });
    if (etag !== undefined && etag === latest?.etag) return undefined;
    return latest?.text !== undefined && latest.text === res.text ? undefined : res.text;
  }

  /** The listings (each undefined when unchanged), or `undefined` when none changed. */
  async poll(): Promise<PollResult | undefined> {
    const [secrets, agents, requests] = await Promise.all([this.get('/v1/secrets'), this.get('/v1/agents'), this.getOptional(PENDING_REQUESTS_PATH)]);
    if (secrets === undefined && agents === undefined && requests === undefined) return undefined;
    const result: PollResult = {};
    if (secrets !== undefined) result.secrets = (JSON.parse(secrets) as SecretList).secrets;
    if (agents !== undefined) result.agents = (JSON.parse(agents) as AgentList).agents;
    if (requests !== undefined) result.requests = (JSON.parse(requests) as AccessRequestList).requests;
    return result;
  }

  /** Like `get`, for a listing a vault from before it lacks (404): then there is nothing to list. */
  private async getOptional(path: string): Promise<string | undefined> {
    try {
      return await this.get(path);
    } catch (e) {
      if (e instanceof VaultApiError && e.status === 404) return undefined;
      throw e;
    }
  }
}

/** The vault's problem document as an error (the same the API client throws), or the status. */
function errorOf(res: HttpResponse): VaultApiError {
  try {
    const p = JSON.parse(res.text) as { title?: unknown; code?: unknown; detail?: unknown };
    if (typeof p.title === 'string' && typeof p.code === 'string') {
      const problem = { type: 'about:blank', title: p.title, status: res.status, code: p.code as VaultApiError['problem']['code'] };
      const error = new VaultApiError(res.status, typeof p.detail === 'string' ? { ...problem, detail: p.detail } : problem);
      const retry = Number(res.headers['retry-after']);
      if (Number.isFinite(retry)) error.retryAfter = retry;
      return error;
    }
  } catch {
    // Not a problem document: describe the status.
  }
  return new VaultApiError(res.status, {
    type: 'about:blank',
    title: `HTTP ${res.status}`,
    status: res.status,
    code: res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'internal',
  });
}
