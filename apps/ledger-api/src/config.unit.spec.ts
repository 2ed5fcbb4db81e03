import { loadConfig } from './config';
import { problemsOf } from './testing/config-problems';
import { describeStores, storeSelectionOf, storesInUseOf } from './stores';

describe('configuration from the environment', () => {
  it('defaults to the embedded setup', () => {
    expect(loadConfig({}, '/srv/ledger')).toEqual(
      expect.objectContaining({
        port: 3000,
        host: '127.0.0.1',
        dataDir: '/srv/ledger/data',
        eventStore: 'sqlite',
        readStore: 'sqlite',
        countersignThreshold: '500000.00',
        rateLimitPerMinute: 6000,
        jwt: { secret: undefined, issuer: undefined, audience: undefined, jwksUrl: undefined },
      }),
    );
  });

  it('normalises the countersign threshold to 2 digits', () => {
    expect(
      loadConfig({ LEDGER_COUNTERSIGN_THRESHOLD: '250000' }, '/srv').countersignThreshold,
    ).toBe('250000.00');
  });

  it('reads the rate limit per minute, 0 disabling it, and refuses anything else by name', () => {
    expect(loadConfig({ LEDGER_RATE_LIMIT_PER_MINUTE: '120' }, '/srv').rateLimitPerMinute).toBe(
      120,
    );
    expect(loadConfig({ LEDGER_RATE_LIMIT_PER_MINUTE: '0' }, '/srv').rateLimitPerMinute).toBe(0);
    for (const bad of ['-1', '1.5', 'lots', '2000000']) {
      const problems = problemsOf({ LEDGER_RATE_LIMIT_PER_MINUTE: bad });
      expect(problems).toEqual([
        expect.stringContaining(
          'LEDGER_RATE_LIMIT_PER_MINUTE must be an integer 0..1000000 (0 disables rate limiting)',
        ),
      ]);
      expect(problems[0]).toContain(`got "${bad}"`);
    }
  });

  it('reports every problem at once, naming the variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LEDGER_EVENT_STORE: 'mysql',
      LEDGER_READ_STORE: 'postgres',
      LEDGER_JWT_SECRET: 'short',
      LEDGER_COUNTERSIGN_THRESHOLD: '-1',
    });
    expect(problems).toEqual([
      expect.stringContaining('PORT'),
      expect.stringContaining('LEDGER_EVENT_STORE'),
      expect.stringContaining('LEDGER_COUNTERSIGN_THRESHOLD'),
      expect.stringContaining('DATABASE_URL'),
      expect.stringContaining('LEDGER_JWT_SECRET'),
    ]);
  });

  it('needs a connection string for EventStoreDB, and PostgreSQL for the idempotency records beside it', () => {
    expect(problemsOf({ LEDGER_EVENT_STORE: 'eventstoredb' })).toEqual([
      expect.stringContaining('EVENTSTORE_CONNECTION_STRING'),
      expect.stringContaining('DATABASE_URL'),
    ]);
    expect(
      problemsOf({
        LEDGER_EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://node1:2113?tls=false',
        DATABASE_URL: 'postgres://db/ledger',
      }),
    ).toEqual([]);
  });

  it('reports what the store libraries refuse, e.g. a DATABASE_URL that is no postgres:// URL, without echoing it', () => {
    const problems = problemsOf({
      LEDGER_EVENT_STORE: 'postgres',
      DATABASE_URL: 'mysql://root:hunter2@db/ledger',
    });
    expect(problems).toEqual([expect.stringContaining('DATABASE_URL must be a postgres://')]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});

describe('store selection', () => {
  it('keeps the embedded files in the data dir', () => {
    const selection = storeSelectionOf(loadConfig({}, '/srv/ledger'));
    expect(selection.events).toEqual(
      expect.objectContaining({ kind: 'sqlite', file: '/srv/ledger/data/ledger.db' }),
    );
    expect(selection.idempotency).toEqual(
      expect.objectContaining({ kind: 'sqlite', file: '/srv/ledger/data/idempotency.db' }),
    );
    expect(selection.readSide).toEqual(
      expect.objectContaining({
        readStore: 'sqlite',
        readModelsFile: '/srv/ledger/data/read-models.db',
      }),
    );
  });

  it('opens the embedded event store synchronous=FULL unless LEDGER_SQLITE_SYNCHRONOUS says NORMAL', () => {
    const durable = storeSelectionOf(loadConfig({}, '/srv/ledger'));
    // No level given is the adapter's default, FULL.
    const levelOf = (config: object): unknown =>
      'synchronous' in config ? (config.synchronous ?? 'FULL') : 'FULL';
    expect(levelOf(durable.events)).toBe('FULL');
    expect(levelOf(durable.idempotency)).toBe('FULL');
    const fast = storeSelectionOf(loadConfig({ LEDGER_SQLITE_SYNCHRONOUS: 'NORMAL' }, '/srv'));
    expect(fast.events).toEqual(expect.objectContaining({ synchronous: 'NORMAL' }));
    expect(fast.idempotency).toEqual(expect.objectContaining({ synchronous: 'NORMAL' }));
    expect(problemsOf({ LEDGER_SQLITE_SYNCHRONOUS: 'OFF' })).toEqual([
      expect.stringContaining('LEDGER_SQLITE_SYNCHRONOUS must be one of FULL, NORMAL'),
    ]);
  });

  it('checkpoints the embedded event store on a checkpointer thread from 4000 frames by default, inline with LEDGER_SQLITE_CHECKPOINT=inline', () => {
    expect(
      storeSelectionOf(loadConfig({ LEDGER_SQLITE_CHECKPOINT: 'inline' }, '/srv/ledger')).events,
    ).not.toHaveProperty('checkpoint');
    const embedded = storeSelectionOf(loadConfig({}, '/srv/ledger'));
    expect(embedded.events).toEqual(
      expect.objectContaining({ checkpoint: { mode: 'thread', thresholdFrames: 4000 } }),
    );
    expect(
      storeSelectionOf(loadConfig({ LEDGER_SQLITE_CHECKPOINT: 'thread' }, '/srv/ledger')).events,
    ).toEqual(embedded.events);
    // Not the idempotency file of the earlier layout: read once at start, never written.
    expect(embedded.idempotency).not.toHaveProperty('checkpoint');
    // The writer thread's COMMITs, and their checkpoints, are off the main thread already.
    const threaded = storeSelectionOf(
      loadConfig(
        { LEDGER_GROUP_COMMIT: 'thread', LEDGER_SQLITE_CHECKPOINT: 'thread' },
        '/srv/ledger',
      ),
    );
    expect(threaded.events).not.toHaveProperty('checkpoint');
  });

  it('puts events, idempotency records and read models in one PostgreSQL database, each in its own schema', () => {
    const url = 'postgres://ledger:hunter2@db:5432/ledger';
    const config = loadConfig(
      {
        LEDGER_EVENT_STORE: 'postgres',
        LEDGER_READ_STORE: 'postgres',
        DATABASE_URL: url,
        LEDGER_PROJECTOR: 'external',
      },
      '/srv',
    );
    const selection = storeSelectionOf(config);
    expect(selection.events).toEqual({ kind: 'postgres', connectionString: url });
    expect(selection.idempotency).toEqual(
      expect.objectContaining({ kind: 'postgres', connectionString: url, schema: 'idempotency' }),
    );
    expect(selection.readSide).toEqual(
      expect.objectContaining({ readStore: 'postgres', databaseUrl: url, projector: 'external' }),
    );
    expect(storesInUseOf(config)).toEqual({
      events: 'postgres',
      idempotency: 'postgres',
      readModels: 'postgres',
      projector: 'external',
    });
    const described = describeStores(config).join('\n');
    expect(described).toContain('events:      postgres db:5432/ledger schema event_store');
    // The records are rows of the event store's own `records` table (issue 12): no schema of their own.
    expect(described).toContain('idempotency: records table of the event store');
    expect(described).toContain(
      'read models: postgres db:5432/ledger schema read_models (projector external)',
    );
    expect(described).not.toContain('hunter2');
  });

  it('keeps the idempotency records in PostgreSQL beside EventStoreDB', () => {
    const config = loadConfig(
      {
        LEDGER_EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://node1:2113?tls=false',
        DATABASE_URL: 'postgres://db/ledger',
      },
      '/srv',
    );
    expect(storesInUseOf(config)).toEqual({
      events: 'eventstoredb',
      idempotency: 'postgres',
      readModels: 'sqlite',
      projector: 'in-process',
    });
    expect(describeStores(config).join('\n')).toContain(
      'idempotency: postgres db/ledger schema idempotency',
    );
  });
});
