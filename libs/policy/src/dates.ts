/**
 * Calendar dates as ISO strings, without the Date object: domain code never touches the clock, and
 * 'YYYY-MM-DD' strings compare correctly as plain strings. One home for dates in business time:
 * @hz/kernel business-time.ts; `isIsoDate` is its strict 'YYYY-MM-DD' check (2023-02-29 is no day).
 */
export { isCalendarDate as isIsoDate } from '@hz/kernel';
