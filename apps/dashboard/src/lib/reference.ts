/**
 * Display names for districts and programs (docs/policy.md §3, §4). The fiscal group and the clause come
 * from the API's catalog when it sends them; these are labels and the fallback for them.
 */
import type { Lang } from '../i18n/errors';

export interface DistrictInfo {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly group: 'A' | 'B';
  /** The city's share of split-funded programs, e.g. '0.5' (clause 十一). */
  readonly cityRate: string;
}

/** Replaced by the catalog the API serves (applyCatalog); this is the fallback of docs/policy.md §4. */
export let DISTRICTS: readonly DistrictInfo[] = [
  { code: 'shangcheng', zh: '上城区', en: 'Shangcheng', group: 'A', cityRate: '0.5' },
  { code: 'gongshu', zh: '拱墅区', en: 'Gongshu', group: 'A', cityRate: '0.5' },
  { code: 'xihu', zh: '西湖区', en: 'Xihu', group: 'A', cityRate: '0.5' },
  {
    code: 'binjiang',
    zh: '滨江区（高新区）',
    en: 'Binjiang (Hi-tech Zone)',
    group: 'A',
    cityRate: '0.5',
  },
  { code: 'qiantang', zh: '钱塘区', en: 'Qiantang', group: 'A', cityRate: '0.5' },
  { code: 'fuyang', zh: '富阳区', en: 'Fuyang', group: 'A', cityRate: '0.5' },
  {
    code: 'xihu-scenic',
    zh: '西湖风景名胜区',
    en: 'West Lake Scenic Area',
    group: 'A',
    cityRate: '0.5',
  },
  { code: 'xiaoshan', zh: '萧山区', en: 'Xiaoshan', group: 'B', cityRate: '0.25' },
  { code: 'yuhang', zh: '余杭区', en: 'Yuhang', group: 'B', cityRate: '0.25' },
  { code: 'linping', zh: '临平区', en: 'Linping', group: 'B', cityRate: '0.25' },
  { code: 'linan', zh: '临安区', en: "Lin'an", group: 'B', cityRate: '0.25' },
  { code: 'tonglu', zh: '桐庐县', en: 'Tonglu', group: 'B', cityRate: '0.25' },
  { code: 'chunan', zh: '淳安县', en: "Chun'an", group: 'B', cityRate: '0.25' },
  { code: 'jiande', zh: '建德市', en: 'Jiande', group: 'B', cityRate: '0.25' },
];

export function districtInfo(code: string): DistrictInfo | undefined {
  return DISTRICTS.find((district) => district.code === code);
}

export function districtName(code: string, lang: Lang): string {
  const info = districtInfo(code);
  return info ? info[lang] : code;
}

interface ProgramInfo {
  readonly clause: string;
  readonly zh: string;
  readonly en: string;
}

let PROGRAMS: Readonly<Record<string, ProgramInfo>> = {
  'c1-platform': { clause: '一(一)', zh: '跨境电商交易平台', en: 'CBEC trading platform' },
  'c1-customs-export': {
    clause: '一(一)',
    zh: '9610/9710/9810 出口',
    en: 'Export via 9610 / 9710 / 9810',
  },
  'c1-independent-site': { clause: '一(一)', zh: '独立站出口', en: 'Independent-site export' },
  'c2-service-provider': { clause: '一(二)', zh: '跨境电商服务商', en: 'CBEC service provider' },
  'c3-trademark': { clause: '二(三)', zh: '境外商标注册', en: 'Trademark abroad' },
  'c3-certification': { clause: '二(三)', zh: '国际认证', en: 'International certification' },
  'c3-patent': { clause: '二(三)', zh: '境外专利授权', en: 'Patent abroad' },
  'c4-brand-promotion': { clause: '二(四)', zh: '自主品牌推广', en: 'Own-brand promotion' },
  'c4-platform-promotion': {
    clause: '二(四)',
    zh: '平台境外推广',
    en: 'Platform promotion abroad',
  },
  'c4-exhibition': { clause: '二(四)', zh: '跨境电商展会', en: 'CBEC exhibition' },
  'c5-overseas-warehouse-provincial': {
    clause: '三(五)',
    zh: '省级公共海外仓',
    en: 'Provincial public overseas warehouse',
  },
  'c5-overseas-warehouse-municipal': {
    clause: '三(五)',
    zh: '市级公共海外仓',
    en: 'Municipal public overseas warehouse',
  },
  'c5-consolidation-warehouse': { clause: '三(五)', zh: '集货仓', en: 'Consolidation warehouse' },
  'c5-logistics-revenue': {
    clause: '三(五)',
    zh: '跨境链路物流收入',
    en: 'CBEC logistics revenue',
  },
  'c6-incubation': { clause: '四(六)', zh: '人才孵化', en: 'Talent incubation' },
  'c6-university-cooperation': {
    clause: '四(六)',
    zh: '政产学研合作',
    en: 'University cooperation',
  },
  'c6-talent-event': { clause: '四(六)', zh: '人才活动', en: 'Talent event' },
  'c7-financing': { clause: '五(七)', zh: '融资引导', en: 'Financing guidance' },
  'c8-overseas-network-site': { clause: '五(八)', zh: '海外网络站点', en: 'Overseas network site' },
  'c9-park-allocation': {
    clause: '五(九)',
    zh: '园区与监测点（因素法分配）',
    en: 'Parks and monitoring points (factor allocation)',
  },
};

/** The catalog served at GET /policies/{id}: only the parts the dashboard shows. */
export interface CatalogJson {
  readonly districts?: ReadonlyArray<{
    code: string;
    nameZh: string;
    nameEn: string;
    group: 'A' | 'B';
    cityRate: string;
  }>;
  readonly programs?: ReadonlyArray<{
    code: string;
    clause: string;
    titleZh: string;
    titleEn: string;
  }>;
}

/** Makes the API's catalog the source of names, clauses, groups and rates. */
export function applyCatalog(catalog: CatalogJson): void {
  if (catalog.districts && catalog.districts.length > 0) {
    // The catalog's own list and order (a later policy version may change the districts).
    DISTRICTS = catalog.districts.map((district) => ({
      code: district.code,
      zh: district.nameZh,
      en: district.nameEn,
      group: district.group,
      cityRate: district.cityRate,
    }));
  }
  if (catalog.programs && catalog.programs.length > 0) {
    PROGRAMS = {
      ...PROGRAMS,
      ...Object.fromEntries(
        catalog.programs.map((program) => [
          program.code,
          { clause: program.clause, zh: program.titleZh, en: program.titleEn },
        ]),
      ),
    };
  }
}

/** '0.25' → { city: '25', district: '75' } (percent, by integer arithmetic on at most 4 fraction digits). */
export function splitPercents(cityRate: string): {
  readonly city: string;
  readonly district: string;
} {
  const match = /^([0-9]+)(?:\.([0-9]{1,4}))?$/.exec(cityRate);
  if (!match) return { city: cityRate, district: '?' };
  const city = BigInt(match[1] as string) * 10000n + BigInt((match[2] ?? '').padEnd(4, '0'));
  return { city: percentOf(city), district: percentOf(10000n - city) };
}

function percentOf(basisPoints: bigint): string {
  const whole = basisPoints / 100n;
  const fraction = basisPoints % 100n;
  return fraction === 0n
    ? whole.toString()
    : `${whole.toString()}.${fraction.toString().padStart(2, '0').replace(/0$/, '')}`;
}

export function programName(code: string, lang: Lang): string {
  const info = PROGRAMS[code];
  return info ? info[lang] : code;
}

export function programClause(code: string): string {
  return PROGRAMS[code]?.clause ?? '—';
}

/** The policy's clauses in document order, for stacking charts. */
export const CLAUSE_ORDER: readonly string[] = [
  '一(一)',
  '一(二)',
  '二(三)',
  '二(四)',
  '三(五)',
  '四(六)',
  '五(七)',
  '五(八)',
  '五(九)',
];

export const SUPPORT_YEARS: readonly number[] = [2023, 2024, 2025, 2026];

/** Fiscal years: payments and recoveries go on after the policy's last support year. */
export function fiscalYears(): readonly number[] {
  const last = Math.max(2026, currentYearBeijing());
  return Array.from({ length: last - 2023 + 1 }, (_, index) => 2023 + index);
}

export function currentYearBeijing(): number {
  return Number(todayBeijing().slice(0, 4));
}

/** The end of a calendar day in Beijing time as an ISO instant, for `asOf` (ledger time). */
export function endOfDayBeijing(date: string): string {
  return new Date(`${date}T23:59:59.999+08:00`).toISOString();
}

/** Today's date in Beijing time, YYYY-MM-DD. */
export function todayBeijing(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}
