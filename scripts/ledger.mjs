// `npm run ledger -- <command>`: the auditor's and operator's CLI, on the same store as `npm start`, run
// from the compiled build of the current sources (scripts/build.mjs; built first when the sources changed),
// or from the TypeScript sources with LEDGER_RUNTIME=swc.
import { compiledNodeArgs, ensureInstalled, runForeground } from './lib.mjs';

ensureInstalled();
runForeground(
  process.execPath,
  await compiledNodeArgs('apps/ledger-cli/src/main.ts', process.argv.slice(2)),
);
