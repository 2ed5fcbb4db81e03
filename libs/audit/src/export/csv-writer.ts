/**
 * Writes an ExportWorkbook as CSV: one file per sheet (RFC 4180 quoting, CRLF), each starting with a UTF-8
 * BOM so that Excel on a Chinese Windows opens it as UTF-8 rather than GBK. One header row (Chinese) and
 * the data only: a CSV is for loading elsewhere, so no totals row sits among the data (the xlsx has them).
 * Amounts stay exact 2-digit text, times are Shanghai wall-clock 'yyyy-mm-dd hh:mm:ss', free text is
 * sanitised and defused so a spreadsheet never runs it as a formula (docs/decisions.md, "Finance workbook").
 * A file is written as its rows are read, in chunks of CHUNK_CHARS, so a spilled sheet (row-spill.ts) is
 * never held whole in memory (issue 13, docs/benchmarks.md "Export, streamed").
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { looksLikeFormula, sanitizeText, shanghaiText } from './cell-values';
import type { CellValue, Column, ExportWorkbook, Sheet } from './workbook';

const BOM = '\uFEFF';
/** Text gathered before one write to the file. */
const CHUNK_CHARS = 256 * 1024;

/** The sheet's text, piece by piece: the BOM and header, then one line (with its CRLF) per row. */
export function* csvLines(sheet: Sheet): Generator<string> {
  yield `${BOM}${sheet.columns.map((col) => field(col.zh)).join(',')}\r\n`;
  for (const row of sheet.rows)
    yield `${sheet.columns.map((col) => field(cellText(col, row[col.key]))).join(',')}\r\n`;
}

/** One sheet's csv as one string (an HTTP response of one sheet). */
export function sheetToCsv(sheet: Sheet): string {
  let text = '';
  for (const line of csvLines(sheet)) text += line;
  return text;
}

/** Writes `<dir>/<sheet id>.csv` for every sheet, each as its rows are read; returns the paths written. */
export function writeWorkbookCsv(workbook: ExportWorkbook, directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  return workbook.sheets.map((sheet) => {
    const path = join(directory, `${sheet.id}.csv`);
    const fd = openSync(path, 'w');
    try {
      let chunk = '';
      for (const line of csvLines(sheet)) {
        chunk += line;
        if (chunk.length >= CHUNK_CHARS) {
          writeSync(fd, chunk, null, 'utf8');
          chunk = '';
        }
      }
      if (chunk.length > 0) writeSync(fd, chunk, null, 'utf8');
    } finally {
      closeSync(fd);
    }
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
