/**
 * First middleware of the pipeline: a request id (echoed as X-Request-Id, used as causationId) and the
 * request counter and latency, registered on `finish` so that refusals by the body parser or the guard count too.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { HttpRequestLike } from '../support/http-types';
import { headerValue } from '../support/http-types';
import type { MetricsRegistry } from './metrics';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContextMiddleware(metrics: MetricsRegistry) {
  return (request: HttpRequestLike, response: ServerResponse, next: () => void): void => {
    const given = headerValue(request, 'x-request-id');
    request.requestId = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
    response.setHeader('X-Request-Id', request.requestId);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      // The route template (not the raw path) keeps the label set bounded.
      const route = request.route?.path ?? 'unmatched';
      metrics.countRequest(
        request.method,
        route,
        response.statusCode,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}
