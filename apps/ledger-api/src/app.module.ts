/**
 * The ledger-api composition root: infrastructure instances made by server.ts (the store must be open
 * before Nest starts) are handed to Nest as values under the tokens of libs/api/src/tokens.ts.
 */
import {
  DynamicModule,
  Global,
  Inject,
  Module,
  Optional,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AuthModule, type AuthConfig } from '@hz/auth';
import type { Clock, EventStore } from '@hz/event-store';
import type { PolicyCatalog, PolicySchedule } from '@hz/policy';
import type { ProjectionSupervisor, ReadStore } from '@hz/projections';
import {
  AuditHttpModule,
  CATALOG,
  POLICIES,
  CLOCK,
  EVENT_STORE,
  IDEMPOTENCY_STORE,
  LEDGER_CONFIG,
  LEDGER_SERVICE,
  LedgerHttpModule,
  MetricsRegistry,
  OPERATIONS_OPTIONS,
  PROJECTION_RUNNER,
  ProjectionsQueryModule,
  READ_STORE,
  STORES_IN_USE,
} from '@hz/api';
import type { LedgerService } from '@hz/application';
import type { LedgerConfig } from './config';
import { storesInUseOf, type ReadSide } from './stores';

export interface AppDependencies {
  readonly config: LedgerConfig;
  /** Already instrumented for metrics. */
  readonly store: EventStore;
  readonly idempotencyStore: EventStore;
  readonly ledger: LedgerService;
  readonly catalog: PolicyCatalog;
  /** The catalog versions with their effective dates (docs/policy.md §11). */
  readonly policies: PolicySchedule;
  readonly clock: Clock;
  readonly metrics: MetricsRegistry;
  readonly auth: AuthConfig;
  readonly readSide: ReadSide;
}

@Global()
@Module({})
class LedgerInfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotencyStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Optional() @Inject(PROJECTION_RUNNER) private readonly projector?: ProjectionSupervisor,
  ) {}

  static forRoot(dependencies: AppDependencies): DynamicModule {
    const providers = [
      { provide: LEDGER_CONFIG, useValue: dependencies.config },
      { provide: EVENT_STORE, useValue: dependencies.store },
      { provide: IDEMPOTENCY_STORE, useValue: dependencies.idempotencyStore },
      { provide: LEDGER_SERVICE, useValue: dependencies.ledger },
      { provide: CATALOG, useValue: dependencies.catalog },
      { provide: POLICIES, useValue: dependencies.policies },
      { provide: CLOCK, useValue: dependencies.clock },
      { provide: MetricsRegistry, useValue: dependencies.metrics },
      { provide: STORES_IN_USE, useValue: storesInUseOf(dependencies.config) },
      {
        provide: OPERATIONS_OPTIONS,
        useValue: {
          readyMaxLagEvents: dependencies.config.readyMaxLagEvents,
          metricsToken: dependencies.config.metricsToken,
          metricsPort: dependencies.config.metricsPort,
        },
      },
    ];
    return {
      module: LedgerInfrastructureModule,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }

  /**
   * The projector reads the event store and writes the read store, so it must stop before either closes;
   * Nest does not promise an order between modules' hooks, hence the explicit stop here (stopping twice
   * is harmless). The app opened every store (server.ts), so the app closes them, each once, here.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.projector?.stop();
    await this.readStore.close();
    await this.idempotencyStore.close();
    await this.store.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(dependencies: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LedgerInfrastructureModule.forRoot(dependencies),
        AuthModule.forRoot(dependencies.auth),
        LedgerHttpModule,
        // GET /claims (queue) and /projections/*; runs the projector in-process unless LEDGER_PROJECTOR=external.
        ProjectionsQueryModule.forRoot({
          ...dependencies.readSide,
          minPositionWaitMs: dependencies.config.minPositionWaitMs,
        }),
        AuditHttpModule.register({
          dataDir: dependencies.config.dataDir,
          jobsDir: dependencies.config.jobsDir,
          maxConcurrentJobs: dependencies.config.maxConcurrentJobs,
        }),
      ],
    };
  }
}
