/**
 * HTTP-level setup shared by the server and the tests: request context, rate limiting, a bounded JSON body parser,
 * its errors in the contract's shape, the /api/v1 prefix and the OpenAPI document at /api/docs.
 *
 * On Express or Fastify (LEDGER_HTTP_ADAPTER, issue 12): the middleware is written against node:http's
 * request and response, which Express extends and Fastify's middleware layer (@fastify/middie) passes as they
 * are; the JSON body is read by the same body-parser on both (on Fastify from its content-type parser, after
 * routing, so an unknown route still answers 404 before its body is read, as Express's router does not);
 * routing is strict and case-sensitive on both (docs/decisions.md, "HTTP edge").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { HttpException, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { json as jsonBodyParser } from 'body-parser';
import send from 'send';
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
import {
  describeRequest,
  requestPathname,
  sendJson,
  type HttpRequestLike,
  type HttpResponseLike,
} from './support/http-types';

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

/** The Nest app on either platform. */
export type LedgerHttpApp = NestExpressApplication | NestFastifyApplication;

export function isFastifyApp(app: INestApplication): app is NestFastifyApplication {
  return app.getHttpAdapter().getType() === 'fastify';
}

/** Call on an app created with `{ bodyParser: false }`, before `listen`/`init`. */
export function configureHttpApp(app: LedgerHttpApp, options: HttpAppOptions = {}): void {
  const fastify = isFastifyApp(app);
  // Express: strict routing set on its router; Fastify: the router options (fastifyServerOptions) and the
  // request fields the handlers share with the middleware.
  if (fastify) bridgeFastifyRequests(app);
  else useStrictRouting(app);
  // The edge's own middleware, in this order; on Fastify run by one request hook (useEdgeHook).
  const edge: EdgeMiddleware[] = [];
  if (fastify) edges.set(app, edge);
  const use = fastify
    ? (middleware: EdgeMiddleware) => void edge.push(middleware)
    : (middleware: EdgeMiddleware) => void app.use(middleware);
  if (fastify) useEdgeHook(app, edge, Boolean(options.rateLimitPerMinute));
  // First of all: every answer, refusals and static files included, carries the headers (security-headers.ts).
  const headers = securityHeaders({
    extraDirectives: options.contentSecurityPolicy,
    noStorePrefixes: [`/${API_PREFIX}/`],
    docsPrefix: `/${DOCS_PATH}`,
  });
  use(headers as EdgeMiddleware);
  // Fastify's router refuses a target that does not decode before any middleware (fastifyServerOptions).
  if (fastify) fastifyOf(app).decorate(ROUTER_REFUSAL_HEADERS, headers);
  const audit = app.get(AuditLogger);
  const metrics = app.get(MetricsRegistry);
  use(requestContextMiddleware(metrics) as EdgeMiddleware);
  if (options.logger) use(requestLoggingMiddleware(options.logger) as EdgeMiddleware);
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
    use(
      rateLimitMiddleware(
        limiter,
        app.get<TokenVerifier>(TOKEN_VERIFIER),
        metrics,
        onStorageError,
      ) as EdgeMiddleware,
    );
  }
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (fastify) useFastifyJsonBody(app, bodyLimit);
  else useExpressJsonBody(app, bodyLimit, audit);
  app.setGlobalPrefix(API_PREFIX);
  if (!fastify) app.disable('x-powered-by'); // Fastify sends none
  setUpOpenApi(app, options.version ?? API_VERSION, fastify ? use : undefined);
}

/** The edge's middleware of each Fastify app configureHttpApp set up (useEdgeHook runs them). */
const edges = new WeakMap<object, EdgeMiddleware[]>();

/** A middleware of node:http's request and response, mounted at a path (useAtEdge, mounted). */
type MountedMiddleware = (
  request: IncomingMessage & { originalUrl?: string },
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * `app.use(mountPath, middleware)` for middleware of node:http's request and response that checks the
 * request's path itself (e.g. the sign-in endpoints): on Fastify it runs after the edge's own, in the edge
 * hook (useEdgeHook), with the mount path stripped from `url` as middie's mount strips it, so middie has
 * nothing to run per request; on Express (or an app configureHttpApp did not set up) it is `app.use`.
 */
export function useAtEdge(
  app: INestApplication,
  mountPath: string,
  middleware: MountedMiddleware,
): void {
  const edge = edges.get(app);
  if (edge === undefined) app.use(mountPath, middleware);
  else edge.push(mounted(mountPath, middleware));
}

/** What useEdgeHook uses of Nest's Fastify adapter. */
interface FastifyAdapterLike {
  setOnRequestHook(
    hook: (request: FastifyRequestLike, reply: unknown, done: (error?: Error) => void) => void,
  ): void;
  isRoutableRequestTarget?(url: string | undefined): boolean;
}

/** A middleware of the edge, on node:http's request and response. */
type EdgeMiddleware = (
  request: IncomingMessage & BridgedRequest & { originalUrl?: string; ip?: string },
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Fastify: the edge's middleware (security headers, request context, request log, rate limit, the Swagger
 * UI's files, then what others add with useAtEdge: the sign-in endpoints) run in order by one `onRequest`
 * hook on node:http's request and response, as they did as @fastify/middie middleware, instead of through
 * middie: with no middleware of its own left, middie's hook does nothing per request, where it copied six
 * of Fastify's request fields onto node:http's (the query string parsed, the client address resolved) and
 * decoded and matched the path once per middleware (issue 12: the service's CPU per command,
 * docs/benchmarks.md). It is the adapter's own request hook (`setOnRequestHook`), which runs before
 * middie's, so it runs first, as the middleware did; middleware others add with `app.use` (the embedded
 * sign-in provider, the dashboard) still runs through middie, after it, and the matched route is put on
 * the request after both (bridgeFastifyRequests), so a request the edge answers (a 429) is counted as
 * `unmatched`, as before. A middleware's error goes to Fastify's error handler as middie's did, and an
 * answered request (a 429, a static file) goes no further. The rate limit reads the client address from
 * node:http's request (`ip`), where middie put Fastify's.
 */
function useEdgeHook(
  app: NestFastifyApplication,
  edge: readonly EdgeMiddleware[],
  needsClientAddress: boolean,
): void {
  const adapter = app.getHttpAdapter() as unknown as FastifyAdapterLike;
  adapter.setOnRequestHook((request, reply, done) => {
    // The target middie could not match against goes to the not-found handler before any middleware
    // (the adapter's next hook): here too.
    if (!request.is404 && adapter.isRoutableRequestTarget?.(request.raw.url) === false)
      return done();
    const raw = request.raw;
    const response = (reply as { raw: ServerResponse }).raw;
    if (needsClientAddress) raw.ip = request.ip;
    let index = 0;
    const next = (error?: unknown): void => {
      if (response.writableEnded) return;
      if (error !== undefined && error !== null) return done(error as Error);
      const middleware = edge[index];
      index += 1;
      if (middleware === undefined) return done();
      middleware(raw, response, next);
    };
    next();
  });
}

/**
 * Express: body-parser as Express middleware, then the body guard, then an error middleware of our own
 * (body-parser's errors happen before routing, so Nest's filters never see them).
 */
function useExpressJsonBody(
  app: NestExpressApplication,
  bodyLimit: string,
  audit: AuditLogger,
): void {
  app.useBodyParser('json', { limit: bodyLimit, strict: true });
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
        sendJson(response, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
        return;
      }
      const { code, message } = rendered.body.error;
      audit.refusal({
        ...describeRequest(request),
        status: rendered.status,
        code,
        reason: message,
      });
      sendJson(response, rendered.status, rendered.body);
    },
  );
}

/** What the Fastify side of this file uses of Fastify's request, reply and instance. */
interface FastifyRequestLike {
  readonly raw: IncomingMessage & BridgedRequest & { ip?: string };
  readonly ip: string;
  readonly is404: boolean;
  readonly routeOptions: { readonly url?: string };
}
interface BridgedRequest {
  requestId?: string;
  user?: HttpRequestLike['user'];
  route?: { path: string };
  body?: unknown;
}
type Done = (error: Error | null, value?: unknown) => void;
interface FastifyInstanceLike {
  decorate(name: string, value: unknown): unknown;
  decorateRequest(
    name: string,
    accessors: {
      getter(this: FastifyRequestLike): unknown;
      setter?(this: FastifyRequestLike, value: unknown): void;
    },
  ): unknown;
  addHook(
    name: 'onRequest',
    hook: (request: FastifyRequestLike, reply: unknown, done: () => void) => void,
  ): unknown;
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(
    type: string,
    parser: (request: FastifyRequestLike, payload: unknown, done: Done) => void,
  ): unknown;
}

function fastifyOf(app: NestFastifyApplication): FastifyInstanceLike {
  return app.getHttpAdapter().getInstance() as unknown as FastifyInstanceLike;
}

function fastifyRoute(request: FastifyRequestLike): { path: string } | undefined {
  const url = request.is404 ? undefined : request.routeOptions.url;
  return url === undefined ? undefined : { path: url };
}

/**
 * The middleware (request id, request log, metrics) sees node:http's request on Fastify, the guards and
 * handlers Fastify's: `requestId` and `user` are kept on the node:http request and read through from
 * Fastify's, and the matched route template is put on both, where Express's router puts it (`route.path`),
 * so the metrics and the log label a request by its template on either platform.
 */
function bridgeFastifyRequests(app: NestFastifyApplication): void {
  const instance = fastifyOf(app);
  for (const field of ['requestId', 'user'] as const)
    instance.decorateRequest(field, {
      getter() {
        return this.raw[field];
      },
      setter(value) {
        (this.raw as unknown as Record<string, unknown>)[field] = value;
      },
    });
  instance.decorateRequest('route', {
    getter() {
      return fastifyRoute(this);
    },
  });
  instance.addHook('onRequest', (request, _reply, done) => {
    const route = fastifyRoute(request);
    if (route) request.raw.route = route;
    done();
  });
}

/**
 * Fastify: one content-type parser for every type, running Express's own body-parser (the same limit,
 * strict JSON, Content-Encoding inflation, charsets and error types) on the node:http request, then the body
 * guard. Like on Express, a body whose type is not JSON is not read (`body` stays undefined; the DTO's
 * validation refuses it). A refusal goes to Nest's exception filter already rendered; anything else as it
 * is (a 500), as the Express error middleware above does.
 */
function useFastifyJsonBody(app: NestFastifyApplication, bodyLimit: string): void {
  const instance = fastifyOf(app);
  const parse = jsonBodyParser({ limit: bodyLimit, strict: true });
  const guard = jsonBodyGuard();
  const readBody = (request: FastifyRequestLike, _payload: unknown, done: Done): void => {
    const raw = request.raw;
    parse(raw, undefined as unknown as ServerResponse, (error?: unknown) => {
      if (error) return done(asRefusal(error));
      guard(raw, undefined, (refusal?: unknown) => {
        if (refusal) return done(refusal as Error);
        done(null, raw.body);
      });
    });
  };
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', readBody);
  runBodyParserWithoutAsyncResource(instance, readBody);
}

/** What runBodyParserWithoutAsyncResource uses of Fastify's content-type parser registry and reply. */
interface ContentTypeParsers {
  getParser(contentType: string): { readonly fn: unknown } | undefined;
  run(contentType: string, handler: RouteHandler, request: unknown, reply: unknown): void;
}
type RouteHandler = (request: unknown, reply: unknown) => void;

/**
 * What Fastify's run sets before sending a parser's error (`reply[kReplyIsError] = true`: the payload goes
 * to the error handler even when it is not an Error); the symbol is Fastify's own, found on the reply.
 */
function markReplyAsError(reply: object): void {
  const key = Object.getOwnPropertySymbols(reply).find(
    (symbol) => symbol.description === 'fastify.reply.isError',
  );
  if (key !== undefined) (reply as Record<symbol, unknown>)[key] = true;
}
interface FastifyReplyLike {
  header(name: string, value: string): unknown;
  send(payload: unknown): unknown;
}

/**
 * Fastify 5 runs every request body's parser through `ContentTypeParser.run`, which wraps the parser's
 * callback in `new AsyncResource(...).bind(...)`; on Node 20 every `bind` defines the bound function's
 * deprecated `asyncResource` accessors through two `util.deprecate` calls: 3.8% of the main thread under
 * register load, the largest cost Fastify has and Express has not (docs/benchmarks.md, "The write path,
 * session 7"). The service keeps no async context across a body read (no AsyncLocalStorage, nothing listens
 * to async_hooks), so for our one parser (readBody above) the instance's `run` does what Fastify's does
 * without the resource: the same parser call, the same error path (`Connection: close`, the error to the
 * reply, which Nest's filter renders) and the same hand-over to the route. Any other parser, should one be
 * added, still goes through Fastify's own `run`. The parsers of plugin scopes are copies without this `run`;
 * ledger-api registers its routes on the root instance (test/e2e/http-adapter.e2e.spec.ts checks it).
 */
function runBodyParserWithoutAsyncResource(
  instance: FastifyInstanceLike,
  readBody: (request: FastifyRequestLike, payload: unknown, done: Done) => void,
): void {
  const key = Object.getOwnPropertySymbols(instance).find(
    (symbol) => symbol.description === 'fastify.contentTypeParser',
  );
  const parsers =
    key === undefined
      ? undefined
      : (instance as unknown as Record<symbol, ContentTypeParsers>)[key];
  if (parsers === undefined) return;
  const fastifyRun = parsers.run;
  parsers.run = function run(contentType, handler, request, reply) {
    const parser = this.getParser(contentType);
    if (parser?.fn !== readBody) return fastifyRun.call(this, contentType, handler, request, reply);
    const fastifyRequest = request as FastifyRequestLike & { body?: unknown };
    readBody(fastifyRequest, undefined, (error: Error | null, body?: unknown) => {
      if (error != null) {
        const fastifyReply = reply as FastifyReplyLike;
        // As Fastify's run: the client may still be sending the body.
        fastifyReply.header('connection', 'close');
        markReplyAsError(fastifyReply);
        fastifyReply.send(error);
        return;
      }
      fastifyRequest.body = body;
      handler(request, reply);
    });
  };
}

function asRefusal(error: unknown): Error {
  const rendered = renderBodyReadError(error);
  if (!rendered || rendered.status >= 500)
    return error instanceof Error ? error : new Error(String(error));
  return new HttpException(rendered.body, rendered.status);
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

function setUpOpenApi(
  app: LedgerHttpApp,
  version: string,
  useOnEdge?: (middleware: EdgeMiddleware) => void,
): void {
  const document = buildOpenApiDocument(app, version);
  const setup = () =>
    SwaggerModule.setup(DOCS_PATH, app, document, {
      jsonDocumentUrl: `${DOCS_PATH}/openapi.json`,
      customSiteTitle: 'Hangzhou CBEC claims ledger API',
    });
  if (!isFastifyApp(app)) return setup();
  // @nestjs/swagger serves the Swagger UI's files through app.useStaticAssets, which on Fastify needs
  // @fastify/static: @nestjs/swagger 11.4 accepts only ^8 || ^9 of it and @nestjs/platform-fastify 11.2.8
  // only ^10.1.2, so no version installs beside both. For the length of the call, the files are served by
  // the same `send` as the dashboard's (node:http request and response, any platform).
  const adapter = app.getHttpAdapter() as unknown as {
    useStaticAssets: (options: StaticAssets) => unknown;
  };
  adapter.useStaticAssets = (options) =>
    useOnEdge
      ? useOnEdge(mounted(options.prefix, staticFiles(options)))
      : app.use(options.prefix, staticFiles(options));
  try {
    setup();
  } finally {
    delete (adapter as Partial<typeof adapter>).useStaticAssets; // the prototype's again
  }
}

interface StaticAssets {
  readonly root: string;
  readonly prefix: string;
}

/**
 * GET/HEAD of the files under `root`, mounted at `prefix` (node:http request and response; the mount strips
 * the prefix from `url`). Case-sensitive like every route: the mount's own match is not.
 */
function staticFiles({ root, prefix }: StaticAssets) {
  const base = normalize(root + sep);
  return (
    request: IncomingMessage & { originalUrl?: string },
    response: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (!requestPathname(request.originalUrl ?? request.url ?? '').startsWith(`${prefix}/`))
      return next();
    let path: string;
    try {
      path = decodeURIComponent(requestPathname(request.url ?? ''));
    } catch {
      return next();
    }
    const file = normalize(join(base, path));
    if (!file.startsWith(base) || path.includes('\0') || extname(file) === '') return next();
    send(request, file, { index: false, dotfiles: 'deny' })
      .on('error', () => {
        if (!response.headersSent) next();
      })
      .pipe(response);
  };
}

/**
 * A middleware mounted at `mountPath` in the edge hook (useEdgeHook), which mounts nothing: it sees the
 * requests whose path is the mount path or under it, spelled exactly, with the mount path stripped from
 * `url` as middie's mount strips it (the rest, '/' at least, and the query string) and `originalUrl` the
 * request's target; `url` is the request's own again when it calls `next`. Middie matches the mount path
 * without regard to case, but every middleware mounted so (staticFiles, the sign-in endpoints) compares
 * the original target exactly and passes the others on, as this does.
 */
function mounted(mountPath: string, middleware: MountedMiddleware): EdgeMiddleware {
  const under = `${mountPath}/`;
  return (request, response, next) => {
    const url = request.url ?? '';
    // An origin-form target that does not start with the mount path has no path under it.
    if (url.startsWith('/') && !url.startsWith(mountPath)) return next();
    const path = requestPathname(url);
    if (path !== mountPath && !path.startsWith(under)) return next();
    const query = url.indexOf('?');
    const rest = path.slice(mountPath.length);
    request.originalUrl = url;
    request.url =
      (rest.startsWith('/') ? rest : `/${rest}`) + (query === -1 ? '' : url.slice(query));
    middleware(request, response, (error?: unknown) => {
      request.url = url;
      next(error);
    });
  };
}

/** The instance decoration holding the security-headers middleware for the router's own refusals. */
const ROUTER_REFUSAL_HEADERS = 'ledgerSecurityHeaders';

/**
 * The Fastify instance's options for ledger-api (LEDGER_HTTP_ADAPTER=fastify): the router as strict as
 * Express's with useStrictRouting (case-sensitive, no trailing slash, no merged slashes), path parameters as
 * long as Express lets them be (find-my-way's default of 100 characters would turn a long id into a 404), and
 * the router's own refusals (a target that does not decode) in the contract's shape.
 */
export function fastifyServerOptions(): FastifyServerOptions {
  return {
    routerOptions: {
      caseSensitive: true,
      ignoreTrailingSlash: false,
      ignoreDuplicateSlashes: false,
      maxParamLength: 16_384,
    },
    frameworkErrors: (_error, request, reply) => {
      const refuse = () =>
        sendJson(reply as unknown as HttpResponseLike, 400, {
          error: { code: 'REQUEST.INVALID', message: 'the request target is not a valid path' },
        });
      // With the security headers every other answer carries (configureHttpApp decorates them).
      const headers = (request.server as unknown as Record<string, unknown>)[
        ROUTER_REFUSAL_HEADERS
      ] as ReturnType<typeof securityHeaders> | undefined;
      if (headers) headers(request.raw as typeof request.raw & { url: string }, reply.raw, refuse);
      else refuse();
    },
  };
}
