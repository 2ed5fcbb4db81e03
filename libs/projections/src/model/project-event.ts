/**
 * The read side's one pure step: given the current rows an event can touch and the event, the new rows.
 * Every read model (claim queue, caps, one-time awards, fiscal obligations, audit trail) is derived here,
 * so a live runner, a rebuild and a test replay cannot disagree.
 */
import { evolveApplicant } from './applicants';
import { auditEntryOf } from './audit';
import { evolveAward } from './awards';
import { evolveCaps, type CapLookup } from './caps';
import { claimIdOf, evolveClaimSummary } from './claim-summary';
import { evolveFiscal, fiscalMovementsOf, type FiscalLookup } from './fiscal';
import type { LedgerRecord } from './ledger-record';
import type {
  ApplicantRow,
  AuditEntry,
  AwardRow,
  CapRow,
  ClaimSummary,
  FiscalBucket,
} from './rows';

export interface ReadModelView extends CapLookup, FiscalLookup {
  claim(claimId: string): ClaimSummary | undefined;
  applicant(uscc: string): ApplicantRow | undefined;
}

export interface RowChanges {
  readonly claim: ClaimSummary | undefined;
  /** The applicant's row after ApplicantRegistered / ApplicantRelocated (upsert). */
  readonly applicant: ApplicantRow | undefined;
  readonly audit: AuditEntry | undefined;
  readonly award: AwardRow | undefined;
  /** New versions (temporal rows): each carries the event's position and ledger-time watermark. */
  readonly caps: readonly CapRow[];
  readonly fiscal: readonly FiscalBucket[];
}

export const NO_CHANGES: RowChanges = {
  claim: undefined,
  applicant: undefined,
  audit: undefined,
  award: undefined,
  caps: [],
  fiscal: [],
};

/** `recordedAtMs` is the ledger-time watermark of the event (see ledger-time.ts nextWatermarkMs). */
export function projectEvent(
  view: ReadModelView,
  event: LedgerRecord,
  recordedAtMs: number,
): RowChanges {
  const claimId = claimIdOf(event);
  if (claimId === undefined) {
    if (event.type === 'ApplicantRegistered' || event.type === 'ApplicantRelocated') {
      return { ...NO_CHANGES, applicant: evolveApplicant(view.applicant(event.data.uscc), event) };
    }
    const fiscal = evolveFiscal(
      view,
      fiscalMovementsOf(event, undefined),
      event.position,
      recordedAtMs,
    );
    return fiscal.length === 0 ? NO_CHANGES : { ...NO_CHANGES, fiscal };
  }
  const before = view.claim(claimId);
  const after = evolveClaimSummary(before, event);
  return {
    claim: after,
    applicant: undefined,
    audit: auditEntryOf(claimId, event),
    award: evolveAward(after),
    caps: evolveCaps(view, event, before, after, recordedAtMs),
    fiscal: evolveFiscal(view, fiscalMovementsOf(event, before), event.position, recordedAtMs),
  };
}

/** The applicant whose rows an event touches (claims, caps, awards are kept per applicant), if any. */
export function applicantOf(event: LedgerRecord): string | undefined {
  switch (event.type) {
    case 'ApplicantRegistered':
    case 'ApplicantRelocated':
    case 'IntegrityFlagRaised':
    case 'IntegrityFlagCleared':
      return event.data.uscc;
    case 'ClaimSubmitted':
      return event.data.applicant;
    default:
      return claimIdOf(event) === undefined ? undefined : applicantOfStream(event.streamId);
  }
}

const APPLICANT_STREAM_PREFIX = 'applicant-';

function applicantOfStream(streamId: string): string | undefined {
  return streamId.startsWith(APPLICANT_STREAM_PREFIX)
    ? streamId.slice(APPLICANT_STREAM_PREFIX.length)
    : undefined;
}
