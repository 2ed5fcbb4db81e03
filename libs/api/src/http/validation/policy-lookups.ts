/**
 * Catalog look-ups for request validation. DTO decorators are static, so field checks accept a code
 * known to any catalog this build ships; the catalog in force still decides claimability (422).
 */
import { HttpStatus } from '@nestjs/common';
import { isKnownDistrict, listCatalogs, validateEvidence, type PolicyCatalog } from '@hz/policy';
import { ApiError } from '../errors/error-body';

export function isKnownDistrictCode(code: string): boolean {
  return listCatalogs().some((catalog) => isKnownDistrict(catalog, code));
}

export function isKnownProgramCode(code: string): boolean {
  return listCatalogs().some((catalog) =>
    catalog.programs.some((program) => program.code === code),
  );
}

/**
 * The policy engine's shape check of the evidence, run before anything is recorded so that a malformed
 * claim is a clean 400 (`details` lists every problem with its EVIDENCE.* code and path).
 */
export function assertEvidenceValid(
  catalog: PolicyCatalog,
  programCode: string,
  evidence: Record<string, unknown>,
): void {
  const validation = validateEvidence(catalog, programCode, evidence);
  if (validation.ok) return;
  // Not claimable is a rule of the policy (422 CLAIM.PROGRAM_NOT_CLAIMABLE from the ledger), not malformed input.
  if (validation.errors.every((error) => error.code === 'EVIDENCE.PROGRAM_NOT_CLAIMABLE')) return;
  const details = validation.errors.map((error) => ({
    path: error.path === '' ? 'evidence' : `evidence.${error.path}`,
    code: error.code,
    message: error.message,
  }));
  // The first problem names the error, so a client can branch on `error.code` alone; details list all.
  const code = details[0]?.code ?? 'EVIDENCE.INVALID';
  throw new ApiError(
    HttpStatus.BAD_REQUEST,
    code,
    'the evidence does not match what the program needs',
    details,
  );
}
