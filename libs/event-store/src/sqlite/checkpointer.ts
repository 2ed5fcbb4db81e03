/**
 * Checkpoints off the committing thread (docs/architecture.md §4 "Checkpoints off the committing
 * thread"; checkpoint-worker.ts is the other side). SQLite's automatic checkpoint runs inside the COMMIT
 * that takes the WAL past 1000 frames: that COMMIT copies the WAL into the database file and syncs it,
 * on the thread that is answering requests. With this, the committing connection runs
 * `wal_autocheckpoint=0` and only appends to and syncs the WAL; a worker thread with its own connection
 * runs the checkpoints. Durability is the same: a commit is acknowledged after its frames are synced in
 * the WAL, and a checkpoint only copies committed frames into the database file.
 *
 * Bounded: SQLite starts the WAL over from its first frame (so its file stops growing) only when a write
 * begins with every frame copied back; under back-to-back commits the thread's checkpoint rarely ends
 * in such a gap. So after each commit the writer reads the WAL's length (wal-index.ts), and past
 * `hardLimitFrames` (default twice the threshold) it runs the PASSIVE checkpoint itself, as SQLite's
 * automatic checkpoint would at every commit past its 1000 frames: with the thread alive it copies only
 * the frames committed since the thread's last checkpoint; with the thread dead, stopped or starved, all
 * of them. Once everything is copied the next write starts the WAL over, so its file stays within about
 * `hardLimitFrames` pages.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { workerSource } from '@hz/kernel';
import {
  SIGNAL_CHECKPOINTS,
  SIGNAL_COMMITS,
  SIGNAL_SLOTS,
  SIGNAL_STOP,
  type CheckpointWorkerData,
} from './checkpoint-worker';
import { WalIndex } from './wal-index';

export interface CheckpointOptions {
  /**
   * 'thread': a checkpointer thread runs the checkpoints; 'inline' (default): SQLite's automatic
   * checkpoint on the committing connection, as before.
   */
  readonly mode: 'thread' | 'inline';
  /**
   * WAL length in frames from which the checkpointer copies them back (thread; default 1000, SQLite's
   * own), or past which the committing connection checkpoints (inline: its wal_autocheckpoint; default
   * INLINE_CHECKPOINT_FRAMES of sqlite-event-store.ts, 4000).
   */
  readonly thresholdFrames?: number;
  /** WAL length in frames past which the writer checkpoints itself (the checkpointer failed or fell behind). */
  readonly hardLimitFrames?: number;
  /** The checkpointer looks at the WAL at most once per this many ms. */
  readonly pollMs?: number;
}

export const CHECKPOINT_THRESHOLD_FRAMES = 1000;
const CHECKPOINT_POLL_MS = 10;

export class SqliteCheckpointer {
  private readonly signal = new Int32Array(new SharedArrayBuffer(SIGNAL_SLOTS * 4));
  private readonly wal: WalIndex;
  private readonly hardLimitFrames: number;
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping = false;
  private broken: Error | undefined;
  private reported = false;
  /** Checkpoints the writer ran itself because the WAL passed the hard limit. */
  inlineCheckpoints = 0;
  /** Frames those found not yet copied back (what the writer's own checkpoints had to copy). */
  inlineFrames = 0;

  constructor(
    private readonly db: Database.Database,
    data: {
      readonly file: string;
      readonly synchronous: 'FULL' | 'NORMAL';
      readonly busyTimeoutMs: number;
    },
    options: CheckpointOptions,
    private readonly log: (message: string) => void = defaultLog,
  ) {
    const thresholdFrames = options.thresholdFrames ?? CHECKPOINT_THRESHOLD_FRAMES;
    this.hardLimitFrames = options.hardLimitFrames ?? 2 * thresholdFrames;
    // `db` runs wal_autocheckpoint=0 from its open on (sqlite-event-store.ts), before the first commit
    // starts this.
    this.wal = new WalIndex(data.file);
    const file = join(__dirname, `checkpoint-worker${extname(__filename)}`);
    this.worker = new Worker(workerSource(file), {
      eval: true,
      workerData: {
        kind: 'hz-sqlite-checkpointer',
        ...data,
        thresholdFrames,
        pollMs: options.pollMs ?? CHECKPOINT_POLL_MS,
        signal: this.signal.buffer as SharedArrayBuffer,
      } satisfies CheckpointWorkerData,
      // Not the parent's `-r @swc-node/register` (@hz/kernel's workerSource compiles with @swc/core directly).
      execArgv: [],
    });
    // An idle store's checkpointer does not keep the process alive.
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('error', (error) => {
      this.broken ??= error;
      this.log(`the SQLite checkpointer of ${data.file} failed: ${error.message}`);
    });
    this.worker.once('exit', (code) => {
      if (this.stopping) return;
      this.broken ??= new Error(`the SQLite checkpointer exited (code ${code})`);
      this.log(
        `the SQLite checkpointer of ${data.file} stopped (${this.broken.message}); ` +
          `the writer checkpoints past ${this.hardLimitFrames} WAL frames`,
      );
    });
  }

  /** Why the checkpointer thread is not running (it failed or exited), else undefined. */
  get failure(): Error | undefined {
    return this.broken;
  }

  /** Checkpoints the thread has run. */
  get checkpoints(): number {
    return Atomics.load(this.signal, SIGNAL_CHECKPOINTS);
  }

  /** After each commit on the writer's connection: wake the checkpointer, and enforce the hard bound. */
  committed(): void {
    Atomics.add(this.signal, SIGNAL_COMMITS, 1);
    Atomics.notify(this.signal, SIGNAL_COMMITS, 1);
    const wal = this.wal.read();
    if (wal !== undefined && wal.frames > this.hardLimitFrames) {
      if (this.broken !== undefined && !this.reported) {
        this.reported = true;
        this.log(`the SQLite WAL is ${wal.frames} frames long; the writer checkpoints it`);
      }
      this.inlineCheckpoints += 1;
      this.inlineFrames += wal.waiting;
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
  }

  /** Ends the thread (the store then checkpoints on its own connection before closing it). */
  async close(): Promise<void> {
    this.stopping = true;
    Atomics.store(this.signal, SIGNAL_STOP, 1);
    Atomics.notify(this.signal, SIGNAL_COMMITS);
    this.worker.ref();
    await this.exited;
    this.wal.close();
  }

  /** Ends the thread at once, as a crash of it would (tests of the hard bound). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
    await this.exited;
  }
}

function defaultLog(message: string): void {
  process.emitWarning(message, { code: 'HZ_SQLITE_CHECKPOINTER' });
}
