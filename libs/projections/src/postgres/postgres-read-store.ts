/**
 * ReadStore on PostgreSQL: the read models of the production stacks, shared by every ledger-api replica
 * and written by one projector. Same generations, checkpoints and rows as the SQLite adapter; a batch
 * and its checkpoint commit in one transaction, and the generation row is locked while the stored
 * checkpoint is compared (one conditional UPDATE, see commit()), so two runners can never both apply a
 * batch from the same position.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool, type PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SqlValue } from '../model/read-model';
import type { RowChanges } from '../model/registry';
import { postgresDialect } from '../sql/dialect';
import * as Sql from '../sql/generation-sql';
import { SqlReadStoreReader } from '../sql/sql-read-store';
import type * as Port from '../store/read-store';
import { GenerationNotFound, ProjectionConflict } from '../store/read-store';
import { withTransaction } from './postgres-transaction';
import { checkPostgresFence } from './postgres-lease';
import {
  ensureReportingBase,
  pointReportingViews,
  REPORTING_DEFAULT_SCHEMA,
} from './postgres-reporting';
import { assertSchemaName, POSTGRES_READ_DEFAULT_SCHEMA } from './schema-name';

export type PostgresReadStoreOptions = {
  readonly schema?: string;
  /**
   * Schema of the BI views that follow the active generation (./postgres-reporting.ts, docs/reporting.md);
   * default `reporting` for the default read schema, none (null) for any other, so that test schemas
   * sharing a database do not fight over one set of views.
   */
  readonly reportingSchema?: string | null;
} & (
  | { readonly connectionString: string; readonly pool?: undefined; readonly poolSize?: number }
  | {
      /** A pool the caller owns: close() leaves it open. */ readonly pool: Pool;
      readonly connectionString?: undefined;
    }
);

/**
 * The projector's batch transaction commits without waiting for its WAL flush: the read models are
 * derived from the log and the checkpoint commits atomically with the rows, so a database crash can only
 * take the last batches back to an earlier checkpoint, which the projector re-applies from the log
 * (docs/architecture.md "The projector's commit on PostgreSQL"). Nothing durable is written here: the
 * lease is renewed on a pool of its own (./postgres-lease.ts), the fence check only reads its row.
 * Visibility is not delayed: other sessions see the rows as soon as COMMIT returns.
 */
export const PROJECTOR_BEGIN = 'BEGIN; SET LOCAL synchronous_commit = off';

/** Rows per statement: bounds the size of one query's parameters however big a batch is. */
const ROWS_PER_STATEMENT_MAX = 5000;

export class PostgresReadStore extends SqlReadStoreReader implements Port.ReadStore {
  readonly schema: string;
  private readonly meta: string;

  /** Use openPostgresReadStore, which also creates the schema. */
  constructor(
    private readonly pool: Pool,
    private readonly ownsPool: boolean,
    schema: string,
    /** Where the reporting views live, or null for none. */
    readonly reportingSchema: string | null = null,
  ) {
    super(postgresDialect, assertSchemaName(schema));
    this.schema = schema;
    if (reportingSchema !== null) assertSchemaName(reportingSchema);
    this.meta = Sql.metaTableName(this.schema);
  }

  async generations(): Promise<readonly Port.GenerationInfo[]> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.meta} ORDER BY generation`);
    return rows.map(generationFromRow);
  }

  async createGeneration(
    schemaVersion: number,
    options: Port.CreateGenerationOptions = {},
  ): Promise<Port.GenerationInfo> {
    return withTransaction(this.pool, async (client) => {
      // Serialises generation numbering with other processes; plain readers are not blocked.
      await client.query(`LOCK TABLE ${this.meta} IN SHARE ROW EXCLUSIVE MODE`);
      const { rows } = await client.query<{ last: number | null }>(
        `SELECT max(generation) AS last FROM ${this.meta}`,
      );
      const generation = (rows[0]?.last ?? 0) + 1;
      for (const statement of Sql.generationDdl(postgresDialect, generation, this.schema, options))
        await client.query(statement);
      await client.query(
        `INSERT INTO ${this.meta} (generation, schema_version, status, position, watermark_ms) VALUES ($1, $2, 'building', 0, 0)`,
        [generation, schemaVersion],
      );
      return {
        generation,
        schemaVersion,
        status: 'building' as const,
        checkpoint: { position: 0n, watermarkMs: 0 },
      };
    });
  }

  async activate(generation: number, minimumPosition: bigint): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      await client.query(`LOCK TABLE ${this.meta} IN SHARE ROW EXCLUSIVE MODE`);
      const checkpoint = await this.lockedCheckpoint(client, generation);
      if (checkpoint.position < minimumPosition)
        throw new ProjectionConflict(generation, minimumPosition, checkpoint.position);
      // A bulk-loaded generation gets its deferred indexes here, before readers can see it (issue 13).
      for (const statement of Sql.deferredIndexDdl(postgresDialect, generation, this.schema))
        await client.query(statement);
      await client.query(
        `UPDATE ${this.meta} SET status = 'retired' WHERE status = 'active' AND generation <> $1`,
        [generation],
      );
      await client.query(`UPDATE ${this.meta} SET status = 'active' WHERE generation = $1`, [
        generation,
      ]);
      // Same transaction as the switch: BI readers see the old generation or the new one, never a gap.
      if (this.reportingSchema !== null)
        await pointReportingViews(client, this.reportingSchema, this.schema, generation);
    });
  }

  async dropGeneration(generation: number): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ status: string }>(
        `SELECT status FROM ${this.meta} WHERE generation = $1 FOR UPDATE`,
        [generation],
      );
      const row = rows[0];
      if (row === undefined) throw new GenerationNotFound(generation);
      if (row.status === 'active')
        throw new Error(`generation ${generation} is active and cannot be dropped`);
      for (const statement of Sql.dropGenerationDdl(generation, this.schema))
        await client.query(statement);
      await client.query(`DELETE FROM ${this.meta} WHERE generation = $1`, [generation]);
    });
  }

  async checkpoint(generation: number): Promise<Port.Checkpoint> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.meta} WHERE generation = $1`, [
      generation,
    ]);
    if (rows[0] === undefined) throw new GenerationNotFound(generation);
    return generationFromRow(rows[0]).checkpoint;
  }

  /**
   * One batch: its rows and its checkpoint in one transaction, without waiting for the WAL flush
   * (PROJECTOR_BEGIN), and the checkpoint moved by a conditional UPDATE first: it takes the generation
   * row's lock and compares the stored position in the same statement (a runner that waited on the lock
   * re-checks the row it then sees), one round trip fewer than SELECT … FOR UPDATE before the rows.
   */
  async commit(batch: Port.ProjectionBatch): Promise<void> {
    await withTransaction(
      this.pool,
      async (client) => {
        if (batch.fence) await checkPostgresFence(client, this.schema, batch.fence);
        const moved = await client.query(
          `UPDATE ${this.meta} SET position = $1, watermark_ms = $2 WHERE generation = $3 AND position = $4`,
          [
            batch.to.position.toString(),
            batch.to.watermarkMs,
            batch.generation,
            batch.from.position.toString(),
          ],
        );
        if (moved.rowCount !== 1) {
          const stored = await this.lockedCheckpoint(client, batch.generation);
          throw new ProjectionConflict(batch.generation, batch.from.position, stored.position);
        }
        await this.writeBatchRows(client, batch.generation, batch.rows);
      },
      PROJECTOR_BEGIN,
    );
  }

  async *dumpGeneration(generation: number): AsyncIterable<string> {
    await this.checkpoint(generation);
    yield* Sql.dumpGenerationLines(
      postgresDialect,
      Sql.tableNames(generation, this.schema),
      async (sql, params) =>
        (await this.pool.query<unknown[]>({ text: sql, values: [...params], rowMode: 'array' }))
          .rows,
    );
  }

  async activeCheckpoint(): Promise<(Port.Checkpoint & { readonly generation: number }) | null> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.meta} WHERE status = 'active'`);
    if (rows[0] === undefined) return null;
    const info = generationFromRow(rows[0]);
    return { generation: info.generation, ...info.checkpoint };
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  protected async activeGeneration(): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ generation: number }>(
      `SELECT generation FROM ${this.meta} WHERE status = 'active'`,
    );
    return rows[0]?.generation;
  }

  protected async select(query: Sql.SqlQuery): Promise<readonly Record<string, unknown>[]> {
    return (await this.pool.query<Record<string, unknown>>(query.sql, [...query.params])).rows;
  }

  async writeRows(generation: number, rows: RowChanges): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      const { rows: found } = await client.query<{ status: string }>(
        `SELECT status FROM ${this.meta} WHERE generation = $1`,
        [generation],
      );
      if (found[0] === undefined) throw new GenerationNotFound(generation);
      if (found[0].status === 'active')
        throw new Error(`generation ${generation} is active: rows go through commit`);
      await this.writeBatchRows(client, generation, rows);
    });
  }

  private async writeBatchRows(
    client: PoolClient,
    generation: number,
    rows: RowChanges,
  ): Promise<void> {
    const t = Sql.tableNames(generation, this.schema);
    for (const write of Sql.batchWrites(postgresDialect, t, rows)) {
      if (write.plainInsert !== undefined) {
        await copyRows(client, write.plainInsert.table, write.plainInsert.columns, write.rows);
        continue;
      }
      // One statement per chunk of rows (column arrays): bounds one query's parameters.
      for (let offset = 0; offset < write.rows.length; offset += ROWS_PER_STATEMENT_MAX) {
        const chunk = write.rows.slice(offset, offset + ROWS_PER_STATEMENT_MAX);
        const arrays = Array.from({ length: write.columns }, (_, column) =>
          chunk.map((row) => row[column] ?? null),
        );
        await client.query(write.sql, arrays);
      }
    }
  }

  private async lockedCheckpoint(client: PoolClient, generation: number): Promise<Port.Checkpoint> {
    const { rows } = await client.query(
      `SELECT * FROM ${this.meta} WHERE generation = $1 FOR UPDATE`,
      [generation],
    );
    if (rows[0] === undefined) throw new GenerationNotFound(generation);
    return generationFromRow(rows[0]).checkpoint;
  }
}

/**
 * The rows of an insert-only table (audit, cap and fiscal versions: most of a batch's rows) by COPY …
 * FROM STDIN in the text format, inside the batch's transaction: the same rows and constraints as the
 * `unnest` INSERT, measured 1.4-1.5× its rate on the same rows (test/bench/postgres-bench-rebuild.ts,
 * docs/benchmarks.md "Rebuild and replay in flat memory", issue 13). Streamed in pieces of COPY_ROWS rows.
 */
async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyLines(rows)), stream);
}

const COPY_ROWS = 500;

function* copyLines(rows: readonly SqlValue[][]): Generator<string> {
  for (let start = 0; start < rows.length; start += COPY_ROWS) {
    let text = '';
    for (const row of rows.slice(start, start + COPY_ROWS))
      text += `${row.map(copyValue).join('\t')}\n`;
    yield text;
  }
}

/** A value in COPY's text format: `\N` is NULL; backslash, tab, newline and return are escaped. */
function copyValue(value: SqlValue): string {
  if (value === null) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, copyEscape) : text;
}

function copyEscape(character: string): string {
  return character === '\\'
    ? '\\\\'
    : character === '\t'
      ? '\\t'
      : character === '\n'
        ? '\\n'
        : '\\r';
}

export async function openPostgresReadStore(
  options: PostgresReadStoreOptions,
): Promise<PostgresReadStore> {
  const schema = assertSchemaName(options.schema ?? POSTGRES_READ_DEFAULT_SCHEMA);
  const ownsPool = options.pool === undefined;
  const pool =
    options.pool ??
    new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
  // An idle pooled connection that dies (server restart) emits 'error'; unhandled, it would kill the process.
  if (ownsPool) pool.on('error', () => undefined);
  const reportingSchema =
    options.reportingSchema === undefined
      ? schema === POSTGRES_READ_DEFAULT_SCHEMA
        ? REPORTING_DEFAULT_SCHEMA
        : null
      : options.reportingSchema;
  const store = new PostgresReadStore(pool, ownsPool, schema, reportingSchema);
  try {
    await withTransaction(pool, async (client) => {
      // Replicas starting together would race on CREATE ... IF NOT EXISTS: one at a time.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`read-models:${schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      for (const statement of Sql.metaDdl(postgresDialect, schema)) await client.query(statement);
      if (reportingSchema === null) return;
      // Serialised with activate() (which takes this lock, then the reporting lock: same order here);
      // re-points the views at the active generation (new view definitions after an upgrade).
      await client.query(`LOCK TABLE ${Sql.metaTableName(schema)} IN SHARE ROW EXCLUSIVE MODE`);
      await ensureReportingBase(client, reportingSchema);
      const { rows } = await client.query<{ generation: number }>(
        `SELECT generation FROM ${Sql.metaTableName(schema)} WHERE status = 'active'`,
      );
      if (rows[0] !== undefined)
        await pointReportingViews(client, reportingSchema, schema, rows[0].generation);
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function generationFromRow(row: Record<string, unknown>): Port.GenerationInfo {
  return {
    generation: Number(row['generation']),
    schemaVersion: Number(row['schema_version']),
    status: row['status'] as Port.GenerationInfo['status'],
    checkpoint: {
      position: BigInt(String(row['position'])),
      watermarkMs: Number(row['watermark_ms']),
    },
  };
}
