import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import type { DecideClaim } from '@hz/ledger';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { ClaimIdParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { DecideClaimCommand } from './decide-claim.command';
import { DecideClaimRequest } from './decide-claim.request.dto';

const ROLES: Role[] = ['reviewer'];

@ApiTags('claims')
@Controller('claims')
export class DecideClaimHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':id/decisions')
  @Roles(...ROLES)
  @ApiWrite(
    'Approve (→ approved or pending_countersign) or reject a submitted claim',
    HttpStatus.OK,
  )
  handle(
    @Param('id', ClaimIdParamPipe) claimId: string,
    @Body() body: DecideClaimRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    // The DTO guarantees an amount exactly when the outcome is "approve".
    const data: DecideClaim['data'] =
      body.outcome === 'approve'
        ? { claimId, outcome: 'approve', amount: body.amount ?? '', reasons: body.reasons }
        : { claimId, outcome: 'reject', reasons: body.reasons };
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.OK,
      command: (metadata) => new DecideClaimCommand({ type: 'DecideClaim', data, metadata }),
      present: presentWrite,
    });
  }
}
