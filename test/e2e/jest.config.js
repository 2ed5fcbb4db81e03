// Real HTTP against a real store: each spec file starts its own server (port 0, its own temp data dir).
module.exports = {
  displayName: 'e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/test/e2e',
  testMatch: ['**/?(*.)+(e2e.spec).ts'],
  testTimeout: 60_000,
};
