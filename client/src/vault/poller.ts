// The fallback when the vault offers no event stream: refetch the metadata periodically with
// conditional requests. When the vault sends an ETag, If-None-Match lets it answer 304 with no body;
// when it does not, the body is compared with the last one, so that an unchanged listing never
// rebuilds the views or re-checks every document.

import type { Agent, AgentList, SecretList, SecretMetadata } from '../../../protocol/api';
import { VaultApiError, type HttpTransport } from '../../../protocol/client';

export interface PollResult {
  secrets: SecretMetadata[];
  agents: Agent[];
}

interface Cached {
  etag: string | undefined;
  text: string;
}

export class ConditionalFetcher {
  private readonly cache = new Map<string, Cached>();
  /** Requests the vault answered 304, for tests and the log. */
  notModified = 0;

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
    if (res.status < 200 || res.status >= 300) {
      throw new VaultApiError(res.status, {
        type: 'about:blank',
        title: `HTTP ${res.status}`,
        status: res.status,
        code: res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'internal',
      });
    }
    this.cache.set(path, { etag: res.headers.etag, text: res.text });
    return cached && cached.text === res.text ? undefined : res.text;
  }

  /** Both listings, or `undefined` when neither changed. */
  async poll(): Promise<PollResult | undefined> {
    const [secrets, agents] = await Promise.all([this.get('/v1/secrets'), this.get('/v1/agents')]);
    if (secrets === undefined && agents === undefined) return undefined;
    return {
      secrets: (JSON.parse(secrets ?? this.cache.get('/v1/secrets')!.text) as SecretList).secrets,
      agents: (JSON.parse(agents ?? this.cache.get('/v1/agents')!.text) as AgentList).agents,
    };
  }
}
