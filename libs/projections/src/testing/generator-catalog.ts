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

/** code | scope | funding | the most a claim asks (yuan) | caps (kind=amount …), one program a line. */
const PROGRAM_TABLE = `
  c1-platform | annual | split | 1000000 | annual=1000000.00
  c3-trademark | one-time | split | 200000 | one-time=200000.00
  c4-exhibition | per-subject | split | 90000 |
  c5-consolidation-warehouse | per-subject | split | 300000 | subject=300000.00 applicant-total=600000.00
  c6-incubation | annual | city | 10000 | annual=10000.00
  c6-talent-event | per-subject | city | 200000 | subject=200000.00
  c8-overseas-network-site | one-time | split | 200000 | one-time=200000.00
`;

type Cap = GeneratorProgram['caps'][number];

export const GENERATOR_PROGRAMS: readonly GeneratorProgram[] = PROGRAM_TABLE.trim()
  .split('\n')
  .map((line) => {
    const [code = '', scope, funding, requestMax, caps = ''] = line
      .split('|')
      .map((part) => part.trim());
    return {
      code,
      scope: scope as GeneratorProgram['scope'],
      funding: funding as GeneratorProgram['funding'],
      requestMax: Number(requestMax),
      caps: caps
        .split(' ')
        .filter((cap) => cap !== '')
        .map((cap): Cap => {
          const [kind, amount = ''] = cap.split('=');
          return { kind: kind as Cap['kind'], amount };
        }),
    };
  });

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
