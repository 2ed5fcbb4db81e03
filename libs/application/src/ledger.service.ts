/**
 * The write side's application service, framework-agnostic (the HTTP layer wraps it in @nestjs/cqrs
 * handlers): load a stream, fold it, decide, append with the exact expected revision; on a version
 * conflict only, try again a bounded number of times. Loads go through a bounded per-process cache of
 * folded streams (stream-models.ts) that reads only the events recorded since; reads for queries
 * come straight from the streams.
 */
import type { Money } from '@hz/money';
import {
  DuplicateEventDifferentContent,
  WrongExpectedVersion,
  type AppendResult,
  type Clock,
  type EventStore,
  type RecordedEvent,
} from '@hz/event-store';
import {
  DomainError,
  InvariantViolation,
  targetOf,
  type CommandMetadata,
  type DecisionContext,
  type LedgerCommand,
} from '@hz/ledger';
import type { PolicyCatalog, PolicySchedule } from '@hz/policy';
import { requirePeriodOpen } from './period-close';
import { contentHash, eventIdFor, toLedgerEvent, toNewEvent } from './event-envelope';
import { LedgerStreamReader } from './ledger-reader';
import { confirmReservation, isAbout, referenceClaimOf, referenceReservation } from './references';
import { findCommandReplay, findRecordedMovement } from './replay';
import type { ExecuteOptions, ExecuteResult } from './results';
import {
  decisionContextFor,
  foldRecorded,
  KeyedTurns,
  modelOf,
  readStreamOrEmpty,
  STREAMS_CACHED_MAX_DEFAULT,
  StreamFoldCache,
  type StreamFold,
  type StreamModel,
} from './stream-models';

export interface LedgerServiceOptions {
  readonly store: EventStore;
  readonly catalog: PolicyCatalog;
  /** Policy amendments (docs/policy.md §11): the versions and their effective dates; default `catalog` alone. */
  readonly policies?: PolicySchedule;
  readonly countersignThreshold: Money;
  /** Supplies `now` for commands that arrive without one. */
  readonly clock: Clock;
  /** Load–decide–append attempts per command (default 10). */
  readonly attemptsMax?: number;
  /** Waits between attempts; injectable so tests need not sleep. */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** Streams whose fold this process keeps between commands (default 1,000, about 50 MB; 0 turns the cache off). */
  readonly streamCacheMax?: number;
}

/** A command whose `now` may be left to the service's clock. */
export type LedgerCommandInput = LedgerCommand extends infer C
  ? C extends LedgerCommand
    ? Omit<C, 'metadata'> & {
        readonly metadata: Omit<CommandMetadata, 'now'> & { readonly now?: string };
      }
    : never
  : never;

export const ATTEMPTS_MAX_DEFAULT = 10;

/** Jitter-free exponential backoff: 1, 2, 4, ... ms, at most 32 ms per wait. */
export function backoffMilliseconds(attempt: number): number {
  return Math.min(2 ** (attempt - 1), 32);
}

const defaultSleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

export class LedgerService extends LedgerStreamReader {
  private readonly catalog: PolicyCatalog;
  private readonly context: DecisionContext;
  private readonly clock: Clock;
  private readonly attemptsMax: number;
  private readonly sleep: (milliseconds: number) => Promise<void>;
  private readonly streams: StreamFoldCache;

  constructor(options: LedgerServiceOptions) {
    super(options.store);
    this.catalog = options.catalog;
    this.context = {
      catalog: options.catalog,
      countersignThreshold: options.countersignThreshold,
      ...(options.policies === undefined ? {} : { policies: options.policies }),
    };
    this.clock = options.clock;
    this.attemptsMax = options.attemptsMax ?? ATTEMPTS_MAX_DEFAULT;
    if (!Number.isSafeInteger(this.attemptsMax) || this.attemptsMax < 1)
      throw new RangeError('attemptsMax must be a positive integer');
    this.sleep = options.sleep ?? defaultSleep;
    this.streams = new StreamFoldCache(options.streamCacheMax ?? STREAMS_CACHED_MAX_DEFAULT);
  }

  /** How many streams the fold cache holds now (for metrics and tests). */
  get cachedStreams(): number {
    return this.streams.size;
  }

  /**
   * Executes one command; throws DomainError for refusals (nothing is recorded then). `options.record`
   * (the HTTP idempotency record, on a store with `records`) commits in the command's own transaction
   * when it appends; the result's `recorded` says whether it did (issue 12: one commit per command).
   */
  async execute(input: LedgerCommandInput, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const command = {
      ...input,
      metadata: { ...input.metadata, now: input.metadata.now ?? this.clock.now().toISOString() },
    } as LedgerCommand;
    const target = targetOf(command);
    // The idempotency check compares what was asked, not who asked or when.
    const commandHash = contentHash({ type: command.type, data: command.data });
    // Commands on one stream from this process take turns, so a burst on one applicant does not turn
    // into optimistic-concurrency conflicts; other processes are still kept out by the expected revision.
    return this.turns.run(target.streamId, async () => {
      // A decision naming the view it was made from is decided beside that view (stream-models.ts, decisionContextFor).
      const context = await decisionContextFor(this.store, target, this.context);
      const model = modelOf(target, context) as StreamModel<unknown>;
      try {
        return await this.decideAndAppend(command, target.streamId, model, commandHash, options);
      } catch (error) {
        // Refusals included: the cache is only an optimisation, so after any failure the stream is read afresh.
        this.streams.forget(target.streamId);
        throw error;
      }
    });
  }

  private readonly turns = new KeyedTurns();

  private async decideAndAppend<TState>(
    command: LedgerCommand,
    streamId: string,
    model: StreamModel<TState>,
    commandHash: string,
    options: ExecuteOptions,
  ): Promise<ExecuteResult> {
    const firstEventId = eventIdFor(command.metadata.actor, command.metadata.idempotencyKey, 0);
    // Set once an earlier reservation of the same content is confirmed: then nothing is reserved again.
    let reservationConfirmed = false;
    for (let attempt = 1; attempt <= this.attemptsMax; attempt += 1) {
      const fold = await this.streams.load(this.store, streamId, model);
      // This key already appended here: the answer (or the 409) comes from the stream itself, read whole.
      if (fold.eventIds.has(firstEventId))
        return this.replayFromStream(command, streamId, model, commandHash, 'corrupt');
      // A movement dated inside a closed period is refused before it is decided; one in an open period
      // appends on condition that the period stream has not moved since (a close racing it: period-close.ts).
      const period = await requirePeriodOpen(this.store, command);
      const decided = model.decide(fold.state);
      if (decided.length === 0)
        return alreadyRecordedResult(
          model,
          await recordedUpTo(this.store, streamId, fold),
          fold.state,
          command,
        );
      const events = decided.map((event, slot) =>
        toNewEvent(
          event,
          slot,
          command,
          commandHash,
          this.catalog,
          slot === 0 ? firstEventId : undefined,
        ),
      );
      // Decide first, reserve second: a refused payment must not burn its reference. The reservation
      // commits in the payment's own transaction (issue 12), so neither exists without the other.
      const reference = referenceClaimOf(decided, streamId);
      const reservation =
        reference === null || reservationConfirmed
          ? undefined
          : referenceReservation(reference, command, commandHash, this.catalog);
      const result = model.result(decided.reduce(model.evolve, fold.state), decided);
      const executed = (position: bigint): ExecuteResult => ({
        events,
        position,
        replayed: false,
        result,
        ...(options.record === undefined ? {} : { recorded: true }),
      });
      const record = options.record;
      try {
        const expectedRevision = fold.revision < 0n ? 'no_stream' : fold.revision;
        const appended = await this.store.appendToStream(streamId, events, {
          expectedRevision,
          ...(period === null ? {} : { conditions: [period] }),
          ...(reservation === undefined ? {} : { alongside: [reservation] }),
          // The answer is recorded in the command's own transaction (issue 12: one commit per command).
          ...(record === undefined
            ? {}
            : {
                record: {
                  key: record.key,
                  value: (stored: AppendResult) => record.value(executed(stored.position)),
                },
              }),
        });
        if (appended.nextRevision <= fold.revision)
          throw new InvariantViolation(
            `append to ${streamId} at ${fold.revision} reported revision ${appended.nextRevision}`,
            { streamId },
          );
        return executed(appended.position);
      } catch (error) {
        if (reference !== null && reservation !== undefined && isAbout(error, reservation)) {
          // The reference is taken: by the same content (a retry, or the same payment under another
          // key), then the payment goes ahead without reserving again; otherwise REFERENCE.REUSED.
          await confirmReservation(this.store, reference, command, error);
          reservationConfirmed = true;
          continue;
        }
        if (error instanceof DuplicateEventDifferentContent)
          return this.replayFromStream(command, streamId, model, commandHash, 'reused');
        // A version conflict keeps the cached fold (still a true prefix): the next load reads what came since.
        if (!(error instanceof WrongExpectedVersion)) throw error;
      }
      if (attempt < this.attemptsMax) await this.sleep(backoffMilliseconds(attempt));
    }
    throw new DomainError(
      'CONCURRENCY.CONFLICT',
      `the stream kept changing; gave up after ${this.attemptsMax} attempts`,
      { streamId, attempts: this.attemptsMax },
    );
  }

  /**
   * The command's key was used before: either on this stream (found in the fold, or a concurrent execution
   * of the same command won the race), which is a replay or a 409, or for another command elsewhere. When
   * the fold had seen the key, not finding it in the whole stream means the stream lost events.
   */
  private async replayFromStream<TState>(
    command: LedgerCommand,
    streamId: string,
    model: StreamModel<TState>,
    commandHash: string,
    ifAbsent: 'corrupt' | 'reused',
  ): Promise<ExecuteResult> {
    const recorded = await readStreamOrEmpty(this.store, streamId);
    const replay = findCommandReplay(recorded, command, commandHash);
    if (replay !== null) return replayResult(model, recorded, replay);
    if (ifAbsent === 'corrupt')
      throw new InvariantViolation(`stream ${streamId} no longer holds an event it held`, {
        streamId,
      });
    throw new DomainError(
      'IDEMPOTENCY.KEY_REUSED',
      'the idempotency key was already used for another command',
      { idempotencyKey: command.metadata.idempotencyKey },
    );
  }
}

/** The stream as far as the fold reached (a rare path: the decider found the movement already recorded). */
async function recordedUpTo(
  store: EventStore,
  streamId: string,
  fold: StreamFold<unknown>,
): Promise<RecordedEvent[]> {
  const recorded = await readStreamOrEmpty(store, streamId);
  return recorded.filter((event) => event.revision <= fold.revision);
}

function replayResult<TState>(
  model: StreamModel<TState>,
  recorded: readonly RecordedEvent[],
  replay: readonly RecordedEvent[],
): ExecuteResult {
  const last = replay[replay.length - 1];
  if (last === undefined) throw new InvariantViolation('a replay holds at least one event');
  // The result as it was right after the first execution, not as the claim stands today.
  const upTo = recorded.filter((event) => event.revision <= last.revision);
  const state = foldRecorded(model, upTo);
  return {
    events: replay.map(executedEvent),
    position: last.position,
    replayed: true,
    result: model.result(state, replay.map(toLedgerEvent)),
  };
}

function alreadyRecordedResult<TState>(
  model: StreamModel<TState>,
  recorded: readonly RecordedEvent[],
  state: TState,
  command: LedgerCommand,
): ExecuteResult {
  const movement = findRecordedMovement(recorded, command);
  if (movement === undefined)
    throw new InvariantViolation(
      `${command.type} decided nothing, yet no earlier movement matches`,
    );
  return {
    events: [executedEvent(movement)],
    position: movement.position,
    replayed: true,
    result: model.result(state, []),
  };
}

function executedEvent(event: RecordedEvent): ExecuteResult['events'][number] {
  return {
    id: event.id,
    type: toLedgerEvent(event).type,
    data: event.data,
    metadata: event.metadata,
  };
}
