import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  ENVIRONMENT,
  givenText,
  loadEnvironment,
  readEnvironment,
  textOrDefault,
} from './environment';
import { environmentTable, TABLE_BEGIN, TABLE_END } from './environment-table';

const OPERATIONS_MD = join(__dirname, '../../../docs/operations.md');

describe('the environment schema', () => {
  it('gives every variable a type and a one-line doc, and parses its own default', () => {
    for (const [name, variable] of Object.entries(ENVIRONMENT)) {
      expect([name, variable.type.length > 0, variable.doc.endsWith('.')]).toEqual([
        name,
        true,
        true,
      ]);
      if (variable.default !== undefined)
        expect(() => variable.parse(variable.default as string, name)).not.toThrow();
    }
  });

  it('reads trimmed text, an empty value as unset, and applies the defaults', () => {
    const settings = loadEnvironment({
      PORT: ' 8080 ',
      LEDGER_HOST: '',
      REDIS_URL: 'redis://r:6379',
    });
    expect([
      settings.PORT,
      settings.LEDGER_HOST,
      settings.REDIS_URL,
      settings.DATABASE_URL,
    ]).toEqual([8080, '127.0.0.1', 'redis://r:6379', undefined]);
    expect(givenText({ NODE_ENV: '  ' }, 'NODE_ENV')).toBeUndefined();
    expect(textOrDefault({}, 'LEDGER_EVENT_STORE')).toBe('sqlite');
  });

  it('reports every refused value at once, naming the variable, and falls back to the default', () => {
    const { settings, problems } = readEnvironment({
      PORT: 'eighty',
      LEDGER_READ_STORE: 'mysql',
      LEDGER_METRICS_TOKEN: 'short',
      LEDGER_BODY_LIMIT: 'huge',
      LEDGER_JWKS_URL: 'ftp://keys',
      LEDGER_PROJECTOR_LEASE_TTL_MS: '100',
    });
    expect(problems).toEqual([
      'PORT must be an integer 0..65535 (0 = any free port), got "eighty"',
      'LEDGER_READ_STORE must be one of sqlite, postgres, got "mysql"',
      'LEDGER_JWKS_URL must be an http(s) URL',
      'LEDGER_BODY_LIMIT must look like 256kb or 1mb',
      'LEDGER_METRICS_TOKEN must be at least 16 bytes',
      'LEDGER_PROJECTOR_LEASE_TTL_MS must be an integer of at least 300 (ms), got "100"',
    ]);
    expect([settings.LEDGER_READ_STORE, settings.LEDGER_PROJECTOR_LEASE_TTL_MS]).toEqual([
      'sqlite',
      5000,
    ]);
    expect(() => loadEnvironment({ LEDGER_LOG_LEVEL: 'loud' }, ['LEDGER_LOG_LEVEL'])).toThrow(
      new ConfigError([
        'LEDGER_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      ]),
    );
  });

  it('reads only the variables asked for', () => {
    expect(readEnvironment({ PORT: 'eighty' }, ['LEDGER_DATA_DIR'])).toEqual({
      settings: { LEDGER_DATA_DIR: './data' },
      problems: [],
    });
  });

  it('is the table of docs/operations.md (UPDATE_ENV_TABLE=1 rewrites it)', () => {
    const doc = readFileSync(OPERATIONS_MD, 'utf8');
    const begin = doc.indexOf(TABLE_BEGIN);
    const end = doc.indexOf(TABLE_END);
    expect([begin >= 0, end > begin]).toEqual([true, true]);
    const current = doc.slice(begin, end + TABLE_END.length);
    if (process.env['UPDATE_ENV_TABLE'] === '1' && current !== environmentTable())
      writeFileSync(OPERATIONS_MD, doc.replace(current, environmentTable()));
    else expect(current).toBe(environmentTable());
  });
});
