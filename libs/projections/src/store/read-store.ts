/**
 * The ReadStore port: where read-model rows live. Adapter-neutral and SQL-portable (SQLite now, PostgreSQL
 * next): every method is async, every table a plain relation, every temporal row insert-only.
 *
 * Generations: a store holds one or more generations of the read models (a table set each). Readers
 * always use the active one; a rebuild fills a new generation from position 0 beside it and `activate`
 * switches readers over in one transaction, so nobody ever reads a half-built model.
 */
import type { ApplicantSearch } from '../model/applicants';
import type { RowChanges } from '../model/registry';
import type { LeaseFence } from '../runner/projector-lease';
import type {
  ApplicantRow,
  AuditEntry,
  AwardRow,
  CapRow,
  ClaimStatus,
  ClaimSummary,
  FiscalBucket,
} from '../model/rows';

/** How far a generation has projected the log; `watermarkMs` is the ledger time of that position. */
export interface Checkpoint {
  readonly position: bigint;
  readonly watermarkMs: number;
}

export const START_CHECKPOINT: Checkpoint = { position: 0n, watermarkMs: 0 };

export type GenerationStatus = 'building' | 'active' | 'retired';

export interface GenerationInfo {
  readonly generation: number;
  /** The row layout version (PROJECTION_SCHEMA_VERSION of the code that created it). */
  readonly schemaVersion: number;
  readonly status: GenerationStatus;
  readonly checkpoint: Checkpoint;
}

export interface AuditTrailQuery {
  /** Keyset cursor: entries after this log position (default: from the start). */
  readonly afterPosition?: bigint;
  /** Only events of this type (e.g. 'DisbursementRecorded'). */
  readonly type?: string;
  readonly limit: number;
}

export interface AuditTrailPage {
  readonly items: readonly AuditEntry[];
  /** The position to pass as the next cursor, or null on the last page. */
  readonly nextAfter: bigint | null;
}

/**
 * Everything one batch of events changed, committed with its checkpoint in ONE transaction. `from` is the
 * checkpoint the batch was computed on: a store refuses the batch if the stored one differs (another
 * runner moved it), so a batch can never be counted twice.
 */
export interface ProjectionBatch {
  readonly generation: number;
  readonly from: Checkpoint;
  readonly to: Checkpoint;
  /**
   * Per registered model (../model/registry.ts): the latest row of each key the batch touched (upserted
   * models) or every new version (insert-only models: versions are never updated).
   */
  readonly rows: RowChanges;
  /** The committer's projector lease (runner/projector-lease.ts): the store refuses the batch unless it is still current. */
  readonly fence?: LeaseFence;
}

/** What a runner needs to evolve an applicant's rows after a restart or a cache eviction. */
export interface ApplicantRows {
  readonly claims: readonly ClaimSummary[];
  /** The applicant's row (name, current district), if registered. */
  readonly applicant: ApplicantRow | undefined;
  /** The latest version of each cap of the applicant. */
  readonly caps: readonly CapRow[];
}

export interface ClaimListQuery {
  readonly status?: ClaimStatus;
  readonly applicant?: string;
  readonly programCode?: string;
  readonly supportYear?: number;
  /** Keyset cursor: claims submitted after this position. */
  readonly afterSubmittedPosition?: bigint;
  readonly limit: number;
}

export interface ClaimPage {
  readonly items: readonly ClaimSummary[];
  /** The submittedPosition to pass as the next cursor, or null on the last page. */
  readonly nextAfter: bigint | null;
}

export interface AsOf {
  /** Ledger time in epoch ms; omitted = now (the generation's latest rows). */
  readonly asOfMs?: number;
}

/** A cap's key: the keyset cursor of the caps of every applicant (capsPage). */
export interface CapCursor {
  readonly applicant: string;
  readonly capId: string;
}

export interface CapsPageQuery extends AsOf {
  /** Keyset cursor: caps after this (applicant, capId), in that order (default: from the first). */
  readonly after?: CapCursor;
  readonly limit: number;
}

export interface CapsPage {
  /** The latest version (at asOf) of each cap, by applicant then capId. */
  readonly items: readonly CapRow[];
  /** The cursor of the next page, or null on the last page. */
  readonly nextAfter: CapCursor | null;
}

export interface CreateGenerationOptions {
  readonly bulkLoad?: boolean;
}

/** The writer side, used by the projection runner and rebuilds. */
export interface ReadStoreWriter {
  generations(): Promise<readonly GenerationInfo[]>;
  /**
   * Creates an empty generation (tables and a checkpoint at 0) in status 'building'. `bulkLoad`: the
   * indexes no write needs are created by `activate` (sql/generation-sql.ts deferredIndexDdl, issue 13).
   */
  createGeneration(
    schemaVersion: number,
    options?: CreateGenerationOptions,
  ): Promise<GenerationInfo>;
  /**
   * Makes `generation` the one readers use, in one transaction: the previously active one is retired.
   * Refuses when the generation's checkpoint is behind `minimumPosition`.
   */
  activate(generation: number, minimumPosition: bigint): Promise<void>;
  /** Drops a retired or building generation's tables. Never the active one. */
  dropGeneration(generation: number): Promise<void>;
  checkpoint(generation: number): Promise<Checkpoint>;
  commit(batch: ProjectionBatch): Promise<void>;
  /**
   * Writes rows into a generation being built without checking or moving its checkpoint: the parallel
   * rebuild's partitions write side by side (../rebuild, issue 13) and one final `commit` sets the
   * checkpoint before `activate`. Never for the active generation.
   */
  writeRows(generation: number, rows: RowChanges): Promise<void>;
  loadApplicant(generation: number, applicant: string): Promise<ApplicantRows>;
  /**
   * The applicant's row and the latest version of each of its caps, without its claims: the runner reads
   * an evicted applicant's claims back one by one, only those its events touch (`loadClaim`), since the
   * whole list grows with the applicant's history (docs/benchmarks.md "Replay's applicant loads").
   */
  loadApplicantWithoutClaims(
    generation: number,
    applicant: string,
  ): Promise<Omit<ApplicantRows, 'claims'>>;
  /** One claim's current row in a generation, or undefined when the generation has none of that id. */
  loadClaim(generation: number, claimId: string): Promise<ClaimSummary | undefined>;
  /** The latest version of every fiscal bucket: a small set (funders × months). */
  loadFiscalBuckets(generation: number): Promise<readonly FiscalBucket[]>;
  /** Every row of the generation as canonical text lines, in primary-key order (rebuild equality checks). */
  dumpGeneration(generation: number): AsyncIterable<string>;
}

/** The reader side, always on the active generation. Rows come back in a stable order. */
export interface ReadStoreReader {
  /** The active generation and its checkpoint, or null before the first generation is active. */
  activeCheckpoint(): Promise<(Checkpoint & { readonly generation: number }) | null>;
  listClaims(query: ClaimListQuery): Promise<ClaimPage>;
  /** Claims by status, every claim counted once (statuses with no claim are absent). */
  claimCountsByStatus(): Promise<Readonly<Record<string, number>>>;
  getClaim(claimId: string): Promise<ClaimSummary | undefined>;
  claimHistory(claimId: string): Promise<readonly AuditEntry[]>;
  /** The audit trail of every claim in log order, a page at a time (the audit-trail model's reader). */
  auditTrail(query: AuditTrailQuery): Promise<AuditTrailPage>;
  /** Latest version (at asOf) of each cap of the applicant, by capId. */
  caps(applicant: string, options?: AsOf): Promise<readonly CapRow[]>;
  /** The caps of every applicant a page at a time: per cap its latest version at asOf (as `caps` reads it). */
  capsPage(query: CapsPageQuery): Promise<CapsPage>;
  /** Applicants whose name contains `nameContains` (exact substring), by name (bytes) then USCC, at most `limit`. */
  findApplicants(query: ApplicantSearch): Promise<readonly ApplicantRow[]>;
  oneTimeAwards(filter: {
    readonly applicant?: string;
    readonly programCode?: string;
  }): Promise<readonly AwardRow[]>;
  /** Latest version (at asOf) of each bucket of the funder (all funders when omitted) up to `toMonth`, by funder and month. */
  fiscalBuckets(
    filter: { readonly funder?: string; readonly toMonth?: string } & AsOf,
  ): Promise<readonly FiscalBucket[]>;
}

export interface ReadStore extends ReadStoreWriter, ReadStoreReader {
  close(): Promise<void>;
}

export class ProjectionConflict extends Error {
  readonly code = 'PROJECTION.CHECKPOINT_CONFLICT';
  constructor(
    readonly generation: number,
    readonly expected: bigint,
    readonly actual: bigint,
  ) {
    super(
      `generation ${generation}: batch computed from position ${expected}, but the stored checkpoint is ${actual}`,
    );
    this.name = 'ProjectionConflict';
  }
}

export class GenerationNotFound extends Error {
  readonly code = 'PROJECTION.GENERATION_NOT_FOUND';
  constructor(readonly generation: number) {
    super(`read-model generation ${generation} does not exist`);
    this.name = 'GenerationNotFound';
  }
}

/** A keyset page from rows fetched with one more than `limit`: the extra row says a next page exists. */
export function keysetPage<T>(
  rows: readonly T[],
  limit: number,
  cursorOf: (row: T) => bigint,
): { readonly items: readonly T[]; readonly nextAfter: bigint | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextAfter: rows.length > limit && last ? cursorOf(last) : null };
}
