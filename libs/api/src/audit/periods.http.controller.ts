/**
 * POST /periods/{period}/close (admin; issue 18 part 4, docs/operations.md "Period close"): records
 * PeriodClosed as `ledger close` does (libs/application period-close.ts). Afterwards payments, recoveries and
 * allocation payments dated inside the period are refused with 422 PERIOD.CLOSED; `ledger close` writes
 * the audit pack. The Idempotency-Key (required) names the event, so a retry answers the first close.
 */
import { Body, HttpCode, HttpStatus, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiOperation } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString } from 'class-validator';
import { closePeriod, PERIOD_FUNDERS, PERIOD_PATTERN } from '@hz/application';
import { Roles, type AuthUser } from '@hz/auth';
import type { Clock, EventStore } from '@hz/event-store';
import { CLOCK, EVENT_STORE } from '../tokens';
import { ApiBearerController, ApiErrors } from '../http/support/api-docs';
import type { HttpRequestLike } from '../http/support/http-types';
import { idempotencyKeyOf } from '../http/support/write-gateway';

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

@ApiBearerController('periods')
export class PeriodsHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(':period/close')
  @Roles('admin')
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
    @Req() request: HttpRequestLike & { readonly user?: AuthUser; readonly requestId?: string },
  ): Promise<PeriodClosedDoc> {
    const user = request.user as AuthUser;
    // Required and checked as on every write route (400 IDEMPOTENCY.KEY_REQUIRED / KEY_INVALID).
    const idempotencyKey = idempotencyKeyOf(request);
    const closed = await closePeriod(
      this.eventStore,
      {
        period,
        ...(body.funders === undefined ? {} : { funders: body.funders }),
        reasons: body.reasons,
      },
      {
        actor: user.sub,
        role: 'admin',
        idempotencyKey,
        correlationId: request.requestId ?? idempotencyKey,
        now: this.clock.now().toISOString(),
      },
    );
    return {
      period: closed.event.data.period,
      funders: [...closed.event.data.funders],
      position: closed.position.toString(),
      replayed: closed.replayed,
    };
  }
}
