/**
 * The EventStoreDB adapter (production option: a 3-node cluster). Streams, expected revisions and $all
 * map one to one; what EventStoreDB does not have (a transaction across a read and a write, an index
 * by event id) is handled in ./esdb-append.ts. Subscriptions are EventStoreDB catch-up subscriptions
 * to $all with the server-side system-event filter and its checkpoints.
 */
import {
  EventStoreDBClient,
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
} from '@eventstore/db-client';
import { GuardedEventStore, type AppendRequest } from '../guarded-event-store';
import { systemClock } from '../port';
import type {
  AppendResult,
  Clock,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../port';
import { appendToEsdb } from './esdb-append';
import { readAllEvents, readHeadPosition, readStreamEvents, type EsdbClient } from './esdb-reads';
import { assertUuid, toEsdbReadPosition, toRecordedEvent } from './mapping';

export interface EventStoreDbStoreOptions {
  /** e.g. `esdb://node1:2113,node2:2113,node3:2113?tls=false` (see docker/compose.eventstoredb.yml). */
  readonly connectionString: string;
  /** Source of metadata.recordedAt; inject a fixed clock in tests. */
  readonly clock?: Clock;
}

export interface EventStoreDbSubscribeOptions extends SubscribeOptions {
  /**
   * Called with a $all position the server has searched up to, also when every event since was a
   * filtered-out system event: a projector may store it as its checkpoint to resume from.
   */
  readonly onCheckpoint?: (position: bigint) => void | Promise<void>;
}

/** How many filtered events the server may pass over between two checkpoints. */
const CHECKPOINT_INTERVAL = 32;

export class EventStoreDbStore extends GuardedEventStore implements EventStore {
  private readonly clock: Clock;
  private readonly subscriptions = new Set<AllStreamSubscription>();

  constructor(
    private readonly client: EsdbClient,
    options: { readonly clock?: Clock } = {},
  ) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  protected async appendChecked({
    streamId,
    events,
    options,
  }: AppendRequest): Promise<AppendResult> {
    for (const event of events) assertUuid(event.id);
    // No transaction to share (docs/architecture.md §4): records live elsewhere (`records` is undefined).
    if (options.record !== undefined)
      throw new TypeError(
        'EventStoreDB keeps no records beside the log; use the records of another store',
      );
    // Appends alongside go first, each on its own, as the reservations they carry went before issue 12.
    for (const other of options.alongside ?? []) {
      for (const event of other.events) assertUuid(event.id);
      await appendToEsdb(
        this.client,
        this.clock,
        other.streamId,
        other.events,
        other.expectedRevision,
      );
    }
    return appendToEsdb(
      this.client,
      this.clock,
      streamId,
      events,
      options.expectedRevision,
      options.conditions,
    );
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return readStreamEvents(this.client, streamId, options);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return readAllEvents(this.client, options);
  }

  subscribeToAll(options: EventStoreDbSubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    return this.subscription(options);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return readHeadPosition(this.client);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      [...this.subscriptions].map((subscription) =>
        subscription.unsubscribe().catch(() => undefined),
      ),
    );
    await this.client.dispose();
  }

  private async *subscription(
    options: EventStoreDbSubscribeOptions,
  ): AsyncGenerator<RecordedEvent, void, undefined> {
    let checkpoint = options.fromPosition ?? 0n;
    const subscription = this.client.subscribeToAll({
      fromPosition: checkpoint === 0n ? START : toEsdbReadPosition(checkpoint),
      filter: excludeSystemEvents({
        checkpointInterval: CHECKPOINT_INTERVAL,
        checkpointReached: async (_subscription, position) => {
          if (position.commit > checkpoint) await options.onCheckpoint?.(position.commit);
        },
      }),
    });
    this.subscriptions.add(subscription);
    const stop = (): void => void subscription.unsubscribe().catch(() => undefined);
    const stopped = (): boolean => options.signal?.aborted === true || this.closed;
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      if (stopped()) return;
      for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
        const event = toRecordedEvent(resolved);
        // The server may start at the checkpoint itself (inclusive) and sends system events a filter missed.
        if (event === undefined || event.position <= checkpoint) continue;
        checkpoint = event.position;
        yield event;
        if (stopped()) return;
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      this.subscriptions.delete(subscription);
      // Ending twice (abort, then here) is harmless; a failure to end a finished stream is not worth an error.
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  protected describeStore(): string {
    return 'EventStoreDB store';
  }
}

/** Connects (lazily: the client dials on first use) and returns the store. */
export async function openEventStoreDbStore(
  options: EventStoreDbStoreOptions,
): Promise<EventStoreDbStore> {
  if (options.connectionString.trim() === '')
    throw new TypeError('EventStoreDB connection string is empty');
  const client = EventStoreDBClient.connectionString(options.connectionString);
  return new EventStoreDbStore(client, { clock: options.clock });
}
