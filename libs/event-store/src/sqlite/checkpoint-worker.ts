/**
 * The SQLite checkpointer thread (docs/architecture.md §4 "Checkpoints off the committing thread";
 * checkpointer.ts is the main thread's side). Its own connection to the store's file, which never writes:
 * when the committing connection has signalled commits and the WAL is at least `thresholdFrames` frames
 * long with some not yet copied back (wal-index.ts), it runs `PRAGMA wal_checkpoint(PASSIVE)`, which copies
 * committed frames into the database file and syncs it without waiting for, or blocking, the writer or
 * any reader. Looks at most once per `pollMs`, so a burst of commits costs one look.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { WalIndex } from './wal-index';

/** Slots of the shared Int32Array between the two threads. */
export const SIGNAL_COMMITS = 0;
export const SIGNAL_STOP = 1;
export const SIGNAL_CHECKPOINTS = 2;
export const SIGNAL_SLOTS = 3;

export interface CheckpointWorkerData {
  readonly kind: 'hz-sqlite-checkpointer';
  readonly file: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly busyTimeoutMs: number;
  readonly thresholdFrames: number;
  readonly pollMs: number;
  /** SIGNAL_SLOTS Int32 slots: commits (written by the writer), stop, checkpoints run (written here). */
  readonly signal: SharedArrayBuffer;
}

async function serve(port: MessagePort, data: CheckpointWorkerData): Promise<void> {
  const signal = new Int32Array(data.signal);
  // No migration, no write: the store's own connection created the schema before starting this thread.
  const db = new Database(data.file, { timeout: data.busyTimeoutMs, fileMustExist: true });
  const index = new WalIndex(data.file);
  try {
    // A checkpoint syncs the database file unless synchronous is OFF; the store's level, never lower.
    db.pragma(`synchronous = ${data.synchronous}`);
    // A pending Atomics.waitAsync does not keep a thread alive; a listening port does, until closed.
    port.on('message', () => undefined);
    let seen = Atomics.load(signal, SIGNAL_COMMITS);
    while (Atomics.load(signal, SIGNAL_STOP) === 0) {
      const waited = waitAsync(signal, SIGNAL_COMMITS, seen);
      if (waited.async) await waited.value;
      if (Atomics.load(signal, SIGNAL_STOP) !== 0) break;
      seen = Atomics.load(signal, SIGNAL_COMMITS);
      // Past the threshold, and until every frame is copied: SQLite starts the WAL over (from its first
      // frame, so its file stops growing) only when a write begins with the whole WAL checkpointed, and
      // frames committed while a checkpoint runs are left for the next one.
      const wal = index.read();
      if (wal === undefined || (wal.frames >= data.thresholdFrames && wal.waiting > 0)) {
        db.pragma('wal_checkpoint(PASSIVE)');
        Atomics.add(signal, SIGNAL_CHECKPOINTS, 1);
      }
      await sleep(data.pollMs);
    }
  } finally {
    index.close();
    db.close();
  }
  port.close();
}

/** Atomics.waitAsync (Node 16 on; ES2024's lib, newer than this repository's). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

const data = workerData as CheckpointWorkerData | undefined;
if (parentPort !== null && data?.kind === 'hz-sqlite-checkpointer') {
  // A failure is unhandled here, so it ends the thread with an 'error' the main side logs; the
  // writer's hard bound (checkpointer.ts) then keeps the WAL bounded.
  void serve(parentPort, data);
}
