/**
 * The projector on its own (LEDGER_PROJECTOR=external in ledger-api): follows the event log and keeps
 * the read models current, checkpointed with the rows. Configuration comes from the same environment as
 * ledger-api (LEDGER_DATA_DIR, LEDGER_EVENT_STORE, LEDGER_READ_STORE, DATABASE_URL,
 * EVENTSTORE_CONNECTION_STRING), through the same library parsers, so it opens the stores the API
 * writes, whichever they are. Stops cleanly on SIGINT/SIGTERM.
 *
 *   node -r @swc-node/register apps/projector/src/main.ts           follow the log
 *   node -r @swc-node/register apps/projector/src/main.ts rebuild   build a new generation, switch, follow
 */
import { createEventStore, describeEventStore, EventStoreConfigError, eventStoreConfigFromEnv, type EventStore } from '@hz/event-store';
import { describeReadStore, openReadStore, ProjectionSupervisor, readSideConfigFromEnv, ReadSideConfigError, type ReadStore } from '@hz/projections';

async function main(argv: readonly string[]): Promise<void> {
  // Both parsed before anything is opened: a configuration mistake exits 2 without touching a store.
  const eventsConfig = eventStoreConfigFromEnv();
  const readSide = readSideConfigFromEnv();
  const events = await createEventStore(eventsConfig);
  let reads: ReadStore;
  try {
    reads = await openReadStore(readSide);
  } catch (error) {
    await events.close();
    throw error;
  }
  const log = (message: string) => process.stdout.write(`projector: ${message}\n`);
  const supervisor = new ProjectionSupervisor(events, reads, { log });
  await supervisor.start();
  log(`following ${describeEventStore(eventsConfig)} into ${describeReadStore(readSide)} (generation ${supervisor.status().generation})`);
  if (argv[0] === 'rebuild') {
    const rebuilt = await supervisor.rebuild();
    log(`rebuilt generation ${rebuilt.generation} at position ${rebuilt.checkpoint.position}`);
  }
  stopOnSignals(supervisor, reads, events, log);
}

function stopOnSignals(supervisor: ProjectionSupervisor, reads: ReadStore, events: EventStore, log: (message: string) => void): void {
  const shutdown = async (signal: string): Promise<void> => {
    log(`${signal}: stopping at position ${supervisor.status().checkpoint ?? 0n}`);
    await supervisor.stop();
    await reads.close();
    await events.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`projector failed: ${message}\n`);
  process.exit(error instanceof ReadSideConfigError || error instanceof EventStoreConfigError ? 2 : 1);
});
