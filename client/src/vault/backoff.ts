// Reconnect delays: exponential with full jitter, capped, so that many editors whose vault restarts
// do not all knock at the same instant.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Deterministic tests pass a fixed source; defaults to Math.random. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000 };

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The delay before the next attempt; each call lengthens the next one. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 20));
    this.attempt++;
    const r = (this.options.random ?? Math.random)();
    // Half fixed, half jitter: never zero, never more than the ceiling.
    return Math.round(ceiling / 2 + (ceiling / 2) * r);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
