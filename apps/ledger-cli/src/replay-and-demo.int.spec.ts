/**
 * `ledger replay` against the projections' reference model, its bounds (--until-position, --as-of), and
 * the demo's determinism: the same seed writes the same log, byte for byte.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openSqliteEventStore } from '@hz/event-store';
import { Money } from '@hz/money';
import {
  fiscalReport,
  InMemoryReadModel,
  toLedgerRecord,
  type LedgerRecord,
} from '@hz/projections';
import { demoLedgerTemplate, freshDataDir, runLedger } from './testing/cli-harness';

jest.setTimeout(120_000);

interface ReplayJson {
  readonly position: string;
  readonly events: number;
  readonly claimsByStatus: Record<string, number>;
  readonly funders: ReadonlyArray<{
    funder: string;
    committed: string;
    disbursed: string;
    outstanding: string;
  }>;
}

async function records(
  dataDir: string,
  keep: (event: LedgerRecord) => boolean,
): Promise<LedgerRecord[]> {
  const store = await openSqliteEventStore({ file: join(dataDir, 'ledger.db') });
  const all: LedgerRecord[] = [];
  for (let from = 0n; ;) {
    const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
    if (page.length === 0) break;
    all.push(...page.map(toLedgerRecord).filter(keep));
    from = page[page.length - 1]!.position;
  }
  await store.close();
  return all;
}

function logDigest(dataDir: string): string {
  const db = new Database(join(dataDir, 'ledger.db'), { readonly: true });
  const hash = createHash('sha256');
  for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate())
    hash.update(JSON.stringify(row));
  db.close();
  return hash.digest('hex');
}

describe('ledger replay', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = (await demoLedgerTemplate(30)).copy();
  });

  it('summarises the same totals per funder as the projections reference model', async () => {
    const run = await runLedger(dataDir, ['replay', '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as ReplayJson;
    const model = InMemoryReadModel.of(await records(dataDir, () => true));
    const report = fiscalReport(model.fiscalBuckets(), { period: 'year' });
    for (const funder of summary.funders) {
      const rows = report.filter((row) => row.funder === funder.funder);
      expect(funder.committed).toBe(
        Money.sum(rows.map((row) => Money.parse(row.committed))).toString(),
      );
      expect(funder.disbursed).toBe(
        Money.sum(rows.map((row) => Money.parse(row.disbursed))).toString(),
      );
      expect(funder.outstanding).toBe(rows[rows.length - 1]?.outstanding);
    }
    expect(Object.values(summary.claimsByStatus).reduce((a, b) => a + b, 0)).toBe(
      model.allClaims().length,
    );
  });

  it('stops at --until-position and at --as-of', async () => {
    const bounded = JSON.parse(
      (await runLedger(dataDir, ['replay', '--json', '--until-position', '500'])).stdout,
    ) as ReplayJson;
    expect(bounded).toMatchObject({ position: '500', events: 500 });
    const asOf = '2023-12-31';
    const asOfMs = Date.parse(`${asOf}T23:59:59.999+08:00`);
    const expected = await records(
      dataDir,
      (event) => Date.parse(event.metadata.recordedAt) <= asOfMs,
    );
    const early = JSON.parse(
      (await runLedger(dataDir, ['replay', '--json', '--as-of', asOf])).stdout,
    ) as ReplayJson;
    expect(early.events).toBe(expected.length);
    expect(early.position).toBe(expected[expected.length - 1]?.position.toString());
  });

  it('prints a readable summary with per-funder totals', async () => {
    const run = await runLedger(dataDir, ['replay']);
    expect(run.stdout).toMatch(/Per funder \(CNY\)/);
    expect(run.stdout).toMatch(/\n {2}city +\d+\.\d{2}/);
  });
});

describe('ledger demo', () => {
  it('writes the same log, byte for byte, for the same seed', async () => {
    const first = freshDataDir('det');
    const second = freshDataDir('det');
    for (const dir of [first, second])
      expect(
        (
          await runLedger(dir, [
            'demo',
            '--applicants',
            '20',
            '--years',
            '2023',
            '--seed',
            '3',
            '--quiet',
          ])
        ).code,
      ).toBe(0);
    expect(logDigest(first)).toBe(logDigest(second));
  });

  it('appends nothing when the same seed runs again (idempotency keys)', async () => {
    const dir = freshDataDir('rerun');
    await runLedger(dir, [
      'demo',
      '--applicants',
      '10',
      '--years',
      '2023',
      '--seed',
      '5',
      '--quiet',
    ]);
    const before = logDigest(dir);
    const again = await runLedger(dir, [
      'demo',
      '--applicants',
      '10',
      '--years',
      '2023',
      '--seed',
      '5',
      '--quiet',
    ]);
    expect(again.stdout).toContain(' 0 new events');
    expect(logDigest(dir)).toBe(before);
  });
});
