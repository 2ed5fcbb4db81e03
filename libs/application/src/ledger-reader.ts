/**
 * Reads straight from the decision streams (not from projections): always current, used by the write
 * side's own responses and by GET endpoints that must not lag. Money comes out as 2-digit strings.
 */
import type { EventStore, StoredEventMetadata } from '@hz/event-store';
import {
  allocationDecider,
  allocationStreamId,
  applicantDecider,
  applicantOfClaimId,
  applicantStreamId,
  DomainError,
  isValidUscc,
  toAllocationPlanView,
  toApplicantView,
  toClaimView,
  type AllocationEvent,
  type AllocationPlanView,
  type ApplicantEventInput,
  type ApplicantView,
  type ClaimView,
  type LedgerEvent,
} from '@hz/ledger';
import { toLedgerEvent } from './event-envelope';
import { foldRecorded, readStreamOrEmpty } from './stream-models';

/** What an auditor reads beside each event: who, in which role, when, and the hash chain links. */
const EVENT_FACTS = ['actor', 'role', 'occurredAt', 'recordedAt', 'hash', 'prevHash'] as const;
type EventFacts = Pick<StoredEventMetadata, (typeof EVENT_FACTS)[number]>;

export interface ClaimHistoryEntry extends EventFacts {
  readonly id: string;
  readonly type: LedgerEvent['type'];
  readonly data: LedgerEvent['data'];
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly metadata: StoredEventMetadata;
}

const applicantFold = {
  initialState: applicantDecider.initialState,
  evolve: (state: ReturnType<typeof applicantDecider.initialState>, event: LedgerEvent) =>
    applicantDecider.evolve(state, event as ApplicantEventInput),
};
const allocationFold = {
  initialState: allocationDecider.initialState,
  evolve: (state: ReturnType<typeof allocationDecider.initialState>, event: LedgerEvent) =>
    allocationDecider.evolve(state, event as AllocationEvent),
};

function claimNotFound(claimId: string): DomainError {
  return new DomainError('CLAIM.NOT_FOUND', `claim ${claimId} does not exist`, { claimId });
}

export class LedgerStreamReader {
  constructor(protected readonly store: EventStore) {}

  async getApplicant(uscc: string): Promise<ApplicantView> {
    if (!isValidUscc(uscc))
      throw new DomainError('APPLICANT.NOT_FOUND', `applicant ${String(uscc)} is not registered`, {
        uscc: String(uscc),
      });
    const state = foldRecorded(
      applicantFold,
      await readStreamOrEmpty(this.store, applicantStreamId(uscc)),
    );
    if (state.status !== 'registered')
      throw new DomainError('APPLICANT.NOT_FOUND', `applicant ${uscc} is not registered`, { uscc });
    return toApplicantView(state);
  }

  async getClaim(claimId: string): Promise<ClaimView> {
    return (await this.getViewedClaim(claimId)).claim;
  }

  /**
   * The claim and the log position of the view: the last event of the applicant stream it was folded from
   * (a reviewer's decision sends it back as `viewPosition`; libs/ledger applicant/stale-view.ts).
   */
  async getViewedClaim(claimId: string): Promise<{ claim: ClaimView; viewPosition: string }> {
    const uscc = applicantOfClaimId(claimId);
    if (uscc === undefined) throw claimNotFound(claimId);
    const recorded = await readStreamOrEmpty(this.store, applicantStreamId(uscc));
    const state = foldRecorded(applicantFold, recorded);
    const claim = state.status === 'registered' ? state.claims[claimId] : undefined;
    if (claim === undefined) throw claimNotFound(claimId);
    const viewPosition = String(recorded[recorded.length - 1]?.position ?? 0n);
    return { claim: toClaimView(claim), viewPosition };
  }

  /** The claim's events in stream order, with the hash chain links an auditor checks. */
  async getClaimHistory(claimId: string): Promise<ClaimHistoryEntry[]> {
    const uscc = applicantOfClaimId(claimId);
    if (uscc === undefined) throw claimNotFound(claimId);
    const recorded = await readStreamOrEmpty(this.store, applicantStreamId(uscc));
    const entries = recorded
      .filter((event) => event.data['claimId'] === claimId)
      .map((event): ClaimHistoryEntry => {
        const { type, data } = toLedgerEvent(event);
        const { metadata } = event;
        return {
          id: event.id,
          type,
          data,
          streamId: event.streamId,
          revision: event.revision,
          position: event.position,
          ...(Object.fromEntries(EVENT_FACTS.map((fact) => [fact, metadata[fact]])) as EventFacts),
          metadata,
        };
      });
    if (entries.length === 0) throw claimNotFound(claimId);
    return entries;
  }

  async getAllocationPlan(planId: string): Promise<AllocationPlanView> {
    const state = foldRecorded(
      allocationFold,
      await readStreamOrEmpty(this.store, allocationStreamId(planId)),
    );
    if (state.status !== 'decided')
      throw new DomainError('ALLOCATION.NOT_FOUND', `plan ${planId} has not been decided`, {
        planId,
      });
    return toAllocationPlanView(state);
  }
}
