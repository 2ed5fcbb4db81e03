/** Claim lifecycle steps of the generator: each returns the events of one valid command, or [] if none fits. */
import { Money } from '@hz/money';
import {
  COUNTERSIGN_THRESHOLD,
  GENERATOR_DISTRICTS,
  GENERATOR_PROGRAMS,
  capIdFor,
} from './generator-catalog';
import { money, type GeneratorContext } from './generator-context';
import type { GenApplicant, GenClaim, GeneratedEvent } from './generator-model';
import { pick } from './random-source';

const THRESHOLD_FEN = Money.parse(COUNTERSIGN_THRESHOLD).toFen();
const ZERO = (): { city: bigint; district: bigint } => ({ city: 0n, district: 0n });

export function submitClaim(ctx: GeneratorContext, applicant: GenApplicant): GeneratedEvent[] {
  if (applicant.flagged) return [];
  const program = pick(ctx.random, GENERATOR_PROGRAMS);
  const supportYear = ctx.supportYear;
  const subjectKey = program.scope === 'per-subject' ? `S${1 + ctx.random.int(4)}` : null;
  const scopeKey =
    program.scope === 'annual'
      ? `annual:${program.code}:${supportYear}`
      : program.scope === 'one-time'
        ? `one-time:${program.code}`
        : `subject:${program.code}:${subjectKey}`;
  if (program.scope !== 'annual' && applicant.busyScopes.has(scopeKey)) return [];
  applicant.claimCount += 1;
  const claimId = `${applicant.uscc}-${applicant.claimCount}`;
  const requestedFen = ctx.amountFen(program.requestMax);
  const caps = program.caps.map((cap) => {
    const capId = capIdFor(cap.kind, program.code, supportYear, subjectKey);
    const capFen = Money.parse(cap.amount).toFen();
    const granted = applicant.granted.get(capId) ?? 0n;
    return {
      capId,
      clause: '一',
      cap: cap.amount,
      granted: money(granted),
      room: money(capFen > granted ? capFen - granted : 0n),
    };
  });
  const claim: GenClaim = {
    claimId,
    applicant: applicant.uscc,
    program,
    supportYear,
    subjectKey,
    scopeKey,
    requestedFen,
    status: 'submitted',
    amountFen: 0n,
    share: ZERO(),
    district: applicant.district,
    approvedBy: '',
    capIds: caps.map((cap) => cap.capId),
    paid: ZERO(),
    receivable: ZERO(),
    recovered: ZERO(),
  };
  applicant.claims.push(claim);
  if (program.scope !== 'annual') applicant.busyScopes.add(scopeKey);
  const assessment = {
    eligible: true,
    base: null,
    ruleAmount: money(requestedFen),
    ceiling: money(requestedFen),
    caps,
    trace: [],
  };
  const data = {
    claimId,
    applicant: applicant.uscc,
    programCode: program.code,
    supportYear,
    subjectKey,
    scopeKey,
    requestedAmount: money(requestedFen),
    evidence: { note: 'generated' },
    policyId: 'hz-cbec-2023',
    catalogHash: 'c'.repeat(64),
    assessment,
  };
  return [
    ctx.event(
      `applicant-${applicant.uscc}`,
      'ClaimSubmitted',
      data,
      `user-${applicant.uscc}`,
      'applicant',
    ),
  ];
}

export function advanceClaim(
  ctx: GeneratorContext,
  applicant: GenApplicant,
  claim: GenClaim,
): GeneratedEvent[] {
  switch (claim.status) {
    case 'submitted':
      return decide(ctx, applicant, claim);
    case 'pending_countersign':
      return countersign(ctx, applicant, claim);
    case 'approved':
      return ctx.random.int(25) === 0 ? revoke(ctx, applicant, claim) : disburse(ctx, claim);
    case 'revoked':
      return recover(ctx, claim);
    default:
      return [];
  }
}

function decide(ctx: GeneratorContext, applicant: GenApplicant, claim: GenClaim): GeneratedEvent[] {
  const stream = `applicant-${applicant.uscc}`;
  const roll = ctx.random.int(20);
  if (roll === 0)
    return close(
      applicant,
      claim,
      'withdrawn',
      ctx.event(
        stream,
        'ClaimWithdrawn',
        { claimId: claim.claimId, reason: null },
        `user-${applicant.uscc}`,
        'applicant',
      ),
    );
  const capsBefore = capsOf(applicant, claim);
  const room = capsBefore.reduce(
    (low, cap) => (cap.roomFen < low ? cap.roomFen : low),
    claim.requestedFen,
  );
  if (roll === 1 || applicant.flagged || room <= 0n) {
    return close(
      applicant,
      claim,
      'rejected',
      ctx.event(
        stream,
        'ClaimRejected',
        { claimId: claim.claimId, reasons: ['generated rejection'] },
        'reviewer-1',
        'reviewer',
      ),
    );
  }
  const amountFen = ctx.random.int(3) === 0 ? ctx.partOf(room) : room;
  const district =
    GENERATOR_DISTRICTS.find((d) => d.code === applicant.district) ?? GENERATOR_DISTRICTS[0];
  const cityRate = claim.program.funding === 'city' ? '1' : (district?.cityRate ?? '0.5');
  const cityFen = Money.fromFen(amountFen).timesRoundHalfUp(cityRate).toFen();
  Object.assign(claim, {
    amountFen,
    share: { city: cityFen, district: amountFen - cityFen },
    district: applicant.district,
  });
  claim.approvedBy = `reviewer-${1 + ctx.random.int(3)}`;
  const countersignRequired = amountFen >= THRESHOLD_FEN;
  claim.status = countersignRequired ? 'pending_countersign' : 'approved';
  for (const capId of claim.capIds)
    applicant.granted.set(capId, (applicant.granted.get(capId) ?? 0n) + amountFen);
  const data = {
    claimId: claim.claimId,
    amount: money(amountFen),
    reasons: ['generated approval'],
    approvedBy: claim.approvedBy,
    policyId: 'hz-cbec-2023',
    catalogHash: 'c'.repeat(64),
    ruleAmount: money(claim.requestedFen),
    ceiling: money(room),
    capsBefore: capsBefore.map(({ roomFen: _room, ...cap }) => cap),
    countersignRequired,
    countersignThreshold: COUNTERSIGN_THRESHOLD,
    split: {
      funding: claim.program.funding,
      district: applicant.district,
      districtGroup: claim.program.funding === 'city' ? null : (district?.group ?? 'A'),
      cityRate,
      cityShare: money(cityFen),
      districtShare: money(amountFen - cityFen),
    },
  };
  return [ctx.event(stream, 'ClaimApproved', data, claim.approvedBy, 'reviewer', true)];
}

function countersign(
  ctx: GeneratorContext,
  applicant: GenApplicant,
  claim: GenClaim,
): GeneratedEvent[] {
  const stream = `applicant-${applicant.uscc}`;
  const data = {
    claimId: claim.claimId,
    approvedBy: claim.approvedBy,
    countersignedBy: 'reviewer-9',
    reasons: ['second look'],
  };
  if (ctx.random.int(7) === 0) {
    release(applicant, claim);
    return close(
      applicant,
      claim,
      'rejected',
      ctx.event(stream, 'ApprovalCountersignRejected', data, 'reviewer-9', 'reviewer', true),
    );
  }
  claim.status = 'approved';
  return [ctx.event(stream, 'ApprovalCountersigned', data, 'reviewer-9', 'reviewer', true)];
}

function disburse(ctx: GeneratorContext, claim: GenClaim): GeneratedEvent[] {
  const funder =
    claim.paid.city < claim.share.city &&
    (claim.paid.district >= claim.share.district || ctx.random.int(2) === 0)
      ? 'city'
      : 'district';
  return payOrRecover(ctx, claim, funder, claim.share[funder] - claim.paid[funder], 'payment');
}

function revoke(ctx: GeneratorContext, applicant: GenApplicant, claim: GenClaim): GeneratedEvent[] {
  release(applicant, claim);
  claim.status = 'revoked';
  claim.receivable = { ...claim.paid };
  const cancelled = {
    city: money(claim.share.city - claim.paid.city),
    district: money(claim.share.district - claim.paid.district),
  };
  const data = {
    claimId: claim.claimId,
    reasons: ['generated revocation'],
    district: claim.district,
    cancelled,
    receivable: { city: money(claim.paid.city), district: money(claim.paid.district) },
  };
  applicant.busyScopes.delete(claim.scopeKey);
  return [
    ctx.event(`applicant-${applicant.uscc}`, 'ClaimRevoked', data, 'reviewer-1', 'reviewer', true),
  ];
}

function recover(ctx: GeneratorContext, claim: GenClaim): GeneratedEvent[] {
  const funder = claim.recovered.city < claim.receivable.city ? 'city' : 'district';
  const left = claim.receivable[funder] - claim.recovered[funder];
  return payOrRecover(ctx, claim, funder, left, 'recovery');
}

/** A payment or a recovery of part of `left` (fen) by `funder`, with its reserved unique reference. */
function payOrRecover(
  ctx: GeneratorContext,
  claim: GenClaim,
  funder: 'city' | 'district',
  left: bigint,
  kind: 'payment' | 'recovery',
): GeneratedEvent[] {
  if (left <= 0n) return [];
  const amountFen = ctx.partOf(left);
  (kind === 'payment' ? claim.paid : claim.recovered)[funder] += amountFen;
  const reference = ctx.reference(kind === 'payment' ? 'PAY' : 'REC');
  const date = ctx.dateBack(3);
  const data = {
    claimId: claim.claimId,
    funder,
    district: claim.district,
    amount: money(amountFen),
    ...(kind === 'payment'
      ? { paymentRef: reference, paidAt: date }
      : { recoveryRef: reference, recoveredAt: date }),
  };
  const type = kind === 'payment' ? 'DisbursementRecorded' : 'RecoveryRecorded';
  return [
    ...reserve(ctx, kind, reference, claim),
    ctx.event(`applicant-${claim.applicant}`, type, data, 'finance-1', 'finance'),
  ];
}

function reserve(
  ctx: GeneratorContext,
  kind: 'payment' | 'recovery',
  reference: string,
  claim: GenClaim,
): GeneratedEvent[] {
  const data = {
    kind,
    reference,
    contentHash: 'd'.repeat(64),
    streamId: `applicant-${claim.applicant}`,
    subjectId: claim.claimId,
  };
  return [ctx.event(`${kind}-ref-${reference}`, 'ReferenceReserved', data, 'finance-1', 'finance')];
}

function capsOf(applicant: GenApplicant, claim: GenClaim) {
  return claim.program.caps.map((cap) => {
    const capId = capIdFor(cap.kind, claim.program.code, claim.supportYear, claim.subjectKey);
    const capFen = Money.parse(cap.amount).toFen();
    const granted = applicant.granted.get(capId) ?? 0n;
    const roomFen = capFen > granted ? capFen - granted : 0n;
    return {
      capId,
      clause: '一',
      cap: cap.amount,
      granted: money(granted),
      room: money(roomFen),
      roomFen,
    };
  });
}

function release(applicant: GenApplicant, claim: GenClaim): void {
  for (const capId of claim.capIds)
    applicant.granted.set(capId, (applicant.granted.get(capId) ?? 0n) - claim.amountFen);
}

function close(
  applicant: GenApplicant,
  claim: GenClaim,
  status: 'withdrawn' | 'rejected',
  event: GeneratedEvent,
): GeneratedEvent[] {
  claim.status = status;
  applicant.busyScopes.delete(claim.scopeKey);
  return [event];
}
