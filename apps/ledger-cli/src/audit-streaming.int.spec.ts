/**
 * Issue 13: verify and seal read the log through the streaming read (stream by stream, flat memory) and
 * must say exactly what the previous implementation (one pass in position order, every applicant kept)
 * said. The digests below were taken from `ledger verify --json` and `ledger seal` of that implementation
 * (commit 2bd57a7) on the same deterministic demo ledger and the same raw-SQL tamperings; the report is
 * compared without its two time fields (verifiedAt, durationMs), as canonical JSON. Each tampered ledger is
 * also verified in-process in both orders (stream and position), which must agree.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalJson,
  createThrowawayDatabase,
  openPostgresEventStore,
  openSqliteEventStore,
  type EventMetadataInput,
  type JsonObject,
} from '@hz/event-store';
import { FixedClock } from '@hz/event-store/testing';
import { runLedgerVerification } from '@hz/audit';
import { demoLedgerTemplate, runLedger } from './testing/cli-harness';
import { ledgerFile, withRawDatabase } from './testing/ledger-surgery';

const FIRST = (type: string) => `(SELECT min(position) FROM events WHERE type = '${type}')`;

/** Name → raw SQL on the demo's file, and the digest of the previous implementation's report. */
const CASES: ReadonlyArray<readonly [string, string | undefined, string]> = [
  [
    'the demo ledger as written',
    undefined,
    '5b516bf55a16f19b80119b34087335ee1d0af1477dcdd8c822c62243c7194141',
  ],
  [
    'an approval whose amount was edited',
    `UPDATE events SET data = json_set(data, '$.amount', '999999.00') WHERE position = ${FIRST('ClaimApproved')}`,
    'ef969aade26eb3dad2ccd664f98fdd0f76904387c4ed8091e438a1e46e0d8ef8',
  ],
  [
    'a deleted disbursement',
    `DELETE FROM events WHERE position = ${FIRST('DisbursementRecorded')}`,
    '0b96a6d7c68ce0d6ad9ca9f9630c6ac9f76b96364ebf0ec07ebde211b3732e17',
  ],
  [
    'an approval moved to the front of the log',
    `UPDATE events SET position = -1 WHERE position = ${FIRST('ClaimApproved')}`,
    'fc8f19bb8a88c3db990bd94025ced5b51e87fc0cdfc003fee02013b91dbb0bbb',
  ],
  [
    'one payment reference on three disbursements of different applicants',
    `UPDATE events SET data = json_set(data, '$.paymentRef', 'SAME') WHERE position IN (SELECT position FROM events WHERE type = 'DisbursementRecorded' ORDER BY stream_id DESC LIMIT 3)`,
    '2071d14f5ec3c4681fa73b43b6a48258da0e85ad6b473d3a26d612ed86827bb8',
  ],
  [
    'an edited first reference reservation (an event no check parses)',
    `UPDATE events SET data = json_set(data, '$.subjectId', 'x') WHERE position = ${FIRST('ReferenceReserved')}`,
    'dbb960745a84709da9569a5f94a43637c71734ec7fc98d6005e1e44b79742087',
  ],
  [
    'an edited actor in the metadata',
    `UPDATE events SET metadata = json_set(metadata, '$.actor', 'mallory') WHERE position = (SELECT max(position) FROM events WHERE type = 'ClaimApproved')`,
    '98b75f3af007eb756f575c597b23b430e1bb4f6f7f900dee228792d026582c83',
  ],
  [
    'a nested object added to the metadata',
    `UPDATE events SET metadata = json_set(metadata, '$.extra', json('{"hash":"x"}')) WHERE position = 7`,
    'fb5a5662de68be419723998a5515c5aa1d6c66bcdeb3ed5d1a7c075f7ec0e714',
  ],
  [
    'metadata re-spaced (same content, not the stored canonical text)',
    `UPDATE events SET metadata = replace(metadata, '"hash":"', '"hash": "') WHERE position = 9`,
    '5b516bf55a16f19b80119b34087335ee1d0af1477dcdd8c822c62243c7194141',
  ],
];

/** The report without its time fields, as canonical JSON. */
function reportText(report: object): string {
  const { verifiedAt: _at, durationMs: _ms, ...rest } = report as Record<string, unknown>;
  return canonicalJson(JSON.parse(JSON.stringify(rest)) as JsonObject);
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

let template: Awaited<ReturnType<typeof demoLedgerTemplate>>;
beforeAll(async () => {
  template = await demoLedgerTemplate(30);
}, 240_000);

describe('issue 13: verify and seal say what they said before, streaming', () => {
  it.each(CASES)('verify on %s', async (_name, sql, expected) => {
    const dataDir = template.copy();
    if (sql !== undefined) withRawDatabase(dataDir, (db) => db.exec(sql));
    const run = await runLedger(dataDir, ['verify', '--json']);
    expect(run.code).toBeLessThan(2);
    const cliText = reportText(JSON.parse(run.stdout) as object);
    expect(digest(cliText)).toBe(expected);
    const store = await openSqliteEventStore({ file: ledgerFile(dataDir) });
    try {
      const reports = await Promise.all(
        (['stream', 'position'] as const).map(async (order) =>
          reportText(
            await runLedgerVerification({ eventStore: store, liveReadStore: undefined }, { order }),
          ),
        ),
      );
      expect(reports[0]).toBe(cliText);
      expect(reports[1]).toBe(cliText);
    } finally {
      await store.close();
    }
  });

  it('seals the same Merkle root, and verify with that checkpoint reports as before', async () => {
    const dataDir = template.copy();
    const out = join(dataDir, 'cp.json');
    const sealed = await runLedger(dataDir, ['seal', '--out', out]);
    expect(sealed.code).toBe(0);
    const checkpoint = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(checkpoint).toMatchObject({
      position: '1146',
      eventCount: 1146,
      merkleRoot: '071962bbd145aaa061a3cb7f51ad61cb39d85448ed0f96597697e49506f97ee6',
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
    expect(report.checkpoint).toMatchObject({ position: '1146', eventCount: 1146 });
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
      expect(JSON.parse(streamed)).toMatchObject({ ok: true, eventCount: 1146 });
    } finally {
      await target.close();
      await source.close();
      await database.drop();
    }
  }, 120_000);
});
