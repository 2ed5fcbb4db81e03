/**
 * Money amounts as the read models keep them: canonical text with exactly two fraction digits, never a
 * JS number (docs/architecture.md §5, "Read-model money as text"). An amount the projection only copies
 * (a requested amount, a cap, a share) needs no decimal.js value: the strict wire format of
 * docs/policy.md §2 (MONEY_PATTERN: no sign, no exponent, no leading zero, at most 2 fraction digits)
 * has one canonical text per amount, obtained by padding the fraction. Sums stay in Money (decimal.js).
 * The rebuild's CPU profile showed decimal.js parsing and printing of copied amounts (issue 13).
 */
import { Money, MONEY_PATTERN } from '@hz/money';

/** The canonical text of a money string ("200000" → "200000.00", "1.5" → "1.50"): Money.parse(x).toString(). */
export function moneyText(input: string): string {
  const match = MONEY_PATTERN.exec(input);
  // Not the wire format: Money.parse throws the same typed error the projection threw before.
  if (match === null) return Money.parse(input).toString();
  const fraction = match[2];
  if (fraction === undefined) return `${input}.00`;
  return fraction.length === 2 ? `${input}0` : input;
}

/** Whether a money string is zero, without a decimal.js value ("0", "0.0" and "0.00" are). */
export function isZeroMoney(input: string): boolean {
  return moneyText(input) === '0.00';
}

/**
 * a + b as canonical text, what `Money.parse(a).plus(Money.parse(b)).toString()` gives, in whole fen
 * (bigint: exact at any size) instead of two decimal.js parses, a sum and a print. The evolve steps sum
 * amounts on nearly every claim event (fiscal buckets, caps, a claim's paid and recovered amounts); the
 * rebuild's profile showed decimal.js there (issue 13, docs/benchmarks.md "Replay and rebuild, CPU per
 * event"). Anything outside the wire format goes through Money, which throws its typed error as before.
 */
export function addMoneyText(a: string, b: string): string {
  const x = fenOf(a);
  const y = fenOf(b);
  if (x === undefined || y === undefined) return Money.parse(a).plus(Money.parse(b)).toString();
  return textOfFen(x + y);
}

/** a − b as canonical text, what `Money.parse(a).minus(Money.parse(b)).toString()` gives (or throws). */
export function subtractMoneyText(a: string, b: string): string {
  const x = fenOf(a);
  const y = fenOf(b);
  if (x === undefined || y === undefined || x < y)
    return Money.parse(a).minus(Money.parse(b)).toString();
  return textOfFen(x - y);
}

/** The whole fen of a wire-format amount ("1.5" → 150n), undefined for anything else. */
function fenOf(input: string): bigint | undefined {
  const match = MONEY_PATTERN.exec(input);
  if (match === null) return undefined;
  const fraction = match[2];
  const fen =
    fraction === undefined
      ? '00'
      : fraction.length === 2
        ? `${fraction.slice(1)}0`
        : fraction.slice(1);
  return BigInt(`${match[1]}${fen}`);
}

function textOfFen(fen: bigint): string {
  const digits = fen.toString().padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
