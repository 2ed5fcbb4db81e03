/**
 * Opens the event store the environment names. Kept in one place so that the CLI, the HTTP audit module
 * and the benches agree on it.
 */
import { existsSync } from 'node:fs';
import { openReadStore, readSideConfigFromEnv, type ReadStore } from '@hz/projections';
import {
  createEventStore,
  eventStoreConfigFromEnv,
  type EventStore,
  type EventStoreConfig,
} from '@hz/event-store';
import { embeddedLedgerExists, sqliteEventsFile, type LedgerEnv } from './ledger-env';

export class LedgerNotFound extends Error {
  constructor(readonly location: string) {
    super(`no ledger at ${location}: set LEDGER_DATA_DIR, or create one with "ledger demo"`);
    this.name = 'LedgerNotFound';
  }
}

/**
 * Opens the configured event store through the event-store factory (same variables, same validation as
 * the service); refuses (LedgerNotFound) to create an empty embedded file unless asked to.
 */
export async function openLedgerEventStore(
  ledgerEnv: LedgerEnv,
  options: { create: boolean },
): Promise<EventStore> {
  if (!options.create && !embeddedLedgerExists(ledgerEnv))
    throw new LedgerNotFound(sqliteEventsFile(ledgerEnv));
  return createEventStore(storeConfigOf(ledgerEnv));
}

/** The factory's config, with the data dir already resolved against the CLI's working directory. */
function storeConfigOf(ledgerEnv: LedgerEnv): EventStoreConfig {
  return eventStoreConfigFromEnv({ ...ledgerEnv.env, LEDGER_DATA_DIR: ledgerEnv.dataDir });
}

/** What an audit command works on: the event store, and the live read store when there is one. */
export interface LedgerContext {
  readonly ledgerEnv: LedgerEnv;
  readonly eventStore: EventStore;
  /** The service's read models; undefined when none was ever built (the embedded file is absent). */
  readonly liveReadStore: ReadStore | undefined;
  close(): Promise<void>;
}

export async function openLedgerContext(
  ledgerEnv: LedgerEnv,
  options: { create: boolean },
): Promise<LedgerContext> {
  const eventStore = await openLedgerEventStore(ledgerEnv, options);
  let liveReadStore: ReadStore | undefined;
  try {
    liveReadStore = await openLiveReadStore(ledgerEnv);
  } catch (error) {
    await eventStore.close();
    throw error;
  }
  return {
    ledgerEnv,
    eventStore,
    liveReadStore,
    close: async () => {
      await liveReadStore?.close();
      await eventStore.close();
    },
  };
}

/** Opens the read store the service uses, through the projections' own config, without creating one. */
async function openLiveReadStore(ledgerEnv: LedgerEnv): Promise<ReadStore | undefined> {
  const config = readSideConfigFromEnv({ ...ledgerEnv.env, LEDGER_DATA_DIR: ledgerEnv.dataDir });
  if (config.readStore === 'sqlite' && !existsSync(config.readModelsFile)) return undefined;
  return openReadStore(config);
}
