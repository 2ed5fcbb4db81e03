/**
 * JSON log lines through pino (docs/operations.md): one line per request (method, path, route template,
 * status, duration, request id, actor), refusals by the AuditLogger, start-up and projector events. The
 * Authorization header, cookies and anything named like a secret or token are redacted wherever they
 * appear, and requests are logged by path only (no query string, no headers, no body).
 */
import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { HttpRequestLike, HttpResponseLike } from '../support/http-types';

export type { Logger } from 'pino';

/** Paths pino replaces with "[redacted]" in every line, whatever logged them. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'token',
  'secret',
  'jwtSecret',
  'password',
  '*.authorization',
  '*.token',
  '*.secret',
  '*.jwtSecret',
  '*.password',
];

export interface LoggerOptions {
  readonly level?: string;
  /** Where the lines go (default: stdout, synchronously). */
  readonly destination?: DestinationStream;
  /** `service` field of every line. */
  readonly service?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service ?? 'ledger-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A pino destination that hands each line to a function (tests collect them). */
export function lineDestination(sink: (line: string) => void): DestinationStream {
  return { write: (line: string) => sink(line.replace(/\n$/, '')) };
}

/** The most verbose of Nest's log levels, as a pino level ([] = silent): ServerOptions.logLevels. */
export function pinoLevelOf(nestLevels: readonly string[]): string {
  for (const level of ['verbose', 'debug', 'log', 'warn', 'error', 'fatal']) {
    if (nestLevels.includes(level))
      return (
        {
          verbose: 'trace',
          debug: 'debug',
          log: 'info',
          warn: 'warn',
          error: 'error',
          fatal: 'fatal',
        }[level] ?? 'info'
      );
  }
  return 'silent';
}

interface LoggedRequest extends HttpRequestLike {
  readonly id?: unknown;
}

/**
 * Express middleware after the request context (it reuses its request id). 5xx are errors, 4xx
 * warnings (429 included), the rest info; health probes are logged at debug so they do not drown the
 * rest.
 */
export function requestLoggingMiddleware(logger: Logger) {
  const middleware = pinoHttp({
    logger,
    quietReqLogger: true,
    genReqId: (request) => (request as unknown as LoggedRequest).requestId ?? 'unknown',
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    serializers: {
      req: (request: { method?: string; url?: string; raw?: LoggedRequest }) => ({
        method: request.method,
        path: pathOf(request.raw ?? request),
      }),
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
    },
    wrapSerializers: false,
    customLogLevel: (request, response, error) => {
      const health = /^\/api\/v1\/health\//.test(pathOf(request as unknown as LoggedRequest));
      if (error || (response.statusCode >= 500 && !health)) return 'error';
      if (response.statusCode >= 400) return 'warn';
      return health ? 'debug' : 'info';
    },
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (request, _response, value: Record<string, unknown>) => ({
      ...value,
      ...who(request as unknown as LoggedRequest),
    }),
    // A 5xx answer without an exception (503 not ready) carries pino-http's made-up error: dropped, no stack.
    customErrorObject: (request, _response, error, value: Record<string, unknown>) => {
      const { err, ...rest } = value;
      return {
        ...(error.message.startsWith('failed with status code') ? rest : { ...rest, err }),
        ...who(request as unknown as LoggedRequest),
      };
    },
  });
  return (request: HttpRequestLike, response: HttpResponseLike, next: () => void): void =>
    middleware(request as never, response as never, next);
}

function who(request: LoggedRequest): { route: string; actor: string } {
  return { route: request.route?.path ?? 'unmatched', actor: request.user?.sub ?? 'anonymous' };
}

function pathOf(request: { originalUrl?: string; url?: string }): string {
  return (request.originalUrl ?? request.url ?? '').split('?')[0] ?? '';
}

/** Nest's own messages (start-up, its errors) as pino lines instead of Nest's coloured text. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  readonly log = this.at('info');
  readonly error = this.at('error');
  readonly warn = this.at('warn');
  readonly debug = this.at('debug');
  readonly verbose = this.at('trace');
  readonly fatal = this.at('fatal');

  /** Nest's level as pino's: the message as the line's text, Nest's context (a string) as a field. */
  private at(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
  ): (message: unknown, ...context: unknown[]) => void {
    return (message: unknown, ...context: unknown[]): void =>
      this.logger[level](fields(context), text(message));
  }
}

function text(message: unknown): string {
  return message instanceof Error
    ? message.message
    : typeof message === 'string'
      ? message
      : JSON.stringify(message);
}

function fields(context: readonly unknown[]): Record<string, unknown> {
  const strings = context.filter((item): item is string => typeof item === 'string');
  return strings.length > 0 ? { context: strings[strings.length - 1] } : {};
}
