import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertMayRead, Roles, ROLES, type AuthUser } from '@hz/auth';
import type { JsonObject } from '@hz/event-store';
import { LEDGER_SERVICE } from '../../../tokens';
import { ApiRead } from '../../support/api-docs';
import { ClaimHistoryDoc } from '../../support/view-docs';
import type { HttpRequestLike } from '../../support/http-types';
import type { LedgerReader } from '../../support/ledger-port';
import { applicantOf, ClaimIdParamPipe } from '../../support/params';
import { toJsonObject } from '../../support/present';

/** GET /claims/{id}/history: the claim's events with revision, position, actor and hash chain links. */
@ApiTags('claims')
@Controller('claims')
export class GetClaimHistoryHttpController {
  constructor(@Inject(LEDGER_SERVICE) private readonly ledger: LedgerReader) {}

  @Get(':id/history')
  @Roles(...ROLES)
  @ApiRead(
    'The events of one claim, oldest first (staff; the applicant its own)',
    ClaimHistoryDoc,
    [400, 401, 403, 404, 429],
    { 400: 'not a claim id (REQUEST.INVALID)', 404: 'CLAIM.NOT_FOUND' },
  )
  async getHistory(
    @Param('id', ClaimIdParamPipe) claimId: string,
    @Req() request: HttpRequestLike,
  ): Promise<JsonObject> {
    assertMayRead(request.user as AuthUser, applicantOf(claimId));
    const history = await this.ledger.getClaimHistory(claimId);
    return Array.isArray(history)
      ? toJsonObject({ claimId, events: history })
      : toJsonObject(history);
  }
}
