import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { PlanIdParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { RecordAllocationDisbursementCommand } from './record-allocation-disbursement.command';
import { RecordAllocationDisbursementRequest } from './record-allocation-disbursement.request.dto';

const ROLES: Role[] = ['finance'];

@ApiTags('allocation-plans')
@Controller('allocation-plans')
export class RecordAllocationDisbursementHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':id/disbursements')
  @Roles(...ROLES)
  @ApiWrite('Record a payment of a district allocation', HttpStatus.CREATED)
  disburse(
    @Param('id', PlanIdParamPipe) planId: string,
    @Body() body: RecordAllocationDisbursementRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    const data = {
      planId,
      district: body.district,
      amount: body.amount,
      paymentRef: body.paymentRef,
      paidAt: body.paidAt,
    };
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.CREATED,
      command: (metadata) =>
        new RecordAllocationDisbursementCommand({
          type: 'RecordAllocationDisbursement',
          data,
          metadata,
        }),
      present: presentWrite,
    });
  }
}
