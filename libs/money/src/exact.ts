import type { DecimalValue } from './money';

/**
 * Exact integer arithmetic for the few places where a Decimal operation would round to its precision
 * before we round to the fen: two roundings in a row can cross a fen boundary, so we scale to bigint,
 * compute exactly and round once.
 */
export interface ScaledInteger {
  /** value = units / 10^scale */
  readonly units: bigint;
  readonly scale: number;
}

/** A finite, non-negative decimal as an exact numerator over a power of ten. */
export function toScaledInteger(value: DecimalValue, what: string): ScaledInteger {
  if (!value.isFinite() || value.lessThan(0))
    throw new RangeError(`${what} must be finite and non-negative: ${value.toString()}`);
  // toFixed() without arguments is unrounded normal notation, so no digit is lost.
  const [integerPart, fractionPart = ''] = value.toFixed().split('.');
  return { units: BigInt(`${integerPart}${fractionPart}`), scale: fractionPart.length };
}

export function powerOfTen(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** units / 10^scale rounded to an integer, toward zero or half up; units are never negative here. */
export function roundScaled(units: bigint, scale: number, mode: 'down' | 'half-up'): bigint {
  const divisor = powerOfTen(scale);
  const quotient = units / divisor;
  if (mode === 'down') return quotient;
  return 2n * (units % divisor) >= divisor ? quotient + 1n : quotient;
}
