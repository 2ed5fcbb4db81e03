/**
 * Express-level setup shared by the server and the tests: request context, rate limiting, a bounded JSON body parser,
 * its errors in the contract's shape, the /api/v1 prefix and the OpenAPI document at /api/docs.
 */
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AuditLogger, TOKEN_VERIFIER, type TokenVerifier } from '@hz/auth';
import { renderBodyReadError } from './errors/http-exception.filter';
import { MetricsRegistry } from './operations/metrics';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import { rateLimitMiddleware, RateLimiter } from './operations/rate-limit';
import { requestContextMiddleware } from './operations/request-context';
import { requestLoggingMiddleware, type Logger } from './operations/logging';
import { jsonBodyGuard } from './validation/json-body';
import { securityHeaders, type CspDirectives } from './security-headers';
import { describeRequest, type HttpRequestLike, type HttpResponseLike } from './support/http-types';

export const API_PREFIX = 'api/v1';
export const DOCS_PATH = 'api/docs';
/** Largest accepted JSON body: evidence lists are small; anything bigger is a mistake or an attack. */
export const DEFAULT_BODY_LIMIT = '256kb';

export interface HttpAppOptions {
  /** Sources added to the Content-Security-Policy (e.g. for a sign-in provider on this origin); see security-headers.ts. */
  readonly contentSecurityPolicy?: CspDirectives;
  readonly bodyLimit?: string;
  readonly version?: string;
  /** Requests per minute (and burst) per actor or client IP; absent or 0 = no limit. */
  readonly rateLimitPerMinute?: number;
  /** Where the counts live: @nestjs/throttler's in-memory storage by default, RedisThrottlerStorage to share them across replicas. */
  readonly rateLimitStorage?: ThrottlerStorage;
  /** One JSON line per request (docs/operations.md); absent = no request log. */
  readonly logger?: Logger;
}

/** Call on an app created with `{ bodyParser: false }`, before `listen`/`init`. */
export function configureHttpApp(app: NestExpressApplication, options: HttpAppOptions = {}): void {
  useStrictRouting(app);
  // First of all: every answer, refusals and static files included, carries the headers (security-headers.ts).
  app.use(
    securityHeaders({
      extraDirectives: options.contentSecurityPolicy,
      noStorePrefixes: [`/${API_PREFIX}/`],
      docsPrefix: `/${DOCS_PATH}`,
    }),
  );
  const audit = app.get(AuditLogger);
  const metrics = app.get(MetricsRegistry);
  app.use(requestContextMiddleware(metrics));
  if (options.logger) app.use(requestLoggingMiddleware(options.logger));
  if (options.rateLimitPerMinute) {
    const limiter = new RateLimiter(
      options.rateLimitStorage ?? new ThrottlerStorageService(),
      options.rateLimitPerMinute,
    );
    const onStorageError = (error: unknown) =>
      options.logger?.error(
        {
          event: 'rate_limit.storage_error',
          message: error instanceof Error ? error.message : String(error),
        },
        'rate-limit store unreachable: request let through',
      );
    app.use(
      rateLimitMiddleware(limiter, app.get<TokenVerifier>(TOKEN_VERIFIER), metrics, onStorageError),
    );
  }
  app.useBodyParser('json', { limit: options.bodyLimit ?? DEFAULT_BODY_LIMIT, strict: true });
  // Depth and prototype keys, before anything walks the body recursively (validation/json-body.ts).
  app.use(jsonBodyGuard());
  // Body-parser errors happen before routing, so Nest's filters never see them: render them here.
  app.use(
    (
      error: unknown,
      request: HttpRequestLike,
      response: HttpResponseLike,
      next: (error?: unknown) => void,
    ) => {
      if (response.headersSent) return next(error);
      const rendered = renderBodyReadError(error);
      if (!rendered || rendered.status >= 500) {
        audit.failure({ ...describeRequest(request), error });
        response.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
        return;
      }
      const { code, message } = rendered.body.error;
      audit.refusal({
        ...describeRequest(request),
        status: rendered.status,
        code,
        reason: message,
      });
      response.status(rendered.status).json(rendered.body);
    },
  );
  app.setGlobalPrefix(API_PREFIX);
  app.disable('x-powered-by');
  setUpOpenApi(app, options.version ?? '0.1.0');
}

/** What this file needs of Express's application and its router (no @types/express in the workspace). */
interface ExpressInstance {
  set(setting: string, value: unknown): unknown;
  readonly router: { caseSensitive?: boolean; strict?: boolean };
}

/**
 * Case-sensitive, strict routing: `/API/v1/claims`, `/api/v1/Claims` and `/api/v1/claims/` are 404, so a
 * route has exactly one spelling and whatever counts requests by path sees the path the router matched
 * (docs/decisions.md, "HTTP edge"). Express creates its router on first use with the settings of that
 * moment, and Nest's adapter uses it in its constructor, so the settings alone would come too late: the
 * router is told too. Every route and mount added after this (Nest registers routes at init) inherits it.
 */
export function useStrictRouting(app: NestExpressApplication): void {
  const instance = app.getHttpAdapter().getInstance() as ExpressInstance;
  instance.set('case sensitive routing', true);
  instance.set('strict routing', true);
  instance.router.caseSensitive = true;
  instance.router.strict = true;
}

function setUpOpenApi(app: INestApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('Hangzhou CBEC claims ledger')
    .setDescription(
      'Event-sourced ledger for 杭政办函〔2023〕9号: claims, decisions, disbursements, revocations. Money is a decimal string with at most 2 fraction digits.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}/openapi.json` });
}
