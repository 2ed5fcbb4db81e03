/**
 * Maker–checker, separation of duties, payments against shares (invariant 4), unique payment
 * references, idempotent retries, and a relocation that only changes later splits (invariant 3).
 */
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

describe('countersignatures, payments and relocations', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  async function approvedClaim(program = 'c3-trademark', amount = '200000.00', district = 'xihu') {
    const { uscc, client } = await registered(actors, district);
    const submitted = await client.post('/claims', claimBody(uscc, program));
    const decided = await actors.reviewer.post(`/claims/${submitted.body.claimId}/decisions`, {
      outcome: 'approve',
      amount,
      reasons: [],
    });
    expect(decided.status).toBe(200);
    return { uscc, client, claimId: submitted.body.claimId as string, decided };
  }

  it('holds a large approval for a second reviewer and refuses a self-countersign', async () => {
    const { claimId, decided } = await approvedClaim('c1-platform', '1000000.00');
    expect(decided.body.status).toBe('pending_countersign');
    const self = await actors.reviewer.post(`/claims/${claimId}/countersignatures`, {
      outcome: 'confirm',
      reasons: [],
    });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('SOD.SELF_COUNTERSIGN');
    expect(test.auditLines).toContainEqual(
      expect.objectContaining({
        actor: 'rita-reviewer',
        object: claimId,
        status: 403,
        code: 'SOD.SELF_COUNTERSIGN',
      }),
    );
    const confirmed = await actors.reviewer2.post(`/claims/${claimId}/countersignatures`, {
      outcome: 'confirm',
      reasons: ['checked'],
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('approved');
  });

  it('lets the countersigner overturn an approval', async () => {
    const { claimId } = await approvedClaim('c1-customs-export', '2000000.00');
    const overturned = await actors.reviewer2.post(`/claims/${claimId}/countersignatures`, {
      outcome: 'reject',
      reasons: ['export value not evidenced'],
    });
    expect(overturned.status).toBe(200);
    expect(overturned.body.status).toBe('rejected');
  });

  describe('Invariant 4: payments', () => {
    it('refuses a disbursement above the funder share, and one by a person who approved', async () => {
      // xihu is group A: 200,000.00 splits into 100,000.00 city and 100,000.00 district.
      const { claimId } = await approvedClaim();
      const above = await actors.finance.post(`/claims/${claimId}/disbursements`, {
        funder: 'city',
        amount: '100000.01',
        paymentRef: 'PAY-ABOVE-1',
        paidAt: '2024-08-01',
      });
      expect(above.status).toBe(422);
      expect(above.body.error.code).toBe('DISBURSEMENT.EXCEEDS_SHARE');
      const approverWithFinance = actors.anonymous.as(
        await test.token('rita-reviewer', ['reviewer', 'finance']),
      );
      const sod = await approverWithFinance.post(`/claims/${claimId}/disbursements`, {
        funder: 'city',
        amount: '1.00',
        paymentRef: 'PAY-SOD-1',
        paidAt: '2024-08-01',
      });
      expect(sod.status).toBe(403);
      expect(sod.body.error.code).toBe('SOD.DISBURSER_DECIDED');
      const exact = await actors.finance.post(`/claims/${claimId}/disbursements`, {
        funder: 'city',
        amount: '100000.00',
        paymentRef: 'PAY-EXACT-1',
        paidAt: '2024-08-01',
      });
      expect(exact.status).toBe(201);
      expect(exact.body.claim.paid).toEqual({ city: '100000.00', district: '0.00' });
    });
  });

  describe('Invariant 4: payments', () => {
    it('replays the same payment reference with the same content, and refuses it with other content', async () => {
      const { claimId } = await approvedClaim();
      const payment = {
        funder: 'district',
        amount: '40000.00',
        paymentRef: 'PAY-REPLAY-1',
        paidAt: '2024-09-01',
      };
      const first = await actors.finance.post(`/claims/${claimId}/disbursements`, payment);
      expect(first.status).toBe(201);
      // A new Idempotency-Key but the same payment: the ledger recognises the reference and its content.
      const again = await actors.finance.post(`/claims/${claimId}/disbursements`, payment);
      expect([200, 201]).toContain(again.status);
      expect(again.body.claim.paid).toEqual({ city: '0.00', district: '40000.00' });
      const reused = await actors.finance.post(`/claims/${claimId}/disbursements`, {
        ...payment,
        amount: '40000.01',
      });
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('REFERENCE.REUSED');
      const claim = await actors.auditor.get(`/claims/${claimId}`);
      expect(claim.body.paid).toEqual({ city: '0.00', district: '40000.00' });
      expect(claim.body.payments).toHaveLength(1);
      // One payment in the ledger however often it was sent.
      const recorded = (await test.allEvents()).filter(
        (event) =>
          event.type === 'DisbursementRecorded' && event.data['paymentRef'] === 'PAY-REPLAY-1',
      );
      expect(recorded).toHaveLength(1);
    });
  });

  it('replays the first response for the same Idempotency-Key and body, and refuses another body (409)', async () => {
    const { claimId } = await approvedClaim();
    const payment = {
      funder: 'city',
      amount: '1000.00',
      paymentRef: 'PAY-KEY-1',
      paidAt: '2024-09-01',
    };
    const first = await actors.finance.post(`/claims/${claimId}/disbursements`, payment, {
      key: 'pay-key-1',
    });
    const eventsAfterFirst = await test.eventCount();
    const replay = await actors.finance.post(`/claims/${claimId}/disbursements`, payment, {
      key: 'pay-key-1',
    });
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await test.eventCount()).toBe(eventsAfterFirst);
    const other = await actors.finance.post(
      `/claims/${claimId}/disbursements`,
      { ...payment, amount: '2000.00' },
      { key: 'pay-key-1' },
    );
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
    // Keys are per actor: another finance officer may use the same key for its own request.
    const colleague = actors.anonymous.as(await test.token('fred-finance', ['finance']));
    expect(
      (
        await colleague.post(
          `/claims/${claimId}/disbursements`,
          { ...payment, paymentRef: 'PAY-KEY-2' },
          { key: 'pay-key-1' },
        )
      ).status,
    ).toBe(201);
  });

  describe('Invariant 4: payments', () => {
    it('records recoveries after a revocation, never above the receivable', async () => {
      const { claimId } = await approvedClaim();
      await actors.finance.post(`/claims/${claimId}/disbursements`, {
        funder: 'city',
        amount: '60000.00',
        paymentRef: 'PAY-REC-1',
        paidAt: '2024-09-01',
      });
      const revoked = await actors.reviewer2.post(`/claims/${claimId}/revocations`, {
        reasons: ['fraudulent invoices'],
      });
      expect(revoked.status).toBe(200);
      const above = await actors.finance.post(`/claims/${claimId}/recoveries`, {
        funder: 'city',
        amount: '60000.01',
        recoveryRef: 'REC-1',
        recoveredAt: '2024-10-01',
      });
      expect(above.status).toBe(422);
      expect(above.body.error.code).toBe('RECOVERY.EXCEEDS_RECEIVABLE');
      const recovered = await actors.finance.post(`/claims/${claimId}/recoveries`, {
        funder: 'city',
        amount: '60000.00',
        recoveryRef: 'REC-1',
        recoveredAt: '2024-10-01',
      });
      expect(recovered.status).toBe(201);
      expect(recovered.body.claim.recovered).toEqual({ city: '60000.00', district: '0.00' });
    });
  });

  describe('Invariant 3: split', () => {
    it('splits by the district at each decision: a relocation between two approvals changes only the later one', async () => {
      const {
        uscc,
        client,
        claimId: earlier,
      } = await approvedClaim('c3-trademark', '200000.00', 'xihu');
      const moved = await actors.admin.post(`/applicants/${uscc}/relocations`, {
        district: 'xiaoshan',
        effectiveDate: '2024-06-01',
      });
      expect(moved.status).toBe(200);
      const later = await client.post('/claims', claimBody(uscc, 'c3-certification'));
      expect(
        (
          await actors.reviewer.post(`/claims/${later.body.claimId}/decisions`, {
            outcome: 'approve',
            amount: '70000.00',
            reasons: [],
          })
        ).status,
      ).toBe(200);

      const before = (await actors.auditor.get(`/claims/${earlier}`)).body.approval.split;
      expect(before).toEqual(
        expect.objectContaining({
          district: 'xihu',
          cityShare: '100000.00',
          districtShare: '100000.00',
        }),
      );
      const after = (await actors.auditor.get(`/claims/${later.body.claimId}`)).body.approval.split;
      expect(after).toEqual(
        expect.objectContaining({
          district: 'xiaoshan',
          cityShare: '17500.00',
          districtShare: '52500.00',
        }),
      );
      const history = await client.get(`/claims/${earlier}/history`);
      expect(history.status).toBe(200);
    });
  });

  it('lets an applicant withdraw its own undecided claim without a body', async () => {
    const { uscc, client } = await registered(actors);
    const submitted = await client.post('/claims', claimBody(uscc, 'c6-incubation'));
    const withdrawn = await client.post(`/claims/${submitted.body.claimId}/withdrawal`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
  });

  it('decides and pays an allocation plan (clause 九)', async () => {
    const plan = {
      planId: `park-${Date.now()}`,
      pool: '1000000.00',
      scores: [
        { district: 'xihu', score: '2' },
        { district: 'xiaoshan', score: '1' },
      ],
      decidedAt: '2024-05-01',
    };
    const decided = await actors.finance.post('/allocation-plans', plan);
    expect(decided.status).toBe(201);
    const paid = await actors.finance.post(`/allocation-plans/${plan.planId}/disbursements`, {
      district: 'xiaoshan',
      amount: '333333.33',
      paymentRef: `ALLOC-${plan.planId}`,
      paidAt: '2024-06-01',
    });
    expect(paid.status).toBe(201);
  });
});
