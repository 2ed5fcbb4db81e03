/** Every claimable program of docs/policy.md §3 can be submitted and approved at exactly its ceiling. */
import { Money } from '@hz/money';
import { actorsOf, claimBody, PROGRAM_CASES, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

describe('every claimable program', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  it.each(PROGRAM_CASES.map((entry) => [entry.code, entry.ceiling]))(
    '%s is approved at its ceiling %s',
    async (code, ceiling) => {
      const { uscc, client } = await registered(actors, 'binjiang');
      const submitted = await client.post('/claims', claimBody(uscc, code));
      expect(submitted.status).toBe(201);
      expect(submitted.body).toEqual(
        expect.objectContaining({
          claimId: `${uscc}-1`,
          status: 'submitted',
          assessment: expect.objectContaining({ eligible: true, ceiling }),
          position: expect.stringMatching(/^[1-9][0-9]*$/),
        }),
      );
      expect(submitted.body.assessment.trace.length).toBeGreaterThan(0);

      const decided = await actors.reviewer.post(`/claims/${submitted.body.claimId}/decisions`, {
        outcome: 'approve',
        amount: ceiling,
        reasons: ['meets the policy'],
      });
      expect(decided.status).toBe(200);
      // 500,000.00 or more waits for a second reviewer (maker–checker).
      const needsCountersign = Money.parse(ceiling).greaterThanOrEqual(Money.parse('500000.00'));
      expect(decided.body.status).toBe(needsCountersign ? 'pending_countersign' : 'approved');
      if (needsCountersign) {
        const confirmed = await actors.reviewer2.post(
          `/claims/${submitted.body.claimId}/countersignatures`,
          { outcome: 'confirm', reasons: [] },
        );
        expect(confirmed.status).toBe(200);
        expect(confirmed.body.status).toBe('approved');
      }

      const claim = await actors.auditor.get(`/claims/${submitted.body.claimId}`);
      expect(claim.status).toBe(200);
      expect(claim.body.approval.amount).toBe(ceiling);
      const { cityShare, districtShare, funding } = claim.body.approval.split;
      // binjiang is group A (50/50); clause (六) programs are paid by the city alone.
      const half = Money.parse(ceiling).timesRoundHalfUp('0.5').toString();
      expect([cityShare, districtShare]).toEqual(
        funding === 'city'
          ? [ceiling, '0.00']
          : [half, Money.parse(ceiling).minus(Money.parse(half)).toString()],
      );
    },
  );

  it('refuses a claim on a program that takes no claims (c7, c9) with 422', async () => {
    const { uscc, client } = await registered(actors);
    const reply = await client.post('/claims', claimBody(uscc, 'c7-financing', 2024, '1.00', {}));
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toMatch(/^(CLAIM|POLICY)\.PROGRAM_NOT_CLAIMABLE$/);
  });
});
