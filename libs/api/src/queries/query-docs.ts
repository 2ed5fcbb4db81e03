/**
 * OpenAPI shapes of the read endpoints (docs/architecture.md §6); the service builds plain objects, and
 * `QueryDocChecks` at the end fails the type check when a documented shape and the service's answer
 * (projections-query.service.ts, query-views.ts) name different fields.
 */
import { ApiProperty } from '@nestjs/swagger';
import {
  ApprovalSplitDoc,
  CLAIM_STATUSES,
  FunderAmountsDoc,
  MONEY,
  type Assert,
  type SameKeys,
} from '../http/support/view-docs';
import type { ProjectionsQueryService } from './projections-query.service';

export class CheckpointDoc {
  @ApiProperty({ example: '1042', description: 'log position the answer reflects' })
  position!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2024-06-30T08:00:00.000Z',
    description: 'ledger time of that position',
  })
  recordedAt!: string | null;
}

export class LastChangeDoc {
  @ApiProperty() position!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ example: 'DisbursementRecorded' }) eventType!: string;
}

export class ClaimSummaryDoc {
  @ApiProperty() claimId!: string;
  @ApiProperty() applicant!: string;
  @ApiProperty() programCode!: string;
  @ApiProperty() supportYear!: number;
  @ApiProperty({ type: String, nullable: true }) subjectKey!: string | null;
  @ApiProperty({ enum: CLAIM_STATUSES }) status!: string;
  @ApiProperty(MONEY) requestedAmount!: string;
  @ApiProperty({ ...MONEY, nullable: true }) approvedAmount!: string | null;
  @ApiProperty() countersignRequired!: boolean;
  @ApiProperty({ type: ApprovalSplitDoc, nullable: true }) split!: ApprovalSplitDoc | null;
  @ApiProperty({ type: FunderAmountsDoc }) paid!: FunderAmountsDoc;
  @ApiProperty({ type: FunderAmountsDoc }) cancelled!: FunderAmountsDoc;
  @ApiProperty({ type: FunderAmountsDoc }) receivable!: FunderAmountsDoc;
  @ApiProperty({ type: FunderAmountsDoc }) recovered!: FunderAmountsDoc;
  @ApiProperty() submittedAt!: string;
  @ApiProperty() submittedPosition!: string;
  @ApiProperty({ type: LastChangeDoc }) lastChange!: LastChangeDoc;
}

export class ClaimPageDoc {
  @ApiProperty({ type: [ClaimSummaryDoc] }) items!: ClaimSummaryDoc[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
  @ApiProperty({ type: CheckpointDoc }) checkpoint!: CheckpointDoc;
}

export class CapDoc {
  @ApiProperty({ example: 'annual:c1-platform:2024' }) capId!: string;
  @ApiProperty({ enum: ['annual', 'one-time', 'subject', 'applicant-total'] }) kind!: string;
  @ApiProperty() programCode!: string;
  @ApiProperty({ type: Number, nullable: true }) supportYear!: number | null;
  @ApiProperty({ type: String, nullable: true }) subjectKey!: string | null;
  @ApiProperty({ ...MONEY, nullable: true, description: 'null when the scope has no amount cap' })
  cap!: string | null;
  @ApiProperty({ ...MONEY, description: 'approved + pending countersignature − revoked' })
  granted!: string;
  @ApiProperty({ ...MONEY, nullable: true, description: 'max(0, cap − granted)' }) remaining!:
    string | null;
  @ApiProperty({ ...MONEY, description: 'disbursed net of recoveries' }) paid!: string;
  @ApiProperty({ description: 'log position of this version' }) position!: string;
}

export class CapsDoc {
  @ApiProperty() applicant!: string;
  @ApiProperty({ type: Number, nullable: true }) supportYear!: number | null;
  @ApiProperty({ type: String, nullable: true }) asOf!: string | null;
  @ApiProperty({ type: CheckpointDoc }) checkpoint!: CheckpointDoc;
  @ApiProperty({ type: [CapDoc] }) caps!: CapDoc[];
}

export class AwardDoc {
  @ApiProperty() applicant!: string;
  @ApiProperty() programCode!: string;
  @ApiProperty() claimId!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ enum: ['pending_countersign', 'approved', 'revoked', 'rejected'] })
  status!: string;
}

export class AwardsDoc {
  @ApiProperty({ type: [AwardDoc] }) items!: AwardDoc[];
  @ApiProperty({ type: CheckpointDoc }) checkpoint!: CheckpointDoc;
}

export class ApplicantFoundDoc {
  @ApiProperty({ example: '91330109MA2H000010' }) uscc!: string;
  @ApiProperty({ example: '杭州某某贸易有限公司' }) name!: string;
  @ApiProperty({ example: 'xiaoshan', description: 'current district (after relocations)' })
  district!: string;
}

export class ApplicantsFoundDoc {
  @ApiProperty({ description: 'the name text searched (trimmed)' }) name!: string;
  @ApiProperty() limit!: number;
  @ApiProperty({ type: [ApplicantFoundDoc], description: 'by name, then USCC' })
  items!: ApplicantFoundDoc[];
  @ApiProperty({ type: CheckpointDoc }) checkpoint!: CheckpointDoc;
}

/** A balance of the fiscal model: the flows named, summed through the period (docs/architecture.md §6). */
const ClosingBalance = (flows: string): PropertyDecorator =>
  ApiProperty({ ...MONEY, description: `closing balance: Σ(${flows}) through the period` });

export class FiscalRowDoc {
  @ApiProperty({ example: 'city' }) funder!: string;
  @ApiProperty({ example: '2024-06' }) period!: string;
  @ApiProperty(MONEY) committed!: string;
  @ApiProperty(MONEY) disbursed!: string;
  @ApiProperty(MONEY) cancelled!: string;
  @ClosingBalance('committed − disbursed − cancelled') outstanding!: string;
  @ApiProperty(MONEY) receivable!: string;
  @ApiProperty(MONEY) recovered!: string;
  @ClosingBalance('receivable − recovered') receivableOutstanding!: string;
  @ApiProperty({
    required: false,
    example: '二(一)',
    description:
      'policy clause of the program (allocation plans: 五(九)); only with groupBy=clause',
  })
  clause?: string;
}

export class FiscalObligationsDoc {
  @ApiProperty({ type: String, nullable: true }) funder!: string | null;
  @ApiProperty({ enum: ['month', 'year'] }) period!: string;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) to!: string | null;
  @ApiProperty({ type: String, nullable: true }) asOf!: string | null;
  @ApiProperty({
    required: false,
    enum: ['clause'],
    description: 'present only when the request asked for it',
  })
  groupBy?: string;
  @ApiProperty({ type: CheckpointDoc }) checkpoint!: CheckpointDoc;
  @ApiProperty({ type: [FiscalRowDoc] }) rows!: FiscalRowDoc[];
}

export class AuditEntryDoc {
  @ApiProperty() claimId!: string;
  @ApiProperty({ example: '1042', description: 'log position of the event' }) position!: string;
  @ApiProperty({ example: '7', description: 'revision of the event in its stream' })
  revision!: string;
  @ApiProperty({ example: 'applicant-91330109MA2H000010' }) streamId!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'DisbursementRecorded' }) type!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ example: 'finance' }) role!: string;
  @ApiProperty({ description: 'business time of the event' }) occurredAt!: string;
  @ApiProperty({ description: 'ledger time the event was recorded' }) recordedAt!: string;
  @ApiProperty({ description: 'hash of the event in its stream chain' }) hash!: string;
  @ApiProperty({ description: 'hash of the event before it in the stream' }) prevHash!: string;
  @ApiProperty({ type: Object, description: 'the event data as recorded' }) data!: unknown;
}

export class AuditTrailDoc {
  @ApiProperty({ type: [AuditEntryDoc], description: 'in log order' }) items!: AuditEntryDoc[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'cursor of the next page; null on the last page',
  })
  nextCursor!: string | null;
  @ApiProperty({ type: CheckpointDoc }) checkpoint!: CheckpointDoc;
}

type Answer<K extends keyof ProjectionsQueryService> = ProjectionsQueryService[K] extends (
  ...args: never[]
) => Promise<infer T>
  ? NonNullable<T>
  : never;
type ClaimPage = Answer<'listClaims'>;
type Caps = Answer<'caps'>;
type Awards = Answer<'oneTimeAwards'>;
type ApplicantsFound = Answer<'findApplicants'>;
type FiscalObligations = Answer<'fiscalObligations'>;
type AuditTrail = Answer<'auditTrail'>;

export type QueryDocChecks = [
  Assert<SameKeys<ClaimPageDoc, ClaimPage>>,
  Assert<SameKeys<ClaimSummaryDoc, ClaimPage['items'][number]>>,
  Assert<SameKeys<LastChangeDoc, ClaimPage['items'][number]['lastChange']>>,
  Assert<SameKeys<CheckpointDoc, ClaimPage['checkpoint']>>,
  Assert<SameKeys<CapsDoc, Caps>>,
  Assert<SameKeys<CapDoc, Caps['caps'][number]>>,
  Assert<SameKeys<AwardsDoc, Awards>>,
  Assert<SameKeys<AwardDoc, Awards['items'][number]>>,
  Assert<SameKeys<ApplicantsFoundDoc, ApplicantsFound>>,
  Assert<SameKeys<ApplicantFoundDoc, ApplicantsFound['items'][number]>>,
  Assert<SameKeys<FiscalObligationsDoc, FiscalObligations>>,
  Assert<SameKeys<FiscalRowDoc, FiscalObligations['rows'][number]>>,
  Assert<SameKeys<AuditTrailDoc, AuditTrail>>,
  Assert<SameKeys<AuditEntryDoc, AuditTrail['items'][number]>>,
];
