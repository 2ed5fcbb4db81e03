/**
 * Period close (issue 18 part 4; docs/operations.md "Period close"): `ledger close --period 2024` records
 * PeriodClosed and writes the signed audit pack; a payment dated inside the closed year is refused, the same
 * movement is recorded as a post-close adjustment; the pack is reproduced byte for byte; `ledger verify-pack`
 * passes on the pack and fails on a changed file.
 */
import ExcelJS from 'exceljs';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MONEY_FORMAT } from '@hz/audit';
import { applicantStreamId, DomainError, usccFromPrefix } from '@hz/ledger';
import { Money } from '@hz/money';
import { failingChecks, freshDataDir, runLedger, verifyJson } from './testing/cli-harness';
import { appendStraight, readStreamEvents } from './testing/ledger-surgery';
import { withService } from './testing/ledger-service-harness';
import { sheetsAsShown } from './testing/libreoffice';

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

  it('records the back-dated movement as a post-close adjustment (role adjuster), not as its payer, and only in a closed period', async () => {
    const adjustment = {
      funder: 'city',
      kind: 'disbursement',
      subjectId: claimId,
      amount: '1000.00',
      reference: 'ADJ-2024-0001',
      datedOn: '2024-12-30',
      reasons: ['paid on 30 December, entered after the close'],
    };
    // The finance officer who paid the claim may not adjust it, even from the ledger's host.
    const payer = await runLedger(dataDir, [
      'adjust',
      '--as',
      finance.actor,
      '--data',
      JSON.stringify(adjustment),
    ]);
    expect(payer.code).toBe(1);
    expect(JSON.parse(payer.stderr).error).toMatchObject({
      code: 'SOD.ADJUSTER_INVOLVED',
      details: { subjectId: claimId, act: 'paid' },
    });
    const recorded = await runLedger(dataDir, ['adjust', '--data', JSON.stringify(adjustment)]);
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
    const answer = JSON.parse(recorded.stdout);
    expect(answer).toMatchObject({
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

  it('exports the adjustments on their own sheet 期后调整 (number cells, summed in LibreOffice), never in 拨付, 追回 or 汇总', async () => {
    for (const extra of [
      { funder: 'city', kind: 'disbursement', amount: '250.35', reference: 'ADJ-2024-0002' },
      { funder: 'district', kind: 'recovery', amount: '80.10', reference: 'ADJ-2024-0003' },
    ]) {
      const recorded = await runLedger(dataDir, [
        'adjust',
        '--data',
        JSON.stringify({
          ...extra,
          subjectId: claimId,
          datedOn: '2024-12-31',
          reasons: ['entered after the close'],
        }),
      ]);
      expect(recorded.stderr).toBe('');
    }
    const out = join(dataDir, 'adjusted.xlsx');
    const exported = await runLedger(dataDir, ['export', '--format', 'xlsx', '--out', out]);
    expect(exported.code).toBe(0);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([
      '汇总',
      '按月',
      '申报',
      '决定',
      '拨付',
      '追回',
      '期后调整',
      '说明',
    ]);
    const sheet = book.getWorksheet('期后调整')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const disbursedCell = sheet.getRow(2).getCell(header.indexOf('拨付调整') + 1);
    expect(disbursedCell.type).toBe(ExcelJS.ValueType.Number);
    expect(disbursedCell.numFmt).toBe(MONEY_FORMAT);

    const shown = await sheetsAsShown(out, ['期后调整', '拨付', '追回', '汇总']);
    const plain = (text: string | undefined) => (text ?? '').replace(/,/g, '');
    const rows = shown.get('期后调整')!;
    const titles = rows[0]!;
    const data = rows.slice(1, rows.length - 2);
    const totals = rows[rows.length - 1]!.map(plain);
    expect(totals[0]).toBe('合计（随筛选）');
    const column = (title: string) => data.map((row) => plain(row[titles.indexOf(title)]));
    // Every amount shows with two decimals; the column sums (and LibreOffice's SUBTOTAL) to the fen.
    const sumOf = (cells: string[]) =>
      Money.sum(cells.filter((cell) => cell !== '').map((cell) => Money.parse(cell))).toString();
    expect(column('拨付调整').filter((cell) => cell !== '')).toEqual(['1000.00', '250.35']);
    expect(sumOf(column('拨付调整'))).toBe('1250.35');
    expect(sumOf(column('追回调整'))).toBe('80.10');
    expect(totals[titles.indexOf('拨付调整')]).toBe('1250.35');
    expect(totals[titles.indexOf('追回调整')]).toBe('80.10');
    expect(column('调整凭证号')).toEqual(['ADJ-2024-0001', 'ADJ-2024-0002', 'ADJ-2024-0003']);

    // The movements themselves: the two payments recorded as payments (2024-06-30, 2025-01-02), no recovery.
    const lastRow = (title: string) => {
      const sheetRows = shown.get(title)!;
      return sheetRows[sheetRows.length - 1]!.map(plain);
    };
    const paidTitles = shown.get('拨付')![0]!;
    expect(lastRow('拨付')[paidTitles.indexOf('金额')]).toBe('2000.00');
    expect(lastRow('追回')[shown.get('追回')![0]!.indexOf('金额')]).toBe('0.00');
    const summaryTitles = shown.get('汇总')![0]!;
    expect(lastRow('汇总')[summaryTitles.indexOf('已拨付')]).toBe('2000.00');
    expect(lastRow('汇总')[summaryTitles.indexOf('已追回')]).toBe('0.00');
  }, 240_000);

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

describe('ledger verify on a ledger written around the close', () => {
  it('flags a payment dated in the closed year recorded after the close (PERIOD.MOVEMENT_AFTER_CLOSE), not the adjustment, the payment before the close or one dated later', async () => {
    const dataDir = await ledgerWithApprovedClaim();
    expect((await runLedger(dataDir, ['close', '--period', '2024', '--funder', 'city'])).code).toBe(
      0,
    );
    const adjusted = await runLedger(dataDir, [
      'adjust',
      '--data',
      JSON.stringify({
        funder: 'city',
        kind: 'disbursement',
        subjectId: claimId,
        amount: '10.00',
        reference: 'ADJ-2024-0009',
        datedOn: '2024-12-31',
        reasons: ['entered after the close'],
      }),
    ]);
    expect(adjusted.code).toBe(0);
    await withService(dataDir, async ({ send }) => {
      await send(payment('PAY-2025-0001', '2025-01-02'), finance);
      // The district's books of 2024 are still open: its payment dated in 2024 is no finding.
      await send(
        {
          type: 'RecordDisbursement',
          data: {
            claimId,
            funder: 'district',
            amount: '5.00',
            paymentRef: 'PAY-D-2024',
            paidAt: '2024-12-30',
          },
        },
        finance,
      );
    });
    const clean = await verifyJson(dataDir);
    expect(failingChecks(clean.report)).toEqual([]);
    expect(clean.report.checks['period-close']).toEqual({ ran: true, violations: 0 });

    // A forger appends a city payment dated 2024-12-30 straight into the applicant stream, after the close.
    const stream = applicantStreamId(uscc);
    const paid = (await readStreamEvents(dataDir, stream)).find(
      (event) => event.type === 'DisbursementRecorded',
    )!;
    await appendStraight(dataDir, stream, [
      {
        type: 'DisbursementRecorded',
        data: { ...paid.data, paymentRef: 'PAY-2024-FORGED', paidAt: '2024-12-30' },
        actor: finance.actor,
        role: 'finance',
      },
    ]);
    const forged = (await readStreamEvents(dataDir, stream)).at(-1)!;
    const { code, report } = await verifyJson(dataDir);
    expect(code).toBe(1);
    expect(failingChecks(report)).toEqual(['period-close']);
    expect(report.findings).toEqual([
      expect.objectContaining({
        check: 'period-close',
        code: 'PERIOD.MOVEMENT_AFTER_CLOSE',
        position: forged.position.toString(),
        claimId,
      }),
    ]);
  }, 120_000);
});
