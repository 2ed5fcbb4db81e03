/** The application layer (docs/architecture.md): LedgerService and what it needs; the API, the CLI and tests use it. */
export {
  LedgerService,
  ATTEMPTS_MAX_DEFAULT,
  backoffMilliseconds,
  type LedgerServiceOptions,
  type LedgerCommandInput,
} from './ledger.service';
export { LedgerStreamReader, type ClaimHistoryEntry } from './ledger-reader';
export type { CommandResult, ExecuteOptions, ExecuteResult, ExecutedEvent } from './results';
export { eventIdFor, contentHash } from './event-envelope';
export { KeyedTurns } from './stream-models';
export * from './period-close';
