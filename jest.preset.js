// Shared jest preset: @swc/jest transpiles (type checking is done once by `tsc`, see scripts/test.mjs),
// and the tsconfig path aliases resolve to the libraries' sources.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, targets] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/]/g, '\\/')}$`] = path.join(__dirname, targets[0]);
}

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            useDefineForClassFields: false,
          },
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
    // jose 6 ships ES modules only: @swc/jest turns its files into CommonJS for jest's module registry.
    '^.+/node_modules/jose/.+\\.js$': [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec).ts'],
  testTimeout: 30000,
  reporters: ['default', path.join(__dirname, 'scripts', 'jest-summary-reporter.js')],
};
