/**
 * The contract suite against the EventStoreDB adapter over an in-memory fake of the client: exercises
 * the adapter's own logic (hash chain across a read and a write, replay detection, $all paging past
 * system events, exclusive checkpoints) on every run. The real server run is the .int.spec.
 */
import { FixedClock, describeEventStoreContract, testEvent } from '../testing';
import { EventStoreDbStore } from './eventstoredb-event-store';
import { FakeEsdbServer } from './fake-esdb-client';

describeEventStoreContract('eventstoredb adapter on a fake client', {
  create: async ({ clock }) => {
    const server = new FakeEsdbServer();
    return {
      store: new EventStoreDbStore(server.client(), { clock }),
      reopen: async () => new EventStoreDbStore(server.client(), { clock }),
      dispose: async () => undefined,
    };
  },
  // Like a real server: positions do not start at 1, no index by event id, no child process here.
  capabilities: {
    emptyOnCreate: false,
    childProcess: false,
    globallyUniqueEventIds: false,
    atomicConditions: false,
  },
});

describe('EventStoreDB adapter specifics (fake client)', () => {
  it('retries an append for expected revision any when another writer moved the stream in between', async () => {
    const server = new FakeEsdbServer();
    const store = new EventStoreDbStore(server.client(), { clock: new FixedClock() });
    await store.appendToStream('applicant-1', [testEvent('first')], {
      expectedRevision: 'no_stream',
    });
    // Interleave a foreign write between the adapter's read of the head and its append, once.
    const client = server.client();
    const original = client.readStream.bind(client);
    let interfered = false;
    const racing = new EventStoreDbStore(
      {
        ...client,
        appendToStream: client.appendToStream.bind(client),
        readAll: client.readAll.bind(client),
        subscribeToAll: client.subscribeToAll.bind(client),
        dispose: client.dispose.bind(client),
        readStream: ((...args: Parameters<typeof original>) => {
          if (!interfered) {
            interfered = true;
            server.write('applicant-1', [
              {
                ...testEvent('sneaked-in'),
                metadata: { ...testEvent('sneaked-in').metadata, hash: 'c'.repeat(64) },
              },
            ]);
          }
          return original(...args);
        }) as typeof original,
      },
      { clock: new FixedClock() },
    );
    const result = await racing.appendToStream('applicant-1', [testEvent('second')], {
      expectedRevision: 'any',
    });
    expect(result.nextRevision).toBe(2n);
    const events = await store.readStream('applicant-1');
    expect(events.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
    expect(events[2]?.metadata.prevHash).toBe('c'.repeat(64));
    await store.close();
  });

  it('refuses event ids that are not UUIDs before writing', async () => {
    const store = new EventStoreDbStore(new FakeEsdbServer().client());
    await expect(
      store.appendToStream('applicant-1', [{ ...testEvent('x'), id: 'not-a-uuid' }], {
        expectedRevision: 'any',
      }),
    ).rejects.toThrow(/UUID/);
    await store.close();
  });
});
