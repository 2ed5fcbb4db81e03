/**
 * The finance bureau's export as plain data, written to xlsx or csv by the writers beside this file.
 *
 * Money decision: amounts are written as exact 2-digit decimal strings ("1234.50"), never as spreadsheet
 * numbers. A spreadsheet number is a binary double, and a SUM over thousands of them can drift by a fen;
 * the bureau reconciles to the fen, so the export carries its own totals row, computed exactly with
 * decimal.js, and the notes sheet says so. Cells are right-aligned so they still read as amounts.
 */
export type ColumnKind = 'text' | 'money' | 'integer';

export interface Column {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  readonly kind: ColumnKind;
}

export type CellValue = string | number | null;
export type Row = Readonly<Record<string, CellValue>>;

export interface Sheet {
  /** File-name-safe id: 'claims' → claims.csv. */
  readonly id: string;
  /** The sheet tab: Chinese first, as the bureau reads it. */
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** An exact totals row (money columns summed with decimal.js), or null when totals mean nothing. */
  readonly totals: Row | null;
}

export interface ExportWorkbook {
  readonly asOf: string;
  readonly generatedAt: string;
  readonly headPosition: string;
  readonly sheets: readonly Sheet[];
}

export const column = (key: string, zh: string, en: string, kind: ColumnKind = 'text'): Column => ({ key, zh, en, kind });
