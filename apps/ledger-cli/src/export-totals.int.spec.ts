/**
 * The finance export, read back with exceljs: its totals must equal the projections' totals computed by a
 * fresh in-memory replay (the projections' reference model), at the end and at a date mid-history.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteEventStore } from '@hz/event-store';
import { Money } from '@hz/money';
import { fiscalReport, InMemoryReadModel, toLedgerRecord, type LedgerRecord } from '@hz/projections';
import { demoLedgerTemplate, runLedger } from './testing/cli-harness';

jest.setTimeout(120_000);

let dataDir: string;
beforeAll(async () => {
  dataDir = (await demoLedgerTemplate(30)).copy();
});

async function referenceModel(asOfMs: number): Promise<InMemoryReadModel> {
  const store = await openSqliteEventStore({ file: join(dataDir, 'ledger.db') });
  try {
    const records: LedgerRecord[] = [];
    for (let from = 0n; ; ) {
      const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
      if (page.length === 0) break;
      records.push(...page.filter((event) => Date.parse(event.metadata.recordedAt) <= asOfMs).map(toLedgerRecord));
      from = page[page.length - 1]!.position;
    }
    return InMemoryReadModel.of(records);
  } finally {
    await store.close();
  }
}

/** The totals row of a sheet (last row), keyed by the English header of the second row. */
function totalsOf(sheet: ExcelJS.Worksheet): Record<string, string> {
  const english = (sheet.getRow(2).values as unknown[]).slice(1).map(String);
  const last = sheet.getRow(sheet.rowCount).values as unknown[];
  expect(String(last[1])).toBe('合计 Total');
  return Object.fromEntries(english.map((header, index) => [header, last[index + 1] === undefined || last[index + 1] === null ? '' : String(last[index + 1])]));
}

const sum = (values: Iterable<string>): string => Money.sum([...values].map((value) => Money.parse(value))).toString();

describe.each([
  ['the whole history', '2030-01-01', Date.parse('2030-01-01T23:59:59.999+08:00')],
  ['mid-history', '2024-06-30', Date.parse('2024-06-30T23:59:59.999+08:00')],
])('ledger export as of %s', (_label, asOf, asOfMs) => {
  it('writes an xlsx whose totals equal the projections', async () => {
    const out = join(dataDir, `export-${asOf}.xlsx`);
    const run = await runLedger(dataDir, ['export', '--as-of', asOf, '--format', 'xlsx', '--out', out]);
    expect(run.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const model = await referenceModel(asOfMs);

    const obligations = totalsOf(book.getWorksheet('财政责任 Obligations')!);
    const report = fiscalReport(model.fiscalBuckets(), { period: 'month' });
    for (const flow of ['committed', 'disbursed', 'cancelled', 'receivable', 'recovered'] as const) {
      const header = flow.charAt(0).toUpperCase() + flow.slice(1);
      expect(obligations[header]).toBe(sum(report.map((row) => row[flow])));
    }
    expect(Money.parse(obligations['Disbursed']!).isPositive()).toBe(true);

    const claims = totalsOf(book.getWorksheet('申请 Claims')!);
    const summaries = model.allClaims();
    expect(claims['Paid by city']).toBe(sum(summaries.map((claim) => claim.paid.city)));
    expect(claims['Paid by district']).toBe(sum(summaries.map((claim) => claim.paid.district)));
    expect(claims['Recovered, city']).toBe(sum(summaries.map((claim) => claim.recovered.city)));
    expect(book.getWorksheet('申请 Claims')!.rowCount).toBe(summaries.length + 3);

    const disbursements = totalsOf(book.getWorksheet('拨付 Disbursements')!);
    expect(disbursements['Amount']).toBe(obligations['Disbursed']);
  });
});

it('writes one UTF-8 CSV with BOM per sheet, Chinese then English headers', async () => {
  const out = join(dataDir, 'csv');
  expect((await runLedger(dataDir, ['export', '--as-of', '2030-01-01', '--format', 'csv', '--out', out])).code).toBe(0);
  const text = readFileSync(join(out, 'obligations.csv'), 'utf8');
  expect(text.startsWith('\uFEFF出资方,月份,')).toBe(true);
  expect(text.split('\r\n')[1]).toMatch(/^Funder,Month,Committed/);
});

it('refuses a missing --as-of or an unknown format with exit code 2', async () => {
  expect((await runLedger(dataDir, ['export', '--format', 'xlsx', '--out', 'x.xlsx'])).code).toBe(2);
  expect((await runLedger(dataDir, ['export', '--as-of', '2024-01-01', '--format', 'pdf', '--out', 'x'])).code).toBe(2);
});
