// `npm run openapi`: the API contract as a file (docs/architecture.md §6). Builds the real Nest app on a
// throw-away SQLite data dir (no server listening; apps/ledger-api/src/openapi-document.ts), writes
// docs/openapi.json (Prettier-formatted, committed so the contract's changes show in review) and the
// dashboard's types generated from it.
//
//   node scripts/openapi.mjs           regenerate docs/openapi.json, then the dashboard types
//   node scripts/openapi.mjs --check   fail if docs/openapi.json is not what the code produces, then
//                                      Redocly lint it (redocly.yaml): any error or warning fails
//   node scripts/openapi.mjs --types   only the dashboard types, from the committed docs/openapi.json
//                                      (the dashboard's build and type check run this; no Nest needed)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nodeTsArgs, root } from './lib.mjs';

const DOCUMENT = join(root, 'docs', 'openapi.json');
const TYPES = join(root, 'apps', 'dashboard', 'src', 'api', 'generated', 'openapi.d.ts');
const mode = process.argv[2] ?? 'write';

function fail(message) {
  console.error(`openapi: ${message}`);
  process.exit(1);
}

/** The document as the code declares it, formatted the way Prettier formats the committed file. */
async function produceDocument() {
  const result = spawnSync(
    process.execPath,
    nodeTsArgs('apps/ledger-api/src/openapi-document.ts'),
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) fail(`building the document failed:\n${result.stderr}`);
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(DOCUMENT)) ?? {};
  return prettier.format(result.stdout, { ...options, filepath: DOCUMENT });
}

function generateTypes() {
  mkdirSync(dirname(TYPES), { recursive: true });
  const cli = join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  const result = spawnSync(process.execPath, [cli, DOCUMENT, '--output', TYPES, '--immutable'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) fail(`openapi-typescript failed:\n${result.stderr}${result.stdout}`);
}

function lint() {
  const cli = join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  const result = spawnSync(process.execPath, [cli, 'lint', DOCUMENT, '--format=json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    fail(`redocly lint gave no report:\n${result.stderr}${result.stdout}`);
  }
  const { errors, warnings } = report.totals;
  for (const problem of report.problems) {
    const where = problem.location?.[0]?.pointer ?? '';
    console.error(`  ${problem.severity} ${problem.ruleId} ${where}: ${problem.message}`);
  }
  console.log(`redocly lint docs/openapi.json: ${errors} errors, ${warnings} warnings`);
  if (errors > 0 || warnings > 0) process.exit(1);
}

if (mode === '--types') {
  generateTypes();
} else if (mode === '--check') {
  const produced = await produceDocument();
  let committed = '';
  try {
    committed = readFileSync(DOCUMENT, 'utf8');
  } catch {
    // Missing counts as stale.
  }
  if (produced !== committed)
    fail('docs/openapi.json is not what the code declares: run `npm run openapi` and commit it');
  console.log('docs/openapi.json matches the code');
  lint();
} else if (mode === 'write') {
  writeFileSync(DOCUMENT, await produceDocument());
  console.log(`wrote ${DOCUMENT}`);
  generateTypes();
  console.log(`wrote ${TYPES}`);
} else {
  fail(`unknown option ${mode} (none, --check or --types)`);
}
