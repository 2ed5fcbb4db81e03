import { decimal } from '@hz/money';
import type { EligibilityPredicate } from './catalog-types';
import { AssessmentInput, dateExclusion, Findings, numericField, textField } from './assess-values';

/** Support year, application deadline and requested amount: facts of the claim, not of the evidence. */
export function checkClaim(input: AssessmentInput, findings: Findings): void {
  const { catalog, draft, program } = input;
  const yearOk =
    Number.isInteger(draft.supportYear) &&
    draft.supportYear >= catalog.supportYearMin &&
    draft.supportYear <= catalog.supportYearMax;
  findings.trace.push({
    step: 'support-year',
    clause: '十三',
    message: `support year ${draft.supportYear} within ${catalog.supportYearMin}..${catalog.supportYearMax}: ${yearOk ? 'yes' : 'no'}`,
  });
  if (!yearOk) {
    const details = {
      supportYear: draft.supportYear,
      supportYearMin: catalog.supportYearMin,
      supportYearMax: catalog.supportYearMax,
    };
    findings.refusals.push({
      code: 'POLICY.SUPPORT_YEAR_OUT_OF_RANGE',
      clause: '十三',
      message: `support year must be ${catalog.supportYearMin}..${catalog.supportYearMax}`,
      details,
    });
  }
  // [interpretation] docs/policy.md §5: a null deadline means applications for in-window activity may come later.
  const deadline = catalog.applicationDeadline;
  if (deadline !== null && (draft.submittedOn === undefined || draft.submittedOn > deadline)) {
    const details = { applicationDeadline: deadline, submittedOn: draft.submittedOn ?? null };
    findings.refusals.push({
      code: 'POLICY.APPLICATION_AFTER_DEADLINE',
      clause: '十三',
      message: `applications close on ${deadline}`,
      details,
    });
  }
  if (draft.requestedAmount.isZero()) {
    findings.refusals.push({
      code: 'POLICY.REQUESTED_AMOUNT_ZERO',
      clause: program.clause,
      message: 'the requested amount must be more than 0.00',
    });
  }
}

/** The one dated fact of programs such as c4-exhibition and c6-talent-event must count (docs/policy.md §5). */
export function checkDatedField(input: AssessmentInput, findings: Findings): void {
  const name = input.program.datedField;
  if (name === null) return;
  const date = textField(input.values, name);
  const reason = dateExclusion(input, date);
  findings.trace.push({
    step: reason === null ? 'date-counted' : 'date-excluded',
    clause: '十三',
    message: `${name} ${date}: ${reason ?? 'counts'}`,
    details: { field: name, date, reason },
  });
  if (reason !== null) {
    findings.refusals.push({
      code: 'POLICY.DATE_NOT_COUNTED',
      clause: '十三',
      message: `${name} ${date} does not count: ${reason}`,
      details: { field: name, date, reason },
    });
  }
}

/** Every eligibility predicate of the program; each failure is one refusal, none stops the others. */
export function checkPredicates(input: AssessmentInput, findings: Findings): void {
  for (const predicate of input.program.eligibility) {
    const outcome = evaluate(input, predicate);
    findings.trace.push({
      step: 'eligibility',
      clause: predicate.clause,
      message: `${outcome.statement}: ${outcome.met ? 'met' : 'not met'}`,
      details: { code: predicate.code, met: outcome.met },
    });
    if (!outcome.met)
      findings.refusals.push({
        code: predicate.code,
        clause: predicate.clause,
        message: `required: ${outcome.statement}`,
        details: outcome.details,
      });
  }
}

interface PredicateOutcome {
  readonly met: boolean;
  readonly statement: string;
  readonly details: { readonly [key: string]: string | boolean };
}

function evaluate(input: AssessmentInput, predicate: EligibilityPredicate): PredicateOutcome {
  const value = numericField(input.values, predicate.field);
  const outcome = (
    met: boolean,
    statement: string,
    details: PredicateOutcome['details'],
  ): PredicateOutcome => ({
    met,
    statement,
    details: { field: predicate.field, value: value.toFixed(), ...details },
  });
  if (predicate.kind === 'minimum') {
    const threshold = decimal(predicate.threshold);
    const met = predicate.inclusive
      ? value.greaterThanOrEqualTo(threshold)
      : value.greaterThan(threshold);
    const statement = `${predicate.field} ${value.toFixed()} ${predicate.inclusive ? '≥' : '>'} ${predicate.threshold}`;
    return outcome(met, statement, {
      threshold: predicate.threshold,
      inclusive: predicate.inclusive,
    });
  }
  // Growth by multiplication, never division: both sides are exact decimals of at most 30 digits (catalog check).
  const prior = numericField(input.values, predicate.priorField);
  const required = prior.times(predicate.minimumRatio);
  const statement = `${predicate.field} ${value.toFixed()} ≥ ${predicate.priorField} ${prior.toFixed()} × ${predicate.minimumRatio} = ${required.toFixed()}`;
  return outcome(value.greaterThanOrEqualTo(required), statement, {
    required: required.toFixed(),
    minimumRatio: predicate.minimumRatio,
  });
}
