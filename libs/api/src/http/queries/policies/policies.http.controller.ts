import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { JsonObject } from '@hz/event-store';
import { scheduledVersions, type PolicySchedule, type ScheduledVersion } from '@hz/policy';
import { POLICIES } from '../../../tokens';
import { ApiRead } from '../../support/api-docs';
import { PoliciesDoc, PolicyCatalogDoc } from '../../support/view-docs';
import { ApiError } from '../../errors/error-body';
import { toJsonObject } from '../../support/presenters';

/** The catalog as data: anyone authenticated may read the rules they are judged by. */
@ApiTags('policies')
@Controller('policies')
export class PoliciesHttpController {
  private readonly versions: readonly ScheduledVersion[];

  /** POLICIES: every catalog version with its effective date (docs/policy.md §11). */
  constructor(@Inject(POLICIES) policies: PolicySchedule) {
    this.versions = scheduledVersions(policies);
  }

  @Get()
  @ApiRead('The policy catalogs this ledger applies (summary)', PoliciesDoc, [401, 429])
  list(): JsonObject {
    const policies = this.versions.map(({ catalog, effectiveFrom, effectiveTo }) => ({
      id: catalog.id,
      documentNumber: catalog.documentNumber,
      title: catalog.title,
      titleEn: catalog.titleEn,
      validFrom: catalog.validFrom,
      validTo: catalog.validTo,
      hash: catalog.hash,
      programs: catalog.programs.length,
      effectiveFrom,
      effectiveTo,
    }));
    return { policies };
  }

  @Get(':id')
  @ApiRead(
    'One policy catalog in full: programs, rules, caps, districts, evidence fields',
    PolicyCatalogDoc,
    [401, 404, 429],
    { 404: 'POLICY.NOT_FOUND' },
  )
  get(@Param('id') id: string): JsonObject {
    const catalog = this.versions.find((version) => version.catalog.id === id)?.catalog;
    if (!catalog)
      throw new ApiError(404, 'POLICY.NOT_FOUND', `no policy ${JSON.stringify(id.slice(0, 64))}`);
    return toJsonObject(catalog);
  }
}
