import { Money } from '@hz/money';
import {
  ADDED_PROGRAM,
  AMENDED_SCHEDULE,
  HZ_CBEC_2023_AMENDED,
  RAISED_AMOUNT,
} from '../testing/amendment';
import { draft } from '../testing/fixtures';
import { assess } from './assess';
import { catalogProblems } from './catalog-check';
import { HZ_CBEC_2023 } from './catalogs/hz-cbec-2023';
import {
  catalogInForce,
  policySchedule,
  scheduledCatalog,
  scheduledVersions,
  singleVersionSchedule,
} from './schedule';

describe('policy amendments: catalog versions with effective dates (docs/policy.md §11)', () => {
  it('the version in force on a date: the original before the amendment, the amendment from its day', () => {
    expect(catalogInForce(AMENDED_SCHEDULE, '2024-03-01')).toBe(HZ_CBEC_2023);
    expect(catalogInForce(AMENDED_SCHEDULE, '2025-06-30')).toBe(HZ_CBEC_2023);
    expect(catalogInForce(AMENDED_SCHEDULE, '2025-07-01')).toBe(HZ_CBEC_2023_AMENDED);
    expect(catalogInForce(AMENDED_SCHEDULE, '2026-12-31')).toBe(HZ_CBEC_2023_AMENDED);
    expect(catalogInForce(AMENDED_SCHEDULE, '2020-01-01')).toBe(HZ_CBEC_2023);
  });

  it('the amendment is a valid catalog of its own hash; the original keeps its hash', () => {
    expect(catalogProblems(HZ_CBEC_2023_AMENDED)).toEqual([]);
    expect(HZ_CBEC_2023_AMENDED.hash).not.toBe(HZ_CBEC_2023.hash);
    expect(singleVersionSchedule(HZ_CBEC_2023).versions[0]?.catalog.hash).toBe(HZ_CBEC_2023.hash);
  });

  it('finds the version a claim recorded by id and hash, and nothing else', () => {
    const { id, hash } = HZ_CBEC_2023_AMENDED;
    expect(scheduledCatalog(AMENDED_SCHEDULE, id, hash)).toBe(HZ_CBEC_2023_AMENDED);
    expect(scheduledCatalog(AMENDED_SCHEDULE, id, HZ_CBEC_2023.hash)).toBeUndefined();
    expect(scheduledCatalog(singleVersionSchedule(HZ_CBEC_2023), id, hash)).toBeUndefined();
  });

  it('lists every version with the dates it was in force', () => {
    expect(
      scheduledVersions(AMENDED_SCHEDULE).map((version) => [
        version.catalog.id,
        version.effectiveFrom,
        version.effectiveTo,
      ]),
    ).toEqual([
      ['hz-cbec-2023', HZ_CBEC_2023.validFrom, '2025-06-30'],
      ['hz-cbec-2023-a1', '2025-07-01', null],
    ]);
  });

  it('refuses versions out of date order, a bad date or the same catalog twice', () => {
    const original = { catalog: HZ_CBEC_2023, effectiveFrom: '2024-01-01' };
    const amended = { catalog: HZ_CBEC_2023_AMENDED, effectiveFrom: '2025-07-01' };
    expect(() => policySchedule([amended, original])).toThrow(RangeError);
    expect(() => policySchedule([{ ...original, effectiveFrom: '2024-02-30' }])).toThrow(
      RangeError,
    );
    expect(() => policySchedule([original, { ...original, effectiveFrom: '2025-01-01' }])).toThrow(
      RangeError,
    );
    expect(() => policySchedule([])).toThrow(RangeError);
  });

  it('the amendment raises the c1-platform award and cap and adds a program', () => {
    const before = assess(HZ_CBEC_2023, draft('c1-platform', { requested: '2000000.00' }), []);
    const after = assess(
      HZ_CBEC_2023_AMENDED,
      draft('c1-platform', { requested: '2000000.00' }),
      [],
    );
    expect(before.ceiling.toString()).toBe('1000000.00');
    expect(after.ceiling.toString()).toBe(RAISED_AMOUNT);
    const added = {
      programCode: ADDED_PROGRAM,
      supportYear: 2025,
      requestedAmount: Money.parse('100000.00'),
      evidence: { courseName: 'TikTok Shop 运营' },
    };
    expect(assess(HZ_CBEC_2023_AMENDED, added, []).ceiling.toString()).toBe('100000.00');
    expect(assess(HZ_CBEC_2023, added, []).refusals.map((refusal) => refusal.code)).toEqual([
      'POLICY.PROGRAM_UNKNOWN',
    ]);
  });
});
