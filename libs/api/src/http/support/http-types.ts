/**
 * The few parts of the HTTP request and response this layer uses, on either Nest platform (issue 12,
 * LEDGER_HTTP_ADAPTER): Express's request/response (which extend node:http's), Fastify's request/reply (which
 * wrap them as `raw`), and the bare node:http objects middleware receives on Fastify (@fastify/middie). Typed
 * here so that we need neither @types/express nor Fastify's types in the handlers. Responses are written
 * through the functions below, never through one framework's own methods.
 */
import type { ServerResponse } from 'node:http';
import type { AuthUser } from '@hz/auth';

export interface HttpRequestLike {
  readonly method: string;
  readonly originalUrl?: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly params?: Record<string, string>;
  readonly body?: unknown;
  /** The route template the router matched: Express sets it; on Fastify http-app.ts decorates it. */
  readonly route?: { path?: string };
  user?: AuthUser;
  requestId?: string;
}

/**
 * Express's response (status/json/setHeader of its own), Fastify's reply (status/header/send, the node:http
 * response as `raw`) or a bare node:http response: the functions below tell them apart.
 */
export interface HttpResponseLike {
  readonly statusCode: number;
  readonly headersSent?: boolean;
  status?(code: number): unknown;
  setHeader?(name: string, value: string): unknown;
}

interface FastifyReplyLike {
  readonly raw: ServerResponse;
  readonly sent: boolean;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload: string): unknown;
}

interface ExpressResponseLike {
  status(code: number): ExpressResponseLike;
  json(body: unknown): unknown;
}

function fastifyReply(response: unknown): FastifyReplyLike | undefined {
  const candidate = response as Partial<FastifyReplyLike>;
  return typeof candidate.raw === 'object' && typeof candidate.header === 'function'
    ? (candidate as FastifyReplyLike)
    : undefined;
}

/** The node:http response under any of the three. */
export function nodeResponse(response: HttpResponseLike): ServerResponse {
  return fastifyReply(response)?.raw ?? (response as unknown as ServerResponse);
}

/** True once the status line went out (or, on Fastify, once the reply was sent). */
export function responseStarted(response: HttpResponseLike): boolean {
  const reply = fastifyReply(response);
  if (reply) return reply.sent || reply.raw.headersSent;
  return (response as unknown as ServerResponse).headersSent;
}

/**
 * A response header. On Fastify through the reply (its own headers win over the node response's when it
 * writes the head: a Content-Type set on `raw` would lose to the one it derives from the payload).
 */
export function setResponseHeader(response: HttpResponseLike, name: string, value: string): void {
  const reply = fastifyReply(response);
  if (reply) reply.header(name, value);
  else (response as unknown as ServerResponse).setHeader(name, value);
}

/** The status of a response Nest sends afterwards (a handler with `passthrough`). */
export function setResponseStatus(response: HttpResponseLike, status: number): void {
  const reply = fastifyReply(response);
  if (reply) reply.code(status);
  else if (typeof response.status === 'function') response.status(status);
  else (response as unknown as ServerResponse).statusCode = status;
}

/** Answers `body` as JSON with `status`, whichever of the three `response` is. */
export function sendJson(response: HttpResponseLike, status: number, body: unknown): void {
  const reply = fastifyReply(response);
  if (reply) {
    reply.code(status).header('Content-Type', JSON_TYPE).send(JSON.stringify(body));
    return;
  }
  const express = response as unknown as Partial<ExpressResponseLike>;
  if (typeof express.json === 'function' && typeof express.status === 'function') {
    express.status(status).json(body);
    return;
  }
  const raw = response as unknown as ServerResponse;
  const text = JSON.stringify(body);
  raw.statusCode = status;
  raw.setHeader('Content-Type', JSON_TYPE);
  raw.setHeader('Content-Length', String(Buffer.byteLength(text)));
  raw.end(text);
}

const JSON_TYPE = 'application/json; charset=utf-8';

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
  return beforeQuery(target);
}

/**
 * What precedes the first '?' of a request target (as split('?')[0]), without the array: every request
 * asks, several times (issue 12, docs/benchmarks.md "The write path, session 12").
 */
export function beforeQuery(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}
