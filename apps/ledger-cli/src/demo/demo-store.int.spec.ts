/**
 * The demo's speed-ups change nothing in what it writes: LedgerService's stream cache (off, evicting on
 * every phase, holding everyone) gives the same log byte for byte, and `--fast` (synchronous=NORMAL) gives
 * the same log as the durable default, which stays synchronous=FULL.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { LedgerService } from '@hz/application';
import { ledgerEnvFrom } from '@hz/audit';
import { openSqliteEventStore, SqliteEventStore, type EventStore } from '@hz/event-store';
import { Money } from '@hz/money';
import { HZ_CBEC_2023 } from '@hz/policy';
import { freshDataDir, runLedger } from '../testing/cli-harness';
import { demoClockFor, runDemo } from './demo-runner';
import { DEMO_STREAMS_CACHED_MAX, demoStreamCacheMax, openDemoStore } from './demo-store';

jest.setTimeout(120_000);

/** Every column of every event, in position order: ids, revisions, data, metadata with recordedAt and hashes. */
async function logDigest(store: EventStore): Promise<{ events: number; digest: string }> {
  const hash = createHash('sha256');
  let events = 0;
  for (let from = 0n, pages = 0; pages < 10_000; pages += 1) {
    const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
    if (page.length === 0) break;
    for (const event of page)
      hash.update(
        JSON.stringify(event, (_key, value: unknown) =>
          typeof value === 'bigint' ? value.toString() : value,
        ),
      );
    events += page.length;
    from = page.at(-1)?.position ?? from;
  }
  return { events, digest: hash.digest('hex') };
}

async function demoLog(
  streamCacheMax: number,
): Promise<{ events: number; digest: string; cachedStreams: number }> {
  const clock = demoClockFor({ yearFrom: 2023 });
  const store = await openSqliteEventStore({ file: ':memory:', clock });
  const service = new LedgerService({
    store,
    catalog: HZ_CBEC_2023,
    countersignThreshold: Money.parse('500000.00'),
    clock,
    streamCacheMax,
  });
  await runDemo(service, clock, HZ_CBEC_2023, {
    applicants: 24,
    yearFrom: 2023,
    yearTo: 2024,
    seed: 5,
    concurrency: 8,
  });
  const log = await logDigest(store);
  await store.close();
  return { ...log, cachedStreams: service.cachedStreams };
}

function fileDigest(dataDir: string): string {
  const db = new Database(join(dataDir, 'ledger.db'), { readonly: true });
  const hash = createHash('sha256');
  for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate())
    hash.update(JSON.stringify(row));
  db.close();
  return hash.digest('hex');
}

describe('the demo through LedgerService with its stream cache', () => {
  it('writes the same log with the cache off, evicting, and holding every applicant', async () => {
    const off = await demoLog(0);
    const evicting = await demoLog(5);
    const everyone = await demoLog(demoStreamCacheMax(24, 2));
    expect(off.events).toBeGreaterThan(500);
    expect(off.cachedStreams).toBe(0);
    expect(evicting.cachedStreams).toBe(5);
    expect(everyone.cachedStreams).toBe(24 + 2);
    expect(evicting).toMatchObject({ events: off.events, digest: off.digest });
    expect(everyone).toMatchObject({ events: off.events, digest: off.digest });
  });

  it('sizes the cache for every applicant and allocation plan, within a bound', () => {
    expect(demoStreamCacheMax(500, 3)).toBe(503);
    expect(demoStreamCacheMax(1_000_000, 3)).toBe(DEMO_STREAMS_CACHED_MAX);
    expect(() => demoStreamCacheMax(0, 3)).toThrow(RangeError);
  });
});

describe('ledger demo --fast', () => {
  it('opens the embedded file with synchronous=FULL by default and NORMAL only when asked', async () => {
    const clock = demoClockFor({ yearFrom: 2023 });
    for (const [fast, level] of [
      [false, 'FULL'],
      [true, 'NORMAL'],
    ] as const) {
      const store = await openDemoStore(
        ledgerEnvFrom({ LEDGER_DATA_DIR: freshDataDir('sync') }, process.cwd()),
        clock,
        { fast },
      );
      expect(store).toBeInstanceOf(SqliteEventStore);
      expect((store as SqliteEventStore).synchronous).toBe(level);
      await store.close();
    }
  });

  it('writes the same log, byte for byte, as the durable default', async () => {
    const durable = freshDataDir('durable');
    const fast = freshDataDir('fast');
    const args = ['demo', '--applicants', '12', '--years', '2023', '--seed', '9', '--quiet'];
    expect((await runLedger(durable, args)).code).toBe(0);
    const run = await runLedger(fast, [...args, '--fast']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ \d+ new events in /);
    expect(fileDigest(fast)).toBe(fileDigest(durable));
  });
});
