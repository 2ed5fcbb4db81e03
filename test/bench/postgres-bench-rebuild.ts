/**
 * The rebuild figure of postgres.bench.ts: a generated ledger in the PostgreSQL event store (loaded
 * untimed, without waiting for fsync), then every read model rebuilt into a new PostgreSQL read-store
 * generation by the projections' runner, timed. Its ceiling is the same log evolved in memory only.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openPostgresEventStore } from '@hz/event-store';
import {
  InMemoryReadModel,
  PROJECTION_SCHEMA_VERSION,
  ProjectionRunner,
  tableNames,
  toLedgerRecord,
} from '@hz/projections';
import { openPostgresReadStore } from '../../libs/projections/src/postgres';
import {
  appendGenerated,
  generateEvents,
  seededRandom,
  SettableClock,
} from '../../libs/projections/src/testing';
import { eventsPerSecond } from './postgres-bench-helpers';

export interface RebuildFigure {
  readonly events: number;
  readonly batchSize: number;
  readonly storeEventsPerSecond: number;
  readonly rawEventsPerSecond: number;
}

function withoutFsyncWait(connectionString: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('options', '-c synchronous_commit=off');
  return url.toString();
}

export async function rebuildFigure(
  connectionString: string,
  total: number,
  batchSize: number,
): Promise<RebuildFigure> {
  const clock = new SettableClock();
  const events = await openPostgresEventStore({
    connectionString: withoutFsyncWait(connectionString),
    schema: 'bench_rebuild_events',
    clock,
    poolSize: 2,
  });
  const reads = await openPostgresReadStore({
    connectionString,
    schema: 'bench_rebuild_reads',
    poolSize: 2,
  });
  try {
    await appendGenerated(
      events,
      clock,
      generateEvents(seededRandom(42), total, { activeApplicants: 200 }),
    );
    const { generation } = await reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    const started = process.hrtime.bigint();
    await new ProjectionRunner(events, reads, generation, { batchSize }).catchUp();
    const storeRate = eventsPerSecond(total, started);
    const log = await events.readAll({ maxCount: total });
    const evolveStarted = process.hrtime.bigint();
    InMemoryReadModel.of(log.map(toLedgerRecord));
    return {
      events: total,
      batchSize,
      storeEventsPerSecond: storeRate,
      rawEventsPerSecond: eventsPerSecond(log.length, evolveStarted),
    };
  } finally {
    await reads.close();
    await events.close();
  }
}

/** One way of writing a generation's rows, timed on the same rows (issue 13). */
export interface WriteMethodFigure {
  readonly method: 'unnest INSERT' | 'COPY FROM STDIN';
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

/** The insert-only tables of a generation: the bulk of its rows (every event's audit row, every version). */
const APPEND_TABLES = ['audit', 'capVersions', 'fiscalVersions'] as const;

/**
 * COPY against the read store's multi-row `unnest` INSERT for a generation being built (issue 13): the
 * rows of a rebuilt generation's insert-only tables, read back, then written again into empty tables of
 * the same definition (`LIKE … INCLUDING ALL`), `chunkRows` rows per statement and per transaction (a
 * batch), once each way and alternated (`rounds`), on one connection. Same rows, same run: the ratio is
 * the figure. Upserted tables (claims, awards) cannot be COPYed without a staging table.
 */
export async function writeMethodFigures(
  connectionString: string,
  total: number,
  chunkRows: number,
  rounds = 2,
): Promise<WriteMethodFigure[]> {
  const client = new Client({ connectionString });
  await client.connect();
  // Fresh schemas each run (a direct run uses the server's database, not postgres.bench's throwaway one).
  const dropSchemas = (): Promise<unknown> =>
    client.query('DROP SCHEMA IF EXISTS bench_copy_events, bench_copy_reads CASCADE');
  await dropSchemas();
  const clock = new SettableClock();
  const events = await openPostgresEventStore({
    connectionString: withoutFsyncWait(connectionString),
    schema: 'bench_copy_events',
    clock,
    poolSize: 2,
  });
  const reads = await openPostgresReadStore({
    connectionString,
    schema: 'bench_copy_reads',
    poolSize: 2,
  });
  try {
    await appendGenerated(
      events,
      clock,
      generateEvents(seededRandom(42), total, { activeApplicants: 200 }),
    );
    const { generation } = await reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    await new ProjectionRunner(events, reads, generation, { batchSize: 2000 }).catchUp();
    const names = tableNames(generation, 'bench_copy_reads');
    const tables = [];
    for (const name of APPEND_TABLES) {
      const result = await client.query({ text: `SELECT * FROM ${names[name]}`, rowMode: 'array' });
      const types = await client.query<{ type: string }>(
        `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [names[name]],
      );
      tables.push({
        source: names[name],
        columns: result.fields.map((field) => field.name),
        types: types.rows.map((row) => row.type.replace(/ COLLATE .*/, '')),
        rows: result.rows as unknown[][],
      });
    }
    const figures: WriteMethodFigure[] = [];
    for (let round = 0; round < rounds; round += 1)
      for (const method of ['unnest INSERT', 'COPY FROM STDIN'] as const) {
        let rows = 0;
        let nanoseconds = 0n;
        for (const table of tables) {
          const target = `bench_copy_reads.write_${method === 'COPY FROM STDIN' ? 'copy' : 'unnest'}`;
          await client.query(`DROP TABLE IF EXISTS ${target}`);
          await client.query(`CREATE TABLE ${target} (LIKE ${table.source} INCLUDING ALL)`);
          const started = process.hrtime.bigint();
          for (let offset = 0; offset < table.rows.length; offset += chunkRows) {
            const chunk = table.rows.slice(offset, offset + chunkRows);
            await client.query('BEGIN');
            if (method === 'COPY FROM STDIN') await copyRows(client, target, table.columns, chunk);
            else await unnestRows(client, target, table.columns, table.types, chunk);
            await client.query('COMMIT');
          }
          nanoseconds += process.hrtime.bigint() - started;
          rows += table.rows.length;
          await client.query(`DROP TABLE ${target}`);
        }
        const seconds = Number(nanoseconds) / 1e9;
        figures.push({
          method,
          rows,
          seconds: Number(seconds.toFixed(3)),
          rowsPerSecond: Math.round(rows / seconds),
        });
      }
    return figures;
  } finally {
    await reads.close();
    await events.close();
    await dropSchemas();
    await client.end();
  }
}

/** The read store's statement shape: one INSERT … SELECT * FROM unnest($1::type[], …) per chunk. */
async function unnestRows(
  client: Client,
  table: string,
  columns: readonly string[],
  types: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  const arrays = columns.map((_, column) => rows.map((row) => row[column] ?? null));
  const casts = types.map((type, index) => `$${index + 1}::${type}[]`).join(', ');
  await client.query(
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${casts})`,
    arrays,
  );
}

/** COPY … FROM STDIN in the text format: tab-separated, `\N` for NULL, backslash escapes. */
async function copyRows(
  client: Client,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  const text = rows
    .map((row) => row.map((value) => (value === null ? '\\N' : copyText(String(value)))).join('\t'))
    .join('\n');
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from([`${text}\n`]), stream);
}

function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (character) =>
    character === '\\' ? '\\\\' : character === '\t' ? '\\t' : character === '\n' ? '\\n' : '\\r',
  );
}

if (require.main === module) {
  const connectionString =
    process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const total = Number(process.env['BENCH_EVENTS'] ?? 20_000);
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 2);
  void writeMethodFigures(connectionString, total, 2000, rounds).then(
    (figures) => {
      process.stdout.write(`bench: ${total} events, rows of audit, capVersions, fiscalVersions\n`);
      process.stdout.write('| method | rows | s | rows/s |\n|---|---|---|---|\n');
      for (const figure of figures)
        process.stdout.write(
          `| ${figure.method} | ${figure.rows} | ${figure.seconds} | ${figure.rowsPerSecond} |\n`,
        );
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
