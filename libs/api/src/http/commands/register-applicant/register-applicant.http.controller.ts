import { Body, Controller, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { RegisterApplicantCommand } from './register-applicant.command';
import { RegisterApplicantRequest } from './register-applicant.request.dto';

const ROLES: Role[] = ['admin'];

@ApiTags('applicants')
@Controller('applicants')
export class RegisterApplicantHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post()
  @Roles(...ROLES)
  @ApiWrite('Register an applicant (409 if it exists)', HttpStatus.CREATED)
  register(
    @Body() body: RegisterApplicantRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.CREATED,
      command: (metadata) =>
        new RegisterApplicantCommand({
          type: 'RegisterApplicant',
          data: { uscc: body.uscc, name: body.name, district: body.district },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
