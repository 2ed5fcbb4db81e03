/**
 * The shape of a policy catalog. A catalog is plain data (strings, integers, booleans, arrays, objects and
 * Money, which serialises to a 2-digit string), so that it can be hashed, served at GET /policies and
 * replaced by a new version without new code paths.
 */
import type { Money } from '@hz/money';
import type { DistrictGroupId, FundingKind, ScopeKind } from './api';

/** ISO calendar date 'YYYY-MM-DD'. */
export type IsoDate = string;
/** A non-negative decimal string of docs/policy.md §2 ('0.7', '6', '3000'). */
export type DecimalString = string;

export interface DistrictDefinition {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly group: DistrictGroupId;
  /** The city's share for split-funded programs, e.g. '0.5'; the district pays the rest (clause 十一). */
  readonly cityRate: DecimalString;
}

/** The evidence fields a program needs; every field listed is required and no other field is accepted. */
export interface EvidenceSchema {
  readonly fields: { readonly [name: string]: FieldSpec };
}

export type FieldSpec =
  | { readonly kind: 'text' }
  | { readonly kind: 'money'; readonly positive: boolean }
  | { readonly kind: 'decimal' }
  | { readonly kind: 'integer'; readonly minimum: number }
  | { readonly kind: 'date' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'enum-set'; readonly values: readonly string[] }
  | { readonly kind: 'list'; readonly item: EvidenceSchema; readonly maxItems: number };

export type FieldKind = FieldSpec['kind'];

/** What the rule gives before caps. */
export type RuleDefinition =
  | { readonly kind: 'fixed'; readonly amount: Money }
  | { readonly kind: 'percentage-of-items'; readonly rate: DecimalString; readonly base: ItemsBase }
  | {
      readonly kind: 'percentage-of-limited-field';
      readonly rate: DecimalString;
      /** base = min(field, limitMultiplier × limitField) */
      readonly field: string;
      readonly limitField: string;
      readonly limitMultiplier: DecimalString;
    }
  | { readonly kind: 'tiers'; readonly field: string; readonly tiers: readonly TierDefinition[] };

/** The base of a percentage rule: the sum of the amounts of the dated items that count (docs/policy.md §5). */
export interface ItemsBase {
  readonly listField: string;
  readonly amountField: string;
  readonly dateField: string;
}

/** Reached when the field is ≥ threshold (inclusive, 含) or > threshold; the highest tier reached wins. */
export interface TierDefinition {
  readonly threshold: Money;
  readonly inclusive: boolean;
  readonly amount: Money;
}

/**
 * A cap and the grants it counts: `annual` the same program and support year, `one-time` the same
 * program, `subject` the same program and subject key, `applicant-total` the same program over all subjects.
 * The amount is either fixed or the rule amount itself (the tier of c5-logistics-revenue).
 */
export interface CapDefinition {
  readonly kind: 'annual' | 'one-time' | 'subject' | 'applicant-total';
  readonly amount: Money | 'rule-amount';
  readonly clause: string;
}

/** An eligibility condition beyond the rule; failing it refuses the claim with `code`. */
export type EligibilityPredicate =
  | {
      readonly kind: 'minimum';
      readonly field: string;
      readonly threshold: DecimalString;
      /** true: field ≥ threshold; false: field > threshold ("超过 3000 平方米" is strict). */
      readonly inclusive: boolean;
      readonly code: string;
      readonly clause: string;
    }
  | {
      readonly kind: 'growth';
      readonly field: string;
      readonly priorField: string;
      /** field ≥ priorField × minimumRatio, compared by multiplication so nothing is rounded. */
      readonly minimumRatio: DecimalString;
      readonly code: string;
      readonly clause: string;
    };

export interface ProgramDefinition {
  readonly code: string;
  readonly clause: string;
  readonly titleZh: string;
  readonly titleEn: string;
  readonly scope: ScopeKind;
  /** The evidence field naming the subject of a per-subject program (exhibitionId, warehouseId, eventId). */
  readonly subjectKeyField: string | null;
  /** null for programs that set no amount (c7) or are allocations (c9). */
  readonly rule: RuleDefinition | null;
  readonly caps: readonly CapDefinition[];
  readonly funding: FundingKind;
  readonly evidence: EvidenceSchema;
  /** A top-level date field that must count (docs/policy.md §5), e.g. the date of an exhibition. */
  readonly datedField: string | null;
  readonly eligibility: readonly EligibilityPredicate[];
}

export interface PolicyCatalogContent {
  readonly id: string;
  readonly documentNumber: string;
  readonly title: string;
  readonly titleEn: string;
  /** Policy window, both ends inclusive (clause 十三). */
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate;
  readonly supportYearMin: number;
  readonly supportYearMax: number;
  /** [interpretation] docs/policy.md §5: null means submissions are not limited by date. */
  readonly applicationDeadline: IsoDate | null;
  /** Approvals of this amount or more wait for a second reviewer; the application may override it. */
  readonly countersignThreshold: Money;
  readonly districts: readonly DistrictDefinition[];
  readonly programs: readonly ProgramDefinition[];
}

export interface PolicyCatalog extends PolicyCatalogContent {
  /** SHA-256 hex of the canonical JSON of the content (everything but this field). */
  readonly hash: string;
}
