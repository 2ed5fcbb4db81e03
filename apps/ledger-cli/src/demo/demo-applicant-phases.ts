/** The applicant-level and city-level parts of the demo: registration, relocations, integrity flags, allocation plans. */
import type { AllocationPlanView } from '@hz/ledger';
import type { PolicyCatalog } from '@hz/policy';
import type { DemoContext } from './demo-context';
import { DEMO_ADMIN, FINANCE_OFFICERS, type DemoApplicant, type YearPhase } from './demo-model';
import { DemoRandom } from './demo-random';

const ADMIN = { actor: DEMO_ADMIN, role: 'admin' as const };

export async function registerPhase(context: DemoContext, applicant: DemoApplicant): Promise<void> {
  const name = demoCompanyName(applicant.index);
  await context.send(
    {
      type: 'RegisterApplicant',
      data: { uscc: applicant.uscc, name, district: applicant.district },
    },
    ADMIN,
    `${applicant.uscc}-register`,
  );
}

/** About 2% of applicants move each year; the split of earlier approvals must not change (docs/policy.md §4). */
export async function relocatePhase(
  context: DemoContext,
  applicant: DemoApplicant,
  year: number,
  districts: readonly string[],
): Promise<void> {
  if (!applicant.random.chance(0.02)) return;
  const others = districts.filter((district) => district !== applicant.district);
  const district = applicant.random.pick(others);
  const outcome = await context.send(
    {
      type: 'RelocateApplicant',
      data: { uscc: applicant.uscc, district, effectiveDate: context.clock.today() },
    },
    ADMIN,
    `${applicant.uscc}-${year}-relocate`,
  );
  if (outcome.ok) applicant.district = district;
}

/** About 1% are flagged (clause 十) before decisions, so their claims are rejected, and cleared later. */
export const flagPhase: YearPhase = async (context, applicant, year) => {
  if (applicant.random.chance(0.01)) await setIntegrityFlag(context, applicant, year, true);
};

export const clearFlagPhase: YearPhase = async (context, applicant, year) => {
  if (applicant.flagged) await setIntegrityFlag(context, applicant, year, false);
};

async function setIntegrityFlag(
  context: DemoContext,
  applicant: DemoApplicant,
  year: number,
  flagged: boolean,
): Promise<void> {
  const outcome = await context.send(
    flagged
      ? {
          type: 'RaiseIntegrityFlag',
          data: { uscc: applicant.uscc, reason: '被列入严重失信主体名单' },
        }
      : {
          type: 'ClearIntegrityFlag',
          data: { uscc: applicant.uscc, reason: '整改完成，已移出失信名单' },
        },
    ADMIN,
    `${applicant.uscc}-${year}-${flagged ? 'flag' : 'clear'}`,
  );
  if (outcome.ok) applicant.flagged = flagged;
}

/** Clause 九: one allocation plan a year over every district, paid out to most districts. */
export async function allocationPhase(
  context: DemoContext,
  year: number,
  catalog: PolicyCatalog,
): Promise<void> {
  const random = DemoRandom.forKey(context.seed, `allocation-${year}`);
  const planId = `demo-${context.seed}-${year}`;
  const scores = catalog.districts.map((district) => ({
    district: district.code,
    score: `${random.int(1, 100)}.${random.int(0, 9)}`,
  }));
  const pool = random.yuan(3_000_000, 8_000_000, 10_000);
  const finance = { actor: random.pick(FINANCE_OFFICERS), role: 'finance' as const };
  const decided = await context.send(
    {
      type: 'DecideAllocationPlan',
      data: { planId, pool, scores, decidedAt: context.clock.today() },
    },
    finance,
    `plan-${year}-decide`,
  );
  if (!decided.ok) return;
  const { plan } = decided.result as { plan: AllocationPlanView };
  for (const allotment of plan.allocations) {
    if (random.chance(0.1)) continue;
    const data = {
      planId,
      district: allotment.district,
      amount: allotment.amount,
      paymentRef: `ALLOC-${planId}-${allotment.district}`,
      paidAt: context.clock.today(),
    };
    await context.send(
      { type: 'RecordAllocationDisbursement', data },
      finance,
      `plan-${year}-pay-${allotment.district}`,
    );
  }
}

const NAME_STEMS = [
  '钱江',
  '西溪',
  '云栖',
  '之江',
  '运河',
  '湘湖',
  '良渚',
  '富春',
  '天目',
  '千岛',
  '龙井',
  '桐君',
  '九溪',
  '北山',
  '南屏',
  '宝石',
  '断桥',
  '孤山',
];
const NAME_TRADES = [
  '跨境电子商务',
  '国际贸易',
  '供应链管理',
  '品牌出海',
  '数字贸易',
  '海外仓储',
  '跨境物流',
  '电子科技',
];

/**
 * A registered name as a Hangzhou company would have one: 杭州 + a local place name + a trade + 有限公司,
 * with a number where the combinations run out (deterministic from the index; the USCC stays the key).
 */
export function demoCompanyName(index: number): string {
  const stem = NAME_STEMS[index % NAME_STEMS.length] ?? '钱江';
  const trade =
    NAME_TRADES[Math.floor(index / NAME_STEMS.length) % NAME_TRADES.length] ?? '跨境电子商务';
  const round = Math.floor(index / (NAME_STEMS.length * NAME_TRADES.length));
  return `杭州${stem}${round === 0 ? '' : `第${round + 1}`}${trade}有限公司`;
}
