/**
 * Every environment variable the product reads, declared once (docs/architecture.md §1, docs/operations.md
 * "Environment"): name, type, default and what it does. ledger-api, apps/projector and the CLI read the
 * environment through `readEnvironment` once at start-up and pass the values on; no library reads
 * `process.env`. The table in docs/operations.md is generated from this list (environment-table.ts).
 */
import {
  integer,
  matching,
  oneOf,
  port,
  seconds,
  secret,
  SettingProblem,
  text,
  url,
  type Variable,
} from './variables';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const EVENT_STORE_KINDS = ['sqlite', 'postgres', 'eventstoredb'] as const;
export const READ_STORE_KINDS = ['sqlite', 'postgres'] as const;
export const PROJECTOR_MODES = ['in-process', 'external'] as const;

/** Upper bound of LEDGER_RATE_LIMIT_PER_MINUTE; beyond it, disable the limiter with 0 instead. */
export const RATE_LIMIT_MAX_PER_MINUTE = 1_000_000;
/** Upper bound of LEDGER_MIN_POSITION_WAIT_MS. */
export const MIN_POSITION_WAIT_MAX_MS = 30_000;

/** In the order problems are reported; the groups follow docs/operations.md. */
export const ENVIRONMENT = {
  PORT: port({ default: '3000', doc: 'Port ledger-api listens on (0 = any free port).' }),
  LEDGER_HOST: text({ default: '127.0.0.1', doc: 'Address ledger-api listens on.' }),
  LEDGER_DATA_DIR: text(
    {
      default: './data',
      doc: 'Folder of the embedded files (ledger.db, read-models.db, secrets), relative to the working directory.',
    },
    'path',
  ),
  LEDGER_EVENT_STORE: oneOf(EVENT_STORE_KINDS, {
    default: 'sqlite',
    doc: "The ledger's event store: the embedded SQLite file, PostgreSQL (DATABASE_URL) or EventStoreDB.",
  }),
  LEDGER_READ_STORE: oneOf(READ_STORE_KINDS, {
    default: 'sqlite',
    doc: 'Where the read models live: the embedded SQLite file or PostgreSQL (DATABASE_URL).',
  }),
  LEDGER_PROJECTOR: oneOf(PROJECTOR_MODES, {
    default: 'in-process',
    doc: 'Run the projector inside ledger-api, or leave it to apps/projector.',
  }),
  LEDGER_MIN_POSITION_WAIT_MS: integer(
    { min: 0, max: MIN_POSITION_WAIT_MAX_MS, digits: 6 },
    `an integer 0..${MIN_POSITION_WAIT_MAX_MS}`,
    {
      default: '5000',
      doc: 'How long a query with X-Min-Position may wait for the read models (ms).',
    },
  ),
  DATABASE_URL: text(
    {
      secret: true,
      doc: 'PostgreSQL for the events, the read models or the idempotency records beside EventStoreDB.',
    },
    'URL',
  ),
  EVENTSTORE_CONNECTION_STRING: text(
    { doc: 'EventStoreDB connection string (esdb://...), with LEDGER_EVENT_STORE=eventstoredb.' },
    'URL',
  ),
  LEDGER_DEV_OIDC: text(
    {
      default: '0',
      doc: 'Embedded development sign-in at /oidc: 1 on, dev on but refused in production, 0 off.',
    },
    '`0` \\| `1` \\| `dev`',
  ),
  LEDGER_DEV_OIDC_TOKEN_TTL: seconds({
    default: '600',
    doc: "Lifetime of the embedded provider's access and ID tokens (s).",
  }),
  LEDGER_DEV_OIDC_SESSION_TTL: seconds({
    default: '28800',
    doc: "Lifetime of the embedded provider's sign-in session and refresh token (s).",
  }),
  LEDGER_OIDC_ISSUER: text({ doc: "An external OpenID Connect provider's issuer URL." }, 'URL'),
  LEDGER_OIDC_CLIENT_ID: text({ doc: "The dashboard's public (PKCE) client at that provider." }),
  LEDGER_OIDC_AUDIENCE: text({
    doc: '`aud` the API requires in access tokens (default: the client id).',
  }),
  LEDGER_OIDC_SCOPE: text({
    default: 'openid profile',
    doc: 'What the dashboard asks the provider for.',
  }),
  LEDGER_OIDC_RESOURCE: text({ doc: 'A `resource` parameter for providers that need one.' }),
  LEDGER_OIDC_JWKS_URL: text(
    { doc: "The provider's keys (default: jwks_uri of its discovery document)." },
    'URL',
  ),
  LEDGER_OIDC_ROLES_CLAIM: text({ default: 'roles', doc: 'Token claim holding the roles.' }),
  LEDGER_OIDC_APPLICANT_CLAIM: text({
    default: 'applicant',
    doc: "Token claim holding an applicant's USCC.",
  }),
  LEDGER_PUBLIC_URL: text({ doc: 'The URL browsers reach the service at, behind a proxy.' }, 'URL'),
  NODE_ENV: text({ doc: '`production` refuses LEDGER_DEV_OIDC=dev.' }),
  LEDGER_JWT_SECRET: text(
    {
      secret: true,
      doc: 'HS256 secret (32+ bytes) of the single-provider setup; else `<data dir>/jwt-secret` is generated.',
    },
    'secret',
  ),
  LEDGER_JWT_ISSUER: text({
    doc: '`iss` required in tokens (single-provider setup, `ledger token`).',
  }),
  LEDGER_JWT_AUDIENCE: text({
    doc: '`aud` required in tokens (single-provider setup, `ledger token`).',
  }),
  LEDGER_JWKS_URL: url(/^https?:\/\//, 'an http(s) URL', {
    doc: 'Keys of the single-provider setup without sign-in.',
  }),
  LEDGER_COUNTERSIGN_THRESHOLD: text(
    { default: '500000.00', doc: 'Approvals of this amount or more wait for a second reviewer.' },
    'amount',
  ),
  LEDGER_BODY_LIMIT: matching(/^[1-9][0-9]{0,5}(b|kb|mb)$/i, 'look like 256kb or 1mb', {
    default: '256kb',
    doc: 'Largest request body.',
  }),
  LEDGER_RATE_LIMIT_PER_MINUTE: integer(
    { min: 0, max: RATE_LIMIT_MAX_PER_MINUTE, digits: 7 },
    `an integer 0..${RATE_LIMIT_MAX_PER_MINUTE} (0 disables rate limiting)`,
    {
      default: '6000',
      doc: 'Requests per minute (and burst) per actor or client IP; 0 = no limit.',
    },
  ),
  LEDGER_DASHBOARD_DIR: text(
    {
      default: 'dist/apps/dashboard',
      doc: 'The built dashboard, served at / when the folder exists.',
    },
    'path',
  ),
  LEDGER_LOG_LEVEL: oneOf(LOG_LEVELS, { default: 'info', doc: 'Level of the JSON log lines.' }),
  LEDGER_METRICS_TOKEN: secret(16, '', {
    doc: 'Bearer token GET /api/v1/metrics then requires.',
  }),
  LEDGER_METRICS_PORT: port({
    doc: 'Serve the metrics on this port (same host) instead of /api/v1/metrics.',
  }),
  LEDGER_READY_MAX_LAG_EVENTS: integer(
    { min: 0, max: 999_999_999_999, digits: 12 },
    'a non-negative integer',
    { default: '10000', doc: '/health/ready is 503 beyond this projection lag (events).' },
  ),
  REDIS_URL: url(/^rediss?:\/\//, 'a redis:// or rediss:// URL', {
    secret: true,
    doc: 'Shared rate-limit counters across replicas; unset = in memory, per process.',
  }),
  LEDGER_REDIS_KEY_PREFIX: text({
    default: 'ledger:rate-limit:',
    doc: 'Prefix of the rate-limit keys in Redis.',
  }),
  LEDGER_PROJECTOR_LEASE_TTL_MS: integer(
    { min: 300, max: 9_999_999, digits: 7 },
    'an integer of at least 300 (ms)',
    {
      default: '5000',
      doc: "apps/projector: how long a dead leader's lease keeps the standbys waiting (ms).",
    },
  ),
} as const satisfies Readonly<Record<string, Variable<unknown>>>;

export type VariableName = keyof typeof ENVIRONMENT;
type Schema = typeof ENVIRONMENT;

/** The parsed environment: a value for every variable, undefined only where it has no default and is unset. */
export type Settings = {
  readonly [K in VariableName]: Schema[K] extends { readonly default: string }
    ? ReturnType<Schema[K]['parse']>
    : ReturnType<Schema[K]['parse']> | undefined;
};

export type Environment = Readonly<Record<string, string | undefined>>;

/** Every problem of a configuration at once, one line each naming the variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The variable's text as given: trimmed, and an empty value counts as unset. */
export function givenText(env: Environment, name: VariableName): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The given text, else the schema's default (unparsed): for callers that leave validation to a library. */
export function textOrDefault(env: Environment, name: VariableName): string | undefined {
  const variable: Variable<unknown> = ENVIRONMENT[name];
  return givenText(env, name) ?? variable.default;
}

/**
 * Reads `names` (default: every variable) from `env` once: defaults applied, each value parsed. A refused
 * value is reported in `problems` and replaced by its default, so that checks across variables still run.
 */
export function readEnvironment(
  env: Environment,
  names: readonly VariableName[] = Object.keys(ENVIRONMENT) as VariableName[],
): { readonly settings: Settings; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const settings: Record<string, unknown> = {};
  for (const name of names) {
    const variable: Variable<unknown> = ENVIRONMENT[name];
    const given = givenText(env, name);
    const fallback =
      variable.default === undefined ? undefined : variable.parse(variable.default, name);
    try {
      settings[name] = given === undefined ? fallback : variable.parse(given, name);
    } catch (error) {
      if (!(error instanceof SettingProblem)) throw error;
      problems.push(error.message);
      settings[name] = fallback;
    }
  }
  return { settings: settings as Settings, problems };
}

/** readEnvironment that throws one ConfigError listing every problem. */
export function loadEnvironment(env: Environment, names?: readonly VariableName[]): Settings {
  const { settings, problems } = readEnvironment(env, names);
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}
