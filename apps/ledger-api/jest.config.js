// jose 6 (reached through @hz/auth) ships ESM only: let @swc/jest turn it into CommonJS for jest.
const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'ledger-api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/ledger-api',
  transform: {
    ...preset.transform,
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
