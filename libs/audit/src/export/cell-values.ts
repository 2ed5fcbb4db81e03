/**
 * The edge of the export: where a ledger value becomes what a spreadsheet cell or a CSV field holds.
 * Nothing before this file turns an amount into a number (docs/decisions.md, "Finance workbook").
 */
import { MoneyDecimal } from '@hz/money';

/**
 * Why a 2-digit amount survives as a spreadsheet number (an IEEE-754 double): a double x in [2^e, 2^(e+1))
 * lies on a grid of spacing 2^(e−52), so the double nearest to an amount is at most 2^(e−53) away from it.
 * For every amount below 2^46 ≈ 7.04×10^13 yuan that distance is at most 2^−8 ≈ 0.0039 yuan, less than half
 * a fen, so rounding the cell to 2 decimals (the `#,##0.00` format, or ROUND(x,2)) gives back exactly the
 * ledger's amount. Above 2^46 the grid is 2^−6 ≈ 0.0156 and some amounts no longer come back
 * (70368744177664.01 is stored as …664.015625 and shows as …664.02); the cell-values spec shows both sides.
 * A single amount of the ledger has at most 13 integer digits (libs/money, MONEY_PATTERN), far below the
 * limit; a total could in theory pass it, and then the writer refuses rather than show a wrong fen.
 */
export const MONEY_CELL_LIMIT = new MoneyDecimal(2).pow(46);

const MONEY_TEXT = /^-?[0-9]+\.[0-9]{2}$/;

/** The number a money cell holds for a 2-digit decimal string: the only place an amount becomes a double. */
export function moneyCellNumber(text: string): number {
  if (!MONEY_TEXT.test(text)) throw new RangeError(`not a 2-digit amount: "${text}"`);
  if (new MoneyDecimal(text).abs().greaterThanOrEqualTo(MONEY_CELL_LIMIT)) {
    throw new RangeError(
      `amount ${text} is beyond what a spreadsheet number holds to the fen (2^46)`,
    );
  }
  // The shortest-round-trip parse gives the double nearest to the decimal; see the comment above.
  return Number(text);
}

/** An integer cell as a number when a double holds it exactly, else null (the writer then keeps the text). */
export function integerCellNumber(value: string | number): number | null {
  const number =
    typeof value === 'number' ? value : /^-?[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(number) ? number : null;
}

/** Excel's and LibreOffice's limit on the characters of one cell. */
export const CELL_TEXT_MAX = 32_767;

/**
 * Free text made safe for any cell: C0/C1 control characters other than tab, line feed and carriage
 * return are removed (XML 1.0 cannot carry them and they break the cell), as are the non-characters
 * U+FFFE/U+FFFF; a lone surrogate becomes U+FFFD; text longer than a cell holds is cut with an ellipsis.
 */
export function sanitizeText(text: string): string {
  let clean = text.replace(
    // eslint-disable-next-line no-control-regex -- these control characters are what is removed
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g,
    '',
  );
  clean = clean.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  return clean.length > CELL_TEXT_MAX ? `${clean.slice(0, CELL_TEXT_MAX - 1)}…` : clean;
}

/**
 * A text a spreadsheet would run as a formula when it reads a CSV (OWASP "CSV injection"): one starting
 * with =, +, -, @, tab or carriage return. The CSV writer prefixes it with an apostrophe; the xlsx writer
 * stores every text as a string cell, which no spreadsheet evaluates.
 */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text);
}

/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for the ledger. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

export interface LocalTime {
  /** A Date whose UTC fields are the Shanghai wall clock: what a spreadsheet date serial stores. */
  readonly wallClock: Date;
  /** False for a bare business date (no time of day was recorded). */
  readonly hasTime: boolean;
}

/**
 * An instant or business time as Shanghai wall-clock time, truncated to the second (a cell shows seconds;
 * rounding could move a payment into the next day or month). A bare 'YYYY-MM-DD' stays that date.
 */
export function shanghaiLocalTime(iso: string): LocalTime | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const date = new Date(`${iso}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? null : { wallClock: date, hasTime: false };
  }
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  return {
    wallClock: new Date(Math.floor((ms + SHANGHAI_OFFSET_MS) / 1000) * 1000),
    hasTime: true,
  };
}

/** The first day of a fiscal month 'YYYY-MM' as a wall-clock date. */
export function monthStart(period: string): Date | null {
  if (!/^\d{4}-\d{2}$/.test(period)) return null;
  const date = new Date(`${period}-01T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** 'yyyy-mm-dd hh:mm:ss' (or 'yyyy-mm-dd' for a bare date) in Shanghai time, for CSV and the notes. */
export function shanghaiText(iso: string): string {
  const local = shanghaiLocalTime(iso);
  if (local === null) return iso;
  const text = local.wallClock.toISOString();
  return local.hasTime ? `${text.slice(0, 10)} ${text.slice(11, 19)}` : text.slice(0, 10);
}
