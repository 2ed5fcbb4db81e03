// The domain libraries keep 100% coverage: policy takes money's settings (libs/money/jest.config.js).
module.exports = {
  ...require('../money/jest.config.js'),
  displayName: 'policy',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/policy',
};
