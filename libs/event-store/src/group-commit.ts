/**
 * Group commit (issue 12, docs/architecture.md §4): appends issued in one event-loop turn wait in a
 * bounded queue and are written together, one transaction (one fsync) per batch. Each append keeps its
 * own expected-revision check and outcome: the adapter runs it in a savepoint, so a conflict or a
 * refusal undoes only that append. Every caller is answered only after its batch committed (or failed as
 * a whole). The flush runs at the end of the turn (setImmediate), never on a timer, so no wait decides
 * correctness; the batch size and the queue are bounded, and past the queue bound an append is refused
 * at once with StoreOverloaded (the API answers 503 LEDGER.OVERLOADED with Retry-After).
 */
import { StoreOverloaded } from './errors';

/** Appends one batch may hold (one transaction). */
export const GROUP_COMMIT_BATCH_MAX_DEFAULT = 256;
/** Appends that may wait for a batch before new ones are refused (LEDGER_WRITE_QUEUE_LIMIT). */
export const WRITE_QUEUE_LIMIT_DEFAULT = 1024;

export interface GroupCommitOptions {
  /** On by default; off commits every append alone (the behaviour before issue 12). */
  readonly groupCommit?: boolean;
  /** Appends waiting past this many are refused with StoreOverloaded (default 1,024). */
  readonly writeQueueLimit?: number;
  /** Appends per batch transaction (default 256). */
  readonly groupCommitBatchMax?: number;
}

/** The queue the options ask for (defaults applied here), or undefined when group commit is off. */
export function groupCommitQueueOf<TRequest, TResult>(
  options: GroupCommitOptions,
  commitBatch: (
    requests: readonly TRequest[],
  ) => readonly Settled<TResult>[] | Promise<readonly Settled<TResult>[]>,
): GroupCommitQueue<TRequest, TResult> | undefined {
  if (options.groupCommit === false) return undefined;
  return new GroupCommitQueue(
    commitBatch,
    writeQueueLimitOf(options),
    options.groupCommitBatchMax ?? GROUP_COMMIT_BATCH_MAX_DEFAULT,
  );
}

export function writeQueueLimitOf(options: GroupCommitOptions): number {
  return options.writeQueueLimit ?? WRITE_QUEUE_LIMIT_DEFAULT;
}

/** What one queued append yields once its batch commits: its own result or its own error. */
export type Settled<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

interface Pending<TRequest, TResult> {
  readonly request: TRequest;
  readonly resolve: (value: TResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A bounded queue of requests flushed in batches by `commitBatch`, which must settle every request of the
 * batch (same order, same length) only after the batch's transaction committed, or throw when the
 * transaction as a whole failed (then every request of the batch is rejected with that error).
 */
export class GroupCommitQueue<TRequest, TResult> {
  private readonly queue: Pending<TRequest, TResult>[] = [];
  private scheduled = false;
  private flushing = false;
  /** The flush loop while it runs (drain waits for it). */
  private running: Promise<void> | undefined;
  /** Batch transactions run so far (metrics, tests, the bench). */
  batches = 0;

  constructor(
    private readonly commitBatch: (
      requests: readonly TRequest[],
    ) => readonly Settled<TResult>[] | Promise<readonly Settled<TResult>[]>,
    private readonly limit: number,
    private readonly batchMax: number,
  ) {
    for (const [name, value] of [
      ['writeQueueLimit', limit],
      ['groupCommitBatchMax', batchMax],
    ] as const)
      if (!Number.isSafeInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }

  /** Appends waiting now (for metrics and tests). */
  get length(): number {
    return this.queue.length;
  }

  submit(request: TRequest): Promise<TResult> {
    if (this.queue.length >= this.limit) return Promise.reject(new StoreOverloaded(this.limit));
    return new Promise<TResult>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Commits everything queued now and waits for a batch in flight (close() calls it before closing the
   * database). One batch at a time: a commitBatch that awaits (the SQLite writer thread, PostgreSQL)
   * never sees two batches at once.
   */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.running !== undefined)
      await (this.running ?? this.flush());
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private flush(): Promise<void> {
    if (this.running === undefined) {
      const run = this.flushLoop().finally(() => {
        if (this.running === run) this.running = undefined;
      });
      this.running = run;
    }
    return this.running;
  }

  private async flushLoop(): Promise<void> {
    this.flushing = true;
    try {
      // What arrived while a batch was committing forms the next batch at once: under load batches grow.
      while (this.queue.length > 0) await this.flushOnce();
    } finally {
      this.flushing = false;
    }
  }

  private async flushOnce(): Promise<void> {
    const batch = this.queue.splice(0, this.batchMax);
    if (batch.length === 0) return;
    this.batches += 1;
    let settled: readonly Settled<TResult>[];
    try {
      settled = await this.commitBatch(batch.map((pending) => pending.request));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (settled.length !== batch.length) {
      const error = new Error(`a batch of ${batch.length} appends settled ${settled.length}`);
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = settled[index];
      if (outcome?.ok === true) pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
  }
}
