import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertMayRead, Roles, ROLES, type AuthUser } from '@hz/auth';
import type { JsonObject } from '@hz/event-store';
import { LEDGER_SERVICE } from '../../../tokens';
import { ApiRead } from '../../support/api-docs';
import { ClaimViewDoc } from '../../support/view-docs';
import type { HttpRequestLike } from '../../support/http-types';
import type { LedgerReader } from '../../support/ledger-port';
import { applicantOf, ClaimIdParamPipe } from '../../support/params';
import { toJsonObject } from '../../support/present';

/** GET /claims/{id}: the claim's current state, read from its stream (never stale). */
@ApiTags('claims')
@Controller('claims')
export class GetClaimHttpController {
  constructor(@Inject(LEDGER_SERVICE) private readonly ledger: LedgerReader) {}

  @Get(':id')
  @Roles(...ROLES)
  @ApiRead(
    'A claim: status, assessment, approval and split, payments, receivables (staff; the applicant its own)',
    ClaimViewDoc,
    [400, 401, 403, 404, 429],
    { 400: 'not a claim id (REQUEST.INVALID)', 404: 'CLAIM.NOT_FOUND' },
  )
  async getClaim(
    @Param('id', ClaimIdParamPipe) claimId: string,
    @Req() request: HttpRequestLike,
  ): Promise<JsonObject> {
    assertMayRead(request.user as AuthUser, applicantOf(claimId));
    return toJsonObject(await this.ledger.getClaim(claimId));
  }
}
