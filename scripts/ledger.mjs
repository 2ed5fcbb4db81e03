// `npm run ledger -- <command>`: the auditor's and operator's CLI, on the same store as `npm start`.
import { ensureInstalled, nodeTsArgs, runForeground } from './lib.mjs';

ensureInstalled();
runForeground(process.execPath, nodeTsArgs('apps/ledger-cli/src/main.ts', process.argv.slice(2)));
