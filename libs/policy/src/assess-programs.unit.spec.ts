/** assess(), program by program: eligible and ineligible cases and the boundaries of docs/policy.md §3 and §5. */
import { assessed, codesOf, evidenceWith, items } from '../testing/fixtures';

describe('fixed-amount programs (rule amount = cap)', () => {
  it.each([
    ['c1-platform', '1000000.00', 'annual', 'c1-platform/2024', 'annual:c1-platform:2024'],
    [
      'c1-customs-export',
      '2000000.00',
      'annual',
      'c1-customs-export/2024',
      'annual:c1-customs-export:2024',
    ],
    [
      'c1-independent-site',
      '2000000.00',
      'one-time',
      'c1-independent-site',
      'one-time:c1-independent-site',
    ],
    [
      'c2-service-provider',
      '1000000.00',
      'one-time',
      'c2-service-provider',
      'one-time:c2-service-provider',
    ],
    [
      'c5-overseas-warehouse-provincial',
      '200000.00',
      'one-time',
      'c5-overseas-warehouse-provincial',
      'one-time:c5-overseas-warehouse-provincial',
    ],
    [
      'c5-overseas-warehouse-municipal',
      '750000.00',
      'one-time',
      'c5-overseas-warehouse-municipal',
      'one-time:c5-overseas-warehouse-municipal',
    ],
    [
      'c5-consolidation-warehouse',
      '300000.00',
      'per-subject',
      'c5-consolidation-warehouse/W1',
      'subject:c5-consolidation-warehouse:W1',
    ],
    ['c6-incubation', '10000.00', 'annual', 'c6-incubation/2024', 'annual:c6-incubation:2024'],
    [
      'c6-university-cooperation',
      '300000.00',
      'one-time',
      'c6-university-cooperation',
      'one-time:c6-university-cooperation',
    ],
    [
      'c6-talent-event',
      '200000.00',
      'per-subject',
      'c6-talent-event/EV-1',
      'subject:c6-talent-event:EV-1',
    ],
    [
      'c8-overseas-network-site',
      '200000.00',
      'one-time',
      'c8-overseas-network-site',
      'one-time:c8-overseas-network-site',
    ],
  ])('%s gives %s in a %s scope', (code, amount, scopeKind, scopeKey, capId) => {
    const assessment = assessed(code);
    expect(assessment).toMatchObject({
      eligible: true,
      refusals: [],
      programCode: code,
      scopeKind,
      scopeKey,
      base: null,
      policyId: 'hz-cbec-2023',
    });
    expect(assessment.ruleAmount.toString()).toBe(amount);
    expect(assessment.caps[0]).toMatchObject({ capId });
    expect(assessment.caps[0]?.cap.toString()).toBe(amount);
    expect(assessment.ceiling.toString()).toBe(amount);
    expect(assessed(code, { requested: '0.01' }).ceiling.toString()).toBe('0.01');
  });
});

describe('support year and claim facts', () => {
  it.each([2022, 2027, 2024.5])('refuses support year %p outside 2023..2026', (supportYear) => {
    const assessment = assessed('c1-platform', { supportYear });
    expect(codesOf(assessment)).toEqual(['POLICY.SUPPORT_YEAR_OUT_OF_RANGE']);
    expect(assessment.ceiling.toString()).toBe('0.00');
  });

  it.each([2023, 2026])('accepts support year %p', (supportYear) => {
    expect(assessed('c1-platform', { supportYear }).eligible).toBe(true);
  });

  it('refuses a request of 0.00, which no approval could meet', () => {
    expect(codesOf(assessed('c1-platform', { requested: '0.00' }))).toEqual([
      'POLICY.REQUESTED_AMOUNT_ZERO',
    ]);
  });

  it('refuses unknown and non-claimable programs: c7 sets no amount, c9 is an allocation', () => {
    expect(assessed('c10-nothing', { evidence: {} })).toMatchObject({
      eligible: false,
      scopeKind: 'not-claimable',
      scopeKey: 'c10-nothing',
      refusals: [{ code: 'POLICY.PROGRAM_UNKNOWN' }],
    });
    expect(assessed('c7-financing', { evidence: {} })).toMatchObject({
      eligible: false,
      scopeKind: 'not-claimable',
      refusals: [{ code: 'POLICY.PROGRAM_NOT_CLAIMABLE', clause: '五(七)' }],
    });
    expect(assessed('c9-park-allocation', { evidence: {} })).toMatchObject({
      eligible: false,
      scopeKind: 'allocation',
      refusals: [{ code: 'POLICY.PROGRAM_NOT_CLAIMABLE', clause: '五(九)' }],
    });
  });

  it('refuses malformed evidence without guessing, pointing at validateEvidence', () => {
    const assessment = assessed('c4-exhibition', { evidence: { exhibitionId: 'EXPO-1' } });
    expect(assessment).toMatchObject({
      eligible: false,
      scopeKey: 'c4-exhibition',
      subjectKey: null,
      refusals: [
        {
          code: 'POLICY.EVIDENCE_INVALID',
          details: { errors: 4, firstCode: 'EVIDENCE.FIELD_REQUIRED', firstPath: 'exhibitionName' },
        },
      ],
    });
  });
});

describe('c2-service-provider (一(二)): served ≥ 50, revenue ≥ 10,000,000.00, prior > 0, growth ≥ 15%', () => {
  const c2 = (servedEnterprises: number, serviceRevenue: string, priorYearServiceRevenue: string) =>
    codesOf(
      assessed('c2-service-provider', {
        evidence: { servedEnterprises, serviceRevenue, priorYearServiceRevenue },
      }),
    );

  it('growth of exactly 15% is eligible, one fen less is not', () => {
    expect(c2(60, '12075000.00', '10500000.00')).toEqual([]);
    expect(c2(60, '12074999.99', '10500000.00')).toEqual(['POLICY.GROWTH_BELOW_MINIMUM']);
  });

  it('50 served enterprises and 10,000,000.00 of revenue are enough; 49 and 9,999,999.99 are not', () => {
    expect(c2(50, '10000000.00', '8000000.00')).toEqual([]);
    expect(c2(49, '10000000.00', '8000000.00')).toEqual([
      'POLICY.SERVED_ENTERPRISES_BELOW_MINIMUM',
    ]);
    expect(c2(50, '9999999.99', '8000000.00')).toEqual(['POLICY.SERVICE_REVENUE_BELOW_MINIMUM']);
  });

  it('collects every reason, and a prior revenue of 0.00 is its own reason', () => {
    expect(c2(10, '1000000.00', '0.00')).toEqual([
      'POLICY.SERVED_ENTERPRISES_BELOW_MINIMUM',
      'POLICY.SERVICE_REVENUE_BELOW_MINIMUM',
      'POLICY.PRIOR_REVENUE_NOT_POSITIVE',
    ]);
    expect(c2(10, '1000000.00', '2000000.00')).toEqual([
      'POLICY.SERVED_ENTERPRISES_BELOW_MINIMUM',
      'POLICY.SERVICE_REVENUE_BELOW_MINIMUM',
      'POLICY.GROWTH_BELOW_MINIMUM',
    ]);
  });
});

describe('percentage programs on dated items (二(三), 二(四))', () => {
  it.each([
    ['c3-trademark', '0.7', '70000.00'],
    ['c3-certification', '0.7', '70000.00'],
    ['c3-patent', '0.5', '50000.00'],
    ['c4-brand-promotion', '0.25', '25000.00'],
    ['c4-platform-promotion', '0.25', '25000.00'],
  ])('%s gives %s × the fees', (code, rate, amount) => {
    const assessment = assessed(code);
    expect(assessment.eligible).toBe(true);
    expect(assessment.base?.toString()).toBe('100000.00');
    expect(assessment.ruleAmount.toString()).toBe(amount);
    expect(assessment.trace.find((step) => step.step === 'rule')).toMatchObject({
      details: { rate },
      amount,
    });
  });

  it('rounds the percentage down to the fen', () => {
    expect(
      assessed('c3-patent', {
        evidence: items('c3-patent', [['2024-01-02', '0.03']]),
      }).ruleAmount.toString(),
    ).toBe('0.01');
    expect(
      assessed('c3-trademark', {
        evidence: items('c3-trademark', [['2024-01-02', '99.99']]),
      }).ruleAmount.toString(),
    ).toBe('69.99');
  });

  it.each([
    ['2023-02-17', false],
    ['2023-02-18', true],
    ['2026-02-18', true],
    ['2026-02-19', false],
  ])(
    'counts an item dated %s only inside the policy window (both ends inclusive): %p',
    (date, counts) => {
      const assessment = assessed('c3-trademark', {
        evidence: items('c3-trademark', [
          [date, '1000.00'],
          ['2024-01-01', '2000.00'],
        ]),
      });
      expect(assessment.base?.toString()).toBe(counts ? '3000.00' : '2000.00');
      expect(
        assessment.trace.find(
          (step) => step.step.startsWith('item-') && step.details?.['date'] === date,
        ),
      ).toMatchObject(
        counts
          ? { step: 'item-counted', clause: '二(三)' }
          : {
              step: 'item-excluded',
              clause: '十三',
              details: { reason: 'OUTSIDE_POLICY_WINDOW', index: 0 },
            },
      );
    },
  );

  it('does not limit one-time programs to the support year', () => {
    expect(
      assessed('c3-trademark', {
        supportYear: 2025,
        evidence: items('c3-trademark', [['2023-06-01', '1000.00']]),
      }).base?.toString(),
    ).toBe('1000.00');
  });

  it('counts items of annual programs only inside the support year', () => {
    const assessment = assessed('c4-brand-promotion', {
      supportYear: 2024,
      evidence: items('c4-brand-promotion', [
        ['2023-12-31', '1000.00'],
        ['2024-01-01', '400.00'],
        ['2024-12-31', '600.00'],
        ['2025-01-01', '8000.00'],
      ]),
    });
    expect(assessment.base?.toString()).toBe('1000.00');
    expect(assessment.ruleAmount.toString()).toBe('250.00');
    expect(
      assessment.trace
        .filter((step) => step.step === 'item-excluded')
        .map((step) => step.details?.['reason']),
    ).toEqual(['OUTSIDE_SUPPORT_YEAR', 'OUTSIDE_SUPPORT_YEAR']);
  });

  it('refuses a claim whose base is zero: nothing counts, or the amounts that count are 0.00', () => {
    expect(
      codesOf(
        assessed('c4-platform-promotion', {
          evidence: items('c4-platform-promotion', [['2025-03-01', '1000.00']]),
        }),
      ),
    ).toEqual(['POLICY.BASE_ZERO']);
    expect(
      codesOf(
        assessed('c3-trademark', { evidence: items('c3-trademark', [['2024-03-01', '0.00']]) }),
      ),
    ).toEqual(['POLICY.BASE_ZERO']);
  });

  it('refuses a base too small to give one fen', () => {
    const assessment = assessed('c4-brand-promotion', {
      evidence: items('c4-brand-promotion', [['2024-03-01', '0.03']]),
    });
    expect(codesOf(assessment)).toEqual(['POLICY.RULE_AMOUNT_ZERO']);
  });
});

describe('c4-exhibition (二(四)): 70% × min(booth fee, 6 × standard booth fee), per exhibition', () => {
  it('uses the booth fee when it is below six standard booths', () => {
    const assessment = assessed('c4-exhibition', {
      evidence: evidenceWith('c4-exhibition', { boothFee: '80000.00' }),
    });
    expect([
      assessment.base?.toString(),
      assessment.ruleAmount.toString(),
      assessment.scopeKey,
      assessment.subjectKey,
    ]).toEqual(['80000.00', '56000.00', 'c4-exhibition/EXPO-1', 'EXPO-1']);
  });

  it.each([
    ['2023-02-17', ['POLICY.DATE_NOT_COUNTED']],
    ['2023-02-18', []],
    ['2026-02-18', []],
    ['2026-02-19', ['POLICY.DATE_NOT_COUNTED']],
  ])('counts the exhibition dated %s only inside the policy window', (date, codes) => {
    expect(
      codesOf(assessed('c4-exhibition', { evidence: evidenceWith('c4-exhibition', { date }) })),
    ).toEqual(codes);
  });

  it('is not limited to the support year (per-subject, not annual)', () => {
    expect(assessed('c4-exhibition', { supportYear: 2025 }).eligible).toBe(true);
  });

  it('refuses a booth fee of 0.00 as a zero base', () => {
    expect(
      codesOf(
        assessed('c4-exhibition', {
          evidence: evidenceWith('c4-exhibition', { boothFee: '0.00' }),
        }),
      ),
    ).toEqual(['POLICY.BASE_ZERO']);
  });
});

describe('c6-talent-event (四(六)): the event date must count', () => {
  it('refuses an event outside the policy window', () => {
    const assessment = assessed('c6-talent-event', {
      evidence: evidenceWith('c6-talent-event', { date: '2026-02-19' }),
    });
    expect(assessment.refusals).toEqual([
      expect.objectContaining({
        code: 'POLICY.DATE_NOT_COUNTED',
        clause: '十三',
        details: { field: 'date', date: '2026-02-19', reason: 'OUTSIDE_POLICY_WINDOW' },
      }),
    ]);
    expect(assessment.trace.find((step) => step.step === 'date-excluded')).toBeDefined();
  });
});

describe('c5 warehouses (三(五)): area strictly above 3000 m², logistics revenue tiers inclusive', () => {
  it.each([
    ['3000', ['POLICY.AREA_NOT_ABOVE_MINIMUM']],
    ['3000.00', ['POLICY.AREA_NOT_ABOVE_MINIMUM']],
    ['3000.01', []],
    ['12000', []],
  ])('consolidation warehouse of %s m²', (operatingAreaSqm, codes) => {
    expect(
      codesOf(
        assessed('c5-consolidation-warehouse', {
          evidence: { warehouseId: 'W1', operatingAreaSqm },
        }),
      ),
    ).toEqual(codes);
  });

  it.each([
    ['99999999.99', '0.00'],
    ['100000000.00', '500000.00'],
    ['299999999.99', '500000.00'],
    ['300000000.00', '1000000.00'],
    ['499999999.99', '1000000.00'],
    ['500000000.00', '2000000.00'],
    ['9999999999999.99', '2000000.00'],
  ])(
    'logistics revenue %s gives the tier %s, which is also the annual cap',
    (logisticsRevenue, amount) => {
      const assessment = assessed('c5-logistics-revenue', {
        evidence: evidenceWith('c5-logistics-revenue', { logisticsRevenue }),
      });
      expect(assessment.ruleAmount.toString()).toBe(amount);
      expect(assessment.caps.map((cap) => [cap.capId, cap.cap.toString()])).toEqual([
        ['annual:c5-logistics-revenue:2024', amount],
      ]);
      expect(codesOf(assessment)).toEqual(
        amount === '0.00' ? ['POLICY.REVENUE_BELOW_MINIMUM'] : [],
      );
    },
  );

  it('refuses a small warehouse with a small revenue for both reasons', () => {
    const assessment = assessed('c5-logistics-revenue', {
      evidence: { logisticsRevenue: '5000.00', warehouseId: 'W1', operatingAreaSqm: '3000' },
    });
    expect(codesOf(assessment)).toEqual([
      'POLICY.AREA_NOT_ABOVE_MINIMUM',
      'POLICY.REVENUE_BELOW_MINIMUM',
    ]);
    expect(assessment.refusals[0]).toMatchObject({
      clause: '三(五)',
      details: { field: 'operatingAreaSqm', value: '3000', threshold: '3000', inclusive: false },
    });
  });
});
