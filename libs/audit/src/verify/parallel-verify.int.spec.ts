/**
 * Verify on threads with the coordinator reading partition 0 itself (issue 13, ./partition-pass.ts): the
 * report is the one-thread report, a byte edited in a stream of either partition (the coordinator's or
 * the worker's) is found, and an abort in the middle of the coordinator's partition rejects with its
 * reason and releases that partition's cursor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, hashCanonicalParts, openSqliteEventStore } from '@hz/event-store';
import { FixedClock, testEvents } from '@hz/event-store/testing';
import { PartitionPass } from './partition-pass';
import { verifyLedger, type VerifyReport } from './verify-ledger';

const STREAMS = 24;
const EVENTS_PER_STREAM = 500;
const directory = mkdtempSync(join(tmpdir(), 'audit-parallel-verify-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Partition of a stream among 2 workers, as VERIFY_PARTITION_SQL computes it (its last two characters). */
function partitionOf(streamId: string): number {
  const last = streamId.charCodeAt(streamId.length - 1);
  const before = streamId.charCodeAt(streamId.length - 2);
  return (last * 31 + before) % 2;
}

const streams = Array.from(
  { length: STREAMS },
  (_, index) => `applicant-913301000000${String(index).padStart(4, '0')}X${index % 10}`,
);

async function ledgerFile(name: string): Promise<string> {
  const file = join(directory, `${name}.db`);
  const store = await openSqliteEventStore({ file, clock: new FixedClock() });
  for (const streamId of streams)
    await store.appendToStream(streamId, testEvents(streamId, EVENTS_PER_STREAM), {
      expectedRevision: 'no_stream',
    });
  await store.close();
  return file;
}

async function verifyOn(
  file: string,
  workers: number,
  signal?: AbortSignal,
): Promise<VerifyReport> {
  const store = await openSqliteEventStore({ file });
  try {
    // The test events are claims of unregistered applicants (a finding each): keep every finding.
    return await verifyLedger(store, {
      workers,
      signal,
      findingsMax: STREAMS * EVENTS_PER_STREAM * 2,
    });
  } finally {
    await store.close();
  }
}

function comparable(report: VerifyReport): unknown {
  const { verifiedAt: _verifiedAt, durationMs: _durationMs, ...rest } = report;
  return rest;
}

describe('verify on 2 threads, partition 0 read by the coordinator', () => {
  afterEach(() => jest.restoreAllMocks());

  it('both partitions hold streams of the test ledger', () => {
    expect(new Set(streams.map(partitionOf))).toEqual(new Set([0, 1]));
  });

  it('gives the one-thread report, and the coordinator read a partition itself', async () => {
    const file = await ledgerFile('intact');
    const steps = jest.spyOn(PartitionPass.prototype, 'step');
    const one = await verifyOn(file, 1);
    expect(steps).not.toHaveBeenCalled();
    const two = await verifyOn(file, 2);
    expect(steps).toHaveBeenCalled();
    expect(two.eventCount).toBe(STREAMS * EVENTS_PER_STREAM);
    expect(comparable(two)).toEqual(comparable(one));
  });

  it.each([0, 1])('finds one edited byte in a stream of partition %i', async (partition) => {
    const file = await ledgerFile(`edited-${partition}`);
    const streamId = streams.find((stream) => partitionOf(stream) === partition) as string;
    const db = new Database(file);
    db.exec('DROP TRIGGER events_no_update;');
    // One character of the stored payload: '1250.00' → '1251.00', the texts stay canonical JSON.
    const edited = db
      .prepare(
        `UPDATE events SET data = replace(data, '"1250.00"', '"1251.00"') WHERE stream_id = ? AND revision = 123`,
      )
      .run(streamId);
    db.close();
    expect(edited.changes).toBe(1);
    const one = await verifyOn(file, 1);
    const two = await verifyOn(file, 2);
    expect(comparable(two)).toEqual(comparable(one));
    expect(two.ok).toBe(false);
    expect(two.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'CHAIN.HASH_MISMATCH', streamId })]),
    );
  });

  it.each([0, 1])(
    'finds a payload re-written out of canonical order with its hash recomputed, in partition %i',
    async (partition) => {
      const file = await ledgerFile(`forged-${partition}`);
      const streamId = streams.find((stream) => partitionOf(stream) === partition) as string;
      const revision = EVENTS_PER_STREAM - 1;
      const db = new Database(file);
      db.exec('DROP TRIGGER events_no_update;');
      const stored = db
        .prepare(
          'SELECT event_id, type, data, metadata FROM events WHERE stream_id = ? AND revision = ?',
        )
        .get(streamId, revision) as {
        event_id: string;
        type: string;
        data: string;
        metadata: string;
      };
      // The same content, keys written in reverse order, and a hash over exactly those texts: the chain
      // reads as intact (the last event, no successor to link to it) unless the text is checked canonical.
      const data = JSON.parse(stored.data) as Record<string, unknown>;
      const reversed = JSON.stringify(Object.fromEntries(Object.entries(data).reverse()));
      expect(reversed).not.toBe(stored.data);
      const { hash: _stored, ...metadata } = JSON.parse(stored.metadata) as Record<string, unknown>;
      const hash = hashCanonicalParts(
        { streamId, revision: BigInt(revision), id: stored.event_id, type: stored.type },
        reversed,
        canonicalJson(metadata as never),
      );
      db.prepare(
        'UPDATE events SET data = ?, metadata = ? WHERE stream_id = ? AND revision = ?',
      ).run(reversed, canonicalJson({ ...metadata, hash } as never), streamId, revision);
      db.close();
      for (const workers of [1, 2])
        expect((await verifyOn(file, workers)).findings).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ code: 'CHAIN.HASH_MISMATCH', streamId }),
          ]),
        );
    },
  );

  it('an abort in the middle of the coordinator’s partition rejects with its reason and closes it', async () => {
    const file = await ledgerFile('aborted');
    const controller = new AbortController();
    const reason = new Error('stopped by the test');
    const close = jest.spyOn(PartitionPass.prototype, 'close');
    let steps = 0;
    const step = PartitionPass.prototype.step;
    jest.spyOn(PartitionPass.prototype, 'step').mockImplementation(function (
      this: PartitionPass,
      rows: number,
    ) {
      // The worker thread runs its own copy of the module: only the coordinator's steps count here.
      steps += 1;
      if (steps === 3) controller.abort(reason);
      return step.call(this, rows);
    });
    await expect(verifyOn(file, 2, controller.signal)).rejects.toBe(reason);
    expect(steps).toBe(3);
    expect(close).toHaveBeenCalled();
  });
});
