/**
 * The ledger's own vocabulary in both languages: event types, assessment steps, evidence fields and
 * their enumerated values, cap kinds, date-exclusion reasons, program scopes and funding. The API sends
 * these as codes (and the assessment trace as an English sentence built from them); the dashboard shows
 * the words, and keeps the code beside them where support needs it (apps/dashboard/README.md).
 */
import type { Lang } from './errors';

type Words = { readonly zh: string; readonly en: string };

function pick(table: Readonly<Record<string, Words>>, key: string, lang: Lang): string | null {
  const words = table[key];
  return words ? words[lang] : null;
}

/** The word for a key of one table; an unknown key is shown as itself, or in Chinese as `zhOther`. */
function namer(
  table: Readonly<Record<string, Words>>,
  zhOther?: string,
): (key: string, lang: Lang) => string {
  return (key, lang) => pick(table, key, lang) ?? (lang === 'zh' && zhOther ? zhOther : key);
}

const EVENT_TYPES: Readonly<Record<string, Words>> = {
  ApplicantRegistered: { zh: '主体登记', en: 'Applicant registered' },
  ApplicantRelocated: { zh: '主体迁址', en: 'Applicant relocated' },
  IntegrityFlagRaised: { zh: '标记失信', en: 'Integrity flag raised' },
  IntegrityFlagCleared: { zh: '解除失信标记', en: 'Integrity flag cleared' },
  ClaimSubmitted: { zh: '提交申报', en: 'Claim submitted' },
  ClaimApproved: { zh: '审核批准', en: 'Claim approved' },
  ClaimRejected: { zh: '审核驳回', en: 'Claim rejected' },
  ClaimWithdrawn: { zh: '撤回申报', en: 'Claim withdrawn' },
  ClaimRevoked: { zh: '撤销批准', en: 'Claim revoked' },
  ApprovalCountersigned: { zh: '会签确认', en: 'Approval countersigned' },
  ApprovalCountersignRejected: { zh: '会签驳回', en: 'Countersignature refused' },
  DisbursementRecorded: { zh: '登记拨付', en: 'Disbursement recorded' },
  RecoveryRecorded: { zh: '登记收回', en: 'Recovery recorded' },
  ReferenceReserved: { zh: '占用凭证号', en: 'Reference reserved' },
  AllocationPlanDecided: { zh: '决定分配方案', en: 'Allocation plan decided' },
  AllocationDisbursementRecorded: { zh: '登记分配拨付', en: 'Allocation disbursement recorded' },
};

export const eventTypeName = namer(EVENT_TYPES, '其他事件');

const STEPS: Readonly<Record<string, Words>> = {
  program: { zh: '扶持项目', en: 'Program' },
  'support-year': { zh: '扶持年度', en: 'Support year' },
  'date-counted': { zh: '日期计入', en: 'Date counts' },
  'date-excluded': { zh: '日期不计入', en: 'Date excluded' },
  'item-counted': { zh: '明细计入', en: 'Item counts' },
  'item-excluded': { zh: '明细不计入', en: 'Item excluded' },
  base: { zh: '计算基数', en: 'Base' },
  rule: { zh: '规则金额', en: 'Rule amount' },
  eligibility: { zh: '资格条件', en: 'Eligibility' },
  cap: { zh: '额度', en: 'Cap' },
  ceiling: { zh: '可核定上限', en: 'Ceiling' },
  refused: { zh: '不予受理', en: 'Refused' },
};

export const stepName = namer(STEPS, '其他步骤');

const FIELDS: Readonly<Record<string, Words>> = {
  platformName: { zh: '平台名称', en: 'Platform name' },
  customsModes: { zh: '海关监管方式', en: 'Customs modes' },
  exportValue: { zh: '出口额', en: 'Export value' },
  siteDomain: { zh: '独立站域名', en: 'Site domain' },
  servedEnterprises: { zh: '服务企业数', en: 'Enterprises served' },
  serviceRevenue: { zh: '服务收入', en: 'Service revenue' },
  priorYearServiceRevenue: { zh: '上年服务收入', en: 'Prior-year service revenue' },
  items: { zh: '费用明细', en: 'Items' },
  date: { zh: '日期', en: 'Date' },
  amount: { zh: '金额', en: 'Amount' },
  country: { zh: '国家或地区', en: 'Country' },
  reference: { zh: '凭证号', en: 'Reference' },
  channel: { zh: '推广渠道', en: 'Channel' },
  platform: { zh: '平台', en: 'Platform' },
  exhibitionId: { zh: '展会编号', en: 'Exhibition id' },
  exhibitionName: { zh: '展会名称', en: 'Exhibition' },
  boothFee: { zh: '展位费', en: 'Booth fee' },
  standardBoothFee: { zh: '标准展位费', en: 'Standard booth fee' },
  pilotListRef: { zh: '试点名单文号', en: 'Pilot list reference' },
  warehouseId: { zh: '仓库编号', en: 'Warehouse id' },
  operatingAreaSqm: { zh: '经营面积（平方米）', en: 'Operating area (m²)' },
  logisticsRevenue: { zh: '跨境物流收入', en: 'Logistics revenue' },
  incubationProject: { zh: '孵化项目', en: 'Incubation project' },
  partnerUniversity: { zh: '合作高校', en: 'Partner university' },
  eventId: { zh: '活动编号', en: 'Event id' },
  eventName: { zh: '活动名称', en: 'Event' },
  siteLocation: { zh: '站点所在地', en: 'Site location' },
};

export const fieldName = namer(FIELDS, '其他字段');

/** Evidence fields whose values are identifiers (shown as code, never translated). */
export const IDENTIFIER_FIELDS: ReadonlySet<string> = new Set([
  'siteDomain',
  'reference',
  'exhibitionId',
  'pilotListRef',
  'warehouseId',
  'eventId',
  'customsModes',
]);
/** Evidence fields that hold money (shown with thousands separators). */
export const MONEY_FIELDS: ReadonlySet<string> = new Set([
  'exportValue',
  'serviceRevenue',
  'priorYearServiceRevenue',
  'amount',
  'boothFee',
  'standardBoothFee',
  'logisticsRevenue',
]);

const VALUES: Readonly<Record<string, Words>> = {
  'social-media': { zh: '社交媒体', en: 'Social media' },
  'search-engine': { zh: '搜索引擎', en: 'Search engine' },
  'live-streaming': { zh: '直播', en: 'Live streaming' },
  US: { zh: '美国', en: 'United States' },
  DE: { zh: '德国', en: 'Germany' },
  JP: { zh: '日本', en: 'Japan' },
  GB: { zh: '英国', en: 'United Kingdom' },
  FR: { zh: '法国', en: 'France' },
  AU: { zh: '澳大利亚', en: 'Australia' },
  SG: { zh: '新加坡', en: 'Singapore' },
  AE: { zh: '阿联酋', en: 'United Arab Emirates' },
  KR: { zh: '韩国', en: 'South Korea' },
  CA: { zh: '加拿大', en: 'Canada' },
  IT: { zh: '意大利', en: 'Italy' },
  ES: { zh: '西班牙', en: 'Spain' },
  NL: { zh: '荷兰', en: 'Netherlands' },
  TH: { zh: '泰国', en: 'Thailand' },
  MY: { zh: '马来西亚', en: 'Malaysia' },
  VN: { zh: '越南', en: 'Vietnam' },
  BR: { zh: '巴西', en: 'Brazil' },
  MX: { zh: '墨西哥', en: 'Mexico' },
  RU: { zh: '俄罗斯', en: 'Russia' },
  SA: { zh: '沙特阿拉伯', en: 'Saudi Arabia' },
};

/** An enumerated evidence value in words (channel, country), or null when it is not one we know. */
export function valueName(value: string, lang: Lang): string | null {
  return pick(VALUES, value, lang);
}

const CAP_KINDS: Readonly<Record<string, Words>> = {
  annual: { zh: '年度额度', en: 'annual cap' },
  'one-time': { zh: '一次性额度', en: 'one-time cap' },
  subject: { zh: '单项额度', en: 'per-subject cap' },
  'applicant-total': { zh: '企业合计额度', en: 'applicant total cap' },
};

/**
 * A cap id (`annual:c1-platform:2024`, `subject:c6-talent-event:EV-1`, `one-time:c3-patent`) in words:
 * "跨境电商交易平台 2024 年度额度". The id itself is shown next to it as code.
 */
export function capName(capId: string, lang: Lang, programName: (code: string) => string): string {
  const [kind = '', program = '', rest] = capId.split(':');
  const kindName = pick(CAP_KINDS, kind, lang) ?? (lang === 'zh' ? '额度' : 'cap');
  const name = program ? programName(program) : '';
  if (kind === 'annual' && rest) return `${name} ${rest} ${kindName}`;
  if (kind === 'subject' && rest)
    return lang === 'zh' ? `${name}（${rest}）${kindName}` : `${name} (${rest}) ${kindName}`;
  return lang === 'zh' ? `${name}${kindName}` : `${name} ${kindName}`;
}

const REASONS: Readonly<Record<string, Words>> = {
  OUTSIDE_POLICY_WINDOW: { zh: '不在政策有效期内', en: 'outside the policy window' },
  OUTSIDE_SUPPORT_YEAR: { zh: '不在扶持年度内', en: 'outside the support year' },
};

export const exclusionReason = namer(REASONS, '不计入');

const SCOPES: Readonly<Record<string, Words>> = {
  annual: { zh: '按年度', en: 'annual' },
  'one-time': { zh: '一次性', en: 'one-time' },
  'per-subject': { zh: '按对象', en: 'per subject' },
  'not-claimable': { zh: '不受理申报', en: 'not claimable' },
  allocation: { zh: '因素法分配', en: 'factor allocation' },
};

const FUNDING: Readonly<Record<string, Words>> = {
  split: { zh: '市区两级分担', en: 'split city / district' },
  city: { zh: '市级全额承担', en: 'city only' },
};

export const scopeName = namer(SCOPES);

export const fundingName = namer(FUNDING);

const ROLES: Readonly<Record<string, Words>> = {
  applicant: { zh: '申报主体', en: 'applicant' },
  reviewer: { zh: '审核员', en: 'reviewer' },
  finance: { zh: '财务', en: 'finance' },
  auditor: { zh: '审计', en: 'auditor' },
  admin: { zh: '管理员', en: 'admin' },
  adjuster: { zh: '期后调整员', en: 'post-close adjuster' },
  system: { zh: '系统', en: 'system' },
};

export const roleName = namer(ROLES);

const BEIJING = 'Asia/Shanghai';
const DATE_TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: BEIJING,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An ISO instant as Beijing wall-clock time, `2023-09-01 09:00:30` (the ledger's users are in Hangzhou). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(
    DATE_TIME.formatToParts(date).map((part) => [part.type, part.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

/** A date-only value (`2023-09-01`) or the Beijing date of an instant. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return formatDateTime(value).slice(0, 10);
}
