// Writes each jest project's totals to tmp/test-results/<project>.json, so that `npm test` can print one
// closing line for the whole workspace ("N passed, N failed, N skipped") after Nx has run every project.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.project =
      path.relative(path.join(__dirname, '..'), globalConfig.rootDir).replace(/[\\/]/g, '_') ||
      'root';
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, '..', 'tmp', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    const summary = {
      project: this.project,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites,
    };
    fs.writeFileSync(path.join(dir, `${this.project}.json`), JSON.stringify(summary));
  }
}

module.exports = SummaryReporter;
