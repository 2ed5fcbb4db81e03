/**
 * 杭政办函〔2023〕9号 as data (docs/policy.md §3, §4). Every amount, rate, threshold and interpretation of the
 * policy lives here, so a later policy is a new object like this one, not new code.
 */
import { Money } from '@hz/money';
import {
  cap,
  datedItems,
  field,
  fixed,
  fixedProgram,
  percentageProgram,
  program,
  schema,
} from '../catalog-builders';
import { defineCatalog } from '../catalog-define';
import type {
  DistrictDefinition,
  EligibilityPredicate,
  ProgramDefinition,
  TierDefinition,
} from '../catalog-types';

const A = (code: string, nameZh: string, nameEn: string): DistrictDefinition => ({
  code,
  nameZh,
  nameEn,
  group: 'A',
  cityRate: '0.5',
});
const B = (code: string, nameZh: string, nameEn: string): DistrictDefinition => ({
  code,
  nameZh,
  nameEn,
  group: 'B',
  cityRate: '0.25',
});

const DISTRICTS: readonly DistrictDefinition[] = [
  A('shangcheng', '上城区', 'Shangcheng'),
  A('gongshu', '拱墅区', 'Gongshu'),
  A('xihu', '西湖区', 'Xihu'),
  A('binjiang', '滨江区（杭州高新开发区）', 'Binjiang (Hangzhou Hi-tech Zone)'),
  A('qiantang', '钱塘区', 'Qiantang'),
  A('fuyang', '富阳区', 'Fuyang'),
  A('xihu-scenic', '西湖风景名胜区', 'West Lake Scenic Area'),
  B('xiaoshan', '萧山区', 'Xiaoshan'),
  B('yuhang', '余杭区', 'Yuhang'),
  B('linping', '临平区', 'Linping'),
  B('linan', '临安区', "Lin'an"),
  B('tonglu', '桐庐县', 'Tonglu'),
  B('chunan', '淳安县', "Chun'an"),
  B('jiande', '建德市', 'Jiande'),
];

/** 三(五): "单个运营使用面积超过 3000 平方米": strictly more, so 3000 exactly is not eligible. */
const AREA_ABOVE_3000: EligibilityPredicate = {
  kind: 'minimum',
  field: 'operatingAreaSqm',
  threshold: '3000',
  inclusive: false,
  code: 'POLICY.AREA_NOT_ABOVE_MINIMUM',
  clause: '三(五)',
};

/** 三(五): "超过 1 亿元（含）、3 亿元（含）、5 亿元（含）": thresholds are inclusive. */
const LOGISTICS_TIERS: readonly TierDefinition[] = [
  { threshold: Money.parse('100000000.00'), inclusive: true, amount: Money.parse('500000.00') },
  { threshold: Money.parse('300000000.00'), inclusive: true, amount: Money.parse('1000000.00') },
  { threshold: Money.parse('500000000.00'), inclusive: true, amount: Money.parse('2000000.00') },
];

const LOGISTICS_REVENUE_MINIMUM: EligibilityPredicate = {
  kind: 'minimum',
  field: 'logisticsRevenue',
  threshold: '100000000.00',
  inclusive: true,
  code: 'POLICY.REVENUE_BELOW_MINIMUM',
  clause: '三(五)',
};

const C2_ELIGIBILITY: readonly EligibilityPredicate[] = [
  {
    kind: 'minimum',
    field: 'servedEnterprises',
    threshold: '50',
    inclusive: true,
    code: 'POLICY.SERVED_ENTERPRISES_BELOW_MINIMUM',
    clause: '一(二)',
  },
  {
    kind: 'minimum',
    field: 'serviceRevenue',
    threshold: '10000000.00',
    inclusive: true,
    code: 'POLICY.SERVICE_REVENUE_BELOW_MINIMUM',
    clause: '一(二)',
  },
  {
    kind: 'minimum',
    field: 'priorYearServiceRevenue',
    threshold: '0',
    inclusive: false,
    code: 'POLICY.PRIOR_REVENUE_NOT_POSITIVE',
    clause: '一(二)',
  },
  {
    kind: 'growth',
    field: 'serviceRevenue',
    priorField: 'priorYearServiceRevenue',
    minimumRatio: '1.15',
    code: 'POLICY.GROWTH_BELOW_MINIMUM',
    clause: '一(二)',
  },
];

const FEES_ABROAD = datedItems({ country: field.text(), reference: field.text() });

const PROGRAMS: readonly ProgramDefinition[] = [
  fixedProgram('1000000.00', {
    code: 'c1-platform',
    clause: '一(一)',
    scope: 'annual',
    funding: 'split',
    titleZh: '跨境电子商务交易平台',
    titleEn: 'Cross-border e-commerce trading platform',
    evidence: schema({ platformName: field.text() }),
  }),
  fixedProgram('2000000.00', {
    code: 'c1-customs-export',
    clause: '一(一)',
    scope: 'annual',
    funding: 'split',
    titleZh: '通过 9610、9710、9810 海关监管模式开展跨境电商出口',
    titleEn: 'Export via customs modes 9610 / 9710 / 9810',
    evidence: schema({
      customsModes: field.setOf('9610', '9710', '9810'),
      exportValue: field.money(),
    }),
  }),
  fixedProgram('2000000.00', {
    code: 'c1-independent-site',
    clause: '一(一)',
    scope: 'one-time',
    funding: 'split',
    titleZh: '应用独立站开展跨境电商出口',
    titleEn: 'Export through an independent site',
    evidence: schema({ siteDomain: field.text() }),
  }),
  fixedProgram('1000000.00', {
    code: 'c2-service-provider',
    clause: '一(二)',
    scope: 'one-time',
    funding: 'split',
    eligibility: C2_ELIGIBILITY,
    titleZh: '跨境电子商务服务商',
    titleEn: 'Service provider for cross-border e-commerce enterprises',
    evidence: schema({
      servedEnterprises: field.count(),
      serviceRevenue: field.money(),
      priorYearServiceRevenue: field.money(),
    }),
  }),
  percentageProgram('0.7', '200000.00', {
    code: 'c3-trademark',
    clause: '二(三)',
    scope: 'one-time',
    funding: 'split',
    evidence: FEES_ABROAD,
    titleZh: '在跨境出口目的国注册自有商标',
    titleEn: 'Trademark registered in the destination country',
  }),
  percentageProgram('0.7', '200000.00', {
    code: 'c3-certification',
    clause: '二(三)',
    scope: 'one-time',
    funding: 'split',
    evidence: FEES_ABROAD,
    titleZh: '在跨境出口目的国通过国际认证',
    titleEn: 'International certification',
  }),
  percentageProgram('0.5', '200000.00', {
    code: 'c3-patent',
    clause: '二(三)',
    scope: 'one-time',
    funding: 'split',
    evidence: FEES_ABROAD,
    titleZh: '在跨境出口目的国获得专利授权',
    titleEn: 'Patent granted in the destination country',
  }),
  percentageProgram('0.25', '500000.00', {
    code: 'c4-brand-promotion',
    clause: '二(四)',
    scope: 'annual',
    funding: 'split',
    titleZh: '借助社交媒体、搜索引擎、跨境直播开展自主品牌推广',
    titleEn: 'Own-brand promotion: social media, search engines, live streaming',
    evidence: datedItems({
      channel: field.oneOf('social-media', 'search-engine', 'live-streaming'),
    }),
  }),
  percentageProgram('0.25', '500000.00', {
    code: 'c4-platform-promotion',
    clause: '二(四)',
    scope: 'annual',
    funding: 'split',
    titleZh: '运用跨境电子商务平台开展境外推广',
    titleEn: 'Promotion on cross-border e-commerce platforms abroad',
    evidence: datedItems({ platform: field.text() }),
  }),
  // [interpretation] docs/policy.md §3: 70% × min(booth fee, 6 × standard booth fee); no cap beyond the rule.
  program({
    code: 'c4-exhibition',
    clause: '二(四)',
    scope: 'per-subject',
    subjectKeyField: 'exhibitionId',
    datedField: 'date',
    funding: 'split',
    titleZh: '参加跨境电商展会',
    titleEn: 'Booth at a cross-border e-commerce exhibition',
    rule: {
      kind: 'percentage-of-limited-field',
      rate: '0.7',
      field: 'boothFee',
      limitField: 'standardBoothFee',
      limitMultiplier: '6',
    },
    evidence: schema({
      exhibitionId: field.text(),
      exhibitionName: field.text(),
      date: field.date(),
      boothFee: field.money(),
      standardBoothFee: field.positiveMoney(),
    }),
  }),
  fixedProgram('200000.00', {
    code: 'c5-overseas-warehouse-provincial',
    clause: '三(五)',
    scope: 'one-time',
    funding: 'split',
    titleZh: '列入省级公共海外仓建设试点名单',
    titleEn: 'On the provincial public overseas warehouse pilot list',
    evidence: schema({ pilotListRef: field.text() }),
  }),
  fixedProgram('750000.00', {
    code: 'c5-overseas-warehouse-municipal',
    clause: '三(五)',
    scope: 'one-time',
    funding: 'split',
    titleZh: '列入市级公共海外仓建设试点名单',
    titleEn: 'On the municipal public overseas warehouse pilot list',
    evidence: schema({ pilotListRef: field.text() }),
  }),
  program({
    code: 'c5-consolidation-warehouse',
    clause: '三(五)',
    scope: 'per-subject',
    subjectKeyField: 'warehouseId',
    funding: 'split',
    titleZh: '运营使用面积超过 3000 平方米的进出口集货仓',
    titleEn: 'Consolidation warehouse with an operating area above 3000 m²',
    rule: fixed('300000.00'),
    caps: [cap('subject', '300000.00', '三(五)'), cap('applicant-total', '600000.00', '三(五)')],
    eligibility: [AREA_ABOVE_3000],
    evidence: schema({ warehouseId: field.text(), operatingAreaSqm: field.decimal() }),
  }),
  program({
    code: 'c5-logistics-revenue',
    clause: '三(五)',
    scope: 'annual',
    funding: 'split',
    titleZh: '集货仓年度跨境链路物流收入',
    titleEn: 'Consolidation warehouse operator, by annual cross-border logistics revenue',
    rule: { kind: 'tiers', field: 'logisticsRevenue', tiers: LOGISTICS_TIERS },
    caps: [cap('annual', 'rule-amount', '三(五)')],
    eligibility: [AREA_ABOVE_3000, LOGISTICS_REVENUE_MINIMUM],
    evidence: schema({
      logisticsRevenue: field.money(),
      warehouseId: field.text(),
      operatingAreaSqm: field.decimal(),
    }),
  }),
  fixedProgram('10000.00', {
    code: 'c6-incubation',
    clause: '四(六)',
    scope: 'annual',
    funding: 'city',
    titleZh: '参加跨境电商人才孵化项目',
    titleEn: 'Enterprise in a talent incubation project',
    evidence: schema({ incubationProject: field.text() }),
  }),
  fixedProgram('300000.00', {
    code: 'c6-university-cooperation',
    clause: '四(六)',
    scope: 'one-time',
    funding: 'city',
    titleZh: '参加“政产学研”合作',
    titleEn: 'Unit in a government-industry-university-research cooperation',
    evidence: schema({ partnerUniversity: field.text() }),
  }),
  fixedProgram('200000.00', {
    code: 'c6-talent-event',
    clause: '四(六)',
    scope: 'per-subject',
    subjectKeyField: 'eventId',
    datedField: 'date',
    funding: 'city',
    titleZh: '举办跨境电商人才活动',
    titleEn: 'Organiser of a cross-border e-commerce talent event',
    evidence: schema({ eventId: field.text(), eventName: field.text(), date: field.date() }),
  }),
  program({
    code: 'c7-financing',
    clause: '五(七)',
    scope: 'not-claimable',
    funding: 'city',
    rule: null,
    evidence: schema({}),
    titleZh: '鼓励企业开展融资',
    titleEn: 'Financing guidance (no amount is set)',
  }),
  fixedProgram('200000.00', {
    code: 'c8-overseas-network-site',
    clause: '五(八)',
    scope: 'one-time',
    funding: 'split',
    titleZh: '跨境电商海外网络站点',
    titleEn: 'Operator of an overseas network site',
    evidence: schema({ siteLocation: field.text() }),
  }),
  program({
    code: 'c9-park-allocation',
    clause: '五(九)',
    scope: 'allocation',
    funding: 'city',
    rule: null,
    evidence: schema({}),
    titleZh: '产业园区和监测点（因素法分配）',
    titleEn: 'Parks and monitoring points: allocation to districts by factor method',
  }),
];

export const HZ_CBEC_2023 = defineCatalog({
  id: 'hz-cbec-2023',
  documentNumber: '杭政办函〔2023〕9号',
  title: '杭州市人民政府办公厅关于加快推进跨境电子商务高质量发展的实施意见',
  titleEn:
    "Implementing opinions of the General Office of the Hangzhou Municipal People's Government on accelerating the high-quality development of cross-border e-commerce",
  validFrom: '2023-02-18',
  validTo: '2026-02-18',
  supportYearMin: 2023,
  supportYearMax: 2026,
  applicationDeadline: null,
  countersignThreshold: Money.parse('500000.00'),
  districts: DISTRICTS,
  programs: PROGRAMS,
});
