/**
 * Keeps one generation of the read models current: reads the log from the generation's checkpoint,
 * evolves rows with the pure functions of ../model and commits each batch's rows WITH its checkpoint in
 * one ReadStore transaction. A crash between two commits loses nothing and counts nothing twice: the
 * next run starts from the stored checkpoint with a fresh working set.
 */
import type { EventStore, RecordedEvent } from '@hz/event-store';
import { nextWatermarkMs } from '../model/ledger-time';
import { toLedgerRecord } from '../model/ledger-record';
import { projectEvent } from '../model/project-event';
import { DEFAULT_CATALOGS, type CatalogLookup } from '../model/read-model';
import type { Checkpoint, ReadStore } from '../store/read-store';
import { readModelCommits } from '../store/wait-for-position';
import type { LeaseFence } from './projector-lease';
import { BatchBuilder } from './batch-builder';
import { eventBatches } from './event-batches';
import { RunnerState } from './runner-state';

/**
 * The applicant cache's default bound, chosen by measurement (issue 13): a sequential rebuild of the 1M
 * bench ledger (about 19,000 applicants) peaked at 796 MB with 50,000 (every applicant cached) and at
 * 534-542 MB with 2,000, for no more CPU (57.8-65.2 against 65.0 CPU-s): an evicted applicant comes back
 * with one loadApplicantWithoutClaims and the claims its batch names (runner-state.ts), cheaper than the
 * collector walking a heap of cached rows.
 */
export const APPLICANTS_CACHED_MAX = 2000;

export interface ProjectionRunnerOptions {
  /** Events per transaction while catching up (default 2000). */
  readonly batchSize?: number;
  /**
   * Longest a live event waits for its batch to fill (default 0: the batch closes as soon as the
   * subscription has nothing more ready, see follow()).
   */
  readonly flushDelayMs?: number;
  /**
   * Applicants whose rows stay in memory between batches (default APPLICANTS_CACHED_MAX, 2,000: the
   * parallel rebuild's per-worker bound; docs/benchmarks.md "Rebuild and replay in flat memory").
   */
  readonly applicantsCachedMax?: number;
  /**
   * Applicant ids a rebuild from position 0 remembers as new, so that it does not query the store for
   * them (default APPLICANTS_SEEN_MAX, runner-state.ts); past it every uncached applicant is loaded.
   */
  readonly applicantsSeenMax?: number;
  /** Called after each committed batch (metrics, progress lines). */
  readonly onCommit?: (checkpoint: Checkpoint, events: number) => void;
  /** The projector lease every commit must still hold (runner/projector-lease.ts); none for a lone projector. */
  readonly fence?: () => LeaseFence | undefined;
  /** The policy catalogs events are read under (default: the ones this build knows, @hz/policy). */
  readonly catalogs?: CatalogLookup;
}

export interface RunnerStats {
  readonly events: number;
  readonly batches: number;
}

export class ProjectionRunner {
  private state: RunnerState | undefined;
  private current: Checkpoint | undefined;
  private eventsProjected = 0;
  private batchesCommitted = 0;
  private readonly batchSize: number;
  private readonly flushDelayMs: number;
  private readonly applicantsCachedMax: number;
  private readonly applicantsSeenMax: number | undefined;
  private readonly onCommit: ((checkpoint: Checkpoint, events: number) => void) | undefined;
  private readonly fence: (() => LeaseFence | undefined) | undefined;
  private readonly catalogs: CatalogLookup;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    readonly generation: number,
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2000;
    this.flushDelayMs = options.flushDelayMs ?? 0;
    this.applicantsCachedMax = options.applicantsCachedMax ?? APPLICANTS_CACHED_MAX;
    this.applicantsSeenMax = options.applicantsSeenMax;
    this.onCommit = options.onCommit;
    this.fence = options.fence;
    this.catalogs = options.catalogs ?? DEFAULT_CATALOGS;
  }

  get checkpoint(): Checkpoint | undefined {
    return this.current;
  }

  get stats(): RunnerStats {
    return { events: this.eventsProjected, batches: this.batchesCommitted };
  }

  /** Projects everything the log holds now (pull, page by page) and returns the checkpoint reached. */
  async catchUp(): Promise<Checkpoint> {
    let checkpoint = await this.prepare();
    for (let page = 0; page < Number.MAX_SAFE_INTEGER; page += 1) {
      const events = await this.events.readAll({
        fromPosition: checkpoint.position,
        maxCount: this.batchSize,
      });
      if (events.length === 0) break;
      checkpoint = await this.projectBatch(events);
      await yieldToEventLoop();
    }
    return checkpoint;
  }

  /**
   * Follows the log (catch-up, then live) until `signal` aborts; errors are thrown to the supervisor.
   * Live, a batch closes when the subscription has nothing more ready (a page read in one go is one
   * batch; flushDelayMs 0 waits one timer turn for more): an idle projector commits a lone event at once,
   * so a reader waiting for its X-Min-Position is answered without a flush-delay floor (issue 12: the
   * 25 ms delay was the floor of that figure, docs/benchmarks.md). Under load it still batches: what
   * the log gains while one batch is projected and committed is the next batch.
   */
  async follow(signal: AbortSignal, onFollowing?: () => void): Promise<void> {
    const checkpoint = await this.prepare();
    const subscription = this.events.subscribeToAll({ fromPosition: checkpoint.position, signal });
    onFollowing?.();
    for await (const batch of eventBatches(subscription, {
      batchSize: this.batchSize,
      flushDelayMs: this.flushDelayMs,
    })) {
      if (batch.length > 0) await this.projectBatch(batch);
      if (signal.aborted) break;
      await yieldToEventLoop();
    }
  }

  private async prepare(): Promise<Checkpoint> {
    if (this.state && this.current) return this.current;
    const checkpoint = await this.store.checkpoint(this.generation);
    this.state = await RunnerState.load(
      this.store,
      this.generation,
      checkpoint.position === 0n,
      this.applicantsCachedMax,
      this.applicantsSeenMax,
    );
    this.current = checkpoint;
    return checkpoint;
  }

  private async projectBatch(recorded: readonly RecordedEvent[]): Promise<Checkpoint> {
    const state = this.state;
    const from = this.current;
    if (!state || !from) throw new Error('runner: projectBatch before prepare');
    try {
      const records = recorded.map(toLedgerRecord);
      await state.prepare(records);
      const builder = new BatchBuilder(this.generation, from);
      let watermarkMs = from.watermarkMs;
      for (const record of records) {
        if (record.position <= builder.checkpoint.position) continue; // a replayed page boundary: already counted
        watermarkMs = nextWatermarkMs(watermarkMs, record.metadata.recordedAt);
        const changes = projectEvent(state, record, watermarkMs, this.catalogs);
        state.apply(changes);
        builder.add(changes, { position: record.position, watermarkMs });
      }
      const fence = this.fence?.();
      await this.store.commit(fence ? { ...builder.build(), fence } : builder.build());
      this.current = builder.checkpoint;
      this.eventsProjected += records.length;
      this.batchesCommitted += 1;
      state.evict();
      // Readers waiting for an X-Min-Position re-check now (wait-for-position.ts), not on their next poll.
      readModelCommits.notifyAll();
      this.onCommit?.(builder.checkpoint, records.length);
      return builder.checkpoint;
    } catch (error) {
      // The working set may hold rows of the batch that was not committed: drop it, reload on the next run.
      this.state = undefined;
      this.current = undefined;
      throw error;
    }
  }
}

/**
 * A synchronous driver (SQLite) resolves every await at once, so a long catch-up would run as one
 * macrotask and starve the HTTP requests of an in-process API; one turn of the event loop per batch keeps
 * them served.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
