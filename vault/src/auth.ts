// Tokens and who is calling. A token is a recognisable prefix plus 256 random bits; the database
// holds only its HMAC digest, and lookups go by digest (a constant-time compare confirms the match).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AGENT_TOKEN_PREFIX, USER_TOKEN_PREFIX, type Role } from '../../protocol/api';
import type { Keyring } from './crypto/keyring';
import type { TokenRow, VaultStore } from './store/types';

export type Principal =
  | { type: 'user'; tokenId: string; accountId: string; role: Role; name: string }
  | { type: 'agent'; tokenId: string; accountId: string; agentId: string; name: string };

const TOKEN_PATTERN = /^(svu_|sva_)[A-Za-z0-9_-]{43}$/;

export function mintToken(kind: 'user' | 'agent'): string {
  return (kind === 'user' ? USER_TOKEN_PREFIX : AGENT_TOKEN_PREFIX) + randomBytes(32).toString('base64url');
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

/**
 * Valid tokens are remembered for a second so that an agent's burst of run-time reads does not
 * digest and look up its token each time (the token is in memory for each request anyway; an entry
 * is dropped when it expires). A revocation through this service clears the cache at once; one
 * made by another process on the same database takes effect within PRINCIPAL_TTL_MS.
 */
const PRINCIPAL_TTL_MS = 1000;
const PRINCIPAL_CACHE_MAX = 10_000;

export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly store: VaultStore,
    private readonly keyring: Keyring,
    private readonly now: () => number = Date.now,
  ) {}

  /** The principal behind an Authorization header value, or undefined for a missing, unknown or revoked token. */
  async authenticate(header: string | undefined): Promise<Principal | undefined> {
    if (!header) return undefined;
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    const token = match?.[1];
    if (!token || !TOKEN_PATTERN.test(token)) return undefined;
    const t = this.now();
    const hit = this.cache.get(token);
    if (hit) {
      if (hit.until > t) return hit.principal;
      this.cache.delete(token);
    }
    const digest = this.keyring.tokenDigest(token);
    const row = await this.store.findTokenByDigest(digest);
    if (!row || row.revokedAt !== null || !timingSafeEqual(row.digest, digest)) return undefined;
    if ((row.kind === 'user') !== token.startsWith(USER_TOKEN_PREFIX)) return undefined;
    const principal = toPrincipal(row);
    if (principal) {
      if (this.cache.size >= PRINCIPAL_CACHE_MAX) this.cache.clear();
      this.cache.set(token, { principal, until: t + PRINCIPAL_TTL_MS });
    }
    return principal;
  }

  /** Forget every remembered token: called after any revocation (a key, an agent and its tokens). */
  forget(): void {
    this.cache.clear();
  }
}

function toPrincipal(row: TokenRow): Principal | undefined {
  if (row.kind === 'user' && row.role) {
    return { type: 'user', tokenId: row.id, accountId: row.accountId, role: row.role, name: row.name };
  }
  if (row.kind === 'agent' && row.agentId) {
    return { type: 'agent', tokenId: row.id, accountId: row.accountId, agentId: row.agentId, name: row.name };
  }
  return undefined;
}

/**
 * Slows down token guessing: after `limit` failed authentications from one client within
 * `windowMs`, that client gets 429 with Retry-After until the window has passed.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the client must wait, or 0 when it may try. */
  retryAfter(client: string): number {
    const f = this.failures.get(client);
    if (!f) return 0;
    const t = this.now();
    if (t >= f.resetAt) {
      this.failures.delete(client);
      return 0;
    }
    return f.count >= this.limit ? Math.ceil((f.resetAt - t) / 1000) : 0;
  }

  fail(client: string): void {
    const t = this.now();
    const f = this.failures.get(client);
    if (!f || t >= f.resetAt) this.failures.set(client, { count: 1, resetAt: t + this.windowMs });
    else f.count++;
    // Bound memory under a spray of clients: forget expired entries now and then.
    if (this.failures.size > 10_000) {
      for (const [k, v] of this.failures) if (t >= v.resetAt) this.failures.delete(k);
    }
  }
}
