module.exports = {
  displayName: 'policy',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/policy',
};
