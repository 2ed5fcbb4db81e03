/**
 * Idempotent writes, recorded durably in an event store of their own (IDEMPOTENCY_STORE) so every
 * replica and every restart sees them. Not in the ledger's log: these are facts about HTTP requests,
 * not about claims, and the projector, the audit export and the hash-chain verification must see only
 * ledger facts (the projector refuses event types it does not know, on purpose).
 *
 * Stream `idempotency-{sha256(actor, key)}`: first `IdempotencyKeyReserved` (expected revision no_stream)
 * with the request's fingerprint, then `IdempotentResponseRecorded` (expected revision 0) with the
 * status and body. A retry with the same fingerprint replays the recorded response; another fingerprint
 * is 409 IDEMPOTENCY.KEY_REUSED, even while the first request is still running.
 *
 * Concurrent requests with one key: in one process they take turns (the later ones replay the first
 * one's response); across replicas see the `turns` field. The stream is read in one snapshot by every adapter
 * (the EventStore contract holds them to it), so a reservation is never seen without its event.
 *
 * A crash between executing the command and recording its response leaves a reservation without a
 * response. The retry then executes the command again with the same key: the ledger derives event ids
 * from the key, so the store recognises the events as already appended instead of adding them twice.
 */
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  DuplicateEventDifferentContent,
  StoreOverloaded,
  StreamNotFound,
  WrongExpectedVersion,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '@hz/event-store';
import { isDomainError } from '@hz/ledger';
import { ApiError } from '../errors/error-body';
import { renderError } from '../errors/http-exception.filter';
import { KeyedTurns } from '@hz/application';
import { sha256Hex, uuidFromName } from './fingerprint';

/** The store of idempotency records: same port as the ledger's, a different log. */
export const IDEMPOTENCY_STORE = Symbol.for('hz.IdempotencyStore');

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const RESERVED_TYPE = 'IdempotencyKeyReserved';
export const RESPONSE_TYPE = 'IdempotentResponseRecorded';

export interface IdempotentRequest {
  readonly actor: string;
  readonly role: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly now: string;
}

export interface HttpOutcome {
  readonly status: number;
  readonly body: JsonObject;
  /** True when this is the recorded response of an earlier request with the same key. */
  readonly replayed: boolean;
}

interface Recorded {
  readonly fingerprint: string;
  readonly response?: { status: number; body: JsonObject };
}

export function idempotencyStreamId(actor: string, key: string): string {
  // The NUL separator keeps ("ab","c") and ("a","bc") apart.
  return `idempotency-${sha256Hex(`${actor}\u0000${key}`)}`;
}

@Injectable()
export class IdempotencyService {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: EventStore) {}

  /**
   * Requests of this process per idempotency stream, each waiting for the one before it.
   * Concurrent requests with one key in one process take turns, so the later ones find the first
   * one's recorded response and replay it instead of executing again. Across processes (replicas) they
   * may still execute concurrently; the reservation, the deterministic event ids and the first
   * recorded response keep that to one set of events and one answer.
   */
  private readonly turns = new KeyedTurns();

  /** Runs `execute` at most once per (actor, key) as far as callers can tell; see the file comment. */
  async run(
    request: IdempotentRequest,
    execute: () => Promise<{ status: number; body: JsonObject }>,
  ): Promise<HttpOutcome> {
    const streamId = idempotencyStreamId(request.actor, request.key);
    if (this.turns.busy(streamId)) {
      // Another body under a key that is in use is refused at once, without waiting for its turn.
      const earlier = await this.read(streamId);
      if (earlier && earlier.fingerprint !== request.fingerprint) throw keyReused();
    }
    return this.turns.run(streamId, () => this.runOnce(streamId, request, execute));
  }

  private async runOnce(
    streamId: string,
    request: IdempotentRequest,
    execute: () => Promise<{ status: number; body: JsonObject }>,
  ): Promise<HttpOutcome> {
    const earlier = await this.reserve(streamId, request);
    if (earlier) {
      if (earlier.fingerprint !== request.fingerprint) throw keyReused();
      if (earlier.response) return replay(earlier.response);
    }
    let outcome: { status: number; body: JsonObject };
    try {
      outcome = await execute();
    } catch (error) {
      await this.recordRefusal(streamId, request, error);
      throw error;
    }
    return this.recordResponse(streamId, request, outcome);
  }

  /** Undefined when this request made the reservation; otherwise what an earlier request recorded. */
  private async reserve(
    streamId: string,
    request: IdempotentRequest,
  ): Promise<Recorded | undefined> {
    const existing = await this.read(streamId);
    if (existing) return existing;
    const data: JsonObject = { fingerprint: request.fingerprint };
    try {
      await this.store.appendToStream(
        streamId,
        [this.event(streamId, RESERVED_TYPE, data, request)],
        { expectedRevision: 'no_stream' },
      );
      return undefined;
    } catch (error) {
      if (!lostRace(error)) throw error;
      // Another request with the same key reserved it between our read and our append.
      return this.read(streamId);
    }
  }

  /**
   * Deterministic refusals (400/403/404/422 from the domain) are recorded, so a retry gets the same
   * answer; conflicts (409) are not, because retrying them with the same key is exactly what a client
   * should do after a concurrent change. Technical failures are never recorded.
   */
  private async recordRefusal(
    streamId: string,
    request: IdempotentRequest,
    error: unknown,
  ): Promise<void> {
    if (!isDomainError(error) || error.kind === 'conflict') return;
    const rendered = renderError(error);
    if (!rendered) return;
    await this.recordResponse(streamId, request, {
      status: rendered.status,
      body: rendered.body as unknown as JsonObject,
    });
  }

  private async recordResponse(
    streamId: string,
    request: IdempotentRequest,
    outcome: { status: number; body: JsonObject },
  ): Promise<HttpOutcome> {
    const data: JsonObject = {
      fingerprint: request.fingerprint,
      status: outcome.status,
      body: outcome.body,
    };
    try {
      await appendPastOverload(() =>
        this.store.appendToStream(streamId, [this.event(streamId, RESPONSE_TYPE, data, request)], {
          expectedRevision: 0n,
        }),
      );
      return { ...outcome, replayed: false };
    } catch (error) {
      if (!lostRace(error)) throw error;
      // A concurrent execution with the same key recorded first: answer as it did, so both agree.
      const recorded = await this.read(streamId);
      return recorded?.response ? replay(recorded.response) : { ...outcome, replayed: false };
    }
  }

  private async read(streamId: string): Promise<Recorded | undefined> {
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamId, { maxCount: 2 });
    } catch (error) {
      if (error instanceof StreamNotFound) return undefined;
      throw error;
    }
    const reserved = events.find((event) => event.type === RESERVED_TYPE);
    const response = events.find((event) => event.type === RESPONSE_TYPE);
    if (!reserved) throw new Error(`idempotency stream ${streamId} has no reservation`);
    const fingerprint = String(reserved.data['fingerprint']);
    if (!response) return { fingerprint };
    return {
      fingerprint,
      response: {
        status: Number(response.data['status']),
        body: response.data['body'] as JsonObject,
      },
    };
  }

  private event(
    streamId: string,
    type: string,
    data: JsonObject,
    request: IdempotentRequest,
  ): NewEvent {
    return {
      id: uuidFromName(`${streamId}/${type}`),
      type,
      data,
      metadata: {
        actor: request.actor,
        role: request.role,
        correlationId: request.correlationId,
        causationId: request.causationId,
        idempotencyKey: request.key,
        occurredAt: request.now,
      },
    };
  }
}

/**
 * Another request with the same key appended first. Event ids derive from the stream, so the store may
 * report it as a duplicate id with other content before it compares revisions.
 */
function lostRace(error: unknown): boolean {
  return error instanceof WrongExpectedVersion || error instanceof DuplicateEventDifferentContent;
}

/** Attempts of appendPastOverload, 2 ms apart: a full queue drains in a few batches (issue 12). */
const OVERLOADED_ATTEMPTS_MAX = 250;

/**
 * The response of a command that was executed is recorded even while the write queue is full: the
 * bound (503 LEDGER.OVERLOADED) turns away new work, never the answer to work already done.
 */
async function appendPastOverload<T>(append: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await append();
    } catch (error) {
      if (!(error instanceof StoreOverloaded) || attempt >= OVERLOADED_ATTEMPTS_MAX) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

function replay(response: { status: number; body: JsonObject }): HttpOutcome {
  return { status: response.status, body: response.body, replayed: true };
}

function keyReused(): ApiError {
  return new ApiError(
    HttpStatus.CONFLICT,
    'IDEMPOTENCY.KEY_REUSED',
    'this Idempotency-Key was already used with a different request',
  );
}
