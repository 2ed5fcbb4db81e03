// Mutation testing of the domain libraries (docs/mutation.md): `npm run mutation` runs Stryker once per
// library through scripts/mutation.mjs; `STRYKER_LIB=policy npx stryker run` runs one by hand.
// Each run uses the library's own jest config (@swc/jest, jest.preset.js) and copies only what those
// tests load into the sandbox: the three domain libraries, the jest preset and the tsconfig paths.
const LIBS = ['money', 'policy', 'ledger'];

export function mutationConfig(lib) {
  if (!LIBS.includes(lib)) throw new Error(`STRYKER_LIB must be one of ${LIBS.join(', ')}`);
  return {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    packageManager: 'npm',
    testRunner: 'jest',
    jest: {
      projectType: 'custom',
      configFile: `libs/${lib}/jest.config.js`,
      enableFindRelatedTests: true,
    },
    coverageAnalysis: 'perTest',
    // A static mutant (module-level data such as the policy catalog) would rerun every test of the library
    // for each mutant; they are reported as ignored instead (docs/mutation.md).
    ignoreStatic: true,
    mutate: [`libs/${lib}/src/**/*.ts`, '!**/*.spec.ts', '!**/index.ts', '!**/testing/**'],
    ignorePatterns: [
      '/*',
      '!/libs',
      '/libs/*',
      ...LIBS.map((name) => `!/libs/${name}`),
      '!/jest.preset.js',
      '!/tsconfig.base.json',
      '!/package.json',
      '!/scripts',
    ],
    // The machine is shared (docs/mutation.md): one test process at a time.
    concurrency: 1,
    timeoutMS: 10000,
    tempDirName: 'tmp/stryker-tmp',
    cleanTempDir: true,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `tmp/mutation/${lib}.html` },
    jsonReporter: { fileName: `tmp/mutation/${lib}.json` },
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
    thresholds: { high: 90, low: 80, break: null },
  };
}

export default mutationConfig(process.env.STRYKER_LIB ?? 'money');
