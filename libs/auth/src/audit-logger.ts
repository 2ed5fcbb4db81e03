/**
 * One structured line per refused request, so an operator can answer "who tried what on which object,
 * and why was it refused" with grep or a log pipeline. Stack traces never go here nor to the client.
 */
import { Injectable } from '@nestjs/common';

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

const stdoutSink: LogSink = (line) => process.stdout.write(`${line}\n`);

@Injectable()
export class AuditLogger {
  private sink: LogSink = stdoutSink;

  /** Tests and embedders redirect the lines (for instance to collect them). */
  useSink(sink: LogSink): void {
    this.sink = sink;
  }

  refusal(record: RefusalRecord): void {
    this.write({ level: 'warn', event: 'request.refused', ...record });
  }

  /** A technical failure: logged with its stack here, while the client only sees `INTERNAL`. */
  failure(record: { actor: string; action: string; object: string; error: unknown; requestId?: string }): void {
    const { error, ...rest } = record;
    const detail = error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
    this.write({ level: 'error', event: 'request.failed', ...rest, ...detail });
  }

  private write(entry: Record<string, unknown>): void {
    this.sink(JSON.stringify({ time: new Date().toISOString(), ...entry }));
  }
}
