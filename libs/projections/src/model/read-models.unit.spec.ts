/**
 * Events in, rows out: each read model on hand-written ledgers with exact amounts (docs/policy.md §8 example
 * 1 is the first claim: c3-trademark in xiaoshan, group B, approved 200,000.00 = 50,000.00 + 150,000.00).
 */
import { usccFromPrefix } from '@hz/ledger';
import { Scenario } from '../testing/scenario';
import { fiscalReport } from './fiscal-report';
import { InMemoryReadModel } from './in-memory-read-model';
import { remainingOf } from './caps';
import { ProjectionInvariantViolation } from './claim-summary';

const CO = usccFromPrefix('91330109MA2H00001');
const CLAIM = `${CO}-1`;
const TRADEMARK_CAP = [{ capId: 'one-time:c3-trademark', cap: '200000.00' }];

function trademarkLifecycle(): Scenario {
  return new Scenario('2024-03-01T02:00:00.000Z')
    .register(CO, 'xiaoshan')
    .submit(CLAIM, 'c3-trademark', '210000.00', TRADEMARK_CAP)
    .approve(CLAIM, {
      amount: '200000.00',
      cityShare: '50000.00',
      districtShare: '150000.00',
      district: 'xiaoshan',
      caps: TRADEMARK_CAP,
    })
    .disburse(CLAIM, 'city', '50000.00', '2024-03-05')
    .at('2024-04-02T01:00:00.000Z')
    .disburse(CLAIM, 'district', '100000.00', '2024-04-02')
    .at('2024-05-10T03:00:00.000Z')
    .revoke(
      CLAIM,
      'xiaoshan',
      { city: '0.00', district: '50000.00' },
      { city: '50000.00', district: '100000.00' },
    )
    .at('2024-06-01T03:00:00.000Z')
    .recover(CLAIM, 'city', '20000.00', '2024-06-01');
}

describe('claim queue', () => {
  it('follows a claim through approval, payments, revocation and recovery', () => {
    const model = InMemoryReadModel.of(trademarkLifecycle().records);
    expect(model.claim(CLAIM)).toMatchObject({
      status: 'revoked',
      applicant: CO,
      programCode: 'c3-trademark',
      supportYear: 2024,
      requestedAmount: '210000.00',
      approvedAmount: '200000.00',
      split: { district: 'xiaoshan', cityShare: '50000.00', districtShare: '150000.00' },
      paid: { city: '50000.00', district: '100000.00' },
      cancelled: { city: '0.00', district: '50000.00' },
      receivable: { city: '50000.00', district: '100000.00' },
      recovered: { city: '20000.00', district: '0.00' },
      submittedPosition: 2n,
      lastPosition: 7n,
      lastEventType: 'RecoveryRecorded',
    });
  });

  it('refuses an event that cannot follow the claim (a payment before any approval)', () => {
    const s = new Scenario()
      .register(CO, 'xiaoshan')
      .submit(CLAIM, 'c3-trademark', '1.00', TRADEMARK_CAP)
      .disburse(CLAIM, 'city', '1.00', '2024-03-01');
    expect(() => InMemoryReadModel.of(s.records)).toThrow(ProjectionInvariantViolation);
  });
});

describe('caps', () => {
  it('counts approvals, stops counting a revoked grant and nets recoveries out of paid', () => {
    const records = trademarkLifecycle().records;
    const model = new InMemoryReadModel();
    const history = records.map((event) => {
      model.apply(event);
      const row = model.cap(CO, 'one-time:c3-trademark');
      return row && { granted: row.granted, paid: row.paid, remaining: remainingOf(row) };
    });
    expect(history).toEqual([
      undefined,
      undefined,
      { granted: '200000.00', paid: '0.00', remaining: '0.00' },
      { granted: '200000.00', paid: '50000.00', remaining: '0.00' },
      { granted: '200000.00', paid: '150000.00', remaining: '0.00' },
      { granted: '0.00', paid: '150000.00', remaining: '200000.00' },
      { granted: '0.00', paid: '130000.00', remaining: '200000.00' },
    ]);
    expect(model.capsOf(CO)).toEqual([
      expect.objectContaining({
        kind: 'one-time',
        supportYear: null,
        subjectKey: null,
        cap: '200000.00',
      }),
    ]);
  });

  it('reserves a countersign-pending approval and releases it when the countersigner refuses', () => {
    const caps = [{ capId: 'annual:c1-platform:2024', cap: '1000000.00' }];
    const s = new Scenario()
      .register(CO, 'binjiang')
      .submit(CLAIM, 'c1-platform', '1000000.00', caps)
      .approve(CLAIM, {
        amount: '600000.00',
        cityShare: '300000.00',
        districtShare: '300000.00',
        district: 'binjiang',
        group: 'A',
        cityRate: '0.5',
        countersign: true,
        caps,
      });
    const pending = InMemoryReadModel.of(s.records);
    expect(pending.cap(CO, 'annual:c1-platform:2024')).toMatchObject({
      granted: '600000.00',
      supportYear: 2024,
      kind: 'annual',
    });
    expect(pending.claim(CLAIM)?.status).toBe('pending_countersign');
    const refused = InMemoryReadModel.of(s.countersign(CLAIM, false).records);
    expect(refused.cap(CO, 'annual:c1-platform:2024')).toMatchObject({
      granted: '0.00',
      paid: '0.00',
    });
    expect(refused.claim(CLAIM)).toMatchObject({ status: 'rejected', approvedAmount: '600000.00' });
  });

  it('keeps a row per subject for a per-subject program without an amount cap', () => {
    const s = new Scenario()
      .register(CO, 'xihu')
      .submit(CLAIM, 'c4-exhibition', '63000.00', [], { subjectKey: 'EXPO-1' })
      .approve(CLAIM, {
        amount: '63000.00',
        cityShare: '31500.00',
        districtShare: '31500.00',
        district: 'xihu',
        group: 'A',
        cityRate: '0.5',
      });
    const row = InMemoryReadModel.of(s.records).cap(CO, 'subject:c4-exhibition:EXPO-1');
    expect(row).toMatchObject({
      kind: 'subject',
      subjectKey: 'EXPO-1',
      cap: null,
      granted: '63000.00',
    });
    expect(row && remainingOf(row)).toBeNull();
  });
});

describe('one-time awards', () => {
  it('lists the grant of a one-time scope with the claim status', () => {
    const model = InMemoryReadModel.of(trademarkLifecycle().records);
    expect(model.allAwards()).toEqual([
      {
        applicant: CO,
        programCode: 'c3-trademark',
        claimId: CLAIM,
        amount: '200000.00',
        status: 'revoked',
        position: 7n,
      },
    ]);
  });

  it('has no row for annual programs', () => {
    const caps = [{ capId: 'annual:c1-platform:2024', cap: '1000000.00' }];
    const s = new Scenario()
      .register(CO, 'xihu')
      .submit(CLAIM, 'c1-platform', '10.00', caps)
      .approve(CLAIM, {
        amount: '10.00',
        cityShare: '5.00',
        districtShare: '5.00',
        district: 'xihu',
        group: 'A',
        cityRate: '0.5',
        caps,
      });
    expect(InMemoryReadModel.of(s.records).allAwards()).toEqual([]);
  });
});

describe('fiscal obligations', () => {
  it('books commitments, payments, cancellations, receivables and recoveries per funder and business month', () => {
    const buckets = InMemoryReadModel.of(trademarkLifecycle().records).fiscalBuckets();
    const rows = fiscalReport(buckets, { period: 'month' }).map(
      ({
        funder,
        period,
        committed,
        disbursed,
        cancelled,
        outstanding,
        receivable,
        recovered,
        receivableOutstanding,
      }) =>
        [
          funder,
          period,
          committed,
          disbursed,
          cancelled,
          outstanding,
          receivable,
          recovered,
          receivableOutstanding,
        ].join(' '),
    );
    expect(rows).toEqual([
      'city 2024-03 50000.00 50000.00 0.00 0.00 0.00 0.00 0.00',
      'city 2024-04 0.00 0.00 0.00 0.00 0.00 0.00 0.00',
      'city 2024-05 0.00 0.00 0.00 0.00 50000.00 0.00 50000.00',
      'city 2024-06 0.00 0.00 0.00 0.00 0.00 20000.00 30000.00',
      'xiaoshan 2024-03 150000.00 0.00 0.00 150000.00 0.00 0.00 0.00',
      'xiaoshan 2024-04 0.00 100000.00 0.00 50000.00 0.00 0.00 0.00',
      'xiaoshan 2024-05 0.00 0.00 50000.00 0.00 100000.00 0.00 100000.00',
    ]);
    expect(fiscalReport(buckets, { funder: 'xiaoshan', period: 'year' })).toEqual([
      {
        funder: 'xiaoshan',
        period: '2024',
        committed: '150000.00',
        disbursed: '100000.00',
        cancelled: '50000.00',
        outstanding: '0.00',
        receivable: '100000.00',
        recovered: '0.00',
        receivableOutstanding: '100000.00',
      },
    ]);
  });

  it('leaves a decision with the district of the approval when the applicant relocates', () => {
    const second = `${CO}-2`;
    const caps = [{ capId: 'annual:c1-platform:2024', cap: '1000000.00' }];
    const s = new Scenario('2024-03-01T02:00:00.000Z')
      .register(CO, 'xiaoshan')
      .submit(CLAIM, 'c1-platform', '1000.00', caps)
      .approve(CLAIM, {
        amount: '1000.00',
        cityShare: '250.00',
        districtShare: '750.00',
        district: 'xiaoshan',
        caps,
      })
      .relocate(CO, 'xiaoshan', 'binjiang')
      // The event's own copy of the district says binjiang: the approval's district (xiaoshan) still pays.
      .disburse(CLAIM, 'district', '750.00', '2024-03-02', 'binjiang')
      .submit(second, 'c1-platform', '1000.00', caps)
      .approve(second, {
        amount: '1000.00',
        cityShare: '500.00',
        districtShare: '500.00',
        district: 'binjiang',
        group: 'A',
        cityRate: '0.5',
        caps,
      });
    const model = InMemoryReadModel.of(s.records);
    const byFunder = Object.fromEntries(
      model.fiscalBuckets().map((b) => [b.funder, [b.committed, b.disbursed]]),
    );
    expect(byFunder).toEqual({
      city: ['750.00', '0.00'],
      xiaoshan: ['750.00', '750.00'],
      binjiang: ['500.00', '0.00'],
    });
  });

  it('commits a countersigned approval in the month of the countersignature, in Hangzhou time', () => {
    const caps = [{ capId: 'annual:c1-platform:2024', cap: '1000000.00' }];
    const s = new Scenario('2024-03-31T10:00:00.000Z')
      .register(CO, 'yuhang')
      .submit(CLAIM, 'c1-platform', '800000.00', caps)
      .approve(CLAIM, {
        amount: '800000.00',
        cityShare: '200000.00',
        districtShare: '600000.00',
        district: 'yuhang',
        countersign: true,
        caps,
      })
      .at('2024-03-31T17:00:00.000Z') // 2024-04-01 01:00 in Hangzhou
      .countersign(CLAIM);
    const months = InMemoryReadModel.of(s.records)
      .fiscalBuckets()
      .map((b) => `${b.funder} ${b.month} ${b.committed}`);
    expect(months).toEqual(['city 2024-04 200000.00', 'yuhang 2024-04 600000.00']);
  });

  it('treats allocation plans as city obligations payable to districts', () => {
    const s = new Scenario()
      .plan('P1', '2024-02-20', [
        { district: 'xihu', amount: '100.01' },
        { district: 'yuhang', amount: '99.99' },
      ])
      .payAllocation('P1', 'xihu', '100.01', '2024-03-02')
      .reference('payment', 'X');
    const buckets = InMemoryReadModel.of(s.records).fiscalBuckets();
    expect(
      fiscalReport(buckets, { period: 'month', from: '2024-02', to: '2024-03' }).map((r) => [
        r.period,
        r.committed,
        r.disbursed,
        r.outstanding,
      ]),
    ).toEqual([
      ['2024-02', '200.00', '0.00', '200.00'],
      ['2024-03', '0.00', '100.01', '99.99'],
    ]);
  });
});

describe('fiscal obligations by policy clause', () => {
  it('keys buckets by funder, month and the program clause; allocation plans are clause 五(九)', () => {
    const second = `${CO}-2`;
    const caps = [{ capId: 'annual:c1-platform:2024', cap: '1000000.00' }];
    const s = trademarkLifecycle()
      .at('2024-06-02T03:00:00.000Z')
      .submit(second, 'c1-platform', '1000.00', caps)
      .approve(second, {
        amount: '1000.00',
        cityShare: '250.00',
        districtShare: '750.00',
        district: 'xiaoshan',
        caps,
      })
      .disburse(second, 'district', '700.00', '2024-06-03')
      .plan('P1', '2024-06-20', [
        { district: 'xihu', amount: '100.01' },
        { district: 'yuhang', amount: '99.99' },
      ]);
    const model = InMemoryReadModel.of(s.records);
    const buckets = model.fiscalBuckets();
    expect(
      buckets.map((b) => `${b.funder} ${b.month} ${b.clause} ${b.committed} ${b.disbursed}`).sort(),
    ).toEqual([
      'city 2024-03 二(三) 50000.00 50000.00',
      'city 2024-05 二(三) 0.00 0.00',
      'city 2024-06 一(一) 250.00 0.00',
      'city 2024-06 二(三) 0.00 0.00',
      'city 2024-06 五(九) 200.00 0.00',
      'xiaoshan 2024-03 二(三) 150000.00 0.00',
      'xiaoshan 2024-04 二(三) 0.00 100000.00',
      'xiaoshan 2024-05 二(三) 0.00 0.00',
      'xiaoshan 2024-06 一(一) 750.00 700.00',
    ]);
    const byClause = fiscalReport(buckets, { funder: 'city', period: 'year', groupBy: 'clause' });
    expect(byClause).toEqual([
      {
        funder: 'city',
        clause: '一(一)',
        period: '2024',
        committed: '250.00',
        disbursed: '0.00',
        cancelled: '0.00',
        outstanding: '250.00',
        receivable: '0.00',
        recovered: '0.00',
        receivableOutstanding: '0.00',
      },
      {
        funder: 'city',
        clause: '二(三)',
        period: '2024',
        committed: '50000.00',
        disbursed: '50000.00',
        cancelled: '0.00',
        outstanding: '0.00',
        receivable: '50000.00',
        recovered: '20000.00',
        receivableOutstanding: '30000.00',
      },
      {
        funder: 'city',
        clause: '五(九)',
        period: '2024',
        committed: '200.00',
        disbursed: '0.00',
        cancelled: '0.00',
        outstanding: '200.00',
        receivable: '0.00',
        recovered: '0.00',
        receivableOutstanding: '0.00',
      },
    ]);
    // Without groupBy the clauses sum up to the funder's figures, as before.
    expect(fiscalReport(buckets, { funder: 'city', period: 'year' })).toEqual([
      {
        funder: 'city',
        period: '2024',
        committed: '50450.00',
        disbursed: '50000.00',
        cancelled: '0.00',
        outstanding: '450.00',
        receivable: '50000.00',
        recovered: '20000.00',
        receivableOutstanding: '30000.00',
      },
    ]);
    // asOf: before the plan was recorded, clause 五(九) has no bucket yet.
    const beforePlan = model.fiscalBuckets(Date.parse('2024-06-02T03:00:00.000Z'));
    expect(beforePlan.some((b) => b.clause === '五(九)')).toBe(false);
  });
});

describe('applicants', () => {
  it('keeps the registered name and the current district, and finds applicants by a part of the name', () => {
    const other = usccFromPrefix('91330108MA2H00002');
    const s = new Scenario('2024-03-01T02:00:00.000Z')
      .register(CO, 'xiaoshan')
      .register(other, 'xihu')
      .relocate(CO, 'xiaoshan', 'binjiang');
    const model = InMemoryReadModel.of(s.records);
    expect(model.applicant(CO)).toEqual({
      uscc: CO,
      name: `Co ${CO.slice(-4)}`,
      district: 'binjiang',
      position: 3n,
    });
    expect(model.applicant(other)).toEqual({
      uscc: other,
      name: `Co ${other.slice(-4)}`,
      district: 'xihu',
      position: 2n,
    });
    expect(
      model.findApplicants({ nameContains: CO.slice(-4), limit: 10 }).map((row) => row.uscc),
    ).toEqual([CO]);
    expect(model.findApplicants({ nameContains: 'Co ', limit: 1 })).toHaveLength(1);
    expect(model.findApplicants({ nameContains: 'co ', limit: 10 })).toEqual([]);
  });

  it('refuses a relocation of an applicant that was never registered', () => {
    expect(() =>
      InMemoryReadModel.of(new Scenario().relocate(CO, 'xiaoshan', 'binjiang').records),
    ).toThrow(ProjectionInvariantViolation);
  });
});

describe('audit trail', () => {
  it('keeps every event of a claim with its chain hashes', () => {
    const model = InMemoryReadModel.of(trademarkLifecycle().records);
    const trail = model.auditTrail(CLAIM);
    expect(trail.map((e) => [e.position, e.revision, e.type])).toEqual([
      [2n, 1n, 'ClaimSubmitted'],
      [3n, 2n, 'ClaimApproved'],
      [4n, 3n, 'DisbursementRecorded'],
      [5n, 4n, 'DisbursementRecorded'],
      [6n, 5n, 'ClaimRevoked'],
      [7n, 6n, 'RecoveryRecorded'],
    ]);
    expect(trail[1]?.prevHash).toBe(trail[0]?.hash);
    expect(JSON.parse(trail[1]?.dataJson ?? '{}')).toMatchObject({ amount: '200000.00' });
  });
});

describe('asOf on the in-memory model', () => {
  it('answers with the versions recorded at or before the instant', () => {
    const model = InMemoryReadModel.of(trademarkLifecycle().records);
    const beforeRevocation = Date.parse('2024-05-10T02:59:59.999Z');
    expect(model.capsOf(CO, beforeRevocation)[0]).toMatchObject({
      granted: '200000.00',
      paid: '150000.00',
    });
    expect(model.capsOf(CO, Date.parse('2024-03-01T02:00:00.000Z'))).toEqual([]);
    expect(model.capsOf(CO)[0]).toMatchObject({ granted: '0.00', paid: '130000.00' });
  });
});
