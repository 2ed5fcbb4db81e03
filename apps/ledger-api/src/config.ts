/**
 * Configuration from the environment (docs/architecture.md §1), validated once at start-up. Every problem is
 * reported together, with the variable's name, so an operator fixes a deployment in one pass.
 */
import { isAbsolute, resolve } from 'node:path';
import { Money } from '@hz/money';
import { EventStoreConfigError } from '@hz/event-store';
import {
  MIN_POSITION_WAIT_DEFAULT_MS,
  MIN_POSITION_WAIT_MAX_MS,
  ReadSideConfigError,
} from '@hz/projections';
import { RATE_LIMIT_DEFAULT_PER_MINUTE, READY_MAX_LAG_EVENTS_DEFAULT } from '@hz/api';
import { storeSelectionOf } from './stores';
import { readOidcSettings, type OidcSettings } from './oidc/settings';

export type EventStoreKind = 'sqlite' | 'postgres' | 'eventstoredb';
export type ReadStoreKind = 'sqlite' | 'postgres';
export type ProjectorMode = 'in-process' | 'external';

export interface LedgerConfig {
  readonly port: number;
  readonly host: string;
  /** Absolute path where the embedded files live (ledger.db, jwt-secret). */
  readonly dataDir: string;
  readonly eventStore: EventStoreKind;
  readonly readStore: ReadStoreKind;
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
  /** REDIS_URL: shared rate-limit counters across replicas; absent = in memory, per process. */
  readonly redisUrl?: string;
  /** LEDGER_REDIS_KEY_PREFIX: prefix of the rate-limit keys in Redis (several deployments, or tests, on one Redis). */
  readonly redisKeyPrefix: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): LedgerConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const config: LedgerConfig = {
    port: parsePort(read('PORT') ?? '3000', problems),
    host: read('LEDGER_HOST') ?? '127.0.0.1',
    dataDir: resolveDir(read('LEDGER_DATA_DIR') ?? './data', cwd),
    eventStore: oneOf(
      'LEDGER_EVENT_STORE',
      read('LEDGER_EVENT_STORE') ?? 'sqlite',
      ['sqlite', 'postgres', 'eventstoredb'] as const,
      problems,
    ),
    readStore: oneOf(
      'LEDGER_READ_STORE',
      read('LEDGER_READ_STORE') ?? 'sqlite',
      ['sqlite', 'postgres'] as const,
      problems,
    ),
    projector: oneOf(
      'LEDGER_PROJECTOR',
      read('LEDGER_PROJECTOR') ?? 'in-process',
      ['in-process', 'external'] as const,
      problems,
    ),
    minPositionWaitMs: parseWait(
      read('LEDGER_MIN_POSITION_WAIT_MS') ?? String(MIN_POSITION_WAIT_DEFAULT_MS),
      problems,
    ),
    databaseUrl: read('DATABASE_URL'),
    eventStoreConnectionString: read('EVENTSTORE_CONNECTION_STRING'),
    oidc: readOidcSettings(read, problems),
    jwt: {
      secret: read('LEDGER_JWT_SECRET'),
      issuer: read('LEDGER_JWT_ISSUER'),
      audience: read('LEDGER_JWT_AUDIENCE'),
      jwksUrl: read('LEDGER_JWKS_URL'),
    },
    countersignThreshold: parseThreshold(
      read('LEDGER_COUNTERSIGN_THRESHOLD') ?? '500000.00',
      problems,
    ),
    bodyLimit: read('LEDGER_BODY_LIMIT') ?? '256kb',
    rateLimitPerMinute: parseRateLimit(
      read('LEDGER_RATE_LIMIT_PER_MINUTE') ?? String(RATE_LIMIT_DEFAULT_PER_MINUTE),
      problems,
    ),
    dashboardDir: resolveDir(read('LEDGER_DASHBOARD_DIR') ?? 'dist/apps/dashboard', cwd),
    logLevel: oneOf('LEDGER_LOG_LEVEL', read('LEDGER_LOG_LEVEL') ?? 'info', LOG_LEVELS, problems),
    metricsToken: read('LEDGER_METRICS_TOKEN'),
    metricsPort:
      read('LEDGER_METRICS_PORT') === undefined
        ? undefined
        : parsePort(read('LEDGER_METRICS_PORT') ?? '', problems, 'LEDGER_METRICS_PORT'),
    readyMaxLagEvents: parseCount(
      'LEDGER_READY_MAX_LAG_EVENTS',
      read('LEDGER_READY_MAX_LAG_EVENTS') ?? String(READY_MAX_LAG_EVENTS_DEFAULT),
      problems,
    ),
    redisUrl: read('REDIS_URL'),
    redisKeyPrefix: read('LEDGER_REDIS_KEY_PREFIX') ?? 'ledger:rate-limit:',
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
  if (config.jwt.secret !== undefined && Buffer.byteLength(config.jwt.secret) < 32) {
    problems.push('LEDGER_JWT_SECRET must be at least 32 bytes (e.g. `openssl rand -base64 48`)');
  }
  if (config.jwt.jwksUrl !== undefined && !/^https?:\/\//.test(config.jwt.jwksUrl))
    problems.push('LEDGER_JWKS_URL must be an http(s) URL');
  if (config.metricsToken !== undefined && Buffer.byteLength(config.metricsToken) < 16)
    problems.push('LEDGER_METRICS_TOKEN must be at least 16 bytes');
  if (config.redisUrl !== undefined && !/^rediss?:\/\//.test(config.redisUrl))
    problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  if (!/^[1-9][0-9]{0,5}(b|kb|mb)$/i.test(config.bodyLimit))
    problems.push('LEDGER_BODY_LIMIT must look like 256kb or 1mb');
}

function parsePort(text: string, problems: string[], name = 'PORT'): number {
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535))
    problems.push(`${name} must be an integer 0..65535 (0 = any free port), got "${text}"`);
  return port;
}

function parseCount(name: string, text: string, problems: string[]): number {
  const count = /^[0-9]{1,12}$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(count)) problems.push(`${name} must be a non-negative integer, got "${text}"`);
  return Number.isNaN(count) ? 0 : count;
}

function oneOf<T extends string>(
  name: string,
  value: string,
  allowed: readonly T[],
  problems: string[],
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return allowed[0] as T;
}

function parseWait(text: string, problems: string[]): number {
  const wait = /^[0-9]{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(wait >= 0 && wait <= MIN_POSITION_WAIT_MAX_MS))
    problems.push(
      `LEDGER_MIN_POSITION_WAIT_MS must be an integer 0..${MIN_POSITION_WAIT_MAX_MS}, got "${text}"`,
    );
  return Number.isNaN(wait) ? MIN_POSITION_WAIT_DEFAULT_MS : wait;
}

/** Upper bound of LEDGER_RATE_LIMIT_PER_MINUTE; beyond it, disable the limiter with 0 instead. */
export const RATE_LIMIT_MAX_PER_MINUTE = 1_000_000;

function parseRateLimit(text: string, problems: string[]): number {
  const limit = /^[0-9]{1,7}$/.test(text) ? Number(text) : NaN;
  if (limit >= 0 && limit <= RATE_LIMIT_MAX_PER_MINUTE) return limit;
  problems.push(
    `LEDGER_RATE_LIMIT_PER_MINUTE must be an integer 0..${RATE_LIMIT_MAX_PER_MINUTE} (0 disables rate limiting), got "${text}"`,
  );
  return RATE_LIMIT_DEFAULT_PER_MINUTE;
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
