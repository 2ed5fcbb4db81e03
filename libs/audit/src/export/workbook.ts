/**
 * The finance bureau's export as plain data, written to xlsx or csv by the writers beside this file.
 *
 * Every cell value here is a string (or null): amounts are the ledger's exact 2-digit decimal strings,
 * times are the log's ISO-8601 instants, business dates are as recorded. The column kind says what the
 * cell is; only the writers turn a value into the form the reader's tool needs (a number cell with
 * `#,##0.00`, a date cell in Asia/Shanghai, CSV text). See docs/decisions.md ("Finance workbook").
 */
export type ColumnKind =
  /** Free text (names, reasons): sanitised, never a formula. */
  | 'text'
  /** An identifier (USCC, claim id, payment reference): text, never a number, sized to be read whole. */
  | 'id'
  /** A 2-digit decimal string, possibly negative for closing balances. */
  | 'money'
  /** A whole number (a log position, a year, a count), given as a decimal string or number. */
  | 'integer'
  /** An ISO-8601 instant of the log (recordedAt, occurredAt). */
  | 'datetime'
  /** A business time as recorded: 'YYYY-MM-DD' or an ISO date-time with offset. */
  | 'businessTime'
  /** A fiscal month 'YYYY-MM'. */
  | 'month';

export interface Column {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  readonly kind: ColumnKind;
}

export type CellValue = string | number | null;
export type Row = Readonly<Record<string, CellValue>>;

/**
 * A sheet's rows, read in order as often as a writer needs (a width sample, the totals, the data), with their
 * count known before the first is written. An array is one; so is a spill to a scratch file
 * (libs/audit/src/export/row-spill.ts), which keeps a large ledger's rows out of memory (issue 13,
 * docs/benchmarks.md "Export, streamed").
 */
export interface Rows<T> extends Iterable<T> {
  readonly length: number;
}

export interface Sheet {
  /** File-name-safe id: 'claims' → claims.csv. */
  readonly id: string;
  /** The sheet tab, in Chinese as the bureau reads it (at most 31 characters, none of []:*?/\). */
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: Rows<Row>;
  /**
   * The exact totals (money columns summed with decimal.js), written below the data as SUBTOTAL(109, …)
   * formulas with these values as their cached results; null when totals mean nothing. A column whose total
   * is null (a closing balance summed over months) gets no formula.
   */
  readonly totals: Row | null;
}

/** The signed checkpoint the export found for its prefix of the log, and whether the log still matches it. */
export interface ExportSeal {
  readonly position: string;
  readonly eventCount: number;
  readonly merkleRoot: string;
  readonly keyId: string;
  readonly sealedAt: string;
  /** True when the signature verifies and the first eventCount events of the log hash to merkleRoot. */
  readonly verified: boolean;
  readonly problems: readonly string[];
}

export interface ExportWorkbook {
  /** Ledger time (ISO-8601 instant): the export shows what the ledger knew then. */
  readonly asOf: string;
  readonly generatedAt: string;
  /** The last log position the export includes. */
  readonly headPosition: string;
  readonly eventCount: number;
  readonly seal: ExportSeal | null;
  readonly sheets: readonly Sheet[];
}

export const column = (key: string, zh: string, en: string, kind: ColumnKind = 'text'): Column => ({
  key,
  zh,
  en,
  kind,
});
