import fc from 'fast-check';
import { Money, MoneyParseError } from '@hz/money';
import { addMoneyText, isZeroMoney, moneyText, subtractMoneyText } from './money-text';

describe('moneyText: the canonical text of an amount without decimal.js', () => {
  const amounts = ['0', '0.0', '0.00', '0.5', '0.05', '1', '1.5', '1.50', '200000', '200000.00'];
  const widest = '9999999999999.99';

  it.each([...amounts, widest])('%s gives what Money.parse(…).toString() gives', (amount) => {
    expect(moneyText(amount)).toBe(Money.parse(amount).toString());
  });

  it('pads exactly: no digit is added to or taken from the integer part', () => {
    expect(moneyText('200000')).toBe('200000.00');
    expect(moneyText('1.5')).toBe('1.50');
    expect(moneyText('0.05')).toBe('0.05');
    expect(moneyText(widest)).toBe(widest);
  });

  it.each(['-1.00', '1e3', '01.00', '1.005', ' 1', '1,000.00', ''])(
    '%j is refused with the typed error Money.parse throws',
    (bad) => {
      expect(() => moneyText(bad)).toThrow(MoneyParseError);
    },
  );

  it('knows zero in every spelling the format allows', () => {
    expect(['0', '0.0', '0.00'].map(isZeroMoney)).toEqual([true, true, true]);
    expect(['0.01', '10', '100.00'].map(isZeroMoney)).toEqual([false, false, false]);
  });
});

describe('addMoneyText and subtractMoneyText: sums of amounts without decimal.js', () => {
  const wire = fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.constantFrom(0, 1, 2))
    .map(([fen, digits]) => {
      const text = Money.fromFen(fen).toString();
      if (digits === 2) return text;
      // The shorter spellings the wire format allows for the same amount ("1.50" → "1.5", "1.00" → "1").
      const trimmed = digits === 1 && text.endsWith('0') ? text.slice(0, -1) : text;
      return digits === 0 && text.endsWith('.00') ? text.slice(0, -3) : trimmed;
    });
  const stored = fc
    .bigInt({ min: 0n, max: 10n ** 17n })
    .map((fen) => Money.fromFen(fen).toString());

  it('adds exactly as Money does, for any two amounts in the wire format', () => {
    fc.assert(
      fc.property(wire, wire, (a, b) => {
        expect(addMoneyText(a, b)).toBe(Money.parse(a).plus(Money.parse(b)).toString());
      }),
      { numRuns: 2000 },
    );
    expect(addMoneyText('0', '0.0')).toBe('0.00');
    expect(addMoneyText('0.05', '0.5')).toBe('0.55');
    expect(addMoneyText('9999999999999.99', '0.01')).toBe('10000000000000.00');
  });

  it('subtracts exactly as Money does, and refuses to go below zero as Money does', () => {
    fc.assert(
      fc.property(wire, wire, (a, b) => {
        const [high, low] = Money.parse(a).lessThan(Money.parse(b)) ? [b, a] : [a, b];
        expect(subtractMoneyText(high, low)).toBe(
          Money.parse(high).minus(Money.parse(low)).toString(),
        );
        if (high !== low && !Money.parse(high).equals(Money.parse(low)))
          expect(() => subtractMoneyText(low, high)).toThrow(RangeError);
      }),
      { numRuns: 2000 },
    );
    expect(subtractMoneyText('1.5', '1.50')).toBe('0.00');
  });

  it('leaves what is outside the wire format to Money (a sum past 13 digits, bad text): same result or error', () => {
    fc.assert(
      fc.property(stored, wire, (big, amount) => {
        const expected = (): string => Money.parse(big).plus(Money.parse(amount)).toString();
        let want: unknown;
        try {
          want = expected();
        } catch (error) {
          want = error;
        }
        if (want instanceof Error)
          expect(() => addMoneyText(big, amount)).toThrow(want.constructor as new () => Error);
        else expect(addMoneyText(big, amount)).toBe(want);
      }),
      { numRuns: 300 },
    );
    expect(() => addMoneyText('-1.00', '1')).toThrow(MoneyParseError);
    expect(() => subtractMoneyText('1', '1e3')).toThrow(MoneyParseError);
  });
});
