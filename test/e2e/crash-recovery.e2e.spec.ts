/**
 * A crash between executing a command and recording its response leaves the idempotency reservation
 * without a response. The client's retry must not record the decision twice: the ledger recognises its
 * own events (ids derive from actor and key) and the HTTP layer records the response the first try lost.
 */
import {
  idempotencyStreamId,
  LEDGER_SERVICE,
  RESERVED_TYPE,
  RESPONSE_TYPE,
  requestFingerprint,
  uuidFromName,
} from '@hz/api';
import type { LedgerService } from '@hz/application';
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

describe('crash between the ledger append and the response record', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
  });
  afterAll(() => test.stop());

  it('given a reserved key whose command was recorded, when the client retries, then nothing is recorded twice', async () => {
    const { uscc, client } = await registered(actors);
    const claimId: string = (await client.post('/claims', claimBody(uscc, 'c3-patent'))).body
      .claimId;
    const key = 'decision-crash-1';
    const body = { outcome: 'approve' as const, amount: '150000.00', reasons: ['complete file'] };

    // What the first request got done before the process died: the reservation and the ledger append.
    const streamId = idempotencyStreamId('rita-reviewer', key);
    const metadata = {
      actor: 'rita-reviewer',
      role: 'reviewer',
      correlationId: 'crash',
      causationId: 'crash',
      idempotencyKey: key,
      occurredAt: '2024-09-01T00:00:00Z',
    };
    const fingerprint = requestFingerprint('POST', `/api/v1/claims/${claimId}/decisions`, body);
    await test.server.idempotencyStore.appendToStream(
      streamId,
      [
        {
          id: uuidFromName(`${streamId}/${RESERVED_TYPE}`),
          type: RESERVED_TYPE,
          data: { fingerprint },
          metadata,
        },
      ],
      {
        expectedRevision: 'no_stream',
      },
    );
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
      (await test.server.idempotencyStore.readStream(streamId)).map((event) => event.type),
    ).toEqual([RESERVED_TYPE, RESPONSE_TYPE]);

    const again = await actors.reviewer.post(`/claims/${claimId}/decisions`, body, { key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(retry.body);
  });
});
