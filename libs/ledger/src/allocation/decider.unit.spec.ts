import { allocationDecider } from './decider';
import { deciderSpecification } from '../testing/decider-specification';
import { asFinance, asReviewer, CONTEXT, historyWith } from '../testing/fixtures';
import type {
  AllocationCommand,
  DecideAllocationPlan,
  RecordAllocationDisbursement,
} from '../commands';
import type { AllocationEvent } from '../events';

const spec = deciderSpecification(allocationDecider, CONTEXT);
const decidePlan = (
  pool: string,
  scores: ReadonlyArray<{ district: string; score: string }>,
  decidedAt = '2024-06-30',
): DecideAllocationPlan => ({
  type: 'DecideAllocationPlan',
  data: { planId: 'PLAN-2024-1', pool, scores, decidedAt },
  metadata: asFinance(),
});
const pay = (
  district: string,
  amount: string,
  paymentRef: string,
  paidAt = '2024-07-01',
): RecordAllocationDisbursement => ({
  type: 'RecordAllocationDisbursement',
  data: { planId: 'PLAN-2024-1', district, amount, paymentRef, paidAt },
  metadata: asFinance(),
});
const THREE_WAY = [
  { district: 'xihu', score: '1' },
  { district: 'binjiang', score: '1' },
  { district: 'xiaoshan', score: '1' },
];
/** Runs commands through the real decider and returns what they recorded. */
const historyOf = (...commands: readonly AllocationCommand[]): AllocationEvent[] =>
  historyWith(allocationDecider, commands);
const decided = () => historyOf(decidePlan('100.00', THREE_WAY));

describe('DecideAllocationPlan (clause 九)', () => {
  describe('Invariant 3: split', () => {
    it('shares the pool by largest remainder so the allotments add up to the pool exactly', () => {
      // 100.00 / 3 = 33.333…: each gets 33.33 and the one fen left goes to the first by district code (binjiang).
      spec
        .given([])
        .when(decidePlan('100.00', THREE_WAY))
        .then([
          {
            type: 'AllocationPlanDecided',
            data: {
              planId: 'PLAN-2024-1',
              pool: '100.00',
              decidedAt: '2024-06-30',
              policyId: 'hz-cbec-2023',
              catalogHash: CONTEXT.catalog.hash,
              programCode: 'c9-park-allocation',
              allocations: [
                { district: 'xihu', score: '1', amount: '33.33' },
                { district: 'binjiang', score: '1', amount: '33.34' },
                { district: 'xiaoshan', score: '1', amount: '33.33' },
              ],
            },
          },
        ]);
    });
  });

  it('leaves districts with a zero score out', () => {
    spec
      .given([])
      .when(
        decidePlan('1000.00', [
          { district: 'xihu', score: '3' },
          { district: 'gongshu', score: '0' },
          { district: 'linan', score: '1.5' },
        ]),
      )
      .thenMatches([
        {
          data: {
            allocations: [
              { district: 'xihu', amount: '666.67' },
              { district: 'linan', amount: '333.33' },
            ],
          },
        },
      ]);
  });

  it('decides a plan once', () => {
    spec
      .given(decided())
      .when(decidePlan('100.00', THREE_WAY))
      .thenFails('ALLOCATION.ALREADY_DECIDED');
  });

  it('refuses bad input: pool, districts, scores, dates, plan id', () => {
    spec.given([]).when(decidePlan('0.00', THREE_WAY)).thenFails('ALLOCATION.POOL_NOT_POSITIVE');
    spec
      .given([])
      .when(decidePlan('100.00', [{ district: 'pudong', score: '1' }]))
      .thenFails('ALLOCATION.UNKNOWN_DISTRICT');
    spec
      .given([])
      .when(
        decidePlan('100.00', [
          { district: 'xihu', score: '1' },
          { district: 'xihu', score: '2' },
        ]),
      )
      .thenFails('ALLOCATION.DUPLICATE_DISTRICT');
    spec
      .given([])
      .when(decidePlan('100.00', [{ district: 'xihu', score: '-1' }]))
      .thenFails('ALLOCATION.INVALID_SCORE');
    spec
      .given([])
      .when(decidePlan('100.00', [{ district: 'xihu', score: '0' }]))
      .thenFails('ALLOCATION.NO_POSITIVE_SCORE');
    spec.given([]).when(decidePlan('100.00', [])).thenFails('ALLOCATION.NO_POSITIVE_SCORE');
    spec
      .given([])
      .when(decidePlan('100.00', THREE_WAY, '2024-07-02'))
      .thenFails('ALLOCATION.DATED_IN_FUTURE');
    spec
      .given([])
      .when({
        ...decidePlan('100.00', THREE_WAY),
        data: { planId: 'plan 1', pool: '100.00', scores: THREE_WAY, decidedAt: '2024-06-30' },
      })
      .thenFails('REFERENCE.INVALID', { field: 'planId' });
  });

  it('is for finance only', () => {
    spec
      .given([])
      .when({ ...decidePlan('100.00', THREE_WAY), metadata: asReviewer() })
      .thenFails('ACCESS.ROLE_NOT_ALLOWED');
  });

  it('needs a catalog that has the allocation program', () => {
    const withoutParks = {
      catalog: {
        ...CONTEXT.catalog,
        programs: CONTEXT.catalog.programs.filter(
          (program) => program.code !== 'c9-park-allocation',
        ),
      },
    };
    deciderSpecification(allocationDecider, withoutParks)
      .given([])
      .when(decidePlan('100.00', THREE_WAY))
      .thenFails('ALLOCATION.PROGRAM_UNAVAILABLE');
  });
});

describe('RecordAllocationDisbursement', () => {
  describe('Invariant 4: payments', () => {
    it('pays a district up to its allotment, exactly', () => {
      spec
        .given(decided())
        .when(pay('binjiang', '33.34', 'ALLOC-PAY-1'))
        .then([
          {
            type: 'AllocationDisbursementRecorded',
            data: {
              planId: 'PLAN-2024-1',
              district: 'binjiang',
              amount: '33.34',
              paymentRef: 'ALLOC-PAY-1',
              paidAt: '2024-07-01',
            },
          },
        ]);
      spec
        .given(historyOf(decidePlan('100.00', THREE_WAY), pay('xihu', '33.00', 'P1')))
        .when(pay('xihu', '0.34', 'P2'))
        .thenFails('ALLOCATION.EXCEEDS_ALLOCATION', { allotted: '33.33', paid: '33.00' });
    });
  });

  it('refuses a district without an allotment and an undecided plan', () => {
    spec
      .given(decided())
      .when(pay('gongshu', '1.00', 'P1'))
      .thenFails('ALLOCATION.DISTRICT_NOT_ALLOCATED');
    spec
      .given([])
      .when(pay('xihu', '1.00', 'P1'))
      .thenFails('ALLOCATION.NOT_FOUND');
  });

  describe('Invariant 4: payments', () => {
    it('treats the same payment again as recorded, other content under its reference as reuse', () => {
      const paid = historyOf(decidePlan('100.00', THREE_WAY), pay('xihu', '10.00', 'P1'));
      spec
        .given(paid)
        .when(pay('xihu', '10.00', 'P1'))
        .thenNothing();
      spec
        .given(paid)
        .when(pay('binjiang', '10.00', 'P1'))
        .thenFails('REFERENCE.REUSED');
    });
  });

  it('refuses a zero amount and a future payment date', () => {
    spec
      .given(decided())
      .when(pay('xihu', '0.00', 'P1'))
      .thenFails('DISBURSEMENT.AMOUNT_NOT_POSITIVE');
    spec
      .given(decided())
      .when(pay('xihu', '1.00', 'P1', '2024-07-02'))
      .thenFails('DISBURSEMENT.DATED_IN_FUTURE');
  });
});
