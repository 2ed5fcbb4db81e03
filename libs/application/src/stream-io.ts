import {
  StreamNotFound,
  type EventStore,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@hz/event-store';
import { toLedgerEvent } from './event-envelope';
import type { StreamModel } from './stream-models';

/** A stream that does not exist yet is an empty history, decided from the initial state. */
export async function readStreamOrEmpty(
  store: EventStore,
  streamId: string,
  options?: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  try {
    return await (options === undefined
      ? store.readStream(streamId)
      : store.readStream(streamId, options));
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

/** Folds recorded events onto `state` (the initial state unless given: a cached fold continues from there). */
export function foldRecorded<TState>(
  model: Pick<StreamModel<TState>, 'initialState' | 'evolve'>,
  recorded: readonly RecordedEvent[],
  state: TState = model.initialState(),
): TState {
  let folded = state;
  for (const event of recorded) folded = model.evolve(folded, toLedgerEvent(event));
  return folded;
}
