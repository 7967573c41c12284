import { OFFER_ONLINE_DAYS } from './offer';
/**
 * When an offer goes offline (recruiter guide, seed 001): « Une fois validée, elle sera disponible
 * en ligne pendant 60 jours. Si vous souhaitez qu'elle soit retirée à une date précise avant la fin
 * de ce délai, entrez-la ici ».
 *
 * Days are French days: a withdrawal date « 2025-03-30 » means until the end of that day in
 * Paris (23:59:59.999 local time), and « 60 days after publication » keeps the wall-clock time in
 * Paris across the changes to and from summer time.
 *
 * The Paris offset is computed from the EU rule in force since 1996 (summer time from the last
 * Sunday of March, 01:00 UTC, to the last Sunday of October, 01:00 UTC: UTC+2, otherwise UTC+1),
 * without Intl, so every face (workstation, server, portal) gives the same answer whatever its
 * ICU data. Should the EU ever drop the clock changes, this is the one place to change.
 */

/** Days an offer stays online once published, unless the server is configured otherwise. */
export const OFFER_ONLINE_DAYS_DEFAULT = OFFER_ONLINE_DAYS;
/** Days before expiry when the author is warned. */
export const OFFER_EXPIRY_WARNING_DAYS = 7;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Last Sunday of a month at 01:00 UTC, the moment EU clocks change. */
function lastSundayAt0100Utc(year: number, month0: number): number {
  const lastDay = new Date(Date.UTC(year, month0 + 1, 0));
  const sunday = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month0, sunday, 1);
}

/** Offset of Paris local time from UTC at an instant, in minutes (60 in winter, 120 in summer). */
export function parisOffsetMinutes(at: Date | number): number {
  const t = typeof at === 'number' ? at : at.getTime();
  const year = new Date(t).getUTCFullYear();
  const summer = t >= lastSundayAt0100Utc(year, 2) && t < lastSundayAt0100Utc(year, 9);
  return summer ? 120 : 60;
}

/**
 * The instant of a Paris wall-clock time given as a UTC-based millisecond count
 * (Date.UTC(y, m, d, h, min, ...)). A time that does not exist (in the hour skipped in March) is
 * read with the winter offset, i.e. one hour later on the clock; a time that happens twice (in the
 * hour repeated in October) gives its first occurrence.
 */
function parisWallTimeToInstant(wall: number): number {
  const summer = wall - 120 * MINUTE;
  if (parisOffsetMinutes(summer) === 120) return summer;
  return wall - 60 * MINUTE;
}

/** The Paris wall-clock time of an instant, as a UTC-based millisecond count. */
function parisWallTime(at: number): number {
  return at + parisOffsetMinutes(at) * MINUTE;
}

/** The day in Paris at an instant, « YYYY-MM-DD ». */
export function parisDay(at: Date): string {
  return new Date(parisWallTime(at.getTime())).toISOString().slice(0, 10);
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses « YYYY-MM-DD » into its parts, or null when it is not a real calendar day. */
function parseDay(day: string): [number, number, number] | null {
  const m = YMD.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return [y, mo, d];
}

/** The last millisecond of a French day (23:59:59.999 in Paris); null when `day` is not a valid date. */
export function endOfParisDay(day: string): Date | null {
  const parts = parseDay(day);
  if (!parts) return null;
  const [y, mo, d] = parts;
  return new Date(parisWallTimeToInstant(Date.UTC(y, mo - 1, d, 23, 59, 59, 999)));
}

/** Adds (or subtracts) calendar days in Paris, keeping the wall-clock time. */
export function addParisDays(at: Date, days: number): Date {
  return new Date(parisWallTimeToInstant(parisWallTime(at.getTime()) + days * DAY));
}

/**
 * When an offer published at `publishedAt` goes offline: `onlineDays` French calendar days later,
 * or at the end of its withdrawal day if that comes first. A withdrawal date already over at
 * publication (or not a valid date) is ignored.
 */
export function expiryDate(publishedAt: Date, onlineDays: number, withdrawalDate?: string): Date {
  if (!Number.isInteger(onlineDays) || onlineDays < 1) {
    throw new RangeError(`Durée de mise en ligne invalide : ${onlineDays} (entier positif attendu).`);
  }
  const natural = addParisDays(publishedAt, onlineDays);
  if (!withdrawalDate) return natural;
  const withdrawal = endOfParisDay(withdrawalDate);
  if (!withdrawal || withdrawal.getTime() < publishedAt.getTime()) return natural;
  return withdrawal.getTime() < natural.getTime() ? withdrawal : natural;
}

/** When to warn the author: `daysBefore` French calendar days before expiry, same wall-clock time. */
export function expiryWarningDate(expiresAt: Date, daysBefore = OFFER_EXPIRY_WARNING_DAYS): Date {
  return addParisDays(expiresAt, -daysBefore);
}

/** An offer is expired from its expiry instant on. */
export function isExpired(expiresAt: Date, now: Date): boolean {
  return now.getTime() >= expiresAt.getTime();
}
