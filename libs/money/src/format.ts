/**
 * The strict decimal string format of docs/policy.md §2, shared by amounts and by other decimals (areas in m²,
 * allocation scores). A candidate that does not match gets a typed error saying why, so a 400 can explain
 * itself instead of answering "invalid".
 */

/** docs/policy.md §2: at most 13 integer digits and 2 fraction digits, no sign, no exponent. */
export const MONEY_PATTERN = /^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$/;

export type DecimalFormatReason =
  | 'NOT_A_STRING'
  | 'EMPTY'
  | 'NEGATIVE'
  | 'SIGN'
  | 'EXPONENT'
  | 'WHITESPACE'
  | 'GROUPING'
  | 'TOO_MANY_FRACTION_DIGITS'
  | 'TOO_MANY_INTEGER_DIGITS'
  | 'LEADING_ZERO'
  | 'MALFORMED';

export type MoneyParseErrorCode = `MONEY.${DecimalFormatReason}`;
export type DecimalParseErrorCode = `DECIMAL.${DecimalFormatReason}`;

export class MoneyParseError extends Error {
  constructor(
    readonly code: MoneyParseErrorCode | DecimalParseErrorCode,
    message: string,
    readonly input: unknown,
  ) {
    super(message);
    this.name = 'MoneyParseError';
  }
}

/** Why a candidate is not in the format, or undefined when it is. Checks run from the most telling reason. */
function decimalFormatReason(
  input: unknown,
): { reason: DecimalFormatReason; why: string } | undefined {
  if (typeof input !== 'string')
    return {
      reason: 'NOT_A_STRING',
      why: 'it must be a decimal string such as "200000.00", not a JSON number',
    };
  if (MONEY_PATTERN.test(input)) return undefined;
  if (input.length === 0) return { reason: 'EMPTY', why: 'it is empty' };
  if (/\s/.test(input)) return { reason: 'WHITESPACE', why: 'spaces are not allowed' };
  if (input.startsWith('-')) return { reason: 'NEGATIVE', why: 'it is never negative' };
  if (input.startsWith('+')) return { reason: 'SIGN', why: 'no sign is allowed' };
  if (/[eE]/.test(input)) return { reason: 'EXPONENT', why: 'exponents are not allowed' };
  if (/[,_]/.test(input)) return { reason: 'GROUPING', why: 'digit grouping is not allowed' };
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(input);
  if (!match)
    return {
      reason: 'MALFORMED',
      why: 'expected digits with an optional "." and 1 or 2 fraction digits',
    };
  const integerPart = match[1] as string;
  const fractionPart = match[2] ?? '';
  if (fractionPart.length > 2)
    return { reason: 'TOO_MANY_FRACTION_DIGITS', why: 'at most 2 fraction digits' };
  if (integerPart.startsWith('0'))
    return { reason: 'LEADING_ZERO', why: 'leading zeros are not allowed' };
  // The pattern failed, the fraction and the first digit are fine: only the integer length is left.
  return { reason: 'TOO_MANY_INTEGER_DIGITS', why: 'at most 13 integer digits' };
}

/** Explains why a candidate string is not a money amount; undefined when it is one. */
export function moneyFormatError(input: unknown): MoneyParseError | undefined {
  return formatError(input, 'MONEY', 'an amount');
}

/** Same as moneyFormatError, for decimals that are not amounts (areas, scores). */
export function decimalFormatError(input: unknown): MoneyParseError | undefined {
  return formatError(input, 'DECIMAL', 'a decimal');
}

function formatError(
  input: unknown,
  family: 'MONEY' | 'DECIMAL',
  what: string,
): MoneyParseError | undefined {
  const failure = decimalFormatReason(input);
  if (!failure) return undefined;
  return new MoneyParseError(
    `${family}.${failure.reason}`,
    `${shown(input)} is not ${what}: ${failure.why}`,
    input,
  );
}

/** Quotes strings; names the type of anything else (String() would throw on some objects). */
function shown(input: unknown): string {
  return typeof input === 'string' ? `"${input}"` : `a ${input === null ? 'null' : typeof input}`;
}
