/**
 * Long jobs off the request path (issue 13, docs/operations.md "Jobs"): a whole-ledger verify or export runs
 * in the background of the service; the request that starts it is answered at once with the job, which any
 * later request reads (state, events done/total, rate, ETA) and whose result is downloaded when done.
 *
 * Durable as files in the jobs directory (LEDGER_JOBS_DIR, default `<LEDGER_DATA_DIR>/jobs`), mode 0600:
 * `<id>.json` is the job record, written at every change of state, and `<id>.result` the result. A job
 * never outlives the process that runs it: at start-up every record still queued or running (the process
 * died under it) is marked failed `JOB.INTERRUPTED`, and a clean shutdown aborts running jobs the same way.
 * At most `maxConcurrent` run at once; one more is refused (JobsBusyError), never queued without bound.
 */
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@hz/event-store';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobProgress {
  /** Events done and the events the job covers (counted once at its start). */
  readonly done: number;
  readonly total: number;
  /** Events per second since the job started running; null before the first progress report. */
  readonly ratePerSecond: number | null;
  /** Seconds left at that rate; null while unknown. */
  readonly etaSeconds: number | null;
}

export interface JobRecord {
  readonly id: string;
  readonly kind: string;
  readonly state: JobState;
  /** The subject (token `sub`) of who started it. */
  readonly startedBy: string;
  /** The request that started it (e.g. the export's asOf, format, sheet), as given. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly progress: JobProgress;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** When succeeded: the result's media type and file name for the download. */
  readonly result: { readonly contentType: string; readonly fileName: string } | null;
}

/**
 * What a job's work produces: the bytes of its result, or (no body) the result the work wrote itself to
 * `context.resultFile` as it went, which a large export does so that its memory does not grow with the
 * ledger (issue 13, docs/benchmarks.md "Export, our own xlsx writer").
 */
export interface JobOutput {
  readonly contentType: string;
  readonly fileName: string;
  readonly body?: Buffer | string;
}

export interface JobContext {
  readonly signal: AbortSignal;
  /**
   * A file of the jobs directory the work may write its result to (created by the work, mode 0600); when the
   * work answers no body, this file becomes the result. Deleted if the job fails.
   */
  readonly resultFile: string;
  /** Report events done / total (the engines' onProgress, docs/architecture.md §6). */
  progress(done: number, total: number): void;
}

export type JobWork = (context: JobContext) => Promise<JobOutput>;

export class JobsBusyError extends Error {
  constructor(readonly running: number) {
    super(`${running} jobs are running already (LEDGER_JOBS_MAX_CONCURRENT)`);
    this.name = 'JobsBusyError';
  }
}

export interface JobRegistryOptions {
  readonly directory: string;
  readonly maxConcurrent: number;
}

/** How long a stop waits for aborted work to let go of the stores. */
const CLOSE_WAIT_MS = 10_000;

const INTERRUPTED = {
  code: 'JOB.INTERRUPTED',
  message: 'the service stopped while the job ran; start it again',
};

interface Live {
  record: JobRecord;
  readonly abort: AbortController;
  runningSinceMs: number;
  /** Resolves when the work has ended (run() never rejects). */
  settled: Promise<void>;
}

export class JobRegistry {
  private readonly live = new Map<string, Live>();

  constructor(private readonly options: JobRegistryOptions) {
    mkdirSync(options.directory, { recursive: true, mode: 0o700 });
    this.failInterrupted();
  }

  /** Starts `work` in the background and answers its record at once (state queued). */
  start(
    kind: string,
    startedBy: string,
    parameters: Record<string, string>,
    work: JobWork,
  ): JobRecord {
    const running = [...this.live.values()].filter((job) => !isFinished(job.record.state)).length;
    if (running >= this.options.maxConcurrent) throw new JobsBusyError(running);
    const record: JobRecord = {
      id: randomUUID(),
      kind,
      state: 'queued',
      startedBy,
      parameters,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      progress: { done: 0, total: 0, ratePerSecond: null, etaSeconds: null },
      error: null,
      result: null,
    };
    this.write(record);
    const job: Live = {
      record,
      abort: new AbortController(),
      runningSinceMs: 0,
      settled: Promise.resolve(),
    };
    this.live.set(record.id, job);
    // The answer goes out first; run() records every outcome itself and never rejects.
    job.settled = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.run(job, work),
    );
    return record;
  }

  /** The job's record: live when this process runs it, else as last written. */
  get(id: string): JobRecord | undefined {
    const live = this.live.get(id);
    if (live) return live.record;
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const file = this.recordFile(id);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JobRecord) : undefined;
  }

  /** Every recorded job, newest first. */
  list(): JobRecord[] {
    const ids = readdirSync(this.options.directory)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length));
    return ids
      .map((id) => this.get(id))
      .filter((record): record is JobRecord => record !== undefined)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The bytes of a succeeded job's result. */
  result(id: string): Buffer {
    return readFileSync(this.resultFile(id));
  }

  /** The file holding a succeeded job's result, for a download that streams it. */
  resultFile(id: string): string {
    return join(this.options.directory, `${id}.result`);
  }

  /**
   * A stop fails every unfinished job JOB.INTERRUPTED at once (its record says so before the stores close)
   * and aborts its work, then waits (at most CLOSE_WAIT_MS) for the work to stop; what the work does after
   * the abort (a rejection at its next page, or an end it reaches anyway) is not recorded.
   */
  async close(): Promise<void> {
    const jobs = [...this.live.values()];
    for (const job of jobs) {
      job.abort.abort();
      this.finish(job, { state: 'failed', error: INTERRUPTED });
    }
    // Then let the work reach its next page and stop before the app closes the stores it reads.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(jobs.map((job) => job.settled)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  /** Nest calls this when the app closes (docs/operations.md "Jobs": a clean stop fails running jobs). */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  private async run(job: Live, work: JobWork): Promise<void> {
    if (job.abort.signal.aborted) return;
    job.runningSinceMs = performance.now();
    this.update(job, { state: 'running', startedAt: new Date().toISOString() });
    const written = join(this.options.directory, `${job.record.id}.result.${process.pid}.tmp`);
    try {
      const output = await work({
        signal: job.abort.signal,
        resultFile: written,
        progress: (done, total) => {
          if (job.abort.signal.aborted) return;
          job.record = { ...job.record, progress: this.progressOf(job, done, total) };
        },
      });
      if (job.abort.signal.aborted) {
        rmSync(written, { force: true });
        return;
      }
      if (output.body === undefined) renameSync(written, this.resultFile(job.record.id));
      else writePrivate(this.resultFile(job.record.id), output.body);
      const total = job.record.progress.total;
      this.finish(job, {
        state: 'succeeded',
        progress: { ...this.progressOf(job, total, total), etaSeconds: 0 },
        result: { contentType: output.contentType, fileName: output.fileName },
      });
    } catch (error) {
      rmSync(written, { force: true });
      this.finish(job, {
        state: 'failed',
        error: job.abort.signal.aborted
          ? INTERRUPTED
          : {
              code: codeOf(error),
              message: error instanceof Error ? error.message : String(error),
            },
      });
    }
  }

  private progressOf(job: Live, done: number, total: number): JobProgress {
    const seconds = (performance.now() - job.runningSinceMs) / 1000;
    const rate = seconds > 0 && done > 0 ? done / seconds : null;
    return {
      done,
      total,
      ratePerSecond: rate === null ? null : Math.round(rate),
      etaSeconds: rate === null ? null : Math.max(0, Math.round((total - done) / rate)),
    };
  }

  private finish(job: Live, change: Partial<JobRecord>): void {
    this.update(job, { ...change, finishedAt: new Date().toISOString() });
    this.live.delete(job.record.id);
  }

  private update(job: Live, change: Partial<JobRecord>): void {
    job.record = { ...job.record, ...change };
    this.write(job.record);
  }

  private failInterrupted(): void {
    for (const record of this.list()) {
      if (isFinished(record.state)) continue;
      this.write({
        ...record,
        state: 'failed',
        finishedAt: new Date().toISOString(),
        error: INTERRUPTED,
      });
    }
  }

  private recordFile(id: string): string {
    return join(this.options.directory, `${id}.json`);
  }

  private write(record: JobRecord): void {
    writePrivate(this.recordFile(record.id), `${JSON.stringify(record, null, 2)}\n`);
  }
}

/** The error's own stable code when it has one (e.g. AUDIT.SHEET_NOT_FOUND), else JOB.FAILED. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z]+\.[A-Z_]+$/.test(code) ? code : 'JOB.FAILED';
}

/**
 * The store as a job reads it: every readAll page waits for one turn of the event loop first. The embedded
 * store answers a page without ever leaving the loop (better-sqlite3 is synchronous), so without this a
 * whole-ledger job would hold every other request, the job's own progress reads included, until it ends.
 */
export function yieldingReads<S extends Pick<EventStore, 'readAll'>>(store: S): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'readAll' || typeof value !== 'function') return value;
      return async (...args: Parameters<EventStore['readAll']>) => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        return (value as EventStore['readAll']).apply(target, args);
      };
    },
  });
}

function isFinished(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed';
}

/** Written whole or not at all (temp file, then rename), readable by the service's user only. */
function writePrivate(file: string, body: Buffer | string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, body, { mode: 0o600 });
  renameSync(temporary, file);
}
