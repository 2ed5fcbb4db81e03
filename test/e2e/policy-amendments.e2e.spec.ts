/**
 * Policy amendments over HTTP (docs/policy.md §11): a test amendment of hz-cbec-2023 in force from
 * 2025-07-01 raises the c1-platform award and annual cap to 1500000.00 and adds one program. A claim is
 * assessed under the version in force on its submission date, its decision applies that version, caps
 * and one-time awards count grants across the change, GET /policies lists the versions with their dates,
 * and verify recomputes every decision under the version it recorded.
 */
import type { Clock } from '@hz/event-store';
import { HZ_CBEC_2023, registerCatalog } from '@hz/policy';
import {
  ADDED_PROGRAM,
  AMENDED_SCHEDULE,
  AMENDMENT_EFFECTIVE_FROM,
  HZ_CBEC_2023_AMENDED,
  RAISED_AMOUNT,
} from '@hz/policy/testing';
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import type { Client } from './support/client';
import { startTestServer, type TestServer } from './support/server';

/** The ledger's clock, moved across the amendment's effective date by the test. */
class MovableClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return this.current;
  }
  moveTo(iso: string): void {
    const next = new Date(iso);
    if (next.getTime() < this.current.getTime())
      throw new Error('the ledger clock never goes back');
    this.current = next;
  }
}

describe('Invariant 2: ceiling under the recorded catalog version — policy amendments over HTTP', () => {
  // 10:00 in Hangzhou, twenty days before the amendment.
  const clock = new MovableClock(new Date('2025-06-10T02:00:00Z'));
  let test: TestServer;
  let actors: Actors;

  beforeAll(async () => {
    // The amendment is a catalog this process knows (so request validation and the auditor read it);
    // the schedule given to the server decides from when it is in force.
    registerCatalog(HZ_CBEC_2023_AMENDED);
    test = await startTestServer({ server: { clock, policies: AMENDED_SCHEDULE } });
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  async function submit(client: Client, uscc: string, programCode: string, evidence?: object) {
    return client.post(
      '/claims',
      claimBody(uscc, programCode, 2025, '99999999.00', evidence as Record<string, unknown>),
    );
  }

  /** Approves; an amount at or above the countersign threshold is countersigned by a second reviewer. */
  async function approve(claimId: string, amount: string): Promise<number> {
    const decided = await actors.reviewer.post(`/claims/${claimId}/decisions`, {
      outcome: 'approve',
      amount,
      reasons: [],
    });
    if (decided.status !== 200 || decided.body.status !== 'pending_countersign')
      return decided.status;
    const countersigned = await actors.reviewer2.post(`/claims/${claimId}/countersignatures`, {
      outcome: 'confirm',
      reasons: [],
    });
    return countersigned.status;
  }

  it('GET /policies lists both versions with their effective dates', async () => {
    const reply = await actors.auditor.get('/policies');
    expect(reply.status).toBe(200);
    expect(
      (reply.body.policies as Array<Record<string, unknown>>).map((policy) => [
        policy['id'],
        policy['hash'],
        policy['effectiveFrom'],
        policy['effectiveTo'],
      ]),
    ).toEqual([
      [HZ_CBEC_2023.id, HZ_CBEC_2023.hash, HZ_CBEC_2023.validFrom, '2025-06-30'],
      [HZ_CBEC_2023_AMENDED.id, HZ_CBEC_2023_AMENDED.hash, AMENDMENT_EFFECTIVE_FROM, null],
    ]);
    const amended = await actors.auditor.get(`/policies/${HZ_CBEC_2023_AMENDED.id}`);
    expect(amended.status).toBe(200);
    expect(amended.body.hash).toBe(HZ_CBEC_2023_AMENDED.hash);
  });

  it('assesses each claim under the version in force on its submission date; caps and one-time awards carry across', async () => {
    const early = await registered(actors);
    const late = await registered(actors);

    // Before the date: the original catalog.
    const platform = await submit(early.client, early.uscc, 'c1-platform');
    expect(platform.status).toBe(201);
    expect(platform.body.claim.policyId).toBe(HZ_CBEC_2023.id);
    expect(platform.body.assessment.ceiling).toBe('1000000.00');
    expect(await approve(platform.body.claimId, '1000000.00')).toBe(200);

    const site = await submit(early.client, early.uscc, 'c1-independent-site');
    expect(site.status).toBe(201);
    expect(await approve(site.body.claimId, '2000000.00')).toBe(200);

    // Submitted before the date, decided after it: its recorded version still applies.
    const pending = await submit(late.client, late.uscc, 'c1-platform');
    expect(pending.status).toBe(201);
    expect(pending.body.assessment.ceiling).toBe('1000000.00');

    // The added program is not in force yet: refused, nothing recorded.
    const eventsBefore = await test.eventCount();
    const tooEarly = await submit(early.client, early.uscc, ADDED_PROGRAM, {
      courseName: 'TikTok Shop 运营',
    });
    expect([tooEarly.status, tooEarly.body.error.code]).toEqual([400, 'EVIDENCE.PROGRAM_UNKNOWN']);
    expect(await test.eventCount()).toBe(eventsBefore);

    clock.moveTo('2025-07-01T01:00:00Z'); // 09:00 in Hangzhou on the effective date

    // After the date: the amendment. The raised annual cap counts the grant made before the change.
    const raised = await submit(early.client, early.uscc, 'c1-platform');
    expect(raised.status).toBe(201);
    expect(raised.body.claim.policyId).toBe(HZ_CBEC_2023_AMENDED.id);
    expect(raised.body.claim.catalogHash).toBe(HZ_CBEC_2023_AMENDED.hash);
    expect(raised.body.assessment.ceiling).toBe('500000.00');
    expect(await approve(raised.body.claimId, '500000.00')).toBe(200);

    // A one-time award already used under the original stays used under the amendment.
    const again = await submit(early.client, early.uscc, 'c1-independent-site');
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('POLICY.ALREADY_AWARDED');

    // The added program is claimable from the date.
    const added = await submit(early.client, early.uscc, ADDED_PROGRAM, {
      courseName: 'TikTok Shop 运营',
    });
    expect(added.status).toBe(201);
    expect(added.body.assessment.ceiling).toBe('100000.00');
    expect(await approve(added.body.claimId, '100000.00')).toBe(200);

    // The claim submitted before the date is decided under the original: 1500000.00 exceeds its ceiling.
    const over = await actors.reviewer.post(`/claims/${pending.body.claimId}/decisions`, {
      outcome: 'approve',
      amount: RAISED_AMOUNT,
      reasons: [],
    });
    expect(over.status).toBe(422);
    expect(await approve(pending.body.claimId, '1000000.00')).toBe(200);
  });

  it('verify recomputes every decision under the version it recorded', async () => {
    const reply = await actors.auditor.get('/audit/verify');
    expect(reply.status).toBe(200);
    expect(reply.body.findings).toEqual([]);
    expect(reply.body.ok).toBe(true);
    expect(reply.body.checks['decision-recompute']).toEqual({ ran: true, violations: 0 });
  });
});
