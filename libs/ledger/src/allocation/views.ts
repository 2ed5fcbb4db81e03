import type { MoneyString } from '@hz/money';
import type { AllocationPaymentRecord, AllocationPlanHeader, DistrictAllocation } from '../events';
import type { DecidedPlan } from './state';

/** Plain JSON view of a decided allocation plan (money as 2-digit strings); shapes from events.ts. */
export interface AllocationPlanView extends AllocationPlanHeader {
  readonly allocations: ReadonlyArray<
    DistrictAllocation & { readonly paid: MoneyString; readonly outstanding: MoneyString }
  >;
  readonly payments: readonly AllocationPaymentRecord[];
}

export function toAllocationPlanView(plan: DecidedPlan): AllocationPlanView {
  return {
    planId: plan.planId,
    pool: plan.pool.toString(),
    decidedAt: plan.decidedAt,
    policyId: plan.policyId,
    catalogHash: plan.catalogHash,
    programCode: plan.programCode,
    allocations: Object.values(plan.allotments).map((row) => ({
      district: row.district,
      score: row.score,
      amount: row.amount.toString(),
      paid: row.paid.toString(),
      outstanding: row.amount.minus(row.paid).toString(),
    })),
    payments: plan.payments.map((payment) => ({ ...payment, amount: payment.amount.toString() })),
  };
}
