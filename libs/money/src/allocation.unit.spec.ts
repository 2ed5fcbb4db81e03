import fc from 'fast-check';
import { allocateLargestRemainder, ALLOCATION_WEIGHTS_MAX, decimal, Money } from './index';

const shares = (pool: string, weights: Array<[string, string]>) =>
  allocateLargestRemainder(
    Money.parse(pool),
    weights.map(([key, weight]) => ({ key, weight: decimal(weight) })),
  ).map((share) => [share.key, share.amount.toString()]);

describe('largest-remainder allocation (docs/policy.md §2, §6)', () => {
  it('splits exactly when the shares divide evenly', () => {
    expect(
      shares('100.00', [
        ['a', '1'],
        ['b', '3'],
      ]),
    ).toEqual([
      ['a', '25.00'],
      ['b', '75.00'],
    ]);
  });

  it('gives the leftover fen to the largest remainders', () => {
    // 1.00 × 1/3 = 0.333…, × 2/3 = 0.666…: floors 0.33 + 0.66, the fen left goes to the larger remainder.
    expect(
      shares('1.00', [
        ['a', '1'],
        ['b', '2'],
      ]),
    ).toEqual([
      ['a', '0.33'],
      ['b', '0.67'],
    ]);
  });

  it('breaks ties between equal remainders by key ascending, whatever the input order', () => {
    expect(
      shares('0.02', [
        ['c', '1'],
        ['a', '1'],
        ['b', '1'],
      ]),
    ).toEqual([
      ['c', '0.00'],
      ['a', '0.01'],
      ['b', '0.01'],
    ]);
    expect(
      shares('100.00', [
        ['z', '1'],
        ['y', '1'],
        ['x', '1'],
      ]),
    ).toEqual([
      ['z', '33.33'],
      ['y', '33.33'],
      ['x', '33.34'],
    ]);
  });

  it('leaves out zero weights and works with decimal weights of different scales', () => {
    expect(
      shares('10.00', [
        ['a', '0'],
        ['b', '0.5'],
        ['c', '1.25'],
      ]),
    ).toEqual([
      ['b', '2.86'],
      ['c', '7.14'],
    ]);
  });

  it('compares remainders exactly even when they differ beyond 40 significant digits', () => {
    const tiny = `0.${'0'.repeat(45)}1`;
    // b's weight is a hair larger, so its remainder is a hair larger: b gets the fen.
    expect(
      shares('0.01', [
        ['a', '1'],
        ['b', `1${tiny.slice(1)}`],
      ]),
    ).toEqual([
      ['a', '0.00'],
      ['b', '0.01'],
    ]);
  });

  it('refuses empty, all-zero, negative, duplicate and oversized inputs', () => {
    expect(() => shares('1.00', [])).toThrow('at least one positive weight');
    expect(() => shares('1.00', [['a', '0']])).toThrow('at least one positive weight');
    expect(() =>
      shares('1.00', [
        ['a', '1'],
        ['b', '-1'],
      ]),
    ).toThrow('finite and non-negative');
    expect(() =>
      shares('1.00', [
        ['a', '1'],
        ['a', '2'],
      ]),
    ).toThrow('unique');
    const many = Array.from(
      { length: ALLOCATION_WEIGHTS_MAX + 1 },
      (_, index): [string, string] => [`k${index}`, '1'],
    );
    expect(() => shares('1.00', many)).toThrow('at most');
  });

  describe('Invariant 3: split', () => {
    it('always adds up to the pool exactly, never negative, each within a fen of its exact share (property)', () => {
      const weight = fc
        .bigInt({ min: 0n, max: 99_999_999n })
        .map((units) => decimal(units.toString()).div(100));
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: 999_999_999_999_999n }),
          fc.uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), weight }), {
            minLength: 1,
            maxLength: 20,
            selector: (entry) => entry.key,
          }),
          (poolFen, weights) => {
            fc.pre(weights.some((entry) => entry.weight.greaterThan(0)));
            const pool = Money.fromFen(poolFen);
            const result = allocateLargestRemainder(pool, weights);
            expect(Money.sum(result.map((share) => share.amount)).equals(pool)).toBe(true);
            const total = weights.reduce((sum, entry) => sum.plus(entry.weight), decimal(0));
            for (const share of result) {
              const entry = weights.find((candidate) => candidate.key === share.key);
              const exact = pool.decimal.times(entry?.weight ?? 0).div(total);
              expect(share.amount.decimal.minus(exact).abs().lessThan('0.01')).toBe(true);
            }
            expect(result.length).toBe(
              weights.filter((entry) => entry.weight.greaterThan(0)).length,
            );
          },
        ),
      );
    });
  });
});
