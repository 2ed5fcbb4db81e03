module.exports = {
  displayName: 'money',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/money',
};
