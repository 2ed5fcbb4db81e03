import { assertInvariant, decimal, DecimalValue, Money } from '@hz/money';
import type {
  Assessment,
  CapRoom,
  ClaimDraft,
  EvidenceError,
  GrantInScope,
  RuleRefusal,
  TraceStep,
} from './api';
import type {
  CapDefinition,
  EligibilityPredicate,
  PolicyCatalog,
  ProgramDefinition,
  RuleDefinition,
  TierDefinition,
} from './catalog-types';
import { readEvidence, type ParsedEvidence, type ParsedValue } from './evidence';
import { findProgram, isClaimable } from './registry';
import { scopeKey } from './scope';

/**
 * Assesses a claim against the catalog (docs/policy.md §3, §5): every refusal reason, the rule amount, each
 * cap with its room counting only the grants of its scope, and the ceiling = min(requested, rule amount,
 * every room), 0.00 when not eligible. A cap with no room left is a refusal (POLICY.CAP_EXHAUSTED): such
 * a claim could never be approved, so it is not recorded; room that comes back after a revocation is seen
 * by the next submission. Pure and deterministic: inputs are only read.
 */
export function assess(
  catalog: PolicyCatalog,
  draft: ClaimDraft,
  grants: readonly GrantInScope[],
  options: AssessOptions = {},
): Assessment {
  const program = findProgram(catalog, draft.programCode);
  if (!program) {
    return refusedUpFront(catalog, draft, undefined, {
      code: 'POLICY.PROGRAM_UNKNOWN',
      clause: '—',
      message: `no program "${draft.programCode}" in ${catalog.id}`,
    });
  }
  if (!isClaimable(program)) {
    return refusedUpFront(catalog, draft, program, {
      code: 'POLICY.PROGRAM_NOT_CLAIMABLE',
      clause: program.clause,
      message: `${program.code} takes no claims (${program.scope})`,
    });
  }
  const reading = readEvidence(catalog, program.code, draft.evidence);
  if (!reading.ok) {
    // A failed reading always carries at least one error.
    const first = reading.errors[0] as EvidenceError;
    const details = { errors: reading.errors.length, firstCode: first.code, firstPath: first.path };
    return refusedUpFront(catalog, draft, program, {
      code: 'POLICY.EVIDENCE_INVALID',
      clause: '—',
      message: 'the evidence is malformed; see validateEvidence',
      details,
    });
  }
  const input: AssessmentInput = {
    catalog,
    program,
    draft,
    values: reading.values,
    subjectKey: reading.subjectKey,
  };
  // Untraced, no trace step is built (its messages format amounts): `trace` is then empty, and every
  // other field is what the traced assessment gives (assess-properties.unit.spec.ts holds it).
  const findings: Findings = { refusals: [], trace: options.trace === false ? null : [] };
  findings.trace?.push({
    step: 'program',
    clause: program.clause,
    message: `${program.code}: ${program.titleEn} (${program.scope}, ${program.funding} funding)`,
  });
  checkClaim(input, findings);
  checkDatedField(input, findings);
  const { base, ruleAmount } = applyRule(input, findings);
  checkPredicates(input, findings);
  checkScope(input, grants, findings);
  const caps = capRooms(input, ruleAmount, grants, findings);
  if (ruleAmount.isZero() && findings.refusals.length === 0) {
    findings.refusals.push({
      code: 'POLICY.RULE_AMOUNT_ZERO',
      clause: program.clause,
      message: 'the rule gives 0.00: nothing could be approved',
    });
  }
  const eligible = findings.refusals.length === 0;
  const ceiling = eligible ? lowest(draft.requestedAmount, ruleAmount, caps) : Money.ZERO;
  // Every zero that could reach the minimum (request, rule, a room used up) is a refusal above.
  assertInvariant(!eligible || ceiling.isPositive(), 'an eligible claim has a positive ceiling');
  findings.trace?.push({
    step: 'ceiling',
    clause: program.clause,
    message: eligible
      ? `min(requested ${draft.requestedAmount.toString()}, rule ${ruleAmount.toString()}, every room)`
      : 'not eligible',
    amount: ceiling.toString(),
  });
  return {
    policyId: catalog.id,
    catalogHash: catalog.hash,
    programCode: program.code,
    scopeKind: program.scope,
    scopeKey: scopeKey(catalog, program.code, draft.supportYear, reading.subjectKey),
    subjectKey: reading.subjectKey,
    eligible,
    refusals: findings.refusals,
    base,
    ruleAmount,
    caps,
    ceiling,
    trace: findings.trace ?? [],
  };
}

/** min(requested, rule amount, every room): Money.min without an array of the rooms (issue 13). */
function lowest(requested: Money, ruleAmount: Money, caps: readonly CapRoom[]): Money {
  let low = ruleAmount.lessThan(requested) ? ruleAmount : requested;
  for (const cap of caps) if (cap.room.lessThan(low)) low = cap.room;
  return low;
}

/**
 * `trace: false` (verify's decision recompute, issue 13, which reads the amounts and never the trace):
 * the same assessment without its trace steps, whose messages format every amount.
 */
export interface AssessOptions {
  readonly trace?: boolean;
}

/** An assessment that stops before the rules: the program is unknown or takes no claims, or the evidence is unreadable. */
function refusedUpFront(
  catalog: PolicyCatalog,
  draft: ClaimDraft,
  program: ProgramDefinition | undefined,
  refusal: RuleRefusal,
): Assessment {
  return {
    policyId: catalog.id,
    catalogHash: catalog.hash,
    programCode: draft.programCode,
    scopeKind: program?.scope ?? 'not-claimable',
    // Without a readable subject the widest scope of the program is the honest key.
    scopeKey: draft.programCode,
    subjectKey: null,
    eligible: false,
    refusals: [refusal],
    base: null,
    ruleAmount: Money.ZERO,
    caps: [],
    ceiling: Money.ZERO,
    trace: [{ step: 'refused', clause: refusal.clause, message: refusal.message }],
  };
}

// ---- What every step reads and writes ----

/** What every step of an assessment reads. */
interface AssessmentInput {
  readonly catalog: PolicyCatalog;
  readonly program: ProgramDefinition;
  readonly draft: ClaimDraft;
  readonly values: ParsedEvidence;
  readonly subjectKey: string | null;
}

/** What the steps write: local arrays, so assess stays pure toward its inputs. */
interface Findings {
  readonly refusals: RuleRefusal[];
  /** null: untraced (AssessOptions.trace false), no step is built. */
  readonly trace: TraceStep[] | null;
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
  // The message is built only when the invariant fails (issue 13: verify's recompute reads every field
  // of every claim, and the message joined the kinds on each read).
  if (found === undefined || !(kinds as readonly string[]).includes(found.kind))
    assertInvariant(false, `evidence field ${name} is one of ${kinds.join('/')}`);
  return found.value as ValueOf<K>;
}

const moneyField = (values: ParsedEvidence, name: string): Money => field(values, name, ['money']);
const textField = (values: ParsedEvidence, name: string): string =>
  field(values, name, ['text', 'date']);
const listField = (values: ParsedEvidence, name: string): readonly ParsedEvidence[] =>
  field(values, name, ['list']);

/** Money, decimal and integer fields as one exact Decimal, for threshold comparisons. */
function numericField(values: ParsedEvidence, name: string): DecimalValue {
  const value = field(values, name, ['money', 'decimal', 'integer']);
  if (value instanceof Money) return value.decimal;
  return typeof value === 'number' ? decimal(value) : value;
}

/** Why a dated fact does not count (docs/policy.md §5), or null when it counts. */
function dateExclusion(
  input: AssessmentInput,
  date: string,
): 'OUTSIDE_POLICY_WINDOW' | 'OUTSIDE_SUPPORT_YEAR' | null {
  if (date < input.catalog.validFrom || date > input.catalog.validTo)
    return 'OUTSIDE_POLICY_WINDOW';
  if (input.program.scope === 'annual' && !date.startsWith(`${input.draft.supportYear}-`))
    return 'OUTSIDE_SUPPORT_YEAR';
  return null;
}

// ---- Facts of the claim, the dated field and the eligibility predicates ----

/** Support year, application deadline and requested amount: facts of the claim, not of the evidence. */
function checkClaim(input: AssessmentInput, findings: Findings): void {
  const { catalog, draft, program } = input;
  const yearOk =
    Number.isInteger(draft.supportYear) &&
    draft.supportYear >= catalog.supportYearMin &&
    draft.supportYear <= catalog.supportYearMax;
  findings.trace?.push({
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
function checkDatedField(input: AssessmentInput, findings: Findings): void {
  const name = input.program.datedField;
  if (name === null) return;
  const date = textField(input.values, name);
  const reason = dateExclusion(input, date);
  findings.trace?.push({
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
function checkPredicates(input: AssessmentInput, findings: Findings): void {
  for (const predicate of input.program.eligibility) {
    const outcome = evaluate(input, predicate, findings.trace !== null);
    findings.trace?.push({
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

/**
 * A met predicate of an untraced assessment: its statement and details are read by nothing (no trace
 * step, no refusal), so they are not made (issue 13: verify's recompute formatted every value of every
 * claim's predicates with toFixed; assess-properties.unit.spec.ts holds the untraced assessment to the
 * traced one).
 */
const MET_UNDESCRIBED: PredicateOutcome = { met: true, statement: '', details: {} };

/** A predicate's threshold as a Decimal, parsed once per predicate (catalogs are immutable). */
const thresholds = new WeakMap<EligibilityPredicate, DecimalValue>();

function thresholdOf(predicate: Extract<EligibilityPredicate, { kind: 'minimum' }>): DecimalValue {
  let threshold = thresholds.get(predicate);
  if (threshold === undefined)
    thresholds.set(predicate, (threshold = decimal(predicate.threshold)));
  return threshold;
}

/** `describeMet`: whether a met predicate needs its statement (traced); an unmet one always has it. */
function evaluate(
  input: AssessmentInput,
  predicate: EligibilityPredicate,
  describeMet: boolean,
): PredicateOutcome {
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
    const threshold = thresholdOf(predicate);
    const met = predicate.inclusive
      ? value.greaterThanOrEqualTo(threshold)
      : value.greaterThan(threshold);
    if (met && !describeMet) return MET_UNDESCRIBED;
    const statement = `${predicate.field} ${value.toFixed()} ${predicate.inclusive ? '≥' : '>'} ${predicate.threshold}`;
    return outcome(met, statement, {
      threshold: predicate.threshold,
      inclusive: predicate.inclusive,
    });
  }
  // Growth by multiplication, never division: both sides are exact decimals of at most 30 digits (catalog check).
  const prior = numericField(input.values, predicate.priorField);
  const required = prior.times(predicate.minimumRatio);
  const met = value.greaterThanOrEqualTo(required);
  if (met && !describeMet) return MET_UNDESCRIBED;
  const statement = `${predicate.field} ${value.toFixed()} ≥ ${predicate.priorField} ${prior.toFixed()} × ${predicate.minimumRatio} = ${required.toFixed()}`;
  return outcome(met, statement, {
    required: required.toFixed(),
    minimumRatio: predicate.minimumRatio,
  });
}

// ---- The rule amount ----

interface RuleOutcome {
  /** The base a percentage applies to, null for fixed and tier rules. */
  readonly base: Money | null;
  readonly ruleAmount: Money;
}

type Rule<K extends RuleDefinition['kind']> = Extract<RuleDefinition, { kind: K }>;

/** What the rule gives before caps (docs/policy.md §3), with a trace step for each thing it used. */
function applyRule(input: AssessmentInput, findings: Findings): RuleOutcome {
  // Claimable programs always have a rule (catalog check), and only claimable programs get here.
  const rule = input.program.rule as RuleDefinition;
  switch (rule.kind) {
    case 'fixed':
      findings.trace?.push({
        step: 'rule',
        clause: input.program.clause,
        message: `fixed amount ${rule.amount.toString()}`,
        amount: rule.amount.toString(),
      });
      return { base: null, ruleAmount: rule.amount };
    case 'percentage-of-items':
      return percentageOf(input, rule.rate, itemsBase(input, rule, findings), findings);
    case 'percentage-of-limited-field':
      return percentageOf(input, rule.rate, limitedBase(input, rule, findings), findings);
    case 'tiers':
      return { base: null, ruleAmount: tierAmount(input, rule, findings) };
  }
}

/** Sum of the dated items that count (docs/policy.md §5); the others stay in the trace with the reason. */
function itemsBase(
  input: AssessmentInput,
  rule: Rule<'percentage-of-items'>,
  findings: Findings,
): Money {
  const { listField: list, amountField, dateField } = rule.base;
  const counted: Money[] = [];
  listField(input.values, list).forEach((item, index) => {
    const date = textField(item, dateField);
    const amount = moneyField(item, amountField);
    const reason = dateExclusion(input, date);
    if (reason === null) counted.push(amount);
    findings.trace?.push({
      step: reason === null ? 'item-counted' : 'item-excluded',
      clause: reason === null ? input.program.clause : '十三',
      message: `${list}[${index}] dated ${date}: ${reason === null ? 'counts' : reason}`,
      amount: amount.toString(),
      details: { index, date, reason },
    });
  });
  const base = Money.sum(counted);
  findings.trace?.push({
    step: 'base',
    clause: input.program.clause,
    message: `${counted.length} item(s) count`,
    amount: base.toString(),
  });
  return base;
}

/** min(field, k × limitField): [interpretation] of "不超过 6 个标准展位费" for c4-exhibition. */
function limitedBase(
  input: AssessmentInput,
  rule: Rule<'percentage-of-limited-field'>,
  findings: Findings,
): Money {
  const value = moneyField(input.values, rule.field);
  const limit = moneyField(input.values, rule.limitField).timesRoundDown(rule.limitMultiplier);
  const base = Money.min(value, limit);
  findings.trace?.push({
    step: 'base',
    clause: input.program.clause,
    message: `min(${rule.field} ${value.toString()}, ${rule.limitMultiplier} × ${rule.limitField} = ${limit.toString()})`,
    amount: base.toString(),
  });
  return base;
}

/** ROUND_DOWN(rate × base, 2): "不超过" never rounds past the rule (docs/policy.md §2). */
function percentageOf(
  input: AssessmentInput,
  rate: string,
  base: Money,
  findings: Findings,
): RuleOutcome {
  const clause = input.program.clause;
  if (base.isZero())
    findings.refusals.push({
      code: 'POLICY.BASE_ZERO',
      clause,
      message: 'nothing counts toward the base: the claim is not eligible',
    });
  const ruleAmount = base.timesRoundDown(rate);
  findings.trace?.push({
    step: 'rule',
    clause,
    message: `${rate} × ${base.toString()}, rounded down to the fen`,
    amount: ruleAmount.toString(),
    details: { rate },
  });
  return { base, ruleAmount };
}

/** The highest tier reached, whatever the order the catalog lists them in; 0.00 below the lowest. */
function tierAmount(input: AssessmentInput, rule: Rule<'tiers'>, findings: Findings): Money {
  const value = moneyField(input.values, rule.field);
  const reached = rule.tiers.filter((tier) =>
    tier.inclusive ? value.greaterThanOrEqual(tier.threshold) : value.greaterThan(tier.threshold),
  );
  const top = reached.reduce<TierDefinition | undefined>(
    (best, tier) =>
      best === undefined || tier.threshold.greaterThan(best.threshold) ? tier : best,
    undefined,
  );
  const amount = top === undefined ? Money.ZERO : top.amount;
  findings.trace?.push({
    step: 'rule',
    clause: input.program.clause,
    message:
      top === undefined
        ? `${rule.field} ${value.toString()} reaches no tier`
        : `${rule.field} ${value.toString()} ${top.inclusive ? '≥' : '>'} ${top.threshold.toString()}`,
    amount: amount.toString(),
  });
  return amount;
}

// ---- The scope and the caps ----

/**
 * One-time and per-subject scopes hold at most one grant (docs/policy.md §3). A grant reduced to 0.00 by
 * revocations no longer counts: the one-time flag comes back with the room.
 */
function checkScope(
  input: AssessmentInput,
  grants: readonly GrantInScope[],
  findings: Findings,
): void {
  const { program, subjectKey } = input;
  if (program.scope === 'annual') return;
  const awarded = grants.filter(
    (grant) =>
      grant.programCode === program.code &&
      grant.amount.isPositive() &&
      (program.scope === 'one-time' || grant.subjectKey === subjectKey),
  );
  const first = awarded[0];
  if (first === undefined) return;
  const where =
    program.scope === 'one-time'
      ? program.code
      : `${program.code} ${program.subjectKeyField} ${subjectKey}`;
  const details = {
    claimId: first.claimId,
    amount: first.amount.toString(),
    grants: awarded.length,
  };
  findings.refusals.push({
    code: 'POLICY.ALREADY_AWARDED',
    clause: program.clause,
    message: `already awarded once in ${where}`,
    details,
  });
}

/** Each cap of the program with its room, counting only the grants in that cap's scope. */
function capRooms(
  input: AssessmentInput,
  ruleAmount: Money,
  grants: readonly GrantInScope[],
  findings: Findings,
): CapRoom[] {
  return input.program.caps.map((definition) => {
    const cap = definition.amount === 'rule-amount' ? ruleAmount : definition.amount;
    const granted = Money.sum(
      grants.filter((grant) => countsToward(input, definition, grant)).map((grant) => grant.amount),
    );
    const room: CapRoom = {
      capId: capId(input, definition),
      clause: definition.clause,
      cap,
      granted,
      // Nothing granted leaves the whole cap (cap − 0.00, without a Decimal subtraction per cap; issue 13).
      room: granted.isZero() ? cap : cap.minusFloorZero(granted),
    };
    findings.trace?.push({
      step: 'cap',
      clause: room.clause,
      message: `${room.capId}: cap ${cap.toString()}, granted ${granted.toString()}, room ${room.room.toString()}`,
      amount: room.room.toString(),
      details: { capId: room.capId, cap: cap.toString(), granted: granted.toString() },
    });
    if (room.room.isZero() && granted.isPositive()) {
      findings.refusals.push({
        code: 'POLICY.CAP_EXHAUSTED',
        clause: room.clause,
        message: `no room left under ${room.capId}`,
        details: { capId: room.capId, cap: cap.toString(), granted: granted.toString() },
      });
    }
    return room;
  });
}

function countsToward(
  input: AssessmentInput,
  definition: CapDefinition,
  grant: GrantInScope,
): boolean {
  if (grant.programCode !== input.program.code) return false;
  if (definition.kind === 'annual') return grant.supportYear === input.draft.supportYear;
  if (definition.kind === 'subject') return grant.subjectKey === input.subjectKey;
  return true;
}

/** Stable ids: 'annual:c1-platform:2024', 'one-time:c3-trademark', 'subject:c5-consolidation-warehouse:W1', 'applicant-total:…'. */
function capId(input: AssessmentInput, definition: CapDefinition): string {
  const code = input.program.code;
  if (definition.kind === 'annual') return `annual:${code}:${input.draft.supportYear}`;
  if (definition.kind === 'subject') return `subject:${code}:${input.subjectKey}`;
  return `${definition.kind}:${code}`;
}
