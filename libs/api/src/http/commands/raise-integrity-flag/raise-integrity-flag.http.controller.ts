import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { UsccParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { RaiseIntegrityFlagCommand } from './raise-integrity-flag.command';
import { RaiseIntegrityFlagRequest } from './raise-integrity-flag.request.dto';

const ROLES: Role[] = ['admin'];

@ApiTags('applicants')
@Controller('applicants')
export class RaiseIntegrityFlagHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':uscc/integrity-flags')
  @Roles(...ROLES)
  @ApiWrite('Raise an integrity flag (clause 十): blocks submit and approve', HttpStatus.OK)
  handle(
    @Param('uscc', UsccParamPipe) uscc: string,
    @Body() body: RaiseIntegrityFlagRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.OK,
      command: (metadata) =>
        new RaiseIntegrityFlagCommand({
          type: 'RaiseIntegrityFlag',
          data: { uscc, reason: body.reason },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
