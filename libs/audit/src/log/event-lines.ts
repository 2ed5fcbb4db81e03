/**
 * One stored event as one line of JSON Lines: the audit pack's events.jsonl and the golden ledger
 * (test/golden, docs/architecture.md §2 "Event versions and upcasting") write and read events this way.
 * Canonical JSON (@hz/kernel), bigint positions as decimal strings, the stored metadata with its hashes.
 */
import { canonicalJson } from '@hz/kernel';
import type { JsonObject, RecordedEvent } from '@hz/event-store';

export interface EventLine {
  readonly position: string;
  readonly streamId: string;
  readonly revision: string;
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: RecordedEvent['metadata'];
}

export function eventLineOf(event: RecordedEvent): string {
  return canonicalJson({
    position: event.position.toString(),
    streamId: event.streamId,
    revision: event.revision.toString(),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  });
}

/** The lines of a JSON Lines text (blank lines skipped), in order. */
export function parseEventLines(text: string): EventLine[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as EventLine);
}
