/**
 * OpenAPI shapes of what the ledger-backed endpoints return (docs/architecture.md §6): GET /claims/{id},
 * GET /applicants/{uscc}, GET /claims/{id}/history, the policies, and the body of every write.
 * One class per view. Each one `implements` the TypeScript view it documents (libs/ledger applicant/views.ts,
 * allocation/views.ts) and `SameKeys` below checks that it names no field the view lacks, so the document
 * and the JSON cannot drift apart without the type check failing.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  AllocationPlanView,
  ApplicantView,
  ApprovalView,
  AssessmentRecord,
  ClaimStatus,
  ClaimView,
  DistrictGroupId,
  Funder,
  FunderAmountsView,
  JsonLike,
  MovementView,
} from '@hz/ledger';
import { CLAIM_STATUSES as PROJECTED_CLAIM_STATUSES } from '@hz/projections';

/** A money amount on the wire (docs/style.md §4): a decimal string with exactly 2 fraction digits. */
export const MONEY = {
  type: String,
  example: '200000.00',
  pattern: '^(0|[1-9][0-9]*)\\.[0-9]{2}$',
  description: 'CNY, exactly 2 fraction digits',
} as const;

/** The statuses of a claim, as the read models list them (the same union as the ledger's ClaimStatus). */
export const CLAIM_STATUSES: readonly ClaimStatus[] = PROJECTED_CLAIM_STATUSES;

/** Free JSON (evidence, trace details, event data): any object. */
const JSON_OBJECT = { type: 'object', additionalProperties: true } as const;

/** True when A and B have exactly the same keys; used as `Assert<SameKeys<Doc, View>>`. */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [
  never,
  never,
]
  ? true
  : false;
export type Assert<T extends true> = T;

export class FunderAmountsDoc implements FunderAmountsView {
  @ApiProperty(MONEY) city!: string;
  @ApiProperty(MONEY) district!: string;
}

export class CapRoomDoc {
  @ApiProperty({ example: 'annual:c1-platform:2024' }) capId!: string;
  @ApiProperty({ example: '二(一)' }) clause!: string;
  @ApiProperty(MONEY) cap!: string;
  @ApiProperty(MONEY) granted!: string;
  @ApiProperty(MONEY) room!: string;
}

export class TraceStepDoc {
  @ApiProperty({ example: 'base', description: 'what the engine did' }) step!: string;
  @ApiProperty({ example: '二(一)' }) clause!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional(MONEY) amount?: string;
  @ApiPropertyOptional({ ...JSON_OBJECT, description: 'facts of the step' })
  details?: { [key: string]: string | number | boolean | null };
}

/** The policy engine's assessment as recorded on ClaimSubmitted (docs/policy.md); trace steps as TraceStepDoc. */
export class AssessmentDoc implements AssessmentRecord {
  @ApiProperty() eligible!: boolean;
  @ApiProperty({ ...MONEY, nullable: true, description: 'the base the rule amount came from' })
  base!: string | null;
  @ApiProperty(MONEY) ruleAmount!: string;
  @ApiProperty({ ...MONEY, description: 'the most the claim may be approved for' })
  ceiling!: string;
  @ApiProperty({ type: [CapRoomDoc] }) caps!: CapRoomDoc[];
  @ApiProperty({ type: [TraceStepDoc], description: 'each step of the calculation, in order' })
  trace!: AssessmentRecord['trace'];
}

type ApprovalSplitView = ApprovalView['split'];

export class ApprovalSplitDoc implements ApprovalSplitView {
  @ApiProperty({ enum: ['split', 'city'] }) funding!: 'split' | 'city';
  @ApiProperty({ example: 'xiaoshan', description: 'district at the approval decision' })
  district!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['A', 'B'] })
  districtGroup!: DistrictGroupId | null;
  @ApiProperty({ example: '0.25' }) cityRate!: string;
  @ApiProperty(MONEY) cityShare!: string;
  @ApiProperty(MONEY) districtShare!: string;
}

export class ApprovalDoc implements ApprovalView {
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ description: 'the approving reviewer' }) approvedBy!: string;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty() countersignRequired!: boolean;
  @ApiProperty({ example: 'hz-cbec-2023' }) policyId!: string;
  @ApiProperty() catalogHash!: string;
  @ApiProperty(MONEY) ruleAmount!: string;
  @ApiProperty(MONEY) ceiling!: string;
  @ApiProperty({ type: ApprovalSplitDoc }) split!: ApprovalSplitDoc;
}

export class MovementDoc implements MovementView {
  @ApiProperty({ enum: ['city', 'district'] }) funder!: Funder;
  @ApiProperty({ example: 'xiaoshan' }) district!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ description: 'payment or recovery reference' }) reference!: string;
  @ApiProperty({ example: '2024-07-01', description: 'date paid or recovered' }) at!: string;
}

/** GET /claims/{id}: the claim folded from its stream (never stale). */
export class ClaimViewDoc implements ClaimView {
  @ApiProperty({ example: '91330109MA2H000010-1' }) claimId!: string;
  @ApiProperty({ example: '91330109MA2H000010' }) applicant!: string;
  @ApiProperty({ example: 'c3-trademark' }) programCode!: string;
  @ApiProperty({ example: 2024 }) supportYear!: number;
  @ApiProperty({ type: String, nullable: true }) subjectKey!: string | null;
  @ApiProperty({ description: 'the cap scope the claim counts against' }) scopeKey!: string;
  @ApiProperty({ enum: CLAIM_STATUSES }) status!: ClaimStatus;
  @ApiProperty(MONEY) requestedAmount!: string;
  @ApiProperty({ ...JSON_OBJECT, description: "the program's evidence fields as submitted" })
  evidence!: { [key: string]: JsonLike };
  @ApiProperty({ example: 'hz-cbec-2023' }) policyId!: string;
  @ApiProperty() catalogHash!: string;
  @ApiProperty({ type: AssessmentDoc }) assessment!: AssessmentDoc;
  @ApiProperty({
    type: ApprovalDoc,
    nullable: true,
    description: 'the approval in effect, pending, revoked, or overturned by the countersigner',
  })
  approval!: ApprovalDoc | null;
  @ApiProperty({ type: String, nullable: true }) countersignedBy!: string | null;
  @ApiProperty({
    type: [String],
    description: 'rejection or revocation reasons; the withdrawal reason, if one was given',
  })
  reasons!: string[];
  @ApiProperty({ type: FunderAmountsDoc }) paid!: FunderAmountsDoc;
  @ApiProperty({
    type: FunderAmountsDoc,
    description: 'still to pay per funder (approved claims only; zero otherwise)',
  })
  outstanding!: FunderAmountsDoc;
  @ApiProperty({ type: FunderAmountsDoc }) cancelled!: FunderAmountsDoc;
  @ApiProperty({ type: FunderAmountsDoc }) receivable!: FunderAmountsDoc;
  @ApiProperty({ type: FunderAmountsDoc }) recovered!: FunderAmountsDoc;
  @ApiProperty({ type: [MovementDoc] }) payments!: MovementDoc[];
  @ApiProperty({ type: [MovementDoc] }) recoveries!: MovementDoc[];
}

export class IntegrityFlagDoc {
  @ApiProperty() reason!: string;
}

export class ApplicantClaimDoc {
  @ApiProperty() claimId!: string;
  @ApiProperty() programCode!: string;
  @ApiProperty() supportYear!: number;
  @ApiProperty({ enum: CLAIM_STATUSES }) status!: ClaimStatus;
}

/** GET /applicants/{uscc}: the applicant folded from its stream. */
export class ApplicantViewDoc implements ApplicantView {
  @ApiProperty({ example: '91330109MA2H000010' }) uscc!: string;
  @ApiProperty({ example: '杭州某某贸易有限公司' }) name!: string;
  @ApiProperty({ example: 'xiaoshan', description: 'current district (after relocations)' })
  district!: string;
  @ApiProperty({ type: IntegrityFlagDoc, nullable: true }) integrityFlag!: IntegrityFlagDoc | null;
  @ApiProperty({ type: [ApplicantClaimDoc] }) claims!: ApplicantClaimDoc[];
}

export class AllotmentDoc {
  @ApiProperty({ example: 'xiaoshan' }) district!: string;
  @ApiProperty({ example: '0.25' }) score!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty(MONEY) paid!: string;
  @ApiProperty(MONEY) outstanding!: string;
}

export class AllocationPaymentDoc {
  @ApiProperty({ example: 'xiaoshan' }) district!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty() paymentRef!: string;
  @ApiProperty({ example: '2024-07-01' }) paidAt!: string;
}

/** A decided allocation plan (五(九) pools). */
export class AllocationPlanViewDoc implements AllocationPlanView {
  @ApiProperty() planId!: string;
  @ApiProperty(MONEY) pool!: string;
  @ApiProperty() decidedAt!: string;
  @ApiProperty() policyId!: string;
  @ApiProperty() catalogHash!: string;
  @ApiProperty() programCode!: string;
  @ApiProperty({ type: [AllotmentDoc] }) allocations!: AllotmentDoc[];
  @ApiProperty({ type: [AllocationPaymentDoc] }) payments!: AllocationPaymentDoc[];
}

const POSITION = {
  type: String,
  example: '42',
  pattern: '^[0-9]+$',
  description: 'log position of the write (decimal string): send it as X-Min-Position to read it',
} as const;

/** The body of a write on an applicant's stream (register, relocate, integrity flags). */
export class ApplicantWriteResultDoc {
  @ApiProperty({ example: '91330109MA2H000010' }) uscc!: string;
  @ApiProperty({ type: ApplicantViewDoc }) applicant!: ApplicantViewDoc;
  @ApiProperty(POSITION) position!: string;
}

/** The body of a write on a claim (decide, countersign, withdraw, pay, revoke, recover). */
export class ClaimWriteResultDoc {
  @ApiProperty({ example: '91330109MA2H000010-1' }) claimId!: string;
  @ApiProperty({ enum: CLAIM_STATUSES }) status!: ClaimStatus;
  @ApiProperty({ type: ClaimViewDoc }) claim!: ClaimViewDoc;
  @ApiProperty(POSITION) position!: string;
}

/** The assessment part POST /claims answers with (presenters.ts presentSubmission); the claim has all of it. */
export class SubmissionAssessmentDoc implements Pick<
  AssessmentRecord,
  'eligible' | 'ruleAmount' | 'ceiling' | 'trace'
> {
  @ApiProperty() eligible!: boolean;
  @ApiProperty(MONEY) ruleAmount!: string;
  @ApiProperty({ ...MONEY, description: 'the most the claim may be approved for' })
  ceiling!: string;
  @ApiProperty({ type: [TraceStepDoc], description: 'each step of the calculation, in order' })
  trace!: AssessmentRecord['trace'];
}

/** The body of POST /claims: the write's fields plus the policy engine's assessment. */
export class ClaimSubmissionResultDoc extends ClaimWriteResultDoc {
  @ApiProperty({ type: SubmissionAssessmentDoc }) assessment!: SubmissionAssessmentDoc;
}

/** The body of a write on an allocation plan. */
export class AllocationWriteResultDoc {
  @ApiProperty() planId!: string;
  @ApiProperty({ type: AllocationPlanViewDoc }) plan!: AllocationPlanViewDoc;
  @ApiProperty(POSITION) position!: string;
}

export class HistoryEntryDoc {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ClaimApproved' }) type!: string;
  @ApiProperty({ ...JSON_OBJECT, description: 'the event data' }) data!: object;
  @ApiProperty({ example: 'applicant-91330109MA2H000010' }) streamId!: string;
  @ApiProperty({ example: '3', description: 'revision in the stream (decimal string)' })
  revision!: string;
  @ApiProperty({ example: '42', description: 'global log position (decimal string)' })
  position!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ example: 'reviewer' }) role!: string;
  @ApiProperty({ description: 'business time' }) occurredAt!: string;
  @ApiProperty({ description: 'ledger time' }) recordedAt!: string;
  @ApiProperty({ description: 'SHA-256 of this event, chained to the previous one' })
  hash!: string;
  @ApiProperty({ description: 'hash of the previous event in the stream' }) prevHash!: string;
  @ApiProperty({ ...JSON_OBJECT, description: 'the full event metadata' }) metadata!: object;
}

/** GET /claims/{id}/history. */
export class ClaimHistoryDoc {
  @ApiProperty() claimId!: string;
  @ApiProperty({ type: [HistoryEntryDoc], description: 'oldest first' })
  events!: HistoryEntryDoc[];
}

export class PolicySummaryDoc {
  @ApiProperty({ example: 'hz-cbec-2023' }) id!: string;
  @ApiProperty({ example: '杭政办函〔2023〕9号' }) documentNumber!: string;
  @ApiProperty() title!: string;
  @ApiProperty() titleEn!: string;
  @ApiProperty({ example: '2023-01-01' }) validFrom!: string;
  @ApiProperty({ type: String, nullable: true }) validTo!: string | null;
  @ApiProperty({ description: 'SHA-256 of the canonical catalog' }) hash!: string;
  @ApiProperty({ description: 'number of programs' }) programs!: number;
  @ApiProperty({
    example: '2023-01-01',
    description: 'first Hangzhou date whose submissions are assessed under this version',
  })
  effectiveFrom!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'last day this version was in force (the day before the next one); null: in force',
  })
  effectiveTo!: string | null;
}

/** GET /policies. */
export class PoliciesDoc {
  @ApiProperty({
    type: [PolicySummaryDoc],
    description:
      'every catalog version with its effective dates, oldest first; a claim is assessed under the version in force on its submission date (docs/policy.md §11)',
  })
  policies!: PolicySummaryDoc[];
}

/** GET /policies/{id}: the catalog as data (libs/policy, docs/policy.md); only the head is spelled out. */
export class PolicyCatalogDoc {
  @ApiProperty({ example: 'hz-cbec-2023' }) id!: string;
  @ApiProperty({ example: '杭政办函〔2023〕9号' }) documentNumber!: string;
  @ApiProperty() title!: string;
  @ApiProperty() titleEn!: string;
  @ApiProperty() validFrom!: string;
  @ApiProperty({ type: String, nullable: true }) validTo!: string | null;
  @ApiProperty() hash!: string;
  @ApiProperty({
    type: 'array',
    items: JSON_OBJECT,
    description: 'programs with their clause, rules, caps and evidence fields',
  })
  programs!: object[];
}

/** Compile-time checks that each documented view names exactly the fields of its TypeScript view. */
export type ViewDocChecks = [
  Assert<SameKeys<ClaimViewDoc, ClaimView>>,
  Assert<SameKeys<ApprovalDoc, ApprovalView>>,
  Assert<SameKeys<ApprovalSplitDoc, ApprovalView['split']>>,
  Assert<SameKeys<MovementDoc, MovementView>>,
  Assert<SameKeys<AssessmentDoc, AssessmentRecord>>,
  Assert<SameKeys<CapRoomDoc, AssessmentRecord['caps'][number]>>,
  Assert<SameKeys<ApplicantViewDoc, ApplicantView>>,
  Assert<SameKeys<ApplicantClaimDoc, ApplicantView['claims'][number]>>,
  Assert<SameKeys<AllocationPlanViewDoc, AllocationPlanView>>,
  Assert<SameKeys<AllotmentDoc, AllocationPlanView['allocations'][number]>>,
  Assert<SameKeys<AllocationPaymentDoc, AllocationPlanView['payments'][number]>>,
];
