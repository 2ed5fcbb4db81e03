/**
 * ReadStore on SQLite (better-sqlite3, WAL). The driver is synchronous; the port is async so that the
 * PostgreSQL adapter fits the same runner and controllers.
 */
import Database from 'better-sqlite3';
import type {
  ApplicantRows,
  AsOf,
  Checkpoint,
  ClaimListQuery,
  ClaimPage,
  GenerationInfo,
  ProjectionBatch,
  ReadStore,
} from '../store/read-store';
import { GenerationNotFound, ProjectionConflict } from '../store/read-store';
import type { ApplicantSearch } from '../model/applicants';
import type {
  ApplicantRow,
  AuditEntry,
  AwardRow,
  CapRow,
  ClaimSummary,
  FiscalBucket,
} from '../model/rows';
import { prepareGeneration, type GenerationStatements } from './generation-statements';
import { META_DDL, dropGenerationDdl, generationDdl } from './sqlite-schema';
import {
  applicantFromRow,
  auditFromRow,
  awardFromRow,
  capFromRow,
  claimFromRow,
  fiscalFromRow,
  type SqlRow,
} from './sqlite-rows';
import { writeBatch } from './sqlite-batch';
import { dumpGeneration } from './sqlite-dump';
import { listClaimsSql } from './sqlite-claim-list';
import { checkSqliteFence } from './sqlite-lease';

export interface SqliteReadStoreOptions {
  /** 'NORMAL' by default: read models are derived and the checkpoint commits with the rows, so a lost tail is re-projected. */
  readonly synchronous?: 'OFF' | 'NORMAL' | 'FULL';
  readonly cacheSizeKib?: number;
  readonly busyTimeoutMs?: number;
}

const LEDGER_TIME_MAX_MS = Number.MAX_SAFE_INTEGER;

export class SqliteReadStore implements ReadStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<number, GenerationStatements>();

  constructor(path: string, options: SqliteReadStoreOptions = {}) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.pragma(`cache_size = -${options.cacheSizeKib ?? 65536}`);
    this.db.exec(META_DDL);
  }

  async generations(): Promise<readonly GenerationInfo[]> {
    const rows = this.db
      .prepare('SELECT * FROM read_model_generations ORDER BY generation')
      .safeIntegers(true)
      .all() as SqlRow[];
    return rows.map(generationFromRow);
  }

  async createGeneration(schemaVersion: number): Promise<GenerationInfo> {
    return this.db
      .transaction(() => {
        const last = this.db
          .prepare('SELECT MAX(generation) AS g FROM read_model_generations')
          .get() as { g: number | null };
        const generation = (last.g ?? 0) + 1;
        this.db.exec(generationDdl(generation));
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
        this.statements.delete(generation);
        this.db.exec(dropGenerationDdl(generation));
        this.db.prepare('DELETE FROM read_model_generations WHERE generation = ?').run(generation);
      })
      .immediate();
  }

  async checkpoint(generation: number): Promise<Checkpoint> {
    return this.readCheckpoint(generation);
  }

  async commit(batch: ProjectionBatch): Promise<void> {
    const statements = this.statementsOf(batch.generation);
    this.db
      .transaction(() => {
        if (batch.fence) checkSqliteFence(this.db, batch.fence);
        const stored = this.readCheckpoint(batch.generation);
        if (stored.position !== batch.from.position)
          throw new ProjectionConflict(batch.generation, batch.from.position, stored.position);
        writeBatch(statements, batch);
        this.db
          .prepare(
            'UPDATE read_model_generations SET position = ?, watermark_ms = ? WHERE generation = ?',
          )
          .run(batch.to.position, batch.to.watermarkMs, batch.generation);
      })
      .immediate();
  }

  async loadApplicant(generation: number, applicant: string): Promise<ApplicantRows> {
    const s = this.statementsOf(generation);
    return {
      claims: (s.claimsOfApplicant.all(applicant) as SqlRow[]).map(claimFromRow),
      applicant: ((row) => (row ? applicantFromRow(row) : undefined))(
        s.applicantByUscc.get(applicant) as SqlRow | undefined,
      ),
      caps: (s.latestCapsOfApplicant.all(applicant) as SqlRow[]).map(capFromRow),
    };
  }

  async loadFiscalBuckets(generation: number): Promise<readonly FiscalBucket[]> {
    return this.bucketsAt(this.statementsOf(generation), undefined, '9999-12', LEDGER_TIME_MAX_MS);
  }

  async *dumpGeneration(generation: number): AsyncIterable<string> {
    this.readCheckpoint(generation);
    // Read all lines synchronously: a statement left open across an await would make the shared connection
    // busy for the runner's next commit.
    const lines = [...dumpGeneration(this.db, generation)];
    yield* lines;
  }

  async activeCheckpoint(): Promise<(Checkpoint & { readonly generation: number }) | null> {
    const row = this.db
      .prepare("SELECT * FROM read_model_generations WHERE status = 'active'")
      .safeIntegers(true)
      .get() as SqlRow | undefined;
    if (!row) return null;
    const info = generationFromRow(row);
    return { generation: info.generation, ...info.checkpoint };
  }

  async listClaims(query: ClaimListQuery): Promise<ClaimPage> {
    const s = this.active();
    if (!s) return { items: [], nextAfter: null };
    const { sql, params } = listClaimsSql(s.table.claims, query);
    const rows = (
      this.db
        .prepare(sql)
        .safeIntegers(true)
        .all(...params) as SqlRow[]
    ).map(claimFromRow);
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextAfter: rows.length > query.limit && last ? last.submittedPosition : null };
  }

  async getClaim(claimId: string): Promise<ClaimSummary | undefined> {
    const row = this.active()?.claimById.get(claimId) as SqlRow | undefined;
    return row ? claimFromRow(row) : undefined;
  }

  async claimHistory(claimId: string): Promise<readonly AuditEntry[]> {
    return ((this.active()?.audit.all(claimId) ?? []) as SqlRow[]).map(auditFromRow);
  }

  async caps(applicant: string, options: AsOf = {}): Promise<readonly CapRow[]> {
    const s = this.active();
    if (!s) return [];
    const rows = s.capsOfApplicantAsOf.all(
      applicant,
      options.asOfMs ?? LEDGER_TIME_MAX_MS,
    ) as SqlRow[];
    return rows.map(capFromRow);
  }

  async findApplicants(query: ApplicantSearch): Promise<readonly ApplicantRow[]> {
    return (
      (this.active()?.findApplicants.all(query.nameContains, query.limit) ?? []) as SqlRow[]
    ).map(applicantFromRow);
  }

  async oneTimeAwards(filter: {
    readonly applicant?: string;
    readonly programCode?: string;
  }): Promise<readonly AwardRow[]> {
    const applicant = filter.applicant ?? null;
    const programCode = filter.programCode ?? null;
    return (
      (this.active()?.awards.all(applicant, applicant, programCode, programCode) ?? []) as SqlRow[]
    ).map(awardFromRow);
  }

  async fiscalBuckets(
    filter: { readonly funder?: string; readonly toMonth?: string } & AsOf,
  ): Promise<readonly FiscalBucket[]> {
    const s = this.active();
    if (!s) return [];
    return this.bucketsAt(
      s,
      filter.funder,
      filter.toMonth ?? '9999-12',
      filter.asOfMs ?? LEDGER_TIME_MAX_MS,
    );
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.statements.clear();
    this.db.close();
  }

  /** The underlying connection, for tests and the canonical dump; not part of the port. */
  get connection(): Database.Database {
    return this.db;
  }

  private bucketsAt(
    s: GenerationStatements,
    funder: string | undefined,
    toMonth: string,
    asOfMs: number,
  ): FiscalBucket[] {
    const keys = (
      funder === undefined ? s.bucketKeys.all(toMonth) : s.bucketKeysOfFunder.all(funder, toMonth)
    ) as SqlRow[];
    const buckets: FiscalBucket[] = [];
    for (const key of keys) {
      const row = s.fiscalVersionAsOf.get(key['funder'], key['month'], key['clause'], asOfMs) as
        SqlRow | undefined;
      if (row) buckets.push(fiscalFromRow(row));
    }
    return buckets;
  }

  private readCheckpoint(generation: number): Checkpoint {
    const row = this.db
      .prepare('SELECT * FROM read_model_generations WHERE generation = ?')
      .safeIntegers(true)
      .get(generation) as SqlRow | undefined;
    if (!row) throw new GenerationNotFound(generation);
    return generationFromRow(row).checkpoint;
  }

  private active(): GenerationStatements | undefined {
    const row = this.db
      .prepare("SELECT generation FROM read_model_generations WHERE status = 'active'")
      .get() as { generation: number } | undefined;
    return row ? this.statementsOf(row.generation) : undefined;
  }

  private statementsOf(generation: number): GenerationStatements {
    let statements = this.statements.get(generation);
    if (!statements) {
      statements = prepareGeneration(this.db, generation);
      this.statements.set(generation, statements);
    }
    return statements;
  }
}

function generationFromRow(row: SqlRow): GenerationInfo {
  return {
    generation: Number(row['generation']),
    schemaVersion: Number(row['schema_version']),
    status: row['status'] as GenerationInfo['status'],
    checkpoint: {
      position: BigInt(row['position'] as bigint),
      watermarkMs: Number(row['watermark_ms']),
    },
  };
}
