import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertMayRead, Roles, ROLES, type AuthUser } from '@hz/auth';
import type { JsonObject } from '@hz/event-store';
import { LEDGER_SERVICE } from '../../../tokens';
import { ApiRead } from '../../support/api-docs';
import { ApplicantViewDoc } from '../../support/view-docs';
import type { HttpRequestLike } from '../../support/http-types';
import type { LedgerReader } from '../../support/ledger-port';
import { UsccParamPipe } from '../../support/params';
import { toJsonObject } from '../../support/present';

@ApiTags('applicants')
@Controller('applicants')
export class GetApplicantHttpController {
  constructor(@Inject(LEDGER_SERVICE) private readonly ledger: LedgerReader) {}

  @Get(':uscc')
  @Roles(...ROLES)
  @ApiRead(
    'An applicant: name, district, integrity flag, its claims (staff; the applicant itself)',
    ApplicantViewDoc,
    [400, 401, 403, 404, 429],
    { 400: 'not a USCC (REQUEST.INVALID)', 404: 'APPLICANT.NOT_FOUND' },
  )
  async getApplicant(
    @Param('uscc', UsccParamPipe) uscc: string,
    @Req() request: HttpRequestLike,
  ): Promise<JsonObject> {
    assertMayRead(request.user as AuthUser, uscc);
    return toJsonObject(await this.ledger.getApplicant(uscc));
  }
}
