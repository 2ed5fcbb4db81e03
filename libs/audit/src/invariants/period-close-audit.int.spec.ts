/**
 * The period-close check (./period-close-audit.ts) on a real SQLite log written straight into the store:
 * movements dated inside a closed (funder, period) after the close are findings, in log order, whatever the
 * order the pass visits them in; everything else (before the close, another funder, another year, an
 * adjustment, a period closed later than the log's bound) is not. verifyLedger reports the same count in its
 * stream-by-stream pass and in position order.
 */
import {
  openSqliteEventStore,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@hz/event-store';
import { FixedClock, testEvent } from '@hz/event-store/testing';
import { verifyLedger } from '../verify/verify-ledger';
import { scanLog } from '../log/scan-log';
import { PeriodCloseAudit } from './period-close-audit';

const PLAN = 'allocation-PLAN-2024';
const APPLICANT = 'applicant-91330100MA27XYZ12A';
const CLAIM = '91330100MA27XYZ12A-1';

let seed = 0;
const event = (type: string, data: JsonObject) =>
  testEvent(`period-audit-${(seed += 1)}`, { type, data });
const paid = (funder: string, paidAt: string, paymentRef: string) =>
  event('DisbursementRecorded', { claimId: CLAIM, funder, amount: '1.00', paymentRef, paidAt });

async function append(store: EventStore, streamId: string, events: ReturnType<typeof event>[]) {
  const existing = await store.readStream(streamId).catch(() => [] as RecordedEvent[]);
  const last = existing.at(-1);
  await store.appendToStream(streamId, events, {
    expectedRevision: last === undefined ? 'no_stream' : last.revision,
  });
}

/** The log: payments before and after the city's close of 2024, and 2023 closed after the bound. */
async function writeLog(store: EventStore): Promise<{ bound: bigint; offending: string[] }> {
  await append(store, APPLICANT, [paid('city', '2024-06-30', 'P-1')]);
  await append(store, 'period-2024', [
    event('PeriodClosed', { period: '2024', funders: ['city'], reasons: ['year end'] }),
  ]);
  await append(store, APPLICANT, [
    paid('city', '2024-12-31', 'P-2'), // after the close, city, 2024: a finding
    paid('district', '2024-12-31', 'P-3'), // the district's 2024 is open
    paid('city', '2025-01-01T00:30:00+08:00', 'P-4'), // 2025 in Hangzhou
    paid('city', '2024-12-31T23:30:00+08:00', 'P-5'), // still 2024 in Hangzhou: a finding
    event('RecoveryRecorded', {
      claimId: CLAIM,
      funder: 'city',
      amount: '1.00',
      recoveryRef: 'R-1',
      recoveredAt: '2024-11-02',
    }), // a finding
  ]);
  await append(store, PLAN, [
    event('AllocationDisbursementRecorded', {
      planId: 'PLAN-2024',
      district: 'xihu',
      amount: '1.00',
      paymentRef: 'A-1',
      paidAt: '2024-10-10',
    }), // the city pays allocations: a finding
  ]);
  await append(store, 'period-2024', [
    event('PostCloseAdjustmentRecorded', {
      period: '2024',
      funder: 'city',
      kind: 'disbursement',
      subjectId: CLAIM,
      amount: '1.00',
      reference: 'ADJ-1',
      datedOn: '2024-12-31',
      reasons: ['late'],
    }),
  ]);
  await append(store, APPLICANT, [paid('city', '2023-05-05', 'P-6')]);
  const bound = await store.headPosition();
  // Closed after the bound: the 2023 payment above was made while 2023 was open.
  await append(store, 'period-2023', [
    event('PeriodClosed', {
      period: '2023',
      funders: ['city', 'district'],
      reasons: ['late close'],
    }),
  ]);
  return { bound, offending: ['P-2', 'P-5', 'R-1', 'A-1'] };
}

describe('period-close check (issue 18)', () => {
  let store: EventStore;
  beforeEach(async () => {
    store = await openSqliteEventStore({ file: ':memory:', clock: new FixedClock() });
  });
  afterEach(() => store.close());

  it('finds the movements dated in a closed period after its close, in log order, in any visiting order', async () => {
    const { bound, offending } = await writeLog(store);
    const events: RecordedEvent[] = [];
    await scanLog(store, (recorded) => void events.push(recorded));
    const refOf = (position: string | undefined) => {
      const data = events.find((recorded) => recorded.position.toString() === position)!.data;
      return String(data['paymentRef'] ?? data['recoveryRef']);
    };
    for (const order of [events, [...events].reverse()]) {
      const audit = (await PeriodCloseAudit.load(store, bound, 100))!;
      for (const recorded of order.filter((candidate) => candidate.position <= bound))
        audit.visit(recorded);
      const findings = audit.sink.findings;
      expect(findings.map((finding) => refOf(finding.position))).toEqual(offending);
      expect(new Set(findings.map((finding) => `${finding.check} ${finding.code}`))).toEqual(
        new Set(['period-close PERIOD.MOVEMENT_AFTER_CLOSE']),
      );
    }
    // Up to the head, 2023 is closed too, but its payment was recorded before that close.
    const whole = (await PeriodCloseAudit.load(store, await store.headPosition(), 100))!;
    for (const recorded of events) whole.visit(recorded);
    expect(whole.sink.findings).toHaveLength(offending.length);
  });

  it('is not loaded when no period is closed', async () => {
    await append(store, APPLICANT, [paid('city', '2024-12-31', 'P-1')]);
    expect(await PeriodCloseAudit.load(store, await store.headPosition(), 100)).toBeNull();
  });

  it('verify reports the same count in its stream pass and in position order', async () => {
    const { offending } = await writeLog(store);
    for (const order of ['stream', 'position'] as const) {
      const report = await verifyLedger(store, { order });
      expect({ order, check: report.checks['period-close'] }).toEqual({
        order,
        check: { ran: true, violations: offending.length },
      });
    }
  });
});
