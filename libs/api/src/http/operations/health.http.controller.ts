/** Liveness, readiness and metrics: open routes for the orchestrator and the scraper. */
import { Controller, Get, Header, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@hz/auth';
import type { EventStore } from '@hz/event-store';
import { EVENT_STORE, PROJECTION_RUNNER, STORES_IN_USE, type StoresInUse } from '../../tokens';
import type { HttpResponseLike } from '../support/http-types';
import { IDEMPOTENCY_STORE } from '../idempotency/idempotency.service';
import { MetricsRegistry } from './metrics';
import { projectionReadiness, type ProjectionReadiness, type ProjectionStatusSource } from './projection-readiness';

/** A store that does not answer within this is not ready, whatever the reason. */
const STORE_TIMEOUT_MS = 2000;

@ApiExcludeController()
@Public()
@Controller()
export class HealthHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotencyStore: EventStore,
    private readonly metrics: MetricsRegistry,
    @Optional() @Inject(PROJECTION_RUNNER) private readonly projections?: ProjectionStatusSource,
    @Optional() @Inject(STORES_IN_USE) private readonly storesInUse?: StoresInUse,
  ) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res({ passthrough: true }) response: HttpResponseLike): Promise<{ status: string; stores?: StoresInUse; store: object; projections: ProjectionReadiness }> {
    const store = await reach(this.store);
    // Writes need the idempotency records as much as the ledger itself.
    const idempotency = await reach(this.idempotencyStore);
    const projections = projectionReadiness(this.projections, store.headPosition);
    const ok = store.reachable && idempotency.reachable && projections.ok;
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    const storeBody = { reachable: store.reachable, headPosition: store.headPosition?.toString() ?? null, idempotencyReachable: idempotency.reachable };
    return { status: ok ? 'ready' : 'not_ready', ...(this.storesInUse ? { stores: this.storesInUse } : {}), store: storeBody, projections };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    const store = await reach(this.store);
    return this.metrics.render(store.headPosition);
  }
}

async function reach(store: EventStore): Promise<{ reachable: boolean; headPosition?: bigint }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('store did not answer in time')), STORE_TIMEOUT_MS);
  });
  try {
    return { reachable: true, headPosition: await Promise.race([store.headPosition(), timeout]) };
  } catch {
    return { reachable: false };
  } finally {
    clearTimeout(timer);
  }
}
