export {
  PostgresEventStore,
  openPostgresEventStore,
  POSTGRES_DEFAULT_SCHEMA,
  type PostgresEventStoreOptions,
} from './postgres-event-store';
export { appendWithinTransaction, type AppendContext, type AppendOutcome } from './append';
export { schemaNames, type SchemaNames } from './schema';
export { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-database';
