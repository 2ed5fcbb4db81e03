/** A broken catalog fails when it is defined, with every problem named; canonical JSON for the hash. */
import { Money } from '@hz/money';
import { catalog } from '../testing/fixtures';
import { canonicalJson } from '@hz/kernel';
import { catalogProblems } from './catalog-check';
import { assertCatalogData, catalogHash, defineCatalog } from './catalog-define';
import type {
  CapDefinition,
  EligibilityPredicate,
  PolicyCatalogContent,
  ProgramDefinition,
  RuleDefinition,
} from './catalog-types';

type RuleOf<K extends RuleDefinition['kind']> = Extract<RuleDefinition, { kind: K }>;
const cap0 = (program: ProgramDefinition) => program.caps[0] as CapDefinition;
const predicate = (program: ProgramDefinition, index: number) =>
  program.eligibility[index] as EligibilityPredicate;
const growth = (program: ProgramDefinition) =>
  program.eligibility[3] as Extract<EligibilityPredicate, { kind: 'growth' }>;
const minimum = (program: ProgramDefinition) =>
  program.eligibility[0] as Extract<EligibilityPredicate, { kind: 'minimum' }>;

const { hash: _hash, ...content } = catalog;
const withProgram = (
  code: string,
  change: Partial<ProgramDefinition> | ((program: ProgramDefinition) => Partial<ProgramDefinition>),
): PolicyCatalogContent => ({
  ...content,
  programs: content.programs.map((program) =>
    program.code === code
      ? { ...program, ...(typeof change === 'function' ? change(program) : change) }
      : program,
  ),
});

describe('catalogProblems', () => {
  it('finds none in HZ_CBEC_2023', () => {
    expect(catalogProblems(content)).toEqual([]);
  });

  it.each<[string, PolicyCatalogContent, string]>([
    [
      'duplicate programs',
      { ...content, programs: [...content.programs, content.programs[0] as ProgramDefinition] },
      'program codes must be unique',
    ],
    [
      'duplicate districts',
      {
        ...content,
        districts: [
          ...content.districts,
          content.districts[0] as (typeof content.districts)[number],
        ],
      },
      'district codes must be unique',
    ],
    [
      'a malformed city rate',
      {
        ...content,
        districts: content.districts.map((district) =>
          district.code === 'xihu' ? { ...district, cityRate: '50%' } : district,
        ),
      },
      'xihu: cityRate must be a decimal string of at most 1; xihu: every district of group A has the same cityRate',
    ],
    [
      'a city rate above 1',
      {
        ...content,
        districts: content.districts.map((district) => ({
          ...district,
          cityRate: district.group === 'B' ? '1.25' : district.cityRate,
        })),
      },
      ['xiaoshan', 'yuhang', 'linping', 'linan', 'tonglu', 'chunan', 'jiande']
        .map((code) => `${code}: cityRate must be a decimal string of at most 1`)
        .join('; '),
    ],
    [
      'two rates in one group',
      {
        ...content,
        districts: content.districts.map((district) =>
          district.code === 'jiande' ? { ...district, cityRate: '0.3' } : district,
        ),
      },
      'jiande: every district of group B has the same cityRate',
    ],
    [
      'a reversed window',
      { ...content, validFrom: '2026-02-19' },
      'the policy window must be two ordered ISO dates',
    ],
    [
      'an impossible date',
      { ...content, validTo: '2026-02-30' },
      'the policy window must be two ordered ISO dates',
    ],
    [
      'an impossible start date',
      { ...content, validFrom: '2023-02-30' },
      'the policy window must be two ordered ISO dates',
    ],
    [
      'reversed support years',
      { ...content, supportYearMin: 2027 },
      'support years must be ordered integers',
    ],
    [
      'a fractional support year',
      { ...content, supportYearMax: 2026.5 },
      'support years must be ordered integers',
    ],
    [
      'a fractional first support year',
      { ...content, supportYearMin: 2022.5 },
      'support years must be ordered integers',
    ],
    [
      'a malformed deadline',
      { ...content, applicationDeadline: '2026-13-01' },
      'the application deadline must be null or an ISO date',
    ],
    [
      'a claimable program without a rule',
      withProgram('c1-platform', { rule: null }),
      'c1-platform: claimable programs, and only they, have a rule',
    ],
    [
      'a per-subject program without a subject',
      withProgram('c4-exhibition', { subjectKeyField: null }),
      'c4-exhibition: per-subject programs, and only they, name a subject key field',
    ],
    [
      'a subject key that is not text',
      withProgram('c4-exhibition', { subjectKeyField: 'boothFee' }),
      'c4-exhibition: the subject key is a text field',
    ],
    [
      'a dated field that is not a date',
      withProgram('c6-talent-event', { datedField: 'eventName' }),
      'c6-talent-event: the dated field is a date field',
    ],
    [
      'a cap of another scope',
      withProgram('c1-platform', (program) => ({ caps: [{ ...cap0(program), kind: 'subject' }] })),
      'c1-platform: a subject cap does not fit a annual scope',
    ],
    [
      'a rule reading a missing field',
      withProgram('c5-logistics-revenue', (program) => ({
        rule: { ...(program.rule as RuleOf<'tiers'>), field: 'turnover' },
      })),
      'c5-logistics-revenue: field turnover must be one of money',
    ],
    [
      'a predicate on a text field',
      withProgram('c5-consolidation-warehouse', (program) => ({
        eligibility: [{ ...predicate(program, 0), field: 'warehouseId' }],
      })),
      'c5-consolidation-warehouse: field warehouseId must be one of money/decimal/integer',
    ],
    [
      'a growth predicate on a count',
      withProgram('c2-service-provider', (program) => ({
        eligibility: [{ ...growth(program), priorField: 'servedEnterprises' }],
      })),
      'c2-service-provider: field servedEnterprises must be one of money',
    ],
    [
      'an items rule without its list',
      withProgram('c3-patent', { evidence: { fields: {} } }),
      'c3-patent: field items must be one of list; c3-patent: field amount must be one of money; c3-patent: field date must be one of date',
    ],
    [
      'a limited rule on text',
      withProgram('c4-exhibition', (program) => ({
        rule: {
          ...(program.rule as RuleOf<'percentage-of-limited-field'>),
          limitField: 'exhibitionName',
        },
      })),
      'c4-exhibition: field exhibitionName must be one of money',
    ],
    [
      'a malformed rate',
      withProgram('c3-patent', (program) => ({
        rule: { ...(program.rule as RuleOf<'percentage-of-items'>), rate: '50%' },
      })),
      'c3-patent: 50% must be a decimal string',
    ],
    [
      'a malformed multiplier',
      withProgram('c4-exhibition', (program) => ({
        rule: { ...(program.rule as RuleOf<'percentage-of-limited-field'>), limitMultiplier: '6x' },
      })),
      'c4-exhibition: 6x must be a decimal string',
    ],
    [
      'a malformed ratio',
      withProgram('c2-service-provider', (program) => ({
        eligibility: [{ ...growth(program), minimumRatio: '115%' }],
      })),
      'c2-service-provider: 115% must be a decimal string',
    ],
    [
      'a malformed threshold',
      withProgram('c2-service-provider', (program) => ({
        eligibility: [{ ...minimum(program), threshold: '-1' }],
      })),
      'c2-service-provider: -1 must be a decimal string',
    ],
    [
      'a zero fixed amount',
      withProgram('c1-platform', { rule: { kind: 'fixed', amount: Money.ZERO } }),
      'c1-platform: fixed amounts, caps and tiers are positive',
    ],
    [
      'a zero cap',
      withProgram('c3-patent', (program) => ({ caps: [{ ...cap0(program), amount: Money.ZERO }] })),
      'c3-patent: fixed amounts, caps and tiers are positive',
    ],
    [
      'a zero tier',
      withProgram('c5-logistics-revenue', {
        rule: {
          kind: 'tiers',
          field: 'logisticsRevenue',
          tiers: [{ threshold: Money.ZERO, inclusive: true, amount: Money.ZERO }],
        },
      }),
      'c5-logistics-revenue: fixed amounts, caps and tiers are positive',
    ],
  ])('names %s', (_name, broken, problem) => {
    expect(catalogProblems(broken).join('; ')).toEqual(problem);
    expect(() => defineCatalog(broken)).toThrow(`catalog hz-cbec-2023 is inconsistent: ${problem}`);
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops undefined fields, honours toJSON and keeps arrays in order', () => {
    expect(
      canonicalJson({ b: [2, 1], a: { d: null, c: true }, e: undefined, m: Money.parse('5') }),
    ).toBe('{"a":{"c":true,"d":null},"b":[2,1],"m":"5.00"}');
    expect(canonicalJson('引号"')).toBe('"引号\\""');
  });

  it('refuses, before hashing, what a catalog never holds', () => {
    expect(() => assertCatalogData(0.5)).toThrow('integers only');
    expect(() => assertCatalogData({ f: () => 1 })).toThrow('cannot hold a function');
    expect(() => assertCatalogData([undefined])).toThrow('cannot hold a undefined');
    const fractional = { ...catalog, rate: 0.5 } as unknown as PolicyCatalogContent;
    expect(() => catalogHash(fractional)).toThrow('integers only');
  });
});
