/** validateEvidence(): the shape check of docs/policy.md §2 and §3 (HTTP 400), with a stable code and a path. */
import { catalog, CLAIMABLE_CODES, evidenceWith, items, VALID_EVIDENCE } from '../testing/fixtures';
import type { EvidenceJson } from './api';
import { EVIDENCE_ERROR_CODES } from './codes';
import { EVIDENCE_ERRORS_MAX, validateEvidence } from './evidence';

const errorsOf = (programCode: string, evidence: unknown) => {
  const result = validateEvidence(catalog, programCode, evidence);
  return result.ok
    ? []
    : result.errors.map((error) => [error.code, error.path, error.cause ?? null]);
};
const seen = new Set<string>();
const expectErrors = (
  programCode: string,
  evidence: unknown,
  expected: Array<[string, string, (string | null)?]>,
) => {
  const actual = errorsOf(programCode, evidence);
  actual.forEach(([code]) => seen.add(code as string));
  expect(actual).toEqual(expected.map(([code, path, cause]) => [code, path, cause ?? null]));
};

describe('validateEvidence', () => {
  it.each(CLAIMABLE_CODES)(
    'accepts the fixture evidence of %s and returns its subject key',
    (code) => {
      const result = validateEvidence(catalog, code, VALID_EVIDENCE[code]);
      const expected =
        {
          'c4-exhibition': 'EXPO-1',
          'c5-consolidation-warehouse': 'W1',
          'c6-talent-event': 'EV-1',
        }[code] ?? null;
      expect(result).toEqual({ ok: true, subjectKey: expected });
    },
  );

  it('has no schema for unknown and non-claimable programs', () => {
    expectErrors('c10-nothing', {}, [['EVIDENCE.PROGRAM_UNKNOWN', '']]);
    expectErrors('c7-financing', {}, [['EVIDENCE.PROGRAM_NOT_CLAIMABLE', '']]);
    expectErrors('c9-park-allocation', {}, [['EVIDENCE.PROGRAM_NOT_CLAIMABLE', '']]);
  });

  it.each([null, [], 'platform', 12])('refuses evidence that is not an object: %p', (evidence) => {
    expectErrors('c1-platform', evidence, [['EVIDENCE.NOT_AN_OBJECT', '']]);
  });

  it('requires every field, refuses unknown ones (own keys included), and treats null as missing', () => {
    expectErrors('c2-service-provider', { servedEnterprises: null, extra: 1 }, [
      ['EVIDENCE.UNKNOWN_FIELD', 'extra'],
      ['EVIDENCE.FIELD_REQUIRED', 'servedEnterprises'],
      ['EVIDENCE.FIELD_REQUIRED', 'serviceRevenue'],
      ['EVIDENCE.FIELD_REQUIRED', 'priorYearServiceRevenue'],
    ]);
    expectErrors('c1-platform', JSON.parse('{"platformName":"P","__proto__":{"x":1}}'), [
      ['EVIDENCE.UNKNOWN_FIELD', '__proto__'],
    ]);
    expectErrors('c1-platform', Object.create({ platformName: 'inherited' }), [
      ['EVIDENCE.FIELD_REQUIRED', 'platformName'],
    ]);
  });

  it('checks text: a string, not blank, trimmed, at most 200 characters', () => {
    expectErrors('c1-platform', { platformName: 7 }, [['EVIDENCE.NOT_A_STRING', 'platformName']]);
    expectErrors('c1-platform', { platformName: '' }, [['EVIDENCE.EMPTY_STRING', 'platformName']]);
    expectErrors('c1-platform', { platformName: '   ' }, [
      ['EVIDENCE.EMPTY_STRING', 'platformName'],
    ]);
    expectErrors('c5-consolidation-warehouse', { warehouseId: ' W1', operatingAreaSqm: '5000' }, [
      ['EVIDENCE.UNTRIMMED_STRING', 'warehouseId'],
    ]);
    expectErrors('c1-platform', { platformName: 'x'.repeat(201) }, [
      ['EVIDENCE.STRING_TOO_LONG', 'platformName'],
    ]);
    expectErrors('c1-platform', { platformName: '跨'.repeat(200) }, []);
  });

  it.each([
    [200000, 'MONEY.NOT_A_STRING'],
    ['1e5', 'MONEY.EXPONENT'],
    ['1,000.00', 'MONEY.GROUPING'],
    ['-1.00', 'MONEY.NEGATIVE'],
    ['+1.00', 'MONEY.SIGN'],
    [' 1.00', 'MONEY.WHITESPACE'],
    ['1.234', 'MONEY.TOO_MANY_FRACTION_DIGITS'],
    ['12345678901234.00', 'MONEY.TOO_MANY_INTEGER_DIGITS'],
    ['0100.00', 'MONEY.LEADING_ZERO'],
    ['', 'MONEY.EMPTY'],
    ['1.', 'MONEY.MALFORMED'],
  ])('refuses the amount %p (%s)', (exportValue, cause) => {
    expectErrors('c1-customs-export', evidenceWith('c1-customs-export', { exportValue }), [
      ['EVIDENCE.INVALID_MONEY', 'exportValue', cause],
    ]);
  });

  it('requires a positive standard booth fee', () => {
    expectErrors('c4-exhibition', evidenceWith('c4-exhibition', { standardBoothFee: '0.00' }), [
      ['EVIDENCE.MONEY_NOT_POSITIVE', 'standardBoothFee'],
    ]);
    expectErrors('c4-exhibition', evidenceWith('c4-exhibition', { boothFee: '0' }), []);
  });

  it('checks decimals (areas) with the same strict shape', () => {
    expectErrors('c5-consolidation-warehouse', { warehouseId: 'W1', operatingAreaSqm: 3500 }, [
      ['EVIDENCE.INVALID_DECIMAL', 'operatingAreaSqm', 'DECIMAL.NOT_A_STRING'],
    ]);
    expectErrors('c5-consolidation-warehouse', { warehouseId: 'W1', operatingAreaSqm: '3.5e3' }, [
      ['EVIDENCE.INVALID_DECIMAL', 'operatingAreaSqm', 'DECIMAL.EXPONENT'],
    ]);
  });

  it.each([
    '2024-2-01',
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-04-31',
    '2024-01-00',
    '20240101',
    '2024-01-01T00:00:00Z',
    ' 2024-01-01',
    '２０２４-01-01',
  ])('refuses the date %p', (date) =>
    expectErrors('c6-talent-event', evidenceWith('c6-talent-event', { date }), [
      ['EVIDENCE.INVALID_DATE', 'date'],
    ]),
  );

  it.each(['2024-02-29', '2000-02-29', '2024-12-31', '2024-04-30', '2024-01-31'])(
    'accepts the calendar date %s',
    (date) => {
      expectErrors('c6-talent-event', evidenceWith('c6-talent-event', { date }), []);
    },
  );

  it('requires dates as strings', () => {
    expectErrors('c6-talent-event', evidenceWith('c6-talent-event', { date: 20240601 }), [
      ['EVIDENCE.NOT_A_STRING', 'date'],
    ]);
  });

  it('checks customs modes: a non-empty set of 9610 / 9710 / 9810 strings without duplicates', () => {
    expectErrors(
      'c1-customs-export',
      evidenceWith('c1-customs-export', { customsModes: ['9610', '9710', '9810'] }),
      [],
    );
    expectErrors(
      'c1-customs-export',
      evidenceWith('c1-customs-export', { customsModes: [9610, '1039'] }),
      [
        ['EVIDENCE.INVALID_ENUM', 'customsModes[0]'],
        ['EVIDENCE.INVALID_ENUM', 'customsModes[1]'],
      ],
    );
    expectErrors(
      'c1-customs-export',
      evidenceWith('c1-customs-export', { customsModes: ['9610', '9710', '9610'] }),
      [['EVIDENCE.DUPLICATE_VALUE', 'customsModes[2]']],
    );
    expectErrors('c1-customs-export', evidenceWith('c1-customs-export', { customsModes: [] }), [
      ['EVIDENCE.EMPTY_LIST', 'customsModes'],
    ]);
    expectErrors('c1-customs-export', evidenceWith('c1-customs-export', { customsModes: '9610' }), [
      ['EVIDENCE.NOT_A_LIST', 'customsModes'],
    ]);
  });

  it('checks channels against their enum', () => {
    const evidence = { items: [{ date: '2024-03-01', amount: '1.00', channel: 'television' }] };
    expectErrors('c4-brand-promotion', evidence, [['EVIDENCE.INVALID_ENUM', 'items[0].channel']]);
  });

  it('checks counts: JSON integers, at least 0, safe', () => {
    const c2 = (servedEnterprises: unknown) =>
      evidenceWith('c2-service-provider', { servedEnterprises });
    expectErrors('c2-service-provider', c2('60'), [
      ['EVIDENCE.NOT_AN_INTEGER', 'servedEnterprises'],
    ]);
    expectErrors('c2-service-provider', c2(60.5), [
      ['EVIDENCE.NOT_AN_INTEGER', 'servedEnterprises'],
    ]);
    expectErrors('c2-service-provider', c2(-1), [
      ['EVIDENCE.INTEGER_OUT_OF_RANGE', 'servedEnterprises'],
    ]);
    expectErrors('c2-service-provider', c2(2 ** 53), [
      ['EVIDENCE.INTEGER_OUT_OF_RANGE', 'servedEnterprises'],
    ]);
    expectErrors('c2-service-provider', c2(0), []);
  });

  it('checks item lists: at least one, at most 500, each an object with exactly its fields', () => {
    expectErrors('c3-trademark', { items: [] }, [['EVIDENCE.EMPTY_LIST', 'items']]);
    expectErrors('c3-trademark', { items: {} }, [['EVIDENCE.NOT_A_LIST', 'items']]);
    const many = (count: number) =>
      items(
        'c3-trademark',
        Array.from({ length: count }, () => ['2024-01-01', '1.00'] as const),
      );
    expectErrors('c3-trademark', many(500), []);
    expectErrors('c3-trademark', many(501), [['EVIDENCE.TOO_MANY_ITEMS', 'items']]);
    expectErrors(
      'c3-trademark',
      {
        items: [
          'TM-1',
          { date: '2024-01-01', amount: 5, country: 'DE', reference: 'R', note: 'x' },
        ],
      },
      [
        ['EVIDENCE.NOT_AN_OBJECT', 'items[0]'],
        ['EVIDENCE.UNKNOWN_FIELD', 'items[1].note'],
        ['EVIDENCE.INVALID_MONEY', 'items[1].amount', 'MONEY.NOT_A_STRING'],
      ],
    );
  });

  it(`stops the report after ${EVIDENCE_ERRORS_MAX} errors`, () => {
    const evidence: EvidenceJson = Object.fromEntries(
      Array.from({ length: 300 }, (_, index) => [`f${index}`, 1]),
    );
    const errors = errorsOf('c1-platform', evidence);
    expect(errors).toHaveLength(EVIDENCE_ERRORS_MAX);
    expect(errors[EVIDENCE_ERRORS_MAX - 1]).toEqual(['EVIDENCE.TOO_MANY_ERRORS', '', null]);
    seen.add('EVIDENCE.TOO_MANY_ERRORS');
    const result = validateEvidence(catalog, 'c1-platform', evidence);
    expect(!result.ok && result.errors[EVIDENCE_ERRORS_MAX - 1]?.message).toBe(
      '202 more errors not listed',
    );
  });

  it('does not mutate the evidence', () => {
    const evidence = JSON.parse(JSON.stringify(VALID_EVIDENCE['c3-trademark']));
    const frozen = Object.freeze({
      ...evidence,
      items: Object.freeze(evidence.items.map((item: object) => Object.freeze(item))),
    });
    expect(validateEvidence(catalog, 'c3-trademark', frozen).ok).toBe(true);
  });

  afterAll(() => {
    // Every documented code is produced by some test above, and nothing undocumented is produced.
    expect([...seen].sort()).toEqual(EVIDENCE_ERROR_CODES.map((entry) => entry.code).sort());
  });
});
