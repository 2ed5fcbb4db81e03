import { HttpException } from '@nestjs/common';
import { openSqliteEventStore, RecordConflict, type EventStore } from '@hz/event-store';
import { DomainError } from '@hz/ledger';
import { stableJson } from './fingerprint';
import {
  idempotencyRecordKey,
  IdempotencyService,
  type IdempotentExecute,
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

  it('commits the record with the command when the ledger keeps records (one commit per command, issue 12)', async () => {
    const ledger = await openSqliteEventStore({ file: ':memory:' });
    const atomic = new IdempotencyService(store, ledger);
    let appends = 0;
    const command: IdempotentExecute = async (record) => {
      executions += 1;
      if (record === undefined) throw new Error('expected a record to commit with the command');
      const answer = { status: 201, body: { execution: executions } };
      await ledger.appendToStream('applicant-1', [], {
        expectedRevision: 'any',
        record: { key: record.key, value: () => record.value(answer) },
      });
      appends += 1;
      return { ...answer, recorded: true };
    };
    expect(await atomic.run(request('A'), command)).toEqual({
      status: 201,
      body: { execution: 1 },
      replayed: false,
    });
    // Recorded in the ledger's store, in the command's own append; nothing in the other store.
    const key = idempotencyRecordKey('fay', 'k-1');
    expect(await ledger.records?.read(key)).toEqual({
      fingerprint: 'A',
      status: 201,
      body: { execution: 1 },
    });
    expect(await store.records?.read(key)).toBeUndefined();
    // A retry runs the command again (no read before it), and the record's key rolls that commit back:
    // the recorded answer is given and the record is unchanged.
    expect(await atomic.run(request('A'), command)).toEqual({
      status: 201,
      body: { execution: 1 },
      replayed: true,
    });
    expect(await refusalCode(atomic.run(request('B'), command))).toBe(409);
    expect([executions, appends]).toEqual([3, 1]);
    expect(await ledger.records?.read(key)).toMatchObject({ body: { execution: 1 } });
    await ledger.close();
  });

  describe('given the records commit with the commands (no read before executing)', () => {
    const key = idempotencyRecordKey('fay', 'k-1');
    const recordFirst = async (body: Record<string, string | number>) =>
      store.records?.write({ key, value: { fingerprint: 'A', status: 201, body } });

    it('when the retried command is refused with a conflict (never recorded), then it answers as recorded', async () => {
      await recordFirst({ paid: '10.00', execution: 0 });
      const atomic = new IdempotencyService(store, store);
      const conflict = () => {
        executions += 1;
        return Promise.reject(new DomainError('CONCURRENCY.CONFLICT', 'already decided'));
      };
      expect(await atomic.run(request('A'), conflict)).toEqual({
        status: 201,
        body: { paid: '10.00', execution: 0 },
        replayed: true,
      });
      expect(executions).toBe(1);
    });

    it('when the retried command appends nothing and answers the recorded body, then it still says replayed', async () => {
      await recordFirst({ paid: '10.00', execution: 0 });
      const atomic = new IdempotencyService(store, store);
      const replayById: IdempotentExecute = async () => {
        executions += 1;
        return { status: 201, body: { paid: '10.00', execution: 0 }, recorded: false };
      };
      expect(await atomic.run(request('A'), replayById)).toMatchObject({ replayed: true });
      expect(await refusalCode(atomic.run(request('B'), replayById))).toBe(409);
    });
  });

  it("given another replica recorded the key first, when the command's commit conflicts, then it answers as recorded", async () => {
    const key = idempotencyRecordKey('fay', 'k-1');
    await store.records?.write({
      key,
      value: { fingerprint: 'A', status: 201, body: { paid: '10.00', execution: 0 } },
    });
    const conflicting: IdempotentExecute = async () => {
      executions += 1;
      throw new RecordConflict(key);
    };
    // Records kept apart from the ledger (EventStoreDB): the read before executing finds it, replayed
    // without executing.
    expect(await service.run(request('A'), conflicting)).toMatchObject({
      body: { execution: 0 },
      replayed: true,
    });
    expect(executions).toBe(0);
    // Records committed with the commands: executed, and the commit's conflict answers as recorded.
    const atomic = new IdempotencyService(store, store);
    expect(await atomic.run(request('A'), conflicting)).toMatchObject({
      body: { execution: 0 },
      replayed: true,
    });
    expect(executions).toBe(1);
    // Recorded between our read and our commit: the commit's RecordConflict answers as recorded.
    const racing = new IdempotencyService(store, store);
    const other = { ...request('A'), key: 'k-2' };
    const racingCommand: IdempotentExecute = async (record) => {
      await store.records?.write({
        key: record?.key ?? '',
        value: { fingerprint: 'A', status: 201, body: { winner: 'other replica' } },
      });
      throw new RecordConflict(record?.key ?? '');
    };
    expect(await racing.run(other, racingCommand)).toEqual({
      status: 201,
      body: { winner: 'other replica' },
      replayed: true,
    });
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
    let started = false;
    const first = service.run(request('A'), async () => {
      started = true;
      await gate;
      return succeed();
    });
    // Let the first request start executing before the second arrives.
    while (!started) await new Promise((resolve) => setImmediate(resolve));
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

async function refusalCode(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await promise.catch((caught: unknown) => caught);
  return error instanceof HttpException ? error.getStatus() : undefined;
}
