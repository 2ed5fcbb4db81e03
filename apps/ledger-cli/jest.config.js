module.exports = {
  displayName: 'ledger-cli',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/ledger-cli',
};
