import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertActsFor, Roles, type AuthUser, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { applicantOf, ClaimIdParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { WithdrawClaimCommand } from './withdraw-claim.command';
import { WithdrawClaimRequest } from './withdraw-claim.request.dto';

const ROLES: Role[] = ['applicant'];

@ApiTags('claims')
@Controller('claims')
export class WithdrawClaimHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':id/withdrawal')
  @Roles(...ROLES)
  @ApiWrite('Withdraw an own claim that has no decision yet', HttpStatus.OK)
  handle(
    @Param('id', ClaimIdParamPipe) claimId: string,
    @Body() body: WithdrawClaimRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    assertActsFor(request.user as AuthUser, applicantOf(claimId));
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.OK,
      command: (metadata) =>
        new WithdrawClaimCommand({
          type: 'WithdrawClaim',
          data: { claimId, reason: body.reason ?? null },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
