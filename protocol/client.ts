// A typed client of the vault API over any HTTP transport. The CLI and the extension each plug in
// an undici transport; keeping the transport out lets this file stay free of libraries.

import type {
  AccessChange,
  AccessChangesResult,
  AccessRequest,
  AccessRequestList,
  AccessRequestStatus,
  AccountSettings,
  Agent,
  AgentReadList,
  AgentTokenInfo,
  AgentTokenList,
  BulkDenyAccessRequestsBody,
  BulkDenyAccessRequestsResult,
  CreateAccessRequestBody,
  CreateAccessRequestResult,
  SecretVersionInfo,
  SecretVersionList,
  AgentList,
  AuditPage,
  CreateAgentRequest,
  UpdateAgentRequest,
  RunToken,
  UpdateAccountRequest,
  CreateSecretRequest,
  CreateUserKeyRequest,
  Health,
  IssuedToken,
  Problem,
  ProblemCode,
  RuntimeEnv,
  RuntimeSecret,
  SecretList,
  SecretMetadata,
  UpdateSecretRequest,
  UserKey,
  UserKeyList,
  WhoAmI,
} from './api';
import { API_PREFIX } from './api';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute path on the vault, starting with `/v1/`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** A failed call: the vault's problem document, or a transport failure with status 0. */
export class VaultApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'VaultApiError';
  }

  get code(): ProblemCode | 'unreachable' {
    return this.status === 0 ? 'unreachable' : this.problem.code;
  }

  /** Seconds to wait, from Retry-After on a 429. */
  retryAfter?: number;
}

export function unreachable(url: string, cause: unknown): VaultApiError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new VaultApiError(0, {
    type: 'about:blank',
    title: 'Vault unreachable',
    status: 0,
    code: 'internal',
    detail: `Could not reach the vault at ${url} (${reason}).`,
  });
}

/**
 * One path segment of a vault URL: every character but letters, digits and `-_.!~*'()` is
 * percent-encoded (UTF-8), so a name holding `/`, `?`, `#`, `%` or spaces stays one segment and the
 * vault decodes it once. A name that is only dots (`.`, `..`) has them encoded too: as a bare
 * segment it would be a step up the path to anything that resolves URLs. (WHATWG URL parsers also
 * collapse `%2E%2E`, which is why the transports send the path as written, never parsed.)
 */
export function pathSegment(s: string): string {
  const e = encodeURIComponent(s);
  return /^\.+$/.test(e) ? e.replace(/\./g, '%2E') : e;
}

const enc = pathSegment;

export class VaultApi {
  constructor(
    private readonly transport: HttpTransport,
    private readonly token?: string,
  ) {}

  health(): Promise<Health> {
    return this.call('GET', '/health');
  }
  whoami(signal?: AbortSignal): Promise<WhoAmI> {
    return this.call('GET', '/whoami', undefined, {}, signal);
  }

  async listAgents(): Promise<Agent[]> {
    return (await this.call<AgentList>('GET', '/agents')).agents;
  }
  createAgent(body: CreateAgentRequest): Promise<Agent> {
    return this.call('POST', '/agents', body);
  }
  /** Admins: a new display name and/or description; the id stays. */
  updateAgent(id: string, body: UpdateAgentRequest): Promise<Agent> {
    return this.call('PATCH', `/agents/${enc(id)}`, body);
  }
  async deleteAgent(id: string): Promise<void> {
    await this.call('DELETE', `/agents/${enc(id)}`);
  }
  createAgentToken(id: string, name?: string): Promise<IssuedToken> {
    return this.call('POST', `/agents/${enc(id)}/tokens`, name ? { name } : {});
  }
  /** The agent's live tokens, agent and run tokens (never the tokens themselves). */
  async listAgentTokens(id: string): Promise<AgentTokenInfo[]> {
    return (await this.call<AgentTokenList>('GET', `/agents/${enc(id)}/tokens`)).tokens;
  }
  /** Revokes an agent token or a run token of the agent; idempotent. */
  async revokeAgentToken(id: string, tokenId: string): Promise<void> {
    await this.call('DELETE', `/agents/${enc(id)}/tokens/${enc(tokenId)}`);
  }

  /** The agent's last run-time read of each secret it has read (metadata, never a value). */
  agentReads(id: string): Promise<AgentReadList> {
    return this.call('GET', `/agents/${enc(id)}/reads`);
  }

  mintRunToken(agent: string, ttlSeconds?: number): Promise<RunToken> {
    return this.call('POST', `/agents/${enc(agent)}/run-tokens`, ttlSeconds === undefined ? {} : { ttlSeconds });
  }
  async revokeRunToken(agent: string, tokenId: string): Promise<void> {
    await this.call('DELETE', `/agents/${enc(agent)}/run-tokens/${enc(tokenId)}`);
  }
  accountSettings(): Promise<AccountSettings> {
    return this.call('GET', '/account');
  }
  updateAccountSettings(body: UpdateAccountRequest): Promise<AccountSettings> {
    return this.call('PATCH', '/account', body);
  }

  async listSecrets(agent?: string): Promise<SecretMetadata[]> {
    const q = agent ? `?agent=${enc(agent)}` : '';
    return (await this.call<SecretList>('GET', `/secrets${q}`)).secrets;
  }
  getSecret(name: string): Promise<SecretMetadata> {
    return this.call('GET', `/secrets/${enc(name)}`);
  }
  createSecret(body: CreateSecretRequest): Promise<SecretMetadata> {
    return this.call('POST', '/secrets', body);
  }
  updateSecret(name: string, body: UpdateSecretRequest, ifMatch?: number): Promise<SecretMetadata> {
    return this.call('PATCH', `/secrets/${enc(name)}`, body, ifMatchHeader(ifMatch));
  }
  async deleteSecret(name: string, ifMatch?: number): Promise<void> {
    await this.call('DELETE', `/secrets/${enc(name)}`, undefined, ifMatchHeader(ifMatch));
  }
  /** `reason`, when given, is kept in the change's audit record. */
  replaceAccess(name: string, agents: string[], ifMatch?: number, reason?: string): Promise<SecretMetadata> {
    return this.call('PUT', `/secrets/${enc(name)}/access`, { agents }, { ...ifMatchHeader(ifMatch), ...reasonHeader(reason) });
  }
  grant(name: string, agent: string, reason?: string): Promise<SecretMetadata> {
    return this.call('PUT', `/secrets/${enc(name)}/access/${enc(agent)}`, undefined, reasonHeader(reason));
  }
  revoke(name: string, agent: string, reason?: string): Promise<SecretMetadata> {
    return this.call('DELETE', `/secrets/${enc(name)}/access/${enc(agent)}`, undefined, reasonHeader(reason));
  }
  /** Grants and revokes as one audited change, all or nothing (admins; at most MAX_ACCESS_CHANGES). */
  applyAccessChanges(changes: AccessChange[], reason?: string): Promise<AccessChangesResult> {
    return this.call('POST', '/access/changes', { changes }, reasonHeader(reason));
  }

  /** The kept values' metadata, newest first, the current one included (never a value). */
  async listSecretVersions(name: string): Promise<SecretVersionInfo[]> {
    return (await this.call<SecretVersionList>('GET', `/secrets/${enc(name)}/versions`)).versions;
  }
  /** Admin: the value of `version` becomes a new current version. `ifMatch`: the secret's version (required). */
  rollbackSecret(name: string, version: number, ifMatch: number): Promise<SecretMetadata> {
    return this.call('POST', `/secrets/${enc(name)}/rollback`, { version }, ifMatchHeader(ifMatch));
  }

  createAccessRequest(body: CreateAccessRequestBody): Promise<CreateAccessRequestResult> {
    return this.call('POST', '/access-requests', body);
  }
  /** Admin: denies pending requests in bulk (exactly one of ids, requestedById, all); call again while `more`. */
  denyAccessRequests(body: BulkDenyAccessRequestsBody): Promise<BulkDenyAccessRequestsResult> {
    return this.call('POST', '/access-requests/deny', body);
  }
  /** Newest first; every status when none is given. */
  async listAccessRequests(status?: AccessRequestStatus): Promise<AccessRequest[]> {
    const q = status ? `?status=${enc(status)}` : '';
    return (await this.call<AccessRequestList>('GET', `/access-requests${q}`)).requests;
  }
  approveAccessRequest(id: string): Promise<AccessRequest> {
    return this.call('POST', `/access-requests/${enc(id)}/approve`);
  }
  denyAccessRequest(id: string, reason?: string): Promise<AccessRequest> {
    return this.call('POST', `/access-requests/${enc(id)}/deny`, reason ? { reason } : {});
  }

  async listUserKeys(): Promise<UserKey[]> {
    return (await this.call<UserKeyList>('GET', '/keys')).keys;
  }
  createUserKey(body: CreateUserKeyRequest): Promise<IssuedToken & { role: string }> {
    return this.call('POST', '/keys', body);
  }
  async revokeUserKey(id: string): Promise<void> {
    await this.call('DELETE', `/keys/${enc(id)}`);
  }

  audit(options: { before?: string; limit?: number } = {}): Promise<AuditPage> {
    const q = new URLSearchParams();
    if (options.before !== undefined) q.set('before', options.before);
    if (options.limit !== undefined) q.set('limit', String(options.limit));
    const s = q.toString();
    return this.call('GET', `/audit${s ? `?${s}` : ''}`);
  }

  /** Records a coding assistant's tool call in the audit (the request must carry the assistant's client header). */
  async recordAssistantCall(body: { tool: string; target: string; outcome: 'success' | 'failed' }): Promise<void> {
    await this.call('POST', '/audit/assistant', body);
  }

  runtimeSecret(name: string): Promise<RuntimeSecret> {
    return this.call('GET', `/runtime/secrets/${enc(name)}`);
  }
  runtimeEnv(): Promise<RuntimeEnv> {
    return this.call('GET', '/runtime/env');
  }

  private async call<T>(
    method: HttpRequest['method'],
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const request: HttpRequest = { method, path: API_PREFIX + path, headers };
    if (payload !== undefined) request.body = payload;
    if (signal) request.signal = signal;
    const res = await this.transport(request);
    if (res.status >= 200 && res.status < 300) {
      return (res.text ? JSON.parse(res.text) : undefined) as T;
    }
    const error = new VaultApiError(res.status, parseProblem(res));
    const retry = Number(res.headers['retry-after']);
    if (Number.isFinite(retry)) error.retryAfter = retry;
    throw error;
  }
}

function ifMatchHeader(version: number | undefined): Record<string, string> {
  return version === undefined ? {} : { 'if-match': `"${version}"` };
}

function parseProblem(res: HttpResponse): Problem {
  try {
    const parsed = JSON.parse(res.text) as Partial<Problem>;
    if (parsed && typeof parsed.title === 'string' && typeof parsed.code === 'string') {
      return { type: 'about:blank', status: res.status, ...parsed } as Problem;
    }
  } catch {
    // Not a problem document (a proxy's HTML page, say): describe the status instead.
  }
  return {
    type: 'about:blank',
    title: `HTTP ${res.status}`,
    status: res.status,
    code: res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'internal',
    detail: 'The vault answered with something that is not a problem document.',
  };
}

/** An access change's reason header (percent-encoded: a header is Latin-1; never the URL, which a server logs). */
function reasonHeader(reason: string | undefined): Record<string, string> {
  return reason ? { 'x-secrets-vault-reason': encodeURIComponent(reason) } : {};
}
