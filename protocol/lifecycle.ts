// A secret's lifecycle state from its metadata and a time: expired, expiring soon, rotation due.
// One function for the vault (`secrets list --due`, `check`), the language server (diagnostics,
// hovers) and the extension (the sidebar's marks), so that all of them agree.

/** "Expires soon": within this many days. */
export const EXPIRING_SOON_DAYS = 7;

const DAY_MS = 86_400_000;

export interface LifecycleFields {
  expiresAt?: string | null;
  rotationDays?: number | null;
  /** When the current value was set; falls back to `updatedAt` for older vaults. */
  valueUpdatedAt?: string;
  updatedAt?: string;
}

export interface Lifecycle {
  expired: boolean;
  /** Not expired, and expires within EXPIRING_SOON_DAYS. */
  expiringSoon: boolean;
  /** The value is older than rotationDays. */
  rotationDue: boolean;
  /** Epoch ms of the expiry, or null. */
  expiresAtMs: number | null;
  /** Epoch ms when rotation is (or became) due, or null when there is no reminder. */
  rotationDueAtMs: number | null;
  /**
   * Epoch ms of the next moment this answer changes (expiring soon, expired, rotation due), or null
   * when it never will: a caller showing the state re-evaluates then.
   */
  nextChangeMs: number | null;
}

function parseTime(s: string | null | undefined): number | null {
  if (typeof s !== 'string') return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

export function lifecycleOf(secret: LifecycleFields, nowMs: number): Lifecycle {
  const expiresAtMs = parseTime(secret.expiresAt);
  const setAt = parseTime(secret.valueUpdatedAt ?? secret.updatedAt);
  const days = secret.rotationDays;
  const rotationDueAtMs = typeof days === 'number' && days > 0 && setAt !== null ? setAt + days * DAY_MS : null;
  const expired = expiresAtMs !== null && nowMs >= expiresAtMs;
  const soonFrom = expiresAtMs === null ? null : expiresAtMs - EXPIRING_SOON_DAYS * DAY_MS;
  const expiringSoon = !expired && soonFrom !== null && nowMs >= soonFrom;
  const rotationDue = rotationDueAtMs !== null && nowMs >= rotationDueAtMs;
  const upcoming = [soonFrom, expiresAtMs, rotationDueAtMs].filter((t): t is number => t !== null && t > nowMs);
  return { expired, expiringSoon, rotationDue, expiresAtMs, rotationDueAtMs, nextChangeMs: upcoming.length ? Math.min(...upcoming) : null };
}

/** Whether the secret needs attention (for `secrets list --due` and the sidebar's marks). */
export function isDue(l: Lifecycle): boolean {
  return l.expired || l.expiringSoon || l.rotationDue;
}

/** A short phrase for a hover or a tooltip (dates by `date`, ISO unless given): "expired on 2026-11-01", "expires in 3 days", "rotation due since 2026-10-02". */
export function lifecycleSummary(l: Lifecycle, nowMs: number, date: (ms: number) => string = (ms) => new Date(ms).toISOString().slice(0, 10)): string | null {
  const parts: string[] = [];
  if (l.expired && l.expiresAtMs !== null) parts.push(`expired on ${date(l.expiresAtMs)}`);
  else if (l.expiringSoon && l.expiresAtMs !== null) {
    const days = Math.ceil((l.expiresAtMs - nowMs) / DAY_MS);
    parts.push(days <= 1 ? `expires within a day (${date(l.expiresAtMs)})` : `expires in ${days} days (${date(l.expiresAtMs)})`);
  }
  if (l.rotationDue && l.rotationDueAtMs !== null) parts.push(`rotation due since ${date(l.rotationDueAtMs)}`);
  return parts.length ? parts.join('; ') : null;
}
