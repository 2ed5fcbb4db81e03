/**
 * Separation of duties over real HTTP (docs/decisions.md, "Separation of duties"): a token that acts for
 * an applicant, whatever staff roles it also carries, may not approve, countersign, disburse or recover
 * that applicant's claims, and neither may the identity that submitted them. Each attempt is a 403 with a
 * stable code, and the log does not change.
 */
import { Client } from './support/client';
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

describe('separation of duties between an applicant and its reviewers and paying officers', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  /** A client for `sub` with `roles`, acting for `applicant` when given. */
  async function tokenFor(
    sub: string,
    roles: Parameters<TestServer['token']>[1],
    applicant?: string,
  ): Promise<Client> {
    return new Client(test.api, await test.token(sub, roles, applicant));
  }

  async function expectRefused(
    attempt: Promise<{ status: number; body: { error?: { code?: string } } }>,
    code: string,
  ): Promise<void> {
    const before = await test.eventCount();
    const reply = await attempt;
    expect({ status: reply.status, code: reply.body.error?.code }).toEqual({ status: 403, code });
    expect(await test.eventCount()).toBe(before);
  }

  it('refuses a dual-role token (applicant + reviewer + finance) that submitted the claim: approve, countersign, disburse, recover', async () => {
    const { uscc } = await registered(actors);
    const submitter = `user-${uscc}`;
    const dual = await tokenFor(submitter, ['applicant', 'reviewer', 'finance'], uscc);
    // Two claims: c3-trademark 200,000.00 (paid directly) and c1-platform 900,000.00 (waits for a countersignature).
    const small = await dual.post('/claims', claimBody(uscc, 'c3-trademark', 2024, '250000.00'));
    const large = await dual.post('/claims', claimBody(uscc, 'c1-platform', 2024, '900000.00'));
    expect([small.status, large.status]).toEqual([201, 201]);
    const [smallId, largeId] = [small.body.claimId as string, large.body.claimId as string];

    await expectRefused(
      dual.post(`/claims/${smallId}/decisions`, {
        outcome: 'approve',
        amount: '200000.00',
        reasons: ['mine'],
      }),
      'SOD.CLAIM_SUBMITTER',
    );
    await expectRefused(
      dual.post(`/claims/${smallId}/decisions`, { outcome: 'reject', reasons: ['mine'] }),
      'SOD.CLAIM_SUBMITTER',
    );

    // Independent staff take both claims to where each act would otherwise be allowed.
    expect(
      (
        await actors.reviewer.post(`/claims/${smallId}/decisions`, {
          outcome: 'approve',
          amount: '200000.00',
          reasons: [],
        })
      ).body.status,
    ).toBe('approved');
    expect(
      (
        await actors.reviewer.post(`/claims/${largeId}/decisions`, {
          outcome: 'approve',
          amount: '900000.00',
          reasons: [],
        })
      ).body.status,
    ).toBe('pending_countersign');

    await expectRefused(
      dual.post(`/claims/${largeId}/countersignatures`, { outcome: 'confirm', reasons: [] }),
      'SOD.CLAIM_SUBMITTER',
    );
    await expectRefused(
      dual.post(`/claims/${smallId}/disbursements`, {
        funder: 'city',
        amount: '50000.00',
        paymentRef: `SELF-PAY-${uscc}`,
        paidAt: '2024-08-01',
      }),
      'SOD.CLAIM_SUBMITTER',
    );

    const paid = await actors.finance.post(`/claims/${smallId}/disbursements`, {
      funder: 'city',
      amount: '100000.00',
      paymentRef: `PAY-${uscc}`,
      paidAt: '2024-08-01',
    });
    expect(paid.status).toBe(201);
    expect(
      (
        await actors.reviewer2.post(`/claims/${smallId}/revocations`, {
          reasons: ['false evidence'],
        })
      ).status,
    ).toBe(200);
    await expectRefused(
      dual.post(`/claims/${smallId}/recoveries`, {
        funder: 'city',
        amount: '100000.00',
        recoveryRef: `SELF-REC-${uscc}`,
        recoveredAt: '2024-09-01',
      }),
      'SOD.CLAIM_SUBMITTER',
    );

    // The same acts by independent staff go through: the refusals were about who, not about the claims.
    expect(
      (
        await actors.reviewer2.post(`/claims/${largeId}/countersignatures`, {
          outcome: 'confirm',
          reasons: [],
        })
      ).body.status,
    ).toBe('approved');
    const recovered = await actors.finance.post(`/claims/${smallId}/recoveries`, {
      funder: 'city',
      amount: '100000.00',
      recoveryRef: `REC-${uscc}`,
      recoveredAt: '2024-09-01',
    });
    expect(recovered.status).toBe(201);
  });

  it('refuses another identity acting for the same applicant, and the submitter with a staff-only token', async () => {
    const { uscc, client } = await registered(actors);
    const submitted = await client.post(
      '/claims',
      claimBody(uscc, 'c3-trademark', 2024, '250000.00'),
    );
    expect(submitted.status).toBe(201);
    const claimId = submitted.body.claimId as string;

    const colleague = await tokenFor(
      `colleague-of-${uscc}`,
      ['applicant', 'reviewer', 'finance'],
      uscc,
    );
    await expectRefused(
      colleague.post(`/claims/${claimId}/decisions`, {
        outcome: 'approve',
        amount: '200000.00',
        reasons: [],
      }),
      'SOD.CLAIM_APPLICANT',
    );
    const submitterAsStaff = await tokenFor(`user-${uscc}`, ['reviewer', 'finance']);
    await expectRefused(
      submitterAsStaff.post(`/claims/${claimId}/decisions`, {
        outcome: 'approve',
        amount: '200000.00',
        reasons: [],
      }),
      'SOD.CLAIM_SUBMITTER',
    );

    expect(
      (
        await actors.reviewer.post(`/claims/${claimId}/decisions`, {
          outcome: 'approve',
          amount: '200000.00',
          reasons: [],
        })
      ).status,
    ).toBe(200);
    await expectRefused(
      colleague.post(`/claims/${claimId}/disbursements`, {
        funder: 'district',
        amount: '1.00',
        paymentRef: `COLL-${uscc}`,
        paidAt: '2024-08-01',
      }),
      'SOD.CLAIM_APPLICANT',
    );
    await expectRefused(
      submitterAsStaff.post(`/claims/${claimId}/disbursements`, {
        funder: 'district',
        amount: '1.00',
        paymentRef: `SUBM-${uscc}`,
        paidAt: '2024-08-01',
      }),
      'SOD.CLAIM_SUBMITTER',
    );
    expect(test.auditLines).toContainEqual(
      expect.objectContaining({
        actor: `user-${uscc}`,
        object: claimId,
        status: 403,
        code: 'SOD.CLAIM_SUBMITTER',
      }),
    );
  });
});
