// One way to show a date to a person: `Intl.DateTimeFormat` in the user's locale, dateStyle
// 'medium' (and timeStyle 'short' where the time matters). Each program sets the locale once: the
// extension from VS Code's display language, the language server from the client's initialize
// `locale`, a webview from its form data. Without one (`check`, the CLI, tests), dates stay ISO
// (`2026-11-20`, `2026-11-20 10:30 UTC`), the same on every machine.

let current: string | undefined;

/** The locale dates are shown in from now on; undefined for ISO. A tag Intl does not accept falls back to ISO. */
export function setDateLocale(locale: string | undefined): void {
  current = locale && isLocale(locale) ? locale : undefined;
}

export function dateLocale(): string | undefined {
  return current;
}

function isLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(locale: string, time: boolean): Intl.DateTimeFormat {
  const id = `${locale}|${time}`;
  let f = formats.get(id);
  // A day alone is a vault day (an expiry starts at 00:00 UTC): shown in UTC so that it stays that
  // day everywhere; a moment is shown in the user's time zone.
  if (!f) formats.set(id, (f = new Intl.DateTimeFormat(locale, time ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium', timeZone: 'UTC' })));
  return f;
}

/**
 * A date (an ISO string or epoch milliseconds) for people: "Nov 20, 2026" or with `time`
 * "Nov 20, 2026, 10:30 AM" in the locale set (or given); an unreadable date comes back as written.
 */
export function formatDate(at: string | number, options: { time?: boolean; locale?: string } = {}): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return String(at);
  const time = options.time === true;
  const locale = options.locale !== undefined && isLocale(options.locale) ? options.locale : current;
  if (locale === undefined) {
    const iso = new Date(ms).toISOString();
    return time ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : iso.slice(0, 10);
  }
  return formatFor(locale, time).format(ms);
}

/**
 * How long before `nowMs` a moment was, for people: "just now", "5 minutes ago", "3 hours ago",
 * "40 days ago" (the Edit form's "Value last changed", a secret's last read); undefined for an
 * unreadable date.
 */
export function timeAgo(iso: string, nowMs: number): string | undefined {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return undefined;
  const s = Math.max(0, Math.round((nowMs - t) / 1000));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} ago`;
  if (s < 60) return 'just now';
  if (s < 3600) return unit(Math.floor(s / 60), 'minute');
  if (s < 86_400) return unit(Math.floor(s / 3600), 'hour');
  return unit(Math.floor(s / 86_400), 'day');
}
