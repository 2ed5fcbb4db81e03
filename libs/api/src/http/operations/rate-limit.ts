/**
 * Rate limiting (docs/architecture.md §6, status 429; docs/operations.md, "Rate limits"): at most `perMinute`
 * requests in any sliding minute per authenticated actor (the verified JWT `sub`) or, without a valid
 * token, per client IP. The counts live in a @nestjs/throttler storage: its in-memory one for the
 * embedded default (per process), or RedisThrottlerStorage when REDIS_URL is set, shared by every
 * replica, so two replicas allow the limit once, not twice.
 */
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { TokenVerifier } from '@hz/auth';
import type { ErrorBody } from '../errors/error-body';
import type { HttpRequestLike, HttpResponseLike } from '../support/http-types';
import { headerValue, requestPathname, sendJson, setResponseHeader } from '../support/http-types';
import type { MetricsRegistry } from './metrics';

export const RATE_LIMIT_DEFAULT_PER_MINUTE = 6000;
const WINDOW_MS = 60_000;
const THROTTLER_NAME = 'api';

export type RateDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** One hit per request against a throttler storage; refused hits are not recorded (no blocking beyond the window). */
export class RateLimiter {
  constructor(
    private readonly storage: ThrottlerStorage,
    private readonly perMinute: number,
  ) {
    if (!Number.isInteger(perMinute) || perMinute < 1)
      throw new RangeError('perMinute must be a positive integer');
  }

  async take(key: string): Promise<RateDecision> {
    const record = await this.storage.increment(key, WINDOW_MS, this.perMinute, 0, THROTTLER_NAME);
    if (!record.isBlocked) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.min(60, Math.max(1, Math.ceil(record.timeToBlockExpire))),
    };
  }
}

/**
 * The path the router matches, from the request target: the absolute form (`POST http://host/api/v1/claims`,
 * which Express routes like `/api/v1/claims`) included, so no spelling of a routed path escapes the count.
 */
export const pathnameOf = requestPathname;

/**
 * Health probes and the metrics scrape are never limited: an orchestrator must always reach them. Reads of
 * the dashboard's static files (GET/HEAD outside /api/) are not counted either. Everything else is, whatever
 * its spelling: routing is case-sensitive and strict (http-app.ts), so a handler is only reached through
 * `/api/...` exactly, and writes anywhere count (docs/decisions.md, "HTTP edge").
 */
export function isRateLimitExempt(target: string, method = 'GET'): boolean {
  const path = pathnameOf(target);
  if (/^\/api\/v1\/(health(\/|$)|metrics(\/|$))/.test(path)) return true;
  if (path.startsWith('/api/')) return false;
  return method === 'GET' || method === 'HEAD';
}

export function rateLimitBody(retryAfterSeconds: number): ErrorBody {
  return {
    error: {
      code: 'RATE_LIMIT.EXCEEDED',
      message: `too many requests: retry after ${retryAfterSeconds} s`,
      details: { retryAfterSeconds },
    },
  };
}

interface RateLimitedRequest extends HttpRequestLike {
  readonly ip?: string;
  readonly socket?: { readonly remoteAddress?: string };
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i;

/**
 * Express middleware, after the request context (so a 429 is counted in /metrics and carries a request
 * id) and before the body parser (a refused request is not even read). The key is the `sub` of a token
 * that verifies; an unverifiable token counts against the IP, so inventing subs buys nothing. The token
 * is verified again by the AuthGuard, which still decides 401/403.
 */
export function rateLimitMiddleware(
  limiter: RateLimiter,
  verify: TokenVerifier,
  metrics: MetricsRegistry,
  onStorageError?: (error: unknown) => void,
) {
  return (
    request: HttpRequestLike,
    response: HttpResponseLike,
    next: (error?: unknown) => void,
  ): void => {
    if (isRateLimitExempt(request.originalUrl ?? request.url, request.method)) return next();
    void keyOf(request as RateLimitedRequest, verify).then(
      async (key) => {
        let decision: RateDecision;
        try {
          decision = await limiter.take(key);
        } catch (error) {
          // The shared counter is unreachable (Redis down): serve rather than refuse everybody; logged and counted.
          onStorageError?.(error);
          metrics.countRateLimitStorageError();
          return next();
        }
        if (decision.allowed) return next();
        metrics.countRateLimited();
        setResponseHeader(response, 'Retry-After', String(decision.retryAfterSeconds));
        sendJson(response, 429, rateLimitBody(decision.retryAfterSeconds));
      },
      (error: unknown) => next(error),
    );
  };
}

async function keyOf(request: RateLimitedRequest, verify: TokenVerifier): Promise<string> {
  const token = BEARER.exec(headerValue(request, 'authorization') ?? '')?.[1];
  if (token) {
    try {
      return `sub:${(await verify(token)).sub}`;
    } catch {
      // Not a valid token: fall through to the address.
    }
  }
  return `ip:${request.ip ?? request.socket?.remoteAddress ?? 'unknown'}`;
}
