/**
 * Period close over HTTP (issue 18 part 4; docs/operations.md "Period close"): the admin closes 2024;
 * afterwards a payment dated inside 2024 is refused 422 PERIOD.CLOSED and nothing is recorded, one dated
 * later is recorded; closing again is 409 PERIOD.ALREADY_CLOSED; only an admin may close.
 */
import {
  actorsOf,
  claimBody,
  promotionEvidence,
  registered,
  type Actors,
} from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

describe('POST /periods/{period}/close', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  it('closes 2024 for both funders; a payment dated inside it is refused, a later one recorded', async () => {
    const { uscc, client } = await registered(actors);
    const evidence = promotionEvidence('1200000.00', '2024-04-01');
    const submitted = await client.post(
      '/claims',
      claimBody(uscc, 'c4-brand-promotion', 2024, '300000.00', evidence),
    );
    expect(submitted.status).toBe(201);
    const claimId = submitted.body.claimId as string;
    const approved = await actors.reviewer.post(`/claims/${claimId}/decisions`, {
      outcome: 'approve',
      amount: '300000.00',
      reasons: [],
    });
    expect(approved.status).toBe(200);

    const notAdmin = await actors.reviewer.post('/periods/2024/close', { reasons: ['year end'] });
    expect(notAdmin.status).toBe(403);
    const badPeriod = await actors.admin.post('/periods/24/close', { reasons: ['year end'] });
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.error.code).toBe('PERIOD.INVALID');

    const closed = await actors.admin.post('/periods/2024/close', { reasons: ['year end'] });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ period: '2024', funders: ['city', 'district'] });
    const again = await actors.admin.post('/periods/2024/close', { reasons: ['year end'] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PERIOD.ALREADY_CLOSED');

    const pay = (paymentRef: string, paidAt: string) =>
      actors.finance.post(`/claims/${claimId}/disbursements`, {
        funder: 'city',
        amount: '1000.00',
        paymentRef,
        paidAt,
      });
    const backDated = await pay(`PC-${uscc}-1`, '2024-12-31');
    expect(backDated.status).toBe(422);
    expect(backDated.body.error).toMatchObject({
      code: 'PERIOD.CLOSED',
      details: { period: '2024', funder: 'city', datedOn: '2024-12-31' },
    });
    const later = await pay(`PC-${uscc}-2`, '2025-01-02');
    expect(later.status).toBe(201);
    const history = await actors.reviewer.get(`/claims/${claimId}/history`);
    const payments = history.body.events.filter(
      (event: { type: string }) => event.type === 'DisbursementRecorded',
    );
    expect(payments.map((event: { data: { paidAt: string } }) => event.data.paidAt)).toEqual([
      '2025-01-02',
    ]);
  });
});
