module.exports = {
  displayName: 'application',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/application',
};
