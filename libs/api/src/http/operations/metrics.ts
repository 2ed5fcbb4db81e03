/**
 * Prometheus metrics through prom-client (docs/operations.md lists every family): the process and
 * Node defaults (event-loop lag, heap, GC), HTTP requests and their latency by route template (never the
 * raw path, so the label set stays bounded) and status class, command outcomes by command type and
 * refusal code, append latency and batch size, the log head and the projection lag. One registry per
 * application instance (tests run several in one process), rendered by GET /api/v1/metrics or by the
 * separate port of LEDGER_METRICS_PORT.
 */
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppendOptions, AppendResult, EventStore, NewEvent } from '@hz/event-store';

/** Latency buckets (seconds) from a cached read to a slow PostgreSQL commit. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [0, 1, 2, 3, 5, 10, 25, 50, 100];

/** What a scrape learns about the projections right before rendering (see ProjectionLagProbe). */
export interface ProjectionLagSample {
  /** Global position of the last event in the log, when the store answered. */
  readonly headPosition?: bigint;
  /** Active generation's checkpoint, when the read store answered. */
  readonly checkpoint?: bigint;
  readonly generation?: number;
  readonly lagEvents?: bigint;
  readonly lagSeconds?: number;
}

export type ScrapeHook = () => Promise<ProjectionLagSample>;

@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  private readonly commands: Counter<'command' | 'outcome' | 'code'>;
  private readonly eventsAppended: Counter;
  private readonly appendFailures: Counter;
  private readonly appendDuration: Histogram<'outcome'>;
  private readonly appendBatch: Histogram;
  private readonly rateLimited: Counter;
  private readonly rateLimitStorageErrors: Counter;
  private readonly headPosition: Gauge;
  private readonly lagEvents: Gauge<'read_models'>;
  private readonly lagSeconds: Gauge<'read_models'>;
  private readonly checkpoint: Gauge<'read_models'>;
  private scrapeHook: ScrapeHook | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ledger_' });
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'ledger_http_requests_total',
      help: 'HTTP requests by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'ledger_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status class (2xx, 4xx, 5xx).',
      labelNames: ['method', 'route', 'status_class'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.commands = new Counter({
      name: 'ledger_commands_total',
      help: 'Recording commands by command type and outcome (accepted, refused, failed), with the refusal code (OK when accepted).',
      labelNames: ['command', 'outcome', 'code'],
      registers,
    });
    this.eventsAppended = new Counter({
      name: 'ledger_events_appended_total',
      help: 'Events in successful appends by this process (idempotent replays included).',
      registers,
    });
    this.appendFailures = new Counter({
      name: 'ledger_event_store_append_failures_total',
      help: 'Appends refused or failed (version conflicts included).',
      registers,
    });
    this.appendDuration = new Histogram({
      name: 'ledger_event_store_append_duration_seconds',
      help: 'Latency of one append (one stream, one transaction) by outcome.',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.appendBatch = new Histogram({
      name: 'ledger_event_store_append_batch_size',
      help: 'Events per successful append.',
      buckets: BATCH_BUCKETS,
      registers,
    });
    this.rateLimited = new Counter({
      name: 'ledger_http_rate_limited_total',
      help: 'Requests refused with 429 by the rate limiter.',
      registers,
    });
    this.rateLimitStorageErrors = new Counter({
      name: 'ledger_rate_limit_storage_errors_total',
      help: 'Requests let through because the rate-limit store (Redis) did not answer.',
      registers,
    });
    this.headPosition = new Gauge({
      name: 'ledger_event_store_head_position',
      help: 'Global position of the last event in the log (at scrape time).',
      registers,
    });
    this.checkpoint = new Gauge({
      name: 'ledger_projection_checkpoint_position',
      help: 'Position the active read-model generation has projected up to.',
      labelNames: ['read_models'],
      registers,
    });
    this.lagEvents = new Gauge({
      name: 'ledger_projection_lag_events',
      help: 'Events in the log not yet in the read models (head minus checkpoint).',
      labelNames: ['read_models'],
      registers,
    });
    this.lagSeconds = new Gauge({
      name: 'ledger_projection_lag_seconds',
      help: 'Age of the oldest event not yet in the read models (0 when caught up).',
      labelNames: ['read_models'],
      registers,
    });
  }

  /** The health controller registers how to sample the log head and the projection lag at scrape time. */
  onScrape(hook: ScrapeHook): void {
    this.scrapeHook = hook;
  }

  countRequest(method: string, route: string, status: number, durationSeconds?: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    if (durationSeconds !== undefined)
      this.httpDuration.observe(
        { method, route, status_class: `${Math.floor(status / 100)}xx` },
        durationSeconds,
      );
  }

  countCommand(command: string, code: string | undefined, status: number): void {
    const outcome = status >= 500 ? 'failed' : code === undefined ? 'accepted' : 'refused';
    this.commands.inc({ command, outcome, code: code ?? 'OK' });
  }

  countAppended(events: number, durationSeconds: number): void {
    this.eventsAppended.inc(events);
    this.appendBatch.observe(events);
    this.appendDuration.observe({ outcome: 'ok' }, durationSeconds);
  }

  countAppendFailure(durationSeconds: number): void {
    this.appendFailures.inc();
    this.appendDuration.observe({ outcome: 'failed' }, durationSeconds);
  }

  countRateLimited(): void {
    this.rateLimited.inc();
  }

  countRateLimitStorageError(): void {
    this.rateLimitStorageErrors.inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    const sample = (await this.scrapeHook?.()) ?? {};
    this.headPosition.reset();
    this.checkpoint.reset();
    this.lagEvents.reset();
    this.lagSeconds.reset();
    if (sample.headPosition !== undefined) this.headPosition.set(Number(sample.headPosition));
    // One checkpoint covers every read model of a generation (they commit together): one series each.
    const labels = {
      read_models: sample.generation === undefined ? 'none' : `generation-${sample.generation}`,
    };
    if (sample.checkpoint !== undefined) this.checkpoint.set(labels, Number(sample.checkpoint));
    if (sample.lagEvents !== undefined) this.lagEvents.set(labels, Number(sample.lagEvents));
    if (sample.lagSeconds !== undefined) this.lagSeconds.set(labels, sample.lagSeconds);
    return this.registry.metrics();
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
  };
}
