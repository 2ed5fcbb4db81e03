/**
 * Builds and starts the HTTP server from a LedgerConfig. Tests call startServer with port 0 and a temp
 * data dir; main.ts calls it with the environment's configuration.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuditLogger, readOrCreateJwtSecret, type AuthConfig } from '@hz/auth';
import { systemClock, type Clock, type EventStore } from '@hz/event-store';
import { businessDateOf } from '@hz/kernel';
import { Money } from '@hz/money';
import {
  catalogInForce,
  HZ_CBEC_2023,
  singleVersionSchedule,
  type PolicyCatalog,
  type PolicySchedule,
} from '@hz/policy';
import { Redis } from 'ioredis';
import {
  configureHttpApp,
  fastifyServerOptions,
  type LedgerHttpApp,
  createLogger,
  instrumentEventStore,
  MetricsRegistry,
  PinoNestLogger,
  pinoLevelOf,
  RedisThrottlerStorage,
  serveMetrics,
  API_PREFIX,
  DOCS_PATH,
  type Logger,
} from '@hz/api';
import { LedgerService } from '@hz/application';
import { AppModule } from './app.module';
import { dashboardAssets } from './dashboard-assets';
import { prepareSignIn, type SignIn } from './oidc/mount';
import type { LedgerConfig } from './config';
import {
  createEventStore,
  createIdempotencyStore,
  createReadSide,
  importLegacyIdempotency,
  type ReadSide,
} from './stores';

export interface ServerOptions {
  readonly clock?: Clock;
  readonly catalog?: PolicyCatalog;
  /** Policy amendments: the versions and their effective dates (default: `catalog` alone; docs/policy.md §11). */
  readonly policies?: PolicySchedule;
  /** Nest's own log levels; tests pass [] or ['error']: the most verbose one caps the JSON log (docs/operations.md). */
  readonly logLevels?: LogLevel[];
  /** The pino logger every line goes through (default: stdout at LEDGER_LOG_LEVEL). */
  readonly logger?: Logger;
}

export interface CreatedApp {
  /** Express or Fastify (LEDGER_HTTP_ADAPTER); what ledger-api adds works on both (libs/api http-app.ts). */
  readonly app: LedgerHttpApp;
  /** The ledger's log (instrumented). */
  readonly store: EventStore;
  /** The HTTP layer's idempotency records (see IdempotencyService). */
  readonly idempotencyStore: EventStore;
  /** The HS256 secret in use (undefined with JWKS), so the caller can tell the operator how to mint tokens. */
  readonly jwtSecret?: string;
  readonly jwtSecretFile?: string;
  /** Sign-in (src/oidc/mount.ts): the embedded provider starts once the server listens. */
  readonly signIn: SignIn;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
}

export async function createApp(
  config: LedgerConfig,
  options: ServerOptions = {},
): Promise<CreatedApp> {
  const clock = options.clock ?? systemClock;
  const policies = options.policies ?? singleVersionSchedule(options.catalog ?? HZ_CBEC_2023);
  // The catalog in force today: its countersign threshold and districts are the running defaults.
  const catalog =
    options.catalog ?? catalogInForce(policies, businessDateOf(clock.now().getTime()));
  const signIn = prepareSignIn(config);
  const { auth, secretFile } = authConfigOf(config, signIn);
  const metrics = new MetricsRegistry();
  const logger =
    options.logger ??
    createLogger({ level: options.logLevels ? pinoLevelOf(options.logLevels) : config.logLevel });
  const rawStore = await createEventStore(config, clock);
  let idempotencyStore: EventStore | undefined;
  let readSide: ReadSide | undefined;
  try {
    const store = instrumentEventStore(rawStore, metrics);
    idempotencyStore = await createIdempotencyStore(config, store, clock);
    // Before any request: a retry across the upgrade replays what the earlier layout recorded.
    const imported = await importLegacyIdempotency(config, store);
    if (imported?.ran)
      logger.info(
        { event: 'idempotency.legacy_import', ...imported },
        'idempotency records imported',
      );
    readSide = await createReadSide(config, store, logger.child({ component: 'projector' }));
    const ledger = new LedgerService({
      store,
      catalog,
      policies,
      clock,
      countersignThreshold: Money.parse(config.countersignThreshold),
    });
    const module = AppModule.forRoot({
      config,
      store,
      idempotencyStore,
      ledger,
      catalog,
      policies,
      clock,
      metrics,
      auth,
      readSide,
    });
    const nestOptions = {
      bodyParser: false,
      logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    };
    // LEDGER_HTTP_ADAPTER (issue 12): the same module, middleware and filters on either platform.
    const app: LedgerHttpApp =
      config.httpAdapter === 'fastify'
        ? await NestFactory.create<NestFastifyApplication>(
            module,
            new FastifyAdapter(fastifyServerOptions()),
            nestOptions,
          )
        : await NestFactory.create<NestExpressApplication>(module, nestOptions);
    app.get(AuditLogger).useLogger(logger);
    app.enableShutdownHooks();
    // REDIS_URL: one rate-limit count for every replica (docs/operations.md); closed with the app.
    const redis =
      config.redisUrl && config.rateLimitPerMinute
        ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1 })
        : undefined;
    if (redis) {
      redis.on('error', (error: Error) =>
        logger.warn({ event: 'redis.error', message: error.message }, 'redis unreachable'),
      );
      const http = app.getHttpServer() as { once(event: 'close', listener: () => void): unknown };
      http.once('close', () => redis.disconnect());
    }
    const rateLimitStorage = redis
      ? new RedisThrottlerStorage(redis, config.redisKeyPrefix)
      : undefined;
    configureHttpApp(app, {
      bodyLimit: config.bodyLimit,
      rateLimitPerMinute: config.rateLimitPerMinute,
      logger,
      ...(rateLimitStorage ? { rateLimitStorage } : {}),
    });
    signIn.mount(app);
    // The dashboard is optional: a colleague's build lands in dist/apps/dashboard.
    // Precompressed, with immutable caching of hashed assets (dashboard-assets.ts; docs/decisions.md).
    if (existsSync(config.dashboardDir))
      app.use(dashboardAssets(config.dashboardDir, { apiPrefix: API_PREFIX }));
    return {
      app,
      store,
      idempotencyStore,
      jwtSecret: auth.secret,
      jwtSecretFile: secretFile,
      signIn,
      logger,
      metrics,
    };
  } catch (error) {
    await readSide?.readStore.close();
    await idempotencyStore?.close();
    await rawStore.close();
    throw error;
  }
}

/**
 * HS256 script tokens (LEDGER_JWT_SECRET, else the data dir's generated secret) and, when a provider is
 * configured, its tokens too (libs/auth token.ts). With an external provider (LEDGER_OIDC_ISSUER) script
 * tokens need an explicit LEDGER_JWT_SECRET; LEDGER_JWKS_URL alone keeps its earlier provider-only meaning.
 */
function authConfigOf(
  config: LedgerConfig,
  signIn: SignIn,
): { auth: AuthConfig; secretFile?: string } {
  const { issuer, audience, jwksUrl } = config.jwt;
  const oidc = signIn.tokens;
  if (jwksUrl) return { auth: { issuer, audience, jwksUrl } };
  if (config.jwt.secret) return { auth: { secret: config.jwt.secret, issuer, audience, oidc } };
  if (oidc && config.oidc.issuer) return { auth: { oidc } };
  const generated = readOrCreateJwtSecret(config.dataDir);
  return { auth: { secret: generated.secret, issuer, audience, oidc }, secretFile: generated.file };
}

export interface StartedServer extends CreatedApp {
  /** e.g. http://127.0.0.1:3000 (no trailing slash). */
  readonly url: string;
  readonly apiUrl: string;
  readonly docsUrl: string;
  readonly port: number;
  /** LEDGER_METRICS_PORT's actual port (0 picks a free one), when configured. */
  readonly metricsPort?: number;
  close(): Promise<void>;
}

/** Creates the app and listens on config.host:config.port (port 0 picks a free one). */
export async function startServer(
  config: LedgerConfig,
  options: ServerOptions = {},
): Promise<StartedServer> {
  const created = await createApp(config, options);
  await created.app.listen(config.port, config.host);
  const address = created.app.getHttpServer().address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${address.port}`;
  await created.signIn.start(url, (notice) =>
    created.logger.warn({ event: 'oidc.dev_provider.notice', notice }, 'embedded OpenID provider'),
  );
  const metricsServer =
    config.metricsPort === undefined
      ? undefined
      : await serveMetrics(created.metrics, config.metricsPort, config.host);
  return {
    ...created,
    url,
    apiUrl: `${url}/${API_PREFIX}`,
    docsUrl: `${url}/${DOCS_PATH}`,
    port: address.port,
    ...(metricsServer ? { metricsPort: metricsServer.port } : {}),
    close: async () => {
      await metricsServer?.close();
      await created.app.close();
    },
  };
}
