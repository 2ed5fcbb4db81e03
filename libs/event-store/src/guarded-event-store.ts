/**
 * What every adapter does before it reaches its database (docs/architecture.md §4): refuse once closed,
 * and check an append's arguments (assertAppendRequest) before anything is written. The adapters extend
 * it and write only their own append (appendChecked) and their own reads.
 */
import { assertAppendRequest } from './append-guards';
import type { AppendOptions, AppendResult, NewEvent } from './port';

/** One append as the port receives it; the group-commit queues batch these. */
export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions;
}

export abstract class GuardedEventStore {
  protected closed = false;

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.assertOpen();
    assertAppendRequest(streamId, events, options);
    return this.appendChecked({ streamId, events, options });
  }

  /** The append, its arguments checked and the store open. */
  protected abstract appendChecked(request: AppendRequest): Promise<AppendResult>;

  /** How the store names itself when used after close(), e.g. `event store /data/ledger.db`. */
  protected abstract describeStore(): string;

  protected assertOpen(): void {
    if (this.closed) throw new Error(`${this.describeStore()} is closed`);
  }
}
