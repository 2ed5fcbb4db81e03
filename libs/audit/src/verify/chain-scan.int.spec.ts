/**
 * The chain scan that rides verify's position-order pass (issue 13) reports exactly what the event store's
 * own verifier (verifyAllChains) reports, on a real SQLite file tampered with raw SQL: nothing for an intact
 * log, the same problems in the same order for an edit, a deletion and a move.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { computeEventHash, openSqliteEventStore, verifyAllChains } from '@hz/event-store';
import { FixedClock, testEvent, testEvents } from '@hz/event-store/testing';
import { scanLog } from '../log/scan-log';
import { ChainScan } from './chain-scan';

const TARGET = 'applicant-91330100MA27XYZ12A';
const BYSTANDER = 'applicant-91330100MA27ABC34B';
const directory = mkdtempSync(join(tmpdir(), 'audit-chain-scan-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Two streams whose appends alternate (TARGET revisions 0..5), so one stream's positions are not contiguous. */
async function ledgerFile(name: string): Promise<string> {
  const file = join(directory, `${name.replace(/[^a-z]+/g, '-')}.db`);
  const store = await openSqliteEventStore({ file, clock: new FixedClock() });
  for (const round of [0, 1, 2]) {
    await store.appendToStream(TARGET, testEvents(`target-${round}`, 2), {
      expectedRevision: round === 0 ? 'no_stream' : BigInt(2 * round - 1),
    });
    await store.appendToStream(BYSTANDER, [testEvent(`bystander-${round}`)], {
      expectedRevision: round === 0 ? 'no_stream' : BigInt(round - 1),
    });
  }
  await store.close();
  return file;
}

function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  db.exec(sql);
  db.close();
}

async function bothVerdicts(file: string): Promise<{ scan: unknown[]; store: unknown[] }> {
  const store = await openSqliteEventStore({ file });
  try {
    const chains = new ChainScan();
    await scanLog(store, (event) => chains.visit(event, computeEventHash(event)), { pageSize: 3 });
    return { scan: await chains.problems(store), store: await verifyAllChains(store) };
  } finally {
    await store.close();
  }
}

describe('Invariant 7: chains — verify checks them in its one pass', () => {
  it('finds nothing in an intact log', async () => {
    const verdicts = await bothVerdicts(await ledgerFile('intact'));
    expect(verdicts.scan).toEqual([]);
    expect(verdicts.store).toEqual([]);
  });

  it.each([
    [
      'an edited payload',
      `UPDATE events SET data = json_set(data, '$.requestedAmount', '999999.00') WHERE stream_id = '${TARGET}' AND revision = 3`,
      'hash_mismatch',
    ],
    [
      'a deleted event',
      `DELETE FROM events WHERE stream_id = '${TARGET}' AND revision = 2`,
      'revision_gap',
    ],
    [
      'an event moved to the front of the global log',
      `UPDATE events SET position = -1 WHERE stream_id = '${TARGET}' AND revision = 2`,
      undefined,
    ],
  ])('reports %s exactly as verifyAllChains does', async (name, sql, kind) => {
    const file = await ledgerFile(name);
    tamper(file, sql);
    const verdicts = await bothVerdicts(file);
    expect(verdicts.scan).toEqual(verdicts.store);
    if (kind !== undefined) expect(verdicts.scan).toMatchObject([{ kind, streamId: TARGET }]);
    else expect(verdicts.scan.length).toBeGreaterThan(0);
  });
});
