import { isRateLimitExempt, pathnameOf, rateLimitBody, TokenBucketLimiter } from './rate-limit';

/** A clock the test moves by hand: no sleeps. */
function fixedClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenBucketLimiter', () => {
  it('allows a burst of perMinute, then refuses with the seconds until the next token', () => {
    const clock = fixedClock();
    const limiter = new TokenBucketLimiter({ perMinute: 3, now: clock.now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    // One token per 20 s at 3 per minute.
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
    clock.advance(15_000);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    clock.advance(5_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
  });

  it('refills up to the burst only, and never from a clock going backwards', () => {
    const clock = fixedClock();
    const limiter = new TokenBucketLimiter({ perMinute: 2, now: clock.now });
    limiter.take('a');
    limiter.take('a');
    clock.advance(-60_000);
    expect(limiter.take('a').allowed).toBe(false);
    clock.advance(60 * 60_000);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((decision) => decision.allowed)).toEqual([true, true, false]);
  });

  it('keeps one bucket per key', () => {
    const clock = fixedClock();
    const limiter = new TokenBucketLimiter({ perMinute: 1, now: clock.now });
    expect(limiter.take('sub:alice').allowed).toBe(true);
    expect(limiter.take('sub:alice').allowed).toBe(false);
    expect(limiter.take('sub:bob').allowed).toBe(true);
    expect(limiter.take('ip:127.0.0.1').allowed).toBe(true);
  });

  it('tracks at most maxKeys keys, evicting the least recently seen', () => {
    const clock = fixedClock();
    const limiter = new TokenBucketLimiter({ perMinute: 1, maxKeys: 2, now: clock.now });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a'); // refused, but seen: b is now the oldest
    limiter.take('c'); // evicts b
    expect(limiter.size).toBe(2);
    expect(limiter.take('a').allowed).toBe(false); // still tracked
    expect(limiter.take('b').allowed).toBe(true); // forgotten, so a fresh bucket (evicting c)
    expect(limiter.size).toBe(2);
    for (let key = 0; key < 1000; key += 1) limiter.take(`k${key}`);
    expect(limiter.size).toBe(2);
  });

  it('refuses a limit that is not a positive integer (0 means "no limiter", not an empty bucket)', () => {
    expect(() => new TokenBucketLimiter({ perMinute: 0 })).toThrow(RangeError);
    expect(() => new TokenBucketLimiter({ perMinute: 1.5 })).toThrow(RangeError);
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
    expect(rateLimitBody(7)).toEqual({ error: { code: 'RATE_LIMIT.EXCEEDED', message: expect.any(String), details: { retryAfterSeconds: 7 } } });
  });
});
