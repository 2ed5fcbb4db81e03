/**
 * The workbook's cells as LibreOffice reads them (docs/decisions.md, "Finance workbook"): amounts are
 * number cells that show exactly the ledger's 2-digit value (a property over random amounts up to 10^13
 * and the edges), the SUBTOTAL row recalculated by LibreOffice equals the exact decimal total, times are
 * date cells in Beijing time, and hostile free text stays text: never a formula, never a broken cell.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  column,
  DATETIME_FORMAT,
  MONEY_FORMAT,
  workbookToXlsx,
  type ExportWorkbook,
  type Row,
} from '@hz/audit';
import { MoneyDecimal } from '@hz/money';
import { sheetsAsShown } from './testing/libreoffice';

jest.setTimeout(180_000);

/**
 * Up to 9,999,999,999,999.97 yuan. The stored double of every amount below 10^13 is within half a fen
 * (cell-values.unit.spec.ts checks the whole range), but LibreOffice 7.4's formatter rounds at 15
 * significant digits and shows the last two, 9,999,999,999,999.98 and .99, as 10,000,000,000,000.00
 * (measured: 5,000 uniform samples in [10^12, 10^13) and the edges all came back exactly, only these two
 * did not). No amount of the ledger comes near: caps are in the millions.
 */
const FEN_LIMIT = 10n ** 15n - 3n;
const toAmount = (fen: bigint): string => {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};

/** Random amounts below 10^13 yuan, positive and negative (closing balances), and the edges (see FEN_LIMIT). */
const AMOUNTS: string[] = [
  '0.00',
  '0.01',
  '0.10',
  '0.29',
  '0.57',
  '1.15',
  '4.35',
  '1000000.07',
  '9999999999999.97',
  '-9999999999999.97',
  '999999999999.99',
  '9007199254740.99',
  '1234567890123.45',
  ...fc.sample(fc.bigInt({ min: -FEN_LIMIT, max: FEN_LIMIT }).map(toAmount), {
    numRuns: 400,
    seed: 20261206,
  }),
  ...fc.sample(fc.bigInt({ min: 0n, max: 100_000_000n }).map(toAmount), { numRuns: 100, seed: 7 }),
];

const HOSTILE: ReadonlyArray<[string, string]> = [
  ['=HYPERLINK("http://evil.example","点我")', '=HYPERLINK("http://evil.example","点我")'],
  ['=1+1', '=1+1'],
  ['+1+1', '+1+1'],
  ['-1+1', '-1+1'],
  ['@SUM(A1:A2)', '@SUM(A1:A2)'],
  ['\t=1+1', '\t=1+1'],
  ["=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"],
  ['杭州\u0000某\u0007公司\u001B', '杭州某公司'],
  ['half \uD800 surrogate', 'half \uFFFD surrogate'],
];

const COLUMNS = [
  column('label', '说明', 'Label'),
  column('amount', '金额', 'Amount', 'money'),
  column('at', '时间', 'At', 'datetime'),
];
const exactSum = (rows: readonly Row[]): string =>
  rows.reduce((sum, row) => sum.plus(String(row['amount'])), new MoneyDecimal(0)).toFixed(2);

/** 金额: the property's amounts (no totals: their sum is beyond any ledger); 合计: ledger-sized amounts, hostile text and a totals row. */
function workbookOf(amountRows: Row[], totalRows: Row[]): ExportWorkbook {
  return {
    asOf: '2024-12-31T15:59:59.999Z',
    generatedAt: '2025-01-02T01:00:00.000Z',
    headPosition: '42',
    eventCount: 42,
    seal: null,
    sheets: [
      { id: 'amounts', title: '金额', rows: amountRows, totals: null, columns: COLUMNS },
      {
        id: 'totals',
        title: '合计',
        rows: totalRows,
        totals: { label: null, amount: exactSum(totalRows), at: null },
        columns: COLUMNS,
      },
    ],
  };
}

const shown = (text: string | undefined): string => (text ?? '').replace(/,/g, '');

describe('xlsx cells, read back by LibreOffice', () => {
  let file: string;
  const amountRows: Row[] = AMOUNTS.map((amount, index) => ({
    label: `amount ${index}`,
    amount,
    at: '2024-03-31T16:30:00.900Z',
  }));
  const totalRows: Row[] = [
    ...fc
      .sample(fc.bigInt({ min: 1n, max: 100_000_000_00n }).map(toAmount), {
        numRuns: 200,
        seed: 11,
      })
      .map((amount, index) => ({ label: `row ${index}`, amount, at: '2024-01-01' })),
    ...HOSTILE.map(([text], index) => ({ label: text, amount: `${index}.01`, at: '2024-01-01' })),
  ];
  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'xlsx-cells-')), 'cells.xlsx');
    writeFileSync(file, await workbookToXlsx(workbookOf(amountRows, totalRows)));
  });

  it('stores amounts as number cells with #,##0.00, times as dates, text as text and totals as SUBTOTAL with our cached value', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const amounts = book.getWorksheet('金额')!;
    expect(amounts.getRow(1).getCell(2).value).toBe('金额');
    amountRows.forEach((row, index) => {
      const cell = amounts.getRow(index + 2).getCell(2);
      expect(cell.type).toBe(ExcelJS.ValueType.Number);
      expect(cell.numFmt).toBe(MONEY_FORMAT);
      expect((cell.value as number).toFixed(2)).toBe(row['amount']);
    });
    expect(amounts.getRow(2).getCell(3).type).toBe(ExcelJS.ValueType.Date);
    expect(amounts.getRow(2).getCell(3).numFmt).toBe(DATETIME_FORMAT);
    const totals = book.getWorksheet('合计')!;
    totalRows.forEach((_row, index) =>
      expect([ExcelJS.ValueType.RichText, ExcelJS.ValueType.String]).toContain(
        totals.getRow(index + 2).getCell(1).type,
      ),
    );
    expect(totals.getRow(totalRows.length + 2).getCell(2).value).toBeNull();
    const total = totals.getRow(totalRows.length + 3).getCell(2);
    expect(total.type).toBe(ExcelJS.ValueType.Formula);
    expect(total.formula).toBe(`SUBTOTAL(109,B2:B${totalRows.length + 1})`);
    expect((total.result as number).toFixed(2)).toBe(exactSum(totalRows));
  });

  it('shows every amount to the fen, the recalculated SUBTOTAL exactly, Beijing time, and hostile text as inert text', async () => {
    const sheets = await sheetsAsShown(file, ['金额', '合计']);
    const amounts = sheets.get('金额')!;
    expect(amounts[0]).toEqual(['说明', '金额', '时间']);
    amountRows.forEach((row, index) => expect(shown(amounts[index + 1]?.[1])).toBe(row['amount']));
    expect(amounts[1]?.[2]).toBe('2024-04-01 00:30:00');
    const totals = sheets.get('合计')!;
    expect(totals[1]?.[2]).toBe('2024-01-01');
    const hostileFrom = totalRows.length - HOSTILE.length + 1;
    HOSTILE.forEach(([, expected], index) =>
      expect(totals[hostileFrom + index]?.[0]).toBe(expected),
    );
    const totalsRow = totals[totalRows.length + 2]!;
    expect(totalsRow[0]).toBe('合计（随筛选）');
    expect(shown(totalsRow[1])).toBe(exactSum(totalRows));
  });
});
