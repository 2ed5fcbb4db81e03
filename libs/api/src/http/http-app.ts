/**
 * Express-level setup shared by the server and the tests: request context, rate limiting, a bounded JSON body parser,
 * its errors in the contract's shape, the /api/v1 prefix and the OpenAPI document at /api/docs.
 */
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
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
/** `info.version` of the OpenAPI document unless the caller passes another. */
export const API_VERSION = '0.1.0';
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
  setUpOpenApi(app, options.version ?? API_VERSION);
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

/** Tags of the operations, in the order the docs page shows them (docs/architecture.md §6). */
export const OPENAPI_TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'applicants', description: 'Register, relocate and flag applicants; find them by name.' },
  {
    name: 'claims',
    description:
      'Submit, decide, countersign, pay, revoke and recover claims; the claim queue and one claim with its events.',
  },
  {
    name: 'allocation-plans',
    description: 'Competitive pools (五(九)): decide a plan and record its disbursements.',
  },
  {
    name: 'projections',
    description:
      'Read models (caps, one-time awards, fiscal obligations), as of a ledger time; X-Min-Position waits for a write.',
  },
  { name: 'policies', description: 'The policy catalogs the ledger applies, as data.' },
  {
    name: 'audit',
    description: "The auditor's operations: verify the whole history, seal a checkpoint, export.",
  },
];

/**
 * The contract as OpenAPI 3: built from the controllers' decorators, served at /api/docs/openapi.json and
 * written to docs/openapi.json by `npm run openapi` (scripts/openapi.mjs), which Redocly lints in CI.
 */
export function buildOpenApiDocument(app: INestApplication, version = API_VERSION): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Hangzhou CBEC claims ledger')
    .setDescription(
      [
        'Event-sourced ledger for 杭政办函〔2023〕9号: claims, decisions, disbursements, revocations.',
        'Money is a decimal string with exactly 2 fraction digits. Every error is `{error:{code, message, details}}`.',
        `This document as JSON: [/${DOCS_PATH}/openapi.json](/${DOCS_PATH}/openapi.json).`,
      ].join('\n\n'),
    )
    .setVersion(version)
    .setContact('Hangzhou CBEC claims ledger maintainers', '/', 'ledger@example.org')
    .setLicense('UNLICENSED (proprietary)', '/')
    .addServer('/', 'this server (the API is under /api/v1)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const tag of OPENAPI_TAGS) builder.addTag(tag.name, tag.description);
  return SwaggerModule.createDocument(app, builder.build(), { operationIdFactory });
}

/** `ClaimsQueueHttpController.list` → `claimsQueue_list`: stable and unique across controllers. */
function operationIdFactory(controllerKey: string, methodKey: string): string {
  const name = controllerKey.replace(/HttpController$|Controller$/, '');
  return `${name.charAt(0).toLowerCase()}${name.slice(1)}_${methodKey}`;
}

function setUpOpenApi(app: INestApplication, version: string): void {
  const document = buildOpenApiDocument(app, version);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}/openapi.json`,
    customSiteTitle: 'Hangzhou CBEC claims ledger API',
  });
}
