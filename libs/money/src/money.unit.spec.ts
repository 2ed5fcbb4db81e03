import fc from 'fast-check';
import { assertInvariant, decimal, Money, MoneyDecimal } from './index';

const m = (value: string) => Money.parse(value);
const fenArbitrary = fc.bigInt({ min: 0n, max: 999_999_999_999_999n });

describe('Money', () => {
  it('adds, subtracts and sums exactly', () => {
    expect(m('0.10').plus(m('0.20')).toString()).toBe('0.30');
    expect(m('1000000.00').minus(m('0.01')).toString()).toBe('999999.99');
    expect(m('5.00').minus(m('5.00')).toString()).toBe('0.00');
    expect(Money.sum([m('100000.00'), m('200000.00'), m('0.01')]).toString()).toBe('300000.01');
    expect(Money.sum([]).toString()).toBe('0.00');
  });

  it('never goes negative', () => {
    expect(() => m('1.00').minus(m('1.01'))).toThrow(RangeError);
    expect(m('1.00').minusFloorZero(m('1.01')).toString()).toBe('0.00');
    expect(m('3.00').minusFloorZero(m('1.01')).toString()).toBe('1.99');
    expect(() => Money.fromFen(-1n)).toThrow(RangeError);
    expect(() => Money.fromDecimal(decimal('-0.01'))).toThrow(RangeError);
    expect(() => m('1.00').timesRoundDown('-0.5')).toThrow(RangeError);
    expect(() => m('1.00').timesRoundHalfUp(decimal(Number.NaN))).toThrow(RangeError);
  });

  it('converts from fen and Decimals that are whole fen', () => {
    expect(Money.fromFen(1n).toString()).toBe('0.01');
    expect(Money.fromFen(20000000n).toString()).toBe('200000.00');
    expect(m('200000.00').toFen()).toBe(20000000n);
    expect(Money.fromDecimal(decimal('12.3')).toString()).toBe('12.30');
    expect(Money.fromDecimal(decimal('-0')).toString()).toBe('0.00');
    expect(() => Money.fromDecimal(decimal('0.001'))).toThrow(/round first/);
    expect(() => Money.fromDecimal(decimal(Number.POSITIVE_INFINITY))).toThrow(RangeError);
    expect(m('1.50').decimal.toFixed()).toBe('1.5');
  });

  it('compares', () => {
    expect(m('1.00').compare(m('2.00'))).toBe(-1);
    expect(m('2.00').compare(m('2'))).toBe(0);
    expect(m('3.00').compare(m('2.00'))).toBe(1);
    expect(m('2.00').equals(m('2'))).toBe(true);
    expect(m('2.00').lessThanOrEqual(m('2.00'))).toBe(true);
    expect(m('2.00').greaterThanOrEqual(m('2.01'))).toBe(false);
    expect(m('2.00').greaterThan(m('1.99'))).toBe(true);
    expect(Money.min(m('3.00'), m('1.00'), m('2.00')).toString()).toBe('1.00');
    expect(Money.max(m('3.00'), m('1.00'), m('4.00')).toString()).toBe('4.00');
    expect(Money.ZERO.isZero()).toBe(true);
    expect(Money.ZERO.isPositive()).toBe(false);
    expect(m('0.01').isPositive()).toBe(true);
  });

  describe('rounding helpers', () => {
    it('rounds percentage rules down to the fen (不超过)', () => {
      expect(m('300000.00').timesRoundDown('0.7').toString()).toBe('210000.00');
      expect(m('0.03').timesRoundDown('0.25').toString()).toBe('0.00');
      expect(m('0.07').timesRoundDown('0.5').toString()).toBe('0.03');
      expect(m('99.99').timesRoundDown(decimal('0.7')).toString()).toBe('69.99');
      expect(m('15000.00').timesRoundDown('6').toString()).toBe('90000.00');
    });

    it('rounds the city share half up', () => {
      expect(m('0.01').timesRoundHalfUp('0.25').toString()).toBe('0.00');
      expect(m('0.02').timesRoundHalfUp('0.25').toString()).toBe('0.01');
      expect(m('0.01').timesRoundHalfUp('0.5').toString()).toBe('0.01');
      expect(m('0.03').timesRoundHalfUp('0.5').toString()).toBe('0.02');
      expect(m('200000.00').timesRoundHalfUp('0.25').toString()).toBe('50000.00');
      expect(m('12.34').timesRoundHalfUp('1').toString()).toBe('12.34');
    });

    it('rounds once, on the exact product, even when it has more digits than the Decimal precision', () => {
      const rate = `0.${'9'.repeat(41)}`;
      // Decimal.times would round the product to 40 digits (…99.99) before ROUND_DOWN; the exact answer is …99.98.
      expect(m('9999999999999.99').timesRoundDown(rate).toString()).toBe('9999999999999.98');
      expect(m('9999999999999.99').timesRoundHalfUp(rate).toString()).toBe('9999999999999.99');
    });

    it('agrees with the definition on any amount and rate (property)', () => {
      const rateArbitrary = fc
        .bigInt({ min: 0n, max: 10_000n })
        .map((units) => new MoneyDecimal(units.toString()).div(1000));
      fc.assert(
        fc.property(fenArbitrary, rateArbitrary, (fen, rate) => {
          const amount = Money.fromFen(fen);
          const exact = amount.decimal.times(rate);
          const down = amount.timesRoundDown(rate);
          const halfUp = amount.timesRoundHalfUp(rate);
          expect(down.decimal.lessThanOrEqualTo(exact)).toBe(true);
          expect(exact.minus(down.decimal).lessThan('0.01')).toBe(true);
          expect(halfUp.decimal.minus(exact).abs().lessThanOrEqualTo('0.005')).toBe(true);
          expect(down.toString()).toMatch(/^(0|[1-9][0-9]*)\.[0-9]{2}$/);
        }),
      );
    });
  });

  it('formats every amount with exactly 2 fraction digits and parses it back (property)', () => {
    fc.assert(
      fc.property(fenArbitrary, (fen) => {
        const text = Money.fromFen(fen).toString();
        expect(text).toMatch(/^(0|[1-9][0-9]{0,12})\.[0-9]{2}$/);
        expect(Money.parse(text).toFen()).toBe(fen);
      }),
    );
  });
});

describe('assertInvariant', () => {
  it('throws loudly when a condition the code relies on is false', () => {
    expect(() => assertInvariant(true, 'fine')).not.toThrow();
    expect(() => assertInvariant(false, 'sums differ')).toThrow('invariant broken: sums differ');
  });
});

describe('Money: the fast paths of verify (issue 13)', () => {
  it('fromFen is the same Decimal as fen / 100, digit for digit, and toFen gives the fen back', () => {
    fc.assert(
      fc.property(fenArbitrary, (fen) => {
        const money = Money.fromFen(fen);
        const divided = new MoneyDecimal(fen.toString()).div(100);
        expect([money.decimal.d, money.decimal.e, money.decimal.s]).toEqual([
          divided.d,
          divided.e,
          divided.s,
        ]);
        expect(money.toFen()).toBe(fen);
        expect(money.toString()).toBe(divided.toFixed(2));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every product exact past the bound of parsed rate texts, as the memo is forgotten and refilled', () => {
    // 600 distinct rate texts, more than twice what the memo keeps (RATES_KEPT, 256), each used twice
    // in rounds, so rates are parsed again after the memo was cleared.
    const rates = Array.from(
      { length: 600 },
      (_, index) => `0.${String(index + 1).padStart(4, '0')}`,
    );
    const amount = Money.fromFen(123_456_789n);
    for (let round = 0; round < 2; round += 1) {
      for (const rate of rates) {
        const exact = new MoneyDecimal('1234567.89').times(rate);
        expect(amount.timesRoundDown(rate).toString()).toBe(
          exact.toDecimalPlaces(2, MoneyDecimal.ROUND_DOWN).toFixed(2),
        );
      }
    }
  });

  it('never answers a rate text from another rate: each product is the exact one, rates alternating', () => {
    // Rates of the same length and the same leading digits, so a memo keyed by anything less than the
    // whole text would answer one with another.
    const rates = ['0.50', '0.70', '0.51', '0.5', '0.7', '1.25', '0.333', '0.334'];
    fc.assert(
      fc.property(
        fenArbitrary,
        fc.array(fc.constantFrom(...rates), { minLength: 2 }),
        (fen, picked) => {
          const amount = Money.fromFen(fen);
          for (const rate of picked) {
            const exact = new MoneyDecimal(fen.toString()).div(100).times(rate);
            expect(amount.timesRoundDown(rate).toString()).toBe(
              exact.toDecimalPlaces(2, MoneyDecimal.ROUND_DOWN).toFixed(2),
            );
            expect(amount.timesRoundHalfUp(rate).toString()).toBe(
              exact.toDecimalPlaces(2, MoneyDecimal.ROUND_HALF_UP).toFixed(2),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
