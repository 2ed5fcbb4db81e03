/**
 * What a newcomer sees after `ledger demo` (docs/decisions.md, "Demo ledger"): the review queue has
 * claims waiting for a decision and approvals waiting for a countersignature, and the free text people
 * typed (names, reasons, evidence notes) is Chinese, as a zh-CN deployment's reviewers would write it.
 */
import { LedgerService } from '@hz/application';
import { openSqliteEventStore, type EventStore, type RecordedEvent } from '@hz/event-store';
import { Money } from '@hz/money';
import { HZ_CBEC_2023 } from '@hz/policy';
import { demoClockFor, runDemo } from './demo-runner';
import { demoCompanyName } from './demo-applicant-phases';

jest.setTimeout(120_000);

async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let from = 0n, pages = 0; pages < 10_000; pages += 1) {
    const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
    if (page.length === 0) break;
    events.push(...page);
    from = page.at(-1)?.position ?? from;
  }
  return events;
}

/** Strings a person typed: names, reasons and the text fields of the evidence (not codes or references). */
const FREE_TEXT_FIELDS = new Set([
  'name',
  'reason',
  'reasons',
  'platformName',
  'platform',
  'exhibitionName',
  'incubationProject',
  'partnerUniversity',
  'eventName',
  'siteLocation',
]);

function freeText(value: unknown, key: string | null, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) freeText(item, key, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [name, inner] of Object.entries(value)) freeText(inner, name, out);
  } else if (typeof value === 'string' && key !== null && FREE_TEXT_FIELDS.has(key)) {
    out.push(value);
  }
}

describe('the demo leaves open work and writes Chinese free text', () => {
  let events: RecordedEvent[];
  let statuses: Map<string, string>;

  beforeAll(async () => {
    const clock = demoClockFor({ yearFrom: 2023 });
    const store = await openSqliteEventStore({ file: ':memory:', clock });
    const service = new LedgerService({
      store,
      catalog: HZ_CBEC_2023,
      countersignThreshold: Money.parse('500000.00'),
      clock,
    });
    await runDemo(service, clock, HZ_CBEC_2023, {
      applicants: 40,
      yearFrom: 2023,
      yearTo: 2024,
      seed: 7,
      concurrency: 8,
    });
    events = await allEvents(store);
    await store.close();
    // Each claim's last status, folded from its own events.
    statuses = new Map();
    const next: Record<string, string> = {
      ClaimSubmitted: 'submitted',
      ClaimApproved: 'approved',
      ClaimRejected: 'rejected',
      ClaimWithdrawn: 'withdrawn',
      ClaimRevoked: 'revoked',
      ApprovalCountersigned: 'approved',
      ApprovalCountersignRejected: 'rejected',
    };
    for (const event of events) {
      const claimId = (event.data as { claimId?: unknown }).claimId;
      if (typeof claimId !== 'string') continue;
      if (
        event.type === 'ClaimApproved' &&
        (event.data as { countersignRequired?: unknown }).countersignRequired === true
      )
        statuses.set(claimId, 'pending_countersign');
      else if (next[event.type]) statuses.set(claimId, next[event.type] as string);
    }
  });

  it('leaves claims waiting for a decision and approvals waiting for a second reviewer', () => {
    const open = [...statuses.values()];
    expect(open.filter((status) => status === 'submitted').length).toBeGreaterThanOrEqual(2);
    expect(open.filter((status) => status === 'pending_countersign').length).toBeGreaterThanOrEqual(
      1,
    );
  });

  it('writes names, reasons and evidence notes in Chinese', () => {
    const texts: string[] = [];
    for (const event of events) freeText(event.data, null, texts);
    expect(texts.length).toBeGreaterThan(100);
    const latinOnly = texts.filter(
      (text) => /[A-Za-z]/.test(text) && !/[\u4e00-\u9fff]/.test(text),
    );
    expect(latinOnly).toEqual([]);
    const reasons = events
      .flatMap((event) => (event.data as { reasons?: unknown }).reasons ?? [])
      .filter((reason): reason is string => typeof reason === 'string');
    expect(reasons.length).toBeGreaterThan(10);
    expect(reasons.every((reason) => /[\u4e00-\u9fff]/.test(reason))).toBe(true);
  });

  it('gives applicants distinct company names', () => {
    const names = Array.from({ length: 144 }, (_, index) => demoCompanyName(index));
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.startsWith('杭州') && name.endsWith('有限公司'))).toBe(true);
  });
});
