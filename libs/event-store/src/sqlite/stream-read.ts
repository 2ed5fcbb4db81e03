/**
 * The SQLite streaming read (../stream-read.ts, issue 13): one `iterate()` over the events table on a
 * connection of its own, so the cursor stays open across the consumer's awaits without blocking the
 * store's connection (better-sqlite3 refuses other statements on a connection with an open iterator). In
 * WAL mode that connection reads one snapshot from its first row to its last: later appends are not seen.
 * An in-memory store has no file to open twice: it is read in pages on its own connection.
 */
import Database from 'better-sqlite3';
import { positiveBatchSize, type RawEventRow, type ReadAllRawOptions } from '../stream-read';

/** Rows as `raw(true)` returns them, in this column order. */
type RawTuple = [bigint, string, bigint, string, string, string, string];

const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata';
/** SQLite's largest integer: "no upper bound". */
const POSITION_END = 9223372036854775807n;

export async function* readAllRawSqlite(
  file: string,
  storeDb: Database.Database,
  options: ReadAllRawOptions = {},
): AsyncGenerator<readonly RawEventRow[]> {
  const batchSize = positiveBatchSize(options.batchSize);
  const from = options.fromPosition ?? 0n;
  const until = options.untilPosition ?? POSITION_END;
  const order = options.order === 'stream' ? 'stream_id, revision' : 'position';
  if (file === ':memory:' || file === '') {
    yield* pagedOnStoreConnection(storeDb, order, from, until, batchSize);
    return;
  }
  const db = new Database(file, { fileMustExist: true, timeout: 10_000 });
  try {
    db.defaultSafeIntegers(true);
    db.pragma('query_only = ON');
    // Stream order from the start: `+position` makes SQLite walk the (stream_id, revision) index in order
    // instead of reading the position range and sorting it whole in a temporary B-tree (as large as the
    // log; measured on the 50k demo: about 35% more CPU than the index walk). A later start keeps the
    // range, which then reads only part of the log.
    const column = order !== 'position' && from === 0n ? '+position' : 'position';
    const rows = db
      .prepare<[bigint, bigint]>(
        `SELECT ${COLUMNS} FROM events WHERE ${column} > ? AND ${column} <= ? ORDER BY ${order}`,
      )
      .raw(true)
      .iterate(from, until) as IterableIterator<RawTuple>;
    let batch: RawEventRow[] = [];
    for (const row of rows) {
      batch.push(rowOf(row));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    // Closing the connection also ends an iterator the consumer left early.
    db.close();
  }
}

async function* pagedOnStoreConnection(
  db: Database.Database,
  order: string,
  from: bigint,
  until: bigint,
  batchSize: number,
): AsyncGenerator<readonly RawEventRow[]> {
  // Stream order pages by (stream_id, revision); position order by position.
  const byStream = order !== 'position';
  const statement = db
    .prepare(
      byStream
        ? `SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? AND (stream_id > ? OR (stream_id = ? AND revision > ?)) ORDER BY ${order} LIMIT ?`
        : `SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY ${order} LIMIT ?`,
    )
    .raw(true);
  let after: RawTuple | undefined;
  for (;;) {
    const rows = (
      byStream
        ? statement.all(
            from,
            until,
            after?.[1] ?? '',
            after?.[1] ?? '',
            after?.[2] ?? -1n,
            batchSize,
          )
        : statement.all(after?.[0] ?? from, until, batchSize)
    ) as RawTuple[];
    if (rows.length > 0) yield rows.map(rowOf);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1];
  }
}

function rowOf(row: RawTuple): RawEventRow {
  return {
    position: row[0],
    streamId: row[1],
    revision: row[2],
    id: row[3],
    type: row[4],
    data: row[5],
    metadata: row[6],
  };
}
