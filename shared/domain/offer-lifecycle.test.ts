import { describe, expect, it } from 'vitest';
import {
  addParisDays,
  endOfParisDay,
  expiryDate,
  expiryWarningDate,
  isExpired,
  OFFER_ONLINE_DAYS_DEFAULT,
  parisDay,
  parisOffsetMinutes,
} from './offer-lifecycle';

const utc = (iso: string) => new Date(iso);

describe('parisOffsetMinutes', () => {
  it('follows the EU summer-time rule (last Sundays of March and October at 01:00 UTC)', () => {
    // 2025: summer time from 30 March 01:00 UTC to 26 October 01:00 UTC.
    expect(parisOffsetMinutes(utc('2025-03-30T00:59:59.999Z'))).toBe(60);
    expect(parisOffsetMinutes(utc('2025-03-30T01:00:00Z'))).toBe(120);
    expect(parisOffsetMinutes(utc('2025-10-26T00:59:59.999Z'))).toBe(120);
    expect(parisOffsetMinutes(utc('2025-10-26T01:00:00Z'))).toBe(60);
    expect(parisOffsetMinutes(utc('2025-01-15T12:00:00Z'))).toBe(60);
    expect(parisOffsetMinutes(utc('2025-07-14T12:00:00Z'))).toBe(120);
    // 2024: 31 March and 27 October; 2026: 29 March and 25 October.
    expect(parisOffsetMinutes(utc('2024-03-31T01:00:00Z'))).toBe(120);
    expect(parisOffsetMinutes(utc('2024-03-30T12:00:00Z'))).toBe(60);
    expect(parisOffsetMinutes(utc('2024-10-27T00:30:00Z'))).toBe(120);
    expect(parisOffsetMinutes(utc('2026-03-29T01:00:00Z'))).toBe(120);
    expect(parisOffsetMinutes(utc('2026-10-25T01:00:00Z'))).toBe(60);
  });

  it('agrees with Intl (Europe/Paris) every 6 hours over several years', () => {
    const fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    const offsetByIntl = (t: number) => {
      const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
      const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!);
      return Math.round((wall - t) / 60_000);
    };
    let mismatches = 0;
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2028, 0, 1); t += 6 * 3_600_000 + 60_000) {
      if (parisOffsetMinutes(t) !== offsetByIntl(t)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe('endOfParisDay / parisDay', () => {
  it('ends a French day at 23:59:59.999 local time, in winter and in summer', () => {
    expect(endOfParisDay('2025-01-31')!.toISOString()).toBe('2025-01-31T22:59:59.999Z');
    expect(endOfParisDay('2025-07-31')!.toISOString()).toBe('2025-07-31T21:59:59.999Z');
    // The days of the clock changes themselves.
    expect(endOfParisDay('2025-03-30')!.toISOString()).toBe('2025-03-30T21:59:59.999Z');
    expect(endOfParisDay('2025-10-26')!.toISOString()).toBe('2025-10-26T22:59:59.999Z');
  });

  it('refuses dates that do not exist', () => {
    expect(endOfParisDay('2025-02-29')).toBeNull();
    expect(endOfParisDay('2025-13-01')).toBeNull();
    expect(endOfParisDay('31/12/2025')).toBeNull();
    expect(endOfParisDay('2024-02-29')).not.toBeNull();
  });

  it('gives the French day of an instant', () => {
    expect(parisDay(utc('2025-06-30T22:30:00Z'))).toBe('2025-07-01');
    expect(parisDay(utc('2025-12-31T22:59:59Z'))).toBe('2025-12-31');
    expect(parisDay(utc('2025-12-31T23:00:00Z'))).toBe('2026-01-01');
  });
});

describe('addParisDays', () => {
  it('keeps the Paris wall-clock time across the spring change', () => {
    // 10:00 in Paris on 1 March (UTC+1) → 10:00 in Paris on 31 March (UTC+2).
    expect(addParisDays(utc('2025-03-01T09:00:00Z'), 30).toISOString()).toBe('2025-03-31T08:00:00.000Z');
  });
  it('keeps the Paris wall-clock time across the autumn change', () => {
    // 23:30 in Paris on 1 October (UTC+2) → 23:30 in Paris on 31 October (UTC+1).
    expect(addParisDays(utc('2025-10-01T21:30:00Z'), 30).toISOString()).toBe('2025-10-31T22:30:00.000Z');
  });
  it('moves a time that falls into the skipped hour one hour later on the clock', () => {
    // 02:30 on 29 March 2025 + 1 day: 02:30 does not exist on 30 March → 03:30 (UTC+2) = 01:30 UTC.
    expect(addParisDays(utc('2025-03-29T01:30:00Z'), 1).toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });
  it('takes the first occurrence of a repeated hour', () => {
    // 02:30 on 25 October 2025 (UTC+2) + 1 day: 02:30 happens twice on the 26th; the first is 00:30 UTC.
    expect(addParisDays(utc('2025-10-25T00:30:00Z'), 1).toISOString()).toBe('2025-10-26T00:30:00.000Z');
  });
  it('handles month and year ends', () => {
    expect(addParisDays(utc('2025-01-31T11:00:00Z'), 1).toISOString()).toBe('2025-02-01T11:00:00.000Z');
    expect(addParisDays(utc('2024-02-28T11:00:00Z'), 1).toISOString()).toBe('2024-02-29T11:00:00.000Z');
    expect(addParisDays(utc('2025-02-28T11:00:00Z'), 1).toISOString()).toBe('2025-03-01T11:00:00.000Z');
    // 23:30 in Paris on 31 December is still 31 December in Paris but 22:30 UTC.
    expect(addParisDays(utc('2025-12-31T22:30:00Z'), 1).toISOString()).toBe('2026-01-01T22:30:00.000Z');
  });
});

describe('expiryDate', () => {
  it('is 60 days after publication by default, at the same Paris time', () => {
    expect(OFFER_ONLINE_DAYS_DEFAULT).toBe(60);
    // Published 1 February 2025 at 10:00 in Paris → 2 April 2025 at 10:00 in Paris (summer time).
    const published = utc('2025-02-01T09:00:00Z');
    expect(expiryDate(published, OFFER_ONLINE_DAYS_DEFAULT).toISOString()).toBe('2025-04-02T08:00:00.000Z');
    // Published 1 September at 23:30 in Paris → 31 October at 23:30 (winter time), still the 31st.
    const late = utc('2025-09-01T21:30:00Z');
    const exp = expiryDate(late, 60);
    expect(exp.toISOString()).toBe('2025-10-31T22:30:00.000Z');
    expect(parisDay(exp)).toBe('2025-10-31');
  });

  it('honours a configured lifetime', () => {
    expect(expiryDate(utc('2025-05-10T08:00:00Z'), 30).toISOString()).toBe('2025-06-09T08:00:00.000Z');
    expect(() => expiryDate(utc('2025-05-10T08:00:00Z'), 0)).toThrow(RangeError);
    expect(() => expiryDate(utc('2025-05-10T08:00:00Z'), 1.5)).toThrow(RangeError);
  });

  it('stops at the end of the withdrawal day when that comes first', () => {
    const published = utc('2025-03-01T09:00:00Z');
    // Withdrawal on the day of the spring change: 23:59:59.999 summer time.
    expect(expiryDate(published, 60, '2025-03-30').toISOString()).toBe('2025-03-30T21:59:59.999Z');
    // Withdrawal on the day of the autumn change: 23:59:59.999 winter time.
    expect(expiryDate(utc('2025-10-01T08:00:00Z'), 60, '2025-10-26').toISOString()).toBe(
      '2025-10-26T22:59:59.999Z',
    );
    // Month end in winter.
    expect(expiryDate(utc('2025-01-10T08:00:00Z'), 60, '2025-01-31').toISOString()).toBe(
      '2025-01-31T22:59:59.999Z',
    );
  });

  it('keeps the 60 days when the withdrawal date is later', () => {
    const published = utc('2025-03-01T09:00:00Z');
    expect(expiryDate(published, 60, '2025-12-31')).toEqual(expiryDate(published, 60));
  });

  it('withdraws at the end of the publication day itself when that day is chosen', () => {
    const published = utc('2025-06-15T14:00:00Z');
    expect(expiryDate(published, 60, '2025-06-15').toISOString()).toBe('2025-06-15T21:59:59.999Z');
  });

  it('ignores a withdrawal date already over, or not a date', () => {
    const published = utc('2025-06-15T14:00:00Z');
    const natural = expiryDate(published, 60);
    expect(expiryDate(published, 60, '2025-06-14')).toEqual(natural);
    expect(expiryDate(published, 60, '2025-02-30')).toEqual(natural);
    expect(expiryDate(published, 60, '')).toEqual(natural);
  });
});

describe('expiryWarningDate / isExpired', () => {
  it('warns 7 French days before, at the same Paris time, across a clock change', () => {
    const expires = utc('2025-04-02T08:00:00Z'); // 10:00 in Paris, summer time
    expect(expiryWarningDate(expires).toISOString()).toBe('2025-03-26T09:00:00.000Z'); // 10:00, winter time
    expect(expiryWarningDate(expires, 1).toISOString()).toBe('2025-04-01T08:00:00.000Z');
  });

  it('warns on the right day for a withdrawal at the end of a day', () => {
    const expires = endOfParisDay('2025-11-02')!;
    const warn = expiryWarningDate(expires);
    expect(parisDay(warn)).toBe('2025-10-26');
    expect(warn.toISOString()).toBe('2025-10-26T22:59:59.999Z');
  });

  it('is expired from the expiry instant on', () => {
    const expires = utc('2025-04-02T08:00:00Z');
    expect(isExpired(expires, utc('2025-04-02T07:59:59.999Z'))).toBe(false);
    expect(isExpired(expires, utc('2025-04-02T08:00:00Z'))).toBe(true);
    expect(isExpired(expires, utc('2025-05-01T00:00:00Z'))).toBe(true);
  });
});
