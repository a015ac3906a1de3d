import { afterEach, describe, expect, it } from 'vitest';
import { dateLocale, formatDate, setDateLocale } from '../../protocol/dates';

afterEach(() => setDateLocale(undefined));

describe('dates for people', () => {
  it('ISO without a locale (check, the CLI), the same on every machine', () => {
    expect(formatDate('2026-11-20T10:30:00.000Z')).toBe('2026-11-20');
    expect(formatDate(Date.UTC(2026, 10, 20, 10, 30), { time: true })).toBe('2026-11-20 10:30 UTC');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it("in the locale set: dateStyle medium, a day in UTC so that an expiry's day is the same everywhere", () => {
    setDateLocale('en-US');
    expect(dateLocale()).toBe('en-US');
    expect(formatDate('2026-01-01T00:00:00.000Z')).toBe('Jan 1, 2026');
    setDateLocale('de');
    expect(formatDate('2026-01-01T00:00:00.000Z')).toBe('01.01.2026');
    expect(formatDate('2026-01-01T00:00:00.000Z', { locale: 'fr' })).toBe('1 janv. 2026');
    // With the time: the same date style and a short time in the user's zone.
    const moment = Date.UTC(2026, 10, 20, 10, 30);
    expect(formatDate(moment, { time: true, locale: 'en-US' })).toBe(new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(moment));
    expect(formatDate(moment, { time: true, locale: 'en-US' })).toMatch(/^Nov 2[01], 2026, \d{1,2}:\d{2}\s?[AP]M$/);
    // A tag Intl does not take falls back to ISO rather than throwing.
    setDateLocale('not a locale!');
    expect(dateLocale()).toBeUndefined();
    expect(formatDate('2026-01-01T00:00:00.000Z')).toBe('2026-01-01');
  });
});
