/**
 * Concurrent requests with one Idempotency-Key (docs/decisions.md, "Idempotency"): a burst of POSTs with
 * the same key and body must all get the first outcome, never a 5xx, and the ledger must record one set
 * of events; with two bodies under one key, only one body is ever executed and the other gets 409
 * IDEMPOTENCY.KEY_REUSED. test/e2e-postgres runs this file on PostgreSQL too, where the idempotency
 * records once came back empty mid-append (a stream row seen without its events) and answered 500.
 */
import { stableJson } from '@hz/api';
import type { RecordedEvent } from '@hz/event-store';
import type { Reply } from './support/client';
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

const BURST = 24;
const ROUNDS = 4;
/** Keys raced at once in each round, each by its own burst: more first appends for the readers to straddle. */
const LANES = 4;

type LogCheck = (log: readonly RecordedEvent[]) => void;

/**
 * Sends `BURST` requests, the i-th after i mod 16 ms, so that some arrive while the first one is still
 * reading and some while its reservation is being appended (a burst sent at one instant mostly lands
 * before either). Nothing about timing is asserted.
 */
function burst(send: (index: number) => Promise<Reply>): Promise<Reply[]> {
  return Promise.all(
    Array.from({ length: BURST }, async (_, index) => {
      await new Promise((resolve) => setTimeout(resolve, index % 16));
      return send(index);
    }),
  );
}

describe('concurrent requests with one Idempotency-Key', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  /** Runs `scenario` for LANES keys at the same time, then hands each lane's check the whole log, read once. */
  async function inLanes(scenario: (lane: number) => Promise<LogCheck>): Promise<void> {
    const checks = await Promise.all(Array.from({ length: LANES }, (_, lane) => scenario(lane)));
    const log = await test.allEvents();
    for (const check of checks) check(log);
  }

  /** Events the ledger recorded under this actor's key. */
  const eventsUnderKey = (log: readonly RecordedEvent[], actor: string, key: string) =>
    log.filter(
      (event) => event.metadata.actor === actor && event.metadata['idempotencyKey'] === key,
    );

  function expectNoServerError(replies: readonly Reply[]): void {
    expect(
      replies
        .filter((reply) => reply.status >= 500)
        .map((reply) => ({ status: reply.status, body: reply.body as unknown })),
    ).toEqual([]);
  }

  const outcomeOf = (reply: Reply) =>
    stableJson({ status: reply.status, body: reply.body as unknown });

  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    'round %i: same key, same body: every reply is the first outcome, one claim is recorded',
    (round) =>
      inLanes(async () => {
        const { uscc, client } = await registered(actors);
        const key = `race-same-${round}-${uscc}`;
        const body = claimBody(uscc, 'c3-trademark', 2024, '250000.00');
        const replies = await burst(() => client.post('/claims', body, { key }));

        expectNoServerError(replies);
        const first = replies[0] as Reply;
        expect(first.status).toBe(201);
        expect(new Set(replies.map(outcomeOf))).toEqual(new Set([outcomeOf(first)]));
        // A later retry still answers the same, from the record.
        const retry = await client.post('/claims', body, { key });
        expect(outcomeOf(retry)).toBe(outcomeOf(first));
        expect(retry.headers.get('idempotent-replayed')).toBe('true');

        return (log) => {
          expect(eventsUnderKey(log, `user-${uscc}`, key).map((event) => event.type)).toEqual([
            'ClaimSubmitted',
          ]);
          expect(
            log.filter(
              (event) => event.type === 'ClaimSubmitted' && event.data['applicant'] === uscc,
            ),
          ).toHaveLength(1);
        };
      }),
  );

  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    'round %i: same key, same approval: one decision, every reply identical',
    (round) =>
      inLanes(async () => {
        const { uscc, client } = await registered(actors);
        const submitted = await client.post(
          '/claims',
          claimBody(uscc, 'c3-trademark', 2024, '250000.00'),
        );
        expect(submitted.status).toBe(201);
        const claimId = submitted.body.claimId as string;
        const key = `race-approve-${round}-${uscc}`;
        const decision = { outcome: 'approve', amount: '200000.00', reasons: [`round ${round}`] };
        const replies = await burst(() =>
          actors.reviewer.post(`/claims/${claimId}/decisions`, decision, { key }),
        );

        expectNoServerError(replies);
        expect((replies[0] as Reply).status).toBe(200);
        expect(new Set(replies.map(outcomeOf))).toEqual(new Set([outcomeOf(replies[0] as Reply)]));
        return (log) =>
          expect(eventsUnderKey(log, 'rita-reviewer', key).map((event) => event.type)).toEqual([
            'ClaimApproved',
          ]);
      }),
  );

  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    'round %i: same key, two bodies: one body runs, the other gets 409 IDEMPOTENCY.KEY_REUSED',
    (round) =>
      inLanes(async () => {
        const { uscc, client } = await registered(actors);
        const key = `race-two-${round}-${uscc}`;
        const bodies = [
          claimBody(uscc, 'c3-trademark', 2024, '250000.00'),
          claimBody(uscc, 'c3-trademark', 2024, '180000.00'),
        ];
        const sent = Array.from({ length: BURST }, (_, index) => index % 2);
        const replies = await burst((index) =>
          client.post('/claims', bodies[sent[index] ?? 0], { key }),
        );

        expectNoServerError(replies);
        const byVariant = [0, 1].map((variant) =>
          replies.filter((_, index) => sent[index] === variant),
        );
        const winner = byVariant.findIndex((group) => group.some((reply) => reply.status === 201));
        expect(winner).toBeGreaterThanOrEqual(0);
        const won = byVariant[winner] as Reply[];
        const lost = byVariant[1 - winner] as Reply[];
        expect(new Set(won.map(outcomeOf)).size).toBe(1);
        expect(won[0]?.status).toBe(201);
        expect(lost.map((reply) => [reply.status, reply.body?.error?.code])).toEqual(
          lost.map(() => [409, 'IDEMPOTENCY.KEY_REUSED']),
        );

        return (log) => {
          const recorded = eventsUnderKey(log, `user-${uscc}`, key);
          expect(recorded.map((event) => event.type)).toEqual(['ClaimSubmitted']);
          expect(recorded[0]?.data['requestedAmount']).toBe(bodies[winner]?.requestedAmount);
        };
      }),
  );
});
