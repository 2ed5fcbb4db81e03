/**
 * Fiscal buckets read each claim under the policy catalog its events name (docs/policy.md: a new policy
 * version is another catalog), not under one hard-wired catalog: a claim decided under a second catalog
 * lands in that catalog's clause, while a claim of the first one keeps its own.
 */
import { usccFromPrefix } from '@hz/ledger';
import { defineCatalog, getCatalog, HZ_CBEC_2023, type ProgramDefinition } from '@hz/policy';
import { Scenario } from '../testing/scenario';
import { InMemoryReadModel } from './in-memory-read-model';

const CO = usccFromPrefix('91330109MA2H00001');
const CAPS = [{ capId: 'annual:c1-platform:2024', cap: '1000000.00' }];
const { hash: _hash, ...content } = HZ_CBEC_2023;
const SECOND = defineCatalog({
  ...content,
  id: 'hz-cbec-2025-test',
  programs: content.programs.map((program): ProgramDefinition =>
    program.code === 'c1-platform' ? { ...program, clause: '二(一)' } : program,
  ),
});
const catalogs = (id: string) => (id === SECOND.id ? SECOND : getCatalog(id));

function claimUnder(s: Scenario, claimId: string, policyId: string | undefined): Scenario {
  return s
    .submit(claimId, 'c1-platform', '1000.00', CAPS, { policyId })
    .approve(claimId, {
      amount: '1000.00',
      cityShare: '250.00',
      districtShare: '750.00',
      district: 'xiaoshan',
      caps: CAPS,
      policyId,
    })
    .disburse(claimId, 'district', '700.00', '2024-03-03');
}

function clausesOf(model: InMemoryReadModel): string[] {
  return model
    .fiscalBuckets()
    .map((b) => `${b.funder} ${b.clause} ${b.committed} ${b.disbursed}`)
    .sort();
}

describe('fiscal obligations under the catalog each event names', () => {
  it('books a claim decided under a second catalog in that catalog’s clause', () => {
    let s = new Scenario().register(CO, 'xiaoshan');
    s = claimUnder(s, `${CO}-1`, undefined);
    s = claimUnder(s, `${CO}-2`, SECOND.id);
    const model = InMemoryReadModel.of(s.records, { catalogs });
    expect(model.claim(`${CO}-2`)?.policyId).toBe(SECOND.id);
    expect(clausesOf(model)).toEqual([
      'city 一(一) 250.00 0.00',
      'city 二(一) 250.00 0.00',
      'xiaoshan 一(一) 750.00 700.00',
      'xiaoshan 二(一) 750.00 700.00',
    ]);
  });

  it('follows the approval’s catalog when it differs from the submission’s', () => {
    const s = new Scenario()
      .register(CO, 'xiaoshan')
      .submit(`${CO}-1`, 'c1-platform', '1000.00', CAPS)
      .approve(`${CO}-1`, {
        amount: '1000.00',
        cityShare: '250.00',
        districtShare: '750.00',
        district: 'xiaoshan',
        caps: CAPS,
        policyId: SECOND.id,
      })
      .disburse(`${CO}-1`, 'city', '250.00', '2024-03-03');
    expect(clausesOf(InMemoryReadModel.of(s.records, { catalogs }))).toEqual([
      'city 二(一) 250.00 250.00',
      'xiaoshan 二(一) 750.00 0.00',
    ]);
  });

  it('leaves the clause empty under a catalog this build does not know', () => {
    const s = claimUnder(new Scenario().register(CO, 'xiaoshan'), `${CO}-1`, 'no-such-catalog');
    expect(clausesOf(InMemoryReadModel.of(s.records))).toEqual([
      'city  250.00 0.00',
      'xiaoshan  750.00 700.00',
    ]);
  });
});
