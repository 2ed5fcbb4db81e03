/**
 * What the demo writes into: the configured event store with the demo's clock for recordedAt, durable
 * unless the user asks for speed; and how many streams the LedgerService it writes through keeps folded.
 */
import {
  createEventStore,
  eventStoreConfigFromEnv,
  type Clock,
  type EventStore,
} from '@hz/event-store';
import type { LedgerEnv } from '@hz/audit';

export interface DemoStoreOptions {
  /**
   * synchronous=NORMAL on the embedded SQLite file instead of FULL: no fsync per commit. WAL still never
   * corrupts; a power cut may lose the last commits, and rerunning the same seed appends only what is
   * missing (idempotency keys). Only when the user asks (`--fast`); other stores ignore it.
   */
  readonly fast: boolean;
}

export async function openDemoStore(
  ledgerEnv: LedgerEnv,
  clock: Clock,
  options: DemoStoreOptions,
): Promise<EventStore> {
  const config = eventStoreConfigFromEnv({ ...ledgerEnv.env, LEDGER_DATA_DIR: ledgerEnv.dataDir });
  if (config.kind !== 'sqlite') return createEventStore({ ...config, clock });
  return createEventStore({ ...config, clock, synchronous: options.fast ? 'NORMAL' : 'FULL' });
}

/** Streams the demo keeps folded; past this many applicants, the first command of each phase reads its stream whole. */
export const DEMO_STREAMS_CACHED_MAX = 25_000;

/**
 * Every phase visits every applicant in turn, so a least-recently-used cache smaller than the run misses
 * on each applicant's first command of every phase (at 5,000 applicants, a 1,000-stream cache cost 23% more
 * CPU). Room for all applicants and the yearly allocation plans avoids that, at about 47 KB of heap per
 * applicant: some 0.9 GB live for the 18,500 applicants of a million-event demo (peak RSS measured 2.7 GB).
 */
export function demoStreamCacheMax(applicants: number, years: number): number {
  if (
    !Number.isSafeInteger(applicants) ||
    applicants < 1 ||
    !Number.isSafeInteger(years) ||
    years < 1
  ) {
    throw new RangeError(
      `applicants and years must be positive integers, got ${applicants} and ${years}`,
    );
  }
  return Math.min(applicants + years, DEMO_STREAMS_CACHED_MAX);
}
