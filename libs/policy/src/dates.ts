/**
 * Calendar dates as ISO strings, without the Date object: domain code never touches the clock, and
 * 'YYYY-MM-DD' strings compare correctly as plain strings.
 */
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const THIRTY_DAY_MONTHS: readonly number[] = [4, 6, 9, 11];

/** Strict 'YYYY-MM-DD' naming a real calendar day (2023-02-29 is not one, 2024-02-29 is). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return THIRTY_DAY_MONTHS.includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
