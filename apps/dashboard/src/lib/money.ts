/**
 * Money in the dashboard stays what the API sends: a decimal string such as "200000.00".
 * Display never goes through a float. When the UI must add or subtract (a column total, a share
 * still to pay) it does so in whole fen with BigInt and turns the result back into a string.
 */

const MONEY_INPUT = /^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$/;

/** True when the text is an amount in the API's strict wire format (docs/policy.md §2). */
export function isMoneyString(text: string): boolean {
  return MONEY_INPUT.test(text);
}

/** "1234.5" → 123450n fen. Accepts an optional leading "-" for differences computed here. */
export function toFen(amount: string): bigint {
  const match = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`not an amount: "${amount}"`);
  const fraction = (match[3] ?? '').padEnd(2, '0');
  const fen = BigInt(match[2] as string) * 100n + BigInt(fraction);
  return match[1] === '-' ? -fen : fen;
}

/** 123450n → "1234.50". */
export function fromFen(fen: bigint): string {
  const negative = fen < 0n;
  const magnitude = negative ? -fen : fen;
  const yuan = magnitude / 100n;
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${yuan.toString()}.${cents}`;
}

export function sumMoney(amounts: Iterable<string | null | undefined>): string {
  let total = 0n;
  for (const amount of amounts) if (amount) total += toFen(amount);
  return fromFen(total);
}

export function minusMoney(left: string, right: string): string {
  return fromFen(toFen(left) - toFen(right));
}

export function compareMoney(left: string, right: string): number {
  const difference = toFen(left) - toFen(right);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** "1234567.5" → "1,234,567.50" by string surgery only (no float ever sees the value). */
export function formatMoney(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const match = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(amount);
  if (!match) return amount;
  const grouped = (match[2] as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (match[3] ?? '').padEnd(2, '0');
  return `${match[1]}${grouped}.${fraction}`;
}

/**
 * A chart's bar height. ECharts draws with numbers, so the value is converted for geometry only;
 * every label, tooltip and table shows the original string.
 */
export function toChartNumber(amount: string | null | undefined): number {
  if (!amount) return 0;
  const fen = toFen(amount);
  // Amounts have at most 13 integer digits, so fen fit a double exactly up to 2^53 (≈ 9.0e15).
  return Number(fen) / 100;
}

/** Percentage of part in whole, for a bar's fill (geometry only), from BigInt fen. */
export function ratioPercent(part: string, whole: string): number {
  const denominator = toFen(whole);
  if (denominator <= 0n) return 0;
  const basisPoints = (toFen(part) * 10000n) / denominator;
  return Number(basisPoints) / 100;
}
