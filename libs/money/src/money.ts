import Decimal from 'decimal.js';

/**
 * A private Decimal constructor so that nothing else in the process can change our precision or
 * rounding: 40 significant digits cover 13 integer digits times any rate with room to spare.
 */
export const MoneyDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type DecimalValue = InstanceType<typeof MoneyDecimal>;

/** policy-spec §2: CNY, at most 13 integer digits and 2 fraction digits, no sign, no exponent. */
export const MONEY_PATTERN = /^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$/;

export type MoneyParseErrorCode =
  | 'MONEY.NOT_A_STRING'
  | 'MONEY.EMPTY'
  | 'MONEY.NEGATIVE'
  | 'MONEY.SIGN'
  | 'MONEY.EXPONENT'
  | 'MONEY.WHITESPACE'
  | 'MONEY.GROUPING'
  | 'MONEY.TOO_MANY_FRACTION_DIGITS'
  | 'MONEY.TOO_MANY_INTEGER_DIGITS'
  | 'MONEY.LEADING_ZERO'
  | 'MONEY.MALFORMED';

export class MoneyParseError extends Error {
  constructor(
    readonly code: MoneyParseErrorCode,
    message: string,
    readonly input: unknown,
  ) {
    super(message);
    this.name = 'MoneyParseError';
  }
}

/** Explains why a candidate string is not a money amount; undefined when it is one. */
export function moneyFormatError(input: unknown): MoneyParseError | undefined {
  if (typeof input !== 'string') {
    return new MoneyParseError('MONEY.NOT_A_STRING', 'amounts are decimal strings such as "200000.00", not JSON numbers', input);
  }
  if (MONEY_PATTERN.test(input)) return undefined;
  const fail = (code: MoneyParseErrorCode, why: string) => new MoneyParseError(code, `"${input}" is not an amount: ${why}`, input);
  if (input.length === 0) return fail('MONEY.EMPTY', 'it is empty');
  if (/\s/.test(input)) return fail('MONEY.WHITESPACE', 'spaces are not allowed');
  if (input.startsWith('-')) return fail('MONEY.NEGATIVE', 'amounts are never negative');
  if (input.startsWith('+')) return fail('MONEY.SIGN', 'no sign is allowed');
  if (/[eE]/.test(input)) return fail('MONEY.EXPONENT', 'exponents are not allowed');
  if (/[,_]/.test(input)) return fail('MONEY.GROUPING', 'digit grouping is not allowed');
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(input);
  if (!match) return fail('MONEY.MALFORMED', 'expected digits with an optional "." and 1 or 2 fraction digits');
  const integerPart = match[1] ?? '';
  const fractionPart = match[2];
  if (fractionPart !== undefined && fractionPart.length > 2) return fail('MONEY.TOO_MANY_FRACTION_DIGITS', 'at most 2 fraction digits (fen)');
  if (integerPart.length > 1 && integerPart.startsWith('0')) return fail('MONEY.LEADING_ZERO', 'leading zeros are not allowed');
  return fail('MONEY.TOO_MANY_INTEGER_DIGITS', 'at most 13 integer digits');
}

/**
 * An exact CNY amount, never negative, always a whole number of fen. Immutable.
 * On the wire and in events it is a string with exactly 2 fraction digits.
 */
export class Money {
  private constructor(private readonly value: DecimalValue) {}

  static readonly ZERO = new Money(new MoneyDecimal(0));

  /** Parses the strict wire format of policy-spec §2; throws MoneyParseError saying why otherwise. */
  static parse(input: unknown): Money {
    const error = moneyFormatError(input);
    if (error) throw error;
    return new Money(new MoneyDecimal(input as string));
  }

  /** Like parse, but returns the error instead of throwing. */
  static tryParse(input: unknown): { ok: true; value: Money } | { ok: false; error: MoneyParseError } {
    const error = moneyFormatError(input);
    return error ? { ok: false, error } : { ok: true, value: new Money(new MoneyDecimal(input as string)) };
  }

  /** From a Decimal that must already be a non-negative whole number of fen (an invariant, not input). */
  static fromDecimal(value: DecimalValue): Money {
    if (value.isNegative() || !value.isFinite()) throw new RangeError(`money cannot be negative or infinite: ${value.toString()}`);
    if (value.decimalPlaces() > 2) throw new RangeError(`money has at most 2 fraction digits: ${value.toString()}; round first`);
    return new Money(new MoneyDecimal(value));
  }

  static fromFen(fen: bigint): Money {
    if (fen < 0n) throw new RangeError('money cannot be negative');
    return new Money(new MoneyDecimal(fen.toString()).div(100));
  }

  static sum(amounts: Iterable<Money>): Money {
    let total = new MoneyDecimal(0);
    for (const amount of amounts) total = total.plus(amount.value);
    return new Money(total);
  }

  static min(first: Money, ...rest: Money[]): Money {
    return rest.reduce((lowest, next) => (next.lessThan(lowest) ? next : lowest), first);
  }

  static max(first: Money, ...rest: Money[]): Money {
    return rest.reduce((highest, next) => (next.greaterThan(highest) ? next : highest), first);
  }

  get decimal(): DecimalValue {
    return this.value;
  }

  toFen(): bigint {
    return BigInt(this.value.times(100).toFixed(0));
  }

  plus(other: Money): Money {
    return new Money(this.value.plus(other.value));
  }

  /** Subtraction that refuses to go below zero: a negative balance is a bug, not a value. */
  minus(other: Money): Money {
    const result = this.value.minus(other.value);
    if (result.isNegative()) throw new RangeError(`money cannot go negative: ${this.toString()} - ${other.toString()}`);
    return new Money(result);
  }

  /** max(0, this - other): the room left under a cap. */
  minusFloorZero(other: Money): Money {
    return this.lessThan(other) ? Money.ZERO : new Money(this.value.minus(other.value));
  }

  /** ROUND_DOWN(this × rate, 2): percentage rules never round past the rule ("不超过"). */
  timesRoundDown(rate: DecimalValue | string): Money {
    return new Money(this.value.times(rate).toDecimalPlaces(2, MoneyDecimal.ROUND_DOWN));
  }

  /** ROUND_HALF_UP(this × rate, 2): the city's share of a fiscal split. */
  timesRoundHalfUp(rate: DecimalValue | string): Money {
    return new Money(this.value.times(rate).toDecimalPlaces(2, MoneyDecimal.ROUND_HALF_UP));
  }

  compare(other: Money): -1 | 0 | 1 {
    return this.value.comparedTo(other.value) as -1 | 0 | 1;
  }

  equals(other: Money): boolean {
    return this.value.equals(other.value);
  }

  lessThan(other: Money): boolean {
    return this.value.lessThan(other.value);
  }

  lessThanOrEqual(other: Money): boolean {
    return this.value.lessThanOrEqualTo(other.value);
  }

  greaterThan(other: Money): boolean {
    return this.value.greaterThan(other.value);
  }

  greaterThanOrEqual(other: Money): boolean {
    return this.value.greaterThanOrEqualTo(other.value);
  }

  isZero(): boolean {
    return this.value.isZero();
  }

  isPositive(): boolean {
    return this.value.greaterThan(0);
  }

  /** Always exactly 2 fraction digits: "200000.00". */
  toString(): string {
    return this.value.toFixed(2);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** A money string as stored in events and sent on the wire ("200000.00"). */
export type MoneyString = string;
