/**
 * Writes an ExportWorkbook as .xlsx with exceljs's streaming writer: each row is committed as it goes, and
 * every few hundred rows the writer waits until the zip has deflated what it was given (exceljs itself
 * never waits), so with spilled rows (row-spill.ts) neither the rows nor the sheet XML grow in memory with
 * the ledger (issue 13; docs/benchmarks.md "Export, streamed"). The layout is the one a
 * finance officer can sum, filter and print (docs/decisions.md, "Finance workbook"):
 * - one header row (Chinese), frozen, with an autofilter over header and data;
 * - amounts as number cells `#,##0.00`, times as date cells in Asia/Shanghai, counts as numbers,
 *   identifiers and free text as inline string cells (never a formula);
 * - below the data, one blank row, then a totals row of SUBTOTAL(109, …) formulas that follow the filter,
 *   each stored with its cached result computed exactly by us (for readers that do not recalculate);
 * - landscape, fit to page width, header row repeated on every printed page;
 * - document properties and a 说明 sheet: as-of, log position, seal.
 */
import ExcelJS from 'exceljs';
import { PassThrough, type Writable } from 'node:stream';
import {
  integerCellNumber,
  monthStart,
  moneyCellNumber,
  sanitizeText,
  shanghaiLocalTime,
  shanghaiText,
} from './cell-values';
import type { CellValue, Column, ColumnKind, ExportWorkbook, Row, Sheet } from './workbook';

export const HEADER_ROWS = 1;
export const TOTALS_LABEL_ZH = '合计（随筛选）';
export const NOTES_SHEET_TITLE = '说明';

export const MONEY_FORMAT = '#,##0.00';
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
export const DATE_FORMAT = 'yyyy-mm-dd';
export const MONTH_FORMAT = 'yyyy-mm';

const NUMBER_FORMATS: Readonly<Record<ColumnKind, string>> = {
  text: '@',
  id: '@',
  money: MONEY_FORMAT,
  integer: '0',
  datetime: DATETIME_FORMAT,
  businessTime: DATETIME_FORMAT,
  month: MONTH_FORMAT,
};

/** Rows sampled to size a column: enough to see every identifier shape without scanning a million rows. */
const WIDTH_SAMPLE_ROWS = 2000;
const PAPER_A4 = 9;
const PAPER_A3 = 8;
const A4_LANDSCAPE_WIDTH = 170;

/**
 * Dates centred, identifiers and amounts kept off their neighbours by an indent. Free text is not wrapped:
 * a streaming writer cannot size row heights, and wrapped lines would print over the next row.
 */
const ALIGNMENTS: Readonly<Record<ColumnKind, Partial<ExcelJS.Alignment>>> = {
  text: { vertical: 'top' },
  id: { vertical: 'top', horizontal: 'left', indent: 1 },
  money: { vertical: 'top', horizontal: 'right', indent: 1 },
  integer: { vertical: 'top', horizontal: 'right', indent: 1 },
  datetime: { vertical: 'top', horizontal: 'center' },
  businessTime: { vertical: 'top', horizontal: 'center' },
  month: { vertical: 'top', horizontal: 'center' },
};
const HEADER_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFDCE6F1' },
};

export async function writeWorkbookXlsx(workbook: ExportWorkbook, stream: Writable): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  setProperties(book, workbook);
  for (const sheet of workbook.sheets) await addSheet(book, sheet, workbook, stream);
  addNotesSheet(book, workbook);
  await book.commit();
}

/** The whole file in memory: for HTTP responses and tests. */
export async function workbookToXlsx(workbook: ExportWorkbook): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  await writeWorkbookXlsx(workbook, sink);
  await finished;
  return Buffer.concat(chunks);
}

/** A cell's value as the spreadsheet stores it, and the number format when it differs from the column's. */
export function xlsxCell(
  kind: ColumnKind,
  value: CellValue | undefined,
): { value: ExcelJS.CellValue; numFmt?: string } {
  if (value === null || value === undefined || value === '') return { value: null };
  switch (kind) {
    case 'money':
      return { value: moneyCellNumber(String(value)) };
    case 'integer': {
      const number = integerCellNumber(value);
      return { value: number ?? textValue(String(value)) };
    }
    case 'datetime':
    case 'businessTime': {
      const local = shanghaiLocalTime(String(value));
      if (local === null) return { value: textValue(String(value)) };
      return local.hasTime
        ? { value: local.wallClock }
        : { value: local.wallClock, numFmt: DATE_FORMAT };
    }
    case 'month': {
      const start = monthStart(String(value));
      return { value: start ?? textValue(String(value)) };
    }
    default:
      return { value: textValue(String(value)) };
  }
}

/** An inline string cell (t="inlineStr"): text, whatever it starts with; no spreadsheet evaluates it. */
function textValue(text: string): ExcelJS.CellValue {
  return { richText: [{ text: sanitizeText(text) }] };
}

const columnLetter = (index: number): string => {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
};

async function addSheet(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  sheet: Sheet,
  workbook: ExportWorkbook,
  output: Writable,
): Promise<void> {
  const lastColumn = columnLetter(sheet.columns.length - 1);
  const lastDataRow = HEADER_ROWS + sheet.rows.length;
  // One sample of the first rows for every column's width: a spilled sheet is read once for it, not per column.
  const sample = firstRows(sheet, WIDTH_SAMPLE_ROWS);
  const widths = sheet.columns.map((col) => columnWidth(col, sheet, sample));
  // A4 landscape fits about 150 character widths legibly; a wider sheet (申报) prints on A3 landscape.
  const paperSize =
    widths.reduce((sum, width) => sum + width, 0) > A4_LANDSCAPE_WIDTH ? PAPER_A3 : PAPER_A4;
  const target = book.addWorksheet(sheet.title, {
    views: [
      {
        state: 'frozen',
        ySplit: HEADER_ROWS,
        xSplit: 0,
        topLeftCell: `A${HEADER_ROWS + 1}`,
        activeCell: `A${HEADER_ROWS + 1}`,
      },
    ],
    // Stored on the writer for the sheet XML: the filter covers the header and the data, never the totals.
    autoFilter: `A1:${lastColumn}${Math.max(lastDataRow, HEADER_ROWS)}`,
    pageSetup: {
      paperSize,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `1:${HEADER_ROWS}`,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: {
      oddHeader: `&L&A&R数据截至 ${shanghaiText(workbook.asOf)}（北京时间）`,
      oddFooter: '&C第 &P 页，共 &N 页',
    },
  } as Partial<ExcelJS.AddWorksheetOptions>);
  // Columns are set before the first row: a streaming writer cannot style rows it has already flushed.
  target.columns = sheet.columns.map((col, index) => ({
    key: col.key,
    width: widths[index],
    style: { numFmt: NUMBER_FORMATS[col.kind], alignment: ALIGNMENTS[col.kind] },
  }));
  const header = target.addRow(sheet.columns.map((col) => col.zh));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();
  let written = 0;
  for (const row of sheet.rows) {
    if (++written % ROWS_BETWEEN_WAITS === 0) await zipCaughtUp(target, output);
    const added = target.addRow([]);
    sheet.columns.forEach((col, index) => {
      const cell = xlsxCell(col.kind, row[col.key]);
      if (cell.value === null) return;
      const target = added.getCell(index + 1);
      target.value = cell.value;
      if (cell.numFmt) target.numFmt = cell.numFmt;
    });
    added.commit();
  }
  if (sheet.totals) addTotalsRow(target, sheet, lastDataRow);
  target.commit();
}

/** One blank row under the data, then SUBTOTAL(109, …) per summed column with our exact total cached. */
function addTotalsRow(target: ExcelJS.Worksheet, sheet: Sheet, lastDataRow: number): void {
  target.addRow([]).commit();
  // With no data rows the range is the blank row itself, so the formula still reads 0.
  const firstDataRow = HEADER_ROWS + 1;
  const endRow = Math.max(lastDataRow, firstDataRow);
  const totals = target.addRow([]);
  const label = totals.getCell(1);
  label.value = TOTALS_LABEL_ZH;
  label.numFmt = '@';
  sheet.columns.forEach((col, index) => {
    const total = sheet.totals?.[col.key];
    if (col.kind !== 'money' || total === null || total === undefined) return;
    const letter = columnLetter(index);
    totals.getCell(index + 1).value = {
      formula: `SUBTOTAL(109,${letter}${firstDataRow}:${letter}${endRow})`,
      result: moneyCellNumber(String(total)),
    };
  });
  totals.eachCell((cell) => {
    cell.font = { bold: true };
    cell.border = { top: { style: 'thin' }, bottom: { style: 'double' } };
  });
  totals.commit();
}

/** Rows written between two looks at the zip: a few hundred rows are a few hundred kB of sheet XML. */
const ROWS_BETWEEN_WAITS = 256;
/** Sheet XML the zip's entry stream may hold undeflated before the writer waits. */
const ZIP_BACKLOG_BYTES = 1 << 20;

/**
 * Waits until the zip has taken in what the sheet's stream was given. exceljs writes a sheet's XML into a
 * StreamBuf that archiver pipes, at append, into a PassThrough it reads only when the zip reaches that
 * entry; the StreamBuf writes on whatever the PassThrough answers, so a sheet written in one go sits whole
 * in memory, undeflated. The writer looks at the StreamBuf (`buffers` not yet handed on, `pipes` the
 * PassThrough) and at the output (what the file or response has not yet flushed), and yields to the event
 * loop until the backlog is small again. It always yields one turn first: without a turn of the event loop
 * the output file is not even opened and nothing deflated is written, so at 1M events the sheet XML piled
 * up in native buffers (764 MB peak, docs/benchmarks.md "Export, streamed").
 */
async function zipCaughtUp(worksheet: ExcelJS.Worksheet, output: Writable): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const stream = (worksheet as unknown as { stream?: SheetStream }).stream;
  for (;;) {
    const pipes = stream?.pipes ?? [];
    const held = (stream?.buffers?.length ?? 0) * SHEET_BUFFER_BYTES;
    const backlog = pipes.reduce(
      (sum, pipe) => sum + (pipe.writableLength ?? 0) + (pipe.readableLength ?? 0),
      held + output.writableLength,
    );
    if (backlog < ZIP_BACKLOG_BYTES) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}

/** What zipCaughtUp reads of exceljs's StreamBuf (node_modules/exceljs/lib/utils/stream-buf.js). */
interface SheetStream {
  readonly pipes?: ReadonlyArray<{
    readonly writableLength?: number;
    readonly readableLength?: number;
  }>;
  readonly buffers?: readonly unknown[];
}
/** exceljs opens each sheet's StreamBuf with 64 kB buffers (workbook-writer.js `_openStream`). */
const SHEET_BUFFER_BYTES = 65_536;

/** Characters as wide as they print: CJK and full-width forms take two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width +=
      /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(
        char,
      )
        ? 2
        : 1;
  return width;
}

/** Wide enough for the header (and its filter button) and for every sampled value, so ids are never cut. */
function columnWidth(col: Column, sheet: Sheet, sample: readonly Row[]): number {
  let widest = displayWidth(col.zh) + 3;
  const fixed: Partial<Record<ColumnKind, number>> = { datetime: 19, month: 7, businessTime: 19 };
  for (const row of sample) {
    const value = row[col.key];
    if (value === null || value === undefined) continue;
    const text = String(value);
    const width = fixed[col.kind] ?? (col.kind === 'money' ? moneyWidth(text) : displayWidth(text));
    if (width > widest) widest = width;
  }
  if (col.kind === 'money' && sheet.totals?.[col.key])
    widest = Math.max(widest, moneyWidth(String(sheet.totals[col.key])));
  // Free text is cut (on screen only) past 36 columns; identifiers are never cut. +3: the indent and the filter button.
  const cap = col.kind === 'text' ? 36 : 80;
  return Math.min(widest + 3, cap);
}

/** The first `count` rows of the sheet (all of them when it has fewer). */
function firstRows(sheet: Sheet, count: number): Row[] {
  const rows: Row[] = [];
  if (count <= 0) return rows;
  for (const row of sheet.rows) {
    rows.push(row);
    if (rows.length >= count) break;
  }
  return rows;
}

/** '1234567.50' shows as '1,234,567.50'. */
function moneyWidth(text: string): number {
  const digits = text.replace(/^-/, '').split('.')[0]?.length ?? 1;
  return text.length + Math.floor((digits - 1) / 3);
}

function sealText(workbook: ExportWorkbook): string {
  const seal = workbook.seal;
  if (seal === null) return '无（未找到覆盖本导出的封存检查点）none';
  const state = seal.verified
    ? '已核验：日志前缀与封存根一致 verified'
    : `核验失败 NOT verified: ${seal.problems.join('; ')}`;
  return `${seal.merkleRoot}（日志位置 ${seal.position}，${seal.eventCount} 个事件，密钥 ${seal.keyId}，封存于 ${shanghaiText(seal.sealedAt)}；${state}）`;
}

function sealRows(workbook: ExportWorkbook): Array<[string, string]> {
  const seal = workbook.seal;
  if (seal === null) return [['封存 Seal', '无：没有覆盖本导出的封存检查点 (none)']];
  return [
    ['封存根 Seal root', seal.merkleRoot],
    [
      '封存范围 Sealed',
      `日志位置 ${seal.position}，${seal.eventCount} 个事件，封存于 ${shanghaiText(seal.sealedAt)}（北京时间），密钥 ${seal.keyId}`,
    ],
    [
      '封存核验 Seal check',
      seal.verified
        ? '已核验：日志前缀与封存根一致 (verified)'
        : `核验失败 (NOT verified): ${seal.problems.join('; ')}`,
    ],
  ];
}

function setProperties(book: ExcelJS.stream.xlsx.WorkbookWriter, workbook: ExportWorkbook): void {
  const asOfLocal = shanghaiText(workbook.asOf);
  book.creator = 'hz-cbec-claims-ledger';
  book.lastModifiedBy = 'hz-cbec-claims-ledger';
  book.created = new Date(workbook.generatedAt);
  book.modified = new Date(workbook.generatedAt);
  book.title = `跨境电商扶持资金台账 财政导出（截至 ${asOfLocal}）`;
  book.subject = `杭政办函〔2023〕9号 资金台账，数据截至 ${asOfLocal}（北京时间），日志位置 ${workbook.headPosition}`;
  book.category = '财政对账';
  const seal = workbook.seal;
  book.keywords = [
    `asOf=${workbook.asOf}`,
    `logPosition=${workbook.headPosition}`,
    `events=${workbook.eventCount}`,
    seal ? `sealRoot=${seal.merkleRoot}` : 'sealRoot=none',
    seal ? `sealPosition=${seal.position}` : '',
    seal ? `sealVerified=${seal.verified}` : '',
  ]
    .filter((part) => part.length > 0)
    .join('; ');
  book.description = `数据截至 As of: ${workbook.asOf}\n日志位置 Log position: ${workbook.headPosition}\n封存 Seal: ${sealText(workbook)}`;
}

function addNotesSheet(book: ExcelJS.stream.xlsx.WorkbookWriter, workbook: ExportWorkbook): void {
  const notes = book.addWorksheet(NOTES_SHEET_TITLE, {
    pageSetup: {
      paperSize: PAPER_A4,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
    headerFooter: { oddHeader: '&L&A', oddFooter: '&C第 &P 页，共 &N 页' },
  } as Partial<ExcelJS.AddWorksheetOptions>);
  // No wrapping (row heights cannot be sized while streaming): the value column is wide enough for the longest note.
  notes.columns = [
    { width: 28, style: { font: { bold: true } } },
    { width: 104 },
    { width: 34 },
    { width: 12 },
  ];
  const add = (cells: string[], bold = false): void => {
    const row = notes.addRow(cells.map((text) => (text === '' ? null : textValue(text))));
    if (bold) row.font = { bold: true };
    row.commit();
  };
  const rows: Array<[string, string]> = [
    ['数据截至 As of', `${shanghaiText(workbook.asOf)}（北京时间）  ${workbook.asOf}`],
    [
      '生成时间 Generated at',
      `${shanghaiText(workbook.generatedAt)}（北京时间）  ${workbook.generatedAt}`,
    ],
    ['日志位置 Log position', `${workbook.headPosition}（共 ${workbook.eventCount} 个事件）`],
    ...sealRows(workbook),
    [
      '金额 Amounts',
      '人民币元，数值单元格，格式 #,##0.00；每个金额与台账的两位小数完全一致，可直接 SUM / SUMIF / 数据透视。',
    ],
    [
      '合计 Totals',
      '每个数据表下方空一行为合计行，使用 SUBTOTAL(109, …)，随筛选变化；筛选范围不含合计行。按月表的期末余额不合计。',
    ],
    [
      '时间 Times',
      '日期时间单元格，北京时间（UTC+8），格式 yyyy-mm-dd hh:mm:ss；仅有日期的业务日期显示为 yyyy-mm-dd。',
    ],
    ['月份 Months', '财政月份按业务时间（北京时间）归属，单元格为该月 1 日，格式 yyyy-mm。'],
    [
      '来源 Source',
      '由事件日志重放生成，与系统投影一致；文本单元格一律存为文本，不会作为公式执行。',
    ],
  ];
  for (const [key, value] of rows) add([key, value]);
  add([]);
  add(['工作表 Sheet', '列 Column', 'English', '类型 Kind'], true);
  // The per-funder sheets share one layout: listed once.
  const firstFunder = workbook.sheets.find((sheet) => sheet.id.startsWith('funder-'));
  for (const sheet of workbook.sheets) {
    if (sheet.id.startsWith('funder-') && sheet !== firstFunder) continue;
    const title = sheet === firstFunder ? '出资-…（每个出资方一张）' : sheet.title;
    for (const col of sheet.columns) add([title, col.zh, col.en, col.kind]);
  }
  notes.commit();
}
