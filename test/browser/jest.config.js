// The dashboard in Debian's Chromium against the real ledger-api on a demo ledger (see src/support).
module.exports = {
  displayName: 'browser',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/test/browser',
  // One real service and one Chromium for the whole file; each test drives several pages.
  testTimeout: 180_000,
};
