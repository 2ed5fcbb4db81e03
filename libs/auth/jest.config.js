// jose 6 ships ESM only: let @swc/jest turn its files into CommonJS for jest's module registry.
const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'auth',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/auth',
  transform: {
    ...preset.transform,
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
