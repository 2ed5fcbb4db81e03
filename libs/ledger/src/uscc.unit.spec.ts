import { isValidUscc, USCC_ALPHABET, usccFromPrefix } from './guards';

describe('isValidUscc (GB 32100-2015)', () => {
  it.each([
    ['91330100799655058B'], // published codes of large Hangzhou/Shenzhen/Beijing firms
    ['91440300708461136T'],
    ['91110000802100433B'],
  ])('accepts the published code %s', (code) => {
    expect(isValidUscc(code)).toBe(true);
  });

  it('accepts a check value of 0 (31 maps to 0)', () => {
    const withZero = findPrefix((prefix) => usccFromPrefix(prefix).endsWith('0'));
    expect(isValidUscc(`${withZero}0`)).toBe(true);
  });

  it('rejects every other check character', () => {
    const valid = usccFromPrefix('91330100MA2AAAAA1');
    for (const symbol of USCC_ALPHABET) {
      const candidate = valid.slice(0, 17) + symbol;
      expect(isValidUscc(candidate)).toBe(candidate === valid);
    }
  });

  it.each([
    ['too short', '91330100799655058'],
    ['too long', '91330100799655058BB'],
    ['lower case', '91330100799655058b'],
    ['letter I is not in the alphabet', '9133010079965505IB'],
    ['letter O', '9133010079965505OB'],
    ['letter S', '9133010079965505SB'],
    ['letter V', '9133010079965505VB'],
    ['letter Z', '9133010079965505ZB'],
    ['a space', '91330100799655058 '],
    ['a transposition', '91330100796955058B'],
  ])('rejects %s', (_why, code) => {
    expect(isValidUscc(code)).toBe(false);
  });

  it.each([[undefined], [null], [913301007996550], [{}]])('rejects the non-string %p', (value) => {
    expect(isValidUscc(value)).toBe(false);
  });
});

describe('usccFromPrefix', () => {
  it('completes a prefix into a valid code', () => {
    expect(usccFromPrefix('91330100799655058')).toBe('91330100799655058B');
    expect(isValidUscc(usccFromPrefix('91330108MA2B0Q7U5'))).toBe(true);
  });

  it.each([
    ['9133010079965505'],
    ['91330100799655058B'],
    ['9133010079965505I'],
    ['91330100799655o58'],
  ])('refuses the malformed prefix %s', (prefix) => {
    expect(() => usccFromPrefix(prefix)).toThrow(RangeError);
  });
});

function findPrefix(accept: (prefix: string) => boolean): string {
  for (let serial = 0; serial < 1000; serial += 1) {
    const prefix = `91330100MA2${String(serial).padStart(6, '0')}`;
    if (accept(prefix)) return prefix;
  }
  throw new Error('no prefix found');
}
