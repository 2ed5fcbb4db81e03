/**
 * The fiscal obligations report, computed from monthly buckets (as of some ledger time). Flows
 * (committed, disbursed, cancelled, receivable, recovered) are sums over the period; `outstanding` and
 * `receivableOutstanding` are closing balances at the end of the period, i.e. Σ(committed − disbursed −
 * cancelled) and Σ(receivable − recovered) over every month up to it, so they never depend on `from`.
 */
import { MoneyDecimal, type DecimalValue } from '@hz/money';
import { FISCAL_FLOWS, type FiscalBucket, type FiscalFlow } from './rows';

export type FiscalPeriodKind = 'month' | 'year';

export interface FiscalReportQuery {
  readonly funder?: string;
  readonly period: FiscalPeriodKind;
  /** 'YYYY-MM' for months, 'YYYY' for years; both ends inclusive. */
  readonly from?: string;
  readonly to?: string;
  /** 'clause': one row set per (funder, policy clause) instead of per funder; rows then carry `clause`. */
  readonly groupBy?: 'clause';
}

export interface FiscalReportRow {
  readonly funder: string;
  readonly period: string;
  readonly committed: string;
  readonly disbursed: string;
  readonly cancelled: string;
  readonly outstanding: string;
  readonly receivable: string;
  readonly recovered: string;
  readonly receivableOutstanding: string;
  /** Only with groupBy 'clause'. */
  readonly clause?: string;
}

/** A report never lists more periods per funder than this (50 years of months). */
export const FISCAL_REPORT_PERIODS_MAX = 600;

type Totals = Record<FiscalFlow, DecimalValue>;

export function fiscalReport(
  buckets: readonly FiscalBucket[],
  query: FiscalReportQuery,
): FiscalReportRow[] {
  const byFunder = new Map<string, FiscalBucket[]>();
  for (const bucket of buckets) {
    if (query.funder !== undefined && bucket.funder !== query.funder) continue;
    const list = byFunder.get(bucket.funder) ?? [];
    list.push(bucket);
    byFunder.set(bucket.funder, list);
  }
  const funders = [...byFunder.keys()].sort();
  if (query.groupBy !== 'clause')
    return funders.flatMap((funder) => funderRows(funder, byFunder.get(funder) ?? [], query));
  return funders.flatMap((funder) => {
    const byClause = new Map<string, FiscalBucket[]>();
    for (const bucket of byFunder.get(funder) ?? [])
      byClause.set(bucket.clause, [...(byClause.get(bucket.clause) ?? []), bucket]);
    return [...byClause.keys()]
      .sort()
      .flatMap((clause) =>
        funderRows(funder, byClause.get(clause) ?? [], query).map((row) => ({ ...row, clause })),
      );
  });
}

function funderRows(
  funder: string,
  buckets: FiscalBucket[],
  query: FiscalReportQuery,
): FiscalReportRow[] {
  const perPeriod = new Map<string, Totals>();
  for (const bucket of buckets) {
    const period = query.period === 'month' ? bucket.month : bucket.month.slice(0, 4);
    const totals = perPeriod.get(period) ?? zeroTotals();
    for (const flow of FISCAL_FLOWS) totals[flow] = totals[flow].plus(bucket[flow]);
    perPeriod.set(period, totals);
  }
  const known = [...perPeriod.keys()].sort();
  const first = known[0];
  const last = known[known.length - 1];
  if (first === undefined || last === undefined) return [];
  const rows: FiscalReportRow[] = [];
  let outstanding = new MoneyDecimal(0);
  let receivableOutstanding = new MoneyDecimal(0);
  // Balances accumulate from the first month with data, even when the report starts later.
  const start = query.from !== undefined && query.from < first ? query.from : first;
  for (const period of periodsBetween(start, query.to ?? last, query.period)) {
    const totals = perPeriod.get(period) ?? zeroTotals();
    outstanding = outstanding
      .plus(totals.committed)
      .minus(totals.disbursed)
      .minus(totals.cancelled);
    receivableOutstanding = receivableOutstanding.plus(totals.receivable).minus(totals.recovered);
    if (query.from !== undefined && period < query.from) continue;
    rows.push({
      funder,
      period,
      committed: fixed(totals.committed),
      disbursed: fixed(totals.disbursed),
      cancelled: fixed(totals.cancelled),
      outstanding: fixed(outstanding),
      receivable: fixed(totals.receivable),
      recovered: fixed(totals.recovered),
      receivableOutstanding: fixed(receivableOutstanding),
    });
  }
  return rows;
}

/** A funder's figures over a whole report: the fiscal row without its period. */
export type FiscalTotalsRow = Omit<FiscalReportRow, 'period' | 'clause'>;

/**
 * Per funder (in the order they first appear), the flows summed over every row of a report and the
 * closing balances of its last row (balances are not additive over periods).
 */
export function fiscalTotals(rows: readonly FiscalReportRow[]): FiscalTotalsRow[] {
  const byFunder = new Map<string, { flows: Totals; last: FiscalReportRow }>();
  for (const row of rows) {
    const flows = byFunder.get(row.funder)?.flows ?? zeroTotals();
    for (const flow of FISCAL_FLOWS) flows[flow] = flows[flow].plus(row[flow]);
    byFunder.set(row.funder, { flows, last: row });
  }
  return [...byFunder.entries()].map(([funder, { flows, last }]) => ({
    funder,
    committed: flows.committed.toFixed(2),
    disbursed: flows.disbursed.toFixed(2),
    cancelled: flows.cancelled.toFixed(2),
    outstanding: last.outstanding,
    receivable: flows.receivable.toFixed(2),
    recovered: flows.recovered.toFixed(2),
    receivableOutstanding: last.receivableOutstanding,
  }));
}

/** Every period label from `from` to `to` inclusive ('YYYY-MM' or 'YYYY'), bounded. */
export function periodsBetween(from: string, to: string, kind: FiscalPeriodKind): string[] {
  const labels: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = kind === 'month' ? Number(from.slice(5, 7)) : 1;
  for (let count = 0; count < FISCAL_REPORT_PERIODS_MAX; count += 1) {
    const label = kind === 'month' ? `${year}-${String(month).padStart(2, '0')}` : String(year);
    if (label > to) break;
    labels.push(label);
    if (kind === 'year' || month === 12) {
      year += 1;
      month = 1;
    } else {
      month += 1;
    }
  }
  return labels;
}

function zeroTotals(): Totals {
  return {
    committed: new MoneyDecimal(0),
    disbursed: new MoneyDecimal(0),
    cancelled: new MoneyDecimal(0),
    receivable: new MoneyDecimal(0),
    recovered: new MoneyDecimal(0),
  };
}

/** 2-digit string; a balance can only go below zero if a payment's business date precedes its commitment's. */
function fixed(value: DecimalValue): string {
  return value.isZero() ? '0.00' : value.toFixed(2);
}
