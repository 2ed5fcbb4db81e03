/** `npm start`: ledger-api with its configuration from the environment. */
import 'reflect-metadata';
import { createLogger } from '@hz/api';
import { ConfigError, loadConfig } from './config';
import { startServer } from './server';
import { describeStores } from './stores';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      createLogger().fatal(
        { event: 'startup.config_invalid', problems: error.problems },
        'ledger-api: invalid configuration',
      );
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  const server = await startServer(config, { logger });
  // One JSON line (docs/operations.md): where it listens, which stores, how to get a token. Never the secret.
  logger.info(
    {
      event: 'startup',
      url: server.url,
      api: server.apiUrl,
      openApi: server.docsUrl,
      dataDir: config.dataDir,
      stores: describeStores(config),
      ...(server.metricsPort === undefined ? {} : { metricsPort: server.metricsPort }),
      // Sign-in (src/oidc): the embedded development provider's issuer, or the configured one.
      signIn: server.signIn.issuer()
        ? { provider: server.signIn.issuer(), embedded: true }
        : config.oidc.issuer
          ? { provider: config.oidc.issuer, embedded: false }
          : 'pasted tokens only (no provider configured)',
      tokens:
        server.jwtSecret === undefined
          ? 'issued by the identity provider (LEDGER_OIDC_ISSUER or LEDGER_JWKS_URL)'
          : `npm run ledger -- token --sub alice --role reviewer (HS256, secret ${server.jwtSecretFile ?? 'from LEDGER_JWT_SECRET'})`,
    },
    `ledger-api listening on ${server.url}`,
  );
}

main().catch((error: unknown) => {
  createLogger().fatal(
    { event: 'startup.failed', message: error instanceof Error ? error.message : String(error) },
    'ledger-api failed to start',
  );
  process.exit(1);
});
