/**
 * /health/ready as a load balancer sees it (docs/operations.md): 503 while the read store is unreachable
 * or the read models are further behind the log than LEDGER_READY_MAX_LAG_EVENTS, 200 again as soon as
 * that is no longer so, with the current lag and no stale error.
 */
import { Client } from 'pg';
import { READ_STORE } from '@hz/api';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@hz/event-store';
import { ProjectionSupervisor, type ReadStore } from '@hz/projections';
import { actorsOf, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

jest.setTimeout(120_000);

/** Sets variables for one start, then puts back what was there (test/e2e-postgres sets some of them). */
async function withEnv<T>(env: Record<string, string>, start: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await start();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function readyUntil(
  actors: Actors,
  accept: (status: number, body: any) => boolean,
): Promise<{ status: number; body: any }> {
  let last: { status: number; body: any } = { status: 0, body: undefined };
  for (let attempt = 0; attempt < 600; attempt += 1) {
    last = await actors.anonymous.get('/health/ready');
    if (accept(last.status, last.body)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `readiness never became as expected; last: ${last.status} ${JSON.stringify(last.body)}`,
  );
}

describe('readiness and the projection lag bound', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    // No projector in this process (apps/projector's job), and no lag tolerated.
    test = await withEnv({ LEDGER_PROJECTOR: 'external', LEDGER_READY_MAX_LAG_EVENTS: '0' }, () =>
      startTestServer(),
    );
    actors = await actorsOf(test);
  });
  afterAll(async () => {
    await test.stop();
  });

  it('is 503 while the read models lag beyond the bound, and 200 once a projector caught up', async () => {
    await registered(actors);
    const lagging = await actors.anonymous.get('/health/ready');
    expect(lagging.status).toBe(503);
    expect(lagging.body.status).toBe('not_ready');
    expect(lagging.body.projections).toEqual(
      expect.objectContaining({
        ok: false,
        state: 'lagging',
        maxLagEvents: 0,
        lag: expect.stringMatching(/^[1-9][0-9]*$/),
      }),
    );
    expect(lagging.body.projections.lagSeconds).toEqual(expect.any(Number));
    expect((await actors.anonymous.get('/health/live')).status).toBe(200);

    const projector = new ProjectionSupervisor(
      test.server.store,
      test.server.app.get<ReadStore>(READ_STORE),
    );
    try {
      await projector.start();
      const ready = await readyUntil(actors, (status) => status === 200);
      expect(ready.body.projections).toEqual(
        expect.objectContaining({
          ok: true,
          state: 'caught_up',
          lag: '0',
          lagSeconds: 0,
          error: null,
        }),
      );
    } finally {
      await projector.stop();
    }
  });
});

describe('readiness while the read store is unreachable', () => {
  let database: ThrowawayDatabase;
  let test: TestServer;
  let actors: Actors;
  let admin: Client;
  beforeAll(async () => {
    database = await createThrowawayDatabase('ledger_ready');
    // The server's administrative database, as the throwaway one was created from.
    const adminUrl = new URL(database.connectionString);
    adminUrl.pathname = '/postgres';
    admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    // The log on the embedded files, the read models on PostgreSQL: the database can go away alone.
    test = await withEnv(
      {
        LEDGER_EVENT_STORE: 'sqlite',
        LEDGER_READ_STORE: 'postgres',
        DATABASE_URL: database.connectionString,
      },
      () => startTestServer(),
    );
    actors = await actorsOf(test);
  });
  afterAll(async () => {
    await test.stop();
    await admin.end();
    await database.drop();
  });

  it('is 503 while the read-model database refuses connections, and 200 without the old error once it is back', async () => {
    await registered(actors);
    await readyUntil(
      actors,
      (status, body) => status === 200 && body.projections.state === 'caught_up',
    );

    await admin.query(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database.name],
    );
    // Writes go on (the log is elsewhere); the projector cannot follow.
    await registered(actors);
    const down = await readyUntil(actors, (status) => status === 503);
    expect(down.body.store.readStoreReachable).toBe(false);
    expect(down.body.projections.state).toBe('unreachable');
    await readyUntil(actors, (_status, body) => body.projections.error !== null);

    await admin.query(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`);
    const back = await readyUntil(
      actors,
      (status, body) =>
        status === 200 && body.projections.state === 'caught_up' && body.projections.error === null,
    );
    expect(back.body.store.readStoreReachable).toBe(true);
    expect(back.body.projections.lag).toBe('0');
  });
});
