/**
 * Entry point of the auditor's and operator's command line:
 *   node -r @swc-node/register apps/ledger-cli/src/main.ts <command> [options]   (npm run ledger -- ...)
 */
import 'reflect-metadata';
import { runCli } from './cli-frame';
import { LEDGER_COMMANDS } from './commands';

void runCli(process.argv.slice(2), LEDGER_COMMANDS, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
