/**
 * Evidence and requested amounts for every claimable program of hz-cbec-2023 (docs/policy.md §3), chosen so
 * that most claims are eligible and a few land on the edges (caps, tiers). Dates fall inside the support
 * year and the policy window, before the submission date.
 */
import type { JsonLike } from '@hz/ledger';
import type { DemoRandom } from './demo-random';

export interface DemoClaim {
  readonly programCode: string;
  readonly requestedAmount: string;
  readonly evidence: { readonly [key: string]: JsonLike };
}

/** A date in [Mar 1, Jun 20] of the year: inside the window (from 2023-02-18) and before July submissions. */
function activityDate(random: DemoRandom, year: number): string {
  const month = random.int(3, 6);
  return `${year}-${String(month).padStart(2, '0')}-${String(random.int(1, 20)).padStart(2, '0')}`;
}

function items(
  random: DemoRandom,
  year: number,
  extra: (index: number) => { readonly [key: string]: JsonLike },
  maxYuan: number,
): JsonLike[] {
  const count = random.int(1, 3);
  return Array.from({ length: count }, (_, index) => ({
    date: activityDate(random, year),
    amount: random.yuan(5_000, maxYuan),
    ...extra(index),
  }));
}

type EvidenceMaker = (random: DemoRandom, year: number, subject: string) => DemoClaim['evidence'];

const COUNTRIES = ['US', 'DE', 'JP', 'GB', 'FR', 'AU', 'SG', 'AE'];

/** Evidence that is a list of dated, costed items, each with the program's own fields. */
function itemized(
  maxYuan: number,
  extra: (random: DemoRandom, year: number, index: number) => { readonly [key: string]: JsonLike },
): EvidenceMaker {
  return (random, year) => ({
    items: items(random, year, (index) => extra(random, year, index), maxYuan),
  });
}

/** Registrations abroad (clause 二(三)): each item names its country and its reference. */
function abroad(prefix: string, maxYuan: number): EvidenceMaker {
  return itemized(maxYuan, (random, year, index) => ({
    country: random.pick(COUNTRIES),
    reference: `${prefix}-${year}-${index}-${random.int(1000, 9999)}`,
  }));
}

const EVIDENCE: Readonly<Record<string, EvidenceMaker>> = {
  'c1-platform': (random) => ({ platformName: `杭州跨境电商交易平台 ${random.int(1, 999)} 号` }),
  'c1-customs-export': (random) => ({
    customsModes: random.chance(0.5) ? ['9610'] : ['9710', '9810'],
    exportValue: random.yuan(5_000_000, 90_000_000, 10_000),
  }),
  'c1-independent-site': (random) => ({ siteDomain: `shop${random.int(1, 99999)}.example.com` }),
  'c2-service-provider': (random) => {
    const prior = random.int(9_000, 20_000) * 1000;
    return {
      servedEnterprises: random.int(50, 300),
      serviceRevenue: `${Math.floor(prior * 1.2)}.00`,
      priorYearServiceRevenue: `${prior}.00`,
    };
  },
  'c3-trademark': abroad('TM', 150_000),
  'c3-certification': abroad('CERT', 150_000),
  'c3-patent': abroad('PAT', 200_000),
  'c4-brand-promotion': itemized(900_000, (random) => ({
    channel: random.pick(['social-media', 'search-engine', 'live-streaming']),
  })),
  'c4-platform-promotion': itemized(900_000, (random) => ({
    platform: random.pick(['亚马逊', '全球速卖通', '虾皮', '拼多多 Temu', '抖音 TikTok Shop']),
  })),
  'c4-exhibition': (random, year, subject) => ({
    exhibitionId: subject,
    exhibitionName: `中国跨境电商交易博览会 ${subject}`,
    date: activityDate(random, year),
    boothFee: random.yuan(20_000, 160_000),
    standardBoothFee: random.yuan(12_000, 25_000),
  }),
  'c5-overseas-warehouse-provincial': (random) => ({
    pilotListRef: `ZJ-PILOT-${random.int(100, 999)}`,
  }),
  'c5-overseas-warehouse-municipal': (random) => ({
    pilotListRef: `HZ-PILOT-${random.int(100, 999)}`,
  }),
  'c5-consolidation-warehouse': (random, _year, subject) => ({
    warehouseId: subject,
    operatingAreaSqm: `${random.int(3001, 9000)}.50`,
  }),
  'c5-logistics-revenue': (random, _year, subject) => ({
    logisticsRevenue: random.yuan(100_000_000, 600_000_000, 1_000_000),
    warehouseId: subject,
    operatingAreaSqm: `${random.int(3001, 9000)}`,
  }),
  'c6-incubation': (random) => ({
    incubationProject: `跨境电商人才孵化基地 ${random.int(1, 50)} 期`,
  }),
  'c6-university-cooperation': (random) => ({
    partnerUniversity: random.pick(['浙江大学', '杭州师范大学', '浙江工业大学']),
  }),
  'c6-talent-event': (random, year, subject) => ({
    eventId: subject,
    eventName: `跨境电商人才大赛 ${subject}`,
    date: activityDate(random, year),
  }),
  'c8-overseas-network-site': (random) => ({
    siteLocation: random.pick(['洛杉矶', '法兰克福', '迪拜', '悉尼', '东京']),
  }),
};

/** Requested amounts: the program's headline cap, sometimes less, so ceilings and caps both get exercised. */
const REQUESTED_MAX_YUAN: Readonly<Record<string, number>> = {
  'c1-platform': 1_000_000,
  'c1-customs-export': 2_000_000,
  'c1-independent-site': 2_000_000,
  'c2-service-provider': 1_000_000,
  'c3-trademark': 200_000,
  'c3-certification': 200_000,
  'c3-patent': 200_000,
  'c4-brand-promotion': 500_000,
  'c4-platform-promotion': 500_000,
  'c4-exhibition': 200_000,
  'c5-overseas-warehouse-provincial': 200_000,
  'c5-overseas-warehouse-municipal': 750_000,
  'c5-consolidation-warehouse': 300_000,
  'c5-logistics-revenue': 2_000_000,
  'c6-incubation': 10_000,
  'c6-university-cooperation': 300_000,
  'c6-talent-event': 200_000,
  'c8-overseas-network-site': 200_000,
};

export const DEMO_PROGRAMS: readonly string[] = Object.keys(EVIDENCE);

export function demoClaim(
  random: DemoRandom,
  programCode: string,
  year: number,
  subject: string,
): DemoClaim | undefined {
  const evidence = EVIDENCE[programCode];
  const maxYuan = REQUESTED_MAX_YUAN[programCode];
  if (evidence === undefined || maxYuan === undefined) return undefined;
  const requestedAmount = random.chance(0.7)
    ? `${maxYuan}.00`
    : random.yuan(Math.floor(maxYuan / 2), maxYuan);
  return { programCode, requestedAmount, evidence: evidence(random, year, subject) };
}
