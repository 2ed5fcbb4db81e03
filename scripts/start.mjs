// `npm start`: installs from the lockfile if needed, builds the dashboard, then serves the ledger API
// (with the projector in-process) on the embedded SQLite store in ./data.
import { ensureInstalled, nx, nodeTsArgs, runForeground, hasProject } from './lib.mjs';

ensureInstalled();
if (hasProject('dashboard') && process.env.LEDGER_SKIP_DASHBOARD_BUILD !== '1') {
  nx(['run', 'dashboard:build', '--outputStyle=static']);
}
// Sign-in: the embedded development OpenID provider is on by default here, and only here; `dev` is
// refused with NODE_ENV=production (apps/ledger-api/src/oidc/settings.ts). Its users are those of
// apps/ledger-api/src/oidc/dev-users.ts (a unit test keeps this list in step).
if (process.env.LEDGER_DEV_OIDC === undefined && process.env.LEDGER_OIDC_ISSUER === undefined)
  process.env.LEDGER_DEV_OIDC = 'dev';
if (!['0', 'false', '', undefined].includes(process.env.LEDGER_DEV_OIDC)) {
  const host = process.env.LEDGER_HOST || '127.0.0.1';
  const url =
    process.env.LEDGER_PUBLIC_URL ||
    `http://${host.includes(':') ? `[${host}]` : host}:${process.env.PORT || '3000'}`;
  process.stdout.write(
    [
      `Sign in at ${url}/ with 登录 (embedded development identity provider at /oidc; LEDGER_DEV_OIDC=0 turns it off):`,
      '  reviewer-01, reviewer-02 (审核员)   finance-01 (财务)   auditor-01 (审计)   admin-01 (管理员)   adjuster-01 (期后调整)',
      "  applicant-01 (USCC 91330100007UFM92K6), applicant-02 (USCC 91330100007UFM92L9): the demo's first applicants",
      '  password for all: ledger-dev        demo history: npm run ledger -- demo',
      '  scripts keep HS256 tokens: npm run ledger -- token --sub alice --role reviewer',
      '',
    ].join('\n'),
  );
}
runForeground(process.execPath, nodeTsArgs('apps/ledger-api/src/main.ts', process.argv.slice(2)));
