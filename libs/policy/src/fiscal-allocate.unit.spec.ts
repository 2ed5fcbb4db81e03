/** Fiscal shares (docs/policy.md §4), allocation plans (§6) and scope keys (§3). */
import fc from 'fast-check';
import { decimal, Money } from '@hz/money';
import { catalog, money } from '../testing/fixtures';
import { allocate } from './allocate';
import { PolicyError } from './errors';
import { fiscalSplit } from './fiscal-split';
import { scopeKey } from './scope';

const parts = (programCode: string, district: string, amount: string) => {
  const split = fiscalSplit(catalog, programCode, district, money(amount));
  return [split.cityShare.toString(), split.districtShare.toString()];
};
const fenAmount = fc
  .bigInt({ min: 0n, max: 999_999_999_999_999n })
  .map((fen) => Money.fromFen(fen));

describe('Invariant 3: split — fiscalSplit', () => {
  it('splits 50/50 in group A and 25/75 in group B, rounding the city share half up', () => {
    expect(parts('c1-platform', 'xihu', '1000000.00')).toEqual(['500000.00', '500000.00']);
    expect(parts('c1-platform', 'xihu', '0.01')).toEqual(['0.01', '0.00']);
    expect(parts('c1-platform', 'xihu', '0.03')).toEqual(['0.02', '0.01']);
    expect(parts('c3-patent', 'jiande', '0.02')).toEqual(['0.01', '0.01']);
    expect(parts('c3-patent', 'jiande', '0.06')).toEqual(['0.02', '0.04']);
    expect(parts('c3-patent', 'jiande', '100.10')).toEqual(['25.03', '75.07']);
  });

  it.each([
    'c6-incubation',
    'c6-university-cooperation',
    'c6-talent-event',
    'c7-financing',
    'c9-park-allocation',
  ])('pays %s 100% from the city', (code) => {
    expect(fiscalSplit(catalog, code, 'xiaoshan', money('12345.67'))).toMatchObject({
      funding: 'city',
      districtGroup: null,
      cityRate: '1',
    });
    expect(parts(code, 'xiaoshan', '12345.67')).toEqual(['12345.67', '0.00']);
  });

  it('refuses unknown programs and districts with typed errors', () => {
    expect(() => fiscalSplit(catalog, 'c0', 'xihu', Money.ZERO)).toThrow(
      expect.objectContaining({
        name: 'PolicyError',
        code: 'POLICY.PROGRAM_UNKNOWN',
        details: { programCode: 'c0' },
      }),
    );
    expect(() => fiscalSplit(catalog, 'c1-platform', 'pudong', Money.ZERO)).toThrow(
      expect.objectContaining({ code: 'POLICY.DISTRICT_UNKNOWN' }),
    );
  });

  it('gives two parts that are never negative and always add up to the amount (property)', () => {
    const programs = catalog.programs.map((program) => program.code);
    const districts = catalog.districts.map((district) => district.code);
    fc.assert(
      fc.property(
        fc.constantFrom(...programs),
        fc.constantFrom(...districts),
        fenAmount,
        (program, district, amount) => {
          const split = fiscalSplit(catalog, program, district, amount);
          expect(split.cityShare.plus(split.districtShare).equals(amount)).toBe(true);
          expect(split.cityShare.toFen() >= 0n && split.districtShare.toFen() >= 0n).toBe(true);
        },
      ),
    );
  });
});

describe('allocate (clause 九)', () => {
  const plan = (pool: string, scores: Array<[string, string]>) =>
    allocate(
      catalog,
      money(pool),
      scores.map(([district, score]) => ({ district, score: decimal(score) })),
    ).map((row) => [row.district, row.score.toString(), row.amount.toString()]);

  it('allocates by score, the leftover fen to the largest remainders, only to positive scores', () => {
    expect(
      plan('1000000.00', [
        ['xihu', '3'],
        ['xiaoshan', '0'],
        ['binjiang', '3'],
        ['yuhang', '3'],
      ]),
    ).toEqual([
      ['xihu', '3', '333333.33'],
      ['binjiang', '3', '333333.34'],
      ['yuhang', '3', '333333.33'],
    ]);
    // Equal remainders: the fen goes to the district code that sorts first (binjiang < xihu < yuhang).
    expect(
      plan('0.02', [
        ['xihu', '1'],
        ['binjiang', '1'],
        ['yuhang', '1'],
      ]),
    ).toEqual([
      ['xihu', '1', '0.01'],
      ['binjiang', '1', '0.01'],
      ['yuhang', '1', '0.00'],
    ]);
  });

  it.each<[string, Array<[string, string]>, string]>([
    ['an unknown district', [['pudong', '1']], 'POLICY.DISTRICT_UNKNOWN'],
    [
      'a duplicate district',
      [
        ['xihu', '1'],
        ['xihu', '2'],
      ],
      'POLICY.ALLOCATION_DUPLICATE_DISTRICT',
    ],
    [
      'a negative score',
      [
        ['xihu', '1'],
        ['gongshu', '-0.01'],
      ],
      'POLICY.ALLOCATION_NEGATIVE_SCORE',
    ],
    [
      'all-zero scores',
      [
        ['xihu', '0'],
        ['gongshu', '0.00'],
      ],
      'POLICY.ALLOCATION_NO_POSITIVE_SCORE',
    ],
    ['no score at all', [], 'POLICY.ALLOCATION_NO_POSITIVE_SCORE'],
  ])('refuses %s', (_name, scores, code) => {
    expect(() => plan('100.00', scores)).toThrow(PolicyError);
    expect(() => plan('100.00', scores)).toThrow(expect.objectContaining({ code }));
  });

  it('treats a negative zero as a zero score, not a negative one', () => {
    expect(
      plan('1.00', [
        ['xihu', '-0'],
        ['gongshu', '1'],
      ]),
    ).toEqual([['gongshu', '1', '1.00']]);
  });

  describe('Invariant 3: split', () => {
    it('sums to the pool exactly, whatever the scores (property)', () => {
      const districts = catalog.districts.map((district) => district.code);
      const score = fc
        .bigInt({ min: 0n, max: 999_999_999_999_999n })
        .map((units) => decimal(units.toString()).div(100));
      fc.assert(
        fc.property(
          fenAmount,
          fc.subarray(districts, { minLength: 1 }),
          fc.array(score, { minLength: 14, maxLength: 14 }),
          (pool, chosen, scores) => {
            const rows = chosen.map((district, index) => ({
              district,
              score: scores[index] as ReturnType<typeof decimal>,
            }));
            fc.pre(rows.some((row) => row.score.greaterThan(0)));
            const allocations = allocate(catalog, pool, rows);
            expect(Money.sum(allocations.map((row) => row.amount)).equals(pool)).toBe(true);
            expect(allocations.map((row) => row.district)).toEqual(
              rows.filter((row) => row.score.greaterThan(0)).map((row) => row.district),
            );
          },
        ),
      );
    });
  });
});

describe('scopeKey', () => {
  it('keys annual scopes by year, one-time scopes by program, per-subject scopes by subject', () => {
    expect(scopeKey(catalog, 'c1-platform', 2024, null)).toBe('c1-platform/2024');
    expect(scopeKey(catalog, 'c3-trademark', 2024, null)).toBe('c3-trademark');
    expect(scopeKey(catalog, 'c4-exhibition', 2024, 'EXPO-1')).toBe('c4-exhibition/EXPO-1');
    expect(scopeKey(catalog, 'c9-park-allocation', 2024, null)).toBe('c9-park-allocation');
  });

  it('refuses an unknown program and a per-subject scope without its subject', () => {
    expect(() => scopeKey(catalog, 'c0', 2024, null)).toThrow(
      expect.objectContaining({ code: 'POLICY.PROGRAM_UNKNOWN' }),
    );
    expect(() => scopeKey(catalog, 'c5-consolidation-warehouse', 2024, null)).toThrow(
      expect.objectContaining({
        code: 'POLICY.SUBJECT_KEY_REQUIRED',
        message: 'c5-consolidation-warehouse is per warehouseId',
      }),
    );
  });
});
