import { Money } from '@hz/money';
import type { RuleDefinition, TierDefinition } from './catalog-types';
import {
  AssessmentInput,
  dateExclusion,
  Findings,
  listField,
  moneyField,
  textField,
} from './assess-values';

export interface RuleOutcome {
  /** The base a percentage applies to, null for fixed and tier rules. */
  readonly base: Money | null;
  readonly ruleAmount: Money;
}

type Rule<K extends RuleDefinition['kind']> = Extract<RuleDefinition, { kind: K }>;

/** What the rule gives before caps (docs/policy.md §3), with a trace step for each thing it used. */
export function applyRule(input: AssessmentInput, findings: Findings): RuleOutcome {
  // Claimable programs always have a rule (catalog check), and only claimable programs get here.
  const rule = input.program.rule as RuleDefinition;
  switch (rule.kind) {
    case 'fixed':
      findings.trace.push({
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
    findings.trace.push({
      step: reason === null ? 'item-counted' : 'item-excluded',
      clause: reason === null ? input.program.clause : '十三',
      message: `${list}[${index}] dated ${date}: ${reason === null ? 'counts' : reason}`,
      amount: amount.toString(),
      details: { index, date, reason },
    });
  });
  const base = Money.sum(counted);
  findings.trace.push({
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
  const message = `min(${rule.field} ${value.toString()}, ${rule.limitMultiplier} × ${rule.limitField} = ${limit.toString()})`;
  findings.trace.push({
    step: 'base',
    clause: input.program.clause,
    message,
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
  findings.trace.push({
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
  const message =
    top === undefined
      ? `${rule.field} ${value.toString()} reaches no tier`
      : `${rule.field} ${value.toString()} ${top.inclusive ? '≥' : '>'} ${top.threshold.toString()}`;
  findings.trace.push({
    step: 'rule',
    clause: input.program.clause,
    message,
    amount: amount.toString(),
  });
  return amount;
}
