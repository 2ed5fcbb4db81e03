/**
 * What the reviewer saw, over HTTP (docs/policy.md §7, issue 18): a decision names the log position of the
 * claim view it was made from (body `viewPosition` or header X-View-Position); after a grant that moved
 * the claim's ceiling it is refused 409 DECISION.STALE_VIEW with the figures then and now and nothing is
 * recorded; decided again from a fresh view, it is recorded with that position in the claim's history.
 */
import {
  actorsOf,
  claimBody,
  promotionEvidence,
  registered,
  type Actors,
} from './support/fixtures';
import type { Client } from './support/client';
import { startTestServer, type TestServer } from './support/server';

describe('DECISION.STALE_VIEW over HTTP', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  async function submit(client: Client, uscc: string, date: string): Promise<string> {
    // c4-brand-promotion: 25% of fees, 500,000.00 per year; 1,200,000.00 of fees → 300,000.00.
    const body = claimBody(
      uscc,
      'c4-brand-promotion',
      2024,
      '99999999.00',
      promotionEvidence('1200000.00', date),
    );
    const reply = await client.post('/claims', body);
    expect(reply.status).toBe(201);
    return reply.body.claimId as string;
  }

  /** The reviewer reads the claim: the answer's X-View-Position is the view (the stream's last event). */
  async function view(claimId: string): Promise<string> {
    const reply = await actors.reviewer.get(`/claims/${claimId}`);
    expect(reply.status).toBe(200);
    const position = reply.headers.get('x-view-position');
    expect(position).toMatch(/^[0-9]+$/);
    return position as string;
  }

  const decide = (claimId: string, body: object, headers: Record<string, string> = {}) =>
    actors.reviewer.post(`/claims/${claimId}/decisions`, body, { headers });

  async function historyOf(claimId: string): Promise<{ type: string; data: object }[]> {
    const reply = await actors.reviewer.get(`/claims/${claimId}/history`);
    expect(reply.status).toBe(200);
    return reply.body.events;
  }

  it('refuses a decision from a view older than a grant that lowered the ceiling, then records the fresh one', async () => {
    const { uscc, client } = await registered(actors);
    const first = await submit(client, uscc, '2024-04-01');
    const second = await submit(client, uscc, '2024-07-01');
    const seen = await view(second);
    const submitted = await historyOf(second);
    expect(seen).toBe((submitted[0] as unknown as { position: string }).position);

    // Another reviewer approves the first claim after that view: the second's ceiling drops to 200,000.00.
    const granted = await decide(first, { outcome: 'approve', amount: '300000.00', reasons: [] });
    expect(granted.status).toBe(200);

    const stale = await decide(second, {
      outcome: 'approve',
      amount: '250000.00',
      reasons: [],
      viewPosition: seen,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('DECISION.STALE_VIEW');
    expect(stale.body.error.details).toMatchObject({
      viewPosition: seen,
      seen: { status: 'submitted', ceiling: '300000.00' },
      current: { status: 'submitted', ceiling: '200000.00' },
    });
    // The same view sent as a header is refused the same way (a rejection too: the ceiling moved).
    const byHeader = await decide(
      second,
      { outcome: 'reject', reasons: ['not enough'] },
      { 'X-View-Position': seen },
    );
    expect(byHeader.status).toBe(409);
    expect(byHeader.body.error.code).toBe('DECISION.STALE_VIEW');
    // Nothing was recorded by the refusals.
    expect((await historyOf(second)).map((event) => event.type)).toEqual(['ClaimSubmitted']);

    const fresh = await view(second);
    expect(fresh).toBe(String(granted.body.position));
    const decided = await decide(
      second,
      { outcome: 'approve', amount: '200000.00', reasons: [] },
      { 'X-View-Position': fresh },
    );
    expect(decided.status).toBe(200);
    const history = await historyOf(second);
    expect(history.map((event) => event.type)).toEqual(['ClaimSubmitted', 'ClaimApproved']);
    expect(history[1]?.data).toMatchObject({ amount: '200000.00', viewPosition: fresh });
  });

  it('decides without a view position as before, and refuses a malformed one with 400', async () => {
    const { uscc, client } = await registered(actors);
    const claimId = await submit(client, uscc, '2024-04-01');
    const badHeader = await decide(
      claimId,
      { outcome: 'approve', amount: '1.00', reasons: [] },
      { 'X-View-Position': '12abc' },
    );
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.error.code).toBe('COMMAND.INVALID');
    const badBody = await decide(claimId, {
      outcome: 'approve',
      amount: '1.00',
      reasons: [],
      viewPosition: '-1',
    });
    expect(badBody.status).toBe(400);
    const plain = await decide(claimId, { outcome: 'approve', amount: '1.00', reasons: [] });
    expect(plain.status).toBe(200);
    const [, approved] = await historyOf(claimId);
    expect(approved?.data).not.toHaveProperty('viewPosition');
  });
});
