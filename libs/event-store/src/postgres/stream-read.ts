/**
 * The PostgreSQL streaming read (../stream-read.ts, issue 13): a server-side cursor, `DECLARE … NO SCROLL
 * CURSOR` in a READ ONLY REPEATABLE READ transaction on one pooled connection, fetched batch by batch; the
 * whole read is one snapshot. As readAll does (./reads.ts), it returns only rows below the horizon, so the
 * log it reads has no hole that a late commit could fill.
 */
import type { Pool } from 'pg';
import { positiveBatchSize, type RawEventRow, type ReadAllRawOptions } from '../stream-read';
import { abandonTransaction, ignoreDroppedConnection } from './pg-support';
import { HORIZON_CTE } from './reads';
import type { EventRow } from './rows';
import type { SchemaNames } from './schema';

const POSITION_END = 9223372036854775807n;

export async function* readAllRawPostgres(
  pool: Pool,
  names: SchemaNames,
  options: ReadAllRawOptions = {},
): AsyncGenerator<readonly RawEventRow[]> {
  const batchSize = positiveBatchSize(options.batchSize);
  // Bigints we hold, written as literals: DECLARE takes no bind parameters.
  const from = BigInt(options.fromPosition ?? 0n).toString();
  const until = BigInt(options.untilPosition ?? POSITION_END).toString();
  const order = options.order === 'stream' ? 'e.stream_id, e.revision' : 'e.position';
  const client = await pool.connect();
  let committed = false;
  // Between two batches the consumer works while the cursor's connection idles: a drop there must not be
  // an unhandled 'error' (postgres-event-store.ts appendTransaction); the next FETCH fails instead.
  client.on('error', ignoreDroppedConnection);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(
      `DECLARE raw_events NO SCROLL CURSOR FOR ${HORIZON_CTE}
       SELECT e.position, e.stream_id, e.revision, e.event_id, e.type, e.data::text AS data,
              e.metadata::text AS metadata
       FROM ${names.events} e, horizon
       WHERE e.position > ${from} AND e.position <= ${until} AND e.tx_id < horizon.xmin
       ORDER BY ${order}`,
    );
    for (;;) {
      const { rows } = await client.query<EventRow>(`FETCH FORWARD ${batchSize} FROM raw_events`);
      if (rows.length > 0) yield rows.map(rowOf);
      if (rows.length < batchSize) break;
    }
    await client.query('COMMIT');
    committed = true;
  } finally {
    // Failed or left early (return()): the transaction, and the cursor with it, is rolled back.
    client.off('error', ignoreDroppedConnection);
    client.release(committed ? undefined : await abandonTransaction(client));
  }
}

function rowOf(row: EventRow): RawEventRow {
  return {
    position: BigInt(row.position),
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
  };
}
