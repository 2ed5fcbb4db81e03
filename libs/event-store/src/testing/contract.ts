/**
 * The one EventStore contract suite (docs/architecture.md §4). Every adapter runs it from its own spec file:
 *
 *   describeEventStoreContract('sqlite', { create: async ({ clock }) => ({ store, reopen, child, dispose }) });
 *
 * Tests never assume positions are dense or that the log is private unless the harness says so, so a
 * shared EventStoreDB can run it too; what a harness cannot offer (reopen, a child process) it leaves out
 * and the tests needing it are not registered.
 */
import type { EventStore } from '../port';
import { describeAppendContract } from './contract-append';
import { describeChainContract } from './contract-chain';
import { describeRaceContract } from './contract-race';
import { describeReadContract } from './contract-read';
import { describeSubscriptionContract } from './contract-subscription';
import {
  contractCapabilities,
  type ContractContext,
  type EventStoreContractHarness,
} from './contract-types';
import { FixedClock, StreamNames } from './fixtures';

export * from './contract-types';

export function describeEventStoreContract(name: string, harness: EventStoreContractHarness): void {
  describe(`EventStore contract: ${name}`, () => {
    const context = useContractContext(harness);
    describeAppendContract(context, harness);
    describeReadContract(context, harness);
    describeChainContract(context, harness);
    describeSubscriptionContract(context, harness);
    describeRaceContract(context, harness);
  });
}

function useContractContext(harness: EventStoreContractHarness): () => ContractContext {
  const capabilities = contractCapabilities(harness);
  let current: ContractContext | undefined;
  let extraHandles: EventStore[] = [];
  let testIndex = 0;

  beforeEach(async () => {
    testIndex += 1;
    const clock = new FixedClock();
    const handle = await harness.create({ clock });
    const names = new StreamNames(`${harness.namespace ?? ''}t${testIndex}-`);
    const reopen = async (): Promise<EventStore> => {
      if (handle.reopen === undefined) throw new Error('this harness cannot reopen a store');
      const reopened = await handle.reopen();
      extraHandles.push(reopened);
      return reopened;
    };
    const baseline = await handle.store.headPosition();
    current = { store: handle.store, handle, clock, names, capabilities, baseline, reopen };
  });

  afterEach(async () => {
    const finished = current;
    const handles = extraHandles;
    current = undefined;
    extraHandles = [];
    for (const store of handles) await store.close();
    if (finished !== undefined) {
      await finished.store.close();
      await finished.handle.dispose();
    }
  });

  return () => {
    if (current === undefined) throw new Error('contract context used outside a test');
    return current;
  };
}
