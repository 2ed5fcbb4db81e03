/** The catalog as data (docs/policy.md §3, §4) and the registry around it. */
import { Money } from '@hz/money';
import { catalog } from '../testing/fixtures';
import { catalogHash, defineCatalog } from './catalog-define';
import type { PolicyCatalogContent } from './catalog-types';
import { POLICY_ERROR_CODES, POLICY_REFUSAL_CODES } from './codes';
import {
  districtGroupOf,
  findDistrict,
  findProgram,
  getCatalog,
  isClaimable,
  isKnownDistrict,
  listCatalogs,
} from './registry';

describe('HZ_CBEC_2023', () => {
  it('describes the policy window, support years and countersign threshold', () => {
    expect(catalog).toMatchObject({
      id: 'hz-cbec-2023',
      documentNumber: '杭政办函〔2023〕9号',
      validFrom: '2023-02-18',
      validTo: '2026-02-18',
      supportYearMin: 2023,
      supportYearMax: 2026,
      applicationDeadline: null,
    });
    expect(catalog.countersignThreshold.toString()).toBe('500000.00');
  });

  it('is stamped with the SHA-256 of its canonical content, which any change changes', () => {
    const { hash, ...content } = catalog;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(catalogHash(content)).toBe(hash);
    const changed: PolicyCatalogContent = {
      ...content,
      countersignThreshold: Money.parse('500000.01'),
    };
    expect(defineCatalog(changed).hash).not.toBe(hash);
    const reordered = Object.fromEntries(
      Object.entries(content).reverse(),
    ) as unknown as PolicyCatalogContent;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(content)[0]);
    expect(defineCatalog(reordered).hash).toBe(hash);
  });

  it('is frozen, so a decision recorded with its hash cannot be made under other data', () => {
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.isFrozen(catalog.programs[0]?.caps)).toBe(true);
    expect(() => (catalog.districts as unknown as unknown[]).push({})).toThrow(TypeError);
  });

  it('lists the 14 districts of clause 十一 in group A (city 50%) and group B (city 25%)', () => {
    const groups = (group: string) =>
      catalog.districts
        .filter((district) => district.group === group)
        .map((district) => [district.code, district.cityRate]);
    expect(groups('A')).toEqual(
      ['shangcheng', 'gongshu', 'xihu', 'binjiang', 'qiantang', 'fuyang', 'xihu-scenic'].map(
        (code) => [code, '0.5'],
      ),
    );
    expect(groups('B')).toEqual(
      ['xiaoshan', 'yuhang', 'linping', 'linan', 'tonglu', 'chunan', 'jiande'].map((code) => [
        code,
        '0.25',
      ]),
    );
    expect(findDistrict(catalog, 'xihu-scenic')?.nameZh).toBe('西湖风景名胜区');
  });

  it.each([
    ['c1-platform', '一(一)', 'annual', 'split', [['annual', '1000000.00']]],
    ['c1-customs-export', '一(一)', 'annual', 'split', [['annual', '2000000.00']]],
    ['c1-independent-site', '一(一)', 'one-time', 'split', [['one-time', '2000000.00']]],
    ['c2-service-provider', '一(二)', 'one-time', 'split', [['one-time', '1000000.00']]],
    ['c3-trademark', '二(三)', 'one-time', 'split', [['one-time', '200000.00']]],
    ['c3-certification', '二(三)', 'one-time', 'split', [['one-time', '200000.00']]],
    ['c3-patent', '二(三)', 'one-time', 'split', [['one-time', '200000.00']]],
    ['c4-brand-promotion', '二(四)', 'annual', 'split', [['annual', '500000.00']]],
    ['c4-platform-promotion', '二(四)', 'annual', 'split', [['annual', '500000.00']]],
    ['c4-exhibition', '二(四)', 'per-subject', 'split', []],
    [
      'c5-overseas-warehouse-provincial',
      '三(五)',
      'one-time',
      'split',
      [['one-time', '200000.00']],
    ],
    ['c5-overseas-warehouse-municipal', '三(五)', 'one-time', 'split', [['one-time', '750000.00']]],
    [
      'c5-consolidation-warehouse',
      '三(五)',
      'per-subject',
      'split',
      [
        ['subject', '300000.00'],
        ['applicant-total', '600000.00'],
      ],
    ],
    ['c5-logistics-revenue', '三(五)', 'annual', 'split', [['annual', 'rule-amount']]],
    ['c6-incubation', '四(六)', 'annual', 'city', [['annual', '10000.00']]],
    ['c6-university-cooperation', '四(六)', 'one-time', 'city', [['one-time', '300000.00']]],
    ['c6-talent-event', '四(六)', 'per-subject', 'city', [['subject', '200000.00']]],
    ['c7-financing', '五(七)', 'not-claimable', 'city', []],
    ['c8-overseas-network-site', '五(八)', 'one-time', 'split', [['one-time', '200000.00']]],
    ['c9-park-allocation', '五(九)', 'allocation', 'city', []],
  ])('has %s (%s, %s, %s funding) with its caps', (code, clause, scope, funding, caps) => {
    const program = findProgram(catalog, code);
    expect(program).toMatchObject({ code, clause, scope, funding });
    expect(program?.caps.map((cap) => [cap.kind, cap.amount.toString()])).toEqual(caps);
    expect(isClaimable(program as NonNullable<typeof program>)).toBe(
      !['c7-financing', 'c9-park-allocation'].includes(code),
    );
  });

  it('keeps the [interpretation] of c4-exhibition as catalog parameters', () => {
    expect(findProgram(catalog, 'c4-exhibition')?.rule).toEqual({
      kind: 'percentage-of-limited-field',
      rate: '0.7',
      field: 'boothFee',
      limitField: 'standardBoothFee',
      limitMultiplier: '6',
    });
  });

  it('documents every refusal code its predicates use, once', () => {
    const documented = POLICY_REFUSAL_CODES.map((entry) => entry.code);
    expect(new Set(documented).size).toBe(documented.length);
    for (const program of catalog.programs)
      for (const predicate of program.eligibility) expect(documented).toContain(predicate.code);
    expect(new Set(POLICY_ERROR_CODES.map((entry) => entry.code)).size).toBe(
      POLICY_ERROR_CODES.length,
    );
  });
});

describe('registry', () => {
  it('finds catalogs by id and lists them without exposing its own list', () => {
    expect(getCatalog('hz-cbec-2023')).toBe(catalog);
    expect(getCatalog('hz-cbec-2099')).toBeUndefined();
    const listed = listCatalogs();
    listed.pop();
    expect(listCatalogs()).toEqual([catalog]);
  });

  it('knows districts and their groups', () => {
    expect(isKnownDistrict(catalog, 'binjiang')).toBe(true);
    expect(isKnownDistrict(catalog, 'Binjiang')).toBe(false);
    expect(districtGroupOf(catalog, 'linping')).toBe('B');
    expect(districtGroupOf(catalog, 'shanghai')).toBeUndefined();
    expect(findProgram(catalog, 'c0')).toBeUndefined();
  });
});
