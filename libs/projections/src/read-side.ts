/**
 * One call for an application that serves the read side: the configured ReadStore and, unless the
 * projector runs as its own process (LEDGER_PROJECTOR=external), the in-process supervisor that keeps it
 * current. The caller starts the supervisor (ProjectionsQueryModule does on bootstrap) and stops it.
 */
import type { EventStore } from '@hz/event-store';
import type { ReadSideConfig } from './config';
import { openReadStore } from './open-read-store';
import { ProjectionSupervisor, type SupervisorOptions } from './runner/projection-supervisor';
import type { ReadStore } from './store/read-store';

export interface ReadSide {
  readonly config: ReadSideConfig;
  readonly readStore: ReadStore;
  readonly runner: ProjectionSupervisor | undefined;
}

export async function createReadSide(
  config: ReadSideConfig,
  events: EventStore,
  options: SupervisorOptions = {},
): Promise<ReadSide> {
  const readStore = await openReadStore(config);
  const runner =
    config.projector === 'in-process'
      ? new ProjectionSupervisor(events, readStore, options)
      : undefined;
  return { config, readStore, runner };
}
