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
