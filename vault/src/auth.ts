// Tokens and who is calling. A token is a recognisable prefix plus 256 random bits; the database
// holds only its HMAC digest, and lookups go by digest (a constant-time compare confirms the match).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AGENT_TOKEN_PREFIX, USER_TOKEN_PREFIX, type Role } from '../../protocol/api';
import type { Keyring } from './crypto/keyring';
import type { TokenRow, VaultStore } from './store/types';

export type Principal =
  /** `client`: the assistant acting for the user (the X-Secrets-Vault-Client header), named in the audit. */
  | { type: 'user'; tokenId: string; accountId: string; role: Role; name: string; client?: string }
  | {
      type: 'agent';
      tokenId: string;
      accountId: string;
      agentId: string;
      name: string;
      /** Run tokens: when the token stops being valid (ms since the epoch), and the user key that minted it. */
      expiresAtMs?: number;
      mintedBy?: { id: string; name: string };
    };

const TOKEN_PATTERN = /^(svu_|sva_)[A-Za-z0-9_-]{43}$/;

export function mintToken(kind: 'user' | 'agent'): string {
  return (kind === 'user' ? USER_TOKEN_PREFIX : AGENT_TOKEN_PREFIX) + randomBytes(32).toString('base64url');
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

/**
 * Valid tokens are remembered so that an agent's burst of run-time reads does not digest and look
 * up its token each time (the token is in memory for each request anyway). Only run-time reads use
 * what is remembered, and only under the store state it was read in: the fast path passes the
 * generation its batch's freshness check saw (VaultStore.generation), and an entry from another
 * generation is looked up again. So a revocation committed by any process or replica before a
 * batch's check denies every read of that batch, as an access change does. Every other request
 * looks its token up (a revocation anywhere applies to the next admin request at once).
 */
const PRINCIPAL_TTL_MS = 1000;
const PRINCIPAL_CACHE_MAX = 10_000;

export interface AuthenticateOptions {
  /**
   * The store generation a batch's freshness check saw (run-time reads): remembered tokens from
   * that generation may be used. Without it the token is looked up.
   */
  generation?: number;
}

export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal; until: number; generation: number }>();

  constructor(
    private readonly store: VaultStore,
    private readonly keyring: Keyring,
    private readonly now: () => number = Date.now,
  ) {}

  /** The principal behind an Authorization header value, or undefined for a missing, unknown or revoked token. */
  async authenticate(header: string | undefined, options: AuthenticateOptions = {}): Promise<Principal | undefined> {
    if (!header) return undefined;
    const token = presentedToken(header);
    if (token === undefined) return undefined;
    const t = this.now();
    const { generation } = options;
    if (generation !== undefined) {
      const hit = this.rememberedToken(token, generation, t);
      if (hit) return hit;
    }
    const digest = this.keyring.tokenDigest(token);
    const row = await this.store.tokens.findTokenByDigest(digest);
    if (!row || row.revokedAt !== null || !timingSafeEqual(row.digest, digest)) {
      this.cache.delete(token);
      return undefined;
    }
    if ((row.kind === 'user') !== token.startsWith(USER_TOKEN_PREFIX)) return undefined;
    // A run token is worth no more than the key that minted it: refused once that key is
    // revoked or gone, or may no longer mint, even if the token's own row was never revoked.
    if (!mayStillUse(row)) {
      this.cache.delete(token);
      return undefined;
    }
    const principal = toPrincipal(row);
    // An expired run token is invalid, exactly as a revoked one.
    if (principal?.type === 'agent' && principal.expiresAtMs !== undefined && principal.expiresAtMs <= t) {
      this.cache.delete(token);
      return undefined;
    }
    if (principal && generation !== undefined) {
      if (this.cache.size >= PRINCIPAL_CACHE_MAX) this.cache.clear();
      const expires = principal.type === 'agent' ? principal.expiresAtMs : undefined;
      this.cache.set(token, { principal, until: Math.min(t + PRINCIPAL_TTL_MS, expires ?? Infinity), generation });
    }
    return principal;
  }

  /**
   * The principal remembered for this header under `generation` (see AuthenticateOptions), without
   * a promise: the run-time fast path's common case. Undefined when it must be looked up
   * (authenticate does, with the same rules).
   */
  remembered(header: string, generation: number): Principal | undefined {
    const token = presentedToken(header);
    return token === undefined ? undefined : this.rememberedToken(token, generation, this.now());
  }

  private rememberedToken(token: string, generation: number, t: number): Principal | undefined {
    const hit = this.cache.get(token);
    if (hit === undefined) return undefined;
    // `until` is never later than a run token's expiry (below), so a remembered token expires on time.
    if (hit.until > t && hit.generation === generation) return hit.principal;
    this.cache.delete(token);
    return undefined;
  }

  /** Forget every remembered token: called after any revocation (a key, an agent and its tokens). */
  forget(): void {
    this.cache.clear();
  }
}

/**
 * Whether a token's minter still stands behind it: always for user keys and ordinary agent tokens
 * (no minter); for a run token, its minting user key must exist, be unrevoked and still be allowed
 * to mint (an admin, or a developer while the account's localRuns is 'developers'). The row must
 * come with `minter` and `localRuns` (TOKEN_SELECT); a row without them is refused.
 */
export function mayStillUse(row: TokenRow): boolean {
  if (!row.mintedBy) return true;
  const m = row.minter;
  if (!m || m.revokedAt !== null) return false;
  return m.role === 'admin' || (m.role === 'developer' && row.localRuns === 'developers');
}

function toPrincipal(row: TokenRow): Principal | undefined {
  if (row.kind === 'user' && row.role) {
    return { type: 'user', tokenId: row.id, accountId: row.accountId, role: row.role, name: row.name };
  }
  if (row.kind === 'agent' && row.agentId) {
    const p: Principal = { type: 'agent', tokenId: row.id, accountId: row.accountId, agentId: row.agentId, name: row.name };
    if (row.expiresAt) {
      const ms = Date.parse(row.expiresAt);
      p.expiresAtMs = Number.isNaN(ms) ? 0 : ms; // an unreadable expiry counts as expired
    }
    if (row.mintedBy) p.mintedBy = { id: row.mintedBy, name: row.mintedByName ?? row.mintedBy };
    return p;
  }
  return undefined;
}

/**
 * Counts failed authentications, to slow a guesser down without locking anyone else out. Only a
 * request that presents a credential and fails counts (a request with no Authorization header is
 * just 401: a web page or a stray curl cannot spend anyone's budget), and a request bearing a valid
 * token is never refused here: the token is checked first (one HMAC and one indexed lookup), so a
 * flood of bad guesses from the same address (127.0.0.1 for every local client) costs the agent
 * and the admin nothing. Failures are counted per client address and per presented-token prefix
 * (the kind prefix and the next 8 characters: someone trying variants of one leaked fragment);
 * past `limit` failures within `windowMs` on either counter, further failures get 429 with
 * Retry-After instead of 401. Tokens carry 256 random bits, so guessing one is hopeless anyway; the
 * limiter keeps a flood visible and cheap to answer.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly limit = 20,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one failure by `client` presenting `header`; returns seconds to wait (0: answer 401, >0: answer 429). */
  fail(client: string, header: string): number {
    const t = this.now();
    const prefix = presentedPrefix(header);
    const wait = Math.max(this.count(`c:${client}`, t), prefix === undefined ? 0 : this.count(`p:${prefix}`, t));
    // Bound memory under a spray of clients and prefixes: drop expired entries, then the oldest.
    if (this.failures.size > MAX_LIMITER_ENTRIES) {
      for (const [k, v] of this.failures) if (t >= v.resetAt) this.failures.delete(k);
      for (const k of this.failures.keys()) {
        if (this.failures.size <= MAX_LIMITER_ENTRIES / 2) break;
        this.failures.delete(k);
      }
    }
    return wait;
  }

  private count(key: string, t: number): number {
    const f = this.failures.get(key);
    if (!f || t >= f.resetAt) {
      this.failures.set(key, { count: 1, resetAt: t + this.windowMs });
      return this.limit < 1 ? Math.ceil(this.windowMs / 1000) : 0;
    }
    f.count++;
    return f.count > this.limit ? Math.max(1, Math.ceil((f.resetAt - t) / 1000)) : 0;
  }
}

const MAX_LIMITER_ENTRIES = 20_000;

/** The well-formed token an Authorization header value presents, or undefined. */
function presentedToken(header: string): string | undefined {
  const token = /^Bearer[ ]+(\S+)\s*$/i.exec(header)?.[1];
  return token && TOKEN_PATTERN.test(token) ? token : undefined;
}

/**
 * What a failure is counted against besides the client: the token's kind and first 8 characters.
 * A malformed header has none (one shared counter would let anyone turn everyone's typo into 429).
 */
function presentedPrefix(header: string): string | undefined {
  return presentedToken(header)?.slice(0, 12);
}

/**
 * A token bucket per token for run-time reads: every read (a denied one too, since each is
 * audited) takes one; the bucket refills at `perSecond` up to `burst`. O(1) per read, and the map
 * holds only valid tokens (it is consulted after authentication), pruned when it grows.
 */
export class ReadRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perSecond = 100,
    readonly burst = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one read for `tokenId`; returns 0 when allowed, else the seconds until one is available. */
  take(tokenId: string): number {
    const t = this.now();
    let b = this.buckets.get(tokenId);
    if (!b) {
      if (this.buckets.size >= MAX_LIMITER_ENTRIES) this.prune(t);
      b = { tokens: this.burst, at: t };
      this.buckets.set(tokenId, b);
    } else if (t > b.at) {
      b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) * this.perSecond) / 1000);
      b.at = t;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
  }

  /**
   * A run-time read by `p`: one from its token's bucket and, for a run token, one from its minter's
   * too, so that minting many tokens does not multiply a key's read rate. Returns 0 when
   * allowed, else the seconds to wait, and which bucket ran dry.
   */
  takeRead(p: Principal): { wait: number; by: 'token' | 'minter' } {
    const wait = this.take(p.tokenId);
    if (wait > 0 || p.type !== 'agent' || !p.mintedBy) return { wait, by: 'token' };
    return { wait: this.take(`minter:${p.mintedBy.id}`), by: 'minter' };
  }

  /** Buckets that have refilled are the same as no bucket: forget them. */
  private prune(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.at) * this.perSecond) / 1000 >= this.burst) this.buckets.delete(k);
  }
}

/**
 * Run tokens minted per user key: a token bucket like ReadRateLimiter's, by default 30 at
 * once and then 6 a minute. A stolen key cannot mint a flood of tokens (each a separate read budget
 * before reads were also counted per minter, and each a row and an audit record).
 */
export class MintRateLimiter extends ReadRateLimiter {
  constructor(perMinute = 6, burst = 30, now: () => number = Date.now) {
    super(perMinute / 60, burst, now);
  }
}
