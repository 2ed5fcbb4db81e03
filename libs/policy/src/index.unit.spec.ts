/** The names the ledger team codes against: a rename here breaks them, so it must break this test first. */
import * as policy from './index';

it('exports the public API of @hz/policy', () => {
  const functions = [
    'getCatalog',
    'listCatalogs',
    'findProgram',
    'findDistrict',
    'isClaimable',
    'isKnownDistrict',
    'districtGroupOf',
    'validateEvidence',
    'assess',
    'scopeKey',
    'fiscalSplit',
    'allocate',
    'defineCatalog',
    'catalogHash',
    'catalogProblems',
    'canonicalJson',
    'isIsoDate',
  ];
  for (const name of functions)
    expect(typeof (policy as Record<string, unknown>)[name]).toBe('function');
  expect(policy.HZ_CBEC_2023.id).toBe('hz-cbec-2023');
  expect(policy.PolicyError.name).toBe('PolicyError');
  expect(policy.POLICY_REFUSAL_CODES.length).toBeGreaterThan(0);
  expect(policy.EVIDENCE_ERROR_CODES.length).toBeGreaterThan(0);
  expect(policy.POLICY_ERROR_CODES.length).toBeGreaterThan(0);
  expect([policy.TEXT_MAX_LENGTH, policy.ITEMS_MAX, policy.EVIDENCE_ERRORS_MAX]).toEqual([
    200, 500, 100,
  ]);
});
