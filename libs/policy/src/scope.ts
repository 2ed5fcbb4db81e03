import { PolicyError } from './errors';
import type { PolicyCatalog } from './catalog-types';
import { requireProgram } from './registry';

/**
 * The key of the scope a grant counts in (docs/policy.md §3): 'c1-platform/2024' (annual), 'c3-trademark'
 * (one-time), 'c4-exhibition/EXPO-1' (per-subject). The ledger refuses a second open claim in a
 * one-time or per-subject scope by this key. Programs without claims (c7, c9) key by their code.
 */
export function scopeKey(
  catalog: PolicyCatalog,
  programCode: string,
  supportYear: number,
  subjectKey: string | null,
): string {
  const program = requireProgram(catalog, programCode);
  if (program.scope === 'annual') return `${program.code}/${supportYear}`;
  if (program.scope !== 'per-subject') return program.code;
  if (subjectKey === null)
    throw new PolicyError(
      'POLICY.SUBJECT_KEY_REQUIRED',
      `${program.code} is per ${program.subjectKeyField}`,
      { programCode },
    );
  return `${program.code}/${subjectKey}`;
}
