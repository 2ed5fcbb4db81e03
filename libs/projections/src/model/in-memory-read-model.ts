/**
 * All read models held in memory: the reference the stores are tested against ("a fresh replay of the
 * events"), and a convenient way to show events in → rows out. Not for production volumes.
 */
import { findApplicantRows, type ApplicantSearch } from './applicants';
import { fiscalKey } from './fiscal';
import { nextWatermarkMs } from './ledger-time';
import type { LedgerRecord } from './ledger-record';
import { projectEvent, type ReadModelView, type RowChanges } from './project-event';
import type {
  ApplicantRow,
  AuditEntry,
  AwardRow,
  CapRow,
  ClaimSummary,
  FiscalBucket,
} from './rows';

export class InMemoryReadModel implements ReadModelView {
  private readonly claims = new Map<string, ClaimSummary>();
  private readonly applicants = new Map<string, ApplicantRow>();
  private readonly awards = new Map<string, AwardRow>();
  private readonly audit: AuditEntry[] = [];
  /** Every version of every temporal row, in position order. */
  private readonly capVersions: CapRow[] = [];
  private readonly fiscalVersions: FiscalBucket[] = [];
  private readonly currentCaps = new Map<string, CapRow>();
  private readonly currentFiscal = new Map<string, FiscalBucket>();
  private positionValue = 0n;
  private watermarkValue = 0;

  static of(events: Iterable<LedgerRecord>): InMemoryReadModel {
    const model = new InMemoryReadModel();
    for (const event of events) model.apply(event);
    return model;
  }

  apply(event: LedgerRecord): RowChanges {
    if (event.position <= this.positionValue)
      throw new RangeError(`event ${event.position} is not after ${this.positionValue}`);
    this.watermarkValue = nextWatermarkMs(this.watermarkValue, event.metadata.recordedAt);
    const changes = projectEvent(this, event, this.watermarkValue);
    if (changes.claim) this.claims.set(changes.claim.claimId, changes.claim);
    if (changes.applicant) this.applicants.set(changes.applicant.uscc, changes.applicant);
    if (changes.award) this.awards.set(awardKey(changes.award), changes.award);
    if (changes.audit) this.audit.push(changes.audit);
    for (const row of changes.caps) {
      this.capVersions.push(row);
      this.currentCaps.set(capKey(row.applicant, row.capId), row);
    }
    for (const row of changes.fiscal) {
      this.fiscalVersions.push(row);
      this.currentFiscal.set(fiscalKey(row.funder, row.month, row.clause), row);
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
    return this.claims.get(claimId);
  }

  applicant(uscc: string): ApplicantRow | undefined {
    return this.applicants.get(uscc);
  }

  /** Applicants whose name contains the text, by name then USCC. */
  findApplicants(query: ApplicantSearch): ApplicantRow[] {
    return findApplicantRows(this.applicants.values(), query);
  }

  cap(applicant: string, capId: string): CapRow | undefined {
    return this.currentCaps.get(capKey(applicant, capId));
  }

  bucket(funder: string, month: string, clause: string): FiscalBucket | undefined {
    return this.currentFiscal.get(fiscalKey(funder, month, clause));
  }

  allClaims(): ClaimSummary[] {
    return [...this.claims.values()].sort((a, b) =>
      compareBigint(a.submittedPosition, b.submittedPosition),
    );
  }

  allAwards(): AwardRow[] {
    return [...this.awards.values()].sort((a, b) => compareBigint(a.position, b.position));
  }

  auditTrail(claimId: string): AuditEntry[] {
    return this.audit.filter((entry) => entry.claimId === claimId);
  }

  /** The caps of an applicant as the ledger knew them at `asOfMs` (ledger time), or now. */
  capsOf(applicant: string, asOfMs = Number.POSITIVE_INFINITY): CapRow[] {
    return latestVersions(
      this.capVersions.filter((row) => row.applicant === applicant),
      asOfMs,
      (row) => row.capId,
    );
  }

  /** Every fiscal bucket as the ledger knew it at `asOfMs`, or now. */
  fiscalBuckets(asOfMs = Number.POSITIVE_INFINITY): FiscalBucket[] {
    return latestVersions(this.fiscalVersions, asOfMs, (row) =>
      fiscalKey(row.funder, row.month, row.clause),
    );
  }

  allCapVersions(): readonly CapRow[] {
    return this.capVersions;
  }

  allFiscalVersions(): readonly FiscalBucket[] {
    return this.fiscalVersions;
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
  return `${applicant}|${capId}`;
}

export function awardKey(row: Pick<AwardRow, 'applicant' | 'programCode' | 'claimId'>): string {
  return `${row.applicant}|${row.programCode}|${row.claimId}`;
}

export function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
