import type { EvidenceError, EvidenceValidation } from './api';
import type { PolicyCatalog, ProgramDefinition } from './catalog-types';
import { ParsedEvidence, readObject } from './evidence-read';
import { findProgram, isClaimable } from './registry';

/** The report stops here: a hostile body must not make the error list unbounded. */
export const EVIDENCE_ERRORS_MAX = 100;

export type EvidenceReading =
  | {
      readonly ok: true;
      readonly program: ProgramDefinition;
      readonly values: ParsedEvidence;
      readonly subjectKey: string | null;
    }
  | { readonly ok: false; readonly errors: readonly EvidenceError[] };

/**
 * The shape check of docs/policy.md §3 (HTTP 400): required fields, types, §2 money and decimal strings,
 * calendar dates, enums, bounded sizes, unknown fields refused. Whether the facts make the claim
 * eligible is assess()'s business.
 */
export function validateEvidence(
  catalog: PolicyCatalog,
  programCode: string,
  evidence: unknown,
): EvidenceValidation {
  const reading = readEvidence(catalog, programCode, evidence);
  return reading.ok ? { ok: true, subjectKey: reading.subjectKey } : reading;
}

/** validateEvidence, keeping the parsed values for the rule engine. */
export function readEvidence(
  catalog: PolicyCatalog,
  programCode: string,
  evidence: unknown,
): EvidenceReading {
  const program = findProgram(catalog, programCode);
  if (!program)
    return {
      ok: false,
      errors: [
        {
          code: 'EVIDENCE.PROGRAM_UNKNOWN',
          path: '',
          message: `no program "${programCode}" in ${catalog.id}`,
        },
      ],
    };
  if (!isClaimable(program)) {
    return {
      ok: false,
      errors: [
        {
          code: 'EVIDENCE.PROGRAM_NOT_CLAIMABLE',
          path: '',
          message: `${program.code} takes no claims, so it has no evidence`,
        },
      ],
    };
  }
  const errors: EvidenceError[] = [];
  const values = readObject(program.evidence, evidence, '', errors);
  if (errors.length > 0) return { ok: false, errors: bounded(errors) };
  return { ok: true, program, values, subjectKey: subjectKeyOf(program, values) };
}

function subjectKeyOf(program: ProgramDefinition, values: ParsedEvidence): string | null {
  if (program.subjectKeyField === null) return null;
  // The catalog check guarantees a text field, and a valid reading holds every field.
  return values.get(program.subjectKeyField)?.value as string;
}

function bounded(errors: readonly EvidenceError[]): readonly EvidenceError[] {
  if (errors.length <= EVIDENCE_ERRORS_MAX) return errors;
  const more = errors.length - (EVIDENCE_ERRORS_MAX - 1);
  return [
    ...errors.slice(0, EVIDENCE_ERRORS_MAX - 1),
    { code: 'EVIDENCE.TOO_MANY_ERRORS', path: '', message: `${more} more errors not listed` },
  ];
}
