/**
 * Generates valid ledger histories at the event level: applicants register, file claims, get decisions,
 * countersignatures, payments from both funders, revocations and recoveries, move districts; the city
 * decides allocation plans. Deterministic for a given random source. Used by property tests (small) and
 * by the projection bench (a million events).
 */
import { usccFromPrefix } from '@hz/ledger';
import { GENERATOR_DISTRICTS } from './generator-catalog';
import { advanceClaim, submitClaim } from './generator-claims';
import { GeneratorContext, money } from './generator-context';
import { hasWork, type GenApplicant, type GenPlan, type GeneratedEvent } from './generator-model';
import { pick, type RandomSource } from './random-source';

export interface LedgerGeneratorOptions {
  /** Applicants with work in progress at any time: how much their events interleave. */
  readonly activeApplicants?: number;
  /** Claims an applicant files before it retires from the active set. */
  readonly claimsPerApplicant?: number;
  /** Largest gap between two events, in seconds. */
  readonly stepSecondsMax?: number;
}

export function* generateLedger(
  random: RandomSource,
  options: LedgerGeneratorOptions = {},
): Generator<GeneratedEvent> {
  const ctx = new GeneratorContext(random, undefined, options.stepSecondsMax ?? 600);
  const activeMax = options.activeApplicants ?? 50;
  const claimsMax = options.claimsPerApplicant ?? 7;
  const active: GenApplicant[] = [];
  const plans: GenPlan[] = [];
  let registered = 0;
  for (;;) {
    ctx.tick();
    if (active.length < activeMax) {
      registered += 1;
      const applicant = newApplicant(registered, ctx);
      active.push(applicant);
      yield ctx.event(
        `applicant-${applicant.uscc}`,
        'ApplicantRegistered',
        { uscc: applicant.uscc, name: `Company ${registered}`, district: applicant.district },
        'admin-1',
        'admin',
      );
      continue;
    }
    const roll = random.int(1000);
    if (roll < 3) yield* allocationStep(ctx, plans);
    else if (roll < 20) yield* applicantStep(ctx, pick(random, active));
    else {
      const index = random.int(active.length);
      const applicant = active[index] as GenApplicant;
      const events = claimStep(ctx, applicant, claimsMax);
      if (events === 'retire') active.splice(index, 1);
      else yield* events;
    }
  }
}

function claimStep(
  ctx: GeneratorContext,
  applicant: GenApplicant,
  claimsMax: number,
): GeneratedEvent[] | 'retire' {
  const working = applicant.claims.filter(hasWork);
  const maySubmit = applicant.claimCount < claimsMax && !applicant.flagged;
  if (working.length === 0 && !maySubmit) return 'retire';
  if (maySubmit && (working.length === 0 || ctx.random.int(4) === 0))
    return submitClaim(ctx, applicant);
  return working.length === 0 ? [] : advanceClaim(ctx, applicant, pick(ctx.random, working));
}

function applicantStep(ctx: GeneratorContext, applicant: GenApplicant): GeneratedEvent[] {
  const stream = `applicant-${applicant.uscc}`;
  const roll = ctx.random.int(10);
  if (roll < 7) {
    const target = pick(
      ctx.random,
      GENERATOR_DISTRICTS.filter((d) => d.code !== applicant.district),
    ).code;
    const data = {
      uscc: applicant.uscc,
      fromDistrict: applicant.district,
      toDistrict: target,
      effectiveDate: ctx.dateBack(0),
    };
    applicant.district = target;
    return [ctx.event(stream, 'ApplicantRelocated', data, 'admin-1', 'admin')];
  }
  applicant.flagged = !applicant.flagged;
  const type = applicant.flagged ? 'IntegrityFlagRaised' : 'IntegrityFlagCleared';
  return [
    ctx.event(stream, type, { uscc: applicant.uscc, reason: 'generated' }, 'admin-1', 'admin'),
  ];
}

function allocationStep(ctx: GeneratorContext, plans: GenPlan[]): GeneratedEvent[] {
  const open = plans.flatMap((plan) =>
    plan.allocations.filter((a) => a.paidFen < a.amountFen).map((a) => ({ plan, a })),
  );
  if (open.length > 0 && ctx.random.int(3) > 0) {
    const { plan, a } = pick(ctx.random, open);
    const amountFen = ctx.partOf(a.amountFen - a.paidFen);
    a.paidFen += amountFen;
    const data = {
      planId: plan.planId,
      district: a.district,
      amount: money(amountFen),
      paymentRef: ctx.reference('ALLOC'),
      paidAt: ctx.dateBack(3),
    };
    return [
      ctx.event(
        `allocation-${plan.planId}`,
        'AllocationDisbursementRecorded',
        data,
        'finance-1',
        'finance',
      ),
    ];
  }
  const planId = `PLAN-${plans.length + 1}`;
  const amounts = GENERATOR_DISTRICTS.slice(0, 3).map((d) => ({
    district: d.code,
    amountFen: ctx.amountFen(1_000_000),
    paidFen: 0n,
  }));
  plans.push({ planId, allocations: amounts });
  const pool = amounts.reduce((sum, a) => sum + a.amountFen, 0n);
  const data = {
    planId,
    pool: money(pool),
    decidedAt: ctx.dateBack(0),
    policyId: 'hz-cbec-2023',
    catalogHash: 'c'.repeat(64),
    programCode: 'c9-park-allocation',
    allocations: amounts.map((a) => ({
      district: a.district,
      score: '1',
      amount: money(a.amountFen),
    })),
  };
  return [
    ctx.event(`allocation-${planId}`, 'AllocationPlanDecided', data, 'finance-1', 'finance', true),
  ];
}

function newApplicant(index: number, ctx: GeneratorContext): GenApplicant {
  const uscc = usccFromPrefix(`91330100MA${index.toString().padStart(7, '0')}`);
  const district = pick(ctx.random, GENERATOR_DISTRICTS).code;
  return {
    uscc,
    district,
    flagged: false,
    claimCount: 0,
    granted: new Map(),
    busyScopes: new Set(),
    claims: [],
  };
}

/** The first `count` events of a generated ledger. */
export function generateEvents(
  random: RandomSource,
  count: number,
  options: LedgerGeneratorOptions = {},
): GeneratedEvent[] {
  const events: GeneratedEvent[] = [];
  for (const event of generateLedger(random, options)) {
    if (events.length >= count) break;
    events.push(event);
  }
  return events;
}
