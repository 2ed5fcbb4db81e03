/**
 * Issue 13: verify and seal read the log through the streaming read (stream by stream, flat memory) and
 * must say exactly what the previous implementation said. Checked once by hand against commit 2bd57a7 (its
 * `ledger verify --json` and `ledger seal` on this demo and these tamperings gave byte-identical reports
 * and roots, docs/benchmarks.md); kept here as what does not depend on the demo's content: the CLI's report
 * equals the in-process report in stream order and in position order (the previous algorithm: one pass,
 * every applicant kept, chains per head, references exact, findings as they come), each tampering fails
 * exactly the checks it failed then, and the seal's root is the reference Merkle root (merkleRoot over
 * computeEventHash of every event read through readAll).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalJson,
  computeEventHash,
  createThrowawayDatabase,
  openPostgresEventStore,
  openSqliteEventStore,
  type EventMetadataInput,
  type JsonObject,
} from '@hz/event-store';
import { FixedClock } from '@hz/event-store/testing';
import { merkleRoot, runLedgerVerification } from '@hz/audit';
import {
  demoLedgerTemplate,
  failingChecks,
  runLedger,
  type VerifyJson,
} from './testing/cli-harness';
import { ledgerFile, withRawDatabase } from './testing/ledger-surgery';

const FIRST = (type: string) => `(SELECT min(position) FROM events WHERE type = '${type}')`;

/** Name → raw SQL on the demo's file, and the checks the previous implementation failed on it. */
const CASES: ReadonlyArray<readonly [string, string | undefined, readonly string[]]> = [
  ['the demo ledger as written', undefined, []],
  [
    'an approval whose amount was edited',
    `UPDATE events SET data = json_set(data, '$.amount', '999999.00') WHERE position = ${FIRST('ClaimApproved')}`,
    ['decision-recompute', 'hash-chain', 'split-sum'],
  ],
  [
    'a deleted disbursement',
    `DELETE FROM events WHERE position = ${FIRST('DisbursementRecorded')}`,
    ['hash-chain'],
  ],
  [
    'an approval moved to the front of the log',
    `UPDATE events SET position = -1 WHERE position = ${FIRST('ClaimApproved')}`,
    ['hash-chain', 'lifecycle', 'paid-within-share'],
  ],
  [
    'one payment reference on three disbursements of different applicants',
    `UPDATE events SET data = json_set(data, '$.paymentRef', 'SAME') WHERE position IN (SELECT position FROM events WHERE type = 'DisbursementRecorded' ORDER BY stream_id DESC LIMIT 3)`,
    ['hash-chain', 'unique-reference'],
  ],
  [
    // Two applicants in different partitions of 2 workers: no one worker sees the reference twice, the
    // coordinator finds the fingerprint in both workers' tables (libs/audit/src/verify/parallel-verify.ts).
    'one payment reference on two disbursements in different partitions',
    `UPDATE events SET data = json_set(data, '$.paymentRef', 'SAME') WHERE position IN (${[0, 1]
      .map(
        (parity) =>
          `(SELECT min(position) FROM events WHERE type = 'DisbursementRecorded' AND (unicode(substr(stream_id, -1)) + unicode(substr(stream_id, -2, 1))) % 2 = ${parity})`,
      )
      .join(', ')})`,
    ['hash-chain', 'unique-reference'],
  ],
  [
    'an edited first reference reservation (an event no check parses)',
    `UPDATE events SET data = json_set(data, '$.subjectId', 'x') WHERE position = ${FIRST('ReferenceReserved')}`,
    ['hash-chain'],
  ],
  [
    'an edited actor in the metadata',
    `UPDATE events SET metadata = json_set(metadata, '$.actor', 'mallory') WHERE position = (SELECT max(position) FROM events WHERE type = 'ClaimApproved')`,
    ['hash-chain'],
  ],
  [
    'a nested object added to the metadata',
    `UPDATE events SET metadata = json_set(metadata, '$.extra', json('{"hash":"x"}')) WHERE position = 7`,
    ['hash-chain'],
  ],
  [
    // Copied into a new stream that falls in the other partition of 2 workers (partition: the last two
    // characters, libs/audit/src/verify/verify-partition.ts): no one worker sees the applicant twice, so
    // verify on worker threads must notice and run the pass on one thread.
    'an applicant registered again in a stream of its own',
    `INSERT INTO events (stream_id, revision, event_id, type, data, metadata) SELECT stream_id || CASE WHEN (unicode(substr(stream_id, -1)) + unicode(substr(stream_id, -2, 1))) % 2 = 0 THEN '01' ELSE '00' END, 0, event_id || '-copy', type, data, metadata FROM events WHERE position = ${FIRST('ApplicantRegistered')}`,
    ['hash-chain', 'lifecycle'],
  ],
  [
    'metadata re-spaced (same content, not the stored canonical text)',
    `UPDATE events SET metadata = replace(metadata, '"hash":"', '"hash": "') WHERE position = 9`,
    [],
  ],
];

/** The report without its time fields, as canonical JSON. */
function reportText(report: object): string {
  const { verifiedAt: _at, durationMs: _ms, ...rest } = report as Record<string, unknown>;
  return canonicalJson(JSON.parse(JSON.stringify(rest)) as JsonObject);
}

let template: Awaited<ReturnType<typeof demoLedgerTemplate>>;
beforeAll(async () => {
  template = await demoLedgerTemplate(30);
}, 240_000);

describe('issue 13: verify and seal say what they said before, streaming', () => {
  it.each(CASES)(
    'verify on %s',
    async (_name, sql, expected) => {
      const dataDir = template.copy();
      if (sql !== undefined) withRawDatabase(dataDir, (db) => db.exec(sql));
      const run = await runLedger(dataDir, ['verify', '--json']);
      expect(run.code).toBeLessThan(2);
      const cliReport = JSON.parse(run.stdout) as VerifyJson;
      expect(failingChecks(cliReport)).toEqual(expected);
      const cliText = reportText(cliReport);
      const store = await openSqliteEventStore({ file: ledgerFile(dataDir) });
      try {
        // Stream by stream on 1, 2 and 4 threads (libs/audit/src/verify/parallel-verify.ts), and the
        // position-order pass: one report.
        const runs = [
          { order: 'stream', workers: 1 },
          { order: 'stream', workers: 2 },
          { order: 'stream', workers: 4 },
          { order: 'position', workers: 1 },
        ] as const;
        for (const request of runs) {
          const report = await runLedgerVerification(
            { eventStore: store, liveReadStore: undefined },
            request,
          );
          expect({ ...request, report: reportText(report) }).toEqual({
            ...request,
            report: cliText,
          });
        }
      } finally {
        await store.close();
      }
    },
    120_000,
  );

  it('ledger verify --workers: the same report on 1 and 3 threads; outside 1..16 a usage error', async () => {
    const dataDir = template.copy();
    const reports: string[] = [];
    for (const workers of ['1', '3']) {
      const run = await runLedger(dataDir, ['verify', '--json', '--workers', workers]);
      expect(run.code).toBe(0);
      reports.push(reportText(JSON.parse(run.stdout) as VerifyJson));
    }
    expect(reports[1]).toBe(reports[0]);
    for (const workers of ['0', '17', 'two']) {
      const run = await runLedger(dataDir, ['verify', '--workers', workers]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--workers');
    }
  }, 120_000);

  it('seals the reference Merkle root, and verify with that checkpoint passes', async () => {
    const dataDir = template.copy();
    const store = await openSqliteEventStore({ file: ledgerFile(dataDir) });
    const hashes: string[] = [];
    try {
      for (let from = 0n; ;) {
        const page = await store.readAll({ fromPosition: from, maxCount: 500 });
        for (const event of page) hashes.push(computeEventHash(event));
        const last = page.at(-1);
        if (last === undefined || page.length < 500) break;
        from = last.position;
      }
    } finally {
      await store.close();
    }
    const out = join(dataDir, 'cp.json');
    const sealed = await runLedger(dataDir, ['seal', '--out', out]);
    expect(sealed.code).toBe(0);
    const checkpoint = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(checkpoint).toMatchObject({
      position: String(hashes.length),
      eventCount: hashes.length,
      merkleRoot: merkleRoot(hashes),
    });
    const run = await runLedger(dataDir, ['verify', '--json', '--checkpoint', out]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      checks: Record<string, unknown>;
      checkpoint: Record<string, unknown>;
    };
    expect(report.ok).toBe(true);
    expect(report.checks['checkpoint']).toEqual({ ran: true, violations: 0 });
    expect(report.checkpoint).toMatchObject({ eventCount: hashes.length });
  });

  it('on PostgreSQL (a cursor, stream by stream) verify says what the position-order pass says', async () => {
    const database = await createThrowawayDatabase('ledger_audit_stream');
    const source = await openSqliteEventStore({ file: ledgerFile(template.dir) });
    const target = await openPostgresEventStore({
      connectionString: database.connectionString,
      clock: new FixedClock(),
    });
    try {
      for (let from = 0n; ;) {
        const page = await source.readAll({ fromPosition: from, maxCount: 500 });
        for (const event of page) {
          const { hash: _h, prevHash: _p, recordedAt: _r, ...metadata } = event.metadata;
          await target.appendToStream(
            event.streamId,
            [
              {
                id: event.id,
                type: event.type,
                data: event.data,
                metadata: metadata as EventMetadataInput,
              },
            ],
            { expectedRevision: event.revision === 0n ? 'no_stream' : event.revision - 1n },
          );
        }
        const last = page.at(-1);
        if (last === undefined || page.length < 500) break;
        from = last.position;
      }
      const [streamed, positioned] = await Promise.all(
        (['stream', 'position'] as const).map(async (order) =>
          reportText(
            await runLedgerVerification(
              { eventStore: target, liveReadStore: undefined },
              { order },
            ),
          ),
        ),
      );
      expect(streamed).toBe(positioned);
      expect(JSON.parse(streamed ?? 'null')).toMatchObject({ ok: true });
    } finally {
      await target.close();
      await source.close();
      await database.drop();
    }
  }, 120_000);
});
