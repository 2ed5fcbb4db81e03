/**
 * Crash safety: a writer process is SIGKILLed at random moments, more than twenty times, and restarted on
 * the same file each time. After every restart, every append it reported as committed is there, every
 * batch is there completely or not at all, and every hash chain verifies.
 *
 * Issue 12: the same with 16 concurrent writers in the child under group commit (the appends of one turn
 * share a transaction), on SQLite and on PostgreSQL, each append a whole command as the ledger writes it
 * (one commit per command): its events, its idempotency record (the answer, position included) and
 * every fourth time a reference reservation. After every restart: every acknowledged command is there
 * with its record and reservation, and replaying it returns the same answer; no command of a batch is
 * visible in part (no events without their record or reservation, no record or reservation without
 * their events); chains verify.
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
import {
  batch,
  commandOptions,
  recordKeyOf,
  referenceStreamOf,
  reservesReference,
  type CommittedAppend,
} from './crash-writer.child';
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

/**
 * Group-commit mode: the commands of `round` (and every acknowledged one) checked whole: the record of
 * each command in the log names its last event, its reservation is there when it has one, nothing
 * (record or reservation) exists past each writer's last command, and every acknowledged command has
 * the record and reservation it was answered with.
 */
async function partialCommands(
  store: EventStore,
  round: number,
  writers: number,
  reported: readonly CommittedAppend[],
  batches: ReadonlyMap<string, readonly RecordedEvent[]>,
): Promise<string[]> {
  const records = store.records;
  if (records === undefined) return ['the store keeps no records'];
  const problems: string[] = [];
  const answered = async (batchId: string) => records.read(recordKeyOf(batchId));
  for (const append of reported) {
    const value = await answered(append.batchId);
    if (value?.['position'] !== append.position || value?.['nextRevision'] !== append.nextRevision)
      problems.push(`${append.batchId}: acknowledged, record ${JSON.stringify(value)}`);
    if (append.reserved === true && !batches.has(`${append.batchId}-ref`))
      problems.push(`${append.batchId}: acknowledged without its reservation`);
  }
  for (let writer = 0; writer < writers; writer += 1) {
    const prefix = `${round}w${writer}`;
    let next = 0;
    for (; batches.has(`${prefix}-${next}`); next += 1) {
      const batchId = `${prefix}-${next}`;
      const last = batches.get(batchId)?.at(-1);
      const value = await answered(batchId);
      if (value?.['position'] !== String(last?.position))
        problems.push(`${batchId}: events without their record (${JSON.stringify(value)})`);
      if (reservesReference(next) !== batches.has(`${batchId}-ref`))
        problems.push(`${batchId}: events and reservation apart`);
    }
    // A writer's commands are sequential: the first one missing has left nothing at all.
    const absent = `${prefix}-${next}`;
    if ((await answered(absent)) !== undefined) problems.push(`${absent}: record without events`);
    if (batches.has(`${absent}-ref`)) problems.push(`${absent}: reservation without events`);
  }
  return problems;
}

/** The last acknowledged command of the round, appended again: the same answer, the record unchanged. */
async function replayLast(store: EventStore, committed: readonly CommittedAppend[]): Promise<void> {
  const last = committed.at(-1);
  if (last === undefined) return;
  const index = Number(last.batchId.slice(last.batchId.lastIndexOf('-') + 1));
  const again = await store.appendToStream(
    last.streamId,
    batch(last.batchId, last.batchSize),
    commandOptions(last.batchId, index, 'any'),
  );
  expect({ nextRevision: String(again.nextRevision), position: String(again.position) }).toEqual({
    nextRevision: last.nextRevision,
    position: last.position,
  });
  expect(await store.readStream(referenceStreamOf(last.batchId)).catch(() => [])).toHaveLength(
    last.reserved === true ? 1 : 0,
  );
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
      if (writers > 1) {
        expect({
          round,
          partial: await partialCommands(store, round, writers, committed, batches),
        }).toEqual({ round, partial: [] });
        await replayLast(store, committed);
      }
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

describe('Crash safety under group commit: a child serving 16 concurrent writers of whole commands, killed with SIGKILL (issue 12)', () => {
  it(`SQLite: every acknowledged command kept with its record and reservation (replayed: same answer), no partial command, chains intact across ${ROUNDS} kills`, async () => {
    const file = join(directory, 'crash-group.db');
    await killRepeatedly(file, () => openSqliteEventStore({ file }), 16, 20261206);
  }, 180_000);

  it(`SQLite, batches on the writer thread: the same across ${ROUNDS} kills`, async () => {
    const file = join(directory, 'crash-writer-thread.db');
    await killRepeatedly(
      JSON.stringify({ file, writerThread: true }),
      () => openSqliteEventStore({ file }),
      16,
      20261208,
    );
  }, 180_000);

  it(`SQLite, WAL checkpoints on the checkpointer thread: the same across ${ROUNDS} kills`, async () => {
    const file = join(directory, 'crash-checkpointer.db');
    // A low threshold, so the thread's checkpoints (and the writer's at twice it) fall among the kills.
    await killRepeatedly(
      JSON.stringify({ file, checkpoint: { mode: 'thread', thresholdFrames: 50 } }),
      () => openSqliteEventStore({ file }),
      16,
      20261207,
    );
  }, 180_000);

  describe('PostgreSQL', () => {
    let database: ThrowawayDatabase | undefined;
    beforeAll(async () => {
      database = await createThrowawayDatabase('ledger_crash');
    });
    afterAll(async () => {
      await database?.drop();
    });

    it(`every acknowledged command kept with its record and reservation (replayed: same answer), no partial command, chains intact across ${ROUNDS} kills`, async () => {
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
