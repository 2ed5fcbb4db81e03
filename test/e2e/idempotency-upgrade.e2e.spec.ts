/**
 * The idempotency store left over (issue 12): on SQLite and PostgreSQL the records live in the event
 * store's own `records` table, and ledger-api no longer opens `idempotency.db` / schema `idempotency`.
 * Records an earlier version left there (each request a stream of IdempotencyKeyReserved and
 * IdempotentResponseRecorded) are imported once at start, read-only: a retry across the upgrade replays
 * exactly what the earlier version answered (docs/architecture.md §4, "Records left by the earlier layout").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { API_PREFIX, idempotencyRecordKey, requestFingerprint, uuidFromName } from '@hz/api';
import {
  createEventStore,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@hz/event-store';
// There is no path alias for the app (apps are not libraries); the layout's location is the app's.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadConfig, storeSelectionOf } from '../../apps/ledger-api/src';
import { actorsOf, newUscc } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

const POSTGRES = process.env['LEDGER_EVENT_STORE'] === 'postgres';

/** The earlier version's idempotency store, opened as that version opened it (for writing). */
function openLegacyStore(dataDir: string): Promise<EventStore> {
  const config = loadConfig({ ...process.env, LEDGER_DATA_DIR: dataDir });
  return createEventStore(storeSelectionOf(config).idempotency);
}

async function legacySchemaExists(): Promise<boolean> {
  const pool = new Pool({ connectionString: process.env['DATABASE_URL'], max: 1 });
  try {
    const found = await pool.query<{ found: string | null }>(
      `SELECT to_regnamespace('idempotency') AS found`,
    );
    return found.rows[0]?.found != null;
  } finally {
    await pool.end();
  }
}

/** What the earlier IdempotencyService appended for one request (reservation, then the response). */
async function recordAsEarlierVersion(
  store: EventStore,
  request: { actor: string; role: string; key: string; path: string; body: JsonObject },
  response?: { status: number; body: JsonObject },
): Promise<void> {
  const streamId = idempotencyRecordKey(request.actor, request.key);
  const fingerprint = requestFingerprint('POST', request.path, request.body);
  const metadata = {
    actor: request.actor,
    role: request.role,
    correlationId: 'before-upgrade',
    causationId: 'before-upgrade',
    idempotencyKey: request.key,
    occurredAt: '2026-11-30T09:00:00.000Z',
  };
  const event = (type: string, data: JsonObject) => ({
    id: uuidFromName(`${streamId}/${type}`),
    type,
    data,
    metadata,
  });
  await store.appendToStream(streamId, [event('IdempotencyKeyReserved', { fingerprint })], {
    expectedRevision: 'no_stream',
  });
  if (response === undefined) return;
  await store.appendToStream(
    streamId,
    [event('IdempotentResponseRecorded', { fingerprint, ...response })],
    { expectedRevision: 0n },
  );
}

async function legacyEvents(dataDir: string): Promise<RecordedEvent[]> {
  const store = await openLegacyStore(dataDir);
  try {
    return await store.readAll({ maxCount: 1000 });
  } finally {
    await store.close();
  }
}

describe('idempotency records across the upgrade to one commit per command', () => {
  it('opens no idempotency store of its own: neither idempotency.db nor schema idempotency is created', async () => {
    const test = await startTestServer();
    try {
      const actors = await actorsOf(test);
      const uscc = newUscc();
      const body = { uscc, name: 'No Legacy Co', district: 'xihu' };
      const first = await actors.admin.post('/applicants', body, { key: 'fresh-1' });
      expect(first.status).toBe(201);
      const again = await actors.admin.post('/applicants', body, { key: 'fresh-1' });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(() => readFileSync(join(test.dataDir, 'idempotency.db'))).toThrow(/ENOENT/);
      if (POSTGRES) expect(await legacySchemaExists()).toBe(false);
    } finally {
      await test.stop();
    }
  });

  describe('given records an earlier version left in its idempotency store', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hz-upgrade-'));
    const uscc = newUscc();
    const registration = { uscc, name: 'Registered Before The Upgrade', district: 'xihu' };
    const answered = {
      status: 201,
      body: { uscc, status: 'registered', position: '41', note: 'the earlier answer' },
    };
    const unansweredUscc = newUscc();
    const unanswered = { uscc: unansweredUscc, name: 'Reserved, Never Answered', district: 'xihu' };
    let test: TestServer | undefined;
    let before: RecordedEvent[];
    let fileBefore: string | undefined;

    beforeAll(async () => {
      // startTestServer takes the data dir from the environment (and leaves it in place on stop).
      process.env['LEDGER_DATA_DIR'] = dataDir;
      const path = `/${API_PREFIX}/applicants`;
      const legacy = await openLegacyStore(dataDir);
      try {
        const request = { actor: 'root-admin', role: 'admin', path };
        await recordAsEarlierVersion(
          legacy,
          { ...request, key: 'before-1', body: registration },
          answered,
        );
        await recordAsEarlierVersion(legacy, { ...request, key: 'before-2', body: unanswered });
      } finally {
        await legacy.close();
      }
      before = await legacyEvents(dataDir);
      if (!POSTGRES) fileBefore = sha256(join(dataDir, 'idempotency.db'));
      test = await startTestServer();
    });

    afterAll(async () => {
      await test?.stop();
      delete process.env['LEDGER_DATA_DIR'];
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('replays the recorded answer on a retry with the same key and body, executing nothing', async () => {
      const server = test as TestServer;
      const actors = await actorsOf(server);
      const retry = await actors.admin.post('/applicants', registration, { key: 'before-1' });
      expect({ status: retry.status, body: retry.body }).toEqual(answered);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      // Replayed, not executed: the applicant was never registered in this ledger.
      expect((await server.allEvents()).filter((event) => event.data['uscc'] === uscc)).toEqual([]);
      // Another body under that key is refused, as the earlier version refused it.
      const reused = await actors.admin.post(
        '/applicants',
        { ...registration, name: 'Another Body' },
        { key: 'before-1' },
      );
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
    });

    it('executes a request the earlier version reserved but never answered', async () => {
      const actors = await actorsOf(test as TestServer);
      const retry = await actors.admin.post('/applicants', unanswered, { key: 'before-2' });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      const again = await actors.admin.post('/applicants', unanswered, { key: 'before-2' });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(retry.body);
    });

    it('keeps replaying after a restart (imported once, into the ledger store), and never wrote the old store', async () => {
      await (test as TestServer).stop();
      test = undefined;
      test = await startTestServer();
      const actors = await actorsOf(test);
      const retry = await actors.admin.post('/applicants', registration, { key: 'before-1' });
      expect({ status: retry.status, body: retry.body }).toEqual(answered);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(
        await test.server.store.records?.read(idempotencyRecordKey('root-admin', 'before-1')),
      ).toEqual({ fingerprint: expect.any(String), ...answered });
      expect(await test.server.store.records?.read('legacy-idempotency-import')).toMatchObject({
        records: 1,
      });
      if (!POSTGRES) expect(sha256(join(dataDir, 'idempotency.db'))).toBe(fileBefore);
      expect(await legacyEvents(dataDir)).toEqual(before);
    });
  });
});

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
