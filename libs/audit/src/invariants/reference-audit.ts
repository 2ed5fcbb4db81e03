/**
 * Globally unique payment and recovery references, and the allocation plans of clause 九: allocations sum
 * to the pool, agree with the engine's largest-remainder split, and each district is paid at most its
 * allocation.
 */
import type { Money } from '@hz/money';
import type {
  AllocationDisbursementRecorded,
  AllocationPlanDecided,
  ReferenceReserved,
} from '@hz/ledger';
import { FingerprintSet } from '../log/fingerprint-set';
import { moneyField, type AuditedPlan } from './audit-state';
import type { DecisionOracle } from './decision-oracle';
import { lifecycleFinding, type Finding } from './findings';

type Draft = Omit<Finding, 'position' | 'streamId' | 'revision'>;

/** What the invariant checker asks of a reference check (the exact one, or the fingerprint one). */
export interface ReferenceUses {
  use(kind: 'payment' | 'recovery', reference: string, subject: string): Draft[];
  reserve(data: ReferenceReserved['data'], revision: bigint): Draft[];
}

export class ReferenceAudit implements ReferenceUses {
  /** Which subject first used each reference; bounded by the number of payments in the log. */
  private readonly used = new Map<string, string>();

  use(kind: 'payment' | 'recovery', reference: string, subject: string): Draft[] {
    const key = referenceKey(kind, reference);
    const first = this.used.get(key);
    if (first === undefined) {
      this.used.set(key, subject);
      return [];
    }
    return [
      {
        check: 'unique-reference',
        code: 'REFERENCE.REUSED',
        message: `${kind} reference ${reference} used again by ${subject}, first by ${first}`,
      },
    ];
  }

  reserve(data: ReferenceReserved['data'], revision: bigint): Draft[] {
    return reservedTwice(data, revision);
  }
}

/**
 * The reference check of verify's stream-by-stream pass (issue 13), where "first used" in position order
 * cannot be known as the events arrive: every use is only fingerprinted (../log/fingerprint-set.ts, ~16
 * bytes per reference), and a reference whose fingerprint was seen before becomes a suspect. The suspects
 * (the reuses, and the rare fingerprint collision) are then judged exactly by ReferenceAudit in a position
 * order pass over the uses of just those references (verify-ledger.ts), so the findings are the same.
 */
export class FingerprintReferenceAudit implements ReferenceUses {
  private readonly seen = new FingerprintSet();
  readonly suspects = new Set<string>();

  use(kind: 'payment' | 'recovery', reference: string): Draft[] {
    const key = referenceKey(kind, reference);
    if (!this.seen.add(key)) this.suspects.add(key);
    return [];
  }

  reserve(data: ReferenceReserved['data'], revision: bigint): Draft[] {
    return reservedTwice(data, revision);
  }

  /** The fingerprint table (FingerprintSet.fingerprints): a worker thread of verify posts it. */
  fingerprints(): Float64Array {
    return this.seen.fingerprints();
  }
}

export function referenceKey(kind: 'payment' | 'recovery', reference: string): string {
  return `${kind}:${reference}`;
}

/** A reservation stream holds exactly one event: a second one means the reference was reserved twice. */
function reservedTwice(data: ReferenceReserved['data'], revision: bigint): Draft[] {
  if (revision === 0n) return [];
  return [
    {
      check: 'unique-reference',
      code: 'REFERENCE.RESERVED_TWICE',
      message: `${data.kind} reference ${data.reference} reserved again for ${data.subjectId}`,
    },
  ];
}

export class AllocationAudit {
  private readonly plans = new Map<string, AuditedPlan>();

  constructor(private readonly oracle: DecisionOracle | undefined) {}

  decide(data: AllocationPlanDecided['data']): Draft[] {
    if (this.plans.has(data.planId))
      return lifecycleFinding('LIFECYCLE.PLAN_DECIDED_TWICE', `plan ${data.planId} decided twice`);
    const pool = moneyField(data.pool, 'pool');
    const allocations = new Map<string, Money>();
    for (const row of data.allocations)
      allocations.set(row.district, moneyField(row.amount, `allocation ${row.district}`));
    this.plans.set(data.planId, { planId: data.planId, allocations, paid: new Map() });
    const findings: Draft[] = [];
    let total = pool.minus(pool);
    for (const amount of allocations.values()) total = total.plus(amount);
    if (!total.equals(pool))
      findings.push({
        check: 'split-sum',
        code: 'ALLOCATION.NOT_SUMMING',
        message: `plan ${data.planId}: allocations sum to ${total}, pool ${pool}`,
      });
    const expected = this.oracle?.recomputeAllocation({
      policyId: data.policyId,
      catalogHash: data.catalogHash,
      pool,
      scores: data.allocations,
    });
    if (this.oracle && expected === undefined) {
      findings.push({
        check: 'decision-recompute',
        code: 'DECISION.NOT_RECOMPUTABLE',
        message: `plan ${data.planId}: the engine cannot recompute it under ${data.policyId}@${data.catalogHash.slice(0, 12)}`,
      });
    }
    for (const [district, amount] of expected ?? []) {
      const recorded = allocations.get(district);
      if (recorded === undefined || !recorded.equals(amount)) {
        findings.push({
          check: 'decision-recompute',
          code: 'DECISION.MISMATCH',
          message: `plan ${data.planId}: ${district} recorded ${recorded?.toString() ?? 'nothing'}, recomputed ${amount}`,
        });
      }
    }
    return findings;
  }

  disburse(data: AllocationDisbursementRecorded['data']): Draft[] {
    const plan = this.plans.get(data.planId);
    if (!plan)
      return lifecycleFinding(
        'LIFECYCLE.UNKNOWN_PLAN',
        `disbursement for unknown plan ${data.planId}`,
      );
    const amount = moneyField(data.amount, 'amount');
    const paid = (plan.paid.get(data.district) ?? amount.minus(amount)).plus(amount);
    plan.paid.set(data.district, paid);
    const allocation = plan.allocations.get(data.district);
    if (allocation !== undefined && paid.lessThanOrEqual(allocation)) return [];
    return [
      {
        check: 'paid-within-share',
        code: 'PAYMENT.EXCEEDS_ALLOCATION',
        message: `plan ${data.planId}: ${data.district} paid ${paid}, allocation ${allocation?.toString() ?? 'none'}`,
      },
    ];
  }
}
