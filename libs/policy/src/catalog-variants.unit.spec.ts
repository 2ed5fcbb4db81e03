/**
 * Another policy is another catalog object, not new code: the same engine honours an application
 * deadline (the [interpretation] of docs/policy.md §5 as a parameter) and tiers in any order and strictness.
 */
import { Money } from '@hz/money';
import { catalog, draft, evidenceWith } from '../testing/fixtures';
import { assess } from './assess';
import { defineCatalog } from './catalog-define';
import type { ProgramDefinition } from './catalog-types';

const { hash: _hash, ...content } = catalog;
const tiers = [
  { threshold: Money.parse('500000000.00'), inclusive: false, amount: Money.parse('2000000.00') },
  { threshold: Money.parse('100000000.00'), inclusive: true, amount: Money.parse('500000.00') },
];
const variant = defineCatalog({
  ...content,
  id: 'hz-cbec-variant',
  applicationDeadline: '2026-08-31',
  programs: content.programs.map((program): ProgramDefinition =>
    program.code === 'c5-logistics-revenue'
      ? { ...program, rule: { kind: 'tiers', field: 'logisticsRevenue', tiers } }
      : program,
  ),
});

describe('a catalog with an application deadline', () => {
  const submitted = (submittedOn: string | undefined) =>
    assess(variant, { ...draft('c1-platform'), submittedOn }, []);

  it('accepts submissions up to the deadline, inclusive', () => {
    expect(submitted('2026-08-31').eligible).toBe(true);
    expect(submitted('2024-01-01').eligible).toBe(true);
  });

  it('refuses a submission after the deadline, or of unknown date', () => {
    expect(submitted('2026-09-01').refusals).toEqual([
      expect.objectContaining({
        code: 'POLICY.APPLICATION_AFTER_DEADLINE',
        clause: '十三',
        details: { applicationDeadline: '2026-08-31', submittedOn: '2026-09-01' },
      }),
    ]);
    expect(submitted(undefined).refusals).toEqual([
      expect.objectContaining({
        code: 'POLICY.APPLICATION_AFTER_DEADLINE',
        details: { applicationDeadline: '2026-08-31', submittedOn: null },
      }),
    ]);
  });

  it('is not limited by the submission date in HZ_CBEC_2023 (applicationDeadline null)', () => {
    expect(
      assess(catalog, { ...draft('c1-platform'), submittedOn: '2030-01-01' }, []).eligible,
    ).toBe(true);
  });

  it('has its own hash and id on every assessment', () => {
    const assessment = submitted('2025-01-01');
    expect([assessment.policyId, assessment.catalogHash]).toEqual([
      'hz-cbec-variant',
      variant.hash,
    ]);
    expect(variant.hash).not.toBe(catalog.hash);
  });
});

describe('tiers listed from the top, with a strict threshold', () => {
  const tier = (logisticsRevenue: string) =>
    assess(
      variant,
      draft('c5-logistics-revenue', {
        evidence: evidenceWith('c5-logistics-revenue', { logisticsRevenue }),
      }),
      [],
    );

  it('picks the highest tier reached whatever the order', () => {
    expect(tier('300000000.00').ruleAmount.toString()).toBe('500000.00');
    expect(tier('500000000.01').ruleAmount.toString()).toBe('2000000.00');
    expect(tier('500000000.01').trace.find((step) => step.step === 'rule')?.message).toBe(
      'logisticsRevenue 500000000.01 > 500000000.00',
    );
  });

  it('does not reach a strict threshold with the threshold itself', () => {
    expect(tier('500000000.00').ruleAmount.toString()).toBe('500000.00');
    expect(tier('500000000.00').trace.find((step) => step.step === 'rule')?.message).toBe(
      'logisticsRevenue 500000000.00 ≥ 100000000.00',
    );
  });
});
