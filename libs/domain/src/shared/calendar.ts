/**
 * Calendar arithmetic on `YYYY-MM-DD` strings. Warranty periods are calendar days in Japan time
 * (Asia/Tokyo, DOMAIN.md decision 2); the caller hands in dates already expressed in Japan time, and this
 * module computes on them as UTC midnights, so no time zone database and no clock are involved.
 */

/** A calendar day in Japan time, `YYYY-MM-DD`. */
export type CalendarDate = string;
/** An ISO-8601 instant with an explicit offset, e.g. `2026-11-25T01:12:22.000Z`. */
export type Instant = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;
// Japan has kept UTC+9 without daylight saving since 1951, so a fixed offset is exact.
const TOKYO_OFFSET_MS = 9 * 3_600_000;

function parts(date: CalendarDate): readonly [number, number, number] | null {
  const match = DATE_PATTERN.exec(date);
  if (match === null) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * The years a date of this service can fall in. Wider than any warranty, narrow enough that every day in it
 * is a valid JavaScript Date and PostgreSQL date, and that a year after it still is.
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2999;

/** True for a real calendar day in `YYYY-MM-DD` form within FIRST_YEAR–LAST_YEAR (2023-02-29 is not one). */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const p = parts(value);
  if (p === null) return false;
  const [y, m, d] = p;
  return y >= FIRST_YEAR && y <= LAST_YEAR && fromUtcMs(Date.UTC(y, m - 1, d)) === value;
}

/** True for an ISO-8601 instant with an explicit offset that denotes a real moment. */
export function isInstant(value: unknown): value is Instant {
  return typeof value === 'string' && INSTANT_PATTERN.test(value) && isCalendarDate(value.slice(0, 10))
    ? !Number.isNaN(Date.parse(value))
    : false;
}

function toUtcMs(date: CalendarDate): number {
  const p = parts(date);
  if (p === null) throw new RangeError(`not a calendar date: ${date}`);
  return Date.UTC(p[0], p[1] - 1, p[2]);
}

function fromUtcMs(ms: number): CalendarDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/**
 * The same month and day `years` later. A Feb 29 start whose anniversary year has no Feb 29 rolls over to
 * Mar 1, so that "anniversary − 1 day" ends a leap-day delivery's period on Feb 28 (decision 2).
 */
export function anniversary(date: CalendarDate, years: number): CalendarDate {
  const p = parts(date);
  if (p === null) throw new RangeError(`not a calendar date: ${date}`);
  return fromUtcMs(Date.UTC(p[0] + years, p[1] - 1, p[2]));
}

/** Negative, zero or positive like a comparator; `YYYY-MM-DD` strings order like the days they name. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Inclusive on both ends. */
export function isWithin(
  date: CalendarDate,
  period: { readonly start: CalendarDate; readonly end: CalendarDate },
): boolean {
  return date >= period.start && date <= period.end;
}

/** The Japan-time calendar day of an instant (e.g. the request date of a request filed at `metadata.now`). */
export function tokyoDateOf(instant: Instant): CalendarDate {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${instant}`);
  return fromUtcMs(ms + TOKYO_OFFSET_MS);
}
