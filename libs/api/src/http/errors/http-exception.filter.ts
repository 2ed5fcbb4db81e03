/**
 * The one exception filter: domain refusals by kind, Nest and body-parser HTTP errors, and anything
 * else as a bare 500. Every 4xx is logged as one refusal line; a 500 is logged with its stack, which
 * never reaches the client.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { AuditLogger } from '@hz/auth';
import { StoreOverloaded } from '@hz/event-store';
import { isDomainError } from '@hz/ledger';
import { isErrorBody, type ErrorBody } from './error-body';
import {
  describeRequest,
  responseStarted,
  sendJson,
  setResponseHeader,
  type HttpRequestLike,
  type HttpResponseLike,
} from '../support/http-types';

/** Codes for Nest's own HttpExceptions that carry none of ours (404 of an unknown route and the like). */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  422: 'REQUEST.UNPROCESSABLE',
  429: 'REQUEST.RATE_LIMITED',
};

/** body-parser errors reach the filter as plain errors with `type` and `status` (see its README). */
const BODY_PARSER_ERRORS: Readonly<
  Record<string, { status: number; code: string; message: string }>
> = {
  'entity.parse.failed': {
    status: 400,
    code: 'REQUEST.MALFORMED_JSON',
    message: 'the body is not valid JSON',
  },
  'entity.too.large': {
    status: 413,
    code: 'REQUEST.TOO_LARGE',
    message: 'the body is larger than the limit',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'REQUEST.UNSUPPORTED_ENCODING',
    message: 'the body encoding is not supported',
  },
  'charset.unsupported': {
    status: 415,
    code: 'REQUEST.UNSUPPORTED_CHARSET',
    message: 'the body charset is not supported',
  },
  'request.aborted': { status: 400, code: 'REQUEST.ABORTED', message: 'the request was aborted' },
  'request.size.invalid': {
    status: 400,
    code: 'REQUEST.SIZE_MISMATCH',
    message: 'the body size does not match Content-Length',
  },
};

export interface Rendered {
  readonly status: number;
  readonly body: ErrorBody;
}

/** Seconds a client waits after 503 LEDGER.OVERLOADED: a full write queue drains in well under one. */
export const OVERLOADED_RETRY_AFTER_SECONDS = 1;

/** Pure mapping from anything thrown to the contract's status and body; undefined means "internal". */
export function renderError(exception: unknown): Rendered | undefined {
  // The event store's write queue is full (issue 12, group commit): nothing recorded, retry later.
  if (exception instanceof StoreOverloaded)
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      body: {
        error: {
          code: 'LEDGER.OVERLOADED',
          message: 'the ledger is busy; nothing was recorded, retry after Retry-After seconds',
        },
      },
    };
  if (isDomainError(exception)) {
    const status = exception.httpStatus;
    return {
      status,
      body: {
        error: { code: exception.code, message: exception.message, details: exception.details },
      },
    };
  }
  if (exception instanceof HttpException) return renderHttpException(exception);
  const parserError = bodyParserError(exception);
  if (parserError)
    return {
      status: parserError.status,
      body: { error: { code: parserError.code, message: parserError.message } },
    };
  return undefined;
}

function renderHttpException(exception: HttpException): Rendered {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (isErrorBody(response)) return { status, body: response };
  const fallback = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'REQUEST.REFUSED');
  if (typeof response === 'object' && response !== null) {
    const { code, message, details } = response as {
      code?: unknown;
      message?: unknown;
      details?: unknown;
    };
    const text = typeof message === 'string' ? message : exception.message;
    const error = {
      code: typeof code === 'string' ? code : fallback,
      message: text,
      ...(details === undefined ? {} : { details }),
    };
    return { status, body: { error } };
  }
  return {
    status,
    body: {
      error: {
        code: fallback,
        message: typeof response === 'string' ? response : exception.message,
      },
    },
  };
}

/** zlib's codes for a body that does not decode as its Content-Encoding says (gzip/deflate: Z_*, brotli: ERR__ERROR_*). */
const DECODING_ERROR_CODE =
  /^(Z_[A-Z_]+|ERR__ERROR_[A-Z0-9_]+|ERR_BROTLI_[A-Z_]+|ERR_ZSTD_[A-Z_]+)$/;

/**
 * Errors raised while reading a body, before routing: a Content-Encoding that does not decode (400), and any
 * other client error body-parser flags with a 4xx status. Only the edge's body middleware (http-app.ts)
 * uses this: after routing, an error carrying a `status` is not trusted to be the client's fault.
 */
export function renderBodyReadError(exception: unknown): Rendered | undefined {
  const rendered = renderError(exception);
  if (rendered) return rendered;
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { code, status } = exception as { code?: unknown; status?: unknown };
  if (typeof code === 'string' && DECODING_ERROR_CODE.test(code)) {
    return {
      status: 400,
      body: {
        error: {
          code: 'REQUEST.BAD_CONTENT_ENCODING',
          message: 'the body does not decode as its Content-Encoding says',
        },
      },
    };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      body: {
        error: {
          code: CODE_BY_STATUS[status] ?? 'REQUEST.REFUSED',
          message: 'the body could not be read',
        },
      },
    };
  }
  return undefined;
}

function bodyParserError(
  exception: unknown,
): { status: number; code: string; message: string } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const type = (exception as { type?: unknown }).type;
  return typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined;
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly audit: AuditLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const response = http.getResponse<HttpResponseLike>();
    const who = describeRequest(request);
    const rendered = renderError(exception);
    if (rendered?.status === HttpStatus.SERVICE_UNAVAILABLE && !responseStarted(response)) {
      const { code, message } = rendered.body.error;
      this.audit.refusal({ ...who, status: rendered.status, code, reason: message });
      setResponseHeader(response, 'Retry-After', String(OVERLOADED_RETRY_AFTER_SECONDS));
      this.send(response, rendered.status, rendered.body);
      return;
    }
    if (!rendered || rendered.status >= 500) {
      this.audit.failure({ ...who, error: exception });
      this.send(response, HttpStatus.INTERNAL_SERVER_ERROR, {
        error: { code: 'INTERNAL', message: 'internal error' },
      });
      return;
    }
    const { code, message } = rendered.body.error;
    this.audit.refusal({ ...who, status: rendered.status, code, reason: message });
    this.send(response, rendered.status, rendered.body);
  }

  private send(response: HttpResponseLike, status: number, body: ErrorBody): void {
    if (responseStarted(response)) return;
    sendJson(response, status, body);
  }
}
