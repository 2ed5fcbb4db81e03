import { Body, Controller, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { UsccParamPipe } from '../../support/params';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { RelocateApplicantCommand } from './relocate-applicant.command';
import { RelocateApplicantRequest } from './relocate-applicant.request.dto';

const ROLES: Role[] = ['admin'];

@ApiTags('applicants')
@Controller('applicants')
export class RelocateApplicantHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post(':uscc/relocations')
  @Roles(...ROLES)
  @ApiWrite('Change the registered district (later approvals split by the new one)', HttpStatus.OK)
  relocate(
    @Param('uscc', UsccParamPipe) uscc: string,
    @Body() body: RelocateApplicantRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.OK,
      command: (metadata) =>
        new RelocateApplicantCommand({
          type: 'RelocateApplicant',
          data: { uscc, district: body.district, effectiveDate: body.effectiveDate },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
