/** Collects the row changes of a batch of events into one ProjectionBatch (the unit of commit). */
import type { RowChanges } from '../model/project-event';
import type {
  ApplicantRow,
  AuditEntry,
  AwardRow,
  CapRow,
  ClaimSummary,
  FiscalBucket,
} from '../model/rows';
import type { Checkpoint, ProjectionBatch } from '../store/read-store';

export class BatchBuilder {
  // Current-state tables keep only the last row per key of the batch: one upsert per claim, not per event.
  private readonly claims = new Map<string, ClaimSummary>();
  private readonly applicants = new Map<string, ApplicantRow>();
  private readonly awards = new Map<string, AwardRow>();
  private readonly audit: AuditEntry[] = [];
  // Temporal tables keep every version: asOf must be able to land between any two events.
  private readonly caps: CapRow[] = [];
  private readonly fiscal: FiscalBucket[] = [];
  private to: Checkpoint;

  constructor(
    private readonly generation: number,
    private readonly from: Checkpoint,
  ) {
    this.to = from;
  }

  add(changes: RowChanges, to: Checkpoint): void {
    if (to.position <= this.to.position)
      throw new RangeError(`batch: position ${to.position} is not after ${this.to.position}`);
    if (changes.claim) this.claims.set(changes.claim.claimId, changes.claim);
    if (changes.applicant) this.applicants.set(changes.applicant.uscc, changes.applicant);
    if (changes.award)
      this.awards.set(
        `${changes.award.applicant}|${changes.award.programCode}|${changes.award.claimId}`,
        changes.award,
      );
    if (changes.audit) this.audit.push(changes.audit);
    for (const cap of changes.caps) this.caps.push(cap);
    for (const bucket of changes.fiscal) this.fiscal.push(bucket);
    this.to = to;
  }

  get checkpoint(): Checkpoint {
    return this.to;
  }

  build(): ProjectionBatch {
    return {
      generation: this.generation,
      from: this.from,
      to: this.to,
      claims: [...this.claims.values()],
      applicants: [...this.applicants.values()],
      awards: [...this.awards.values()],
      audit: this.audit,
      caps: this.caps,
      fiscal: this.fiscal,
    };
  }
}
