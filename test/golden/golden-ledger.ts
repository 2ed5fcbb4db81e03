/**
 * The golden ledger (docs/architecture.md, "Event versions and upcasting"): a ledger written by an
 * earlier version of this code, kept as a JSON Lines export (one stored event per line, in position
 * order, exactly as the store handed it out) with its signed seal and the canonical dump of the read
 * models it produced. Every later version imports it into a fresh store with the recorded ledger times,
 * so every hash is reproduced, then verifies and replays it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SqliteEventStore,
  type EventMetadataInput,
  type EventStore,
  type RecordedEvent,
} from '@hz/event-store';
import { parseEventLines, replayIntoScratch, type Checkpoint, type EventLine } from '@hz/audit';

export const GOLDEN_DIR = __dirname;
export const GOLDEN_LEDGER = join(GOLDEN_DIR, 'ledger.jsonl');
export const GOLDEN_SEAL = join(GOLDEN_DIR, 'seal.json');
export const GOLDEN_READ_MODELS = join(GOLDEN_DIR, 'expected-read-models.txt');

/** One line of the export (@hz/audit event-lines: the audit pack's events.jsonl has the same lines). */
export type GoldenLine = EventLine;

export function readGoldenLedger(path = GOLDEN_LEDGER): GoldenLine[] {
  return parseEventLines(readFileSync(path, 'utf8'));
}

export function readGoldenSeal(path = GOLDEN_SEAL): Checkpoint {
  return JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
}

/** Every event of a store in position order, page by page. */
export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let fromPosition: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ fromPosition, maxCount: 1000 });
    if (page.length === 0) return events;
    events.push(...page);
    fromPosition = page[page.length - 1]?.position;
  }
}

/** The clock the store reads recordedAt from: the imported event's own ledger time. */
class ReplayedClock {
  current = new Date(0);
  now(): Date {
    return this.current;
  }
}

/**
 * A fresh SQLite store holding the lines, appended one by one with their recorded ledger time and the
 * expected revision of their place in the stream, so the store recomputes the same hash chain.
 */
export async function importGoldenLedger(
  lines: readonly GoldenLine[],
  file = ':memory:',
): Promise<SqliteEventStore> {
  const clock = new ReplayedClock();
  const store = new SqliteEventStore({ file, clock, synchronous: 'NORMAL' });
  for (const line of lines) {
    clock.current = new Date(line.metadata.recordedAt);
    const { recordedAt: _recordedAt, hash: _hash, prevHash: _prevHash, ...input } = line.metadata;
    const revision = BigInt(line.revision);
    await store.appendToStream(
      line.streamId,
      [{ id: line.id, type: line.type, data: line.data, metadata: input as EventMetadataInput }],
      { expectedRevision: revision === 0n ? 'no_stream' : revision - 1n },
    );
  }
  return store;
}

/** The canonical dump (ReadStore.dumpGeneration) of every read model after a fresh replay of the store. */
export async function replayedReadModels(store: EventStore): Promise<string> {
  const replay = await replayIntoScratch(store);
  try {
    const active = await replay.readStore.activeCheckpoint();
    if (active === null) throw new Error('the replay activated no generation');
    const lines: string[] = [];
    for await (const line of replay.readStore.dumpGeneration(active.generation)) lines.push(line);
    return `${lines.join('\n')}\n`;
  } finally {
    await replay.dispose();
  }
}
