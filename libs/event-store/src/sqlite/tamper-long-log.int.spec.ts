/**
 * Invariant 7 beyond the first page: verifyAllChains reads the log and each stream in pages of 1000, so a
 * tampered event must be found whether it sits after the first page of its stream or in a stream that first
 * appears after the first page of the log. Raw SQL access as in tamper.int.spec.ts (triggers dropped first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyAllChains, type ChainProblem } from '../chain-verifier';
import { FixedClock, testEvents } from '../testing';
import { openSqliteEventStore } from './sqlite-event-store';

/** 1001 events: revisions 0..1000, positions 1..1001, so its last event is on the second page either way. */
const LONG = 'applicant-91330100MA27LONG1X';
/** Created after LONG: positions 1002 and 1003, on the second page of readAll. */
const LATE = 'applicant-91330100MA27LATE2Y';
const LONG_LENGTH = 1001;

const directory = mkdtempSync(join(tmpdir(), 'event-store-long-log-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let fileCounter = 0;

async function givenLongLedgerFile(): Promise<string> {
  fileCounter += 1;
  const file = join(directory, `long-${fileCounter}.db`);
  const store = await openSqliteEventStore({ file, clock: new FixedClock() });
  await store.appendToStream(LONG, testEvents('long', LONG_LENGTH), {
    expectedRevision: 'no_stream',
  });
  await store.appendToStream(LATE, testEvents('late', 2), { expectedRevision: 'no_stream' });
  await store.close();
  return file;
}

function editData(file: string, streamId: string, revision: number): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  db.prepare(
    "UPDATE events SET data = json_set(data, '$.requestedAmount', '999999.00') WHERE stream_id = ? AND revision = ?",
  ).run(streamId, revision);
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

describe('Invariant 7: chains — verifying a log longer than one page', () => {
  it('finds nothing wrong with an untouched long log', async () => {
    expect(await problemsIn(await givenLongLedgerFile())).toEqual([]);
  });

  it('finds an edit after the first page of a long stream', async () => {
    const file = await givenLongLedgerFile();
    editData(file, LONG, LONG_LENGTH - 1);
    expect(await problemsIn(file)).toEqual([
      { kind: 'hash_mismatch', streamId: LONG, revision: 1000n },
    ]);
  });

  it('finds an edit in a stream that first appears after the first page of the log', async () => {
    const file = await givenLongLedgerFile();
    editData(file, LATE, 1);
    expect(await problemsIn(file)).toEqual([
      { kind: 'hash_mismatch', streamId: LATE, revision: 1n },
    ]);
  });
});
