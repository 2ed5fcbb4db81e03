/**
 * The catalog's vocabulary: the limits of evidence, which scopes take claims, and small constructors that
 * keep catalog data readable (they add nothing a literal could not say). A leaf module: the catalog check
 * uses it while the catalogs load.
 */
import { Money } from '@hz/money';
import type { ScopeKind } from './api';
import type {
  CapDefinition,
  EvidenceSchema,
  FieldSpec,
  ItemsBase,
  ProgramDefinition,
  RuleDefinition,
} from './catalog-types';

export const TEXT_MAX_LENGTH = 200;
export const ITEMS_MAX = 500;

/** Scopes that take claims; `allocation` (c9) and `not-claimable` (c7) do not. */
const CLAIMABLE_SCOPES: readonly ScopeKind[] = ['annual', 'one-time', 'per-subject'];

export function isClaimableScope(scope: ScopeKind): boolean {
  return CLAIMABLE_SCOPES.includes(scope);
}

export const field = {
  text: (): FieldSpec => ({ kind: 'text' }),
  money: (): FieldSpec => ({ kind: 'money', positive: false }),
  positiveMoney: (): FieldSpec => ({ kind: 'money', positive: true }),
  decimal: (): FieldSpec => ({ kind: 'decimal' }),
  count: (): FieldSpec => ({ kind: 'integer', minimum: 0 }),
  date: (): FieldSpec => ({ kind: 'date' }),
  oneOf: (...values: string[]): FieldSpec => ({ kind: 'enum', values }),
  setOf: (...values: string[]): FieldSpec => ({ kind: 'enum-set', values }),
  list: (fields: EvidenceSchema['fields']): FieldSpec => ({
    kind: 'list',
    item: { fields },
    maxItems: ITEMS_MAX,
  }),
};

export const schema = (fields: EvidenceSchema['fields']): EvidenceSchema => ({ fields });

export const fixed = (amount: string): RuleDefinition => ({
  kind: 'fixed',
  amount: Money.parse(amount),
});

/** Dated items `items[]: {date, amount, ...}` as the base of a percentage rule. */
const ITEMS_BASE: ItemsBase = { listField: 'items', amountField: 'amount', dateField: 'date' };

const percentageOfItems = (rate: string): RuleDefinition => ({
  kind: 'percentage-of-items',
  rate,
  base: ITEMS_BASE,
});

export const cap = (
  kind: CapDefinition['kind'],
  amount: string | 'rule-amount',
  clause: string,
): CapDefinition => ({
  kind,
  amount: amount === 'rule-amount' ? amount : Money.parse(amount),
  clause,
});

/** Dated items `items[]: {date, amount, ...extra}`, the base of percentage programs. */
export const datedItems = (extra: EvidenceSchema['fields']): EvidenceSchema =>
  schema({ items: field.list({ date: field.date(), amount: field.money(), ...extra }) });

type Defaulted = 'subjectKeyField' | 'datedField' | 'eligibility' | 'caps';
export type ProgramInput = Omit<ProgramDefinition, Defaulted> &
  Partial<Pick<ProgramDefinition, Defaulted>>;

/** A program with no subject, no dated field, no predicates and no caps unless it says otherwise. */
export const program = (input: ProgramInput): ProgramDefinition => ({
  subjectKeyField: null,
  datedField: null,
  eligibility: [],
  caps: [],
  ...input,
});

/** The cap that fits each claimable scope: per support year, once per policy, or per subject. */
const capKindOf = (scope: ProgramDefinition['scope']): CapDefinition['kind'] =>
  scope === 'annual' ? 'annual' : scope === 'one-time' ? 'one-time' : 'subject';

/** A program with one cap of the kind its scope calls for, at `capAmount`. */
const cappedProgram = (
  capAmount: string,
  rule: ProgramInput['rule'],
  input: Omit<ProgramInput, 'rule'>,
): ProgramDefinition =>
  program({ caps: [cap(capKindOf(input.scope), capAmount, input.clause)], ...input, rule });

/** "给予不超过 N 万元": a fixed rule amount equal to the program's cap. */
export const fixedProgram = (
  amount: string,
  input: Omit<ProgramInput, 'rule'>,
): ProgramDefinition => cappedProgram(amount, fixed(amount), input);

/** "给予不超过费用 R% 的资金扶持，单个企业不超过 N 万元": a percentage of the dated items, capped. */
export const percentageProgram = (
  rate: string,
  capAmount: string,
  input: Omit<ProgramInput, 'rule'>,
): ProgramDefinition => cappedProgram(capAmount, percentageOfItems(rate), input);
