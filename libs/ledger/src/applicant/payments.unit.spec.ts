import { applicantDecider } from './decider';
import { deciderSpecification } from '../testing/decider-specification';
import {
  approve,
  asAdmin,
  asFinance,
  asReviewer,
  BINJIANG_CO,
  claimOf,
  CONTEXT,
  countersign,
  disburse,
  historyOf,
  recover,
  register,
  revoke,
  REVIEWER,
  SECOND_REVIEWER,
  submit,
  XIAOSHAN_CO,
} from '../testing/fixtures';
import type { ApplicantCommand } from '../commands';

const spec = deciderSpecification(applicantDecider, CONTEXT);
const claimId = claimOf(XIAOSHAN_CO, 1);
/** Worked example 1: 200,000.00 approved in xiaoshan → city 50,000.00 / district 150,000.00. */
const approvedTrademark = (...more: ApplicantCommand[]) =>
  historyOf(
    register(XIAOSHAN_CO, 'xiaoshan'),
    submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
    approve(claimId, '200000.00'),
    ...more,
  );

describe('RecordDisbursement', () => {
  it('pays part of a funder share', () => {
    spec
      .given(approvedTrademark())
      .when(disburse(claimId, 'district', '100000.00', 'PAY-1'))
      .then([
        {
          type: 'DisbursementRecorded',
          data: {
            claimId,
            funder: 'district',
            district: 'xiaoshan',
            amount: '100000.00',
            paymentRef: 'PAY-1',
            paidAt: '2024-06-30',
            channel: 'bank-transfer',
          },
        },
      ]);
  });

  describe('Invariant 4: payments', () => {
    it('pays a share exactly in full across payments, and not one fen more (invariant 4)', () => {
      const partly = approvedTrademark(disburse(claimId, 'city', '49999.99', 'PAY-1'));
      spec
        .given(partly)
        .when(disburse(claimId, 'city', '0.01', 'PAY-2'))
        .thenMatches([{ data: { amount: '0.01' } }]);
      spec
        .given(partly)
        .when(disburse(claimId, 'city', '0.02', 'PAY-2'))
        .thenFails('DISBURSEMENT.EXCEEDS_SHARE', {
          funder: 'city',
          share: '50000.00',
          paid: '49999.99',
          remaining: '0.01',
        });
    });
  });

  describe('Invariant 4: payments', () => {
    it('keeps the funders apart: the district share does not pay the city', () => {
      spec
        .given(approvedTrademark())
        .when(disburse(claimId, 'city', '50000.01', 'PAY-1'))
        .thenFails('DISBURSEMENT.EXCEEDS_SHARE', { share: '50000.00' });
    });
  });

  it('refuses district payments on a city-funded program (district share 0.00)', () => {
    const cityFunded = historyOf(
      register(BINJIANG_CO, 'binjiang'),
      submit(BINJIANG_CO, 'c6-talent-event', '200000.00'),
      approve(claimOf(BINJIANG_CO, 1), '150000.00'),
    );
    spec
      .given(cityFunded)
      .when(disburse(claimOf(BINJIANG_CO, 1), 'district', '0.01', 'PAY-1'))
      .thenFails('DISBURSEMENT.EXCEEDS_SHARE', { share: '0.00' });
    spec
      .given(cityFunded)
      .when(disburse(claimOf(BINJIANG_CO, 1), 'city', '150000.00', 'PAY-1'))
      .thenMatches([{ data: { funder: 'city', district: 'binjiang' } }]);
  });

  it('pays the district recorded in the approval, even after a relocation', () => {
    const relocated = approvedTrademark({
      type: 'RelocateApplicant',
      data: { uscc: XIAOSHAN_CO, district: 'xihu', effectiveDate: '2024-06-15' },
      metadata: asAdmin(),
    });
    spec
      .given(relocated)
      .when(disburse(claimId, 'district', '150000.00', 'PAY-1'))
      .thenMatches([{ data: { district: 'xiaoshan', amount: '150000.00' } }]);
  });

  describe('Invariant 4: payments', () => {
    it('treats the same payment again as recorded already (idempotent), other content under its reference as reuse', () => {
      const paid = approvedTrademark(disburse(claimId, 'city', '1000.00', 'PAY-1'));
      spec
        .given(paid)
        .when(disburse(claimId, 'city', '1000.00', 'PAY-1'))
        .thenNothing();
      spec
        .given(paid)
        .when(disburse(claimId, 'city', '1000.01', 'PAY-1'))
        .thenFails('REFERENCE.REUSED', { reference: 'PAY-1' });
      spec
        .given(paid)
        .when(disburse(claimId, 'district', '1000.00', 'PAY-1'))
        .thenFails('REFERENCE.REUSED');
    });
  });

  it('refuses the approver and the countersigner as disbursers (separation of duties)', () => {
    spec
      .given(approvedTrademark())
      .when({
        ...disburse(claimId, 'city', '1.00', 'PAY-1'),
        metadata: { ...asFinance(), actor: REVIEWER },
      })
      .thenFails('SOD.DISBURSER_DECIDED');
    const countersigned = historyOf(
      register(XIAOSHAN_CO, 'xiaoshan'),
      submit(XIAOSHAN_CO, 'c1-platform', '800000.00'),
      approve(claimId, '800000.00'),
      countersign(claimId),
    );
    spec
      .given(countersigned)
      .when({
        ...disburse(claimId, 'city', '1.00', 'PAY-1'),
        metadata: { ...asFinance(), actor: SECOND_REVIEWER },
      })
      .thenFails('SOD.DISBURSER_DECIDED');
  });

  it('refuses claims that are not approved: submitted, pending countersignature, revoked', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c3-trademark', '250000.00'),
        ),
      )
      .when(disburse(claimId, 'city', '1.00', 'PAY-1'))
      .thenFails('CLAIM.NOT_APPROVED', { status: 'submitted' });
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c1-platform', '800000.00'),
          approve(claimId, '800000.00'),
        ),
      )
      .when(disburse(claimId, 'city', '1.00', 'PAY-1'))
      .thenFails('CLAIM.NOT_APPROVED', { status: 'pending_countersign' });
    spec
      .given(approvedTrademark(revoke(claimId)))
      .when(disburse(claimId, 'city', '1.00', 'PAY-1'))
      .thenFails('CLAIM.NOT_APPROVED', { status: 'revoked' });
  });

  it('refuses a zero amount, a malformed reference, a malformed or future date, an unknown funder', () => {
    spec
      .given(approvedTrademark())
      .when(disburse(claimId, 'city', '0.00', 'PAY-1'))
      .thenFails('DISBURSEMENT.AMOUNT_NOT_POSITIVE');
    spec
      .given(approvedTrademark())
      .when(disburse(claimId, 'city', '1.00', 'PAY 1'))
      .thenFails('REFERENCE.INVALID');
    spec
      .given(approvedTrademark())
      .when(disburse(claimId, 'city', '1.00', 'PAY-1', '2024-13-01'))
      .thenFails('COMMAND.INVALID', { field: 'paidAt' });
    spec
      .given(approvedTrademark())
      .when(disburse(claimId, 'city', '1.00', 'PAY-1', '2024-07-02'))
      .thenFails('DISBURSEMENT.DATED_IN_FUTURE');
    spec
      .given(approvedTrademark())
      .when(disburse(claimId, 'city', '1.00', 'PAY-1', '2024-07-01T09:59:00+08:00'))
      .thenMatches([{ type: 'DisbursementRecorded' }]);
    spec
      .given(approvedTrademark())
      .when({
        ...disburse(claimId, 'city', '1.00', 'PAY-1'),
        data: {
          claimId,
          funder: 'province' as 'city',
          amount: '1.00',
          paymentRef: 'PAY-1',
          paidAt: '2024-06-30',
        },
      })
      .thenFails('COMMAND.INVALID', { field: 'funder' });
  });

  it('is for finance only', () => {
    spec
      .given(approvedTrademark())
      .when({ ...disburse(claimId, 'city', '1.00', 'PAY-1'), metadata: asReviewer('reviewer-9') })
      .thenFails('ACCESS.ROLE_NOT_ALLOWED');
  });
});

describe('RevokeClaim', () => {
  describe('Invariant 4: payments', () => {
    it('cancels unpaid shares and turns paid shares into receivables', () => {
      const partlyPaid = approvedTrademark(
        disburse(claimId, 'city', '50000.00', 'PAY-1'),
        disburse(claimId, 'district', '100000.00', 'PAY-2'),
      );
      spec
        .given(partlyPaid)
        .when(revoke(claimId, [' evidence forged ']))
        .then([
          {
            type: 'ClaimRevoked',
            data: {
              claimId,
              reasons: ['evidence forged'],
              district: 'xiaoshan',
              cancelled: { city: '0.00', district: '50000.00' },
              receivable: { city: '50000.00', district: '100000.00' },
            },
          },
        ]);
    });
  });

  it('cancels everything when nothing was paid', () => {
    spec
      .given(approvedTrademark())
      .when(revoke(claimId))
      .thenMatches([
        {
          data: {
            cancelled: { city: '50000.00', district: '150000.00' },
            receivable: { city: '0.00', district: '0.00' },
          },
        },
      ]);
  });

  it('needs a reason', () => {
    spec
      .given(approvedTrademark())
      .when(revoke(claimId, [' ']))
      .thenFails('CLAIM.REASONS_REQUIRED');
  });

  it('refuses claims that are not approved (a pending approval is rejected by the countersigner instead)', () => {
    spec
      .given(
        historyOf(
          register(XIAOSHAN_CO, 'xiaoshan'),
          submit(XIAOSHAN_CO, 'c1-platform', '800000.00'),
          approve(claimId, '800000.00'),
        ),
      )
      .when(revoke(claimId))
      .thenFails('CLAIM.NOT_APPROVED', { status: 'pending_countersign' });
    spec
      .given(approvedTrademark(revoke(claimId)))
      .when(revoke(claimId))
      .thenFails('CLAIM.NOT_APPROVED', { status: 'revoked' });
  });

  it('refuses an unknown claim', () => {
    spec
      .given(approvedTrademark())
      .when(revoke(claimOf(XIAOSHAN_CO, 5)))
      .thenFails('CLAIM.NOT_FOUND');
  });

  it('is for reviewers only', () => {
    spec
      .given(approvedTrademark())
      .when({ ...revoke(claimId), metadata: asFinance() })
      .thenFails('ACCESS.ROLE_NOT_ALLOWED');
  });
});

describe('RecordRecovery', () => {
  const revokedAfterPayment = (...more: ApplicantCommand[]) =>
    approvedTrademark(
      disburse(claimId, 'city', '50000.00', 'PAY-1'),
      disburse(claimId, 'district', '30000.00', 'PAY-2'),
      revoke(claimId),
      ...more,
    );

  it('recovers part of a receivable', () => {
    spec
      .given(revokedAfterPayment())
      .when(recover(claimId, 'district', '10000.00', 'REC-1'))
      .then([
        {
          type: 'RecoveryRecorded',
          data: {
            claimId,
            funder: 'district',
            district: 'xiaoshan',
            amount: '10000.00',
            recoveryRef: 'REC-1',
            recoveredAt: '2024-07-01',
          },
        },
      ]);
  });

  describe('Invariant 4: payments', () => {
    it('recovers a receivable in full, and not one fen more (invariant 4)', () => {
      const partly = revokedAfterPayment(recover(claimId, 'district', '29999.99', 'REC-1'));
      spec
        .given(partly)
        .when(recover(claimId, 'district', '0.01', 'REC-2'))
        .thenMatches([{ data: { amount: '0.01' } }]);
      spec
        .given(partly)
        .when(recover(claimId, 'district', '0.02', 'REC-2'))
        .thenFails('RECOVERY.EXCEEDS_RECEIVABLE', {
          receivable: '30000.00',
          recovered: '29999.99',
        });
    });
  });

  describe('Invariant 4: payments', () => {
    it('refuses recovery from a funder that paid nothing', () => {
      const cityOnly = approvedTrademark(
        disburse(claimId, 'city', '1000.00', 'PAY-1'),
        revoke(claimId),
      );
      spec
        .given(cityOnly)
        .when(recover(claimId, 'district', '0.01', 'REC-1'))
        .thenFails('RECOVERY.EXCEEDS_RECEIVABLE', { receivable: '0.00' });
    });
  });

  describe('Invariant 4: payments', () => {
    it('treats the same recovery again as recorded already, other content under its reference as reuse', () => {
      const recovered = revokedAfterPayment(recover(claimId, 'city', '100.00', 'REC-1'));
      spec
        .given(recovered)
        .when(recover(claimId, 'city', '100.00', 'REC-1'))
        .thenNothing();
      spec
        .given(recovered)
        .when(recover(claimId, 'city', '200.00', 'REC-1'))
        .thenFails('REFERENCE.REUSED');
    });
  });

  it('refuses a claim that is not revoked', () => {
    spec
      .given(approvedTrademark())
      .when(recover(claimId, 'city', '1.00', 'REC-1'))
      .thenFails('CLAIM.NOT_REVOKED', { status: 'approved' });
  });

  it('refuses a zero amount and a future date', () => {
    spec
      .given(revokedAfterPayment())
      .when(recover(claimId, 'city', '0.00', 'REC-1'))
      .thenFails('RECOVERY.AMOUNT_NOT_POSITIVE');
    spec
      .given(revokedAfterPayment())
      .when(recover(claimId, 'city', '1.00', 'REC-1', '2024-07-02'))
      .thenFails('RECOVERY.DATED_IN_FUTURE');
  });

  it('is for finance only', () => {
    spec
      .given(revokedAfterPayment())
      .when({ ...recover(claimId, 'city', '1.00', 'REC-1'), metadata: asReviewer() })
      .thenFails('ACCESS.ROLE_NOT_ALLOWED');
  });
});
