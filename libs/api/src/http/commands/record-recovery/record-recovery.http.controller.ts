import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { ClaimIdParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { RecordRecoveryCommand } from './record-recovery.command';
import { RecordRecoveryRequest } from './record-recovery.request.dto';

const ROLES: Role[] = ['finance'];

@ApiTags('claims')
@Controller('claims')
export class RecordRecoveryHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':id/recoveries')
  @Roles(...ROLES)
  @ApiWrite('Record money recovered after a revocation', HttpStatus.CREATED)
  handle(
    @Param('id', ClaimIdParamPipe) claimId: string,
    @Body() body: RecordRecoveryRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.CREATED,
      command: (metadata) =>
        new RecordRecoveryCommand({
          type: 'RecordRecovery',
          data: {
            claimId,
            funder: body.funder,
            amount: body.amount,
            recoveryRef: body.recoveryRef,
            recoveredAt: body.recoveredAt,
          },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
