import type { ExpectedRevision } from './port';

export class WrongExpectedVersion extends Error {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no_stream' when it does not exist. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersion';
  }
}

/**
 * readStream's answer for a stream that does not exist: an expected outcome (every new applicant's first
 * read), not a fault, so it is built without a captured stack trace (docs/architecture.md §4), which
 * was most of its cost on the write path (issue 12).
 */
export class StreamNotFound extends Error {
  readonly code = 'EVENT_STORE.STREAM_NOT_FOUND';
  constructor(readonly streamId: string) {
    super(withoutStack(`stream ${streamId} not found`));
    Error.stackTraceLimit = stackTraceLimitSaved;
    this.name = 'StreamNotFound';
  }
}

let stackTraceLimitSaved = Error.stackTraceLimit;

/** Evaluated as super()'s argument: no frames are captured until the constructor restores the limit. */
function withoutStack(message: string): string {
  stackTraceLimitSaved = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return message;
}

export class DuplicateEventDifferentContent extends Error {
  readonly code = 'EVENT_STORE.DUPLICATE_EVENT_DIFFERENT_CONTENT';
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`event ${eventId} already exists in ${streamId} with different content`);
    this.name = 'DuplicateEventDifferentContent';
  }
}

/**
 * The write queue is full (group-commit.ts): nothing was recorded; retry later. The API answers 503
 * LEDGER.OVERLOADED with Retry-After (issue 12: bounded everything, never an unbounded backlog).
 */
export class StoreOverloaded extends Error {
  readonly code = 'EVENT_STORE.OVERLOADED';
  constructor(readonly queueLimit: number) {
    super(`the event store's write queue is full (${queueLimit} appends waiting); retry later`);
    this.name = 'StoreOverloaded';
  }
}

/** A record (port.ts RecordStore) already holds another value under this key: nothing was written. */
export class RecordConflict extends Error {
  readonly code = 'EVENT_STORE.RECORD_CONFLICT';
  constructor(readonly key: string) {
    super(`record ${key} already holds another value`);
    this.name = 'RecordConflict';
  }
}
