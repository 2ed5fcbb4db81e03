/**
 * The periods routes (issue 18, docs/operations.md "Period close"), as `ledger close` and `ledger adjust`
 * do it (libs/application period-close.ts):
 * - POST /periods/{period}/close (admin) records PeriodClosed. Afterwards payments, recoveries and
 *   allocation payments dated inside the period are refused with 422 PERIOD.CLOSED; `ledger close` writes
 *   the audit pack.
 * - POST /periods/{period}/adjustments (adjuster only; never by an identity that had a hand in the claim or
 *   plan) records a movement dated inside the closed period as PostCloseAdjustmentRecorded.
 * - GET /periods/{period}/adjustments (staff) lists the adjustments apart, with their totals per funder
 *   and kind: they are in no claim's figures and no fiscal report.
 * The Idempotency-Key (required on the writes) names the event, so a retry answers the first.
 */
import { Body, Get, HttpCode, HttpStatus, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiOperation } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
} from 'class-validator';
import {
  closePeriod,
  listPostCloseAdjustments,
  PERIOD_CLOSE_ROLE,
  PERIOD_FUNDERS,
  PERIOD_PATTERN,
  POST_CLOSE_ADJUSTMENT_ROLE,
  recordPostCloseAdjustment,
  type PeriodCaller,
} from '@hz/application';
import { Roles, STAFF_ROLES, type AuthUser } from '@hz/auth';
import type { Clock, EventStore } from '@hz/event-store';
import { DomainError, type Role } from '@hz/ledger';
import { CLOCK, EVENT_STORE } from '../tokens';
import { ApiBearerController, ApiErrors } from '../http/support/api-docs';
import type { HttpRequestLike } from '../http/support/http-types';
import { idempotencyKeyOf } from '../http/support/write-gateway';
import {
  ChoiceField,
  DateField,
  FunderField,
  MoneyField,
  ReasonsField,
  ReferenceField,
} from '../http/validation/fields';

type PeriodRequest = HttpRequestLike & { readonly user?: AuthUser; readonly requestId?: string };

export class ClosePeriodRequest {
  @ApiPropertyOptional({
    enum: [...PERIOD_FUNDERS],
    isArray: true,
    description: 'the funders whose books close (default both)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsIn([...PERIOD_FUNDERS], { each: true })
  funders?: string[];

  @ApiProperty({ type: [String], minItems: 1, maxItems: 20, description: 'why the period closes' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  reasons!: string[];
}

export class PeriodClosedDoc {
  @ApiProperty({ example: '2024' }) period!: string;
  @ApiProperty({ enum: [...PERIOD_FUNDERS], isArray: true }) funders!: string[];
  @ApiProperty({ description: 'log position of the PeriodClosed event (decimal string)' })
  position!: string;
  @ApiProperty({ description: 'true when this Idempotency-Key closed it before' })
  replayed!: boolean;
}

/** A claim id (`{USCC}-{n}`) or an allocation plan id: what an adjustment refers to. */
const SUBJECT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

export class PostCloseAdjustmentRequest {
  @FunderField() funder!: string;

  @ChoiceField(['disbursement', 'recovery'], 'a payment or a recovery')
  kind!: string;

  @ApiProperty({
    type: String,
    pattern: SUBJECT_ID_PATTERN.source,
    example: '91330106MA2CFXXXXX-1',
    description: 'the claim id or allocation plan id the movement belongs to',
  })
  @IsString()
  @Matches(SUBJECT_ID_PATTERN)
  subjectId!: string;

  @MoneyField('the amount moved (above 0.00)') amount!: string;

  @ReferenceField('the adjustment voucher reference') reference!: string;

  @DateField('business date of the movement, inside the closed period (YYYY-MM-DD)')
  datedOn!: string;

  @ReasonsField(1, 'why the movement is recorded after the close') reasons!: string[];
}

/** What an adjustment records, as the write answers it and the list shows it. */
class AdjustmentFieldsDoc {
  @ApiProperty({ enum: [...PERIOD_FUNDERS] }) funder!: string;
  @ApiProperty({ enum: ['disbursement', 'recovery'] }) kind!: string;
  @ApiProperty() subjectId!: string;
  @ApiProperty({ example: '1000.00' }) amount!: string;
  @ApiProperty() reference!: string;
  @ApiProperty({ format: 'date' }) datedOn!: string;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ description: 'log position of the adjustment (decimal string)' })
  position!: string;
}

export class PostCloseAdjustmentDoc extends AdjustmentFieldsDoc {
  @ApiProperty({ example: '2024' }) period!: string;
  @ApiProperty({ description: 'true when this Idempotency-Key recorded it before' })
  replayed!: boolean;
}

export class ListedAdjustmentDoc extends AdjustmentFieldsDoc {
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'who recorded it' }) actor!: string;
}

export class AdjustmentTotalDoc {
  @ApiProperty({ enum: [...PERIOD_FUNDERS] }) funder!: string;
  @ApiProperty({ enum: ['disbursement', 'recovery'] }) kind!: string;
  @ApiProperty({ example: '1250.35', description: 'exact sum (2 decimals)' }) amount!: string;
  @ApiProperty() count!: number;
}

export class PeriodAdjustmentsDoc {
  @ApiProperty({ example: '2024' }) period!: string;
  @ApiProperty({
    enum: [...PERIOD_FUNDERS],
    isArray: true,
    description: 'the funders the period is closed for',
  })
  closed!: string[];
  @ApiProperty({ type: [ListedAdjustmentDoc] }) adjustments!: ListedAdjustmentDoc[];
  @ApiProperty({
    type: [AdjustmentTotalDoc],
    description: 'per funder and kind; never part of the fiscal report or the claims',
  })
  totals!: AdjustmentTotalDoc[];
}

@ApiBearerController('periods')
export class PeriodsHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The caller of a write, in the one role its route takes; the Idempotency-Key names the event. */
  private callerOf(request: PeriodRequest, role: Role): PeriodCaller {
    const user = request.user as AuthUser;
    // Required and checked as on every write route (400 IDEMPOTENCY.KEY_REQUIRED / KEY_INVALID).
    const idempotencyKey = idempotencyKeyOf(request);
    return {
      actor: user.sub,
      role,
      ...(user.applicant === undefined ? {} : { applicant: user.applicant }),
      idempotencyKey,
      correlationId: request.requestId ?? idempotencyKey,
      now: this.clock.now().toISOString(),
    };
  }

  @Post(':period/close')
  @Roles(PERIOD_CLOSE_ROLE)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: `Close a fiscal year (${PERIOD_PATTERN.source}) for the funders: later movements dated inside it are refused (PERIOD.CLOSED)`,
  })
  @ApiResponse({ status: 201, type: PeriodClosedDoc, description: 'closed' })
  @ApiErrors([400, 401, 403, 409, 429], {
    400: 'PERIOD.INVALID',
    403: 'not an admin',
    409: 'PERIOD.ALREADY_CLOSED',
  })
  async close(
    @Param('period') period: string,
    @Body() body: ClosePeriodRequest,
    @Req() request: PeriodRequest,
  ): Promise<PeriodClosedDoc> {
    const closed = await closePeriod(
      this.eventStore,
      {
        period,
        ...(body.funders === undefined ? {} : { funders: body.funders }),
        reasons: body.reasons,
      },
      this.callerOf(request, PERIOD_CLOSE_ROLE),
    );
    return {
      period: closed.event.data.period,
      funders: [...closed.event.data.funders],
      position: closed.position.toString(),
      replayed: closed.replayed,
    };
  }

  @Post(':period/adjustments')
  @Roles(POST_CLOSE_ADJUSTMENT_ROLE)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      'Record a movement dated inside a closed period as a post-close adjustment (role adjuster; not by anyone who submitted, decided or paid the claim or plan)',
  })
  @ApiResponse({ status: 201, type: PostCloseAdjustmentDoc, description: 'recorded' })
  @ApiErrors([400, 401, 403, 404, 409, 422, 429], {
    400: 'PERIOD.INVALID (datedOn outside the period in the path), REFERENCE.INVALID, MONEY.*',
    403: 'not an adjuster, or SOD.ADJUSTER_INVOLVED / SOD.CLAIM_APPLICANT',
    404: 'PERIOD.SUBJECT_NOT_FOUND',
    409: 'IDEMPOTENCY.KEY_REUSED, CONCURRENCY.CONFLICT',
    422: 'PERIOD.NOT_CLOSED',
  })
  async adjust(
    @Param('period') period: string,
    @Body() body: PostCloseAdjustmentRequest,
    @Req() request: PeriodRequest,
  ): Promise<PostCloseAdjustmentDoc> {
    const caller = this.callerOf(request, POST_CLOSE_ADJUSTMENT_ROLE);
    if (!PERIOD_PATTERN.test(period) || body.datedOn.slice(0, 4) !== period)
      throw new DomainError('PERIOD.INVALID', `datedOn must fall inside period ${period}`, {
        field: 'datedOn',
      });
    const recorded = await recordPostCloseAdjustment(this.eventStore, { ...body }, caller);
    return {
      ...recorded.event.data,
      reasons: [...recorded.event.data.reasons],
      position: recorded.position.toString(),
      replayed: recorded.replayed,
    };
  }

  @Get(':period/adjustments')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'The post-close adjustments of a period, apart from the fiscal report, with their totals per funder and kind',
  })
  @ApiResponse({ status: 200, type: PeriodAdjustmentsDoc })
  @ApiErrors([400, 401, 403, 429], { 400: 'PERIOD.INVALID', 403: 'not staff' })
  async adjustments(@Param('period') period: string): Promise<PeriodAdjustmentsDoc> {
    const listed = await listPostCloseAdjustments(this.eventStore, period);
    return {
      period: listed.period,
      closed: [...listed.closed],
      adjustments: listed.adjustments.map((row) => ({ ...row, reasons: [...row.reasons] })),
      totals: listed.totals.map((total) => ({ ...total })),
    };
  }
}
