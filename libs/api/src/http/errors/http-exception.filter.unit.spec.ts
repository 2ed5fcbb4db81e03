import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError } from '@hz/ledger';
import { ApiError } from './error-body';
import { renderError } from './http-exception.filter';

describe('renderError: one error shape for everything thrown', () => {
  it.each([
    ['CLAIM.REASONS_REQUIRED', 400],
    ['SOD.SELF_COUNTERSIGN', 403],
    ['CLAIM.NOT_FOUND', 404],
    ['REFERENCE.REUSED', 409],
    ['CLAIM.EXCEEDS_CEILING', 422],
  ] as const)('maps the domain code %s to %i with code, message and details', (code, status) => {
    const rendered = renderError(new DomainError(code, 'because', { claimId: 'X-1' }));
    expect(rendered).toEqual({ status, body: { error: { code, message: 'because', details: { claimId: 'X-1' } } } });
  });

  it('maps body-parser failures to stable codes', () => {
    expect(renderError(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 }))?.body.error.code).toBe('REQUEST.MALFORMED_JSON');
    expect(renderError(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 }))).toEqual(
      expect.objectContaining({ status: 413, body: { error: expect.objectContaining({ code: 'REQUEST.TOO_LARGE' }) } }),
    );
  });

  it('keeps our own ApiError bodies and gives Nest exceptions a code', () => {
    expect(renderError(new ApiError(400, 'IDEMPOTENCY.KEY_REQUIRED', 'needed'))?.body).toEqual({ error: { code: 'IDEMPOTENCY.KEY_REQUIRED', message: 'needed' } });
    expect(renderError(new NotFoundException('Cannot GET /x'))?.body.error.code).toBe('ROUTE.NOT_FOUND');
    expect(renderError(new PayloadTooLargeException())?.status).toBe(413);
    expect(renderError(new BadRequestException({ code: 'X.Y', message: 'm' }))?.body).toEqual({ error: { code: 'X.Y', message: 'm' } });
  });

  it('leaves anything else to the 500 path (logged, never rendered)', () => {
    expect(renderError(new TypeError('boom'))).toBeUndefined();
    expect(renderError('a string')).toBeUndefined();
  });
});
