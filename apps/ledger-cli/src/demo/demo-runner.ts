/**
 * `ledger demo`: a realistic, deterministic history written through the real command path. Phases follow
 * the policy year (register, relocate, submit, flag, decide, countersign, allocate, pay; next spring:
 * revoke, clear flags, recover; after the last year, some claims left open for the review queue); within a phase, many applicants run side by side in a bounded pool.
 */
import type { PolicyCatalog } from '@hz/policy';
import {
  allocationPhase,
  clearFlagPhase,
  flagPhase,
  registerPhase,
  relocatePhase,
} from './demo-applicant-phases';
import {
  countersignPhase,
  decidePhase,
  disbursePhase,
  openQueuePhase,
  programsFor,
  recoverPhase,
  revokePhase,
  submitPhase,
} from './demo-claim-phases';
import { DemoClock } from './demo-clock';
import { DemoContext, type CommandExecutor } from './demo-context';
import { newDemoApplicant, type DemoApplicant } from './demo-model';

export interface DemoOptions {
  readonly applicants: number;
  readonly yearFrom: number;
  readonly yearTo: number;
  readonly seed: number;
  /** Applicants in flight at once (the pool is bounded so memory stays flat). */
  readonly concurrency?: number;
  readonly onPhase?: (label: string, stats: DemoContext['stats']) => void;
}

export interface DemoSummary {
  readonly applicants: number;
  readonly commands: number;
  readonly refused: Readonly<Record<string, number>>;
  readonly lastPosition: bigint;
}

export const DEMO_CONCURRENCY_DEFAULT = 64;

/** The clock the store must use for recordedAt, so ledger time follows the demo's business time. */
export function demoClockFor(options: Pick<DemoOptions, 'yearFrom'>): DemoClock {
  return new DemoClock(`${options.yearFrom}-02-20T01:00:00.000Z`);
}

export async function runDemo(
  executor: CommandExecutor,
  clock: DemoClock,
  catalog: PolicyCatalog,
  options: DemoOptions,
): Promise<DemoSummary> {
  const context = new DemoContext(executor, clock, options.seed);
  const districts = catalog.districts.map((district) => district.code);
  const applicants = Array.from({ length: options.applicants }, (_, index) =>
    newDemoApplicant(options.seed, index, districts),
  );
  const phase = async (
    label: string,
    startIso: string,
    work: (applicant: DemoApplicant) => Promise<void>,
  ): Promise<void> => {
    clock.advanceTo(startIso);
    await inPool(applicants, options.concurrency ?? DEMO_CONCURRENCY_DEFAULT, work);
    options.onPhase?.(label, context.stats);
  };
  await phase('register', `${options.yearFrom}-02-20T01:00:00Z`, (applicant) =>
    registerPhase(context, applicant),
  );
  for (let year = options.yearFrom; year <= options.yearTo; year += 1) {
    await phase(`${year} relocate`, `${year}-06-25T01:00:00Z`, (applicant) =>
      relocatePhase(context, applicant, year, districts),
    );
    await phase(`${year} submit`, `${year}-07-01T01:00:00Z`, (applicant) =>
      submitPhase(
        context,
        applicant,
        year,
        programsFor(applicant, year, options.yearFrom, catalog),
        catalog,
      ),
    );
    await phase(`${year} flag`, `${year}-08-25T01:00:00Z`, (applicant) =>
      flagPhase(context, applicant, year),
    );
    await phase(`${year} decide`, `${year}-09-01T01:00:00Z`, (applicant) =>
      decidePhase(context, applicant, year),
    );
    await phase(`${year} countersign`, `${year}-10-01T01:00:00Z`, (applicant) =>
      countersignPhase(context, applicant, year),
    );
    clock.advanceTo(`${year}-10-20T01:00:00Z`);
    await allocationPhase(context, year, catalog);
    await phase(`${year} pay`, `${year}-11-01T01:00:00Z`, (applicant) =>
      disbursePhase(context, applicant, year),
    );
    await phase(`${year} revoke`, `${year + 1}-01-10T01:00:00Z`, (applicant) =>
      revokePhase(context, applicant, year),
    );
    await phase(`${year} clear flags`, `${year + 1}-01-25T01:00:00Z`, (applicant) =>
      clearFlagPhase(context, applicant, year),
    );
    await phase(`${year} recover`, `${year + 1}-03-01T01:00:00Z`, (applicant) =>
      recoverPhase(context, applicant, year),
    );
  }
  await phase('open queue', `${options.yearTo + 1}-03-20T01:00:00Z`, (applicant) =>
    openQueuePhase(context, applicant, options.yearTo),
  );
  return {
    applicants: applicants.length,
    commands: context.stats.commands,
    refused: Object.fromEntries(context.stats.refused),
    lastPosition: context.stats.lastPosition,
  };
}

/**
 * Runs `work` over the items with at most `size` in flight. Workers take items in index order, so with a
 * synchronous store the interleaving (and thus the log) is the same on every run.
 */
async function inPool<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}
