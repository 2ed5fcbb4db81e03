import { DomainError } from './errors';
import { REFERENCE_MAX_LENGTH, REFERENCE_PATTERN, requireReference } from './guards';

describe("requireReference: the one reference pattern (also the HTTP contract's)", () => {
  it('accepts 1 to 64 characters of A-Z a-z 0-9 . _ : / -, starting with a letter or digit', () => {
    expect(REFERENCE_MAX_LENGTH).toBe(64);
    for (const reference of ['P', 'PAY-2024-0001', 'ALLOC/park-2024:xihu_1.2', 'x'.repeat(64)]) {
      expect(requireReference(reference, 'paymentRef')).toBe(reference);
      expect(REFERENCE_PATTERN.test(reference)).toBe(true);
    }
  });

  it('refuses 65 characters, a leading separator, spaces and anything outside the alphabet', () => {
    for (const reference of [
      'x'.repeat(65),
      '-PAY',
      'PAY 1',
      'PAY\u202e1',
      'PAY\n1',
      '',
      'ПЛАТЁЖ',
      42,
    ]) {
      expect(() => requireReference(reference, 'paymentRef')).toThrow(DomainError);
    }
    try {
      requireReference('x'.repeat(65), 'paymentRef');
    } catch (error) {
      expect(error).toMatchObject({ code: 'REFERENCE.INVALID', details: { field: 'paymentRef' } });
      expect((error as Error).message).toContain('1..64');
    }
  });
});
