/**
 * What the untraced assessment (verify's decision recompute, issue 13) leaves out, and the lookups it
 * shares with every caller. That it gives the traced assessment's every field is
 * assess-properties.unit.spec.ts's property; here: the work it skips, and that skipping changes nothing.
 */
import { MoneyDecimal } from '@hz/money';
import { catalog, draft, evidenceWith } from '../testing/fixtures';
import { assess } from './assess';
import type { PolicyCatalog, ProgramDefinition } from './catalog-types';
import { findDistrict, findProgram } from './registry';

/** toFixed() without a digit count: how evaluate() formats a predicate's numbers (Money uses toFixed(2)). */
function predicateFormats(run: () => void): number {
  const toFixed = jest.spyOn(MoneyDecimal.prototype, 'toFixed');
  try {
    run();
    return toFixed.mock.calls.filter((call) => call[0] === undefined).length;
  } finally {
    toFixed.mockRestore();
  }
}

describe('assess untraced', () => {
  const programsWithPredicates = catalog.programs.filter(
    (program) => program.eligibility.length > 0 && program.rule !== null,
  );

  it('formats no number of a met eligibility predicate, and gives the traced refusals', () => {
    expect(programsWithPredicates.map((program) => program.code)).toEqual(
      expect.arrayContaining(['c2-service-provider', 'c5-logistics-revenue']),
    );
    for (const program of programsWithPredicates) {
      const claim = draft(program.code);
      const traced = assess(catalog, claim, []);
      expect(traced.eligible).toBe(true);
      expect(predicateFormats(() => assess(catalog, claim, [], { trace: false }))).toBe(0);
      // Traced, every predicate's statement is in the trace.
      expect(predicateFormats(() => assess(catalog, claim, []))).toBeGreaterThan(0);
    }
  });

  it('states an unmet predicate in its refusal exactly as the traced assessment does', () => {
    const claim = draft('c2-service-provider', {
      evidence: evidenceWith('c2-service-provider', {
        servedEnterprises: 3,
        serviceRevenue: '100.00',
        priorYearServiceRevenue: '100.00',
      }),
    });
    const traced = assess(catalog, claim, []);
    const untraced = assess(catalog, claim, [], { trace: false });
    // c2's predicates on served enterprises and revenue growth fail, each stated with its numbers.
    const stated = traced.refusals.filter((refusal) => refusal.message.startsWith('required: '));
    expect(stated.length).toBeGreaterThanOrEqual(2);
    expect(untraced.refusals).toEqual(traced.refusals);
    expect(untraced.trace).toEqual([]);
  });

  it('still breaks an invariant on a field of the wrong kind (a catalog the check would refuse)', () => {
    const program = findProgram(catalog, 'c5-logistics-revenue') as ProgramDefinition;
    const broken: PolicyCatalog = {
      ...catalog,
      programs: [{ ...program, rule: { kind: 'tiers', field: 'warehouseId', tiers: [] } }],
    };
    expect(() => assess(broken, draft('c5-logistics-revenue'), [], { trace: false })).toThrow(
      'invariant broken: evidence field warehouseId is one of money',
    );
  });
});

describe('findProgram and findDistrict (an index per list)', () => {
  it('answer as a search of the list: every code, the first of a code listed twice, none for others', () => {
    for (const program of catalog.programs)
      expect(findProgram(catalog, program.code)).toBe(
        catalog.programs.find((other) => other.code === program.code),
      );
    for (const district of catalog.districts)
      expect(findDistrict(catalog, district.code)).toBe(district);
    expect(findProgram(catalog, 'c0-none')).toBeUndefined();
    expect(findDistrict(catalog, 'nowhere')).toBeUndefined();
    const [first] = catalog.programs as [ProgramDefinition];
    const twice: PolicyCatalog = {
      ...catalog,
      programs: [first, { ...first, titleEn: 'the second of the code' }],
    };
    expect(findProgram(twice, first.code)).toBe(first);
    // Another list under the same catalog id is looked up in itself, not in the first list's index.
    expect(findProgram({ ...catalog, programs: [] }, first.code)).toBeUndefined();
  });
});
