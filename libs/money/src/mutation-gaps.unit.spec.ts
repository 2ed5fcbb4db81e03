// Tests added for mutants Stryker left alive in libs/money (docs/mutation.md, "What the survivors say"):
// each case names the mutation it kills. The allocation is clause 九's (docs/policy.md §6).
import {
  allocateLargestRemainder,
  ALLOCATION_WEIGHTS_MAX,
  decimal,
  Money,
  MoneyDecimal,
} from './index';

/** Equal weights for the keys, in the order given: "key=amount" for each, in that order. */
const equalShares = (pool: string, keys: string[]) =>
  allocateLargestRemainder(
    Money.parse(pool),
    keys.map((key) => ({ key, weight: decimal('1') })),
  )
    .map((share) => `${share.key}=${share.amount.toString()}`)
    .join(' ');

describe('largest-remainder ties, keys given in ascending order', () => {
  // Kills `compareKeys` answering -1 whatever the keys: the ascending input came out reversed.
  it('gives the leftover fen to the smallest keys whatever the input order', () => {
    expect(equalShares('0.02', ['a', 'b', 'c'])).toBe('a=0.01 b=0.01 c=0.00');
    expect(equalShares('100.00', ['x', 'y', 'z'])).toBe('x=33.34 y=33.33 z=33.33');
  });
});

describe('largest-remainder bounds', () => {
  // Kills `weights.length >= ALLOCATION_WEIGHTS_MAX`: the largest allowed input was refused.
  it('takes exactly ALLOCATION_WEIGHTS_MAX weights, and adds them up to the pool', () => {
    const weights = Array.from({ length: ALLOCATION_WEIGHTS_MAX }, (_, index) => ({
      key: `k${index.toString().padStart(5, '0')}`,
      weight: decimal('1'),
    }));
    const allotted = allocateLargestRemainder(Money.parse('100.01'), weights);
    expect(allotted).toHaveLength(ALLOCATION_WEIGHTS_MAX);
    expect(Money.sum(allotted.map((share) => share.amount)).toString()).toBe('100.01');
  });
});

describe('Money.fromDecimal at two fraction digits', () => {
  // Kills `decimalPlaces() >= 2`: a whole number of fen with two digits was refused.
  it('takes exactly two fraction digits and refuses a third', () => {
    expect(Money.fromDecimal(new MoneyDecimal('12.34')).toString()).toBe('12.34');
    expect(() => Money.fromDecimal(new MoneyDecimal('12.345'))).toThrow(RangeError);
  });
});
