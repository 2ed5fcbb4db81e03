// The dashboard in Debian's Chromium against the real ledger-api on a demo ledger (see src/support).
// jose 6 ships ESM only: let @swc/jest turn its files into CommonJS for jest's module registry.
const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'browser',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/test/browser',
  // One real service and one Chromium for the whole file; each test drives several pages.
  testTimeout: 180_000,
  transform: {
    ...preset.transform,
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
