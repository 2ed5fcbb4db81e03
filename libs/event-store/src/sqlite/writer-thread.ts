/**
 * The main thread's side of the SQLite writer thread (docs/architecture.md §4 "The writer thread";
 * writer-worker.ts is the other side). The group-commit queue hands it a batch; it reads the injected
 * clock, sends the batch, answers the worker's questions for computed record values (the functions run
 * here, on the thread that owns them), and settles every request with its own result or its own error,
 * rebuilt as the class the in-thread path throws (writer-protocol.ts). The store starts it with its
 * first batch. The worker is referenced (keeps the process alive) only while it has a batch or is
 * starting, so an idle open store does not.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { canonicalJson, workerSource } from '@hz/kernel';
import { recordValueOf } from '../append-guards';
import type { AppendRequest } from '../guarded-event-store';
import type { Settled } from '../group-commit';
import type { Clock, NewEvent } from '../port';
import type { AppendOutcome } from './append';
import {
  errorOfWire,
  type FromWorker,
  type ToWorker,
  type ValueAnswer,
  type ValueQuestion,
  type WireOutcome,
  type WireRequest,
  type WriterWorkerData,
} from './writer-protocol';

interface InFlight {
  readonly id: number;
  readonly requests: readonly AppendRequest[];
  /** Errors thrown by this batch's record functions, rethrown to their callers as they are. */
  readonly valueErrors: Map<number, unknown>;
  readonly resolve: (outcomes: readonly WireOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

export class SqliteWriterThread {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private inFlight: InFlight | undefined;
  private nextId = 1;
  /** Set when the worker died or failed to open: every later batch fails with it. */
  private broken: Error | undefined;
  private exited: Promise<void>;

  constructor(
    data: Omit<WriterWorkerData, 'kind'>,
    private readonly clock: Clock,
  ) {
    const file = join(__dirname, `writer-worker${extname(__filename)}`);
    this.worker = new Worker(workerSource(file), {
      eval: true,
      workerData: { kind: 'hz-sqlite-writer', ...data } satisfies WriterWorkerData,
      // Not the parent's `-r @swc-node/register` (@hz/kernel's workerSource compiles with @swc/core directly).
      execArgv: [],
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        if (message.type === 'ready') {
          this.worker.off('message', onMessage);
          this.worker.on('message', (next: FromWorker) => this.onMessage(next));
          this.worker.unref();
          resolve();
        } else if (message.type === 'open-failed') {
          this.broken = errorOfWire(message.error);
          reject(this.broken);
        }
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', (code) => {
        const error = new Error(`the SQLite writer thread exited (code ${code})`);
        this.broken ??= error;
        reject(this.broken);
        this.inFlight?.reject(this.broken);
        this.inFlight = undefined;
      });
      this.worker.on('error', (error) => {
        this.broken ??= error;
      });
    });
    // A store nobody appends to must not leave an unhandled rejection behind.
    this.ready.catch(() => undefined);
  }

  /** Why the worker cannot take batches (it failed to open or exited), else undefined. */
  get failure(): Error | undefined {
    return this.broken;
  }

  /** The group-commit queue's commitBatch: one batch in flight at a time. */
  async commitBatch(requests: readonly AppendRequest[]): Promise<Settled<AppendOutcome>[]> {
    await this.ready;
    if (this.broken !== undefined) throw this.broken;
    if (this.inFlight !== undefined) throw new Error('a batch is already in flight');
    const recordedAt = this.clock.now().toISOString();
    const settled: (Settled<AppendOutcome> | undefined)[] = new Array(requests.length);
    const wire: WireRequest[] = [];
    const sent: AppendRequest[] = [];
    requests.forEach((request, index) => {
      try {
        wire.push(wireRequestOf(request, recordedAt));
        sent.push(request);
      } catch (error) {
        settled[index] = { ok: false, error };
      }
    });
    const outcomes = sent.length === 0 ? [] : await this.send(sent, wire);
    let next = 0;
    return requests.map((_, index) => {
      const own = settled[index];
      if (own !== undefined) return own;
      const outcome = outcomes[next];
      next += 1;
      if (outcome === undefined) return { ok: false, error: new Error('no outcome for an append') };
      return outcome;
    });
  }

  private async send(
    requests: readonly AppendRequest[],
    wire: readonly WireRequest[],
  ): Promise<Settled<AppendOutcome>[]> {
    const id = this.nextId;
    this.nextId += 1;
    const valueErrors = new Map<number, unknown>();
    this.worker.ref();
    try {
      const outcomes = await new Promise<readonly WireOutcome[]>((resolve, reject) => {
        this.inFlight = { id, requests, valueErrors, resolve, reject };
        this.post({ type: 'batch', id, requests: wire });
      });
      return outcomes.map((outcome, index) => {
        if (outcome.ok)
          return { ok: true, value: { result: outcome.result, appended: outcome.appended } };
        if (outcome.error.kind === 'RecordValue' && valueErrors.has(index))
          return { ok: false, error: valueErrors.get(index) };
        return { ok: false, error: errorOfWire(outcome.error) };
      });
    } finally {
      this.inFlight = undefined;
      this.worker.unref();
    }
  }

  private onMessage(message: FromWorker): void {
    const batch = this.inFlight;
    if (batch === undefined || !('id' in message) || message.id !== batch.id) return;
    switch (message.type) {
      case 'values':
        this.post({ type: 'values', id: batch.id, answers: this.answer(batch, message.questions) });
        return;
      case 'settled':
        batch.resolve(message.outcomes);
        return;
      case 'failed':
        batch.reject(errorOfWire(message.error));
        return;
    }
  }

  /** Runs the batch's record functions for the results the worker found (in its transaction). */
  private answer(batch: InFlight, questions: readonly ValueQuestion[]): ValueAnswer[] {
    return questions.map(({ index, result }) => {
      const record = batch.requests[index]?.options.record;
      try {
        if (record === undefined) throw new Error(`request ${index} has no record`);
        batch.valueErrors.delete(index);
        return { ok: true, value: plainJson(recordValueOf(record, result)) };
      } catch (error) {
        batch.valueErrors.set(index, error);
        return { ok: false };
      }
    });
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** After the queue drained: the worker closes its connection and ends. */
  async close(): Promise<void> {
    if (this.broken === undefined) {
      this.worker.ref();
      this.post({ type: 'close' });
    } else await this.worker.terminate();
    await this.exited;
  }
}

function wireRequestOf(request: AppendRequest, recordedAt: string): WireRequest {
  const { options } = request;
  const record = options.record;
  return {
    streamId: request.streamId,
    events: request.events.map(plainEvent),
    expectedRevision: options.expectedRevision,
    ...(options.conditions === undefined ? {} : { conditions: options.conditions }),
    ...(options.alongside === undefined
      ? {}
      : {
          alongside: options.alongside.map((other) => ({
            streamId: other.streamId,
            events: other.events.map(plainEvent),
            expectedRevision: other.expectedRevision,
          })),
        }),
    ...(record === undefined
      ? {}
      : {
          record:
            typeof record.value === 'function'
              ? { key: record.key, computed: true as const }
              : { key: record.key, computed: false as const, value: plainJson(record.value) },
        }),
    recordedAt,
  };
}

function plainEvent(event: NewEvent): NewEvent {
  const data = plainJson(event.data);
  const metadata = plainJson(event.metadata);
  return data === event.data && metadata === event.metadata
    ? event
    : { id: event.id, type: event.type, data, metadata };
}

/**
 * The value as the worker will see it after the structured clone. Plain JSON (objects of Object's
 * prototype, arrays, strings, finite numbers, booleans, null) crosses as it is; anything else (a Decimal
 * or a Date with its toJSON, undefined, a non-finite number) is first turned into what canonical JSON
 * makes of it, so the stored text is the in-thread path's, and what canonical JSON refuses is refused
 * here with its CanonicalJsonError.
 */
export function plainJson<T extends object>(value: T): T {
  return isPlain(value, 0) ? value : (JSON.parse(canonicalJson(value)) as T);
}

/** Deeper than this is handed to canonicalJson, which enforces its own depth bound. */
const PLAIN_DEPTH_MAX = 64;

function isPlain(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= PLAIN_DEPTH_MAX) return false;
      if (Array.isArray(value)) return value.every((item) => isPlain(item, depth + 1));
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value)
        if (!isPlain((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}
