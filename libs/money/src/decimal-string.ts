import { decimalFormatError, MoneyDecimal, DecimalValue } from './money';

/**
 * Non-money decimals of docs/policy.md §2 (areas in m², allocation scores): the same strict string shape
 * as money, parsed to an exact Decimal. Errors carry `DECIMAL.*` codes.
 */
export function parseDecimalString(input: unknown): DecimalValue {
  const error = decimalFormatError(input);
  if (error) throw error;
  return new MoneyDecimal(input as string);
}

export function isDecimalString(input: unknown): input is string {
  return decimalFormatError(input) === undefined;
}

/** For constants in code and catalogs (rates, thresholds); input from outside goes through parseDecimalString. */
export function decimal(value: string | number): DecimalValue {
  return new MoneyDecimal(value);
}
