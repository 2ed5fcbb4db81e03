/**
 * Opens a PostgreSQL store from a JSON config, for a child process that must open "the same store" as
 * its parent (the contract suite's two-process race, see ../testing/child-store.ts).
 */
import type { JsonValue } from '../port';
import { openPostgresEventStore, type PostgresEventStore } from './postgres-event-store';

export async function openPostgresEventStoreFromConfig(
  config: JsonValue,
): Promise<PostgresEventStore> {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new TypeError('config must be an object');
  const { connectionString, schema, groupCommit } = config;
  if (typeof connectionString !== 'string')
    throw new TypeError('config.connectionString must be a string');
  if (schema !== undefined && typeof schema !== 'string')
    throw new TypeError('config.schema must be a string');
  if (groupCommit !== undefined && typeof groupCommit !== 'boolean')
    throw new TypeError('config.groupCommit must be a boolean');
  return openPostgresEventStore({ connectionString, schema, poolSize: 2, groupCommit });
}
