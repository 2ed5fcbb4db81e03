/**
 * `ledger export` on a demo ledger built through the real command path, opened the way the finance bureau
 * opens it (docs/decisions.md, "Finance workbook"): LibreOffice recalculates every formula, and SUM over
 * each money column, COUNT over the claims and each SUBTOTAL row equal the figures of a fresh in-memory
 * replay (the projections' reference model) to the fen. The layout (one frozen header row, autofilter,
 * number/date/text cells, print setup, properties, seal) is read back with exceljs, and the first printed
 * page of every sheet is rendered to test-artifacts/xlsx/ for a human to look at.
 */
import ExcelJS from 'exceljs';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DATETIME_FORMAT, MONEY_FORMAT, SUMMARY_COLUMNS, type Checkpoint } from '@hz/audit';
import { openSqliteEventStore } from '@hz/event-store';
import { Money, MoneyDecimal } from '@hz/money';
import {
  fiscalReport,
  InMemoryReadModel,
  toLedgerRecord,
  type LedgerRecord,
} from '@hz/projections';
import { demoLedgerTemplate, runLedger } from './testing/cli-harness';
import {
  pdfPageCount,
  pdfPageText,
  printToPdf,
  renderPage,
  sheetsAsShown,
} from './testing/libreoffice';

jest.setTimeout(240_000);

const ARTIFACTS = resolve(__dirname, '../../../test-artifacts/xlsx');
const DATA_SHEETS = ['汇总', '按月', '申报', '决定', '拨付', '追回'] as const;

let template: { readonly dir: string; copy(): string };
beforeAll(async () => {
  template = await demoLedgerTemplate(30);
});

async function referenceModel(dataDir: string, asOfMs: number): Promise<InMemoryReadModel> {
  const store = await openSqliteEventStore({ file: join(dataDir, 'ledger.db') });
  try {
    const records: LedgerRecord[] = [];
    for (let from = 0n; ;) {
      const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
      if (page.length === 0) break;
      records.push(
        ...page
          .filter((event) => Date.parse(event.metadata.recordedAt) <= asOfMs)
          .map(toLedgerRecord),
      );
      from = page[page.length - 1]!.position;
    }
    return InMemoryReadModel.of(records);
  } finally {
    await store.close();
  }
}

const sum = (values: Iterable<string>): string =>
  Money.sum([...values].map((value) => Money.parse(value))).toString();
const signedSum = (values: Iterable<string>): string =>
  [...values].reduce((total, value) => total.plus(value), new MoneyDecimal(0)).toFixed(2);
const shown = (text: string | undefined): string => (text ?? '').replace(/,/g, '');
const FLOWS = ['committed', 'disbursed', 'cancelled', 'receivable', 'recovered'] as const;

interface ExportJson {
  readonly asOf: string;
  readonly logPosition: string;
  readonly eventCount: number;
  readonly files: string[];
  readonly seal: {
    readonly merkleRoot: string;
    readonly position: string;
    readonly verified: boolean;
    readonly problems: string[];
  } | null;
  readonly sheets: Array<{ readonly id: string; readonly title: string; readonly rows: number }>;
}

/** The reference figures per funder: flows over every month, balances of the last month. */
function funderFigures(model: InMemoryReadModel): Map<string, Record<string, string>> {
  const report = fiscalReport(model.fiscalBuckets(), { period: 'month' });
  const figures = new Map<string, Record<string, string>>();
  for (const funder of new Set(report.map((row) => row.funder))) {
    const rows = report.filter((row) => row.funder === funder);
    const last = rows[rows.length - 1]!;
    figures.set(funder, {
      ...Object.fromEntries(FLOWS.map((flow) => [flow, sum(rows.map((row) => row[flow]))])),
      outstanding: last.outstanding,
      receivableOutstanding: last.receivableOutstanding,
    });
  }
  return figures;
}

/** A copy of the export with one more sheet of SUM / COUNT formulas (no cached results) and a sentinel whose cached result is wrong. */
async function withCheckSheet(
  source: string,
  target: string,
  checks: ReadonlyArray<[string, string]>,
): Promise<void> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(source);
  const sheet = book.addWorksheet('核对');
  sheet.addRow(['sentinel', { formula: '1+1', result: 5 }]);
  for (const [label, formula] of checks)
    sheet.addRow([label, { formula }]).getCell(2).numFmt = formula.startsWith('COUNT')
      ? '0'
      : '0.00';
  await book.xlsx.writeFile(target);
}

describe('ledger export --format xlsx on the whole history (as of now, by funder, sealed)', () => {
  let dataDir: string;
  let out: string;
  let report: ExportJson;
  let checkpoint: Checkpoint;
  let before: number;
  let checkedSheets: Promise<Map<string, string[][]>>;
  let printed: Promise<string>;

  beforeAll(async () => {
    dataDir = template.copy();
    const sealed = await runLedger(dataDir, ['seal']);
    expect(sealed.code).toBe(0);
    const checkpointFile = /written to (.+)\n/.exec(sealed.stdout)![1]!;
    checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8')) as Checkpoint;
    out = join(dataDir, 'out', 'ledger.xlsx');
    before = Date.now();
    const run = await runLedger(dataDir, [
      'export',
      '--format',
      'xlsx',
      '--out',
      out,
      '--by-funder',
      '--json',
    ]);
    expect(run.code).toBe(0);
    report = JSON.parse(run.stdout) as ExportJson;
    // The two LibreOffice runs (recalculated CSV, PDF) go side by side, each with its own profile.
    checkedSheets = checkedCopy().then((checked) =>
      sheetsAsShown(checked, [...DATA_SHEETS, '核对']),
    );
    printed = printToPdf(out, join(dataDir, 'pdf'));
    // Keep a failed conversion from surfacing as an unhandled rejection before the test awaits it.
    checkedSheets.catch(() => undefined);
    printed.catch(() => undefined);
  });

  const rowsOf = (id: string): number => report.sheets.find((sheet) => sheet.id === id)!.rows;
  const col = (title: string, letter: string, rows: number): string =>
    `'${title}'!${letter}2:${letter}${rows + 1}`;

  /** 汇总 C..I: committed … receivable outstanding; 申报 H 申请金额, N/O paid by city/district; 拨付/追回 F amount. */
  async function checkedCopy(): Promise<string> {
    const checked = join(dataDir, 'out', 'checked.xlsx');
    await withCheckSheet(out, checked, [
      ...['C', 'D', 'E', 'F', 'G', 'H', 'I'].map((letter): [string, string] => [
        `汇总 ${letter}`,
        `SUM(${col('汇总', letter, rowsOf('summary'))})`,
      ]),
      ['申报 paid city', `SUM(${col('申报', 'N', rowsOf('claims'))})`],
      ['申报 paid district', `SUM(${col('申报', 'O', rowsOf('claims'))})`],
      ['申报 count', `COUNT(${col('申报', 'H', rowsOf('claims'))})`],
      ['拨付 amount', `SUM(${col('拨付', 'F', rowsOf('disbursements'))})`],
      ['追回 amount', `SUM(${col('追回', 'F', rowsOf('recoveries'))})`],
      [
        '拨付 city',
        `SUMIF(${col('拨付', 'D', rowsOf('disbursements'))},"city",${col('拨付', 'F', rowsOf('disbursements'))})`,
      ],
    ]);
    return checked;
  }

  it('defaults --as-of to now, and names the log position and the verified seal (stdout, properties, 说明)', async () => {
    expect(Date.parse(report.asOf)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(report.asOf)).toBeLessThanOrEqual(Date.now());
    expect(report.files).toEqual([out]);
    expect(report.seal).toMatchObject({
      merkleRoot: checkpoint.merkleRoot,
      position: checkpoint.position,
      verified: true,
      problems: [],
    });
    expect(report.logPosition).toBe(checkpoint.position);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.keywords).toContain(`asOf=${report.asOf}`);
    expect(book.keywords).toContain(`logPosition=${report.logPosition}`);
    expect(book.keywords).toContain(`sealRoot=${checkpoint.merkleRoot}`);
    expect(book.description).toContain(checkpoint.merkleRoot);
    const notes = book.getWorksheet('说明')!;
    const noteText = JSON.stringify(notes.getColumn(2).values);
    expect(noteText).toContain(checkpoint.merkleRoot);
    expect(noteText).toContain(report.logPosition);
  });

  it('lays every data sheet out for filters, pivots and printing, with numbers, dates and text where they belong', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const funderSheets = report.sheets.filter((sheet) => sheet.id.startsWith('funder-'));
    expect(funderSheets.map((sheet) => sheet.title)).toContain('出资-市本级');
    expect(funderSheets.map((sheet) => sheet.title)).toContain('出资-滨江区（杭州高新开发区）');
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([
      ...DATA_SHEETS,
      ...funderSheets.map((sheet) => sheet.title),
      '说明',
    ]);
    for (const { title, rows } of report.sheets) {
      const sheet = book.getWorksheet(title)!;
      const width = sheet.getRow(1).cellCount;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBe(`A1:${sheet.getColumn(width).letter}${Math.max(rows + 1, 1)}`);
      expect(sheet.pageSetup).toMatchObject({
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '1:1',
      });
      expect(sheet.getRow(2).getCell(1).value).not.toBeNull();
      if (title !== '决定') {
        expect(sheet.getRow(rows + 2).cellCount).toBe(0);
        expect(sheet.getRow(rows + 3).getCell(1).value).toBe('合计（随筛选）');
      }
    }
    const claims = book.getWorksheet('申报')!;
    const header = (claims.getRow(1).values as unknown[]).slice(1);
    const at = (name: string): number => header.indexOf(name) + 1;
    expect(header.slice(0, 5)).toEqual([
      '申请编号',
      '统一社会信用代码',
      '项目代码',
      '支持项目',
      '条款',
    ]);
    const first = claims.getRow(2);
    expect(first.getCell(at('申请金额')).type).toBe(ExcelJS.ValueType.Number);
    expect(first.getCell(at('申请金额')).numFmt).toBe(MONEY_FORMAT);
    expect(first.getCell(at('支持年度')).type).toBe(ExcelJS.ValueType.Number);
    expect(first.getCell(at('申报时间')).type).toBe(ExcelJS.ValueType.Date);
    expect(first.getCell(at('申报时间')).numFmt).toBe(DATETIME_FORMAT);
    expect(first.getCell(at('统一社会信用代码')).type).toBe(ExcelJS.ValueType.RichText);
    expect(first.getCell(at('状态')).text).toMatch(
      /^(已申报待审|已撤回|未通过|待复核会签|已核准|已撤销)$/,
    );
    expect(first.getCell(at('支持项目')).text).not.toMatch(/^c[0-9]-/);
    // An 18-character USCC and its claim id fit their columns (a character is one unit of width).
    expect(claims.getColumn(at('统一社会信用代码')).width).toBeGreaterThanOrEqual(20);
    expect(claims.getColumn(at('申请编号')).width).toBeGreaterThanOrEqual(
      String(first.getCell(1).text).length + 2,
    );
  });

  it('sums in LibreOffice to the reference figures: SUM, SUMIF and COUNT over the columns, every SUBTOTAL row, to the fen', async () => {
    const model = await referenceModel(dataDir, Date.parse(report.asOf));
    const funders = funderFigures(model);
    const claims = model.allClaims();
    const sheets = await checkedSheets;
    const check = new Map(sheets.get('核对')!.map((row) => [row[0]!, shown(row[1])]));
    expect(check.get('sentinel')).toBe('2'); // LibreOffice recalculated rather than trusting cached results.

    const total = (flow: string): string =>
      signedSum([...funders.values()].map((figures) => figures[flow]!));
    // The summary sheet's money columns, C to I after the two funder columns.
    const summaryColumns = SUMMARY_COLUMNS.filter((col) => col.kind === 'money').map(
      (col) => col.key,
    );
    expect(summaryColumns).toHaveLength(7);
    summaryColumns.forEach((flow, index) =>
      expect(shown(check.get(`汇总 ${'CDEFGHI'[index]}`))).toBe(total(flow)),
    );
    expect(Money.parse(total('disbursed')).isPositive()).toBe(true);
    expect(check.get('申报 paid city')).toBe(sum(claims.map((claim) => claim.paid.city)));
    expect(check.get('申报 paid district')).toBe(sum(claims.map((claim) => claim.paid.district)));
    expect(check.get('申报 count')).toBe(String(claims.length));
    expect(check.get('拨付 amount')).toBe(total('disbursed'));
    expect(check.get('追回 amount')).toBe(total('recovered'));
    expect(check.get('拨付 city')).toBe(funders.get('city')!['disbursed']);

    const summary = sheets.get('汇总')!;
    expect(summary[0]).toEqual([
      '出资方代码',
      '出资方',
      '已承诺',
      '已拨付',
      '已取消',
      '未拨付余额',
      '应收',
      '已追回',
      '应收余额',
    ]);
    expect(summary[1]?.slice(0, 2)).toEqual(['city', '市本级']);
    for (const row of summary.slice(1, funders.size + 1)) {
      const figures = funders.get(row[0]!)!;
      summaryColumns.forEach((flow, index) => expect(shown(row[index + 2])).toBe(figures[flow]));
      expect(row.slice(2).every((cell) => /^-?[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}$/.test(cell))).toBe(
        true,
      );
    }
    const subtotal = (title: string): string[] => {
      const rows = sheets.get(title)!;
      const last = rows[rows.length - 1]!;
      expect(last[0]).toBe('合计（随筛选）');
      expect(rows[rows.length - 2]!.every((cell) => cell === '')).toBe(true);
      return last.map(shown);
    };
    expect(subtotal('汇总').slice(2)).toEqual(summaryColumns.map(total));
    const monthly = subtotal('按月');
    expect(monthly.slice(3)).toEqual([
      total('committed'),
      total('disbursed'),
      total('cancelled'),
      '',
      total('receivable'),
      total('recovered'),
      '',
    ]);
    const claimHeader = sheets.get('申报')![0]!;
    const claimTotals = subtotal('申报');
    expect(claimTotals[claimHeader.indexOf('市级已拨付')]).toBe(
      sum(claims.map((claim) => claim.paid.city)),
    );
    expect(claimTotals[claimHeader.indexOf('区县已追回')]).toBe(
      sum(claims.map((claim) => claim.recovered.district)),
    );
    expect(subtotal('拨付')[5]).toBe(total('disbursed'));
    expect(subtotal('追回')[5]).toBe(total('recovered'));
    // Times are Beijing time: the first claim's submission shows recordedAt + 8 h.
    const firstClaim = sheets.get('申报')![1]!;
    const submitted = claims.find((claim) => claim.claimId === firstClaim[0])!.submittedAt;
    expect(firstClaim[claimHeader.indexOf('申报时间')]).toBe(
      new Date(Date.parse(submitted) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '),
    );
  });

  it('prints every sheet landscape at page width with its title on each page; the first pages go to test-artifacts/xlsx', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const pdf = await printed;
    copyFileSync(pdf, join(ARTIFACTS, 'ledger-export.pdf'));
    const pages = pdfPageCount(pdf);
    const titles = [...DATA_SHEETS, '出资-市本级', '说明'];
    const firstPages = new Map<string, number>();
    for (let page = 1; page <= pages && firstPages.size < titles.length; page += 1) {
      const title = pdfPageText(pdf, page).trimStart().split(/\s/)[0]!;
      if (titles.includes(title) && !firstPages.has(title)) firstPages.set(title, page);
    }
    expect([...firstPages.keys()].sort()).toEqual([...titles].sort());
    expect(firstPages.get('汇总')).toBe(1);
    expect(firstPages.get('按月')).toBe(2); // 15 funders and the totals fit one page
    const first = pdfPageText(pdf, 1);
    expect(first).toContain('市本级');
    expect(first).toContain('合计（随筛选）');
    expect(first).toContain('第 1 页');
    titles.forEach((title, index) =>
      renderPage(
        pdf,
        firstPages.get(title)!,
        join(ARTIFACTS, `${String(index + 1).padStart(2, '0')}-${title}`),
      ),
    );
  });
});

it('exports what the ledger knew mid-history (with a progress bar): the cached totals equal a replay as of that date', async () => {
  const dataDir = template.copy();
  const out = join(dataDir, 'mid.xlsx');
  const run = await runLedger(dataDir, [
    'export',
    '--as-of',
    '2024-06-30',
    '--format',
    'xlsx',
    '--out',
    out,
    '--progress',
  ]);
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/^export \[#+\] 100\.0% [0-9]+ events/m);
  expect(run.stdout).toContain('as of 2024-06-30T15:59:59.999Z');
  expect(run.stdout).toContain('seal: none covers this export');
  const model = await referenceModel(dataDir, Date.parse('2024-06-30T23:59:59.999+08:00'));
  const figures = funderFigures(model);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(out);
  const summary = book.getWorksheet('汇总')!;
  const totals = summary.getRow(summary.rowCount);
  expect(totals.getCell(1).value).toBe('合计（随筛选）');
  FLOWS.forEach((flow, index) => {
    const cell = totals.getCell([3, 4, 5, 7, 8][index]!).value as ExcelJS.CellFormulaValue;
    expect(cell.formula).toMatch(/^SUBTOTAL\(109,/);
    expect((cell.result as number).toFixed(2)).toBe(
      sum([...figures.values()].map((row) => row[flow]!)),
    );
  });
  expect(summary.rowCount).toBe(figures.size + 3);
  expect(book.getWorksheet('申报')!.rowCount).toBe(model.allClaims().length + 3);
});

it('writes one UTF-8 CSV with BOM per sheet: one Chinese header row, exact amounts, no totals row', async () => {
  const dataDir = template.copy();
  const out = join(dataDir, 'csv');
  const run = await runLedger(dataDir, [
    'export',
    '--as-of',
    '2030-01-01',
    '--format',
    'csv',
    '--out',
    out,
  ]);
  expect(run.code).toBe(0);
  const summary = readFileSync(join(out, 'summary.csv'), 'utf8').split('\r\n');
  expect(summary[0]).toBe(
    '\uFEFF出资方代码,出资方,已承诺,已拨付,已取消,未拨付余额,应收,已追回,应收余额',
  );
  expect(summary[1]).toMatch(/^city,市本级,[0-9]+\.[0-9]{2},/);
  expect(summary.some((line) => line.includes('合计'))).toBe(false);
  const model = await referenceModel(dataDir, Date.parse('2030-01-01T23:59:59.999+08:00'));
  expect(
    readFileSync(join(out, 'claims.csv'), 'utf8')
      .split('\r\n')
      .filter((line) => line.length > 0),
  ).toHaveLength(model.allClaims().length + 1);
});

it('names a checkpoint that no longer matches as not verified', async () => {
  const dataDir = template.copy();
  expect(
    (await runLedger(dataDir, ['seal', '--out', join(dataDir, 'checkpoints', 'real.json')])).code,
  ).toBe(0);
  const real = JSON.parse(
    readFileSync(join(dataDir, 'checkpoints', 'real.json'), 'utf8'),
  ) as Checkpoint;
  const forged = {
    ...real,
    merkleRoot: real.merkleRoot.replace(/^./, (c) => (c === '0' ? '1' : '0')),
  };
  writeFileSync(join(dataDir, 'checkpoints', 'real.json'), JSON.stringify(forged));
  const run = await runLedger(dataDir, [
    'export',
    '--format',
    'xlsx',
    '--out',
    join(dataDir, 'x.xlsx'),
    '--json',
  ]);
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as ExportJson;
  expect(report.seal).toMatchObject({ merkleRoot: forged.merkleRoot, verified: false });
  expect(report.seal!.problems.join(' ')).toContain('CHECKPOINT.SIGNATURE_INVALID');
});

it('refuses an unknown format, a missing --out or a malformed --as-of with exit code 2', async () => {
  const dataDir = template.copy();
  expect(
    (await runLedger(dataDir, ['export', '--as-of', '2024-01-01', '--format', 'pdf', '--out', 'x']))
      .code,
  ).toBe(2);
  expect((await runLedger(dataDir, ['export', '--format', 'xlsx'])).code).toBe(2);
  expect(
    (
      await runLedger(dataDir, [
        'export',
        '--as-of',
        'yesterday',
        '--format',
        'xlsx',
        '--out',
        'x.xlsx',
      ])
    ).code,
  ).toBe(2);
});
