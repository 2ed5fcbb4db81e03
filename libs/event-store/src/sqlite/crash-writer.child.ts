/**
 * Child process for the crash tests: appends batches of 1–8 events to a few streams as fast as it can and
 * prints one JSON line per append *after* it committed. The parent SIGKILLs it at a random moment.
 * Run as: node -r @swc-node/register crash-writer.child.ts <store> <seed> <stream count> [writers]
 * where <store> is a SQLite file, JSON `{"file": …, "writerThread": true}` for SQLite with the writer
 * thread, or JSON `{"connectionString": …, "schema": …}` for PostgreSQL. With
 * several writers (issue 12) they append concurrently, each to its own streams, so the store's group
 * commit puts their appends in shared transactions, and each append is a whole command as the ledger
 * writes it (one commit per command): its events, an idempotency record whose value (the answer, with
 * the position) is computed in the transaction, and every fourth time a reference reservation alongside.
 */
import { StreamNotFound } from '../errors';
import type { AppendOptions, AppendResult, EventStore, JsonObject, NewEvent } from '../port';
import { deterministicUuid, seededRandom, testEvent } from '../testing/fixtures';
import { openPostgresEventStore } from '../postgres/postgres-event-store';
import { openSqliteEventStore, type CheckpointOptions } from './sqlite-event-store';

/** The parent kills us long before this; the bound only keeps a forgotten child from running forever. */
const APPENDS_MAX = 200_000;

export interface CommittedAppend {
  readonly streamId: string;
  readonly nextRevision: string;
  readonly batchId: string;
  readonly batchSize: number;
  /** Group-commit mode: the position answered, and whether a reservation went alongside. */
  readonly position?: string;
  readonly reserved?: boolean;
}

/** The idempotency record of a command (group-commit mode): its answer, as the ledger records one. */
export function recordKeyOf(batchId: string): string {
  return `idempotency-crash-${batchId}`;
}

export function answerOf(batchId: string, appended: AppendResult): JsonObject {
  return {
    batchId,
    nextRevision: appended.nextRevision.toString(),
    position: appended.position.toString(),
  };
}

/** The reference stream reserved alongside every fourth command of a writer. */
export function referenceStreamOf(batchId: string): string {
  return `payment-ref-crash-${batchId}`;
}

export function reservesReference(appendIndex: number): boolean {
  return appendIndex % 4 === 0;
}

/** A whole command: its record, and its reservation when it has one (the parent replays it with this). */
export function commandOptions(
  batchId: string,
  appendIndex: number,
  expectedRevision: AppendOptions['expectedRevision'],
): AppendOptions {
  const reservation = {
    ...testEvent(`${batchId}-ref`),
    id: deterministicUuid(`crash-${batchId}-ref`),
    data: { batchId: `${batchId}-ref`, batchSize: 1, index: 0 },
  };
  return {
    expectedRevision,
    record: { key: recordKeyOf(batchId), value: (appended) => answerOf(batchId, appended) },
    ...(reservesReference(appendIndex)
      ? {
          alongside: [
            {
              streamId: referenceStreamOf(batchId),
              events: [reservation],
              expectedRevision: 'no_stream' as const,
            },
          ],
        }
      : {}),
  };
}

function crashStreamId(index: number): string {
  return `applicant-crash-${index}`;
}

async function currentRevision(store: EventStore, streamId: string): Promise<bigint | undefined> {
  try {
    return (await store.readStream(streamId, { direction: 'backwards', maxCount: 1 }))[0]?.revision;
  } catch (error) {
    if (error instanceof StreamNotFound) return undefined;
    throw error;
  }
}

export function batch(batchId: string, batchSize: number): NewEvent[] {
  return Array.from({ length: batchSize }, (_, index) => ({
    ...testEvent(`${batchId}-${index}`),
    id: deterministicUuid(`crash-${batchId}-${index}`),
    // The batch marker: after a crash, a batch must be there completely or not at all.
    data: { batchId, batchSize, index, amount: `${batchSize}${index}.00` },
  }));
}

/**
 * `<store>` is a SQLite file, `{"file": …, "writerThread": true}` for a SQLite file whose batches commit
 * on the writer thread, `{"file": …, "checkpoint": {"mode": "thread", …}}` for one whose WAL checkpoints
 * run on the checkpointer thread, or `{"connectionString": …, "schema": …}` for PostgreSQL.
 */
async function openStore(spec: string): Promise<EventStore> {
  if (!spec.startsWith('{')) return openSqliteEventStore({ file: spec });
  const parsed = JSON.parse(spec) as
    | { file: string; writerThread?: boolean; checkpoint?: CheckpointOptions }
    | { connectionString: string; schema: string };
  if ('file' in parsed) {
    const store = await openSqliteEventStore(parsed);
    // The writer thread (writer-thread.ts) and the checkpointer start with the first commit: an empty
    // append starts them before the child reports ready, so the kill moments fall among commits as they
    // do without the threads.
    await store.appendToStream('crash-writer-warm-up', [], { expectedRevision: 'any' });
    return store;
  }
  const { connectionString, schema } = parsed;
  return openPostgresEventStore({ connectionString, schema, poolSize: 4 });
}

async function main(): Promise<void> {
  const [spec, seedText, streamCountText, writersText = '1'] = process.argv.slice(2);
  if (spec === undefined || seedText === undefined || streamCountText === undefined)
    throw new Error('usage: <store> <seed> <stream count> [writers]');
  const store = await openStore(spec);
  const streams = Array.from({ length: Number(streamCountText) }, (_, index) =>
    crashStreamId(index),
  );
  const revisions = new Map<string, bigint | undefined>();
  for (const streamId of streams) revisions.set(streamId, await currentRevision(store, streamId));
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const writers = Number(writersText);
  // Writer w owns the streams w, w + writers, …: no two writers race on one stream.
  const owned = (writer: number) => streams.filter((_, index) => index % writers === writer);
  const writerSeed = (writer: number) =>
    writers === 1 ? Number(seedText) : Number(seedText) * 1000 + writer;
  await Promise.all(
    Array.from({ length: writers }, (_, writer) =>
      write(store, owned(writer), revisions, seededRandom(writerSeed(writer)), {
        prefix: writers === 1 ? seedText : `${seedText}w${writer}`,
        commands: writers > 1,
      }),
    ),
  );
  await store.close();
}

async function write(
  store: EventStore,
  streams: readonly string[],
  revisions: Map<string, bigint | undefined>,
  random: () => number,
  { prefix, commands }: { readonly prefix: string; readonly commands: boolean },
): Promise<void> {
  for (let appendIndex = 0; appendIndex < APPENDS_MAX; appendIndex += 1) {
    const streamId = streams[Math.floor(random() * streams.length)] ?? crashStreamId(0);
    const batchId = `${prefix}-${appendIndex}`;
    const batchSize = 1 + Math.floor(random() * 8);
    const expectedRevision = revisions.get(streamId) ?? 'no_stream';
    const result = await store.appendToStream(
      streamId,
      batch(batchId, batchSize),
      commands ? commandOptions(batchId, appendIndex, expectedRevision) : { expectedRevision },
    );
    revisions.set(streamId, result.nextRevision);
    const committed: CommittedAppend = {
      streamId,
      nextRevision: String(result.nextRevision),
      batchId,
      batchSize,
      ...(commands
        ? { position: String(result.position), reserved: reservesReference(appendIndex) }
        : {}),
    };
    process.stdout.write(`${JSON.stringify(committed)}\n`);
  }
}

// Imported by the parent for the helpers above; run only as the child.
if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(
      `crash writer failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
