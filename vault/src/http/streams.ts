// The open event streams: how many each token and account may hold, and their tie to the token
// that opened them. A stream whose token is no longer valid is closed: at once after a revocation
// through this service, and within `recheckMs` after one made elsewhere (another process or vault
// on the same database), by a periodic re-check that bypasses the token cache.

import type { ServerResponse } from 'node:http';
import type { Authenticator, Principal } from '../auth';
import { ProblemError } from '../errors';

export interface StreamLimits {
  /** Open streams one token may hold. */
  perToken: number;
  /** Open streams one account may hold, over all its tokens. */
  perAccount: number;
  /** How often every open stream's token is looked up again. */
  recheckMs: number;
  /** Bytes a stream may have waiting for a slow reader before it is closed (the client resumes with Last-Event-ID). */
  maxBufferedBytes: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perToken: 16, perAccount: 256, recheckMs: 5_000, maxBufferedBytes: 1024 * 1024 };

interface OpenStream {
  res: ServerResponse;
  header: string;
  tokenId: string;
  accountId: string;
}

export class StreamRegistry {
  private readonly open = new Set<OpenStream>();
  private readonly byToken = new Map<string, number>();
  private readonly byAccount = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private checking: Promise<void> | undefined;
  private again = false;

  constructor(
    readonly limits: StreamLimits,
    private readonly auth: Authenticator,
  ) {
    this.timer = setInterval(() => void this.recheck(), limits.recheckMs);
    this.timer.unref();
  }

  get size(): number {
    return this.open.size;
  }

  /** Counts a new stream against its token and account, or throws 429 `too_many_streams`; released when `res` closes. */
  admit(principal: Principal, header: string, res: ServerResponse): void {
    const t = this.byToken.get(principal.tokenId) ?? 0;
    const a = this.byAccount.get(principal.accountId) ?? 0;
    if (t >= this.limits.perToken || a >= this.limits.perAccount) {
      const which = t >= this.limits.perToken ? `this token (${this.limits.perToken})` : `this account (${this.limits.perAccount})`;
      throw new ProblemError(429, 'too_many_streams', 'Too many event streams', `Too many open event streams for ${which}; close one first.`).withRetryAfter(
        Math.ceil(this.limits.recheckMs / 1000),
      );
    }
    const s: OpenStream = { res, header, tokenId: principal.tokenId, accountId: principal.accountId };
    this.open.add(s);
    this.byToken.set(s.tokenId, t + 1);
    this.byAccount.set(s.accountId, a + 1);
    res.once('close', () => this.release(s));
  }

  private release(s: OpenStream): void {
    if (!this.open.delete(s)) return;
    decrement(this.byToken, s.tokenId);
    decrement(this.byAccount, s.accountId);
  }

  /** Ends every stream opened with the token `tokenId` (just revoked through this service). */
  closeToken(tokenId: string): void {
    for (const s of this.open) if (s.tokenId === tokenId) s.res.end();
  }

  /**
   * Looks up every open stream's token again (once per distinct token, bypassing the cache) and
   * closes the streams whose token is gone. Calls that arrive during a check run one more check
   * after it, so a revocation is never missed.
   */
  recheck(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        const byHeader = new Map<string, OpenStream[]>();
        for (const s of this.open) {
          const list = byHeader.get(s.header);
          if (list) list.push(s);
          else byHeader.set(s.header, [s]);
        }
        for (const [header, list] of byHeader) {
          let valid: boolean;
          try {
            const p = await this.auth.authenticate(header);
            valid = p !== undefined && p.tokenId === list[0]!.tokenId;
          } catch {
            valid = true; // the store failed: keep the stream, the next check decides
          }
          if (!valid) for (const s of list) s.res.end();
        }
      } while (this.again);
    })().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  close(): void {
    clearInterval(this.timer);
    for (const s of this.open) s.res.end();
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
