/**
 * The invariants of docs/architecture.md §3, checked as a pure fold over the log in position order: each event is
 * judged against the state the log had just before it, so "caps never exceeded at any moment" means
 * exactly that, not only at the end.
 */
import type { RecordedEvent } from '@hz/event-store/rows';
import { claimFilingOf, ledgerEventOf, type LedgerEvent } from '@hz/ledger';
import { auditApproval, auditSubmission } from './approval-audit';
import {
  MalformedEvent,
  moneyField,
  zeroPerFunder,
  type AuditedApplicant,
  type AuditedClaim,
} from './audit-state';
import type { DecisionOracle } from './decision-oracle';
import { findingAt, lifecycleFinding, type FindingSink, type Finding } from './findings';
import { auditDisbursement, auditRecovery, auditRevocation } from './payment-audit';
import { AllocationAudit, ReferenceAudit, type ReferenceUses } from './reference-audit';

type Draft = Omit<Finding, 'position' | 'streamId' | 'revision'>;
type DataOf<T extends LedgerEvent['type']> = Extract<LedgerEvent, { type: T }>['data'];

export class InvariantChecker {
  private applicants = new Map<string, AuditedApplicant>();
  private claims = new Map<string, AuditedClaim>();
  private claimsByApplicant = new Map<string, AuditedClaim[]>();
  /** Applicants of streams already released (releaseStream): a second registration is still seen. */
  private readonly registeredEarlier = new Set<string>();
  private readonly allocations: AllocationAudit;
  private eventCount = 0;

  constructor(
    readonly sink: FindingSink,
    private readonly oracle?: DecisionOracle,
    private readonly references: ReferenceUses = new ReferenceAudit(),
  ) {
    this.allocations = new AllocationAudit(oracle);
  }

  /**
   * Verify's stream-by-stream pass (issue 13) calls this at the end of each stream: every applicant's
   * events are in its own stream, so its state (applicant, claims, grants) is complete and is let go; only
   * the applicant's id is kept, so registering it again in another stream is still a finding. An event that
   * names an applicant or claim of another stream finds nothing and is reported as unknown. The allocation
   * plans (one stream each, a handful) and the reference check are kept whole.
   */
  releaseStream(): void {
    for (const uscc of this.applicants.keys()) this.registeredEarlier.add(uscc);
    // Fresh maps rather than clear(): a map kept for the whole pass ends in V8's old generation, and a
    // stream's claims held through its tables then survive the young generation's collections and are
    // promoted; maps of their own die young with the stream (issue 13, docs/benchmarks.md).
    this.applicants = new Map();
    this.claims = new Map();
    this.claimsByApplicant = new Map();
    this.oracle?.releaseStream?.();
  }

  /**
   * Every applicant registered in the streams released so far (verify on worker threads compares the
   * workers' lists: an applicant registered in two workers' streams is a registration no one worker saw
   * twice).
   */
  registeredApplicants(): ReadonlySet<string> {
    return this.registeredEarlier;
  }

  /** An event counted but not folded: a first reference reservation, which no check reads. */
  skip(): void {
    this.eventCount += 1;
  }

  get eventsChecked(): number {
    return this.eventCount;
  }

  apply(event: RecordedEvent): void {
    this.eventCount += 1;
    let drafts: Draft[];
    try {
      drafts = this.dispatch(event);
    } catch (error) {
      if (!(error instanceof MalformedEvent)) throw error;
      drafts = [
        { check: 'lifecycle', code: 'EVENT.MALFORMED', message: `${event.type}: ${error.message}` },
      ];
    }
    for (const draft of drafts) this.sink.add(findingAt(event, draft));
  }

  private dispatch(event: RecordedEvent): Draft[] {
    // The one place stored events become domain events, upcasters included (docs/architecture.md §2).
    const ledgerEvent = ledgerEventOf(event);
    if (ledgerEvent === undefined)
      return lifecycleFinding('EVENT.UNKNOWN_TYPE', `unknown event type ${event.type}`);
    switch (ledgerEvent.type) {
      case 'ApplicantRegistered':
        return this.register(ledgerEvent.data);
      case 'ApplicantRelocated':
        return this.withApplicant(
          ledgerEvent.data.uscc,
          (applicant) => void (applicant.district = ledgerEvent.data.toDistrict),
        );
      case 'IntegrityFlagRaised':
        return this.withApplicant(
          ledgerEvent.data.uscc,
          (applicant) => void (applicant.flagged = true),
        );
      case 'IntegrityFlagCleared':
        return this.withApplicant(
          ledgerEvent.data.uscc,
          (applicant) => void (applicant.flagged = false),
        );
      case 'ClaimSubmitted':
        return this.submit(ledgerEvent.data, event.metadata.occurredAt);
      case 'ClaimApproved':
        return this.approve(event, ledgerEvent.data);
      case 'ClaimWithdrawn':
      case 'ClaimRejected':
      case 'ApprovalCountersigned':
      case 'ApprovalCountersignRejected':
        return this.withClaim(ledgerEvent.data.claimId, (claim) =>
          closeDecision(claim, ledgerEvent.type, event.metadata.actor),
        );
      case 'DisbursementRecorded':
        return joined(
          this.useReference(ledgerEvent),
          this.withClaim(ledgerEvent.data.claimId, (claim) =>
            auditDisbursement(claim, ledgerEvent.data, event.metadata.actor),
          ),
        );
      case 'ClaimRevoked':
        return this.withClaim(ledgerEvent.data.claimId, (claim) =>
          auditRevocation(claim, ledgerEvent.data),
        );
      case 'RecoveryRecorded':
        return joined(
          this.useReference(ledgerEvent),
          this.withClaim(ledgerEvent.data.claimId, (claim) =>
            auditRecovery(claim, ledgerEvent.data),
          ),
        );
      case 'AllocationPlanDecided':
        return this.allocations.decide(ledgerEvent.data);
      case 'AllocationDisbursementRecorded':
        return joined(this.useReference(ledgerEvent), this.allocations.disburse(ledgerEvent.data));
      case 'ReferenceReserved':
        return this.references.reserve(ledgerEvent.data, event.revision);
      // Period close and post-close adjustments (issue 18): movements after a close are judged by
      // period-close-audit.ts; an adjustment itself changes no claim.
      case 'PeriodClosed':
      case 'PostCloseAdjustmentRecorded':
        return [];
      default:
        return lifecycleFinding(
          'EVENT.UNKNOWN_TYPE',
          `unknown event type ${(event as RecordedEvent).type}`,
        );
    }
  }

  private useReference(event: LedgerEvent): Draft[] {
    const use = referenceUseOf(event);
    return use === undefined ? [] : this.references.use(use.kind, use.reference, use.subject);
  }

  private register(data: DataOf<'ApplicantRegistered'>): Draft[] {
    if (this.applicants.has(data.uscc) || this.registeredEarlier.has(data.uscc))
      return lifecycleFinding(
        'LIFECYCLE.REGISTERED_TWICE',
        `applicant ${data.uscc} registered twice`,
      );
    this.applicants.set(data.uscc, { uscc: data.uscc, district: data.district, flagged: false });
    this.claimsByApplicant.set(data.uscc, []);
    return [];
  }

  private withApplicant(
    uscc: string,
    change: (applicant: AuditedApplicant) => Draft[] | void,
  ): Draft[] {
    const applicant = this.applicants.get(uscc);
    if (!applicant)
      return lifecycleFinding(
        'LIFECYCLE.UNKNOWN_APPLICANT',
        `event for unregistered applicant ${uscc}`,
      );
    return change(applicant) ?? [];
  }

  private withClaim(claimId: string, change: (claim: AuditedClaim) => Draft[] | void): Draft[] {
    const claim = this.claims.get(claimId);
    if (!claim)
      return lifecycleFinding(
        'LIFECYCLE.UNKNOWN_CLAIM',
        `event for unknown claim ${claimId}`,
        claimId,
      );
    return withClaimId(change(claim) ?? [], claimId);
  }

  private submit(data: DataOf<'ClaimSubmitted'>, occurredAt: string): Draft[] {
    if (this.claims.has(data.claimId))
      return lifecycleFinding(
        'LIFECYCLE.SUBMITTED_TWICE',
        `claim ${data.claimId} submitted twice`,
        data.claimId,
      );
    const claims = this.claimsByApplicant.get(data.applicant);
    if (!claims)
      return lifecycleFinding(
        'LIFECYCLE.UNKNOWN_APPLICANT',
        `claim for unregistered applicant ${data.applicant}`,
        data.claimId,
      );
    const filing = claimFilingOf(data, (amount) => moneyField(amount, 'requestedAmount'));
    // The filed fields written out rather than spread: the spread into a literal with more fields was
    // about 3.5% of verify's fold (issue 13, cpu profile of the 50k demo). Every ClaimFiling field is
    // required, so a field added there is a type error here until it is copied too.
    const claim: AuditedClaim = {
      claimId: filing.claimId,
      applicant: filing.applicant,
      programCode: filing.programCode,
      supportYear: filing.supportYear,
      subjectKey: filing.subjectKey,
      scopeKey: filing.scopeKey,
      requestedAmount: filing.requestedAmount,
      evidence: filing.evidence,
      status: 'submitted',
      grant: null,
      paid: zeroPerFunder(),
      receivable: zeroPerFunder(),
      recovered: zeroPerFunder(),
    };
    this.claims.set(claim.claimId, claim);
    claims.push(claim);
    const applicant = this.applicants.get(data.applicant);
    if (!applicant) return [];
    const findings = auditSubmission({
      data,
      claim,
      applicant,
      applicantClaims: claims,
      occurredAt,
      oracle: this.oracle,
    });
    return withClaimId(findings, claim.claimId);
  }

  private approve(event: RecordedEvent, data: DataOf<'ClaimApproved'>): Draft[] {
    return this.withClaim(data.claimId, (claim) => {
      const applicant = this.applicants.get(claim.applicant);
      // A claim is only ever created for a registered applicant (see submit), so this cannot miss.
      if (!applicant) throw new Error(`invariant broken: claim ${claim.claimId} has no applicant`);
      const applicantClaims = this.claimsByApplicant.get(claim.applicant) ?? [];
      // The amounts as auditApproval parsed them (it throws MalformedEvent first for a bad one).
      const { findings, amount, cityShare, districtShare } = auditApproval({
        data,
        occurredAt: event.metadata.occurredAt,
        claim,
        applicant,
        applicantClaims,
        oracle: this.oracle,
      });
      claim.grant = {
        amount,
        share: { city: cityShare, district: districtShare },
        district: data.split.district,
        approvedBy: event.metadata.actor,
        countersignedBy: null,
      };
      claim.status = data.countersignRequired ? 'pending_countersign' : 'approved';
      return findings;
    });
  }
}

/** Both lists of drafts, in order; no new array when one is empty (most events find nothing). */
function joined(first: Draft[], second: Draft[]): Draft[] {
  if (first.length === 0) return second;
  return second.length === 0 ? first : [...first, ...second];
}

/** The drafts with the claim they are about; most events find nothing, and then no array is made. */
function withClaimId(drafts: Draft[], claimId: string): Draft[] {
  return drafts.length === 0 ? drafts : drafts.map((draft) => ({ ...draft, claimId }));
}

/** The payment or recovery reference an event uses, and who uses it (a claim, or a plan). */
export function referenceUseOf(
  event: LedgerEvent,
): { kind: 'payment' | 'recovery'; reference: string; subject: string } | undefined {
  switch (event.type) {
    case 'DisbursementRecorded':
      return { kind: 'payment', reference: event.data.paymentRef, subject: event.data.claimId };
    case 'RecoveryRecorded':
      return { kind: 'recovery', reference: event.data.recoveryRef, subject: event.data.claimId };
    case 'AllocationDisbursementRecorded':
      return {
        kind: 'payment',
        reference: event.data.paymentRef,
        subject: `plan ${event.data.planId}`,
      };
    default:
      return undefined;
  }
}

/** Withdrawal, rejection and the countersignature outcomes: status moves with maker–checker checked. */
function closeDecision(
  claim: AuditedClaim,
  type:
    'ClaimWithdrawn' | 'ClaimRejected' | 'ApprovalCountersigned' | 'ApprovalCountersignRejected',
  actor: string,
): Draft[] {
  const expected =
    type === 'ClaimWithdrawn' || type === 'ClaimRejected' ? 'submitted' : 'pending_countersign';
  const findings: Draft[] = [];
  if (claim.status !== expected)
    findings.push({
      check: 'lifecycle',
      code: 'LIFECYCLE.UNEXPECTED_TRANSITION',
      message: `${type} while ${claim.status}`,
    });
  if (type === 'ApprovalCountersigned' || type === 'ApprovalCountersignRejected') {
    if (claim.grant?.approvedBy === actor)
      findings.push({
        check: 'lifecycle',
        code: 'SOD.SELF_COUNTERSIGN',
        message: `${actor} countersigned their own approval`,
      });
  }
  if (type === 'ApprovalCountersigned' && claim.grant) {
    claim.grant.countersignedBy = actor;
    claim.status = 'approved';
  } else {
    claim.status = type === 'ClaimWithdrawn' ? 'withdrawn' : 'rejected';
    claim.grant = type === 'ApprovalCountersignRejected' ? null : claim.grant;
  }
  return findings;
}
