import type { DistrictGroupId } from './api';
import type { DistrictDefinition, PolicyCatalog, ProgramDefinition } from './catalog-types';
import { HZ_CBEC_2023 } from './catalogs/hz-cbec-2023';
import { PolicyError } from './errors';
import { isClaimableScope } from './catalog-builders';

/**
 * Every catalog this build knows, by id; a new policy version is one more entry here (and a version in
 * the deployment's PolicySchedule, docs/policy.md §11). Known means readable: the auditor recomputes
 * decisions under it and request validation knows its codes; the schedule decides what is in force.
 */
const CATALOGS: PolicyCatalog[] = [HZ_CBEC_2023];

/**
 * Makes one more catalog known to this process (a test amendment, docs/policy.md §11). The same catalog
 * again is a no-op; another catalog under a known id is refused, since a recorded policyId must name
 * one catalog.
 */
export function registerCatalog(catalog: PolicyCatalog): void {
  const known = getCatalog(catalog.id);
  if (known?.hash === catalog.hash) return;
  if (known !== undefined)
    throw new RangeError(`catalog ${catalog.id} is already known with another hash`);
  CATALOGS.push(catalog);
}

export function getCatalog(id: string): PolicyCatalog | undefined {
  return CATALOGS.find((catalog) => catalog.id === id);
}

export function listCatalogs(): PolicyCatalog[] {
  return [...CATALOGS];
}

export function findProgram(catalog: PolicyCatalog, code: string): ProgramDefinition | undefined {
  return byCode(catalog.programs).get(code);
}

/**
 * A catalog's programs or districts by code, built once per list (issue 13: verify's recompute looks a
 * program up three times per claim and a district once per decision; a catalog is immutable, its lists
 * `readonly`). Keyed by the list itself, so a catalog built with other lists gets its own index; the
 * first entry of a code wins, as `Array.prototype.find` answered.
 */
const indexes = new WeakMap<readonly { readonly code: string }[], Map<string, unknown>>();

function byCode<T extends { readonly code: string }>(list: readonly T[]): ReadonlyMap<string, T> {
  let index = indexes.get(list) as Map<string, T> | undefined;
  if (index === undefined) {
    index = new Map();
    for (const entry of list) if (!index.has(entry.code)) index.set(entry.code, entry);
    indexes.set(list, index);
  }
  return index;
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
  return byCode(catalog.districts).get(code);
}

export function isKnownDistrict(catalog: PolicyCatalog, code: string): boolean {
  return findDistrict(catalog, code) !== undefined;
}

export function districtGroupOf(catalog: PolicyCatalog, code: string): DistrictGroupId | undefined {
  return findDistrict(catalog, code)?.group;
}
