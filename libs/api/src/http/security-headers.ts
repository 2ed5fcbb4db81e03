/**
 * Response headers for every page and API answer of ledger-api (docs/decisions.md, "HTTP edge"), with
 * helmet: a Content-Security-Policy the dashboard (React + ECharts, served at /) and the Swagger UI page
 * (/api/docs) work under, X-Content-Type-Options, X-Frame-Options with frame-ancestors 'none',
 * Referrer-Policy no-referrer, Permissions-Policy denying device features, and `Cache-Control: no-store` on
 * everything under /api/v1 (claim data must not sit in a shared or browser cache).
 *
 * Others extend the policy through `contentSecurityPolicy(extra)` (e.g. a sign-in provider mounted on the
 * same origin): it adds sources to a directive, never removes one. `connect-src 'self'` and
 * `form-action 'self'` already allow an OpenID provider served from this origin (fetches, and the login
 * form's POST and its redirects).
 */
import helmet from 'helmet';
import { requestPathname } from './support/http-types';

export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/** The policy of the dashboard and the API: nothing inline, nothing from another origin. */
export const CONTENT_SECURITY_POLICY: CspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  // ECharts and React set styles through the CSSOM (allowed); ECharts' tooltips write style attributes.
  'style-src': ["'self'"],
  'style-src-attr': ["'unsafe-inline'"],
  // The dashboard's favicon is a data: URL; charts export as data: images.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
};

/**
 * The Swagger UI page ships two inline <style> blocks in its HTML (@nestjs/swagger's template) and sets
 * style attributes: styles may be inline there, scripts still may not.
 */
export const DOCS_CONTENT_SECURITY_POLICY_EXTRA: CspDirectives = {
  'style-src': ["'unsafe-inline'"],
};

/** `base` with the sources of `extra` added to each directive (duplicates dropped). */
export function contentSecurityPolicy(
  extra: CspDirectives = {},
  base: CspDirectives = CONTENT_SECURITY_POLICY,
): CspDirectives {
  const merged: Record<string, readonly string[]> = { ...base };
  for (const [directive, sources] of Object.entries(extra)) {
    merged[directive] = [...new Set([...(merged[directive] ?? []), ...sources])];
  }
  return merged;
}

/** The header value, e.g. for a test or a page rendered outside Express. */
export function serializeCsp(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([directive, sources]) => [directive, ...sources].join(' '))
    .join('; ');
}

export const PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()';

type Next = (error?: unknown) => void;
interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
  removeHeader?(name: string): unknown;
}
type Middleware = (
  request: { readonly originalUrl?: string; readonly url: string },
  response: HeaderTarget,
  next: Next,
) => void;

/** One header operation of helmet's middleware: a value to set, or `undefined` for a header it removes. */
type HeaderOperation = readonly [name: string, value: string | undefined];

/**
 * The header operations helmet's middleware makes, recorded once: with static directives (no nonce
 * functions) it makes the same ones, in the same order, on every response, so each answer replays the
 * list instead of running helmet's chain of a dozen middleware functions per request (issue 12: the
 * service's CPU per command, docs/benchmarks.md). `undefined` when helmet did not answer synchronously
 * with exactly those operations, in which case helmet itself runs per request.
 */
function recordHeaderOperations(middleware: Middleware): readonly HeaderOperation[] | undefined {
  const operations: HeaderOperation[] = [];
  let completed = false;
  let failed = false;
  const recorder = {
    setHeader(name: string, value: unknown) {
      if (typeof value === 'string') operations.push([name, value]);
      else failed = true;
    },
    removeHeader(name: string) {
      operations.push([name, undefined]);
    },
  };
  middleware({ url: '/' }, recorder, (error?: unknown) => {
    completed = true;
    if (error !== undefined) failed = true;
  });
  return completed && !failed ? operations : undefined;
}

/** Helmet's headers as a replay of its recorded operations (recordHeaderOperations), or helmet itself. */
function replayable(middleware: Middleware): Middleware {
  const operations = recordHeaderOperations(middleware);
  if (operations === undefined) return middleware;
  const names = operations.map(([name]) => name);
  const values = operations.map(([, value]) => value);
  const count = names.length;
  return (_request, response, next) => {
    for (let i = 0; i < count; i += 1) {
      const value = values[i];
      if (value !== undefined) response.setHeader(names[i] as string, value);
      else response.removeHeader?.(names[i] as string);
    }
    next();
  };
}

function helmetWith(directives: CspDirectives): Middleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(
        Object.entries(directives).map(([name, sources]) => [name, [...sources]]),
      ),
    },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false, // TLS ends at the operator's proxy, which sets HSTS for its own host name
  }) as unknown as Middleware;
}

export interface SecurityHeadersOptions {
  /** Sources added to the policy of every page (see contentSecurityPolicy). */
  readonly extraDirectives?: CspDirectives;
  /** Path prefixes (e.g. '/api/v1/') whose answers get `Cache-Control: no-store`. */
  readonly noStorePrefixes?: readonly string[];
  /** Path prefix of the Swagger UI page (e.g. '/api/docs'), which gets DOCS_CONTENT_SECURITY_POLICY_EXTRA. */
  readonly docsPrefix?: string;
}

/** One Express middleware setting all of the above; registered before any route or static file. */
export function securityHeaders(options: SecurityHeadersOptions = {}): Middleware {
  const pages = contentSecurityPolicy(options.extraDirectives);
  const forPages = replayable(helmetWith(pages));
  const forDocs = replayable(
    helmetWith(contentSecurityPolicy(DOCS_CONTENT_SECURITY_POLICY_EXTRA, pages)),
  );
  const noStore = options.noStorePrefixes ?? [];
  const docs = options.docsPrefix;
  return (request, response, next) => {
    const path = requestPathname(request.originalUrl ?? request.url);
    response.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    if (noStore.some((prefix) => path.startsWith(prefix)))
      response.setHeader('Cache-Control', 'no-store');
    const isDocs = docs !== undefined && (path === docs || path.startsWith(`${docs}/`));
    (isDocs ? forDocs : forPages)(request, response, next);
  };
}
