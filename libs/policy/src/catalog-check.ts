import { decimal, isDecimalString, Money } from '@hz/money';
import { isIsoDate } from './dates';
import { isClaimableScope } from './catalog-builders';
import type {
  EvidenceSchema,
  FieldKind,
  PolicyCatalogContent,
  ProgramDefinition,
} from './catalog-types';
import type { ScopeKind } from './api';

/** The cap kinds each scope may carry, so that a cap always counts grants of its own scope. */
const CAP_KINDS_BY_SCOPE: { readonly [scope in ScopeKind]: readonly string[] } = {
  annual: ['annual'],
  'one-time': ['one-time'],
  'per-subject': ['subject', 'applicant-total'],
  allocation: [],
  'not-claimable': [],
};

const NUMERIC: readonly FieldKind[] = ['money', 'decimal', 'integer'];
const EMPTY_SCHEMA: EvidenceSchema = { fields: {} };

/** Everything wrong with a catalog, as sentences; empty when it is consistent. */
export function catalogProblems(content: PolicyCatalogContent): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string) => (ok ? undefined : problems.push(problem));
  expect(isUnique(content.programs.map((program) => program.code)), 'program codes must be unique');
  expect(
    isUnique(content.districts.map((district) => district.code)),
    'district codes must be unique',
  );
  const groupRates = new Map<string, string>();
  for (const district of content.districts) {
    expect(
      isDecimalString(district.cityRate) && decimal(district.cityRate).lessThanOrEqualTo(1),
      `${district.code}: cityRate must be a decimal string of at most 1`,
    );
    const groupRate = groupRates.get(district.group) ?? district.cityRate;
    expect(
      groupRate === district.cityRate,
      `${district.code}: every district of group ${district.group} has the same cityRate`,
    );
    groupRates.set(district.group, groupRate);
  }
  expect(
    isIsoDate(content.validFrom) &&
      isIsoDate(content.validTo) &&
      content.validFrom <= content.validTo,
    'the policy window must be two ordered ISO dates',
  );
  expect(
    Number.isInteger(content.supportYearMin) &&
      Number.isInteger(content.supportYearMax) &&
      content.supportYearMin <= content.supportYearMax,
    'support years must be ordered integers',
  );
  expect(
    content.applicationDeadline === null || isIsoDate(content.applicationDeadline),
    'the application deadline must be null or an ISO date',
  );
  for (const program of content.programs) {
    for (const problem of programProblems(program)) problems.push(`${program.code}: ${problem}`);
  }
  return problems;
}

function programProblems(program: ProgramDefinition): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string) => (ok ? undefined : problems.push(problem));
  const fields = program.evidence;
  expect(
    isClaimableScope(program.scope) === (program.rule !== null),
    'claimable programs, and only they, have a rule',
  );
  expect(
    (program.scope === 'per-subject') === (program.subjectKeyField !== null),
    'per-subject programs, and only they, name a subject key field',
  );
  expect(
    program.subjectKeyField === null || kindOf(fields, program.subjectKeyField) === 'text',
    'the subject key is a text field',
  );
  expect(
    program.datedField === null || kindOf(fields, program.datedField) === 'date',
    'the dated field is a date field',
  );
  for (const cap of program.caps)
    expect(
      CAP_KINDS_BY_SCOPE[program.scope].includes(cap.kind),
      `a ${cap.kind} cap does not fit a ${program.scope} scope`,
    );
  for (const [schema, name, kinds] of references(program))
    expect(kinds.includes(kindOf(schema, name)), `field ${name} must be one of ${kinds.join('/')}`);
  for (const text of decimals(program))
    expect(isDecimalString(text), `${text} must be a decimal string`);
  expect(
    amounts(program).every((amount) => amount.isPositive()),
    'fixed amounts, caps and tiers are positive',
  );
  return problems;
}

type Reference = readonly [EvidenceSchema, string, readonly (FieldKind | undefined)[]];

/** Every evidence field the rule and the predicates read, with the kinds they can read. */
function references(program: ProgramDefinition): Reference[] {
  const fields = program.evidence;
  const predicates = program.eligibility.flatMap((predicate): Reference[] =>
    predicate.kind === 'minimum'
      ? [[fields, predicate.field, NUMERIC]]
      : [
          [fields, predicate.field, ['money']],
          [fields, predicate.priorField, ['money']],
        ],
  );
  const rule = program.rule;
  if (rule === null || rule.kind === 'fixed') return predicates;
  if (rule.kind === 'tiers') return [...predicates, [fields, rule.field, ['money']]];
  if (rule.kind === 'percentage-of-limited-field')
    return [...predicates, [fields, rule.field, ['money']], [fields, rule.limitField, ['money']]];
  const list = fields.fields[rule.base.listField];
  const item = list?.kind === 'list' ? list.item : EMPTY_SCHEMA;
  return [
    ...predicates,
    [fields, rule.base.listField, ['list']],
    [item, rule.base.amountField, ['money']],
    [item, rule.base.dateField, ['date']],
  ];
}

/** Every decimal constant of a program, which must have the strict shape so that products stay exact. */
function decimals(program: ProgramDefinition): string[] {
  const fromPredicates = program.eligibility.map((predicate) =>
    predicate.kind === 'minimum' ? predicate.threshold : predicate.minimumRatio,
  );
  const rule = program.rule;
  if (rule === null || rule.kind === 'fixed' || rule.kind === 'tiers') return fromPredicates;
  if (rule.kind === 'percentage-of-items') return [...fromPredicates, rule.rate];
  return [...fromPredicates, rule.rate, rule.limitMultiplier];
}

/** A zero here would make a claim eligible with a ceiling of 0.00, which no approval can meet. */
function amounts(program: ProgramDefinition): Money[] {
  const caps = program.caps.flatMap((cap) => (cap.amount === 'rule-amount' ? [] : [cap.amount]));
  const rule = program.rule;
  if (rule?.kind === 'fixed') return [...caps, rule.amount];
  if (rule?.kind === 'tiers') return [...caps, ...rule.tiers.map((tier) => tier.amount)];
  return caps;
}

function kindOf(schema: EvidenceSchema, name: string): FieldKind | undefined {
  return Object.hasOwn(schema.fields, name) ? schema.fields[name]?.kind : undefined;
}

function isUnique(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}
