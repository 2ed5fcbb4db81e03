export {
  PostgresReadStore,
  openPostgresReadStore,
  type PostgresReadStoreOptions,
} from './postgres-read-store';
export { POSTGRES_READ_DEFAULT_SCHEMA } from './schema-name';
