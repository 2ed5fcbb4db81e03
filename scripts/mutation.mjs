// `npm run mutation [-- money policy ledger]`: Stryker over the domain libraries, one library at a time
// (stryker.config.mjs), then one line per library with its mutation score (docs/mutation.md).
// Not part of `npm test` or CI: money takes about ten minutes, policy and ledger hours on a busy machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIBS = ['money', 'policy', 'ledger'];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((lib) => !LIBS.includes(lib));
if (unknown.length > 0) {
  console.error(`unknown librar${unknown.length === 1 ? 'y' : 'ies'}: ${unknown.join(', ')}`);
  console.error(`usage: npm run mutation [-- ${LIBS.join(' ')}]`);
  process.exit(2);
}
const libs = wanted.length > 0 ? wanted : LIBS;

/** Counts by status from Stryker's JSON report (mutation-testing-report-schema). */
function countsOf(report) {
  const counts = {};
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
  }
  return counts;
}

function summaryOf(lib) {
  const file = path.join(ROOT, 'tmp', 'mutation', `${lib}.json`);
  if (!existsSync(file)) return `${lib}: no report`;
  const c = countsOf(JSON.parse(readFileSync(file, 'utf8')));
  const killed = (c.Killed ?? 0) + (c.Timeout ?? 0);
  const survived = c.Survived ?? 0;
  const noCoverage = c.NoCoverage ?? 0;
  const valid = killed + survived + noCoverage;
  const score = valid === 0 ? 'n/a' : ((100 * killed) / valid).toFixed(2);
  const covered =
    killed + survived === 0 ? 'n/a' : ((100 * killed) / (killed + survived)).toFixed(2);
  return (
    `${lib}: score ${score}% (covered ${covered}%): ${killed} killed (${c.Timeout ?? 0} by timeout), ` +
    `${survived} survived, ${noCoverage} without coverage, ${(c.CompileError ?? 0) + (c.RuntimeError ?? 0)} errors`
  );
}

let failed = false;
for (const lib of libs) {
  console.log(`\n== Stryker: libs/${lib}`);
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, STRYKER_LIB: lib },
  });
  if (run.status !== 0) failed = true;
}
console.log('');
for (const lib of libs) console.log(summaryOf(lib));
process.exit(failed ? 1 : 0);
