/**
 * The sheets of the finance bureau's workbook (docs/decisions.md, "Finance workbook"): 汇总 per funder,
 * 按月 per funder and month, 申报 (claims), 决定 (decisions), 拨付 (disbursements), 追回 (recoveries),
 * 期后调整 (post-close adjustments, once a period is closed: apart, never in the other sheets' totals;
 * docs/operations.md "Period close") and, on request, one sheet per funder. Claims and obligations come from the projections (rebuilt as of the
 * export time); the other sheets are the events themselves. Codes carry their Chinese names beside them.
 */
import { MoneyDecimal } from '@hz/money';
import { fiscalTotals, type ClaimSummary, type FiscalReportRow } from '@hz/projections';
import type { FactRows } from './fact-rows';
import { funderName, programLabel, statusName } from './labels';
import {
  column,
  type Column,
  type ExportSeal,
  type ExportWorkbook,
  type Row,
  type Rows,
  type Sheet,
} from './workbook';

const FUNDER = [
  column('funder', '出资方代码', 'Funder code', 'id'),
  column('funderName', '出资方', 'Funder'),
];
const PROGRAM = [
  column('programCode', '项目代码', 'Program code', 'id'),
  column('programTitle', '支持项目', 'Program'),
  column('clause', '条款', 'Clause'),
];
/** Columns several sheets show, declared once so that they read the same everywhere. */
const POSITION = column('position', '日志位置', 'Log position', 'integer');
const CLAIM_ID = column('claimId', '申请编号', 'Claim id', 'id');
const SUBJECT = column('subject', '申请编号或分配计划', 'Claim or plan', 'id');
const AMOUNT = column('amount', '金额', 'Amount', 'money');
const ACTOR = column('actor', '经办人', 'Actor', 'id');
const REASONS = column('reasons', '理由', 'Reasons');
const RECORDED_AT = column('recordedAt', '记录时间', 'Recorded at', 'datetime');
/** A claim as the claims sheet and a funder's sheet begin it. */
const CLAIM = [
  CLAIM_ID,
  column('applicant', '统一社会信用代码', 'Applicant USCC', 'id'),
  ...PROGRAM,
  column('supportYear', '支持年度', 'Support year', 'integer'),
  column('status', '状态', 'Status'),
];
/** An approval's split: the district that bears it and each funder's share. */
const SPLIT = [
  column('district', '承担区县代码', 'District code', 'id'),
  column('districtName', '承担区县', 'District'),
  column('cityShare', '市级承担', 'City share', 'money'),
  column('districtShare', '区县承担', 'District share', 'money'),
];

export const SUMMARY_COLUMNS: readonly Column[] = [
  ...FUNDER,
  column('committed', '已承诺', 'Committed', 'money'),
  column('disbursed', '已拨付', 'Disbursed', 'money'),
  column('cancelled', '已取消', 'Cancelled', 'money'),
  column('outstanding', '未拨付余额', 'Outstanding', 'money'),
  column('receivable', '应收', 'Receivable', 'money'),
  column('recovered', '已追回', 'Recovered', 'money'),
  column('receivableOutstanding', '应收余额', 'Receivable outstanding', 'money'),
];

export const MONTHLY_COLUMNS: readonly Column[] = [
  ...FUNDER,
  column('period', '月份', 'Month', 'month'),
  column('committed', '新增承诺', 'Committed', 'money'),
  column('disbursed', '已拨付', 'Disbursed', 'money'),
  column('cancelled', '已取消', 'Cancelled', 'money'),
  column('outstanding', '期末未拨付余额', 'Outstanding (closing)', 'money'),
  column('receivable', '新增应收', 'Receivable', 'money'),
  column('recovered', '已追回', 'Recovered', 'money'),
  column('receivableOutstanding', '期末应收余额', 'Receivable outstanding (closing)', 'money'),
];

export const CLAIM_COLUMNS: readonly Column[] = [
  ...CLAIM,
  column('requestedAmount', '申请金额', 'Requested', 'money'),
  column('approvedAmount', '核定金额', 'Approved', 'money'),
  ...SPLIT,
  column('paidCity', '市级已拨付', 'Paid by city', 'money'),
  column('paidDistrict', '区县已拨付', 'Paid by district', 'money'),
  column('cancelledCity', '市级已取消', 'Cancelled, city', 'money'),
  column('cancelledDistrict', '区县已取消', 'Cancelled, district', 'money'),
  column('receivableCity', '市级应收', 'Receivable, city', 'money'),
  column('receivableDistrict', '区县应收', 'Receivable, district', 'money'),
  column('recoveredCity', '市级已追回', 'Recovered, city', 'money'),
  column('recoveredDistrict', '区县已追回', 'Recovered, district', 'money'),
  column('submittedAt', '申报时间', 'Submitted at', 'datetime'),
  column('lastRecordedAt', '最后变动时间', 'Last change at', 'datetime'),
];

const DECISION_COLUMNS: readonly Column[] = [
  POSITION,
  column('occurredAt', '决定时间', 'Decided at', 'datetime'),
  CLAIM_ID,
  column('decisionName', '决定', 'Decision'),
  column('amount', '核定金额', 'Approved', 'money'),
  column('ceiling', '可核定上限', 'Ceiling', 'money'),
  column('ruleAmount', '规则金额', 'Rule amount', 'money'),
  ...SPLIT,
  ACTOR,
  column('policy', '政策版本', 'Policy version', 'id'),
  REASONS,
  RECORDED_AT,
];

const DISBURSEMENT_COLUMNS: readonly Column[] = [
  POSITION,
  column('paidAt', '拨付日期', 'Paid at', 'businessTime'),
  SUBJECT,
  ...FUNDER,
  AMOUNT,
  column('paymentRef', '支付凭证号', 'Payment reference', 'id'),
  ACTOR,
  RECORDED_AT,
];

const RECOVERY_COLUMNS: readonly Column[] = [
  POSITION,
  column('recoveredAt', '追回日期', 'Recovered at', 'businessTime'),
  CLAIM_ID,
  ...FUNDER,
  AMOUNT,
  column('recoveryRef', '追回凭证号', 'Recovery reference', 'id'),
  ACTOR,
  RECORDED_AT,
];

/** Post-close adjustments: one money column per kind, so each column's total means one thing. */
export const ADJUSTMENT_COLUMNS: readonly Column[] = [
  POSITION,
  column('period', '结账年度', 'Closed period', 'integer'),
  column('datedOn', '业务日期', 'Dated on', 'businessTime'),
  ...FUNDER,
  column('kindName', '调整类型', 'Kind'),
  SUBJECT,
  column('disbursed', '拨付调整', 'Disbursement adjustment', 'money'),
  column('recovered', '追回调整', 'Recovery adjustment', 'money'),
  column('reference', '调整凭证号', 'Adjustment reference', 'id'),
  ACTOR,
  REASONS,
  RECORDED_AT,
];
export const ADJUSTMENTS_SHEET_ID = 'adjustments';
export const ADJUSTMENTS_SHEET_TITLE = '期后调整';

export const FUNDER_CLAIM_COLUMNS: readonly Column[] = [
  ...CLAIM,
  column('share', '承担金额', 'Share', 'money'),
  column('paid', '已拨付', 'Paid', 'money'),
  column('cancelled', '已取消', 'Cancelled', 'money'),
  column('receivable', '应收', 'Receivable', 'money'),
  column('recovered', '已追回', 'Recovered', 'money'),
];

/** Closing balances are not additive over months, so the monthly totals row leaves them empty. */
const MONTHLY_BALANCES: ReadonlySet<string> = new Set(['outstanding', 'receivableOutstanding']);

export interface WorkbookInput {
  readonly asOf: string;
  readonly generatedAt: string;
  readonly headPosition: string;
  readonly eventCount: number;
  readonly seal: ExportSeal | null;
  /** The claims sheet's rows (claimRow of each claim, in submission order): an array or a spill. */
  readonly claimRows: Iterable<Row>;
  readonly obligations: readonly FiscalReportRow[];
  readonly facts: FactRows;
  /** One more sheet per funder: the claims it shares in, with its share and its money movements. */
  readonly byFunder?: boolean;
}

/**
 * The sheets over the rows given, which are read again when the sheets are written, never copied: with
 * spilled rows (libs/audit/src/export/row-spill.ts) the workbook's memory does not grow with the ledger.
 * Each sheet's count and totals are taken here in one pass over its rows.
 */
export function buildWorkbook(input: WorkbookInput): ExportWorkbook {
  const summary = summaryRows(input.obligations);
  const sheets: Sheet[] = [
    sheet('summary', '汇总', SUMMARY_COLUMNS, summary),
    sheet(
      'monthly',
      '按月',
      MONTHLY_COLUMNS,
      [...input.obligations]
        .sort(byFunderThenPeriod)
        .map((row) => ({ ...row, funderName: funderName(row.funder) })),
      MONTHLY_BALANCES,
    ),
    sheet('claims', '申报', CLAIM_COLUMNS, input.claimRows),
    {
      id: 'decisions',
      title: '决定',
      columns: DECISION_COLUMNS,
      rows: counted(input.facts.decisions),
      totals: null,
    },
    sheet('disbursements', '拨付', DISBURSEMENT_COLUMNS, input.facts.disbursements),
    sheet('recoveries', '追回', RECOVERY_COLUMNS, input.facts.recoveries),
  ];
  // Only a ledger with a closed period can hold adjustments; its workbook shows the sheet even when empty.
  if (input.facts.closedPeriods.length > 0 || input.facts.adjustments.length > 0)
    sheets.push(
      sheet(
        ADJUSTMENTS_SHEET_ID,
        ADJUSTMENTS_SHEET_TITLE,
        ADJUSTMENT_COLUMNS,
        input.facts.adjustments,
      ),
    );
  if (input.byFunder === true)
    sheets.push(
      ...funderSheets(
        summary.map((row) => String(row['funder'])),
        input.claimRows,
      ),
    );
  return {
    asOf: input.asOf,
    generatedAt: input.generatedAt,
    headPosition: input.headPosition,
    eventCount: input.eventCount,
    seal: input.seal,
    sheets,
  };
}

/** Flows summed over every month; the balances are the closing ones of each funder's last month. */
function summaryRows(monthly: readonly FiscalReportRow[]): Row[] {
  return fiscalTotals(monthly)
    .sort((a, b) => cityFirst(a.funder, b.funder))
    .map((totals) => ({
      funder: totals.funder,
      funderName: funderName(totals.funder),
      committed: totals.committed,
      disbursed: totals.disbursed,
      cancelled: totals.cancelled,
      outstanding: totals.outstanding,
      receivable: totals.receivable,
      recovered: totals.recovered,
      receivableOutstanding: totals.receivableOutstanding,
    }));
}

/** The city first, then the districts by code: the order the bureau's own reports use. */
function cityFirst(a: string, b: string): number {
  return a === b ? 0 : a === 'city' ? -1 : b === 'city' ? 1 : a < b ? -1 : 1;
}

function byFunderThenPeriod(a: FiscalReportRow, b: FiscalReportRow): number {
  return cityFirst(a.funder, b.funder) || (a.period < b.period ? -1 : a.period > b.period ? 1 : 0);
}

/** A claim as the claims sheet shows it; the per-funder sheets are read from these rows. */
export function claimRow(claim: ClaimSummary): Row {
  const program = programLabel(claim.programCode);
  return {
    claimId: claim.claimId,
    applicant: claim.applicant,
    programCode: claim.programCode,
    programTitle: program.title,
    clause: program.clause,
    supportYear: claim.supportYear,
    status: statusName(claim.status),
    requestedAmount: claim.requestedAmount,
    approvedAmount: claim.approvedAmount,
    district: claim.split?.district ?? null,
    districtName: funderName(claim.split?.district ?? null),
    cityShare: claim.split?.cityShare ?? null,
    districtShare: claim.split?.districtShare ?? null,
    paidCity: claim.paid.city,
    paidDistrict: claim.paid.district,
    cancelledCity: claim.cancelled.city,
    cancelledDistrict: claim.cancelled.district,
    receivableCity: claim.receivable.city,
    receivableDistrict: claim.receivable.district,
    recoveredCity: claim.recovered.city,
    recoveredDistrict: claim.recovered.district,
    submittedAt: claim.submittedAt,
    lastRecordedAt: claim.lastRecordedAt,
  };
}

/**
 * One sheet per funder: the claims it shares in, the city in every approved claim with a city share, a
 * district in those split to it. Counts and totals of every funder are taken in one pass over the claims;
 * each sheet's rows are then read from the claims sheet's rows when it is written (issue 13).
 */
function funderSheets(funders: readonly string[], claimRows: Iterable<Row>): Sheet[] {
  const tallies = new Map(
    funders.map((funder) => [
      funder,
      { count: 0, totals: new RunningTotals(FUNDER_CLAIM_COLUMNS) },
    ]),
  );
  const city = tallies.get('city');
  for (const claim of claimRows) {
    const district = claim['district'];
    if (typeof district !== 'string') continue;
    for (const [funder, tally] of [
      ['city', city],
      [district, tallies.get(district)],
    ] as const) {
      if (tally === undefined) continue;
      const row = funderRowOf(funder, claim);
      if (row === null) continue;
      tally.count += 1;
      tally.totals.add(row);
    }
  }
  return funders.map((funder) => {
    const name = funderName(funder) ?? funder;
    const tally = tallies.get(funder);
    return {
      id: `funder-${funder}`,
      title: sheetTitle(`出资-${name}`),
      columns: FUNDER_CLAIM_COLUMNS,
      rows: withLength(funderClaimRows(funder, claimRows), tally?.count ?? 0),
      totals: (tally?.totals ?? new RunningTotals(FUNDER_CLAIM_COLUMNS)).result(),
    };
  });
}

/** The claims a funder shares in, read lazily from the claims sheet's rows each time they are read. */
function funderClaimRows(funder: string, claimRows: Iterable<Row>): Iterable<Row> {
  return {
    *[Symbol.iterator]() {
      for (const claim of claimRows) {
        const row = funderRowOf(funder, claim);
        if (row !== null) yield row;
      }
    },
  };
}

/**
 * A claim as a funder's sheet shows it, or null when the funder has no part in it: no split (a claim
 * without one has no district on the claims sheet), another district's, or a zero share never paid.
 */
function funderRowOf(funder: string, claim: Row): Row | null {
  const city = funder === 'city';
  if (claim['district'] === null || claim['district'] === undefined) return null;
  if (!city && claim['district'] !== funder) return null;
  const share = String(city ? claim['cityShare'] : claim['districtShare']);
  const paid = String(city ? claim['paidCity'] : claim['paidDistrict']);
  if (new MoneyDecimal(share).isZero() && new MoneyDecimal(paid).isZero()) return null;
  return {
    claimId: claim['claimId'] ?? null,
    applicant: claim['applicant'] ?? null,
    programCode: claim['programCode'] ?? null,
    programTitle: claim['programTitle'] ?? null,
    clause: claim['clause'] ?? null,
    supportYear: claim['supportYear'] ?? null,
    status: claim['status'] ?? null,
    share,
    paid,
    cancelled: (city ? claim['cancelledCity'] : claim['cancelledDistrict']) ?? null,
    receivable: (city ? claim['receivableCity'] : claim['receivableDistrict']) ?? null,
    recovered: (city ? claim['recoveredCity'] : claim['recoveredDistrict']) ?? null,
  };
}

/** A sheet tab holds at most 31 characters and none of []:*?/\. */
function sheetTitle(text: string): string {
  return text.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
}

function sheet(
  id: string,
  title: string,
  columns: readonly Column[],
  rows: Iterable<Row>,
  notSummed: ReadonlySet<string> = new Set(),
): Sheet {
  const totals = new RunningTotals(columns, notSummed);
  let length = 0;
  for (const row of rows) {
    totals.add(row);
    length += 1;
  }
  return { id, title, columns, rows: withLength(rows, length), totals: totals.result() };
}

/** Rows with their count: an array or a spill has it; other iterables are counted in one pass. */
function counted(rows: Iterable<Row>): Rows<Row> {
  if ('length' in rows && typeof rows.length === 'number') return rows as Rows<Row>;
  let length = 0;
  for (const row of rows) if (row) length += 1;
  return withLength(rows, length);
}

function withLength(rows: Iterable<Row>, length: number): Rows<Row> {
  if (Array.isArray(rows)) return rows as readonly Row[];
  return { length, [Symbol.iterator]: () => rows[Symbol.iterator]() };
}

/** Sums each money column exactly (decimal.js); a closing balance may be negative, so no Money here. */
export function exactTotals(
  columns: readonly Column[],
  rows: Iterable<Row>,
  notSummed: ReadonlySet<string> = new Set(),
): Row {
  const totals = new RunningTotals(columns, notSummed);
  for (const row of rows) totals.add(row);
  return totals.result();
}

/** exactTotals one row at a time, for rows read once as they stream past. */
export class RunningTotals {
  private readonly sums: Array<{ key: string; sum: InstanceType<typeof MoneyDecimal> | null }>;

  constructor(columns: readonly Column[], notSummed: ReadonlySet<string> = new Set()) {
    this.sums = columns.map((col) => ({
      key: col.key,
      sum: col.kind !== 'money' || notSummed.has(col.key) ? null : new MoneyDecimal(0),
    }));
  }

  add(row: Row): void {
    for (const entry of this.sums) {
      if (entry.sum === null) continue;
      const value = row[entry.key];
      if (typeof value === 'string' && value.length > 0) entry.sum = entry.sum.plus(value);
    }
  }

  result(): Row {
    const totals: Record<string, string | null> = {};
    for (const entry of this.sums)
      totals[entry.key] = entry.sum === null ? null : entry.sum.toFixed(2);
    return totals;
  }
}
