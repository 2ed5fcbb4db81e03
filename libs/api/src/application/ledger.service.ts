/**
 * The write side's application service, framework-agnostic (the HTTP layer wraps it in @nestjs/cqrs
 * handlers): load a stream, fold it, decide, append with the exact expected revision; on a version
 * conflict only, try again a bounded number of times. Reads come straight from the streams.
 */
import type { Money } from '@hz/money';
import { DuplicateEventDifferentContent, WrongExpectedVersion, type Clock, type EventStore, type RecordedEvent } from '@hz/event-store';
import { DomainError, InvariantViolation, type CommandMetadata, type DecisionContext, type LedgerCommand } from '@hz/ledger';
import type { PolicyCatalog } from '@hz/policy';
import { toLedgerEvent, toNewEvent } from './event-envelope';
import { contentHash } from './identity';
import { LedgerStreamReader } from './ledger-reader';
import { referenceClaimOf, reserveReference } from './references';
import { findCommandReplay, findRecordedMovement } from './replay';
import { foldRecorded, readStreamOrEmpty } from './stream-io';
import type { ExecuteResult } from './results';
import { targetOf } from './routing';
import { allocationModel, applicantModel, type StreamModel } from './stream-models';

export interface LedgerServiceOptions {
  readonly store: EventStore;
  readonly catalog: PolicyCatalog;
  readonly countersignThreshold: Money;
  /** Supplies `now` for commands that arrive without one. */
  readonly clock: Clock;
  /** Load–decide–append attempts per command (default 10). */
  readonly attemptsMax?: number;
  /** Waits between attempts; injectable so tests need not sleep. */
  readonly sleep?: (milliseconds: number) => Promise<void>;
}

/** A command whose `now` may be left to the service's clock. */
export type LedgerCommandInput = LedgerCommand extends infer C
  ? C extends LedgerCommand
    ? Omit<C, 'metadata'> & { readonly metadata: Omit<CommandMetadata, 'now'> & { readonly now?: string } }
    : never
  : never;

export const ATTEMPTS_MAX_DEFAULT = 10;

/** Jitter-free exponential backoff: 1, 2, 4, ... ms, at most 32 ms per wait. */
export function backoffMilliseconds(attempt: number): number {
  return Math.min(2 ** (attempt - 1), 32);
}

const defaultSleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

export class LedgerService extends LedgerStreamReader {
  private readonly catalog: PolicyCatalog;
  private readonly context: DecisionContext;
  private readonly clock: Clock;
  private readonly attemptsMax: number;
  private readonly sleep: (milliseconds: number) => Promise<void>;

  constructor(options: LedgerServiceOptions) {
    super(options.store);
    this.catalog = options.catalog;
    this.context = { catalog: options.catalog, countersignThreshold: options.countersignThreshold };
    this.clock = options.clock;
    this.attemptsMax = options.attemptsMax ?? ATTEMPTS_MAX_DEFAULT;
    if (!Number.isSafeInteger(this.attemptsMax) || this.attemptsMax < 1) throw new RangeError('attemptsMax must be a positive integer');
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Executes one command; throws DomainError for refusals (nothing is recorded then). */
  async execute(input: LedgerCommandInput): Promise<ExecuteResult> {
    const command = { ...input, metadata: { ...input.metadata, now: input.metadata.now ?? this.clock.now().toISOString() } } as LedgerCommand;
    const target = targetOf(command);
    // The idempotency check compares what was asked, not who asked or when.
    const commandHash = contentHash({ type: command.type, data: command.data });
    // Commands on one stream from this process take turns, so a burst on one applicant does not turn
    // into optimistic-concurrency conflicts; other processes are still kept out by the expected revision.
    return this.inTurn(target.streamId, () =>
      target.kind === 'applicant'
        ? this.run(command, target.streamId, applicantModel(target.command, this.context), commandHash)
        : this.run(command, target.streamId, allocationModel(target.command, this.context), commandHash),
    );
  }

  private readonly turns = new Map<string, Promise<unknown>>();

  private inTurn<T>(streamId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.turns.get(streamId) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(streamId, tail);
    void tail.then(() => {
      if (this.turns.get(streamId) === tail) this.turns.delete(streamId);
    });
    return result;
  }

  private async run<TState>(command: LedgerCommand, streamId: string, model: StreamModel<TState>, commandHash: string): Promise<ExecuteResult> {
    for (let attempt = 1; attempt <= this.attemptsMax; attempt += 1) {
      const recorded = await readStreamOrEmpty(this.store, streamId);
      const replay = findCommandReplay(recorded, command, commandHash);
      if (replay !== null) return replayResult(model, recorded, replay);
      const state = foldRecorded(model, recorded);
      const decided = model.decide(state);
      if (decided.length === 0) return alreadyRecordedResult(model, recorded, state, command);
      const events = decided.map((event, slot) => toNewEvent(event, slot, command, commandHash, this.catalog));
      // Decide first, reserve second: a refused payment must not burn its reference.
      const reference = referenceClaimOf(decided, streamId);
      if (reference !== null) await reserveReference(this.store, reference, command, commandHash, this.catalog);
      try {
        const expectedRevision = recorded.at(-1)?.revision ?? 'no_stream';
        const appended = await this.store.appendToStream(streamId, events, { expectedRevision });
        const after = decided.reduce(model.evolve, state);
        return { events, position: appended.position, replayed: false, result: model.result(after, decided) };
      } catch (error) {
        if (error instanceof DuplicateEventDifferentContent) return this.afterDuplicate(command, streamId, model, commandHash);
        if (!(error instanceof WrongExpectedVersion)) throw error;
      }
      if (attempt < this.attemptsMax) await this.sleep(backoffMilliseconds(attempt));
    }
    throw new DomainError('CONCURRENCY.CONFLICT', `the stream kept changing; gave up after ${this.attemptsMax} attempts`, { streamId, attempts: this.attemptsMax });
  }

  /**
   * Our deterministic ids already exist with other content: either a concurrent execution of the same
   * command won the race (a replay after all), or the key was used for another command elsewhere.
   */
  private async afterDuplicate<TState>(command: LedgerCommand, streamId: string, model: StreamModel<TState>, commandHash: string): Promise<ExecuteResult> {
    const recorded = await readStreamOrEmpty(this.store, streamId);
    const replay = findCommandReplay(recorded, command, commandHash);
    if (replay !== null) return replayResult(model, recorded, replay);
    throw new DomainError('IDEMPOTENCY.KEY_REUSED', 'the idempotency key was already used for another command', { idempotencyKey: command.metadata.idempotencyKey });
  }
}

function replayResult<TState>(model: StreamModel<TState>, recorded: readonly RecordedEvent[], replay: readonly RecordedEvent[]): ExecuteResult {
  const last = replay[replay.length - 1];
  if (last === undefined) throw new InvariantViolation('a replay holds at least one event');
  // The result as it was right after the first execution, not as the claim stands today.
  const upTo = recorded.filter((event) => event.revision <= last.revision);
  const state = foldRecorded(model, upTo);
  return { events: replay.map(executedEvent), position: last.position, replayed: true, result: model.result(state, replay.map(toLedgerEvent)) };
}

function alreadyRecordedResult<TState>(model: StreamModel<TState>, recorded: readonly RecordedEvent[], state: TState, command: LedgerCommand): ExecuteResult {
  const movement = findRecordedMovement(recorded, command);
  if (movement === undefined) throw new InvariantViolation(`${command.type} decided nothing, yet no earlier movement matches`);
  return { events: [executedEvent(movement)], position: movement.position, replayed: true, result: model.result(state, []) };
}

function executedEvent(event: RecordedEvent): ExecuteResult['events'][number] {
  return { id: event.id, type: toLedgerEvent(event).type, data: event.data, metadata: event.metadata };
}
