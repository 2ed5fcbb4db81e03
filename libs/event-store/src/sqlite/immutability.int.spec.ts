/**
 * Invariant 5 on SQLite: the triggers that refuse UPDATE and DELETE are put back when a store is opened,
 * so dropping them by hand does not leave the file mutable for the next process that writes to it.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from './sqlite-event-store';

describe('Invariant 5: append only — SQLite immutability triggers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'immutability-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores the UPDATE and DELETE triggers at open after they were dropped by hand', async () => {
    const file = join(dir, 'ledger.db');
    const first = await openSqliteEventStore({ file });
    await first.appendToStream(
      's-1',
      [
        {
          id: '00000000-0000-4000-8000-000000000001',
          type: 'Happened',
          data: { n: 1 },
          metadata: {
            actor: 'a',
            role: 'admin',
            correlationId: 'c',
            causationId: 'c',
            idempotencyKey: 'k',
            occurredAt: '2024-01-01T00:00:00.000Z',
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await first.close();

    const raw = new Database(file);
    raw.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
    raw.close();

    const reopened = await openSqliteEventStore({ file });
    await reopened.close();
    const check = new Database(file);
    try {
      expect(() => check.prepare("UPDATE events SET type = 'Edited'").run()).toThrow(
        'events are immutable',
      );
      expect(() => check.prepare('DELETE FROM events').run()).toThrow('events are immutable');
    } finally {
      check.close();
    }
  });
});
