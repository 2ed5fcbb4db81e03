/** State of an allocation-{planId} stream (clause 九): the plan, once decided, and what each district was paid. */
import type { Money } from '@hz/money';
import type { AllocationPaymentRecord, AllocationPlanHeader, DistrictAllocation } from '../events';

export interface DistrictAllotment extends DistrictAllocation<Money> {
  readonly paid: Money;
}

export type AllocationPayment = AllocationPaymentRecord<Money>;

export interface UndecidedPlan {
  readonly status: 'undecided';
}

export interface DecidedPlan extends AllocationPlanHeader<Money> {
  readonly status: 'decided';
  /** By district code, in the plan's order. */
  readonly allotments: { readonly [district: string]: DistrictAllotment };
  readonly payments: readonly AllocationPayment[];
}

export type AllocationState = UndecidedPlan | DecidedPlan;

export const initialAllocationState = (): AllocationState => ({ status: 'undecided' });
