// `npm run bench`: runs every benchmark in test/bench one after the other and prints their figures.
// Benchmarks report numbers; they never assert on timing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled, nodeTsArgs, run, root } from './lib.mjs';

ensureInstalled();
const only = process.argv.slice(2);
const benches = readdirSync(join(root, 'test', 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();
let failures = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const status = run(
    process.execPath,
    ['--expose-gc', ...nodeTsArgs(join('test', 'bench', file))],
    { allowFailure: true },
  );
  if (status !== 0) failures += 1;
}
console.log(`\n${benches.length - failures} benchmarks completed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
