// The hostile-client battery (README "Hostile clients"): generated requests and a model-based run over the
// real HTTP server. Every spec exists once per store: *.sqlite.hostile.spec.ts on a temp SQLite data dir,
// *.postgres.hostile.spec.ts in a throwaway PostgreSQL database (the e2e-postgres jest environment, named
// in each file's docblock). Needs PostgreSQL as test/e2e-postgres does (LEDGER_TEST_POSTGRES_URL).
module.exports = {
  displayName: 'hostile',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/test/hostile',
  testMatch: ['**/?(*.)+(hostile.spec).ts'],
  // Generous: one `it` is a whole family or all model runs, and CI machines are shared.
  testTimeout: 1_800_000,
};
