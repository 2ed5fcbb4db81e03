/**
 * isCanonicalObjectText (issue 13) says true for what canonicalJson writes and false for every other
 * spelling of the same value: the fast hash path of ./raw-events.ts relies on it to stay computeEventHash's.
 */
import { canonicalJson } from '@hz/kernel';
import { isCanonicalObjectText } from './canonical-text';

const values: object[] = [
  {},
  { a: 1 },
  { amount: '1250.00', claimId: 'c-1', note: '杭州 "quoted" \\ café\n\t\b\f\r', year: 2024 },
  { b: [1, -2.5, 1e21, 1e-7, 0, true, false, null, [], {}], a: { z: { y: [{ x: 'é' }] } } },
  { '': 0, '10': 1, '2': 2, A: 3, a: 4, é: 5, '😀': 6, 'a b': 7 },
  { __proto__key: 'x', emoji: '😀', line: '\u2028\u2029', del: '\u007f' },
];

describe('isCanonicalObjectText', () => {
  it.each(values.map((value) => [canonicalJson(value)]))('accepts canonicalJson’s %s', (text) => {
    expect(isCanonicalObjectText(text)).toBe(true);
  });

  it.each([
    ['whitespace between members', '{"a":1, "b":2}'],
    ['whitespace around a colon', '{"a" :1}'],
    ['a trailing newline', '{"a":1}\n'],
    ['keys out of order', '{"b":1,"a":2}'],
    ['integer-like keys in numeric order', '{"2":1,"10":2}'],
    ['a repeated key', '{"a":1,"a":2}'],
    ['a nested object out of order', '{"a":{"d":1,"c":2}}'],
    ['a number with a trailing zero', '{"a":1.0}'],
    ['an exponent JSON.stringify does not write', '{"a":1e2}'],
    ['an upper-case exponent', '{"a":1E+21}'],
    ['a negative zero', '{"a":-0}'],
    ['a leading zero', '{"a":01}'],
    ['a plus sign', '{"a":+1}'],
    ['an escaped slash', '{"a":"\\/"}'],
    ['a unicode escape of a plain letter', '{"a":"\\u0041"}'],
    ['a raw control character', '{"a":"\u0001"}'],
    ['a lone surrogate', '{"a":"\ud800"}'],
    ['an escaped key', '{"\\u0061":1}'],
    ['a trailing comma', '{"a":1,}'],
    ['an unterminated string', '{"a":"x}'],
    ['an array at the top', '[1]'],
    ['two objects', '{}{}'],
    ['a bare word', '{"a":nul}'],
    ['a literal followed by garbage', '{"a":truex}'],
  ])('refuses %s', (_name, text) => {
    expect(isCanonicalObjectText(text)).toBe(false);
  });

  it('agrees with canonicalJson on random objects written in a random key order', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const keys = ['a', 'b', 'B', 'aa', '1', '10', 'é', 'x y'];
    const leaf = (): unknown =>
      [() => random().toFixed(2), () => Math.round(random() * 1e6) / 100, () => null][
        Math.floor(random() * 3)
      ]?.();
    const object = (depth: number): Record<string, unknown> => {
      const result: Record<string, unknown> = {};
      for (const key of keys)
        if (random() < 0.5) result[key] = depth < 3 && random() < 0.3 ? object(depth + 1) : leaf();
      return result;
    };
    for (let round = 0; round < 300; round += 1) {
      const value = object(0);
      const canonical = canonicalJson(value);
      expect(isCanonicalObjectText(canonical)).toBe(true);
      // JSON.stringify keeps the insertion order (integer-like keys first): canonical only when the two agree.
      const plain = JSON.stringify(value);
      expect(isCanonicalObjectText(plain)).toBe(plain === canonical);
      expect(isCanonicalObjectText(JSON.stringify(value, null, 1))).toBe(plain === '{}');
    }
  });

  it('orders keys by UTF-16 code units as < does, compared in place (prefixes, equal keys, surrogates)', () => {
    const keys = [
      '',
      'a',
      'ab',
      'abc',
      'b',
      'B',
      'é',
      'aé',
      '\ud83d\ude00',
      '\uffff',
      'a\ud83d\ude00',
      '10',
      '1',
    ];
    for (const first of keys)
      for (const second of keys) {
        const text = `{${JSON.stringify(first)}:1,${JSON.stringify(second)}:2}`;
        expect([first, second, isCanonicalObjectText(text)]).toEqual([
          first,
          second,
          first < second,
        ]);
      }
  });
});
