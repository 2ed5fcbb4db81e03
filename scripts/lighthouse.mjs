// `npm run lighthouse`: Lighthouse 12 (mobile preset, simulated slow 4G and 4x CPU slowdown) against the
// overview of a locally started ledger-api on a fresh demo ledger, in Debian's Chromium (CHROME_PATH,
// default /usr/bin/chromium). Prints the category scores, the key metrics and the JS the page loaded.
//
//   npm run lighthouse                      # builds the dashboard if dist/ has none, 200 demo applicants
//   npm run lighthouse -- --applicants 50 --route '#/queue' --runs 3 --json out.json
//
// The dashboard keeps its token in sessionStorage, so the script opens the page once, stores an auditor
// token in that tab, and lets Lighthouse audit the same tab with storage kept (disableStorageReset).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dashboardBuilt, nodeTsArgs, root } from './lib.mjs';

const { values: options } = parseArgs({
  options: {
    applicants: { type: 'string', default: '200' },
    route: { type: 'string', default: '#/overview' },
    runs: { type: 'string', default: '1' },
    desktop: { type: 'boolean', default: false },
    json: { type: 'string' },
    // Another build to audit (e.g. the dashboard of an earlier commit, for a before/after under the same load).
    'dashboard-dir': { type: 'string' },
    build: { type: 'boolean', default: false },
  },
});
const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
process.env.CHROME_PATH = chromePath;

if (!options['dashboard-dir'] && (options.build || !dashboardBuilt())) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'apps/dashboard/vite.config.mts'],
    { cwd: root, stdio: 'inherit' },
  );
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'hz-lighthouse-'));
const env = {
  ...process.env,
  LEDGER_DATA_DIR: dataDir,
  LEDGER_EVENT_STORE: 'sqlite',
  LEDGER_READ_STORE: 'sqlite',
  LEDGER_JWT_SECRET: randomBytes(48).toString('base64'),
  LEDGER_LOG_LEVEL: 'warn',
};
if (options['dashboard-dir']) env.LEDGER_DASHBOARD_DIR = options['dashboard-dir'];
delete env.LEDGER_JWKS_URL;

function cli(args) {
  const result = spawnSync(process.execPath, nodeTsArgs('apps/ledger-cli/src/main.ts', args), {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`ledger ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitReady(base, child, timeoutMs = 180_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`ledger-api exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/api/v1/health/ready`);
      const body = await response.json();
      const state = body?.projections?.state;
      if (response.ok && (state === 'caught_up' || state === 'absent' || state === undefined))
        return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error('ledger-api did not become ready');
}

let server;
let browser;
try {
  console.log(`> ledger demo --applicants ${options.applicants} (in ${dataDir})`);
  console.log(
    cli(['demo', '--applicants', options.applicants, '--seed', '7', '--fast', '--quiet']).split(
      '\n',
    )[0],
  );
  const token = cli(['token', '--sub', 'lighthouse-auditor', '--role', 'auditor', '--ttl', '1h']);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, nodeTsArgs('apps/ledger-api/src/main.ts'), {
    cwd: root,
    env: { ...env, PORT: String(port), LEDGER_HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitReady(base, server);

  const [{ default: lighthouse, desktopConfig }, puppeteer] = await Promise.all([
    import('lighthouse'),
    import('puppeteer-core'),
  ]);
  browser = await puppeteer.launch({
    executablePath: chromePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=zh-CN',
    ],
  });
  const page = await browser.newPage();
  // Any same-origin document will do for sessionStorage; the API's health JSON keeps the dashboard's
  // assets out of the cache, and the cache is cleared anyway so that every run loads cold.
  await page.goto(`${base}/api/v1/health/ready`, { waitUntil: 'load' });
  await page.evaluate((value) => sessionStorage.setItem('hz-ledger.token', value), token);
  const cdp = await page.createCDPSession();

  const url = `${base}/${options.route}`;
  const runs = Math.max(1, Number(options.runs) || 1);
  const results = [];
  for (let run = 1; run <= runs; run += 1) {
    await cdp.send('Network.clearBrowserCache');
    const flags = {
      disableStorageReset: true,
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      logLevel: 'error',
      output: 'json',
    };
    const result = await lighthouse(url, flags, options.desktop ? desktopConfig : undefined, page);
    if (!result) throw new Error('lighthouse returned nothing');
    const { lhr } = result;
    const audit = (id) => lhr.audits[id];
    const scripts = (audit('network-requests')?.details?.items ?? []).filter(
      (item) => item.resourceType === 'Script',
    );
    const summary = {
      run,
      url,
      formFactor: options.desktop ? 'desktop' : 'mobile',
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
      bestPractices: Math.round((lhr.categories['best-practices']?.score ?? 0) * 100),
      firstContentfulPaint: audit('first-contentful-paint')?.displayValue,
      largestContentfulPaint: audit('largest-contentful-paint')?.displayValue,
      totalBlockingTime: audit('total-blocking-time')?.displayValue,
      speedIndex: audit('speed-index')?.displayValue,
      cumulativeLayoutShift: audit('cumulative-layout-shift')?.displayValue,
      scripts: scripts.map((item) => ({
        url: item.url.replace(base, ''),
        transferBytes: item.transferSize,
        resourceBytes: item.resourceSize,
      })),
      scriptTransferBytes: scripts.reduce((sum, item) => sum + (item.transferSize ?? 0), 0),
      // Proof that the signed-in view loaded (the sign-in page makes no API calls).
      apiRequests: (audit('network-requests')?.details?.items ?? []).filter(
        (item) => item.url.includes('/api/v1/') && !item.url.includes('/health/'),
      ).length,
      errors: lhr.runtimeError ? [lhr.runtimeError.message] : [],
    };
    results.push(summary);
    console.log(
      `lighthouse ${summary.formFactor} ${options.route} run ${run}: performance ${summary.performance}, accessibility ${summary.accessibility}, best practices ${summary.bestPractices}; ` +
        `FCP ${summary.firstContentfulPaint}, LCP ${summary.largestContentfulPaint}, TBT ${summary.totalBlockingTime}, SI ${summary.speedIndex}, CLS ${summary.cumulativeLayoutShift}; ` +
        `${scripts.length} scripts, ${summary.scriptTransferBytes} bytes transferred; ${summary.apiRequests} API requests`,
    );
    for (const script of summary.scripts)
      console.log(
        `  ${script.url}  transfer ${script.transferBytes} B, resource ${script.resourceBytes} B`,
      );
    const work = (audit('mainthread-work-breakdown')?.details?.items ?? []).map(
      (item) => `${item.groupLabel ?? item.group} ${Math.round(item.duration)} ms`,
    );
    console.log(`  main thread: ${work.join(', ')}`);
    const longTasks = (audit('long-tasks')?.details?.items ?? [])
      .slice(0, 5)
      .map(
        (item) =>
          `${item.url.replace(base, '') || '(page)'} ${Math.round(item.duration)} ms at ${Math.round(item.startTime)} ms`,
      );
    console.log(`  longest tasks: ${longTasks.join('; ')}`);
  }
  if (options.json) writeFileSync(options.json, JSON.stringify(results, null, 2));
} finally {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  rmSync(dataDir, { recursive: true, force: true });
}
