/**
 * ledger-api's configuration (docs/architecture.md §1), from the one environment schema (@hz/config),
 * validated once at start-up. Every problem is reported together, with the variable's name, so an operator
 * fixes a deployment in one pass.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { Money } from '@hz/money';
import { EventStoreConfigError } from '@hz/event-store';
import { ReadSideConfigError } from '@hz/projections';
import {
  ConfigError,
  givenText,
  LOG_LEVELS,
  RATE_LIMIT_MAX_PER_MINUTE,
  readEnvironment,
  type HttpAdapterName,
  type LogLevelName,
  type VariableName,
} from '@hz/config';
import { storeSelectionOf } from './stores';
import { readOidcSettings, type OidcSettings } from './oidc/settings';

export type EventStoreKind = 'sqlite' | 'postgres' | 'eventstoredb';
export type ReadStoreKind = 'sqlite' | 'postgres';
export type ProjectorMode = 'in-process' | 'external';

export interface LedgerConfig {
  readonly port: number;
  readonly host: string;
  /** LEDGER_HTTP_ADAPTER: the Nest platform serving HTTP (express or fastify; issue 12). */
  readonly httpAdapter?: HttpAdapterName;
  /** Absolute path where the embedded files live (ledger.db, jwt-secret). */
  readonly dataDir: string;
  readonly eventStore: EventStoreKind;
  readonly readStore: ReadStoreKind;
  /** LEDGER_SQLITE_SYNCHRONOUS: FULL (default, power-cut durable) or NORMAL for the embedded event store. */
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  /** LEDGER_GROUP_COMMIT: one transaction per batch of concurrent appends (default on; `thread`: on a writer thread; issue 12). */
  readonly groupCommit?: 'on' | 'off' | 'thread';
  /** LEDGER_SQLITE_CHECKPOINT: the embedded event store's WAL checkpoints inline (default) or on a checkpointer thread. */
  readonly sqliteCheckpoint?: 'inline' | 'thread';
  /** LEDGER_WRITE_QUEUE_LIMIT: appends waiting past it are answered 503 LEDGER.OVERLOADED. */
  readonly writeQueueLimit?: number;
  /** LEDGER_PROJECTOR: run the projector inside ledger-api (default) or leave it to apps/projector. */
  readonly projector: ProjectorMode;
  /** LEDGER_MIN_POSITION_WAIT_MS: how long a query with X-Min-Position may wait. */
  readonly minPositionWaitMs: number;
  readonly databaseUrl?: string;
  readonly eventStoreConnectionString?: string;
  /** Sign-in: an external OpenID Connect provider or the embedded development one (src/oidc/settings.ts). */
  readonly oidc: OidcSettings;
  readonly jwt: {
    /** From LEDGER_JWT_SECRET; when absent and no JWKS is set, the data dir's generated secret is used. */
    readonly secret?: string;
    readonly issuer?: string;
    readonly audience?: string;
    readonly jwksUrl?: string;
  };
  /** Approvals of this amount or more wait for a second reviewer (2-digit string). */
  readonly countersignThreshold: string;
  readonly bodyLimit: string;
  /** LEDGER_RATE_LIMIT_PER_MINUTE: requests per minute (and burst) per actor or client IP; 0 = no limit. */
  readonly rateLimitPerMinute: number;
  /** Built dashboard served at / when the folder exists. */
  readonly dashboardDir: string;
  /** LEDGER_LOG_LEVEL: pino level of the JSON log lines (docs/operations.md). */
  readonly logLevel: LogLevelName;
  /** LEDGER_METRICS_TOKEN: bearer token GET /api/v1/metrics then requires. */
  readonly metricsToken?: string;
  /** LEDGER_METRICS_PORT: serve the metrics on this port (same host) instead of /api/v1/metrics. */
  readonly metricsPort?: number;
  /** LEDGER_READY_MAX_LAG_EVENTS: /health/ready is 503 beyond this projection lag. */
  readonly readyMaxLagEvents: number;
  /** LEDGER_JOBS_MAX_CONCURRENT: verify/export jobs running at once (issue 13). */
  readonly maxConcurrentJobs: number;
  /** LEDGER_JOBS_DIR: job records and results; default `<dataDir>/jobs`. */
  readonly jobsDir: string;
  /** REDIS_URL: shared rate-limit counters across replicas; absent = in memory, per process. */
  readonly redisUrl?: string;
  /** LEDGER_REDIS_KEY_PREFIX: prefix of the rate-limit keys in Redis (several deployments, or tests, on one Redis). */
  readonly redisKeyPrefix: string;
}

export { ConfigError, LOG_LEVELS, RATE_LIMIT_MAX_PER_MINUTE, type LogLevelName };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The environment, read once through the one schema (@hz/config, libs/config/src/environment.ts): each
 * variable parsed with its default, then the checks across variables and the store libraries' own.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): LedgerConfig {
  const { settings, problems: found } = readEnvironment(env);
  const problems = [...found];
  const read = (name: VariableName): string | undefined => givenText(env, name);
  const config: LedgerConfig = {
    port: settings.PORT,
    host: settings.LEDGER_HOST,
    httpAdapter: settings.LEDGER_HTTP_ADAPTER,
    dataDir: resolveDir(settings.LEDGER_DATA_DIR, cwd),
    eventStore: settings.LEDGER_EVENT_STORE,
    readStore: settings.LEDGER_READ_STORE,
    sqliteSynchronous: settings.LEDGER_SQLITE_SYNCHRONOUS,
    groupCommit: settings.LEDGER_GROUP_COMMIT,
    sqliteCheckpoint: settings.LEDGER_SQLITE_CHECKPOINT,
    writeQueueLimit: settings.LEDGER_WRITE_QUEUE_LIMIT,
    projector: settings.LEDGER_PROJECTOR,
    minPositionWaitMs: settings.LEDGER_MIN_POSITION_WAIT_MS,
    databaseUrl: settings.DATABASE_URL,
    eventStoreConnectionString: settings.EVENTSTORE_CONNECTION_STRING,
    oidc: readOidcSettings(read, settings, problems),
    jwt: {
      secret: settings.LEDGER_JWT_SECRET,
      issuer: settings.LEDGER_JWT_ISSUER,
      audience: settings.LEDGER_JWT_AUDIENCE,
      jwksUrl: settings.LEDGER_JWKS_URL,
    },
    countersignThreshold: parseThreshold(settings.LEDGER_COUNTERSIGN_THRESHOLD, problems),
    bodyLimit: settings.LEDGER_BODY_LIMIT,
    rateLimitPerMinute: settings.LEDGER_RATE_LIMIT_PER_MINUTE,
    dashboardDir: resolveDir(settings.LEDGER_DASHBOARD_DIR, cwd),
    logLevel: settings.LEDGER_LOG_LEVEL,
    metricsToken: settings.LEDGER_METRICS_TOKEN,
    metricsPort: settings.LEDGER_METRICS_PORT,
    readyMaxLagEvents: settings.LEDGER_READY_MAX_LAG_EVENTS,
    maxConcurrentJobs: settings.LEDGER_JOBS_MAX_CONCURRENT,
    jobsDir: resolveDir(settings.LEDGER_JOBS_DIR ?? join(settings.LEDGER_DATA_DIR, 'jobs'), cwd),
    redisUrl: settings.REDIS_URL,
    redisKeyPrefix: settings.LEDGER_REDIS_KEY_PREFIX,
  };
  checkConsistency(config, problems);
  // The libraries' own checks (URL shapes and the like), once the settings above are coherent.
  if (problems.length === 0) checkStoreSelection(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function checkStoreSelection(config: LedgerConfig, problems: string[]): void {
  try {
    storeSelectionOf(config);
  } catch (error) {
    if (!(error instanceof EventStoreConfigError || error instanceof ReadSideConfigError))
      throw error;
    problems.push(error.message);
  }
}

function checkConsistency(config: LedgerConfig, problems: string[]): void {
  const needsDatabase = config.eventStore === 'postgres' || config.readStore === 'postgres';
  if (needsDatabase && !config.databaseUrl)
    problems.push(
      'DATABASE_URL is required when LEDGER_EVENT_STORE or LEDGER_READ_STORE is postgres',
    );
  if (config.eventStore === 'eventstoredb' && !config.eventStoreConnectionString) {
    problems.push('EVENTSTORE_CONNECTION_STRING is required when LEDGER_EVENT_STORE=eventstoredb');
  }
  // EventStoreDB's $all is the ledger's log only (the projector refuses other event types), so the
  // HTTP idempotency records, which every replica must share, live in PostgreSQL (schema idempotency).
  if (config.eventStore === 'eventstoredb' && !config.databaseUrl) {
    problems.push(
      'DATABASE_URL is required when LEDGER_EVENT_STORE=eventstoredb: the idempotency records every replica shares live in PostgreSQL',
    );
  }
  // After the store checks, as operators have always read it (the specs pin the order).
  if (config.jwt.secret !== undefined && Buffer.byteLength(config.jwt.secret) < 32) {
    problems.push('LEDGER_JWT_SECRET must be at least 32 bytes (e.g. `openssl rand -base64 48`)');
  }
}

function parseThreshold(text: string, problems: string[]): string {
  const parsed = Money.tryParse(text);
  if (parsed.ok) return parsed.value.toString();
  problems.push(
    `LEDGER_COUNTERSIGN_THRESHOLD must be an amount such as 500000.00: ${parsed.error.message}`,
  );
  return '500000.00';
}

function resolveDir(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
