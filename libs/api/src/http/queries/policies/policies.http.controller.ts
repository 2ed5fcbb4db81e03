import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { JsonObject } from '@hz/event-store';
import type { PolicyCatalog } from '@hz/policy';
import { CATALOG } from '../../../tokens';
import { ApiRead } from '../../support/api-docs';
import { PoliciesDoc, PolicyCatalogDoc } from '../../support/view-docs';
import { ApiError } from '../../errors/error-body';
import { toJsonObject } from '../../support/present';

/** The catalog as data: anyone authenticated may read the rules they are judged by. */
@ApiTags('policies')
@Controller('policies')
export class PoliciesHttpController {
  private readonly catalogs: readonly PolicyCatalog[];

  /** CATALOG holds the catalog in force, or every version the ledger knows. */
  constructor(@Inject(CATALOG) catalog: PolicyCatalog | readonly PolicyCatalog[]) {
    this.catalogs = Array.isArray(catalog) ? catalog : [catalog as PolicyCatalog];
  }

  @Get()
  @ApiRead('The policy catalogs this ledger applies (summary)', PoliciesDoc, [401, 429])
  list(): JsonObject {
    const policies = this.catalogs.map((catalog) => ({
      id: catalog.id,
      documentNumber: catalog.documentNumber,
      title: catalog.title,
      titleEn: catalog.titleEn,
      validFrom: catalog.validFrom,
      validTo: catalog.validTo,
      hash: catalog.hash,
      programs: catalog.programs.length,
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
    const catalog = this.catalogs.find((candidate) => candidate.id === id);
    if (!catalog)
      throw new ApiError(404, 'POLICY.NOT_FOUND', `no policy ${JSON.stringify(id.slice(0, 64))}`);
    return toJsonObject(catalog);
  }
}
