/**
 * The per-process stream cache is an optimisation only: decisions see what other processes appended
 * since the cached revision, the cache stays within its bound, a replay is recognised with an empty cache
 * (after a restart) as with a warm one, and any failure drops the cached fold.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WrongExpectedVersion, type EventStore, type ReadStreamOptions } from '@hz/event-store';
import { applicantStreamId, usccFromPrefix, type LedgerCommand } from '@hz/ledger';
import { Money } from '@hz/money';
import { StreamFoldCache } from './stream-models';
import {
  APPLICANT,
  approve,
  OTHER_APPLICANT,
  openHarness,
  refusalOf,
  register,
  submitPlatform,
  type Harness,
} from './testing/harness';

const THIRD_APPLICANT = usccFromPrefix('91330102MA2H00003');
const claimOf = (index: number) => `${APPLICANT}-${index}`;

interface StoreCall {
  readonly method: 'readStream' | 'appendToStream';
  readonly streamId: string;
  readonly fromRevision?: ReadStreamOptions['fromRevision'];
}

/** The real store, with a log of its reads and appends: whole reads versus tail reads tell hits from misses. */
function recordingStore(
  store: EventStore,
  beforeAppend: (streamId: string) => Promise<void> = async () => undefined,
): { store: EventStore; calls: StoreCall[] } {
  const calls: StoreCall[] = [];
  const recording = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return (streamId: string, options?: ReadStreamOptions) => {
          calls.push({ method: 'readStream', streamId, fromRevision: options?.fromRevision });
          return options === undefined
            ? target.readStream(streamId)
            : target.readStream(streamId, options);
        };
      }
      if (property === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          calls.push({ method: 'appendToStream', streamId: args[0] });
          await beforeAppend(args[0]);
          return target.appendToStream(...args);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { store: recording, calls };
}

const wholeReads = (calls: readonly StoreCall[], streamId: string) =>
  calls.filter(
    (call) =>
      call.method === 'readStream' && call.streamId === streamId && call.fromRevision === undefined,
  ).length;
const tailReads = (calls: readonly StoreCall[], streamId: string) =>
  calls.filter(
    (call) =>
      call.method === 'readStream' &&
      call.streamId === streamId &&
      typeof call.fromRevision === 'bigint',
  ).length;

describe('a second process appends between two commands', () => {
  let directory: string;
  let harness: Harness;
  let calls: StoreCall[];

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'ledger-cache-'));
    const file = join(directory, 'ledger.db');
    const base = await openHarness(file);
    const recording = recordingStore(base.store);
    calls = recording.calls;
    harness = await openHarness(file, { store: recording.store });
  });

  afterEach(async () => {
    await harness.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('Invariant 1: caps', () => {
    it('decides on what the other process recorded: the annual cap holds and its new claim is found', async () => {
      const { service } = harness;
      await service.execute(register(APPLICANT, 'xiaoshan'));
      for (let index = 0; index < 3; index += 1)
        await service.execute(submitPlatform(APPLICANT, '400000.00'));
      await service.execute(approve(claimOf(1), '400000.00'));
      expect(service.cachedStreams).toBe(1);

      // Another process (its own cache, its own connection): fills the cap to 800,000.00 and files claim 4.
      const outcomes = await runChild({
        file: join(directory, 'ledger.db'),
        commands: [
          approve(claimOf(2), '400000.00', 'reviewer-2'),
          submitPlatform(APPLICANT, '400000.00'),
        ],
      });
      expect(outcomes).toEqual(['ok', 'ok']);

      // 200,000.00 is left. A stale fold would see 600,000.00 and try to append; the fresh one refuses outright.
      calls.length = 0;
      expect(['CLAIM.EXCEEDS_CEILING', 'POLICY.CAP_EXHAUSTED']).toContain(
        await refusalOf(service.execute(approve(claimOf(3), '300000.00'))),
      );
      expect(calls.filter((call) => call.method === 'appendToStream')).toEqual([]);
      expect(tailReads(calls, applicantStreamId(APPLICANT))).toBe(1);
      // A stale fold would not know claim 4 at all (CLAIM.NOT_FOUND, a refusal no append would have caught).
      expect((await service.execute(approve(claimOf(4), '200000.00'))).result).toMatchObject({
        status: 'approved',
      });
      const claims = await Promise.all(
        [1, 2, 3, 4].map((index) => service.getClaim(claimOf(index))),
      );
      const granted = Money.sum(
        claims
          .filter((claim) => claim.status === 'approved')
          .map((claim) => Money.parse(claim.approval?.amount)),
      );
      expect(granted.toString()).toBe('1000000.00');
    }, 60_000);
  });
});

describe('the cache within one process', () => {
  it('keeps at most streamCacheMax streams, evicting the least recently used', async () => {
    const base = await openHarness();
    const { store, calls } = recordingStore(base.store);
    const { service } = await openHarness(':memory:', { store, streamCacheMax: 2 });
    for (const uscc of [APPLICANT, OTHER_APPLICANT, THIRD_APPLICANT]) {
      await service.execute(register(uscc, 'xihu'));
      await service.execute(submitPlatform(uscc, '1000.00'));
      expect(service.cachedStreams).toBeLessThanOrEqual(2);
    }
    calls.length = 0;
    await service.execute(submitPlatform(THIRD_APPLICANT, '1000.00'));
    await service.execute(submitPlatform(APPLICANT, '1000.00'));
    expect(tailReads(calls, applicantStreamId(THIRD_APPLICANT))).toBe(1);
    expect(wholeReads(calls, applicantStreamId(APPLICANT))).toBe(1);
    expect(service.cachedStreams).toBe(2);
    expect((await service.getApplicant(APPLICANT)).claims).toHaveLength(2);
    await base.close();
  });

  it('decides the same with the cache off (streamCacheMax 0), reading whole streams', async () => {
    const base = await openHarness();
    const { store, calls } = recordingStore(base.store);
    const { service } = await openHarness(':memory:', { store, streamCacheMax: 0 });
    await service.execute(register(APPLICANT, 'xihu'));
    await service.execute(submitPlatform(APPLICANT, '1000.00'));
    expect(service.cachedStreams).toBe(0);
    expect(tailReads(calls, applicantStreamId(APPLICANT))).toBe(0);
    expect(await refusalOf(service.execute(register(APPLICANT, 'xihu')))).toBe(
      'APPLICANT.ALREADY_REGISTERED',
    );
    await base.close();
  });

  it('drops the cached fold after a refusal, and keeps it (reading the tail) after a version conflict', async () => {
    const base = await openHarness();
    let conflictNext = false;
    const { store, calls } = recordingStore(base.store, async (streamId) => {
      if (!conflictNext) return;
      conflictNext = false;
      // Another writer got in first: the real append below then fails with WrongExpectedVersion.
      await other.service.execute(submitPlatform(APPLICANT, '2000.00'));
      expect(streamId).toBe(applicantStreamId(APPLICANT));
    });
    const other = await openHarness(':memory:', { store: base.store });
    const { service } = await openHarness(':memory:', { store });
    await service.execute(register(APPLICANT, 'xihu'));
    expect(await refusalOf(service.execute(register(APPLICANT, 'xihu')))).toBe(
      'APPLICANT.ALREADY_REGISTERED',
    );
    expect(service.cachedStreams).toBe(0);
    calls.length = 0;
    conflictNext = true;
    const submitted = await service.execute(submitPlatform(APPLICANT, '1000.00'));
    expect(submitted.result).toMatchObject({ claimId: claimOf(2) });
    // One whole read (the fold was dropped), then after the conflict a tail read only.
    expect(wholeReads(calls, applicantStreamId(APPLICANT))).toBe(1);
    expect(tailReads(calls, applicantStreamId(APPLICANT))).toBe(1);
    expect(calls.filter((call) => call.method === 'appendToStream')).toHaveLength(2);
    await base.close();
  });

  it('refuses a version conflict it cannot see through a bounded number of attempts, and forgets the stream', async () => {
    const base = await openHarness();
    const conflicting = new Proxy(base.store, {
      get: (target, property, receiver) =>
        property === 'appendToStream'
          ? async (streamId: string) => Promise.reject(new WrongExpectedVersion(streamId, 0n, 1n))
          : (Reflect.get(target, property, receiver) as unknown),
    });
    await base.service.execute(register(APPLICANT, 'xihu'));
    const { service } = await openHarness(':memory:', { store: conflicting, attemptsMax: 3 });
    expect(await refusalOf(service.execute(submitPlatform(APPLICANT, '1000.00')))).toBe(
      'CONCURRENCY.CONFLICT',
    );
    expect(service.cachedStreams).toBe(0);
    await base.close();
  });
});

describe('replays with a warm cache and after a restart', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ledger-cache-replay-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('answers the first result for the same key and command, and 409 for another command, either way', async () => {
    const file = join(directory, 'ledger.db');
    const first = await openHarness(file);
    await first.service.execute(register(APPLICANT, 'xiaoshan'));
    const command = submitPlatform(APPLICANT, '1000.00', { idempotencyKey: 'K-restart' });
    const original = await first.service.execute(command);
    await first.service.execute(submitPlatform(APPLICANT, '2000.00'));
    const warm = await first.service.execute(command);
    expect(warm).toMatchObject({
      replayed: true,
      position: original.position,
      result: { claimId: claimOf(1), claim: { requestedAmount: '1000.00' } },
    });
    await first.close();

    // A restart: a new process has an empty cache and must still recognise the key from the stream.
    const restarted = await openHarness(file);
    expect(restarted.service.cachedStreams).toBe(0);
    const head = await restarted.store.headPosition();
    const cold = await restarted.service.execute(command);
    expect(cold).toEqual(warm);
    expect(cold.events.map((event) => event.id)).toEqual(original.events.map((event) => event.id));
    const reused = {
      ...command,
      data: { ...command.data, requestedAmount: '1000.01' },
    } as LedgerCommand;
    expect(await refusalOf(restarted.service.execute(reused))).toBe('IDEMPOTENCY.KEY_REUSED');
    // And again once the cache is warm (the refusal dropped it; this command loads it back).
    await restarted.service.execute(submitPlatform(APPLICANT, '3000.00'));
    expect(await refusalOf(restarted.service.execute(reused))).toBe('IDEMPOTENCY.KEY_REUSED');
    expect((await restarted.service.execute(command)).replayed).toBe(true);
    expect(await restarted.store.headPosition()).toBe(head + 1n);
    await restarted.close();
  });
});

describe('StreamFoldCache', () => {
  it('takes a bound of 0 or more streams', () => {
    expect(() => new StreamFoldCache(-1)).toThrow(RangeError);
    expect(() => new StreamFoldCache(1.5)).toThrow(RangeError);
    expect(new StreamFoldCache(0).size).toBe(0);
  });
});

function runChild(input: { file: string; commands: readonly LedgerCommand[] }): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const workspace = resolve(__dirname, '../../..');
    const script = resolve(__dirname, 'testing/execute.child.ts');
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', script, JSON.stringify(input)],
      { cwd: workspace },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`child exited ${String(code)}: ${stderr}`));
      resolvePromise(JSON.parse(stdout.trim()) as string[]);
    });
  });
}
