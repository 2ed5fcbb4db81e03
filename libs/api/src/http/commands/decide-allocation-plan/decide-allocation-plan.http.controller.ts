import { Body, Controller, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles, type Role } from '@hz/auth';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { presentWrite } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import { DecideAllocationPlanCommand } from './decide-allocation-plan.command';
import { DecideAllocationPlanRequest } from './decide-allocation-plan.request.dto';

const ROLES: Role[] = ['finance'];

@ApiTags('allocation-plans')
@Controller('allocation-plans')
export class DecideAllocationPlanHttpController {
  constructor(private readonly gateway: WriteGateway) {}

  @Post()
  @Roles(...ROLES)
  @ApiWrite('Decide an allocation plan by factor method (clause 九)', HttpStatus.CREATED)
  decide(
    @Body() body: DecideAllocationPlanRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    const scores = body.scores.map((entry) => ({ district: entry.district, score: entry.score }));
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.CREATED,
      command: (metadata) =>
        new DecideAllocationPlanCommand({
          type: 'DecideAllocationPlan',
          data: { planId: body.planId, pool: body.pool, scores, decidedAt: body.decidedAt },
          metadata,
        }),
      present: presentWrite,
    });
  }
}
