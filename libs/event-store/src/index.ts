export * from './port';
export * from './errors';
export { canonicalJson, CanonicalJsonError } from '@hz/kernel';
export {
  computeEventHash,
  GENESIS_PREV_HASH,
  hashCanonicalParts,
  type HashableEvent,
} from './hash-chain';
export * from './stream-read';
export { recordedEventOf, type EventRowOf } from './event-rows';
export {
  verifyStreamChain,
  verifyAllChains,
  type ChainProblem,
  type ChainProblemKind,
} from './chain-verifier';
export {
  assertAppendArguments,
  checkExpectedRevision,
  EVENTS_PER_APPEND_MAX,
  STREAM_ID_LENGTH_MAX,
} from './append-guards';
export {
  catchUpSubscription,
  AppendNotifier,
  type CatchUpSource,
  type CatchUpOptions,
} from './catch-up-subscription';
export {
  GROUP_COMMIT_BATCH_MAX_DEFAULT,
  GroupCommitQueue,
  WRITE_QUEUE_LIMIT_DEFAULT,
  type GroupCommitOptions,
} from './group-commit';
export {
  SqliteEventStore,
  openSqliteEventStore,
  INLINE_CHECKPOINT_FRAMES,
  READ_ALL_DEFAULT_MAX_COUNT,
  type SqliteEventStoreOptions,
  type SqliteSynchronous,
} from './sqlite/sqlite-event-store';
export {
  PostgresEventStore,
  openPostgresEventStore,
  POSTGRES_DEFAULT_SCHEMA,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';
export { createThrowawayDatabase, type ThrowawayDatabase } from './postgres/throwaway-database';
export {
  bilingual,
  reportingColumns,
  REPORTING_ROLE,
  REPORTING_SCHEMA_PATTERN,
  selectList,
  viewComments,
  type ReportingColumn,
} from './postgres/reporting-view';
export {
  EventStoreDbStore,
  openEventStoreDbStore,
  type EventStoreDbStoreOptions,
  type EventStoreDbSubscribeOptions,
} from './eventstoredb/eventstoredb-event-store';
export {
  auxiliaryStoreConfig,
  createEventStore,
  describeEventStore,
  describePostgresUrl,
  eventStoreConfigFromEnv,
  eventStoreConfigOf,
  EVENT_STORE_VARIABLES,
  type EventStoreSettings,
  EventStoreConfigError,
  EVENT_STORE_KINDS,
  SQLITE_EVENT_STORE_FILE_NAME,
  type EventStoreConfig,
  type EventStoreKind,
} from './factory';
export {
  createPrivateFile,
  describePermissionChanges,
  prepareEmbeddedFile,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  securePrivateDataDir,
  tightenDataDir,
  type PermissionChange,
  type PermissionLog,
} from './private-files';
