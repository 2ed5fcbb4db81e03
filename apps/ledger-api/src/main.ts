/** `npm start`: ledger-api with its configuration from the environment. */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { startServer } from './server';
import { describeStores } from './stores';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ledger-api: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer(config);
  const lines = [
    `ledger-api listening on ${server.url} (data dir: ${config.dataDir})`,
    ...describeStores(config).map((line) => `  ${line}`),
    `  API:     ${server.apiUrl}`,
    `  OpenAPI: ${server.docsUrl}`,
    server.jwtSecret === undefined
      ? '  Tokens:  issued by the identity provider behind LEDGER_JWKS_URL'
      : `  Tokens:  npm run ledger -- token --sub alice --role reviewer   (HS256, secret ${server.jwtSecretFile ?? 'from LEDGER_JWT_SECRET'})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`ledger-api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
