/**
 * Business time, in one place (docs/architecture.md §1): Hangzhou keeps China Standard Time, UTC+08:00
 * with no daylight saving. A bare calendar date names that day in Hangzhou, not in UTC; fiscal months,
 * submission dates and "as of" days are all read in this offset. Pure functions: no clock is read here,
 * the caller passes the instant.
 */

/** Hangzhou's offset as ISO-8601 writes it. */
export const BUSINESS_UTC_OFFSET = '+08:00';
export const BUSINESS_UTC_OFFSET_MINUTES = 480;
const OFFSET_MS = BUSINESS_UTC_OFFSET_MINUTES * 60_000;

const CALENDAR_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
/** A date shape with a plausible month and day: what a fiscal month is read from without a Date. */
const MONTH_DATE = /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const THIRTY_DAY_MONTHS: readonly number[] = [4, 6, 9, 11];

/** Strict 'YYYY-MM-DD' naming a real calendar day (2023-02-29 is not one, 2024-02-29 is). */
export function isCalendarDate(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const match = CALENDAR_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return THIRTY_DAY_MONTHS.includes(month) ? 30 : 31;
}

/** An ISO-8601 date-time with an explicit offset (Z or ±hh:mm), as a command's `now` must be. */
export function isOffsetDateTime(text: unknown): boolean {
  return typeof text === 'string' && DATE_TIME.test(text);
}

/**
 * Milliseconds since the epoch of a business time: a calendar date (the start of that day in Hangzhou)
 * or an ISO date-time with an offset. NaN for anything else.
 */
export function businessInstantMs(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  if (isCalendarDate(value)) return Date.parse(`${value}T00:00:00${BUSINESS_UTC_OFFSET}`);
  if (!DATE_TIME.test(value) || !isCalendarDate(value.slice(0, 10))) return Number.NaN;
  return Date.parse(value);
}

/** The Hangzhou calendar date ('YYYY-MM-DD') of an instant given in epoch milliseconds. */
export function businessDateOf(instantMs: number): string {
  return new Date(instantMs + OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The fiscal month ('YYYY-MM') of a business time. A calendar date is already a Hangzhou date; an instant
 * is shifted to UTC+08:00 first, so a decision at 2024-03-31T20:00Z belongs to April.
 */
export function businessMonthOf(businessTime: string): string {
  const dateOnly = MONTH_DATE.exec(businessTime);
  if (dateOnly) return `${dateOnly[1]}-${dateOnly[2]}`;
  const instantMs = Date.parse(businessTime);
  if (!Number.isFinite(instantMs))
    throw new RangeError(`not an ISO-8601 business time: ${businessTime}`);
  return businessDateOf(instantMs).slice(0, 7);
}

/** The last millisecond of a Hangzhou calendar day, as an ISO time with offset. */
export function endOfBusinessDay(date: string): string {
  return `${date}T23:59:59.999${BUSINESS_UTC_OFFSET}`;
}

/**
 * An "as of" time as people type it: a bare 'YYYY-MM-DD' means the end of that business day; any other
 * text is returned unchanged for the caller to parse.
 */
export function asOfText(text: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? endOfBusinessDay(text) : text;
}
