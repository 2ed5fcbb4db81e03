import { WrongExpectedVersion, type EventStore } from '@hz/event-store';
import { applicantStreamId, referenceStreamId, type LedgerCommand } from '@hz/ledger';
import {
  APPLICANT,
  approve,
  disburse,
  metadata,
  OTHER_APPLICANT,
  openHarness,
  refusalOf,
  register,
  submitPlatform,
  submitTrademark,
  type Harness,
} from './testing/harness';

const claim1 = `${APPLICANT}-1`;
let harness: Harness;

/** A store that lets a test fail chosen appends, to stand in for a crash or a concurrent writer. */
function interceptAppends(
  store: EventStore,
  failure: (streamId: string, call: number) => Error | undefined,
): EventStore {
  let calls = 0;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'appendToStream') return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<EventStore['appendToStream']>) => {
        calls += 1;
        const error = failure(args[0], calls);
        if (error !== undefined) throw error;
        return target.appendToStream(...args);
      };
    },
  });
}

async function approvedTrademark(service: Harness['service']): Promise<void> {
  await service.execute(register(APPLICANT, 'xiaoshan'));
  await service.execute(submitTrademark(APPLICANT, '250000.00'));
  await service.execute(approve(claim1, '200000.00'));
}

beforeEach(async () => {
  harness = await openHarness();
});
afterEach(async () => harness.close());

describe('idempotent commands', () => {
  it('answers a retried command from the stream without appending anything', async () => {
    const { service, store } = harness;
    await service.execute(register(APPLICANT, 'xiaoshan'));
    const command = submitPlatform(APPLICANT, '1000.00');
    const first = await service.execute(command);
    await service.execute(submitPlatform(APPLICANT, '2000.00'));
    const head = await store.headPosition();
    const again = await service.execute(command);
    expect(again).toMatchObject({
      replayed: true,
      position: first.position,
      result: { claimId: claim1, status: 'submitted' },
    });
    expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses the same key for other content (409), on the same stream or another', async () => {
    const { service } = harness;
    await service.execute(register(APPLICANT, 'xiaoshan'));
    await service.execute(register(OTHER_APPLICANT, 'xihu'));
    const command = submitPlatform(APPLICANT, '1000.00', { idempotencyKey: 'K-1' });
    await service.execute(command);
    expect(
      await refusalOf(
        service.execute(submitPlatform(APPLICANT, '1000.01', { idempotencyKey: 'K-1' })),
      ),
    ).toBe('IDEMPOTENCY.KEY_REUSED');
    const elsewhere = {
      ...command,
      data: { ...command.data, applicant: OTHER_APPLICANT },
      metadata: { ...command.metadata, applicant: OTHER_APPLICANT },
    } as LedgerCommand;
    expect(await refusalOf(service.execute(elsewhere))).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('scopes keys by actor: two applicants may use the same key', async () => {
    const { service } = harness;
    await service.execute(register(APPLICANT, 'xiaoshan'));
    await service.execute(register(OTHER_APPLICANT, 'xihu'));
    await service.execute(submitPlatform(APPLICANT, '1000.00', { idempotencyKey: 'same' }));
    expect(
      (
        await service.execute(
          submitPlatform(OTHER_APPLICANT, '1000.00', { idempotencyKey: 'same' }),
        )
      ).replayed,
    ).toBe(false);
  });
});

describe('Invariant 4: payments — payment references', () => {
  it('treats the same payment under a new key as a replay of the recorded one', async () => {
    const { service, store } = harness;
    await approvedTrademark(service);
    const first = await service.execute(disburse(claim1, 'city', '1000.00', 'PAY-1'));
    const head = await store.headPosition();
    const again = await service.execute(disburse(claim1, 'city', '1000.00', 'PAY-1'));
    expect(again).toMatchObject({
      replayed: true,
      position: first.position,
      result: { claim: { paid: { city: '1000.00' } } },
    });
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses a reference used by another applicant (409) and keeps one reservation', async () => {
    const { service, store } = harness;
    await approvedTrademark(service);
    await service.execute(register(OTHER_APPLICANT, 'xihu'));
    await service.execute(submitTrademark(OTHER_APPLICANT, '250000.00'));
    await service.execute(approve(`${OTHER_APPLICANT}-1`, '1000.00'));
    await service.execute(disburse(claim1, 'city', '1000.00', 'PAY-1'));
    expect(
      await refusalOf(service.execute(disburse(`${OTHER_APPLICANT}-1`, 'city', '500.00', 'PAY-1'))),
    ).toBe('REFERENCE.REUSED');
    expect(await store.readStream(referenceStreamId('payment', 'PAY-1'))).toHaveLength(1);
    expect((await service.getClaim(`${OTHER_APPLICANT}-1`)).paid).toEqual({
      city: '0.00',
      district: '0.00',
    });
  });

  it('reserves nothing for a refused payment', async () => {
    const { service, store } = harness;
    await approvedTrademark(service);
    expect(await refusalOf(service.execute(disburse(claim1, 'city', '50000.01', 'PAY-9')))).toBe(
      'DISBURSEMENT.EXCEEDS_SHARE',
    );
    expect(await refusalOf(store.readStream(referenceStreamId('payment', 'PAY-9')))).toBe(
      'EVENT_STORE.STREAM_NOT_FOUND',
    );
    expect((await service.execute(disburse(claim1, 'city', '50000.00', 'PAY-9'))).replayed).toBe(
      false,
    );
  });

  it("commits the reservation in the payment's own append: a failed append leaves neither (issue 12)", async () => {
    const { service, store } = harness;
    await approvedTrademark(service);
    let crash = true;
    const crashing = interceptAppends(store, (streamId) =>
      crash && streamId.startsWith('applicant-') ? new Error('power cut') : undefined,
    );
    const local = await openHarness(':memory:', { store: crashing });
    const command = disburse(claim1, 'district', '150000.00', 'PAY-Y');
    expect(await refusalOf(local.service.execute(command))).toBe('Error: power cut');
    expect(await refusalOf(store.readStream(referenceStreamId('payment', 'PAY-Y')))).toBe(
      'EVENT_STORE.STREAM_NOT_FOUND',
    );
    crash = false;
    const done = await local.service.execute(command);
    const reserved = await store.readStream(referenceStreamId('payment', 'PAY-Y'));
    const claim = await store.readStream(applicantStreamId(APPLICANT));
    // One append: the reservation right before the payment in the log.
    expect(reserved.map((event) => event.position)).toEqual([done.position - 1n]);
    expect(claim[claim.length - 1]?.position).toBe(done.position);
  });

  it('completes a payment whose reservation was written alone (EventStoreDB, or before issue 12), with the same key or another', async () => {
    for (const sameKey of [true, false]) {
      const local = await openHarness(':memory:');
      await approvedTrademark(local.service);
      let crash = true;
      // The reservation goes through, the payment's own append fails: what a crash between two appends left.
      const crashing = interceptAppends(local.store, (streamId) =>
        crash && streamId.startsWith('applicant-') ? new Error('power cut') : undefined,
      );
      const splitting = new Proxy(crashing, {
        get(target, property, receiver) {
          if (property !== 'appendToStream')
            return Reflect.get(target, property, receiver) as unknown;
          return async (...args: Parameters<EventStore['appendToStream']>) => {
            const [streamId, events, { alongside, ...options }] = args;
            for (const other of alongside ?? [])
              await local.store.appendToStream(other.streamId, other.events, other);
            return target.appendToStream(streamId, events, options);
          };
        },
      });
      const { service } = await openHarness(':memory:', { store: splitting });
      const command = disburse(claim1, 'district', '150000.00', 'PAY-X');
      expect(await refusalOf(service.execute(command))).toBe('Error: power cut');
      expect(await local.store.readStream(referenceStreamId('payment', 'PAY-X'))).toHaveLength(1);
      crash = false;
      const retry = sameKey ? command : { ...command, metadata: metadata('finance', 'finance-1') };
      expect((await service.execute(retry)).result).toMatchObject({
        claim: { paid: { district: '150000.00' } },
      });
      expect(await local.store.readStream(referenceStreamId('payment', 'PAY-X'))).toHaveLength(1);
      await local.close();
    }
  });
});

describe('optimistic concurrency', () => {
  it('decides again on the fresh stream after a version conflict', async () => {
    await harness.service.execute(register(APPLICANT, 'xiaoshan'));
    const conflictOnce = interceptAppends(harness.store, (streamId, call) =>
      call === 1 ? new WrongExpectedVersion(streamId, 0n, 1n) : undefined,
    );
    const service = (await openHarness(':memory:', { store: conflictOnce })).service;
    expect((await service.execute(submitPlatform(APPLICANT, '1000.00'))).result).toMatchObject({
      claimId: claim1,
    });
  });

  it('gives up after a bounded number of attempts with a 409, backing off without jitter', async () => {
    await harness.service.execute(register(APPLICANT, 'xiaoshan'));
    const waits: number[] = [];
    let attempts = 0;
    const alwaysConflicting = interceptAppends(harness.store, (streamId) => {
      attempts += 1;
      return new WrongExpectedVersion(streamId, 0n, 1n);
    });
    const { service } = await openHarness(':memory:', {
      store: alwaysConflicting,
      sleep: async (milliseconds) => void waits.push(milliseconds),
    });
    const error = await service
      .execute(submitPlatform(APPLICANT, '1000.00'))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'CONCURRENCY.CONFLICT',
      kind: 'conflict',
      details: { attempts: 10 },
    });
    expect(attempts).toBe(10);
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 32, 32, 32]);
    expect(await harness.store.readStream(applicantStreamId(APPLICANT))).toHaveLength(1);
  });
});
