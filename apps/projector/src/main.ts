/**
 * The projector on its own (LEDGER_PROJECTOR=external in ledger-api): follows the event log and keeps
 * the read models current, checkpointed with the rows. Configuration comes from the same environment as
 * ledger-api (LEDGER_DATA_DIR, LEDGER_EVENT_STORE, LEDGER_READ_STORE, DATABASE_URL,
 * EVENTSTORE_CONNECTION_STRING), through the same library parsers, so it opens the stores the API
 * writes, whichever they are. Stops cleanly on SIGINT/SIGTERM, releasing its lease.
 *
 * Run two or more for failover (docs/operations.md): one holds the lease in the read store and projects,
 * the others stand by; LEDGER_PROJECTOR_LEASE_TTL_MS (default 5000) bounds how long a dead or stalled
 * leader keeps them waiting. Every line is JSON (pino), at LEDGER_LOG_LEVEL (default info).
 *
 *   node -r @swc-node/register apps/projector/src/main.ts           follow the log (or stand by)
 *   node -r @swc-node/register apps/projector/src/main.ts rebuild   once leader: build a new generation, switch, follow
 */
import {
  createEventStore,
  describeEventStore,
  EventStoreConfigError,
  EVENT_STORE_VARIABLES,
  eventStoreConfigOf,
  type EventStore,
} from '@hz/event-store';
import {
  describeReadStore,
  openProjectorLease,
  openReadStore,
  ProjectorLeader,
  projectorHolderId,
  readSideConfigOf,
  ReadSideConfigError,
  type ProjectorLease,
  type ReadSideConfig,
  type ReadStore,
} from '@hz/projections';
import { ConfigError, loadEnvironment, STORE_VARIABLES } from '@hz/config';
import type { Logger } from 'pino';
import { projectorLogger } from './logger';

async function main(argv: readonly string[]): Promise<void> {
  // The environment is read once, through the one schema (@hz/config), and everything parsed before
  // anything is opened: a configuration mistake exits 2 without touching a store.
  const settings = loadEnvironment(process.env, [
    ...EVENT_STORE_VARIABLES,
    ...STORE_VARIABLES,
    'LEDGER_PROJECTOR_LEASE_TTL_MS',
    'LEDGER_LOG_LEVEL',
  ]);
  const eventsConfig = eventStoreConfigOf(settings);
  const readSide = readSideConfigOf(settings);
  const ttlMs = settings.LEDGER_PROJECTOR_LEASE_TTL_MS;
  const logger = projectorLogger(settings.LEDGER_LOG_LEVEL);
  const events = await createEventStore(eventsConfig);
  let reads: ReadStore;
  let lease: ProjectorLease;
  const holder = projectorHolderId();
  try {
    reads = await openReadStore(withIdleTransactionTimeout(readSide, 2 * ttlMs));
    lease = await openProjectorLease(readSide, { ttlMs, holder });
  } catch (error) {
    await events.close();
    throw error;
  }
  const where = `${describeEventStore(eventsConfig)} into ${describeReadStore(readSide)}`;
  const leader: ProjectorLeader = new ProjectorLeader(events, reads, lease, {
    ttlMs,
    log: (message) => logger.info({ event: 'projector.message' }, message),
    onEvent: (event) => {
      const status = leader.status();
      if (event.event === 'lease.acquired') {
        logger.info(
          { ...event, holder, generation: status.projector?.generation },
          `following ${where} (lease epoch ${event.epoch})`,
        );
      } else if (event.event === 'lease.error') {
        logger.warn({ ...event, holder }, `lease: ${event.message}`);
      } else {
        logger.warn(
          { ...event, holder },
          `lease epoch ${event.epoch}: ${event.event === 'lease.lost' ? event.reason : 'released'}; standing by`,
        );
      }
    },
  });
  logger.info(
    { event: 'projector.started', holder, leaseTtlMs: ttlMs },
    `projector started on ${where}: projects while it holds the lease, stands by otherwise`,
  );
  leader.start();
  if (argv[0] === 'rebuild') void rebuildWhenLeader(leader, logger);
  stopOnSignals(leader, lease, reads, events, logger);
}

/**
 * On PostgreSQL, a projector stopped (SIGSTOP, a frozen VM) inside a batch transaction would hold that
 * transaction's row locks, and with them its successor's commits, for as long as it stays stopped: the
 * server ends such a session after twice the lease TTL instead (docs/operations.md).
 */
function withIdleTransactionTimeout(config: ReadSideConfig, timeoutMs: number): ReadSideConfig {
  if (config.readStore !== 'postgres' || config.databaseUrl === undefined) return config;
  const url = new URL(config.databaseUrl);
  if (url.searchParams.has('options')) return config;
  url.searchParams.set('options', `-c idle_in_transaction_session_timeout=${timeoutMs}`);
  return { ...config, databaseUrl: url.toString() };
}

async function rebuildWhenLeader(leader: ProjectorLeader, logger: Logger): Promise<void> {
  while (leader.status().role === 'standby' || leader.status().projector?.running !== true)
    await new Promise((resolve) => setTimeout(resolve, 100));
  if (leader.status().role !== 'leader') return;
  try {
    const rebuilt = await leader.rebuild();
    logger.info(
      {
        event: 'projector.rebuilt',
        generation: rebuilt.generation,
        position: rebuilt.checkpoint.position.toString(),
      },
      `rebuilt generation ${rebuilt.generation} at position ${rebuilt.checkpoint.position}`,
    );
  } catch (error) {
    logger.error(
      {
        event: 'projector.rebuild_failed',
        message: error instanceof Error ? error.message : String(error),
      },
      'rebuild failed',
    );
  }
}

function stopOnSignals(
  leader: ProjectorLeader,
  lease: ProjectorLease,
  reads: ReadStore,
  events: EventStore,
  logger: Logger,
): void {
  const shutdown = async (signal: string): Promise<void> => {
    const position = leader.status().projector?.checkpoint ?? 0n;
    logger.info(
      { event: 'projector.stopping', signal, position: position.toString() },
      `${signal}: stopping at position ${position}`,
    );
    await leader.stop();
    await lease.close();
    await reads.close();
    await events.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  projectorLogger('info', 2).fatal(
    { event: 'projector.failed', message },
    `projector failed: ${message}`,
  );
  process.exit(
    error instanceof ReadSideConfigError ||
      error instanceof EventStoreConfigError ||
      error instanceof ConfigError
      ? 2
      : 1,
  );
});
