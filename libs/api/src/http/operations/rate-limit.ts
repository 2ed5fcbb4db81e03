/**
 * Bounded in-memory rate limiting (architecture.md §6, status 429): a token bucket per authenticated
 * actor (the verified JWT `sub`) or, without a valid token, per client IP. Each bucket holds up to a
 * minute's worth of requests (the burst) and refills continuously at `perMinute`. The number of tracked
 * keys is capped; the least recently seen key is evicted first, so memory stays bounded whatever the
 * traffic. Per process: replicas behind a load balancer each keep their own buckets.
 */
import type { TokenVerifier } from '@hz/auth';
import type { ErrorBody } from '../errors/error-body';
import type { HttpRequestLike, HttpResponseLike } from '../support/http-types';
import { headerValue } from '../support/http-types';
import type { MetricsRegistry } from './metrics';

export const RATE_LIMIT_DEFAULT_PER_MINUTE = 6000;
export const RATE_LIMIT_DEFAULT_MAX_KEYS = 10_000;

export interface RateLimitOptions {
  /** Requests per minute per key, also the burst size; 0 disables the limiter. */
  readonly perMinute: number;
  /** Most keys tracked at once (oldest evicted first). */
  readonly maxKeys?: number;
  /** Milliseconds since some epoch; injected by tests. */
  readonly now?: () => number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: RateLimitOptions) {
    if (!Number.isInteger(options.perMinute) || options.perMinute < 1) throw new RangeError('perMinute must be a positive integer');
    this.capacity = options.perMinute;
    this.refillPerMs = options.perMinute / 60_000;
    this.maxKeys = Math.max(1, options.maxKeys ?? RATE_LIMIT_DEFAULT_MAX_KEYS);
    this.now = options.now ?? Date.now;
  }

  /** Takes one token for `key`, or says how many whole seconds until one is available. */
  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key);
    let tokens = this.capacity;
    if (bucket) {
      // A clock going backwards never adds tokens.
      tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.updatedAt) * this.refillPerMs);
      this.buckets.delete(key); // re-inserted below: Map order is then least recently seen first
    } else if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, updatedAt: now });
    if (allowed) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.refillPerMs / 1000)) };
  }

  /** Keys currently tracked (for tests and diagnostics). */
  get size(): number {
    return this.buckets.size;
  }
}

/**
 * The path the router matches, from the request target: the absolute form (`POST http://host/api/v1/claims`,
 * which Express routes like `/api/v1/claims`) included, so no spelling of a routed path escapes the count.
 */
export function pathnameOf(target: string): string {
  if (!target.startsWith('/')) {
    try {
      return new URL(target).pathname;
    } catch {
      // Not a URL either: counted under its raw text below.
    }
  }
  return target.split('?')[0] ?? '';
}

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
export function rateLimitMiddleware(limiter: TokenBucketLimiter, verify: TokenVerifier, metrics: MetricsRegistry) {
  return (request: HttpRequestLike, response: HttpResponseLike, next: (error?: unknown) => void): void => {
    if (isRateLimitExempt(request.originalUrl ?? request.url, request.method)) return next();
    void keyOf(request as RateLimitedRequest, verify).then(
      (key) => {
        const decision = limiter.take(key);
        if (decision.allowed) return next();
        metrics.countRateLimited();
        response.setHeader('Retry-After', String(decision.retryAfterSeconds));
        response.status(429).json(rateLimitBody(decision.retryAfterSeconds));
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
