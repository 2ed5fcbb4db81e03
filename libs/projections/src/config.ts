/**
 * Where the read side keeps its data, from the environment (docs/architecture.md §1). One helper, so the API,
 * the projector and the CLI agree on file names.
 */
import { join, resolve } from 'node:path';
import { MIN_POSITION_WAIT_DEFAULT_MS, MIN_POSITION_WAIT_MAX_MS } from './store/wait-for-position';

export const EVENT_STORE_FILE_NAME = 'ledger.db';
export const READ_MODELS_FILE_NAME = 'read-models.db';

export type EventStoreKind = 'sqlite' | 'postgres' | 'eventstoredb';
export type ReadStoreKind = 'sqlite' | 'postgres';
export type ProjectorMode = 'in-process' | 'external';

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

export function readSideConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReadSideConfig {
  const dataDir = resolve(env['LEDGER_DATA_DIR'] || './data');
  const eventStore = oneOf(
    env,
    'LEDGER_EVENT_STORE',
    ['sqlite', 'postgres', 'eventstoredb'] as const,
    'sqlite',
  );
  const readStore = oneOf(env, 'LEDGER_READ_STORE', ['sqlite', 'postgres'] as const, 'sqlite');
  const projector = oneOf(
    env,
    'LEDGER_PROJECTOR',
    ['in-process', 'external'] as const,
    'in-process',
  );
  const databaseUrl = env['DATABASE_URL'] || undefined;
  if ((eventStore === 'postgres' || readStore === 'postgres') && databaseUrl === undefined) {
    throw new ReadSideConfigError(
      'DATABASE_URL is required when LEDGER_EVENT_STORE or LEDGER_READ_STORE is postgres',
    );
  }
  const waitText = env['LEDGER_MIN_POSITION_WAIT_MS'];
  const minPositionWaitMs =
    waitText === undefined || waitText === '' ? MIN_POSITION_WAIT_DEFAULT_MS : Number(waitText);
  if (
    !Number.isSafeInteger(minPositionWaitMs) ||
    minPositionWaitMs < 0 ||
    minPositionWaitMs > MIN_POSITION_WAIT_MAX_MS
  ) {
    throw new ReadSideConfigError(
      `LEDGER_MIN_POSITION_WAIT_MS must be an integer 0..${MIN_POSITION_WAIT_MAX_MS}, got "${waitText}"`,
    );
  }
  return {
    dataDir,
    eventStore,
    readStore,
    projector,
    databaseUrl,
    minPositionWaitMs,
    eventStoreFile: join(dataDir, EVENT_STORE_FILE_NAME),
    readModelsFile: join(dataDir, READ_MODELS_FILE_NAME),
  };
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ReadSideConfigError(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
}
