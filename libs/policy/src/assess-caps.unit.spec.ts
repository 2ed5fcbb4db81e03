/** Caps and scopes with the grants so far (docs/policy.md §3): annual, one-time, per-subject, applicant-wide. */
import { assessed, codesOf, evidenceWith, grant } from '../testing/fixtures';

const rooms = (assessment: ReturnType<typeof assessed>) =>
  assessment.caps.map((cap) => [
    cap.capId,
    cap.cap.toString(),
    cap.granted.toString(),
    cap.room.toString(),
  ]);

describe('Invariant 1: caps — annual caps count the grants of the same program and support year', () => {
  it('leaves the room after earlier grants of the year, and caps the ceiling with it', () => {
    const grants = [
      grant('c1-platform', '400000.00'),
      grant('c1-platform', '300000.00'),
      grant('c1-platform', '900000.00', { supportYear: 2023 }),
      grant('c1-customs-export', '2000000.00'),
    ];
    const assessment = assessed('c1-platform', { requested: '1000000.00' }, grants);
    expect(rooms(assessment)).toEqual([
      ['annual:c1-platform:2024', '1000000.00', '700000.00', '300000.00'],
    ]);
    expect(assessment.ceiling.toString()).toBe('300000.00');
    expect(assessment.trace.find((step) => step.step === 'cap')).toMatchObject({
      clause: '一(一)',
      amount: '300000.00',
    });
  });

  it('refuses when the year is used up, and opens again next year', () => {
    const grants = [grant('c1-platform', '1000000.00')];
    const exhausted = assessed('c1-platform', {}, grants);
    expect(exhausted.refusals).toEqual([
      expect.objectContaining({
        code: 'POLICY.CAP_EXHAUSTED',
        details: { capId: 'annual:c1-platform:2024', cap: '1000000.00', granted: '1000000.00' },
      }),
    ]);
    expect(exhausted.ceiling.toString()).toBe('0.00');
    expect(assessed('c1-platform', { supportYear: 2025 }, grants).ceiling.toString()).toBe(
      '1000000.00',
    );
  });

  it('keeps brand promotion and platform promotion under separate caps', () => {
    const grants = [grant('c4-platform-promotion', '500000.00')];
    expect(assessed('c4-brand-promotion', {}, grants).ceiling.toString()).toBe('25000.00');
    expect(codesOf(assessed('c4-platform-promotion', {}, grants))).toEqual([
      'POLICY.CAP_EXHAUSTED',
    ]);
  });

  it('uses the tier amount as the annual cap of c5-logistics-revenue', () => {
    const grants = [grant('c5-logistics-revenue', '500000.00')];
    expect(codesOf(assessed('c5-logistics-revenue', {}, grants))).toEqual(['POLICY.CAP_EXHAUSTED']);
    const higherTier = assessed(
      'c5-logistics-revenue',
      { evidence: evidenceWith('c5-logistics-revenue', { logisticsRevenue: '350000000.00' }) },
      grants,
    );
    expect(rooms(higherTier)).toEqual([
      ['annual:c5-logistics-revenue:2024', '1000000.00', '500000.00', '500000.00'],
    ]);
    expect(higherTier.ceiling.toString()).toBe('500000.00');
  });
});

describe('Invariant 1: caps — one-time scopes hold one grant', () => {
  it('refuses a second award, whatever room the cap has left', () => {
    const partial = assessed('c3-trademark', {}, [grant('c3-trademark', '150000.00')]);
    expect(partial.refusals).toEqual([
      expect.objectContaining({
        code: 'POLICY.ALREADY_AWARDED',
        clause: '二(三)',
        details: expect.objectContaining({ amount: '150000.00', grants: 1 }),
      }),
    ]);
    expect(codesOf(assessed('c3-trademark', {}, [grant('c3-trademark', '200000.00')]))).toEqual([
      'POLICY.ALREADY_AWARDED',
      'POLICY.CAP_EXHAUSTED',
    ]);
  });

  it('ignores grants revoked to 0.00 and grants of other programs', () => {
    const grants = [grant('c3-trademark', '0.00'), grant('c3-patent', '200000.00')];
    const assessment = assessed('c3-trademark', {}, grants);
    expect(assessment.eligible).toBe(true);
    expect(rooms(assessment)).toEqual([
      ['one-time:c3-trademark', '200000.00', '0.00', '200000.00'],
    ]);
  });

  it('counts a one-time grant whatever support year it was filed under', () => {
    expect(
      codesOf(
        assessed('c2-service-provider', { supportYear: 2025 }, [
          grant('c2-service-provider', '1000000.00', { supportYear: 2023 }),
        ]),
      ),
    ).toContain('POLICY.ALREADY_AWARDED');
  });
});

describe('Invariant 1: caps — per-subject scopes hold one grant per subject, with an optional applicant-wide total', () => {
  const warehouse = (warehouseId: string) => ({
    evidence: { warehouseId, operatingAreaSqm: '5000' },
  });
  const granted = (warehouseId: string, amount = '300000.00') =>
    grant('c5-consolidation-warehouse', amount, { subjectKey: warehouseId });

  it('refuses the same warehouse twice', () => {
    const assessment = assessed('c5-consolidation-warehouse', warehouse('W1'), [granted('W1')]);
    expect(codesOf(assessment)).toEqual(['POLICY.ALREADY_AWARDED', 'POLICY.CAP_EXHAUSTED']);
    expect(assessment.refusals[0]?.message).toContain('warehouseId W1');
  });

  it('accepts a second warehouse within the 600,000.00 total', () => {
    const assessment = assessed('c5-consolidation-warehouse', warehouse('W2'), [granted('W1')]);
    expect(rooms(assessment)).toEqual([
      ['subject:c5-consolidation-warehouse:W2', '300000.00', '0.00', '300000.00'],
      ['applicant-total:c5-consolidation-warehouse', '600000.00', '300000.00', '300000.00'],
    ]);
    expect(assessment.ceiling.toString()).toBe('300000.00');
  });

  it('caps a third warehouse by what the total has left, and refuses it once the total is used up', () => {
    expect(
      assessed('c5-consolidation-warehouse', warehouse('W3'), [
        granted('W1'),
        granted('W2', '250000.00'),
      ]).ceiling.toString(),
    ).toBe('50000.00');
    const full = assessed('c5-consolidation-warehouse', warehouse('W3'), [
      granted('W1'),
      granted('W2'),
    ]);
    expect(full.refusals).toEqual([
      expect.objectContaining({
        code: 'POLICY.CAP_EXHAUSTED',
        details: expect.objectContaining({ capId: 'applicant-total:c5-consolidation-warehouse' }),
      }),
    ]);
  });

  it('keeps exhibitions and talent events apart by their ids', () => {
    const expo = [grant('c4-exhibition', '63000.00', { subjectKey: 'EXPO-1' })];
    expect(codesOf(assessed('c4-exhibition', {}, expo))).toEqual(['POLICY.ALREADY_AWARDED']);
    expect(
      assessed(
        'c4-exhibition',
        { evidence: evidenceWith('c4-exhibition', { exhibitionId: 'EXPO-2' }) },
        expo,
      ).eligible,
    ).toBe(true);
    const events = [grant('c6-talent-event', '200000.00', { subjectKey: 'EV-1' })];
    expect(codesOf(assessed('c6-talent-event', {}, events))).toEqual([
      'POLICY.ALREADY_AWARDED',
      'POLICY.CAP_EXHAUSTED',
    ]);
    expect(
      assessed(
        'c6-talent-event',
        { evidence: evidenceWith('c6-talent-event', { eventId: 'EV-2' }) },
        events,
      ).ceiling.toString(),
    ).toBe('200000.00');
  });
});
