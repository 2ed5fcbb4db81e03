/**
 * Runs the projections for an application (in-process) or for apps/projector: picks the generation to
 * follow, restarts the follower after a failure with a bounded backoff, and rebuilds a new generation
 * beside the live one, switching readers over atomically once it has caught up.
 */
import { SqliteEventStore, type EventStore } from '@hz/event-store';
import { defaultRebuildWorkers, rebuildInParallel } from '../rebuild/parallel-rebuild';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import type { Checkpoint, GenerationInfo, ReadStore } from '../store/read-store';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import { describeError, sleep } from './abortable';

export interface ProjectorStatus {
  readonly running: boolean;
  readonly generation: number | undefined;
  readonly checkpoint: bigint | undefined;
  readonly rebuilding: {
    readonly generation: number;
    readonly checkpoint: bigint | undefined;
  } | null;
  readonly error: string | null;
}

export interface SupervisorOptions extends ProjectionRunnerOptions {
  readonly restartDelayMaxMs?: number;
  readonly log?: (message: string) => void;
  /**
   * Worker threads of a rebuild (default: the machine's cores; issue 13). More than 1 runs the parallel
   * rebuild (../rebuild/parallel-rebuild.ts) when both stores are SQLite files and the default catalogs
   * are used; 1, or any other set-up, runs the sequential runner.
   */
  readonly rebuildWorkers?: number;
}

export class ProjectionSupervisor {
  private runner: ProjectionRunner | undefined;
  private builder: ProjectionRunner | undefined;
  private controller: AbortController | undefined;
  private loopDone: Promise<void> | undefined;
  private lastError: string | null = null;
  private rebuildInFlight: Promise<GenerationInfo> | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly options: SupervisorOptions = {},
  ) {}

  /** Starts following the active generation (creating the first one); rebuilds first if its schema is old. */
  async start(): Promise<void> {
    if (this.loopDone) return;
    const generations = await this.store.generations();
    const active = generations.find((g) => g.status === 'active');
    if (active === undefined) {
      const created = await this.store.createGeneration(PROJECTION_SCHEMA_VERSION);
      // An empty generation is a correct view of position 0; readers wait for more with X-Min-Position.
      await this.store.activate(created.generation, 0n);
      this.follow(new ProjectionRunner(this.events, this.store, created.generation, this.options));
      return;
    }
    this.follow(new ProjectionRunner(this.events, this.store, active.generation, this.options));
    if (active.schemaVersion !== PROJECTION_SCHEMA_VERSION) {
      this.log(
        `read models are schema ${active.schemaVersion}, code is ${PROJECTION_SCHEMA_VERSION}: rebuilding beside them`,
      );
      void this.rebuild().catch((error: unknown) =>
        this.log(`rebuild failed: ${describeError(error)}`),
      );
    }
  }

  async stop(): Promise<void> {
    await this.stopFollowing();
  }

  status(): ProjectorStatus {
    return {
      running: this.loopDone !== undefined,
      generation: this.runner?.generation,
      checkpoint: this.runner?.checkpoint?.position,
      rebuilding: this.builder
        ? { generation: this.builder.generation, checkpoint: this.builder.checkpoint?.position }
        : null,
      error: this.lastError,
    };
  }

  /**
   * Builds a new generation from position 0 beside the live one, then switches: the live follower
   * pauses only while the new generation takes the last events, and readers are served throughout.
   */
  rebuild(): Promise<GenerationInfo> {
    this.rebuildInFlight ??= this.rebuildOnce().finally(() => {
      this.rebuildInFlight = undefined;
      this.builder = undefined;
    });
    return this.rebuildInFlight;
  }

  private async rebuildOnce(): Promise<GenerationInfo> {
    const target = await this.buildFromScratch();
    const builder = new ProjectionRunner(this.events, this.store, target.generation, this.options);
    this.builder = builder;
    try {
      // Catches up what the parallel build did not read (appended meanwhile), or everything.
      await builder.catchUp();
      await this.stopFollowing();
      const checkpoint: Checkpoint = await builder.catchUp();
      const live = await this.store.activeCheckpoint();
      await this.store.activate(target.generation, live?.position ?? 0n);
      this.follow(builder);
      await this.dropOthers(live?.generation);
      this.log(`generation ${target.generation} is active at position ${checkpoint.position}`);
      return { ...target, status: 'active', checkpoint };
    } catch (error) {
      if (this.runner && !this.loopDone) this.follow(this.runner);
      await this.store.dropGeneration(target.generation).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A new generation: bulk-loaded by the parallel rebuild when it can run (SQLite files, issue 13), else
   * empty for the sequential runner to fill.
   */
  private async buildFromScratch(): Promise<GenerationInfo> {
    const workers = this.options.rebuildWorkers ?? defaultRebuildWorkers();
    const eventFile = this.events instanceof SqliteEventStore ? this.events.file : undefined;
    if (
      workers > 1 &&
      this.options.catalogs === undefined &&
      eventFile !== undefined &&
      eventFile !== ':memory:' &&
      eventFile !== '' &&
      this.store instanceof SqliteReadStore &&
      this.store.sharedFile
    ) {
      const built = await rebuildInParallel({
        eventFile,
        readStore: this.store,
        workers,
        batchSize: this.options.batchSize,
        applicantsCachedMax: this.options.applicantsCachedMax,
      });
      this.log(
        `generation ${built.generation} built by ${workers} workers: ${built.events} events`,
      );
      return {
        generation: built.generation,
        schemaVersion: PROJECTION_SCHEMA_VERSION,
        status: 'building',
        checkpoint: built.checkpoint,
      };
    }
    // Bulk load (issue 13): nobody reads the generation before the switch, activate adds its indexes.
    return this.store.createGeneration(PROJECTION_SCHEMA_VERSION, { bulkLoad: true });
  }

  /**
   * Keeps the active generation and `previous` (the one just retired, for readers that picked it right
   * before the switch); drops older retired ones and anything a crashed rebuild left half-built.
   */
  private async dropOthers(previous: number | undefined): Promise<void> {
    for (const g of await this.store.generations()) {
      if (g.status !== 'active' && g.generation !== previous)
        await this.store.dropGeneration(g.generation);
    }
  }

  private follow(runner: ProjectionRunner): void {
    this.runner = runner;
    const controller = new AbortController();
    this.controller = controller;
    this.loopDone = this.followLoop(runner, controller.signal);
  }

  private async followLoop(runner: ProjectionRunner, signal: AbortSignal): Promise<void> {
    let delayMs = 100;
    const delayMaxMs = this.options.restartDelayMaxMs ?? 5000;
    while (!signal.aborted) {
      try {
        // The error of a failed run is cleared as soon as the runner follows again (docs/operations.md:
        // /health/ready shows the current error, not a stale one).
        await runner.follow(signal, () => {
          this.lastError = null;
          delayMs = 100;
        });
        this.lastError = null;
        // The subscription ended without being asked to (e.g. the store closed): do not spin.
        if (!signal.aborted) await sleep(delayMs, signal);
      } catch (error) {
        this.lastError = describeError(error);
        this.log(`projection runner failed, restarting in ${delayMs} ms: ${this.lastError}`);
        await sleep(delayMs, signal);
        delayMs = Math.min(delayMs * 2, delayMaxMs);
      }
    }
  }

  private async stopFollowing(): Promise<void> {
    this.controller?.abort();
    await this.loopDone;
    this.loopDone = undefined;
    this.controller = undefined;
  }

  private log(message: string): void {
    (this.options.log ?? (() => undefined))(message);
  }
}
