// The golden ledger (docs/architecture.md, "Event versions and upcasting"): a ledger written by an
// earlier version, imported into a fresh store, verified and replayed by this one.
module.exports = {
  displayName: 'golden',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/test/golden',
  testMatch: ['**/?(*.)+(spec).ts'],
  testTimeout: 120_000,
};
