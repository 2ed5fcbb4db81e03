// `npm test`: type check, lint, build the dashboard (the browser tests use it), then every jest project
// through Nx. Ends with one closing line for the whole workspace: "N passed, N failed, N skipped".
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled, nx, run, root, hasProject } from './lib.mjs';

ensureInstalled();
const resultsDir = join(root, 'tmp', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });

const projects = process.env.TEST_PROJECTS ? ['--projects', process.env.TEST_PROJECTS] : [];
const steps = [];
steps.push([
  'typecheck',
  run(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit'],
    { allowFailure: true },
  ),
]);
// The API contract (docs/architecture.md §6): docs/openapi.json must be what the code declares, and
// Redocly-clean (redocly.yaml; any error or warning fails). The dashboard's types are generated from it.
steps.push([
  'openapi',
  run(process.execPath, [join(root, 'scripts', 'openapi.mjs'), '--check'], { allowFailure: true }),
]);
if (existsSync(join(root, 'apps', 'dashboard', 'tsconfig.json'))) {
  run(process.execPath, [join(root, 'scripts', 'openapi.mjs'), '--types']);
  steps.push([
    'typecheck dashboard',
    run(
      process.execPath,
      [
        join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'apps/dashboard/tsconfig.json',
        '--noEmit',
      ],
      { allowFailure: true },
    ),
  ]);
}
steps.push([
  'lint',
  nx(['run-many', '-t', 'lint', '--outputStyle=static', ...projects], { allowFailure: true }),
]);
// Formatting is part of lint: one Prettier config (.prettierrc.json, 100 columns) for the whole tree.
steps.push([
  'format check',
  run(
    process.execPath,
    [join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', '.'],
    {
      allowFailure: true,
    },
  ),
]);
if (hasProject('dashboard'))
  steps.push([
    'build dashboard',
    nx(['run', 'dashboard:build', '--outputStyle=static'], { allowFailure: true }),
  ]);
const parallel = process.env.TEST_PARALLEL ?? '1';
steps.push([
  'test',
  nx(['run-many', '-t', 'test', '--outputStyle=static', `--parallel=${parallel}`, ...projects], {
    allowFailure: true,
  }),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
const files = existsSync(resultsDir) ? readdirSync(resultsDir) : [];
for (const file of files) {
  const summary = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  passed += summary.passed;
  failed += summary.failed;
  skipped += summary.skipped;
  console.log(
    `  ${summary.project.padEnd(28)} ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`,
  );
}
const failedSteps = steps.filter(([, status]) => status !== 0).map(([name]) => name);
if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length === 0 && failed === 0 && passed > 0 ? 0 : 1);
