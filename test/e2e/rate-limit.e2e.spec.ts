import { actorsOf, newUscc, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

describe('rate limiting (429)', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    // A tiny limit: 2 requests in any sliding minute per actor (or per IP without a valid token).
    process.env['LEDGER_RATE_LIMIT_PER_MINUTE'] = '2';
    try {
      test = await startTestServer();
    } finally {
      delete process.env['LEDGER_RATE_LIMIT_PER_MINUTE'];
    }
    actors = await actorsOf(test);
  });
  afterAll(async () => {
    await test.stop();
  });

  it('refuses the request over the limit with 429, Retry-After and the contract body, and records nothing', async () => {
    const { uscc } = await registered(actors); // the admin's first request
    expect((await actors.auditor.get('/policies')).status).toBe(200); // another actor has its own bucket
    const before = await test.eventCount();
    expect((await actors.admin.get(`/applicants/${uscc}`)).status).toBe(200); // the admin's second
    const refused = await actors.admin.post('/applicants', {
      uscc: newUscc(),
      name: 'over the limit',
      district: 'xihu',
    });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      error: {
        code: 'RATE_LIMIT.EXCEEDED',
        message: expect.any(String),
        details: { retryAfterSeconds: expect.any(Number) },
      },
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // Until the oldest of the 2 counted requests leaves the minute.
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.error.details.retryAfterSeconds).toBe(retryAfter);
    expect(refused.headers.get('x-request-id')).toBeTruthy();
    expect(await test.eventCount()).toBe(before);
  });

  it('limits unauthenticated callers (and invalid tokens) by client IP', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1)
      statuses.push((await actors.anonymous.as('not-a-jwt').get('/policies')).status);
    expect(statuses).toEqual([401, 401, 429]);
    expect((await actors.anonymous.get('/policies')).status).toBe(429);
  });

  it('keeps health and metrics reachable, and counts the refusals there', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await actors.anonymous.get('/health/live')).status).toBe(200);
      expect((await actors.anonymous.get('/health/ready')).status).toBe(200);
    }
    const metrics = await actors.anonymous.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/ledger_http_rate_limited_total [2-9]/);
    expect(metrics.body).toMatch(
      /ledger_http_requests_total\{method="POST",route="unmatched",status="429"\} 1/,
    );
  });
});
