// `npm start`: installs from the lockfile if needed, builds the dashboard, then serves the ledger API
// (with the projector in-process) on the embedded SQLite store in ./data.
import { ensureInstalled, nx, nodeTsArgs, runForeground, hasProject } from './lib.mjs';

ensureInstalled();
if (hasProject('dashboard') && process.env.LEDGER_SKIP_DASHBOARD_BUILD !== '1') {
  nx(['run', 'dashboard:build', '--outputStyle=static']);
}
runForeground(process.execPath, nodeTsArgs('apps/ledger-api/src/main.ts', process.argv.slice(2)));
