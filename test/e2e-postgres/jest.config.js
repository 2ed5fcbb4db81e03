// The e2e suite of test/e2e, unchanged, against PostgreSQL: events, idempotency records and read models
// in one throwaway database per spec file (see postgres-environment.ts), the way the docker stacks run.
// Needs a PostgreSQL server: LEDGER_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres.
const e2e = require('../e2e/jest.config.js');

module.exports = {
  ...e2e,
  displayName: 'e2e-postgres',
  rootDir: __dirname,
  roots: ['<rootDir>/../e2e'],
  coverageDirectory: '../../coverage/test/e2e-postgres',
  testEnvironment: '<rootDir>/postgres-environment.ts',
  // PostgreSQL commits wait for the WAL flush and every spec file creates its own database.
  testTimeout: 120_000,
};
