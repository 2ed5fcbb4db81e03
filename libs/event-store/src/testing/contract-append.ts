/** Contract: appending with every expected-revision mode, atomic batches, and idempotent replays. */
import { DuplicateEventDifferentContent, RecordConflict, WrongExpectedVersion } from '../errors';
import type { ExpectedRevision, RecordStore } from '../port';
import { readAllAfter, rejectionOf, revisionsOf } from './assertions';
import { contractCapabilities, type ContractContext, type ContractSection } from './contract-types';
import { testEvent, testEvents } from './fixtures';

async function expectRefused(
  context: ContractContext,
  streamId: string,
  expected: ExpectedRevision,
  actual: bigint | 'no_stream',
): Promise<void> {
  const { store } = context;
  const headBefore = await store.headPosition();
  const error = await rejectionOf(
    store.appendToStream(streamId, [testEvent(`${streamId}-refused`)], {
      expectedRevision: expected,
    }),
  );
  expect(error).toBeInstanceOf(WrongExpectedVersion);
  expect(error).toMatchObject({ streamId, expected, actual });
  // A refused append leaves the log exactly as it was.
  expect(await store.headPosition()).toBe(headBefore);
}

/** A records test: it runs only on a store with records beside the log (SQLite, PostgreSQL). */
function withRecords(
  context: () => ContractContext,
  test: (records: RecordStore, context: ContractContext) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const current = context();
    if (current.store.records !== undefined) await test(current.store.records, current);
  };
}

export const describeAppendContract: ContractSection = (context, harness) => {
  describe('append with an expected revision', () => {
    it('no_stream creates the stream at revision 0 and returns its position', async () => {
      const { store, names, baseline, capabilities } = context();
      const stream = names.next();
      const result = await store.appendToStream(stream, [testEvent('a')], {
        expectedRevision: 'no_stream',
      });
      expect(result.nextRevision).toBe(0n);
      expect(result.position > baseline).toBe(true);
      if (capabilities.emptyOnCreate) expect(result.position).toBe(1n);
      expect(await store.headPosition()).toBe(result.position);
    });

    it('no_stream on an existing stream is WrongExpectedVersion with the actual revision', async () => {
      const { store, names } = context();
      const stream = names.next();
      await store.appendToStream(stream, testEvents('b', 2), { expectedRevision: 'no_stream' });
      await expectRefused(context(), stream, 'no_stream', 1n);
      expect(revisionsOf(await store.readStream(stream))).toEqual([0n, 1n]);
    });

    it('stream_exists is refused on a missing stream and appends to an existing one', async () => {
      const { store, names } = context();
      const stream = names.next();
      await expectRefused(context(), stream, 'stream_exists', 'no_stream');
      await store.appendToStream(stream, [testEvent('c-0')], { expectedRevision: 'no_stream' });
      const result = await store.appendToStream(stream, [testEvent('c-1')], {
        expectedRevision: 'stream_exists',
      });
      expect(result.nextRevision).toBe(1n);
    });

    it('any appends whether or not the stream exists', async () => {
      const { store, names } = context();
      const stream = names.next();
      expect(
        (await store.appendToStream(stream, [testEvent('d-0')], { expectedRevision: 'any' }))
          .nextRevision,
      ).toBe(0n);
      expect(
        (await store.appendToStream(stream, [testEvent('d-1')], { expectedRevision: 'any' }))
          .nextRevision,
      ).toBe(1n);
    });

    describe('Invariant 1: caps', () => {
      it('an exact revision appends only when it equals the current revision', async () => {
        const { store, names } = context();
        const stream = names.next();
        await store.appendToStream(stream, testEvents('e', 3), { expectedRevision: 'no_stream' });
        await expectRefused(context(), stream, 1n, 2n);
        await expectRefused(context(), stream, 5n, 2n);
        const result = await store.appendToStream(stream, [testEvent('e-3')], {
          expectedRevision: 2n,
        });
        expect(result.nextRevision).toBe(3n);
      });
    });

    it('an exact revision on a missing stream reports actual no_stream', async () => {
      const { names } = context();
      await expectRefused(context(), names.next(), 0n, 'no_stream');
    });

    it('a batch lands as consecutive revisions; the result names the last one', async () => {
      const { store, names } = context();
      const stream = names.next();
      await store.appendToStream(stream, [testEvent('f-0')], { expectedRevision: 'no_stream' });
      const result = await store.appendToStream(stream, testEvents('f-batch', 4), {
        expectedRevision: 0n,
      });
      const events = await store.readStream(stream);
      expect(revisionsOf(events)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(result).toEqual({ nextRevision: 4n, position: events[4]?.position });
      expect(await store.headPosition()).toBe(result.position);
    });

    it('an empty batch only checks the expected revision', async () => {
      const { store, names } = context();
      const stream = names.next();
      const written = await store.appendToStream(stream, testEvents('g', 2), {
        expectedRevision: 'no_stream',
      });
      expect(await store.appendToStream(stream, [], { expectedRevision: 1n })).toEqual(written);
      const error = await rejectionOf(store.appendToStream(stream, [], { expectedRevision: 0n }));
      expect(error).toMatchObject({ name: 'WrongExpectedVersion', expected: 0n, actual: 1n });
      expect(await store.headPosition()).toBe(written.position);
      // On a missing stream: revision -1, position 0, and the stream still does not exist.
      const missing = names.next();
      expect(await store.appendToStream(missing, [], { expectedRevision: 'no_stream' })).toEqual({
        nextRevision: -1n,
        position: 0n,
      });
      await expectRefused(context(), missing, 'stream_exists', 'no_stream');
    });
  });

  describe('concurrent appends (one group-commit batch where the adapter has one, issue 12)', () => {
    it('one conflicting append of a batch fails alone; the others commit with their own results', async () => {
      const { store, names } = context();
      const existing = names.next();
      await store.appendToStream(existing, [testEvent('gc-existing')], {
        expectedRevision: 'no_stream',
      });
      const fresh = [names.next(), names.next(), names.next()];
      // Issued in one turn: a group-committing store puts them in one transaction.
      const outcomes = await Promise.allSettled([
        store.appendToStream(fresh[0] ?? '', testEvents('gc-a', 2), {
          expectedRevision: 'no_stream',
        }),
        store.appendToStream(existing, [testEvent('gc-conflict')], {
          expectedRevision: 'no_stream',
        }),
        store.appendToStream(fresh[1] ?? '', [testEvent('gc-b')], {
          expectedRevision: 'no_stream',
        }),
        store.appendToStream(existing, [testEvent('gc-next')], { expectedRevision: 0n }),
        store.appendToStream(fresh[2] ?? '', [testEvent('gc-c')], { expectedRevision: 5n }),
        // A replay of the stored event answers the original result.
        store.appendToStream(existing, [testEvent('gc-existing')], {
          expectedRevision: 'no_stream',
        }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const [a, conflict, b, next, missing, replay] = outcomes;
      expect(replay).toMatchObject({ value: { nextRevision: 0n } });
      expect(a).toMatchObject({ value: { nextRevision: 1n } });
      expect(b).toMatchObject({ value: { nextRevision: 0n } });
      expect(next).toMatchObject({ value: { nextRevision: 1n } });
      expect(conflict).toMatchObject({ reason: { streamId: existing } });
      expect((conflict as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersion);
      expect((missing as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersion);
      // The committed ones are readable with the positions they were answered with; the refused left nothing.
      const [streamA] = await Promise.all([store.readStream(fresh[0] ?? '')]);
      expect(revisionsOf(streamA)).toEqual([0n, 1n]);
      expect(streamA[1]?.position).toBe(
        (a as PromiseFulfilledResult<{ position: bigint }>).value.position,
      );
      expect((await store.readStream(existing)).map((event) => event.data)).toEqual([
        testEvent('gc-existing').data,
        testEvent('gc-next').data,
      ]);
      await expect(store.readStream(fresh[2] ?? '')).rejects.toMatchObject({
        name: 'StreamNotFound',
      });
    });
  });

  describe('conditions on other streams (AppendOptions.conditions, issue 12)', () => {
    it('appends when every condition holds, whatever the condition streams hold', async () => {
      const { store, names } = context();
      const [period, missing, target] = [names.next('period'), names.next('period'), names.next()];
      await store.appendToStream(period, testEvents('cond-p', 2), {
        expectedRevision: 'no_stream',
      });
      const result = await store.appendToStream(target, [testEvent('cond-a')], {
        expectedRevision: 'no_stream',
        conditions: [
          { streamId: period, expectedRevision: 1n },
          { streamId: missing, expectedRevision: 'no_stream' },
        ],
      });
      expect(result.nextRevision).toBe(0n);
      expect(await store.readStream(target)).toHaveLength(1);
      // Conditions are only read: the condition streams are as they were.
      expect(revisionsOf(await store.readStream(period))).toEqual([0n, 1n]);
      await expect(store.readStream(missing)).rejects.toMatchObject({ name: 'StreamNotFound' });
    });

    it('a condition that fails is WrongExpectedVersion naming its stream; nothing is written', async () => {
      const { store, names } = context();
      const [period, other, target] = [names.next('period'), names.next('period'), names.next()];
      await store.appendToStream(period, testEvents('cond-q', 3), {
        expectedRevision: 'no_stream',
      });
      const headBefore = await store.headPosition();
      for (const [streamId, expectedRevision, actual] of [
        [period, 1n, 2n],
        [period, 'no_stream', 2n],
        [other, 'stream_exists', 'no_stream'],
        [other, 0n, 'no_stream'],
      ] as const) {
        const error = await rejectionOf(
          store.appendToStream(target, [testEvent('cond-b')], {
            expectedRevision: 'no_stream',
            conditions: [{ streamId, expectedRevision }],
          }),
        );
        expect(error).toBeInstanceOf(WrongExpectedVersion);
        expect(error).toMatchObject({ streamId, expected: expectedRevision, actual });
      }
      expect(await store.headPosition()).toBe(headBefore);
      await expect(store.readStream(target)).rejects.toMatchObject({ name: 'StreamNotFound' });
      // The caller's retry with the condition as it now stands goes through.
      const retried = await store.appendToStream(target, [testEvent('cond-b')], {
        expectedRevision: 'no_stream',
        conditions: [{ streamId: period, expectedRevision: 2n }],
      });
      expect(retried.nextRevision).toBe(0n);
    });

    it('an empty append with conditions is a pure check of several streams', async () => {
      const { store, names } = context();
      const [period, target] = [names.next('period'), names.next()];
      await store.appendToStream(period, [testEvent('cond-e')], { expectedRevision: 'no_stream' });
      expect(
        await store.appendToStream(target, [], {
          expectedRevision: 'no_stream',
          conditions: [{ streamId: period, expectedRevision: 0n }],
        }),
      ).toEqual({ nextRevision: -1n, position: 0n });
      await expect(
        store.appendToStream(target, [], {
          expectedRevision: 'no_stream',
          conditions: [{ streamId: period, expectedRevision: 'no_stream' }],
        }),
      ).rejects.toMatchObject({ name: 'WrongExpectedVersion', streamId: period });
    });

    it('a replay of stored events is recognised before the conditions', async () => {
      const { store, names } = context();
      const [period, target] = [names.next('period'), names.next()];
      const original = await store.appendToStream(target, [testEvent('cond-r')], {
        expectedRevision: 'no_stream',
        conditions: [{ streamId: period, expectedRevision: 'no_stream' }],
      });
      await store.appendToStream(period, [testEvent('cond-r-p')], {
        expectedRevision: 'no_stream',
      });
      expect(
        await store.appendToStream(target, [testEvent('cond-r')], {
          expectedRevision: 'no_stream',
          conditions: [{ streamId: period, expectedRevision: 'no_stream' }],
        }),
      ).toEqual(original);
    });

    it('malformed conditions are refused before any I/O', async () => {
      const { store, names } = context();
      for (const condition of [
        { streamId: '', expectedRevision: 'any' as const },
        { streamId: names.next(), expectedRevision: -1n },
      ])
        await expect(
          store.appendToStream(names.next(), [testEvent('cond-m')], {
            expectedRevision: 'no_stream',
            conditions: [condition],
          }),
        ).rejects.toBeInstanceOf(Error);
    });

    if (!contractCapabilities(harness).atomicConditions) return;

    it('concurrent: a move of the condition stream committed first refuses the conditional append alone', async () => {
      const { store, names } = context();
      const [period, payment, other] = [names.next('period'), names.next(), names.next()];
      await store.appendToStream(period, [testEvent('cond-c-open')], {
        expectedRevision: 'no_stream',
      });
      // Issued in one turn (one group-commit batch where there is one): the close is checked and
      // written first, so the back-dated payment that read the period open must be refused.
      const outcomes = await Promise.allSettled([
        store.appendToStream(period, [testEvent('cond-c-close')], { expectedRevision: 0n }),
        store.appendToStream(payment, [testEvent('cond-c-pay')], {
          expectedRevision: 'no_stream',
          conditions: [{ streamId: period, expectedRevision: 0n }],
        }),
        store.appendToStream(other, [testEvent('cond-c-other')], {
          expectedRevision: 'no_stream',
          conditions: [{ streamId: period, expectedRevision: 1n }],
        }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({
        name: 'WrongExpectedVersion',
        streamId: period,
        expected: 0n,
        actual: 1n,
      });
      await expect(store.readStream(payment)).rejects.toMatchObject({ name: 'StreamNotFound' });
      expect(await store.readStream(other)).toHaveLength(1);
    });
  });

  describe('one commit per command: appends alongside and records (issue 12)', () => {
    it("appends alongside commit with the main append; the result is the main stream's", async () => {
      const { store, names } = context();
      const [claim, reference] = [names.next(), names.next('payment-ref')];
      await store.appendToStream(claim, [testEvent('al-0')], { expectedRevision: 'no_stream' });
      const result = await store.appendToStream(claim, [testEvent('al-1')], {
        expectedRevision: 0n,
        alongside: [
          { streamId: reference, events: [testEvent('al-ref')], expectedRevision: 'no_stream' },
        ],
      });
      const [main, reserved] = [await store.readStream(claim), await store.readStream(reference)];
      expect(result).toEqual({ nextRevision: 1n, position: main[1]?.position });
      expect(reserved.map((event) => event.id)).toEqual([testEvent('al-ref').id]);
      // A retry of the whole call is a replay of both.
      expect(
        await store.appendToStream(claim, [testEvent('al-1')], {
          expectedRevision: 0n,
          alongside: [
            { streamId: reference, events: [testEvent('al-ref')], expectedRevision: 'no_stream' },
          ],
        }),
      ).toEqual(result);
      expect(await store.readStream(reference)).toHaveLength(1);
    });

    it('a refused append alongside refuses the whole call, naming its stream; nothing is written', async () => {
      const { store, names, capabilities } = context();
      if (!capabilities.atomicConditions) return;
      const [claim, reference] = [names.next(), names.next('payment-ref')];
      await store.appendToStream(reference, [testEvent('al-taken')], {
        expectedRevision: 'no_stream',
      });
      const headBefore = await store.headPosition();
      const error = await rejectionOf(
        store.appendToStream(claim, [testEvent('al-2')], {
          expectedRevision: 'no_stream',
          alongside: [
            { streamId: reference, events: [testEvent('al-ref-2')], expectedRevision: 'no_stream' },
          ],
        }),
      );
      expect(error).toBeInstanceOf(WrongExpectedVersion);
      expect(error).toMatchObject({ streamId: reference, actual: 0n });
      expect(await store.headPosition()).toBe(headBefore);
      await expect(store.readStream(claim)).rejects.toMatchObject({ name: 'StreamNotFound' });
    });

    it(
      'a record commits with the append, is read back, and never enters the log',
      withRecords(context, async (records, { store, names }) => {
        const [claim, key] = [names.next(), names.next('idempotency')];
        const value = { fingerprint: 'f-1', status: 201 };
        expect(await records.read(key)).toBeUndefined();
        const result = await store.appendToStream(claim, [testEvent('rec-a')], {
          expectedRevision: 'no_stream',
          record: { key, value },
        });
        expect(await records.read(key)).toEqual(value);
        expect(await store.headPosition()).toBe(result.position);
        // The same call again: a replay, the record the same value (a no-op).
        expect(
          await store.appendToStream(claim, [testEvent('rec-a')], {
            expectedRevision: 'no_stream',
            record: { key, value: { status: 201, fingerprint: 'f-1' } },
          }),
        ).toEqual(result);
        // Another value under the key: RecordConflict, and the events of that call are not written.
        const error = await rejectionOf(
          store.appendToStream(claim, [testEvent('rec-b')], {
            expectedRevision: 0n,
            record: { key, value: { fingerprint: 'f-2' } },
          }),
        );
        expect(error).toBeInstanceOf(RecordConflict);
        expect(error).toMatchObject({ key });
        expect(await store.readStream(claim)).toHaveLength(1);
        expect(await records.read(key)).toEqual(value);
        expect(await store.headPosition()).toBe(result.position);
      }),
    );

    it(
      'a record whose value is a function of the result names the committed position',
      withRecords(context, async (records, { store, names }) => {
        const [claim, key] = [names.next(), names.next('idempotency')];
        const answer = (appended: { position: bigint }) => ({
          status: 201,
          body: { position: appended.position.toString() },
        });
        const call = () =>
          store.appendToStream(claim, testEvents('rec-f', 2), {
            expectedRevision: 'no_stream',
            record: { key, value: answer },
          });
        const [result, concurrent] = await Promise.all([call(), call()]);
        expect(concurrent).toEqual(result);
        expect(await records.read(key)).toEqual(answer(result));
        // The retry is a replay: its answer is the same value, so the record stays as it is.
        expect(await call()).toEqual(result);
        // New events under the key already recorded: RecordConflict, nothing written.
        await expect(
          store.appendToStream(claim, [testEvent('rec-g')], {
            expectedRevision: 1n,
            record: { key, value: answer },
          }),
        ).rejects.toBeInstanceOf(RecordConflict);
        expect(await store.readStream(claim)).toHaveLength(2);
      }),
    );

    it(
      'a refused append writes no record',
      withRecords(context, async (records, { store, names }) => {
        const [claim, key] = [names.next(), names.next('idempotency')];
        await expect(
          store.appendToStream(claim, [testEvent('rec-c')], {
            expectedRevision: 3n,
            record: { key, value: { fingerprint: 'f-3' } },
          }),
        ).rejects.toBeInstanceOf(WrongExpectedVersion);
        expect(await records.read(key)).toBeUndefined();
      }),
    );

    it(
      'a record written alone: once, the same again a no-op, another value RecordConflict',
      withRecords(context, async (records, { store, names, baseline }) => {
        const key = names.next('idempotency');
        const value = { fingerprint: 'f-4', status: 422, body: { error: { code: 'X' } } };
        await records.write({ key, value });
        await records.write({ key, value });
        await expect(records.write({ key, value: { fingerprint: 'f-5' } })).rejects.toBeInstanceOf(
          RecordConflict,
        );
        expect(await records.read(key)).toEqual(value);
        expect(await store.headPosition()).toBe(baseline);
        await expect(store.readStream(key)).rejects.toMatchObject({ name: 'StreamNotFound' });
      }),
    );

    it(
      'concurrent: two commands with one record key in one batch, the first wins, the second writes nothing',
      withRecords(context, async (records, { store, names }) => {
        const [first, second, key] = [names.next(), names.next(), names.next('idempotency')];
        const outcomes = await Promise.allSettled([
          store.appendToStream(first, [testEvent('rec-d')], {
            expectedRevision: 'no_stream',
            record: { key, value: { fingerprint: 'd' } },
          }),
          store.appendToStream(second, [testEvent('rec-e')], {
            expectedRevision: 'no_stream',
            record: { key, value: { fingerprint: 'e' } },
          }),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(RecordConflict);
        await expect(store.readStream(second)).rejects.toMatchObject({ name: 'StreamNotFound' });
        expect(await records.read(key)).toEqual({ fingerprint: 'd' });
      }),
    );
  });

  describe('idempotent append by event id', () => {
    it('the same ids and content return the original result and append nothing', async () => {
      const { store, names, baseline } = context();
      const stream = names.next();
      const events = testEvents('h', 3);
      const original = await store.appendToStream(stream, events, {
        expectedRevision: 'no_stream',
      });
      await store.appendToStream(names.next(), [testEvent('h-other')], {
        expectedRevision: 'no_stream',
      });
      const headBefore = await store.headPosition();
      // A retried command repeats its expectation, which the stream no longer meets: still the same answer.
      expect(await store.appendToStream(stream, events, { expectedRevision: 'no_stream' })).toEqual(
        original,
      );
      expect(await store.appendToStream(stream, events, { expectedRevision: 'any' })).toEqual(
        original,
      );
      expect(await store.headPosition()).toBe(headBefore);
      expect(await readAllAfter(store, baseline)).toHaveLength(4);
    });

    it('a retry of one event in the middle of an earlier batch is recognised too', async () => {
      const { store, names } = context();
      const stream = names.next();
      await store.appendToStream(stream, testEvents('i', 3), { expectedRevision: 'no_stream' });
      const [, middle] = await store.readStream(stream);
      const result = await store.appendToStream(stream, [testEvent('i-1')], {
        expectedRevision: 'any',
      });
      expect(result).toEqual({ nextRevision: 1n, position: middle?.position });
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('the same id with other data is DuplicateEventDifferentContent', async () => {
      const { store, names } = context();
      const stream = names.next();
      await store.appendToStream(stream, [testEvent('j')], { expectedRevision: 'no_stream' });
      const changed = { ...testEvent('j'), data: { claimId: 'j', requestedAmount: '1250.01' } };
      const error = await rejectionOf(
        store.appendToStream(stream, [changed], { expectedRevision: 'any' }),
      );
      expect(error).toBeInstanceOf(DuplicateEventDifferentContent);
      expect(error).toMatchObject({ eventId: changed.id, streamId: stream });
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('the same id with another type is DuplicateEventDifferentContent', async () => {
      const { store, names } = context();
      const stream = names.next();
      await store.appendToStream(stream, [testEvent('k')], { expectedRevision: 'no_stream' });
      const retyped = testEvent('k', { type: 'ClaimWithdrawn' });
      const error = await rejectionOf(
        store.appendToStream(stream, [retyped], { expectedRevision: 'any' }),
      );
      expect(error).toBeInstanceOf(DuplicateEventDifferentContent);
    });

    if (!contractCapabilities(harness).globallyUniqueEventIds) return;

    it('the same id in another stream is DuplicateEventDifferentContent', async () => {
      const { store, names } = context();
      const first = names.next();
      const second = names.next();
      await store.appendToStream(first, [testEvent('l')], { expectedRevision: 'no_stream' });
      const error = await rejectionOf(
        store.appendToStream(second, [testEvent('l')], { expectedRevision: 'any' }),
      );
      expect(error).toBeInstanceOf(DuplicateEventDifferentContent);
      expect(error).toMatchObject({ streamId: second });
    });
  });
};
