/** The contract suite's harness interface (what an adapter provides) and the per-test context. */
import type { Clock, EventStore } from '../port';
import type { ChildStoreSpec } from './child-store';
import type { FixedClock, StreamNames } from './fixtures';

export interface ContractStore {
  readonly store: EventStore;
  /** A second, independent handle on the same store, as after a process restart. The suite closes it. */
  readonly reopen?: () => Promise<EventStore>;
  /** How a child process opens this same store; enables the two-process race. */
  readonly child?: ChildStoreSpec;
  /** Frees what create() made (files, schemas). Called after the suite has closed every handle. */
  dispose(): Promise<void>;
}

export interface ContractCapabilities {
  /** create() yields an empty log: headPosition() is 0n and the first event gets position 1n. */
  readonly emptyOnCreate: boolean;
  /** metadata.recordedAt is taken from the clock given to create(). */
  readonly injectedClock: boolean;
  /** create() returns reopen(): restart and checkpoint-resume tests run. */
  readonly reopen: boolean;
  /** create() returns child: the two-process race runs. */
  readonly childProcess: boolean;
  /** An event id is unique across the whole store, not only within its stream. */
  readonly globallyUniqueEventIds: boolean;
  /** AppendOptions.conditions are checked in the append's transaction (not on EventStoreDB). */
  readonly atomicConditions: boolean;
}

export interface EventStoreContractHarness {
  /** A fresh store whose recordedAt comes from `clock` (reopen() must use the same clock). */
  create(options: { readonly clock: Clock }): Promise<ContractStore>;
  readonly capabilities?: Partial<ContractCapabilities>;
  /** Put into every stream id; make it unique per run when the store outlives the test (EventStoreDB). */
  readonly namespace?: string;
  /** Rounds of the two-process race (default 8). */
  readonly raceRounds?: number;
}

/** What every test gets: a fresh store, its clock and a place to register extra handles for closing. */
export interface ContractContext {
  readonly store: EventStore;
  readonly handle: ContractStore;
  readonly clock: FixedClock;
  readonly names: StreamNames;
  readonly capabilities: ContractCapabilities;
  /** headPosition() when the test began: read from here on a shared log. */
  readonly baseline: bigint;
  reopen(): Promise<EventStore>;
}

export type ContractSection = (
  context: () => ContractContext,
  harness: EventStoreContractHarness,
) => void;

export function contractCapabilities(harness: EventStoreContractHarness): ContractCapabilities {
  return {
    emptyOnCreate: true,
    injectedClock: true,
    reopen: true,
    childProcess: true,
    globallyUniqueEventIds: true,
    atomicConditions: true,
    ...harness.capabilities,
  };
}
