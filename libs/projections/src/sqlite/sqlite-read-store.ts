/**
 * ReadStore on SQLite (better-sqlite3, WAL). The driver is synchronous; the port is async so that the
 * PostgreSQL adapter fits the same runner and controllers. The SQL and the readers are the
 * shared ones (../sql/generation-sql.ts, ../sql/sql-read-store.ts) in the SQLite dialect; this class only
 * owns the connection, its prepared statements and its (synchronous, IMMEDIATE) transactions.
 */
import Database, { type Statement } from 'better-sqlite3';
import type * as Port from '../store/read-store';
import { GenerationNotFound, ProjectionConflict } from '../store/read-store';
import { sqliteDialect } from '../sql/dialect';
import * as Sql from '../sql/generation-sql';
import { SqlReadStoreReader } from '../sql/sql-read-store';
import { checkSqliteFence } from './sqlite-lease';
import { arrayRowReader, columnIndexes, type RowReader } from '../model/read-model';
import type { RowChanges } from '../model/registry';

export interface SqliteReadStoreOptions {
  /** 'NORMAL' by default: read models are derived and the checkpoint commits with the rows, so a lost tail is re-projected. */
  readonly synchronous?: 'OFF' | 'NORMAL' | 'FULL';
  readonly cacheSizeKib?: number;
  /**
   * 'OFF' only for a throwaway file (the auditor's scratch replay, issue 13 bulk load): no rollback
   * journal at all, so a crash leaves a file that is deleted, never reused. Default WAL.
   */
  readonly journalMode?: 'WAL' | 'OFF';
  /**
   * 'EXCLUSIVE' only for a file no other connection opens (the auditor's scratch replay, issue 13): the
   * connection takes the file's lock once and keeps it, instead of locking, checking for a hot journal and
   * re-reading the file header around every statement outside a transaction, about 16 µs of system calls
   * per statement, three per applicant the runner reads back (docs/benchmarks.md "Replay's applicant
   * loads and the file lock"). Default NORMAL.
   */
  readonly lockingMode?: 'NORMAL' | 'EXCLUSIVE';
  readonly busyTimeoutMs?: number;
}

type SqlRow = Record<string, unknown>;

/** Page cache of a file attached to copy its rows (importGeneration), KiB. */
const ATTACHED_CACHE_KIB = 1024;

export class SqliteReadStore extends SqlReadStoreReader implements Port.ReadStore {
  private readonly db: Database.Database;
  /** Prepared statements by SQL text (a generation's tables have their own names, so their own texts). */
  private readonly statements = new Map<string, Statement>();
  /** Prepared statements of the row readers, in raw mode, with their columns' indexes by name. */
  private readonly rawStatements = new Map<
    string,
    { readonly statement: Statement; readonly indexes: ReadonlyMap<string, number> }
  >();

  constructor(path: string, options: SqliteReadStoreOptions = {}) {
    super(sqliteDialect, undefined);
    this.db = new Database(path);
    this.db.pragma(`journal_mode = ${options.journalMode ?? 'WAL'}`);
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.pragma(`cache_size = -${options.cacheSizeKib ?? 65536}`);
    // The main file only: a shard attached to be copied (importGeneration) is locked and released as usual.
    if (options.lockingMode === 'EXCLUSIVE') this.db.pragma('main.locking_mode = EXCLUSIVE');
    this.db.exec(Sql.metaDdl(sqliteDialect).join(';\n'));
  }

  async generations(): Promise<readonly Port.GenerationInfo[]> {
    const rows = this.read('SELECT * FROM read_model_generations ORDER BY generation').all();
    return (rows as SqlRow[]).map(generationFromRow);
  }

  async createGeneration(
    schemaVersion: number,
    options: Port.CreateGenerationOptions = {},
  ): Promise<Port.GenerationInfo> {
    return this.db
      .transaction(() => {
        const last = this.db
          .prepare('SELECT MAX(generation) AS g FROM read_model_generations')
          .get() as { g: number | null };
        const generation = (last.g ?? 0) + 1;
        this.forgetStatements();
        this.db.exec(Sql.generationDdl(sqliteDialect, generation, undefined, options).join(';\n'));
        this.db
          .prepare(
            "INSERT INTO read_model_generations (generation, schema_version, status, position, watermark_ms) VALUES (?, ?, 'building', 0, 0)",
          )
          .run(generation, schemaVersion);
        return {
          generation,
          schemaVersion,
          status: 'building' as const,
          checkpoint: { position: 0n, watermarkMs: 0 },
        };
      })
      .immediate();
  }

  async activate(generation: number, minimumPosition: bigint): Promise<void> {
    this.db
      .transaction(() => {
        const checkpoint = this.readCheckpoint(generation);
        if (checkpoint.position < minimumPosition)
          throw new ProjectionConflict(generation, minimumPosition, checkpoint.position);
        // A bulk-loaded generation gets its deferred indexes here, before readers can see it (issue 13).
        this.db.exec(Sql.deferredIndexDdl(sqliteDialect, generation).join(';\n'));
        this.db
          .prepare(
            "UPDATE read_model_generations SET status = 'retired' WHERE status = 'active' AND generation <> ?",
          )
          .run(generation);
        this.db
          .prepare("UPDATE read_model_generations SET status = 'active' WHERE generation = ?")
          .run(generation);
      })
      .immediate();
  }

  async dropGeneration(generation: number): Promise<void> {
    this.db
      .transaction(() => {
        const row = this.db
          .prepare('SELECT status FROM read_model_generations WHERE generation = ?')
          .get(generation) as { status: string } | undefined;
        if (!row) throw new GenerationNotFound(generation);
        if (row.status === 'active')
          throw new Error(`generation ${generation} is active and cannot be dropped`);
        this.forgetStatements();
        this.db.exec(Sql.dropGenerationDdl(generation).join(';\n'));
        this.db.prepare('DELETE FROM read_model_generations WHERE generation = ?').run(generation);
      })
      .immediate();
  }

  async checkpoint(generation: number): Promise<Port.Checkpoint> {
    return this.readCheckpoint(generation);
  }

  async commit(batch: Port.ProjectionBatch): Promise<void> {
    const writes = Sql.batchWrites(sqliteDialect, Sql.tableNames(batch.generation), batch.rows);
    this.db
      .transaction(() => {
        if (batch.fence) checkSqliteFence(this.db, batch.fence);
        const stored = this.readCheckpoint(batch.generation);
        if (stored.position !== batch.from.position)
          throw new ProjectionConflict(batch.generation, batch.from.position, stored.position);
        for (const write of writes) {
          const statement = this.statement(write.sql);
          for (const row of write.rows) statement.run(...row);
        }
        this.db
          .prepare(
            'UPDATE read_model_generations SET position = ?, watermark_ms = ? WHERE generation = ?',
          )
          .run(batch.to.position, batch.to.watermarkMs, batch.generation);
      })
      .immediate();
  }

  async writeRows(generation: number, rows: RowChanges): Promise<void> {
    const writes = Sql.batchWrites(sqliteDialect, Sql.tableNames(generation), rows);
    this.db
      .transaction(() => {
        if (this.readStatus(generation) === 'active')
          throw new Error(`generation ${generation} is active: rows go through commit`);
        for (const write of writes) {
          const statement = this.statement(write.sql);
          for (const row of write.rows) statement.run(...row);
        }
      })
      .immediate();
  }

  /**
   * Copies every row of generation `fromGeneration` of another read-model file into `generation` (being
   * built) inside SQLite: the parallel rebuild's shards (../rebuild/parallel-rebuild.ts, issue 13).
   */
  async importGeneration(generation: number, file: string, fromGeneration: number): Promise<void> {
    if (this.readStatus(generation) === 'active')
      throw new Error(`generation ${generation} is active: rows go through commit`);
    const into = Sql.tableNames(generation);
    const from = Sql.tableNames(fromGeneration);
    this.db.prepare('ATTACH DATABASE ? AS shard').run(file);
    try {
      // The shard is read once, table by table: its own page cache (the driver's default is 16 MB) would
      // only add to the job's resident memory (issue 13, docs/operations.md "Memory of the whole-ledger jobs").
      this.db.pragma(`shard.cache_size = -${ATTACHED_CACHE_KIB}`);
      this.db
        .transaction(() => {
          for (const table of Sql.GENERATION_TABLES) {
            const name = table.name as Sql.TableName;
            this.db.exec(`INSERT INTO ${into[name]} SELECT * FROM shard.${from[name]}`);
          }
        })
        .immediate();
    } finally {
      this.db.exec('DETACH DATABASE shard');
    }
  }

  async *dumpGeneration(generation: number): AsyncIterable<string> {
    this.readCheckpoint(generation);
    // Each page is read whole (.all()): no statement stays open across an await, which would make the
    // shared connection busy for the runner's next commit.
    yield* Sql.dumpGenerationLines(
      sqliteDialect,
      Sql.tableNames(generation),
      async (sql, params) =>
        this.db
          .prepare(sql)
          .safeIntegers(true)
          .raw(true)
          .all(...params) as unknown[][],
    );
  }

  async activeCheckpoint(): Promise<(Port.Checkpoint & { readonly generation: number }) | null> {
    const row = this.read("SELECT * FROM read_model_generations WHERE status = 'active'").get() as
      SqlRow | undefined;
    if (!row) return null;
    const info = generationFromRow(row);
    return { generation: info.generation, ...info.checkpoint };
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.forgetStatements();
    this.db.close();
  }

  /**
   * Whether other connections (a parallel rebuild's workers, issue 13) can write beside this one: a file
   * (not `:memory:`) in WAL mode.
   */
  get sharedFile(): boolean {
    return (
      !this.db.memory &&
      this.db.name !== '' &&
      this.db.pragma('journal_mode', { simple: true }) === 'wal'
    );
  }

  /** The underlying connection, for tests and the canonical dump; not part of the port. */
  get connection(): Database.Database {
    return this.db;
  }

  private readStatus(generation: number): Port.GenerationStatus {
    const row = this.read('SELECT status FROM read_model_generations WHERE generation = ?').get(
      generation,
    ) as { status: Port.GenerationStatus } | undefined;
    if (!row) throw new GenerationNotFound(generation);
    return row.status;
  }

  private readCheckpoint(generation: number): Port.Checkpoint {
    const row = this.read('SELECT * FROM read_model_generations WHERE generation = ?').get(
      generation,
    ) as SqlRow | undefined;
    if (!row) throw new GenerationNotFound(generation);
    return generationFromRow(row).checkpoint;
  }

  protected async activeGeneration(): Promise<number | undefined> {
    // A cached statement: the runner's reads ask this for every applicant it loads (issue 13).
    const row = this.statement(
      "SELECT generation FROM read_model_generations WHERE status = 'active'",
    ).get() as { generation: number } | undefined;
    return row?.generation;
  }

  protected async select(query: Sql.SqlQuery): Promise<readonly SqlRow[]> {
    return this.read(query.sql).all(...query.params) as SqlRow[];
  }

  /**
   * Rows as arrays (better-sqlite3's raw mode) read by column index: the driver builds no object of 30
   * named properties per claim row, about 40% of a claims query's time (issue 13, docs/benchmarks.md
   * "Replay's applicant loads and the file lock"). The same values as select() gives, read the same way.
   */
  protected override async readers(query: Sql.SqlQuery): Promise<readonly RowReader[]> {
    let raw = this.rawStatements.get(query.sql);
    if (!raw) {
      const statement = this.db.prepare(query.sql).safeIntegers(true).raw(true);
      raw = { statement, indexes: columnIndexes(statement.columns().map((column) => column.name)) };
      this.rawStatements.set(query.sql, raw);
    }
    const { indexes } = raw;
    return (raw.statement.all(...query.params) as unknown[][]).map((values) =>
      arrayRowReader(values, indexes),
    );
  }

  private forgetStatements(): void {
    this.statements.clear();
    this.rawStatements.clear();
    this.forgetQueries();
  }

  private read(sql: string): Statement {
    return this.statement(sql).safeIntegers(true);
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function generationFromRow(row: SqlRow): Port.GenerationInfo {
  return {
    generation: Number(row['generation']),
    schemaVersion: Number(row['schema_version']),
    status: row['status'] as Port.GenerationInfo['status'],
    checkpoint: {
      position: BigInt(row['position'] as bigint),
      watermarkMs: Number(row['watermark_ms']),
    },
  };
}
