import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { ClaimIdParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { CountersignApprovalCommand } from './countersign-approval.command';
import { CountersignApprovalRequest } from './countersign-approval.request.dto';

const ROLES: Role[] = ['reviewer'];

@ApiTags('claims')
@Controller('claims')
export class CountersignApprovalHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':id/countersignatures')
  @Roles(...ROLES)
  @ApiWrite(
    'Confirm or overturn an approval waiting for a second reviewer (not the approver)',
    HttpStatus.OK,
  )
  handle(
    @Param('id', ClaimIdParamPipe) claimId: string,
    @Body() body: CountersignApprovalRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.OK,
      command: (metadata) =>
        new CountersignApprovalCommand({
          type: 'CountersignApproval',
          data: { claimId, outcome: body.outcome, reasons: body.reasons },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
