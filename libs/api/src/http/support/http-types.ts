/**
 * The few parts of Express's request and response this layer uses, typed here so that we need no
 * @types/express (not a dependency of the workspace).
 */
import type { AuthUser } from '@hz/auth';

export interface HttpRequestLike {
  readonly method: string;
  readonly originalUrl?: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly params?: Record<string, string>;
  readonly body?: unknown;
  readonly route?: { path?: string };
  user?: AuthUser;
  requestId?: string;
}

export interface HttpResponseLike {
  readonly headersSent: boolean;
  statusCode: number;
  status(code: number): HttpResponseLike;
  json(body: unknown): unknown;
  setHeader(name: string, value: string): unknown;
  on(event: 'finish', listener: () => void): unknown;
}

/** Who did what to which object, for the refusal log. */
export function describeRequest(request: HttpRequestLike): {
  actor: string;
  action: string;
  object: string;
  requestId?: string;
} {
  const path = request.route?.path ?? (request.originalUrl ?? request.url).split('?')[0] ?? '';
  const params = request.params ?? {};
  const body =
    typeof request.body === 'object' && request.body !== null
      ? (request.body as Record<string, unknown>)
      : {};
  const bodyObject = [body['applicant'], body['uscc'], body['planId']].find(
    (value) => typeof value === 'string',
  );
  const object =
    params['id'] ?? params['uscc'] ?? (typeof bodyObject === 'string' ? bodyObject : '-');
  return {
    actor: request.user?.sub ?? 'anonymous',
    action: `${request.method} ${path}`,
    object: object.slice(0, 100),
    ...(request.requestId ? { requestId: request.requestId } : {}),
  };
}

export function headerValue(request: HttpRequestLike, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The path Express routes on, from the request target: the absolute form (`GET http://host/api/v1/claims`)
 * included, which Express routes like `/api/v1/claims`.
 */
export function requestPathname(target: string): string {
  if (!target.startsWith('/')) {
    try {
      return new URL(target).pathname;
    } catch {
      // Not a URL either: its raw text.
    }
  }
  return target.split('?')[0] ?? '';
}
