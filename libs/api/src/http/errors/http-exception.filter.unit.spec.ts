import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { StoreOverloaded } from '@hz/event-store';
import { DomainError } from '@hz/ledger';
import { ApiError } from './error-body';
import { renderBodyReadError, renderError } from './http-exception.filter';

describe('renderError: one error shape for everything thrown', () => {
  it.each([
    ['CLAIM.REASONS_REQUIRED', 400],
    ['SOD.SELF_COUNTERSIGN', 403],
    ['CLAIM.NOT_FOUND', 404],
    ['REFERENCE.REUSED', 409],
    ['CLAIM.EXCEEDS_CEILING', 422],
  ] as const)('maps the domain code %s to %i with code, message and details', (code, status) => {
    const rendered = renderError(new DomainError(code, 'because', { claimId: 'X-1' }));
    expect(rendered).toEqual({
      status,
      body: { error: { code, message: 'because', details: { claimId: 'X-1' } } },
    });
  });

  it('maps body-parser failures to stable codes', () => {
    expect(
      renderError(
        Object.assign(new SyntaxError('Unexpected token'), {
          type: 'entity.parse.failed',
          status: 400,
        }),
      )?.body.error.code,
    ).toBe('REQUEST.MALFORMED_JSON');
    expect(
      renderError(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 })),
    ).toEqual(
      expect.objectContaining({
        status: 413,
        body: { error: expect.objectContaining({ code: 'REQUEST.TOO_LARGE' }) },
      }),
    );
  });

  it('keeps our own ApiError bodies and gives Nest exceptions a code', () => {
    expect(renderError(new ApiError(400, 'IDEMPOTENCY.KEY_REQUIRED', 'needed'))?.body).toEqual({
      error: { code: 'IDEMPOTENCY.KEY_REQUIRED', message: 'needed' },
    });
    expect(renderError(new NotFoundException('Cannot GET /x'))?.body.error.code).toBe(
      'ROUTE.NOT_FOUND',
    );
    expect(renderError(new PayloadTooLargeException())?.status).toBe(413);
    expect(renderError(new BadRequestException({ code: 'X.Y', message: 'm' }))?.body).toEqual({
      error: { code: 'X.Y', message: 'm' },
    });
  });

  it('maps a full write queue (StoreOverloaded) to 503 LEDGER.OVERLOADED', () => {
    expect(renderError(new StoreOverloaded(1024))).toEqual({
      status: 503,
      body: {
        error: { code: 'LEDGER.OVERLOADED', message: expect.stringContaining('Retry-After') },
      },
    });
  });

  it('leaves anything else to the 500 path (logged, never rendered)', () => {
    expect(renderError(new TypeError('boom'))).toBeUndefined();
    expect(renderError('a string')).toBeUndefined();
  });
});

describe('renderBodyReadError: what reading a body can throw before routing', () => {
  it('maps a body that does not decode (gzip, deflate, brotli) to 400 REQUEST.BAD_CONTENT_ENCODING', async () => {
    const zlib = await import('node:zlib');
    const failures = await Promise.all(
      [zlib.createGunzip(), zlib.createInflate(), zlib.createBrotliDecompress()].map(
        (stream) =>
          new Promise<unknown>((resolve) => {
            stream.on('error', resolve);
            stream.end(Buffer.from('garbage, not a compressed stream'));
          }),
      ),
    );
    for (const failure of failures) {
      expect(renderBodyReadError(Object.assign(failure as Error, { status: 400 }))).toEqual({
        status: 400,
        body: { error: { code: 'REQUEST.BAD_CONTENT_ENCODING', message: expect.any(String) } },
      });
      // Thrown after routing, the same error is not the client's fault: renderError leaves it to the 500 path.
      expect(renderError(failure)).toBeUndefined();
    }
  });

  it('keeps the known body-parser codes and gives other 4xx read errors a code by status; leaves the rest alone', () => {
    expect(
      renderBodyReadError(
        Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 }),
      )?.body.error.code,
    ).toBe('REQUEST.TOO_LARGE');
    expect(renderBodyReadError(Object.assign(new Error('odd'), { status: 400 }))).toEqual({
      status: 400,
      body: { error: { code: 'REQUEST.INVALID', message: 'the body could not be read' } },
    });
    expect(renderBodyReadError(new TypeError('boom'))).toBeUndefined();
    expect(
      renderBodyReadError(Object.assign(new Error('server side'), { status: 503 })),
    ).toBeUndefined();
  });
});
