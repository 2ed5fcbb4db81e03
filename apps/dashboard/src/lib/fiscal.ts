/**
 * Turns fiscal-obligation rows into chart series. Figures are added only in BigInt fen (lib/money);
 * a row's strings are passed through untouched when nothing needs adding.
 */
import type { FiscalRow } from '../api/endpoints';
import { fromFen, toFen } from './money';
import { CLAUSE_ORDER, DISTRICTS } from './reference';

export const MEASURES = ['committed', 'disbursed', 'outstanding', 'receivable'] as const;
export type Measure = (typeof MEASURES)[number];

/** 'city' or 'district:{code}': one key per treasury. */
export type FunderKey = string;

export function funderKeyOf(row: FiscalRow): FunderKey {
  if (row.funder === 'city') return 'city';
  if (row.funder.startsWith('district:')) return row.funder;
  return `district:${row.funder}`;
}

/** The `funder` query value for one treasury: 'city' or the district code. */
export function funderParam(key: FunderKey): string {
  return key.replace(/^district:/, '');
}

export function clauseOf(row: FiscalRow): string | null {
  return row.clause ?? null;
}

export function hasClauseBreakdown(rows: readonly FiscalRow[]): boolean {
  return rows.length > 0 && rows.every((row) => clauseOf(row) !== null);
}

export function monthsOf(year: number): readonly string[] {
  return Array.from({ length: 12 }, (_, index) => `${year}-${String(index + 1).padStart(2, '0')}`);
}

/** Orders funders as the policy lists them: the city, then districts by group and document order. */
export function sortFunders(keys: Iterable<FunderKey>): FunderKey[] {
  const order = (key: FunderKey): number => {
    if (key === 'city') return -1;
    const index = DISTRICTS.findIndex((district) => `district:${district.code}` === key);
    return index === -1 ? DISTRICTS.length : index;
  };
  return [...new Set(keys)].sort(
    (left, right) => order(left) - order(right) || left.localeCompare(right),
  );
}

export function sortClauses(keys: Iterable<string>): string[] {
  const order = (key: string): number => {
    const index = CLAUSE_ORDER.indexOf(key);
    return index === -1 ? CLAUSE_ORDER.length : index;
  };
  return [...new Set(keys)].sort(
    (left, right) => order(left) - order(right) || left.localeCompare(right),
  );
}

export interface Grid {
  /** Series keys in display order. */
  readonly keys: readonly string[];
  /** values[key][categoryIndex] as a 2-digit string. */
  readonly values: ReadonlyMap<string, readonly string[]>;
}

/** Sums one measure into a key × category grid (categories are periods). */
export function gridOf(
  rows: readonly FiscalRow[],
  categories: readonly string[],
  measure: Measure,
  keyOf: (row: FiscalRow) => string,
  order: (keys: Iterable<string>) => string[],
): Grid {
  const fen = new Map<string, bigint[]>();
  for (const row of rows) {
    const column = categories.indexOf(row.period);
    if (column === -1) continue;
    const key = keyOf(row);
    let line = fen.get(key);
    if (!line) {
      line = categories.map(() => 0n);
      fen.set(key, line);
    }
    line[column] = (line[column] ?? 0n) + toFen(row[measure]);
  }
  const keys = order(fen.keys());
  const values = new Map<string, readonly string[]>();
  for (const key of keys) values.set(key, (fen.get(key) ?? []).map(fromFen));
  return { keys, values };
}

export const ALL_FIGURES = [
  'committed',
  'disbursed',
  'cancelled',
  'outstanding',
  'receivable',
  'recovered',
  'receivableOutstanding',
] as const;
export type Figure = (typeof ALL_FIGURES)[number];

export interface FunderTotals {
  readonly funder: FunderKey;
  readonly figures: Readonly<Record<Figure, string>>;
}

/** Year rows per funder (summing any per-program rows of the same funder). */
export function totalsByFunder(rows: readonly FiscalRow[]): readonly FunderTotals[] {
  const sums = new Map<FunderKey, Record<string, bigint>>();
  for (const row of rows) {
    const key = funderKeyOf(row);
    const sum = sums.get(key) ?? Object.fromEntries(ALL_FIGURES.map((figure) => [figure, 0n]));
    for (const figure of ALL_FIGURES)
      sum[figure] = (sum[figure] ?? 0n) + toFen(row[figure] ?? '0.00');
    sums.set(key, sum);
  }
  return sortFunders(sums.keys()).map((funder) => {
    const sum = sums.get(funder) ?? {};
    const figures = Object.fromEntries(
      ALL_FIGURES.map((figure) => [figure, fromFen(sum[figure] ?? 0n)]),
    ) as FunderTotals['figures'];
    return { funder, figures };
  });
}
