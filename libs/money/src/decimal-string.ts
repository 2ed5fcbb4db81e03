import { MoneyDecimal, DecimalValue, moneyFormatError, MoneyParseError } from './money';

/**
 * Non-money decimals of policy-spec §2 (areas in m², allocation scores): the same strict string shape
 * as money, parsed to an exact Decimal.
 */
export function parseDecimalString(input: unknown): DecimalValue {
  const error = moneyFormatError(input);
  if (error) throw new MoneyParseError(error.code.replace('MONEY.', 'DECIMAL.') as never, error.message.replace('an amount', 'a decimal'), input);
  return new MoneyDecimal(input as string);
}

export function isDecimalString(input: unknown): input is string {
  return moneyFormatError(input) === undefined;
}

export function decimal(value: string | number): DecimalValue {
  return new MoneyDecimal(value);
}
