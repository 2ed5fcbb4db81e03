/** Contract: every stored event carries a verifying hash chain and the store's own recordedAt. */
import { verifyAllChains, verifyStreamChain } from '../chain-verifier';
import { computeEventHash, GENESIS_PREV_HASH } from '../hash-chain';
import { contractCapabilities, type ContractSection } from './contract-types';
import { FIXED_INSTANT, testEvent, testEvents } from './fixtures';

export const describeChainContract: ContractSection = (context, harness) => {
  describe('Invariant 7: chains — hash chain', () => {
    it('links each event to the previous one in its stream, across appends', async () => {
      const { store, names } = context();
      const [first, second] = [names.next(), names.next()];
      await store.appendToStream(first, testEvents('chain-a', 2), {
        expectedRevision: 'no_stream',
      });
      await store.appendToStream(second, [testEvent('chain-b')], { expectedRevision: 'no_stream' });
      await store.appendToStream(first, testEvents('chain-c', 2), { expectedRevision: 1n });
      const events = await store.readStream(first);
      expect(events).toHaveLength(4);
      events.forEach((event, index) => {
        expect(event.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(event.metadata.hash).toBe(computeEventHash(event));
        expect(event.metadata.prevHash).toBe(
          index === 0 ? GENESIS_PREV_HASH : events[index - 1]?.metadata.hash,
        );
      });
      // Each stream has its own chain: the second stream starts from genesis, not from the first's head.
      expect((await store.readStream(second))[0]?.metadata.prevHash).toBe(GENESIS_PREV_HASH);
      expect(verifyStreamChain(events)).toEqual([]);
      expect(await verifyAllChains(store)).toEqual([]);
    });

    it('ignores hash, prevHash and recordedAt supplied by the caller', async () => {
      const { store, names } = context();
      const stream = names.next();
      const forged = testEvent('forged');
      const metadata = {
        ...forged.metadata,
        hash: 'f'.repeat(64),
        prevHash: 'e'.repeat(64),
        recordedAt: '1999-01-01T00:00:00.000Z',
      };
      await store.appendToStream(stream, [{ ...forged, metadata }], {
        expectedRevision: 'no_stream',
      });
      const [event] = await store.readStream(stream);
      expect(event?.metadata.prevHash).toBe(GENESIS_PREV_HASH);
      expect(event?.metadata.hash).not.toBe('f'.repeat(64));
      expect(event?.metadata.recordedAt).not.toBe('1999-01-01T00:00:00.000Z');
      expect(verifyStreamChain(event === undefined ? [] : [event])).toEqual([]);
    });
  });

  if (!contractCapabilities(harness).injectedClock) return;

  describe('recordedAt', () => {
    it('comes from the injected clock, per append; occurredAt stays the caller’s', async () => {
      const { store, names, clock } = context();
      const stream = names.next();
      await store.appendToStream(stream, testEvents('clock-a', 2), {
        expectedRevision: 'no_stream',
      });
      clock.set('2024-03-02T09:30:00.000Z');
      await store.appendToStream(
        stream,
        [testEvent('clock-b', { occurredAt: '2024-01-15T00:00:00.000Z' })],
        { expectedRevision: 1n },
      );
      const events = await store.readStream(stream);
      expect(events.map((event) => event.metadata.recordedAt)).toEqual([
        FIXED_INSTANT,
        FIXED_INSTANT,
        '2024-03-02T09:30:00.000Z',
      ]);
      expect(events[2]?.metadata.occurredAt).toBe('2024-01-15T00:00:00.000Z');
    });
  });
};
