export * from './model/rows';
export * from './model/ledger-record';
export * from './model/ledger-time';
export * from './model/claim-summary';
export * from './model/caps';
export * from './model/fiscal';
export * from './model/awards';
export * from './model/audit';
export * from './model/project-event';
export * from './model/fiscal-report';
export * from './model/in-memory-read-model';
export * from './store/all-claims';
export * from './store/read-store';
export { PROJECTION_SCHEMA_VERSION, tableNames, type TableNames } from './sql/generation-sql';
export * from './sqlite/sqlite-read-store';
export * from './postgres';
export * from './runner/projection-runner';
export * from './runner/projection-supervisor';
export {
  defaultRebuildWorkers,
  rebuildInParallel,
  type ParallelRebuild,
  type ParallelRebuildOptions,
} from './rebuild/parallel-rebuild';
export { REBUILD_WORKERS_MAX } from './rebuild/log-partition';
export * from './runner/projector-lease';
export * from './runner/projector-leader';
export * from './runner/open-projector-lease';
export { SqliteProjectorLease } from './sqlite/sqlite-lease';
export { PostgresProjectorLease } from './postgres/postgres-lease';
export * from './store/wait-for-position';
export * from './config';
export * from './open-read-store';
export * from './read-side';
