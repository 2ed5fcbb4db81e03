/**
 * The golden ledger (docs/architecture.md, "Event versions and upcasting"): written by an earlier version,
 * it must import into a fresh store with every hash reproduced, verify (chains, the seal, every invariant,
 * every decision re-run under its recorded catalog) and replay to the committed read models byte for byte.
 */
import { readFileSync } from 'node:fs';
import { policyDecisionOracle, verifyLedger, type VerifyReport } from '@hz/audit';
import type { EventStore } from '@hz/event-store';
import {
  LEDGER_EVENT_TYPES,
  ledgerEventOf,
  UPCASTERS,
  type LedgerEventType,
  type Upcasters,
} from '@hz/ledger';
import { HZ_CBEC_2023, isClaimable } from '@hz/policy';
import {
  allEvents,
  GOLDEN_READ_MODELS,
  importGoldenLedger,
  readGoldenLedger,
  readGoldenSeal,
  replayedReadModels,
  type GoldenLine,
} from './golden-ledger';

const lines = readGoldenLedger();
/** The event types added after the golden ledger was written (2026-12-06, before issue 18). */
const TYPES_ADDED_SINCE: readonly LedgerEventType[] = ['PeriodClosed', 'PostCloseAdjustmentRecorded'];
/** Every event type of the version that wrote the golden ledger: today's, less those added since. */
const TYPES_WHEN_WRITTEN = LEDGER_EVENT_TYPES.filter((type) => !TYPES_ADDED_SINCE.includes(type));
const expectedReadModels = readFileSync(GOLDEN_READ_MODELS, 'utf8');

function verifyGolden(store: EventStore): Promise<VerifyReport> {
  return verifyLedger(store, { oracle: policyDecisionOracle(), checkpoint: readGoldenSeal() });
}

describe('golden ledger: what it holds', () => {
  it('has a few hundred events of every event type of its version, each still known to this one', () => {
    expect(lines.length).toBeGreaterThanOrEqual(200);
    const types = new Set(lines.map((line) => line.type));
    // Types added after the golden ledger was written (PeriodClosed, ...) cannot be in it.
    expect([...types].sort()).toEqual([...TYPES_WHEN_WRITTEN].sort());
    expect(TYPES_ADDED_SINCE.filter((type) => !LEDGER_EVENT_TYPES.includes(type))).toEqual([]);
  });

  it('has claims under every claimable program, both fiscal groups, revocations, recoveries, a plan', () => {
    const data = (type: string): GoldenLine['data'][] =>
      lines.filter((line) => line.type === type).map((line) => line.data);
    const programs = new Set(data('ClaimSubmitted').map((claim) => claim['programCode']));
    const claimable = HZ_CBEC_2023.programs.filter(isClaimable).map((program) => program.code);
    expect(claimable.filter((code) => !programs.has(code))).toEqual([]);
    const groups = new Set(
      data('ClaimApproved').map(
        (approval) => (approval['split'] as { districtGroup: string | null }).districtGroup,
      ),
    );
    expect(groups).toEqual(new Set(['A', 'B', null]));
    expect(data('ClaimRevoked').length).toBeGreaterThan(0);
    expect(data('RecoveryRecorded').length).toBeGreaterThan(0);
    expect(data('AllocationPlanDecided').length).toBeGreaterThan(0);
  });
});

describe('golden ledger: imported by this version', () => {
  let store: EventStore;

  beforeAll(async () => {
    store = await importGoldenLedger(lines);
  });
  afterAll(async () => {
    await store.close();
  });

  it('reproduces every stored hash at its position', async () => {
    const events = await allEvents(store);
    expect(events.map((event) => [event.position.toString(), event.metadata.hash])).toEqual(
      lines.map((line) => [line.position, line.metadata.hash]),
    );
  });

  it('verifies: hash chains, the seal, every invariant, every decision re-run under its catalog', async () => {
    const report = await verifyGolden(store);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.eventCount).toBe(lines.length);
    expect(report.checks['checkpoint']).toEqual({ ran: true, violations: 0 });
    expect(report.checks['decision-recompute']).toEqual({ ran: true, violations: 0 });
    expect(report.checks['hash-chain']).toEqual({ ran: true, violations: 0 });
  });

  it('replays to the committed read models, byte for byte', async () => {
    expect(await replayedReadModels(store)).toBe(expectedReadModels);
  });
});

describe('golden ledger: the DisbursementRecorded v1 → v2 upcaster', () => {
  let store: EventStore;

  beforeAll(async () => {
    store = await importGoldenLedger(lines);
  });
  afterAll(async () => {
    await store.close();
  });

  it('holds only v1 payments (written before the channel existed)', () => {
    const payments = lines.filter((line) => line.type === 'DisbursementRecorded');
    expect(payments.length).toBeGreaterThan(0);
    expect(payments.filter((line) => 'channel' in line.data)).toEqual([]);
  });

  it('without the upcaster, the golden ledger no longer verifies', async () => {
    const registered = UPCASTERS as Record<string, Upcasters[keyof Upcasters]>;
    const upcaster = registered['DisbursementRecorded'];
    delete registered['DisbursementRecorded'];
    let report: VerifyReport;
    try {
      report = await verifyGolden(store);
    } finally {
      registered['DisbursementRecorded'] = upcaster;
    }
    expect(report.ok).toBe(false);
    const payments = lines.filter((line) => line.type === 'DisbursementRecorded').length;
    const malformed = report.findings.filter((finding) => finding.code === 'EVENT.MALFORMED');
    expect(malformed.length).toBe(payments);
    expect(malformed.every((finding) => finding.message.includes('channel'))).toBe(true);
    expect((await verifyGolden(store)).ok).toBe(true);
  });

  it('a mixed v1/v2 log reads and replays like the all-v1 one', async () => {
    // Every other v1 payment stored in its v2 form, as a writer of this version stores it.
    let payment = 0;
    const mixedLines = lines.map((line) => {
      if (line.type !== 'DisbursementRecorded' || payment++ % 2 === 1) return line;
      return { ...line, data: { ...line.data, channel: 'unrecorded' } };
    });
    expect(mixedLines.filter((line) => 'channel' in line.data).length).toBe(Math.ceil(payment / 2));
    const asRead = (all: readonly GoldenLine[]): unknown[] =>
      all.map((line) => ledgerEventOf(line)?.data);
    expect(asRead(mixedLines)).toEqual(asRead(lines));
    const mixed = await importGoldenLedger(mixedLines);
    try {
      // The audit trail shows each event's stored data and hash, which differ by design; every other
      // row of every read model is the same.
      const withoutAudit = (dump: string): string =>
        dump
          .split('\n')
          .filter((row) => !row.startsWith('audit\t'))
          .join('\n');
      const replayed = await replayedReadModels(mixed);
      expect(withoutAudit(replayed)).toBe(withoutAudit(expectedReadModels));
      expect(replayed.split('\n').length).toBe(expectedReadModels.split('\n').length);
    } finally {
      await mixed.close();
    }
  });
});
