/**
 * An in-memory stand-in for the part of @eventstore/db-client the adapter uses, following EventStoreDB's
 * documented behaviour: expected-revision checks with the client's own WrongExpectedVersionError,
 * StreamNotFoundError raised while iterating, sparse commit positions, system events in $all, inclusive
 * $all reads, exclusive subscriptions with server-side filters and checkpoints. It lets the contract
 * suite exercise the adapter's logic where no server exists (this machine, CI); the real server run is
 * eventstoredb-event-store.int.spec.ts. Test code only.
 */
import {
  ANY,
  END,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventData,
  type Filter,
  type Position,
} from '@eventstore/db-client';
import type { EsdbClient } from './esdb-reads';

interface FakeRecord {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly revision: bigint;
  readonly position: bigint;
}

const FIRST_POSITION = 1024n;

/** One fake server: several clients (store handles) may share it, as processes share a real one. */
export class FakeEsdbServer {
  readonly log: FakeRecord[] = [];
  private readonly listeners = new Set<() => void>();
  private nextPosition = FIRST_POSITION;

  constructor() {
    // A real $all starts with system records; the adapter must skip them.
    this.write('$settings', [
      { id: '00000000-0000-4000-8000-000000000001', type: '$settings', data: {}, metadata: {} },
    ]);
  }

  write(
    streamId: string,
    events: ReadonlyArray<{ id: string; type: string; data: unknown; metadata: unknown }>,
  ): bigint {
    let revision = this.revisionOf(streamId) ?? -1n;
    for (const event of events) {
      revision += 1n;
      this.log.push({ ...event, streamId, revision, position: this.nextPosition });
      // Sparse, like log positions: record sizes differ.
      this.nextPosition += 97n + BigInt(JSON.stringify(event.data).length);
    }
    for (const listener of [...this.listeners]) listener();
    return revision;
  }

  revisionOf(streamId: string): bigint | undefined {
    for (let index = this.log.length - 1; index >= 0; index -= 1) {
      const record = this.log[index];
      if (record?.streamId === streamId) return record.revision;
    }
    return undefined;
  }

  onWrite(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  client(): EsdbClient {
    return new FakeEsdbClient(this) as unknown as EsdbClient;
  }
}

function resolved(record: FakeRecord): object {
  const position: Position = { commit: record.position, prepare: record.position };
  return {
    event: { ...record, isJson: true, created: new Date(0), position },
    commitPosition: record.position,
  };
}

function satisfies(expected: AppendExpectedRevision, current: bigint | undefined): boolean {
  if (expected === ANY) return true;
  if (expected === NO_STREAM) return current === undefined;
  if (expected === STREAM_EXISTS) return current !== undefined;
  return current === expected;
}

class FakeEsdbClient {
  constructor(private readonly server: FakeEsdbServer) {}

  async appendToStream(
    streamName: string,
    events: EventData[],
    options: { expectedRevision: AppendExpectedRevision },
  ): Promise<object> {
    const current = this.server.revisionOf(streamName);
    if (!satisfies(options.expectedRevision, current)) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected: options.expectedRevision,
        current: current ?? NO_STREAM,
      });
    }
    const revision = this.server.write(streamName, events);
    const position = this.server.log[this.server.log.length - 1]?.position ?? 0n;
    return {
      success: true,
      nextExpectedRevision: revision,
      position: { commit: position, prepare: position },
    };
  }

  async *readStream(
    streamName: string,
    options: { direction?: string; fromRevision?: bigint | string; maxCount?: number },
  ): AsyncGenerator<object> {
    const records = this.server.log.filter((record) => record.streamId === streamName);
    if (records.length === 0) throw new StreamNotFoundError(undefined, streamName);
    const backwards = options.direction === 'backwards';
    const from =
      typeof options.fromRevision === 'bigint'
        ? options.fromRevision
        : options.fromRevision === END
          ? BigInt(Number.MAX_SAFE_INTEGER)
          : 0n;
    const selected = backwards
      ? records.filter((record) => record.revision <= from).reverse()
      : records.filter((record) => record.revision >= from);
    for (const record of selected.slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER))
      yield resolved(record);
  }

  async *readAll(options: {
    direction?: string;
    fromPosition?: Position | string;
    maxCount?: number;
  }): AsyncGenerator<object> {
    const backwards = options.direction === 'backwards';
    const at = typeof options.fromPosition === 'object' ? options.fromPosition.commit : undefined;
    // Forwards reads include their start; backwards reads return what lies before it.
    const selected = backwards
      ? this.server.log.filter((record) => at === undefined || record.position < at).reverse()
      : this.server.log.filter((record) => at === undefined || record.position >= at);
    for (const record of selected.slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER))
      yield resolved(record);
  }

  subscribeToAll(options: { fromPosition?: Position | string; filter?: Filter }): object {
    return new FakeSubscription(
      this.server,
      typeof options.fromPosition === 'object' ? options.fromPosition.commit : undefined,
      options.filter,
    );
  }

  async dispose(): Promise<void> {
    return undefined;
  }
}

class FakeSubscription {
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly unregister: () => void;

  constructor(
    private readonly server: FakeEsdbServer,
    private after: bigint | undefined,
    private readonly filter: Filter | undefined,
  ) {
    this.unregister = server.onWrite(() => this.wake?.());
  }

  async unsubscribe(): Promise<void> {
    this.ended = true;
    this.unregister();
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<object> {
    while (!this.ended) {
      const next = this.server.log.find(
        (record) => this.after === undefined || record.position > this.after,
      );
      if (next === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.after = next.position;
      if (this.allowed(next)) yield resolved(next);
      else
        await this.filter?.checkpointReached?.(this as never, {
          commit: next.position,
          prepare: next.position,
        });
    }
  }

  private allowed(record: FakeRecord): boolean {
    if (this.filter === undefined || !('regex' in this.filter)) return true;
    const subject = this.filter.filterOn === 'streamName' ? record.streamId : record.type;
    return new RegExp(this.filter.regex).test(subject);
  }
}
