import { StreamNotFound, type EventStore, type RecordedEvent } from '@hz/event-store';
import { toLedgerEvent } from './event-envelope';
import type { StreamModel } from './stream-models';

/** A stream that does not exist yet is an empty history, decided from the initial state. */
export async function readStreamOrEmpty(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(streamId);
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

export function foldRecorded<TState>(model: Pick<StreamModel<TState>, 'initialState' | 'evolve'>, recorded: readonly RecordedEvent[]): TState {
  return recorded.map(toLedgerEvent).reduce(model.evolve, model.initialState());
}
