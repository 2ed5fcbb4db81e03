/**
 * The projector on its own (LEDGER_PROJECTOR=external in ledger-api): follows the event log and keeps
 * the read models current, checkpointed with the rows. Configuration comes from the same environment as
 * ledger-api (LEDGER_DATA_DIR, LEDGER_EVENT_STORE, LEDGER_READ_STORE). Stops cleanly on SIGINT/SIGTERM.
 *
 *   node -r @swc-node/register apps/projector/src/main.ts           follow the log
 *   node -r @swc-node/register apps/projector/src/main.ts rebuild   build a new generation, switch, follow
 */
import { openSqliteEventStore, type EventStore } from '@hz/event-store';
import { openReadStore, ProjectionSupervisor, readSideConfigFromEnv, ReadSideConfigError, type ReadSideConfig } from '@hz/projections';

async function openEventStore(config: ReadSideConfig): Promise<EventStore> {
  if (config.eventStore === 'sqlite') return openSqliteEventStore({ file: config.eventStoreFile });
  throw new ReadSideConfigError(`LEDGER_EVENT_STORE=${config.eventStore} is not wired into the projector yet; use sqlite`);
}

async function main(argv: readonly string[]): Promise<void> {
  const config = readSideConfigFromEnv();
  const events = await openEventStore(config);
  const reads = await openReadStore(config);
  const log = (message: string) => process.stdout.write(`projector: ${message}\n`);
  const supervisor = new ProjectionSupervisor(events, reads, { log });
  await supervisor.start();
  log(`following ${config.eventStoreFile} into ${config.readModelsFile} (generation ${supervisor.status().generation})`);
  if (argv[0] === 'rebuild') {
    const rebuilt = await supervisor.rebuild();
    log(`rebuilt generation ${rebuilt.generation} at position ${rebuilt.checkpoint.position}`);
  }
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
  process.exit(error instanceof ReadSideConfigError ? 2 : 1);
});
