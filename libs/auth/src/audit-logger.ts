/**
 * One structured line per refused request, so an operator can answer "who tried what on which object,
 * and why was it refused" with grep or a log pipeline: a pino JSON line (docs/operations.md) with
 * `event: "request.refused"` and the contract's error code. Stack traces never go here nor to the client
 * except for a technical failure (`request.failed`), logged with its stack here only.
 */
import { Injectable } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export interface RefusalRecord {
  /** `sub` of the caller, or 'anonymous' before authentication. */
  readonly actor: string;
  /** e.g. 'POST /api/v1/claims/:id/decisions'. */
  readonly action: string;
  /** What was touched: a claim id, a USCC, a plan id, or '-' when nothing specific. */
  readonly object: string;
  readonly status: number;
  readonly code: string;
  readonly reason: string;
  readonly requestId?: string;
}

export type LogSink = (line: string) => void;

/** The same line shape as the app's logger (libs/api createLogger): ISO time, level by name. */
function auditPino(destination: pino.DestinationStream): Logger {
  return pino(
    {
      base: { service: 'ledger-api', component: 'audit' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['authorization', 'token', 'secret', '*.authorization', '*.token', '*.secret'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

@Injectable()
export class AuditLogger {
  private logger: Logger = auditPino(pino.destination({ dest: 1, sync: true }));

  /** The app hands its own logger (level, destination, redaction); refusals become a child of it. */
  useLogger(logger: Logger): void {
    this.logger = logger.child({ component: 'audit' });
  }

  /** Tests and embedders redirect the lines (for instance to collect them). */
  useSink(sink: LogSink): void {
    this.logger = auditPino({ write: (line: string) => sink(line.replace(/\n$/, '')) });
  }

  refusal(record: RefusalRecord): void {
    this.logger.warn({ event: 'request.refused', ...record }, 'request refused');
  }

  /** A technical failure: logged with its stack here, while the client only sees `INTERNAL`. */
  failure(record: {
    actor: string;
    action: string;
    object: string;
    error: unknown;
    requestId?: string;
  }): void {
    const { error, ...rest } = record;
    const detail =
      error instanceof Error
        ? { message: error.message, stack: error.stack }
        : { message: String(error) };
    this.logger.error({ event: 'request.failed', ...rest, ...detail }, 'request failed');
  }
}
