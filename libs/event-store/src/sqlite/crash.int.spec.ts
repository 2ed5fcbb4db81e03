/**
 * Crash safety: a writer process is SIGKILLed at random moments, more than twenty times, and restarted on
 * the same file each time. After every restart, every append it reported as committed is there, every
 * batch is there completely or not at all, and every hash chain verifies.
 *
 * Issue 12: the same with 16 concurrent writers in the child under group commit (the appends of one turn
 * share a transaction), on SQLite and on PostgreSQL: an acknowledged append is never lost, and no append
 * of a batch is visible in part.
 *
 * SIGKILL ends the process, not the machine: what the OS already holds survives it. Power loss (what
 * synchronous=FULL is for) cannot be simulated here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAllChains } from '../chain-verifier';
import type { RecordedEvent } from '../port';
import { readAllAfter, seededRandom, TsChild } from '../testing';
import type { CommittedAppend } from './crash-writer.child';
import type { EventStore } from '../port';
import { openPostgresEventStore } from '../postgres/postgres-event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../postgres/throwaway-database';
import { openSqliteEventStore } from './sqlite-event-store';

const ROUNDS = 22;
const STREAMS = 4;
const KILL_DELAY_MAX_MS = 150;
const CHILD_SCRIPT = join(__dirname, 'crash-writer.child.ts');

const directory = mkdtempSync(join(tmpdir(), 'event-store-crash-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface BatchMarker {
  readonly batchId: string;
  readonly batchSize: number;
  readonly index: number;
}

function markerOf(event: RecordedEvent): BatchMarker {
  const { batchId, batchSize, index } = event.data;
  if (typeof batchId !== 'string' || typeof batchSize !== 'number' || typeof index !== 'number') {
    throw new Error(`event at position ${event.position} has no batch marker`);
  }
  return { batchId, batchSize, index };
}

/** Runs the writer once and kills it `delayMs` after it is ready; returns the appends it reported. */
async function runAndKill(
  spec: string,
  seed: number,
  delayMs: number,
  writers = 1,
): Promise<CommittedAppend[]> {
  const child = new TsChild(CHILD_SCRIPT, [
    spec,
    String(seed),
    String(writers === 1 ? STREAMS : writers * 2),
    String(writers),
  ]);
  expect(JSON.parse(await child.nextLine(20_000))).toEqual({ ready: true });
  // Every other round counts the delay from the first acknowledged append, so that on a loaded machine
  // (a slow first fsync) half the kills still land while appends are going on.
  const first = seed % 2 === 0 ? [await child.nextLine(20_000)] : [];
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.process.kill('SIGKILL');
  const exit = await child.exited;
  expect(exit.signal).toBe('SIGKILL');
  // Lines the child wrote before it died are still in the pipe: each was written after its commit.
  return [...first, ...child.drainLines()].map((line) => JSON.parse(line) as CommittedAppend);
}

function groupBatches(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const batches = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const { batchId } = markerOf(event);
    const members = batches.get(batchId);
    if (members === undefined) batches.set(batchId, [event]);
    else members.push(event);
  }
  return batches;
}

/** Torn batches: each must be complete (all its indexes, consecutive revisions, one stream) or absent. */
function tornBatches(batches: ReadonlyMap<string, readonly RecordedEvent[]>): string[] {
  const torn: string[] = [];
  for (const [batchId, members] of batches) {
    const [first] = members;
    if (first === undefined) continue;
    const whole =
      members.length === markerOf(first).batchSize &&
      members.every(
        (member, offset) =>
          markerOf(member).index === offset &&
          member.streamId === first.streamId &&
          member.revision === first.revision + BigInt(offset),
      );
    if (!whole) torn.push(`${batchId}: ${members.length} of ${markerOf(first).batchSize} events`);
  }
  return torn;
}

/** Reported commits that are missing or not where the child said they landed. */
function lostCommits(
  reported: readonly CommittedAppend[],
  batches: ReadonlyMap<string, readonly RecordedEvent[]>,
): string[] {
  return reported.flatMap((append) => {
    const batch = batches.get(append.batchId);
    const last = batch?.[batch.length - 1];
    const kept =
      last !== undefined &&
      last.streamId === append.streamId &&
      String(last.revision) === append.nextRevision;
    return kept ? [] : [`${append.batchId} reported at ${append.streamId}@${append.nextRevision}`];
  });
}

/** Kills the writer ROUNDS times; after each restart checks every reported append, whole batches, chains. */
async function killRepeatedly(
  spec: string,
  open: () => Promise<EventStore>,
  writers: number,
  seed: number,
  /** Kill moments are drawn from [minMs, minMs + KILL_DELAY_MAX_MS). */
  minMs = 0,
): Promise<void> {
  const random = seededRandom(seed);
  const reported: CommittedAppend[] = [];
  let roundsWithCommits = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const committed = await runAndKill(
      spec,
      round,
      minMs + Math.floor(random() * KILL_DELAY_MAX_MS),
      writers,
    );
    if (committed.length > 0) roundsWithCommits += 1;
    reported.push(...committed);

    const store = await open();
    try {
      const batches = groupBatches(await readAllAfter(store, 0n));
      expect({ round, torn: tornBatches(batches), lost: lostCommits(reported, batches) }).toEqual({
        round,
        torn: [],
        lost: [],
      });
      expect(await verifyAllChains(store)).toEqual([]);
    } finally {
      await store.close();
    }
  }
  // The kills must have landed while appends were going on, not only before the first one.
  expect(roundsWithCommits).toBeGreaterThanOrEqual(ROUNDS / 2);
}

describe('SQLite crash safety under SIGKILL', () => {
  it(`keeps every reported append, whole batches and intact chains across ${ROUNDS} kills`, async () => {
    const file = join(directory, 'crash.db');
    await killRepeatedly(file, () => openSqliteEventStore({ file }), 1, 20240301);
  }, 120_000);
});

describe('Crash safety under group commit: 16 concurrent writers killed with SIGKILL (issue 12)', () => {
  it(`SQLite: every acknowledged append kept, no partial append, chains intact across ${ROUNDS} kills`, async () => {
    const file = join(directory, 'crash-group.db');
    await killRepeatedly(file, () => openSqliteEventStore({ file }), 16, 20261206);
  }, 180_000);

  describe('PostgreSQL', () => {
    let database: ThrowawayDatabase | undefined;
    beforeAll(async () => {
      database = await createThrowawayDatabase('ledger_crash');
    });
    afterAll(async () => {
      await database?.drop();
    });

    it(`every acknowledged append kept, no partial append, chains intact across ${ROUNDS} kills`, async () => {
      if (database === undefined) throw new Error('the throwaway database was not created');
      const { connectionString } = database;
      const spec = JSON.stringify({ connectionString, schema: 'crash_group' });
      await killRepeatedly(
        spec,
        () => openPostgresEventStore({ connectionString, schema: 'crash_group', poolSize: 2 }),
        16,
        20261207,
        // Its first appends come later (connections, the schema check): kills from 100 ms on.
        100,
      );
    }, 240_000);
  });
});
