/**
 * The source a worker thread evaluates to run `file` (docs/architecture.md §4 "The writer thread", §3 verify
 * on worker threads, §5 the parallel rebuild): the compiled file as it is (the build of scripts/build.mjs
 * has `<name>.js` beside each compiled module, and a module starts `<name>${extname(__filename)}`, so
 * compiled code never loads a TypeScript worker; docs/operations.md "The compiled build"), or a TypeScript
 * source (under jest or `node -r @swc-node/register`) compiled module by module with @swc/core and the path aliases of
 * tsconfig.base.json (the options @swc-node/register derives from it). Not through @swc-node/register
 * itself: it loads the TypeScript compiler, about a second of a core and tens of MB per thread.
 * Start the worker with `new Worker(workerSource(file), { eval: true, execArgv: [] })`.
 */
import { extname, join, resolve } from 'node:path';

export function workerSource(file: string): string {
  if (extname(file) !== '.ts') return `require(${JSON.stringify(file)});`;
  // libs/kernel/src → the repository root, where tsconfig.base.json declares the path aliases.
  const root = resolve(__dirname, '..', '..', '..');
  return `
const { readFileSync } = require('node:fs');
const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
const { compilerOptions } = require(${JSON.stringify(join(root, 'tsconfig.base.json'))});
const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    baseUrl: ${JSON.stringify(root)},
    paths: compilerOptions.paths,
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: 'commonjs' },
  sourceMaps: false,
  swcrc: false,
  configFile: false,
};
require.extensions['.ts'] = (module, filename) =>
  module._compile(transformSync(readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);
require(${JSON.stringify(file)});
`;
}
