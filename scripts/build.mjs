// `npm run build`: the Node apps (ledger-api, ledger-cli, projector), every lib they import and the worker
// entry files, compiled ahead of time to plain CommonJS with @swc/core, so a process runs JavaScript
// instead of loading @swc-node/register and the TypeScript compiler (docs/operations.md "The compiled
// build"; docs/benchmarks.md "Memory bound and the compiled build").
//
// The output is content-addressed: dist/node/<digest>/ mirrors the repository's layout, where <digest>
// covers every compiled source, tsconfig.base.json, this script and the @swc/core version. A runner
// (scripts/ledger.mjs, the replay bench) computes the digest of the sources as they are now and runs the
// build of exactly that digest, building it first when it is missing; a stale build has another digest
// and is never run. The digest takes a few milliseconds (the sources are ~1.7 MB); the build, a second
// or two. A build is written beside its final place and renamed into it, so a half-written build is never
// seen, and two builds of the same digest at once both end with the same complete one. Builds of other
// digests are deleted once unused for 6 hours.
//
// tsconfig.base.json's path aliases (@hz/*) are rewritten by swc into relative requires (jsc.paths), and
// the layout is kept, so `../../kernel/src` from a compiled lib resolves in dist as in the sources and
// node_modules is found from dist/node/<digest>/ upwards. Decorator metadata stays on (Nest reads the
// constructor parameter types through emitDecoratorMetadata), with the options @swc-node/register and
// @hz/kernel's workerSource derive from the same tsconfig. Spec files are not compiled: the tests keep
// running their TypeScript through @swc/jest.
//
//   node scripts/build.mjs            build the current sources (nothing to do when already built)
//   node scripts/build.mjs --print    print the directory of the current build, building it if needed
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Where the builds live: one directory per digest of the sources. */
export const buildsDir = join(root, 'dist', 'node');

/** The compiled trees: every Node app and every lib (the apps import most of them, workers the rest). */
const SOURCE_ROOTS = [
  'apps/ledger-api/src',
  'apps/ledger-cli/src',
  'apps/projector/src',
  ...readdirSync(join(root, 'libs'))
    .filter((lib) => existsSync(join(root, 'libs', lib, 'src')))
    .map((lib) => `libs/${lib}/src`),
  'libs/policy/testing',
].filter((dir) => existsSync(join(root, dir)));

/** Marks a build as complete; written last, inside the directory that is renamed into place. */
const COMPLETE = '.build-complete';
/**
 * Builds of other digests used within this time are kept: a running job may still load a worker file from
 * its build. Each use of a build marks it (the mtime of its COMPLETE file).
 */
const KEEP_OLD_BUILDS_MS = 6 * 60 * 60 * 1000;

function isCompiled(file) {
  return file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.spec.ts');
}

/** Every compiled source, relative to the root with '/' separators, sorted (the digest's order). */
export function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && isCompiled(entry.name)) files.push(path);
    }
  };
  for (const dir of SOURCE_ROOTS) walk(dir);
  return files.sort();
}

function swcVersion() {
  return JSON.parse(readFileSync(require.resolve('@swc/core/package.json'), 'utf8')).version;
}

/**
 * The digest of what a build is made of: each source's path and content, tsconfig.base.json (the aliases
 * and decorator options), this script (how it compiles) and the compiler's version. Any change to any of
 * them is a different digest, hence a different directory.
 */
export function sourceDigest(files = sourceFiles()) {
  const hash = createHash('sha256');
  const part = (label, content) => {
    hash.update(`${label}\0${content.length}\0`);
    hash.update(content);
  };
  part('swc', swcVersion());
  part('node-major', process.versions.node.split('.')[0]);
  part('tsconfig.base.json', readFileSync(join(root, 'tsconfig.base.json')));
  part('scripts/build.mjs', readFileSync(fileURLToPath(import.meta.url)));
  for (const file of files) part(file, readFileSync(join(root, file)));
  return hash.digest('hex').slice(0, 20);
}

function swcOptions(filename) {
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
  return {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      target: 'es2022',
      baseUrl: root,
      paths: compilerOptions.paths,
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: true,
    swcrc: false,
    configFile: false,
  };
}

/** Compiles every source into `out` (a fresh directory); returns the number of files. */
async function compileInto(out, files) {
  const swc = require('@swc/core');
  const sources = files.map((file) => ({ file, code: readFileSync(join(root, file), 'utf8') }));
  // swc's transform runs on its own thread pool: all at once keeps both cores busy.
  const outputs = await Promise.all(
    sources.map(({ file, code }) => swc.transform(code, swcOptions(join(root, file)))),
  );
  const problems = [];
  sources.forEach(({ file }, index) => {
    const target = join(out, file.replace(/\.ts$/, '.js'));
    const output = outputs[index];
    mkdirSync(dirname(target), { recursive: true });
    const mapName = `${target.slice(dirname(target).length + 1)}.map`;
    writeFileSync(target, `${output.code}\n//# sourceMappingURL=${mapName}\n`);
    if (output.map) writeFileSync(`${target}.map`, output.map);
    problems.push(...unresolved(file, output.code, files));
  });
  if (problems.length > 0)
    throw new Error(`build: requires that leave the build:\n  ${problems.join('\n  ')}`);
  return files.length;
}

/**
 * The relative requires of one compiled file that name no compiled file (`x.js` or `x/index.js`): an alias
 * swc left unresolved or an import of a file outside the compiled trees would run from the sources, or not
 * at all, so the build refuses it.
 */
function unresolved(file, code, files) {
  const compiled = new Set(files.map((source) => source.replace(/\.ts$/, '')));
  const problems = [];
  for (const [, specifier] of code.matchAll(/require\("(\.{1,2}\/[^"]*|@hz\/[^"]*)"\)/g)) {
    const target = join(dirname(file), specifier).split(sep).join('/');
    if (!compiled.has(target) && !compiled.has(`${target}/index`))
      problems.push(`${file}: require("${specifier}")`);
  }
  return problems;
}

function pruneOldBuilds(keep) {
  const now = Date.now();
  for (const entry of readdirSync(buildsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const path = join(buildsDir, entry.name);
    // A half-written build of a crashed run (`.tmp-…`), or a finished one of older sources.
    const marker = join(path, COMPLETE);
    const age = now - statSync(existsSync(marker) ? marker : path).mtimeMs;
    if (entry.name.startsWith('.tmp-') ? age > 10 * 60 * 1000 : age > KEEP_OLD_BUILDS_MS)
      rmSync(path, { recursive: true, force: true });
  }
}

/**
 * The directory of the build of the current sources, compiled now if it does not exist yet. `log` gets one
 * line when a build is made.
 */
export async function ensureBuilt({ log = () => undefined } = {}) {
  const files = sourceFiles();
  const digest = sourceDigest(files);
  const dir = join(buildsDir, digest);
  if (existsSync(join(dir, COMPLETE))) {
    const now = new Date();
    utimesSync(join(dir, COMPLETE), now, now);
    return dir;
  }
  mkdirSync(buildsDir, { recursive: true });
  const started = Date.now();
  const temporary = join(buildsDir, `.tmp-${digest}-${process.pid}`);
  rmSync(temporary, { recursive: true, force: true });
  const count = await compileInto(temporary, files);
  writeFileSync(join(temporary, COMPLETE), `${JSON.stringify({ digest, files: count })}\n`);
  try {
    renameSync(temporary, dir);
  } catch (error) {
    // Another build of the same digest finished first: it is the same output, keep that one.
    rmSync(temporary, { recursive: true, force: true });
    if (!existsSync(join(dir, COMPLETE))) throw error;
  }
  log(
    `> build: ${count} files compiled to ${relative(root, dir).split(sep).join('/')} in ${Date.now() - started} ms`,
  );
  pruneOldBuilds(digest);
  return dir;
}

/** The compiled file of a source entry (`apps/ledger-cli/src/main.ts`) in the build `dir`. */
export function compiledEntry(dir, entry) {
  return join(dir, entry.replace(/\.ts$/, '.js'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const print = process.argv.includes('--print');
  const dir = await ensureBuilt({ log: (line) => console.error(line) });
  if (print) console.log(dir);
  else console.log(`build ${relative(root, dir)} is current`);
}
