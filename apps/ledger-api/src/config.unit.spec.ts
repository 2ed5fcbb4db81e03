import { ConfigError, loadConfig } from './config';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, '/srv/ledger');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

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
        jwt: { secret: undefined, issuer: undefined, audience: undefined, jwksUrl: undefined },
      }),
    );
  });

  it('normalises the countersign threshold to 2 digits', () => {
    expect(loadConfig({ LEDGER_COUNTERSIGN_THRESHOLD: '250000' }, '/srv').countersignThreshold).toBe('250000.00');
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

  it('needs a connection string for EventStoreDB', () => {
    expect(problemsOf({ LEDGER_EVENT_STORE: 'eventstoredb' })).toEqual([expect.stringContaining('EVENTSTORE_CONNECTION_STRING')]);
  });
});
