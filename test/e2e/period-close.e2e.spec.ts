/**
 * Period close over HTTP (issue 18 part 4; docs/operations.md "Period close"): the admin closes 2024;
 * afterwards a payment dated inside 2024 is refused 422 PERIOD.CLOSED and nothing is recorded, one dated
 * later is recorded; closing again is 409 PERIOD.ALREADY_CLOSED; only an admin may close. A post-close
 * adjustment is recorded by the adjuster role only (403 for admin and finance), never by an identity that
 * submitted, decided or paid the claim whatever roles its token carries (403 SOD.ADJUSTER_INVOLVED), and is
 * listed apart (GET /periods/{period}/adjustments), not in the claim's figures.
 */
import {
  actorsOf,
  claimBody,
  promotionEvidence,
  registered,
  type Actors,
} from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

/** A registered applicant's c4-brand-promotion claim of 300,000.00, approved by rita-reviewer. */
async function approvedClaim(actors: Actors): Promise<{ uscc: string; claimId: string }> {
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
  return { uscc, claimId };
}

describe('period close over HTTP', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  it('POST /periods/{period}/close closes 2024 for both funders; a payment dated inside it is refused, a later one recorded', async () => {
    const { uscc, claimId } = await approvedClaim(actors);

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

  it('only the adjuster records an adjustment, never one who submitted, decided or paid the claim; it is listed apart', async () => {
    const { uscc, claimId } = await approvedClaim(actors);
    const paid = await actors.finance.post(`/claims/${claimId}/disbursements`, {
      funder: 'city',
      amount: '1000.00',
      paymentRef: `ADJ-PAY-${uscc}`,
      paidAt: '2025-01-03',
    });
    expect(paid.status).toBe(201);
    const body = {
      funder: 'city',
      kind: 'disbursement',
      subjectId: claimId,
      amount: '1250.35',
      reference: `ADJ-${uscc}`,
      datedOn: '2024-12-31',
      reasons: ['paid on 31 December, entered after the close'],
    };
    const adjuster = (sub: string, roles: Parameters<TestServer['token']>[1], applicant?: string) =>
      test.token(sub, roles, applicant).then((token) => actors.anonymous.as(token));
    const ada = await adjuster('ada-adjuster', ['adjuster']);

    // 2024 was closed by the test above; while 2025 is open there is nothing to adjust in it.
    const open = await ada.post('/periods/2025/adjustments', { ...body, datedOn: '2025-01-03' });
    expect(open.status).toBe(422);
    expect(open.body.error.code).toBe('PERIOD.NOT_CLOSED');

    const refusals: Array<[string, Promise<{ status: number; body: any }>, number, string]> = [
      ['admin', actors.admin.post('/periods/2024/adjustments', body), 403, 'AUTH'],
      ['finance', actors.finance.post('/periods/2024/adjustments', body), 403, 'AUTH'],
      [
        'the payer as adjuster',
        adjuster('fay-finance', ['finance', 'adjuster']).then((as) =>
          as.post('/periods/2024/adjustments', body),
        ),
        403,
        'SOD.ADJUSTER_INVOLVED',
      ],
      [
        'the approver as adjuster',
        adjuster('rita-reviewer', ['reviewer', 'adjuster']).then((as) =>
          as.post('/periods/2024/adjustments', body),
        ),
        403,
        'SOD.ADJUSTER_INVOLVED',
      ],
      [
        'the submitter as adjuster',
        adjuster(`user-${uscc}`, ['adjuster']).then((as) =>
          as.post('/periods/2024/adjustments', body),
        ),
        403,
        'SOD.ADJUSTER_INVOLVED',
      ],
      [
        'an unknown claim',
        ada.post('/periods/2024/adjustments', { ...body, subjectId: `${uscc}-9` }),
        404,
        'PERIOD.SUBJECT_NOT_FOUND',
      ],
      [
        'a date outside the period in the path',
        ada.post('/periods/2024/adjustments', { ...body, datedOn: '2025-01-02' }),
        400,
        'PERIOD.INVALID',
      ],
      [
        'an amount that is not money',
        ada.post('/periods/2024/adjustments', { ...body, amount: '12.345' }),
        400,
        'REQUEST.INVALID',
      ],
    ];
    for (const [who, reply, status, code] of refusals) {
      const answer = await reply;
      expect({ who, status: answer.status }).toEqual({ who, status });
      expect({ who, code: String(answer.body.error.code).startsWith(code) }).toEqual({
        who,
        code: true,
      });
    }
    const nothing = await actors.auditor.get('/periods/2024/adjustments');
    expect(nothing.status).toBe(200);
    expect(nothing.body).toMatchObject({ period: '2024', closed: ['city', 'district'] });
    expect(nothing.body.adjustments).toEqual([]);

    const key = `adjust-${uscc}`;
    const recorded = await ada.post('/periods/2024/adjustments', body, { key });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ ...body, period: '2024', replayed: false });
    const again = await ada.post('/periods/2024/adjustments', body, { key });
    expect(again.body).toMatchObject({ position: recorded.body.position, replayed: true });

    const listed = await actors.finance.get('/periods/2024/adjustments');
    expect(listed.body.adjustments).toEqual([
      expect.objectContaining({
        ...body,
        actor: 'ada-adjuster',
        position: recorded.body.position,
      }),
    ]);
    expect(listed.body.totals).toEqual([
      { funder: 'city', kind: 'disbursement', amount: '1250.35', count: 1 },
    ]);
    expect((await (await actors.applicant(uscc)).get('/periods/2024/adjustments')).status).toBe(
      403,
    );
    // The workbook's 期后调整 sheet as csv: the adjustment, apart from the 拨付 sheet.
    const csv = await actors.auditor.get('/audit/export?format=csv&sheet=adjustments');
    expect(csv.status).toBe(200);
    expect(String(csv.body)).toContain(`ADJ-${uscc}`);
    expect(String(csv.body)).toContain('1250.35');
    const paidCsv = await actors.auditor.get('/audit/export?format=csv&sheet=disbursements');
    expect(String(paidCsv.body)).not.toContain(`ADJ-${uscc}`);
    // GET /audit/verify runs the period-close check: the adjustment is no movement after the close.
    const verified = await actors.auditor.get('/audit/verify');
    expect(verified.body.checks['period-close']).toEqual({ ran: true, violations: 0 });
    // The claim's figures do not fold the adjustment in.
    const claim = await actors.finance.get(`/claims/${claimId}`);
    expect(claim.body.paid).toMatchObject({ city: '1000.00' });
  });
});
