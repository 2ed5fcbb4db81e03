import { Body, Controller, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { assertActsFor, Roles, type AuthUser, type Role } from '@hz/auth';
import type { JsonLike } from '@hz/ledger';
import { ApiWrite } from '../../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../../support/http-types';
import { presentSubmission, SubmitClaimResponseDoc } from '../../support/presenters';
import { WriteGateway } from '../../support/write-gateway';
import type { PolicyCatalog } from '@hz/policy';
import { CATALOG } from '../../../tokens';
import { assertEvidenceValid, catalogInForce } from '../../validation/policy-lookups';
import { SubmitClaimCommand } from './submit-claim.command';
import { SubmitClaimRequest } from './submit-claim.request.dto';

const ROLES: Role[] = ['applicant'];

@ApiTags('claims')
@Controller('claims')
export class SubmitClaimHttpController {
  private readonly catalog: PolicyCatalog;

  constructor(
    private readonly gateway: WriteGateway,
    @Inject(CATALOG) catalog: PolicyCatalog | readonly PolicyCatalog[],
  ) {
    this.catalog = catalogInForce(catalog);
  }

  @Post()
  @Roles(...ROLES)
  @ApiWrite('Submit a claim for the applicant the token acts for', HttpStatus.CREATED)
  @ApiCreatedResponse({ type: SubmitClaimResponseDoc })
  submit(
    @Body() body: SubmitClaimRequest,
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ) {
    assertActsFor(request.user as AuthUser, body.applicant);
    // Malformed evidence is a 400 before anything (the idempotency record included) is written.
    assertEvidenceValid(this.catalog, body.programCode, body.evidence);
    return this.gateway.write({
      request,
      response,
      roles: ROLES,
      status: HttpStatus.CREATED,
      command: (metadata) =>
        new SubmitClaimCommand({
          type: 'SubmitClaim',
          data: {
            applicant: body.applicant,
            programCode: body.programCode,
            supportYear: body.supportYear,
            requestedAmount: body.requestedAmount,
            evidence: body.evidence as { [key: string]: JsonLike },
          },
          metadata,
        }),
      present: presentSubmission,
    });
  }
}
