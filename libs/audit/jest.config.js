// jose 6 ships ESM only (reached through @hz/auth and @hz/api): let @swc/jest turn it into CommonJS.
const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'audit',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/audit',
  transform: {
    ...preset.transform,
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
