/**
 * A small slice of hz-cbec-2023 for generated ledgers: programs of every scope kind and funding, and
 * districts of both groups. Cap ids follow the policy engine's naming ('annual:{code}:{year}', ...).
 */
export interface GeneratorProgram {
  readonly code: string;
  readonly scope: 'annual' | 'one-time' | 'per-subject';
  readonly funding: 'split' | 'city';
  /** The most a claim asks for, in yuan. */
  readonly requestMax: number;
  readonly caps: ReadonlyArray<{
    readonly kind: 'annual' | 'one-time' | 'subject' | 'applicant-total';
    readonly amount: string;
  }>;
}

export const GENERATOR_PROGRAMS: readonly GeneratorProgram[] = [
  {
    code: 'c1-platform',
    scope: 'annual',
    funding: 'split',
    requestMax: 1_000_000,
    caps: [{ kind: 'annual', amount: '1000000.00' }],
  },
  {
    code: 'c3-trademark',
    scope: 'one-time',
    funding: 'split',
    requestMax: 200_000,
    caps: [{ kind: 'one-time', amount: '200000.00' }],
  },
  { code: 'c4-exhibition', scope: 'per-subject', funding: 'split', requestMax: 90_000, caps: [] },
  {
    code: 'c5-consolidation-warehouse',
    scope: 'per-subject',
    funding: 'split',
    requestMax: 300_000,
    caps: [
      { kind: 'subject', amount: '300000.00' },
      { kind: 'applicant-total', amount: '600000.00' },
    ],
  },
  {
    code: 'c6-incubation',
    scope: 'annual',
    funding: 'city',
    requestMax: 10_000,
    caps: [{ kind: 'annual', amount: '10000.00' }],
  },
  {
    code: 'c6-talent-event',
    scope: 'per-subject',
    funding: 'city',
    requestMax: 200_000,
    caps: [{ kind: 'subject', amount: '200000.00' }],
  },
  {
    code: 'c8-overseas-network-site',
    scope: 'one-time',
    funding: 'split',
    requestMax: 200_000,
    caps: [{ kind: 'one-time', amount: '200000.00' }],
  },
];

export const GENERATOR_DISTRICTS: ReadonlyArray<{
  readonly code: string;
  readonly group: 'A' | 'B';
  readonly cityRate: string;
}> = [
  { code: 'xihu', group: 'A', cityRate: '0.5' },
  { code: 'binjiang', group: 'A', cityRate: '0.5' },
  { code: 'shangcheng', group: 'A', cityRate: '0.5' },
  { code: 'xiaoshan', group: 'B', cityRate: '0.25' },
  { code: 'yuhang', group: 'B', cityRate: '0.25' },
];

export function capIdFor(
  kind: string,
  code: string,
  supportYear: number,
  subjectKey: string | null,
): string {
  if (kind === 'annual') return `annual:${code}:${supportYear}`;
  if (kind === 'subject') return `subject:${code}:${subjectKey ?? ''}`;
  return `${kind}:${code}`;
}

export const COUNTERSIGN_THRESHOLD = '500000.00';
export const POLICY_ID = 'hz-cbec-2023';
export const CATALOG_HASH = 'c'.repeat(64);
