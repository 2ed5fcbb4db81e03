/** Test fixtures for the policy engine: valid evidence per program and small builders. Not shipped. */
import { Money } from '@hz/money';
import type { Assessment, ClaimDraft, EvidenceJson, GrantInScope } from '../src/api';
import { assess } from '../src/assess';
import { HZ_CBEC_2023 } from '../src/catalogs/hz-cbec-2023';

export const catalog = HZ_CBEC_2023;
export const money = (value: string): Money => Money.parse(value);

/** Evidence that passes validateEvidence for each claimable program, dated in 2024. */
export const VALID_EVIDENCE: { readonly [programCode: string]: EvidenceJson } = {
  'c1-platform': { platformName: 'Hangzhou Global Mall' },
  'c1-customs-export': { customsModes: ['9610', '9810'], exportValue: '35000000.00' },
  'c1-independent-site': { siteDomain: 'shop.example.com' },
  'c2-service-provider': {
    servedEnterprises: 60,
    serviceRevenue: '12075000.00',
    priorYearServiceRevenue: '10500000.00',
  },
  'c3-trademark': {
    items: [{ date: '2024-03-01', amount: '100000.00', country: 'DE', reference: 'TM-1' }],
  },
  'c3-certification': {
    items: [{ date: '2024-03-01', amount: '100000.00', country: 'US', reference: 'CE-1' }],
  },
  'c3-patent': {
    items: [{ date: '2024-03-01', amount: '100000.00', country: 'JP', reference: 'PT-1' }],
  },
  'c4-brand-promotion': {
    items: [{ date: '2024-03-01', amount: '100000.00', channel: 'social-media' }],
  },
  'c4-platform-promotion': {
    items: [{ date: '2024-03-01', amount: '100000.00', platform: 'Amazon' }],
  },
  'c4-exhibition': {
    exhibitionId: 'EXPO-1',
    exhibitionName: 'CBEC Expo',
    date: '2024-05-10',
    boothFee: '120000.00',
    standardBoothFee: '15000.00',
  },
  'c5-overseas-warehouse-provincial': { pilotListRef: 'ZJ-2024-01' },
  'c5-overseas-warehouse-municipal': { pilotListRef: 'HZ-2024-01' },
  'c5-consolidation-warehouse': { warehouseId: 'W1', operatingAreaSqm: '3000.01' },
  'c5-logistics-revenue': {
    logisticsRevenue: '100000000.00',
    warehouseId: 'W1',
    operatingAreaSqm: '3500',
  },
  'c6-incubation': { incubationProject: 'Xiaoshan CBEC incubator' },
  'c6-university-cooperation': { partnerUniversity: 'Zhejiang University' },
  'c6-talent-event': { eventId: 'EV-1', eventName: 'CBEC talent fair', date: '2024-06-01' },
  'c8-overseas-network-site': { siteLocation: 'Frankfurt' },
};

export const CLAIMABLE_CODES = Object.keys(VALID_EVIDENCE);

export function draft(
  programCode: string,
  overrides: { evidence?: EvidenceJson; supportYear?: number; requested?: string } = {},
): ClaimDraft {
  return {
    programCode,
    supportYear: overrides.supportYear ?? 2024,
    requestedAmount: money(overrides.requested ?? '9999999.99'),
    evidence: overrides.evidence ?? (VALID_EVIDENCE[programCode] as EvidenceJson),
  };
}

/** Valid evidence of a program with some fields replaced. */
export function evidenceWith(programCode: string, fields: EvidenceJson): EvidenceJson {
  return { ...(VALID_EVIDENCE[programCode] as EvidenceJson), ...fields };
}

let grantCount = 0;
export function grant(
  programCode: string,
  amount: string,
  options: { supportYear?: number; subjectKey?: string | null } = {},
): GrantInScope {
  grantCount += 1;
  return {
    claimId: `G-${grantCount}`,
    programCode,
    supportYear: options.supportYear ?? 2024,
    subjectKey: options.subjectKey ?? null,
    amount: money(amount),
  };
}

export function assessed(
  programCode: string,
  overrides: Parameters<typeof draft>[1] = {},
  grants: readonly GrantInScope[] = [],
): Assessment {
  return assess(catalog, draft(programCode, overrides), grants);
}

export const codesOf = (assessment: Assessment): string[] =>
  assessment.refusals.map((refusal) => refusal.code);

/** An item list of the dated fee programs (c3, c4 promotion) with the given dates and amounts. */
export function items(
  programCode: string,
  entries: ReadonlyArray<readonly [string, string]>,
): EvidenceJson {
  const template = (VALID_EVIDENCE[programCode] as { items: EvidenceJson[] })
    .items[0] as EvidenceJson;
  return { items: entries.map(([date, amount]) => ({ ...template, date, amount })) };
}
