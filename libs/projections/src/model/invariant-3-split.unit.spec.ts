/**
 * Invariant 3 (docs/architecture.md §3) as the claim projection re-checks it: an approval whose shares do
 * not add up to its amount stops the projection instead of being served (docs/invariants.md). Before this
 * file no test failed when that check in claim-summary.ts was removed.
 */
import { usccFromPrefix } from '@hz/ledger';
import { Scenario } from '../testing/scenario';
import { ProjectionInvariantViolation } from './claim-summary';
import { InMemoryReadModel } from './in-memory-read-model';

const CO = usccFromPrefix('91330109MA2H00002');
const CLAIM = `${CO}-1`;
const CAP = [{ capId: 'one-time:c3-trademark', cap: '200000.00' }];

function approvedWithShares(cityShare: string, districtShare: string): Scenario {
  return new Scenario('2024-03-01T02:00:00.000Z')
    .register(CO, 'xiaoshan')
    .submit(CLAIM, 'c3-trademark', '200000.00', CAP)
    .approve(CLAIM, { amount: '200000.00', cityShare, districtShare, district: 'xiaoshan' });
}

describe('Invariant 3: split — the claim projection', () => {
  it('serves an approval whose shares add up to the amount', () => {
    const model = InMemoryReadModel.of(approvedWithShares('50000.00', '150000.00').records);
    expect(model.claim(CLAIM)).toMatchObject({ claimId: CLAIM, status: 'approved' });
  });

  it('stops at an approval whose shares differ from the amount by one fen', () => {
    const records = approvedWithShares('50000.00', '149999.99').records;
    expect(() => InMemoryReadModel.of(records)).toThrow(ProjectionInvariantViolation);
  });
});
