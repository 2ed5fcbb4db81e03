/** What the demo remembers about each applicant between phases (the ledger itself is the truth). */
import { usccFromPrefix, USCC_ALPHABET } from '@hz/ledger';
import type { DemoContext } from './demo-context';
import { DemoRandom } from './demo-random';

export type DemoClaimStatus =
  'submitted' | 'withdrawn' | 'rejected' | 'pending_countersign' | 'approved' | 'revoked';

export interface DemoPair {
  city: string;
  district: string;
}

export interface DemoClaimState {
  readonly claimId: string;
  readonly programCode: string;
  readonly year: number;
  /** The ceiling the engine gave at submission; the decision approves it (or a little less). */
  readonly ceiling: string;
  status: DemoClaimStatus;
  approvedBy: string | null;
  countersignedBy: string | null;
  /** Still to pay per funder, as the ledger reported after the last command. */
  outstanding: DemoPair;
  receivable: DemoPair;
}

export interface DemoApplicant {
  readonly index: number;
  readonly uscc: string;
  district: string;
  readonly random: DemoRandom;
  readonly claims: DemoClaimState[];
  /** Programs of a one-time scope already claimed, so a later year does not claim them again. */
  readonly oneTimeClaimed: Set<string>;
  flagged: boolean;
}

/** One applicant's part of a phase of a support year (demo-runner.ts runs many applicants side by side). */
export type YearPhase = (
  context: DemoContext,
  applicant: DemoApplicant,
  year: number,
) => Promise<void>;

export const REVIEWERS = [
  'reviewer-01',
  'reviewer-02',
  'reviewer-03',
  'reviewer-04',
  'reviewer-05',
  'reviewer-06',
];
export const FINANCE_OFFICERS = ['finance-01', 'finance-02', 'finance-03'];
export const DEMO_ADMIN = 'admin-01';

/**
 * A valid USCC per applicant: 91 (enterprise) 3301 (Hangzhou) 0X + a 9-symbol organisation code from the
 * seed and the index, completed with its GB 32100 check symbol.
 */
export function demoUscc(seed: number, index: number): string {
  let value = BigInt(index) + BigInt(seed % 1_000_000) * 1_000_000_000n;
  let organisation = '';
  for (let position = 0; position < 9; position += 1) {
    organisation = USCC_ALPHABET.charAt(Number(value % 31n)) + organisation;
    value /= 31n;
  }
  return usccFromPrefix(`91330100${organisation}`);
}

export function newDemoApplicant(
  seed: number,
  index: number,
  districts: readonly string[],
): DemoApplicant {
  const district = districts[index % districts.length];
  if (district === undefined) throw new RangeError('the catalog lists no district');
  return {
    index,
    uscc: demoUscc(seed, index),
    district,
    random: DemoRandom.forKey(seed, `applicant-${index}`),
    claims: [],
    oneTimeClaimed: new Set(),
    flagged: false,
  };
}
