/** Turns generated events into RecordedEvents as a store would (positions, revisions, hash chain). */
import {
  canonicalJson,
  computeEventHash,
  GENESIS_PREV_HASH,
  type JsonObject,
  type RecordedEvent,
  type StoredEventMetadata,
} from '@hz/event-store';
import type { GeneratedEvent } from './generator-model';

/** The last link of each stream's hash chain, by stream id. */
export type ChainHeads = Map<string, { readonly revision: bigint; readonly hash: string }>;

/**
 * Links the next event of its stream into the chain as a store would: its revision, and its metadata
 * with the recording time, the previous hash and its own hash. Moves the stream's head.
 */
export function chainNext(
  heads: ChainHeads,
  event: GeneratedEvent,
  data: JsonObject,
): { readonly revision: bigint; readonly metadata: StoredEventMetadata } {
  const head = heads.get(event.streamId);
  const revision = head === undefined ? 0n : head.revision + 1n;
  const base = {
    ...event.metadata,
    recordedAt: event.recordedAt,
    prevHash: head?.hash ?? GENESIS_PREV_HASH,
  };
  const { streamId, id, type } = event;
  const hash = computeEventHash({ streamId, revision, id, type, data, metadata: base });
  heads.set(streamId, { revision, hash });
  return { revision, metadata: { ...base, hash } as StoredEventMetadata };
}

export function recordGenerated(
  events: Iterable<GeneratedEvent>,
  firstPosition = 1n,
): RecordedEvent[] {
  const heads: ChainHeads = new Map();
  const recorded: RecordedEvent[] = [];
  let position = firstPosition;
  for (const event of events) {
    const data = JSON.parse(canonicalJson(event.data)) as JsonObject;
    const { revision, metadata } = chainNext(heads, event, data);
    const { id, type, streamId } = event;
    recorded.push({ id, type, data, metadata, streamId, revision, position });
    position += 1n;
  }
  return recorded;
}
