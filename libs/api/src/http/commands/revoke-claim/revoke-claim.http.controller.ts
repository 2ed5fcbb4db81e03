import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { ClaimIdParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { RevokeClaimCommand } from './revoke-claim.command';
import { RevokeClaimRequest } from './revoke-claim.request.dto';

const ROLES: Role[] = ['reviewer'];

@ApiTags('claims')
@Controller('claims')
export class RevokeClaimHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':id/revocations')
  @Roles(...ROLES)
  @ApiWrite(
    'Revoke an approved grant: room comes back, unpaid shares cancelled, paid shares receivable',
    HttpStatus.OK,
  )
  handle(
    @Param('id', ClaimIdParamPipe) claimId: string,
    @Body() body: RevokeClaimRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.OK,
      command: (metadata) =>
        new RevokeClaimCommand({
          type: 'RevokeClaim',
          data: { claimId, reasons: body.reasons },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
