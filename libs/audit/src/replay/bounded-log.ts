/**
 * A read-only view of the log that ends early: at a position (`--until-position`) or at the last event
 * the ledger had recorded by a ledger time (`--as-of`). The projections' own runner reads through it, so a
 * replay "as of" is the same code as the live projector, stopped at a prefix of the log.
 */
import type { EventStore, ReadAllOptions, RecordedEvent } from '@hz/event-store';

export interface LogBound {
  readonly untilPosition?: bigint;
  /** Ledger time (epoch ms): events recorded later are not part of the view. */
  readonly asOfMs?: number;
}

export class BoundedLog implements Pick<EventStore, 'readAll' | 'headPosition'> {
  /** Ledger time never goes back on the read side (projections' watermark), so the as-of cut is a prefix. */
  private watermarkMs = 0;
  private endPosition: bigint | undefined;
  private lastSeen = 0n;

  constructor(
    private readonly inner: Pick<EventStore, 'readAll' | 'headPosition'>,
    private readonly bound: LogBound,
  ) {}

  async headPosition(): Promise<bigint> {
    const head = await this.inner.headPosition();
    const limit = this.endPosition ?? this.bound.untilPosition;
    return limit !== undefined && limit < head ? limit : head;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 0n;
    if (this.endPosition !== undefined && from >= this.endPosition) return [];
    const page = await this.inner.readAll(options);
    const kept: RecordedEvent[] = [];
    for (const event of page) {
      if (this.beyondBound(event)) {
        this.endPosition = this.lastSeen;
        break;
      }
      kept.push(event);
      this.lastSeen = event.position;
    }
    return kept;
  }

  private beyondBound(event: RecordedEvent): boolean {
    if (this.bound.untilPosition !== undefined && event.position > this.bound.untilPosition)
      return true;
    if (this.bound.asOfMs === undefined) return false;
    if (event.position > this.lastSeen) {
      const recordedMs = Date.parse(event.metadata.recordedAt);
      if (recordedMs > this.watermarkMs) this.watermarkMs = recordedMs;
    }
    return this.watermarkMs > this.bound.asOfMs;
  }
}

/** The view as a full EventStore for the runner: writes and subscriptions are refused, it is an audit. */
export function boundedEventStore(
  inner: EventStore,
  bound: LogBound,
  onPage?: (lastPosition: bigint, count: number, page: readonly RecordedEvent[]) => void,
): EventStore {
  const view = new BoundedLog(inner, bound);
  const readAll = async (options?: ReadAllOptions): Promise<RecordedEvent[]> => {
    const page = await view.readAll(options);
    const last = page[page.length - 1];
    if (last !== undefined) onPage?.(last.position, page.length, page);
    return page;
  };
  const refuse = (): never => {
    throw new Error('a bounded audit view of the log is read-only');
  };
  return {
    appendToStream: async () => refuse(),
    readStream: (streamId, options) => inner.readStream(streamId, options),
    readAll,
    subscribeToAll: () => refuse(),
    headPosition: () => view.headPosition(),
    close: async () => undefined,
  };
}
