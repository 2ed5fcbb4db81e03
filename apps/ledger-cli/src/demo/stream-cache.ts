/**
 * A read-through cache of whole streams in front of the event store, for the demo only. LedgerService
 * reads the applicant's whole stream for every command; the demo runs each applicant's commands back to
 * back, so keeping the recently used streams parsed saves most of the generation time. It is safe because
 * the demo is the ledger's only writer while it runs: after each append the new events are read back from
 * the store (with the hashes and recordedAt the store gave them), never made up here.
 */
import { StreamNotFound, type AppendOptions, type AppendResult, type EventStore, type NewEvent, type ReadStreamOptions, type RecordedEvent } from '@hz/event-store';

/** Streams kept parsed; a little above the pool size so an applicant's stream survives its whole phase. */
export const STREAMS_CACHED_MAX = 1024;

export function cachedStreamStore(inner: EventStore, streamsMax = STREAMS_CACHED_MAX): EventStore {
  const cache = new Map<string, RecordedEvent[]>();
  const remember = (streamId: string, events: RecordedEvent[]): void => {
    cache.delete(streamId);
    cache.set(streamId, events);
    // Map keeps insertion order: the first key is the least recently used stream.
    while (cache.size > streamsMax) cache.delete(cache.keys().next().value as string);
  };
  const readWhole = async (streamId: string): Promise<RecordedEvent[]> => {
    const cached = cache.get(streamId);
    if (cached) {
      remember(streamId, cached);
      return cached;
    }
    const events = await inner.readStream(streamId);
    remember(streamId, events);
    return events;
  };
  return {
    async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
      const result = await inner.appendToStream(streamId, events, options);
      const cached = cache.get(streamId);
      if (cached) {
        const next = cached.length === 0 ? 0n : (cached[cached.length - 1] as RecordedEvent).revision + 1n;
        remember(streamId, [...cached, ...(await inner.readStream(streamId, { fromRevision: next }))]);
      }
      return result;
    },
    async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
      const whole = options.fromRevision === undefined && options.direction !== 'backwards' && options.maxCount === undefined;
      if (!whole) return inner.readStream(streamId, options);
      try {
        return [...(await readWhole(streamId))];
      } catch (error) {
        if (error instanceof StreamNotFound) cache.delete(streamId);
        throw error;
      }
    },
    readAll: (options) => inner.readAll(options),
    subscribeToAll: (options) => inner.subscribeToAll(options),
    headPosition: () => inner.headPosition(),
    close: () => inner.close(),
  };
}
