/**
 * The path every recording POST takes after its DTO validated: who acts in which role, the
 * Idempotency-Key, the command metadata, the idempotency record, the CommandBus, and the HTTP status
 * and body (replays included). Controllers stay one call long.
 */
import { HttpException, HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { actingRole, type Role } from '@hz/auth';
import type { Clock, JsonObject } from '@hz/event-store';
import type { ExecuteOptions } from '@hz/application';
import type { CommandMetadata, LedgerCommand } from '@hz/ledger';
import { CLOCK, LEDGER_SERVICE } from '../../tokens';
import { ApiError } from '../errors/error-body';
import { renderError } from '../errors/http-exception.filter';
import { MetricsRegistry } from '../operations/metrics';
import { IDEMPOTENCY_KEY_PATTERN, IdempotencyService } from '../idempotency/idempotency.service';
import { requestFingerprint } from '../idempotency/fingerprint';
import {
  beforeQuery,
  headerValue,
  setResponseHeader,
  setResponseStatus,
  type HttpRequestLike,
  type HttpResponseLike,
} from './http-types';
import type { LedgerWriteResult, LedgerWriter } from './ledger-port';

/**
 * The one command handler of the write side (docs/architecture.md §2 "Commands"): every registered
 * command travels the @nestjs/cqrs CommandBus as a `LedgerBusCommand` and is handed, as the plain ledger
 * command it wraps, to the framework-agnostic LedgerService. The registry, not a class per command, says
 * what a command is; the bus stays the seam where cross-cutting handling (tracing, another transport)
 * can be added without touching the routes.
 */
/** A Nest command wrapping one plain ledger command (the style's `Command<T>` at the edge). */
export class LedgerBusCommand extends Command<LedgerWriteResult> {
  constructor(
    readonly command: LedgerCommand,
    /** The idempotency record to commit with the command's events (issue 12). */
    readonly options: ExecuteOptions = {},
  ) {
    super();
  }
}

@CommandHandler(LedgerBusCommand)
export class LedgerCommandHandler implements ICommandHandler<LedgerBusCommand, LedgerWriteResult> {
  constructor(@Inject(LEDGER_SERVICE) private readonly ledger: LedgerWriter) {}

  execute(busCommand: LedgerBusCommand): Promise<LedgerWriteResult> {
    return this.ledger.execute(busCommand.command, busCommand.options);
  }
}

export interface WriteRequest {
  readonly request: HttpRequestLike;
  readonly response: HttpResponseLike;
  /** The roles the route accepts; the first one the caller holds is recorded as its role. */
  readonly roles: readonly Role[];
  readonly command: (metadata: CommandMetadata) => LedgerCommand;
  /** Turns the ledger's result into the response body (money as strings, position as a string). */
  readonly present: (result: LedgerWriteResult) => JsonObject;
  readonly status: HttpStatus.OK | HttpStatus.CREATED;
}

@Injectable()
export class WriteGateway {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly idempotency: IdempotencyService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly metrics?: MetricsRegistry,
  ) {}

  async write(write: WriteRequest): Promise<JsonObject> {
    const { request, response } = write;
    const user = request.user;
    if (!user) throw new Error('WriteGateway used on a route without authentication');
    const key = idempotencyKeyOf(request);
    const role = actingRole(user, write.roles);
    const requestId = request.requestId ?? randomUUID();
    const actor = user.sub;
    const now = this.clock.now().toISOString();
    const correlationId = correlationIdOf(request) ?? requestId;
    // Literals with their keys in the order the spread of `applicant` gave them, without the spread: an
    // object spread in a literal is built property by property at run time (issue 12, the CPU per command).
    const metadata: CommandMetadata = user.applicant
      ? {
          actor,
          role,
          applicant: user.applicant,
          now,
          idempotencyKey: key,
          correlationId,
          causationId: requestId,
        }
      : { actor, role, now, idempotencyKey: key, correlationId, causationId: requestId };
    const path = beforeQuery(request.originalUrl ?? request.url);
    const ledgerCommand = write.command(metadata);
    // The metrics label of the per-command classes this replaced (`RegisterApplicantCommand`).
    const commandType = `${ledgerCommand.type}Command`;
    const present = presentOnce(write.present);
    let outcome;
    try {
      outcome = await this.idempotency.run(
        // What IdempotentRequest reads of the metadata, with the key and the request's fingerprint.
        {
          actor,
          role,
          now,
          correlationId,
          causationId: requestId,
          key,
          fingerprint: requestFingerprint(request.method, path, request.body),
        },
        async (record) => {
          // The answer is recorded in the command's own transaction (issue 12: one commit per command).
          const options: ExecuteOptions =
            record === undefined
              ? {}
              : {
                  record: {
                    key: record.key,
                    value: (executed) =>
                      record.value({ status: write.status, body: present(executed) }),
                  },
                };
          const result = await this.commandBus.execute(
            new LedgerBusCommand(ledgerCommand, options),
          );
          return {
            status: write.status,
            body: present(result),
            recorded: result.recorded === true,
          };
        },
      );
    } catch (error) {
      const rendered = renderError(error);
      this.metrics?.countCommand(
        commandType,
        rendered?.body.error.code ?? 'INTERNAL',
        rendered?.status ?? 500,
      );
      throw error;
    }
    const refusal =
      outcome.status >= 400
        ? (outcome.body as { error?: { code?: unknown } }).error?.code
        : undefined;
    this.metrics?.countCommand(
      commandType,
      outcome.status >= 400 ? String(refusal ?? 'REQUEST.REFUSED') : undefined,
      outcome.status,
    );
    if (outcome.replayed) setResponseHeader(response, 'Idempotent-Replayed', 'true');
    // A replayed refusal goes through the exception filter like the original did (and is logged again).
    if (outcome.status >= 400) throw new HttpException(outcome.body, outcome.status);
    setResponseStatus(response, outcome.status);
    return outcome.body;
  }
}

/**
 * `present` that builds the body once per command: the idempotency record committed with the events and
 * the response carry the same body, from the same result at the same position (issue 12, "The request
 * path": it was built twice, each time a JSON round trip). A body is a plain JSON value nobody mutates.
 */
export function presentOnce(
  present: (result: LedgerWriteResult) => JsonObject,
): (result: LedgerWriteResult) => JsonObject {
  let last: { result: unknown; position: bigint; body: JsonObject } | undefined;
  return (executed) => {
    if (last?.result === executed.result && last.position === executed.position) return last.body;
    const body = present(executed);
    last = { result: executed.result, position: executed.position, body };
    return body;
  };
}

/** The request's Idempotency-Key: required, 400 IDEMPOTENCY.KEY_REQUIRED / KEY_INVALID otherwise. */
export function idempotencyKeyOf(request: HttpRequestLike): string {
  const key = headerValue(request, 'idempotency-key');
  if (key === undefined || key === '') {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'IDEMPOTENCY.KEY_REQUIRED',
      'an Idempotency-Key header is required on this request',
    );
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'IDEMPOTENCY.KEY_INVALID',
      'the Idempotency-Key must be 1 to 128 letters, digits or . _ : -',
    );
  }
  return key;
}

function correlationIdOf(request: HttpRequestLike): string | undefined {
  const value = headerValue(request, 'x-correlation-id');
  return value !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : undefined;
}
