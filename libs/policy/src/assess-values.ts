import { assertInvariant, DecimalValue, decimal, Money } from '@hz/money';
import type { RuleRefusal, TraceStep } from './api';
import type { PolicyCatalog, ProgramDefinition } from './catalog-types';
import type { ClaimDraft } from './api';
import type { ParsedEvidence, ParsedValue } from './evidence-read';

/** What every step of an assessment reads. */
export interface AssessmentInput {
  readonly catalog: PolicyCatalog;
  readonly program: ProgramDefinition;
  readonly draft: ClaimDraft;
  readonly values: ParsedEvidence;
  readonly subjectKey: string | null;
}

/** What the steps write: local arrays, so assess stays pure toward its inputs. */
export interface Findings {
  readonly refusals: RuleRefusal[];
  readonly trace: TraceStep[];
}

type ValueOf<K extends ParsedValue['kind']> = Extract<ParsedValue, { kind: K }>['value'];

/**
 * A field of evidence that was validated against the program's schema; the catalog check guarantees
 * that rules only read fields of the right kind, so a miss here is a bug, not an input error.
 */
function field<K extends ParsedValue['kind']>(
  values: ParsedEvidence,
  name: string,
  kinds: readonly K[],
): ValueOf<K> {
  const found = values.get(name);
  assertInvariant(
    found !== undefined && (kinds as readonly string[]).includes(found.kind),
    `evidence field ${name} is one of ${kinds.join('/')}`,
  );
  return found.value as ValueOf<K>;
}

export const moneyField = (values: ParsedEvidence, name: string): Money =>
  field(values, name, ['money']);
export const textField = (values: ParsedEvidence, name: string): string =>
  field(values, name, ['text', 'date']);
export const listField = (values: ParsedEvidence, name: string): readonly ParsedEvidence[] =>
  field(values, name, ['list']);

/** Money, decimal and integer fields as one exact Decimal, for threshold comparisons. */
export function numericField(values: ParsedEvidence, name: string): DecimalValue {
  const value = field(values, name, ['money', 'decimal', 'integer']);
  if (value instanceof Money) return value.decimal;
  return typeof value === 'number' ? decimal(value) : value;
}

/** Why a dated fact does not count (docs/policy.md §5), or null when it counts. */
export function dateExclusion(
  input: AssessmentInput,
  date: string,
): 'OUTSIDE_POLICY_WINDOW' | 'OUTSIDE_SUPPORT_YEAR' | null {
  if (date < input.catalog.validFrom || date > input.catalog.validTo)
    return 'OUTSIDE_POLICY_WINDOW';
  if (input.program.scope === 'annual' && !date.startsWith(`${input.draft.supportYear}-`))
    return 'OUTSIDE_SUPPORT_YEAR';
  return null;
}
