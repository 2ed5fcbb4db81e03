/**
 * Clause 十 (integrity flags) and invariant 1 under concurrency: 64 approvals racing for one annual cap
 * (issue 12: 64-way, with group commit on, as it is by default; e2e-postgres runs the same on PostgreSQL).
 */
import { Money } from '@hz/money';
import { Client } from './support/client';
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

/** Approvals racing for one cap (issue 12: 64-way; it ran 32-way before). */
const RACERS = 64;

describe('integrity flags and concurrent approvals', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  it('blocks submit and approve while an integrity flag is raised, until it is cleared', async () => {
    const { uscc, client } = await registered(actors);
    const pending = await client.post('/claims', claimBody(uscc, 'c3-trademark'));
    expect(pending.status).toBe(201);

    expect(
      (
        await actors.admin.post(`/applicants/${uscc}/integrity-flags`, {
          reason: '失信 list 2024-07',
        })
      ).status,
    ).toBe(200);
    const submit = await client.post('/claims', claimBody(uscc, 'c6-incubation'));
    expect(submit.status).toBe(422);
    expect(submit.body.error.code).toBe('APPLICANT.INTEGRITY_FLAGGED');
    const approve = await actors.reviewer.post(`/claims/${pending.body.claimId}/decisions`, {
      outcome: 'approve',
      amount: '200000.00',
      reasons: [],
    });
    expect(approve.status).toBe(422);
    expect(approve.body.error.code).toBe('APPLICANT.INTEGRITY_FLAGGED');
    expect((await actors.admin.get(`/applicants/${uscc}`)).body.integrityFlag).toEqual({
      reason: '失信 list 2024-07',
    });

    expect(
      (
        await actors.admin.post(`/applicants/${uscc}/integrity-flag-clearances`, {
          reason: 'removed from the list',
        })
      ).status,
    ).toBe(200);
    expect((await client.post('/claims', claimBody(uscc, 'c6-incubation'))).status).toBe(201);
    expect(
      (
        await actors.reviewer.post(`/claims/${pending.body.claimId}/decisions`, {
          outcome: 'approve',
          amount: '200000.00',
          reasons: [],
        })
      ).status,
    ).toBe(200);
  });

  describe('Invariant 1: caps', () => {
    it('never grants more than the annual cap when 64 approvals race', async () => {
      const { uscc, client } = await registered(actors, 'yuhang');
      // c4-brand-promotion: 500,000.00 a year; each claim's rule gives 100,000.00, so 64 claims ask for 6,400,000.00.
      const claimIds: string[] = [];
      for (let index = 0; index < RACERS; index += 1) {
        const evidence = {
          items: [{ date: '2024-02-01', amount: '400000.00', channel: 'search-engine' }],
        };
        const reply = await client.post(
          '/claims',
          claimBody(uscc, 'c4-brand-promotion', 2024, '100000.00', evidence),
        );
        expect(reply.status).toBe(201);
        claimIds.push(reply.body.claimId);
      }
      const replies = await Promise.all(
        claimIds.map((claimId) =>
          actors.reviewer.post(`/claims/${claimId}/decisions`, {
            outcome: 'approve',
            amount: '100000.00',
            reasons: ['race'],
          }),
        ),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.every((status) => [200, 409, 422].includes(status))).toBe(true);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(5);

      const claims = await Promise.all(
        claimIds.map((claimId) => actors.auditor.get(`/claims/${claimId}`)),
      );
      const granted = Money.sum(
        claims
          .filter((claim) => claim.body.status === 'approved')
          .map((claim) => Money.parse(claim.body.approval.amount)),
      );
      expect(granted.lessThanOrEqual(Money.parse('500000.00'))).toBe(true);
      expect(statuses.filter((status) => status === 200)).toHaveLength(
        claims.filter((claim) => claim.body.status === 'approved').length,
      );
    });
  });

  describe('Invariant 1: caps', () => {
    it('never grants more than the annual cap when 64 approvals race across two replicas of the API', async () => {
      // Within one process, commands on one stream take turns; across replicas only the store's expected
      // revision keeps them apart (WrongExpectedVersion, bounded retries, then 409 CONCURRENCY.CONFLICT).
      const replica = await startTestServer({ replicaOf: test });
      try {
        const replicaReviewer = new Client(
          replica.api,
          await replica.token('rita-reviewer', ['reviewer']),
        );
        const { uscc, client } = await registered(actors, 'binjiang');
        const claimIds: string[] = [];
        for (let index = 0; index < RACERS; index += 1) {
          const evidence = {
            items: [{ date: '2024-02-01', amount: '400000.00', channel: 'search-engine' }],
          };
          const reply = await client.post(
            '/claims',
            claimBody(uscc, 'c4-brand-promotion', 2024, '100000.00', evidence),
          );
          expect(reply.status).toBe(201);
          claimIds.push(reply.body.claimId);
        }
        const decision = {
          outcome: 'approve',
          amount: '100000.00',
          reasons: ['race across replicas'],
        };
        const replies = await Promise.all(
          claimIds.map((claimId, index) =>
            (index % 2 === 0 ? actors.reviewer : replicaReviewer).post(
              `/claims/${claimId}/decisions`,
              decision,
            ),
          ),
        );
        const statuses = replies.map((reply) => reply.status);
        expect(statuses.every((status) => [200, 409, 422].includes(status))).toBe(true);
        expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
        expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(5);

        // Each claim as the replica reads it from the log.
        const replicaAuditor = new Client(
          replica.api,
          await replica.token('aud-auditor', ['auditor']),
        );
        const claims = await Promise.all(
          claimIds.map((claimId) => replicaAuditor.get(`/claims/${claimId}`)),
        );
        const approved = claims.filter((claim) => claim.body.status === 'approved');
        const granted = Money.sum(approved.map((claim) => Money.parse(claim.body.approval.amount)));
        expect(granted.lessThanOrEqual(Money.parse('500000.00'))).toBe(true);
        expect(statuses.filter((status) => status === 200)).toHaveLength(approved.length);
        // And the caps read model the first server projects agrees, once it has caught up with the log.
        await test.settled();
        const position = String(await test.server.store.headPosition());
        const caps = await actors.auditor.get(
          `/projections/caps?applicant=${uscc}&supportYear=2024`,
          { 'x-min-position': position },
        );
        expect(caps.status).toBe(200);
        const cap = (
          caps.body.caps as Array<{ capId: string; granted: string; remaining: string }>
        ).find((row) => row.capId === 'annual:c4-brand-promotion:2024');
        expect(cap?.granted).toBe(granted.toString());
        expect(cap?.remaining).toBe(Money.parse('500000.00').minus(granted).toString());
      } finally {
        await replica.stop();
      }
    });
  });
});
