/** Real SQLite stores for integration tests: an event store fed with generated events, a read store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type Clock, type EventStore, type JsonObject } from '@hz/event-store';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import type { GeneratedEvent } from './generator-model';

/** A clock the test sets before each append, so the store records the generated ledger time. */
export class SettableClock implements Clock {
  constructor(private instant = new Date('2024-01-01T00:00:00.000Z')) {}
  set(iso: string): void {
    this.instant = new Date(iso);
  }
  now(): Date {
    return this.instant;
  }
}

/** Appends each generated event on its own, with `clock` set to its ledger time; the last position. */
export async function appendGenerated(
  store: EventStore,
  clock: SettableClock,
  events: readonly GeneratedEvent[],
): Promise<bigint> {
  let position = 0n;
  for (const event of events) {
    clock.set(event.recordedAt);
    const stored = {
      id: event.id,
      type: event.type,
      data: event.data as JsonObject,
      metadata: event.metadata,
    };
    position = (await store.appendToStream(event.streamId, [stored], { expectedRevision: 'any' }))
      .position;
  }
  return position;
}

export class TestStores {
  readonly clock = new SettableClock();
  readonly events: SqliteEventStore;
  readonly reads: SqliteReadStore;

  private constructor(readonly directory: string) {
    this.events = new SqliteEventStore({
      file: join(directory, 'ledger.db'),
      clock: this.clock,
      synchronous: 'NORMAL',
      pollIntervalMs: 5,
    });
    this.reads = new SqliteReadStore(join(directory, 'read-models.db'));
  }

  static create(prefix = 'projections-'): TestStores {
    return new TestStores(mkdtempSync(join(tmpdir(), prefix)));
  }

  /** Appends each event on its own, at its generated ledger time. */
  append(events: readonly GeneratedEvent[]): Promise<bigint> {
    return appendGenerated(this.events, this.clock, events);
  }

  async close(): Promise<void> {
    await this.reads.close();
    await this.events.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
