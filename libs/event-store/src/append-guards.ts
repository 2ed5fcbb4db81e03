/**
 * Adapter-neutral checks every adapter applies the same way, so the contract suite sees one behaviour.
 */
import { WrongExpectedVersion } from './errors';
import type {
  AppendCondition,
  AppendOptions,
  AppendRecord,
  AppendResult,
  ExpectedRevision,
  JsonObject,
  NewEvent,
} from './port';

/** Bounds one append: a command produces a handful of events, a migration batches; beyond this is a bug. */
export const EVENTS_PER_APPEND_MAX = 10_000;
export const STREAM_ID_LENGTH_MAX = 512;

/** Rejects malformed input before any I/O: these are programming errors, not business refusals. */
export function assertAppendArguments(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  conditions: readonly AppendCondition[] = [],
): void {
  for (const target of [{ streamId, expectedRevision: expected }, ...conditions]) {
    if (
      typeof target.streamId !== 'string' ||
      target.streamId.length === 0 ||
      target.streamId.length > STREAM_ID_LENGTH_MAX
    ) {
      throw new TypeError(
        `stream id must be a non-empty string of at most ${STREAM_ID_LENGTH_MAX} characters`,
      );
    }
    if (typeof target.expectedRevision === 'bigint' && target.expectedRevision < 0n)
      throw new RangeError(`expected revision ${target.expectedRevision} is negative`);
  }
  if (events.length > EVENTS_PER_APPEND_MAX)
    throw new RangeError(`${events.length} events in one append; at most ${EVENTS_PER_APPEND_MAX}`);
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.id !== 'string' || event.id.length === 0)
      throw new TypeError('event id must be a non-empty string');
    if (typeof event.type !== 'string' || event.type.length === 0)
      throw new TypeError(`event ${event.id}: type must be a non-empty string`);
    if (!isPlainRecord(event.data))
      throw new TypeError(`event ${event.id}: data must be a JSON object`);
    if (!isPlainRecord(event.metadata))
      throw new TypeError(`event ${event.id}: metadata must be a JSON object`);
    if (ids.has(event.id)) throw new TypeError(`event id ${event.id} appears twice in one append`);
    ids.add(event.id);
  }
}

/** assertAppendArguments for a whole call: its own stream, the appends alongside it and its record. */
export function assertAppendRequest(
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions,
): void {
  assertAppendArguments(streamId, events, options.expectedRevision, options.conditions);
  const ids = new Set(events.map((event) => event.id));
  for (const other of options.alongside ?? []) {
    assertAppendArguments(other.streamId, other.events, other.expectedRevision);
    for (const event of other.events) {
      if (ids.has(event.id))
        throw new TypeError(`event id ${event.id} appears twice in one append`);
      ids.add(event.id);
    }
  }
  const record = options.record;
  if (record === undefined) return;
  if (
    typeof record.key !== 'string' ||
    record.key.length === 0 ||
    record.key.length > STREAM_ID_LENGTH_MAX
  )
    throw new TypeError(`record key must be a non-empty string of at most ${STREAM_ID_LENGTH_MAX}`);
  if (typeof record.value !== 'function') assertRecordValue(record.value);
}

/** A record's value is a JSON object (a function's value is checked when it is called). */
export function assertRecordValue(value: unknown): JsonObject {
  if (!isPlainRecord(value)) throw new TypeError('record value must be a JSON object');
  return value as JsonObject;
}

/** The record's value for an append that resulted in `appended`. */
export function recordValueOf(record: AppendRecord, appended: AppendResult): JsonObject {
  return assertRecordValue(
    typeof record.value === 'function' ? record.value(appended) : record.value,
  );
}

/**
 * Throws WrongExpectedVersion unless the stream's current revision (undefined: no stream) satisfies
 * `expected`. The error carries what the caller expected and what the stream actually was.
 */
export function checkExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  current: bigint | undefined,
): void {
  const actual = current ?? 'no_stream';
  const satisfied =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected);
  if (!satisfied) throw new WrongExpectedVersion(streamId, expected, actual);
}

/**
 * Throws WrongExpectedVersion (naming the condition's stream) unless every condition holds, `headOf`
 * giving a stream's current revision (undefined: no stream) inside the append's transaction.
 */
export function checkConditions(
  conditions: readonly AppendCondition[] | undefined,
  headOf: (streamId: string) => bigint | undefined,
): void {
  for (const condition of conditions ?? [])
    checkExpectedRevision(
      condition.streamId,
      condition.expectedRevision,
      headOf(condition.streamId),
    );
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
