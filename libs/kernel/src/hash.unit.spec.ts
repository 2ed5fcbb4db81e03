import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalHash, sha256Hex } from './canonical-json';

describe('sha256Hex and canonicalHash', () => {
  it('hashes UTF-8 text as lowercase hex', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it("is createHash's UTF-8 digest for any text (lone surrogates included)", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        for (const text of [a, b, `${a}\ud800${b}`, `\udfff${a}`])
          expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('gives equal content the same hash whatever the key order', () => {
    expect(canonicalHash({ b: 1, a: [2, 'x'] })).toBe(canonicalHash({ a: [2, 'x'], b: 1 }));
    expect(canonicalHash({ a: 1 })).toBe(sha256Hex('{"a":1}'));
  });
});
