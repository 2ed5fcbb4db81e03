import {
  DOMAIN_ERROR_CODES,
  DomainError,
  HTTP_STATUS_BY_KIND,
  kindOfCode,
  type FixedDomainErrorCode,
} from './errors';

describe('DomainError', () => {
  it('maps every fixed code to a kind and an HTTP status', () => {
    for (const code of Object.keys(DOMAIN_ERROR_CODES) as FixedDomainErrorCode[]) {
      const error = new DomainError(code, 'message');
      expect(HTTP_STATUS_BY_KIND[error.kind]).toBe(error.httpStatus);
      expect(code).toMatch(/^[A-Z]+\.[A-Z_]+$/);
    }
  });

  it.each([
    ['APPLICANT.ALREADY_REGISTERED', 409],
    ['APPLICANT.NOT_FOUND', 404],
    ['CLAIM.NOT_FOUND', 404],
    ['CLAIM.EXCEEDS_CEILING', 422],
    ['SOD.SELF_COUNTERSIGN', 403],
    ['REFERENCE.REUSED', 409],
    ['CONCURRENCY.CONFLICT', 409],
    ['IDEMPOTENCY.KEY_REUSED', 409],
    ['USCC.INVALID', 400],
  ] as const)('%s → %d', (code, status) => {
    expect(new DomainError(code, 'x').httpStatus).toBe(status);
  });

  it('passes engine and parser families through with their kind', () => {
    expect(kindOfCode('POLICY.GROWTH_BELOW_MINIMUM')).toBe('rule');
    expect(kindOfCode('EVIDENCE.FIELD_REQUIRED')).toBe('invalid');
    expect(kindOfCode('MONEY.NEGATIVE')).toBe('invalid');
  });

  it('refuses a code nobody defined', () => {
    expect(() => new DomainError('NOPE.NOTHING' as FixedDomainErrorCode, 'x')).toThrow(
      'unknown domain error code',
    );
  });

  it('serialises to the body of the API error', () => {
    expect(
      JSON.parse(
        JSON.stringify(new DomainError('CLAIM.EXCEEDS_CEILING', 'too much', { ceiling: '1.00' })),
      ),
    ).toEqual({ code: 'CLAIM.EXCEEDS_CEILING', message: 'too much', details: { ceiling: '1.00' } });
  });
});
