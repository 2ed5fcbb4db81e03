module.exports = {
  displayName: 'projections',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/projections',
};
