/**
 * Idempotent writes (issue 12: one commit per command). The record of a request is a write-once row
 * beside the ledger's log (EventStore.records, key `idempotency-{sha256(actor, key)}`), never an event:
 * these are facts about HTTP requests, not about claims, and the projector, the audit export and the
 * hash-chain verification see only ledger facts. It holds the request's fingerprint and its answer
 * (status and body); a retry with the same fingerprint gets the recorded answer and changes nothing, another
 * fingerprint is 409 IDEMPOTENCY.KEY_REUSED, even while the first request is still running. (Where the
 * record commits with the command, a retry does run the command again, and the record's key rolls it back:
 * runOnce.)
 *
 * On SQLite and PostgreSQL the record of a command that appends commits in the command's own transaction
 * (inside the group commit): the command's events, its reference reservation and its record are one
 * commit, so a crash leaves all of them or none. A refusal (or a command that appends nothing, such as a
 * replay) records its answer alone. With EventStoreDB as the log, which shares no transaction, the records
 * live in the idempotency store (PostgreSQL) and are written right after the command: a crash in between
 * leaves the events without a record, and the retry then executes again, which the ledger recognises by
 * the events' deterministic ids and answers as a replay (docs/architecture.md §4).
 *
 * Concurrent requests with one key: in one process they take turns (the later ones replay the first
 * one's answer); across replicas the record's key decides: the first commit wins, the other's command is
 * rolled back with it (RecordConflict) and it answers as the record says.
 */
import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import {
  RecordConflict,
  StoreOverloaded,
  type EventStore,
  type JsonObject,
  type RecordStore,
} from '@hz/event-store';
import { isDomainError } from '@hz/ledger';
import { ApiError } from '../errors/error-body';
import { renderError } from '../errors/http-exception.filter';
import { KeyedTurns } from '@hz/application';
import { EVENT_STORE } from '../../tokens';
import { sha256Hex } from './fingerprint';

/** Where records go when the ledger's own store keeps none (EventStoreDB): PostgreSQL's `idempotency`. */
export const IDEMPOTENCY_STORE = Symbol.for('hz.IdempotencyStore');

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface IdempotentRequest {
  readonly actor: string;
  readonly role: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly now: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: JsonObject;
}

export interface HttpOutcome extends HttpAnswer {
  /** True when this is the recorded response of an earlier request with the same key. */
  readonly replayed: boolean;
}

/** The record of an answer, for the command to commit with its events; undefined: record nothing there. */
export interface AnswerRecord {
  readonly key: string;
  readonly value: (answer: HttpAnswer) => JsonObject;
}

/** Runs the command; `recorded` when it committed `record` with its events. */
export type IdempotentExecute = (
  record: AnswerRecord | undefined,
) => Promise<HttpAnswer & { readonly recorded?: boolean }>;

interface Recorded {
  readonly fingerprint: string;
  readonly response?: HttpAnswer;
}

/** Every idempotency record's key starts so (and so did the earlier layout's streams: legacy-records.ts). */
export const IDEMPOTENCY_RECORD_PREFIX = 'idempotency-';

export function idempotencyRecordKey(actor: string, key: string): string {
  // The NUL separator keeps ("ab","c") and ("a","bc") apart.
  return `${IDEMPOTENCY_RECORD_PREFIX}${sha256Hex(`${actor}\u0000${key}`)}`;
}

@Injectable()
export class IdempotencyService {
  private readonly records: RecordStore;
  /** True when the records are the ledger's own (committed with the command's events). */
  private readonly withCommands: boolean;

  constructor(
    @Inject(IDEMPOTENCY_STORE) idempotencyStore: EventStore,
    @Optional() @Inject(EVENT_STORE) ledgerStore?: EventStore,
  ) {
    const records = ledgerStore?.records ?? idempotencyStore.records;
    if (records === undefined)
      throw new Error('neither the ledger store nor the idempotency store keeps records');
    this.records = records;
    this.withCommands = ledgerStore?.records !== undefined;
  }

  /**
   * Requests of this process per key, each waiting for the one before it, so the later ones get the
   * first one's recorded answer (read first, or through their own commit's RecordConflict: runOnce) instead
   * of racing it; `running` holds the fingerprint of the one executing, so another body under its key is
   * refused at once.
   */
  private readonly turns = new KeyedTurns();
  private readonly running = new Map<string, string>();

  /** Runs `execute` at most once per (actor, key) as far as callers can tell; see the file comment. */
  async run(request: IdempotentRequest, execute: IdempotentExecute): Promise<HttpOutcome> {
    const key = idempotencyRecordKey(request.actor, request.key);
    const running = this.running.get(key);
    if (running !== undefined && running !== request.fingerprint) throw keyReused();
    return this.turns.run(key, async () => {
      this.running.set(key, request.fingerprint);
      try {
        return await this.runOnce(key, request, execute);
      } finally {
        this.running.delete(key);
      }
    });
  }

  /**
   * One request's turn. Where the records are kept apart from the ledger (EventStoreDB), the record is
   * read first and a recorded answer is replayed without executing. Where they commit with the command's
   * events (SQLite, PostgreSQL), the command runs first and its record's key settles a retry: the record is
   * inserted in the command's own transaction, so a key already recorded fails that commit with
   * RecordConflict, rolling the command back, and the recorded answer is given. A retry therefore executes
   * the command again but never records it twice; what the client sees is the same. The read comes only
   * where no commit settled it: after a refusal, and after a command that appended nothing (a replay by
   * event id, whose answer may equal the recorded one byte for byte and must still say it is a replay).
   * This saves a read per command on the write path: the read opened a snapshot of its own after every
   * batch's commit (docs/benchmarks.md, "The write path, session 14").
   */
  private async runOnce(
    key: string,
    request: IdempotentRequest,
    execute: IdempotentExecute,
  ): Promise<HttpOutcome> {
    if (!this.withCommands) {
      const earlier = await this.read(key);
      if (earlier) return answerAsRecorded(earlier, request);
    }
    const value = (answer: HttpAnswer): JsonObject => ({
      fingerprint: request.fingerprint,
      status: answer.status,
      body: answer.body,
    });
    let outcome: HttpAnswer & { readonly recorded?: boolean };
    try {
      outcome = await execute(this.withCommands ? { key, value } : undefined);
    } catch (error) {
      // Another request with this key committed first (a retry here, or a replica): ours rolled back.
      if (error instanceof RecordConflict) return this.answerAsRecordedNow(key, request);
      const earlier = await this.readIfNotReadFirst(key);
      if (earlier) return answerAsRecorded(earlier, request);
      const refusal = refusalOf(error);
      if (refusal === undefined) throw error;
      const recorded = await this.write(key, value(refusal));
      if (recorded !== undefined) return answerAsRecorded(recorded, request);
      throw error;
    }
    if (outcome.recorded !== true) {
      const earlier = await this.readIfNotReadFirst(key);
      if (earlier) return answerAsRecorded(earlier, request);
      const recorded = await this.write(key, value(outcome));
      if (recorded !== undefined) return answerAsRecorded(recorded, request);
    }
    return { status: outcome.status, body: outcome.body, replayed: false };
  }

  /** The record, when runOnce did not read it before executing (records committed with commands). */
  private async readIfNotReadFirst(key: string): Promise<Recorded | undefined> {
    return this.withCommands ? this.read(key) : undefined;
  }

  /** Writes the record alone; returns what another request recorded first, if one did. */
  private async write(key: string, value: JsonObject): Promise<Recorded | undefined> {
    try {
      await appendPastOverload(() => this.records.write({ key, value }));
      return undefined;
    } catch (error) {
      if (!(error instanceof RecordConflict)) throw error;
      return this.read(key);
    }
  }

  private async answerAsRecordedNow(key: string, request: IdempotentRequest): Promise<HttpOutcome> {
    const recorded = await this.read(key);
    if (recorded === undefined)
      throw new Error(`idempotency record ${key} conflicted, yet is absent`);
    return answerAsRecorded(recorded, request);
  }

  private async read(key: string): Promise<Recorded | undefined> {
    const value = await this.records.read(key);
    if (value === undefined) return undefined;
    const fingerprint = String(value['fingerprint']);
    if (value['status'] === undefined) return { fingerprint };
    return {
      fingerprint,
      response: { status: Number(value['status']), body: value['body'] as JsonObject },
    };
  }
}

/** The recorded answer replayed, or 409 for another body under the key. */
function answerAsRecorded(recorded: Recorded, request: IdempotentRequest): HttpOutcome {
  if (recorded.fingerprint !== request.fingerprint) throw keyReused();
  if (recorded.response === undefined) throw new Error('an idempotency record without an answer');
  return { ...recorded.response, replayed: true };
}

/**
 * Deterministic refusals (400/403/404/422 from the domain) are recorded, so a retry gets the same
 * answer; conflicts (409) are not, because retrying them with the same key is exactly what a client
 * should do after a concurrent change. Technical failures are never recorded.
 */
function refusalOf(error: unknown): HttpAnswer | undefined {
  if (!isDomainError(error) || error.kind === 'conflict') return undefined;
  const rendered = renderError(error);
  if (!rendered) return undefined;
  return { status: rendered.status, body: rendered.body as unknown as JsonObject };
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

function keyReused(): ApiError {
  return new ApiError(
    HttpStatus.CONFLICT,
    'IDEMPOTENCY.KEY_REUSED',
    'this Idempotency-Key was already used with a different request',
  );
}
