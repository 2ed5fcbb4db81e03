/**
 * JSON log lines through pino (docs/operations.md): one line per request (method, path, route template,
 * status, duration, request id, actor), refusals by the AuditLogger, start-up and projector events. The
 * Authorization header, cookies and anything named like a secret or token are redacted wherever they
 * appear, and requests are logged by path only (no query string, no headers, no body).
 */
import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { beforeQuery, type HttpRequestLike } from '../support/http-types';

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

type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** What the request log needs of Express's response: its status and its end events. */
interface LoggedResponse {
  readonly statusCode: number;
  on(event: 'finish' | 'close' | 'error', listener: (error?: Error) => void): unknown;
  removeListener(event: 'finish' | 'close' | 'error', listener: (error?: Error) => void): unknown;
}

/**
 * Express middleware after the request context (it reuses its request id): one line per request when it
 * is answered (`finish`), or when its connection closes first (`close`) or its response fails
 * (`error`). 5xx are errors, 4xx warnings (429 included), the rest info; health probes are logged at
 * debug so they do not drown the rest.
 *
 * The line is the one pino-http wrote here before (docs/operations.md, "Logs": `requestId`, `req`,
 * `res`, `durationMs`, `route`, `actor`, `msg`, in that order), but built only when its level is
 * enabled: pino-http made two child loggers per request and serialized the request into them even when
 * the line was then dropped (at `LEDGER_LOG_LEVEL=warn`, every 2xx), 4-5% of the main thread under load
 * (docs/benchmarks.md, issue 12, "The request path").
 */
export function requestLoggingMiddleware(logger: Logger) {
  return (request: HttpRequestLike, response: LoggedResponse, next: () => void): void => {
    const started = Date.now();
    let logged = false;
    const complete = (error?: Error): void => {
      if (logged) return;
      logged = true;
      response.removeListener('finish', onFinish);
      response.removeListener('close', onFinish);
      response.removeListener('error', complete);
      const status = response.statusCode;
      const level = levelOf(request, status, error);
      if (!logger.isLevelEnabled(level)) return;
      const line = {
        requestId: request.requestId ?? 'unknown',
        req: { method: request.method, path: pathOf(request) },
        res: { statusCode: status },
        durationMs: Date.now() - started,
      };
      // A 5xx answer without an exception (503 not ready) carries no error and no stack.
      if (error || status >= 500)
        logger[level](
          { ...line, ...(error ? { err: error } : {}), ...who(request) },
          'request failed',
        );
      else logger[level]({ ...line, ...who(request) }, 'request completed');
    };
    const onFinish = (): void => complete();
    response.on('close', onFinish);
    response.on('finish', onFinish);
    response.on('error', complete);
    next();
  };
}

function levelOf(request: HttpRequestLike, status: number, error: Error | undefined): LogLevel {
  const health = /^\/api\/v1\/health\//.test(pathOf(request));
  if (error || (status >= 500 && !health)) return 'error';
  if (status >= 400) return 'warn';
  return health ? 'debug' : 'info';
}

function who(request: HttpRequestLike): { route: string; actor: string } {
  return { route: request.route?.path ?? 'unmatched', actor: request.user?.sub ?? 'anonymous' };
}

function pathOf(request: { originalUrl?: string; url?: string }): string {
  return beforeQuery(request.originalUrl ?? request.url ?? '');
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
