import type { DistrictGroupId } from './api';
import type { DistrictDefinition, PolicyCatalog, ProgramDefinition } from './catalog-types';
import { HZ_CBEC_2023 } from './catalogs/hz-cbec-2023';
import { PolicyError } from './errors';
import { isClaimableScope } from './scope-kinds';

/** Every catalog this build knows, by id; a new policy version is one more entry here. */
const CATALOGS: readonly PolicyCatalog[] = [HZ_CBEC_2023];

export function getCatalog(id: string): PolicyCatalog | undefined {
  return CATALOGS.find((catalog) => catalog.id === id);
}

export function listCatalogs(): PolicyCatalog[] {
  return [...CATALOGS];
}

export function findProgram(catalog: PolicyCatalog, code: string): ProgramDefinition | undefined {
  return catalog.programs.find((program) => program.code === code);
}

/** The program, or PolicyError POLICY.PROGRAM_UNKNOWN (fiscalSplit and scopeKey refuse alike). */
export function requireProgram(catalog: PolicyCatalog, programCode: string): ProgramDefinition {
  const program = findProgram(catalog, programCode);
  if (!program)
    throw new PolicyError(
      'POLICY.PROGRAM_UNKNOWN',
      `no program "${programCode}" in ${catalog.id}`,
      { programCode },
    );
  return program;
}

/** c7 sets no amount and c9 is an allocation to districts: neither takes claims. */
export function isClaimable(program: ProgramDefinition): boolean {
  return isClaimableScope(program.scope);
}

export function findDistrict(catalog: PolicyCatalog, code: string): DistrictDefinition | undefined {
  return catalog.districts.find((district) => district.code === code);
}

export function isKnownDistrict(catalog: PolicyCatalog, code: string): boolean {
  return findDistrict(catalog, code) !== undefined;
}

export function districtGroupOf(catalog: PolicyCatalog, code: string): DistrictGroupId | undefined {
  return findDistrict(catalog, code)?.group;
}
