/**
 * The threads of verify on threads take ranges of stream ids as they go (issue 13, ./verify-partition.ts,
 * ./partition-pass.ts). Two passes over one plan, stepped in turn on this thread (so the ranges each takes
 * are the same on every run): every row is read by exactly one of them, every stream whole and in revision
 * order (a stream cut between two passes would read as a broken chain in both), and together they find
 * what one pass over every range finds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '@hz/event-store';
import { FixedClock, testEvents } from '@hz/event-store/testing';
import { PositionOrderedSink } from '../invariants/findings';
import { PartitionPass } from './partition-pass';
import { planStreamRanges, type VerifyPartitionResult } from './verify-partition';

const STREAMS = 40;
const directory = mkdtempSync(join(tmpdir(), 'audit-partition-pass-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Streams of 50 to 440 events, the allocation plans' prefix among them. */
async function ledger(): Promise<{ file: string; events: number }> {
  const file = join(directory, 'ledger.db');
  const store = await openSqliteEventStore({ file, clock: new FixedClock() });
  let events = 0;
  for (let index = 0; index < STREAMS; index += 1) {
    const streamId =
      index % 13 === 0
        ? `allocation-2024-${index}`
        : `applicant-913301000000${String(index).padStart(4, '0')}X${index % 10}`;
    const count = 50 + ((index * 97) % 391);
    await store.appendToStream(streamId, testEvents(streamId, count), {
      expectedRevision: 'no_stream',
    });
    events += count;
  }
  await store.close();
  return { file, events };
}

const FINDINGS_MAX = 100_000;

function passes(count: number): PartitionPass[] {
  const untilPosition = 10n ** 12n;
  const ranges = planStreamRanges(file, untilPosition);
  return Array.from(
    { length: count },
    (_, partition) =>
      new PartitionPass(
        {
          eventFile: file,
          partition,
          ranges,
          untilPosition,
          findingsMax: FINDINGS_MAX,
          closes: null,
        },
        undefined,
      ),
  );
}

/** Steps the passes in turn, `rows` rows each, until every one is done. */
function runInTurn(all: PartitionPass[], rows: number): VerifyPartitionResult[] {
  const running = new Set(all);
  while (running.size > 0)
    for (const pass of [...running]) if (!pass.step(rows)) running.delete(pass);
  return all.map((pass) => pass.result());
}

let file: string;
let events: number;
beforeAll(async () => {
  ({ file, events } = await ledger());
}, 60_000);

describe('verify passes over ranges of streams', () => {
  it.each([1, 7, 500])(
    'two passes stepped in turn (%i rows a step) read every row once, streams whole',
    (rows) => {
      const [alone] = runInTurn(passes(1), 5000) as [VerifyPartitionResult];
      const two = runInTurn(passes(2), rows);
      expect(alone.eventCount).toBe(events);
      expect(two.map((result) => result.eventCount).every((count) => count > 0)).toBe(true);
      expect(two.reduce((sum, result) => sum + result.eventCount, 0)).toBe(events);
      for (const result of two) {
        expect(result.chainSuspects).toEqual([]);
        expect(result.crossPartition).toBe(false);
      }
      expect(alone.chainSuspects).toEqual([]);
      // Claims of unregistered applicants (the test events): a finding each, whichever pass read it.
      const total = (result: VerifyPartitionResult): number =>
        result.findings.counts.reduce((sum, [, count]) => sum + count, 0);
      expect(total(alone)).toBeGreaterThan(0);
      expect(two.reduce((sum, result) => sum + total(result), 0)).toBe(total(alone));
      const merged = new PositionOrderedSink(FINDINGS_MAX);
      for (const result of two) merged.merge(result.findings);
      const one = new PositionOrderedSink(FINDINGS_MAX);
      one.merge(alone.findings);
      expect(merged.findings).toEqual(one.findings);
    },
  );
});
