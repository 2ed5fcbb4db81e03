import type { MoneyString } from '@hz/money';
import type { DecidedPlan } from './state';

/** Plain JSON view of a decided allocation plan (money as 2-digit strings). */
export interface AllocationPlanView {
  readonly planId: string;
  readonly pool: MoneyString;
  readonly decidedAt: string;
  readonly policyId: string;
  readonly catalogHash: string;
  readonly programCode: string;
  readonly allocations: ReadonlyArray<{
    readonly district: string;
    readonly score: string;
    readonly amount: MoneyString;
    readonly paid: MoneyString;
    readonly outstanding: MoneyString;
  }>;
  readonly payments: ReadonlyArray<{
    readonly district: string;
    readonly amount: MoneyString;
    readonly paymentRef: string;
    readonly paidAt: string;
  }>;
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
