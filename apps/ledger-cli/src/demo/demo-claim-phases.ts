/**
 * One applicant's part of each phase of a support year: submit, decide, countersign, pay, revoke,
 * recover. Each runs the applicant's commands in order; the runner runs many applicants side by side.
 */
import { Money } from '@hz/money';
import type { ClaimView } from '@hz/ledger';
import type { PolicyCatalog } from '@hz/policy';
import type { CommandBody, DemoContext } from './demo-context';
import { demoClaim, DEMO_PROGRAMS } from './demo-evidence';
import {
  FINANCE_OFFICERS,
  REVIEWERS,
  type DemoApplicant,
  type DemoClaimState,
  type YearPhase,
} from './demo-model';

interface ClaimResult {
  readonly kind: 'claim';
  readonly claimId: string;
  readonly claim: ClaimView;
}

function claimOf(result: unknown): ClaimView | undefined {
  return (result as Partial<ClaimResult> | undefined)?.kind === 'claim'
    ? (result as ClaimResult).claim
    : undefined;
}

/** The applicant's claims of the year in one status, as they stand before the phase changes any. */
function claimsIn(
  applicant: DemoApplicant,
  year: number,
  status: DemoClaimState['status'],
): DemoClaimState[] {
  return applicant.claims.filter((claim) => claim.year === year && claim.status === status);
}

/** A reviewer's decision on a claim; an approval names its amount. */
function decision(claimId: string, reasons: string[], amount?: string): CommandBody {
  const data =
    amount === undefined
      ? { claimId, outcome: 'reject' as const, reasons }
      : { claimId, outcome: 'approve' as const, amount, reasons };
  return { type: 'DecideClaim', data };
}

function remember(state: DemoClaimState, claim: ClaimView | undefined): void {
  if (!claim) return;
  state.status = claim.status as DemoClaimState['status'];
  state.outstanding = { ...claim.outstanding };
  state.receivable = { ...claim.receivable };
}

/** The programs an applicant claims in a year: its "own" program first (so every program is covered). */
export function programsFor(
  applicant: DemoApplicant,
  year: number,
  firstYear: number,
  catalog: PolicyCatalog,
): string[] {
  const { random } = applicant;
  const chosen: string[] = [];
  for (const program of catalog.programs) {
    if (!DEMO_PROGRAMS.includes(program.code)) continue;
    const own =
      year === firstYear && DEMO_PROGRAMS[applicant.index % DEMO_PROGRAMS.length] === program.code;
    const probability =
      program.scope === 'annual' ? 0.25 : program.scope === 'one-time' ? 0.08 : 0.15;
    if (program.scope === 'one-time' && applicant.oneTimeClaimed.has(program.code)) continue;
    if (own || random.chance(probability)) chosen.push(program.code);
  }
  return chosen;
}

export async function submitPhase(
  context: DemoContext,
  applicant: DemoApplicant,
  year: number,
  programs: readonly string[],
  catalog: PolicyCatalog,
): Promise<void> {
  for (const programCode of programs) {
    const claim = demoClaim(
      applicant.random,
      programCode,
      year,
      `${programCode.slice(0, 2).toUpperCase()}-${applicant.index}-${year}`,
    );
    if (!claim) continue;
    const who = {
      actor: `applicant-${applicant.uscc}`,
      role: 'applicant' as const,
      applicant: applicant.uscc,
    };
    const outcome = await context.send(
      { type: 'SubmitClaim', data: { applicant: applicant.uscc, supportYear: year, ...claim } },
      who,
      `${applicant.uscc}-${year}-submit-${programCode}`,
    );
    const view = outcome.ok ? claimOf(outcome.result) : undefined;
    if (!view) continue;
    if (catalog.programs.find((program) => program.code === programCode)?.scope === 'one-time')
      applicant.oneTimeClaimed.add(programCode);
    const state: DemoClaimState = {
      claimId: view.claimId,
      programCode,
      year,
      ceiling: view.assessment.ceiling,
      status: 'submitted',
      approvedBy: null,
      countersignedBy: null,
      outstanding: { city: '0.00', district: '0.00' },
      receivable: { city: '0.00', district: '0.00' },
    };
    remember(state, view);
    applicant.claims.push(state);
  }
}

export const decidePhase: YearPhase = async (context, applicant, year) => {
  const { random } = applicant;
  for (const claim of claimsIn(applicant, year, 'submitted')) {
    if (random.chance(0.03)) {
      const who = {
        actor: `applicant-${applicant.uscc}`,
        role: 'applicant' as const,
        applicant: applicant.uscc,
      };
      const outcome = await context.send(
        {
          type: 'WithdrawClaim',
          data: { claimId: claim.claimId, reason: '活动取消，主动撤回申报' },
        },
        who,
        `${claim.claimId}-withdraw`,
      );
      if (outcome.ok) remember(claim, claimOf(outcome.result));
      continue;
    }
    const reviewer = random.pick(REVIEWERS);
    const reject = random.chance(0.08) || applicant.flagged;
    const body = reject
      ? decision(claim.claimId, ['申报材料不足以支持申请金额'])
      : decision(claim.claimId, ['符合条款规定的扶持条件'], approvalAmount(applicant, claim));
    let outcome = await context.send(
      body,
      { actor: reviewer, role: 'reviewer' },
      `${claim.claimId}-decide`,
    );
    if (
      !outcome.ok &&
      outcome.error.code === 'CLAIM.EXCEEDS_CEILING' &&
      typeof outcome.error.details['ceiling'] === 'string'
    ) {
      // The caps filled up since submission (another claim in the same cap): approve what room is left.
      const ceiling = outcome.error.details['ceiling'];
      const retry = Money.parse(ceiling).isPositive()
        ? decision(claim.claimId, ['按剩余额度核定'], ceiling)
        : decision(claim.claimId, ['该项额度已用完']);
      outcome = await context.send(
        retry,
        { actor: reviewer, role: 'reviewer' },
        `${claim.claimId}-decide-retry`,
      );
    }
    if (!outcome.ok) continue;
    remember(claim, claimOf(outcome.result));
    if (!reject) claim.approvedBy = reviewer;
  }
};

/** Usually the full ceiling recorded at submission; sometimes a reviewer trims it. */
function approvalAmount(applicant: DemoApplicant, claim: DemoClaimState): string {
  const ceiling = Money.parse(claim.ceiling);
  return applicant.random.chance(0.85)
    ? ceiling.toString()
    : ceiling.timesRoundDown('0.9').toString();
}

export const countersignPhase: YearPhase = async (context, applicant, year) => {
  const { random } = applicant;
  for (const claim of claimsIn(applicant, year, 'pending_countersign')) {
    const others = REVIEWERS.filter((reviewer) => reviewer !== claim.approvedBy);
    const countersigner = random.pick(others);
    const confirm = random.chance(0.95);
    const data = confirm
      ? { claimId: claim.claimId, outcome: 'confirm' as const, reasons: [] }
      : {
          claimId: claim.claimId,
          outcome: 'reject' as const,
          reasons: ['核定金额依据不足，退回重审'],
        };
    const outcome = await context.send(
      { type: 'CountersignApproval', data },
      { actor: countersigner, role: 'reviewer' },
      `${claim.claimId}-countersign`,
    );
    if (!outcome.ok) continue;
    remember(claim, claimOf(outcome.result));
    if (confirm) claim.countersignedBy = countersigner;
  }
};

export const disbursePhase: YearPhase = async (context, applicant, year) => {
  const { random } = applicant;
  for (const claim of claimsIn(applicant, year, 'approved')) {
    for (const funder of ['city', 'district'] as const) {
      const installments = installmentsOf(random.next(), claim.outstanding[funder]);
      for (const [index, amount] of installments.entries()) {
        const data = {
          claimId: claim.claimId,
          funder,
          amount,
          paymentRef: `PAY-${claim.claimId}-${funder[0]}${index + 1}`,
          paidAt: context.clock.today(),
        };
        const outcome = await context.send(
          { type: 'RecordDisbursement', data },
          { actor: random.pick(FINANCE_OFFICERS), role: 'finance' },
          `${claim.claimId}-pay-${funder}-${index + 1}`,
        );
        if (outcome.ok) remember(claim, claimOf(outcome.result));
      }
    }
  }
};

/** 15% unpaid for now (outstanding), 30% in two installments, the rest at once. */
function installmentsOf(draw: number, outstanding: string): string[] {
  const total = Money.parse(outstanding);
  if (!total.isPositive() || draw < 0.15) return [];
  if (draw < 0.45 && total.toFen() >= 2n) {
    const first = total.timesRoundDown('0.5');
    return [first.toString(), total.minus(first).toString()];
  }
  return [total.toString()];
}

export const revokePhase: YearPhase = async (context, applicant, year) => {
  for (const claim of claimsIn(applicant, year, 'approved')) {
    if (!applicant.random.chance(0.03)) continue;
    const reviewer = applicant.random.pick(REVIEWERS);
    const outcome = await context.send(
      {
        type: 'RevokeClaim',
        data: { claimId: claim.claimId, reasons: ['事后抽查发现申报材料不实'] },
      },
      { actor: reviewer, role: 'reviewer' },
      `${claim.claimId}-revoke`,
    );
    if (outcome.ok) remember(claim, claimOf(outcome.result));
  }
};

export const recoverPhase: YearPhase = async (context, applicant, year) => {
  for (const claim of claimsIn(applicant, year, 'revoked')) {
    for (const funder of ['city', 'district'] as const) {
      const receivable = Money.parse(claim.receivable[funder]);
      if (!receivable.isPositive()) continue;
      const amount = applicant.random.chance(0.7) ? receivable : receivable.timesRoundDown('0.5');
      if (!amount.isPositive()) continue;
      const data = {
        claimId: claim.claimId,
        funder,
        amount: amount.toString(),
        recoveryRef: `REC-${claim.claimId}-${funder[0]}`,
        recoveredAt: context.clock.today(),
      };
      const outcome = await context.send(
        { type: 'RecordRecovery', data },
        { actor: applicant.random.pick(FINANCE_OFFICERS), role: 'finance' },
        `${claim.claimId}-recover-${funder}`,
      );
      if (outcome.ok) remember(claim, claimOf(outcome.result));
    }
  }
};

/** One applicant in this many leaves a claim waiting for a decision, and one for a countersignature. */
export const QUEUE_EVERY = 16;

/**
 * After the last year, some work is left open so that a newcomer finds the review queue populated
 * (docs/decisions.md, "Demo ledger"): an exhibition claim waiting for a decision, and an independent-site
 * award approved by one reviewer (above the countersign threshold) waiting for a second one.
 */
export const openQueuePhase: YearPhase = async (context, applicant, year) => {
  if (applicant.flagged) return;
  const who = {
    actor: `applicant-${applicant.uscc}`,
    role: 'applicant' as const,
    applicant: applicant.uscc,
  };
  if (applicant.index % QUEUE_EVERY === 5) {
    const claim = demoClaim(
      applicant.random,
      'c4-exhibition',
      year,
      `EX-Q-${applicant.index}-${year}`,
    );
    if (!claim) return;
    await context.send(
      { type: 'SubmitClaim', data: { applicant: applicant.uscc, supportYear: year, ...claim } },
      who,
      `${applicant.uscc}-${year}-queue-submit`,
    );
    return;
  }
  if (applicant.index % QUEUE_EVERY !== 13 || applicant.oneTimeClaimed.has('c1-independent-site'))
    return;
  const claim = demoClaim(
    applicant.random,
    'c1-independent-site',
    year,
    `SITE-Q-${applicant.index}`,
  );
  if (!claim) return;
  const submitted = await context.send(
    {
      type: 'SubmitClaim',
      data: {
        applicant: applicant.uscc,
        supportYear: year,
        ...claim,
        requestedAmount: '2000000.00',
      },
    },
    who,
    `${applicant.uscc}-${year}-queue-site`,
  );
  const view = submitted.ok ? claimOf(submitted.result) : undefined;
  if (!view || !Money.parse(view.assessment.ceiling).isPositive()) return;
  applicant.oneTimeClaimed.add('c1-independent-site');
  const reviewer = applicant.random.pick(REVIEWERS);
  await context.send(
    decision(
      view.claimId,
      ['独立站已上线运营，符合一次性奖励条件', '核定金额达到会签标准，提请复核'],
      view.assessment.ceiling,
    ),
    { actor: reviewer, role: 'reviewer' },
    `${view.claimId}-queue-decide`,
  );
};
