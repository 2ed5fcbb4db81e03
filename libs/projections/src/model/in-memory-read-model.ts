/**
 * All read models held in memory: the reference the stores are tested against ("a fresh replay of the
 * events"), and a convenient way to show events in → rows out. Not for production volumes. Rows are kept
 * per registered model (./registry.ts): the current row per key, and every version of insert-only models.
 */
import { findApplicantRows, type ApplicantSearch } from './applicants';
import { nextWatermarkMs } from './ledger-time';
import type { LedgerRecord } from './ledger-record';
import { projectEvent } from './project-event';
import {
  compositeKey,
  DEFAULT_CATALOGS,
  type CatalogLookup,
  type ReadModelView,
} from './read-model';
import { READ_MODELS, type ReadModelName, type RowChanges, type RowOf } from './registry';
import type {
  ApplicantRow,
  AuditEntry,
  AwardRow,
  CapRow,
  ClaimSummary,
  FiscalBucket,
} from './rows';

export interface InMemoryReadModelOptions {
  /** The policy catalogs events are read under (default: the ones this build knows, @hz/policy). */
  readonly catalogs?: CatalogLookup;
}

export class InMemoryReadModel implements ReadModelView {
  /** Per model: the current row of each key (the latest version for insert-only models). */
  private readonly current = new Map<ReadModelName, Map<string, unknown>>(
    READ_MODELS.map((model) => [model.name, new Map()]),
  );
  /** Per insert-only model: every version, in position order. */
  private readonly versions = new Map<ReadModelName, unknown[]>(
    READ_MODELS.map((model) => [model.name, []]),
  );
  private readonly catalogs: CatalogLookup;
  private positionValue = 0n;
  private watermarkValue = 0;

  constructor(options: InMemoryReadModelOptions = {}) {
    this.catalogs = options.catalogs ?? DEFAULT_CATALOGS;
  }

  static of(events: Iterable<LedgerRecord>, options?: InMemoryReadModelOptions): InMemoryReadModel {
    const model = new InMemoryReadModel(options);
    for (const event of events) model.apply(event);
    return model;
  }

  apply(event: LedgerRecord): RowChanges {
    if (event.position <= this.positionValue)
      throw new RangeError(`event ${event.position} is not after ${this.positionValue}`);
    this.watermarkValue = nextWatermarkMs(this.watermarkValue, event.metadata.recordedAt);
    const changes = projectEvent(this, event, this.watermarkValue, this.catalogs);
    for (const model of READ_MODELS) {
      const keyOf = model.keyOf as (row: unknown) => string;
      for (const row of changes[model.name] as readonly unknown[]) {
        if (model.write === 'append') this.versions.get(model.name)?.push(row);
        this.current.get(model.name)?.set(keyOf(row), row);
      }
    }
    this.positionValue = event.position;
    return changes;
  }

  get position(): bigint {
    return this.positionValue;
  }

  get watermarkMs(): number {
    return this.watermarkValue;
  }

  claim(claimId: string): ClaimSummary | undefined {
    return this.rows('claims').get(claimId);
  }

  applicant(uscc: string): ApplicantRow | undefined {
    return this.rows('applicants').get(uscc);
  }

  /** Applicants whose name contains the text, by name then USCC. */
  findApplicants(query: ApplicantSearch): ApplicantRow[] {
    return findApplicantRows(this.rows('applicants').values(), query);
  }

  cap(applicant: string, capId: string): CapRow | undefined {
    return this.rows('capVersions').get(capKey(applicant, capId));
  }

  bucket(funder: string, month: string, clause: string): FiscalBucket | undefined {
    return this.rows('fiscalVersions').get(compositeKey(funder, month, clause));
  }

  allClaims(): ClaimSummary[] {
    return [...this.rows('claims').values()].sort((a, b) =>
      compareBigint(a.submittedPosition, b.submittedPosition),
    );
  }

  allAwards(): AwardRow[] {
    return [...this.rows('awards').values()].sort((a, b) => compareBigint(a.position, b.position));
  }

  auditTrail(claimId: string): AuditEntry[] {
    return this.history('audit').filter((entry) => entry.claimId === claimId);
  }

  /** The caps of an applicant as the ledger knew them at `asOfMs` (ledger time), or now. */
  capsOf(applicant: string, asOfMs = Number.POSITIVE_INFINITY): CapRow[] {
    return latestVersions(
      this.history('capVersions').filter((row) => row.applicant === applicant),
      asOfMs,
      (row) => row.capId,
    );
  }

  /** Every fiscal bucket as the ledger knew it at `asOfMs`, or now. */
  fiscalBuckets(asOfMs = Number.POSITIVE_INFINITY): FiscalBucket[] {
    return latestVersions(this.history('fiscalVersions'), asOfMs, (row) =>
      compositeKey(row.funder, row.month, row.clause),
    );
  }

  allCapVersions(): readonly CapRow[] {
    return this.history('capVersions');
  }

  allFiscalVersions(): readonly FiscalBucket[] {
    return this.history('fiscalVersions');
  }

  private rows<Name extends ReadModelName>(name: Name): Map<string, RowOf<Name>> {
    return (this.current.get(name) ?? new Map()) as Map<string, RowOf<Name>>;
  }

  private history<Name extends ReadModelName>(name: Name): RowOf<Name>[] {
    return (this.versions.get(name) ?? []) as RowOf<Name>[];
  }
}

function latestVersions<T extends { readonly recordedAtMs: number }>(
  versions: readonly T[],
  asOfMs: number,
  keyOf: (row: T) => string,
): T[] {
  const latest = new Map<string, T>();
  for (const row of versions) if (row.recordedAtMs <= asOfMs) latest.set(keyOf(row), row);
  return [...latest.values()].sort((a, b) =>
    keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0,
  );
}

export function capKey(applicant: string, capId: string): string {
  return compositeKey(applicant, capId);
}

export function awardKey(row: Pick<AwardRow, 'applicant' | 'programCode' | 'claimId'>): string {
  return compositeKey(row.applicant, row.programCode, row.claimId);
}

export function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
