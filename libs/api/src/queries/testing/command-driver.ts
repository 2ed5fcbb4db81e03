/**
 * Drives the REAL command path (LedgerService → deciders → SQLite event store) with random commands:
 * mostly ones that should succeed (chosen from what the service last reported), some that the policy or
 * the lifecycle refuses. Refusals record nothing; both kinds are counted.
 */
import {
  isDomainError,
  usccFromPrefix,
  type ClaimView,
  type CommandMetadata,
  type LedgerCommand,
  type Role,
} from '@hz/ledger';
import { Money } from '@hz/money';
import type { LedgerService } from '@hz/application';

export interface DriverRandom {
  int(bound: number): number;
}

const DISTRICTS = ['xihu', 'binjiang', 'xiaoshan', 'yuhang', 'fuyang', 'linan'];

/** Evidence the policy engine accepts for a handful of programs of every scope kind and funding. */
const PROGRAMS: ReadonlyArray<{
  readonly code: string;
  readonly evidence: (n: number) => Record<string, unknown>;
  readonly max: number;
}> = [
  { code: 'c1-platform', evidence: () => ({ platformName: 'Tmall Global' }), max: 1_200_000 },
  {
    code: 'c3-trademark',
    evidence: (n) => ({
      items: [
        { date: '2024-03-01', amount: `${20_000 + n}.00`, country: 'US', reference: `TM-${n}` },
      ],
    }),
    max: 250_000,
  },
  {
    code: 'c4-exhibition',
    evidence: (n) => ({
      exhibitionId: `EXPO-${n % 3}`,
      exhibitionName: 'Canton Fair',
      date: '2024-04-15',
      boothFee: '120000.00',
      standardBoothFee: '15000.00',
    }),
    max: 90_000,
  },
  {
    code: 'c5-consolidation-warehouse',
    evidence: (n) => ({ warehouseId: `W${n % 3}`, operatingAreaSqm: '3500' }),
    max: 350_000,
  },
  { code: 'c6-incubation', evidence: () => ({ incubationProject: 'Talent Hub' }), max: 12_000 },
  {
    code: 'c6-talent-event',
    evidence: (n) => ({ eventId: `EV-${n % 2}`, eventName: 'CBEC Skills Cup', date: '2024-05-20' }),
    max: 220_000,
  },
];

export class CommandDriver {
  readonly applicants: string[] = [];
  private readonly claims = new Map<string, ClaimView>();
  private serial = 0;
  accepted = 0;
  refused = 0;
  readonly refusals = new Map<string, number>();

  constructor(
    private readonly service: LedgerService,
    private readonly random: DriverRandom,
    /** Business time of each command; the test moves it forward. */
    private readonly now: () => string,
  ) {}

  async step(): Promise<void> {
    const command = this.next();
    try {
      const outcome = await this.service.execute(command as never);
      this.accepted += 1;
      if (outcome.result.kind === 'claim')
        this.claims.set(outcome.result.claimId, outcome.result.claim);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      this.refused += 1;
      this.refusals.set(
        `${command.type} ${error.code}`,
        (this.refusals.get(`${command.type} ${error.code}`) ?? 0) + 1,
      );
    }
  }

  private next(): LedgerCommand {
    const roll = this.random.int(100);
    if (this.applicants.length < 3 || roll < 4) return this.register();
    if (roll < 6) return this.applicantCommand();
    const open = [...this.claims.values()].filter(
      (claim) => claim.status !== 'withdrawn' && claim.status !== 'rejected',
    );
    if (roll < 30 || open.length === 0) return this.submit();
    return this.advance(open[this.random.int(open.length)] as ClaimView);
  }

  private register(): LedgerCommand {
    const uscc = usccFromPrefix(`91330100MA${String(this.applicants.length + 1).padStart(7, '0')}`);
    this.applicants.push(uscc);
    return {
      type: 'RegisterApplicant',
      data: { uscc, name: `Company ${this.applicants.length}`, district: this.pick(DISTRICTS) },
      metadata: this.meta('admin', 'admin-1'),
    };
  }

  private applicantCommand(): LedgerCommand {
    const uscc = this.pick(this.applicants);
    const roll = this.random.int(10);
    if (roll < 7) {
      const metadata = this.meta('admin', 'admin-1');
      return {
        type: 'RelocateApplicant',
        data: {
          uscc,
          district: this.pick(DISTRICTS),
          effectiveDate: hangzhouDate(metadata.now, 0),
        },
        metadata,
      };
    }
    const type = roll < 9 ? 'ClearIntegrityFlag' : 'RaiseIntegrityFlag';
    return { type, data: { uscc, reason: 'checked' }, metadata: this.meta('admin', 'admin-1') };
  }

  private submit(): LedgerCommand {
    const uscc = this.pick(this.applicants);
    const program = this.pick(PROGRAMS);
    const requestedAmount = this.amount(program.max);
    const data = {
      applicant: uscc,
      programCode: program.code,
      supportYear: 2024,
      requestedAmount,
      evidence: program.evidence(this.random.int(1000)),
    };
    return {
      type: 'SubmitClaim',
      data,
      metadata: this.meta('applicant', `user-${uscc}`, uscc),
    } as LedgerCommand;
  }

  private advance(claim: ClaimView): LedgerCommand {
    const claimId = claim.claimId;
    switch (claim.status) {
      case 'submitted': {
        if (this.random.int(12) === 0)
          return {
            type: 'WithdrawClaim',
            data: { claimId, reason: null },
            metadata: this.meta('applicant', `user-${claim.applicant}`, claim.applicant),
          };
        if (this.random.int(10) === 0)
          return {
            type: 'DecideClaim',
            data: { claimId, outcome: 'reject', reasons: ['incomplete'] },
            metadata: this.meta('reviewer', 'reviewer-1'),
          };
        const ceiling = Money.parse(claim.assessment.ceiling);
        const amount = this.random.int(3) === 0 ? ceiling.timesRoundDown('0.5') : ceiling;
        return {
          type: 'DecideClaim',
          data: {
            claimId,
            outcome: 'approve',
            amount: amount.toString(),
            reasons: ['meets clause'],
          },
          metadata: this.meta('reviewer', 'reviewer-1'),
        };
      }
      case 'pending_countersign': {
        const outcome = this.random.int(6) === 0 ? 'reject' : 'confirm';
        return {
          type: 'CountersignApproval',
          data: { claimId, outcome, reasons: ['second look'] },
          metadata: this.meta('reviewer', 'reviewer-2'),
        };
      }
      case 'approved': {
        const unpaid = claim.outstanding.city !== '0.00' || claim.outstanding.district !== '0.00';
        if (!unpaid || this.random.int(15) === 0)
          return {
            type: 'RevokeClaim',
            data: { claimId, reasons: ['forged invoice'] },
            metadata: this.meta('reviewer', 'reviewer-3'),
          };
        return this.money(claim, 'RecordDisbursement');
      }
      case 'revoked':
        return claim.receivable.city === claim.recovered.city &&
          claim.receivable.district === claim.recovered.district
          ? this.submit()
          : this.money(claim, 'RecordRecovery');
      default:
        return this.submit();
    }
  }

  private money(claim: ClaimView, type: 'RecordDisbursement' | 'RecordRecovery'): LedgerCommand {
    const leftOf = (funder: 'city' | 'district'): Money =>
      type === 'RecordDisbursement'
        ? Money.parse(claim.outstanding[funder])
        : Money.parse(claim.receivable[funder]).minusFloorZero(
            Money.parse(claim.recovered[funder]),
          );
    const preferred = this.random.int(2) === 0 ? 'city' : 'district';
    const funder = leftOf(preferred).isZero()
      ? preferred === 'city'
        ? 'district'
        : 'city'
      : preferred;
    const left = leftOf(funder);
    const amount =
      this.random.int(2) === 0 || left.lessThan(Money.parse('1.00'))
        ? left
        : left.timesRoundDown('0.4');
    const metadata = this.meta('finance', 'finance-1');
    const reference = `${type === 'RecordDisbursement' ? 'PAY' : 'REC'}-${this.serial}`;
    // Payments are booked up to 3 days late, never in the future.
    const day = hangzhouDate(metadata.now, this.random.int(4));
    const data =
      type === 'RecordDisbursement'
        ? {
            claimId: claim.claimId,
            funder,
            amount: amount.toString(),
            paymentRef: reference,
            paidAt: day,
          }
        : {
            claimId: claim.claimId,
            funder,
            amount: amount.toString(),
            recoveryRef: reference,
            recoveredAt: day,
          };
    return { type, data, metadata } as LedgerCommand;
  }

  private meta(role: Role, actor: string, applicant?: string): CommandMetadata {
    this.serial += 1;
    const key = `drv-${this.serial}`;
    return {
      actor,
      role,
      now: this.now(),
      idempotencyKey: key,
      correlationId: key,
      causationId: key,
      ...(applicant ? { applicant } : {}),
    };
  }

  private amount(maxYuan: number): string {
    return Money.fromFen(BigInt(100 + this.random.int(maxYuan * 100))).toString();
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.random.int(items.length)] as T;
  }
}

/** The Hangzhou calendar date (UTC+08:00) of an instant, `daysBack` days earlier. */
function hangzhouDate(iso: string, daysBack: number): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000 - daysBack * 86_400_000)
    .toISOString()
    .slice(0, 10);
}
