/** docs/policy.md §8: the worked examples, with exact amounts. */
import { assessed, catalog, codesOf, items, money } from '../testing/fixtures';
import { fiscalSplit } from './fiscal-split';

describe('docs/policy.md §8 worked examples', () => {
  it('1. c3-trademark in xiaoshan: base 300,000.00, 70% = 210,000.00, capped at 200,000.00; split 50,000.00 / 150,000.00', () => {
    const assessment = assessed('c3-trademark', {
      evidence: items('c3-trademark', [
        ['2024-03-01', '100000.00'],
        ['2024-05-01', '200000.00'],
      ]),
      requested: '300000.00',
    });
    expect(assessment.eligible).toBe(true);
    expect(assessment.base?.toString()).toBe('300000.00');
    expect(assessment.ruleAmount.toString()).toBe('210000.00');
    expect(
      assessment.caps.map((cap) => [cap.capId, cap.cap.toString(), cap.room.toString()]),
    ).toEqual([['one-time:c3-trademark', '200000.00', '200000.00']]);
    expect(assessment.ceiling.toString()).toBe('200000.00');
    const split = fiscalSplit(catalog, 'c3-trademark', 'xiaoshan', money('200000.00'));
    expect([
      split.cityShare.toString(),
      split.districtShare.toString(),
      split.districtGroup,
      split.cityRate,
    ]).toEqual(['50000.00', '150000.00', 'B', '0.25']);
  });

  it('2. c4-exhibition: min(120,000.00, 6 × 15,000.00) × 70% = 63,000.00', () => {
    const assessment = assessed('c4-exhibition', { requested: '100000.00' });
    expect(assessment.eligible).toBe(true);
    expect(assessment.base?.toString()).toBe('90000.00');
    expect(assessment.ruleAmount.toString()).toBe('63000.00');
    expect(assessment.caps).toEqual([]);
    expect(assessment.ceiling.toString()).toBe('63000.00');
  });

  it('3. c2-service-provider: 12,000,000.00 < 10,500,000.00 × 1.15 = 12,075,000.00, not eligible', () => {
    const assessment = assessed('c2-service-provider', {
      evidence: {
        servedEnterprises: 60,
        serviceRevenue: '12000000.00',
        priorYearServiceRevenue: '10500000.00',
      },
    });
    expect(assessment.eligible).toBe(false);
    expect(codesOf(assessment)).toEqual(['POLICY.GROWTH_BELOW_MINIMUM']);
    expect(assessment.refusals[0]?.details).toMatchObject({
      value: '12000000',
      required: '12075000',
    });
    expect(assessment.ceiling.toString()).toBe('0.00');
  });

  it('4. c6-talent-event in binjiang, approved 150,000.00: city 150,000.00, district 0.00', () => {
    expect(assessed('c6-talent-event', { requested: '150000.00' }).ceiling.toString()).toBe(
      '150000.00',
    );
    const split = fiscalSplit(catalog, 'c6-talent-event', 'binjiang', money('150000.00'));
    expect([
      split.funding,
      split.cityShare.toString(),
      split.districtShare.toString(),
      split.districtGroup,
      split.cityRate,
    ]).toEqual(['city', '150000.00', '0.00', null, '1']);
  });

  it('5. 0.01 in a group-B district: city ROUND_HALF_UP(0.0025) = 0.00, district 0.01', () => {
    const split = fiscalSplit(catalog, 'c1-platform', 'yuhang', money('0.01'));
    expect([split.cityShare.toString(), split.districtShare.toString()]).toEqual(['0.00', '0.01']);
  });
});
