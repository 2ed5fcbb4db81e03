/**
 * Period close (issue 18 part 4; docs/operations.md "Period close"): `ledger close --period 2024` records
 * PeriodClosed and writes the signed audit pack; a payment dated inside the closed year is refused, the same
 * movement is recorded as a post-close adjustment; the pack is reproduced byte for byte; `ledger verify-pack`
 * passes on the pack and fails on a changed file.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, usccFromPrefix } from '@hz/ledger';
import { freshDataDir, runLedger } from './testing/cli-harness';
import { withService } from './testing/ledger-service-harness';

const uscc = usccFromPrefix('91330106MA2P00001');
const claimId = `${uscc}-1`;
const reviewer = { actor: 'rita-reviewer', role: 'reviewer' as const };
const finance = { actor: 'fay-finance', role: 'finance' as const };

const payment = (paymentRef: string, paidAt: string) =>
  ({
    type: 'RecordDisbursement',
    data: { claimId, funder: 'city', amount: '1000.00', paymentRef, paidAt },
  }) as const;

/** One applicant, one approved c4-brand-promotion claim of 300,000.00 and a city payment dated 2024-06-30. */
async function ledgerWithApprovedClaim(): Promise<string> {
  const dataDir = freshDataDir('period');
  await withService(dataDir, async ({ send }) => {
    await send(
      { type: 'RegisterApplicant', data: { uscc, name: '杭州结账测试有限公司', district: 'xihu' } },
      { actor: 'root-admin', role: 'admin' },
    );
    await send(
      {
        type: 'SubmitClaim',
        data: {
          applicant: uscc,
          programCode: 'c4-brand-promotion',
          supportYear: 2024,
          requestedAmount: '300000.00',
          evidence: {
            items: [{ date: '2024-04-01', amount: '1200000.00', channel: 'live-streaming' }],
          },
        },
      },
      { actor: `app-${uscc}`, role: 'applicant', applicant: uscc },
    );
    await send(
      {
        type: 'DecideClaim',
        data: { claimId, outcome: 'approve', amount: '300000.00', reasons: [] },
      },
      reviewer,
    );
    // Paid inside 2024, before the close: the one business event dated in the period.
    await send(payment('PAY-2024-0001', '2024-06-30'), finance);
  });
  return dataDir;
}

function filesOf(directory: string): Record<string, Buffer> {
  return Object.fromEntries(
    readdirSync(directory).map((name) => [name, readFileSync(join(directory, name))]),
  );
}

describe('ledger close, adjust and verify-pack', () => {
  let dataDir: string;
  let firstPack: string;
  beforeAll(async () => {
    dataDir = await ledgerWithApprovedClaim();
    firstPack = join(dataDir, 'pack-1');
    const closed = await runLedger(dataDir, ['close', '--period', '2024', '--out', firstPack]);
    expect(closed.stderr).toBe('');
    expect(closed.code).toBe(0);
    expect(closed.stdout).toContain('closed 2024 for city, district');
  }, 120_000);

  it('refuses a payment dated inside the closed year and takes one dated after it', async () => {
    await withService(dataDir, async ({ send }) => {
      const refusal = await send(payment('PAY-2024-CLOSED', '2024-12-30'), finance).catch(
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({
        code: 'PERIOD.CLOSED',
        details: { period: '2024', funder: 'city', datedOn: '2024-12-30' },
      });
      await expect(send(payment('PAY-2025-OPEN', '2025-01-02'), finance)).resolves.toMatchObject({
        claimId,
      });
    });
  });

  it('records the back-dated movement as a post-close adjustment (admin), and only in a closed period', async () => {
    const adjustment = {
      funder: 'city',
      kind: 'disbursement',
      subjectId: claimId,
      amount: '1000.00',
      reference: 'ADJ-2024-0001',
      datedOn: '2024-12-30',
      reasons: ['paid on 30 December, entered after the close'],
    };
    const recorded = await runLedger(dataDir, ['adjust', '--data', JSON.stringify(adjustment)]);
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
    expect(JSON.parse(recorded.stdout)).toMatchObject({
      replayed: false,
      event: { type: 'PostCloseAdjustmentRecorded', data: { period: '2024', amount: '1000.00' } },
    });
    const open = await runLedger(dataDir, [
      'adjust',
      '--data',
      JSON.stringify({ ...adjustment, reference: 'ADJ-2025-0001', datedOn: '2025-01-03' }),
    ]);
    expect(open.code).toBe(1);
    expect(JSON.parse(open.stderr).error.code).toBe('PERIOD.NOT_CLOSED');
  });

  it('writes the same pack, byte for byte, when made again from the same ledger', async () => {
    const secondPack = join(dataDir, 'pack-2');
    const again = await runLedger(dataDir, ['close', '--period', '2024', '--out', secondPack]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('2024 was already closed');
    const first = filesOf(firstPack);
    const second = filesOf(secondPack);
    expect(Object.keys(first).sort()).toEqual([
      'adjustments.jsonl',
      'checkpoint.json',
      'events.jsonl',
      'ledger.xlsx',
      'manifest.json',
      'obligations.json',
    ]);
    for (const [name, bytes] of Object.entries(first))
      expect({ name, same: bytes.equals(second[name] as Buffer) }).toEqual({ name, same: true });
    const events = first['events.jsonl']?.toString('utf8').trim().split('\n') ?? [];
    // The events whose business time is in 2024 (decisions are dated when made, now), and the close.
    expect(events.map((line) => JSON.parse(line).type)).toEqual([
      'DisbursementRecorded',
      'PeriodClosed',
    ]);
  });

  it('verify-pack passes on the pack and fails (exit 1) on a changed file', async () => {
    const ok = await runLedger(dataDir, ['verify-pack', '--pack', firstPack]);
    expect(ok.stdout).toContain('pack verified');
    expect(ok.code).toBe(0);

    const tampered = join(dataDir, 'pack-tampered');
    cpSync(firstPack, tampered, { recursive: true });
    const obligations = join(tampered, 'obligations.json');
    writeFileSync(obligations, `${readFileSync(obligations, 'utf8')} `);
    const bad = await runLedger(dataDir, ['verify-pack', '--pack', tampered]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('PACK.FILE_CHANGED obligations.json');
  });
});
