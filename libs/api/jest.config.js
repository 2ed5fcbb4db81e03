// jose 6 (reached through @hz/auth by the HTTP layer) ships ESM only: let @swc/jest turn it into CommonJS.
module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/api',
};
