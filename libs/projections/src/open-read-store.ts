/** Opens the configured ReadStore (the one place that knows the adapters). */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describePostgresUrl, prepareEmbeddedFile } from '@hz/event-store';
import type { ReadSideConfig } from './config';
import { ReadSideConfigError } from './config';
import { openPostgresReadStore, POSTGRES_READ_DEFAULT_SCHEMA } from './postgres';
import { SqliteReadStore, type SqliteReadStoreOptions } from './sqlite/sqlite-read-store';
import type { ReadStore } from './store/read-store';

export async function openReadStore(
  config: ReadSideConfig,
  options: SqliteReadStoreOptions = {},
): Promise<ReadStore> {
  if (config.readStore === 'sqlite') {
    // Owner only, and the file created 0600 before SQLite opens it (libs/event-store private-files.ts).
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    prepareEmbeddedFile(config.readModelsFile, dirname(config.readModelsFile));
    return new SqliteReadStore(config.readModelsFile, options);
  }
  if (config.databaseUrl === undefined)
    throw new ReadSideConfigError('DATABASE_URL is required when LEDGER_READ_STORE=postgres');
  return openPostgresReadStore({ connectionString: config.databaseUrl });
}

/** Where the read models live, for start-up messages and logs (never a connection string's password). */
export function describeReadStore(config: ReadSideConfig): string {
  if (config.readStore === 'sqlite') return `sqlite ${config.readModelsFile}`;
  return `postgres ${config.databaseUrl === undefined ? '(no DATABASE_URL)' : describePostgresUrl(config.databaseUrl)} schema ${POSTGRES_READ_DEFAULT_SCHEMA}`;
}
