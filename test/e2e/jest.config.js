// Real HTTP against a real store: each spec file starts its own server (port 0, its own temp data dir).
// jose 6 ships ESM only: let @swc/jest turn its files into CommonJS for jest's module registry.
const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/test/e2e',
  testMatch: ['**/?(*.)+(e2e.spec).ts'],
  testTimeout: 60_000,
  transform: {
    ...preset.transform,
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
