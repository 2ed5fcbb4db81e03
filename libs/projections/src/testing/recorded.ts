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

export function recordGenerated(
  events: Iterable<GeneratedEvent>,
  firstPosition = 1n,
): RecordedEvent[] {
  const heads = new Map<string, { revision: bigint; hash: string }>();
  const recorded: RecordedEvent[] = [];
  let position = firstPosition;
  for (const event of events) {
    const head = heads.get(event.streamId);
    const revision = head === undefined ? 0n : head.revision + 1n;
    const data = JSON.parse(canonicalJson(event.data)) as JsonObject;
    const base = {
      ...event.metadata,
      recordedAt: event.recordedAt,
      prevHash: head?.hash ?? GENESIS_PREV_HASH,
    };
    const hash = computeEventHash({
      streamId: event.streamId,
      revision,
      id: event.id,
      type: event.type,
      data,
      metadata: base,
    });
    const metadata = { ...base, hash } as StoredEventMetadata;
    recorded.push({
      id: event.id,
      type: event.type,
      data,
      metadata,
      streamId: event.streamId,
      revision,
      position,
    });
    heads.set(event.streamId, { revision, hash });
    position += 1n;
  }
  return recorded;
}
