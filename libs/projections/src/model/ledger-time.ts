/**
 * Two clocks meet on the read side (docs: libs/projections/README.md):
 * - ledger time (`metadata.recordedAt`) answers "what did the ledger know at that instant" (asOf);
 * - business time (decision `occurredAt`, `paidAt`, `recoveredAt`, `decidedAt`) says which fiscal month a
 *   fact belongs to.
 */

/**
 * The fiscal month ('YYYY-MM') of a business time, read in Hangzhou's UTC+08:00: business time has one
 * home, @hz/kernel business-time.ts (a decision at 2024-03-31T20:00Z belongs to April).
 */
export { businessMonthOf as fiscalMonthOf } from '@hz/kernel';

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
