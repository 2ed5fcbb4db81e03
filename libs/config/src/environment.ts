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
export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];

/** Upper bound of LEDGER_RATE_LIMIT_PER_MINUTE; beyond it, disable the limiter with 0 instead. */
export const RATE_LIMIT_MAX_PER_MINUTE = 1_000_000;
/** Upper bound of LEDGER_MIN_POSITION_WAIT_MS. */
export const MIN_POSITION_WAIT_MAX_MS = 30_000;

/** In the order problems are reported; the groups follow docs/operations.md. */
export const ENVIRONMENT = {
  PORT: port({ default: '3000', doc: 'HTTP port of ledger-api (0 = any free port).' }),
  LEDGER_HOST: text({ default: '127.0.0.1', doc: 'Bind address of ledger-api.' }),
  LEDGER_HTTP_ADAPTER: oneOf(HTTP_ADAPTERS, {
    default: 'fastify',
    doc: 'The HTTP server under ledger-api\'s Nest app: Express (`@nestjs/platform-express`) or Fastify (`@nestjs/platform-fastify`); the same routes, middleware, limits and error bodies on both (issue 12, docs/benchmarks.md "ledger-api on Fastify").',
  }),
  LEDGER_DATA_DIR: text(
    {
      default: './data',
      doc: 'Where the embedded files live (`ledger.db`, `read-models.db`, `jwt-secret`), relative to the working directory.',
    },
    'path',
  ),
  LEDGER_EVENT_STORE: oneOf(EVENT_STORE_KINDS, {
    default: 'sqlite',
    doc: "The ledger's event store: the embedded SQLite file, PostgreSQL (`DATABASE_URL`) or an EventStoreDB cluster.",
  }),
  LEDGER_READ_STORE: oneOf(READ_STORE_KINDS, {
    default: 'sqlite',
    doc: 'Where the read models live: the embedded SQLite file or PostgreSQL (`DATABASE_URL`).',
  }),
  LEDGER_SQLITE_SYNCHRONOUS: oneOf(['FULL', 'NORMAL'] as const, {
    default: 'FULL',
    doc: "The embedded event store's `synchronous` pragma: `FULL` survives a power cut after every acknowledged write; `NORMAL` (WAL, never corrupt, may lose the last commits on a power cut) is for demos and benchmarks (`npm run bench -- http`).",
  }),
  LEDGER_GROUP_COMMIT: oneOf(['on', 'off', 'thread'] as const, {
    default: 'on',
    doc: 'Group commit of the SQLite and PostgreSQL event stores: the appends of one event-loop turn commit in one transaction (one fsync), each with its own revision check and outcome, answered only after the commit; `off` commits each append alone (benchmarks compare both); `thread` is `on` with the SQLite batches committed on a writer thread with its own connection (docs/architecture.md §4 "The writer thread"; the same as `on` on PostgreSQL).',
  }),
  LEDGER_SQLITE_CHECKPOINT: oneOf(['inline', 'thread'] as const, {
    default: 'thread',
    doc: "Where ledger-api's embedded event store copies its WAL back into `ledger.db`: `thread` (the default) runs the checkpoint on a checkpointer thread with its own connection, from 4000 WAL pages (docs/architecture.md §4 \"Checkpoints off the committing thread\"); `inline` is SQLite's automatic checkpoint inside the COMMIT that takes the WAL past 4000 pages, on the thread answering requests. In session 12's quiet runs the thread gave register a p99 of 41-48 ms against 59-68 inline at the same CPU per answer (docs/benchmarks.md). Durability is the same either way. Ignored with `LEDGER_GROUP_COMMIT=thread`.",
  }),
  LEDGER_WRITE_QUEUE_LIMIT: integer(
    { min: 1, max: 1_000_000, digits: 7 },
    'an integer 1..1000000',
    {
      default: '1024',
      doc: 'Appends that may wait for a group commit; past it a command is answered 503 `LEDGER.OVERLOADED` with `Retry-After`, never queued without bound.',
    },
  ),
  LEDGER_PROJECTOR: oneOf(PROJECTOR_MODES, {
    default: 'in-process',
    doc: '`external` leaves the read models to `apps/projector`; run two or more of those for failover (one active on a lease).',
  }),
  LEDGER_MIN_POSITION_WAIT_MS: integer(
    { min: 0, max: MIN_POSITION_WAIT_MAX_MS, digits: 6 },
    `an integer 0..${MIN_POSITION_WAIT_MAX_MS}`,
    {
      default: '5000',
      doc: 'How long a query with `X-Min-Position` may wait for the read models to reach it (ms).',
    },
  ),
  DATABASE_URL: text(
    {
      secret: true,
      doc: 'PostgreSQL connection string (postgres stores; with `eventstoredb` too, for the HTTP idempotency records).',
    },
    'URL',
  ),
  EVENTSTORE_CONNECTION_STRING: text(
    { doc: 'EventStoreDB connection string (`esdb://…`), with `LEDGER_EVENT_STORE=eventstoredb`.' },
    'URL',
  ),
  LEDGER_DEV_OIDC: text(
    {
      default: '0',
      doc: 'The embedded development provider at `/oidc` with seeded users: `1` on, `dev` on but refused (exit 2) with `NODE_ENV=production`, `0` off; exclusive with `LEDGER_OIDC_ISSUER`; `npm start` sets `dev` unless given.',
    },
    '`0` \\| `1` \\| `dev`',
  ),
  LEDGER_DEV_OIDC_TOKEN_TTL: seconds({
    default: '600',
    doc: 'Lifetime (s) of its access and ID tokens; the dashboard renews them with the refresh token.',
  }),
  LEDGER_DEV_OIDC_SESSION_TTL: seconds({
    default: '28800',
    doc: 'Lifetime (s) of its sign-in session, and so of the refresh token bound to it.',
  }),
  LEDGER_OIDC_ISSUER: text(
    {
      doc: "Issuer URL of the organisation's OpenID Connect provider; the dashboard signs in there (Authorization Code + PKCE) and the API accepts its access tokens (RS/PS/ES/EdDSA, JWKS).",
    },
    'URL',
  ),
  LEDGER_OIDC_CLIENT_ID: text({
    doc: "The dashboard's public client at that provider (redirect and post-logout URI: the dashboard's URL).",
  }),
  LEDGER_OIDC_AUDIENCE: text({
    doc: '`aud` the API requires in provider access tokens (default: the client id).',
  }),
  LEDGER_OIDC_SCOPE: text({
    default: 'openid profile',
    doc: 'Scopes the dashboard asks for (must include `openid`; add what makes your provider issue refresh tokens).',
  }),
  LEDGER_OIDC_RESOURCE: text({
    doc: 'A `resource` parameter for providers that need one to issue JWT access tokens for this API.',
  }),
  LEDGER_OIDC_JWKS_URL: text(
    { doc: "The provider's keys (default: the discovery document's `jwks_uri`)." },
    'URL',
  ),
  LEDGER_OIDC_ROLES_CLAIM: text({
    default: 'roles',
    doc: 'Claim with the ledger roles (array or space/comma-separated; a dotted path such as `realm_access.roles` reaches into objects); a token with none of the five roles is 401 `AUTH.CLAIMS_INVALID`.',
  }),
  LEDGER_OIDC_APPLICANT_CLAIM: text({
    default: 'applicant',
    doc: 'Claim with the 18-character USCC an applicant acts for (required with the `applicant` role).',
  }),
  LEDGER_PUBLIC_URL: text(
    {
      doc: "The URL browsers use (behind a proxy, or bound to 0.0.0.0); default the listening URL; the embedded provider's issuer is `<it>/oidc`.",
    },
    'URL',
  ),
  NODE_ENV: text({ doc: '`production` refuses `LEDGER_DEV_OIDC=dev`.' }),
  LEDGER_JWT_SECRET: text(
    {
      secret: true,
      doc: 'HS256 secret (32+ bytes) of script tokens (`ledger token`), else generated once into `<data>/jwt-secret`; with `LEDGER_OIDC_ISSUER`, script tokens are accepted only when it is set.',
    },
    'secret',
  ),
  LEDGER_JWT_ISSUER: text({
    doc: '`iss` of script tokens (`ledger token`), required by the API when set.',
  }),
  LEDGER_JWT_AUDIENCE: text({
    doc: '`aud` of script tokens (`ledger token`), required by the API when set.',
  }),
  LEDGER_JWKS_URL: url(/^https?:\/\//, 'an http(s) URL', {
    doc: 'Keys of a single token issuer without sign-in (instead of the HS256 secret).',
  }),
  LEDGER_COUNTERSIGN_THRESHOLD: text(
    { default: '500000.00', doc: 'Approvals at or above it wait for a second reviewer.' },
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
      doc: 'Requests in any sliding minute per actor (JWT `sub`), or per client IP without a valid token; per process, or shared with `REDIS_URL`; over it 429 `RATE_LIMIT.EXCEEDED` with `Retry-After`; never health or metrics; `0` disables.',
    },
  ),
  LEDGER_DASHBOARD_DIR: text(
    {
      default: 'dist/apps/dashboard',
      doc: 'The built dashboard, served at `/` when the folder exists.',
    },
    'path',
  ),
  LEDGER_LOG_LEVEL: oneOf(LOG_LEVELS, {
    default: 'info',
    doc: 'JSON log lines (pino) at this level; authorization headers and secrets are never logged.',
  }),
  LEDGER_METRICS_TOKEN: secret(16, '', {
    doc: '`GET /api/v1/metrics` then requires `Authorization: Bearer <token>`.',
  }),
  LEDGER_METRICS_PORT: port({
    doc: 'Serve the Prometheus metrics on this port only (same host); `/api/v1/metrics` answers 404.',
  }),
  LEDGER_READY_MAX_LAG_EVENTS: integer(
    { min: 0, max: 999_999_999_999, digits: 12 },
    'a non-negative integer',
    {
      default: '10000',
      doc: '`/health/ready` answers 503 while the read models are further behind the log than this (events).',
    },
  ),
  LEDGER_JOBS_MAX_CONCURRENT: integer({ min: 1, max: 64, digits: 2 }, 'an integer 1..64', {
    default: '2',
    doc: 'Verify and export jobs (`POST /api/v1/audit/verify-jobs`, `/export-jobs`) running at once; one more is answered 503 `AUDIT.JOBS_BUSY` with `Retry-After`.',
  }),
  LEDGER_JOBS_DIR: text(
    {
      doc: 'Where job records and results are kept (files, mode 0600); unset = `<LEDGER_DATA_DIR>/jobs`.',
    },
    'path',
  ),
  LEDGER_JOB_HEAP_MB: integer(
    { min: 0, max: 65_536, digits: 5 },
    '0 (no cap) or a whole number of MB 64..65536',
    {
      default: '128',
      doc: '(ledger CLI) V8 old-generation cap (MB) of the whole-ledger jobs `replay`, `verify`, `seal` and `export`, each run in a node process of its own with it and a 4 MB young-generation semi-space (16 MB for `seal`, and for `replay` on one thread with its old generation 36 MB below the cap); `0` leaves V8 its own sizing; 1..63 is refused (docs/operations.md "Memory of the whole-ledger jobs").',
    },
  ),
  REDIS_URL: url(/^rediss?:\/\//, 'a redis:// or rediss:// URL', {
    secret: true,
    doc: '`redis://…`: the rate-limit counts live in Redis, one limit for all replicas; unset = in memory, per process.',
  }),
  LEDGER_REDIS_KEY_PREFIX: text({
    default: 'ledger:rate-limit:',
    doc: 'Prefix of those Redis keys.',
  }),
  LEDGER_PROJECTOR_LEASE_TTL_MS: integer(
    { min: 300, max: 9_999_999, digits: 7 },
    'an integer of at least 300 (ms)',
    {
      default: '5000',
      doc: "(apps/projector) lease time to live: a standby takes over at most TTL + TTL/3 after the active projector's last renewal.",
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

/** Where the stores live: the variables the event store (factory.ts) and the read side (config.ts) read. */
export const STORE_VARIABLES = [
  'LEDGER_DATA_DIR',
  'LEDGER_EVENT_STORE',
  'LEDGER_SQLITE_SYNCHRONOUS',
  'LEDGER_GROUP_COMMIT',
  'LEDGER_WRITE_QUEUE_LIMIT',
  'LEDGER_READ_STORE',
  'LEDGER_PROJECTOR',
  'LEDGER_MIN_POSITION_WAIT_MS',
  'DATABASE_URL',
  'EVENTSTORE_CONNECTION_STRING',
] as const satisfies readonly VariableName[];

export type StoreSettings = Pick<Settings, (typeof STORE_VARIABLES)[number]>;

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
