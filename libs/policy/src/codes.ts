/**
 * Every stable code the policy engine produces, with the clause of 杭政办函〔2023〕9号 it comes from
 * ('program' = the clause of the program concerned; '—' = a control of this engine, not of the text).
 * The codes are part of the public contract: they are never renamed, only added.
 */
export interface CodeDescription {
  readonly code: string;
  readonly clause: string;
  readonly when: string;
}

/** Both a refusal of assess() and a PolicyError of fiscalSplit, allocate and scopeKey. */
const PROGRAM_UNKNOWN: CodeDescription = {
  code: 'POLICY.PROGRAM_UNKNOWN',
  clause: '—',
  when: 'the program code is not in the catalog',
};

/** Refusals of assess(): the claim is well-formed but the policy says no (HTTP 422). */
export const POLICY_REFUSAL_CODES: readonly CodeDescription[] = [
  PROGRAM_UNKNOWN,
  {
    code: 'POLICY.PROGRAM_NOT_CLAIMABLE',
    clause: 'program',
    when: 'c7 sets no amount; c9 is an allocation to districts, not a claim',
  },
  {
    code: 'POLICY.EVIDENCE_INVALID',
    clause: '—',
    when: 'the evidence fails validateEvidence (the ledger should have answered 400 first)',
  },
  {
    code: 'POLICY.SUPPORT_YEAR_OUT_OF_RANGE',
    clause: '十三',
    when: 'supportYear is not an integer within supportYearMin..supportYearMax',
  },
  {
    code: 'POLICY.APPLICATION_AFTER_DEADLINE',
    clause: '十三',
    when: 'the catalog sets an application deadline and the submission date is after it or unknown',
  },
  {
    code: 'POLICY.REQUESTED_AMOUNT_ZERO',
    clause: '—',
    when: 'the requested amount is 0.00, so no approval could ever be made',
  },
  {
    code: 'POLICY.DATE_NOT_COUNTED',
    clause: '十三',
    when: 'the only dated fact lies outside the policy window (or, for annual programs, the support year)',
  },
  {
    code: 'POLICY.BASE_ZERO',
    clause: 'program',
    when: 'no dated item counts, or the amounts that count add up to 0.00',
  },
  {
    code: 'POLICY.RULE_AMOUNT_ZERO',
    clause: 'program',
    when: 'nothing else refuses, yet the rule gives 0.00 (a base too small for one fen)',
  },
  {
    code: 'POLICY.AREA_NOT_ABOVE_MINIMUM',
    clause: '三(五)',
    when: 'operatingAreaSqm is not above 3000 (3000 exactly is not eligible)',
  },
  {
    code: 'POLICY.REVENUE_BELOW_MINIMUM',
    clause: '三(五)',
    when: 'logisticsRevenue is below 100,000,000.00',
  },
  {
    code: 'POLICY.SERVED_ENTERPRISES_BELOW_MINIMUM',
    clause: '一(二)',
    when: 'servedEnterprises is below 50',
  },
  {
    code: 'POLICY.SERVICE_REVENUE_BELOW_MINIMUM',
    clause: '一(二)',
    when: 'serviceRevenue is below 10,000,000.00',
  },
  {
    code: 'POLICY.PRIOR_REVENUE_NOT_POSITIVE',
    clause: '一(二)',
    when: 'priorYearServiceRevenue is 0.00, so growth cannot be measured',
  },
  {
    code: 'POLICY.GROWTH_BELOW_MINIMUM',
    clause: '一(二)',
    when: 'serviceRevenue < priorYearServiceRevenue × 1.15',
  },
  {
    code: 'POLICY.ALREADY_AWARDED',
    clause: 'program',
    when: 'a grant exists in the same one-time or per-subject scope',
  },
  {
    code: 'POLICY.CAP_EXHAUSTED',
    clause: 'program',
    when: 'grants so far leave no room under a cap',
  },
];

/** Shape errors of validateEvidence(): the request is malformed (HTTP 400); each comes with a path. */
export const EVIDENCE_ERROR_CODES: readonly CodeDescription[] = [
  {
    code: 'EVIDENCE.PROGRAM_UNKNOWN',
    clause: '—',
    when: 'no evidence schema: the program code is not in the catalog',
  },
  {
    code: 'EVIDENCE.PROGRAM_NOT_CLAIMABLE',
    clause: 'program',
    when: 'no evidence schema: the program takes no claims (c7, c9)',
  },
  {
    code: 'EVIDENCE.NOT_AN_OBJECT',
    clause: '—',
    when: 'the evidence, or a list item, is not a JSON object',
  },
  {
    code: 'EVIDENCE.FIELD_REQUIRED',
    clause: '—',
    when: 'a field of the schema is missing or null',
  },
  { code: 'EVIDENCE.UNKNOWN_FIELD', clause: '—', when: 'a field the schema does not name' },
  { code: 'EVIDENCE.NOT_A_STRING', clause: '—', when: 'a text or date field is not a string' },
  { code: 'EVIDENCE.EMPTY_STRING', clause: '—', when: 'a text field is empty or only spaces' },
  {
    code: 'EVIDENCE.UNTRIMMED_STRING',
    clause: '—',
    when: 'a text field starts or ends with spaces (ids must compare exactly)',
  },
  {
    code: 'EVIDENCE.STRING_TOO_LONG',
    clause: '—',
    when: 'a text field is longer than 200 characters',
  },
  {
    code: 'EVIDENCE.INVALID_MONEY',
    clause: '—',
    when: 'an amount is not a docs/policy.md §2 string (cause: the MONEY.* reason)',
  },
  {
    code: 'EVIDENCE.MONEY_NOT_POSITIVE',
    clause: '二(四)',
    when: 'an amount that must be positive is 0.00 (standardBoothFee)',
  },
  {
    code: 'EVIDENCE.INVALID_DECIMAL',
    clause: '—',
    when: 'a decimal is not a docs/policy.md §2 string (cause: the DECIMAL.* reason)',
  },
  {
    code: 'EVIDENCE.INVALID_DATE',
    clause: '—',
    when: 'a date is not a real calendar day written YYYY-MM-DD',
  },
  { code: 'EVIDENCE.INVALID_ENUM', clause: '—', when: 'a value is not one of the allowed strings' },
  {
    code: 'EVIDENCE.DUPLICATE_VALUE',
    clause: '—',
    when: 'a set (customsModes) names a value twice',
  },
  { code: 'EVIDENCE.NOT_AN_INTEGER', clause: '—', when: 'a count is not a JSON integer' },
  {
    code: 'EVIDENCE.INTEGER_OUT_OF_RANGE',
    clause: '—',
    when: 'a count is below its minimum (0) or not a safe integer',
  },
  { code: 'EVIDENCE.NOT_A_LIST', clause: '—', when: 'a list field is not a JSON array' },
  {
    code: 'EVIDENCE.EMPTY_LIST',
    clause: '—',
    when: 'a list or set has no element (at least one item is required)',
  },
  { code: 'EVIDENCE.TOO_MANY_ITEMS', clause: '—', when: 'a list has more than 500 elements' },
  { code: 'EVIDENCE.TOO_MANY_ERRORS', clause: '—', when: 'the report stops after 100 errors' },
];

/** Codes of PolicyError, thrown by fiscalSplit, allocate and scopeKey. */
export const POLICY_ERROR_CODES: readonly CodeDescription[] = [
  PROGRAM_UNKNOWN,
  {
    code: 'POLICY.DISTRICT_UNKNOWN',
    clause: '十一',
    when: 'the district code is not in the catalog',
  },
  {
    code: 'POLICY.SUBJECT_KEY_REQUIRED',
    clause: 'program',
    when: 'scopeKey of a per-subject program without a subject key',
  },
  {
    code: 'POLICY.ALLOCATION_DUPLICATE_DISTRICT',
    clause: '五(九)',
    when: 'a district appears twice in an allocation plan',
  },
  { code: 'POLICY.ALLOCATION_NEGATIVE_SCORE', clause: '五(九)', when: 'a score is negative' },
  {
    code: 'POLICY.ALLOCATION_NO_POSITIVE_SCORE',
    clause: '五(九)',
    when: 'no score is positive (all zero, or no score at all)',
  },
];
