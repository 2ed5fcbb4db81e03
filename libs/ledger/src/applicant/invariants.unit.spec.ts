/**
 * Invariants 1–4 (docs/architecture.md §3) as properties: any sequence of commands, refused or not, leaves an
 * applicant whose grants fit every cap, whose splits add up, and whose payments and recoveries stay
 * within shares and receivables. Refusals are expected; any other error (an InvariantViolation) fails.
 */
import fc from 'fast-check';
import { Money } from '@hz/money';
import { applicantDecider } from './decider';
import { DomainError } from '../errors';
import type { ApplicantCommand } from '../commands';
import type { DecisionContext } from '../context';
import {
  asAdmin,
  asApplicant,
  asFinance,
  asReviewer,
  claimOf,
  CONTEXT,
  historyOf,
  register,
  XIAOSHAN_CO,
} from '../testing/fixtures';
import type { ApplicantState, ClaimState } from './state';

/** A low threshold so that countersignatures happen often in short runs. */
const context: DecisionContext = { ...CONTEXT, countersignThreshold: Money.parse('50000.00') };
const claimIdOf = (index: number) => claimOf(XIAOSHAN_CO, index);

const EVIDENCE_BY_PROGRAM = {
  'c1-platform': () => ({ platformName: 'Tmall Global' }),
  'c3-trademark': () => ({
    items: [{ date: '2024-03-01', amount: '400000.00', country: 'US', reference: 'TM-1' }],
  }),
  'c5-consolidation-warehouse': (subject: number) => ({
    warehouseId: `W${subject}`,
    operatingAreaSqm: '3500',
  }),
} as const;
type Program = keyof typeof EVIDENCE_BY_PROGRAM;

/**
 * Commands are drawn as intents and shaped by the state when they run: "advance" takes a recent claim one
 * step along its lifecycle (approve, countersign, pay, revoke, recover), with an amount that is a
 * per-mille of what would just fit, up to 120 %, so that acceptances and refusals at the exact boundary
 * both happen often. Actors are drawn too, so self-countersigning is tried.
 */
type Intent =
  | {
      readonly kind: 'submit';
      readonly program: Program;
      readonly subject: number;
      readonly requested: bigint;
    }
  | {
      readonly kind: 'advance';
      readonly index: number;
      readonly choice: number;
      readonly perMille: number;
      readonly funder: 'city' | 'district';
      readonly actor: string;
      readonly ref: number;
    }
  | { readonly kind: 'relocate'; readonly district: string };

const intent: fc.Arbitrary<Intent> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      program: fc.constantFrom<Program>(
        'c1-platform',
        'c3-trademark',
        'c5-consolidation-warehouse',
      ),
      subject: fc.integer({ min: 1, max: 3 }),
      requested: fc.bigInt({ min: 1n, max: 60_000_000n }),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      index: fc.integer({ min: 1, max: 3 }),
      choice: fc.integer({ min: 0, max: 3 }),
      perMille: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(1000, 1001, 1200)),
      funder: fc.constantFrom('city' as const, 'district' as const),
      actor: fc.constantFrom('r1', 'r2'),
      ref: fc.integer({ min: 1, max: 30 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('relocate' as const),
      district: fc.constantFrom('binjiang', 'xiaoshan', 'xihu'),
    }),
  },
);

let referenceSerial = 0;
/** Mostly fresh references; numbers 1–2 are shared on purpose so that reuse and replays happen too. */
function referenceFor(prefix: string, drawn: number): string {
  referenceSerial += 1;
  return drawn <= 2 ? `${prefix}-shared-${drawn}` : `${prefix}-${referenceSerial}`;
}

/** perMille ‰ of `base`, rounded down to the fen but never below 0.01. */
function portion(base: Money, perMille: number): string {
  const fen = (base.toFen() * BigInt(perMille)) / 1000n;
  return Money.fromFen(fen > 0n ? fen : 1n).toString();
}

function advance(
  next: Extract<Intent, { kind: 'advance' }>,
  claim: ClaimState | undefined,
  claimId: string,
): ApplicantCommand {
  const { choice, perMille, funder, actor } = next;
  switch (claim?.status) {
    case 'pending_countersign':
      return {
        type: 'CountersignApproval',
        data: { claimId, outcome: choice < 3 ? 'confirm' : 'reject', reasons: ['checked'] },
        metadata: asReviewer(actor),
      };
    case 'approved': {
      if (choice === 3)
        return {
          type: 'RevokeClaim',
          data: { claimId, reasons: ['audit'] },
          metadata: asReviewer(),
        };
      const amount = portion(
        claim.approval.split.shares[funder].minusFloorZero(claim.paid[funder]),
        perMille,
      );
      return {
        type: 'RecordDisbursement',
        data: {
          claimId,
          funder,
          amount,
          paymentRef: referenceFor('P', next.ref),
          paidAt: '2024-06-30',
        },
        metadata: asFinance(),
      };
    }
    case 'revoked': {
      const amount = portion(
        claim.receivable[funder].minusFloorZero(claim.recovered[funder]),
        perMille,
      );
      return {
        type: 'RecordRecovery',
        data: {
          claimId,
          funder,
          amount,
          recoveryRef: referenceFor('R', next.ref),
          recoveredAt: '2024-06-30',
        },
        metadata: asFinance(),
      };
    }
    default: {
      // submitted (or already closed, or missing: then the decider must refuse)
      const amount = portion(claim?.requestedAmount ?? Money.parse('1.00'), perMille);
      return {
        type: 'DecideClaim',
        data: { claimId, outcome: 'approve', amount, reasons: [] },
        metadata: asReviewer(actor),
      };
    }
  }
}

function toCommand(next: Intent, state: ApplicantState): ApplicantCommand {
  if (next.kind === 'submit') {
    const { program, subject, requested } = next;
    const data = {
      applicant: XIAOSHAN_CO,
      programCode: program,
      supportYear: 2024,
      requestedAmount: Money.fromFen(requested).toString(),
      evidence: EVIDENCE_BY_PROGRAM[program](subject),
    };
    return { type: 'SubmitClaim', data, metadata: asApplicant(XIAOSHAN_CO) };
  }
  if (next.kind === 'relocate')
    return {
      type: 'RelocateApplicant',
      data: { uscc: XIAOSHAN_CO, district: next.district, effectiveDate: '2024-06-01' },
      metadata: asAdmin(),
    };
  // The index-th most recent claim, so that steps land on claims that exist.
  const claimCount = state.status === 'registered' ? state.claimCount : 0;
  const claimId = claimIdOf(Math.max(1, claimCount - next.index + 1));
  return advance(next, state.status === 'registered' ? state.claims[claimId] : undefined, claimId);
}

const grantOf = (claim: ClaimState): Money =>
  claim.status === 'approved' || claim.status === 'pending_countersign'
    ? claim.approval.amount
    : Money.ZERO;
const sumOf = (claims: readonly ClaimState[]): Money => Money.sum(claims.map(grantOf));
/** Plain checks (not `expect`) because they run after every step of every run. */
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`invariant broken: ${what}`);
}
const atMost = (value: Money, limit: string, what: string) =>
  check(value.lessThanOrEqual(Money.parse(limit)), `${what}: ${value.toString()} > ${limit}`);

function checkCaps(claims: readonly ClaimState[]): void {
  const byProgram = (code: Program) => claims.filter((claim) => claim.programCode === code);
  // Invariant 1: the annual cap, the one-time scope, per-subject scopes and the applicant-wide total.
  atMost(sumOf(byProgram('c1-platform')), '1000000.00', 'annual cap c1-platform/2024');
  check(
    byProgram('c3-trademark').filter((claim) => grantOf(claim).isPositive()).length <= 1,
    'one grant in a one-time scope',
  );
  atMost(sumOf(byProgram('c3-trademark')), '200000.00', 'one-time cap c3-trademark');
  for (const subject of ['W1', 'W2', 'W3']) {
    const granted = byProgram('c5-consolidation-warehouse').filter(
      (claim) => claim.subjectKey === subject && grantOf(claim).isPositive(),
    );
    check(granted.length <= 1, `one grant for warehouse ${subject}`);
    atMost(sumOf(granted), '300000.00', `cap of warehouse ${subject}`);
  }
  atMost(
    sumOf(byProgram('c5-consolidation-warehouse')),
    '600000.00',
    'applicant total c5-consolidation-warehouse',
  );
}

function checkMoney(claim: ClaimState): void {
  if (
    claim.status !== 'approved' &&
    claim.status !== 'pending_countersign' &&
    claim.status !== 'revoked'
  )
    return;
  const { amount: approved, split, ceiling } = claim.approval;
  // Invariants 2 and 3: within the ceiling of the decision; the shares add up to the amount exactly.
  check(approved.lessThanOrEqual(ceiling), `${claim.claimId} within its ceiling`);
  check(
    split.shares.city.plus(split.shares.district).equals(approved),
    `${claim.claimId} split adds up`,
  );
  if (claim.status === 'pending_countersign') return;
  for (const payer of ['city', 'district'] as const) {
    // Invariant 4: paid ≤ share; recovered ≤ receivable; cancelled + receivable = share.
    check(
      claim.paid[payer].lessThanOrEqual(split.shares[payer]),
      `${claim.claimId} ${payer} paid within share`,
    );
    if (claim.status !== 'revoked') continue;
    check(
      claim.recovered[payer].lessThanOrEqual(claim.receivable[payer]),
      `${claim.claimId} ${payer} recovered within receivable`,
    );
    check(
      claim.cancelled[payer].plus(claim.receivable[payer]).equals(split.shares[payer]),
      `${claim.claimId} ${payer} cancelled + receivable = share`,
    );
  }
}

function checkInvariants(state: ApplicantState): void {
  if (state.status !== 'registered') throw new Error('the applicant is registered in every run');
  const claims = Object.values(state.claims);
  checkCaps(claims);
  claims.forEach(checkMoney);
}

describe('Invariant 1: caps · Invariant 2: ceiling · Invariant 3: split · Invariant 4: payments', () => {
  it('holds invariants 1–4 over random command sequences', () => {
    const recorded: Record<string, number> = {};
    fc.assert(
      fc.property(fc.array(intent, { minLength: 20, maxLength: 60 }), (intents) => {
        let state = historyOf(register(XIAOSHAN_CO, 'xiaoshan')).reduce(
          applicantDecider.evolve,
          applicantDecider.initialState(),
        );
        for (const next of intents) {
          try {
            for (const event of applicantDecider.decide(toCommand(next, state), state, context)) {
              state = applicantDecider.evolve(state, event);
              recorded[event.type] = (recorded[event.type] ?? 0) + 1;
            }
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            recorded[error.code] = (recorded[error.code] ?? 0) + 1;
          }
          checkInvariants(state);
        }
      }),
      { numRuns: 100, seed: 20240701 },
    );
    // The property is only as good as the states it reaches: every kind of movement must have happened.
    for (const type of [
      'ClaimApproved',
      'ApprovalCountersigned',
      'ApprovalCountersignRejected',
      'DisbursementRecorded',
      'ClaimRevoked',
      'RecoveryRecorded',
    ]) {
      expect(recorded[type] ?? 0).toBeGreaterThan(20);
    }
  });
});
