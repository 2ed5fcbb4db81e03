/**
 * The projection-backed reads of the HTTP API (GET /claims, /projections/*) and, when given, the
 * in-process projector. The app passes the opened ReadStore (and the supervisor to run in-process):
 *
 *   ProjectionsQueryModule.forRoot({ readStore, runner, minPositionWaitMs })
 *
 * It provides READ_STORE and PROJECTION_RUNNER (for /health/ready), starts the runner on bootstrap and
 * stops it on shutdown; whoever opened the read store closes it (after Nest's shutdown hooks).
 * Authentication (AuthModule, global guard) and the exception filter come from the app.
 */
import {
  DynamicModule,
  Inject,
  Module,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import {
  MIN_POSITION_WAIT_DEFAULT_MS,
  type ProjectionSupervisor,
  type ReadStore,
} from '@hz/projections';
import { PROJECTION_RUNNER, READ_STORE } from '../tokens';
import { ApplicantSearchHttpController } from './applicant-search.http.controller';
import { ClaimsQueueHttpController } from './claims-queue.http.controller';
import { ProjectionsHttpController } from './projections.http.controller';
import { PROJECTION_QUERY_OPTIONS, ProjectionsQueryService } from './projections-query.service';

export interface ProjectionsQueryModuleOptions {
  readonly readStore: ReadStore;
  /** The in-process projector; omit when apps/projector runs it (LEDGER_PROJECTOR=external). */
  readonly runner?: ProjectionSupervisor;
  readonly minPositionWaitMs?: number;
}

@Module({})
export class ProjectionsQueryModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Optional() @Inject(PROJECTION_RUNNER) private readonly runner?: ProjectionSupervisor,
  ) {}

  static forRoot(options: ProjectionsQueryModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: READ_STORE, useValue: options.readStore },
      {
        provide: PROJECTION_QUERY_OPTIONS,
        useValue: { minPositionWaitMs: options.minPositionWaitMs ?? MIN_POSITION_WAIT_DEFAULT_MS },
      },
      ProjectionsQueryService,
      ...(options.runner ? [{ provide: PROJECTION_RUNNER, useValue: options.runner }] : []),
    ];
    return {
      module: ProjectionsQueryModule,
      global: true,
      controllers: [
        ClaimsQueueHttpController,
        ProjectionsHttpController,
        ApplicantSearchHttpController,
      ],
      providers,
      exports: [
        READ_STORE,
        ProjectionsQueryService,
        ...(options.runner ? [PROJECTION_RUNNER] : []),
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }
}
