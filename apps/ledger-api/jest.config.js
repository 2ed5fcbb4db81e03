// jose 6 (reached through @hz/auth) ships ESM only: let @swc/jest turn it into CommonJS for jest.
module.exports = {
  displayName: 'ledger-api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/ledger-api',
};
