export { describeEventStoreContract } from './contract';
export {
  contractCapabilities,
  type ContractCapabilities,
  type ContractContext,
  type ContractStore,
  type EventStoreContractHarness,
} from './contract-types';
export type { ChildStoreSpec } from './child-store';
export { TsChild, workspaceRoot, type ChildExit } from './child-process';
export {
  deterministicUuid,
  FIXED_INSTANT,
  FixedClock,
  seededRandom,
  scratchFiles,
  StreamNames,
  testEvent,
  testEvents,
  walFillingEvent,
  type TestEventOptions,
} from './fixtures';
export { readAllAfter, rejectionOf } from './assertions';
export {
  expectQuietThenAbort,
  labels,
  openSubscription,
  take,
  type OpenSubscription,
} from './subscription-helpers';
