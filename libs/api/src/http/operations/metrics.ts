/**
 * Prometheus metrics through prom-client (docs/operations.md lists every family): the process and
 * Node defaults (event-loop lag, heap, GC), HTTP requests and their latency by route template (never the
 * raw path, so the label set stays bounded) and status class, command outcomes by command type and
 * refusal code, append latency and batch size, the log head, the embedded store's WAL and checkpoints, and
 * the projection lag. One registry per application instance (tests run several in one process), rendered
 * by GET /api/v1/metrics or by the separate port of LEDGER_METRICS_PORT.
 */
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppendOptions, AppendResult, EventStore, NewEvent, WalStatus } from '@hz/event-store';

/** Latency buckets (seconds) from a cached read to a slow PostgreSQL commit. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [0, 1, 2, 3, 5, 10, 25, 50, 100];

/** What a scrape learns about the log, its store and the projections right before rendering. */
export interface ScrapeSample {
  /** Global position of the last event in the log, when the store answered. */
  readonly headPosition?: bigint;
  /** Active generation's checkpoint, when the read store answered. */
  readonly checkpoint?: bigint;
  readonly generation?: number;
  readonly lagEvents?: bigint;
  readonly lagSeconds?: number;
  /** The embedded store's WAL and checkpoints (EventStore.walStatus), when the store reports them. */
  readonly wal?: WalStatus;
}

export type ScrapeHook = () => Promise<ScrapeSample>;

/**
 * Every family this process exports, in registration order: one entry a family (name, help, labels,
 * buckets), built by one loop in the constructor. docs/operations.md lists them for operators. A family
 * marked `sampled` is in the registry only while the scrape's sample has it (render), so a process
 * without it exports none of it, not even an unlabeled 0.
 */
const FAMILIES = {
  httpRequests: {
    kind: 'counter',
    name: 'ledger_http_requests_total',
    help: 'HTTP requests by method, route template and status.',
    labelNames: ['method', 'route', 'status'],
  },
  httpDuration: {
    kind: 'histogram',
    name: 'ledger_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status class (2xx, 4xx, 5xx).',
    labelNames: ['method', 'route', 'status_class'],
    buckets: LATENCY_BUCKETS,
  },
  commands: {
    kind: 'counter',
    name: 'ledger_commands_total',
    help: 'Recording commands by command type and outcome (accepted, refused, failed), with the refusal code (OK when accepted).',
    labelNames: ['command', 'outcome', 'code'],
  },
  eventsAppended: {
    kind: 'counter',
    name: 'ledger_events_appended_total',
    help: 'Events in successful appends by this process (idempotent replays included).',
  },
  appendFailures: {
    kind: 'counter',
    name: 'ledger_event_store_append_failures_total',
    help: 'Appends refused or failed (version conflicts included).',
  },
  appendDuration: {
    kind: 'histogram',
    name: 'ledger_event_store_append_duration_seconds',
    help: 'Latency of one append (one stream, one transaction) by outcome.',
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
  },
  appendBatch: {
    kind: 'histogram',
    name: 'ledger_event_store_append_batch_size',
    help: 'Events per successful append.',
    buckets: BATCH_BUCKETS,
  },
  rateLimited: {
    kind: 'counter',
    name: 'ledger_http_rate_limited_total',
    help: 'Requests refused with 429 by the rate limiter.',
  },
  rateLimitStorageErrors: {
    kind: 'counter',
    name: 'ledger_rate_limit_storage_errors_total',
    help: 'Requests let through because the rate-limit store (Redis) did not answer.',
  },
  headPosition: {
    kind: 'gauge',
    name: 'ledger_event_store_head_position',
    help: 'Global position of the last event in the log (at scrape time).',
  },
  walFrames: {
    kind: 'gauge',
    name: 'ledger_event_store_wal_frames',
    help: "Length of the embedded (SQLite) store's write-ahead log in frames, one page each (at scrape time).",
    sampled: true,
  },
  walFramesWaiting: {
    kind: 'gauge',
    name: 'ledger_event_store_wal_frames_waiting',
    help: 'WAL frames not yet copied back into the database file by a checkpoint (at scrape time).',
    sampled: true,
  },
  checkpoints: {
    kind: 'counter',
    name: 'ledger_event_store_checkpoints_total',
    help: 'WAL checkpoints by who ran them: the checkpointer thread, or the writer past the hard limit.',
    labelNames: ['by'],
    sampled: true,
  },
  checkpointerUp: {
    kind: 'gauge',
    name: 'ledger_event_store_checkpointer_up',
    help: 'The WAL checkpointer thread: 1 running, 0 failed or stopped (the writer then checkpoints past the hard limit).',
    sampled: true,
  },
  checkpoint: {
    kind: 'gauge',
    name: 'ledger_projection_checkpoint_position',
    help: 'Position the active read-model generation has projected up to.',
    labelNames: ['read_models'],
  },
  lagEvents: {
    kind: 'gauge',
    name: 'ledger_projection_lag_events',
    help: 'Events in the log not yet in the read models (head minus checkpoint).',
    labelNames: ['read_models'],
  },
  lagSeconds: {
    kind: 'gauge',
    name: 'ledger_projection_lag_seconds',
    help: 'Age of the oldest event not yet in the read models (0 when caught up).',
    labelNames: ['read_models'],
  },
} as const satisfies Record<string, FamilyDefinition>;

interface FamilyDefinition {
  readonly kind: 'counter' | 'gauge' | 'histogram';
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  readonly buckets?: readonly number[];
  /** Registered only while a scrape samples it (see FAMILIES). */
  readonly sampled?: true;
}

const KINDS = { counter: Counter, gauge: Gauge, histogram: Histogram } as const;

/** The prom-client metric an entry builds, typed by its kind and its label names. */
type LabelsOf<D> = D extends { readonly labelNames: readonly (infer L extends string)[] }
  ? L
  : string;
type Family<D> = D extends { readonly kind: 'counter' }
  ? Counter<LabelsOf<D>>
  : D extends { readonly kind: 'gauge' }
    ? Gauge<LabelsOf<D>>
    : Histogram<LabelsOf<D>>;

type Families = { readonly [F in keyof typeof FAMILIES]: Family<(typeof FAMILIES)[F]> };

function registerFamilies(registry: Registry): Families {
  const families: Record<string, unknown> = {};
  for (const [key, { kind, labelNames, buckets, sampled, ...named }] of Object.entries(
    FAMILIES,
  ) as [string, FamilyDefinition][]) {
    families[key] = new KINDS[kind]({
      ...named,
      labelNames: labelNames ?? [],
      ...(buckets === undefined ? {} : { buckets: [...buckets] }),
      registers: sampled ? [] : [registry],
    });
  }
  return families as Families;
}

@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly families: Families;
  private scrapeHook: ScrapeHook | undefined;
  /** The store's cumulative checkpoint counts the counter has taken in so far (render adds what is new). */
  private readonly checkpointsCounted = { thread: 0, writer: 0 };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ledger_' });
    this.families = registerFamilies(this.registry);
  }

  /** The health controller registers how to sample the log head, its WAL and the projection lag at scrape time. */
  onScrape(hook: ScrapeHook): void {
    this.scrapeHook = hook;
  }

  countRequest(method: string, route: string, status: number, durationSeconds?: number): void {
    this.families.httpRequests.inc({ method, route, status: String(status) });
    if (durationSeconds !== undefined)
      this.families.httpDuration.observe(
        { method, route, status_class: `${Math.floor(status / 100)}xx` },
        durationSeconds,
      );
  }

  countCommand(command: string, code: string | undefined, status: number): void {
    const outcome = status >= 500 ? 'failed' : code === undefined ? 'accepted' : 'refused';
    this.families.commands.inc({ command, outcome, code: code ?? 'OK' });
  }

  countAppended(events: number, durationSeconds: number): void {
    this.families.eventsAppended.inc(events);
    this.families.appendBatch.observe(events);
    this.families.appendDuration.observe({ outcome: 'ok' }, durationSeconds);
  }

  countAppendFailure(durationSeconds: number): void {
    this.families.appendFailures.inc();
    this.families.appendDuration.observe({ outcome: 'failed' }, durationSeconds);
  }

  countRateLimited(): void {
    this.families.rateLimited.inc();
  }

  countRateLimitStorageError(): void {
    this.families.rateLimitStorageErrors.inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    const sample = (await this.scrapeHook?.()) ?? {};
    const { headPosition, checkpoint, lagEvents, lagSeconds } = this.families;
    for (const gauge of [headPosition, checkpoint, lagEvents, lagSeconds]) gauge.reset();
    if (sample.headPosition !== undefined) headPosition.set(Number(sample.headPosition));
    // One checkpoint covers every read model of a generation (they commit together): one series each.
    const labels = {
      read_models: sample.generation === undefined ? 'none' : `generation-${sample.generation}`,
    };
    if (sample.checkpoint !== undefined) checkpoint.set(labels, Number(sample.checkpoint));
    if (sample.lagEvents !== undefined) lagEvents.set(labels, Number(sample.lagEvents));
    if (sample.lagSeconds !== undefined) lagSeconds.set(labels, sample.lagSeconds);
    this.setWal(sample.wal);
    return this.registry.metrics();
  }

  /**
   * The WAL families, only for a store that reports its WAL (SQLite files; docs/operations.md "Metrics"),
   * the checkpointer's only while it has a thread. The store counts checkpoints since it opened: the
   * counter grows by what is new since the last scrape and never goes down (a sample older than the last,
   * from concurrent scrapes, adds nothing).
   */
  private setWal(wal: WalStatus | undefined): void {
    const { walFrames, walFramesWaiting, checkpoints, checkpointerUp } = this.families;
    this.showFamily('walFrames', wal !== undefined);
    this.showFamily('walFramesWaiting', wal !== undefined);
    this.showFamily('checkpoints', wal !== undefined);
    this.showFamily('checkpointerUp', wal !== undefined && wal.checkpointerThread !== 'none');
    if (wal === undefined) return;
    walFrames.set(wal.frames);
    walFramesWaiting.set(wal.waiting);
    checkpointerUp.set(wal.checkpointerThread === 'running' ? 1 : 0);
    const counts = { thread: wal.threadCheckpoints, writer: wal.writerCheckpoints };
    for (const by of ['thread', 'writer'] as const) {
      const counted = this.checkpointsCounted[by];
      // inc by 0 too: both series exist from the first scrape on, so a rate sees the first checkpoint.
      checkpoints.inc({ by }, Math.max(0, counts[by] - counted));
      this.checkpointsCounted[by] = Math.max(counted, counts[by]);
    }
  }

  /** Puts a `sampled` family in the registry, or takes it out (its value kept for its return). */
  private showFamily(key: keyof typeof FAMILIES, shown: boolean): void {
    const { name } = FAMILIES[key];
    const registered = this.registry.getSingleMetric(name) !== undefined;
    if (shown && !registered) this.registry.registerMetric(this.families[key]);
    else if (!shown && registered) this.registry.removeSingleMetric(name);
  }
}

/** Wraps a store so that appends are counted and timed; everything else passes straight through. */
export function instrumentEventStore(store: EventStore, metrics: MetricsRegistry): EventStore {
  return {
    async appendToStream(
      streamId: string,
      events: readonly NewEvent[],
      options: AppendOptions,
    ): Promise<AppendResult> {
      const started = process.hrtime.bigint();
      const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await store.appendToStream(streamId, events, options);
        metrics.countAppended(events.length, seconds());
        return result;
      } catch (error) {
        metrics.countAppendFailure(seconds());
        throw error;
      }
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
    // Issue 12: the idempotency records commit with the appends, so they must be the wrapped store's.
    ...(store.records === undefined ? {} : { records: store.records }),
    // The metrics scrape reads the WAL of the store itself (SQLite files), not of this wrapper.
    ...(store.walStatus === undefined ? {} : { walStatus: () => store.walStatus?.() }),
  };
}
