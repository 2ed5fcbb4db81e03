/**
 * Invariant 7 on a real file: someone with raw SQL access edits, deletes, inserts or reorders one stored
 * event (after dropping the immutability triggers); the chain verifier, working only on what the store's
 * reads return, names the stream, the revision and the kind of tampering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '@hz/kernel';
import { verifyAllChains, type ChainProblem } from '../chain-verifier';
import { computeEventHash } from '../hash-chain';
import { FixedClock, testEvent, testEvents } from '../testing';
import { openSqliteEventStore } from './sqlite-event-store';

const TARGET = 'applicant-91330100MA27XYZ12A';
const BYSTANDER = 'applicant-91330100MA27ABC34B';
const directory = mkdtempSync(join(tmpdir(), 'event-store-tamper-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Row {
  readonly position: bigint;
  readonly revision: bigint;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

let fileCounter = 0;

/** TARGET gets revisions 0..5 in three appends, interleaved with BYSTANDER so positions are not contiguous. */
async function givenLedgerFile(): Promise<string> {
  fileCounter += 1;
  const file = join(directory, `ledger-${fileCounter}.db`);
  const store = await openSqliteEventStore({ file, clock: new FixedClock() });
  await store.appendToStream(TARGET, testEvents('t-a', 2), { expectedRevision: 'no_stream' });
  await store.appendToStream(BYSTANDER, testEvents('b-a', 2), { expectedRevision: 'no_stream' });
  await store.appendToStream(TARGET, testEvents('t-b', 3), { expectedRevision: 1n });
  await store.appendToStream(BYSTANDER, [testEvent('b-b')], { expectedRevision: 1n });
  await store.appendToStream(TARGET, [testEvent('t-c')], { expectedRevision: 4n });
  await store.close();
  return file;
}

/** Raw access as an attacker has it: the triggers are just SQL, so they go first. */
function tamper(
  file: string,
  change: (db: Database.Database, row: (revision: number) => Row) => void,
): void {
  const db = new Database(file);
  db.defaultSafeIntegers(true);
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  const select = db.prepare<[string, number], Row>(
    'SELECT position, revision, event_id, type, data, metadata FROM events WHERE stream_id = ? AND revision = ?',
  );
  const row = (revision: number): Row => {
    const found = select.get(TARGET, revision);
    if (found === undefined) throw new Error(`no row at revision ${revision}`);
    return found;
  };
  db.transaction(() => change(db, row))();
  db.close();
}

async function problemsIn(
  file: string,
): Promise<Array<Pick<ChainProblem, 'kind' | 'streamId' | 'revision'>>> {
  const store = await openSqliteEventStore({ file });
  try {
    return (await verifyAllChains(store)).map(({ kind, streamId, revision }) => ({
      kind,
      streamId,
      revision,
    }));
  } finally {
    await store.close();
  }
}

/** Moves TARGET's rows from `revision` on one revision up (in two steps, so UNIQUE never sees a clash). */
function shiftUp(db: Database.Database, revision: number): void {
  db.prepare(
    'UPDATE events SET revision = revision + 1000000 WHERE stream_id = ? AND revision >= ?',
  ).run(TARGET, revision);
  db.prepare(
    'UPDATE events SET revision = revision - 999999 WHERE stream_id = ? AND revision >= 1000000',
  ).run(TARGET);
}

describe('Invariant 7: chains — tampering with the SQLite file', () => {
  it('an untouched file verifies', async () => {
    expect(await problemsIn(await givenLedgerFile())).toEqual([]);
  });

  it('an edited payload is a hash mismatch at that revision', async () => {
    const file = await givenLedgerFile();
    tamper(file, (db) => {
      db.prepare(
        "UPDATE events SET data = json_set(data, '$.requestedAmount', '999999.00') WHERE stream_id = ? AND revision = 3",
      ).run(TARGET);
    });
    expect(await problemsIn(file)).toEqual([
      { kind: 'hash_mismatch', streamId: TARGET, revision: 3n },
    ]);
  });

  it('a deleted event is a revision gap at the missing revision', async () => {
    const file = await givenLedgerFile();
    tamper(file, (db) =>
      db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = 2').run(TARGET),
    );
    expect(await problemsIn(file)).toEqual([
      { kind: 'revision_gap', streamId: TARGET, revision: 2n },
    ]);
  });

  it('an inserted event with a correctly computed hash is reported as inserted at its revision', async () => {
    const file = await givenLedgerFile();
    tamper(file, (db, row) => {
      const previous = row(1);
      const prevHash = (JSON.parse(previous.metadata) as { hash: string }).hash;
      shiftUp(db, 2);
      const forged = {
        ...testEvent('forged', { data: { claimId: 'forged', requestedAmount: '500000.00' } }),
        streamId: TARGET,
        revision: 2n,
      };
      const metadata = { ...forged.metadata, recordedAt: '2024-03-01T08:00:00.000Z', prevHash };
      const hash = computeEventHash({ ...forged, metadata });
      db.prepare(
        'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, 2, ?, ?, ?, ?)',
      ).run(
        TARGET,
        forged.id,
        forged.type,
        canonicalJson(forged.data),
        canonicalJson({ ...metadata, hash }),
      );
    });
    expect(await problemsIn(file)).toEqual([{ kind: 'inserted', streamId: TARGET, revision: 2n }]);
  });

  it('two neighbouring events with swapped contents are reported as reordered', async () => {
    const file = await givenLedgerFile();
    tamper(file, (db, row) => {
      const [second, third] = [row(2), row(3)];
      const update = db.prepare(
        'UPDATE events SET event_id = ?, type = ?, data = ?, metadata = ? WHERE position = ?',
      );
      update.run(
        `moving-${third.event_id}`,
        third.type,
        third.data,
        third.metadata,
        second.position,
      );
      update.run(second.event_id, second.type, second.data, second.metadata, third.position);
      db.prepare('UPDATE events SET event_id = ? WHERE position = ?').run(
        third.event_id,
        second.position,
      );
    });
    expect(await problemsIn(file)).toEqual([{ kind: 'reordered', streamId: TARGET, revision: 2n }]);
  });

  it('an event moved in the global log (positions swapped) is reported as reordered', async () => {
    const file = await givenLedgerFile();
    tamper(file, (db, row) => {
      const [second, third] = [row(2).position, row(3).position];
      const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
      move.run(-1n, second);
      move.run(second, third);
      move.run(third, -1n);
    });
    expect(await problemsIn(file)).toEqual([{ kind: 'reordered', streamId: TARGET, revision: 3n }]);
  });
});
