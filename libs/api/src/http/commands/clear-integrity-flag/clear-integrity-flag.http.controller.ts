import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { UsccParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { ClearIntegrityFlagCommand } from './clear-integrity-flag.command';
import { ClearIntegrityFlagRequest } from './clear-integrity-flag.request.dto';

const ROLES: Role[] = ['admin'];

@ApiTags('applicants')
@Controller('applicants')
export class ClearIntegrityFlagHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':uscc/integrity-flag-clearances')
  @Roles(...ROLES)
  @ApiWrite('Clear the integrity flag', HttpStatus.OK)
  handle(
    @Param('uscc', UsccParamPipe) uscc: string,
    @Body() body: ClearIntegrityFlagRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.OK,
      command: (metadata) =>
        new ClearIntegrityFlagCommand({
          type: 'ClearIntegrityFlag',
          data: { uscc, reason: body.reason },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
