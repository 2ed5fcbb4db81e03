/**
 * Two clocks meet on the read side (docs: libs/projections/README.md):
 * - ledger time (`metadata.recordedAt`) answers "what did the ledger know at that instant" (asOf);
 * - business time (decision `occurredAt`, `paidAt`, `recoveredAt`, `decidedAt`) says which fiscal month a
 *   fact belongs to.
 */

/** Hangzhou keeps China Standard Time (UTC+08:00, no daylight saving), so fiscal months use this offset. */
export const FISCAL_UTC_OFFSET_MINUTES = 480;

const DATE_ONLY = /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/**
 * The fiscal month ('YYYY-MM') of a business time. A calendar date is already a Hangzhou date; an instant
 * is shifted to UTC+08:00 first, so a decision at 2024-03-31T20:00Z belongs to April.
 */
export function fiscalMonthOf(businessTime: string): string {
  const dateOnly = DATE_ONLY.exec(businessTime);
  if (dateOnly) return `${dateOnly[1]}-${dateOnly[2]}`;
  const instantMs = Date.parse(businessTime);
  if (!Number.isFinite(instantMs))
    throw new RangeError(`not an ISO-8601 business time: ${businessTime}`);
  return new Date(instantMs + FISCAL_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 7);
}

/** Milliseconds since the epoch of an ISO-8601 instant; throws on anything else. */
export function instantMs(iso: string): number {
  const value = Date.parse(iso);
  if (!Number.isFinite(value)) throw new RangeError(`not an ISO-8601 instant: ${iso}`);
  return value;
}

/**
 * Ledger time as the read side orders it: never earlier than the event before it. asOf then selects a
 * prefix of the log even if a store's clock once stepped back (the store's positions are the order of truth).
 */
export function nextWatermarkMs(previousMs: number, recordedAt: string): number {
  const recordedMs = instantMs(recordedAt);
  return recordedMs > previousMs ? recordedMs : previousMs;
}
