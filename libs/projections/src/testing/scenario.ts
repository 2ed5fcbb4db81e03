/**
 * A hand-written ledger for example-based tests: given these events (with a fixed clock), expect these
 * rows. Every event is one minute after the previous one unless `at()` moves the clock.
 */
import type { RecordedEvent } from '@hz/event-store';
import type { GeneratedEvent } from './generator-model';
import { recordGenerated } from './recorded';
import { toLedgerRecord, type LedgerRecord } from '../model/ledger-record';

type Pair = { readonly city: string; readonly district: string };
type MoneyEventArgs = [
  claimId: string,
  funder: 'city' | 'district',
  amount: string,
  date: string,
  district?: string,
];
export interface ApproveOptions {
  readonly amount: string;
  readonly cityShare: string;
  readonly districtShare: string;
  readonly district: string;
  readonly group?: 'A' | 'B' | null;
  readonly cityRate?: string;
  readonly countersign?: boolean;
  readonly caps?: ReadonlyArray<{ readonly capId: string; readonly cap: string }>;
  readonly funding?: 'split' | 'city';
  /** The catalog the decision names (default hz-cbec-2023). */
  readonly policyId?: string;
}

export class Scenario {
  private readonly events: GeneratedEvent[] = [];
  private clockMs: number;

  constructor(start = '2024-03-01T02:00:00.000Z') {
    this.clockMs = Date.parse(start);
  }

  /** Moves the clock: the next event occurs and is recorded at `iso`. */
  at(iso: string): this {
    this.clockMs = Date.parse(iso);
    return this;
  }

  register(uscc: string, district: string): this {
    return this.add(`applicant-${uscc}`, 'ApplicantRegistered', {
      uscc,
      name: `Co ${uscc.slice(-4)}`,
      district,
    });
  }

  relocate(uscc: string, fromDistrict: string, toDistrict: string): this {
    return this.add(`applicant-${uscc}`, 'ApplicantRelocated', {
      uscc,
      fromDistrict,
      toDistrict,
      effectiveDate: this.today(),
    });
  }

  submit(
    claimId: string,
    programCode: string,
    requested: string,
    caps: ReadonlyArray<{ capId: string; cap: string }>,
    options: { supportYear?: number; subjectKey?: string; policyId?: string } = {},
  ): this {
    const applicant = claimId.slice(0, claimId.lastIndexOf('-'));
    const assessment = {
      eligible: true,
      base: null,
      ruleAmount: requested,
      ceiling: requested,
      caps: caps.map((c) => ({ ...c, clause: '一', granted: '0.00', room: c.cap })),
      trace: [],
    };
    return this.add(`applicant-${applicant}`, 'ClaimSubmitted', {
      claimId,
      applicant,
      programCode,
      supportYear: options.supportYear ?? 2024,
      subjectKey: options.subjectKey ?? null,
      scopeKey: `scope:${programCode}`,
      requestedAmount: requested,
      evidence: {},
      policyId: options.policyId ?? 'hz-cbec-2023',
      catalogHash: 'c'.repeat(64),
      assessment,
    });
  }

  approve(claimId: string, o: ApproveOptions): this {
    const split = {
      funding: o.funding ?? 'split',
      district: o.district,
      districtGroup: o.group === undefined ? 'B' : o.group,
      cityRate: o.cityRate ?? '0.25',
      cityShare: o.cityShare,
      districtShare: o.districtShare,
    };
    const capsBefore = (o.caps ?? []).map((c) => ({
      ...c,
      clause: '一',
      granted: '0.00',
      room: c.cap,
    }));
    return this.claimEvent(claimId, 'ClaimApproved', {
      claimId,
      amount: o.amount,
      reasons: ['ok'],
      approvedBy: 'reviewer-1',
      policyId: o.policyId ?? 'hz-cbec-2023',
      catalogHash: 'c'.repeat(64),
      ruleAmount: o.amount,
      ceiling: o.amount,
      capsBefore,
      countersignRequired: o.countersign ?? false,
      countersignThreshold: '500000.00',
      split,
    });
  }

  countersign(claimId: string, confirm = true): this {
    const data = {
      claimId,
      approvedBy: 'reviewer-1',
      countersignedBy: 'reviewer-2',
      reasons: ['checked'],
    };
    return this.claimEvent(
      claimId,
      confirm ? 'ApprovalCountersigned' : 'ApprovalCountersignRejected',
      data,
    );
  }

  reject(claimId: string): this {
    return this.claimEvent(claimId, 'ClaimRejected', { claimId, reasons: ['no'] });
  }

  withdraw(claimId: string): this {
    return this.claimEvent(claimId, 'ClaimWithdrawn', { claimId, reason: null });
  }

  /** A payment: claim, funder, amount, business date (paidAt), district (default xiaoshan). */
  disburse(...args: MoneyEventArgs): this {
    return this.moneyEvent('DisbursementRecorded', ...args);
  }

  revoke(claimId: string, district: string, cancelled: Pair, receivable: Pair): this {
    return this.claimEvent(claimId, 'ClaimRevoked', {
      claimId,
      reasons: ['fraud'],
      district,
      cancelled,
      receivable,
    });
  }

  /** A recovery: claim, funder, amount, business date (recoveredAt), district (default xiaoshan). */
  recover(...args: MoneyEventArgs): this {
    return this.moneyEvent('RecoveryRecorded', ...args);
  }

  private moneyEvent(
    type: 'DisbursementRecorded' | 'RecoveryRecorded',
    ...[claimId, funder, amount, date, district = 'xiaoshan']: MoneyEventArgs
  ): this {
    const disbursed = type === 'DisbursementRecorded';
    return this.claimEvent(claimId, type, {
      claimId,
      funder,
      district,
      amount,
      ...(disbursed
        ? { paymentRef: `PAY-${this.events.length}`, paidAt: date }
        : { recoveryRef: `REC-${this.events.length}`, recoveredAt: date }),
    });
  }

  plan(
    planId: string,
    decidedAt: string,
    allocations: ReadonlyArray<{ district: string; amount: string }>,
  ): this {
    const pool = allocations.reduce((sum, a) => sum + BigInt(a.amount.replace('.', '')), 0n);
    const poolText = `${pool / 100n}.${(pool % 100n).toString().padStart(2, '0')}`;
    return this.add(`allocation-${planId}`, 'AllocationPlanDecided', {
      planId,
      pool: poolText,
      decidedAt,
      policyId: 'hz-cbec-2023',
      catalogHash: 'c'.repeat(64),
      programCode: 'c9-park-allocation',
      allocations: allocations.map((a) => ({ ...a, score: '1' })),
    });
  }

  payAllocation(planId: string, district: string, amount: string, paidAt: string): this {
    return this.add(`allocation-${planId}`, 'AllocationDisbursementRecorded', {
      planId,
      district,
      amount,
      paymentRef: `ALLOC-${this.events.length}`,
      paidAt,
    });
  }

  reference(kind: 'payment' | 'recovery', reference: string): this {
    return this.add(`${kind}-ref-${reference}`, 'ReferenceReserved', {
      kind,
      reference,
      contentHash: 'e'.repeat(64),
      streamId: 'x',
      subjectId: 'y',
    });
  }

  /** The events as a command path would append them (for a real store). */
  get generated(): readonly GeneratedEvent[] {
    return this.events;
  }

  get recorded(): RecordedEvent[] {
    return recordGenerated(this.events);
  }

  get records(): LedgerRecord[] {
    return this.recorded.map(toLedgerRecord);
  }

  private claimEvent(claimId: string, type: string, data: GeneratedEvent['data']): this {
    return this.add(`applicant-${claimId.slice(0, claimId.lastIndexOf('-'))}`, type, data);
  }

  private add(streamId: string, type: string, data: GeneratedEvent['data']): this {
    const iso = new Date(this.clockMs).toISOString();
    const n = this.events.length + 1;
    const metadata = {
      actor: 'tester',
      role: 'admin',
      correlationId: `c${n}`,
      causationId: `c${n}`,
      idempotencyKey: `k${n}`,
      occurredAt: iso,
    };
    this.events.push({
      streamId,
      id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      type,
      data,
      metadata,
      recordedAt: iso,
    });
    this.clockMs += 60_000;
    return this;
  }

  private today(): string {
    return new Date(this.clockMs + 8 * 3_600_000).toISOString().slice(0, 10);
  }
}
