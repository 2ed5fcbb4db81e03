/**
 * What the main thread and the SQLite writer thread (writer-thread.ts, writer-worker.ts; docs/
 * architecture.md §4 "The writer thread") say to each other. Everything here survives the structured
 * clone of postMessage: plain objects, strings, bigints. A record value computed by a function travels
 * as a question (the append's result) and an answer (the value), since a function cannot be cloned.
 * Errors travel as descriptions and are rebuilt on the main thread as the same classes with the same
 * fields, so callers keep matching them with `instanceof` and `code`.
 */
import Database from 'better-sqlite3';
import { CanonicalJsonError } from '@hz/kernel';
import {
  DuplicateEventDifferentContent,
  RecordConflict,
  StreamNotFound,
  WrongExpectedVersion,
} from '../errors';
import type {
  AppendCondition,
  AppendResult,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  StreamAppend,
} from '../port';

export interface WriterWorkerData {
  readonly kind: 'hz-sqlite-writer';
  readonly file: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly busyTimeoutMs: number;
}

/** One append of a batch, as the worker receives it. */
export interface WireRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
  readonly conditions?: readonly AppendCondition[];
  readonly alongside?: readonly StreamAppend[];
  /** A given value travels as is; `computed` means the main thread computes it from the result. */
  readonly record?:
    | { readonly key: string; readonly computed: false; readonly value: JsonObject }
    | { readonly key: string; readonly computed: true };
  /** The injected clock's instant, read on the main thread when the batch was sent (ISO 8601). */
  readonly recordedAt: string;
}

export type WireOutcome =
  | { readonly ok: true; readonly result: AppendResult; readonly appended: boolean }
  | { readonly ok: false; readonly error: WireError };

/** A computed record value the worker needs: request `index` of the batch, its main append's result. */
export interface ValueQuestion {
  readonly index: number;
  readonly result: AppendResult;
}

/** The main thread's answer: the value, or `ok: false` when the function threw (it keeps the error). */
export type ValueAnswer =
  { readonly ok: true; readonly value: JsonObject } | { readonly ok: false };

export type ToWorker =
  | { readonly type: 'batch'; readonly id: number; readonly requests: readonly WireRequest[] }
  | { readonly type: 'values'; readonly id: number; readonly answers: readonly ValueAnswer[] }
  | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'open-failed'; readonly error: WireError }
  | { readonly type: 'values'; readonly id: number; readonly questions: readonly ValueQuestion[] }
  | { readonly type: 'settled'; readonly id: number; readonly outcomes: readonly WireOutcome[] }
  | { readonly type: 'failed'; readonly id: number; readonly error: WireError }
  | { readonly type: 'closed' };

export type WireError =
  | {
      readonly kind: 'WrongExpectedVersion';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly actual: bigint | 'no_stream';
    }
  | { readonly kind: 'RecordConflict'; readonly key: string }
  | {
      readonly kind: 'DuplicateEventDifferentContent';
      readonly eventId: string;
      readonly streamId: string;
    }
  | { readonly kind: 'StreamNotFound'; readonly streamId: string }
  /** The main thread's record function threw (or gave no JSON object): it rethrows its own error. */
  | { readonly kind: 'RecordValue' }
  | { readonly kind: 'SqliteError'; readonly message: string; readonly code: string }
  | {
      readonly kind: 'Error';
      readonly name: string;
      readonly message: string;
      readonly base: 'TypeError' | 'RangeError' | 'CanonicalJsonError' | 'Error';
    };

/** Thrown inside the worker's savepoint when the main thread could not compute a record's value. */
export class RecordValueFailed extends Error {
  constructor() {
    super('the record value could not be computed');
    this.name = 'RecordValueFailed';
  }
}

export function wireErrorOf(error: unknown): WireError {
  if (error instanceof WrongExpectedVersion)
    return {
      kind: 'WrongExpectedVersion',
      streamId: error.streamId,
      expected: error.expected,
      actual: error.actual,
    };
  if (error instanceof RecordConflict) return { kind: 'RecordConflict', key: error.key };
  if (error instanceof DuplicateEventDifferentContent)
    return {
      kind: 'DuplicateEventDifferentContent',
      eventId: error.eventId,
      streamId: error.streamId,
    };
  if (error instanceof StreamNotFound) return { kind: 'StreamNotFound', streamId: error.streamId };
  if (error instanceof RecordValueFailed) return { kind: 'RecordValue' };
  if (error instanceof Database.SqliteError)
    return { kind: 'SqliteError', message: error.message, code: error.code };
  const failure = error instanceof Error ? error : new Error(String(error));
  const base =
    failure instanceof CanonicalJsonError
      ? 'CanonicalJsonError'
      : failure instanceof TypeError
        ? 'TypeError'
        : failure instanceof RangeError
          ? 'RangeError'
          : 'Error';
  return { kind: 'Error', name: failure.name, message: failure.message, base };
}

/** The error the worker described, as the class the in-thread path would have thrown. */
export function errorOfWire(wire: WireError): Error {
  switch (wire.kind) {
    case 'WrongExpectedVersion':
      return new WrongExpectedVersion(wire.streamId, wire.expected, wire.actual);
    case 'RecordConflict':
      return new RecordConflict(wire.key);
    case 'DuplicateEventDifferentContent':
      return new DuplicateEventDifferentContent(wire.eventId, wire.streamId);
    case 'StreamNotFound':
      return new StreamNotFound(wire.streamId);
    case 'RecordValue':
      return new Error('the record value could not be computed');
    case 'SqliteError':
      return new Database.SqliteError(wire.message, wire.code);
    case 'Error': {
      const error =
        wire.base === 'CanonicalJsonError'
          ? new CanonicalJsonError(wire.message)
          : wire.base === 'TypeError'
            ? new TypeError(wire.message)
            : wire.base === 'RangeError'
              ? new RangeError(wire.message)
              : new Error(wire.message);
      error.name = wire.name;
      return error;
    }
  }
}
