/**
 * Writes an ExportWorkbook as CSV: one file per sheet (RFC 4180 quoting, CRLF), each starting with a UTF-8
 * BOM so that Excel on a Chinese Windows opens it as UTF-8 rather than GBK. Two header rows as in xlsx.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellValue, ExportWorkbook, Sheet } from './workbook';

const BOM = '\uFEFF';

export function sheetToCsv(sheet: Sheet): string {
  const lines = [sheet.columns.map((col) => col.zh), sheet.columns.map((col) => col.en)];
  for (const row of sheet.rows) lines.push(sheet.columns.map((col) => cellText(row[col.key])));
  if (sheet.totals) lines.push(sheet.columns.map((col, index) => (index === 0 ? '合计 Total' : cellText(sheet.totals?.[col.key]))));
  return BOM + lines.map((cells) => cells.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** Writes `<dir>/<sheet id>.csv` for every sheet; returns the paths written. */
export function writeWorkbookCsv(workbook: ExportWorkbook, directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  return workbook.sheets.map((sheet) => {
    const path = join(directory, `${sheet.id}.csv`);
    writeFileSync(path, sheetToCsv(sheet), 'utf8');
    return path;
  });
}

function cellText(value: CellValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Quotes when needed, and defuses a leading =, +, - or @ so a cell can never run as a formula. */
function quote(text: string): string {
  const safe = /^[=+\-@]/.test(text) && !/^-?[0-9]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
