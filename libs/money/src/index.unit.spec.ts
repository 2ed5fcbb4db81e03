/** The names other teams code against: a rename here breaks them, so it must break this test first. */
import * as money from './index';

it('exports the public API of @hz/money', () => {
  const functions = [
    'Money',
    'MoneyDecimal',
    'MoneyParseError',
    'moneyFormatError',
    'decimalFormatError',
    'parseDecimalString',
    'isDecimalString',
    'decimal',
    'allocateLargestRemainder',
    'assertInvariant',
  ];
  for (const name of functions)
    expect(typeof (money as Record<string, unknown>)[name]).toBe('function');
  expect(money.MONEY_PATTERN).toBeInstanceOf(RegExp);
  expect(money.ALLOCATION_WEIGHTS_MAX).toBe(10_000);
});
