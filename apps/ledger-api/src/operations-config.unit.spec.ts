/** The operations settings of docs/operations.md: defaults, and every bad value named at start-up. */
import { loadConfig } from './config';
import { problemsOf } from './testing/config-problems';

describe('operations configuration', () => {
  it('defaults: info logs, open metrics on the API port, lag bound 10000, rate limit in memory', () => {
    expect(loadConfig({}, '/srv/ledger')).toEqual(
      expect.objectContaining({
        logLevel: 'info',
        metricsToken: undefined,
        metricsPort: undefined,
        readyMaxLagEvents: 10_000,
        redisUrl: undefined,
        redisKeyPrefix: 'ledger:rate-limit:',
      }),
    );
  });

  it('reads the settings', () => {
    const config = loadConfig(
      {
        LEDGER_LOG_LEVEL: 'debug',
        LEDGER_METRICS_TOKEN: 'a-metrics-token-of-32-characters',
        LEDGER_METRICS_PORT: '9464',
        LEDGER_READY_MAX_LAG_EVENTS: '0',
        REDIS_URL: 'redis://redis:6379',
        LEDGER_REDIS_KEY_PREFIX: 'city:',
      },
      '/srv/ledger',
    );
    expect(config).toEqual(
      expect.objectContaining({
        logLevel: 'debug',
        metricsToken: 'a-metrics-token-of-32-characters',
        metricsPort: 9464,
        readyMaxLagEvents: 0,
        redisUrl: 'redis://redis:6379',
        redisKeyPrefix: 'city:',
      }),
    );
  });

  it('names every bad value', () => {
    const problems = problemsOf({
      LEDGER_LOG_LEVEL: 'loud',
      LEDGER_METRICS_TOKEN: 'short',
      LEDGER_METRICS_PORT: '70000',
      LEDGER_READY_MAX_LAG_EVENTS: '-1',
      REDIS_URL: 'http://redis',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('LEDGER_LOG_LEVEL'),
        expect.stringContaining('LEDGER_METRICS_TOKEN'),
        expect.stringContaining('LEDGER_METRICS_PORT'),
        expect.stringContaining('LEDGER_READY_MAX_LAG_EVENTS'),
        expect.stringContaining('REDIS_URL'),
      ]),
    );
    expect(problems).toHaveLength(5);
  });
});
