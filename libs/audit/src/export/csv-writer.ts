/**
 * Writes an ExportWorkbook as CSV: one file per sheet (RFC 4180 quoting, CRLF), each starting with a UTF-8
 * BOM so that Excel on a Chinese Windows opens it as UTF-8 rather than GBK. One header row (Chinese) and
 * the data only: a CSV is for loading elsewhere, so no totals row sits among the data (the xlsx has them).
 * Amounts stay exact 2-digit text, times are Shanghai wall-clock 'yyyy-mm-dd hh:mm:ss', free text is
 * sanitised and defused so a spreadsheet never runs it as a formula (docs/decisions.md, "Finance workbook").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { looksLikeFormula, sanitizeText, shanghaiText } from './cell-values';
import type { CellValue, Column, ExportWorkbook, Sheet } from './workbook';

const BOM = '\uFEFF';

export function sheetToCsv(sheet: Sheet): string {
  const lines = [sheet.columns.map((col) => field(col.zh))];
  for (const row of sheet.rows)
    lines.push(sheet.columns.map((col) => field(cellText(col, row[col.key]))));
  return BOM + lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
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

/**
 * The text of a cell. Amounts and counts are ours and numeric, so they are written as they are (a negative
 * balance keeps its minus); everything else is sanitised and, when it starts like a formula, prefixed with
 * an apostrophe (OWASP's advice), which spreadsheets show as text.
 */
export function cellText(col: Column, value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  switch (col.kind) {
    case 'money':
    case 'integer':
      return /^-?[0-9]+(\.[0-9]+)?$/.test(text) ? text : defuse(sanitizeText(text));
    case 'datetime':
    case 'businessTime':
      return shanghaiText(text);
    default:
      return defuse(sanitizeText(text));
  }
}

function defuse(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}

/** Quotes a field when it holds a comma, a quote or a line break. */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
