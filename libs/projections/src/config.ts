/**
 * Where the read side keeps its data, from the settings (docs/architecture.md §1; the variables are declared
 * once in @hz/config). One helper, so the API, the projector and the CLI agree on file names.
 */
import { join, resolve } from 'node:path';
import {
  EVENT_STORE_KINDS,
  PROJECTOR_MODES,
  READ_STORE_KINDS,
  readEnvironment,
  STORE_VARIABLES,
  type Environment,
  type StoreSettings,
} from '@hz/config';

export const EVENT_STORE_FILE_NAME = 'ledger.db';
export const READ_MODELS_FILE_NAME = 'read-models.db';

export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];
export type ReadStoreKind = (typeof READ_STORE_KINDS)[number];
export type ProjectorMode = (typeof PROJECTOR_MODES)[number];

export interface ReadSideConfig {
  readonly dataDir: string;
  readonly eventStore: EventStoreKind;
  readonly readStore: ReadStoreKind;
  /** `<dataDir>/ledger.db` (used when eventStore = sqlite). */
  readonly eventStoreFile: string;
  /** `<dataDir>/read-models.db` (used when readStore = sqlite). */
  readonly readModelsFile: string;
  readonly databaseUrl: string | undefined;
  /** LEDGER_PROJECTOR: 'in-process' (default) runs the projector inside ledger-api; 'external' leaves it to apps/projector. */
  readonly projector: ProjectorMode;
  /** LEDGER_MIN_POSITION_WAIT_MS: how long a query with X-Min-Position waits (default 5000, at most 30000). */
  readonly minPositionWaitMs: number;
}

export class ReadSideConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadSideConfigError';
  }
}

/**
 * The read side the settings name. The apps read the environment once through @hz/config's schema (same
 * names, defaults and messages everywhere) and pass the settings here; this library never reads process.env.
 */
export function readSideConfigOf(settings: StoreSettings): ReadSideConfig {
  const dataDir = resolve(settings.LEDGER_DATA_DIR);
  const { LEDGER_EVENT_STORE: eventStore, LEDGER_READ_STORE: readStore } = settings;
  const databaseUrl = settings.DATABASE_URL;
  if ((eventStore === 'postgres' || readStore === 'postgres') && databaseUrl === undefined) {
    throw new ReadSideConfigError(
      'DATABASE_URL is required when LEDGER_EVENT_STORE or LEDGER_READ_STORE is postgres',
    );
  }
  return {
    dataDir,
    eventStore,
    readStore,
    projector: settings.LEDGER_PROJECTOR,
    databaseUrl,
    minPositionWaitMs: settings.LEDGER_MIN_POSITION_WAIT_MS,
    eventStoreFile: join(dataDir, EVENT_STORE_FILE_NAME),
    readModelsFile: join(dataDir, READ_MODELS_FILE_NAME),
  };
}

/** readSideConfigOf for a plain record of variables (tests, the CLI's environment), parsed by the schema. */
export function readSideConfigFromEnv(env: Environment): ReadSideConfig {
  const { settings, problems } = readEnvironment(env, STORE_VARIABLES);
  if (problems[0] !== undefined) throw new ReadSideConfigError(problems[0]);
  return readSideConfigOf(settings);
}
