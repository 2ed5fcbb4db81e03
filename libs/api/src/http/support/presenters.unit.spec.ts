import { Money } from '@hz/money';
import { toJsonObject } from './presenters';

/** What the presenters gave before issue 12's request-path work: a JSON round trip, bigints as strings. */
const roundTrip = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, item: unknown) =>
      typeof item === 'bigint' ? item.toString() : item,
    ),
  );

describe('toJsonObject', () => {
  it('gives what the JSON round trip gave: Money and Date through toJSON, bigints as strings, undefined left out', () => {
    const value = {
      position: 12345678901234567890n,
      amount: Money.parse('100000.00'),
      at: new Date(Date.UTC(2024, 1, 1, 8, 30)),
      absent: undefined,
      skipped: () => 1,
      list: [1, undefined, () => 2, Money.parse('0.10'), [7n], { deep: { deeper: 'x' } }],
      numbers: { nan: Number.NaN, infinite: Number.POSITIVE_INFINITY, negativeZero: -0, half: 0.5 },
      flags: [true, false, null],
      nested: { toJSON: (key: string) => ({ key }) },
      // eslint-disable-next-line no-sparse-arrays
      holes: [1, , 3],
    };
    const json = toJsonObject(value);
    expect(json).toStrictEqual(roundTrip(value));
    expect(json['amount']).toBe('100000.00');
    expect(json['position']).toBe('12345678901234567890');
    expect(json['nested']).toEqual({ key: 'nested' });
    expect(Object.is((json['numbers'] as Record<string, unknown>)['negativeZero'], 0)).toBe(true);
    expect(json['holes']).toEqual([1, null, 3]);
  });

  it('keeps a `__proto__` key as an own property, as JSON.parse does', () => {
    const value = JSON.parse('{"a":{"__proto__":{"x":1}}}') as Record<string, unknown>;
    const json = toJsonObject(value);
    expect(json).toStrictEqual(roundTrip(value));
    const inner = json['a'] as Record<string, unknown>;
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(Object.keys(inner)).toEqual(['__proto__']);
  });

  it('refuses a result that is not an object', () => {
    expect(() => toJsonObject([1])).toThrow('a ledger result must be an object');
    expect(() => toJsonObject(undefined)).toThrow('a ledger result must be an object');
  });
});
