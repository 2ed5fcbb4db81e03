/**
 * What both SQL stores share (docs/decisions.md, "One SQL layer"): every reader of the port and the
 * runner's loads, written once over the shared queries (./generation-sql.ts) and the registry's row
 * decoders. A store supplies how it runs one query, which generation is active and its dialect; it keeps
 * its own connection handling and transactions (generations, commits, locks).
 */
import type { ApplicantSearch } from '../model/applicants';
import { rowReader, type RowReader } from '../model/read-model';
import { READ } from '../model/registry';
import type * as Rows from '../model/rows';
import type * as Port from '../store/read-store';
import { keysetPage } from '../store/read-store';
import type { Dialect } from './dialect';
import { readerQueries, tableNames, type ReaderQueries, type SqlQuery } from './generation-sql';

export abstract class SqlReadStoreReader implements Port.ReadStoreReader {
  private readonly queriesByGeneration = new Map<number, ReaderQueries>();

  protected constructor(
    private readonly dialect: Dialect,
    /** The schema that qualifies table names (PostgreSQL), none for SQLite. */
    private readonly tableSchema: string | undefined,
  ) {}

  abstract activeCheckpoint(): Promise<(Port.Checkpoint & { readonly generation: number }) | null>;

  /** Runs one query and returns its rows as objects (column name → value). */
  protected abstract select(query: SqlQuery): Promise<readonly Record<string, unknown>[]>;

  /**
   * Runs one query and returns a reader of each row: over select()'s objects, unless the store's driver
   * reads rows cheaper another way (SQLite: arrays, sqlite-read-store.ts).
   */
  protected async readers(query: SqlQuery): Promise<readonly RowReader[]> {
    return (await this.select(query)).map(rowReader);
  }

  /** The active generation, or undefined before the first one is active. */
  protected abstract activeGeneration(): Promise<number | undefined>;

  async listClaims(query: Port.ClaimListQuery): Promise<Port.ClaimPage> {
    const rows = await this.active((q) => q.listClaims(query), READ.claims);
    return keysetPage(rows, query.limit, (claim) => claim.submittedPosition);
  }

  async getClaim(claimId: string): Promise<Rows.ClaimSummary | undefined> {
    return (await this.active((q) => q.claimById(claimId), READ.claims))[0];
  }

  async claimHistory(claimId: string): Promise<readonly Rows.AuditEntry[]> {
    return this.active((q) => q.auditOfClaim(claimId), READ.audit);
  }

  async auditTrail(query: Port.AuditTrailQuery): Promise<Port.AuditTrailPage> {
    const rows = await this.active((q) => q.auditTrail(query), READ.audit);
    return keysetPage(rows, query.limit, (entry) => entry.position);
  }

  async caps(applicant: string, options: Port.AsOf = {}): Promise<readonly Rows.CapRow[]> {
    return this.active((q) => q.caps(applicant, options.asOfMs), READ.caps);
  }

  async capsPage(query: Port.CapsPageQuery): Promise<Port.CapsPage> {
    const rows = await this.active((q) => q.capsPage(query), READ.caps);
    if (rows.length <= query.limit) return { items: rows, nextAfter: null };
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1] as Rows.CapRow;
    return { items, nextAfter: { applicant: last.applicant, capId: last.capId } };
  }

  async claimCountsByStatus(): Promise<Readonly<Record<string, number>>> {
    const generation = await this.activeGeneration();
    const counts: Record<string, number> = {};
    if (generation === undefined) return counts;
    // COUNT(*) is a bigint in PostgreSQL (a string from its driver), a number in SQLite.
    for (const row of await this.select(this.queries(generation).claimCountsByStatus()))
      counts[String(row['status'])] = Number(row['claims']);
    return counts;
  }

  async findApplicants(search: ApplicantSearch): Promise<readonly Rows.ApplicantRow[]> {
    return this.active((q) => q.findApplicants(search), READ.applicants);
  }

  async oneTimeAwards(filter: {
    readonly applicant?: string;
    readonly programCode?: string;
  }): Promise<readonly Rows.AwardRow[]> {
    return this.active((q) => q.awards(filter), READ.awards);
  }

  async fiscalBuckets(
    filter: { readonly funder?: string; readonly toMonth?: string } & Port.AsOf,
  ): Promise<readonly Rows.FiscalBucket[]> {
    return this.active((q) => q.fiscal(filter), READ.fiscal);
  }

  /** Every row of one applicant: its claims, and its row and caps as loadApplicantWithoutClaims reads them. */
  async loadApplicant(generation: number, applicant: string): Promise<Port.ApplicantRows> {
    const [claims, rest] = await Promise.all([
      this.rows(this.queries(generation).claimsOfApplicant(applicant), READ.claims),
      this.loadApplicantWithoutClaims(generation, applicant),
    ]);
    return { claims, ...rest };
  }

  /** The runner's working set of one applicant read back without its claims (runner-state.ts). */
  async loadApplicantWithoutClaims(
    generation: number,
    applicant: string,
  ): Promise<Omit<Port.ApplicantRows, 'claims'>> {
    const q = this.queries(generation);
    const [caps, rows] = await Promise.all([
      this.rows(q.latestCaps(applicant), READ.caps),
      this.rows(q.applicantByUscc(applicant), READ.applicants),
    ]);
    return { applicant: rows[0], caps };
  }

  /** One claim of a generation, by id (the runner's claims of an applicant read back, runner-state.ts). */
  async loadClaim(generation: number, claimId: string): Promise<Rows.ClaimSummary | undefined> {
    return (await this.rows(this.queries(generation).claimById(claimId), READ.claims))[0];
  }

  /** The latest version of every fiscal bucket of a generation (the runner's working set). */
  async loadFiscalBuckets(generation: number): Promise<readonly Rows.FiscalBucket[]> {
    return this.rows(this.queries(generation).fiscal({}), READ.fiscal);
  }

  /** Drops the cached statements of every generation (after DDL that drops or creates one). */
  protected forgetQueries(): void {
    this.queriesByGeneration.clear();
  }

  private async active<T>(
    build: (queries: ReaderQueries) => SqlQuery,
    read: (row: RowReader) => T,
  ): Promise<T[]> {
    const generation = await this.activeGeneration();
    return generation === undefined ? [] : this.rows(build(this.queries(generation)), read);
  }

  private async rows<T>(query: SqlQuery, read: (row: RowReader) => T): Promise<T[]> {
    return (await this.readers(query)).map(read);
  }

  private queries(generation: number): ReaderQueries {
    let queries = this.queriesByGeneration.get(generation);
    if (!queries) {
      queries = readerQueries(this.dialect, tableNames(generation, this.tableSchema));
      this.queriesByGeneration.set(generation, queries);
    }
    return queries;
  }
}
