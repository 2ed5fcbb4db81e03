import { HttpException } from '@nestjs/common';
import { openSqliteEventStore, type EventStore } from '@hz/event-store';
import { DomainError } from '@hz/ledger';
import { stableJson } from './fingerprint';
import {
  idempotencyStreamId,
  IdempotencyService,
  RESERVED_TYPE,
  type IdempotentRequest,
} from './idempotency.service';

const request = (fingerprint: string, actor = 'fay'): IdempotentRequest => ({
  actor,
  role: 'finance',
  key: 'k-1',
  fingerprint,
  correlationId: 'c-1',
  causationId: 'r-1',
  now: '2024-09-01T00:00:00.000Z',
});

describe('IdempotencyService over a real (in-memory SQLite) store', () => {
  let store: EventStore;
  let service: IdempotencyService;
  let executions: number;
  const succeed = async () => {
    executions += 1;
    return { status: 201, body: { paid: '10.00', execution: executions } };
  };

  beforeEach(async () => {
    store = await openSqliteEventStore({ file: ':memory:' });
    service = new IdempotencyService(store);
    executions = 0;
  });
  afterEach(() => store.close());

  it('given a first request, when the same key and body come again, then the first response is replayed without executing', async () => {
    const first = await service.run(request('A'), succeed);
    const again = await service.run(request('A'), succeed);
    expect(first).toEqual({ status: 201, body: { paid: '10.00', execution: 1 }, replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    expect(executions).toBe(1);
  });

  it('refuses the same key with another body with 409 IDEMPOTENCY.KEY_REUSED', async () => {
    await service.run(request('A'), succeed);
    const refusal = await service.run(request('B'), succeed).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as HttpException).getStatus()).toBe(409);
    expect((refusal as HttpException).getResponse()).toEqual({
      error: expect.objectContaining({ code: 'IDEMPOTENCY.KEY_REUSED' }),
    });
  });

  it('scopes keys per actor', async () => {
    await service.run(request('A', 'fay'), succeed);
    await expect(service.run(request('B', 'fred'), succeed)).resolves.toEqual(
      expect.objectContaining({ replayed: false }),
    );
  });

  it('given a crash after the reservation, when the client retries, then the command runs again and its response is recorded', async () => {
    const streamId = idempotencyStreamId('fay', 'k-1');
    const metadata = {
      actor: 'fay',
      role: 'finance',
      correlationId: 'c',
      causationId: 'c',
      idempotencyKey: 'k-1',
      occurredAt: '2024-09-01',
    };
    await store.appendToStream(
      streamId,
      [
        {
          id: '00000000-0000-8000-8000-000000000001',
          type: RESERVED_TYPE,
          data: { fingerprint: 'A' },
          metadata,
        },
      ],
      {
        expectedRevision: 'no_stream',
      },
    );
    await expect(service.run(request('A'), succeed)).resolves.toEqual(
      expect.objectContaining({ replayed: false, status: 201 }),
    );
    await expect(service.run(request('A'), succeed)).resolves.toEqual(
      expect.objectContaining({ replayed: true }),
    );
    expect(executions).toBe(1);
  });

  it('records a rule refusal (a retry gets the same 422) but not a conflict (a retry may succeed)', async () => {
    const rule = () =>
      Promise.reject(new DomainError('DISBURSEMENT.EXCEEDS_SHARE', 'above the share'));
    await expect(service.run(request('A'), rule)).rejects.toBeInstanceOf(DomainError);
    await expect(service.run(request('A'), succeed)).resolves.toEqual(
      expect.objectContaining({
        status: 422,
        replayed: true,
        body: { error: expect.objectContaining({ code: 'DISBURSEMENT.EXCEEDS_SHARE' }) },
      }),
    );

    const other = { ...request('X'), key: 'k-2' };
    const conflict = () => Promise.reject(new DomainError('CONCURRENCY.CONFLICT', 'try again'));
    await expect(service.run(other, conflict)).rejects.toBeInstanceOf(DomainError);
    await expect(service.run(other, succeed)).resolves.toEqual(
      expect.objectContaining({ status: 201, replayed: false }),
    );
  });

  it('given 16 concurrent requests with one key and body in one process, then the first executes and the others replay its response', async () => {
    const replies = await Promise.all(
      Array.from({ length: 16 }, () => service.run(request('A'), succeed)),
    );
    expect(executions).toBe(1);
    expect(replies.filter((reply) => !reply.replayed)).toHaveLength(1);
    expect(replies.map(({ status, body }) => ({ status, body }))).toEqual(
      replies.map(() => ({ status: 201, body: { paid: '10.00', execution: 1 } })),
    );
  });

  it('given a request still running, when another body comes with its key, then it is refused at once (409) and the first completes', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = service.run(request('A'), async () => {
      await gate;
      return succeed();
    });
    // Let the first request reserve the key before the second arrives.
    while ((await store.readStream(idempotencyStreamId('fay', 'k-1')).catch(() => [])).length === 0)
      await new Promise((resolve) => setImmediate(resolve));
    const refusal = await service.run(request('B'), succeed).catch((error: unknown) => error);
    expect((refusal as HttpException).getStatus()).toBe(409);
    expect(executions).toBe(0);
    release();
    await expect(first).resolves.toEqual({
      status: 201,
      body: { paid: '10.00', execution: 1 },
      replayed: false,
    });
  });

  it('lets concurrent requests with one key agree on one response', async () => {
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => service.run(request('A'), succeed)),
    );
    const bodies = new Set(replies.map((reply) => stableJson(reply.body)));
    expect(bodies.size).toBe(1);
    expect(replies.filter((reply) => !reply.replayed).length).toBeGreaterThanOrEqual(1);
  });
});
