/**
 * The single-threaded part of the parallel rebuild (issue 13): the fiscal totals. A bucket (funder, fiscal
 * month, clause) sums the movements of every applicant and allocation plan, and each event that moves it
 * writes a version stamped with its position and watermark, so the movements must be folded in global
 * position order with the same evolveFiscal as the sequential runner. The partition workers read their
 * events stream by stream (./rebuild-worker.ts), so each writes its movements to the `rebuild_movements`
 * table of a file beside its shard, keyed by (position, index in the event); once every worker is done,
 * those tables are merged by position (a k-way merge of one cursor per partition, each walking its
 * table's key in order) and folded: on a thread of its own into a file of its own (foldIntoFile) while the
 * coordinator copies the shards, or on the coordinator's thread with one partition. Its memory is the
 * buckets (funders × months × clauses) and one event's movements per partition, whatever the ledger's
 * length.
 *
 * A movement depends on its own stream only (model/fiscal.ts fiscalMovementsOf: the event and its claim's
 * state before it, a claim's events all in its applicant's stream; an allocation plan's movements on the
 * event alone), so computing it out of position order gives the movement the sequential runner computes.
 */
import Database from 'better-sqlite3';
import { evolveFiscal, fiscalKey, type FiscalMovement } from '../model/fiscal';
import { emptyChanges } from '../model/registry';
import type { FiscalBucket, FiscalFlow } from '../model/rows';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';

export const MOVEMENTS_DDL = `CREATE TABLE rebuild_movements (
  position INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  watermark_ms INTEGER NOT NULL,
  funder TEXT NOT NULL,
  month TEXT NOT NULL,
  clause TEXT NOT NULL,
  flow TEXT NOT NULL,
  amount TEXT NOT NULL,
  PRIMARY KEY (position, idx)
) WITHOUT ROWID`;

export const MOVEMENTS_INSERT =
  'INSERT INTO rebuild_movements (position, idx, watermark_ms, funder, month, clause, flow, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

const MOVEMENTS_SELECT =
  'SELECT position, watermark_ms, funder, month, clause, flow, amount FROM rebuild_movements ORDER BY position, idx';

/** The page cache of each movements file read by the merge, KiB (each table is read once, in key order). */
const SHARD_READ_CACHE_KIB = 1024;

type MovementTuple = [number, number, string, string, string, FiscalFlow, string];

interface Cursor {
  readonly rows: IterableIterator<MovementTuple>;
  head: MovementTuple | undefined;
}

/**
 * Folds the movements in `movementsFiles` in position order; `write` receives the new bucket versions about
 * every `writeRows` versions (and the rest at the end), in order.
 */
export async function foldShardMovements(
  movementsFiles: readonly string[],
  write: (versions: FiscalBucket[]) => Promise<void>,
  writeRows: number,
  signal?: AbortSignal,
): Promise<void> {
  const connections = movementsFiles.map((file) => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma(`cache_size = -${SHARD_READ_CACHE_KIB}`);
    return db;
  });
  const cursors: Cursor[] = [];
  try {
    for (const db of connections) {
      const rows = db
        .prepare(MOVEMENTS_SELECT)
        .raw(true)
        .iterate() as IterableIterator<MovementTuple>;
      cursors.push({ rows, head: undefined });
    }
    for (const cursor of cursors) cursor.head = next(cursor.rows);
    const buckets = new Map<string, FiscalBucket>();
    const lookup = {
      bucket: (funder: string, month: string, clause: string) =>
        buckets.get(fiscalKey(funder, month, clause)),
    };
    let versions: FiscalBucket[] = [];
    for (;;) {
      let cursor: Cursor | undefined;
      let first: MovementTuple | undefined;
      for (const candidate of cursors) {
        const head = candidate.head;
        if (head !== undefined && (first === undefined || head[0] < first[0])) {
          cursor = candidate;
          first = head;
        }
      }
      if (cursor === undefined || first === undefined) break;
      // One event's movements are in one shard (its stream's), consecutive in the key order.
      const position = first[0];
      const watermarkMs = first[1];
      const movements: FiscalMovement[] = [];
      for (let row = cursor.head; row !== undefined && row[0] === position; row = cursor.head) {
        movements.push({
          funder: row[2],
          month: row[3],
          clause: row[4],
          flow: row[5],
          amount: row[6],
        });
        cursor.head = next(cursor.rows);
      }
      for (const version of evolveFiscal(lookup, movements, BigInt(position), watermarkMs)) {
        buckets.set(fiscalKey(version.funder, version.month, version.clause), version);
        versions.push(version);
      }
      if (versions.length >= writeRows) {
        signal?.throwIfAborted();
        await write(versions);
        versions = [];
      }
    }
    if (versions.length > 0) await write(versions);
  } finally {
    for (const cursor of cursors) cursor.rows.return?.();
    for (const db of connections) db.close();
  }
}

/**
 * The page cache of the file the fold writes on its thread, KiB: the versions go into a table keyed by
 * bucket, in position order, so a write lands anywhere in it (the scratch store's own cache size,
 * libs/audit/src/replay/scratch-replay.ts, where the coordinator used to write them).
 */
const FISCAL_FILE_CACHE_KIB = 16_384;

/**
 * Folds the movements in `movementsFiles` into a new generation of a file of its own (no journal: a crash
 * loses a file the rebuild deletes anyway); returns the generation. The parallel rebuild runs it on a
 * worker thread while its coordinator copies the partitions' shards into the generation being built, and
 * copies this file last (./parallel-rebuild.ts).
 */
export async function foldIntoFile(
  movementsFiles: readonly string[],
  fiscalFile: string,
  writeRows: number,
): Promise<number> {
  const store = new SqliteReadStore(fiscalFile, {
    synchronous: 'OFF',
    journalMode: 'OFF',
    cacheSizeKib: FISCAL_FILE_CACHE_KIB,
  });
  try {
    const { generation } = await store.createGeneration(PROJECTION_SCHEMA_VERSION, {
      bulkLoad: true,
    });
    await foldShardMovements(
      movementsFiles,
      (versions) => store.writeRows(generation, { ...emptyChanges(), fiscalVersions: versions }),
      writeRows,
    );
    return generation;
  } finally {
    await store.close();
  }
}

function next(rows: IterableIterator<MovementTuple>): MovementTuple | undefined {
  const step = rows.next();
  return step.done === true ? undefined : step.value;
}
