import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { EventStore, ReadAllOptions, RecordedEvent } from '@hz/event-store';
import { CheckpointCheck, sealLog } from './seal-log';

const events = (count: number, salt = ''): RecordedEvent[] =>
  Array.from(
    { length: count },
    (_, index) =>
      ({
        id: `e${index}`,
        type: 'Noted',
        data: { note: `${salt}${index}` },
        streamId: `s-${index % 7}`,
        revision: BigInt(Math.floor(index / 7)),
        position: BigInt(index + 1),
        metadata: { hash: createHash('sha256').update(`${index}`).digest('hex') },
      }) as unknown as RecordedEvent,
  );

const storeOf = (log: RecordedEvent[]): Pick<EventStore, 'readAll' | 'headPosition'> => ({
  headPosition: async () => BigInt(log.length),
  readAll: async (options: ReadAllOptions = {}) =>
    log
      .filter((event) => event.position > (options.fromPosition ?? 0n))
      .slice(0, options.maxCount ?? 1000),
});

const codes = (check: CheckpointCheck, log: RecordedEvent[]): string[] => {
  log.forEach((event) => check.visit(event));
  return check.findings().map((finding) => finding.code);
};

describe('Invariant 7: chains — sealLog and CheckpointCheck', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const now = new Date('2025-01-01T00:00:00Z');

  it('accepts the sealed prefix of a log that grew since', async () => {
    const checkpoint = await sealLog(storeOf(events(2500)), { privateKey, now });
    expect(checkpoint).toMatchObject({ position: '2500', eventCount: 2500 });
    expect(codes(new CheckpointCheck(checkpoint, publicKey), events(3000))).toEqual([]);
  });

  it('reports a truncated log, a rewritten one, and a checkpoint signed by an untrusted key', async () => {
    const checkpoint = await sealLog(storeOf(events(10)), { privateKey, now });
    expect(codes(new CheckpointCheck(checkpoint), events(9))).toEqual(['CHECKPOINT.LOG_TRUNCATED']);
    const rewritten = events(10);
    rewritten[4] = events(10, 'forged')[4] as RecordedEvent;
    expect(codes(new CheckpointCheck(checkpoint), rewritten)).toEqual(['CHECKPOINT.ROOT_MISMATCH']);
    const otherKey = createPublicKey(generateKeyPairSync('ed25519').privateKey);
    expect(codes(new CheckpointCheck(checkpoint, otherKey), events(10))).toEqual([
      'CHECKPOINT.UNTRUSTED_KEY',
    ]);
  });

  it('reports a checkpoint file edited after signing', async () => {
    const checkpoint = {
      ...(await sealLog(storeOf(events(10)), { privateKey, now })),
      eventCount: 9,
    };
    expect(codes(new CheckpointCheck(checkpoint), events(10))).toContain(
      'CHECKPOINT.SIGNATURE_INVALID',
    );
  });
});
