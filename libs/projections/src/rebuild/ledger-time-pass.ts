/**
 * The ledger-time pass of the parallel rebuild (issue 13): a worker sees only its partition's events, but
 * the watermark of an event (ledger-time.ts nextWatermarkMs) is the latest `recordedAt` of every event up
 * to it, whatever its stream. One pass over the log's metadata, evaluated inside SQLite (JSON extraction
 * in C, one JavaScript call per row for the running maximum), finds the few events whose own `recordedAt`
 * is earlier than the watermark (a clock that stepped back); every other event's watermark is its own
 * `recordedAt`. The same pass counts the events, checks every type is known and finds where an `asOf`
 * bound ends the log (../../../audit/src/replay/bounded-log.ts cuts the same prefix).
 */
import type Database from 'better-sqlite3';
import { isLedgerEventType } from '@hz/ledger';
import { instantMs } from '../model/ledger-time';
import { UnknownLedgerEvent } from '../model/ledger-record';

export interface LedgerTimes {
  /** Events in the range read (position ≤ the end). */
  readonly events: number;
  /** The last position read (0n for an empty log). */
  readonly lastPosition: bigint;
  /** The watermark at the last position: the final checkpoint's. */
  readonly watermarkMs: number;
  /** Position → watermark of the events whose own recordedAt is earlier (usually none). */
  readonly stepBacks: ReadonlyMap<number, number>;
}

interface PassState {
  lastPosition: number;
  runningMs: number;
  events: number;
  stepBacks: Map<number, number>;
  /** Set when an asOf bound ended the log: later rows are not part of it. */
  ended: boolean;
  failure: Error | undefined;
}

const CHUNK_POSITIONS = 20_000;
let aggregateCount = 0;

/**
 * Reads positions (0, endPosition] in chunks of 20,000 positions, yielding to the event loop between chunks so
 * that a coordinator on the main thread keeps serving its workers' messages.
 */
export async function ledgerTimePass(
  db: Database.Database,
  endPosition: bigint,
  asOfMs?: number,
  signal?: AbortSignal,
): Promise<LedgerTimes> {
  const state: PassState = {
    lastPosition: 0,
    runningMs: 0,
    events: 0,
    stepBacks: new Map(),
    ended: false,
    failure: undefined,
  };
  const name = `hz_ledger_time_${(aggregateCount += 1)}`;
  db.aggregate(name, {
    start: () => 0,
    varargs: true,
    step: (_total: number, ...args: unknown[]) => {
      const [position, type, recordedAt] = args as [number, string, string | null];
      if (state.ended || state.failure !== undefined) return 0;
      try {
        if (position <= state.lastPosition)
          throw new Error(`ledger-time pass: position ${position} after ${state.lastPosition}`);
        if (!isLedgerEventType(type)) throw new UnknownLedgerEvent(type, BigInt(position));
        const ms = instantMs(recordedAt ?? '');
        const watermark = ms > state.runningMs ? ms : state.runningMs;
        if (asOfMs !== undefined && watermark > asOfMs) {
          state.ended = true;
          return 0;
        }
        if (watermark !== ms) state.stepBacks.set(position, watermark);
        state.runningMs = watermark;
        state.lastPosition = position;
        state.events += 1;
      } catch (error) {
        state.failure = error instanceof Error ? error : new Error(String(error));
      }
      return 0;
    },
  });
  const chunk = db.prepare(
    `SELECT ${name}(position, type, metadata ->> '$.recordedAt' ORDER BY position) FROM events WHERE position > ? AND position <= ?`,
  );
  const end = Number(endPosition);
  let from = 0;
  while (from < end && !state.ended && state.failure === undefined) {
    signal?.throwIfAborted();
    const to = Math.min(end, from + CHUNK_POSITIONS);
    chunk.safeIntegers(false).get(from, to);
    from = to;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (state.failure !== undefined) throw state.failure;
  return {
    events: state.events,
    lastPosition: BigInt(state.lastPosition),
    watermarkMs: state.runningMs,
    stepBacks: state.stepBacks,
  };
}
