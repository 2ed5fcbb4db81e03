import { ThrottlerStorageService } from '@nestjs/throttler';
import { isRateLimitExempt, pathnameOf, rateLimitBody, RateLimiter } from './rate-limit';

/**
 * The limiter over @nestjs/throttler's in-memory storage (the embedded default). No clock is moved: a
 * minute is longer than the test, so every hit is still inside the window.
 */
describe('RateLimiter', () => {
  let storage: ThrottlerStorageService;
  beforeEach(() => {
    storage = new ThrottlerStorageService();
  });
  afterEach(() => storage.onApplicationShutdown());

  it('allows perMinute requests in a minute, then refuses with the seconds until the oldest leaves the window', async () => {
    const limiter = new RateLimiter(storage, 3);
    const decisions = [];
    for (let attempt = 0; attempt < 5; attempt += 1)
      decisions.push(await limiter.take('sub:alice'));
    expect(decisions.slice(0, 3)).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
    ]);
    for (const refused of decisions.slice(3)) {
      expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
      if (!refused.allowed) {
        expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
      }
    }
  });

  it('keeps one count per key', async () => {
    const limiter = new RateLimiter(storage, 1);
    expect((await limiter.take('sub:alice')).allowed).toBe(true);
    expect((await limiter.take('sub:alice')).allowed).toBe(false);
    expect((await limiter.take('sub:bob')).allowed).toBe(true);
    expect((await limiter.take('ip:127.0.0.1')).allowed).toBe(true);
  });

  it('refuses a limit that is not a positive integer (0 means "no limiter", not an empty bucket)', () => {
    expect(() => new RateLimiter(storage, 0)).toThrow(RangeError);
    expect(() => new RateLimiter(storage, 1.5)).toThrow(RangeError);
  });
});

describe('rate limit scope and refusal', () => {
  it('exempts health, metrics and everything outside the API', () => {
    expect(isRateLimitExempt('/api/v1/health/live')).toBe(true);
    expect(isRateLimitExempt('/api/v1/health/ready')).toBe(true);
    expect(isRateLimitExempt('/api/v1/metrics')).toBe(true);
    expect(isRateLimitExempt('/')).toBe(true);
    expect(isRateLimitExempt('/assets/index.js')).toBe(true);
    expect(isRateLimitExempt('/api/v1/claims')).toBe(false);
    expect(isRateLimitExempt('/api/v1/healthy')).toBe(false);
    expect(isRateLimitExempt('/api/docs')).toBe(false);
  });

  it('counts every spelling that could reach a handler: absolute-form targets, other cases, writes outside the API', () => {
    expect(isRateLimitExempt('http://127.0.0.1:3000/api/v1/claims', 'POST')).toBe(false);
    expect(isRateLimitExempt('http://127.0.0.1:3000/api/v1/health/live?x=1')).toBe(true);
    expect(isRateLimitExempt('/API/v1/claims', 'POST')).toBe(false);
    expect(isRateLimitExempt('/oidc/token', 'POST')).toBe(false);
    expect(isRateLimitExempt('/api/v1/claims?x=1', 'GET')).toBe(false);
    expect(isRateLimitExempt('/assets/index.js', 'HEAD')).toBe(true);
    expect(pathnameOf('http://host/api/v1/claims?a=b')).toBe('/api/v1/claims');
    expect(pathnameOf('/api/v1/claims?a=b')).toBe('/api/v1/claims');
  });

  it('answers in the contract error shape', () => {
    expect(rateLimitBody(7)).toEqual({
      error: {
        code: 'RATE_LIMIT.EXCEEDED',
        message: expect.any(String),
        details: { retryAfterSeconds: 7 },
      },
    });
  });
});
