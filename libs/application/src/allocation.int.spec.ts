import { allocationStreamId, referenceStreamId, type LedgerCommand } from '@hz/ledger';
import {
  APPLICANT,
  approve,
  disburse,
  metadata,
  openHarness,
  refusalOf,
  register,
  submitTrademark,
  type Harness,
} from './testing/harness';

let harness: Harness;
beforeEach(async () => {
  harness = await openHarness();
});
afterEach(async () => harness.close());

const decidePlan = (): LedgerCommand => ({
  type: 'DecideAllocationPlan',
  data: {
    planId: 'PARKS-2024',
    pool: '1000000.00',
    scores: [
      { district: 'xihu', score: '2' },
      { district: 'yuhang', score: '1' },
    ],
    decidedAt: '2024-06-28',
  },
  metadata: metadata('finance', 'finance-1'),
});
const pay = (district: string, amount: string, paymentRef: string): LedgerCommand => ({
  type: 'RecordAllocationDisbursement',
  data: { planId: 'PARKS-2024', district, amount, paymentRef, paidAt: '2024-06-30' },
  metadata: metadata('finance', 'finance-2'),
});

describe('allocation plans through LedgerService (clause 九)', () => {
  it('decides a plan, pays a district and reads the plan back', async () => {
    const decided = await harness.service.execute(decidePlan());
    expect(decided.result).toEqual({
      kind: 'allocation',
      planId: 'PARKS-2024',
      plan: expect.objectContaining({
        pool: '1000000.00',
        allocations: [
          {
            district: 'xihu',
            score: '2',
            amount: '666666.67',
            paid: '0.00',
            outstanding: '666666.67',
          },
          {
            district: 'yuhang',
            score: '1',
            amount: '333333.33',
            paid: '0.00',
            outstanding: '333333.33',
          },
        ],
      }),
    });
    await harness.service.execute(pay('yuhang', '333333.33', 'ALLOC-1'));
    expect((await harness.service.getAllocationPlan('PARKS-2024')).allocations[1]).toMatchObject({
      paid: '333333.33',
      outstanding: '0.00',
    });
    const [event] = await harness.store.readStream(allocationStreamId('PARKS-2024'));
    expect(event?.metadata).toMatchObject({ occurredAt: '2024-06-28', policyId: 'hz-cbec-2023' });
    expect(await refusalOf(harness.service.execute(pay('yuhang', '0.01', 'ALLOC-2')))).toBe(
      'ALLOCATION.EXCEEDS_ALLOCATION',
    );
  });

  describe('Invariant 4: payments', () => {
    it('shares one payment-reference namespace with claim disbursements', async () => {
      const { service, store } = harness;
      await service.execute(register(APPLICANT, 'xiaoshan'));
      await service.execute(submitTrademark(APPLICANT, '250000.00'));
      await service.execute(approve(`${APPLICANT}-1`, '1000.00'));
      await service.execute(disburse(`${APPLICANT}-1`, 'city', '250.00', 'SHARED-REF'));
      await service.execute(decidePlan());
      expect(await refusalOf(service.execute(pay('xihu', '250.00', 'SHARED-REF')))).toBe(
        'REFERENCE.REUSED',
      );
      const [reservation] = await store.readStream(referenceStreamId('payment', 'SHARED-REF'));
      expect(reservation?.data).toMatchObject({
        kind: 'payment',
        reference: 'SHARED-REF',
        subjectId: `${APPLICANT}-1`,
      });
    });
  });

  it('refuses a malformed plan id before touching the store', async () => {
    const command = decidePlan();
    expect(
      await refusalOf(
        harness.service.execute({
          ...command,
          data: { ...command.data, planId: '../etc' },
        } as LedgerCommand),
      ),
    ).toBe('COMMAND.INVALID');
  });
});
