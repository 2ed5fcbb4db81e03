/** State of an allocation-{planId} stream (clause 九): the plan, once decided, and what each district was paid. */
import type { Money } from '@hz/money';

export interface DistrictAllotment {
  readonly district: string;
  readonly score: string;
  readonly amount: Money;
  readonly paid: Money;
}

export interface AllocationPayment {
  readonly district: string;
  readonly amount: Money;
  readonly paymentRef: string;
  readonly paidAt: string;
}

export interface UndecidedPlan {
  readonly status: 'undecided';
}

export interface DecidedPlan {
  readonly status: 'decided';
  readonly planId: string;
  readonly pool: Money;
  readonly decidedAt: string;
  readonly policyId: string;
  readonly catalogHash: string;
  readonly programCode: string;
  /** By district code, in the plan's order. */
  readonly allotments: { readonly [district: string]: DistrictAllotment };
  readonly payments: readonly AllocationPayment[];
}

export type AllocationState = UndecidedPlan | DecidedPlan;

export const initialAllocationState = (): AllocationState => ({ status: 'undecided' });
