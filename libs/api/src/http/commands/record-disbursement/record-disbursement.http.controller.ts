import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { ClaimIdParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { RecordDisbursementCommand } from './record-disbursement.command';
import { RecordDisbursementRequest } from './record-disbursement.request.dto';

const ROLES: Role[] = ['finance'];

@ApiTags('claims')
@Controller('claims')
export class RecordDisbursementHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':id/disbursements')
  @Roles(...ROLES)
  @ApiWrite(
    'Record a payment of a funder share (not by the approver or countersigner)',
    HttpStatus.CREATED,
  )
  handle(
    @Param('id', ClaimIdParamPipe) claimId: string,
    @Body() body: RecordDisbursementRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.CREATED,
      command: (metadata) =>
        new RecordDisbursementCommand({
          type: 'RecordDisbursement',
          data: {
            claimId,
            funder: body.funder,
            amount: body.amount,
            paymentRef: body.paymentRef,
            paidAt: body.paidAt,
          },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
