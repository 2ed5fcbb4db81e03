/**
 * Issue 12: a command's events and its idempotency record commit in one transaction (SQLite and
 * PostgreSQL), so a crash leaves both or neither. A ledger whose events can still exist without their
 * record (EventStoreDB, or a record lost before issue 12) must not record the decision twice on the
 * client's retry: the ledger recognises its own events (ids derive from actor and key) and the HTTP
 * layer records the answer the first try lost. The SIGKILL tests of the store are in
 * libs/event-store/src/sqlite/crash.int.spec.ts.
 */
import { idempotencyRecordKey, LEDGER_SERVICE } from '@hz/api';
import type { LedgerService } from '@hz/application';
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

describe('one commit per command, and a retry after events without their record', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  it("records the answer in the ledger's own store with the command, and replays it", async () => {
    const { uscc, client } = await registered(actors);
    const key = 'one-commit-1';
    const response = await client.post('/claims', claimBody(uscc, 'c3-patent'), { key });
    expect(response.status).toBe(201);
    const records = test.server.store.records;
    if (records === undefined) throw new Error('the ledger store keeps no records');
    const recorded = await records.read(idempotencyRecordKey(`user-${uscc}`, key));
    expect(recorded).toMatchObject({ status: 201, body: response.body });
    // The position answered is the command's last event: the record committed in that same transaction.
    expect((await test.allEvents()).at(-1)?.position.toString()).toBe(response.body.position);
    const again = await client.post('/claims', claimBody(uscc, 'c3-patent'), { key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(response.body);
  });

  it('given a command recorded in the ledger without its idempotency record, when the client retries, then nothing is recorded twice', async () => {
    const { uscc, client } = await registered(actors);
    const claimId: string = (await client.post('/claims', claimBody(uscc, 'c3-patent'))).body
      .claimId;
    const key = 'decision-crash-1';
    const body = { outcome: 'approve' as const, amount: '150000.00', reasons: ['complete file'] };

    // What the first request got done before the process died: the ledger append, no record.
    const ledger = test.server.app.get<LedgerService>(LEDGER_SERVICE);
    await ledger.execute({
      type: 'DecideClaim',
      data: { claimId, ...body },
      metadata: {
        actor: 'rita-reviewer',
        role: 'reviewer',
        idempotencyKey: key,
        correlationId: 'crash',
        causationId: 'crash',
      },
    });
    const before = await test.allEvents();

    const retry = await actors.reviewer.post(`/claims/${claimId}/decisions`, body, { key });
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('approved');
    const after = await test.allEvents();
    // Nothing new in the ledger: the approval is there once; the lost response is now recorded.
    expect(after).toHaveLength(before.length);
    expect(
      after.filter((event) => event.type === 'ClaimApproved' && event.data['claimId'] === claimId),
    ).toHaveLength(1);
    expect(
      await test.server.store.records?.read(idempotencyRecordKey('rita-reviewer', key)),
    ).toMatchObject({ status: 200, body: retry.body });

    const again = await actors.reviewer.post(`/claims/${claimId}/decisions`, body, { key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(retry.body);
  });
});
