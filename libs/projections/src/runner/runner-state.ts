/**
 * The runner's working set: the current rows that events can touch, cached per applicant (the ledger's
 * consistency boundary) with a bounded LRU, plus every fiscal bucket (funders × months: small). Misses are
 * loaded from the store before a batch is evolved, so the pure evolve functions see a synchronous view.
 */
import { applicantOfClaimId } from '@hz/ledger';
import { claimIdOf } from '../model/claim-summary';
import { fiscalKey } from '../model/fiscal';
import type { LedgerRecord } from '../model/ledger-record';
import { applicantOf, type ReadModelView, type RowChanges } from '../model/project-event';
import type { ApplicantRow, CapRow, ClaimSummary, FiscalBucket } from '../model/rows';
import type { ReadStoreWriter } from '../store/read-store';

interface ApplicantSlice {
  /**
   * Every claim of the applicant when `allClaims`; otherwise (an applicant read back from the store) only
   * those read so far: prepare() reads the claim of every event of its batch before the batch is evolved.
   */
  readonly claims: Map<string, ClaimSummary>;
  readonly allClaims: boolean;
  readonly caps: Map<string, CapRow>;
  row: ApplicantRow | undefined;
}

/**
 * Applicant ids a rebuild from position 0 remembers to skip loading new applicants: 100,000 ids of about
 * 20 characters are a few MB (docs/benchmarks.md, "Rebuild and replay in flat memory").
 */
export const APPLICANTS_SEEN_MAX = 100_000;

/** The applicant whose slice holds a claim: the USCC its id starts with. */
function applicantOfClaim(claimId: string): string {
  return applicantOfClaimId(claimId) ?? claimId.slice(0, claimId.lastIndexOf('-'));
}

export class RunnerState implements ReadModelView {
  private readonly applicants = new Map<string, ApplicantSlice>();
  private readonly buckets = new Map<string, FiscalBucket>();
  /**
   * Applicants met since the generation was empty. When a runner starts a generation from position 0, an
   * applicant it has never met has no rows yet, so loading it would be a wasted query per applicant.
   * Bounded (issue 13: nothing the runner keeps grows with the log): past `seenMax` applicants it is
   * dropped and every applicant not cached is loaded, which is always correct (an empty answer for a new
   * one), only a query more.
   */
  private seen: Set<string> | null;

  private constructor(
    private readonly store: ReadStoreWriter,
    private readonly generation: number,
    private readonly applicantsMax: number,
    startsEmpty: boolean,
    private readonly seenMax: number,
  ) {
    this.seen = startsEmpty ? new Set<string>() : null;
  }

  static async load(
    store: ReadStoreWriter,
    generation: number,
    startsEmpty: boolean,
    applicantsMax: number,
    seenMax = APPLICANTS_SEEN_MAX,
  ): Promise<RunnerState> {
    const state = new RunnerState(store, generation, applicantsMax, startsEmpty, seenMax);
    if (!startsEmpty)
      for (const bucket of await store.loadFiscalBuckets(generation))
        state.buckets.set(fiscalKey(bucket.funder, bucket.month, bucket.clause), bucket);
    return state;
  }

  /**
   * Makes sure every applicant the events touch is in memory, and the claim of each event: an applicant
   * read back from the store comes without its claims (they grow with its history), and only the claims
   * the batch's events name are read, one by one (docs/benchmarks.md "Replay's applicant loads").
   */
  async prepare(events: readonly LedgerRecord[]): Promise<void> {
    // The applicant of the event before: cached and at the most-recently-used end already, so the next
    // event of the same applicant (a rebuild reads in stream order) has nothing to move (issue 13).
    let previous: string | undefined;
    for (const event of events) {
      const applicant = applicantOf(event);
      if (applicant === undefined || applicant === previous) continue;
      previous = applicant;
      if (this.touch(applicant)) continue;
      if (this.seen !== null && !this.seen.has(applicant)) {
        this.applicants.set(applicant, {
          claims: new Map(),
          allClaims: true,
          caps: new Map(),
          row: undefined,
        });
      } else {
        const rows = await this.store.loadApplicantWithoutClaims(this.generation, applicant);
        this.applicants.set(applicant, {
          claims: new Map(),
          allClaims: false,
          caps: new Map(rows.caps.map((cap) => [cap.capId, cap])),
          row: rows.applicant,
        });
      }
      this.seen?.add(applicant);
      if (this.seen !== null && this.seen.size > this.seenMax) this.seen = null;
    }
    // Every slice the batch can see is in place now (none is evicted before the commit): read the claims
    // the events will ask claim() for, from the slice claim() looks in, as the whole list would have had them.
    for (const event of events) {
      const claimId = claimIdOf(event);
      if (claimId === undefined) continue;
      const applicant = applicantOfClaim(claimId);
      const slice = this.applicants.get(applicant);
      if (slice === undefined || slice.allClaims || slice.claims.has(claimId)) continue;
      const claim = await this.store.loadClaim(this.generation, claimId);
      if (claim !== undefined && claim.applicant === applicant) slice.claims.set(claimId, claim);
    }
  }

  /** Keeps the rows evolve functions read (ReadModelView): claims, applicants, caps, fiscal buckets. */
  apply(changes: RowChanges): void {
    for (const claim of changes.claims)
      this.sliceOf(claim.applicant).claims.set(claim.claimId, claim);
    for (const applicant of changes.applicants) this.sliceOf(applicant.uscc).row = applicant;
    for (const cap of changes.capVersions) this.sliceOf(cap.applicant).caps.set(cap.capId, cap);
    for (const bucket of changes.fiscalVersions)
      this.buckets.set(fiscalKey(bucket.funder, bucket.month, bucket.clause), bucket);
  }

  /** After a commit: forget the least recently used applicants beyond the bound (their rows are stored). */
  evict(): void {
    let excess = this.applicants.size - this.applicantsMax;
    for (const applicant of this.applicants.keys()) {
      if (excess <= 0) break;
      this.applicants.delete(applicant);
      excess -= 1;
    }
  }

  claim(claimId: string): ClaimSummary | undefined {
    return this.applicants.get(applicantOfClaim(claimId))?.claims.get(claimId);
  }

  applicant(uscc: string): ApplicantRow | undefined {
    return this.applicants.get(uscc)?.row;
  }

  cap(applicant: string, capId: string): CapRow | undefined {
    return this.applicants.get(applicant)?.caps.get(capId);
  }

  bucket(funder: string, month: string, clause: string): FiscalBucket | undefined {
    return this.buckets.get(fiscalKey(funder, month, clause));
  }

  get cachedApplicants(): number {
    return this.applicants.size;
  }

  /** Moves a cached applicant to the most-recently-used end; false when it is not cached. */
  private touch(applicant: string): boolean {
    const slice = this.applicants.get(applicant);
    if (!slice) return false;
    this.applicants.delete(applicant);
    this.applicants.set(applicant, slice);
    return true;
  }

  private sliceOf(applicant: string): ApplicantSlice {
    const slice = this.applicants.get(applicant);
    if (!slice) throw new Error(`runner state: applicant ${applicant} was not prepared`);
    return slice;
  }
}
