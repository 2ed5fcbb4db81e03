/**
 * The embedded store's WAL in /api/v1/metrics (docs/operations.md "Metrics"): an app on a real SQLite file
 * with the checkpointer thread, scraped over HTTP and parsed by a Prometheus text parser (as
 * test/e2e/operations-metrics.e2e.spec.ts does), shows the WAL's length, the checkpoints by who ran them
 * and whether the thread is up; a store without a WAL (in memory) exports none of those families. And
 * docs/operations.md's metrics table names every family the registry has, and nothing else.
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import {
  openSqliteEventStore,
  type EventStore,
  type NewEvent,
  type SqliteEventStore,
  type SqliteEventStoreOptions,
} from '@hz/event-store';
import { testEvent } from '@hz/event-store/testing';
import { EVENT_STORE } from '../../tokens';
import { IDEMPOTENCY_STORE } from '../idempotency/idempotency.service';
import { HealthHttpController } from './health.http.controller';
import { instrumentEventStore, MetricsRegistry } from './metrics';

interface Family {
  readonly name: string;
  readonly type: string;
  readonly metrics: ReadonlyArray<{
    readonly labels?: Record<string, string>;
    readonly value?: string;
  }>;
}

const WAL_FAMILIES = [
  'ledger_event_store_wal_frames',
  'ledger_event_store_wal_frames_waiting',
  'ledger_event_store_checkpoints_total',
  'ledger_event_store_checkpointer_up',
];

const OPERATIONS_MD = join(__dirname, '../../../../../docs/operations.md');

const directory = mkdtempSync(join(tmpdir(), 'api-metrics-wal-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface RunningApp {
  readonly store: SqliteEventStore;
  readonly metrics: MetricsRegistry;
  scrape(): Promise<{ text: string; families: Map<string, Family> }>;
  close(): Promise<void>;
}

/** The health controller (which serves /metrics) over the instrumented store, as ledger-api wires it. */
async function startApp(options: SqliteEventStoreOptions): Promise<RunningApp> {
  const store = await openSqliteEventStore(options);
  const metrics = new MetricsRegistry();
  const instrumented: EventStore = instrumentEventStore(store, metrics);

  @Module({
    controllers: [HealthHttpController],
    providers: [
      { provide: EVENT_STORE, useValue: instrumented },
      { provide: IDEMPOTENCY_STORE, useValue: instrumented },
      { provide: MetricsRegistry, useValue: metrics },
    ],
  })
  class MetricsTestModule {}

  let app: INestApplication | undefined;
  try {
    app = await NestFactory.create(MetricsTestModule, { logger: false });
    app.setGlobalPrefix('api/v1');
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app?.close();
    await store.close();
    throw error;
  }
  const started = app;
  const url = `${(await started.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1/metrics`;
  return {
    store,
    metrics,
    scrape: async () => {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const text = await response.text();
      const families = parsePrometheusTextFormat(text) as Family[];
      return { text, families: new Map(families.map((family) => [family.name, family])) };
    },
    close: async () => {
      await started.close();
      await store.close();
    },
  };
}

/** The one sample of an unlabeled family, or of the series with these labels. */
function valueOf(
  families: Map<string, Family>,
  name: string,
  labels?: Record<string, string>,
): number | undefined {
  const family = families.get(name);
  const metric = family?.metrics.find((candidate) =>
    labels === undefined
      ? candidate.labels === undefined || Object.keys(candidate.labels).length === 0
      : Object.entries(labels).every(([label, value]) => candidate.labels?.[label] === value),
  );
  return metric?.value === undefined ? undefined : Number(metric.value);
}

/** An event of about two pages, so every commit adds a few frames to the WAL. */
function bigEvent(seed: string): NewEvent {
  return testEvent(seed, { data: { claimId: seed, note: 'x'.repeat(6000) } });
}

let eventCounter = 0;
async function appendBig(store: EventStore, count: number): Promise<void> {
  for (let at = 0; at < count; at += 1) {
    eventCounter += 1;
    await store.appendToStream(`wal-${eventCounter}`, [bigEvent(`wal-${eventCounter}`)], {
      expectedRevision: 'no_stream',
    });
  }
}

/** Family names of docs/operations.md's metrics table (the prom-client defaults' row aside). */
function documentedFamilies(): string[] {
  const text = readFileSync(OPERATIONS_MD, 'utf8');
  const section = text.slice(
    text.indexOf('## Metrics'),
    text.indexOf('\n## ', text.indexOf('## Metrics') + 1),
  );
  return [...section.matchAll(/^\| `(ledger_[a-z_]+)` \|/gm)].map((match) => match[1] as string);
}

describe('the WAL families of /metrics', () => {
  it('on a SQLite file with the checkpointer thread: frames, checkpoints by thread and writer, the thread up then down', async () => {
    const running = await startApp({
      file: join(directory, 'thread.db'),
      checkpoint: { mode: 'thread', thresholdFrames: 50, hardLimitFrames: 300 },
    });
    try {
      // Before the first commit no thread yet: the WAL and the counter, not the thread's gauge.
      const first = await running.scrape();
      expect(first.families.get('ledger_event_store_wal_frames')?.type).toBe('GAUGE');
      expect(valueOf(first.families, 'ledger_event_store_wal_frames')).toEqual(expect.any(Number));
      expect(
        valueOf(first.families, 'ledger_event_store_checkpoints_total', { by: 'thread' }),
      ).toBe(0);
      expect(
        valueOf(first.families, 'ledger_event_store_checkpoints_total', { by: 'writer' }),
      ).toBe(0);
      expect(first.families.has('ledger_event_store_checkpointer_up')).toBe(false);

      // Past the threshold the thread checkpoints; it looks when a commit wakes it, so commits go on
      // (through the instrumented store, as requests would) until it has.
      const instrumented = instrumentEventStore(running.store, running.metrics);
      await appendBig(instrumented, 30);
      for (let more = 0; (running.store.walStatus()?.threadCheckpoints ?? 0) === 0; more += 1) {
        if (more === 500) throw new Error('the checkpointer thread never checkpointed');
        await appendBig(instrumented, 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const second = await running.scrape();
      const { families } = second;
      expect(families.get('ledger_event_store_checkpoints_total')?.type).toBe('COUNTER');
      expect(valueOf(families, 'ledger_event_store_checkpointer_up')).toBe(1);
      const frames = valueOf(families, 'ledger_event_store_wal_frames') ?? -1;
      const waiting = valueOf(families, 'ledger_event_store_wal_frames_waiting') ?? -1;
      expect(frames).toBeGreaterThan(0);
      expect(waiting).toBeGreaterThanOrEqual(0);
      expect(waiting).toBeLessThanOrEqual(frames);
      const byThread = valueOf(families, 'ledger_event_store_checkpoints_total', { by: 'thread' });
      expect(byThread).toBeGreaterThanOrEqual(1);
      expect(byThread).toBeLessThanOrEqual(running.store.walStatus()?.threadCheckpoints ?? 0);
      expect(valueOf(families, 'ledger_event_store_checkpoints_total', { by: 'writer' })).toBe(0);

      // The thread dies: its gauge says so, and past the hard limit the writer's checkpoints are counted.
      await running.store.checkpointerThread?.terminate();
      await appendBig(instrumented, 400);
      const status = running.store.walStatus();
      expect(status?.writerCheckpoints).toBeGreaterThan(0);
      const third = await running.scrape();
      expect(valueOf(third.families, 'ledger_event_store_checkpointer_up')).toBe(0);
      // The counter took in the store's counts, no more, never less than before.
      expect(
        valueOf(third.families, 'ledger_event_store_checkpoints_total', { by: 'writer' }),
      ).toBe(status?.writerCheckpoints);
      const threadAfter = valueOf(third.families, 'ledger_event_store_checkpoints_total', {
        by: 'thread',
      });
      expect(threadAfter).toBe(status?.threadCheckpoints);
      expect(threadAfter).toBeGreaterThanOrEqual(byThread ?? Infinity);
      expect(valueOf(third.families, 'ledger_event_store_wal_frames')).toBeLessThanOrEqual(
        300 + 20,
      );

      // Every family the registry now has (the WAL's included) is a row of the operators' table.
      const registered = (await running.metrics.registry.getMetricsAsJSON())
        .map((metric) => metric.name)
        .filter((name) => !/^ledger_(process|nodejs)_/.test(name));
      expect(registered).toEqual(expect.arrayContaining(WAL_FAMILIES));
      expect([...registered].sort()).toEqual([...documentedFamilies()].sort());
    } finally {
      await running.close();
    }
  });

  it('inline on a SQLite file: the WAL and the counter, no checkpointer gauge', async () => {
    const running = await startApp({ file: join(directory, 'inline.db') });
    try {
      await appendBig(running.store, 5);
      const { families } = await running.scrape();
      expect(valueOf(families, 'ledger_event_store_wal_frames')).toBeGreaterThan(0);
      expect(families.has('ledger_event_store_checkpointer_up')).toBe(false);
    } finally {
      await running.close();
    }
  });

  it('a store without a WAL (in memory) exports none of the WAL families', async () => {
    const running = await startApp({ file: ':memory:' });
    try {
      await appendBig(running.store, 3);
      const { text, families } = await running.scrape();
      // The scrape itself works and has the other families.
      expect(valueOf(families, 'ledger_event_store_head_position')).toBe(3);
      for (const name of WAL_FAMILIES) {
        expect(families.has(name) ? `exported ${name}` : name).toBe(name);
        expect(text).not.toContain(name);
      }
    } finally {
      await running.close();
    }
  });
});
