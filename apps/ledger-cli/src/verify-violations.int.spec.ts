/**
 * `ledger verify` on ledgers crafted to break one invariant each: every check must FAIL on its own kind of
 * damage and the demo ledger must PASS. The valid part of each case goes through the real command path;
 * only the damaging event is written around it (raw SQL, or straight into the store).
 */
import { applicantStreamId, splitRecordOf, type ClaimView } from '@hz/ledger';
import { Money } from '@hz/money';
import { fiscalSplit, HZ_CBEC_2023 } from '@hz/policy';
import type { JsonObject } from '@hz/event-store';
import { demoLedgerTemplate, failingChecks, runLedger, verifyJson } from './testing/cli-harness';
import {
  appendStraight,
  firstEventOfType,
  tamperAndRechain,
  tamperData,
} from './testing/ledger-surgery';
import { withService, type ServiceHarness } from './testing/ledger-service-harness';

jest.setTimeout(120_000);

let template: Awaited<ReturnType<typeof demoLedgerTemplate>>;
beforeAll(async () => {
  template = await demoLedgerTemplate(40);
});

const REVIEWER = { actor: 'reviewer-test-a', role: 'reviewer' as const };
const FINANCE = { actor: 'finance-test', role: 'finance' as const };
const USCC = (dataDir: string): string =>
  (JSON.parse(firstEventOfType(dataDir, 'ApplicantRegistered').data) as { uscc: string }).uscc;

/** Submits and approves a per-subject exhibition claim (rule: 70% × 100000.00 = 70000.00). */
async function approvedExhibitionClaim(
  harness: ServiceHarness,
  uscc: string,
  subject: string,
  approve = true,
): Promise<ClaimView> {
  const applicant = { actor: `applicant-${uscc}`, role: 'applicant' as const, applicant: uscc };
  const evidence = {
    exhibitionId: subject,
    exhibitionName: `Expo ${subject}`,
    date: '2025-05-10',
    boothFee: '100000.00',
    standardBoothFee: '20000.00',
  };
  const submitted = (await harness.send(
    {
      type: 'SubmitClaim',
      data: {
        applicant: uscc,
        programCode: 'c4-exhibition',
        supportYear: 2025,
        requestedAmount: '70000.00',
        evidence,
      },
    },
    applicant,
  )) as { claim: ClaimView };
  if (!approve) return submitted.claim;
  const decided = (await harness.send(
    {
      type: 'DecideClaim',
      data: {
        claimId: submitted.claim.claimId,
        outcome: 'approve',
        amount: '70000.00',
        reasons: ['ok'],
      },
    },
    REVIEWER,
  )) as { claim: ClaimView };
  return decided.claim;
}

describe('ledger verify', () => {
  it('passes on a demo ledger, and with a checkpoint sealed from it', async () => {
    const dataDir = template.copy();
    const { code, report } = await verifyJson(dataDir);
    expect(failingChecks(report)).toEqual([]);
    expect(code).toBe(0);
    const sealed = await runLedger(dataDir, ['seal', '--out', `${dataDir}/cp.json`]);
    expect(sealed.code).toBe(0);
    expect((await verifyJson(dataDir, ['--checkpoint', `${dataDir}/cp.json`])).code).toBe(0);
  });

  describe('Invariant 7: chains', () => {
    it('fails the hash chain on a payload edited with raw SQL', async () => {
      const dataDir = template.copy();
      const payment = firstEventOfType(dataDir, 'DisbursementRecorded');
      tamperData(dataDir, payment.position, (data) => ({ ...data, amount: '0.01' }));
      const { code, report } = await verifyJson(dataDir);
      expect(code).toBe(1);
      expect(failingChecks(report)).toEqual(['hash-chain']);
      expect(report.findings.map((finding) => finding.code)).toContain('CHAIN.HASH_MISMATCH');
    });
  });

  describe('Invariant 7: chains', () => {
    it('catches a history rewritten with consistently recomputed chains only through a sealed checkpoint', async () => {
      const dataDir = template.copy();
      expect((await runLedger(dataDir, ['seal', '--out', `${dataDir}/cp.json`])).code).toBe(0);
      const registration = firstEventOfType(dataDir, 'ApplicantRegistered');
      tamperAndRechain(dataDir, registration.position, (data) => ({
        ...data,
        name: 'A shell company',
      }));
      expect((await verifyJson(dataDir)).code).toBe(0);
      const { code, report } = await verifyJson(dataDir, ['--checkpoint', `${dataDir}/cp.json`]);
      expect(code).toBe(1);
      expect(failingChecks(report)).toEqual(['checkpoint']);
      expect(report.findings.map((finding) => finding.code)).toEqual(['CHECKPOINT.ROOT_MISMATCH']);
    });
  });

  describe('Invariant 2: ceiling', () => {
    it('fails decision recomputation on an approval above its recorded ceiling written straight into the store', async () => {
      const dataDir = template.copy();
      const uscc = USCC(dataDir);
      await withService(dataDir, async (harness) => {
        const claim = await approvedExhibitionClaim(harness, uscc, 'EXPO-CEIL', false);
        const district = (await harness.service.getApplicant(uscc)).district;
        const amount = Money.parse('90000.00');
        const split = fiscalSplit(HZ_CBEC_2023, 'c4-exhibition', district, amount);
        await appendStraight(dataDir, applicantStreamId(uscc), [
          { type: 'ClaimApproved', data: forgedApproval(claim.claimId, amount, '70000.00', split) },
        ]);
      });
      const { code, report } = await verifyJson(dataDir);
      expect(code).toBe(1);
      expect(failingChecks(report)).toEqual(['decision-recompute']);
      expect(report.findings.map((finding) => finding.code)).toEqual(
        expect.arrayContaining([
          'DECISION.ABOVE_RECORDED_CEILING',
          'DECISION.ABOVE_RECOMPUTED_CEILING',
        ]),
      );
    });
  });

  describe('Invariant 4: payments', () => {
    it('fails paid-within-share on a disbursement beyond its share written straight into the store', async () => {
      const dataDir = template.copy();
      const uscc = USCC(dataDir);
      await withService(dataDir, async (harness) => {
        const claim = await approvedExhibitionClaim(harness, uscc, 'EXPO-SHARE');
        const beyond = Money.parse(claim.outstanding.city).plus(Money.parse('0.01')).toString();
        const data = {
          claimId: claim.claimId,
          funder: 'city',
          district: claim.approval!.split.district,
          amount: beyond,
          paymentRef: 'PAY-FORGED-1',
          paidAt: '2025-12-01',
        };
        await appendStraight(dataDir, applicantStreamId(uscc), [
          { type: 'DisbursementRecorded', data, ...FINANCE },
        ]);
      });
      const { code, report } = await verifyJson(dataDir);
      expect(code).toBe(1);
      expect(failingChecks(report)).toEqual(['paid-within-share']);
    });
  });

  describe('Invariant 1: caps', () => {
    it('fails the cap check when a second approval fills an annual cap past its amount', async () => {
      const dataDir = template.copy();
      const uscc = USCC(dataDir);
      await withService(dataDir, async (harness) => {
        const applicant = {
          actor: `applicant-${uscc}`,
          role: 'applicant' as const,
          applicant: uscc,
        };
        const submit = async (): Promise<ClaimView> =>
          (
            (await harness.send(
              {
                type: 'SubmitClaim',
                data: {
                  applicant: uscc,
                  programCode: 'c6-incubation',
                  supportYear: 2026,
                  requestedAmount: '10000.00',
                  evidence: { incubationProject: 'Incubator' },
                },
              },
              applicant,
            )) as { claim: ClaimView }
          ).claim;
        const first = await submit();
        const second = await submit();
        await harness.send(
          {
            type: 'DecideClaim',
            data: {
              claimId: first.claimId,
              outcome: 'approve',
              amount: '10000.00',
              reasons: ['ok'],
            },
          },
          REVIEWER,
        );
        const amount = Money.parse('10000.00');
        const split = fiscalSplit(
          HZ_CBEC_2023,
          'c6-incubation',
          (await harness.service.getApplicant(uscc)).district,
          amount,
        );
        // The forged approval even records the stale ceiling from submission, as a careless reviewer tool would.
        await appendStraight(dataDir, applicantStreamId(uscc), [
          {
            type: 'ClaimApproved',
            data: forgedApproval(second.claimId, amount, '10000.00', split),
          },
        ]);
      });
      const { code, report } = await verifyJson(dataDir);
      expect(code).toBe(1);
      expect(failingChecks(report)).toEqual(['annual-cap', 'decision-recompute']);
      expect(report.findings.map((finding) => finding.code)).toContain('CAP.EXCEEDED');
    });
  });

  describe('Invariant 4: payments', () => {
    it('fails recovery-within-receivable on a recovery beyond the receivable', async () => {
      const dataDir = template.copy();
      const uscc = USCC(dataDir);
      await withService(dataDir, async (harness) => {
        const claim = await approvedExhibitionClaim(harness, uscc, 'EXPO-RECOVER');
        const paidAt = new Date().toISOString().slice(0, 10);
        await harness.send(
          {
            type: 'RecordDisbursement',
            data: {
              claimId: claim.claimId,
              funder: 'city',
              amount: claim.outstanding.city,
              paymentRef: 'PAY-RECOVER-1',
              paidAt,
            },
          },
          FINANCE,
        );
        await harness.send(
          { type: 'RevokeClaim', data: { claimId: claim.claimId, reasons: ['false evidence'] } },
          REVIEWER,
        );
        const data = {
          claimId: claim.claimId,
          funder: 'city',
          district: claim.approval!.split.district,
          amount: Money.parse(claim.outstanding.city).plus(Money.parse('0.01')).toString(),
          recoveryRef: 'REC-FORGED-1',
          recoveredAt: paidAt,
        };
        await appendStraight(dataDir, applicantStreamId(uscc), [
          { type: 'RecoveryRecorded', data, ...FINANCE },
        ]);
      });
      const { code, report } = await verifyJson(dataDir);
      expect(code).toBe(1);
      expect(failingChecks(report)).toEqual(['recovery-within-receivable']);
    });
  });

  describe('Invariant 4: payments', () => {
    it('fails unique-reference on a payment reference used twice', async () => {
      const dataDir = template.copy();
      const uscc = USCC(dataDir);
      await withService(dataDir, async (harness) => {
        const claim = await approvedExhibitionClaim(harness, uscc, 'EXPO-REF');
        const paidAt = new Date().toISOString().slice(0, 10);
        await harness.send(
          {
            type: 'RecordDisbursement',
            data: {
              claimId: claim.claimId,
              funder: 'city',
              amount: '100.00',
              paymentRef: 'PAY-TWICE',
              paidAt,
            },
          },
          FINANCE,
        );
        const data = {
          claimId: claim.claimId,
          funder: 'district',
          district: claim.approval!.split.district,
          amount: '100.00',
          paymentRef: 'PAY-TWICE',
          paidAt,
        };
        await appendStraight(dataDir, applicantStreamId(uscc), [
          { type: 'DisbursementRecorded', data, ...FINANCE },
        ]);
      });
      const { code, report } = await verifyJson(dataDir);
      expect(code).toBe(1);
      expect(failingChecks(report)).toEqual(['unique-reference']);
    });
  });
});

function forgedApproval(
  claimId: string,
  amount: Money,
  ceiling: string,
  split: ReturnType<typeof fiscalSplit>,
): JsonObject {
  return {
    claimId,
    amount: amount.toString(),
    reasons: ['forged'],
    approvedBy: REVIEWER.actor,
    policyId: HZ_CBEC_2023.id,
    catalogHash: HZ_CBEC_2023.hash,
    ruleAmount: ceiling,
    ceiling,
    capsBefore: [],
    countersignRequired: false,
    countersignThreshold: '500000.00',
    split: { ...splitRecordOf(split) },
  };
}
