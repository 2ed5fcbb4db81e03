/**
 * Writes an ExportWorkbook as .xlsx with exceljs: Chinese headers, English in a second header row. It uses
 * exceljs's streaming writer, committing each row as it goes, so a million-event ledger's export does not
 * hold the whole workbook in memory.
 */
import ExcelJS from 'exceljs';
import { PassThrough, type Writable } from 'node:stream';
import type { ExportWorkbook, Sheet } from './workbook';

export const HEADER_ROWS = 2;
export const TOTALS_LABEL_ZH = '合计 Total';

export async function writeWorkbookXlsx(workbook: ExportWorkbook, stream: Writable): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  book.creator = 'hz-cbec-claims-ledger';
  book.created = new Date(workbook.generatedAt);
  addNotesSheet(book, workbook);
  for (const sheet of workbook.sheets) addSheet(book, sheet);
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

function addSheet(book: ExcelJS.stream.xlsx.WorkbookWriter, sheet: Sheet): void {
  const target = book.addWorksheet(sheet.title, { views: [{ state: 'frozen', ySplit: HEADER_ROWS }] });
  // Columns are set before the first row: a streaming writer cannot style rows it has already flushed.
  target.columns = sheet.columns.map((col) => ({
    key: col.key,
    width: Math.min(Math.max(col.zh.length * 2, col.en.length, 10) + 2, 48),
    // '@' keeps Excel from turning "0012.50" or a USCC into a number; amounts stay exact text.
    style: { numFmt: col.kind === 'integer' ? 'General' : '@', alignment: col.kind === 'money' ? { horizontal: 'right' } : {} },
  }));
  const header = target.addRow(sheet.columns.map((col) => col.zh));
  header.font = { bold: true };
  header.commit();
  const english = target.addRow(sheet.columns.map((col) => col.en));
  english.font = { italic: true, color: { argb: 'FF666666' } };
  english.commit();
  for (const row of sheet.rows) target.addRow(sheet.columns.map((col) => row[col.key] ?? null)).commit();
  if (sheet.totals) {
    const totals = target.addRow(sheet.columns.map((col, index) => (index === 0 ? TOTALS_LABEL_ZH : (sheet.totals?.[col.key] ?? null))));
    totals.font = { bold: true };
    totals.commit();
  }
  target.commit();
}

function addNotesSheet(book: ExcelJS.stream.xlsx.WorkbookWriter, workbook: ExportWorkbook): void {
  const notes = book.addWorksheet('说明 Notes');
  notes.columns = [{ width: 28, style: { font: { bold: true } } }, { width: 90 }];
  const rows: Array<[string, string]> = [
    ['数据截至 As of (ledger time)', workbook.asOf],
    ['生成时间 Generated at', workbook.generatedAt],
    ['日志位置 Log position', workbook.headPosition],
    ['金额 Amounts', '人民币元，两位小数的精确文本（非浮点数）；合计行以十进制精确计算。CNY as exact 2-digit decimal text, not floating-point numbers; totals rows are computed exactly.'],
    ['月份 Months', '财政月份按业务时间（北京时间 UTC+8）归属。Fiscal months follow business time in UTC+08:00.'],
    ['来源 Source', '由事件日志重放生成，与系统投影一致。Rebuilt from the event log with the same projections the service uses.'],
  ];
  for (const row of rows) notes.addRow(row).commit();
  notes.commit();
}
