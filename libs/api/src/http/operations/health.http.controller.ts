/**
 * Liveness, readiness and metrics: open routes for the orchestrator and the scraper (docs/operations.md).
 * /health/live only says the process answers; /health/ready checks every store this process needs and
 * the projection lag, afresh on each call (nothing cached, so a recovered store is ready again at once).
 */
import { Controller, Get, HttpStatus, Inject, Optional, Req, Res } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@hz/auth';
import type { EventStore } from '@hz/event-store';
import type { ReadStoreReader } from '@hz/projections';
import {
  EVENT_STORE,
  PROJECTION_RUNNER,
  READ_STORE,
  STORES_IN_USE,
  type StoresInUse,
} from '../../tokens';
import { ApiError } from '../errors/error-body';
import {
  headerValue,
  setResponseHeader,
  setResponseStatus,
  type HttpRequestLike,
  type HttpResponseLike,
} from '../support/http-types';
import { IDEMPOTENCY_STORE } from '../idempotency/idempotency.service';
import { MetricsRegistry, type ScrapeSample } from './metrics';
import {
  OPERATIONS_OPTIONS,
  READY_MAX_LAG_EVENTS_DEFAULT,
  type OperationsOptions,
} from './operations-options';
import {
  projectionReadiness,
  type ProjectionReadiness,
  type ProjectionStatusSource,
  type ReadSideSample,
} from './projection-readiness';

/** A store that does not answer within this is not ready, whatever the reason. */
const STORE_TIMEOUT_MS = 2000;

@ApiExcludeController()
@Public()
@Controller()
export class HealthHttpController {
  private readonly options: OperationsOptions;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotencyStore: EventStore,
    private readonly metrics: MetricsRegistry,
    @Optional() @Inject(PROJECTION_RUNNER) private readonly projections?: ProjectionStatusSource,
    @Optional() @Inject(STORES_IN_USE) private readonly storesInUse?: StoresInUse,
    @Optional() @Inject(READ_STORE) private readonly readStore?: ReadStoreReader,
    @Optional() @Inject(OPERATIONS_OPTIONS) options?: OperationsOptions,
  ) {
    this.options = options ?? {};
    metrics.onScrape(() => this.sample());
  }

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res({ passthrough: true }) response: HttpResponseLike): Promise<{
    status: string;
    stores?: StoresInUse;
    store: object;
    projections: ProjectionReadiness;
  }> {
    const [store, idempotency] = await Promise.all([
      reach(() => this.store.headPosition()),
      reach(() => this.idempotencyStore.headPosition()),
    ]);
    const readSide = await this.readSide(store.value);
    const projections = projectionReadiness(
      this.projections,
      store.value,
      readSide,
      this.options.readyMaxLagEvents ?? READY_MAX_LAG_EVENTS_DEFAULT,
    );
    // Writes need the idempotency records as much as the ledger itself.
    const ok = store.reachable && idempotency.reachable && projections.ok;
    setResponseStatus(response, ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    const storeBody = {
      reachable: store.reachable,
      headPosition: store.value?.toString() ?? null,
      idempotencyReachable: idempotency.reachable,
      readStoreReachable: readSide?.reachable ?? null,
    };
    return {
      status: ok ? 'ready' : 'not_ready',
      ...(this.storesInUse ? { stores: this.storesInUse } : {}),
      store: storeBody,
      projections,
    };
  }

  @Get('metrics')
  async metricsText(
    @Req() request: HttpRequestLike,
    @Res({ passthrough: true }) response: HttpResponseLike,
  ): Promise<string> {
    if (this.options.metricsPort !== undefined)
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'ROUTE.NOT_FOUND',
        'metrics are served on the metrics port',
      );
    if (
      this.options.metricsToken !== undefined &&
      !bearerMatches(headerValue(request, 'authorization'), this.options.metricsToken)
    ) {
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'AUTH.METRICS_TOKEN_REQUIRED',
        'the metrics need "Authorization: Bearer <LEDGER_METRICS_TOKEN>"',
      );
    }
    setResponseHeader(response, 'Content-Type', this.metrics.contentType);
    return this.metrics.render();
  }

  /** Head, the store's WAL (SQLite files), checkpoint and lag for the metrics scrape. */
  private async sample(): Promise<ScrapeSample> {
    const store = await reach(() => this.store.headPosition());
    const readSide = await this.readSide(store.value);
    const checkpoint = readSide?.checkpoint ?? this.projections?.status().checkpoint;
    const lagEvents =
      checkpoint !== undefined && store.value !== undefined
        ? store.value > checkpoint
          ? store.value - checkpoint
          : 0n
        : undefined;
    return {
      headPosition: store.value,
      checkpoint,
      generation: readSide?.generation,
      lagEvents,
      lagSeconds: lagEvents === undefined ? undefined : (readSide?.lagSeconds ?? 0),
      // A read of the -shm header on this thread, no query: nothing to time out.
      wal: this.store.walStatus?.(),
    };
  }

  /**
   * The active generation's checkpoint and, when behind, the age of the oldest event it has not
   * projected (the next one after the checkpoint), so the lag reads in seconds as well as in events.
   */
  private async readSide(
    head: bigint | undefined,
  ): Promise<(ReadSideSample & { generation?: number }) | undefined> {
    const readStore = this.readStore;
    if (readStore === undefined) return undefined;
    const active = await reach(() => readStore.activeCheckpoint());
    if (!active.reachable) return { reachable: false };
    const checkpoint = active.value?.position ?? 0n;
    let lagSeconds = 0;
    if (head !== undefined && head > checkpoint) {
      const next = await reach(() => this.store.readAll({ fromPosition: checkpoint, maxCount: 2 }));
      const oldest = next.value?.find((event) => event.position > checkpoint);
      if (oldest)
        lagSeconds = Math.max(0, (Date.now() - Date.parse(oldest.metadata.recordedAt)) / 1000);
    }
    return { reachable: true, checkpoint, generation: active.value?.generation, lagSeconds };
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function reach<T>(call: () => Promise<T>): Promise<{ reachable: boolean; value?: T }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('store did not answer in time')), STORE_TIMEOUT_MS);
  });
  try {
    return { reachable: true, value: await Promise.race([call(), timeout]) };
  } catch {
    return { reachable: false };
  } finally {
    clearTimeout(timer);
  }
}
