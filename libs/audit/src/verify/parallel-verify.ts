/**
 * Verify on worker threads (issue 13; docs/architecture.md "Verify on worker threads"). The stream-by-stream
 * pass of ./verify-ledger.ts is split by stream across N threads, each with its own read cursor (its own
 * read-only connection to the SQLite event store file, the ranges of streams it takes in stream order,
 * ./partition-pass.ts) running the same fold (./stream-fold.ts): N-1 worker threads (./verify-worker.ts)
 * and the coordinator's thread, which would otherwise only wait (one worker fewer to start: half a
 * CPU-second and ~90 MB, docs/benchmarks.md "Verify and seal, CPU per event"). The coordinator merges what
 * the threads found so that the report is byte for byte the single-threaded one:
 * - the findings: each worker keeps its `findingsMax` earliest ones in log order and counts all of them;
 *   the earliest of the union are the earliest of the log (PositionOrderedSink.merge);
 * - payment and recovery references: each worker posts its fingerprint table; a fingerprint held by two
 *   workers (or seen twice by one) makes its references suspects, judged exactly in position order as in
 *   the single-threaded pass (judgeReferences), so the findings are the same;
 * - hash chains: each worker names the streams that did not read as an intact chain, re-read and judged
 *   here in the order of their first event;
 * - the period-close check: the closes are read here first and given to every worker.
 *
 * The split (./verify-partition.ts): the streams are cut into ranges of stream ids, about 2,000 events
 * each, the allocation plans' streams one range of their own, because the allocation check keeps plans
 * across streams (a plan's disbursements are judged against its decision). Each thread, this one and the
 * workers, takes the next range no thread has taken until none is left, and reads it by one walk of the
 * `(stream_id, revision)` index: no cursor steps over another thread's rows, and a thread that started
 * late or met costlier streams simply takes fewer ranges. The only other state the single-threaded fold
 * carries from one stream to the next is the set of registered applicants (a second registration in
 * another stream is a finding, and changes how that stream is judged). When a thread saw an allocation
 * event outside the plans' streams, or two threads saw the same applicant registered (never in a ledger
 * the deciders wrote), the pass is run again on one thread: the report stays exact.
 *
 * What stays on one thread, and why: the checkpoint's pass (its Merkle accumulator takes the hashes in
 * position order), the exact judgment of suspect references (position order: "first used" means first in
 * the log), the period closes read before the pass, the live read-model comparison (a replay of its own),
 * and the whole pass on a store without a file to share (PostgreSQL, EventStoreDB, an in-memory SQLite).
 */
import { extname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { workerSource } from '@hz/kernel';
import { SqliteEventStore, type EventStore } from '@hz/event-store';
import { PositionOrderedSink } from '../invariants/findings';
import { fingerprintOf, FingerprintSet } from '../log/fingerprint-set';
import type { ScanResult } from '../log/scan-log';
import { PartitionPass } from './partition-pass';
import { chainProblemsOf } from './stream-chain-check';
import {
  checkpointPass,
  judgeReferences,
  type PassOptions,
  type PassResult,
} from './verify-ledger';
import {
  checkVerifyWorkers,
  planStreamRanges,
  type VerifyPartitionResult,
  type VerifyWorkerData,
  type VerifyWorkerMessage,
} from './verify-partition';

/** The event store file the workers can open, or undefined (not SQLite, or in memory). */
export function sharedEventFile(store: EventStore): string | undefined {
  if (!(store instanceof SqliteEventStore)) return undefined;
  const file = store.file;
  return file === '' || file === ':memory:' || file.startsWith('file:') ? undefined : file;
}

/** Old-generation heap of a worker: one stream's state, a fingerprint table, 2 × findingsMax findings. */
const WORKER_HEAP_MB = 64;

/** Rows the coordinator's own share reads between two turns of the event loop (../log/scan-log.ts). */
const LOCAL_STEP_ROWS = 500;

/** Rows between two progress reports of the coordinator's share (a worker's, ./verify-worker.ts). */
const PROGRESS_ROWS = 5000;

/**
 * The pass on `workers` threads; undefined when the split does not hold for this log (the caller then
 * runs the single-threaded pass, which gives the exact report).
 */
export async function parallelStreamPass(
  pass: PassOptions,
  eventFile: string,
  workers: number,
): Promise<PassResult | undefined> {
  checkVerifyWorkers(workers);
  const untilPosition = pass.headPosition;
  const passes = pass.checkpointCheck === undefined ? 1 : 2;
  const estimate = Number(untilPosition) * passes;
  const results = await runWorkers(pass, eventFile, workers, (done) =>
    pass.onProgress?.({
      position: BigInt(Math.min(done, Number(untilPosition))),
      untilPosition,
      eventCount: done,
      done,
      total: Math.max(estimate, done),
    }),
  );
  if (!partitionHeld(results)) return undefined;
  let eventCount = 0;
  let lastPosition = 0n;
  const passSink = new PositionOrderedSink(pass.findingsMax);
  for (const result of results) {
    eventCount += result.eventCount;
    if (result.lastPosition > lastPosition) lastPosition = result.lastPosition;
    passSink.merge(result.findings);
    if (result.periodFindings !== null) pass.periodAudit?.sink.merge(result.periodFindings);
  }
  const scan: ScanResult = { untilPosition, eventCount, lastPosition };
  pass.onProgress?.({
    position: untilPosition,
    untilPosition,
    eventCount,
    done: eventCount,
    total: eventCount * passes,
  });
  await checkpointPass(pass, scan);
  const suspects = suspectFingerprints(results);
  if (suspects.size > 0)
    for (const finding of await judgeReferences(pass, untilPosition, (key) =>
      suspects.has(fingerprintOf(key)),
    ))
      passSink.add(finding, 0);
  const chainProblems = await chainProblemsOf(
    pass.store,
    results.flatMap((result) => result.chainSuspects),
  );
  return { scan, passSink, chainProblems };
}

/** No allocation event outside the plans' streams, and no applicant registered by two threads. */
function partitionHeld(results: readonly VerifyPartitionResult[]): boolean {
  if (results.some((result) => result.crossPartition)) return false;
  const registered = new Set<string>();
  for (const result of results)
    for (const uscc of result.registered) {
      if (registered.has(uscc)) return false;
      registered.add(uscc);
    }
  return true;
}

/** The fingerprints seen twice: within a worker (its suspects) or in two workers' tables. */
function suspectFingerprints(results: readonly VerifyPartitionResult[]): Set<number> {
  const suspects = new Set<number>();
  const merged = new FingerprintSet();
  for (const result of results) {
    for (const key of result.referenceSuspects) suspects.add(fingerprintOf(key));
    for (const fingerprint of result.fingerprints)
      if (fingerprint !== 0 && !merged.addFingerprint(fingerprint)) suspects.add(fingerprint);
  }
  return suspects;
}

function runWorkers(
  pass: PassOptions,
  eventFile: string,
  workers: number,
  onEvents: (done: number) => void,
): Promise<VerifyPartitionResult[]> {
  const closes = pass.periodAudit?.closeEntries() ?? null;
  const ranges = planStreamRanges(eventFile, pass.headPosition);
  const threads: Worker[] = [];
  const results: (VerifyPartitionResult | undefined)[] = Array.from(
    { length: workers },
    () => undefined,
  );
  const done = Array.from({ length: workers }, () => 0);
  return new Promise<VerifyPartitionResult[]>((resolvePromise, reject) => {
    let settled = false;
    let finished = 0;
    let local: PartitionPass | undefined;
    const signal = pass.signal;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      local?.close();
      void Promise.all(threads.map((thread) => thread.terminate())).then(() => reject(error));
    };
    const onAbort = (): void => fail(signal?.reason);
    const partitionDone = (partition: number, result: VerifyPartitionResult): void => {
      results[partition] = result;
      done[partition] = result.eventCount;
      onEvents(done.reduce((sum, count) => sum + count, 0));
      if ((finished += 1) === workers) {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolvePromise(results.filter((result) => result !== undefined));
      }
    };
    if (signal?.aborted) return fail(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const shared = {
      eventFile,
      ranges,
      untilPosition: pass.headPosition,
      findingsMax: pass.findingsMax,
      closes,
    };
    // N-1 worker threads, started first so that they compile while this thread reads.
    for (let partition = 1; partition < workers; partition += 1) {
      const thread = spawnVerifyWorker({
        kind: 'hz-verify-partition',
        partition,
        oracle: pass.oracle !== undefined,
        ...shared,
      });
      threads.push(thread);
      let ended = false;
      thread.on('message', (message: VerifyWorkerMessage) => {
        if (settled) return;
        if (message.kind === 'error')
          return fail(Object.assign(new Error(message.message), { name: message.name }));
        if (message.kind === 'progress') {
          done[partition] = message.events;
          onEvents(done.reduce((sum, count) => sum + count, 0));
          return;
        }
        ended = true;
        partitionDone(partition, message.result);
      });
      thread.on('error', fail);
      thread.on('exit', (code) => {
        if (!ended) fail(new Error(`verify partition ${partition} exited with code ${code}`));
      });
    }
    // Ranges read on this thread too, with the coordinator's oracle (a policy oracle: verifyLedger sends
    // the pass to threads only then), a turn of the event loop between steps.
    void (async () => {
      try {
        local = new PartitionPass({ partition: 0, ...shared }, pass.oracle);
        let reported = 0;
        while (!settled && local.step(LOCAL_STEP_ROWS)) {
          if (local.events - reported >= PROGRESS_ROWS) {
            reported = local.events;
            done[0] = reported;
            onEvents(done.reduce((sum, count) => sum + count, 0));
          }
          await nextTurn();
        }
        if (settled) return local.close();
        partitionDone(0, local.result());
      } catch (error) {
        fail(error);
      }
    })();
  });
}

/**
 * The worker runs the TypeScript sources like the rest of the ledger, or the compiled file next to this
 * one, as the parallel rebuild starts its workers (libs/projections/src/rebuild/parallel-rebuild.ts): not
 * through @swc-node/register (it loads the TypeScript compiler, about a second of a core per thread) but
 * compiled with @swc/core directly, with the path aliases of tsconfig.base.json.
 */
function spawnVerifyWorker(data: VerifyWorkerData): Worker {
  const file = join(__dirname, `verify-worker${extname(__filename)}`);
  return new Worker(workerSource(file), {
    eval: true,
    workerData: data,
    execArgv: [],
    // One stream's state, a fingerprint table and a bounded list of findings: a small old generation
    // makes V8 collect instead of growing the heap, so memory stays flat however long the log.
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
}
