import {
  decimalFormatError,
  Money,
  MONEY_PATTERN,
  MoneyParseError,
  moneyFormatError,
  parseDecimalString,
  isDecimalString,
  decimal,
} from './index';

describe('the strict decimal format of docs/policy.md §2', () => {
  it.each([
    ['0', '0.00'],
    ['0.5', '0.50'],
    ['0.05', '0.05'],
    ['7', '7.00'],
    ['200000', '200000.00'],
    ['200000.1', '200000.10'],
    ['9999999999999.99', '9999999999999.99'],
  ])('accepts %s and formats it with exactly 2 fraction digits as %s', (input, formatted) => {
    expect(Money.parse(input).toString()).toBe(formatted);
    expect(JSON.stringify({ amount: Money.parse(input) })).toBe(`{"amount":"${formatted}"}`);
    expect(MONEY_PATTERN.test(input)).toBe(true);
  });

  it.each([
    [200000, 'MONEY.NOT_A_STRING'],
    [null, 'MONEY.NOT_A_STRING'],
    [undefined, 'MONEY.NOT_A_STRING'],
    [{ amount: '1.00' }, 'MONEY.NOT_A_STRING'],
    ['', 'MONEY.EMPTY'],
    ['1e5', 'MONEY.EXPONENT'],
    ['1E5', 'MONEY.EXPONENT'],
    ['1,000.00', 'MONEY.GROUPING'],
    ['1_000.00', 'MONEY.GROUPING'],
    ['-1.00', 'MONEY.NEGATIVE'],
    ['-0', 'MONEY.NEGATIVE'],
    ['+1.00', 'MONEY.SIGN'],
    [' 1.00', 'MONEY.WHITESPACE'],
    ['1.00 ', 'MONEY.WHITESPACE'],
    ['1 000', 'MONEY.WHITESPACE'],
    ['1.00\n', 'MONEY.WHITESPACE'],
    ['1.234', 'MONEY.TOO_MANY_FRACTION_DIGITS'],
    ['0.001', 'MONEY.TOO_MANY_FRACTION_DIGITS'],
    ['12345678901234', 'MONEY.TOO_MANY_INTEGER_DIGITS'],
    ['12345678901234.00', 'MONEY.TOO_MANY_INTEGER_DIGITS'],
    ['01', 'MONEY.LEADING_ZERO'],
    ['00.50', 'MONEY.LEADING_ZERO'],
    ['.5', 'MONEY.MALFORMED'],
    ['5.', 'MONEY.MALFORMED'],
    ['1.2.3', 'MONEY.MALFORMED'],
    ['0x10', 'MONEY.MALFORMED'],
    ['Infinity', 'MONEY.MALFORMED'],
    ['NaN', 'MONEY.MALFORMED'],
    ['１２', 'MONEY.MALFORMED'],
    ['¥12', 'MONEY.MALFORMED'],
  ])('rejects %p with %s', (input, code) => {
    const error = moneyFormatError(input);
    expect(error).toBeInstanceOf(MoneyParseError);
    expect(error?.code).toBe(code);
    expect(error?.input).toBe(input);
    expect(() => Money.parse(input)).toThrow(MoneyParseError);
    expect(Money.tryParse(input)).toEqual({ ok: false, error });
  });

  it('says why in the message, quoting strings and naming other types', () => {
    expect(moneyFormatError('1e5')?.message).toBe(
      '"1e5" is not an amount: exponents are not allowed',
    );
    expect(moneyFormatError(12)?.message).toMatch(
      /^a number is not an amount: .*not a JSON number/,
    );
    expect(moneyFormatError(null)?.message).toMatch(/^a null is not an amount/);
    expect(moneyFormatError(Object.create(null))?.message).toMatch(/^a object is not an amount/);
  });

  it('returns the parsed value from tryParse', () => {
    const result = Money.tryParse('12.30');
    expect(result.ok && result.value.toString()).toBe('12.30');
  });

  it('parses non-money decimals with the same shape and DECIMAL.* codes', () => {
    expect(parseDecimalString('3000.01').toFixed()).toBe('3000.01');
    expect(isDecimalString('3000')).toBe(true);
    expect(isDecimalString(3000)).toBe(false);
    expect(decimalFormatError('3e3')?.code).toBe('DECIMAL.EXPONENT');
    expect(decimalFormatError('3e3')?.message).toBe(
      '"3e3" is not a decimal: exponents are not allowed',
    );
    expect(decimalFormatError('3000')).toBeUndefined();
    expect(() => parseDecimalString(-1)).toThrow(
      expect.objectContaining({ code: 'DECIMAL.NOT_A_STRING' }),
    );
    expect(() => parseDecimalString('-1')).toThrow(
      expect.objectContaining({ code: 'DECIMAL.NEGATIVE' }),
    );
    expect(decimal('0.25').toFixed()).toBe('0.25');
    expect(decimal(6).toFixed()).toBe('6');
  });
});
