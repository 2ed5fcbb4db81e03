/**
 * The sheets of the finance bureau's export: claims, decisions, disbursements, recoveries, and obligations
 * per funder and month. Claims and obligations come from the projections (rebuilt as of the export time);
 * the other sheets are the events themselves.
 */
import { MoneyDecimal } from '@hz/money';
import type { ClaimSummary, FiscalReportRow } from '@hz/projections';
import type { FactRows } from './fact-rows';
import { column, type Column, type ExportWorkbook, type Row, type Sheet } from './workbook';

const CLAIM_COLUMNS: readonly Column[] = [
  column('claimId', '申请编号', 'Claim id'), column('applicant', '统一社会信用代码', 'Applicant USCC'), column('programCode', '支持项目', 'Program'),
  column('supportYear', '支持年度', 'Support year', 'integer'), column('status', '状态', 'Status'),
  column('requestedAmount', '申请金额', 'Requested', 'money'), column('approvedAmount', '核定金额', 'Approved', 'money'),
  column('district', '承担区县', 'District'), column('cityShare', '市级承担', 'City share', 'money'), column('districtShare', '区县承担', 'District share', 'money'),
  column('paidCity', '市级已拨付', 'Paid by city', 'money'), column('paidDistrict', '区县已拨付', 'Paid by district', 'money'),
  column('cancelledCity', '市级已取消', 'Cancelled, city', 'money'), column('cancelledDistrict', '区县已取消', 'Cancelled, district', 'money'),
  column('receivableCity', '市级应收', 'Receivable, city', 'money'), column('receivableDistrict', '区县应收', 'Receivable, district', 'money'),
  column('recoveredCity', '市级已追回', 'Recovered, city', 'money'), column('recoveredDistrict', '区县已追回', 'Recovered, district', 'money'),
];

const DECISION_COLUMNS: readonly Column[] = [
  column('position', '日志位置', 'Log position', 'integer'), column('occurredAt', '决定时间', 'Decided at'), column('claimId', '申请编号', 'Claim id'),
  column('decision', '决定', 'Decision'), column('amount', '核定金额', 'Approved', 'money'), column('ceiling', '可核定上限', 'Ceiling', 'money'),
  column('ruleAmount', '规则金额', 'Rule amount', 'money'), column('district', '承担区县', 'District'), column('cityShare', '市级承担', 'City share', 'money'),
  column('districtShare', '区县承担', 'District share', 'money'), column('actor', '经办人', 'Actor'), column('policy', '政策版本', 'Policy version'),
  column('reasons', '理由', 'Reasons'),
];

const DISBURSEMENT_COLUMNS: readonly Column[] = [
  column('position', '日志位置', 'Log position', 'integer'), column('paidAt', '拨付日期', 'Paid at'), column('subject', '拨付对象', 'Claim or plan'),
  column('funder', '出资方', 'Funder'), column('amount', '金额', 'Amount', 'money'), column('paymentRef', '支付凭证号', 'Payment reference'), column('actor', '经办人', 'Actor'),
];

const RECOVERY_COLUMNS: readonly Column[] = [
  column('position', '日志位置', 'Log position', 'integer'), column('recoveredAt', '追回日期', 'Recovered at'), column('claimId', '申请编号', 'Claim id'),
  column('funder', '出资方', 'Funder'), column('amount', '金额', 'Amount', 'money'), column('recoveryRef', '追回凭证号', 'Recovery reference'), column('actor', '经办人', 'Actor'),
];

export const OBLIGATION_COLUMNS: readonly Column[] = [
  column('funder', '出资方', 'Funder'), column('period', '月份', 'Month'), column('committed', '新增承诺', 'Committed', 'money'),
  column('disbursed', '已拨付', 'Disbursed', 'money'), column('cancelled', '已取消', 'Cancelled', 'money'),
  column('outstanding', '期末未拨付余额', 'Outstanding (closing)', 'money'), column('receivable', '新增应收', 'Receivable', 'money'),
  column('recovered', '已追回', 'Recovered', 'money'), column('receivableOutstanding', '期末应收余额', 'Receivable outstanding (closing)', 'money'),
];

/** Closing balances are not additive over months, so the obligations totals row leaves them empty. */
const BALANCE_COLUMNS: ReadonlySet<string> = new Set(['outstanding', 'receivableOutstanding']);

export interface WorkbookInput {
  readonly asOf: string;
  readonly generatedAt: string;
  readonly headPosition: string;
  readonly claims: readonly ClaimSummary[];
  readonly obligations: readonly FiscalReportRow[];
  readonly facts: FactRows;
}

export function buildWorkbook(input: WorkbookInput): ExportWorkbook {
  const sheets: Sheet[] = [
    sheet('claims', '申请 Claims', CLAIM_COLUMNS, input.claims.map(claimRow)),
    sheet('decisions', '审批决定 Decisions', DECISION_COLUMNS, input.facts.decisions, false),
    sheet('disbursements', '拨付 Disbursements', DISBURSEMENT_COLUMNS, input.facts.disbursements),
    sheet('recoveries', '追回 Recoveries', RECOVERY_COLUMNS, input.facts.recoveries),
    sheet('obligations', '财政责任 Obligations', OBLIGATION_COLUMNS, input.obligations.map((row) => ({ ...row }))),
  ];
  return { asOf: input.asOf, generatedAt: input.generatedAt, headPosition: input.headPosition, sheets };
}

function claimRow(claim: ClaimSummary): Row {
  return {
    claimId: claim.claimId, applicant: claim.applicant, programCode: claim.programCode, supportYear: claim.supportYear, status: claim.status,
    requestedAmount: claim.requestedAmount, approvedAmount: claim.approvedAmount, district: claim.split?.district ?? null,
    cityShare: claim.split?.cityShare ?? null, districtShare: claim.split?.districtShare ?? null,
    paidCity: claim.paid.city, paidDistrict: claim.paid.district, cancelledCity: claim.cancelled.city, cancelledDistrict: claim.cancelled.district,
    receivableCity: claim.receivable.city, receivableDistrict: claim.receivable.district, recoveredCity: claim.recovered.city, recoveredDistrict: claim.recovered.district,
  };
}

function sheet(id: string, title: string, columns: readonly Column[], rows: readonly Row[], withTotals = true): Sheet {
  return { id, title, columns, rows, totals: withTotals ? exactTotals(columns, rows) : null };
}

/** Sums each money column exactly (decimal.js); a closing balance may be negative, so no Money here. */
export function exactTotals(columns: readonly Column[], rows: readonly Row[]): Row {
  const totals: Record<string, string | null> = {};
  for (const col of columns) {
    if (col.kind !== 'money' || BALANCE_COLUMNS.has(col.key)) {
      totals[col.key] = null;
      continue;
    }
    let sum = new MoneyDecimal(0);
    for (const row of rows) {
      const value = row[col.key];
      if (typeof value === 'string' && value.length > 0) sum = sum.plus(value);
    }
    totals[col.key] = sum.toFixed(2);
  }
  return totals;
}
