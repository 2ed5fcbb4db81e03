/** Caps (invariant 1): annual room across claims and years, one-time awards, room given back by revocation. */
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import type { Client } from './support/client';
import { startTestServer, type TestServer } from './support/server';

const promotion = (amount: string, date: string) => ({
  items: [{ date, amount, channel: 'live-streaming' }],
});

describe('Invariant 1: caps — over HTTP', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  async function submit(
    client: Client,
    body: object,
  ): Promise<{ claimId: string; ceiling: string }> {
    const reply = await client.post('/claims', body);
    expect(reply.status).toBe(201);
    return { claimId: reply.body.claimId, ceiling: reply.body.assessment.ceiling };
  }

  const approve = (claimId: string, amount: string) =>
    actors.reviewer.post(`/claims/${claimId}/decisions`, {
      outcome: 'approve',
      amount,
      reasons: [],
    });

  it('reaches the annual cap across two claims of one year, and the next year is fresh', async () => {
    const { uscc, client } = await registered(actors);
    // c4-brand-promotion: 25% of fees, 500,000.00 per year. 1,200,000.00 of fees → 300,000.00 per claim.
    const first = await submit(
      client,
      claimBody(
        uscc,
        'c4-brand-promotion',
        2024,
        '99999999.00',
        promotion('1200000.00', '2024-04-01'),
      ),
    );
    expect(first.ceiling).toBe('300000.00');
    expect((await approve(first.claimId, '300000.00')).status).toBe(200);

    const second = await submit(
      client,
      claimBody(
        uscc,
        'c4-brand-promotion',
        2024,
        '99999999.00',
        promotion('1200000.00', '2024-07-01'),
      ),
    );
    expect(second.ceiling).toBe('200000.00');
    const over = await approve(second.claimId, '200000.01');
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('CLAIM.EXCEEDS_CEILING');
    expect((await approve(second.claimId, '200000.00')).status).toBe(200);

    const nextYear = await submit(
      client,
      claimBody(
        uscc,
        'c4-brand-promotion',
        2025,
        '99999999.00',
        promotion('1200000.00', '2025-03-01'),
      ),
    );
    expect(nextYear.ceiling).toBe('300000.00');
    expect((await approve(nextYear.claimId, '300000.00')).status).toBe(200);
  });

  it('grants a one-time award once and refuses the second, until a revocation gives the room back', async () => {
    const { uscc, client } = await registered(actors);
    const first = await submit(client, claimBody(uscc, 'c8-overseas-network-site'));
    expect((await approve(first.claimId, '200000.00')).status).toBe(200);

    const again = await client.post('/claims', claimBody(uscc, 'c8-overseas-network-site'));
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('POLICY.ALREADY_AWARDED');

    const revoked = await actors.reviewer.post(`/claims/${first.claimId}/revocations`, {
      reasons: ['site was never operated'],
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');

    const afterRevocation = await submit(client, claimBody(uscc, 'c8-overseas-network-site'));
    expect(afterRevocation.ceiling).toBe('200000.00');
    expect((await approve(afterRevocation.claimId, '200000.00')).status).toBe(200);
  });

  it('gives annual room back on revocation', async () => {
    const { uscc, client } = await registered(actors);
    const full = await submit(
      client,
      claimBody(uscc, 'c4-platform-promotion', 2024, '500000.00', {
        items: [{ date: '2024-05-05', amount: '2000000.00', platform: 'Shopee' }],
      }),
    );
    expect((await approve(full.claimId, '499999.99')).status).toBe(200);
    const blocked = await submit(
      client,
      claimBody(uscc, 'c4-platform-promotion', 2024, '99999999.00', {
        items: [{ date: '2024-06-05', amount: '400000.00', platform: 'Shopee' }],
      }),
    );
    expect(blocked.ceiling).toBe('0.01');
    expect(
      (
        await actors.reviewer.post(`/claims/${full.claimId}/revocations`, {
          reasons: ['duplicate invoices'],
        })
      ).status,
    ).toBe(200);
    expect((await approve(blocked.claimId, '100000.00')).status).toBe(200);
  });
});
