import Decimal from 'decimal.js';
import { roundScaled, toScaledInteger, type ScaledInteger } from './exact';

// ---- The format: what a money string may look like ----

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

// ---- Money: exact amounts over a private decimal.js clone ----

/**
 * A private Decimal constructor so that nothing else in the process can change our precision or
 * rounding (`defaults: true` ignores whatever the global Decimal was configured with): 40 significant
 * digits cover 13 integer digits times any catalog rate with room to spare.
 */
export const MoneyDecimal = Decimal.clone({
  defaults: true,
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type DecimalValue = InstanceType<typeof MoneyDecimal>;

type ParseResult = { ok: true; value: Money } | { ok: false; error: MoneyParseError };

/**
 * An exact CNY amount, never negative, always a whole number of fen. Immutable.
 * On the wire and in events it is a string with exactly 2 fraction digits.
 */
export class Money {
  private constructor(private readonly value: DecimalValue) {}

  static readonly ZERO = new Money(new MoneyDecimal(0));

  /** Parses the strict wire format of docs/policy.md §2; throws MoneyParseError saying why otherwise. */
  static parse(input: unknown): Money {
    const result = Money.tryParse(input);
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Like parse, but returns the error instead of throwing. */
  static tryParse(input: unknown): ParseResult {
    const error = moneyFormatError(input);
    return error
      ? { ok: false, error }
      : { ok: true, value: new Money(new MoneyDecimal(input as string)) };
  }

  /** From a Decimal that must already be a non-negative whole number of fen (an invariant, not input). */
  static fromDecimal(value: DecimalValue): Money {
    // lessThan, not isNegative: decimal.js has a negative zero, which is still zero fen.
    if (!value.isFinite() || value.lessThan(0))
      throw new RangeError(`money cannot be negative or infinite: ${value.toString()}`);
    if (value.decimalPlaces() > 2)
      throw new RangeError(`money has at most 2 fraction digits: ${value.toString()}; round first`);
    return new Money(new MoneyDecimal(value).abs());
  }

  static fromFen(fen: bigint): Money {
    if (fen < 0n) throw new RangeError('money cannot be negative');
    // The decimal text of fen / 100 ("12345" → "123.45"), parsed: the same exact Decimal as dividing by
    // 100, without a division (issue 13: every rule amount and city share goes through here).
    const digits = fen.toString().padStart(3, '0');
    return new Money(new MoneyDecimal(`${digits.slice(0, -2)}.${digits.slice(-2)}`));
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
    // Always a whole number of fen, so its 2-digit text is exact: the digits without the point.
    const text = this.value.toFixed(2);
    return BigInt(`${text.slice(0, -3)}${text.slice(-2)}`);
  }

  plus(other: Money): Money {
    return new Money(this.value.plus(other.value));
  }

  /** Subtraction that refuses to go below zero: a negative balance is a bug, not a value. */
  minus(other: Money): Money {
    if (this.lessThan(other))
      throw new RangeError(`money cannot go negative: ${this.toString()} - ${other.toString()}`);
    return new Money(this.value.minus(other.value));
  }

  /** max(0, this - other): the room left under a cap. */
  minusFloorZero(other: Money): Money {
    return this.lessThan(other) ? Money.ZERO : new Money(this.value.minus(other.value));
  }

  /** ROUND_DOWN(this × rate, 2): percentage rules never round past the rule ("不超过"). */
  timesRoundDown(rate: DecimalValue | string): Money {
    return this.timesRounded(rate, 'down');
  }

  /** ROUND_HALF_UP(this × rate, 2): the city's share of a fiscal split. */
  timesRoundHalfUp(rate: DecimalValue | string): Money {
    return this.timesRounded(rate, 'half-up');
  }

  /** Exact product, rounded once: Decimal.times would first round to 40 digits, which can cross a fen. */
  private timesRounded(rate: DecimalValue | string, mode: 'down' | 'half-up'): Money {
    const factor = typeof rate === 'string' ? scaledRate(rate) : toScaledInteger(rate, 'a rate');
    return Money.fromFen(roundScaled(this.toFen() * factor.units, factor.scale, mode));
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

/**
 * A rate given as text (a catalog's constant: a handful of distinct ones) as an exact scaled integer,
 * parsed once per text: one text always parses to the same rate (issue 13: verify recomputes every rule
 * amount and split, each parsing its rate). Bounded: forgotten all at once past RATES_KEPT texts.
 */
const RATES_KEPT = 256;
const scaledRates = new Map<string, ScaledInteger>();

function scaledRate(rate: string): ScaledInteger {
  let factor = scaledRates.get(rate);
  if (factor === undefined) {
    factor = toScaledInteger(new MoneyDecimal(rate), 'a rate');
    if (scaledRates.size >= RATES_KEPT) scaledRates.clear();
    scaledRates.set(rate, factor);
  }
  return factor;
}

/** A money string as stored in events and sent on the wire ("200000.00"). */
export type MoneyString = string;

/**
 * Asserts a condition the code relies on (TIGER_STYLE): a failure is a bug in our code, never a user
 * error, so it throws loudly instead of returning a refusal.
 */
export function assertInvariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`invariant broken: ${message}`);
}
